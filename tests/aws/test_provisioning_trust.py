"""Issue 13, item 5: passwords seen by people. A technician who once saw a device's URL, a
chat app previewing a one-time link, an integration key that never expires: each test
performs the attack through the HTTP API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from control_plane.core import clock

from .conftest import Api

pytestmark = pytest.mark.aws

YEALINK_UA = "Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:cc"


def _phone(api: Api, admin: str) -> tuple[str, str]:
    """Extension 101 on a Yealink desk phone with MAC 00:15:65:aa:bb:cc: (device id, config URL)."""
    api.extension(admin, "101")
    r = api.post(
        "/v1/devices",
        token=admin,
        body={"extension": "101", "vendor": "yealink", "model": "T46S", "mac": "001565aabbcc", "encrypt_config": False},
    )
    assert r.status == 201, r.text
    dev = str(r.json["id"])
    link = api.post(f"/v1/devices/{dev}/provisioning", token=admin)
    assert link.status == 201, link.text
    return dev, str(link.json["url"])


def _fetch(api: Api, url: str, user_agent: str = YEALINK_UA) -> tuple[int, str]:
    r = api.get(url, headers={"User-Agent": user_agent})
    return r.status, r.text


# --- one-time links: redeemed by the phone, not by whoever opens them --------------------------
def test_a_link_preview_neither_reads_nor_burns_the_one_time_link(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    url = api.post("/v1/extensions/101/provisioning", token=admin).json["url"]
    preview = api.get(url)  # a chat app, a mail scanner, an admin's browser
    assert preview.status == 200 and preview.json["redeem_with"] == "POST", preview.text
    assert "sip_password" not in preview.text
    creds = api.post(url)  # the phone or the app
    assert creds.status == 200 and creds.json["sip_user"] == "101" and len(creds.json["sip_password"]) >= 20
    assert api.post(url).status == 404  # once
    assert api.get(url).json["valid"] is False


# --- device configs: bound to the device, one fetch per password ---------------------------------
def test_a_technician_who_saw_a_device_url_does_not_learn_its_passwords(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    dev, url = _phone(api, admin)
    assert _fetch(api, url, "curl/8.5.0")[0] == 404  # not the phone: no config
    status, first = _fetch(api, url)  # the phone
    assert status == 200 and "account.1.password = " in first
    assert _fetch(api, url)[0] == 404  # that password was handed over once; the phone keeps it
    assert api.get(f"/v1/devices/{dev}", token=admin).json["provisioned_at"] is not None
    # the yearly rotation: the phone (and only the phone) fetches the new password once
    assert api.post("/v1/extensions/101/rotate-password", token=admin).json["devices_marked"] == 1
    assert _fetch(api, url, "Mozilla/5.0 (X11; Linux x86_64)")[0] == 404
    status, second = _fetch(api, url)
    assert status == 200 and second != first
    assert _fetch(api, url)[0] == 404


def test_a_device_url_expires_and_a_new_one_is_issued(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    _, admin = api.tenant("acme.probox.vn")
    dev, url = _phone(api, admin)
    link = api.get(f"/v1/devices/{dev}", token=admin).json
    assert link["token_expires_at"] is not None
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(days=31))
    assert _fetch(api, url)[0] == 404  # never fetched, but too late
    fresh = api.post(f"/v1/devices/{dev}/provisioning", token=admin).json["url"]
    assert _fetch(api, fresh)[0] == 200


# --- API keys: least privilege by default, and an end -----------------------------------------------
def test_api_keys_default_to_the_least_privilege_and_expire(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    _, admin = api.tenant("acme.probox.vn")
    r = api.post("/v1/api-keys", token=admin, body={"name": "crm"})
    assert r.status == 201 and r.json["role"] == "agent" and r.json["expires_at"], r.text
    key = r.json["key"]
    assert api.post("/v1/extensions", token=key, body={"number": "101"}).status == 403
    assert api.post("/v1/api-keys", token=admin, body={"name": "x", "expires_in_days": 400}).status == 400
    short = api.post("/v1/api-keys", token=admin, body={"name": "etl", "role": "supervisor", "expires_in_days": 1})
    assert short.status == 201
    assert api.get("/v1/blocklist", token=short.json["key"]).status == 200
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(days=2))
    assert api.get("/v1/blocklist", token=short.json["key"]).status == 401  # expired


def test_a_key_made_before_keys_expired_gets_an_end(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys stored without an end keep working until the announced cut-over date, then stop."""
    from control_plane.core import ids
    from control_plane.users import service as users
    from control_plane.users import store as users_store

    _, admin = api.tenant("acme.probox.vn")
    made = api.post("/v1/api-keys", token=admin, body={"name": "old crm", "role": "supervisor"}).json
    ref = users_store.key_by_hash(ids.sha256(made["key"]))
    item = users_store.get_key(ref.tenant_id, made["id"]) if ref else None
    assert ref is not None and item is not None
    for old in (ref, item):  # as stored before issue 13
        old.update(actions=[type(old).expires_at.remove()])  # type: ignore[attr-defined]
    listed = api.get("/v1/api-keys", token=admin).json["items"]
    cutover = datetime.fromtimestamp(users.API_KEY_LEGACY_END, UTC)
    assert [k["expires_at"][:10] for k in listed] == [cutover.date().isoformat()]
    monkeypatch.setattr(clock, "now", lambda: cutover - timedelta(minutes=1))
    assert api.get("/v1/blocklist", token=made["key"]).status == 200
    monkeypatch.setattr(clock, "now", lambda: cutover + timedelta(minutes=1))
    assert api.get("/v1/blocklist", token=made["key"]).status == 401
