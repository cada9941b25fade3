"""HTTP routes of tenant events."""

from __future__ import annotations

from control_plane.core.api import STAFF, ApiRequest, Routes
from control_plane.events import service
from control_plane.events.schemas import EventList, EventQuery

routes = Routes(__name__)


@routes.route(
    "GET", "/v1/events", summary="The tenant's events, newest first (quota, security, contact.*, ticket.*)",
    tag="events", roles=STAFF, query=EventQuery, response=EventList,
)  # fmt: skip
def list_events(req: ApiRequest) -> EventList:
    tenant_id = req.tenant(*STAFF)
    q = req.query(EventQuery)
    return service.list_page(tenant_id, limit=q.limit, cursor=q.cursor)
