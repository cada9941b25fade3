"""Call recordings (F7): exact per-tenant usage, quota levels and events, the full-quota
policy, retention, and presigned playback links.

Usage is exact because it only ever changes in the same DynamoDB transaction as the
recording items it counts (``cdrs.store.put`` on first ingest, ``recordings.store.delete``),
conditional on the usage and quota read just before (retried when they moved). The same
transaction sets the tenant's level (ok, warn80, warn90, full), writes one event per
threshold crossed upward, and bumps the snapshot version when the edge's ``record_calls``
flips (policy ``stop_recording``).

At 100 % with ``delete_oldest`` the oldest recordings are deleted (S3 object first, then
the recording item, the CDR's mark and the usage in one transaction) until usage is below
``TARGET_PCT`` of the quota: right after the ingest that filled it (a bounded amount of
work) and by the scheduled ``housekeeping`` run, which also applies retention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from control_plane.cdrs import store as cdrs_store
from control_plane.core import s3, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.events import store as events_store
from control_plane.recordings import store as rec_store
from control_plane.recordings.schemas import RecordingLinkOut, RecordingUsage, RecordingUsageOut
from control_plane.recordings.store import RecordingItem, UsageStale, UsageUpdate
from control_plane.tenants import store as tenants_store
from control_plane.tenants.store import TenantItem
from pbx_core import defaults
from pbx_core.cdr import iso
from pbx_core.errors import Conflict, NotFound

LEVELS = ("ok", "warn80", "warn90", "full")
THRESHOLDS = ((80, "warn80"), (90, "warn90"), (100, "full"))
EVENT_TYPES = {"warn80": "recording.quota_80", "warn90": "recording.quota_90", "full": "recording.quota_full"}
ON_FULL = ("delete_oldest", "stop_recording")
TARGET_PCT = 95  # delete_oldest deletes until usage is below this share of the quota
BATCH = 25  # recordings per deletion transaction (2 items each, + tenant, events, version)
INLINE_BUDGET = 200  # recordings the ingest that filled the quota may delete itself
LINK_TTL_S = 300
CONTENT_TYPES = {"opus": "audio/ogg", "ogg": "audio/ogg", "wav": "audio/wav"}
_ATTEMPTS = 10


# --- levels ---------------------------------------------------------------------------------
def level_for(usage: int, quota: int) -> str:
    """The level of ``usage`` bytes against ``quota`` (integer arithmetic, no rounding).

    A quota of 0 means no recording storage: always full.
    """
    level = "ok"
    for pct, name in THRESHOLDS:
        if usage * 100 >= pct * quota:
            level = name
    return level


def usage_pct(usage: int, quota: int) -> float:
    return round(usage * 100 / quota, 2) if quota > 0 else 100.0


def on_full(tenant: TenantItem) -> str:
    return tenant.recording_on_full if tenant.recording_on_full in ON_FULL else defaults.RECORDING_ON_FULL


def usage_of(tenant: TenantItem) -> int:
    return int(tenant.recording_usage_bytes or 0)


def quota_of(tenant: TenantItem) -> int:
    return int(tenant.recording_quota_bytes or 0)


def records(tenant: TenantItem, usage: int | None = None) -> bool:
    """The edge's record_calls: the tenant records, unless it is full and its policy stops."""
    u = usage_of(tenant) if usage is None else usage
    stopped = on_full(tenant) == "stop_recording" and level_for(u, quota_of(tenant)) == "full"
    return bool(tenant.record_calls) and not stopped


def summary(tenant: TenantItem) -> RecordingUsageOut:
    usage, quota = usage_of(tenant), quota_of(tenant)
    return RecordingUsageOut(
        usage_bytes=usage,
        quota_bytes=quota,
        usage_pct=usage_pct(usage, quota),
        level=level_for(usage, quota),  # type: ignore[arg-type]  # one of LEVELS
        on_full=on_full(tenant),  # type: ignore[arg-type]  # one of ON_FULL
        recording_active=records(tenant),
    )


def _rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else 0


