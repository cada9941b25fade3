"""Live calls: the edge's event ingest (idempotent per event id, only for tenants the edge
serves), the live state and its REST snapshot, the WebSocket's handlers (ticket auth, tenant
isolation, agents' own calls, resume by sequence number) and the push through the API
Gateway management API (a recording fake of it)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from control_plane.live import fanout, sockets
from control_plane.live import store as live_store
from pbx_core import events as ev
from pbx_core.cdr import iso

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws

T0 = datetime(2025, 11, 3, 8, 0, tzinfo=UTC)


def event(
    tenant_id: str,
    call_id: str,
    kind: str,
    n: int,
    *,
    caller: str = "101",
    callee: str = "102",
    edge_id: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """A call event as an edge builds it (pbx_core.events)."""
    quality = ev.Quality(packets_lost=3, jitter_ms=4.5, rtt_ms=40.0, mos=4.3, one_way_audio=False)
    legs = (
        ev.Leg("a", caller, callee, "internal", "", quality if kind != ev.RINGING else None),
        ev.Leg("b", caller, callee, "internal", ""),
    )
    fields: dict[str, Any] = {
        "answered_at": iso(T0 + timedelta(seconds=3)) if kind not in (ev.RINGING,) else None,
        "ended_at": iso(T0 + timedelta(seconds=60)) if kind in (ev.ENDED, ev.RECORDING_READY) else None,
        "disposition": "answered" if kind == ev.ENDED else "",
        "recording_key": f"tenants/{tenant_id}/recordings/x.opus" if kind == ev.RECORDING_READY else "",
    }
    fields.update(extra)
    e = ev.CallEvent(
        id=f"{call_id}-{n:04d}-{kind}",
        kind=kind,
        tenant_id=tenant_id,
        call_id=call_id,
        edge_id=edge_id,
        occurred_at=iso(T0 + timedelta(seconds=n)),
        started_at=iso(T0),
        legs=legs,
        **fields,
    )
    return e.to_dict()


def post(api: Api, edge: str, *events: dict[str, Any], health: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"events": list(events)}
    if health is not None:
        body["edge"] = health
    r = api.post("/edge/v1/events", token=edge, body=body)
    assert r.status == 200, r.text
    results: list[dict[str, Any]] = r.json["results"]
    return results


def make_edge(api: Api, edge_id: str, tenants: list[str] | None) -> str:
    r = api.post("/v1/edges", token=provider_token(), body={"id": edge_id, "tenants": tenants})
    assert r.status == 201, r.text
    token: str = r.json["token"]
    return token


def staff(api: Api, admin: str, role: str, extension: str = "") -> str:
    """A login token of a new user of the admin's tenant (agents need a login: their extension)."""
    email = f"{role}{extension}-{secrets.token_hex(4)}@acme.vn"
    body: dict[str, Any] = {"email": email, "name": role, "role": role, "password": "a-long-password-1"}
    if extension:
        body["extension"] = extension
    assert api.post("/v1/users", token=admin, body=body).status == 201
    r = api.post("/v1/auth/login", body={"email": email, "password": "a-long-password-1"})
    assert r.status == 200, r.text
    token: str = r.json["token"]
    return token


@dataclass
class Gateway:
    """The API Gateway management API as the handlers see it: what each connection got."""

    open: set[str] = field(default_factory=set)
    got: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    closed: list[str] = field(default_factory=list)
    posts: dict[str, int] = field(default_factory=dict)  # messages sent (several events may share one)

    def post_to_connection(self, ConnectionId: str, Data: bytes) -> None:
        if ConnectionId not in self.open:
            raise ClientError({"Error": {"Code": "GoneException", "Message": "gone"}}, "PostToConnection")
        doc = json.loads(Data)
        self.posts[ConnectionId] = self.posts.get(ConnectionId, 0) + 1
        self.got.setdefault(ConnectionId, []).extend(doc["items"] if doc["type"] == "events" else [doc])

    def delete_connection(self, ConnectionId: str) -> None:
        self.open.discard(ConnectionId)
        self.closed.append(ConnectionId)

    def events(self, cid: str) -> list[dict[str, Any]]:
        return [m for m in self.got.get(cid, []) if m["type"] == "event"]

    def calls(self, cid: str) -> list[str]:
        return [m["event"]["call_id"] for m in self.events(cid)]


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    gw = Gateway()
    monkeypatch.setattr(fanout, "client", lambda: gw)
    yield gw


