"""Edge snapshot: pbx_core schema, ETag/304, version bumps, HA1 but never a secret."""

from __future__ import annotations

import pytest

from control_plane.extensions import store as ext_store
from pbx_core import snapshot as snapmod

from .conftest import Api

pytestmark = pytest.mark.aws


def test_snapshot_etag_304_and_bump(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge("hcm-1")
    r = api.get("/edge/v1/snapshot", token=edge)
    assert r.status == 200, r.text
    snap = snapmod.from_dict(r.json)
    assert r.headers["etag"] == f'"{snap.version}"'
    assert snap.edge_id == "hcm-1"
    assert set(snap.tenants) == {tid}
    assert snap.tenants[tid].domain == "acme.probox.vn"
    assert snap.tenants[tid].extensions == {}

    same = api.get("/edge/v1/snapshot", token=edge, headers={"If-None-Match": r.headers["etag"]})
    assert same.status == 304
    assert same.raw == b""
    assert same.headers["etag"] == r.headers["etag"]
    weak = api.get("/edge/v1/snapshot", token=edge, headers={"If-None-Match": f'"0", W/{r.headers["etag"]}'})
    assert weak.status == 304

    api.extension(admin, "101", "Reception")
    changed = api.get("/edge/v1/snapshot", token=edge, headers={"If-None-Match": r.headers["etag"]})
    assert changed.status == 200
    new = snapmod.from_dict(changed.json)
    assert new.version > snap.version
    assert changed.headers["etag"] == f'"{new.version}"'
    ext = new.tenants[tid].extensions["101"]
    assert ext.display_name == "Reception"
    stored = ext_store.get(tid, "101")
    assert stored is not None
    assert ext.ha1 == stored.ha1


def test_snapshot_has_ha1_but_no_secret(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    edge = api.edge()
    password = api.password(admin, "101")["sip_password"]
    stored = ext_store.get(tid, "101")
    assert stored is not None
    r = api.get("/edge/v1/snapshot", token=edge)
    assert stored.ha1.encode() in r.raw
    assert password.encode() not in r.raw
    assert stored.secret.encode() not in r.raw
    assert b"secret" not in r.raw and b"password" not in r.raw
    ext = r.json["tenants"][0]["extensions"][0]
    assert set(ext) == {
        "number", "ha1", "display_name", "branch_id", "pickup_group", "outbound", "caller_id",
        "outbound_hold", "outbound_hold_until",  # the fraud guard's hold (issue 14 item 5)
    }  # fmt: skip


def test_every_snapshot_change_bumps_the_version(api: Api) -> None:
    edge = api.edge()

    def version() -> int:
        return int(api.get("/edge/v1/snapshot", token=edge).json["version"])

    v0 = version()
    _, admin = api.tenant("acme.probox.vn")
    v1 = version()
    api.extension(admin, "101")
    v2 = version()
    api.delete("/v1/extensions/101", token=admin)
    v3 = version()
    assert v0 < v1 < v2 < v3
    # Reads, refused writes and CDRs do not.
    api.get("/v1/extensions", token=admin)
    api.post("/v1/extensions", token=admin, body={"number": "0"})
    assert version() == v3


def test_queues_and_agent_statuses_are_in_the_snapshot(api: Api) -> None:
    """Issue 16: a queue change and an agent's status change each give a new version, and the
    edge reads both back through pbx_core.snapshot; an agent whose extension is deleted leaves."""
    tid, admin = api.tenant("cc.probox.vn", plan="CC-10")
    api.extension(admin, "101")
    api.extension(admin, "102")
    edge = api.edge()

    def snap() -> snapmod.Snapshot:
        return snapmod.from_dict(api.get("/edge/v1/snapshot", token=edge).json)

    v0 = snap().version
    q = api.post("/v1/queues", token=admin, body={"name": "CSKH", "number": "600", "strategy": "round_robin",
                                                  "members": [{"extension": "101", "penalty": 0}]})  # fmt: skip
    assert q.status == 201, q.text
    s1 = snap()
    assert s1.version > v0
    cfg = s1.tenants[tid].queue_by_number("600")
    assert cfg is not None and cfg.strategy == "round_robin" and [m.extension for m in cfg.members] == ["101"]
    r = api.request("PUT", "/v1/agents/102/status", token=admin, body={"status": "paused", "reason": "họp"})
    assert r.status == 200, r.text
    s2 = snap()
    assert s2.version > s1.version
    agent = s2.tenants[tid].agents["102"]
    assert (agent.status, agent.reason) == ("paused", "họp") and agent.since > 0
    assert api.delete("/v1/extensions/102", token=admin).status == 204
    assert "102" not in snap().tenants[tid].agents
    api.extension(admin, "102")  # a new extension 102 starts logged out, not with the old status
    assert "102" not in snap().tenants[tid].agents
    assert api.request("PUT", "/v1/agents/102/status", token=admin, body={"status": "ready"}).json["reason"] == ""


def test_snapshot_lists_all_tenants_for_now(api: Api) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    b, admin_b = api.tenant("b.probox.vn")
    api.extension(admin_a, "101")
    api.extension(admin_b, "101")
    snap = snapmod.from_dict(api.get("/edge/v1/snapshot", token=api.edge()).json)
    assert set(snap.tenants) == {a, b}
    assert snap.tenants[a].extensions["101"].ha1 != snap.tenants[b].extensions["101"].ha1
    assert snap.tenant_for_domain("b.probox.vn") is not None
