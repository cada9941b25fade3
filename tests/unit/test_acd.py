"""The call-center queue engine (pbx_core.acd, issue 16): strategies, who is offered, tiers,
autopause, overflow, VIP, callbacks and rejoins, all scripted with explicit times."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from pbx_core import queue_log as ql
from pbx_core.acd import (
    Acd,
    Action,
    AgentPaused,
    Announce,
    CancelOffer,
    DialCallback,
    Log,
    Offer,
    Overflow,
)
from pbx_core.errors import ValidationError
from pbx_core.queue_log import QueueEvent
from pbx_core.snapshot import AgentStatus, QueueConfig, QueueMember

pytestmark = pytest.mark.unit

T = "t1"
SEEDS = 12


def queue(
    strategy: str = "ringall", members: Sequence[str | tuple[str, int]] = ("a", "b", "c"), **kw: object
) -> QueueConfig:
    ms = tuple(QueueMember(m) if isinstance(m, str) else QueueMember(m[0], m[1]) for m in members)
    kw.setdefault("wrapup_s", 0)
    kw.setdefault("announce_every_s", 0)
    return QueueConfig(id="q1", name="Sales", number="600", strategy=strategy, members=ms, **kw)  # type: ignore[arg-type]


def agents(*exts: str, status: str = "ready", since: Sequence[int] = ()) -> dict[str, AgentStatus]:
    return {e: AgentStatus(e, status=status, since=since[i] if since else 0) for i, e in enumerate(exts)}


def make(q: QueueConfig, ag: dict[str, AgentStatus], seed: int = 0) -> Acd:
    return Acd(T, {q.id: q}, ag, seed=seed)


def events(actions: Sequence[Action], kind: str | None = None) -> list[QueueEvent]:
    return [a.event for a in actions if isinstance(a, Log) and (kind is None or a.event.kind == kind)]


def offers(actions: Sequence[Action]) -> list[Offer]:
    return [a for a in actions if isinstance(a, Offer)]


def served(acd: Acd, call_id: str, now: float) -> str:
    """The caller enters, is offered to one agent, who answers; returns that agent."""
    acts = acd.enter("q1", call_id, f"09{call_id}", now)
    (o,) = offers(acts)
    assert len(o.agents) == 1 and o.call_id == call_id
    acd.offer_result(call_id, o.agents[0], True, now)
    return o.agents[0]


# -- strategies ----------------------------------------------------------------------------


def test_ringall_rings_everyone_free_and_cancels_the_others_on_answer() -> None:
    acd = make(queue("ringall"), agents("a", "b", "c"))
    acts = acd.enter("q1", "x1", "0901", 0)
    assert offers(acts) == [Offer("x1", ("a", "b", "c"), 15)]
    assert [e.agent for e in events(acts, ql.OFFER)] == ["a", "b", "c"]
    acts = acd.offer_result("x1", "b", True, 4)
    assert CancelOffer("x1", ("a", "c")) in acts
    (ans,) = events(acts, ql.ANSWER)
    assert (ans.agent, ans.wait_s, ans.position) == ("b", 4, 1)
    # a and c are free again: the next caller rings them both
    assert offers(acd.enter("q1", "x2", "0902", 5)) == [Offer("x2", ("a", "c"), 15)]


def test_longest_idle_offers_the_agent_idle_longest() -> None:
    # idle since login: b (10), c (20), a (30)
    acd = make(queue("longest_idle"), agents("a", "b", "c", since=(30, 10, 20)))
    assert [served(acd, f"x{i}", 100 + i) for i in range(3)] == ["b", "c", "a"]
    # calls end (no wrap-up): c at 200, a at 201, b at 202: that is now the idle order
    for call, t in (("x1", 200), ("x2", 201), ("x0", 202)):
        acd.call_ended(call, t, talk_s=50)
    assert [served(acd, f"y{i}", 300 + i) for i in range(3)] == ["c", "a", "b"]


def test_fewest_calls_then_longest_idle() -> None:
    acd = make(queue("fewest_calls"), agents("a", "b", "c"))
    got = []
    for i in range(4):
        ag = served(acd, f"x{i}", 10 * i)
        acd.call_ended(f"x{i}", 10 * i + 5, talk_s=5)
        got.append(ag)
    # 0/0/0 calls: tie -> idle longest, members' order on equal times: a; then b and c have
    # fewer calls; then all have 1: a's call ended first (t=5) -> a
    assert got == ["a", "b", "c", "a"]


def test_round_robin_continues_after_the_last_offered() -> None:
    acd = make(queue("round_robin"), agents("a", "b", "c"))
    got = []
    for i in range(5):
        got.append(served(acd, f"x{i}", 10 * i))
        acd.call_ended(f"x{i}", 10 * i + 5, talk_s=5)  # everyone is free again each time
    assert got == ["a", "b", "c", "a", "b"]


def test_round_robin_skips_a_busy_agent_and_remembers() -> None:
    acd = make(queue("round_robin"), agents("a", "b", "c"))
    assert served(acd, "x0", 0) == "a"
    acd.call_ended("x0", 1, 1)
    acd.agent_state("b", "personal_call", 2, call_id="p1")
    assert served(acd, "x1", 3) == "c"  # after a comes b, busy: c
    acd.call_ended("x1", 4, 1)
    acd.agent_state("b", "idle", 5, call_id="p1", talk_s=3)
    assert served(acd, "x2", 6) == "a"  # after c: a


def test_linear_always_from_the_first() -> None:
    acd = make(queue("linear"), agents("a", "b", "c"))
    got = []
    for i in range(3):
        got.append(served(acd, f"x{i}", 10 * i))
        acd.call_ended(f"x{i}", 10 * i + 5, talk_s=5)
    assert got == ["a", "a", "a"]
    # a busy: b; a and b busy: c
    assert [served(acd, "y0", 100), served(acd, "y1", 101), served(acd, "y2", 102)] == ["a", "b", "c"]


def test_random_is_seeded() -> None:
    acd = make(queue("random"), agents("a", "b", "c"), seed=7)
    got = []
    for i in range(6):
        got.append(served(acd, f"x{i}", 10 * i))
        acd.call_ended(f"x{i}", 10 * i + 5, talk_s=5)
    rng = random.Random(7)
    assert got == [rng.choice(["a", "b", "c"]) for _ in range(6)]
    assert len(set(got)) > 1


# -- who is not offered --------------------------------------------------------------------


def test_paused_wrapup_logged_out_and_personal_call_are_not_offered() -> None:
    st = agents("a", "b", "c", "d", "e")
    st["a"] = AgentStatus("a", status="paused", reason="lunch")
    st["c"] = AgentStatus("c", status="logged_out")
    acd = make(queue("ringall", members=("a", "b", "c", "d", "e"), wrapup_s=10), st)
    acd.agent_state("d", "personal_call", 0, call_id="p1")
    assert offers(acd.enter("q1", "x1", "0901", 1)) == [Offer("x1", ("b", "e"), 15)]
    acd.offer_result("x1", "b", True, 2)
    acts = acd.call_ended("x1", 30, talk_s=28)
    assert [(e.kind, e.agent, e.talk_s) for e in events(acts)] == [(ql.COMPLETE, "b", 28)]
    assert acd.state_of("b") == "wrapup"
    # b is in wrap-up until 40, d in a personal call, a paused, c logged out: only e
    assert offers(acd.enter("q1", "x2", "0902", 31)) == [Offer("x2", ("e",), 15)]
    acd.offer_result("x2", "e", True, 32)
    # wrap-up over: b is offered the next caller in the same tick
    acd.enter("q1", "x3", "0903", 35)
    acts = acd.tick(40)
    assert [e.kind for e in events(acts)] == [ql.WRAPUP_END, ql.OFFER]
    assert offers(acts) == [Offer("x3", ("b",), 15)]


def test_ready_now_ends_wrapup_and_offers_at_once() -> None:
    acd = make(queue("linear", members=("a",), wrapup_s=60), agents("a"))
    served(acd, "x1", 0)
    acd.call_ended("x1", 10, 10)
    assert offers(acd.enter("q1", "x2", "0902", 11)) == []
    acts = acd.ready_now("a", 12)
    assert [e.kind for e in events(acts)] == [ql.WRAPUP_END, ql.OFFER]
    assert offers(acts) == [Offer("x2", ("a",), 15)]


def test_personal_call_end_is_logged_apart_and_frees_the_agent() -> None:
    acd = make(queue("linear", members=("a",)), agents("a"))
    acd.agent_state("a", "personal_call", 0, call_id="p1")
    assert offers(acd.enter("q1", "x1", "0901", 1)) == []
    acts = acd.agent_state("a", "idle", 20, call_id="p1", talk_s=19)
    (done,) = events(acts, ql.COMPLETE)
    assert (done.personal, done.talk_s, done.call_id, done.agent) == (True, 19, "p1", "a")
    assert offers(acts) == [Offer("x1", ("a",), 15)]


def test_tiers_open_after_the_wait() -> None:
    q = queue("ringall", members=(("a", 0), ("b", 1), ("c", 2)), widen_after_s=30)
    acd = make(q, agents("a", "b", "c"))
    acd.agent_state("a", "personal_call", 0)
    assert offers(acd.enter("q1", "x1", "0901", 0)) == []
    assert offers(acd.tick(29)) == []
    assert offers(acd.tick(30)) == [Offer("x1", ("b",), 15)]  # tier 1 only: the lowest free
    # a free again: a new caller (wait 0) is offered tier 0 only, never b or c
    acd.enter("q1", "x2", "0902", 31)
    acts = acd.agent_state("a", "idle", 32)
    assert offers(acts) == [Offer("x2", ("a",), 15)]


def test_autopause_after_n_noanswers_and_until_the_snapshot_changes() -> None:
    q = queue("linear", members=("a",), autopause_after=2, retry_s=2, ring_timeout_s=15)
    acd = make(q, agents("a"))
    assert offers(acd.enter("q1", "x1", "0901", 0)) == [Offer("x1", ("a",), 15)]
    acts = acd.tick(15)
    assert [(e.kind, e.agent) for e in events(acts)] == [(ql.NOANSWER, "a")]
    assert offers(acd.tick(16)) == []  # retry_s
    assert offers(acd.tick(17)) == [Offer("x1", ("a",), 15)]
    acts = acd.offer_result("x1", "a", False, 20)  # refused before the timeout
    assert [(e.kind, e.reason) for e in events(acts)] == [(ql.NOANSWER, ""), (ql.PAUSE, "autopause")]
    assert AgentPaused("a", "autopause") in acts
    assert acd.status_of("a") == "paused"
    assert offers(acd.tick(40)) == []
    # the same snapshot again does not undo it; a newer status does
    assert acd.configure({"q1": q}, agents("a"), 50) == []
    acts = acd.configure({"q1": q}, agents("a", since=(60,)), 60)
    assert [e.kind for e in events(acts)] == [ql.UNPAUSE, ql.OFFER]


def test_noanswer_streak_is_reset_by_an_answer() -> None:
    q = queue("linear", members=("a",), autopause_after=2, retry_s=0)
    acd = make(q, agents("a"))
    acd.enter("q1", "x1", "0901", 0)
    acts = acd.tick(15)  # noanswer 1; retry_s 0: offered again in the same tick
    assert [e.kind for e in events(acts)] == [ql.NOANSWER, ql.OFFER]
    acd.offer_result("x1", "a", True, 16)
    acd.call_ended("x1", 20, 4)
    acd.enter("q1", "x2", "0902", 21)
    acts = acd.tick(36)  # noanswer 1 again, not 2: no pause
    assert [e.kind for e in events(acts)] == [ql.NOANSWER, ql.OFFER]


# -- refusal and overflow ------------------------------------------------------------------


def test_max_len_refuses_with_overflow() -> None:
    q = queue("linear", max_len=2, overflow="extension:100")
    acd = make(q, agents("a", "b", "c", status="paused"))
    acd.enter("q1", "x1", "0901", 0)
    acd.enter("q1", "x2", "0902", 1)
    acts = acd.enter("q1", "x3", "0903", 2)
    assert [(e.kind, e.reason) for e in events(acts)] == [(ql.FULL, "full"), (ql.OVERFLOW, "extension:100")]
    assert Overflow("x3", "extension:100", "full") in acts
    assert acd.line("q1") == ["x1", "x2"]


def test_join_empty() -> None:
    acd = make(queue("linear", overflow="message"), agents("a", "b", "c", status="logged_out"))
    acts = acd.enter("q1", "x1", "0901", 0)
    assert [(e.kind, e.reason) for e in events(acts)] == [(ql.FULL, "empty"), (ql.OVERFLOW, "message")]
    assert Overflow("x1", "message", "empty") in acts
    acd = make(queue("linear", join_empty=True), agents("a", "b", "c", status="logged_out"))
    assert [e.kind for e in events(acd.enter("q1", "x1", "0901", 0))] == [ql.ENTER]


def test_leave_when_empty_overflows_the_waiting_callers() -> None:
    q = queue("linear", members=("a",), overflow="queue:q2")
    acd = make(q, agents("a"))
    acd.agent_state("a", "personal_call", 0)
    acd.enter("q1", "x1", "0901", 1)
    acd.enter("q1", "x2", "0902", 2)
    acts = acd.configure({"q1": q}, agents("a", status="logged_out"), 10)
    assert [(e.kind, e.call_id) for e in events(acts)] == [(ql.LOGOUT, ""), (ql.OVERFLOW, "x1"), (ql.OVERFLOW, "x2")]
    assert [a for a in acts if isinstance(a, Overflow)] == [
        Overflow("x1", "queue:q2", "empty"),
        Overflow("x2", "queue:q2", "empty"),
    ]
    assert acd.line("q1") == []
    # without leave_when_empty they stay
    q2 = queue("linear", members=("a",), leave_when_empty=False)
    acd = make(q2, agents("a"))
    acd.agent_state("a", "personal_call", 0)
    acd.enter("q1", "x1", "0901", 1)
    acd.configure({"q1": q2}, agents("a", status="logged_out"), 10)
    assert acd.line("q1") == ["x1"]


def test_max_wait_times_out_to_the_overflow() -> None:
    q = queue("linear", max_wait_s=60, overflow="extension:200")
    acd = make(q, agents("a", "b", "c", status="paused"))
    acd.enter("q1", "x1", "0901", 100)
    assert acd.tick(159) == []
    acts = acd.tick(160)
    assert [(e.kind, e.wait_s, e.reason) for e in events(acts)] == [
        (ql.TIMEOUT, 60, ""),
        (ql.OVERFLOW, 0, "extension:200"),
    ]
    assert Overflow("x1", "extension:200", "timeout") in acts
    assert acd.line("q1") == []


def test_announcements_with_expected_wait() -> None:
    q = queue("linear", members=("a", "b"), announce_every_s=30, wrapup_s=10, language="en")
    acd = make(q, agents("a", "b"))
    served(acd, "h1", 0)
    acd.call_ended("h1", 50, talk_s=50)  # handle time 50 + 10 wrap-up = 60
    served(acd, "h2", 60)  # a is in wrap-up: b takes it
    acd.tick(60)  # a's wrap-up over
    acd.agent_state("a", "personal_call", 61)
    acd.enter("q1", "x1", "0901", 70)
    acd.enter("q1", "x2", "0902", 80)
    acts = acd.tick(100)
    # x1 waited 30: position 1 * aht 60 / 2 ready members = 30 s; x2 has waited 20 only
    assert [a for a in acts if isinstance(a, Announce)] == [Announce("x1", 1, 30, "en")]
    assert [a for a in acd.tick(110) if isinstance(a, Announce)] == [Announce("x2", 2, 60, "en")]


# -- order in line -------------------------------------------------------------------------


def test_vip_goes_ahead_but_not_ahead_of_older_vips() -> None:
    acd = make(queue("linear", members=("a",)), agents("a", status="paused"))
    pos = {}
    for cid, t, vip in (("n1", 0, False), ("n2", 1, False), ("v1", 2, True), ("v2", 3, True)):
        (ev,) = events(acd.enter("q1", cid, f"09{cid}", t, vip=vip))
        pos[cid] = ev.position
    assert pos == {"n1": 1, "n2": 2, "v1": 1, "v2": 2}
    assert acd.line("q1") == ["v1", "v2", "n1", "n2"]
    acts = acd.configure({"q1": queue("linear", members=("a",))}, agents("a", since=(5,)), 5)
    assert offers(acts) == [Offer("v1", ("a",), 15)]


def test_abandon_carries_position_and_wait_and_rejoin_gets_the_place_back() -> None:
    q = queue("linear", members=("a",), rejoin_s=60)
    acd = make(q, agents("a", status="paused"))
    acd.enter("q1", "n1", "0901", 0)
    acd.enter("q1", "n2", "0902", 5)
    acd.enter("q1", "n3", "0903", 8)
    (ab,) = events(acd.hangup("n2", 20))
    assert (ab.kind, ab.position, ab.wait_s) == (ql.ABANDON, 2, 15)
    acd.enter("q1", "n4", "0904", 30)
    # 0902 calls again 40 s after hanging up (< 60): back in 2nd place, before n3 and n4
    (rj,) = events(acd.enter("q1", "n2b", "0902", 60))
    assert (rj.kind, rj.position) == (ql.REJOIN, 2)
    assert acd.line("q1") == ["n1", "n2b", "n3", "n4"]
    # its wait counts from this call; its place from the first
    (ab,) = events(acd.hangup("n2b", 70))
    assert (ab.position, ab.wait_s) == (2, 10)
    # after rejoin_s the place is gone: 70 + 60 = 130
    (ev,) = events(acd.enter("q1", "n2c", "0902", 130))
    assert (ev.kind, ev.position) == (ql.ENTER, 4)


def test_a_caller_waiting_across_queues_longest_is_offered_first() -> None:
    q1 = queue("linear", members=("a",))
    q2 = QueueConfig(id="q2", name="Support", number="601", strategy="linear", members=(QueueMember("a"),))
    acd = Acd(T, {"q1": q1, "q2": q2}, agents("a", status="paused"), seed=0)
    acd.enter("q2", "s1", "0911", 0)
    acd.enter("q1", "x1", "0901", 5)
    acts = acd.configure({"q1": q1, "q2": q2}, agents("a", since=(9,)), 10)
    assert offers(acts) == [Offer("s1", ("a",), 15)]


# -- callbacks -----------------------------------------------------------------------------


def test_callback_keeps_the_place_and_is_served_in_arrival_order() -> None:
    q = queue("longest_idle", members=("a", "b"))
    acd = make(q, agents("a", "b"))
    acd.agent_state("a", "personal_call", 0)
    acd.agent_state("b", "personal_call", 0)
    for i in range(1, 6):
        acd.enter("q1", f"c{i}", f"090{i}", i)
    acts = acd.request_callback("c2", "0987654321", 10)
    (cb,) = events(acts)
    assert (cb.kind, cb.position) == (ql.CALLBACK_REQUEST, 2)
    assert acd.hangup("c2", 11) == []  # the caller's own call ends: no abandon
    assert acd.line("q1") == ["c1", "c2", "c3", "c4", "c5"]
    order: list[str] = []

    def note(acts: list[Action]) -> None:
        for x in acts:
            if isinstance(x, Offer | DialCallback):
                order.append(x.call_id)

    note(acts := acd.agent_state("a", "idle", 20))  # a free: c1 first, not the callback
    assert offers(acts) == [Offer("c1", ("a",), 15)]
    note(acd.offer_result("c1", "a", True, 21))
    note(acts := acd.agent_state("b", "idle", 22))  # b free: now the callback's turn
    assert [x for x in acts if isinstance(x, DialCallback)] == [DialCallback("c2", "0987654321", "b", 15)]
    assert [(e.kind, e.agent, e.personal) for e in events(acts)] == [
        (ql.COMPLETE, "b", True),  # b's personal call
        (ql.CALLBACK_DIAL, "b", False),
    ]
    note(acd.offer_result("c2", "b", True, 25))  # the agent took it: the customer rings
    assert [e.kind for e in events(acd.callback_result("c2", True, 27))] == [ql.ANSWER]
    for t, call, ag in ((40, "c1", "a"), (41, "c2", "b")):
        note(acd.call_ended(call, t, 10))
        nxt = order[-1]
        note(acd.offer_result(nxt, ag, True, t + 1))
    note(acd.call_ended("c3", 50, 5))
    note(acd.offer_result("c5", "a", True, 51))
    assert order == ["c1", "c2", "c3", "c4", "c5"]


def test_never_more_callbacks_than_free_agents() -> None:
    q = queue("ringall", members=("a", "b", "c"))
    acd = make(q, agents("a", "b", "c", status="paused"))
    for i in range(1, 4):
        acd.enter("q1", f"c{i}", f"090{i}", i)
        acd.request_callback(f"c{i}", f"098{i}", 5)
    # one agent comes: one callback (ringall too picks one agent for a callback)
    acts = acd.configure({"q1": q}, {**agents("b", "c", status="paused"), **agents("a", since=(9,))}, 10)
    dials = [x for x in acts if isinstance(x, DialCallback)]
    assert dials == [DialCallback("c1", "0981", "a", 15)]
    # no answer: the callback goes back in its place, nothing else dialled meanwhile
    acts = acd.tick(25)
    assert [e.kind for e in events(acts)] == [ql.NOANSWER]
    assert acd.line("q1") == ["c1", "c2", "c3"]
    # callbacks do not time out and are not announced
    q_short = queue("ringall", members=("a", "b", "c"), max_wait_s=10, announce_every_s=5)
    acd = make(q_short, agents("a", "b", "c", status="paused"))
    acd.enter("q1", "c1", "0901", 0)
    acd.request_callback("c1", "0981", 1)
    assert acd.tick(100) == []


def test_unknown_queue_and_duplicate_call() -> None:
    acd = make(queue("linear"), agents("a"))
    assert acd.enter("nope", "x1", "0901", 0) == [Overflow("x1", "", "unknown_queue")]
    acd.enter("q1", "x1", "0901", 0)
    with pytest.raises(Exception, match="already"):
        acd.enter("q1", "x1", "0901", 1)


def test_every_event_is_a_valid_queue_log_record() -> None:
    q = queue("ringall", members=("a", "b"), wrapup_s=5, max_wait_s=100, max_len=3, announce_every_s=10)
    acd = make(q, agents("a", "b"))
    acts: list[Action] = []
    acts += acd.agent_state("b", "personal_call", 0, call_id="p1")
    for i in range(5):
        acts += acd.enter("q1", f"x{i}", f"090{i}", i)
    acts += acd.offer_result("x0", "a", True, 6)
    acts += acd.request_callback("x1", "0981", 7)
    acts += acd.hangup("x2", 8)
    acts += acd.call_ended("x0", 20, 14)
    acts += acd.agent_state("b", "idle", 21, call_id="p1", talk_s=20)
    acts += acd.tick(200)
    acts += acd.configure({"q1": q}, agents("a", "b", status="logged_out"), 300)
    evs = events(acts)
    assert {e.kind for e in evs} >= {ql.ENTER, ql.FULL, ql.OVERFLOW, ql.ANSWER, ql.ABANDON, ql.COMPLETE, ql.LOGOUT}
    for e in evs:
        assert ql.from_dict(e.to_dict()) == e


@pytest.mark.parametrize("seed", range(SEEDS))
def test_random_churn_keeps_the_books_straight(seed: int) -> None:
    """Whatever happens, after every call: offers and agents' ringing agree, the set of
    idle agents the scheduler starts from is exact, and no free agent is left idle while a
    caller it may take waits (the engine offers in the call that frees the agent)."""
    rng = random.Random(seed)
    strategy = ("ringall", "longest_idle", "fewest_calls", "round_robin", "linear", "random")[seed % 6]
    q1 = queue(strategy, members=("a", ("b", 1), "c", ("d", 2)), widen_after_s=5, wrapup_s=3, max_wait_s=80,
               max_len=6, autopause_after=3, retry_s=1, ring_timeout_s=4, announce_every_s=7)  # fmt: skip
    q2 = QueueConfig(id="q2", name="S", number="601", strategy="linear",
                     members=(QueueMember("c"), QueueMember("d"), QueueMember("e")), ring_timeout_s=4)  # fmt: skip
    qs = {"q1": q1, "q2": q2}
    st = agents("a", "b", "c", "d", "e")
    acd = Acd(T, qs, st, seed=seed)
    now = 0.0
    n = 0
    for step in range(600):
        now += rng.choice((0.0, 0.5, 1.0, 2.0))
        r = rng.random()
        calls = list(acd._callers.values())
        if r < 0.25:
            n += 1
            acd.enter(rng.choice(("q1", "q2")), f"x{n}", f"09{rng.randrange(8)}", now, vip=rng.random() < 0.1)
        elif r < 0.45 and calls:
            c = rng.choice(calls)
            if not c.offered:
                continue  # nothing called: nothing to check
            acd.offer_result(c.call_id, rng.choice(sorted(c.offered)), rng.random() < 0.7, now)
        elif r < 0.55 and acd._active:
            acd.call_ended(rng.choice(sorted(acd._active)), now, 10)
        elif r < 0.6 and calls:
            acd.hangup(rng.choice(calls).call_id, now)
        elif r < 0.63 and calls:
            acd.request_callback(rng.choice(calls).call_id, "0981", now)
        elif r < 0.68:
            ext = rng.choice("abcde")
            acd.agent_state(ext, rng.choice(("idle", "personal_call")), now)
        elif r < 0.72:
            ext = rng.choice("abcde")
            acd.ready_now(ext, now)
        elif r < 0.76:
            st = {**st, (e := rng.choice("abcde")): AgentStatus(e, status=rng.choice(("ready", "paused", "logged_out")),
                                                              since=step)}  # fmt: skip
            acd.configure(qs, st, now)
        else:
            acd.tick(now)
        ags = acd._agents
        assert acd._idle == {e for e, a in ags.items() if a.effective == "ready" and a.state == "idle"}
        for c in acd._callers.values():
            for e in c.offered:
                assert ags[e].state == "ringing" and ags[e].ringing_call == c.call_id
        for e, a in ags.items():
            if a.state == "ringing":
                assert e in acd._callers[a.ringing_call].offered
        for qid, qq in acd._queues.items():
            for c in qq.line:
                if c.offered or c.retry_at > now:
                    continue
                left = acd._candidates(qq, c, now, {e for e in acd._idle if ags[e].retry_at <= now})
                assert not left, (step, qid, c.call_id, left)


def test_reload_removes_members_and_queues() -> None:
    q = queue("linear", members=("a", "b"), overflow="message")
    acd = make(q, agents("a", "b"))
    acd.agent_state("a", "personal_call", 0)
    acd.agent_state("b", "personal_call", 0)
    acd.enter("q1", "x1", "0901", 1)
    # b is no longer a member: when b is free, x1 is not offered to b
    q_without_b = queue("linear", members=("a",), overflow="message")
    assert acd.configure({"q1": q_without_b}, agents("a", "b"), 2) == []
    assert offers(acd.agent_state("b", "idle", 3)) == []
    assert offers(acd.agent_state("a", "idle", 4)) == [Offer("x1", ("a",), 15)]
    # the queue is removed: its waiting callers overflow, their offers are cancelled
    acts = acd.configure({}, agents("a", "b"), 5)
    assert CancelOffer("x1", ("a",)) in acts
    assert Overflow("x1", "message", "removed") in acts
    assert [(e.kind, e.call_id, e.reason) for e in events(acts)] == [(ql.OVERFLOW, "x1", "message")]
    assert acd.state_of("a") == "idle"


@pytest.mark.parametrize("strategy", ["linear", "longest_idle", "fewest_calls"])
def test_an_agent_who_let_the_caller_ring_is_not_offered_it_again_before_the_others(strategy: str) -> None:
    """Found with real phones: linear offered 102 again and again and never reached 103.
    After a ring timeout the next free agent is tried (after retry_s); the round starts over
    only when every free agent had the caller."""
    acd = make(queue(strategy, ("a", "b"), retry_s=2, ring_timeout_s=5, autopause_after=0), agents("a", "b"))
    (first,) = offers(acd.enter("q1", "c1", "0911", 0.0))
    assert first.agents == ("a",)
    assert offers(acd.tick(5.0)) == []  # a's ring timeout; nobody for retry_s
    (second,) = offers(acd.tick(7.5))
    assert second.agents == ("b",), second
    assert offers(acd.tick(12.5)) == []  # b's ring timeout
    (third,) = offers(acd.tick(15.0))
    assert third.agents == ("a",)  # a new round: both had it
    assert [e.kind for e in events(acd.offer_result("c1", "a", True, 16.0))] == [ql.ANSWER]


def test_a_status_set_on_the_phone_holds_until_the_control_plane_stores_it() -> None:
    acd = make(queue("linear", ("a", "b")), agents("a", "b", status="logged_out", since=(1, 1)))
    kinds = [e.kind for e in events(acd.enter("q1", "c1", "0911", 10.0))]
    assert kinds == [ql.FULL, ql.OVERFLOW]  # nobody logged in: refused
    acts = acd.set_status("a", "ready", "", 20.0)  # *71 on a's phone
    assert [e.kind for e in events(acts)] == [ql.LOGIN]
    stale = {"a": AgentStatus("a", status="logged_out", since=1), "b": AgentStatus("b", status="logged_out", since=1)}
    assert events(acd.configure({"q1": queue("linear", ("a", "b"))}, stale, 21.0)) == []  # not undone
    assert acd.status_of("a") == "ready"
    stored = {"a": AgentStatus("a", status="ready", since=20), "b": AgentStatus("b", status="logged_out", since=1)}
    assert events(acd.configure({"q1": queue("linear", ("a", "b"))}, stored, 22.0)) == []  # caught up, no event
    later = {"a": AgentStatus("a", status="paused", reason="lunch", since=30), "b": stored["b"]}
    assert [e.kind for e in events(acd.configure({"q1": queue("linear", ("a", "b"))}, later, 30.0))] == [ql.PAUSE]
    with pytest.raises(ValidationError):
        acd.set_status("a", "sleeping", "", 31.0)


def test_ready_from_the_phone_ends_the_wrap_up() -> None:
    acd = make(queue("linear", ("a",), wrapup_s=60), agents("a"))
    assert served(acd, "c1", 0.0) == "a"
    acd.call_ended("c1", 10.0, 10.0)
    assert acd.state_of("a") == "wrapup"
    (o,) = offers(acd.enter("q1", "c2", "0922", 11.0) + acd.set_status("a", "ready", "", 12.0))
    assert o.agents == ("a",) and acd.state_of("a") == "ringing"


def test_a_callback_overflow_keeps_the_caller_for_a_callback() -> None:
    """overflow="callback": a caller who waited max_wait_s, or found nobody logged in, is
    called back later instead of losing its call (the worker ends the call with the
    thank-you on the Overflow action)."""
    acd = make(queue("linear", ("a",), overflow="callback", max_wait_s=30), agents("a", status="paused"))
    acd.enter("q1", "c1", "0911", 0.0)
    acts = acd.tick(30.0)
    assert [e.kind for e in events(acts)] == [ql.TIMEOUT, ql.OVERFLOW, ql.CALLBACK_REQUEST]
    assert Overflow("c1", "callback", "timeout") in acts and acd.line("q1") == ["c1"]
    assert acd.hangup("c1", 31.0) == []  # its call ends: expected, not an abandon
    empty = make(queue("linear", ("a",), overflow="callback"), agents("a", status="logged_out"))
    acts = empty.enter("q1", "c2", "0922", 0.0)
    assert [e.kind for e in events(acts)] == [ql.FULL, ql.OVERFLOW, ql.CALLBACK_REQUEST]
    assert empty.line("q1") == ["c2"]
    # The agent logs in: the callback is dialled.
    acts = acd.configure(
        {"q1": queue("linear", ("a",), overflow="callback", max_wait_s=30)}, agents("a", since=(40,)), 40.0
    )
    assert any(isinstance(x, DialCallback) and x.number == "0911" and x.agent == "a" for x in acts), acts


def test_a_newer_ready_from_the_console_ends_the_wrap_up() -> None:
    q = queue("linear", ("a",), wrapup_s=60)
    acd = make(q, agents("a", since=(1,)))
    assert served(acd, "c1", 0.0) == "a"
    acd.call_ended("c1", 10.0, 10.0)
    assert events(acd.configure({"q1": q}, agents("a", since=(1,)), 11.0)) == []  # same status: wrap-up goes on
    assert acd.state_of("a") == "wrapup"
    acts = acd.configure({"q1": q}, agents("a", since=(12,)), 12.0)  # "ready now" stored at 12
    assert [e.kind for e in events(acts)] == [ql.WRAPUP_END] and acd.state_of("a") == "idle"


def test_the_log_keeps_its_order_through_microsecond_sort_keys() -> None:
    """The control plane sorts queue events by round(at * 1e6): events of one instant must
    still come out in the order they happened at today's epoch (0.24 µs float resolution)."""
    acd = make(queue("linear", ("a", "b"), retry_s=0, ring_timeout_s=5, autopause_after=0), agents("a", "b"))
    t0 = 1_796_534_549.6880274  # 1 µs apart, enter and offer rounded to the same µs here
    evs = events(acd.enter("q1", "c1", "0911", t0)) + events(acd.tick(t0 + 5.0))
    assert [(e.kind, e.agent) for e in evs] == [("enter", ""), ("offer", "a"), ("noanswer", "a"), ("offer", "b")]
    keys = [round(e.at * 1_000_000) for e in evs]
    assert keys == sorted(keys) and len(set(keys)) == len(keys), keys


