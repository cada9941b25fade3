"""The call-center queue engine (ACD, issue 16): one ``Acd`` per tenant, held by the media
worker that holds the tenant's queue callers. It decides; the worker carries the decisions
out. No clock (every method takes ``now``), no I/O, randomness only from a seeded
``random.Random``, so a run is a function of its inputs and a test can script one.

API (every method returns ``list[Action]`` in the order they happened)::

    acd = Acd(tenant_id, queues, agents, seed=0)
    acd.configure(queues, agents, now)            # snapshot reload: LOGIN/LOGOUT/PAUSE/UNPAUSE
    acd.enter(queue_id, call_id, caller, now, vip=False)
    acd.hangup(call_id, now)                      # a waiting caller hung up: ABANDON
    acd.request_callback(call_id, number, now)    # the caller pressed 1; its call may end
    acd.offer_result(call_id, agent, answered, now)
    acd.call_ended(call_id, now, talk_s)          # an answered queue call ended: COMPLETE
    acd.agent_state(extension, state, now, call_id="", talk_s=0.0)  # personal calls
    acd.ready_now(extension, now)                 # ends wrap-up early
    acd.tick(now)                                 # timers; call it about once a second

Actions: ``Offer``, ``CancelOffer``, ``DialCallback``, ``Announce``, ``Overflow``,
``AgentPaused`` tell the worker what to do; ``Log`` carries a ``QueueEvent`` for the queue
log (pbx_core.queue_log), in the same list, so the worker forwards events in the order
they happened with the actions they explain.

Choices where the issue left it open, and why:

* Order in line: VIP callers first, then by the time the place was taken (``since``: the
  first ENTER, kept by a rejoin); ties by arrival. ``position`` is the 1-based place in
  that order. A VIP never passes a VIP who waited longer.
* ``wait_s`` in events is this call's own time in the queue (from its ENTER/REJOIN); the
  tiers open by the age of the place (``since``), and ``max_wait_s`` counts this call's
  time, so a rejoin gets its old place but not an immediate timeout.
* Tiers: member penalty ``p`` is allowed once the place is ``p * widen_after_s`` old; of the
  allowed and available agents only the lowest tier is offered (the strategy picks
  within it). ``ringall`` rings every available agent of that tier at once.
* An agent in several queues: the scheduler walks every queue's line merged in one order
  (VIP first, then ``since``), so the caller who waited longest across queues is offered
  first.
* Ring timeouts: ``tick`` detects them (each offer has a deadline of ``ring_timeout_s``);
  the worker may also report a refusal earlier with ``offer_result(answered=False)``.
  Either way NOANSWER; the caller and the agent are not offered again for ``retry_s``.
  ``autopause_after`` unanswered offers in a row pause the agent (PAUSE "autopause" and
  ``AgentPaused``); the pause holds until the snapshot brings a newer status for the
  agent (another ``since``), since the reloaded snapshot still says "ready" until the
  control plane has been told.
* Logged in = status ready or paused. ``join_empty`` / ``leave_when_empty`` look at it.
  Waiting callers of a queue whose last member logged out (or of a removed queue)
  overflow: OVERFLOW event + ``Overflow(reason="empty" | "removed")``. A refused caller
  gets FULL (reason "full" or "empty") then OVERFLOW; a timeout TIMEOUT then OVERFLOW.
  OVERFLOW's reason is the target (queue.overflow), the action's reason the cause.
* A rejoin (same caller number, same queue, hung up less than ``rejoin_s`` ago) gets one
  REJOIN event (not ENTER) and may pass ``max_len`` (it had its place).
* Callbacks: after ``request_callback`` the caller is virtual: ``hangup`` of its call is
  ignored, it does not time out and is not announced, but it keeps its place. When it is
  first in line and an agent is free it gets one agent (``DialCallback``, CALLBACK_DIAL);
  ringall picks the longest idle. One callback holds one free agent, so there are never
  more callbacks in progress than free agents. The agent answering is not the ANSWER: the
  worker reports the customer's answer (``callback_result``); a customer who does not
  answer is tried again ``CALLBACK_RETRY_S`` later from the same place, ``CALLBACK_TRIES``
  times in all, then ABANDON (reason "callback_unanswered").
* Expected wait in ``Announce``: ``position * aht / ready`` rounded, where ``aht`` is the
  mean handle time (talk_s + wrapup_s) of the queue's last 20 completed calls and
  ``ready`` the members with status ready; 0 when either is unknown/zero.
* A personal call: the worker reports ``agent_state(ext, "personal_call")`` and then
  ``"idle"`` (with its call_id and talk_s): the agent is not offered meanwhile and a
  COMPLETE with ``personal=True`` is logged under the agent's first queue (by id), since a
  caller event needs a queue id. An offer ringing the agent is cancelled.
* ``longest_idle`` counts from the end of the agent's last call (queue or personal), its
  wrap-up end, or its login; ``fewest_calls`` counts answered queue calls since login.

Cost: every call runs the scheduler at its ``now`` (so a call that frees an agent returns
its Offer, and a tier that opened or a retry that ended is seen by the next call of any
kind). The scheduler starts from the set of idle ready agents, kept exact on every change
of an agent, and from the head of each line that has one of them as a member: O(idle
agents x their queues + offers made x queue members + callers skipped, i.e. ringing or in
retry), never a walk of every waiting caller or of history. ``tick`` walks the waiting
callers once (ring timeouts, max_wait, announcements) and then runs the same scheduler.
"""