def _change(tenant: TenantItem, delta: int, now: datetime) -> UsageUpdate:
    """The usage change ``delta`` on the tenant as read: new level, upward events, bump."""
    usage, quota = usage_of(tenant), quota_of(tenant)
    new_usage = max(0, usage + delta)
    new_level = level_for(new_usage, quota)
    announced = tenant.recording_level if tenant.recording_level in LEVELS else "ok"
    events = []
    for pct, name in THRESHOLDS:
        if _rank(announced) < _rank(name) <= _rank(new_level):
            data = {"threshold_pct": pct, "level": name, "usage_bytes": new_usage, "quota_bytes": quota}
            events.append(events_store.new(tenant.tenant_id, EVENT_TYPES[name], data, now, order=f"{pct:03d}"))
    return UsageUpdate(
        tenant_id=tenant.tenant_id,
        expected_usage=usage,
        expected_quota=quota,
        delta=new_usage - usage,
        level=new_level,
        events=events,
        bump=records(tenant) != records(tenant, new_usage),
    )


def _announce(update: UsageUpdate, *, policy: str) -> None:
    """After a committed change: log and count each event (the items are already stored)."""
    for ev in update.events:
        count("RecordingQuota" + ev.type.rsplit("_", 1)[1].capitalize())
        logger.warning(
            "recording quota threshold crossed",
            extra={"tenant_id": update.tenant_id, "event": ev.type, "on_full": policy, **events_store.data(ev)},
        )
    if update.bump:
        logger.warning(
            "recording stopped: quota full" if update.level == "full" else "recording resumed",
            extra={"tenant_id": update.tenant_id},
        )


def _tenant(tenant_id: str) -> TenantItem:
    tenant = tenants_store.get(tenant_id)
    if tenant is None:
        raise NotFound("tenant not found")
    return tenant


# --- ingest -----------------------------------------------------------------------------------
def store_cdr(doc: dict[str, Any], *, sort_time: str, now: datetime) -> bool:
    """Store a CDR once; a recording's bytes count in the same transaction. True when new."""
    tenant_id, call_id = doc["tenant_id"], doc["call_id"]
    key = doc.get("recording_key")
    if not key:
        return cdrs_store.put(tenant_id, doc, call_id=call_id, started_at=sort_time)
    size = int(doc.get("recording_bytes") or 0)
    for _ in range(_ATTEMPTS):
        tenant = _tenant(tenant_id)
        rec = rec_store.item(
            tenant_id,
            "",
            call_id=call_id,
            key=str(key),
            size=size,
            format=str(doc.get("recording_format") or ""),
            started_at=sort_time,
        )
        update = _change(tenant, size, now)
        try:
            created = cdrs_store.put(tenant_id, doc, call_id=call_id, started_at=sort_time, recording=rec, usage=update)
        except UsageStale:
            continue
        if created:
            _announce(update, policy=on_full(tenant))
            if update.level == "full" and on_full(tenant) == "delete_oldest":
                settle(tenant_id, now)
        return created
    raise Conflict("the tenant's recording usage changed too often; retry", fields={"call_id": "retry"})


CHUNK = 30  # new CDRs per transaction: 3 items each, + tenant usage, up to 3 events, a bump


def store_cdrs(tenant_id: str, entries: Sequence[tuple[dict[str, Any], str]], *, now: datetime) -> list[bool]:
    """Store new CDRs of one tenant (``entries``: doc, sort time), ``CHUNK`` per transaction
    with the usage change of their recordings: one tenant write for many CDRs, so a busy
    edge's batches do not contend on the tenant's usage. True per CDR stored, False for one
    that existed (a chunk with a repeat is stored one by one)."""
    out: list[bool] = []
    for start in range(0, len(entries), CHUNK):
        out += _store_chunk(tenant_id, entries[start : start + CHUNK], now)
    return out


def _store_chunk(tenant_id: str, chunk: Sequence[tuple[dict[str, Any], str]], now: datetime) -> list[bool]:
    for _ in range(_ATTEMPTS):
        tenant = _tenant(tenant_id)
        entries: list[tuple[dict[str, Any], str, str, RecordingItem | None]] = []
        size = 0
        for doc, sort_time in chunk:
            rec = None
            if doc.get("recording_key"):
                rec_size = int(doc.get("recording_bytes") or 0)
                size += rec_size
                rec = rec_store.item(
                    tenant_id,
                    "",
                    call_id=doc["call_id"],
                    key=str(doc["recording_key"]),
                    size=rec_size,
                    format=str(doc.get("recording_format") or ""),
                    started_at=sort_time,
                )
            entries.append((doc, str(doc["call_id"]), sort_time, rec))
        update = _change(tenant, size, now) if any(rec is not None for *_, rec in entries) else None
        try:
            stored = cdrs_store.put_many(tenant_id, entries, usage=update)
        except UsageStale:
            continue
        if not stored:
            return [store_cdr(doc, sort_time=st, now=now) for doc, st in chunk]
        if update is not None:
            _announce(update, policy=on_full(tenant))
            if update.level == "full" and on_full(tenant) == "delete_oldest":
                settle(tenant_id, now)
        return [True] * len(chunk)
    raise Conflict("the tenant's recording usage changed too often; retry", fields={"call_id": "retry"})


