"""HTTP routes of live calls: an edge posts its events; tenant users read the calls now and
get a ticket for the live WebSocket; the provider reads the edges' health reports."""

from __future__ import annotations

from control_plane.core.api import EDGE, PROVIDER, TENANT_USERS, ApiRequest, Routes
from control_plane.live import service
from control_plane.live.schemas import EdgeHealthList, EventBatchIn, EventBatchOut, LiveCallsOut, LiveTicketOut

routes = Routes(__name__)


@routes.route(
    "POST", "/edge/v1/events", summary="Post call events (at most 100; idempotent per tenant and event id)",
    tag="edge", roles=EDGE, body=EventBatchIn, response=EventBatchOut,
    description=(
        "One result per event, in order: created (with its sequence number), duplicate (stored before), or "
        "refused (code tenant_not_served: the edge does not serve the event's tenant; edge_mismatch: the "
        "event names another edge). A refused event is not stored and must not be posted again. 400 when "
        "the batch is malformed (nothing stored)."
    ),
)  # fmt: skip
def edge_post_events(req: ApiRequest) -> EventBatchOut:
    edge_id = req.principal(*EDGE).require_edge()
    return service.ingest(edge_id, req.json(max_bytes=service.MAX_BODY_BYTES))


@routes.route(
    "GET", "/v1/calls/live", summary="The calls now (agents: their own) and the newest event number they include",
    tag="live", roles=TENANT_USERS, response=LiveCallsOut, no_store=True,
)  # fmt: skip
def live_calls(req: ApiRequest) -> LiveCallsOut:
    return service.snapshot(service.viewer(req.principal(*TENANT_USERS)))


@routes.route(
    "POST", "/v1/live/tickets", summary="A one-time ticket (60 s) to open the live WebSocket", tag="live",
    roles=TENANT_USERS, status=201, response=LiveTicketOut, no_store=True, while_suspended=True,
)  # fmt: skip
def live_ticket(req: ApiRequest) -> LiveTicketOut:
    return service.ticket(req.principal(*TENANT_USERS))


@routes.route(
    "GET", "/v1/live/edges", summary="What each edge last reported with its events: calls now, version, config",
    tag="edges", roles=PROVIDER, response=EdgeHealthList,
)  # fmt: skip
def edge_health(req: ApiRequest) -> EdgeHealthList:
    req.principal(*PROVIDER)
    return service.edge_health()
