"""Edge nodes: tenants served, token rotation and revocation, snapshot contract."""

from __future__ import annotations

import pytest

from pbx_core import snapshot as snapmod

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws


def test_edge_serves_only_its_tenants(api: Api) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    b, _ = api.tenant("b.probox.vn")
    r = api.post("/v1/edges", token=provider_token(), body={"id": "hn-1", "tenants": [a]})
    assert r.status == 201 and r.json["tenants"] == [a]
    edge = r.json["token"]
    snap = snapmod.from_dict(api.get("/edge/v1/snapshot", token=edge).json)
    assert set(snap.tenants) == {a}
    bad = api.post("/v1/edges", token=provider_token(), body={"id": "hn-2", "tenants": ["t_0000000000000000"]})
    assert bad.status == 400 and bad.json["error"]["fields"] == {"tenants": "unknown tenant"}
    v = snap.version
    r = api.request("PATCH", "/v1/edges/hn-1", token=provider_token(), body={"tenants": [a, b]})
    assert r.status == 200 and r.json["tenants"] == [a, b]
    snap = snapmod.from_dict(api.get("/edge/v1/snapshot", token=edge).json)
    assert set(snap.tenants) == {a, b} and snap.version > v
    r = api.request("PATCH", "/v1/edges/hn-1", token=provider_token(), body={"tenants": None})
    assert r.status == 200 and r.json["tenants"] is None
    listed = api.get("/v1/edges", token=provider_token()).json["items"]
    assert [e["id"] for e in listed] == ["hn-1"]
    assert api.get("/v1/edges/hn-1", token=admin_a).status == 403
    assert api.get("/v1/edges/nope", token=provider_token()).status == 404


def test_token_rotation_and_delete_revoke(api: Api) -> None:
    api.tenant("a.probox.vn")
    old = api.edge("hcm-1")
    assert api.get("/edge/v1/snapshot", token=old).status == 200
    r = api.post("/v1/edges/hcm-1/token", token=provider_token())
    assert r.status == 201
    new = r.json["token"]
    assert api.get("/edge/v1/snapshot", token=old).status == 401
    assert api.get("/edge/v1/snapshot", token=new).status == 200
    assert api.delete("/v1/edges/hcm-1", token=provider_token()).status == 204
    assert api.get("/edge/v1/snapshot", token=new).status == 401
    assert api.delete("/v1/edges/hcm-1", token=provider_token()).status == 404
    assert api.post("/v1/edges", token=provider_token(), body={"id": "hcm-1"}).status == 201  # the id is free again


def test_snapshot_contract_roundtrip(api: Api) -> None:
    """The body is exactly pbx_core.snapshot.build(...).to_dict() with every new field."""
    tid, admin = api.tenant("acme.probox.vn", plan="CC-10")
    br = api.post("/v1/branches", token=admin, body={"name": "HQ", "prefix": "8"}).json["id"]
    api.post("/v1/extensions", token=admin, body={"number": "101", "branch_id": br, "pickup_group": "p"})
    tk = api.post(
        "/v1/trunks",
        token=admin,
        body={"name": "T", "host": "sip.t.vn", "port": 5080, "transport": "tcp", "ips": ["203.0.113.7"], "channels": 8},
    ).json["id"]
    api.assign(tid, "18001234")
    api.post("/v1/numbers", token=admin, body={"number": "18001234", "trunk_id": tk, "route_to": "101"})
    api.request("PATCH", f"/v1/tenants/{tid}", token=admin, body={"default_caller_id": "18001234"})
    api.post("/v1/blocklist", token=admin, body={"pattern": "0123*", "direction": "in", "extension": "101"})
    raw = api.get("/edge/v1/snapshot", token=api.edge()).json
    parsed = snapmod.from_dict(raw)
    assert parsed.to_dict() == raw
    t = raw["tenants"][0]
    assert set(t) == {
        "id", "domain", "status", "max_concurrent_calls", "record_calls", "extensions", "plan",
        "default_caller_id", "outbound_policy", "branches", "trunks", "numbers", "blocklist", "abroad_networks",
        "lifted_bans", "queues", "agents", "user_extensions", "allow_private_trunk_hosts",
    }  # fmt: skip
    assert t["allow_private_trunk_hosts"] is False  # the edge checks the names it resolves against it
    assert (t["plan"], t["default_caller_id"]) == ("CC-10", "18001234")
    assert t["trunks"][0] | {"id": tk} == {
        "id": tk, "name": "T", "host": "sip.t.vn", "port": 5080, "transport": "tcp", "auth": "ip",
        "username": "", "password": "", "password_sealed": "", "ips": ["203.0.113.7"], "channels": 8,
        "codecs": ["PCMA", "PCMU"], "address": "",  # the edge agent pins the address, never the control plane
    }  # fmt: skip
    assert t["numbers"] == [{"number": "18001234", "kind": "tollfree", "trunk_id": tk, "route_to": "101"}]
    assert t["blocklist"] == [{"pattern": "0123*", "direction": "in", "extension": "101"}]