def ws_event(connection_id: str, route: str, *, ticket: str | None = None, body: Any = None) -> dict[str, Any]:
    """The event API Gateway gives a WebSocket route's function."""
    doc: dict[str, Any] = {
        "requestContext": {
            "routeKey": route,
            "eventType": {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}.get(route, "MESSAGE"),
            "connectionId": connection_id,
            "domainName": "ws.test",
            "stage": "ws",
            "apiId": "test",
        },
        "isBase64Encoded": False,
    }
    if ticket is not None:
        doc["queryStringParameters"] = {"ticket": ticket}
    if body is not None:
        doc["body"] = json.dumps(body)
    return doc


def connect(api: Api, gw: Gateway, token: str, cid: str) -> None:
    r = api.post("/v1/live/tickets", token=token)
    assert r.status == 201, r.text
    assert r.headers["cache-control"] == "no-store"
    assert r.json["url"] == "/ws"
    assert sockets.connect(ws_event(cid, "$connect", ticket=r.json["ticket"])) == {"statusCode": 200}
    gw.open.add(cid)


# --- ingest -------------------------------------------------------------------------------
def test_events_build_the_live_state_and_are_idempotent(api: Api, gateway: Gateway) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = make_edge(api, "edge-1", [tid])
    ring = event(tid, "call-1", ev.RINGING, 1)
    [r1] = post(api, edge, ring)
    assert r1 == {"id": ring["id"], "status": "created", "seq": 1, "code": None}
    live = api.get("/v1/calls/live", token=admin).json
    assert live["seq"] == 1
    [call] = live["calls"]
    assert (call["call_id"], call["state"], call["edge_id"], call["seq"]) == ("call-1", "ringing", "edge-1", 1)
    assert call["legs"][0]["from"] == "101" and call["legs"][0]["to"] == "102"
    # the same event again (an edge retrying a batch) is stored once and numbered once
    [again] = post(api, edge, ring)
    assert again["status"] == "duplicate" and again["seq"] is None
    answered = event(tid, "call-1", ev.ANSWERED, 2)
    assert [r["status"] for r in post(api, edge, ring, answered)] == ["duplicate", "created"]
    [call] = api.get("/v1/calls/live", token=admin).json["calls"]
    assert call["state"] == "talking" and call["answered_at"] == iso(T0 + timedelta(seconds=3))
    assert call["legs"][0]["quality"] == {
        "packets_lost": 3, "jitter_ms": 4.5, "rtt_ms": 40.0, "mos": 4.3, "one_way_audio": False,
    }  # fmt: skip
    held = event(tid, "call-1", ev.HELD, 3, by="101")
    post(api, edge, held)
    assert api.get("/v1/calls/live", token=admin).json["calls"][0]["state"] == "held"
    ended = event(tid, "call-1", ev.ENDED, 4)
    post(api, edge, ended)
    live = api.get("/v1/calls/live", token=admin).json
    assert live["calls"] == [] and live["seq"] >= 4
    # a late, older event of the ended call does not bring it back
    late = event(tid, "call-1", ev.RESUMED, 5)
    late["id"] = "call-1-late-resumed"
    late_call = {**api.get("/v1/calls/live", token=admin).json, "call_id": "call-1"}
    old = live_store.NewEvent(2, late["id"], "call-1", "talking", late, late_call)
    stored = live_store.record_many(tid, [old], now=datetime.now(UTC).timestamp())
    assert stored == [live_store.Stored("created", 2)]  # in the log, but not the call's state
    assert api.get("/v1/calls/live", token=admin).json["calls"] == []
    # recording.ready after the end is an event, not a call
    [rec] = post(api, edge, event(tid, "call-1", ev.RECORDING_READY, 6))
    assert rec["status"] == "created"
    assert api.get("/v1/calls/live", token=admin).json["calls"] == []


