"""Request and response models of tenant events."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from control_plane.core.schemas import Out, Query


class EventQuery(Query):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=2000)


class EventOut(Out):
    id: str
    type: str
    created_at: str
    data: dict[str, Any]


class EventList(Out):
    items: list[EventOut]
    next: str | None