from __future__ import annotations

import bisect
import heapq
import random
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from pbx_core import queue_log as ql
from pbx_core.errors import ValidationError
from pbx_core.queue_log import QueueEvent
from pbx_core.snapshot import AgentStatus, QueueConfig

STATES = ("idle", "ringing", "queue_call", "personal_call", "wrapup")
AHT_WINDOW = 20  # completed calls a queue's expected wait is computed from
CALLBACK_TRIES = 3  # a callback's customer who does not answer is tried this many times in all
CALLBACK_RETRY_S = 120.0  # between two tries of one callback (its place in line is kept)


@dataclass(frozen=True)
class Offer:
    """Ring these agents with the caller; the first to answer takes it."""

    call_id: str
    agents: tuple[str, ...]
    timeout_s: int


@dataclass(frozen=True)
class CancelOffer:
    """Stop ringing these agents with the caller (answered elsewhere, caller gone, ...)."""

    call_id: str
    agents: tuple[str, ...]


@dataclass(frozen=True)
class DialCallback:
    """Ring the agent first; once the agent answers, call the customer's number."""

    call_id: str
    number: str
    agent: str
    timeout_s: int


@dataclass(frozen=True)
class Announce:
    """Play the caller its place in line and the expected wait (0 = do not say it)."""

    call_id: str
    position: int
    expected_wait_s: int
    language: str


@dataclass(frozen=True)
class Overflow:
    """The caller leaves the queue for ``target`` (a QueueConfig.overflow value)."""

    call_id: str
    target: str
    reason: str  # full | empty | timeout | removed | unknown_queue


@dataclass(frozen=True)
class AgentPaused:
    """The engine paused the agent; the control plane should store the status."""

    extension: str
    reason: str


@dataclass(frozen=True)
class Log:
    """A queue-log record for the control plane."""

    event: QueueEvent


Action = Offer | CancelOffer | DialCallback | Announce | Overflow | AgentPaused | Log


@dataclass
class _Caller:
    call_id: str
    queue_id: str
    number: str
    vip: bool
    since: float  # the place's age (kept on rejoin)
    entered_at: float  # this call's entry
    seq: int
    position_at_entry: int = 0
    offered: set[str] = field(default_factory=set)
    tried: set[str] = field(default_factory=set)  # agents who let it ring this round
    deadline: float = 0.0  # ring timeout of the current offer
    retry_at: float = 0.0
    last_announce: float = 0.0
    callback: str = ""  # the number to call back: a virtual caller
    callback_tries: int = 0  # callbacks the customer did not answer

    @property
    def key(self) -> tuple[bool, float, int]:
        return (not self.vip, self.since, self.seq)


@dataclass
class _Agent:
    extension: str
    status: str = "logged_out"
    reason: str = ""
    since: int = 0  # the snapshot's since of the status applied
    autopaused: bool = False
    state: str = "idle"
    idle_since: float = 0.0
    wrapup_until: float = 0.0
    wrapup_queue: str = ""
    retry_at: float = 0.0
    answered: int = 0
    noanswer_streak: int = 0
    local_since: int = 0  # a status set on the phone: older snapshots do not undo it
    ringing_call: str = ""
    personal_call: str = ""
    queues: list[str] = field(default_factory=list)
    pool: set[str] | None = field(default=None, repr=False, compare=False)  # Acd._idle

    @property
    def effective(self) -> str:
        return "paused" if self.autopaused and self.status != "logged_out" else self.status

    def free(self, now: float) -> bool:
        return self.effective == "ready" and self.state == "idle" and self.retry_at <= now

    def __setattr__(self, name: str, value: object) -> None:
        # keeps the engine's set of idle ready agents exact whatever changes an agent, so
        # the scheduler starts from it instead of looking at every agent of the tenant
        object.__setattr__(self, name, value)
        if name in ("state", "status", "autopaused", "pool"):
            pool: set[str] | None = getattr(self, "pool", None)
            if pool is not None:
                if self.effective == "ready" and self.state == "idle":
                    pool.add(self.extension)
                else:
                    pool.discard(self.extension)


