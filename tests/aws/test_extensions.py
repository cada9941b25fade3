"""Extensions: created with a server-side password that no API answer ever contains."""

from __future__ import annotations

import hashlib

import pytest

from control_plane.extensions import store as ext_store
from control_plane.tenants import store as tenants_store

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws


def test_password_never_in_api_answers_and_ha1_matches(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    created = api.extension(admin, "101", "Reception")
    assert set(created) == {
        "number",
        "display_name",
        "branch_id",
        "pickup_group",
        "outbound",
        "caller_id",
        "created_at",
        "updated_at",
        "password_rotated_at",
    }
    assert created["number"] == "101"
    assert created["display_name"] == "Reception"
    listed = api.get("/v1/extensions", token=admin)
    assert listed.status == 200
    assert listed.json == {"items": [created], "next": None}
    got = api.get("/v1/extensions/101", token=admin)
    assert got.status == 200
    assert got.json == created
    answers_before_provisioning = list(api.bodies)

    creds = api.password(admin, "101")
    password = creds["sip_password"]
    assert len(password) >= 16
    assert creds["sip_user"] == "101"
    assert creds["sip_domain"] == "acme.probox.vn"
    for body in answers_before_provisioning:
        assert password.encode() not in body

    stored = ext_store.get(tid, "101")
    assert stored is not None
    expected = hashlib.md5(f"101:acme.probox.vn:{password}".encode()).hexdigest()
    assert stored.ha1 == expected
    assert password not in stored.secret  # encrypted at rest


def test_plan_cap_is_409(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    for n in range(100, 110):
        api.extension(admin, str(n))
    r = api.post("/v1/extensions", token=admin, body={"number": "110"})
    assert r.status == 409
    assert r.json["error"]["code"] == "limit_exceeded"
    assert r.json["error"]["message"] == "plan PBX-10 allows 10 extensions"
    assert len(api.get("/v1/extensions", token=admin).json["items"]) == 10
    # Deleting one frees a place.
    assert api.delete("/v1/extensions/105", token=admin).status == 204
    assert api.post("/v1/extensions", token=admin, body={"number": "110"}).status == 201


def test_small_plan_cap(api: Api) -> None:
    _, admin = api.tenant("small.probox.vn", plan="PBX-5")
    for n in range(200, 205):
        api.extension(admin, str(n))
    r = api.post("/v1/extensions", token=admin, body={"number": "205"})
    assert r.status == 409
    assert r.json["error"]["message"] == "plan PBX-5 allows 5 extensions"


def test_duplicate_extension_is_409(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    r = api.post("/v1/extensions", token=admin, body={"number": "101"})
    assert r.status == 409
    assert r.json["error"]["code"] == "conflict"


@pytest.mark.parametrize("number", ["0123", "1", "1234567", "10a", 101, None, ""])
def test_invalid_number_is_400(api: Api, number: object) -> None:
    _, admin = api.tenant("acme.probox.vn")
    r = api.post("/v1/extensions", token=admin, body={"number": number})
    assert r.status == 400
    assert "number" in r.json["error"]["fields"]


def test_tenant_id_in_body_is_refused(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    r = api.post("/v1/extensions", token=admin, body={"number": "101", "tenant_id": "t_0123456789abcdef"})
    assert r.status == 400
    assert r.json["error"]["fields"] == {"tenant_id": "unknown field"}


def test_unknown_extension_is_404(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    for number in ("999", "abc", "0"):
        assert api.get(f"/v1/extensions/{number}", token=admin).status == 404
        assert api.delete(f"/v1/extensions/{number}", token=admin).status == 404


def test_delete_extension(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    assert api.delete("/v1/extensions/101", token=admin).status == 204
    assert api.get("/v1/extensions/101", token=admin).status == 404
    assert api.delete("/v1/extensions/101", token=admin).status == 404
    tenant = tenants_store.get(tid)
    assert tenant is not None and tenant.ext_count == 0


def test_provider_cannot_list_a_tenants_extensions(api: Api) -> None:
    api.tenant("acme.probox.vn")
    assert api.get("/v1/extensions", token=provider_token()).status == 403
