"""The call-center figures (pbx_core.queue_stats): a scripted day whose expected values are
worked out by hand below, the per-interval rows, and the engine's own events tallied."""

from __future__ import annotations

import json

import pytest

from pbx_core import queue_log as ql
from pbx_core.acd import Acd, Log
from pbx_core.queue_log import QueueEvent
from pbx_core.queue_stats import Tally, figures, intervals
from pbx_core.snapshot import AgentStatus, QueueConfig, QueueMember

pytestmark = pytest.mark.unit

Q = QueueConfig(id="q1", name="Sales", number="600", service_level_s=20, members=(QueueMember("a"), QueueMember("b")))
QUEUES = {"q1": Q}


def ev(at: float, kind: str, call: str = "", agent: str = "", **kw: object) -> QueueEvent:
    qid = "" if kind in ql.AGENT_KINDS else "q1"
    return QueueEvent(at=at, tenant_id="t1", queue_id=qid, kind=kind, call_id=call, agent=agent, **kw)  # type: ignore[arg-type]


# T = service_level_s = 20 s, short abandon < 5 s
DAY = [
    ev(0, ql.LOGIN, agent="a"),
    ev(0, ql.LOGIN, agent="b"),
    ev(5, ql.COMPLETE, "p1", "a", talk_s=40, personal=True),  # a's own call: kept apart
    ev(10, ql.ENTER, "x1", position=1),
    ev(10, ql.OFFER, "x1", "a"),
    ev(15, ql.ANSWER, "x1", "a", wait_s=5, position=1),  # in SL
    ev(20, ql.ENTER, "x2", position=1),
    ev(20, ql.OFFER, "x2", "b"),
    ev(30, ql.ENTER, "x3", position=2),
    ev(33, ql.ABANDON, "x3", position=2, wait_s=3),  # short abandon
    ev(35, ql.NOANSWER, "x2", "b"),
    ev(37, ql.OFFER, "x2", "b"),
    ev(40, ql.ENTER, "x4", position=2),
    ev(45, ql.ENTER, "x5", position=3),
    ev(50, ql.ANSWER, "x2", "b", wait_s=30, position=1),  # out of SL
    ev(55, ql.ABANDON, "x5", position=2, wait_s=10),  # not short, within T
    ev(70, ql.ABANDON, "x4", position=1, wait_s=30),  # after T
    ev(75, ql.COMPLETE, "x1", "a", talk_s=60),
    ev(85, ql.WRAPUP_END, agent="a"),
    ev(86, ql.PAUSE, agent="a", reason="break"),
    ev(89, ql.UNPAUSE, agent="a"),  # a paused 3 s
    ev(90, ql.ENTER, "x6", position=1),
    ev(90, ql.OFFER, "x6", "a"),
    ev(100, ql.ANSWER, "x6", "a", wait_s=10, position=1),  # in SL; a still talking at 150
    ev(110, ql.ENTER, "x7", position=1),
    ev(120, ql.CALLBACK_REQUEST, "x7", position=1),
    ev(130, ql.ENTER, "x8", position=2),
    ev(140, ql.COMPLETE, "x2", "b", talk_s=90),  # b in wrap-up
    ev(145, ql.PAUSE, agent="b", reason="lunch"),  # open at 150: 5 s
]
NOW = 150.0


