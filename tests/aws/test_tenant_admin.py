"""Tenants beyond creation: list, policies, plan moves, suspension."""

from __future__ import annotations

import pytest

from pbx_core import snapshot as snapmod

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws


def test_new_tenant_defaults(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    t = api.get(f"/v1/tenants/{tid}", token=admin).json
    assert t["time_zone"] == "Asia/Ho_Chi_Minh"
    assert t["outbound_policy"] == {"international": False, "premium_1900": False}
    assert t["recording"]["enabled"] is True and t["recording"]["quota_bytes"] == 5 * 1024**3
    assert t["password_rotation_months"] == 12
    assert t["extension_count"] == 0


def test_provider_lists_tenants_with_cursor(api: Api) -> None:
    ids = {api.tenant(f"t{i}.probox.vn")[0] for i in range(5)}
    seen: list[str] = []
    cursor = None
    while True:
        r = api.get("/v1/tenants?limit=2" + (f"&cursor={cursor}" if cursor else ""), token=provider_token())
        assert r.status == 200, r.text
        seen += [t["id"] for t in r.json["items"]]
        cursor = r.json["next"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 5
    assert api.get("/v1/tenants?cursor=forged", token=provider_token()).status == 400
    assert api.get("/v1/tenants?limit=0", token=provider_token()).status == 400


def test_tenant_admin_may_change_only_its_settings(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    path = f"/v1/tenants/{tid}"
    ok = api.request(
        "PATCH",
        path,
        token=admin,
        body={
            "time_zone": "Asia/Bangkok",
            "outbound_policy": {"premium_1900": False},
            "recording": {"retention_days": 30},
        },
    )
    assert ok.status == 200, ok.text
    assert ok.json["time_zone"] == "Asia/Bangkok"
    assert ok.json["outbound_policy"] == {"international": False, "premium_1900": False}
    assert ok.json["recording"]["retention_days"] == 30
    for body in (
        {"plan": "PBX-20"},
        {"status": "suspended"},
        {"outbound_policy": {"international": True}},
        {"outbound_policy": {"premium_1900": True}},  # issue 14: enabling 1900 is the provider's decision
    ):
        r = api.request("PATCH", path, token=admin, body=body)
        assert r.status == 403, (body, r.text)
    r = api.request("PATCH", path, token=provider_token(), body={"outbound_policy": {"premium_1900": True}})
    assert r.status == 200 and r.json["outbound_policy"]["premium_1900"], r.text
    # the admin may keep it on (the console sends the whole form) or turn it off
    same = api.request("PATCH", path, token=admin, body={"outbound_policy": {"premium_1900": True}})
    assert same.status == 200, same.text
    bad = api.request("PATCH", path, token=admin, body={"time_zone": "Mars/Olympus"})
    assert bad.status == 400 and "time_zone" in bad.json["error"]["fields"]
    # The provider may open international calls (S4 exception) and sees it in the snapshot.
    r = api.request("PATCH", path, token=provider_token(), body={"outbound_policy": {"international": True}})
    assert r.status == 200 and r.json["outbound_policy"] == {"international": True, "premium_1900": True}
    snap = snapmod.from_dict(api.get("/edge/v1/snapshot", token=api.edge()).json)
    assert snap.tenants[tid].outbound_policy == snapmod.OutboundPolicy(international=True, premium_1900=True)


def test_plan_move_respects_extension_count(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn", plan="PBX-10")
    for n in range(100, 107):
        api.extension(admin, str(n))
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"plan": "PBX-5"})
    assert r.status == 409, r.text
    assert "PBX-5 allows 5" in r.json["error"]["message"]
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"plan": "CC-20"})
    assert r.status == 200
    assert (r.json["plan"], r.json["max_extensions"], r.json["max_concurrent_calls"]) == ("CC-20", 20, 15)
    assert api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"plan": "NOPE"}).status == 400


def test_suspended_tenant_stays_in_snapshot_as_suspended(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    edge = api.edge()
    earlier_link = api.post("/v1/extensions/101/provisioning", token=admin).json["url"]
    v0 = api.get("/edge/v1/snapshot", token=edge).json["version"]
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"status": "suspended"})
    assert r.status == 200 and r.json["status"] == "suspended"
    snap = api.get("/edge/v1/snapshot", token=edge).json
    assert snap["version"] > v0
    t = next(t for t in snap["tenants"] if t["id"] == tid)
    assert t["status"] == "suspended" and [e["number"] for e in t["extensions"]] == ["101"]
    # No new extensions while suspended; provisioning links do not work either.
    r = api.post("/v1/extensions", token=admin, body={"number": "102"})
    # issue 13: a suspended tenant's users change nothing (403), they read and export
    assert (
        r.status == 403 and r.json["error"]["code"] == "tenant_suspended" and "suspended" in r.json["error"]["message"]
    )
    assert api.post("/v1/extensions/101/provisioning", token=admin).status == 403
    assert api.post(earlier_link).status == 404
    api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"status": "active"})
    assert api.post("/v1/extensions", token=admin, body={"number": "102"}).status == 201


def test_default_caller_id_must_be_own_number(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=admin, body={"default_caller_id": "0901234567"})
    assert r.status == 400 and r.json["error"]["fields"] == {"default_caller_id": "not found"}
    trunk = api.post("/v1/trunks", token=admin, body={"name": "T", "host": "sip.t.vn", "ips": ["203.0.113.1"]}).json[
        "id"
    ]
    api.assign(tid, "0901234567")
    assert api.post("/v1/numbers", token=admin, body={"number": "0901234567", "trunk_id": trunk}).status == 201
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=admin, body={"default_caller_id": "+84 90 123 4567"})
    assert r.status == 200 and r.json["default_caller_id"] == "0901234567"
    assert api.delete("/v1/numbers/0901234567", token=admin).status == 409
    api.request("PATCH", f"/v1/tenants/{tid}", token=admin, body={"default_caller_id": ""})
    assert api.delete("/v1/numbers/0901234567", token=admin).status == 204
