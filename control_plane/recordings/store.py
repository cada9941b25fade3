"""Recording items (``T#<tenant_id>#REC`` / the CDR's sort key, oldest first) and the
tenant's usage, changed only together.

The tenant item's ``recording_usage_bytes`` always equals the sum of the ``bytes`` of its
recording items, because every write of one changes the other in the same transaction
(ingest puts the recording item and adds its bytes: ``cdrs.store.put``; a deletion removes
it and subtracts them: ``delete``). Those transactions are conditional on the usage and
quota the caller read (optimistic), so the level they set and the threshold events they
write are exact under concurrency; ``UsageStale`` tells the caller to read again and retry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from control_plane.core import keys, store
from control_plane.events.store import EventItem
from control_plane.tenants.store import TenantItem


class RecordingItem(store.Item, discriminator="recording"):
    """A recording the tenant stores (one per CDR with a recording_key); sk = the CDR's sk."""

    tenant_id = UnicodeAttribute()
    call_id = UnicodeAttribute()
    key = UnicodeAttribute()
    size = NumberAttribute(default=0)
    format = UnicodeAttribute(default="")
    started_at = UnicodeAttribute()


class UsageStale(Exception):
    """The tenant's recording usage or quota changed since it was read: read again, retry."""


@dataclass
class UsageUpdate:
    """A change of a tenant's recording usage, conditional on the values it was computed from."""

    tenant_id: str
    expected_usage: int
    expected_quota: int
    delta: int
    level: str
    events: list[EventItem]
    bump: bool  # the edge's record_calls flips: bump the snapshot version too


def item(tenant_id: str, sort_key: str, **fields: Any) -> RecordingItem:
    return RecordingItem(keys.rec_pk(tenant_id), sort_key, tenant_id=tenant_id, **fields)


def apply_usage(tx: TransactWrite, u: UsageUpdate) -> None:
    """The usage change, its level, its events and the snapshot bump, in the caller's transaction."""
    usage = TenantItem.recording_usage_bytes
    same: Condition = usage == u.expected_usage
    if u.expected_usage == 0:
        same = same | usage.does_not_exist()
    quota: Condition = TenantItem.recording_quota_bytes == u.expected_quota
    if u.expected_quota == 0:
        quota = quota | TenantItem.recording_quota_bytes.does_not_exist()
    tx.update(
        TenantItem(keys.tenant_pk(u.tenant_id), keys.TENANT_SK),
        actions=[usage.set(u.expected_usage + u.delta), TenantItem.recording_level.set(u.level)],
        condition=TenantItem.pk.exists() & same & quota,
    )
    for event in u.events:
        tx.save(event, condition=EventItem.pk.does_not_exist())
    if u.bump:
        store.bump_tenant(tx, u.tenant_id)


def oldest(
    tenant_id: str, *, before: str | None = None, limit: int = 25, after_sk: str | None = None
) -> list[RecordingItem]:
    """The tenant's stored recordings, oldest first; ``before``: sort keys below it only."""
    store.configure()
    kwargs: dict[str, Any] = {"consistent_read": True, "scan_index_forward": True, "limit": limit}
    if before and after_sk:
        kwargs["range_key_condition"] = RecordingItem.sk.between(after_sk, before)
    elif before:
        kwargs["range_key_condition"] = RecordingItem.sk < before
    elif after_sk:
        kwargs["range_key_condition"] = RecordingItem.sk > after_sk
    out = [
        r
        for r in RecordingItem.query(keys.rec_pk(tenant_id), **kwargs)
        if (after_sk is None or r.sk > after_sk) and (before is None or r.sk < before)
    ]
    return out[:limit]


def get_many(tenant_id: str, sort_keys: Sequence[str]) -> list[RecordingItem]:
    store.configure()
    wanted = [(keys.rec_pk(tenant_id), sk) for sk in sort_keys]
    return list(RecordingItem.batch_get(wanted, consistent_read=True)) if wanted else []


def delete(
    tenant_id: str, recs: Sequence[RecordingItem], *, mark: Callable[[TransactWrite, str], None], usage: UsageUpdate
) -> None:
    """Forget ``recs`` (their objects are already gone): each recording item is deleted, its
    CDR marked by ``mark(tx, sort_key)``, and the usage changes, in one transaction.
    UsageStale when the tenant or one of the recordings changed meanwhile (nothing written)."""

    def build(tx: TransactWrite) -> None:
        for rec in recs:
            tx.delete(RecordingItem(keys.rec_pk(tenant_id), rec.sk), condition=RecordingItem.pk.exists())
            mark(tx, rec.sk)
        apply_usage(tx, usage)

    codes = store.transact(build)
    if codes is None:
        return
    if store.CONDITION_FAILED in codes:
        raise UsageStale(tenant_id)
    raise RuntimeError(f"recording delete cancelled: {codes}")


def update_usage(usage: UsageUpdate) -> None:
    """Only the level (and its events) of a tenant whose usage did not change."""
    codes = store.transact(lambda tx: apply_usage(tx, usage))
    if codes is None:
        return
    if store.CONDITION_FAILED in codes:
        raise UsageStale(usage.tenant_id)
    raise RuntimeError(f"usage update cancelled: {codes}")


def objects(tenant_id: str) -> Iterator[tuple[str, str, str]]:
    """(call id, object key, format) of every stored recording, oldest first (a raw paginated
    query: exports read all of them)."""
    names = {"#k": "key", "#f": "format"}
    for raw in store.query_raw(keys.rec_pk(tenant_id), projection="sk, #k, #f, call_id", names=names):
        yield raw.get("call_id", {}).get("S", ""), raw["key"]["S"], raw.get("format", {}).get("S", "")