def test_figures_of_a_scripted_day() -> None:
    f = figures(DAY, NOW, QUEUES)
    q = f.queues["q1"]
    # entered: x1..x8 = 8; answered x1 (5 s), x2 (30 s), x6 (10 s) = 3
    assert (q.entered, q.answered, q.abandoned, q.short_abandons) == (8, 3, 3, 1)
    # answered within 20 s: x1, x6 = 2; abandoned after 20 s (not short): x4 = 1
    assert (q.answered_in_sl, q.abandoned_after_sl) == (2, 1)
    # SL = 2 / 3 answered; SL with abandons = 2 / (3 answered + 1 abandoned after T) = 0.5
    assert q.service_level == pytest.approx(2 / 3)
    assert q.service_level_abandons == pytest.approx(0.5)
    # ASA = (5 + 30 + 10) / 3 = 15; talk = (60 + 90) / 2 = 75 (a's personal 40 s not in it)
    assert q.asa_s == pytest.approx(15.0)
    assert q.avg_talk_s == pytest.approx(75.0)
    # abandon rate = (3 abandons - 1 short) / (8 entered - 1 short) = 2 / 7
    assert q.abandon_rate == pytest.approx(2 / 7)
    # on the line now: x8 only (x7 waits for a callback); x8 waited 150 - 130 = 20 s
    assert (q.waiting, q.callbacks_pending, q.longest_wait_s) == (1, 1, 20.0)
    assert (q.timeouts, q.refused, q.overflowed, q.callbacks_requested) == (0, 0, 0, 1)

    a, b = f.agents["a"], f.agents["b"]
    # a: answered x1 and x6, talked 60 s (x6 not ended), paused 86 -> 89 = 3 s, one personal call of 40 s
    assert (a.state, a.answered, a.talk_s, a.pause_s, a.personal_calls, a.personal_talk_s) == (
        "queue_call",
        2,
        60.0,
        3.0,
        1,
        40.0,
    )
    # b: answered x2 after one noanswer, talked 90 s, paused since 145: 150 - 145 = 5 s, in wrap-up
    assert (b.state, b.answered, b.noanswers, b.talk_s, b.pause_s, b.personal_calls) == ("wrapup", 1, 1, 90.0, 5.0, 0)
    # later, b unpauses at 160 and the pause stops growing: 160 - 145 = 15 s
    f2 = figures([*DAY, ev(160, ql.UNPAUSE, agent="b")], 200, QUEUES)
    assert f2.agents["b"].pause_s == 15.0
    assert f2.agents["b"].state == "wrapup"
    json.dumps(f.to_dict())


def test_short_abandon_threshold_is_a_parameter() -> None:
    # with short = 2 s, x3 (3 s) is a real abandon: rate = 3 / 8
    q = figures(DAY, NOW, QUEUES, short_abandon_s=2.0).queues["q1"]
    assert (q.short_abandons, q.abandon_rate) == (0, pytest.approx(3 / 8))


def test_tally_is_incremental() -> None:
    t = Tally(QUEUES)
    for e in DAY[:10]:
        t.add(e)
    mid = t.snapshot(34).queues["q1"]
    # at 34: x1 answered, x2 ringing b, x3 abandoned short: x2 waits (34 - 20 = 14 s)
    assert (mid.entered, mid.answered, mid.waiting, mid.longest_wait_s) == (3, 1, 1, 14.0)
    assert t.snapshot(34).agents["b"].state == "ringing"
    for e in DAY[10:]:
        t.add(e)
    assert t.snapshot(NOW) == figures(DAY, NOW, QUEUES)


def test_an_empty_queue_has_no_ratios() -> None:
    q = figures([], 0, QUEUES).queues["q1"]
    assert (q.entered, q.service_level, q.service_level_abandons, q.asa_s, q.abandon_rate) == (
        0,
        None,
        None,
        None,
        None,
    )


def test_intervals() -> None:
    rows = intervals(DAY, 0, 150, 50, QUEUES)
    got = [(r.start, r.entered, r.answered, r.abandoned, r.short_abandons, r.service_level, r.asa_s) for r in rows]
    assert got == [
        # [0, 50): enter x1 x2 x3 x4 x5; answer x1 (5 s, in SL); x3 abandoned short
        (0, 5, 1, 0, 1, 1.0, 5.0),
        # [50, 100): answer x2 (30 s, out of SL); abandons x5 (10 s) and x4 (30 s); enter x6
        (50, 1, 1, 2, 0, 0.0, 30.0),
        # [100, 150): answer x6 (10 s); enter x7, x8
        (100, 2, 1, 0, 0, 1.0, 10.0),
    ]
    assert [r.end for r in intervals(DAY, 0, 120, 50, QUEUES)] == [50, 100, 120]
    assert intervals(DAY, 0, 150, 50, QUEUES, queue_id="other")[0].entered == 0


def test_the_engines_events_tally_to_its_own_state() -> None:
    agents = {"a": AgentStatus("a", status="ready"), "b": AgentStatus("b", status="ready")}
    q = QueueConfig(id="q1", name="S", number="600", strategy="linear", wrapup_s=5,
                    members=(QueueMember("a"), QueueMember("b")))  # fmt: skip
    acd = Acd("t1", {"q1": q}, agents)
    t = Tally({"q1": q})
    acts = []
    for i in range(4):
        acts += acd.enter("q1", f"x{i}", f"090{i}", i)
    acts += acd.offer_result("x0", "a", True, 10)  # waited 10 s
    acts += acd.hangup("x2", 11)  # 2nd in line: x1 (ringing b), x2, x3
    acts += acd.offer_result("x1", "b", True, 31)  # waited 30 s
    for x in acts:
        if isinstance(x, Log):
            t.add(x.event)
    f = t.snapshot(40).queues["q1"]
    assert (f.entered, f.answered, f.abandoned, f.waiting) == (4, 2, 1, len(acd.line("q1")))
    assert f.asa_s == pytest.approx((10 + 30) / 2)
    assert f.service_level == pytest.approx(0.5)
    assert t.snapshot(40).agents["a"].state == "queue_call"


