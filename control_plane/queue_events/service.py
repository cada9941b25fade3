"""The queue event log (issue 16): edges post what happened in queues and to agents
(``pbx_core.queue_log``), supervisors read it by time, for the tenant or one queue.

An edge may post events of the tenants it serves only (per event 403 otherwise, the
others of the batch are stored). Idempotent: an event is identified by (tenant, queue,
call id, kind, at, agent) (``store.key_hash``); a repeat answers ``duplicate``.
Agents' own status changes (``agents.service``) are written here too, in the same
transaction as the status.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from control_plane.agents import service as agents
from control_plane.agents import store as agents_store
from control_plane.cdrs import service as cdrs
from control_plane.core import clock, ids, keys
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.edges import service as edges
from control_plane.live import service as live
from control_plane.queue_events import store as qev_store
from control_plane.queue_events.schemas import (
    MAX_BATCH,
    MAX_STATS_EVENTS,
    AgentFiguresOut,
    QueueEventBatchOut,
    QueueEventList,
    QueueEventOut,
    QueueEventQuery,
    QueueEventResult,
    QueueFiguresOut,
    QueueStatsOut,
    QueueStatsQuery,
)
from control_plane.queues import service as queues
from control_plane.queues import store as queues_store
from control_plane.tenants import service as tenants
from control_plane.tenants import store as tenants_store
from pbx_core import cdr as cdrmod
from pbx_core import queue_log, queue_stats
from pbx_core.errors import NotFound, PbxError, ValidationError

CURSOR = "queue-events"
_QUEUE_ID_RE = re.compile(r"^([a-z]{2,4}_[0-9a-f]{12})?$")
_AGENT_RE = re.compile(r"^([1-9][0-9]{1,5})?$")


def parse(raw: object) -> queue_log.QueueEvent:
    """A posted event, checked (``queue_log.from_dict``) and bounded for storage."""
    ev = queue_log.from_dict(raw)
    if not tenants.is_tenant_id(ev.tenant_id):
        raise NotFound("tenant not found", fields={"tenant_id": "unknown tenant"})
    problems = {
        "queue_id": not _QUEUE_ID_RE.match(ev.queue_id),
        "agent": not _AGENT_RE.match(ev.agent),
        "call_id": len(ev.call_id) > 512,
        "reason": len(ev.reason) > 200,
        "at": ev.at >= 1e11,  # unix seconds; milliseconds by mistake would be year 5138
        "wait_s": ev.wait_s > 86400 * 7 or not math.isfinite(ev.wait_s),
    }
    bad = {k: "invalid" for k, v in problems.items() if v}
    if bad:
        raise ValidationError("invalid queue event: " + ", ".join(sorted(bad)), fields=bad)
    return ev


def ingest_batch(raws: Sequence[object], *, edge_id: str) -> QueueEventBatchOut:
    """Store up to ``MAX_BATCH`` events posted by an edge; a result per event, in order."""
    if not 0 < len(raws) <= MAX_BATCH:
        raise ValidationError(f"1 to {MAX_BATCH} events per batch", fields={"events": f"1 to {MAX_BATCH} items"})
    results: list[QueueEventResult | None] = [None] * len(raws)
    by_tenant: dict[str, list[tuple[int, queue_log.QueueEvent]]] = {}
    for i, raw in enumerate(raws):
        try:
            ev = parse(raw)
        except PbxError as exc:
            results[i] = _result(i, "", "error", exc)
            continue
        by_tenant.setdefault(ev.tenant_id, []).append((i, ev))
    pushed: dict[str, list[queue_log.QueueEvent]] = {}
    for tenant_id, group in by_tenant.items():
        try:
            if not tenants_store.exists(tenant_id):
                raise NotFound("tenant not found", fields={"tenant_id": "unknown tenant"})
            edges.require_served(edge_id, tenant_id)
            existing = qev_store.existing(tenant_id, [qev_store.sort_key(ev) for _, ev in group])
            fresh: dict[str, queue_log.QueueEvent] = {}
            for i, ev in group:
                sk = qev_store.sort_key(ev)
                new = sk not in existing and sk not in fresh
                if new:
                    fresh[sk] = ev
                results[i] = _result(i, sk, "created" if new else "duplicate")
            qev_store.put_many(fresh.values())
            # An agent's status set at the edge (its phone, the autopause) becomes the stored one.
            agents.apply_from_edge(tenant_id, [ev for ev in fresh.values() if ev.kind in agents.EDGE_STATUS])
            pushed[tenant_id] = sorted(fresh.values(), key=lambda e: (e.at, qev_store.sort_key(e)))
        except PbxError as exc:  # unknown tenant or not this edge's: every event of it
            for i, _ in group:
                results[i] = _result(i, "", "error", exc)
        except Exception:  # storage trouble: the edge keeps these events and retries them
            logger.exception("queue event batch failed", extra={"tenant_id": tenant_id, "edge_id": edge_id})
            for i, _ in group:
                results[i] = _result(i, "", "error", PbxError("storage unavailable, retry"), retry=True)
    for tenant_id, fresh_events in pushed.items():
        _push(tenant_id, fresh_events)
    out = [r for r in results if r is not None]
    stored = sum(1 for r in out if r.status == "created")
    count("QueueEventsStored", stored)
    logger.info("queue event batch", extra={"edge_id": edge_id, "events": len(raws), "stored": stored})
    return QueueEventBatchOut(results=out)


def _push(tenant_id: str, events: list[queue_log.QueueEvent]) -> None:
    """The new events to the tenant's supervisors' and admins' browsers (the wallboard); they
    are stored already, so a failed push is logged, never the edge's error."""
    if not events:
        return
    try:
        live.deliver_queue(tenant_id, events)
    except Exception:
        logger.exception("queue event push failed", extra={"tenant_id": tenant_id})