# -- transfers (issue 16 item 4) -----------------------------------------------------------


def acd_retry() -> float:
    return queue().retry_s  # after a no-answer the caller waits retry_s before the next offer


def test_a_transfer_ends_the_agents_part_with_transfer_not_complete_and_frees_the_agent() -> None:
    acd = make(queue("linear", members=("a", "b"), wrapup_s=10), agents("a", "b"))
    assert served(acd, "x1", 0) == "a"
    acts = acd.transferred("x1", 30, talk_s=25, target="105")
    (tr,) = events(acts, ql.TRANSFER)
    assert (tr.agent, tr.talk_s, tr.reason, tr.call_id) == ("a", 25, "105", "x1")
    assert not events(acts, ql.COMPLETE)
    # the call goes on with 105 and ends later: nothing more is logged for the queue
    assert not events(acd.call_ended("x1", 90, talk_s=85), ql.COMPLETE)
    # a wraps up for 10 s after the transfer, then takes the next caller first again (linear)
    assert offers(acd.enter("q1", "x2", "0902", 35)) == [Offer("x2", ("b",), 15)]
    assert events(acd.tick(41), ql.WRAPUP_END)[0].agent == "a"  # a's wrap-up is over
    acd.offer_result("x2", "b", False, 50)
    assert [o.agents for o in offers(acd.tick(50 + acd_retry()))] == [("a",)]


