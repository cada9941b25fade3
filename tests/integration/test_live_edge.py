"""Issue 15, the edge side, on the real stack (moto, chalice local, the live WebSocket server,
the edge agent, Kamailio, a pjsua2 worker) with two real baresip phones: a call shows in
GET /v1/calls/live within about a second of its answer and leaves it within about a second of
its hang-up, and the tenant's events (read back over the live WebSocket, as a browser does)
come in the order the call lived them, with its parties, the CDR's disposition, each leg's
RTCP quality and the recording once uploaded. Nothing here posts an event itself: the worker
writes them, the agent posts them."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from infra.local_stack import Stack, Tenant
from tests.integration.checks import live_events, wait_cdr
from tests.integration.conftest import new_phone
from tests.integration.phones import Phone

pytestmark = pytest.mark.integration

# The budget of the issue is 1 s from the answer to the browser (p95, bench/live.py measures
# it); a busy 2-core test machine gets some slack, the figures are printed.
LIVE_WITHIN_S = 1.5


@pytest.fixture(scope="module")
def live_tenant(stack: Stack) -> Tenant:
    t = stack.create_tenant("Live Edge Co", "live-edge.probox.test", ["101", "102"])
    stack.wait_tenant_on_edge(t)
    return t


def _live(stack: Stack, tenant: Tenant) -> dict[str, Any]:
    with stack.api(tenant.admin_token) as api:
        r = api.get("/v1/calls/live")
    assert r.status_code == 200, r.text
    doc: dict[str, Any] = r.json()
    return doc


def _live_calls(stack: Stack, tenant: Tenant) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = _live(stack, tenant)["calls"]
    return calls


def _until(pred: Any, timeout: float, step: float = 0.05) -> float:
    """Seconds until ``pred()`` is true (AssertionError after ``timeout``)."""
    t0 = time.monotonic()
    while True:
        if pred():
            return time.monotonic() - t0
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"not within {timeout}s")
        time.sleep(step)


def test_a_real_call_is_live_while_up_and_its_events_come_in_order(
    stack: Stack, live_tenant: Tenant, phones: list[Phone], tmp_path: Path
) -> None:
    t = live_tenant
    a = new_phone(phones, tmp_path, stack, t, "101", 440.0)
    b = new_phone(phones, tmp_path, stack, t, "102", 1000.0)
    assert a.wait_registered()["type"] == "REGISTER_OK"
    assert b.wait_registered()["type"] == "REGISTER_OK"
    before = _live(stack, t)
    assert before["calls"] == []

    m = a.dial(f"sip:102@{t.domain}")
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    answered_at = est["_t"]  # the caller's phone saw the 200 (time.monotonic)
    call_id = est["id"]

    def up() -> bool:
        return any(c["call_id"] == call_id and c["state"] == "talking" for c in _live_calls(stack, t))

    _until(up, timeout=10)
    shown_s = time.monotonic() - answered_at  # an upper bound: includes this poll's round trip
    [call] = [c for c in _live_calls(stack, t) if c["call_id"] == call_id]
    assert call["edge_id"] == stack.cfg.edge_id and call["answered_at"] and call["last_event"] == "call.answered"
    assert {(leg["from"], leg["to"]) for leg in call["legs"]} == {("101", "102")}
    assert not call["one_way_audio"]

    time.sleep(3.0)  # talk, so that RTCP reports (every ~5 s) may come and audio flows both ways
    h = a.hangup()
    closed = a.wait_event("CALL_CLOSED", timeout=10, since=h)
    b.wait_event("CALL_CLOSED", timeout=10)
    _until(lambda: all(c["call_id"] != call_id for c in _live_calls(stack, t)), timeout=10)
    gone_s = time.monotonic() - closed["_t"]
    print(f"live: shown {shown_s * 1000:.0f} ms after the answer, gone {gone_s * 1000:.0f} ms after the hang-up")
    assert shown_s < LIVE_WITHIN_S, f"the call showed {shown_s:.2f}s after its answer"
    assert gone_s < LIVE_WITHIN_S, f"the call left the live view {gone_s:.2f}s after its hang-up"

    events = live_events(stack, t, call_id, after=before["seq"], until_kind="recording.ready")
    kinds = [e["kind"] for e in events]
    assert kinds == ["call.ringing", "call.answered", "call.ended", "recording.ready"], kinds
    for e in events:
        assert e["tenant_id"] == t.id and e["call_id"] == call_id and e["edge_id"] == stack.cfg.edge_id
        assert {(leg["from"], leg["to"]) for leg in e["legs"]} == {("101", "102")}, e["legs"]
        assert e["legs"][0]["direction"] == "internal"
    ringing, answered, ended, ready = events
    assert ringing["answered_at"] is None and answered["answered_at"]
    assert ringing["occurred_at"] <= answered["occurred_at"] <= ended["occurred_at"]

    cdr = wait_cdr(stack, t, call_id)
    assert ended["disposition"] == cdr["disposition"] == "answered"
    assert ended["hangup_cause"] == cdr["hangup_cause"] == "normal_clearing"
    assert ended["started_at"] == cdr["started_at"] and ended["answered_at"] == cdr["answered_at"]
    assert ended["ended_at"] == cdr["ended_at"]
    # B3 from RTCP: both legs measured, audio both ways, no loss on loopback.
    for leg in ended["legs"]:
        q = leg["quality"]
        assert q is not None, ended["legs"]
        assert q["packets_lost"] == 0 and not q["one_way_audio"] and q["mos"] and q["mos"] > 4.0, q
    assert ready["recording_key"] == cdr["recording_key"] and ready["recording_format"] == cdr["recording_format"]
    assert ready["recording_bytes"] == cdr["recording_bytes"] > 0
    print("ended legs' quality:", [leg["quality"] for leg in ended["legs"]])


def test_hold_and_resume_are_live_events_by_the_party_that_held(
    stack: Stack, live_tenant: Tenant, phones: list[Phone], tmp_path: Path
) -> None:
    t = live_tenant
    a = new_phone(phones, tmp_path, stack, t, "101", 440.0)
    b = new_phone(phones, tmp_path, stack, t, "102", 1000.0)
    assert a.wait_registered()["type"] == "REGISTER_OK"
    assert b.wait_registered()["type"] == "REGISTER_OK"
    before = _live(stack, t)
    m = a.dial(f"sip:102@{t.domain}")
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    call_id = est["id"]
    b.wait_event("CALL_ESTABLISHED", timeout=10)
    time.sleep(1.0)
    a.command("hold")

    def state() -> str:
        return next((c["state"] for c in _live_calls(stack, t) if c["call_id"] == call_id), "")

    _until(lambda: state() == "held", timeout=5)
    a.command("resume")
    _until(lambda: state() == "talking", timeout=5)
    h = a.hangup()
    a.wait_event("CALL_CLOSED", timeout=10, since=h)
    events = live_events(stack, t, call_id, after=before["seq"], until_kind="call.ended")
    kinds = [e["kind"] for e in events if e["kind"] != "recording.ready"]  # it may come too, last
    assert kinds == ["call.ringing", "call.answered", "call.held", "call.resumed", "call.ended"], kinds
    assert [e["kind"] for e in events][: len(kinds)] == kinds
    assert events[2]["by"] == "101" and events[3]["by"] == "101"