def _result(
    index: int, key: str, status: str, error: PbxError | None = None, *, retry: bool = False
) -> QueueEventResult:
    return QueueEventResult(
        index=index,
        key=key,
        status=status,  # type: ignore[arg-type]  # created | duplicate | error
        code=error.code if error else None,
        message=error.message if error else None,
        retry=retry,
    )


def _bound_ms(tenant_id: str, q: QueueEventQuery) -> tuple[int | None, int | None]:
    """``from``/``to`` as epoch ms: ISO 8601 with any offset; without one, the tenant's local time."""
    _, zone = cdrs.tenant_zone(tenant_id)
    out: dict[str, int | None] = {"from": None, "to": None}
    errors: dict[str, str] = {}
    for name, value in (("from", q.start), ("to", q.end)):
        if value:
            try:
                out[name] = round(cdrmod.parse_iso(cdrs.sort_time(value, zone)).timestamp() * 1000)
            except (ValidationError, OverflowError, ValueError):
                errors[name] = "ISO 8601 date or timestamp, e.g. 2025-11-01T00:00:00+07:00 (no offset: local time)"
    start, end = out["from"], out["to"]
    if not errors and start is not None and end is not None and start > end:
        errors["to"] = "must not be before from"
    if errors:
        raise ValidationError("invalid query", fields=errors)
    return start, end


def search(tenant_id: str, q: QueueEventQuery, *, queue_id: str | None = None) -> QueueEventList:
    """Oldest first: the tenant's events, or one queue's (the caller checked the queue is the tenant's)."""
    start, end = _bound_ms(tenant_id, q)
    purpose = f"{CURSOR}:{queue_id or ''}"
    after = ids.decode_cursor(purpose, tenant_id, q.cursor) if q.cursor else None
    pk = keys.queue_events_of_pk(tenant_id, queue_id) if queue_id else keys.queue_event_pk(tenant_id)
    docs, next_sk = qev_store.page(pk, start_ms=start, end_ms=end, after_sk=after, limit=q.limit)
    return QueueEventList(
        items=[public(d) for d in docs],
        next=ids.encode_cursor(purpose, tenant_id, next_sk) if next_sk else None,
    )


