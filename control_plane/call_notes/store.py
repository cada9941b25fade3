"""Call note items (``T#<tenant_id>#CALLNOTE`` / ``<call_id>``) and the tenant's disposition
codes (``T#<tenant_id>`` / ``DISPOSITIONS``, JSON)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from control_plane.call_notes.schemas import EXCERPT, WrapupSummary
from control_plane.core import keys, store


class CallNoteItem(store.Item, discriminator="call_note"):
    tenant_id = UnicodeAttribute()
    call_id = UnicodeAttribute()
    disposition = UnicodeAttribute()
    notes = UnicodeAttribute(default="")
    contact_id = UnicodeAttribute(default="")
    ticket_id = UnicodeAttribute(default="")
    extension = UnicodeAttribute(default="")  # the writing agent's extension
    created_by = UnicodeAttribute()
    updated_by = UnicodeAttribute()
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class DispositionsItem(store.Item, discriminator="dispositions"):
    tenant_id = UnicodeAttribute()
    doc = UnicodeAttribute()  # [{"code", "label_vi", "label_en"}, ...]
    updated_at = UnicodeAttribute()


def get(tenant_id: str, call_id: str) -> CallNoteItem | None:
    return store.get_item(CallNoteItem, keys.call_note_pk(tenant_id), call_id)


def get_many(tenant_id: str, call_ids: list[str]) -> dict[str, CallNoteItem]:
    """The notes of these calls (those that have one), by call id: BatchGetItem, 100 a time."""
    store.configure()
    wanted = list(dict.fromkeys(c for c in call_ids if c))
    out: dict[str, CallNoteItem] = {}
    for start in range(0, len(wanted), 100):
        chunk = [(keys.call_note_pk(tenant_id), c) for c in wanted[start : start + 100]]
        out.update({i.call_id: i for i in CallNoteItem.batch_get(chunk, consistent_read=True)})
    return out


def dispositions(tenant_id: str) -> DispositionsItem | None:
    return store.get_child(tenant_id, DispositionsItem, keys.DISPOSITIONS_SK)


def summaries(tenant_id: str, call_ids: list[str]) -> dict[str, WrapupSummary]:
    """What call lists (CDR search, a contact's history) show of these calls' notes."""
    return {
        call_id: WrapupSummary(disposition=n.disposition, notes_excerpt=(n.notes or "")[:EXCERPT])
        for call_id, n in get_many(tenant_id, call_ids).items()
    }
