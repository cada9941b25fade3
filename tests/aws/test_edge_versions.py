"""Per-edge snapshot versions: an edge's version (and ETag) changes when data of a tenant it
serves changes or its tenant set changes, and only then; 304 keeps working for the agent."""

from __future__ import annotations

from typing import Any

import pytest

from control_plane.core import store
from control_plane.edges import service as edges
from control_plane.edges import store as edges_store
from pbx_core import snapshot as snapmod

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws


class Edge:
    """An edge agent's view: the ETag it holds, as edge_node/agent.py keeps it."""

    def __init__(self, api: Api, edge_id: str, tenants: list[str] | None) -> None:
        r = api.post("/v1/edges", token=provider_token(), body={"id": edge_id, "tenants": tenants})
        assert r.status == 201, r.text
        self.api, self.token, self.etag = api, r.json["token"], ""
        self.snap = self.poll()
        assert self.snap is not None

    def poll(self) -> snapmod.Snapshot | None:
        """The new snapshot, or None for 304 (nothing changed for this edge)."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        r = self.api.get("/edge/v1/snapshot", token=self.token, headers=headers)
        if r.status == 304:
            assert r.headers["etag"] == self.etag
            return None
        assert r.status == 200, r.text
        snap = snapmod.from_dict(r.json)
        assert r.headers["etag"] == f'"{snap.version}"'
        self.etag, self.snap = r.headers["etag"], snap
        return snap

    @property
    def version(self) -> int:
        assert self.snap is not None
        return self.snap.version


def _changed(*edges_: Edge) -> list[bool]:
    return [e.poll() is not None for e in edges_]


def test_a_tenant_change_reaches_only_the_edges_serving_it(api: Api) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    b, admin_b = api.tenant("b.probox.vn")
    ea, eb, every = Edge(api, "edge-a", [a]), Edge(api, "edge-b", [b]), Edge(api, "edge-all", None)
    assert _changed(ea, eb, every) == [False, False, False]  # polls without changes: 304

    steps: list[tuple[str, Any]] = [
        ("extension", lambda: api.post("/v1/extensions", token=admin_a, body={"number": "101"})),
        ("branch", lambda: api.post("/v1/branches", token=admin_a, body={"name": "HQ", "prefix": "8"})),
        ("block rule", lambda: api.post("/v1/blocklist", token=admin_a, body={"pattern": "0912345678"})),
        ("tenant", lambda: api.request("PATCH", f"/v1/tenants/{a}", token=admin_a, body={"name": "A2"})),
    ]
    for what, change in steps:
        before = ea.version
        assert change().status in (200, 201), what
        assert _changed(ea, eb, every) == [True, False, True], what
        assert ea.version > before
        assert eb.version == eb.snap.version  # type: ignore[union-attr]
    assert "101" in ea.snap.tenants[a].extensions  # type: ignore[union-attr]

    api.extension(admin_b, "201")
    assert _changed(ea, eb, every) == [False, True, True]
    # not in any snapshot: devices, users, API keys, reads, refused writes
    device = {"extension": "101", "vendor": "yealink", "model": "T54W", "mac": "805ec0000001"}
    assert api.post("/v1/devices", token=admin_a, body=device).status == 201
    assert api.post("/v1/api-keys", token=admin_a, body={"name": "crm", "role": "supervisor"}).status == 201
    assert api.get("/v1/extensions", token=admin_a).status == 200
    assert api.post("/v1/extensions", token=admin_a, body={"number": "101"}).status == 409
    assert _changed(ea, eb, every) == [False, False, False]


def test_the_edges_own_tenant_set_changes_its_version(api: Api) -> None:
    a, _ = api.tenant("a.probox.vn")
    b, _ = api.tenant("b.probox.vn")
    ea, eb = Edge(api, "edge-a", [a]), Edge(api, "edge-b", [b])
    v = ea.version
    r = api.request("PATCH", "/v1/edges/edge-a", token=provider_token(), body={"tenants": [a, b]})
    assert r.status == 200
    assert _changed(ea, eb) == [True, False]
    assert ea.version > v and set(ea.snap.tenants) == {a, b}  # type: ignore[union-attr]
    api.request("PATCH", "/v1/edges/edge-a", token=provider_token(), body={"tenants": [a]})
    assert _changed(ea, eb) == [True, False]
    assert set(ea.snap.tenants) == {a}  # type: ignore[union-attr]
    # a new tenant: edges serving everyone see it, edges with a list do not
    every = Edge(api, "edge-all", None)
    c, _ = api.tenant("c.probox.vn")
    assert _changed(ea, eb, every) == [False, False, True]
    assert c in every.snap.tenants  # type: ignore[union-attr]
    # token rotation is not a data change
    rotated = api.post("/v1/edges/edge-a/token", token=provider_token())
    ea.token = rotated.json["token"]
    assert _changed(ea) == [False]


def test_versions_only_grow_even_for_a_recreated_edge(api: Api) -> None:
    a, admin = api.tenant("a.probox.vn")
    first = Edge(api, "hcm-1", [a])
    api.extension(admin, "101")
    first.poll()
    old = first.version
    assert api.delete("/v1/edges/hcm-1", token=provider_token()).status == 204
    again = Edge(api, "hcm-1", [a])
    again.etag = first.etag  # an agent that kept its old snapshot file
    assert again.poll() is None or again.version > old
    assert again.version > old  # never the old number for other data: no false 304


def test_table_wide_bump_changes_every_edge(api: Api) -> None:
    a, _ = api.tenant("a.probox.vn")
    b, _ = api.tenant("b.probox.vn")
    ea, eb = Edge(api, "edge-a", [a]), Edge(api, "edge-b", [b])
    store.bump_version()
    assert _changed(ea, eb) == [True, True]
    store.bump_tenant_version(b)
    assert _changed(ea, eb) == [False, True]


def test_agent_etag_from_its_snapshot_file_gets_304(api: Api) -> None:
    """edge_node/agent.py rebuilds its ETag as f'"{version}"' from the file after a restart."""
    a, _ = api.tenant("a.probox.vn")
    e = Edge(api, "edge-a", [a])
    r = api.get("/edge/v1/snapshot", token=e.token, headers={"If-None-Match": f'"{e.version}"'})
    assert r.status == 304


def test_concurrent_polls_agree_on_one_version(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another poll of the same edge records a version between our read and our write."""
    a, admin = api.tenant("a.probox.vn")
    e = Edge(api, "edge-a", [a])
    api.extension(admin, "101")
    real = edges_store.set_snapshot
    raced: list[int] = []

    def racing(edge_id: str, *, fingerprint: str, version: int, expected: int | None) -> bool:
        if not raced:  # the other poll wins with some other fingerprint and a higher number
            raced.append(version + 5)
            assert real(edge_id, fingerprint="other", version=version + 5, expected=expected)
        return real(edge_id, fingerprint=fingerprint, version=version, expected=expected)

    monkeypatch.setattr(edges_store, "set_snapshot", racing)
    version = edges.current_version("edge-a")
    assert raced and version > raced[0]  # read again, then recorded after the winner's
    stored = edges_store.get("edge-a")
    assert stored is not None and int(stored.snap_version or 0) == version
    assert edges.current_version("edge-a") == version  # stable afterwards, no more writes
    assert e.poll() is not None and e.version == version