def read_period(tenant_id: str, start: float, end: float, *, page_size: int = 1000) -> Iterator[queue_log.QueueEvent]:
    """Every event of the tenant (all queues and agents) with ``start <= at < end`` (unix
    seconds, ms precision), oldest first, page by page (reports: ``queue_reports``)."""
    pk = keys.queue_event_pk(tenant_id)
    after: str | None = None
    start_ms, end_ms = math.floor(start * 1000), math.ceil(end * 1000)
    while True:
        docs, after = qev_store.page(pk, start_ms=start_ms, end_ms=end_ms, after_sk=after, limit=page_size)
        for doc in docs:
            try:
                ev = queue_log.from_dict(doc)
            except ValidationError:  # checked when posted; never fail a report on one
                logger.warning("unreadable stored queue event", extra={"tenant_id": tenant_id})
                continue
            if start <= ev.at < end:
                yield ev
        if after is None:
            return


def search_queue(tenant_id: str, queue_id: str, q: QueueEventQuery) -> QueueEventList:
    """One queue's events (404 for a queue that is not the tenant's)."""
    queues.require(tenant_id, queue_id)
    return search(tenant_id, q, queue_id=queue_id)


def public(doc: dict[str, Any]) -> QueueEventOut:
    at = float(doc.get("at", 0.0))
    return QueueEventOut(**{**doc, "at": at, "at_iso": cdrmod.iso(datetime.fromtimestamp(at, UTC))})


# A caller waiting, a pending callback or an agent's call that began this long before a
# period is still seen in its figures (the events before it set the scene, uncounted).
LOOKBACK_S = 2 * 3600


def stats(tenant_id: str, q: QueueStatsQuery) -> QueueStatsOut:
    """The call-center figures (``pbx_core.queue_stats.figures``) of the tenant's queue events
    in [from, to) (default: since the tenant's local midnight, until now).

    Agents' statuses set before ``from`` and unchanged since (their ``since`` is earlier)
    are replayed at ``from`` as LOGIN (and PAUSE), so a period that starts after an agent
    logged in still shows it ready or paused."""
    _, zone = cdrs.tenant_zone(tenant_id)
    now = clock.now()
    start, end = _bound_ms(tenant_id, QueueEventQuery.model_validate({"from": q.start, "to": q.end}))
    if start is None:
        midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
        start = round(midnight.timestamp() * 1000)
    now_ms = round(now.timestamp() * 1000)
    if end is None:
        end = max(now_ms, start)
    at = min(now_ms, end) / 1000
    configs = {x.queue_id: queues_store.config(x) for x in queues_store.list_all(tenant_id)}
    replayed: list[queue_log.QueueEvent] = []
    for a in agents_store.list_all(tenant_id):
        if a.status == "logged_out" or int(a.since or 0) * 1000 >= start:
            continue
        first = queue_log.QueueEvent(
            at=start / 1000, tenant_id=tenant_id, queue_id="", kind=queue_log.LOGIN, agent=a.extension
        )
        replayed.append(first)
        if a.status == "paused":
            replayed.append(replace(first, kind=queue_log.PAUSE, reason=a.reason or ""))
    # The events of the LOOKBACK_S before the period set the scene (callers waiting since
    # before midnight, an agent on a call): counted only from the period's start.
    before = list(
        qev_store.iter_docs(
            keys.queue_event_pk(tenant_id), start_ms=start - LOOKBACK_S * 1000, end_ms=start, max_items=MAX_STATS_EVENTS
        )
    )
    docs = list(
        qev_store.iter_docs(keys.queue_event_pk(tenant_id), start_ms=start, end_ms=end, max_items=MAX_STATS_EVENTS + 1)
    )
    truncated = len(docs) > MAX_STATS_EVENTS
    events = [
        *(queue_log.from_dict(d) for d in before),
        *replayed,
        *(queue_log.from_dict(d) for d in docs[:MAX_STATS_EVENTS]),
    ]
    figures = queue_stats.figures(events, at, configs, counted_from=start / 1000)
    return QueueStatsOut(
        start=cdrmod.iso(datetime.fromtimestamp(start / 1000, UTC)),
        end=cdrmod.iso(datetime.fromtimestamp(end / 1000, UTC)),
        at=at,
        events=min(len(docs), MAX_STATS_EVENTS),
        truncated=truncated,
        queues=[
            QueueFiguresOut(
                **asdict(f),
                name=configs[qid].name if qid in configs else "",
                number=configs[qid].number if qid in configs else "",
            )
            for qid, f in figures.queues.items()
        ],
        agents=[AgentFiguresOut(**asdict(f)) for f in figures.agents.values()],
    )
