"""The call-center figures (issue 16 item 4), computed from queue-log events only
(pbx_core.queue_log), never kept apart: the wallboard, the reports and the API all read
them from here, so they cannot disagree.

``Tally`` is incremental: the control plane keeps one per tenant, ``add``s each event as it
arrives and asks ``snapshot(now)`` for the wallboard; ``figures()`` is the same over a
list of events. ``intervals()`` gives per-interval rows for reports.

Definitions (T = the queue's service_level_s, S = short_abandon_s):

* entered: ENTER + REJOIN (a rejoin is a new call into the queue; the call it replaces was
  counted as an abandon). FULL callers never entered; they are counted as ``refused``.
* short abandon: an ABANDON with wait_s < S (a caller who misdialled or changed their mind),
  left out of the abandon rate and of the second service level.
* service_level: answered with wait_s <= T / answered ("of the answered calls, how many
  in time"); None if nothing was answered.
* service_level_abandons: answered with wait_s <= T / (answered + abandons with wait_s > T,
  short ones excluded): callers who gave up after T count as missed.
* asa: mean wait_s of ANSWER. avg_talk_s: mean talk_s of the queue's COMPLETE and TRANSFER
  (a transfer ends the agent's part of the call; personal calls are not queue calls and are
  kept apart, per agent).
* abandon_rate: (abandoned - short) / (entered - short); None if nothing entered.
* waiting: callers on the line in the queue now (ENTER/REJOIN not yet answered, abandoned,
  timed out or overflowed); callbacks_pending: callers waiting for a callback (after
  CALLBACK_REQUEST, until CALLBACK_DIAL is answered or the caller leaves); longest_wait_s
  is over the callers on the line.
* agent state, as far as the events tell: logged_out / ready / paused from LOGIN, LOGOUT,
  PAUSE, UNPAUSE; ringing from OFFER/CALLBACK_DIAL until NOANSWER or the caller is answered
  or leaves; queue_call from ANSWER to COMPLETE or TRANSFER; wrapup from then to WRAPUP_END. An
  activity shows over the status (a paused agent finishing a call is "queue_call").
* pause_s: the time between PAUSE and UNPAUSE/LOGOUT (an open pause up to ``now``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from pbx_core import queue_log as ql
from pbx_core.queue_log import QueueEvent
from pbx_core.snapshot import QueueConfig

DEFAULT_SL_S = QueueConfig(id="", name="", number="").service_level_s


@dataclass(frozen=True)
class QueueFigures:
    queue_id: str
    waiting: int
    callbacks_pending: int
    longest_wait_s: float
    entered: int
    answered: int
    abandoned: int  # all abandons, the short ones included
    short_abandons: int
    timeouts: int
    refused: int  # FULL
    overflowed: int  # OVERFLOW (refused, timed out or sent on when the queue emptied)
    callbacks_requested: int
    answered_in_sl: int
    abandoned_after_sl: int  # not short, waited more than T
    service_level: float | None
    service_level_abandons: float | None
    asa_s: float | None
    avg_talk_s: float | None
    abandon_rate: float | None


@dataclass(frozen=True)
class AgentFigures:
    extension: str
    state: str
    answered: int
    noanswers: int
    talk_s: float
    pause_s: float
    personal_calls: int
    personal_talk_s: float


@dataclass(frozen=True)
class Figures:
    at: float
    queues: dict[str, QueueFigures]
    agents: dict[str, AgentFigures]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Q:
    waiting: dict[str, float] = field(default_factory=dict)  # call -> entered at
    callbacks: set[str] = field(default_factory=set)
    entered: int = 0
    answered: int = 0
    abandoned: int = 0
    short: int = 0
    timeouts: int = 0
    refused: int = 0
    overflowed: int = 0
    callbacks_requested: int = 0
    in_sl: int = 0
    abandoned_after: int = 0
    wait_sum: float = 0.0
    talk_sum: float = 0.0
    completes: int = 0


@dataclass
class _A:
    status: str = "logged_out"
    activity: str = ""  # ringing | queue_call | wrapup
    ringing_call: str = ""
    answered: int = 0
    noanswers: int = 0
    talk_s: float = 0.0
    pause_s: float = 0.0
    paused_at: float | None = None
    personal: int = 0
    personal_talk_s: float = 0.0


def _ratio(num: float, den: float) -> float | None:
    return num / den if den > 0 else None


class Tally:
    """Figures kept up to date event by event; O(1) per event, snapshot O(queues + agents
    + callers waiting)."""

    def __init__(self, queues: Mapping[str, QueueConfig], short_abandon_s: float = 5.0) -> None:
        self.queues = dict(queues)
        self.short_abandon_s = short_abandon_s
        self._q: dict[str, _Q] = {qid: _Q() for qid in queues}
        self._a: dict[str, _A] = {}
        self._ringing: dict[str, set[str]] = {}  # caller -> agents ringing with it

    def _sl(self, queue_id: str) -> float:
        cfg = self.queues.get(queue_id)
        return cfg.service_level_s if cfg is not None else DEFAULT_SL_S

    def _agent(self, ext: str) -> _A:
        a = self._a.get(ext)
        if a is None:
            a = self._a[ext] = _A()
        return a

    def _stop_ringing(self, call_id: str, but: str = "") -> None:
        for ext in self._ringing.pop(call_id, set()):
            a = self._a.get(ext)
            if a is not None and ext != but and a.activity == "ringing" and a.ringing_call == call_id:
                a.activity, a.ringing_call = "", ""

    def _leave(self, q: _Q, call_id: str) -> None:
        q.waiting.pop(call_id, None)
        q.callbacks.discard(call_id)
        self._stop_ringing(call_id)

    def add(self, e: QueueEvent) -> None:
        k = e.kind
        if k in ql.AGENT_KINDS:
            self._agent_event(e)
            return
        q = self._q.get(e.queue_id)
        if q is None:
            q = self._q[e.queue_id] = _Q()
        if k in (ql.ENTER, ql.REJOIN):
            q.entered += 1
            q.waiting[e.call_id] = e.at
        elif k == ql.OFFER or k == ql.CALLBACK_DIAL:
            self._ringing.setdefault(e.call_id, set()).add(e.agent)
            a = self._agent(e.agent)
            a.activity, a.ringing_call = "ringing", e.call_id
        elif k == ql.NOANSWER:
            a = self._agent(e.agent)
            if e.reason != "customer":  # a callback's customer did not answer: not the agent's miss
                a.noanswers += 1
            if a.activity == "ringing":
                a.activity, a.ringing_call = "", ""
            self._ringing.get(e.call_id, set()).discard(e.agent)
        elif k == ql.ANSWER:
            q.answered += 1
            q.wait_sum += e.wait_s
            if e.wait_s <= self._sl(e.queue_id):
                q.in_sl += 1
            self._stop_ringing(e.call_id, but=e.agent)
            self._leave(q, e.call_id)
            a = self._agent(e.agent)
            a.answered += 1
            a.activity, a.ringing_call = "queue_call", ""
        elif k == ql.ABANDON:
            q.abandoned += 1
            if e.wait_s < self.short_abandon_s:
                q.short += 1
            elif e.wait_s > self._sl(e.queue_id):
                q.abandoned_after += 1
            self._leave(q, e.call_id)
        elif k == ql.TIMEOUT:
            q.timeouts += 1
            self._leave(q, e.call_id)
        elif k == ql.FULL:
            q.refused += 1
        elif k == ql.OVERFLOW:
            q.overflowed += 1
            self._leave(q, e.call_id)
        elif k == ql.CALLBACK_REQUEST:
            q.callbacks_requested += 1
            self._stop_ringing(e.call_id)  # the engine cancels a ringing offer then
            if q.waiting.pop(e.call_id, None) is not None:
                q.callbacks.add(e.call_id)
        elif k in (ql.COMPLETE, ql.TRANSFER):  # a transfer ends the agent's part like a COMPLETE
            a = self._agent(e.agent)
            if e.personal:
                a.personal += 1
                a.personal_talk_s += e.talk_s
                return
            q.completes += 1
            q.talk_sum += e.talk_s
            a.talk_s += e.talk_s
            if a.activity == "queue_call":
                a.activity = "wrapup"

    def restart(self, at: float) -> None:
        """Count from ``at`` on: the totals start again from zero, while what the earlier
        events left stays (who waits and since when, pending callbacks, who rings, agents'
        statuses and activities; an open pause counts from ``at``). A caller who entered
        before ``at`` and is answered or leaves after it is counted where that happens (not in
        ``entered``)."""
        for qid, q in self._q.items():
            self._q[qid] = _Q(waiting=q.waiting, callbacks=q.callbacks)
        for ext, a in self._a.items():
            paused = max(a.paused_at, at) if a.paused_at is not None else None
            self._a[ext] = _A(status=a.status, activity=a.activity, ringing_call=a.ringing_call, paused_at=paused)

    def _agent_event(self, e: QueueEvent) -> None:
        a = self._agent(e.agent)
        k = e.kind
        if k in (ql.UNPAUSE, ql.LOGOUT) and a.paused_at is not None:
            a.pause_s += max(0.0, e.at - a.paused_at)
            a.paused_at = None
        if k == ql.LOGIN:
            a.status = "ready"
        elif k == ql.LOGOUT:
            a.status = "logged_out"
            if a.activity == "ringing":
                a.activity, a.ringing_call = "", ""
        elif k == ql.PAUSE:
            a.status = "paused"
            if a.paused_at is None:
                a.paused_at = e.at
            if a.activity == "ringing":
                a.activity, a.ringing_call = "", ""
        elif k == ql.UNPAUSE:
            a.status = "ready"
        elif k == ql.WRAPUP_END and a.activity == "wrapup":
            a.activity = ""

    def snapshot(self, now: float) -> Figures:
        queues: dict[str, QueueFigures] = {}
        for qid, q in sorted(self._q.items()):
            not_short = q.abandoned - q.short
            queues[qid] = QueueFigures(
                queue_id=qid,
                waiting=len(q.waiting),
                callbacks_pending=len(q.callbacks),
                longest_wait_s=max((max(0.0, now - t) for t in q.waiting.values()), default=0.0),
                entered=q.entered,
                answered=q.answered,
                abandoned=q.abandoned,
                short_abandons=q.short,
                timeouts=q.timeouts,
                refused=q.refused,
                overflowed=q.overflowed,
                callbacks_requested=q.callbacks_requested,
                answered_in_sl=q.in_sl,
                abandoned_after_sl=q.abandoned_after,
                service_level=_ratio(q.in_sl, q.answered),
                service_level_abandons=_ratio(q.in_sl, q.answered + q.abandoned_after),
                asa_s=_ratio(q.wait_sum, q.answered),
                avg_talk_s=_ratio(q.talk_sum, q.completes),
                abandon_rate=_ratio(not_short, q.entered - q.short),
            )
        agents: dict[str, AgentFigures] = {}
        for ext, a in sorted(self._a.items()):
            pause = a.pause_s + (max(0.0, now - a.paused_at) if a.paused_at is not None else 0.0)
            agents[ext] = AgentFigures(
                extension=ext,
                state=a.activity or a.status,
                answered=a.answered,
                noanswers=a.noanswers,
                talk_s=a.talk_s,
                pause_s=pause,
                personal_calls=a.personal,
                personal_talk_s=a.personal_talk_s,
            )
        return Figures(at=now, queues=queues, agents=agents)


def figures(
    events: Iterable[QueueEvent],
    now: float,
    queues: Mapping[str, QueueConfig],
    short_abandon_s: float = 5.0,
    counted_from: float | None = None,
) -> Figures:
    """The figures of ``events`` (in the order they happened) at ``now``. With
    ``counted_from``, the events before it only set the scene (who is waiting since before
    midnight, say) and the totals count from it (``Tally.restart``)."""
    t = Tally(queues, short_abandon_s)
    started = counted_from is None
    for e in events:
        if not started and counted_from is not None and e.at >= counted_from:
            t.restart(counted_from)
            started = True
        t.add(e)
    if not started and counted_from is not None:
        t.restart(counted_from)
    return t.snapshot(now)


@dataclass(frozen=True)
class IntervalRow:
    start: float
    end: float
    entered: int
    answered: int
    abandoned: int  # not short
    short_abandons: int
    answered_in_sl: int
    service_level: float | None  # answered_in_sl / answered
    asa_s: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def intervals(
    events: Iterable[QueueEvent],
    start: float,
    end: float,
    step_s: float,
    queues: Mapping[str, QueueConfig] | None = None,
    *,
    queue_id: str = "",
    short_abandon_s: float = 5.0,
) -> list[IntervalRow]:
    """Rows for [start, end) in steps of ``step_s`` (the last one may be shorter): each
    event counts in the interval its ``at`` falls in. ``queue_id`` = "" takes all queues;
    T per queue from ``queues`` (20 s when unknown)."""
    if step_s <= 0 or end <= start:
        return []
    n = int((end - start + step_s - 1e-9) // step_s)
    acc = [[0, 0, 0, 0, 0, 0.0] for _ in range(n)]  # entered answered abandoned short in_sl wait_sum
    qs = queues or {}
    for e in events:
        if not (start <= e.at < end) or (queue_id and e.queue_id != queue_id):
            continue
        row = acc[min(n - 1, int((e.at - start) // step_s))]
        if e.kind in (ql.ENTER, ql.REJOIN):
            row[0] += 1
        elif e.kind == ql.ANSWER:
            row[1] += 1
            row[5] += e.wait_s
            cfg = qs.get(e.queue_id)
            if e.wait_s <= (cfg.service_level_s if cfg is not None else DEFAULT_SL_S):
                row[4] += 1
        elif e.kind == ql.ABANDON:
            row[3 if e.wait_s < short_abandon_s else 2] += 1
    out: list[IntervalRow] = []
    for i, (ent, ans, ab, short, in_sl, wait_sum) in enumerate(acc):
        s = start + i * step_s
        out.append(
            IntervalRow(
                start=s,
                end=min(end, s + step_s),
                entered=int(ent),
                answered=int(ans),
                abandoned=int(ab),
                short_abandons=int(short),
                answered_in_sl=int(in_sl),
                service_level=_ratio(in_sl, ans),
                asa_s=_ratio(wait_sum, ans),
            )
        )
    return out
