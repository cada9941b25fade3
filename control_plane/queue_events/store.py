"""Queue event items (``pbx_core.queue_log.QueueEvent`` as JSON), kept 400 days (TTL).

Each event is stored under its tenant (``T#<tenant_id>#QEV``: every queue and agent) and,
when it names a queue, under that queue too (``T#<tenant_id>#QEVQ#<queue_id>``), both with
the sort key ``<at, 13-digit epoch ms>#<key hash>``: "a tenant's events between t1 and t2"
and "one queue's events between t1 and t2" are each one Query, oldest first. The key hash
is derived from (tenant, queue, call id, kind, at, agent), so an event posted twice is the
same item twice: writes are idempotent, and a batch reads which are already stored to
answer ``duplicate``. Reads use the low-level client (raw items, no model objects).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.attributes import TTLAttribute, UnicodeAttribute

from control_plane.core import keys, settings, store
from pbx_core.queue_log import QueueEvent

KEEP_DAYS = 400  # a year of reports plus a month


class QueueEventItem(store.Item, discriminator="queue_event"):
    tenant_id = UnicodeAttribute()
    queue_id = UnicodeAttribute(default="")
    event_kind = UnicodeAttribute()
    doc = UnicodeAttribute()  # QueueEvent.to_dict() as JSON
    ttl = TTLAttribute(null=True)


def key_hash(ev: QueueEvent) -> str:
    """The event's identity: (tenant, queue, call id, kind, at in µs, agent)."""
    at_us = round(ev.at * 1_000_000)
    text = "|".join((ev.tenant_id, ev.queue_id, ev.call_id, ev.kind, str(at_us), ev.agent))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def sort_key(ev: QueueEvent) -> str:
    # Microseconds: one engine's events of the same instant are 10 µs apart (pbx_core.acd), so
    # the time order is the order they happened in (enter before offer, noanswer before the
    # next offer), which milliseconds would lose to the hash.
    return keys.queue_event_sk(round(ev.at * 1_000_000), key_hash(ev))


def items(ev: QueueEvent) -> list[QueueEventItem]:
    """The items of one event: the tenant's copy first, then the queue's (if it names one)."""
    sk = sort_key(ev)
    doc = json.dumps(ev.to_dict(), separators=(",", ":"), sort_keys=True)
    ttl = datetime.fromtimestamp(ev.at, UTC) + timedelta(days=KEEP_DAYS)
    pks = [keys.queue_event_pk(ev.tenant_id)]
    if ev.queue_id:
        pks.append(keys.queue_events_of_pk(ev.tenant_id, ev.queue_id))
    return [
        QueueEventItem(pk, sk, tenant_id=ev.tenant_id, queue_id=ev.queue_id, event_kind=ev.kind, doc=doc, ttl=ttl)
        for pk in pks
    ]


def put_op(ev: QueueEvent) -> list[store.Op]:
    """Transaction steps that store ``ev`` (an agent's status change writes its event with it)."""
    return [_save(it) for it in items(ev)]


def _save(it: QueueEventItem) -> store.Op:
    return store.Op(lambda tx: tx.save(it))


def existing(tenant_id: str, sort_keys: Iterable[str]) -> set[str]:
    """Which of ``sort_keys`` the tenant's log holds already (strongly consistent batch reads)."""
    store.configure()
    wanted = list(dict.fromkeys(sort_keys))
    found: set[str] = set()
    pk = keys.queue_event_pk(tenant_id)
    for start in range(0, len(wanted), 100):
        chunk = [(pk, sk) for sk in wanted[start : start + 100]]
        found |= {i.sk for i in QueueEventItem.batch_get(chunk, consistent_read=True, attributes_to_get=["pk", "sk"])}
    return found


def put_many(events: Iterable[QueueEvent]) -> None:
    """Write events (both copies); writing one again rewrites the same item."""
    store.put_raw(it for ev in events for it in items(ev))


def page(
    pk: str, *, start_ms: int | None, end_ms: int | None, after_sk: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Oldest first within [start_ms, end_ms): the events and the sk to continue after (None at the end)."""
    names = {"#pk": "pk", "#sk": "sk", "#doc": "doc"}
    values: dict[str, Any] = {":pk": {"S": pk}}
    low = keys.queue_event_sk(start_ms * 1000, "") if start_ms is not None else None
    high = keys.queue_event_sk(end_ms * 1000, "") if end_ms is not None else None
    key_expr = "#pk = :pk"
    if low is not None and high is not None:
        key_expr += " AND #sk BETWEEN :lo AND :hi"
        values[":lo"], values[":hi"] = {"S": low}, {"S": high}
    elif low is not None:
        key_expr += " AND #sk >= :lo"
        values[":lo"] = {"S": low}
    elif high is not None:
        key_expr += " AND #sk < :hi"
        values[":hi"] = {"S": high}
    args: dict[str, Any] = {
        "TableName": settings.aws().table,
        "KeyConditionExpression": key_expr,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "ProjectionExpression": "#sk, #doc",
        "ScanIndexForward": True,
        "ConsistentRead": True,
        "Limit": limit + 1,
    }
    if after_sk:
        args["ExclusiveStartKey"] = {"pk": {"S": pk}, "sk": {"S": after_sk}}
    resp = store.client().query(**args)
    raws = [r for r in resp.get("Items", []) if high is None or r["sk"]["S"] < high]
    docs = [json.loads(r["doc"]["S"]) for r in raws[:limit]]
    if len(raws) > limit:
        return docs, str(raws[limit - 1]["sk"]["S"])
    if resp.get("LastEvaluatedKey") and raws and len(raws) == len(resp.get("Items", [])):
        return docs, str(raws[-1]["sk"]["S"])  # the read stopped at 1 MB: continue after it
    return docs, None


def iter_docs(pk: str, *, start_ms: int, end_ms: int, max_items: int) -> Iterator[dict[str, Any]]:
    """Bulk read, oldest first, of [start_ms, end_ms): the low-level paginator, no model objects."""
    args: dict[str, Any] = {
        "TableName": settings.aws().table,
        "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :lo AND :hi",
        "ExpressionAttributeNames": {"#pk": "pk", "#sk": "sk", "#doc": "doc"},
        "ExpressionAttributeValues": {
            ":pk": {"S": pk},
            ":lo": {"S": keys.queue_event_sk(start_ms * 1000, "")},
            ":hi": {"S": keys.queue_event_sk(end_ms * 1000, "")},
        },
        "ProjectionExpression": "#doc",
        "ScanIndexForward": True,
        "ConsistentRead": True,
    }
    count = 0
    for raw_page in store.client().get_paginator("query").paginate(**args):
        for raw in raw_page.get("Items", []):
            if count >= max_items:
                return
            count += 1
            doc: dict[str, Any] = json.loads(raw["doc"]["S"])
            yield doc


def purge(tenant_id: str) -> int:
    """Delete the tenant's queue log (offboarding): its partition and each queue's."""
    queue_ids = {
        raw.get("queue_id", {}).get("S", "")
        for raw in store.query_raw(keys.queue_event_pk(tenant_id), projection="queue_id")
    }
    deleted = 0
    for queue_id in sorted(q for q in queue_ids if q):
        deleted += store.delete_partition(keys.queue_events_of_pk(tenant_id, queue_id))
    return deleted + store.delete_partition(keys.queue_event_pk(tenant_id))
