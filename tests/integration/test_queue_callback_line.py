"""B4 with real phones (issue 16's test list): "a scripted line of 5 callers, one asking for a
callback, is served in arrival order". Five baresip phones call the queue one after the other
while its only agent is paused; the third presses 1, hears the thank-you and its call ends.
The agent becomes ready and takes the calls one by one: the callback comes in its place,
third (the agent's phone first, then the caller's), never ahead of the two who came before it
nor behind the two who came after.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from infra.local_stack import Stack
from tests.integration.conftest import new_phone
from tests.integration.phones import Phone
from tests.integration.test_queue_calls import _queue_events

pytestmark = pytest.mark.integration

CALLERS = ("101", "102", "103", "104", "105")
AGENT = "106"
ASKS_CALLBACK = "103"


def test_a_line_of_five_with_one_callback_is_served_in_arrival_order(
    stack: Stack, phones: list[Phone], tmp_path: Path
) -> None:
    t = stack.create_tenant("Line Co", "line.probox.test", [*CALLERS, AGENT], plan="CC-10")
    stack.create_user(t, f"agent{AGENT}@{t.domain}", "agent", extension=AGENT)
    with stack.api(t.admin_token) as api:
        r = api.post(
            "/v1/queues",
            json={
                "name": "Hàng", "number": "610", "strategy": "linear", "members": [{"extension": AGENT}],
                "ring_timeout_s": 10, "retry_s": 0, "wrapup_s": 0, "autopause_after": 0, "announce_every_s": 0,
                "max_wait_s": 600, "language": "vi",
            },
        )  # fmt: skip
        assert r.status_code == 201, r.text
        qid = r.json()["id"]
        r = api.put(f"/v1/agents/{AGENT}/status", json={"status": "paused", "reason": "test"})
        assert r.status_code == 200, r.text
    stack.wait_snapshot(
        lambda d: any(
            x["id"] == t.id and x.get("queues") and any(a["status"] == "paused" for a in x.get("agents", []))
            for x in d["tenants"]
        )
    )
    agent = new_phone(phones, tmp_path, stack, t, AGENT, 700.0)
    callers = {n: new_phone(phones, tmp_path, stack, t, n, 440.0) for n in CALLERS}
    for p in (agent, *callers.values()):
        assert p.wait_registered()["type"] == "REGISTER_OK"
    calls: dict[str, str] = {}
    for n, p in callers.items():  # one after the other: the line's order
        m = p.dial(f"sip:610@{t.domain}")
        calls[n] = p.wait_event("CALL_ESTABLISHED", timeout=10, since=m)["id"]
        time.sleep(0.7)
    time.sleep(1.0)
    p = callers[ASKS_CALLBACK]
    p.command("sndcode", "1")
    p.wait_event("CALL_CLOSED", timeout=15)  # after the thank-you
    back = p.mark()  # the callback comes as a new call to it
    assert not [e for e in agent.events if e.get("type") == "CALL_INCOMING"], "offered while paused"

    with stack.api(t.admin_token) as api:
        api.put(f"/v1/agents/{AGENT}/status", json={"status": "ready"}).raise_for_status()
    served: list[str] = []
    for _ in CALLERS:
        m = agent.mark()
        ring = agent.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=20, since=m)
        who = ring["peeruri"].split("sip:", 1)[-1].split("@", 1)[0]
        served.append(who)
        agent.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        if who == ASKS_CALLBACK:  # the worker calls the customer back once the agent answered
            callers[who].wait_event("CALL_ESTABLISHED", timeout=15, since=back)
        time.sleep(1.0)
        h = agent.hangup()
        agent.wait_event("CALL_CLOSED", timeout=10, since=h)
    assert served == list(CALLERS), f"served in the order {served}"

    # the callback's own log: its place kept, dialled to the agent, answered by the customer
    kinds = [e["kind"] for e in _queue_events(stack, t, qid, calls[ASKS_CALLBACK], "complete")]
    assert kinds == ["enter", "callback_request", "callback_dial", "answer", "complete"], kinds
    with stack.api(t.admin_token) as api:
        api.put(f"/v1/agents/{AGENT}/status", json={"status": "logged_out"})
