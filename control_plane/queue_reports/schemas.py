"""Request and response models of queue and agent reports."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from control_plane.core.schemas import ID_PATTERN, Out, Query

MAX_DAYS = 31  # the longest period one report covers
Interval = Literal["15m", "30m", "1h", "1d"]


class QueueReportQuery(Query):
    """The period [from, to) (ISO 8601; without an offset, the tenant's local time; at most
    31 days), the interval of the per-interval rows, the language, optionally one queue."""

    start: str = Field(alias="from", max_length=40)
    end: str = Field(alias="to", max_length=40)
    interval: Interval = "1h"
    lang: Literal["en", "vi"] = "en"
    queue_id: str | None = Field(default=None, pattern=ID_PATTERN)

    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class QueueReportOut(Out):
    """A queue and agent report (Excel) in S3 (``tenants/<id>/reports/queues/``) and a
    short-lived link to it."""

    id: str
    queue_id: str | None  # the one queue reported on; None = all the tenant's queues
    period_start: str  # ISO 8601 UTC, included
    period_end: str  # ISO 8601 UTC, excluded
    interval: Interval
    lang: Literal["en", "vi"]
    events: int  # queue events read for the period
    time_zone: str
    bytes: int
    filename: str
    content_type: str
    url: str
    expires_in: int
    expires_at: str
