"""The queue event log (issue 16 item 4): one record per thing that happened in a call-center
queue or to an agent, like Asterisk's ``queue_log``. The media worker writes them (through
the edge agent) and the control plane stores them per tenant; every figure of the wallboard
and the reports is computed from them (``pbx_core.queue_stats``), never kept apart.

A record is small and flat so that it travels as JSON and sits in one DynamoDB item.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from pbx_core.errors import ValidationError

# Caller events (call_id is the caller's call):
ENTER = "enter"  # joined the queue (position = place in line, 1 = first)
OFFER = "offer"  # an agent's phone rings with this caller (agent)
NOANSWER = "noanswer"  # an offer was not answered within the ring timeout (agent)
ANSWER = "answer"  # an agent answered (agent, wait_s = time in the queue, position at entry)
ABANDON = "abandon"  # the caller hung up while waiting (position now, wait_s)
TIMEOUT = "timeout"  # the caller waited max_wait_s and left for the overflow (wait_s)
FULL = "full"  # the caller was not let in: the queue was full or had no agent (reason)
OVERFLOW = "overflow"  # the caller was sent on (reason = the overflow target)
CALLBACK_REQUEST = "callback_request"  # the caller asked to be called back, keeping the place
CALLBACK_DIAL = "callback_dial"  # the callback is placed to an agent (agent)
REJOIN = "rejoin"  # the caller called again within rejoin_s and got the old place back
TRANSFER = "transfer"  # the agent transferred the caller on (reason = target)
COMPLETE = "complete"  # the queue call ended after the answer (agent, talk_s)
# Agent events (call_id empty, agent set):
LOGIN = "login"
LOGOUT = "logout"
PAUSE = "pause"  # reason = the agent's pause reason, or "autopause"
UNPAUSE = "unpause"
WRAPUP_END = "wrapup_end"  # the agent is free again (wrap-up time over or "ready now")

KINDS = (
    ENTER,
    OFFER,
    NOANSWER,
    ANSWER,
    ABANDON,
    TIMEOUT,
    FULL,
    OVERFLOW,
    CALLBACK_REQUEST,
    CALLBACK_DIAL,
    REJOIN,
    TRANSFER,
    COMPLETE,
    LOGIN,
    LOGOUT,
    PAUSE,
    UNPAUSE,
    WRAPUP_END,
)
AGENT_KINDS = frozenset({LOGIN, LOGOUT, PAUSE, UNPAUSE, WRAPUP_END})


@dataclass(frozen=True)
class QueueEvent:
    at: float  # unix time, seconds
    tenant_id: str
    queue_id: str  # "" for an agent event that is not about one queue (login/logout/pause)
    kind: str  # one of KINDS
    call_id: str = ""  # the caller's call (caller events)
    agent: str = ""  # the agent's extension
    position: int = 0  # place in line (1 = first) where it applies
    wait_s: float = 0.0  # seconds the caller had waited when this happened
    talk_s: float = 0.0  # COMPLETE: seconds of conversation
    reason: str = ""  # pause reason, overflow target, FULL's cause, TRANSFER's target
    personal: bool = False  # COMPLETE of an agent's own (non-queue) call, told apart in figures

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_STR = ("tenant_id", "queue_id", "kind", "call_id", "agent", "reason")


def from_dict(raw: object) -> QueueEvent:
    """A record from JSON, checked: a bad record is a ValidationError, never a crash."""
    if not isinstance(raw, dict):
        raise ValidationError("queue event must be an object")
    try:
        at = float(raw["at"])
        strs = {k: str(raw.get(k, "")) for k in _STR}
        ev = QueueEvent(
            at=at,
            position=int(raw.get("position", 0)),
            wait_s=float(raw.get("wait_s", 0.0)),
            talk_s=float(raw.get("talk_s", 0.0)),
            personal=bool(raw.get("personal", False)),
            **strs,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(f"invalid queue event: {exc}") from exc
    if ev.kind not in KINDS:
        raise ValidationError(f"queue event kind {ev.kind!r} is unknown", fields={"kind": "unknown"})
    if not ev.tenant_id:
        raise ValidationError("queue event has no tenant_id", fields={"tenant_id": "required"})
    if ev.kind not in AGENT_KINDS and not (ev.queue_id and ev.call_id):
        raise ValidationError("a caller's queue event needs queue_id and call_id", fields={"call_id": "required"})
    if not all(math.isfinite(x) and x >= 0 for x in (ev.at, ev.wait_s, ev.talk_s)) or ev.position < 0:
        raise ValidationError("queue event times and position must be finite and not negative")
    return ev
