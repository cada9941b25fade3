"""CDR items (``T#<tenant_id>#CDR`` / ``<started_at>#<call_id>``, newest first) and their id
guard (``T#<tenant_id>#CDRID`` / ``<call_id>``): one CDR per (tenant, call id).

``items`` is the one writer of the item format: the ingest's transaction (``put``) and a
tenant import's batch writes (``put_imported``) both store what it builds. Searches and
exports read with the low-level client (raw items, no model objects: ~20x cheaper for
bulk reads).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from control_plane.core import keys, settings, store
from control_plane.recordings import store as rec_store
from control_plane.recordings.store import RecordingItem, UsageStale, UsageUpdate

MAX_SCAN = 2000  # items one search request may read before it returns a short page


class CdrItem(store.Item, discriminator="cdr"):
    tenant_id = UnicodeAttribute()
    call_id = UnicodeAttribute()
    started_at = UnicodeAttribute()
    caller = UnicodeAttribute(null=True)
    callee = UnicodeAttribute(null=True)
    direction = UnicodeAttribute(null=True)
    disposition = UnicodeAttribute(null=True)
    doc = UnicodeAttribute()  # the pbx_core.cdr dict as JSON
    # Set when the recording was deleted (quota / retention); reads then clear recording_key.
    rec_deleted = UnicodeAttribute(null=True)
    rec_deleted_at = UnicodeAttribute(null=True)


class CdrIdItem(store.Item, discriminator="cdr_id"):
    sort_key = UnicodeAttribute()  # sk of the CdrItem


@dataclass(frozen=True)
class Deleted:
    """Why and when a CDR's recording was deleted (``recording_deleted`` in the API)."""

    reason: str  # quota | retention
    at: str


def items(
    tenant_id: str,
    doc: dict[str, Any],
    *,
    call_id: str,
    started_at: str,
    recording: RecordingItem | None = None,
    deleted: Deleted | None = None,
) -> tuple[CdrItem, CdrIdItem, RecordingItem | None]:
    """The items of one CDR: the CDR, its id guard and (given) its recording, whose keys
    are set to the CDR's."""
    sort_key = keys.cdr_sk(started_at, call_id)
    cdr = CdrItem(
        keys.cdr_pk(tenant_id),
        sort_key,
        tenant_id=tenant_id,
        call_id=call_id,
        started_at=started_at,
        caller=str(doc.get("caller") or ""),
        callee=str(doc.get("callee") or ""),
        direction=str(doc.get("direction") or ""),
        disposition=str(doc.get("disposition") or ""),
        doc=json.dumps(doc, separators=(",", ":"), sort_keys=True),
    )
    if deleted is not None:
        cdr.rec_deleted, cdr.rec_deleted_at = deleted.reason, deleted.at
    guard = CdrIdItem(keys.cdr_id_pk(tenant_id), call_id, sort_key=sort_key)
    if recording is not None:
        recording.pk, recording.sk = keys.rec_pk(tenant_id), sort_key
    return cdr, guard, recording


def put(
    tenant_id: str,
    doc: dict[str, Any],
    *,
    call_id: str,
    started_at: str,
    recording: RecordingItem | None = None,
    usage: UsageUpdate | None = None,
) -> bool:
    """Store a CDR once per (tenant, call id). True when stored, False for a duplicate.

    With ``recording`` the recording item is stored in the same transaction, and with
    ``usage`` the tenant's usage, level and events change in it too (UsageStale when the
    tenant changed meanwhile: nothing was stored).
    """
    cdr, guard, rec = items(tenant_id, doc, call_id=call_id, started_at=started_at, recording=recording)

    def build(tx: TransactWrite) -> None:
        tx.save(guard, condition=CdrIdItem.pk.does_not_exist())
        tx.save(cdr, condition=CdrItem.pk.does_not_exist())
        if rec is not None:
            tx.save(rec, condition=RecordingItem.pk.does_not_exist())
        if usage is not None:
            rec_store.apply_usage(tx, usage)

    codes = store.transact(build)
    if codes is None:
        return True
    if codes[0] == store.CONDITION_FAILED or codes[1] == store.CONDITION_FAILED:
        return False
    if store.CONDITION_FAILED in codes:
        raise UsageStale(tenant_id)
    raise RuntimeError(f"CDR put cancelled: {codes}")


