"""Call-center queues (issue 16) on the real stack: moto, chalice local, the edge agent,
Kamailio and a pjsua2 worker, with baresip phones as the caller and the agents.

* A caller dials the queue's number: the worker answers it and it hears the music while the
  queue rings its agents in the strategy's order (linear: 102 first). 102 does not answer
  within the ring timeout, so 103 rings and answers; caller and agent hear each other, the
  CDR names 103 as the callee, and the queue log (posted by the edge agent, read through
  the API) holds enter, offer 102, noanswer 102, offer 103, answer 103, complete, in order,
  with the wait the caller really had.
* A caller nobody can take (every agent paused) hears its place in line spoken, then hangs
  up: the log has its abandon with position 1 and the seconds it waited.
"""

from __future__ import annotations

import base64
import io
import math
import struct
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from edge_node.music import NOTES
from infra.local_stack import Stack, Tenant
from tests.integration.checks import assert_tone, recording_channels, wait_cdr
from tests.integration.conftest import new_phone
from tests.integration.phones import Phone, active_seconds, read_channels, tone_power
from tests.integration.test_music_on_hold import windows

pytestmark = pytest.mark.integration

CALLER_HZ, AGENT2_HZ, AGENT3_HZ = 440.0, 1000.0, 700.0
RING_S = 5


@pytest.fixture(scope="module")
def cc(stack: Stack) -> Iterator[tuple[Tenant, str]]:
    t = stack.create_tenant("Queue Co", "queue.probox.test", ["101", "102", "103"], plan="CC-10")
    for ext in ("102", "103"):
        stack.create_user(t, f"agent{ext}@{t.domain}", "agent", extension=ext)
    with stack.api(t.admin_token) as api:
        r = api.post(
            "/v1/queues",
            json={
                "name": "Bán hàng", "number": "600", "strategy": "linear",
                "members": [{"extension": "102"}, {"extension": "103"}],
                "ring_timeout_s": RING_S, "retry_s": 0, "wrapup_s": 0, "autopause_after": 0,
                "announce_every_s": 0, "max_wait_s": 120, "language": "vi",
            },
        )  # fmt: skip
        assert r.status_code == 201, r.text
        qid = str(r.json()["id"])
    _statuses(stack, t, "ready")
    yield t, qid


def _statuses(stack: Stack, t: Tenant, status: str) -> None:
    with stack.api(t.admin_token) as api:
        for ext in ("102", "103"):
            r = api.put(
                f"/v1/agents/{ext}/status", json={"status": status, "reason": "test" if status == "paused" else ""}
            )
            assert r.status_code == 200, r.text

    def ok(d: dict[str, Any]) -> bool:
        tenant = next((x for x in d["tenants"] if x["id"] == t.id), None)
        agents = {a["extension"]: a["status"] for a in (tenant or {}).get("agents", [])}
        return bool(tenant and tenant.get("queues")) and agents.get("102") == agents.get("103") == status

    stack.wait_snapshot(ok)


def _caller_and_agent(stack: Stack, t: Tenant, phones: list[Phone], tmp_path: Path) -> tuple[Phone, Phone]:
    """101 (the caller) and 102 (an agent, answering at once), both registered."""
    caller = new_phone(phones, tmp_path, stack, t, "101", CALLER_HZ)
    a2 = new_phone(phones, tmp_path, stack, t, "102", AGENT2_HZ)
    assert caller.wait_registered()["type"] == "REGISTER_OK"
    assert a2.wait_registered()["type"] == "REGISTER_OK"
    return caller, a2


