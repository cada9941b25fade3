"""HTTP route of the edges' contact routes (routing by owner, VIP first)."""

from __future__ import annotations

from control_plane.contact_routes import service
from control_plane.contact_routes.schemas import ContactRouteList, ContactRoutesQuery
from control_plane.core.api import EDGE, ApiRequest, Routes

routes = Routes(__name__)


@routes.route(
    "GET", "/edge/v1/contact-routes",
    summary="A tenant's contact routes (owner, VIP) for the edge's local index: the whole list, then changes",
    tag="edge", roles=EDGE, query=ContactRoutesQuery, response=ContactRouteList, errors=(404,), no_store=True,
    description=(
        "Without a cursor (or with one older than the change log keeps, about a day, or than a large import): "
        "the whole list, in pages of at most 1,000 (full on the first page; apply the pages in order, keep the "
        "last page's cursor). With a cursor: the numbers whose route changed since, each with its current route "
        "or in removed. A page with next continues with ?next=...; 403 for a tenant the edge does not serve, 404 "
        "for a tenant that does not exist."
    ),
)  # fmt: skip
def edge_contact_routes(req: ApiRequest) -> ContactRouteList:
    edge_id = req.principal(*EDGE).require_edge()
    return service.sync(edge_id, req.query(ContactRoutesQuery))