@pytest.mark.parametrize("seed", range(8))
def test_the_tally_follows_the_engine_through_a_random_churn(seed: int) -> None:
    """Waiting and callback counts from the events alone match the engine's own lines."""
    import random

    rng = random.Random(seed)
    q = QueueConfig(id="q1", name="S", number="600", strategy="longest_idle", wrapup_s=2, max_wait_s=60, max_len=8,
                    ring_timeout_s=5, retry_s=1, rejoin_s=30,
                    members=(QueueMember("a"), QueueMember("b"), QueueMember("c", 1)))  # fmt: skip
    st = {e: AgentStatus(e, status="ready") for e in "abc"}
    acd = Acd("t1", {"q1": q}, st, seed=seed)
    t = Tally({"q1": q})
    now, n = 0.0, 0
    for step in range(400):
        now += rng.choice((0.0, 0.5, 1.0, 3.0))
        r = rng.random()
        calls = list(acd._callers.values())
        if r < 0.3:
            n += 1
            acts = acd.enter("q1", f"x{n}", f"09{rng.randrange(6)}", now, vip=rng.random() < 0.1)
        elif r < 0.5 and any(c.offered for c in calls):
            c = rng.choice([c for c in calls if c.offered])
            acts = acd.offer_result(c.call_id, rng.choice(sorted(c.offered)), rng.random() < 0.6, now)
        elif r < 0.55 and acd._dialing:  # a callback's customer answers, or not
            acts = acd.callback_result(rng.choice(sorted(acd._dialing)), rng.random() < 0.6, now)
        elif r < 0.6 and acd._active:
            acts = acd.call_ended(rng.choice(sorted(acd._active)), now, 7)
        elif r < 0.7 and calls:
            acts = acd.hangup(rng.choice(calls).call_id, now)
        elif r < 0.75 and calls:
            acts = acd.request_callback(rng.choice(calls).call_id, "0981", now)
        elif r < 0.8:
            st = {**st, (e := rng.choice("abc")): AgentStatus(e, status=rng.choice(("ready", "paused", "logged_out")),
                                                            since=step)}  # fmt: skip
            acts = acd.configure({"q1": q}, st, now)
        else:
            acts = acd.tick(now)
        for x in acts:
            if isinstance(x, Log):
                t.add(x.event)
        f = t.snapshot(now).queues["q1"]
        line = [acd._callers[c] for c in acd.line("q1")]
        assert f.waiting == sum(1 for c in line if not c.callback)
        # a callback being dialled (its agent answered, the customer rings) is still pending
        assert f.callbacks_pending == sum(1 for c in line if c.callback) + len(acd._dialing)
        if any(not c.callback for c in line):
            # the log is 10 µs apart per event (pbx_core.acd), so the figure may be that much shorter
            assert f.longest_wait_s == pytest.approx(max(now - c.entered_at for c in line if not c.callback), abs=1e-3)
        ag = t.snapshot(now).agents
        dialling = {agent for _, agent in acd._dialing.values()}  # the log shows them ringing
        for e, a in acd._agents.items():
            if a.state in ("queue_call", "wrapup") and e in ag and e not in dialling:
                assert ag[e].state == a.state, (step, e)


def test_events_before_the_period_set_the_scene_but_are_not_counted() -> None:
    log = [
        ev(0, ql.LOGIN, agent="a"),
        ev(10, ql.PAUSE, agent="a", reason="họp"),
        ev(50, ql.ENTER, "c1", position=1),
        ev(90, ql.ABANDON, "c0", wait_s=40),  # before the period: not counted
        ev(110, ql.ENTER, "c2", position=2),
        ev(130, ql.UNPAUSE, agent="a"),
    ]
    f = figures(log, 150, {"q1": Q}, counted_from=100)
    q, a = f.queues["q1"], f.agents["a"]
    assert (q.waiting, q.entered, q.abandoned, q.longest_wait_s) == (2, 1, 0, 100)
    assert a.pause_s == 30 and a.state == "ready"  # paused since 10, counted from 100 to 130
    # nothing in the period yet: the scene only
    g = figures(log[:4], 100, {"q1": Q}, counted_from=100)
    assert (g.queues["q1"].waiting, g.queues["q1"].entered, g.agents["a"].state) == (1, 0, "paused")