def settle(tenant_id: str, now: datetime, *, levels: bool = False, delete: bool = True) -> None:
    """Right after a change that may have filled the quota (an ingest, a new quota or
    policy): the level (``levels``) and a bounded delete_oldest; the scheduled run finishes
    what is left. A failure here never fails the request (its change is committed)."""
    try:
        if levels:
            reconcile(tenant_id, now)
        if delete:
            enforce_quota(tenant_id, now, budget=INLINE_BUDGET)
    except Exception:  # committed already; housekeeping retries
        logger.exception("recording quota follow-up failed", extra={"tenant_id": tenant_id})


# --- deleting -------------------------------------------------------------------------------
def _delete_objects(tenant_id: str, recs: Sequence[RecordingItem]) -> list[RecordingItem]:
    """Delete the recordings' S3 objects; the recordings whose object is gone (or was never
    the tenant's to delete) are returned, those S3 refused are left for the next run."""
    object_keys = [r.key for r in recs if s3.owned(tenant_id, r.key)]
    failed: set[str] = set()
    if object_keys:
        resp = s3.client().delete_objects(
            Bucket=s3.bucket(),
            Delete={"Objects": [{"Key": k} for k in object_keys], "Quiet": True},
        )
        for err in resp.get("Errors", []):
            failed.add(str(err.get("Key")))
            logger.error("recording delete failed", extra={"tenant_id": tenant_id, "code": err.get("Code")})
    for r in recs:
        if not s3.owned(tenant_id, r.key):
            logger.warning("recording key outside the tenant's prefix: not deleted", extra={"tenant_id": tenant_id})
    return [r for r in recs if r.key not in failed]


def _forget(tenant_id: str, recs: Sequence[RecordingItem], reason: str, now: datetime) -> int:
    """Delete the recordings (objects, items, CDR marks, usage). Returns the bytes freed."""
    todo = _delete_objects(tenant_id, recs)
    for _ in range(_ATTEMPTS):
        if not todo:
            return 0
        tenant = _tenant(tenant_id)
        freed = sum(int(r.size or 0) for r in todo)
        update = _change(tenant, -freed, now)
        mark = cdrs_store.mark_recording_deleted(tenant_id, reason=reason, at=iso(now))
        try:
            rec_store.delete(tenant_id, todo, mark=mark, usage=update)
        except UsageStale:
            present = {r.sk for r in rec_store.get_many(tenant_id, [r.sk for r in todo])}
            todo = [r for r in todo if r.sk in present]  # another run may have taken some
            continue
        _announce(update, policy=on_full(tenant))
        count("RecordingsDeleted", len(todo))
        count("RecordingBytesDeleted", freed)
        logger.info(
            "recordings deleted", extra={"tenant_id": tenant_id, "reason": reason, "count": len(todo), "bytes": freed}
        )
        return freed
    raise Conflict("the tenant's recording usage changed too often; retry later")


def enforce_quota(tenant_id: str, now: datetime, *, budget: int | None = None) -> int:
    """delete_oldest: while the tenant is full, delete its oldest recordings until usage is
    below TARGET_PCT of the quota. Returns the number of recordings deleted."""
    deleted = 0
    while budget is None or deleted < budget:
        tenant = _tenant(tenant_id)
        usage, quota = usage_of(tenant), quota_of(tenant)
        if on_full(tenant) != "delete_oldest" or usage * 100 < TARGET_PCT * quota or usage == 0:
            break
        # the smallest prefix of the oldest recordings that brings usage below the target
        batch: list[RecordingItem] = []
        remaining = usage
        limit = BATCH if budget is None else min(BATCH, budget - deleted)
        for rec in rec_store.oldest(tenant_id, limit=limit):
            batch.append(rec)
            remaining -= int(rec.size or 0)
            if remaining * 100 < TARGET_PCT * quota:
                break
        if not batch:
            break
        _forget(tenant_id, batch, "quota", now)
        deleted += len(batch)
    return deleted