def _queue_events(
    stack: Stack, t: Tenant, qid: str, call_id: str, last: str, timeout: float = 20
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    got: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        with stack.api(t.admin_token) as api:
            r = api.get(f"/v1/queues/{qid}/events")
        assert r.status_code == 200, r.text
        got = [e for e in r.json()["items"] if e["call_id"] == call_id]
        if any(e["kind"] == last for e in got):
            return got
        time.sleep(0.5)
    raise AssertionError(f"no {last} event for {call_id}: {got}")


def test_linear_queue_rings_agents_in_order_and_connects_with_music_while_waiting(
    stack: Stack, cc: tuple[Tenant, str], phones: list[Phone], tmp_path: Path
) -> None:
    t, qid = cc
    caller = new_phone(phones, tmp_path, stack, t, "101", CALLER_HZ)
    a2 = new_phone(phones, tmp_path, stack, t, "102", AGENT2_HZ, answermode="manual")
    a3 = new_phone(phones, tmp_path, stack, t, "103", AGENT3_HZ)
    for p in (caller, a2, a3):
        assert p.wait_registered()["type"] == "REGISTER_OK"

    m = caller.dial(f"sip:600@{t.domain}")
    est = caller.wait_event("CALL_ESTABLISHED", timeout=10, since=m)  # the queue answers at once
    ring2 = a2.wait_event("CALL_INCOMING", timeout=10)
    assert ring2["peeruri"].startswith("sip:101@"), ring2
    # 102 lets it ring: after the ring timeout the queue moves on to 103 (auto answer).
    ring3 = a3.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=RING_S + 10)
    a3.wait_event("CALL_ESTABLISHED", timeout=10)
    a2.wait_event("CALL_CLOSED", timeout=10)
    gap = ring3["_t"] - ring2["_t"]
    assert RING_S - 0.5 <= gap <= RING_S + 3, f"103 rang {gap:.2f} s after 102"
    time.sleep(4.5)
    h = caller.hangup()
    caller.wait_event("CALL_CLOSED", timeout=10, since=h)
    a3.wait_event("CALL_CLOSED", timeout=10)

    # The caller heard music while it waited, then 103's voice; 103 heard the caller.
    (heard,), rate = read_channels(caller.heard())
    seen = windows(heard, rate, (CALLER_HZ, AGENT3_HZ))
    trace = "".join({"music": "M", "-": "-", "?": "?", "700": "C"}.get(w, "x") for w in seen)
    music = [i for i, w in enumerate(seen) if w == "music"]
    # the wait before 103's voice: music, and nothing else but concealed late packets ("?":
    # neither music nor a phone's tone; a loaded machine puts a few in, seen 5 of 19)
    waited = trace[music[0] : trace.index("C")] if "C" in trace and music else ""
    assert len(waited) >= 4 * (RING_S - 1), f"{len(waited) / 4:.2f} s of waiting in {trace}"
    assert set(waited) <= {"M", "?", "-"} and waited.count("M") >= 0.6 * len(waited), trace
    assert "C" in trace[music[-1] :] and "C" not in trace[: music[0]], trace
    assert "1000" not in seen, f"the caller heard 102, who never answered: {trace}"
    # 3 s tails (12 windows): a late packet or two on a loaded machine does not decide it
    assert_tone(heard[-3 * rate :], rate, AGENT3_HZ, CALLER_HZ, "the caller heard agent 103")
    (heard3,), rate3 = read_channels(a3.heard())
    assert_tone(heard3[-3 * rate3 :], rate3, CALLER_HZ, AGENT3_HZ, "agent 103 heard the caller")
    assert tone_power(heard3[-2 * rate3 :], rate3, 523.25) < 0.05, "the agent heard the music"

    cdr = wait_cdr(stack, t, est["id"], timeout=20)
    assert (cdr["callee"], cdr["disposition"]) == ("103", "answered"), cdr

    evs = _queue_events(stack, t, qid, est["id"], "complete")
    kinds = [(e["kind"], e["agent"]) for e in evs]
    assert kinds == [
        ("enter", ""), ("offer", "102"), ("noanswer", "102"), ("offer", "103"), ("answer", "103"), ("complete", "103"),
    ], kinds  # fmt: skip
    answer = next(e for e in evs if e["kind"] == "answer")
    assert RING_S - 0.5 <= answer["wait_s"] <= RING_S + 4, answer
    complete = next(e for e in evs if e["kind"] == "complete")
    assert 3.5 <= complete["talk_s"] <= 7.5, complete


