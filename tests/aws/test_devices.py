"""Desk-phone provisioning: per-device URLs with vendor templates, revocation, rotation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from control_plane.core import clock
from control_plane.extensions import service as rotation
from control_plane.extensions import store as ext_store
from control_plane.extensions.store import ExtensionItem

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws


def phone(vendor: str, mac: str = "001565aabbcc") -> dict[str, str]:
    """The User-Agent a desk phone of ``vendor`` provisions with (each carries its MAC)."""
    colons = ":".join(mac[i : i + 2] for i in range(0, 12, 2))
    return {
        "yealink": {"User-Agent": f"Yealink SIP-T46S 66.86.0.15 {colons}"},
        "grandstream": {"User-Agent": f"Grandstream Model HW GXP2170 SW 1.0.11.23 DevId {mac}"},
        "fanvil": {"User-Agent": f"Fanvil X4 2.4.3 {mac}"},
    }[vendor]


def device(api: Api, admin: str, vendor: str, mac: str, ext: str = "101", encrypt: bool = False) -> str:
    """A device; its config file in clear unless ``encrypt`` (test_devices_encrypted_config.py)."""
    body = {"extension": ext, "vendor": vendor, "model": "M1", "mac": mac, "encrypt_config": encrypt}
    r = api.post("/v1/devices", token=admin, body=body)
    assert r.status == 201, r.text
    return str(r.json["id"])


@pytest.mark.parametrize(
    ("vendor", "filename", "needle"),
    [
        ("yealink", "001565aabbcc.cfg", "account.1.password = "),
        ("grandstream", "cfg001565aabbcc.xml", "<P34>"),
        ("fanvil", "001565aabbcc.cfg", "SIP1 Register Pswd      :"),
    ],
)
def test_config_file_per_vendor(api: Api, vendor: str, filename: str, needle: str) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101", 'Lan "Reception"')
    # a name stored before the API refused control characters (issue 13) must still not
    # inject a line into the config file
    ext_store.get(tid, "101").update(  # type: ignore[union-attr]
        actions=[ExtensionItem.display_name.set('Lan "Reception"\nx=1')]
    )
    dev = device(api, admin, vendor, "00-15-65-AA-BB-CC")
    got = api.get(f"/v1/devices/{dev}", token=admin).json
    assert got["mac"] == "001565aabbcc" and got["has_token"] is False
    link = api.post(f"/v1/devices/{dev}/provisioning", token=admin)
    assert link.status == 201 and link.json["filename"] == filename
    assert link.json["url"].endswith("/" + filename) and link.json["absolute_url"].endswith(link.json["url"])
    password = api.password(admin, "101")["sip_password"]
    wrong_name = link.json["url"].rsplit("/", 1)[0] + "/000000000000.cfg"
    assert api.get(wrong_name, headers=phone(vendor)).status == 404
    r = api.get(link.json["url"], headers=phone(vendor))
    assert r.status == 200, r.text
    assert needle + password in r.text
    assert "acme.probox.vn" in r.text and "\nx=1" not in r.text  # no config injection
    assert r.headers["cache-control"] == "no-store"
    assert api.get(f"/v1/devices/{dev}", token=admin).json["provisioned_at"] is not None
    # the phone fetches again on its schedule: the same password is not handed over twice
    assert api.get(link.json["url"], headers=phone(vendor)).status == 404


def test_new_token_revokes_old_and_delete_revokes_all(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    dev = device(api, admin, "yealink", "001565000001")
    first = api.post(f"/v1/devices/{dev}/provisioning", token=admin).json["url"]
    second = api.post(f"/v1/devices/{dev}/provisioning", token=admin).json["url"]
    ua = {"User-Agent": "Yealink SIP-T46S 66.86.0.15 00:15:65:00:00:01"}
    assert api.get(first, headers=ua).status == 404 and api.get(second, headers=ua).status == 200
    same_mac = {"extension": "101", "vendor": "yealink", "model": "T", "mac": "001565000001"}
    assert api.post("/v1/devices", token=admin, body=same_mac).status == 409
    assert api.delete("/v1/extensions/101", token=admin).status == 409  # the device uses it
    third = api.post(f"/v1/devices/{dev}/provisioning", token=admin).json["url"]
    assert api.delete(f"/v1/devices/{dev}", token=admin).status == 204
    assert api.get(third, headers=ua).status == 404
    assert api.delete("/v1/extensions/101", token=admin).status == 204


def test_suspended_tenant_gets_no_config(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    url = api.post(f"/v1/devices/{device(api, admin, 'fanvil', '0c383e000001')}/provisioning", token=admin).json["url"]
    api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"status": "suspended"})
    assert api.get(url).status == 404


def test_rotation_marks_devices_and_phone_gets_new_password(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    api.extension(admin, "102")
    dev = device(api, admin, "yealink", "001565000002")
    url = api.post(f"/v1/devices/{dev}/provisioning", token=admin).json["url"]
    old = api.password(admin, "101")["sip_password"]
    ua = {"User-Agent": "Yealink SIP-T46S 66.86.0.15 00:15:65:00:00:02"}
    assert old in api.get(url, headers=ua).text
    old_ha1 = ext_store.get(tid, "101").ha1  # type: ignore[union-attr]
    r = api.post("/v1/extensions/101/rotate-password", token=admin)
    assert r.status == 200 and r.json == {"rotated": 1, "devices_marked": 1}
    assert api.get(f"/v1/devices/{dev}", token=admin).json["needs_reprovision"] is True
    new = api.password(admin, "101")["sip_password"]
    assert new != old and ext_store.get(tid, "101").ha1 != old_ha1  # type: ignore[union-attr]
    assert new in api.get(url, headers=ua).text
    assert api.get(f"/v1/devices/{dev}", token=admin).json["needs_reprovision"] is False


def test_scheduled_rotation_follows_the_tenant_policy(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    short, admin2 = api.tenant("short.probox.vn", password_rotation_months=3)
    api.extension(admin, "101")
    api.extension(admin2, "201")
    dev = device(api, admin2, "grandstream", "000b82000001", ext="201")
    now = clock.now()
    assert rotation.rotate_due(now).rotated == 0
    in_4_months = rotation.rotate_due(now + timedelta(days=125))
    assert (in_4_months.rotated, in_4_months.devices_marked) == (1, 1)
    assert api.get(f"/v1/devices/{dev}", token=admin2).json["needs_reprovision"] is True
    assert rotation.rotate_due(now + timedelta(days=126)).rotated == 0  # just rotated
    in_13_months = rotation.rotate_due(now + timedelta(days=400))
    assert in_13_months.rotated == 2  # 101 (12-month policy) and 201 again
    assert ext_store.get(tid, "101").password_rotated_at > ext_store.get(short, "201").created_at  # type: ignore[union-attr]


def test_scheduled_handler_is_wired(api: Api, cp_app: object) -> None:
    handler = cp_app.rotate_sip_passwords  # type: ignore[attr-defined]
    event = {
        "version": "0",
        "id": "e1",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2025-11-01T00:00:00Z",
        "region": "ap-southeast-1",
        "resources": [],
        "detail": {},
    }
    result = handler(event, None)
    assert result == {"rotated": 0, "devices_marked": 0, "failed": 0}


def test_months_before() -> None:
    from datetime import UTC, datetime

    assert rotation.months_before(datetime(2025, 3, 31, tzinfo=UTC), 1) == datetime(2025, 2, 28, tzinfo=UTC)
    assert rotation.months_before(datetime(2025, 1, 15, tzinfo=UTC), 12) == datetime(2024, 1, 15, tzinfo=UTC)