def test_the_figures_count_a_transfer_as_the_end_of_the_agents_talk() -> None:
    from pbx_core.queue_stats import figures

    cfg = queue("linear", members=("a",))
    acd = make(cfg, agents("a"))
    log = events(acd.enter("q1", "x1", "0901", 0))
    log += events(acd.offer_result("x1", "a", True, 5))
    log += events(acd.transferred("x1", 65, talk_s=60, target="105"))
    fig = figures(log, 70, {"q1": cfg})
    q, a = fig.queues["q1"], fig.agents["a"]
    assert (q.answered, q.avg_talk_s, q.waiting) == (1, 60, 0)
    assert (a.answered, a.talk_s) == (1, 60) and a.state not in ("queue_call", "wrapup")  # 0 s wrap-up: over


def test_a_callback_the_customer_does_not_answer_keeps_its_place_for_another_try() -> None:
    """The agent answered the callback, the customer did not: not the agent's miss, the agent
    is free at once, the caller keeps its place and is tried again CALLBACK_RETRY_S later;
    after CALLBACK_TRIES tries it is given up (ABANDON)."""
    from pbx_core.acd import CALLBACK_RETRY_S, CALLBACK_TRIES

    acd = make(queue("linear", members=("a",)), agents("a", status="paused"))
    acd.enter("q1", "c1", "0901", 0)
    acd.request_callback("c1", "0901", 1)
    acd.enter("q1", "c2", "0902", 2)  # a later caller, on the line
    now = 10.0
    acts = acd.configure({"q1": queue("linear", members=("a",))}, agents("a", since=(5,)), now)
    assert [x for x in acts if isinstance(x, DialCallback)] == [DialCallback("c1", "0901", "a", 15)]
    for attempt in range(1, CALLBACK_TRIES + 1):
        assert not events(acd.offer_result("c1", "a", True, now + 1), ql.ANSWER)  # not yet: the customer rings
        acts = acd.callback_result("c1", False, now + 20)
        (miss,) = events(acts, ql.NOANSWER)
        assert (miss.agent, miss.reason) == ("a", "customer")
        if attempt == CALLBACK_TRIES:
            (gone,) = events(acts, ql.ABANDON)
            assert gone.reason == "callback_unanswered" and gone.call_id == "c1"
            assert acd.line("q1") == ["c2"] and [o.call_id for o in offers(acts)] == ["c2"]
            break
        # its place is kept (ahead of c2), the agent is free: c2 is offered meanwhile
        assert acd.line("q1") == ["c1", "c2"] and [o.call_id for o in offers(acts)] == ["c2"]
        acd.offer_result("c2", "a", False, now + 21)  # a lets c2 ring (c2 stays second)
        assert acd.line("q1") == ["c1", "c2"]
        now += 20 + CALLBACK_RETRY_S
        acts = acd.tick(now)
        assert [x.call_id for x in acts if isinstance(x, DialCallback)] == ["c1"]
