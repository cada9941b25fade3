"""HTTP routes of the firewall's bans: the edges post their security events; tenant admins
and supervisors read the bans that concern their company, admins lift their own."""

from __future__ import annotations

from control_plane.core.api import ADMIN, EDGE, STAFF, ApiRequest, Routes
from control_plane.security import service
from control_plane.security.schemas import BanList, BanOut, BanQuery, SecurityBatchIn, SecurityBatchOut
from pbx_core.errors import ValidationError

routes = Routes(__name__)
BAN_ID = {"ban_id": r"ban_[0-9a-f]{20}"}


@routes.route(
    "POST", "/edge/v1/security-events", summary="Post the edge firewall's security events (up to 500)",
    tag="edge", roles=EDGE, body=SecurityBatchIn, response=SecurityBatchOut,
    description="200 with one result per event in order: stored (for its tenant), provider_only (no tenant), "
    "or error with its code (tenant_not_served, validation_failed). A refused event never fails the others.",
)  # fmt: skip
def edge_post_security_events(req: ApiRequest) -> SecurityBatchOut:
    edge_id = req.principal(*EDGE).require_edge()
    body = req.json()
    raws = body.get("events") if isinstance(body, dict) else None
    if not isinstance(raws, list):
        raise ValidationError("a JSON object with a list of events", fields={"events": "required list"})
    return service.ingest(raws, edge_id=edge_id)


@routes.route(
    "GET", "/v1/security/bans", summary="Bans and holds of the edge firewall that concern the company (7 days)",
    tag="security", roles=STAFF, query=BanQuery, response=BanList,
)  # fmt: skip
def list_bans(req: ApiRequest) -> BanList:
    return service.list_all(req.tenant(*STAFF), req.query(BanQuery))


@routes.route(
    "DELETE", "/v1/security/bans/{ban_id}", summary="Lift a ban of one of the company's own networks, or a hold",
    tag="security", roles=ADMIN, response=BanOut, patterns=BAN_ID,
    description="403 not_own_source for a ban of another source (the provider lifts those).",
)  # fmt: skip
def lift_ban(req: ApiRequest, ban_id: str) -> BanOut:
    tenant_id = req.tenant()
    return service.lift(tenant_id, ban_id, by=req.principal().sub)
