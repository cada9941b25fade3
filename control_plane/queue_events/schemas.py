"""Request and response models of the queue event log (``pbx_core.queue_log.QueueEvent``)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from control_plane.core.schemas import Out, Query

MAX_BATCH = 200  # events per batch request
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