def test_an_agent_transfers_a_queue_call_on_and_the_log_says_transfer(
    stack: Stack, cc: tuple[Tenant, str], phones: list[Phone], tmp_path: Path
) -> None:
    """102 takes the queue call, then sends the caller on to 103 (blind transfer): the caller
    talks with 103; the queue log ends with TRANSFER by 102 to 103 (no COMPLETE: the call went
    on outside the queue) and 102 is free for the next caller."""
    t, qid = cc
    caller, a2 = _caller_and_agent(stack, t, phones, tmp_path)
    a3 = new_phone(phones, tmp_path, stack, t, "103", AGENT3_HZ)
    assert a3.wait_registered()["type"] == "REGISTER_OK"
    m = caller.dial(f"sip:600@{t.domain}")
    est = caller.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    a2.wait_event("CALL_ESTABLISHED", timeout=15)  # linear: 102 first, auto answer
    time.sleep(2.0)
    a2.command("transfer", f"sip:103@{t.domain}")
    a3.wait_event("CALL_ESTABLISHED", timeout=15)
    a2.wait_event("CALL_CLOSED", timeout=10)
    time.sleep(3.0)
    h = caller.hangup()
    caller.wait_event("CALL_CLOSED", timeout=10, since=h)
    a3.wait_event("CALL_CLOSED", timeout=10)
    (heard,), rate = read_channels(caller.heard())
    assert_tone(heard[-2 * rate :], rate, AGENT3_HZ, CALLER_HZ, "the caller heard 103 after the transfer")

    evs = _queue_events(stack, t, qid, est["id"], "transfer")
    kinds = [(e["kind"], e["agent"]) for e in evs]
    assert kinds == [("enter", ""), ("offer", "102"), ("answer", "102"), ("transfer", "102")], kinds
    transfer = evs[-1]
    assert transfer["reason"] == "103" and 1.0 <= transfer["talk_s"] <= 6.0, transfer
    time.sleep(1.5)  # the call's end after the transfer adds nothing to the queue's log
    with stack.api(t.admin_token) as api:
        r = api.get(f"/v1/queues/{qid}/events")
    assert not [e for e in r.json()["items"] if e["call_id"] == est["id"] and e["kind"] == "complete"]
    cdr = wait_cdr(stack, t, est["id"], timeout=20)
    assert "transfer:103" in cdr["chain"], cdr