def test_an_edge_posts_only_events_of_tenants_it_serves(api: Api, gateway: Gateway) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    b, admin_b = api.tenant("b.probox.vn")
    edge_a = make_edge(api, "edge-a", [a])
    mine = event(a, "call-a", ev.RINGING, 1)
    foreign = event(b, "call-b", ev.RINGING, 1)
    unknown = event("t_0000000000000000", "call-x", ev.RINGING, 1)
    other_edge = event(a, "call-a2", ev.RINGING, 1, edge_id="edge-b")
    results = post(api, edge_a, mine, foreign, unknown, other_edge)
    assert [(r["status"], r["code"]) for r in results] == [
        ("created", None),
        ("refused", "tenant_not_served"),
        ("refused", "tenant_not_served"),
        ("refused", "edge_mismatch"),
    ]
    b_live = api.get("/v1/calls/live", token=admin_b).json
    assert b_live["seq"] == 0 and b_live["calls"] == []
    assert [c["call_id"] for c in api.get("/v1/calls/live", token=admin_a).json["calls"]] == ["call-a"]
    assert live_store.events_after(b, 0, limit=10, now=0) == []
    # an edge serving every tenant may post for both
    edge_all = make_edge(api, "edge-all", None)
    assert [r["status"] for r in post(api, edge_all, foreign)] == ["created"]
    # tenant users, the provider and other edges' tokens cannot post events
    for token in (admin_a, provider_token()):
        assert api.post("/edge/v1/events", token=token, body={"events": [mine]}).status == 403


def test_a_malformed_batch_is_refused_whole(api: Api) -> None:
    tid, _ = api.tenant("acme.probox.vn")
    edge = make_edge(api, "edge-1", [tid])
    good = event(tid, "call-1", ev.RINGING, 1)
    bad = {**event(tid, "call-2", ev.ENDED, 2), "disposition": "exploded", "legs": []}
    r = api.post("/edge/v1/events", token=edge, body={"events": [good, bad]})
    assert r.status == 400, r.text
    assert set(r.json["error"]["fields"]) >= {"events.1.disposition", "events.1.legs"}
    too_many = {"events": [event(tid, f"c{n}", ev.RINGING, n) for n in range(ev.MAX_BATCH + 1)]}
    assert api.post("/edge/v1/events", token=edge, body=too_many).status == 400
    assert api.get("/v1/calls/live", token=_admin_of(api, tid)).json["seq"] == 0


def _admin_of(api: Api, tid: str) -> str:
    r = api.post(f"/v1/tenants/{tid}/admin-tokens", token=provider_token())
    token: str = r.json["token"]
    return token


