"""Ticket items, comments, saved views, settings and the ticket counter (layout: ``core.keys``).

Ticket ids grow with the tenant's counter (``tk_`` + 12 hex digits of its number), so the
ticket partition read backwards is newest first; lists and searches are one Query of it
with DynamoDB filters (status, priority, assignee, team, text), bounded per request like
CDR searches.
"""

from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute

from control_plane.core import keys, settings, store


class TicketItem(store.Item, discriminator="ticket"):
    tenant_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    number = NumberAttribute()
    subject = UnicodeAttribute()
    status = UnicodeAttribute()  # new | open | pending | solved | closed
    priority = UnicodeAttribute()  # low | normal | high | urgent
    assignee = UnicodeAttribute(default="")
    team = UnicodeAttribute(default="")
    contact_id = UnicodeAttribute(default="")
    source = UnicodeAttribute(default="manual")  # manual | call | contact | missed_call
    created_by = UnicodeAttribute(default="")
    txt = UnicodeAttribute(default="")  # folded subject and description (search)
    doc = UnicodeAttribute(default="{}")  # description, calls, callback, sla, tags (JSON)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class CommentItem(store.Item, discriminator="ticket_comment"):
    tenant_id = UnicodeAttribute()
    ticket_id = UnicodeAttribute()
    comment_id = UnicodeAttribute()
    author = UnicodeAttribute()
    body = UnicodeAttribute()
    mentions = ListAttribute(of=UnicodeAttribute, default=list)
    internal = BooleanAttribute(default=False)
    created_at = UnicodeAttribute()


class ViewItem(store.Item, discriminator="ticket_view"):
    tenant_id = UnicodeAttribute()
    view_id = UnicodeAttribute()
    name = UnicodeAttribute()
    owner = UnicodeAttribute()
    shared = BooleanAttribute(default=False)
    filters = UnicodeAttribute(default="{}")  # JSON of the list's query
    created_at = UnicodeAttribute()


class SettingsItem(store.Item, discriminator="ticket_settings"):
    tenant_id = UnicodeAttribute()
    doc = UnicodeAttribute(default="{}")  # business hours, holidays, SLA targets (JSON)
    updated_at = UnicodeAttribute(default="")


class ContactTicketItem(store.Item, discriminator="contact_ticket"):
    """``T#<t>#CTICKET#<contact_id>`` / ``<ticket_id>``: a ticket of the contact."""

    tenant_id = UnicodeAttribute()


def doc(item: TicketItem) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(item.doc or "{}")
    return value


def ticket_id(number: int) -> str:
    return f"tk_{number:012x}"


def next_number(tenant_id: str) -> int:
    """The tenant's next ticket number (an atomic counter in its partition)."""
    resp = store.client().update_item(
        TableName=settings.aws().table,
        Key={"pk": {"S": keys.tenant_pk(tenant_id)}, "sk": {"S": keys.TICKET_COUNTER_SK}},
        UpdateExpression="ADD #v :one SET #k = :kind",
        ExpressionAttributeNames={"#v": "value", "#k": "kind"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":kind": {"S": "counter"}},
        ReturnValues="UPDATED_NEW",
    )
    return int(resp["Attributes"]["value"]["N"])


def get(tenant_id: str, ticket_id_: str) -> TicketItem | None:
    return store.get_item(TicketItem, keys.ticket_pk(tenant_id), ticket_id_)


def get_many(tenant_id: str, ticket_ids: list[str]) -> list[TicketItem]:
    store.configure()
    wanted = [(keys.ticket_pk(tenant_id), t) for t in dict.fromkeys(ticket_ids)]
    found = {i.ticket_id: i for i in TicketItem.batch_get(wanted, consistent_read=True)} if wanted else {}
    return [found[t] for t in sorted(found, reverse=True)]


def comments(tenant_id: str, ticket_id_: str) -> list[CommentItem]:
    return [CommentItem.from_raw_data(raw) for raw in store.query_raw(keys.ticket_comment_pk(tenant_id, ticket_id_))]


def contact_ticket_ids(tenant_id: str, contact_id: str) -> list[str]:
    return [r["sk"]["S"] for r in store.query_raw(keys.contact_tickets_pk(tenant_id, contact_id), projection="sk")]


def views(tenant_id: str) -> list[ViewItem]:
    return store.list_children(tenant_id, ViewItem, keys.TVIEW_PREFIX)


def get_view(tenant_id: str, view_id: str) -> ViewItem | None:
    return store.get_child(tenant_id, ViewItem, keys.tview_sk(view_id))


def settings_item(tenant_id: str) -> SettingsItem | None:
    return store.get_child(tenant_id, SettingsItem, keys.TICKET_SETTINGS_SK)


def purge(tenant_id: str) -> int:
    """Delete every ticket of the tenant and its comments; how many items."""
    deleted = 0
    for raw in store.query_raw(keys.ticket_pk(tenant_id), projection="sk"):
        deleted += store.delete_partition(keys.ticket_comment_pk(tenant_id, raw["sk"]["S"]))
    return deleted + store.delete_partition(keys.ticket_pk(tenant_id))
