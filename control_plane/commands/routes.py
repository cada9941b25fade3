"""HTTP routes of click-to-call (tenant users) and of the edges' command queue (edges)."""

from __future__ import annotations

from chalice.app import Response

from control_plane.commands import service
from control_plane.commands.schemas import (
    COMMAND_ID_PATTERN,
    ClickToCallIn,
    ClickToCallOut,
    CommandReportIn,
    EdgeCommandList,
    EdgeCommandOut,
)
from control_plane.core.api import EDGE, TENANT_USERS, ApiRequest, Routes
from control_plane.core.http import json_response

routes = Routes(__name__)
COMMAND_ID = {"command_id": COMMAND_ID_PATTERN}


@routes.route(
    "POST", "/v1/calls/click-to-call",
    summary="Call a contact or a number: the PBX rings your own phone first, then the customer",
    tag="live", roles=TENANT_USERS, body=ClickToCallIn, status=201, response=ClickToCallOut, no_store=True,
    description=(
        "The caller is the user's own extension (agents cannot name another: 403 not_own_extension; without "
        "one: 403 no_extension). Refused before anything happens: 403 do_not_call (the contact asked not to be "
        "called, or the number is on the national do-not-call list), 403 outbound_refused (the tenant's "
        "outbound rules: international, 1900, block rules, an internal-only extension), 409 no_trunk, 409 "
        "no_edge; 404 for a contact that is not the caller's to see (another tenant's). An edge serving the "
        "tenant claims the command within 60 s (else it expires), rings the extension with an auto-answer hint, "
        "then the customer (outside numbers through the tenant's trunk with its DID). A repeated request_id "
        "answers the same command (200)."
    ),
)  # fmt: skip
def click_to_call(req: ApiRequest) -> Response:
    out, created = service.click_to_call(req.principal(*TENANT_USERS), req.body(ClickToCallIn, "invalid call"))
    return json_response(out.model_dump(mode="json"), 201 if created else 200)


@routes.route(
    "GET", "/v1/calls/click-to-call/{command_id}", summary="How a click-to-call goes", tag="live",
    roles=TENANT_USERS, response=ClickToCallOut, patterns=COMMAND_ID, no_store=True,
    description="Agents see their own clicks only.",
)  # fmt: skip
def get_click_to_call(req: ApiRequest, command_id: str) -> ClickToCallOut:
    return service.get(req.principal(*TENANT_USERS), command_id)


@routes.route(
    "GET", "/edge/v1/commands", summary="The edge's pending commands (click-to-call), oldest first", tag="edge",
    roles=EDGE, response=EdgeCommandList, no_store=True,
    description="Only commands of tenants the edge serves, not expired (60 s). Claim one before acting on it.",
)  # fmt: skip
def edge_commands(req: ApiRequest) -> EdgeCommandList:
    return service.pending(req.principal(*EDGE).require_edge())


@routes.route(
    "POST", "/edge/v1/commands/{command_id}/claim", summary="Take a command (one edge wins; idempotent)",
    tag="edge", roles=EDGE, response=EdgeCommandOut, patterns=COMMAND_ID, no_store=True,
    description="409 command_claimed (another edge took it), 409 command_expired; 404 for a command of a tenant "
    "the edge does not serve.",
)  # fmt: skip
def edge_claim_command(req: ApiRequest, command_id: str) -> EdgeCommandOut:
    return service.claim(req.principal(*EDGE).require_edge(), command_id)


@routes.route(
    "POST", "/edge/v1/commands/{command_id}/result", summary="How the claimed command goes (forward only)",
    tag="edge", roles=EDGE, body=CommandReportIn, response=EdgeCommandOut, patterns=COMMAND_ID, no_store=True,
)  # fmt: skip
def edge_report_command(req: ApiRequest, command_id: str) -> EdgeCommandOut:
    edge_id = req.principal(*EDGE).require_edge()
    return service.report(edge_id, command_id, req.body(CommandReportIn, "invalid report"))
