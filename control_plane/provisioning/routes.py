"""HTTP routes of provisioning: a tenant admin creates a one-time link; the phone redeems it
(no bearer token: the link is the credential, once)."""

from __future__ import annotations

from control_plane.core.api import ADMIN, ApiRequest, Routes
from control_plane.core.schemas import EXT_PATTERN
from control_plane.provisioning import service
from control_plane.provisioning.schemas import ProvisioningLinkOut, ProvisioningOut, ProvisioningPeekOut

routes = Routes(__name__)


@routes.route(
    "POST", "/v1/extensions/{number}/provisioning",
    summary="One-time provisioning link (15 min) and softphone QR payload", tag="provisioning", roles=ADMIN,
    status=201, response=ProvisioningLinkOut, patterns={"number": EXT_PATTERN}, no_store=True,
)  # fmt: skip
def create_provisioning(req: ApiRequest, number: str) -> ProvisioningLinkOut:
    tenant_id = req.tenant()
    return service.create_link(tenant_id, number, req.base_url())


@routes.route(
    "POST", "/provision/{token}", summary="Redeem a one-time provisioning link (credentials, once): the phone or app",
    tag="provisioning", roles=None, response=ProvisioningOut, errors=(404,), no_store=True,
)  # fmt: skip
def redeem_provisioning(req: ApiRequest, token: str) -> ProvisioningOut:
    return service.redeem(token)


@routes.route(
    "GET", "/provision/{token}", summary="What opening a one-time link shows: how to redeem it, never the credentials",
    tag="provisioning", roles=None, response=ProvisioningPeekOut, no_store=True,
    description="A browser, a chat app's link preview or a mail scanner opens links with GET: it learns nothing "
    "and the link stays unused. Only `POST` redeems it.",
)  # fmt: skip
def peek_provisioning(req: ApiRequest, token: str) -> ProvisioningPeekOut:
    return service.peek(token)
