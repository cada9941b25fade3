"""Plans are data: seeded once from PRODUCT.md, then the provider's to add, edit, delete."""

from __future__ import annotations

import pytest

from control_plane.plans import service as plans
from control_plane.plans import store as plans_store

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws

GB = 1024**3


def test_seeded_plans_match_the_product_table(api: Api) -> None:
    r = api.get("/v1/plans", token=provider_token())
    assert r.status == 200, r.text
    got = {
        p["name"]: (p["max_extensions"], p["max_concurrent_calls"], p["recording_quota_bytes"]) for p in r.json["items"]
    }
    assert got == {
        "PBX-5": (5, 10, 5 * GB),
        "PBX-10": (10, 10, 5 * GB),
        "PBX-20": (20, 15, 5 * GB),
        "CC-5": (5, 10, 5 * GB),
        "CC-10": (10, 10, 5 * GB),
        "CC-20": (20, 15, 5 * GB),
    }
    cc = api.get("/v1/plans/CC-10", token=provider_token()).json
    assert "queues" in cc["features"] and "recording" in cc["features"]


def test_seeding_is_idempotent_and_respects_deletions(api: Api) -> None:
    assert plans.seed() == 6
    assert plans.seed() == 0
    assert plans.seed(force=True) == 0
    assert api.delete("/v1/plans/CC-5", token=provider_token()).status == 204
    assert plans.seed() == 0
    assert api.get("/v1/plans/CC-5", token=provider_token()).status == 404
    assert plans.seed(force=True) == 1


def test_provider_adds_edits_and_deletes_plans(api: Api) -> None:
    body = {
        "name": "PBX-50",
        "max_extensions": 50,
        "max_concurrent_calls": 30,
        "recording_quota_bytes": 20 * GB,
        "features": ["recording", "pstn", "recording"],
    }
    r = api.post("/v1/plans", token=provider_token(), body=body)
    assert r.status == 201, r.text
    assert r.json["features"] == ["pstn", "recording"] and r.json["tenant_count"] == 0
    assert api.post("/v1/plans", token=provider_token(), body=body).status == 409
    tid, admin = api.tenant("big.probox.vn", plan="PBX-50")
    assert api.get(f"/v1/tenants/{tid}", token=admin).json["max_extensions"] == 50
    assert api.get("/v1/plans/PBX-50", token=provider_token()).json["tenant_count"] == 1
    in_use = api.delete("/v1/plans/PBX-50", token=provider_token())
    assert in_use.status == 409 and "1 tenant" in in_use.json["error"]["message"]
    # An edit is applied to the plan's tenants.
    r = api.request("PATCH", "/v1/plans/PBX-50", token=provider_token(), body={"max_concurrent_calls": 40})
    assert r.status == 200 and r.json["max_concurrent_calls"] == 40
    assert api.get(f"/v1/tenants/{tid}", token=admin).json["max_concurrent_calls"] == 40
    # Moving the tenant away frees the plan.
    assert api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"plan": "PBX-20"}).status == 200
    assert api.delete("/v1/plans/PBX-50", token=provider_token()).status == 204
    assert plans_store.get("PBX-50") is None


def test_plan_validation_and_roles(api: Api) -> None:
    r = api.post(
        "/v1/plans",
        token=provider_token(),
        body={"name": "bad name!", "max_extensions": 0, "max_concurrent_calls": "5", "recording_quota_bytes": -1},
    )
    assert r.status == 400
    assert set(r.json["error"]["fields"]) == {"name", "max_extensions", "max_concurrent_calls", "recording_quota_bytes"}
    _, admin = api.tenant("acme.probox.vn")
    assert api.get("/v1/plans", token=admin).status == 200
    for method, path, body in [
        (
            "POST",
            "/v1/plans",
            {"name": "X", "max_extensions": 1, "max_concurrent_calls": 1, "recording_quota_bytes": 0},
        ),
        ("PATCH", "/v1/plans/PBX-10", {"max_extensions": 1000}),
        ("DELETE", "/v1/plans/PBX-10", None),
    ]:
        assert api.request(method, path, token=admin, body=body).status == 403
    assert api.get("/v1/plans/NOPE", token=admin).status == 404
