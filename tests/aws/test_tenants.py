"""Tenants: creation by the provider, unique domains, input validation, admin tokens."""

from __future__ import annotations

import re

import pytest

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws


def test_create_tenant_defaults(api: Api) -> None:
    r = api.post("/v1/tenants", token=provider_token(), body={"name": "Acme", "domain": "Acme.ProBox.vn"})
    assert r.status == 201, r.text
    doc = r.json
    assert re.fullmatch(r"t_[0-9a-f]{16}", doc["id"])
    assert doc["name"] == "Acme"
    assert doc["domain"] == "acme.probox.vn"
    assert doc["status"] == "active"
    assert doc["plan"] == "PBX-10"
    assert doc["max_concurrent_calls"] == 10
    assert doc["max_extensions"] == 10
    got = api.get(f"/v1/tenants/{doc['id']}", token=provider_token())
    assert got.status == 200
    assert got.json == doc


def test_create_tenant_with_plan_and_calls(api: Api) -> None:
    r = api.post(
        "/v1/tenants",
        token=provider_token(),
        body={"name": "Big", "domain": "big.probox.vn", "plan": "PBX-20", "max_concurrent_calls": 15},
    )
    assert r.status == 201, r.text
    assert (r.json["plan"], r.json["max_extensions"], r.json["max_concurrent_calls"]) == ("PBX-20", 20, 15)


def test_duplicate_domain_is_409(api: Api) -> None:
    api.tenant("acme.probox.vn")
    r = api.post("/v1/tenants", token=provider_token(), body={"name": "Other", "domain": "ACME.probox.vn"})
    assert r.status == 409
    assert r.json["error"]["code"] == "conflict"
    assert r.json["error"]["fields"] == {"domain": "already in use"}


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b"[1,2]", b'"text"', b"\xff\xfe{}", b'{"name": "a",}'],
)
def test_bad_json_body_is_400(api: Api, raw: bytes) -> None:
    r = api.post("/v1/tenants", token=provider_token(), raw=raw)
    assert r.status == 400, r.text
    err = r.json["error"]
    assert err["code"] == "validation_failed"
    assert "body" in err["fields"]
    assert "JSON" in err["message"]


def test_invalid_fields_are_400_with_fields(api: Api) -> None:
    r = api.post(
        "/v1/tenants",
        token=provider_token(),
        body={"name": "", "domain": "not a domain", "plan": "GOLD", "max_concurrent_calls": 0},
    )
    assert r.status == 400
    fields = r.json["error"]["fields"]
    assert set(fields) == {"name", "domain", "plan", "max_concurrent_calls"}


@pytest.mark.parametrize("calls", [True, "10", 1.5, -1, 10_001])
def test_bad_max_concurrent_calls(api: Api, calls: object) -> None:
    r = api.post(
        "/v1/tenants",
        token=provider_token(),
        body={"name": "a", "domain": "a.probox.vn", "max_concurrent_calls": calls},
    )
    assert r.status == 400
    assert "max_concurrent_calls" in r.json["error"]["fields"]


def test_unknown_field_is_400(api: Api) -> None:
    r = api.post("/v1/tenants", token=provider_token(), body={"name": "a", "domain": "a.probox.vn", "tenant_id": "t_x"})
    assert r.status == 400
    assert r.json["error"]["fields"] == {"tenant_id": "unknown field"}


def test_get_unknown_tenant_is_404(api: Api) -> None:
    for tid in ("t_0123456789abcdef", "nope", "x#CDR"):
        r = api.get(f"/v1/tenants/{tid}", token=provider_token())
        assert r.status == 404, tid
        assert r.json["error"]["code"] == "not_found"


def test_tenant_admin_reads_own_tenant(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    r = api.get(f"/v1/tenants/{tid}", token=admin)
    assert r.status == 200
    assert r.json["id"] == tid


def test_admin_token_for_unknown_tenant_is_404(api: Api) -> None:
    r = api.post("/v1/tenants/t_0123456789abcdef/admin-tokens", token=provider_token())
    assert r.status == 404


def test_edge_ids(api: Api) -> None:
    assert api.post("/v1/edges", token=provider_token(), body={"id": "hcm-1"}).status == 201
    dup = api.post("/v1/edges", token=provider_token(), body={"id": "hcm-1"})
    assert dup.status == 409
    bad = api.post("/v1/edges", token=provider_token(), body={"id": "Bad Edge!"})
    assert bad.status == 400
    assert "id" in bad.json["error"]["fields"]
