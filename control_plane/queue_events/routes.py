"""HTTP routes of the queue event log: edges post events, supervisors and admins read them."""

from __future__ import annotations

from control_plane.core.api import EDGE, STAFF, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN
from control_plane.queue_events import service
from control_plane.queue_events.schemas import (
    QueueEventBatchIn,
    QueueEventBatchOut,
    QueueEventList,
    QueueEventQuery,
    QueueStatsOut,
    QueueStatsQuery,
)
from pbx_core.errors import ValidationError

routes = Routes(__name__)


@routes.route(
    "POST", "/edge/v1/queue-events",
    summary="Post up to 200 queue events; a result per event (idempotent by tenant, queue, call, kind, time, agent)",
    tag="edge", roles=EDGE, body=QueueEventBatchIn, response=QueueEventBatchOut,
    description="200 with one result per event in order: created, duplicate, or error with its code and message. "
    "An event of a tenant this edge does not serve is refused (403 `forbidden` in its result); the others are stored.",
)  # fmt: skip
def edge_post_queue_events(req: ApiRequest) -> QueueEventBatchOut:
    edge_id = req.principal(*EDGE).require_edge()
    body = req.json(max_bytes=256 * 1024)
    raws = body.get("events")
    if not isinstance(raws, list):
        raise ValidationError("a JSON object with a list of events", fields={"events": "required list"})
    return service.ingest_batch(raws, edge_id=edge_id)


@routes.route(
    "GET", "/v1/queue-events", summary="The tenant's queue events, oldest first (from, to, cursor)",
    tag="queues", roles=STAFF, query=QueueEventQuery, response=QueueEventList,
)  # fmt: skip
def list_queue_events(req: ApiRequest) -> QueueEventList:
    return service.search(req.tenant(*STAFF), req.query(QueueEventQuery))


@routes.route(
    "GET", "/v1/queues/{queue_id}/events", summary="One queue's events, oldest first (from, to, cursor)",
    tag="queues", roles=STAFF, query=QueueEventQuery, response=QueueEventList, patterns={"queue_id": ID_PATTERN},
)  # fmt: skip
def list_one_queue_events(req: ApiRequest, queue_id: str) -> QueueEventList:
    return service.search_queue(req.tenant(*STAFF), queue_id, req.query(QueueEventQuery))


@routes.route(
    "GET", "/v1/queues/stats",
    summary="Call-center figures of a period (default today): per queue and per agent, from the queue event log",
    tag="queues", roles=STAFF, query=QueueStatsQuery, response=QueueStatsOut,
    description="Computed by pbx_core.queue_stats from the events of [from, to) (ISO 8601; no offset = the "
    "tenant's local time; default from the tenant's midnight until now). Service level = answered within the "
    "queue's service_level_s / answered; abandon rate leaves out abandons shorter than 5 s.",
)  # fmt: skip
def queue_stats(req: ApiRequest) -> QueueStatsOut:
    return service.stats(req.tenant(*STAFF), req.query(QueueStatsQuery))
