"""S1: a tenant admin never reaches another tenant's data; foreign ids are 404, never 403."""

from __future__ import annotations

import pytest

from .conftest import Api, cdr_doc

pytestmark = pytest.mark.aws


def test_tenant_b_sees_nothing_of_tenant_a(api: Api) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    b, admin_b = api.tenant("b.probox.vn")
    edge = api.edge()
    api.extension(admin_a, "101", "A reception")
    assert api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(a, "call-a", "2025-11-01T08:00:00.000Z")).status == 201

    checks = [
        ("GET", f"/v1/tenants/{a}"),
        ("GET", "/v1/extensions/101"),
        ("DELETE", "/v1/extensions/101"),
        ("POST", "/v1/extensions/101/provisioning"),
        ("GET", "/v1/cdrs/call-a"),
    ]
    for method, path in checks:
        r = api.request(method, path, token=admin_b)
        assert r.status == 404, (method, path, r.text)
        assert r.json["error"]["code"] == "not_found"

    assert api.get("/v1/extensions", token=admin_b).json == {"items": [], "next": None}
    assert api.get("/v1/cdrs", token=admin_b).json == {"items": [], "next": None}
    # B creating its own 101 does not touch A's.
    api.extension(admin_b, "101", "B reception")
    assert api.get("/v1/extensions/101", token=admin_a).json["display_name"] == "A reception"
    assert api.get("/v1/extensions/101", token=admin_b).json["display_name"] == "B reception"
    # A's data is all still there for A.
    assert api.get(f"/v1/tenants/{a}", token=admin_a).status == 200
    assert api.get("/v1/cdrs/call-a", token=admin_a).status == 200
    assert b != a


def test_tenant_in_query_or_body_is_ignored(api: Api) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    _, admin_b = api.tenant("b.probox.vn")
    api.extension(admin_a, "101")
    r = api.get(f"/v1/extensions?tenant_id={a}", token=admin_b)
    assert r.json["items"] == []