@dataclass
class _Queue:
    config: QueueConfig
    line: list[_Caller] = field(default_factory=list)  # sorted by _Caller.key
    rr_last: str = ""
    handle: deque[float] = field(default_factory=lambda: deque(maxlen=AHT_WINDOW))


def _key(c: _Caller) -> tuple[bool, float, int]:
    return c.key


class Acd:
    """One tenant's queues and agents. Not thread-safe: the worker calls it from one loop."""

    def __init__(
        self, tenant_id: str, queues: Mapping[str, QueueConfig], agents: Mapping[str, AgentStatus], seed: int = 0
    ) -> None:
        self.tenant_id = tenant_id
        self._rng = random.Random(seed)
        self._queues: dict[str, _Queue] = {}
        self._agents: dict[str, _Agent] = {}
        self._idle: set[str] = set()  # agents ready and idle (maybe still in retry_s)
        self._callers: dict[str, _Caller] = {}  # waiting (also virtual and ringing)
        self._active: dict[str, tuple[str, str]] = {}  # answered call -> (queue id, agent)
        # callbacks whose agent answered while the customer's phone rings: call -> (caller, agent)
        self._dialing: dict[str, tuple[_Caller, str]] = {}
        self._rejoin: dict[tuple[str, str], tuple[float, bool, float]] = {}  # -> since, vip, left at
        self._rejoin_order: deque[tuple[float, tuple[str, str]]] = deque()
        self._seq = 0
        self._last_at = 0.0
        self.configure(queues, agents, 0.0, initial=True)

    # -- introspection (tests, the worker's status page) --------------------------------

    def line(self, queue_id: str) -> list[str]:
        """The call ids waiting in the queue, in the order they are served."""
        return [c.call_id for c in self._queues[queue_id].line]

    def state_of(self, extension: str) -> str:
        return self._agents[extension].state

    def status_of(self, extension: str) -> str:
        return self._agents[extension].effective

    # -- events -------------------------------------------------------------------------

    def _ev(
        self,
        out: list[Action],
        now: float,
        kind: str,
        queue_id: str = "",
        *,
        call_id: str = "",
        agent: str = "",
        position: int = 0,
        wait_s: float = 0.0,
        talk_s: float = 0.0,
        reason: str = "",
        personal: bool = False,
    ) -> None:
        # The log's order is the order things happened: events of one instant (an enter and
        # its offer) are 10 µs apart, so a store sorting by microseconds keeps it: a float of
        # ~1.8e9 s resolves 0.24 µs, and two times 1 µs apart could round to the same one
        # (seen: "offer 103" stored before "noanswer 102" once in ~15 real-phone runs).
        now = max(now, self._last_at + 1e-5)
        self._last_at = now
        out.append(
            Log(
                QueueEvent(
                    now, self.tenant_id, queue_id, kind, call_id, agent, position, wait_s, talk_s, reason, personal
                )
            )
        )

    def _position(self, c: _Caller) -> int:
        line = self._queues[c.queue_id].line
        return bisect.bisect_left(line, c.key, key=_key) + 1

    def _remove(self, c: _Caller) -> int:
        """Takes the caller out of its line; returns the position it had."""
        line = self._queues[c.queue_id].line
        i = bisect.bisect_left(line, c.key, key=_key)
        del line[i]
        self._callers.pop(c.call_id, None)
        return i + 1

    # -- configuration ------------------------------------------------------------------

    def configure(
        self,
        queues: Mapping[str, QueueConfig],
        agents: Mapping[str, AgentStatus],
        now: float,
        *,
        initial: bool = False,
    ) -> list[Action]:
        """Apply a snapshot: queue settings and members, agents' statuses. A status change
        is logged (LOGIN, LOGOUT, PAUSE, UNPAUSE); at construction (``initial``) statuses
        are taken as they are, without events."""
        out: list[Action] = []
        for qid in list(self._queues):
            if qid not in queues:
                q = self._queues.pop(qid)
                for c in q.line:
                    self._cancel_offers(c, out)
                    self._callers.pop(c.call_id, None)
                    self._ev(out, now, ql.OVERFLOW, qid, call_id=c.call_id, reason=q.config.overflow)
                    out.append(Overflow(c.call_id, q.config.overflow, "removed"))
        for qid, cfg in queues.items():
            if qid in self._queues:
                self._queues[qid].config = cfg
            else:
                self._queues[qid] = _Queue(cfg)
        for ext in set(self._agents) | set(agents):
            st = agents.get(ext) or AgentStatus(extension=ext)
            a = self._agents.get(ext)
            if a is None:
                a = self._agents[ext] = _Agent(ext, pool=self._idle)
                if initial:
                    a.status, a.reason, a.since, a.idle_since = st.status, st.reason, st.since, float(st.since)
                    continue
            if st.since < a.local_since:
                continue  # the control plane has not stored the phone's status change yet
            if st.status == a.status == "ready" and st.since > a.since and a.state == "wrapup":
                self._end_wrapup(a, now, out)  # "ready now" from the console: a newer "ready"
            self._apply_status(a, st, now, out)
        membership: dict[str, list[str]] = {}
        for qid in sorted(self._queues):
            for m in self._queues[qid].config.members:
                membership.setdefault(m.extension, []).append(qid)
        for ext, a in self._agents.items():
            a.queues = membership.get(ext, [])
        if not initial:
            for qid, q in self._queues.items():
                if q.config.leave_when_empty and q.line and not self._logged_in(q):
                    for c in [c for c in q.line if not c.callback]:
                        self._cancel_offers(c, out)
                        self._remove(c)
                        self._ev(out, now, ql.OVERFLOW, qid, call_id=c.call_id, reason=q.config.overflow)
                        out.append(Overflow(c.call_id, q.config.overflow, "empty"))
        self._dispatch(now, out)
        return out

    def _apply_status(self, a: _Agent, st: AgentStatus, now: float, out: list[Action]) -> None:
        if a.autopaused:
            if st.since == a.since and st.status == a.status:
                return  # the snapshot has not caught up with the autopause yet
            a.autopaused = False
            if st.status == "paused":  # the control plane stored it: no second PAUSE
                a.status, a.reason, a.since = st.status, st.reason, st.since
                return
            before = "paused"
        else:
            before = a.status
        after = st.status
        a.reason, a.since = st.reason, st.since
        a.status = after
        if before == after:
            return
        if before == "logged_out":
            a.idle_since, a.answered, a.noanswer_streak = now, 0, 0
            self._ev(out, now, ql.LOGIN, agent=a.extension)
            if after == "paused":
                self._ev(out, now, ql.PAUSE, agent=a.extension, reason=st.reason)
        elif after == "logged_out":
            self._ev(out, now, ql.LOGOUT, agent=a.extension)
        elif after == "paused":
            self._ev(out, now, ql.PAUSE, agent=a.extension, reason=st.reason)
        else:
            a.noanswer_streak = 0
            self._ev(out, now, ql.UNPAUSE, agent=a.extension)
        if after != "ready" and a.state == "ringing":
            self._cancel_agent_offer(a, out)

    def set_status(self, extension: str, status: str, reason: str, now: float) -> list[Action]:
        """A status the agent set at the edge (a feature code on its phone; "ready" also ends
        a wrap-up early, like ``ready_now``): applied at once and logged (the control plane
        learns it from the queue log and stores it); a snapshot older than it does not undo
        it."""
        if status not in ("logged_out", "ready", "paused"):
            raise ValidationError(f"agent status {status!r} is unknown", fields={"status": status})
        out: list[Action] = []
        a = self._agents.get(extension)
        if a is None:
            a = self._agents[extension] = _Agent(extension, pool=self._idle)
        a.local_since = int(now)
        self._apply_status(a, AgentStatus(extension, status=status, reason=reason, since=int(now)), now, out)
        if status == "ready" and a.state == "wrapup":
            self._end_wrapup(a, now, out)  # "ready now" from the phone
        self._dispatch(now, out)
        return out

    def _logged_in(self, q: _Queue) -> bool:
        for m in q.config.members:
            a = self._agents.get(m.extension)
            if a is not None and a.status != "logged_out":
                return True
        return False

    # -- callers ------------------------------------------------------------------------

    def enter(self, queue_id: str, call_id: str, caller: str, now: float, vip: bool = False) -> list[Action]:
        """A caller reaches the queue: it joins (ENTER, or REJOIN with its old place) or is
        refused (FULL, OVERFLOW and an ``Overflow``). An Offer may follow at once."""
        out: list[Action] = []
        q = self._queues.get(queue_id)
        if q is None:
            return self._idle_dispatch(now, [Overflow(call_id, "", "unknown_queue")])
        if call_id in self._callers or call_id in self._active:
            raise ValidationError(f"call {call_id!r} is already in a queue", fields={"call_id": "duplicate"})
        cfg = q.config
        old = self._rejoin.pop((queue_id, caller), None) if caller else None
        if old is not None and now - old[2] >= cfg.rejoin_s:
            old = None
        refuse = ""
        if not cfg.join_empty and not self._logged_in(q):
            refuse = "empty"
        elif old is None and cfg.max_len and len(q.line) >= cfg.max_len:
            refuse = "full"
        if refuse:
            if old is not None:
                self._rejoin[(queue_id, caller)] = old
            self._ev(out, now, ql.FULL, queue_id, call_id=call_id, reason=refuse)
            self._ev(out, now, ql.OVERFLOW, queue_id, call_id=call_id, reason=cfg.overflow)
            if cfg.overflow == "callback" and caller:
                # called back when an agent can take it, behind everyone who waited longer
                self._seq += 1
                c = _Caller(call_id, queue_id, caller, vip, now, now, self._seq, last_announce=now, callback=caller)
                bisect.insort(q.line, c, key=_key)
                self._callers[call_id] = c
                c.position_at_entry = self._position(c)
                self._ev(out, now, ql.CALLBACK_REQUEST, queue_id, call_id=call_id, position=c.position_at_entry,
                         reason=refuse)  # fmt: skip
            out.append(Overflow(call_id, cfg.overflow, refuse))
            return self._idle_dispatch(now, out)
        self._seq += 1
        since, was_vip = (old[0], old[1]) if old is not None else (now, False)
        c = _Caller(call_id, queue_id, caller, vip or was_vip, since, now, self._seq, last_announce=now)
        bisect.insort(q.line, c, key=_key)
        self._callers[call_id] = c
        c.position_at_entry = self._position(c)
        kind = ql.REJOIN if old is not None else ql.ENTER
        self._ev(out, now, kind, queue_id, call_id=call_id, position=c.position_at_entry)
        self._dispatch(now, out)
        return out

    def hangup(self, call_id: str, now: float) -> list[Action]:
        """A waiting caller hung up: ABANDON with its place now and its wait; its offers
        are cancelled. A virtual (callback) caller's hangup is expected and ignored."""
        out: list[Action] = []
        c = self._callers.get(call_id)
        if c is None or c.callback:
            return self._idle_dispatch(now, out)
        self._cancel_offers(c, out)
        pos = self._remove(c)
        self._ev(out, now, ql.ABANDON, c.queue_id, call_id=call_id, position=pos, wait_s=now - c.entered_at)
        if c.number:
            k = (c.queue_id, c.number)
            self._rejoin[k] = (c.since, c.vip, now)
            self._rejoin_order.append((now, k))
        self._dispatch(now, out)
        return out

    def request_callback(self, call_id: str, number: str, now: float) -> list[Action]:
        """The caller pressed 1: its place is kept for a callback to ``number``."""
        out: list[Action] = []
        c = self._callers.get(call_id)
        if c is None or c.callback or not number or not self._queues[c.queue_id].config.callback:
            return self._idle_dispatch(now, out)
        self._cancel_offers(c, out)
        c.callback = number
        self._ev(out, now, ql.CALLBACK_REQUEST, c.queue_id, call_id=call_id, position=self._position(c))
        self._dispatch(now, out)
        return out

    # -- offers and calls ---------------------------------------------------------------

    def offer_result(self, call_id: str, agent: str, answered: bool, now: float) -> list[Action]:
        """The agent answered (ANSWER; the other offers cancelled) or did not (NOANSWER;
        possibly an autopause)."""
        out: list[Action] = []
        c = self._callers.get(call_id)
        a = self._agents.get(agent)
        if c is None or a is None or agent not in c.offered:
            return self._idle_dispatch(now, out)
        if answered and c.callback:
            # the agent took the callback: the customer is dialled now; ANSWER (or a new try)
            # when the customer answers or not (``callback_result``)
            c.offered.discard(agent)
            self._cancel_offers(c, out)
            self._remove(c)
            a.state, a.ringing_call, a.noanswer_streak = "queue_call", "", 0
            self._dialing[call_id] = (c, agent)
        elif answered:
            c.offered.discard(agent)
            self._cancel_offers(c, out)
            self._remove(c)
            a.state, a.ringing_call, a.noanswer_streak = "queue_call", "", 0
            a.answered += 1
            self._active[call_id] = (c.queue_id, agent)
            self._ev(out, now, ql.ANSWER, c.queue_id, call_id=call_id, agent=agent,
                     position=c.position_at_entry, wait_s=now - c.entered_at)  # fmt: skip
        else:
            self._noanswer(c, a, now, out)
        self._dispatch(now, out)
        return out

    def callback_result(self, call_id: str, connected: bool, now: float) -> list[Action]:
        """The customer of a callback the agent took answered (ANSWER, with the whole wait
        since the caller first joined) or not: NOANSWER (reason "customer", not the agent's
        miss), the agent is free at once, and the caller keeps its place for another try
        ``CALLBACK_RETRY_S`` later; after ``CALLBACK_TRIES`` tries ABANDON (reason
        "callback_unanswered")."""
        out: list[Action] = []
        got = self._dialing.pop(call_id, None)
        if got is None:
            return self._idle_dispatch(now, out)
        c, agent = got
        a = self._agents.get(agent)
        if connected:
            if a is not None:
                a.answered += 1
            self._active[call_id] = (c.queue_id, agent)
            self._ev(out, now, ql.ANSWER, c.queue_id, call_id=call_id, agent=agent,
                     position=c.position_at_entry, wait_s=now - c.entered_at)  # fmt: skip
            self._dispatch(now, out)
            return out
        if a is not None and a.state == "queue_call":
            a.state, a.idle_since = "idle", now
        self._ev(out, now, ql.NOANSWER, c.queue_id, call_id=call_id, agent=agent, reason="customer")
        c.callback_tries += 1
        q = self._queues.get(c.queue_id)
        if q is not None and c.callback_tries < CALLBACK_TRIES:
            c.offered, c.tried, c.retry_at = set(), set(), now + CALLBACK_RETRY_S
            bisect.insort(q.line, c, key=_key)  # its place is kept
            self._callers[c.call_id] = c
        else:
            self._ev(out, now, ql.ABANDON, c.queue_id, call_id=call_id, wait_s=now - c.entered_at,
                     reason="callback_unanswered")  # fmt: skip
        self._dispatch(now, out)
        return out

    def _noanswer(self, c: _Caller, a: _Agent, now: float, out: list[Action]) -> None:
        cfg = self._queues[c.queue_id].config
        c.offered.discard(a.extension)
        c.tried.add(a.extension)
        if not c.offered:
            c.retry_at = now + cfg.retry_s
        a.state, a.ringing_call, a.retry_at = "idle", "", now + cfg.retry_s
        a.noanswer_streak += 1
        self._ev(out, now, ql.NOANSWER, c.queue_id, call_id=c.call_id, agent=a.extension)
        if cfg.autopause_after and a.noanswer_streak >= cfg.autopause_after and not a.autopaused:
            a.autopaused, a.noanswer_streak = True, 0
            self._ev(out, now, ql.PAUSE, agent=a.extension, reason="autopause")
            out.append(AgentPaused(a.extension, "autopause"))

    def call_ended(self, call_id: str, now: float, talk_s: float) -> list[Action]:
        """An answered queue call ended: COMPLETE; the agent wraps up for wrapup_s."""
        return self._agent_part_over(call_id, now, talk_s, ql.COMPLETE)

    def transferred(self, call_id: str, now: float, talk_s: float, target: str) -> list[Action]:
        """The agent (or the caller) of an answered queue call transferred it on (blind or
        attended, to ``target``): TRANSFER instead of COMPLETE; the agent's part of the call
        is over, so it wraps up as after a COMPLETE. The call goes on outside the queue."""
        return self._agent_part_over(call_id, now, talk_s, ql.TRANSFER, reason=target)

    def _agent_part_over(self, call_id: str, now: float, talk_s: float, kind: str, reason: str = "") -> list[Action]:
        out: list[Action] = []
        got = self._active.pop(call_id, None)
        if got is None:
            return self._idle_dispatch(now, out)
        qid, ext = got
        q = self._queues.get(qid)
        wrapup = q.config.wrapup_s if q is not None else 0
        if q is not None:
            q.handle.append(talk_s + wrapup)
        self._ev(out, now, kind, qid, call_id=call_id, agent=ext, talk_s=talk_s, reason=reason)
        a = self._agents.get(ext)
        if a is not None and a.state == "queue_call":
            a.state, a.wrapup_until, a.wrapup_queue = "wrapup", now + wrapup, qid
            if wrapup <= 0:
                self._end_wrapup(a, now, out)
        self._dispatch(now, out)
        return out

    def _end_wrapup(self, a: _Agent, now: float, out: list[Action]) -> None:
        a.state, a.idle_since = "idle", now
        self._ev(out, now, ql.WRAPUP_END, a.wrapup_queue, agent=a.extension)

    def ready_now(self, extension: str, now: float) -> list[Action]:
        """The agent ends wrap-up early."""
        out: list[Action] = []
        a = self._agents.get(extension)
        if a is not None and a.state == "wrapup":
            self._end_wrapup(a, now, out)
        self._dispatch(now, out)
        return out

    def agent_state(
        self, extension: str, state: str, now: float, call_id: str = "", talk_s: float = 0.0
    ) -> list[Action]:
        """The worker reports an agent's personal calls: ``personal_call`` when one starts,
        ``idle`` when it ends (with its call id and talk time). ringing/queue_call/wrapup
        are the engine's own states; reporting them is refused."""
        if state not in ("idle", "personal_call"):
            raise ValidationError(f"agent state {state!r} is the engine's, not the worker's", fields={"state": state})
        out: list[Action] = []
        a = self._agents.get(extension)
        if a is None:
            a = self._agents[extension] = _Agent(extension, pool=self._idle)
        if state == "personal_call":
            if a.state == "ringing":
                self._cancel_agent_offer(a, out)
            if a.state == "idle":
                a.state, a.personal_call = "personal_call", call_id
        elif a.state == "personal_call":
            a.state, a.idle_since = "idle", now
            if a.queues:
                self._ev(out, now, ql.COMPLETE, a.queues[0], call_id=call_id or a.personal_call or "-",
                         agent=extension, talk_s=talk_s, personal=True)  # fmt: skip
            a.personal_call = ""
        self._dispatch(now, out)
        return out

    def _cancel_offers(self, c: _Caller, out: list[Action]) -> None:
        if not c.offered:
            return
        agents = tuple(sorted(c.offered))
        for ext in agents:
            a = self._agents.get(ext)
            if a is not None and a.ringing_call == c.call_id:
                a.state, a.ringing_call = "idle", ""
        c.offered.clear()
        out.append(CancelOffer(c.call_id, agents))

    def _cancel_agent_offer(self, a: _Agent, out: list[Action]) -> None:
        c = self._callers.get(a.ringing_call)
        a.state, a.ringing_call = "idle", ""
        if c is not None and a.extension in c.offered:
            c.offered.discard(a.extension)
            out.append(CancelOffer(c.call_id, (a.extension,)))

    # -- the scheduler ------------------------------------------------------------------

    def tick(self, now: float) -> list[Action]:
        """Timers (wrap-up ends, ring timeouts, max_wait, announcements, forgotten
        rejoins), then offers."""
        out: list[Action] = []
        for a in self._agents.values():
            if a.state == "wrapup" and a.wrapup_until <= now:
                self._end_wrapup(a, now, out)
        while self._rejoin_order and (now - self._rejoin_order[0][0]) > self._max_rejoin():
            _, k = self._rejoin_order.popleft()
            got = self._rejoin.get(k)
            if got is not None and now - got[2] > self._max_rejoin():
                del self._rejoin[k]
        for c in list(self._callers.values()):
            cfg = self._queues[c.queue_id].config
            if c.offered and c.deadline <= now:
                for ext in sorted(c.offered):
                    ag = self._agents.get(ext)
                    if ag is not None and ag.ringing_call == c.call_id:
                        self._noanswer(c, ag, now, out)
                    else:
                        c.offered.discard(ext)
            if c.callback:
                continue
            if cfg.max_wait_s and now - c.entered_at >= cfg.max_wait_s:
                self._cancel_offers(c, out)
                self._ev(out, now, ql.TIMEOUT, c.queue_id, call_id=c.call_id, wait_s=now - c.entered_at)
                self._ev(out, now, ql.OVERFLOW, c.queue_id, call_id=c.call_id, reason=cfg.overflow)
                if cfg.overflow == "callback" and c.number:
                    # the overflow is a callback: the caller keeps its place, called back later
                    c.callback = c.number
                    self._ev(out, now, ql.CALLBACK_REQUEST, c.queue_id, call_id=c.call_id,
                             position=self._position(c), reason="timeout")  # fmt: skip
                else:
                    self._remove(c)
                out.append(Overflow(c.call_id, cfg.overflow, "timeout"))
                continue
            if cfg.announce_every_s and not c.offered and now - c.last_announce >= cfg.announce_every_s:
                c.last_announce = now
                pos = self._position(c)
                out.append(Announce(c.call_id, pos, self.expected_wait(c.queue_id, pos), cfg.language))
        self._dispatch(now, out)
        return out

    def _max_rejoin(self) -> float:
        return max((q.config.rejoin_s for q in self._queues.values()), default=0)

    def expected_wait(self, queue_id: str, position: int) -> int:
        """position * mean handle time of the last 20 calls / members ready; 0 if unknown."""
        q = self._queues[queue_id]
        ready = sum(
            1 for m in q.config.members if (a := self._agents.get(m.extension)) is not None and a.effective == "ready"
        )
        if not q.handle or not ready:
            return 0
        return round(position * (sum(q.handle) / len(q.handle)) / ready)

    def _idle_dispatch(self, now: float, out: list[Action]) -> list[Action]:
        """A call that changed nothing still runs the scheduler at its ``now`` (a tier may
        have opened, a retry ended): every call leaves no free agent idle that could take a
        caller, not only tick."""
        self._dispatch(now, out)
        return out

    def _dispatch(self, now: float, out: list[Action]) -> None:
        """Offers free agents to the first callers in line, across queues in one order."""
        free = {ext for ext in self._idle if self._agents[ext].retry_at <= now}
        if not free:
            return
        count: dict[str, int] = {}  # free members per queue
        for ext in free:
            for qid in self._agents[ext].queues:
                count[qid] = count.get(qid, 0) + 1
        heap: list[tuple[tuple[bool, float, int], str, int]] = []
        for qid in count:
            q = self._queues[qid]
            if q.line:
                heap.append((q.line[0].key, qid, 0))
        heapq.heapify(heap)
        while heap and free:
            _, qid, i = heapq.heappop(heap)
            q = self._queues[qid]
            c = q.line[i]
            go_on = True
            if not c.offered and c.retry_at <= now:
                cand = self._candidates(q, c, now, free)
                if cand:
                    for ext in self._offer(q, c, cand, now, free, out):
                        for other in self._agents[ext].queues:
                            count[other] -= 1
                elif not c.vip:
                    go_on = False  # everyone behind waited less: no tier opens for them either
            if go_on and i + 1 < len(q.line) and count[qid] > 0:
                heapq.heappush(heap, (q.line[i + 1].key, qid, i + 1))

    def _candidates(self, q: _Queue, c: _Caller, now: float, free: set[str]) -> list[tuple[int, str]]:
        """(penalty, extension) of the free members in the lowest allowed tier, in members' order.
        A round goes through the agents who have not let this caller ring yet (as Asterisk's
        queue moves on after a ring timeout, linear to the next member): an agent who did
        not answer is tried again only when no one else free is left (a new round)."""
        best = self._tier(q, c, now, free, c.tried)
        if not best and c.tried:
            c.tried.clear()
            best = self._tier(q, c, now, free, c.tried)
        return best

    def _tier(self, q: _Queue, c: _Caller, now: float, free: set[str], skip: set[str]) -> list[tuple[int, str]]:
        waited = now - c.since
        widen = q.config.widen_after_s
        best: list[tuple[int, str]] = []
        for m in q.config.members:
            if m.extension not in free or m.extension in skip:
                continue
            if widen > 0 and m.penalty * widen > waited:
                continue
            if not best or m.penalty == best[0][0]:
                best.append((m.penalty, m.extension))
            elif m.penalty < best[0][0]:
                best = [(m.penalty, m.extension)]
        return best

    def _pick(self, q: _Queue, cand: list[tuple[int, str]]) -> tuple[str, ...]:
        exts = [e for _, e in cand]
        strategy = q.config.strategy
        if strategy == "ringall":
            return tuple(exts)
        if strategy == "linear":
            return (exts[0],)
        if strategy == "fewest_calls":
            return (min(exts, key=lambda e: (self._agents[e].answered, self._agents[e].idle_since)),)
        if strategy == "round_robin":
            order = [m.extension for m in q.config.members]
            start = order.index(q.rr_last) + 1 if q.rr_last in order else 0
            allowed = set(exts)
            for k in range(len(order)):
                e = order[(start + k) % len(order)]
                if e in allowed:
                    return (e,)
        if strategy == "random":
            return (self._rng.choice(exts),)
        return (min(exts, key=lambda e: self._agents[e].idle_since),)  # longest_idle (and unknown)

    def _offer(
        self, q: _Queue, c: _Caller, cand: list[tuple[int, str]], now: float, free: set[str], out: list[Action]
    ) -> tuple[str, ...]:
        agents = self._pick(q, cand)
        cfg = q.config
        if c.callback and len(agents) > 1:
            agents = (min(agents, key=lambda e: self._agents[e].idle_since),)
        q.rr_last = agents[-1]
        c.offered = set(agents)
        c.deadline = now + cfg.ring_timeout_s
        for ext in agents:
            free.discard(ext)
            a = self._agents[ext]
            a.state, a.ringing_call = "ringing", c.call_id
        if c.callback:
            self._ev(out, now, ql.CALLBACK_DIAL, c.queue_id, call_id=c.call_id, agent=agents[0])
            out.append(DialCallback(c.call_id, c.callback, agents[0], cfg.ring_timeout_s))
        else:
            for ext in agents:
                self._ev(out, now, ql.OFFER, c.queue_id, call_id=c.call_id, agent=ext)
            out.append(Offer(c.call_id, agents, cfg.ring_timeout_s))
        return agents