def test_edge_health_is_recorded_for_the_provider(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = make_edge(api, "edge-1", [tid])
    health = {"calls_now": 7, "version": "1.4.2", "snapshot_version": 1234, "last_pull_at": iso(T0)}
    post(api, edge, health=health)  # a heartbeat: no events
    r = api.get("/v1/live/edges", token=provider_token())
    assert r.status == 200, r.text
    [item] = r.json["items"]
    assert item["edge_id"] == "edge-1" and item["calls_now"] == 7 and item["version"] == "1.4.2"
    assert item["snapshot_version"] == 1234 and item["last_pull_at"] == iso(T0)
    assert api.get("/v1/live/edges", token=admin).status == 403


def test_agents_see_only_calls_of_their_extension(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    for n in ("101", "102", "103", "104"):
        api.extension(admin, n)
    edge = make_edge(api, "edge-1", [tid])
    post(
        api,
        edge,
        event(tid, "call-12", ev.RINGING, 1, caller="101", callee="102"),
        event(tid, "call-34", ev.RINGING, 2, caller="103", callee="104"),
        event(tid, "call-out", ev.ANSWERED, 3, caller="104", callee="0901234567"),
        event(tid, "call-xfer", ev.TRANSFERRED, 4, caller="0281234567", callee="104", by="104", target="102"),
    )
    agent = staff(api, admin, "agent", "102")
    supervisor = staff(api, admin, "supervisor")
    mine = [c["call_id"] for c in api.get("/v1/calls/live", token=agent).json["calls"]]
    assert mine == ["call-12", "call-xfer"]
    every = [c["call_id"] for c in api.get("/v1/calls/live", token=supervisor).json["calls"]]
    assert sorted(every) == ["call-12", "call-34", "call-out", "call-xfer"]
    # an agent without an extension sees none (403, as for CDRs)
    assert api.get("/v1/calls/live", token=staff(api, admin, "agent")).status == 403


# --- the WebSocket ---------------------------------------------------------------------------
def test_connect_needs_a_fresh_one_time_ticket(api: Api, gateway: Gateway) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    assert sockets.connect(ws_event("c0", "$connect"))["statusCode"] == 401
    assert sockets.connect(ws_event("c0", "$connect", ticket="wst_" + "x" * 40))["statusCode"] == 401
    assert sockets.connect(ws_event("c0", "$connect", ticket=admin))["statusCode"] == 401  # a token is no ticket
    ticket = api.post("/v1/live/tickets", token=admin).json["ticket"]
    assert sockets.connect(ws_event("c1", "$connect", ticket=ticket)) == {"statusCode": 200}
    assert sockets.connect(ws_event("c2", "$connect", ticket=ticket))["statusCode"] == 401  # used
    assert api.post("/v1/live/tickets", token=provider_token()).status == 403  # tenant users only
    assert api.post("/v1/live/tickets").status == 401
    old = api.post("/v1/live/tickets", token=admin).json["ticket"]
    from control_plane.core import clock

    later = datetime.now(UTC) + timedelta(seconds=61)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(clock, "now", lambda: later)
        assert sockets.connect(ws_event("c3", "$connect", ticket=old))["statusCode"] == 401  # expired
    assert [c.connection_id for c in live_store.connections(tid)] == ["c1"]
    sockets.disconnect(ws_event("c1", "$disconnect"))
    assert live_store.connections(tid) == [] and live_store.connection_tenant("c1") is None


def test_events_reach_only_their_tenants_authorised_connections(api: Api, gateway: Gateway) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    b, admin_b = api.tenant("b.probox.vn")
    for n in ("101", "102", "103"):
        api.extension(admin_a, n)
    edge = make_edge(api, "edge-ab", [a, b])
    connect(api, gateway, admin_a, "admin-a")
    connect(api, gateway, staff(api, admin_a, "agent", "103"), "agent-a103")
    connect(api, gateway, admin_b, "admin-b")
    post(
        api,
        edge,
        event(a, "a-12", ev.RINGING, 1, caller="101", callee="102"),
        event(a, "a-13", ev.RINGING, 2, caller="101", callee="103"),
        event(b, "b-1", ev.RINGING, 1, caller="201", callee="202"),
    )
    assert gateway.calls("admin-a") == ["a-12", "a-13"]
    assert gateway.posts["admin-a"] == 1  # the two events of one post in one message
    assert gateway.calls("agent-a103") == ["a-13"]
    assert gateway.calls("admin-b") == ["b-1"]
    for m in gateway.events("admin-a"):
        assert m["event"]["tenant_id"] == a and m["call"]["call_id"] == m["event"]["call_id"]
    assert [m["seq"] for m in gateway.events("admin-a")] == [1, 2]
    assert gateway.events("admin-b")[0]["seq"] == 1  # each tenant numbers its own events
    # the end of a call: call null, so the browser removes it
    post(api, edge, event(a, "a-13", ev.ENDED, 3, caller="101", callee="103"))
    last = gateway.events("agent-a103")[-1]
    assert last["event"]["kind"] == "call.ended" and last["call"] is None
    assert gateway.calls("admin-b") == ["b-1"]
    # a connection the gateway no longer knows is forgotten at the next push
    gateway.open.discard("admin-b")
    post(api, edge, event(b, "b-2", ev.RINGING, 2, caller="201", callee="202"))
    assert [c.connection_id for c in live_store.connections(b)] == []


def test_resume_sends_what_was_missed_and_only_what_the_user_may_see(api: Api, gateway: Gateway) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    for n in ("101", "102", "103"):
        api.extension(admin, n)
    edge = make_edge(api, "edge-1", [tid])
    post(api, edge, *[event(tid, f"call-{n}", ev.RINGING, n, caller="101", callee="102") for n in range(1, 4)])
    agent = staff(api, admin, "agent", "103")
    connect(api, gateway, admin, "c-admin")
    connect(api, gateway, agent, "c-agent")
    snap = api.get("/v1/calls/live", token=admin).json
    assert snap["seq"] == 3 and len(snap["calls"]) == 3
    # events while the browser was away (disconnected), then a new connection resumes
    sockets.disconnect(ws_event("c-admin", "$disconnect"))
    gateway.open.discard("c-admin")
    post(
        api,
        edge,
        event(tid, "call-1", ev.ENDED, 10, caller="101", callee="102"),
        event(tid, "call-9", ev.RINGING, 11, caller="103", callee="101"),
    )
    connect(api, gateway, admin, "c-admin2")
    sockets.message(ws_event("c-admin2", "$default", body={"action": "resume", "after": snap["seq"]}))
    got = gateway.got["c-admin2"]
    seqs = [m["seq"] for m in got if m["type"] == "event"]
    assert seqs[-2:] == [4, 5] and all(s <= 5 for s in seqs)  # what it missed (and a few it has)
    assert got[-1] == {"type": "resumed", "seq": 5}
    # the agent's resume carries only its own calls
    sockets.message(ws_event("c-agent", "$default", body={"action": "resume", "after": 0}))
    assert {m["event"]["call_id"] for m in gateway.events("c-agent")} == {"call-9"}
    # a resume from before what is kept, or from the future, asks the browser for the snapshot
    sockets.message(ws_event("c-admin2", "$default", body={"action": "resume", "after": 99}))
    assert gateway.got["c-admin2"][-1]["type"] == "resync"
    sockets.message(ws_event("c-admin2", "$default", body={"action": "ping"}))
    assert gateway.got["c-admin2"][-1] == {"type": "pong", "seq": 5}
    sockets.message(ws_event("c-admin2", "$default", body={"action": "subscribe", "tenant_id": "t_x"}))
    assert gateway.got["c-admin2"][-1]["type"] == "error"


def test_a_connection_ends_with_its_login_session(api: Api, gateway: Gateway) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    supervisor = staff(api, admin, "supervisor")
    connect(api, gateway, supervisor, "c-sup")
    assert api.post("/v1/auth/logout", token=supervisor).status == 204
    sockets.message(ws_event("c-sup", "$default", body={"action": "ping"}))
    assert gateway.got["c-sup"][-1] == {"type": "error", "code": "session_ended"}
    assert "c-sup" in gateway.closed and live_store.connections(tid) == []


def test_a_full_batch_is_stored_and_pushed_in_one_message(api: Api, gateway: Gateway) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = make_edge(api, "edge-1", [tid])
    connect(api, gateway, admin, "c-admin")
    batch = []
    for n in range(ev.MAX_BATCH // 2):
        batch += [event(tid, f"bulk-{n:02d}", ev.RINGING, 2 * n), event(tid, f"bulk-{n:02d}", ev.ANSWERED, 2 * n + 1)]
    results = post(api, edge, *batch)
    assert [r["status"] for r in results] == ["created"] * ev.MAX_BATCH
    assert [r["seq"] for r in results] == list(range(1, ev.MAX_BATCH + 1))
    calls = api.get("/v1/calls/live", token=admin).json["calls"]
    assert len(calls) == ev.MAX_BATCH // 2 and {c["state"] for c in calls} == {"talking"}
    assert [m["seq"] for m in gateway.events("c-admin")] == list(range(1, ev.MAX_BATCH + 1))
    assert gateway.posts["c-admin"] <= 2  # grouped (at most 96 KB per message)
    # the same batch again: every event a duplicate, nothing pushed
    assert {r["status"] for r in post(api, edge, *batch)} == {"duplicate"}
    assert len(gateway.events("c-admin")) == ev.MAX_BATCH


def test_an_event_stored_half_way_is_completed_by_the_edges_retry(api: Api, gateway: Gateway) -> None:
    """The function stopped after taking the event's id: a retry 30 s later stores it."""
    from control_plane.core import clock

    tid, admin = api.tenant("acme.probox.vn")
    edge = make_edge(api, "edge-1", [tid])
    ring = event(tid, "call-1", ev.RINGING, 1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(live_store, "_write", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("killed")))
        assert api.post("/edge/v1/events", token=edge, body={"events": [ring]}).status == 500
    assert api.get("/v1/calls/live", token=admin).json["calls"] == []
    [soon] = post(api, edge, ring)  # another post still in flight, maybe: not yet
    assert soon["status"] == "duplicate"
    later = datetime.now(UTC) + timedelta(seconds=live_store.RECOVER_AFTER_S + 1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(clock, "now", lambda: later)
        [retry] = post(api, edge, ring)
    assert retry == {"id": ring["id"], "status": "created", "seq": 1, "code": None}  # its first number
    assert [c["call_id"] for c in api.get("/v1/calls/live", token=admin).json["calls"]] == ["call-1"]
    [again] = post(api, edge, ring)
    assert again["status"] == "duplicate"


def test_an_event_whose_calls_state_was_not_written_is_completed_by_a_retry(api: Api, gateway: Gateway) -> None:
    """The event items and the calls' states go in the same batch writes: a retry 30 s later
    completes an event stored without its call's state, under its first number; a complete
    one stays a duplicate, also later."""
    from control_plane.core import clock, keys, settings, store

    tid, admin = api.tenant("acme.probox.vn")
    edge = make_edge(api, "edge-1", [tid])
    ring, other = event(tid, "call-1", ev.RINGING, 1), event(tid, "call-2", ev.RINGING, 2)
    assert [r["seq"] for r in post(api, edge, ring, other)] == [1, 2]
    store.client().delete_item(
        TableName=settings.aws().table,
        Key={"pk": {"S": keys.live_pk(tid)}, "sk": {"S": live_store.CALL_PREFIX + "call-1"}},
    )
    assert [c["call_id"] for c in api.get("/v1/calls/live", token=admin).json["calls"]] == ["call-2"]
    assert [r["status"] for r in post(api, edge, ring, other)] == ["duplicate", "duplicate"]  # not yet
    later = datetime.now(UTC) + timedelta(seconds=live_store.RECOVER_AFTER_S + 1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(clock, "now", lambda: later)
        results = post(api, edge, ring, other)
    assert [(r["status"], r["seq"]) for r in results] == [("created", 1), ("duplicate", None)]
    assert [c["call_id"] for c in api.get("/v1/calls/live", token=admin).json["calls"]] == ["call-1", "call-2"]


def test_queue_events_reach_the_tenants_supervisors_and_admins_not_agents(api: Api, gateway: Gateway) -> None:
    """The wallboard's feed: a queue event stored from an edge is pushed at once as
    {"type": "queue", "events": [...]} to the tenant's admins and supervisors; its agents
    and another tenant's users get nothing, a repeat is not pushed again."""
    a, admin_a = api.tenant("cc-a.probox.vn", plan="CC-10")
    b, admin_b = api.tenant("cc-b.probox.vn", plan="CC-10")
    api.extension(admin_a, "101")
    body = {"name": "Sales", "number": "600", "members": [{"extension": "101"}]}
    q = api.post("/v1/queues", token=admin_a, body=body)
    assert q.status == 201, q.text
    qid = q.json["id"]
    edge = make_edge(api, "edge-q", [a, b])
    connect(api, gateway, admin_a, "admin-a")
    connect(api, gateway, staff(api, admin_a, "supervisor"), "sup-a")
    connect(api, gateway, staff(api, admin_a, "agent", "101"), "agent-a101")
    connect(api, gateway, admin_b, "admin-b")
    at = T0.timestamp()
    batch = [
        {"at": at, "tenant_id": a, "queue_id": qid, "kind": "enter", "call_id": "c1", "position": 1},
        {"at": at + 4, "tenant_id": a, "queue_id": qid, "kind": "answer", "call_id": "c1", "agent": "101", "wait_s": 4},
    ]
    r = api.post("/edge/v1/queue-events", token=edge, body={"events": batch})
    assert r.status == 200 and [x["status"] for x in r.json["results"]] == ["created", "created"], r.text
    for cid in ("admin-a", "sup-a"):
        got = gateway.got[cid]
        assert [m["type"] for m in got] == ["queue"] and gateway.posts[cid] == 1  # one message for the batch
        events = got[0]["events"]
        assert [(e["kind"], e["call_id"], e["queue_id"], e["tenant_id"]) for e in events] == [
            ("enter", "c1", qid, a),
            ("answer", "c1", qid, a),
        ]
        assert events[0]["at"] == at and events[0]["at_iso"] == "2025-11-03T08:00:00.000Z"
        assert events[1]["agent"] == "101" and events[1]["wait_s"] == 4
    assert "agent-a101" not in gateway.got and "admin-b" not in gateway.got
    # a repeat stores nothing and pushes nothing
    r = api.post("/edge/v1/queue-events", token=edge, body={"events": batch[:1]})
    assert r.json["results"][0]["status"] == "duplicate"
    assert gateway.posts["admin-a"] == 1 and gateway.posts["sup-a"] == 1
    # tenant B's event reaches tenant B's admin only
    r = api.post(
        "/edge/v1/queue-events",
        token=edge,
        body={"events": [{"at": at, "tenant_id": b, "queue_id": "", "kind": "login", "agent": "201"}]},
    )
    assert r.json["results"][0]["status"] == "created", r.text
    assert [e["tenant_id"] for m in gateway.got["admin-b"] for e in m["events"]] == [b]
    assert gateway.posts["admin-a"] == 1 and "agent-a101" not in gateway.got
    # an agent's status set through the API reaches the wallboards too (login, then pause)
    r = api.request("PUT", "/v1/agents/101/status", token=admin_a, body={"status": "paused", "reason": "lunch"})
    assert r.status == 200, r.text
    last = gateway.got["sup-a"][-1]
    assert last["type"] == "queue"
    assert [(e["kind"], e["agent"], e["reason"]) for e in last["events"]] == [
        ("login", "101", ""),
        ("pause", "101", "lunch"),
    ]
    assert "agent-a101" not in gateway.got and [m["type"] for m in gateway.got["admin-b"]] == ["queue"]


@dataclass
class DynamoCalls:
    """The DynamoDB requests made meanwhile (operation, parameters) and what the ingest's batch
    reads returned."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    read: list[dict[str, Any]] = field(default_factory=list)
    replies: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def of(self, operation: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == operation]


@pytest.fixture
def dynamo(monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoCalls]:
    from control_plane.core import store

    seen = DynamoCalls()
    client = store.client()

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        seen.calls.append((str(model.name), params))

    def reply(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        seen.replies.append((str(model.name), parsed))

    real = store.batch_get_raw

    def batch_get_raw(keys_: list[dict[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
        found = real(keys_, **kwargs)
        seen.read.extend(found)
        return found

    monkeypatch.setattr(live_store.store, "batch_get_raw", batch_get_raw)
    client.meta.events.register("before-parameter-build.dynamodb.*", record)
    client.meta.events.register("after-call.dynamodb.*", reply)
    try:
        yield seen
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb.*", record)
        client.meta.events.unregister("after-call.dynamodb.*", reply)


def test_the_batch_read_of_guards_and_calls_returns_their_numbers_not_the_calls(
    api: Api, gateway: Gateway, dynamo: DynamoCalls
) -> None:
    """The ingest reads the events' id guards and calls' states to decide what to store: their
    numbers are all it needs, not the calls (~1 KB each)."""
    tid, _ = api.tenant("acme.probox.vn")
    edge = make_edge(api, "edge-1", [tid])
    post(api, edge, *[event(tid, f"call-{n}", ev.RINGING, n) for n in range(30)])
    answered = [event(tid, f"call-{n}", ev.ANSWERED, 100 + n) for n in range(30)]
    assert {r["status"] for r in post(api, edge, *answered)} == {"created"}
    assert {r["status"] for r in post(api, edge, *answered)} == {"duplicate"}
    calls = [r for r in dynamo.read if r["sk"]["S"].startswith(live_store.CALL_PREFIX)]
    guards = [r for r in dynamo.read if r["pk"]["S"].endswith("#LIVEID")]
    assert len(calls) == 60 and len(guards) == 30
    assert all(set(r) <= {"pk", "sk", "seq", "at"} for r in dynamo.read), dynamo.read[:2]


def test_a_post_reads_the_edge_once_for_the_token_check_and_the_tenants_served(
    api: Api, gateway: Gateway, dynamo: DynamoCalls, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The authorizer, the view's token check and the tenants served read the edge's item
    once per post (three times before), and again once it was read RECENT_S ago."""
    from control_plane.core import keys
    from control_plane.edges import store as edges_store

    tid, _ = api.tenant("acme.probox.vn")
    edge = make_edge(api, "edge-1", [tid])
    now = [1000.0]
    monkeypatch.setattr(edges_store._recent, "clock", lambda: now[0])
    edge_key = {"pk": {"S": keys.edge("edge-1")[0]}, "sk": {"S": keys.edge("edge-1")[1]}}

    def edge_reads() -> int:
        return len([p for p in dynamo.of("GetItem") if p["Key"] == edge_key])

    dynamo.calls.clear()
    assert [r["status"] for r in post(api, edge, event(tid, "call-1", ev.RINGING, 1))] == ["created"]
    assert edge_reads() == 1, dynamo.calls
    now[0] += edges_store.RECENT_S - 0.1
    assert [r["status"] for r in post(api, edge, event(tid, "call-1", ev.ANSWERED, 2))] == ["created"]
    assert edge_reads() == 1
    now[0] += 0.1
    assert [r["status"] for r in post(api, edge, event(tid, "call-1", ev.ENDED, 3))] == ["created"]
    assert edge_reads() == 2


def test_an_edge_changed_by_another_process_is_refused_here_within_the_recent_bound(
    api: Api, gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edge's item is kept RECENT_S (2 s) per process: a tenant taken off its list or its
    tokens revoked by another process (another Lambda instance: here, the table changed
    directly) count here at most that much later; a change made through this process at once."""
    from control_plane.core import keys, settings, store
    from control_plane.edges import store as edges_store

    a, _ = api.tenant("a.probox.vn")
    b, _ = api.tenant("b.probox.vn")
    edge = make_edge(api, "edge-1", [a, b])
    now = [1000.0]
    monkeypatch.setattr(edges_store._recent, "clock", lambda: now[0])
    assert [r["status"] for r in post(api, edge, event(a, "call-1", ev.RINGING, 1))] == ["created"]
    pk, sk = keys.edge("edge-1")

    def elsewhere(expression: str, values: dict[str, Any]) -> None:
        store.client().update_item(
            TableName=settings.aws().table,
            Key={"pk": {"S": pk}, "sk": {"S": sk}},
            UpdateExpression=expression,
            ExpressionAttributeValues=values,
        )

    elsewhere("SET tenants = :t", {":t": {"L": [{"S": b}]}})  # tenant a taken off
    now[0] += edges_store.RECENT_S - 0.5
    assert [r["status"] for r in post(api, edge, event(a, "call-2", ev.RINGING, 2))] == ["created"]
    now[0] += 0.5
    [late] = post(api, edge, event(a, "call-3", ev.RINGING, 3))
    assert (late["status"], late["code"]) == ("refused", "tenant_not_served")
    elsewhere("SET token_gen = token_gen + :one", {":one": {"N": "1"}})  # every access token revoked
    body = {"events": [event(b, "call-4", ev.RINGING, 4)]}
    assert api.post("/edge/v1/events", token=edge, body=body).status == 200
    now[0] += edges_store.RECENT_S
    assert api.post("/edge/v1/events", token=edge, body=body).status == 401
    # through this process: at once, whatever the clock
    edge2 = make_edge(api, "edge-2", [a, b])
    assert [r["status"] for r in post(api, edge2, event(a, "call-5", ev.RINGING, 5))] == ["created"]
    r = api.request("PATCH", "/v1/edges/edge-2", token=provider_token(), body={"tenants": [b]})
    assert r.status == 200, r.text
    [refused] = post(api, edge2, event(a, "call-6", ev.RINGING, 6))
    assert (refused["status"], refused["code"]) == ("refused", "tenant_not_served")
    assert api.delete("/v1/edges/edge-2", token=provider_token()).status == 204
    assert api.post("/edge/v1/events", token=edge2, body={"events": []}).status == 401


def test_a_post_logs_one_line_per_tenant_with_each_events_number_call_and_kind(
    api: Api, gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    a, _ = api.tenant("a.probox.vn")
    b, _ = api.tenant("b.probox.vn")
    edge = make_edge(api, "edge-1", [a, b])
    batch = [event(a, "call-1", ev.RINGING, 1), event(b, "call-9", ev.RINGING, 1), event(a, "call-2", ev.RINGING, 2)]
    with caplog.at_level(logging.INFO):
        post(api, edge, *batch)
        post(api, edge, batch[0])  # a repeat: nothing stored, no line
    lines = [r for r in caplog.records if r.getMessage() in ("event stored", "events stored")]
    assert [(r.getMessage(), r.__dict__["tenant_id"], r.__dict__["events"]) for r in lines] == [
        ("events stored", a, [[1, "call-1", ev.RINGING], [2, "call-2", ev.RINGING]]),
        ("events stored", b, [[1, "call-9", ev.RINGING]]),
    ]


def test_a_posts_tenant_check_reads_the_tenants_key_only(api: Api, gateway: Gateway, dynamo: DynamoCalls) -> None:
    """Each post checks that each tenant of its events exists: the tenant's item has some
    twenty attributes, the check needs none of them."""
    from control_plane.core import keys

    tid, _ = api.tenant("acme.probox.vn")
    edge = make_edge(api, "edge-1", [tid])
    dynamo.calls.clear()
    dynamo.replies.clear()
    post(api, edge, event(tid, "call-1", ev.RINGING, 1))
    gets = zip(dynamo.of("GetItem"), [r for op, r in dynamo.replies if op == "GetItem"], strict=True)
    tenant_reads = [reply["Item"] for params, reply in gets if params["Key"]["pk"] == {"S": keys.tenant_pk(tid)}]
    assert tenant_reads and all(set(item) == {"pk"} for item in tenant_reads), tenant_reads
    [refused] = post(api, edge, event("t_0000000000000000", "call-2", ev.RINGING, 2))
    assert (refused["status"], refused["code"]) == ("refused", "tenant_not_served")