def test_a_caller_nobody_takes_leaves_a_message_after_the_tone(
    stack: Stack, cc: tuple[Tenant, str], phones: list[Phone], tmp_path: Path
) -> None:
    """A queue whose overflow is ``message``: after max_wait_s the caller hears the prompt and
    the beep, then speaks (its phone's tone) and hangs up. The CDR is an unanswered call with
    the recording; its caller's channel holds what was said after the beep, the other is
    silent."""
    t, _ = cc
    message_s = 4.0
    with stack.api(t.admin_token) as api:
        r = api.post(
            "/v1/queues",
            json={
                "name": "Hộp thư", "number": "601", "strategy": "linear", "members": [{"extension": "102"}],
                "max_wait_s": 3, "overflow": "message", "announce_every_s": 0, "language": "vi",
            },
        )  # fmt: skip
        assert r.status_code == 201, r.text
        qid = r.json()["id"]
    try:
        _statuses(stack, t, "paused")
        stack.wait_snapshot(
            lambda d: any(q["number"] == "601" for x in d["tenants"] if x["id"] == t.id for q in x.get("queues", []))
        )
        with wave.open(str(stack.cfg.prompts / "vi" / "leave_message.wav")) as w:
            prompt_s = w.getnframes() / w.getframerate() + 0.5  # and the beep
        caller = new_phone(phones, tmp_path, stack, t, "101", CALLER_HZ)
        assert caller.wait_registered()["type"] == "REGISTER_OK"
        m = caller.dial(f"sip:601@{t.domain}")
        est = caller.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        time.sleep(3 + prompt_s + message_s)
        h = caller.hangup()
        caller.wait_event("CALL_CLOSED", timeout=10, since=h)
    finally:
        _statuses(stack, t, "ready")
        with stack.api(t.admin_token) as api:
            api.delete(f"/v1/queues/{qid}")
    (heard,), rate = read_channels(caller.heard())
    beeps = [
        i
        for i in range(0, len(heard) - rate // 4, rate // 4)
        if tone_power(heard[i : i + rate // 4], rate, 1400.0) > 0.5
    ]
    assert beeps, "the caller never heard the beep"

    cdr = wait_cdr(stack, t, est["id"], timeout=20)
    assert (cdr["disposition"], cdr["duration_s"]) == ("no_answer", 0), cdr
    assert "queue_overflow:message" in cdr["chain"] and "queue_message" in cdr["chain"], cdr
    assert cdr["recording_key"], cdr
    left, right, rate = recording_channels(stack, cdr["recording_key"], tmp_path)
    spoken = active_seconds(left, rate)
    assert message_s - 1.5 <= spoken <= message_s + 1.5, f"{spoken:.1f} s of message recorded"
    # the caller's voice, and nothing the worker played (the beep, the music): a late packet
    # on a loaded machine blurs a window or two (seen: 4 of 15 under 0.5), never adds a tone
    w = rate // 4
    wins = [left[i : i + w] for i in range(0, len(left) - w + 1, w) if max(map(abs, left[i : i + w])) >= 500]
    voice = [tone_power(x, rate, CALLER_HZ) > 0.5 for x in wins]
    assert sum(voice) >= 0.6 * len(wins), f"the caller's voice in {sum(voice)} of {len(wins)} windows"
    played = max(max(tone_power(x, rate, 1400.0), sum(tone_power(x, rate, f) for f in NOTES)) for x in wins)
    assert played < 0.2, f"the beep or the music is in the message (power share {played:.2f})"
    assert active_seconds(right, rate) < 0.3, "the other channel is not silent"


def test_a_tenants_own_welcome_plays_before_the_music(
    stack: Stack, cc: tuple[Tenant, str], phones: list[Phone], tmp_path: Path
) -> None:
    """The admin uploads a welcome (a 16 kHz stereo WAV: a 1,200 Hz tone of 2 s) for a queue
    (its own, 602: a caller who leaves a queue may rejoin it, which would change the next
    tests' logs); the edge agent fetches and converts it; a caller hears it, then the music."""
    t, _ = cc
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(
            b"".join(
                struct.pack("<hh", *(2 * [int(9000 * math.sin(2 * math.pi * 1200 * i / 16000))])) for i in range(32000)
            )
        )
    body = {"language": "vi", "content_base64": base64.b64encode(buf.getvalue()).decode()}
    with stack.api(t.admin_token) as api:
        r = api.post(
            "/v1/queues",
            json={"name": "Chào", "number": "602", "members": [{"extension": "102"}], "announce_every_s": 0},
        )
        assert r.status_code == 201, r.text
        qid = r.json()["id"]
    _statuses(stack, t, "paused")
    try:
        with stack.api(t.admin_token) as api:
            r = api.put(f"/v1/queues/{qid}/prompts/welcome", json=body)
            assert r.status_code == 200, r.text
            sha = r.json()["sha256"]
        own = stack.cfg.snapshot_path.parent / "tenant-prompts" / t.id / qid / "vi" / f"welcome-{sha[:16]}.wav"
        deadline = time.monotonic() + 20
        while not own.exists():
            assert time.monotonic() < deadline, "the edge did not fetch the tenant's welcome"
            time.sleep(0.3)
        with wave.open(str(own)) as w:
            assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
        caller = new_phone(phones, tmp_path, stack, t, "101", CALLER_HZ)
        assert caller.wait_registered()["type"] == "REGISTER_OK"
        m = caller.dial(f"sip:602@{t.domain}")
        caller.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        time.sleep(5.0)
        h = caller.hangup()
        caller.wait_event("CALL_CLOSED", timeout=10, since=h)
    finally:
        with stack.api(t.admin_token) as api:
            api.delete(f"/v1/queues/{qid}")  # and its prompt files
        _statuses(stack, t, "ready")
    (heard,), rate = read_channels(caller.heard())
    seen = windows(heard, rate, (1200.0, CALLER_HZ))
    trace = "".join({"music": "M", "-": "-", "?": "?", "1200": "W"}.get(x, "x") for x in seen)
    assert trace.count("W") >= 5, f"the welcome was not heard: {trace}"
    assert "M" in trace[trace.rindex("W") :] and "M" not in trace[: trace.index("W")], trace


def test_a_caller_nobody_takes_hears_its_place_and_its_abandon_is_logged(
    stack: Stack, cc: tuple[Tenant, str], phones: list[Phone], tmp_path: Path
) -> None:
    t, qid = cc
    with stack.api(t.admin_token) as api:
        r = api.patch(f"/v1/queues/{qid}", json={"announce_every_s": 2})
        assert r.status_code == 200, r.text
    _statuses(stack, t, "paused")
    try:
        caller, a2 = _caller_and_agent(stack, t, phones, tmp_path)
        m = caller.dial(f"sip:600@{t.domain}")
        est = caller.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        time.sleep(6.0)
        h = caller.hangup()
        caller.wait_event("CALL_CLOSED", timeout=10, since=h)
        assert not [e for e in a2.events if e.get("type") == "CALL_INCOMING"], "a paused agent was offered"

        # It heard the music and, after 2 s, speech (the prompt: neither music nor silence).
        (heard,), rate = read_channels(caller.heard())
        seen = windows(heard, rate, (CALLER_HZ, AGENT2_HZ))
        trace = "".join({"music": "M", "-": "-", "?": "?"}.get(w, "x") for w in seen)
        assert seen.count("music") >= 4, trace
        first = seen.index("music")
        assert trace.count("?") >= 4 and "?" in trace[first:], f"no prompt heard: {trace}"

        evs = _queue_events(stack, t, qid, est["id"], "abandon")
        assert [e["kind"] for e in evs] == ["enter", "abandon"], evs
        abandon = evs[-1]
        assert abandon["position"] == 1 and 5.0 <= abandon["wait_s"] <= 9.0, abandon
    finally:
        _statuses(stack, t, "ready")


def test_a_caller_who_presses_1_is_called_back_when_an_agent_is_free(
    stack: Stack, cc: tuple[Tenant, str], phones: list[Phone], tmp_path: Path
) -> None:
    """B4: nobody free; the caller presses 1, hears the thank-you and its call ends; when
    agent 102 becomes ready the queue rings 102 first, then calls the caller back, and
    they talk. The log: enter, callback_request, callback_dial 102, answer 102, complete."""
    t, qid = cc
    _statuses(stack, t, "paused")
    try:
        caller, a2 = _caller_and_agent(stack, t, phones, tmp_path)
        m = caller.dial(f"sip:600@{t.domain}")
        est = caller.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        time.sleep(2.0)
        caller.command("sndcode", "1")
        closed = caller.wait_event("CALL_CLOSED", timeout=15, since=m)  # after the thank-you
        assert closed["_t"] - est["_t"] >= 3.0, "the call ended without the thank-you"
        time.sleep(1.0)
        assert not [e for e in a2.events if e.get("type") == "CALL_INCOMING"], "called back with nobody ready"

        mb = caller.mark()
        with stack.api(t.admin_token) as api:
            r = api.put("/v1/agents/102/status", json={"status": "ready"})
            assert r.status_code == 200, r.text
        a2.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=15)
        answer_agent = a2.wait_event("CALL_ESTABLISHED", timeout=10)
        ring_caller = caller.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=15, since=mb)
        caller.wait_event("CALL_ESTABLISHED", timeout=10, since=mb)
        # The worker rings the customer once the agent's phone answered. The two phones'
        # events reach this process on two sockets: 300 ms of slack (seen: the customer's ring
        # 0.4 ms "before" the agent's on a loaded machine; as in test_click_to_call_edge).
        assert ring_caller["_t"] >= answer_agent["_t"] - 0.3, "the customer rang before the agent answered"
        time.sleep(4.0)
        h = caller.hangup()
        caller.wait_event("CALL_CLOSED", timeout=10, since=h)
        a2.wait_event("CALL_CLOSED", timeout=10)
        (heard,), rate = read_channels(caller.heard())
        assert_tone(heard[-2 * rate :], rate, AGENT2_HZ, CALLER_HZ, "the caller heard agent 102 on the callback")

        evs = _queue_events(stack, t, qid, est["id"], "complete")
        kinds = [(e["kind"], e["agent"]) for e in evs]
        # After the abandon test 101 calls again within rejoin_s: it gets its old place (rejoin).
        assert kinds[0][0] in ("enter", "rejoin") and kinds[1:] == [
            ("callback_request", ""), ("callback_dial", "102"), ("answer", "102"), ("complete", "102"),
        ], kinds  # fmt: skip
    finally:
        _statuses(stack, t, "ready")


def _figures(stack: Stack, t: Tenant, qid: str, ext: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Today's figures of the queue and of one agent (GET /v1/queues/stats)."""
    with stack.api(t.admin_token) as api:
        stats = api.get("/v1/queues/stats").json()
    [q] = [x for x in stats["queues"] if x["queue_id"] == qid]
    a = next((x for x in stats["agents"] if x["extension"] == ext), {"noanswers": 0, "answered": 0})
    return q, a


def _agent_status(stack: Stack, t: Tenant, ext: str, want: str, timeout: float = 15) -> float:
    """Seconds until the control plane shows ``ext`` with status ``want``."""
    t0 = time.monotonic()
    got = ""
    while time.monotonic() - t0 < timeout:
        with stack.api(t.admin_token) as api:
            got = {a["extension"]: a["status"] for a in api.get("/v1/agents").json()["items"]}.get(ext, "")
        if got == want:
            return time.monotonic() - t0
        time.sleep(0.3)
    raise AssertionError(f"{ext} is {got!r}, not {want!r}")


def test_an_agent_logs_in_and_pauses_from_its_phone(
    stack: Stack, cc: tuple[Tenant, str], phones: list[Phone], tmp_path: Path
) -> None:
    """*74 (ready) on 102's phone: answered, a spoken confirmation, the call ends; the queue
    offers 102 the next caller at once (no console involved) and the control plane shows
    102 ready (learnt from the queue log). *73 pauses it again."""
    t, _qid = cc
    _statuses(stack, t, "paused")
    try:
        caller, a2 = _caller_and_agent(stack, t, phones, tmp_path)
        m = a2.dial(f"sip:*74@{t.domain}")
        est = a2.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        closed = a2.wait_event("CALL_CLOSED", timeout=15, since=m)
        assert 1.0 <= closed["_t"] - est["_t"] <= 8.0, "no confirmation before the end"
        (heard,), rate = read_channels(a2.heard())
        assert sum(1 for w in windows(heard, rate, (CALLER_HZ, AGENT2_HZ)) if w != "-") >= 4, "nothing was said"

        m = a2.mark()
        mc = caller.dial(f"sip:600@{t.domain}")
        caller.wait_event("CALL_ESTABLISHED", timeout=10, since=mc)
        ring = a2.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=10, since=m)
        assert ring["peeruri"].startswith("sip:101@"), ring
        h = caller.hangup()
        caller.wait_event("CALL_CLOSED", timeout=10, since=h)
        print(f"control plane learnt 102 ready in {_agent_status(stack, t, '102', 'ready'):.2f} s")

        m = a2.dial(f"sip:*73@{t.domain}")
        a2.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        a2.wait_event("CALL_CLOSED", timeout=15, since=m)
        _agent_status(stack, t, "102", "paused")
    finally:
        _statuses(stack, t, "ready")


def test_another_tenants_phone_cannot_reach_the_queue_or_use_its_codes(
    stack: Stack, cc: tuple[Tenant, str], other: Tenant, phones: list[Phone], tmp_path: Path
) -> None:
    """S1 for queues: tenant B's phone dialling 600 (A's queue number) or A's domain gets
    refused in its own dial plan; A's agents never ring; *71 is nothing for a non-member."""
    t, _qid = cc
    a2 = new_phone(phones, tmp_path, stack, t, "102", AGENT2_HZ)
    b = new_phone(phones, tmp_path, stack, other, other.extensions[0].number, CALLER_HZ)
    assert a2.wait_registered()["type"] == "REGISTER_OK"
    assert b.wait_registered()["type"] == "REGISTER_OK"
    for uri in (f"sip:600@{other.domain}", f"sip:600@{t.domain}", f"sip:*71@{other.domain}"):
        m = b.dial(uri)
        closed = b.wait_event("CALL_CLOSED", timeout=10, since=m)
        assert not any(e.get("type") == "CALL_ESTABLISHED" for e in b.events[m:]), f"{uri} was answered: {closed}"
    time.sleep(1.0)
    assert not [e for e in a2.events if e.get("type") == "CALL_INCOMING"], "tenant A's agent rang for tenant B"


def test_a_callback_the_customer_does_not_answer_keeps_its_place(
    stack: Stack, cc: tuple[Tenant, str], phones: list[Phone], tmp_path: Path
) -> None:
    """B4: 102 takes the callback, the customer (101) refuses it: no ANSWER is logged, the
    miss is the customer's (NOANSWER reason "customer", not 102's), 102 is free at once and
    the callback keeps its place for another try (the figures still count it pending).
    Last in the module: the kept callback is cleared by logging the agents out."""
    t, qid = cc
    _statuses(stack, t, "paused")
    try:
        q0, a0 = _figures(stack, t, qid, "102")  # today's, after the module's earlier calls
        caller = new_phone(phones, tmp_path, stack, t, "101", CALLER_HZ, answermode="manual")
        a2 = new_phone(phones, tmp_path, stack, t, "102", AGENT2_HZ)
        for p in (caller, a2):
            assert p.wait_registered()["type"] == "REGISTER_OK"
        m = caller.dial(f"sip:600@{t.domain}")
        est = caller.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        time.sleep(2.0)
        caller.command("sndcode", "1")
        caller.wait_event("CALL_CLOSED", timeout=15, since=m)
        mb = caller.mark()
        with stack.api(t.admin_token) as api:
            r = api.put("/v1/agents/102/status", json={"status": "ready"})
            assert r.status_code == 200, r.text
        a2.wait_event("CALL_ESTABLISHED", timeout=15)  # the agent takes the callback
        caller.wait_event("CALL_INCOMING", timeout=15, since=mb)
        caller.hangup()  # the customer refuses it
        a2.wait_event("CALL_CLOSED", timeout=10)

        evs = _queue_events(stack, t, qid, est["id"], "noanswer")
        tail = [(e["kind"], e["agent"], e["reason"]) for e in evs if e["kind"] not in ("enter", "rejoin")]
        assert tail == [
            ("callback_request", "", ""), ("callback_dial", "102", ""), ("noanswer", "102", "customer"),
        ], tail  # fmt: skip
        time.sleep(1.0)
        q, a = _figures(stack, t, qid, "102")
        assert q["callbacks_pending"] == q0["callbacks_pending"] + 1, (q0, q)
        assert (a["noanswers"], a["answered"]) == (a0["noanswers"], a0["answered"]), (a0, a)
        with stack.api(t.admin_token) as api:
            kinds = [
                e["kind"] for e in api.get(f"/v1/queues/{qid}/events").json()["items"] if e["call_id"] == est["id"]
            ]
        assert "answer" not in kinds and "complete" not in kinds, kinds
    finally:
        _statuses(stack, t, "logged_out")  # the kept callback leaves with the last agent
