"""Event items (``T#<tenant_id>#EVENT`` / ``<created_at>#...#<event_id>``, newest first)."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from pynamodb.attributes import UnicodeAttribute

from control_plane.core import keys, store
from pbx_core.cdr import iso


class EventItem(store.Item, discriminator="event"):
    tenant_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    type = UnicodeAttribute()
    created_at = UnicodeAttribute()
    doc = UnicodeAttribute()  # the event's details as JSON


def new(tenant_id: str, event_type: str, data: dict[str, Any], now: datetime, *, order: str = "") -> EventItem:
    """An event to save (in the caller's transaction); ``order`` sorts events of one instant."""
    event_id = "ev_" + secrets.token_hex(6)
    created = iso(now)
    return EventItem(
        keys.event_pk(tenant_id),
        f"{created}#{order}#{event_id}" if order else f"{created}#{event_id}",
        tenant_id=tenant_id,
        event_id=event_id,
        type=event_type,
        created_at=created,
        doc=json.dumps(data, separators=(",", ":"), sort_keys=True),
    )


def data(event: EventItem) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(event.doc)
    return doc


def page(tenant_id: str, *, limit: int, after_sk: str | None) -> tuple[list[EventItem], str | None]:
    """Newest first: the page and the sk to continue after (None on the last page)."""
    store.configure()
    kwargs: dict[str, Any] = {"consistent_read": True, "scan_index_forward": False, "limit": limit + 1}
    if after_sk:
        kwargs["range_key_condition"] = EventItem.sk < after_sk
    items = list(EventItem.query(keys.event_pk(tenant_id), **kwargs))
    if len(items) > limit:
        return items[:limit], items[limit - 1].sk
    return items, None
