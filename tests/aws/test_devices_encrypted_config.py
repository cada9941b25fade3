"""Issue 13, item 5: encrypted config files. A config file that leaks anyway (a proxy's log,
a technician who replays the phone's request with the right MAC in its User-Agent) must not
show the SIP password; it decrypts to the phone's config only with the device's key, which
the admin sees once. Decryption is done independently of the server's code: the ``openssl``
command line for Grandstream (the vendor's documented command), the ``cryptography``
primitives for Yealink (AES-128-ECB, PKCS#7)."""

from __future__ import annotations

import shutil
import subprocess
from types import ModuleType
from typing import Any

import pytest
from chalice.local import LambdaEventConverter, RouteMatcher
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from control_plane.devices import store as devices_store

from .conftest import Api
from .test_devices import phone

pytestmark = pytest.mark.aws

BINARY = {"Accept": "*/*"}  # what an HTTP client sends by default (curl, phones' fetchers)


def _device(api: Api, admin: str, vendor: str, mac: str, **extra: object) -> dict[str, object]:
    r = api.post(
        "/v1/devices", token=admin, body={"extension": "101", "vendor": vendor, "model": "M", "mac": mac, **extra}
    )
    assert r.status == 201, r.text
    return dict(r.json)


def _yealink_decrypt(key: str, data: bytes) -> str:
    ecb = Cipher(algorithms.AES(key.encode()), modes.ECB()).decryptor()  # noqa: S305  # Yealink's format
    padded = ecb.update(data) + ecb.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(padded) + unpadder.finalize()).decode()


def _openssl_decrypt(key: str, data: bytes) -> subprocess.CompletedProcess[bytes]:
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command line is the independent decryptor"
    return subprocess.run(  # fixed argv, no shell
        [openssl, "enc", "-d", "-aes-256-cbc", "-md", "md5", "-pass", f"pass:{key}"],
        input=data,
        capture_output=True,
        check=False,
    )


def _opens(key: str, data: bytes, needle: str) -> bool:
    """Does ``key`` decrypt the Yealink file to a config holding ``needle``?"""
    try:
        return needle in _yealink_decrypt(key, data)
    except ValueError:  # bad padding or not UTF-8: garbage
        return False