def put_many(
    tenant_id: str,
    entries: list[tuple[dict[str, Any], str, str, RecordingItem | None]],
    *,
    usage: UsageUpdate | None = None,
) -> bool:
    """Store several new CDRs of one tenant in one transaction (``entries``: doc, call id,
    started_at, recording), with the usage change of their recordings. True when stored;
    False when one of them exists already (nothing was stored: store them one by one);
    UsageStale when the tenant's usage or quota moved meanwhile."""
    built = [items(tenant_id, doc, call_id=cid, started_at=st, recording=rec) for doc, cid, st, rec in entries]

    def build(tx: TransactWrite) -> None:
        for cdr, guard, rec in built:
            tx.save(guard, condition=CdrIdItem.pk.does_not_exist())
            tx.save(cdr, condition=CdrItem.pk.does_not_exist())
            if rec is not None:
                tx.save(rec, condition=RecordingItem.pk.does_not_exist())
        if usage is not None:
            rec_store.apply_usage(tx, usage)

    codes = store.transact(build)
    if codes is None:
        return True
    if store.CONDITION_FAILED not in codes:
        raise RuntimeError(f"CDR batch put cancelled: {codes}")
    if existing_ids(tenant_id, [cid for _, cid, _, _ in entries]):
        return False
    raise UsageStale(tenant_id)


def existing_ids(tenant_id: str, call_ids: Iterable[str]) -> set[str]:
    """Which of ``call_ids`` the tenant has a CDR for (strongly consistent batch reads)."""
    store.configure()
    wanted = list(dict.fromkeys(c for c in call_ids if 0 < len(c) <= 512))
    found: set[str] = set()
    for start in range(0, len(wanted), 100):
        chunk = [(keys.cdr_id_pk(tenant_id), c) for c in wanted[start : start + 100]]
        found |= {g.sk for g in CdrIdItem.batch_get(chunk, consistent_read=True)}
    return found


def put_imported(entries: Iterable[tuple[CdrItem, CdrIdItem, RecordingItem | None]]) -> None:
    """Batch-write CDRs built by ``items`` into a tenant that nothing else writes yet (an
    import's new tenant): no conditions, no usage transaction (the import sets the usage)."""
    store.put_raw(item for entry in entries for item in entry if item is not None)


def mark_recording_deleted(tenant_id: str, *, reason: str, at: str) -> Callable[[TransactWrite, str], None]:
    """The transaction step that marks the CDR with sort key ``sk`` as having lost its
    recording (``recordings.store.delete`` calls it for each recording it deletes)."""

    def mark(tx: TransactWrite, sk: str) -> None:
        tx.update(
            CdrItem(keys.cdr_pk(tenant_id), sk),
            actions=[CdrItem.rec_deleted.set(reason), CdrItem.rec_deleted_at.set(at)],
            condition=CdrItem.pk.exists(),
        )

    return mark


def _overlay(doc: dict[str, Any], deleted: str | None, deleted_at: str | None) -> dict[str, Any]:
    """The stored CDR as the API shows it: a deleted recording has no key any more."""
    doc["recording_deleted"] = deleted or None
    doc["recording_deleted_at"] = deleted_at or None
    if deleted:
        doc["recording_key"] = None
    return doc


def get(tenant_id: str, call_id: str) -> dict[str, Any] | None:
    store.configure()
    try:
        guard = CdrIdItem.get(keys.cdr_id_pk(tenant_id), call_id, consistent_read=True)
        item = CdrItem.get(keys.cdr_pk(tenant_id), guard.sort_key, consistent_read=True)
    except DoesNotExist:
        return None
    doc: dict[str, Any] = json.loads(item.doc)
    return _overlay(doc, item.rec_deleted, item.rec_deleted_at)