def expire(tenant_id: str, now: datetime) -> int:
    """Retention: delete every recording of calls that started more than retention_days ago."""
    tenant = _tenant(tenant_id)
    days = int(tenant.recording_retention_days or defaults.RECORDING_RETENTION_DAYS)
    cutoff = iso(now - timedelta(days=days))
    deleted = 0
    while True:
        batch = rec_store.oldest(tenant_id, before=cutoff, limit=BATCH)
        if not batch:
            return deleted
        _forget(tenant_id, batch, "retention", now)
        deleted += len(batch)


def reconcile(tenant_id: str, now: datetime) -> None:
    """Bring the stored level in line with usage and quota (after a quota change): events for
    thresholds now crossed, a snapshot bump if recording flips."""
    for _ in range(_ATTEMPTS):
        tenant = _tenant(tenant_id)
        update = _change(tenant, 0, now)
        stored_level = tenant.recording_level if tenant.recording_level in LEVELS else "ok"
        if update.level == stored_level:
            return
        try:
            rec_store.update_usage(update)
        except UsageStale:
            continue
        _announce(update, policy=on_full(tenant))
        return


@dataclass
class HousekeepingResult:
    tenants: int = 0
    expired: int = 0
    quota_deleted: int = 0
    failed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tenants": self.tenants,
            "expired": self.expired,
            "quota_deleted": self.quota_deleted,
            "failed": len(self.failed),
        }


def housekeeping(now: datetime, *, tenant_ids: Sequence[str] | None = None) -> HousekeepingResult:
    """The scheduled job: per tenant, retention, then the level, then delete_oldest."""
    result = HousekeepingResult()
    for tenant_id in tenant_ids if tenant_ids is not None else store.list_tenant_ids():
        result.tenants += 1
        try:
            result.expired += expire(tenant_id, now)
            reconcile(tenant_id, now)
            result.quota_deleted += enforce_quota(tenant_id, now)
        except NotFound:
            continue
        except Exception:  # one tenant's failure must not stop the others
            result.failed.append(tenant_id)
            logger.exception("recording housekeeping failed", extra={"tenant_id": tenant_id})
    logger.info("recording housekeeping run", extra=result.to_dict())
    return result


# --- playback -------------------------------------------------------------------------------
class NoRecording(NotFound):
    """The call exists but has no recording (never made, or deleted): 404 with its own code."""

    code = "recording_not_found"


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def link(tenant_id: str, doc: dict[str, Any], now: datetime) -> RecordingLinkOut:
    """A presigned GET of the CDR's recording, valid LINK_TTL_S seconds."""
    key = doc.get("recording_key")
    if not key:
        deleted = doc.get("recording_deleted")
        message = f"the recording of this call was deleted ({deleted})" if deleted else "this call has no recording"
        raise NoRecording(message, fields={"call_id": f"recording deleted: {deleted}" if deleted else "no recording"})
    if not s3.owned(tenant_id, str(key)):
        logger.warning("recording key outside the tenant's prefix", extra={"tenant_id": tenant_id})
        raise NoRecording("this call has no recording", fields={"call_id": "no recording"})
    fmt = str(doc.get("recording_format") or str(key).rsplit(".", 1)[-1]).lower()
    content_type = CONTENT_TYPES.get(fmt, "application/octet-stream")
    filename = _SAFE_NAME.sub("_", str(key).rsplit("/", 1)[-1])[:120] or "recording"
    url = s3.client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": s3.bucket(),
            "Key": str(key),
            "ResponseContentType": content_type,
            "ResponseContentDisposition": f'inline; filename="{filename}"',
        },
        ExpiresIn=LINK_TTL_S,
    )
    count("RecordingLink")
    return RecordingLinkOut(
        call_id=doc["call_id"],
        url=url,
        expires_in=LINK_TTL_S,
        expires_at=iso(now + timedelta(seconds=LINK_TTL_S)),
        format=fmt,
        content_type=content_type,
        bytes=int(doc.get("recording_bytes") or 0),
    )


# --- reads ------------------------------------------------------------------------------------
def usage(tenant_id: str) -> RecordingUsage:
    tenant = _tenant(tenant_id)
    retention = int(tenant.recording_retention_days or defaults.RECORDING_RETENTION_DAYS)
    return RecordingUsage(**summary(tenant).model_dump(), retention_days=retention)
