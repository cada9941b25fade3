"""Call-center queue strategies (issue 16) with real calls: the local stack (moto, chalice
local, the edge agent, Kamailio, a pjsua2 worker) and baresip phones as callers and agents.
test_queue_calls.py proves ``linear``; here the other strategies the engine offers:

* ``ringall``: three agents' phones ring at once; the first to answer takes the caller, the
  others stop ringing without ever being connected; the log has three offers, one answer.
* ``round_robin``: three callers in a row go to 102, 103, 104 in turn (``linear`` would
  give 102 every time).
* ``longest_idle``: agents who logged in 104, then 103, then 102 are offered in that order
  (the reverse of the members' order), each call making its agent the most recently idle.
* ``fewest_calls``: the agent with the fewest answered calls since login goes first (ties:
  idle longest), so an agent busy with other calls is passed over where ``longest_idle``
  would come back to it.
* ``random``: each caller rings one free agent, not always the same one (the worker's engine
  is seeded, so the draw is the same on every run).
* A carrier's caller (SIPp through an IP-authenticated trunk) dialling a DID routed to a
  queue's number waits in that queue and reaches its agent.
* Agent free -> next offer: an agent ends a queue call while a second caller waits; the
  time from its hang-up to its phone ringing again is printed (docs/call-center.md).

Timings are not asserted tightly (a loaded 2-core CI machine): who rang, in which order.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local_stack import Stack, Tenant
from infra.procs import free_port
from tests.harness.sipp import start_sipp
from tests.integration.checks import assert_tone, wait_cdr
from tests.integration.conftest import new_phone
from tests.integration.phones import Phone, read_channels
from tests.integration.test_queue_calls import _queue_events

pytestmark = pytest.mark.integration

CALLER_HZ = 440.0
AGENT_HZ = {"102": 1000.0, "103": 700.0, "104": 850.0}
AGENTS = ("102", "103", "104")
RING_S = 8  # nobody lets an offer time out here: long enough for a loaded machine
HOLD_S = 1.2
QUEUES = {
    "ringall": "610", "round_robin": "620", "longest_idle": "630", "linear": "640", "fewest_calls": "650",
    "random": "660",
}  # fmt: skip


@pytest.fixture(scope="module")
def cc(stack: Stack) -> Iterator[tuple[Tenant, dict[str, str]]]:
    # the carrier is a SIPp on loopback: only the provider may allow a trunk there (issue 13)
    numbers = ["101", "105", *AGENTS]
    t = stack.create_tenant(
        "Queue Strategies Co", "qstrat.probox.test", numbers, plan="CC-10", allow_private_trunk_hosts=True
    )
    for ext in AGENTS:
        stack.create_user(t, f"agent{ext}@{t.domain}", "agent", extension=ext)
    ids: dict[str, str] = {}
    with stack.api(t.admin_token) as api:
        for strategy, number in QUEUES.items():
            members = ["102"] if strategy == "linear" else list(AGENTS)
            r = api.post(
                "/v1/queues",
                json={
                    "name": f"Q {strategy}", "number": number, "strategy": strategy,
                    "members": [{"extension": e} for e in members],
                    "ring_timeout_s": RING_S, "retry_s": 0, "wrapup_s": 0, "autopause_after": 0,
                    "announce_every_s": 0, "max_wait_s": 60, "language": "en",
                },
            )  # fmt: skip
            assert r.status_code == 201, r.text
            ids[strategy] = str(r.json()["id"])
    _statuses(stack, t, dict.fromkeys(AGENTS, "ready"))
    yield t, ids


def _statuses(stack: Stack, t: Tenant, want: dict[str, str]) -> None:
    """Set the agents' statuses and wait until the edge's snapshot has them (the worker
    reloads it at its next queue tick, 0.25 s, well within wait_snapshot's 1.2 s)."""
    with stack.api(t.admin_token) as api:
        for ext, status in want.items():
            r = api.put(f"/v1/agents/{ext}/status", json={"status": status, "reason": ""})
            assert r.status_code == 200, r.text

    def ok(d: dict[str, Any]) -> bool:
        tenant = next((x for x in d["tenants"] if x["id"] == t.id), None)
        agents = {a["extension"]: a["status"] for a in (tenant or {}).get("agents", [])}
        return bool(tenant and tenant.get("queues")) and all(agents.get(e) == s for e, s in want.items())

    stack.wait_snapshot(ok)


def _agents(stack: Stack, t: Tenant, phones: list[Phone], tmp_path: Path, answermode: str = "auto") -> dict[str, Phone]:
    got = {e: new_phone(phones, tmp_path, stack, t, e, AGENT_HZ[e], answermode=answermode) for e in AGENTS}
    for p in got.values():
        assert p.wait_registered()["type"] == "REGISTER_OK"
    return got


def _caller(stack: Stack, t: Tenant, phones: list[Phone], tmp_path: Path, number: str = "101") -> Phone:
    p = new_phone(phones, tmp_path, stack, t, number, CALLER_HZ)
    assert p.wait_registered()["type"] == "REGISTER_OK"
    return p


def _rang(p: Phone, since: int) -> list[dict[str, Any]]:
    """A call reached the phone (an auto-answering baresip reports CALL_ESTABLISHED only)."""
    return [e for e in p.events[since:] if e.get("type") in ("CALL_INCOMING", "CALL_ESTABLISHED")]


def _one_call(stack: Stack, t: Tenant, number: str, caller: Phone, agents: dict[str, Phone]) -> tuple[str, str]:
    """The caller dials the queue; the one agent phone that rings (auto answer) talks with it
    for HOLD_S, then the caller hangs up. (the caller's call id, the agent who rang)."""
    marks = {e: p.mark() for e, p in agents.items()}
    m = caller.dial(f"sip:{number}@{t.domain}")
    est = caller.wait_event("CALL_ESTABLISHED", timeout=10, since=m)  # the queue answers at once
    deadline = time.monotonic() + 15
    rang: list[str] = []
    while not rang and time.monotonic() < deadline:
        rang = [e for e, p in agents.items() if _rang(p, marks[e])]
        time.sleep(0.05)
    assert len(rang) == 1, f"agents rung: {rang}"
    agent = agents[rang[0]]
    agent.wait_event("CALL_ESTABLISHED", timeout=10, since=marks[rang[0]])
    time.sleep(HOLD_S)
    h = caller.hangup()
    caller.wait_event("CALL_CLOSED", timeout=10, since=h)
    agent.wait_event("CALL_CLOSED", timeout=10, since=marks[rang[0]])
    time.sleep(0.3)  # the worker ends the queue call (COMPLETE) once both legs are gone
    others = [e for e, p in agents.items() if e != rang[0] and _rang(p, marks[e])]
    assert not others, f"{others} rang as well"
    return str(est["id"]), rang[0]


def test_ringall_rings_every_agent_and_the_first_to_answer_takes_the_caller(
    stack: Stack, cc: tuple[Tenant, dict[str, str]], phones: list[Phone], tmp_path: Path
) -> None:
    t, ids = cc
    agents = _agents(stack, t, phones, tmp_path, answermode="manual")
    caller = _caller(stack, t, phones, tmp_path)

    marks = {e: p.mark() for e, p in agents.items()}
    m = caller.dial(f"sip:{QUEUES['ringall']}@{t.domain}")
    est = caller.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    rings = {e: p.wait_event("CALL_INCOMING", timeout=10, since=marks[e]) for e, p in agents.items()}
    for e, r in rings.items():
        assert r["peeruri"].startswith("sip:101@"), (e, r)
    spread = max(r["_t"] for r in rings.values()) - min(r["_t"] for r in rings.values())
    assert spread < 3.0, f"the three phones rang {spread:.2f} s apart"  # at once, not in turn
    time.sleep(1.0)  # all three ringing
    agents["103"].command("accept")
    agents["103"].wait_event("CALL_ESTABLISHED", timeout=10, since=marks["103"])
    for e in ("102", "104"):  # their ringing stops; they never get the call
        agents[e].wait_event("CALL_CLOSED", timeout=10, since=marks[e])
        assert not [x for x in agents[e].events[marks[e] :] if x.get("type") == "CALL_ESTABLISHED"], e
    time.sleep(2.0)
    h = caller.hangup()
    caller.wait_event("CALL_CLOSED", timeout=10, since=h)
    agents["103"].wait_event("CALL_CLOSED", timeout=10, since=marks["103"])
    (heard,), rate = read_channels(caller.heard())
    assert_tone(heard[-rate:], rate, AGENT_HZ["103"], CALLER_HZ, "the caller heard agent 103")

    evs = _queue_events(stack, t, ids["ringall"], est["id"], "complete")
    kinds = [(e["kind"], e["agent"]) for e in evs]
    assert kinds[0] == ("enter", "") and kinds[-2:] == [("answer", "103"), ("complete", "103")], kinds
    assert sorted(kinds[1:-2]) == [("offer", "102"), ("offer", "103"), ("offer", "104")], kinds


def test_round_robin_offers_successive_callers_to_each_agent_in_turn(
    stack: Stack, cc: tuple[Tenant, dict[str, str]], phones: list[Phone], tmp_path: Path
) -> None:
    t, ids = cc
    agents = _agents(stack, t, phones, tmp_path)
    caller = _caller(stack, t, phones, tmp_path)
    got = [_one_call(stack, t, QUEUES["round_robin"], caller, agents) for _ in range(3)]
    assert [agent for _, agent in got] == ["102", "103", "104"], got
    for call_id, agent in got:
        evs = _queue_events(stack, t, ids["round_robin"], call_id, "complete")
        kinds = [(e["kind"], e["agent"]) for e in evs]
        assert kinds == [("enter", ""), ("offer", agent), ("answer", agent), ("complete", agent)], kinds


@pytest.mark.slow  # ~17-19 s of real calls; longest_idle is also in the engine's unit tests: make bench runs it
def test_longest_idle_offers_the_agent_idle_longest_first(
    stack: Stack, cc: tuple[Tenant, dict[str, str]], phones: list[Phone], tmp_path: Path
) -> None:
    t, ids = cc
    agents = _agents(stack, t, phones, tmp_path)
    caller = _caller(stack, t, phones, tmp_path)
    # Idle since their login: 104 first, then 103, then 102 (each seen by the worker
    # before the next, wait_snapshot's 1.2 s apart).
    _statuses(stack, t, dict.fromkeys(AGENTS, "logged_out"))
    try:
        for ext in ("104", "103", "102"):
            _statuses(stack, t, {ext: "ready"})
        got = [_one_call(stack, t, QUEUES["longest_idle"], caller, agents) for _ in range(3)]
        # each call makes its agent the most recently idle: the next goes to the one after
        assert [agent for _, agent in got] == ["104", "103", "102"], got
        evs = _queue_events(stack, t, ids["longest_idle"], got[0][0], "complete")
        assert [(e["kind"], e["agent"]) for e in evs][1] == ("offer", "104"), evs
    finally:
        _statuses(stack, t, dict.fromkeys(AGENTS, "ready"))


@pytest.mark.slow  # ~17-19 s of real calls; fewest_calls is also in the engine's unit tests: make bench runs it
def test_fewest_calls_offers_the_agent_with_the_fewest_answered_calls(
    stack: Stack, cc: tuple[Tenant, dict[str, str]], phones: list[Phone], tmp_path: Path
) -> None:
    """Logged in 102, 103, 104 (in that order); 102 then answers two calls of another queue
    (linear, 102 only). The fewest_calls queue then offers 103 (0 calls, idle longer than
    104), 104 (0), 103 (1 call, idle longer than 104): never 102 (2 calls), whom
    longest_idle would have offered the third caller."""
    t, ids = cc
    agents = _agents(stack, t, phones, tmp_path)
    caller = _caller(stack, t, phones, tmp_path)
    _statuses(stack, t, dict.fromkeys(AGENTS, "logged_out"))
    try:
        for ext in AGENTS:
            _statuses(stack, t, {ext: "ready"})
        busy = [_one_call(stack, t, QUEUES["linear"], caller, agents) for _ in range(2)]
        assert [agent for _, agent in busy] == ["102", "102"], busy
        got = [_one_call(stack, t, QUEUES["fewest_calls"], caller, agents) for _ in range(3)]
        assert [agent for _, agent in got] == ["103", "104", "103"], got
        evs = _queue_events(stack, t, ids["fewest_calls"], got[2][0], "complete")
        assert [(e["kind"], e["agent"]) for e in evs][1] == ("offer", "103"), evs
    finally:
        _statuses(stack, t, dict.fromkeys(AGENTS, "ready"))


DID, OUTSIDE = "02873006161", "0901234567"


def test_random_offers_each_caller_to_one_free_agent_not_always_the_same(
    stack: Stack, cc: tuple[Tenant, dict[str, str]], phones: list[Phone], tmp_path: Path
) -> None:
    t, ids = cc
    agents = _agents(stack, t, phones, tmp_path)
    caller = _caller(stack, t, phones, tmp_path)
    got = [_one_call(stack, t, QUEUES["random"], caller, agents) for _ in range(6)]
    served = [agent for _, agent in got]
    assert len(set(served)) >= 2, served  # one agent rang each time (_one_call), not one agent always
    for call_id, agent in got[:2]:
        evs = _queue_events(stack, t, ids["random"], call_id, "complete")
        assert [(e["kind"], e["agent"]) for e in evs] == [
            ("enter", ""), ("offer", agent), ("answer", agent), ("complete", agent),
        ], evs  # fmt: skip


def test_a_carrier_caller_on_a_did_routed_to_the_queue_reaches_its_agent(
    stack: Stack, cc: tuple[Tenant, dict[str, str]], phones: list[Phone], tmp_path: Path
) -> None:
    """The carrier (SIPp, IP-authenticated trunk on 127.0.0.1) delivers a call to a DID whose
    route_to is the linear queue's number: the queue answers it at once, rings 102, 102
    answers; the queue log has enter, offer, answer, complete for that call and its CDR is
    an inbound call on the trunk and the DID, answered by 102, through the queue."""
    t, ids = cc
    with stack.api() as provider:
        provider.post(f"/v1/tenants/{t.id}/numbers", json={"numbers": [DID]}).raise_for_status()
    with stack.api(t.admin_token) as api:
        body = {"name": "Carrier", "host": "127.0.0.1", "port": free_port("udp"), "auth": "ip", "ips": ["127.0.0.1"]}
        r = api.post("/v1/trunks", json=body)
        assert r.status_code == 201, r.text
        trunk_id = r.json()["id"]
        r = api.post("/v1/numbers", json={"number": DID, "trunk_id": trunk_id, "route_to": QUEUES["linear"]})
        assert r.status_code == 201, r.text
        before = {e["call_id"] for e in api.get(f"/v1/queues/{ids['linear']}/events").json()["items"]}
    stack.wait_snapshot(
        lambda d: any(x["id"] == t.id and x.get("trunks") and x.get("numbers") for x in d.get("tenants", []))
    )
    a2 = new_phone(phones, tmp_path, stack, t, "102", AGENT_HZ["102"], answermode="manual")
    assert a2.wait_registered()["type"] == "REGISTER_OK"
    m = a2.mark()
    sipp = start_sipp(
        "carrier_uac.xml", (stack.cfg.host, stack.cfg.sip_port), tmp_path,
        rows=[[DID, OUTSIDE]], params={"HOLD_MS": 6000}, timeout_s=40,
    )  # fmt: skip
    try:
        ring = a2.wait_event("CALL_INCOMING", timeout=15, since=m)
        assert OUTSIDE[1:] in ring["peeruri"], ring  # the outside caller's number, in whatever form
        a2.command("accept")
        a2.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        a2.wait_event("CALL_CLOSED", timeout=20, since=m)  # the carrier's BYE after its 6 s
        result = sipp.result(wait=20)
    finally:
        sipp.stop()
    assert result.ok, result.describe()

    deadline = time.monotonic() + 20
    new: list[str] = []
    while not new and time.monotonic() < deadline:
        with stack.api(t.admin_token) as api:
            items = api.get(f"/v1/queues/{ids['linear']}/events").json()["items"]
        new = sorted({e["call_id"] for e in items if e["call_id"] and e["call_id"] not in before})
        time.sleep(0.3)
    assert len(new) == 1, new
    evs = _queue_events(stack, t, ids["linear"], new[0], "complete")
    assert [(e["kind"], e["agent"]) for e in evs] == [
        ("enter", ""), ("offer", "102"), ("answer", "102"), ("complete", "102"),
    ], evs  # fmt: skip
    cdr = wait_cdr(stack, t, new[0], timeout=20)
    assert (cdr["direction"], cdr["callee"], cdr["disposition"], cdr["did"]) == ("inbound", "102", "answered", DID), cdr
    assert cdr["trunk_id"] == trunk_id and f"queue:{ids['linear']}" in cdr["chain"], cdr


def _wrapup(stack: Stack, t: Tenant, qid: str, seconds: int) -> None:
    with stack.api(t.admin_token) as api:
        r = api.patch(f"/v1/queues/{qid}", json={"wrapup_s": seconds})
        assert r.status_code == 200, r.text

    def ok(d: dict[str, Any]) -> bool:
        tenant = next((x for x in d["tenants"] if x["id"] == t.id), None)
        return any(q["id"] == qid and q.get("wrapup_s", 0) == seconds for q in (tenant or {}).get("queues", []))

    stack.wait_snapshot(ok)


WRAPS = (0, 0, 0, 2, 2)  # the queue's wrap-up in each round of the test below


@pytest.mark.slow  # a measurement (five rounds, ~20 s; its figures are in docs/call-center.md): make bench runs it
def test_agent_free_to_next_offer_end_to_end(
    stack: Stack, cc: tuple[Tenant, dict[str, str]], phones: list[Phone], tmp_path: Path
) -> None:
    """Agent 102 (the one member of a linear queue) talks with a caller while another
    waits; 102 hangs up: the time from its hang-up to its phone's next CALL_INCOMING (the
    waiting caller's offer), minus the queue's wrap-up, is what the worker, Kamailio and
    the phones add to the engine's decision (agent free -> offer < 50 ms). Split with the
    queue log's times: the hang-up -> the worker's COMPLETE (BYEs both ways, the call
    finalised) -> the next OFFER (the engine; after the wrap-up, whose end the worker's
    queue tick sees) -> the phone rings (INVITE through Kamailio). Three rounds without a
    wrap-up, two with 2 s; printed, bounded loosely."""
    t, ids = cc
    a2 = new_phone(phones, tmp_path, stack, t, "102", AGENT_HZ["102"], answermode="manual")
    c1 = _caller(stack, t, phones, tmp_path, "101")
    c2 = _caller(stack, t, phones, tmp_path, "105")
    assert a2.wait_registered()["type"] == "REGISTER_OK"
    off = time.time() - time.monotonic()  # the phones' event times -> the log's unix times
    number = QUEUES["linear"]
    rounds: list[tuple[int, str, str, float, float, float]] = []  # (wrap-up, ended call, next, hang-up, closed, ring)
    first, second = c1, c2
    m = a2.mark()
    mf = first.dial(f"sip:{number}@{t.domain}")
    cur = str(first.wait_event("CALL_ESTABLISHED", timeout=10, since=mf)["id"])
    a2.wait_event("CALL_INCOMING", timeout=10, since=m)
    a2.command("accept")
    a2.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    for wrap in WRAPS:
        if wrap != (rounds[-1][0] if rounds else 0):
            _wrapup(stack, t, ids["linear"], wrap)
        ms = second.dial(f"sip:{number}@{t.domain}")
        nxt = str(second.wait_event("CALL_ESTABLISHED", timeout=10, since=ms)["id"])  # waits with music
        time.sleep(HOLD_S)
        m = a2.mark()
        pressed = time.monotonic()
        a2.hangup()
        closed = a2.wait_event("CALL_CLOSED", timeout=10, since=m)
        ring = a2.wait_event("CALL_INCOMING", timeout=10, since=m)
        assert ring["peeruri"].startswith(f"sip:{second.user}@"), ring
        a2.command("accept")
        a2.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        first.wait_event("CALL_CLOSED", timeout=10, since=mf)
        rounds.append((wrap, cur, nxt, pressed + off, closed["_t"] + off, ring["_t"] + off))
        first, second, mf, cur = second, first, ms, nxt
    time.sleep(HOLD_S)
    m = a2.mark()
    h = first.hangup()
    first.wait_event("CALL_CLOSED", timeout=10, since=h)
    a2.wait_event("CALL_CLOSED", timeout=10, since=m)
    _wrapup(stack, t, ids["linear"], 0)

    split = []
    for wrap, ended, offered, pressed_at, hung_up, rang in rounds:
        complete = _queue_events(stack, t, ids["linear"], ended, "complete")[-1]
        offer = next(e for e in _queue_events(stack, t, ids["linear"], offered, "offer") if e["kind"] == "offer")
        split.append(
            (wrap, round((rang - hung_up - wrap) * 1000, 1), round((rang - pressed_at - wrap) * 1000, 1),
             round((complete["at"] - pressed_at) * 1000, 1), round((offer["at"] - complete["at"] - wrap) * 1000, 2),
             round((rang - offer["at"]) * 1000, 1))
        )  # fmt: skip
    total = [x[2] for x in split]
    print(
        "\nagent free -> next offer rings its phone, ms per round, minus the wrap-up: (wrap-up s, "
        "CALL_CLOSED->CALL_INCOMING, hang-up command->CALL_INCOMING, command->COMPLETE, COMPLETE->OFFER, "
        f"OFFER->CALL_INCOMING) {split}; median hang-up->CALL_INCOMING {statistics.median(total)} ms"
    )
    assert all(-100 < x < 3000 for x in total), split