@dataclass(frozen=True)
class CdrFilter:
    """Search criteria; times are sort-key bounds (UTC ISO, inclusive start, exclusive end)."""

    start: str | None = None
    end: str | None = None
    extension: str | None = None  # caller or callee
    number: str | None = None  # caller or callee (exact)
    direction: str | None = None
    disposition: str | None = None


def _query_args(tenant_id: str, flt: CdrFilter) -> dict[str, Any]:
    """Low-level Query arguments (expressions) for a CDR search, newest first."""
    names = {"#pk": "pk", "#doc": "doc", "#sk": "sk", "#rd": "rec_deleted", "#rda": "rec_deleted_at"}
    values: dict[str, Any] = {":pk": {"S": keys.cdr_pk(tenant_id)}}
    key_expr = "#pk = :pk"
    if flt.start and flt.end:
        key_expr += " AND #sk BETWEEN :s AND :e"
        values[":s"], values[":e"] = {"S": flt.start}, {"S": flt.end}
    elif flt.start:
        key_expr += " AND #sk >= :s"
        values[":s"] = {"S": flt.start}
    elif flt.end:
        key_expr += " AND #sk < :e"
        values[":e"] = {"S": flt.end}
    filters: list[str] = []
    for i, party in enumerate((flt.extension, flt.number)):
        if party:
            names["#caller"], names["#callee"] = "caller", "callee"
            values[f":p{i}"] = {"S": party}
            filters.append(f"(#caller = :p{i} OR #callee = :p{i})")
    for name in ("direction", "disposition"):
        value = getattr(flt, name)
        if value:
            names[f"#{name}"] = name
            values[f":{name}"] = {"S": value}
            filters.append(f"#{name} = :{name}")
    args: dict[str, Any] = {
        "TableName": settings.aws().table,
        "KeyConditionExpression": key_expr,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "ProjectionExpression": "#sk, #doc, #rd, #rda",
        "ScanIndexForward": False,
        "ConsistentRead": True,
    }
    if filters:
        args["FilterExpression"] = " AND ".join(filters)
    return args


def page(
    tenant_id: str, *, limit: int, after_sk: str | None, flt: CdrFilter | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first: the page and the sk to continue after (None on the last page).

    Filters other than the time range are applied by DynamoDB after reading; one request
    reads at most ``MAX_SCAN`` items and may then return a short (even empty) page with a
    cursor.
    """
    args = _query_args(tenant_id, flt or CdrFilter())
    client = store.client()
    filtered = "FilterExpression" in args
    args["Limit"] = min(MAX_SCAN, max(limit + 1, 100)) if filtered else limit + 1
    start = {"pk": {"S": keys.cdr_pk(tenant_id)}, "sk": {"S": after_sk}} if after_sk else None
    raws: list[dict[str, Any]] = []
    scanned = 0
    while True:
        resp = client.query(**args, **({"ExclusiveStartKey": start} if start else {}))
        scanned += int(resp.get("ScannedCount", 0))
        for raw in resp.get("Items", []):
            if len(raws) == limit:
                return [_raw_doc(r) for r in raws], raws[-1]["sk"]["S"]
            raws.append(raw)
        lek = resp.get("LastEvaluatedKey")
        if not lek:
            return [_raw_doc(r) for r in raws], None
        if scanned >= MAX_SCAN:
            return [_raw_doc(r) for r in raws], str(lek["sk"]["S"])
        start = lek


def _raw_doc(raw: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(raw["doc"]["S"])
    return _overlay(doc, raw.get("rec_deleted", {}).get("S"), raw.get("rec_deleted_at", {}).get("S"))


def iter_docs(tenant_id: str, flt: CdrFilter, *, max_items: int) -> Iterator[dict[str, Any]]:
    """Bulk read for exports: the low-level client's paginator, raw pages, no model objects."""
    args = _query_args(tenant_id, flt)
    count = 0
    for raw_page in store.client().get_paginator("query").paginate(**args):
        for raw in raw_page.get("Items", []):
            yield _raw_doc(raw)
            count += 1
            if count >= max_items:
                return