def test_a_technician_replaying_the_phones_request_gets_no_password_yealink(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    dev = _device(api, admin, "yealink", "001565aabbcc")
    assert dev["encrypt_config"] is True and dev["has_config_key"] is False  # on by default for Yealink
    link = api.post(f"/v1/devices/{dev['id']}/provisioning", token=admin)
    assert link.status == 201 and link.headers["cache-control"] == "no-store", link.text
    key = str(link.json["config_key"])
    assert len(key) == 16 and key.isalnum()
    assert "aes_key_16.mac" in str(link.json["config_key_setting"])
    password = api.password(admin, "101")["sip_password"]
    # the technician: the phone's User-Agent (the right MAC), the URL from a log
    r = api.get(link.json["url"], headers={**phone("yealink"), **BINARY})
    assert r.status == 200 and r.headers["content-type"] == "application/octet-stream", r.raw[:200]
    assert password.encode() not in r.raw and b"account.1.password" not in r.raw
    config = _yealink_decrypt(key, r.raw)  # the phone, with the key the admin typed in
    assert config.startswith("#!version:1.0.0.1\n") and f"account.1.password = {password}\n" in config
    assert not _opens("A" * 16, r.raw, "account.1.password")  # any other key: garbage
    # the key is never shown again: not in the device, not in the list, not in a new URL
    again = api.post(f"/v1/devices/{dev['id']}/provisioning", token=admin).json
    assert again["config_key"] is None and again["config_key_setting"] is None
    shown = [api.get(f"/v1/devices/{dev['id']}", token=admin), api.get("/v1/devices", token=admin)]
    assert all(key.encode() not in s.raw for s in shown)
    assert api.get(f"/v1/devices/{dev['id']}", token=admin).json["has_config_key"] is True
    # and it is not stored in clear either
    item = devices_store.get(tid, str(dev["id"]))
    assert item is not None and item.config_key and key not in item.config_key


def test_a_technician_replaying_the_phones_request_gets_no_password_grandstream(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    dev = _device(api, admin, "grandstream", "000b82aabbcc")
    link = api.post(f"/v1/devices/{dev['id']}/provisioning", token=admin).json
    key = str(link["config_key"])
    assert link["config_key_setting"] == "P1359 (XML Config File Password)"
    password = api.password(admin, "101")["sip_password"]
    r = api.get(link["url"], headers={**phone("grandstream", "000b82aabbcc"), **BINARY})
    assert r.status == 200 and r.raw.startswith(b"Salted__"), r.raw[:100]
    assert password.encode() not in r.raw and b"<P34>" not in r.raw
    ok = _openssl_decrypt(key, r.raw)  # `openssl enc -d -aes-256-cbc -md md5 -k <P1359>`
    assert ok.returncode == 0, ok.stderr
    assert f"<P34>{password}</P34>" in ok.stdout.decode() and "<mac>000b82aabbcc</mac>" in ok.stdout.decode()
    wrong = _openssl_decrypt("B" * 16, r.raw)
    assert wrong.returncode != 0 or password.encode() not in wrong.stdout
    item = devices_store.get(tid, str(dev["id"]))
    assert item is not None and item.config_key and key not in item.config_key


def test_the_admin_rotates_the_key_and_another_tenant_cannot(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    _, other = api.tenant("other.probox.vn")
    api.extension(admin, "101")
    dev = _device(api, admin, "yealink", "001565000010")
    first = api.post(f"/v1/devices/{dev['id']}/provisioning", token=admin).json
    # another tenant: the device does not exist for it (no rotation, no key, no URL)
    assert api.post(f"/v1/devices/{dev['id']}/config-key", token=other).status == 404
    assert api.post(f"/v1/devices/{dev['id']}/provisioning", token=other).status == 404
    assert api.get(f"/v1/devices/{dev['id']}", token=other).status == 404
    rotated = api.post(f"/v1/devices/{dev['id']}/config-key", token=admin)
    assert rotated.status == 201 and rotated.headers["cache-control"] == "no-store", rotated.text
    new_key = str(rotated.json["config_key"])
    assert new_key != first["config_key"] and len(new_key) == 16
    password = api.password(admin, "101")["sip_password"]
    r = api.get(first["url"], headers={**phone("yealink", "001565000010"), **BINARY})
    assert r.status == 200
    assert f"account.1.password = {password}" in _yealink_decrypt(new_key, r.raw)
    assert not _opens(str(first["config_key"]), r.raw, password)  # the old key no longer opens it
    item = devices_store.get(tid, str(dev["id"]))
    assert item is not None and item.config_key and new_key not in item.config_key


def test_encryption_settings_and_their_errors(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    fanvil = _device(api, admin, "fanvil", "0c383e000001")
    assert fanvil["encrypt_config"] is False  # no documented format: off by default
    bad = api.post(
        "/v1/devices",
        token=admin,
        body={"extension": "101", "vendor": "fanvil", "model": "X4", "mac": "0c383e000002", "encrypt_config": True},
    )
    assert bad.status == 400 and bad.json["error"]["code"] == "config_encryption_unsupported", bad.text
    assert bad.json["error"]["fields"] == {"encrypt_config": "not supported for fanvil"}
    patch = api.request("PATCH", f"/v1/devices/{fanvil['id']}", token=admin, body={"encrypt_config": True})
    assert patch.status == 400 and patch.json["error"]["code"] == "config_encryption_unsupported"
    off = api.post(f"/v1/devices/{fanvil['id']}/config-key", token=admin)
    assert off.status == 400 and off.json["error"]["code"] == "config_encryption_off"
    wrong_type = api.request("PATCH", f"/v1/devices/{fanvil['id']}", token=admin, body={"encrypt_config": "yes"})
    assert wrong_type.status == 400 and "encrypt_config" in wrong_type.json["error"]["fields"]
    # a Yealink turned off: its key is dropped and its file is served in clear, as before
    yl = _device(api, admin, "yealink", "001565000020")
    api.post(f"/v1/devices/{yl['id']}/provisioning", token=admin)
    turned = api.request("PATCH", f"/v1/devices/{yl['id']}", token=admin, body={"encrypt_config": False})
    assert turned.status == 200 and turned.json["encrypt_config"] is False and turned.json["has_config_key"] is False
    url = api.post(f"/v1/devices/{yl['id']}/provisioning", token=admin).json
    assert url["config_key"] is None
    password = api.password(admin, "101")["sip_password"]
    clear = api.get(url["url"], headers=phone("yealink", "001565000020"))
    assert clear.status == 200 and f"account.1.password = {password}" in clear.text
    # turned on again without a URL: no key yet, so no file at all (never in clear)
    on = api.request("PATCH", f"/v1/devices/{yl['id']}", token=admin, body={"encrypt_config": True})
    assert on.status == 200 and on.json["encrypt_config"] is True and on.json["has_config_key"] is False
    api.post("/v1/extensions/101/rotate-password", token=admin)  # a new password to hand over
    assert api.get(url["url"], headers={**phone("yealink", "001565000020"), **BINARY}).status == 404
    made = api.post(f"/v1/devices/{yl['id']}/config-key", token=admin)
    assert made.status == 201
    enc = api.get(url["url"], headers={**phone("yealink", "001565000020"), **BINARY})
    assert enc.status == 200 and "account.1.password = " in _yealink_decrypt(str(made.json["config_key"]), enc.raw)


class _EveryTypeBinary(LambdaEventConverter):
    """API Gateway with ``*/*`` as its binary media types (template.yaml): every request
    body reaches the function base64-encoded, whatever its Content-Type."""

    def _is_binary(self, headers: dict[str, Any]) -> bool:
        return True


def test_behind_an_api_gateway_where_every_type_is_binary(api: Api, cp_app: ModuleType) -> None:
    """The deployed API treats every type as binary (so that a phone's ``Accept: */*`` gets
    the encrypted file as bytes): JSON requests then arrive base64-encoded and still work,
    JSON answers stay text, the config file is the same bytes."""
    gateway = api.http._local_gateway
    gateway.event_converter = _EveryTypeBinary(RouteMatcher(list(cp_app.app.routes)), [])
    _tid, admin = api.tenant("acme.probox.vn")  # JSON bodies, decoded by Chalice
    api.extension(admin, "101")
    dev = _device(api, admin, "yealink", "001565aabbcd")
    link = api.post(f"/v1/devices/{dev['id']}/provisioning", token=admin)
    assert link.status == 201 and link.headers.get("content-type", "application/json") == "application/json", link.text
    key = str(link.json["config_key"])
    r = api.get(link.json["url"], headers={**phone("yealink", "001565aabbcd"), **BINARY})
    assert r.status == 200 and r.headers["content-type"] == "application/octet-stream", r.raw[:200]
    assert "account.1.password = " in _yealink_decrypt(key, r.raw)
    bad = api.post("/v1/devices", token=admin, raw=b"{not json")  # still a clear 400, no crash
    assert bad.status == 400, bad.text
