"""Live calls: events from the edges, the calls now, and who may watch them.

Ingest (``ingest``): an edge posts a batch of ``pbx_core.events`` events. Each is checked
against the edge (it must serve the event's tenant: its tenant list, ``null`` = every
tenant; and the event's ``edge_id`` is the poster's), numbered in its tenant's sequence and
stored once per event id with the call's new state in one transaction
(``store.record``); then it is pushed to the tenant's WebSocket connections that may see it
(``fanout``) and handed to the tenant's webhooks (``webhooks.service.enqueue``).

Who sees what: tenant admins and supervisors every call of their tenant, an agent only the
calls its own extension takes part in (a leg's end, who acted, a transfer's target), as
for CDRs; another tenant's events are never read for a connection (connections and events
live in per-tenant partitions, keys built from the tenant id of the token).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from control_plane.core import auth, clock, ids, settings
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.edges import service as edges
from control_plane.live import fanout
from control_plane.live import store as live_store
from control_plane.live.schemas import (
    EdgeHealthList,
    EdgeHealthOut,
    EventBatchOut,
    EventResult,
    LiveCallOut,
    LiveCallsOut,
    LiveTicketOut,
)
from control_plane.tenants import service as tenants
from control_plane.tenants import store as tenants_store
from control_plane.users import service as users
from control_plane.webhooks import service as webhooks
from pbx_core import events as ev
from pbx_core.cdr import iso
from pbx_core.errors import Forbidden
from pbx_core.queue_log import QueueEvent

TICKET_TTL_S = 60
CONNECTION_MAX_S = 2 * 3600  # API Gateway closes a WebSocket after 2 hours
MAX_BODY_BYTES = 512 * 1024  # 100 events with long Call-IDs and quality blocks


# --- who sees a call ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Viewer:
    tenant_id: str
    extension: str  # agents: their extension; "" = every call of the tenant

    def sees(self, parties: frozenset[str]) -> bool:
        return not self.extension or self.extension in parties


def viewer(principal: auth.Principal) -> Viewer:
    """The tenant and, for an agent, the only extension whose calls it may see (403 for an
    agent without one: as for CDRs)."""
    tenant_id = principal.require_tenant(*auth.TENANT_ROLES)
    if principal.role != auth.AGENT:
        return Viewer(tenant_id, "")
    ext = users.agent_extension(principal)
    if not ext:
        raise Forbidden("an agent needs an extension to see calls")
    return Viewer(tenant_id, ext)


def parties_of(event_doc: dict[str, Any]) -> frozenset[str]:
    """The numbers taking part in a stored event (its legs' ends, who acted, the target)."""
    out = {str(leg.get(k) or "") for leg in event_doc.get("legs") or () for k in ("from", "to")}
    out |= {str(event_doc.get("by") or ""), str(event_doc.get("target") or "")}
    out.discard("")
    return frozenset(out)


# --- the call as the console shows it -----------------------------------------------------------
def call_view(event: ev.CallEvent, seq: int) -> dict[str, Any] | None:
    """The call after ``event`` (``LiveCallOut`` fields); None once it has ended."""
    if event.state not in ev.LIVE_STATES:
        return None
    return {
        "call_id": event.call_id,
        "state": event.state,
        "edge_id": event.edge_id,
        "started_at": event.started_at,
        "answered_at": event.answered_at,
        "updated_at": event.occurred_at,
        "last_event": event.kind,
        "legs": [leg.to_dict() for leg in event.legs],
        "by": event.by,
        "target": event.target,
        "one_way_audio": event.one_way_audio(),
        "seq": seq,
    }


def message(seq: int, event_doc: dict[str, Any], call: dict[str, Any] | None) -> dict[str, Any]:
    """What a browser receives for one event: its number, the event, the call after it
    (null: the call has ended). Several go in one ``{"type": "events", "items": [...]}``."""
    return {"type": "event", "seq": seq, "event": event_doc, "call": call}


# --- ingest ---------------------------------------------------------------------------------
def _served(edge_id: str) -> frozenset[str] | None:
    edge = edges.require_recent(edge_id)  # a change of its tenants counts here within edges.store.RECENT_S
    return frozenset(str(t) for t in edge.tenants) if edge.tenants is not None else None


def ingest(edge_id: str, raw: object) -> EventBatchOut:
    """Validate, authorise, store and deliver one batch of events from ``edge_id``."""
    batch = ev.batch_from_dict(raw)
    now = clock.now()
    served = _served(edge_id)
    if batch.health is not None:
        live_store.put_edge_health(edge_id, batch.health.to_dict(), reported_at=iso(now))
    results: list[EventResult] = []
    accepted: dict[str, list[tuple[int, ev.CallEvent]]] = defaultdict(list)  # tenant -> (result index, event)
    known: dict[str, bool] = {}
    for event in batch.events:
        refusal = _refusal(event, edge_id, served, known)
        if refusal:
            logger.warning(
                "event refused",
                extra={"tenant_id": event.tenant_id, "call_id": event.call_id, "edge_id": edge_id, "error": refusal},
            )
            count("LiveEventRefused")
            results.append(EventResult(id=event.id, status="refused", seq=None, code=refusal))
            continue
        if not event.edge_id:
            event = replace(event, edge_id=edge_id)
        accepted[event.tenant_id].append((len(results), event))
        results.append(EventResult(id=event.id, status="created", seq=None))
    for tenant_id, events in accepted.items():
        last = live_store.allocate(tenant_id, len(events))
        kept: list[tuple[int, ev.CallEvent, dict[str, Any] | None]] = []
        new = [
            live_store.NewEvent(seq, e.id, e.call_id, e.state, e.to_dict(), call_view(e, seq))
            for seq, (_, e) in enumerate(events, start=last - len(events) + 1)
        ]
        statuses = live_store.record_many(tenant_id, new, now=now.timestamp())
        for (index, event), item, stored in zip(events, new, statuses, strict=True):
            call = item.call_doc
            if stored.status == "duplicate" or stored.seq is None:
                results[index] = EventResult(id=event.id, status="duplicate", seq=None)
                count("LiveEventDuplicate")
                continue
            results[index] = EventResult(id=event.id, status="created", seq=stored.seq)
            kept.append((stored.seq, event, call))
        if kept:
            # one line per tenant and post (a line per event was ~75 a post at 100 calls/s):
            # each event's number, call and kind, so a call's events are still found by its id
            logger.info(
                "events stored",
                extra={
                    "tenant_id": tenant_id,
                    "edge_id": edge_id,
                    "count": len(kept),
                    "events": [[seq, event.call_id, event.kind] for seq, event, _ in kept],
                },
            )
            count("LiveEventStored", len(kept))
            deliver(tenant_id, [(seq, event.to_dict(), call) for seq, event, call in kept])
            webhooks.enqueue(tenant_id, [(seq, event.to_dict()) for seq, event, _ in kept], now=now)
    return EventBatchOut(results=results)


def _refusal(event: ev.CallEvent, edge_id: str, served: frozenset[str] | None, known: dict[str, bool]) -> str | None:
    """Why the edge may not post this event, or None."""
    if event.edge_id and event.edge_id != edge_id:
        return "edge_mismatch"
    if served is not None and event.tenant_id not in served:
        return "tenant_not_served"
    if event.tenant_id not in known:
        known[event.tenant_id] = tenants.is_tenant_id(event.tenant_id) and tenants_store.exists(event.tenant_id)
    if not known[event.tenant_id]:
        return "tenant_not_served"
    return None


MESSAGE_MAX_BYTES = 96 * 1024  # API Gateway takes at most 128 KB per WebSocket message


def batches(messages: list[dict[str, Any]]) -> list[bytes]:
    """Messages to send as few WebSocket messages as possible: one ``event``, or
    ``{"type": "events", "items": [...]}`` holding several in order (at most 96 KB each)."""
    return _grouped([fanout.encode(m) for m in messages])


def _grouped(encoded: list[bytes]) -> list[bytes]:
    """``batches`` of messages encoded already."""
    out: list[bytes] = []
    group: list[bytes] = []
    size = 0
    for data in encoded:
        if group and size + len(data) > MESSAGE_MAX_BYTES:
            out.append(_group(group))
            group, size = [], 0
        group.append(data)
        size += len(data) + 1
    if group:
        out.append(_group(group))
    return out


def _group(items: list[bytes]) -> bytes:
    if len(items) == 1:
        return items[0]
    return b'{"type":"events","items":[' + b",".join(items) + b"]}"


def deliver(tenant_id: str, items: list[tuple[int, dict[str, Any], dict[str, Any] | None]]) -> tuple[int, int]:
    """Push events (seq, event, call) to the tenant's connections that may see them: each
    connection gets its events in order, several at once in one message."""
    conns = live_store.connections(tenant_id)
    if not conns:
        return 0, 0
    now = clock.now().timestamp()
    prepared = [(parties_of(doc), fanout.encode(message(seq, doc, call))) for seq, doc, call in items]  # once
    targets = []
    for conn in conns:
        if conn.expires_at <= now:
            _forget(tenant_id, conn.connection_id)
            continue
        view = Viewer(tenant_id, conn.extension if conn.role == auth.AGENT else "")
        targets.append((conn.connection_id, _grouped([m for parties, m in prepared if view.sees(parties)])))
    return fanout.push(targets, on_gone=lambda cid: _forget(tenant_id, cid))


def queue_batches(docs: list[dict[str, Any]]) -> list[bytes]:
    """Queue events as ``{"type": "queue", "events": [...]}`` messages of at most 96 KB each."""
    out: list[bytes] = []
    group: list[bytes] = []
    size = 0
    for doc in docs:
        data = fanout.encode(doc)
        if group and size + len(data) > MESSAGE_MAX_BYTES:
            out.append(b'{"type":"queue","events":[' + b",".join(group) + b"]}")
            group, size = [], 0
        group.append(data)
        size += len(data) + 1
    if group:
        out.append(b'{"type":"queue","events":[' + b",".join(group) + b"]}")
    return out


def queue_doc(event: QueueEvent) -> dict[str, Any]:
    """A queue event as the browser gets it: ``QueueEventOut``'s fields (``at_iso`` added)."""
    return {**event.to_dict(), "at_iso": iso(datetime.fromtimestamp(event.at, UTC))}


def deliver_queue(tenant_id: str, events: list[QueueEvent]) -> tuple[int, int]:
    """Push new queue events (oldest first) to the tenant's
    connections of tenant admins and supervisors (the wallboard); agents get none (their
    own status changes come back from the API that made them). Best effort: a browser that
    misses one reloads the figures (``GET /v1/queues/stats``) at its next message or reconnect."""
    if not events:
        return 0, 0
    conns = live_store.connections(tenant_id)
    if not conns:
        return 0, 0
    now = clock.now().timestamp()
    messages = queue_batches([queue_doc(e) for e in events])
    targets = []
    for conn in conns:
        if conn.expires_at <= now:
            _forget(tenant_id, conn.connection_id)
            continue
        if conn.role in (auth.TENANT_ADMIN, auth.SUPERVISOR):
            targets.append((conn.connection_id, messages))
    return fanout.push(targets, on_gone=lambda cid: _forget(tenant_id, cid))


def _forget(tenant_id: str, connection_id: str) -> None:
    live_store.delete_connection(tenant_id, connection_id)
    logger.info("connection forgotten", extra={"tenant_id": tenant_id, "connection_id": connection_id})


# --- the console's REST side ----------------------------------------------------------------------
def snapshot(v: Viewer) -> LiveCallsOut:
    """The calls now (for an agent: its own), and the number of the newest event included.

    The number is read before the calls, so the calls are at least as new as it says; a
    browser applies the WebSocket's events numbered above it and drops any event older than
    what it holds of a call (``seq`` per call).
    """
    now = clock.now()
    seq = live_store.current_seq(v.tenant_id)
    calls = []
    for call_seq, doc in live_store.live_calls(v.tenant_id, now=now.timestamp()):
        if v.sees(parties_of(doc)):
            calls.append(LiveCallOut.model_validate({**doc, "seq": call_seq}))
    calls.sort(key=lambda c: (c.started_at, c.call_id))
    return LiveCallsOut(seq=seq, calls=calls, at=iso(now))


def ticket(principal: auth.Principal) -> LiveTicketOut:
    """A one-time ticket (60 s) for the live WebSocket: the browser cannot put a token in a
    WebSocket's headers, and a token in a URL would be written to logs; the ticket is
    useless once used or a minute later."""
    v = viewer(principal)
    value = "wst_" + secrets.token_urlsafe(32)
    now = clock.now()
    expires = now + timedelta(seconds=TICKET_TTL_S)
    fields = {
        "tenant_id": v.tenant_id,
        "role": principal.role,
        "sub": principal.sub,
        "sid": principal.sid or "",
        "extension": v.extension,
    }
    live_store.put_ticket(ids.sha256(value), fields, expires_at=int(expires.timestamp()))
    return LiveTicketOut(ticket=value, url=settings.live_url(), expires_at=iso(expires))


def edge_health() -> EdgeHealthList:
    """Every edge's last report (provider)."""
    items = [
        EdgeHealthOut(
            edge_id=edge_id,
            reported_at=reported_at,
            calls_now=doc.get("calls_now"),
            version=str(doc.get("version") or ""),
            snapshot_version=doc.get("snapshot_version"),
            last_pull_at=doc.get("last_pull_at"),
        )
        for edge_id, reported_at, doc in live_store.edge_health()
    ]
    return EdgeHealthList(items=items)
