"""The tenant's events, newest first, one page at a time (signed per-tenant cursors)."""

from __future__ import annotations

from control_plane.core import ids
from control_plane.events import store as events_store
from control_plane.events.schemas import EventList, EventOut

CURSOR = "event-cursor"


def list_page(tenant_id: str, *, limit: int, cursor: str | None) -> EventList:
    after = ids.decode_cursor(CURSOR, tenant_id, cursor) if cursor else None
    items, next_sk = events_store.page(tenant_id, limit=limit, after_sk=after)
    return EventList(
        items=[EventOut(id=e.event_id, type=e.type, created_at=e.created_at, data=events_store.data(e)) for e in items],
        next=ids.encode_cursor(CURSOR, tenant_id, next_sk) if next_sk else None,
    )
