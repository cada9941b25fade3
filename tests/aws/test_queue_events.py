"""The queue event log (issue 16): edges post batches of up to 200 events (a result per
event, idempotent, only for the tenants they serve); supervisors read a tenant's or one
queue's events by time, cursor-paged."""

from __future__ import annotations

import time
from typing import Any

import pytest

from .conftest import Api

pytestmark = pytest.mark.aws

T0 = 1_764_547_200.0  # 2025-12-01T00:00:00Z


def ev(tenant_id: str, kind: str, at: float, **extra: Any) -> dict[str, Any]:
    return {"at": at, "tenant_id": tenant_id, "kind": kind, **extra}


def caller(tenant_id: str, queue_id: str, kind: str, at: float, call_id: str, **extra: Any) -> dict[str, Any]:
    return ev(tenant_id, kind, at, queue_id=queue_id, call_id=call_id, **extra)


def post(api: Api, edge: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    r = api.post("/edge/v1/queue-events", token=edge, body={"events": events})
    assert r.status == 200, r.text
    results: list[dict[str, Any]] = r.json["results"]
    assert [x["index"] for x in results] == list(range(len(events)))
    return results


def cc(api: Api) -> tuple[str, str, str]:
    """(tenant, admin, queue id)."""
    tid, admin = api.tenant("cc.probox.vn", plan="CC-10")
    api.extension(admin, "101")
    q = api.post("/v1/queues", token=admin, body={"name": "Sales", "number": "600", "members": [{"extension": "101"}]})
    assert q.status == 201, q.text
    return tid, admin, q.json["id"]


def test_batch_is_stored_once_and_read_by_time(api: Api) -> None:
    tid, admin, qid = cc(api)
    edge = api.edge("edge-1", [tid])
    batch = [
        caller(tid, qid, "enter", T0 + 10, "c1", position=1),
        caller(tid, qid, "offer", T0 + 11, "c1", agent="101"),
        caller(tid, qid, "answer", T0 + 15, "c1", agent="101", wait_s=5.0),
        caller(tid, "que_0123456789ab", "enter", T0 + 20, "c2", position=1),  # another (deleted) queue
        ev(tid, "pause", T0 + 30, agent="101", reason="autopause"),
        caller(tid, qid, "complete", T0 + 75.5, "c1", agent="101", talk_s=60.5),
    ]
    results = post(api, edge, batch)
    assert [x["status"] for x in results] == ["created"] * 6
    again = post(api, edge, [batch[2], batch[0], batch[0]])
    assert [x["status"] for x in again] == ["duplicate"] * 3
    assert again[0]["key"] == results[2]["key"]
    items = api.get("/v1/queue-events", token=admin).json["items"]
    assert [e["kind"] for e in items] == ["enter", "offer", "answer", "enter", "pause", "complete"]
    assert items[0]["at_iso"] == "2025-12-01T00:00:10.000Z" and items[5]["talk_s"] == 60.5
    one = api.get(f"/v1/queues/{qid}/events", token=admin).json
    assert [e["kind"] for e in one["items"]] == ["enter", "offer", "answer", "complete"] and one["next"] is None
    # from (inclusive) / to (exclusive), any offset; no offset = the tenant's local time (+07:00)
    r = api.get("/v1/queue-events?from=2025-12-01T00:00:11Z&to=2025-12-01T07:00:20%2B07:00", token=admin)
    assert [e["kind"] for e in r.json["items"]] == ["offer", "answer"]
    r = api.get(f"/v1/queues/{qid}/events?from=2025-12-01T07:00:12", token=admin)
    assert [e["kind"] for e in r.json["items"]] == ["answer", "complete"]
    assert api.get("/v1/queue-events?from=yesterday", token=admin).status == 400
    bad = api.get("/v1/queue-events?from=2025-12-02T00:00:00Z&to=2025-12-01T00:00:00Z", token=admin)
    assert bad.status == 400 and "to" in bad.json["error"]["fields"]


def test_pages_follow_the_cursor(api: Api) -> None:
    tid, admin, qid = cc(api)
    edge = api.edge("edge-1", [tid])
    post(api, edge, [caller(tid, qid, "enter", T0 + i, f"c{i}", position=1) for i in range(7)])
    seen: list[str] = []
    path = f"/v1/queues/{qid}/events?limit=3"
    cursor = None
    while True:
        r = api.get(path + (f"&cursor={cursor}" if cursor else ""), token=admin)
        assert r.status == 200, r.text
        seen += [e["call_id"] for e in r.json["items"]]
        cursor = r.json["next"]
        if not cursor:
            break
    assert seen == [f"c{i}" for i in range(7)]
    first = api.get("/v1/queue-events?limit=2", token=admin).json["next"]
    # a cursor of the tenant's log is not one of a queue's
    assert api.get(f"/v1/queues/{qid}/events?cursor={first}", token=admin).status == 400


def test_bad_events_fail_alone(api: Api) -> None:
    tid, _, qid = cc(api)
    edge = api.edge("edge-1", [tid])
    batch: list[Any] = [
        caller(tid, qid, "enter", T0, "c1"),
        {"at": T0, "tenant_id": tid, "kind": "dance"},
        caller(tid, qid, "answer", T0, ""),  # a caller event without its call
        ev(tid, "login", -5, agent="101"),
        ev(tid, "login", T0, agent="101; DROP"),
        ev(tid, "login", T0 * 1000, agent="101"),  # milliseconds
        "not an object",
        ev("t_0000000000000000", "login", T0, agent="101"),  # no such tenant
    ]
    results = post(api, edge, batch)
    assert [x["status"] for x in results] == ["created"] + ["error"] * 7
    assert [x["code"] for x in results[1:]] == ["validation_failed"] * 6 + ["not_found"]
    for size in (0, 201):
        r = api.post("/edge/v1/queue-events", token=edge, body={"events": [batch[0]] * size})
        assert r.status == 400, r.text
    assert api.post("/edge/v1/queue-events", token=edge, body={"events": "x"}).status == 400


def test_roles(api: Api) -> None:
    tid, admin, qid = cc(api)
    agent = api.post("/v1/api-keys", token=admin, body={"name": "agent"}).json["key"]
    sup = api.post("/v1/api-keys", token=admin, body={"name": "sup", "role": "supervisor"}).json["key"]
    assert api.get("/v1/queue-events", token=agent).status == 403
    assert api.get(f"/v1/queues/{qid}/events", token=agent).status == 403
    assert api.get("/v1/queue-events", token=sup).status == 200
    assert api.get(f"/v1/queues/{qid}/events", token=sup).status == 200
    assert api.get("/v1/queues/que_0123456789ab/events", token=sup).status == 404
    r = api.post("/edge/v1/queue-events", token=admin, body={"events": [ev(tid, "login", T0, agent="101")]})
    assert r.status == 403


def test_offboarding_purges_the_log(api: Api) -> None:
    from control_plane.core import keys, store
    from control_plane.queue_events import store as qev_store

    tid, _, qid = cc(api)
    edge = api.edge("edge-1", [tid])
    post(api, edge, [caller(tid, qid, "enter", T0, "c1"), ev(tid, "login", T0, agent="101")])
    assert qev_store.purge(tid) == 3  # two in the tenant's log, one in the queue's
    assert not list(store.query_raw(keys.queue_event_pk(tid)))
    assert not list(store.query_raw(keys.queue_events_of_pk(tid, qid)))


def test_an_agent_status_set_at_the_edge_becomes_the_stored_one(api: Api) -> None:
    """*71-*74 on the phone (or the queue's autopause) reach the control plane as queue events:
    the newest per extension becomes the agent's status (and the edges' snapshot), an older
    one does not undo a newer status, and no second event is written."""
    tid, admin, _qid = cc(api)
    edge = api.edge("edge-1", [tid])
    before = api.get("/edge/v1/snapshot", token=edge).json["version"]
    now = time.time()
    post(
        api, edge, [ev(tid, "login", now - 5, agent="101"), ev(tid, "pause", now - 4, agent="101", reason="autopause")]
    )
    listed = {a["extension"]: a for a in api.get("/v1/agents", token=admin).json["items"]}
    assert (listed["101"]["status"], listed["101"]["reason"]) == ("paused", "autopause")
    snap = api.get("/edge/v1/snapshot", token=edge).json
    assert snap["version"] > before
    [t] = [t for t in snap["tenants"] if t["id"] == tid]
    assert {a["extension"]: a["status"] for a in t["agents"]}["101"] == "paused"
    # An event older than the stored status changes nothing.
    post(api, edge, [ev(tid, "logout", now - 60, agent="101")])
    listed = {a["extension"]: a for a in api.get("/v1/agents", token=admin).json["items"]}
    assert listed["101"]["status"] == "paused"
    kinds = [e["kind"] for e in api.get("/v1/queue-events", token=admin).json["items"]]
    assert kinds.count("pause") == 1 and kinds.count("login") == 1  # the edge's own, once


def test_stats_are_the_figures_of_the_log(api: Api) -> None:
    """GET /v1/queues/stats: pbx_core.queue_stats over the tenant's events of the period."""
    from datetime import UTC, datetime, timedelta

    tid, admin, qid = cc(api)
    edge = api.edge("edge-1", [tid])
    post(
        api,
        edge,
        [
            ev(tid, "login", T0, agent="101"),
            caller(tid, qid, "enter", T0 + 10, "c1", position=1),
            caller(tid, qid, "offer", T0 + 11, "c1", agent="101"),
            caller(tid, qid, "answer", T0 + 15, "c1", agent="101", wait_s=5.0),
            caller(tid, qid, "complete", T0 + 75, "c1", agent="101", talk_s=60.0),
            caller(tid, qid, "enter", T0 + 20, "c2", position=1),
            caller(tid, qid, "abandon", T0 + 50, "c2", wait_s=30.0),
            caller(tid, qid, "enter", T0 + 100, "c3", position=1),  # still waiting at "to"
        ],
    )
    r = api.get("/v1/queues/stats?from=2025-12-01T00:00:00Z&to=2025-12-01T00:02:00Z", token=admin)
    assert r.status == 200, r.text
    body = r.json
    assert (body["start"], body["end"], body["events"], body["truncated"]) == (
        "2025-12-01T00:00:00.000Z", "2025-12-01T00:02:00.000Z", 8, False,
    )  # fmt: skip
    (q,) = body["queues"]
    assert (q["queue_id"], q["name"], q["number"]) == (qid, "Sales", "600")
    assert (q["entered"], q["answered"], q["abandoned"], q["waiting"]) == (3, 1, 1, 1)
    assert q["service_level"] == 1.0 and q["asa_s"] == 5.0 and q["avg_talk_s"] == 60.0
    assert q["longest_wait_s"] == 20.0  # c3 entered at T0 + 100, "now" is the period's end
    assert q["abandon_rate"] == pytest.approx(1 / 3)
    (a,) = body["agents"]
    # no wrapup_end yet: still in wrap-up after its call
    assert (a["extension"], a["state"], a["answered"], a["talk_s"]) == ("101", "wrapup", 1, 60.0)
    # a period without events: the queue with zeros, rates None
    empty = api.get("/v1/queues/stats?from=2025-11-01T00:00:00Z&to=2025-11-02T00:00:00Z", token=admin).json
    assert empty["queues"][0]["entered"] == 0 and empty["queues"][0]["service_level"] is None
    # an agent paused before the period (and not since) is paused in it
    r = api.request("PUT", "/v1/agents/101/status", token=admin, body={"status": "paused", "reason": "họp"})
    assert r.status == 200
    later = datetime.now(UTC) + timedelta(minutes=1)
    period = f"from={later:%Y-%m-%dT%H:%M:%S}Z&to={later + timedelta(minutes=1):%Y-%m-%dT%H:%M:%S}Z"
    agents = api.get(f"/v1/queues/stats?{period}", token=admin).json["agents"]
    assert [(x["extension"], x["state"]) for x in agents] == [("101", "paused")]
    # today by default; roles
    assert api.get("/v1/queues/stats", token=admin).status == 200
    agent_key = api.post("/v1/api-keys", token=admin, body={"name": "agent"}).json["key"]
    assert api.get("/v1/queues/stats", token=agent_key).status == 403
    assert api.get("/v1/queues/stats?from=nope", token=admin).status == 400


def test_a_caller_waiting_since_before_the_period_is_seen_waiting_but_not_counted_in(api: Api) -> None:
    """Figures of today shortly after midnight: a caller who entered at 23:59 and still waits
    is waiting now (the events before the period set the scene), but not one of today's
    callers in; one answered after midnight counts as answered, with its whole wait."""
    tid, admin, qid = cc(api)
    edge = api.edge("edge-1", [tid])
    midnight = T0 + 86_400  # 2025-12-02T00:00:00Z
    post(
        api,
        edge,
        [
            ev(tid, "login", midnight - 600, agent="101"),
            caller(tid, qid, "enter", midnight - 60, "late1", position=1),
            caller(tid, qid, "enter", midnight - 30, "late2", position=2),
            caller(tid, qid, "offer", midnight + 5, "late1", agent="101"),
            caller(tid, qid, "answer", midnight + 8, "late1", agent="101", wait_s=68.0),
            caller(tid, qid, "enter", midnight + 20, "today1", position=2),
        ],
    )
    r = api.get("/v1/queues/stats?from=2025-12-02T00:00:00Z&to=2025-12-02T00:01:00Z", token=admin)
    assert r.status == 200, r.text
    (q,) = r.json["queues"]
    assert (q["waiting"], q["entered"], q["answered"], q["asa_s"]) == (2, 1, 1, 68.0), q
    assert q["longest_wait_s"] == 90.0  # late2, since 23:59:30, at the period's end
    (a,) = r.json["agents"]
    assert (a["state"], a["answered"]) == ("queue_call", 1)
