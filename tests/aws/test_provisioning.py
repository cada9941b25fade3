"""Provisioning links: one-time, 15 minutes, stored only as a hash."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest

from control_plane.core import clock

from .conftest import SIP_PROXY, Api

pytestmark = pytest.mark.aws


def test_link_is_single_use(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    link = api.post("/v1/extensions/101/provisioning", token=admin)
    assert link.status == 201
    assert set(link.json) == {"token", "url", "absolute_url", "qr_payload", "expires_at"}
    assert link.json["url"] == "/provision/" + link.json["token"]
    assert link.json["absolute_url"].endswith(link.json["url"])
    assert link.json["qr_payload"] == link.json["absolute_url"]
    first = api.post(link.json["url"])
    assert first.status == 200
    assert set(first.json) == {"sip_user", "sip_password", "sip_domain", "sip_proxy"}
    assert first.json["sip_proxy"] == SIP_PROXY
    assert first.headers.get("cache-control") == "no-store"
    second = api.post(link.json["url"])
    assert second.status == 404
    assert second.json["error"]["code"] == "not_found"


def test_each_link_gives_the_same_password(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    assert api.password(admin, "101")["sip_password"] == api.password(admin, "101")["sip_password"]


def test_expired_link_is_404(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    _, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    link = api.post("/v1/extensions/101/provisioning", token=admin).json
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(minutes=15, seconds=1))
    assert api.post(link["url"]).status == 404
    assert api.get(link["url"]).json["valid"] is False


def test_unknown_token_and_unknown_extension(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    assert api.post("/provision/nope").status == 404
    assert api.get("/provision/nope").json == {"valid": False, "redeem_with": "POST"}
    assert api.post("/v1/extensions/555/provisioning", token=admin).status == 404


def test_token_is_stored_hashed_only(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    token = api.post("/v1/extensions/101/provisioning", token=admin).json["token"]
    items = boto3.client("dynamodb").scan(TableName="probox-test")["Items"]
    assert token not in repr(items)


def test_deleted_extension_link_is_404(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    link = api.post("/v1/extensions/101/provisioning", token=admin).json
    api.delete("/v1/extensions/101", token=admin)
    assert api.post(link["url"]).status == 404
