"""Request and response models of the queue event log (``pbx_core.queue_log.QueueEvent``)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from control_plane.core.schemas import Out, Query

MAX_BATCH = 200  # events per batch request
MAX_STATS_EVENTS = 100_000  # events one figures request reads
QueueEventKind = Literal[
    "enter", "offer", "noanswer", "answer", "abandon", "timeout", "full", "overflow", "callback_request",
    "callback_dial", "rejoin", "transfer", "complete", "login", "logout", "pause", "unpause", "wrapup_end",
]  # fmt: skip


class QueueEventIn(Out):
    """One event as the edge posts it (validated by ``pbx_core.queue_log.from_dict``)."""

    at: float
    tenant_id: str
    queue_id: str = ""
    kind: QueueEventKind
    call_id: str = ""
    agent: str = ""
    position: int = 0
    wait_s: float = 0.0
    talk_s: float = 0.0
    reason: str = ""
    personal: bool = False


class QueueEventBatchIn(Out):
    events: list[QueueEventIn] = Field(min_length=1, max_length=MAX_BATCH)


class QueueEventResult(Out):
    """One event of a batch: stored, a repeat (same tenant, queue, call, kind, time and agent),
    or refused (``code``/``message``; ``retry`` when a later attempt may succeed)."""

    index: int
    key: str  # the event's sort key ("" when it could not be read)
    status: Literal["created", "duplicate", "error"]
    code: str | None = None
    message: str | None = None
    retry: bool = False


class QueueEventBatchOut(Out):
    results: list[QueueEventResult]


class QueueEventOut(Out):
    at: float
    at_iso: str  # the same instant, ISO 8601 UTC
    tenant_id: str
    queue_id: str
    kind: str
    call_id: str
    agent: str
    position: int
    wait_s: float
    talk_s: float
    reason: str
    personal: bool


class QueueEventList(Out):
    items: list[QueueEventOut]
    next: str | None


class QueueEventQuery(Query):
    limit: int = Field(default=200, ge=1, le=1000)
    cursor: str | None = Field(default=None, max_length=2000)
    start: str | None = Field(default=None, alias="from", max_length=40)
    end: str | None = Field(default=None, alias="to", max_length=40)

    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class QueueStatsQuery(Query):
    start: str | None = Field(default=None, alias="from", max_length=40)
    end: str | None = Field(default=None, alias="to", max_length=40)

    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class QueueFiguresOut(Out):
    """``pbx_core.queue_stats.QueueFigures``: one queue over the period (rates 0-1, None when
    there is nothing to divide by)."""

    queue_id: str
    name: str  # "" for a queue that no longer exists
    number: str
    waiting: int
    callbacks_pending: int
    longest_wait_s: float
    entered: int
    answered: int
    abandoned: int
    short_abandons: int
    timeouts: int
    refused: int
    overflowed: int
    callbacks_requested: int
    answered_in_sl: int
    abandoned_after_sl: int
    service_level: float | None
    service_level_abandons: float | None
    asa_s: float | None
    avg_talk_s: float | None
    abandon_rate: float | None


class AgentFiguresOut(Out):
    """``pbx_core.queue_stats.AgentFigures``: one agent over the period."""

    extension: str
    state: str  # logged_out | ready | paused | ringing | queue_call | wrapup
    answered: int
    noanswers: int
    talk_s: float
    pause_s: float
    personal_calls: int
    personal_talk_s: float


class QueueStatsOut(Out):
    start: str  # the period, ISO 8601 UTC: from (inclusive)
    end: str  # to (exclusive)
    at: float  # the "now" of the figures (waiting, longest wait, open pauses)
    events: int  # events read
    truncated: bool  # more than MAX_STATS_EVENTS events in the period: narrow it
    queues: list[QueueFiguresOut]
    agents: list[AgentFiguresOut]
