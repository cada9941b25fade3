"""Contact routes for the edges (issue 17 item 4: routing by owner, VIP first): the route
items follow every change of a contact's numbers, owner and tags (create, PATCH, delete,
import, an import's merge, the tenant's purge); ``GET /edge/v1/contact-routes`` gives the
whole list then the changes since a cursor, in pages, only for tenants the edge serves; the
snapshot carries the users' extensions; the edge agent writes its SQLite file from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from control_plane.contact_routes import service as routes_service
from control_plane.contact_routes import store as routes_store
from control_plane.core import keys, store
from edge_node import contact_routes
from edge_node.agent import Agent, AgentSettings

from .conftest import Api, provider_token
from .test_contacts import _csv, _import, contact, user

pytestmark = pytest.mark.aws


def sync(api: Api, edge: str, tid: str, cursor: str = "", nxt: str | None = None) -> dict[str, Any]:
    q = f"/edge/v1/contact-routes?tenant_id={tid}&cursor={quote(cursor)}"
    if nxt is not None:
        q = f"/edge/v1/contact-routes?tenant_id={tid}&next={quote(nxt)}"
    r = api.get(q, token=edge)
    assert r.status == 200, r.text
    doc: dict[str, Any] = r.json
    return doc


def routes(doc: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    return {r["number"]: (r["owner"], r["vip"]) for r in doc["routes"]}


def whole(api: Api, edge: str, tid: str) -> tuple[dict[str, tuple[str, bool]], str]:
    """The whole list (every page) and the cursor after it."""
    doc = sync(api, edge, tid)
    assert doc["full"] is True
    out = routes(doc)
    while doc["next"]:
        assert doc["cursor"] == ""  # not complete yet: an edge that stops here starts over
        doc = sync(api, edge, tid, nxt=doc["next"])
        assert doc["full"] is False
        out.update(routes(doc))
    assert doc["cursor"].startswith("r1.")
    return out, str(doc["cursor"])


def items(tid: str) -> dict[str, tuple[str, bool]]:
    """The route items in the table."""
    return {
        raw["sk"]["S"]: (raw.get("owner", {}).get("S", ""), raw["vip"]["BOOL"])
        for raw in store.query_raw(keys.contact_route_pk(tid))
    }


def test_routes_follow_every_change_of_a_contact(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    lan, _ = user(api, admin, "lan@acme.vn", role="supervisor", extension="101")
    edge = api.edge("edge-1", [tid])
    full, start = whole(api, edge, tid)
    assert full == {}
    a = contact(api, admin, name="An", numbers=["0912000001", "0912000002"], owner=lan)
    b = contact(api, admin, name="Bình", numbers=["0912000003"], tags=["khách lẻ"])  # nothing special
    assert items(tid) == {"0912000001": (lan, False), "0912000002": (lan, False)}
    changed = sync(api, edge, tid, start)
    assert changed["full"] is False and changed["next"] is None and changed["removed"] == []
    assert routes(changed) == {"0912000001": (lan, False), "0912000002": (lan, False)}
    cursor = changed["cursor"]
    # a VIP tag (any case) makes a contact's numbers route; an owner's contact stays the owner's
    r = api.request("PATCH", f"/v1/contacts/{b['id']}", token=admin, body={"tags": ["khách lẻ", " Vip "]})
    assert r.status == 200, r.text
    r = api.request("PATCH", f"/v1/contacts/{a['id']}", token=admin, body={"tags": ["VIP"]})
    assert r.status == 200, r.text
    assert items(tid) == {"0912000001": (lan, True), "0912000002": (lan, True), "0912000003": ("", True)}
    changed = sync(api, edge, tid, cursor)
    assert routes(changed) == {"0912000001": (lan, True), "0912000002": (lan, True), "0912000003": ("", True)}
    # a number taken off, a number added, the owner gone, the tag gone, a contact deleted
    r = api.request(
        "PATCH", f"/v1/contacts/{a['id']}", token=admin, body={"numbers": ["0912000001", "0912000004"], "owner": ""}
    )
    assert r.status == 200, r.text
    assert items(tid) == {"0912000001": ("", True), "0912000004": ("", True), "0912000003": ("", True)}
    r = api.request("PATCH", f"/v1/contacts/{b['id']}", token=admin, body={"tags": []})
    assert r.status == 200, r.text
    assert api.delete(f"/v1/contacts/{a['id']}", token=admin).status == 204
    assert items(tid) == {}
    changed = sync(api, edge, tid, cursor)  # the same cursor again: every number since, as it is now
    assert routes(changed) == {}
    assert sorted(changed["removed"]) == ["0912000001", "0912000002", "0912000003", "0912000004"]
    assert whole(api, edge, tid)[0] == {}
    # a contact made by a call (no owner, no tag) routes like anyone else: nothing written
    assert contact(api, admin, numbers=["0912000005"])["owner"] == ""
    assert items(tid) == {}


def test_import_writes_routes_and_a_large_one_asks_for_the_whole_list(
    api: Api, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    lan, _ = user(api, admin, "lan@acme.vn")
    edge = api.edge("edge-1", [tid])
    existing = contact(api, admin, name="Có sẵn", numbers=["0912000099"])
    _, cursor = whole(api, edge, tid)
    rows = [
        ["Họ tên", "Số điện thoại", "Người phụ trách", "Nhãn"],
        ["An", "0912000001", "lan@acme.vn", "hcm"],
        ["Bình", "0912000002", "", "VIP"],
        ["Chi", "0912000003", "", "bán lẻ"],
        ["Khách cũ", "0912000099", "", "vip"],
    ]
    imp = _import(api, admin, "khach.csv", _csv(rows))
    r = api.post(f"/v1/contacts/imports/{imp['id']}/preview", token=admin, body={"on_duplicate": "update"})
    assert r.status == 200, r.text
    done = api.post(f"/v1/contacts/imports/{imp['id']}/commit", token=admin)
    assert done.status == 202 and done.json["created"] == 3 and done.json["updated"] == 1, done.text
    expected = {"0912000001": (lan, False), "0912000002": ("", True), "0912000099": ("", True)}
    assert items(tid) == expected
    changed = sync(api, edge, tid, cursor)  # batch-written and merged changes are in the log
    assert changed["full"] is False and routes(changed) == expected
    assert api.get(f"/v1/contacts/{existing['id']}", token=admin).json["tags"] == ["vip"]
    # past LOG_MAX_IMPORT route changes an import marks a reset: the edges read the whole list
    monkeypatch.setattr(routes_store, "LOG_MAX_IMPORT", 1)
    cursor = changed["cursor"]
    rows = [["Họ tên", "Số điện thoại", "Nhãn"], ["D", "0912000010", "vip"], ["E", "0912000011", "vip"]]
    imp = _import(api, admin, "them.csv", _csv(rows))
    assert api.post(f"/v1/contacts/imports/{imp['id']}/commit", token=admin).json["created"] == 2
    again = sync(api, edge, tid, cursor)
    assert again["full"] is True
    assert routes(again) == {**expected, "0912000010": ("", True), "0912000011": ("", True)}
    monkeypatch.setattr(routes_service, "RESET_MARGIN_US", 0)  # (else: 2 s after the mark, a whole list again)
    assert sync(api, edge, tid, again["cursor"])["full"] is False  # after it, changes again


def test_pages_of_the_whole_list_and_of_changes(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes_service, "PAGE", 2)
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge("edge-1", [tid])
    for i in range(5):
        contact(api, admin, numbers=[f"091200000{i}"], tags=["vip"])
    full, cursor = whole(api, edge, tid)
    assert sorted(full) == [f"091200000{i}" for i in range(5)]
    first = sync(api, edge, tid, cursor)
    assert len(first["routes"]) == 2 and first["next"]
    assert first["cursor"] == cursor  # until the last page: where this answer started (a stop replays it)
    seen = set(routes(first))
    doc = first
    while doc["next"]:
        doc = sync(api, edge, tid, nxt=doc["next"])
        seen |= set(routes(doc))
    assert doc["cursor"] != cursor and doc["cursor"].startswith("r1.")
    assert seen == set(full)  # within the overlap: read again, harmless (each number's current route)


def test_only_tenants_the_edge_serves_and_only_edges(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    other, other_admin = api.tenant("beta.probox.vn")
    contact(api, admin, numbers=["0912000001"], tags=["vip"])
    contact(api, other_admin, numbers=["0912000002"], tags=["vip"])
    edge = api.edge("edge-1", [tid])
    assert whole(api, edge, tid)[0] == {"0912000001": ("", True)}
    r = api.get(f"/edge/v1/contact-routes?tenant_id={other}", token=edge)
    assert r.status == 403 and "0912000002" not in r.text
    # a next token is signed for its tenant
    many = api.edge("edge-all", None)
    contact(api, admin, numbers=["0913000001"], tags=["vip"])
    monkeypatch.setattr(routes_service, "PAGE", 1)
    first = sync(api, many, tid)
    assert first["full"] is True and first["next"]
    bad = api.get(f"/edge/v1/contact-routes?tenant_id={other}&next={quote(first['next'])}", token=many)
    assert bad.status == 400 and "0913000001" not in bad.text
    assert api.get("/edge/v1/contact-routes?tenant_id=t_0000000000000000", token=many).status == 404
    assert api.get(f"/edge/v1/contact-routes?tenant_id={tid}&cursor=yesterday", token=edge).status == 400
    # tenant users and the provider are not edges
    for token in (admin, other_admin, provider_token()):
        r = api.get(f"/edge/v1/contact-routes?tenant_id={tid}", token=token)
        assert r.status == 403 and "0912000001" not in r.text
    assert api.get(f"/edge/v1/contact-routes?tenant_id={tid}").status == 401
    # an edge taken off the tenant gets nothing more
    assert api.request("PATCH", "/v1/edges/edge-1", token=provider_token(), body={"tenants": []}).status == 200
    assert api.get(f"/edge/v1/contact-routes?tenant_id={tid}", token=edge).status == 403


def test_a_cursor_older_than_the_log_gets_the_whole_list(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge("edge-1", [tid])
    contact(api, admin, numbers=["0912000001"], tags=["vip"])
    old = routes_service.cursor_of(routes_store.now_us() - 24 * 3600 * 1_000_000)
    doc = sync(api, edge, tid, old)
    assert doc["full"] is True and routes(doc) == {"0912000001": ("", True)}


def test_purge_deletes_routes_and_log(api: Api) -> None:
    from control_plane.contacts import store as contacts_store

    tid, admin = api.tenant("acme.probox.vn")
    contact(api, admin, numbers=["0912000001"], tags=["vip"])
    assert items(tid)
    assert list(store.query_raw(keys.contact_route_log_pk(tid)))
    contacts_store.purge(tid)
    assert items(tid) == {} and list(store.query_raw(keys.contact_route_log_pk(tid))) == []


def test_snapshot_carries_users_extensions_and_their_changes_bump_it(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    api.extension(admin, "102")
    edge = api.edge("edge-1", [tid])

    def snap() -> tuple[str, dict[str, str]]:
        r = api.get("/edge/v1/snapshot", token=edge)
        assert r.status == 200, r.text
        tenant = next(t for t in r.json["tenants"] if t["id"] == tid)
        return r.headers["etag"], tenant["user_extensions"]

    etag, exts = snap()
    assert exts == {}
    lan, _ = user(api, admin, "lan@acme.vn", extension="101")
    user(api, admin, "mai@acme.vn")  # no extension: not in the snapshot
    etag2, exts = snap()
    assert etag2 != etag and exts == {lan: "101"}
    r = api.request("PATCH", f"/v1/users/{lan}", token=admin, body={"extension": "102"})
    assert r.status == 200, r.text
    etag3, exts = snap()
    assert etag3 != etag2 and exts == {lan: "102"}
    r = api.request("PATCH", f"/v1/users/{lan}", token=admin, body={"status": "disabled"})
    assert r.status == 200, r.text
    etag4, exts = snap()
    assert etag4 != etag3 and exts == {}
    assert api.delete(f"/v1/users/{lan}", token=admin).status == 204


def _agent(api: Api, edge_token: str, tmp_path: Path) -> Agent:
    """An agent whose HTTP client talks to the chalice test app (the edge's token given)."""

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode()
        r = api.request(request.method, path, token=edge_token)
        return httpx.Response(r.status, content=r.raw, headers={"content-type": "application/json"})

    settings = AgentSettings(
        api_url="http://cp",
        credential_path=tmp_path / "edge.credential",
        snapshot_path=tmp_path / "edge" / "snapshot.json",
        spool=tmp_path / "spool",
        bucket="unused",
    )
    agent = Agent(settings)
    agent._http = httpx.Client(base_url="http://cp", transport=httpx.MockTransport(handler))
    return agent


def test_agent_writes_the_sqlite_file_and_forgets_tenants(api: Api, tmp_path: Path) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    other, other_admin = api.tenant("beta.probox.vn")
    api.extension(admin, "101")
    lan, _ = user(api, admin, "lan@acme.vn", extension="101")
    contact(api, admin, numbers=["0912000001"], owner=lan)
    contact(api, other_admin, numbers=["0912000002"], tags=["VIP"])
    edge = api.edge("edge-1", [tid, other])
    agent = _agent(api, edge, tmp_path)
    assert agent.sync_contact_routes() == 0  # no snapshot yet
    snapshot = api.get("/edge/v1/snapshot", token=edge)
    agent.settings.snapshot_path.parent.mkdir(parents=True)
    agent.settings.snapshot_path.write_bytes(snapshot.raw)
    assert agent.sync_contact_routes() == 2
    path = contact_routes.path_beside(agent.settings.snapshot_path)
    reader = contact_routes.ContactRoutes(path)
    assert reader.lookup(tid, "0912000001") == contact_routes.ContactRoute(lan, False)
    assert reader.lookup(other, "0912000002") == contact_routes.ContactRoute("", True)
    assert reader.lookup(tid, "0912000002") is None  # per tenant
    assert agent.routes.cursor(tid).startswith("r1.")
    # changes since the cursor
    c = contact(api, admin, numbers=["0912000003"], tags=["vip"])
    r = api.request("PATCH", f"/v1/contacts/{c['id']}", token=admin, body={"owner": lan})
    assert r.status == 200
    agent.sync_contact_routes()
    assert reader.lookup(tid, "0912000003") == contact_routes.ContactRoute(lan, True)
    # the edge stops serving a tenant: its rows go
    assert api.request("PATCH", "/v1/edges/edge-1", token=provider_token(), body={"tenants": [tid]}).status == 200
    agent.settings.snapshot_path.write_bytes(api.get("/edge/v1/snapshot", token=edge).raw)
    agent.sync_contact_routes()
    assert reader.lookup(other, "0912000002") is None
    assert reader.lookup(tid, "0912000001") == contact_routes.ContactRoute(lan, False)
    reader.close()
    agent.routes.close()


def test_agent_logs_a_refusal_and_goes_on(api: Api, tmp_path: Path) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    other, _ = api.tenant("beta.probox.vn")
    contact(api, admin, numbers=["0912000001"], tags=["vip"])
    edge = api.edge("edge-1", [tid, other])
    agent = _agent(api, edge, tmp_path)
    agent.settings.snapshot_path.parent.mkdir(parents=True)
    agent.settings.snapshot_path.write_bytes(api.get("/edge/v1/snapshot", token=edge).raw)
    assert api.request("PATCH", "/v1/edges/edge-1", token=provider_token(), body={"tenants": [tid]}).status == 200
    assert agent.sync_contact_routes() == 1  # the other tenant is refused (403) until the snapshot says so
    assert contact_routes.ContactRoutes(agent.routes.path).lookup(tid, "0912000001") == contact_routes.ContactRoute(
        "", True
    )
    agent.routes.close()


def test_backfill_writes_routes_of_older_contacts(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    from control_plane.contact_routes import backfill

    tid, admin = api.tenant("acme.probox.vn")
    lan, _ = user(api, admin, "lan@acme.vn")
    edge = api.edge("edge-1", [tid])
    contact(api, admin, numbers=["0912000001", "0912000002"], owner=lan)
    contact(api, admin, numbers=["0912000003"], tags=["Vip"])
    contact(api, admin, numbers=["0912000004"])
    expected = {"0912000001": (lan, False), "0912000002": (lan, False), "0912000003": ("", True)}
    # contacts made before routes existed: no route items; and a stray one
    store.delete_partition(keys.contact_route_pk(tid))
    store.batch_write_raw([{"PutRequest": {"Item": routes_store.route_raw(tid, "0999999999", ("", True))}}])
    _, cursor = whole(api, edge, tid)
    assert backfill.main([tid]) == 0
    assert '"changes": 4' in capsys.readouterr().out
    assert items(tid) == expected
    again = sync(api, edge, tid, cursor)
    assert again["full"] is True and routes(again) == expected  # the reset mark: the whole list
    assert routes_service.rebuild(tid) == {"routes": 3, "changes": 0}
