"""HTTP routes of call notes (wrap-up) and the tenant's disposition codes."""

from __future__ import annotations

from control_plane.call_notes import service
from control_plane.call_notes.schemas import DispositionList, DispositionsIn, WrapupIn, WrapupOut
from control_plane.core.api import ADMIN, TENANT_USERS, ApiRequest, Routes

routes = Routes(__name__)


@routes.route(
    "GET", "/v1/calls/{call_id}/wrapup", summary="A call's wrap-up: disposition and notes", tag="cdrs",
    roles=TENANT_USERS, response=WrapupOut,
    description="Agents: the calls of their own extension only (others are 404).",
)  # fmt: skip
def get_wrapup(req: ApiRequest, call_id: str) -> WrapupOut:
    return service.get(service.caller(req.principal(*TENANT_USERS)), call_id)


@routes.route(
    "PUT", "/v1/calls/{call_id}/wrapup", summary="Write a call's wrap-up (disposition, notes, contact, ticket)",
    tag="cdrs", roles=TENANT_USERS, body=WrapupIn, response=WrapupOut, errors=(409,),
    description="The agent who took the call (its extension is the CDR's caller or callee, or a leg of the live "
    "call), a supervisor or an admin. The call's CDR may not be stored yet: a call the tenant's edges reported "
    "(live, or ended within the hour) is enough. 400 `unknown_disposition` for a code not in "
    "`GET /v1/dispositions`, 400 `notes_too_long` past 4,000 characters.",
)  # fmt: skip
def put_wrapup(req: ApiRequest, call_id: str) -> WrapupOut:
    return service.put(service.caller(req.principal(*TENANT_USERS)), call_id, req.json())


@routes.route(
    "GET", "/v1/dispositions", summary="The tenant's disposition codes (wrap-up), in order", tag="cdrs",
    roles=TENANT_USERS, response=DispositionList,
)  # fmt: skip
def get_dispositions(req: ApiRequest) -> DispositionList:
    return service.dispositions(req.tenant(*TENANT_USERS))


@routes.route(
    "PUT", "/v1/dispositions", summary="Replace the tenant's disposition codes", tag="cdrs", roles=ADMIN,
    body=DispositionsIn, response=DispositionList,
)  # fmt: skip
def put_dispositions(req: ApiRequest) -> DispositionList:
    return service.set_dispositions(req.tenant(*ADMIN), req.json())
