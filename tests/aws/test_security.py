"""The edge firewall's decisions in the control plane (issue 14): the edge posts its
security events, a tenant reads them and the bans and holds that concern it, and lifts
those of its own sources; the lift reaches the edges in the tenant's snapshot."""

from __future__ import annotations

import time
from typing import Any

import pytest

from .conftest import Api

pytestmark = pytest.mark.aws


def ban(tenant_id: str, source: str = "203.0.113.9", **kw: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "kind": "ban", "source": source, "at": now, "subject": source, "tenant_id": tenant_id,
        "account": f"{tenant_id}/101", "network": "203.0.113.0/24", "reason": "auth_failures", "strike": 1,
        "until": now + 60, "evidence": "5 bad requests in 10 min, last: wrong password for 101",
        "text": "Wrong passwords were tried from this address (5 bad requests in 10 min).", **kw,
    }  # fmt: skip


def hold(tenant_id: str, ext: str = "102") -> dict[str, Any]:
    return {**ban(tenant_id, "198.51.100.20", kind="hold", subject=f"{tenant_id}/{ext}", account=f"{tenant_id}/{ext}"),
            "network": "198.51.100.0/24"}  # fmt: skip


def snapshot_tenant(api: Api, edge: str, tenant_id: str) -> dict[str, Any]:
    r = api.get("/edge/v1/snapshot", token=edge)
    assert r.status == 200, r.text
    return next(t for t in r.json["tenants"] if t["id"] == tenant_id)


def test_events_are_stored_for_their_tenant_and_read_in_words(api: Api) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    b, admin_b = api.tenant("b.probox.vn")
    edge = api.edge("edge-sec", tenants=[a])
    events = [ban(a), hold(a), {**ban(a, "192.0.2.1"), "tenant_id": ""}, ban(b), {"kind": "nonsense"}]
    r = api.post("/edge/v1/security-events", token=edge, body={"events": events})
    assert r.status == 200, r.text
    assert [x["status"] for x in r.json["results"]] == ["stored", "stored", "provider_only", "error", "error"]
    assert r.json["results"][3]["code"] == "tenant_not_served"
    feed = api.get("/v1/events", token=admin_a).json["items"]
    assert {e["type"] for e in feed} == {"security.ban", "security.hold"}
    assert any(e["data"]["text"].startswith("Wrong passwords") for e in feed)
    bans = api.get("/v1/security/bans", token=admin_a).json["items"]
    assert {(x["kind"], x["source"], x["active"], x["liftable"]) for x in bans} == {
        ("ban", "203.0.113.9", True, False),  # a stranger's address: not the tenant's to lift
        ("hold", "198.51.100.20", True, True),  # its own account
    }
    assert api.get("/v1/security/bans", token=admin_b).json["items"] == []
    assert api.get("/v1/events", token=admin_b).json["items"] == []


def test_a_tenant_lifts_a_hold_and_a_ban_of_its_learned_network_and_the_edges_get_it(api: Api) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    edge = api.edge("edge-sec", tenants=[a])
    office = ban(a, "198.51.100.7", learned=True)
    body = {"events": [office, hold(a), ban(a)]}
    assert api.post("/edge/v1/security-events", token=edge, body=body).status == 200
    bans = {x["source"]: x for x in api.get("/v1/security/bans", token=admin_a).json["items"]}
    assert snapshot_tenant(api, edge, a)["lifted_bans"] == []
    lifted = api.delete(f"/v1/security/bans/{bans['198.51.100.7']['id']}", token=admin_a)
    assert lifted.status == 200 and lifted.json["lifted_at"] and not lifted.json["active"], lifted.text
    held = api.delete(f"/v1/security/bans/{bans['198.51.100.20']['id']}", token=admin_a)
    assert held.status == 200, held.text
    refused = api.delete(f"/v1/security/bans/{bans['203.0.113.9']['id']}", token=admin_a)
    assert refused.status == 403 and refused.json["error"]["code"] == "not_own_source", refused.text
    keys = {x["key"] for x in snapshot_tenant(api, edge, a)["lifted_bans"]}
    assert keys == {"198.51.100.7", f"h:{a}/102@198.51.100.0/24"}
    assert api.get("/v1/security/bans?active=true", token=admin_a).json["items"][0]["source"] == "203.0.113.9"


def test_only_admins_lift_and_only_edges_post(api: Api) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    edge = api.edge("edge-sec", tenants=[a])
    assert api.post("/edge/v1/security-events", token=admin_a, body={"events": [ban(a)]}).status == 403
    assert api.post("/edge/v1/security-events", token=edge, body={"events": "x"}).status == 400
    api.post("/edge/v1/security-events", token=edge, body={"events": [hold(a)]})
    bid = api.get("/v1/security/bans", token=admin_a).json["items"][0]["id"]
    user = api.post(
        "/v1/users", token=admin_a, body={"email": "sup@a.vn", "role": "supervisor", "password": "supervisor-pass-A"}
    )
    assert user.status == 201, user.text
    login = api.post("/v1/auth/login", body={"email": "sup@a.vn", "password": "supervisor-pass-A"})
    sup = login.json["token"]
    assert api.get("/v1/security/bans", token=sup).status == 200
    assert api.delete(f"/v1/security/bans/{bid}", token=sup).status == 403
    assert api.delete("/v1/security/bans/ban_00000000000000000000", token=admin_a).status == 404
