"""HTTP routes of numbers (DIDs): tenant users read them, tenant admins change them."""

from __future__ import annotations

from control_plane.core.api import ADMIN, PROVIDER, TENANT_USERS, ApiRequest, Routes
from control_plane.core.schemas import TENANT_ID_PATTERN
from control_plane.dids import service
from control_plane.dids.schemas import (
    AssignedNumberList,
    NumberAssign,
    NumberCreate,
    NumberList,
    NumberOut,
    NumberUpdate,
)

routes = Routes(__name__)
NUMBER = {"number": r"^(0[0-9]{9,10}|1[89]00[0-9]{4,6})$"}
TENANT_ID = {"tenant_id": TENANT_ID_PATTERN}


@routes.route(
    "GET", "/v1/numbers", summary="List numbers (DIDs)", tag="numbers", roles=TENANT_USERS, response=NumberList
)
def list_numbers(req: ApiRequest) -> NumberList:
    return service.list_all(req.tenant(*TENANT_USERS))


@routes.route(
    "POST", "/v1/numbers", summary="Add a number on a trunk, routed to an extension", tag="numbers", roles=ADMIN,
    body=NumberCreate, status=201, response=NumberOut,
)  # fmt: skip
def create_number(req: ApiRequest) -> NumberOut:
    tenant_id = req.tenant()
    return service.create(tenant_id, req.body(NumberCreate, "invalid number"))


@routes.route(
    "GET", "/v1/numbers/{number}", summary="One number", tag="numbers", roles=TENANT_USERS, response=NumberOut,
    patterns=NUMBER,
)  # fmt: skip
def get_number(req: ApiRequest, number: str) -> NumberOut:
    return service.get(req.tenant(*TENANT_USERS), number)


@routes.route(
    "PATCH", "/v1/numbers/{number}", summary="Change a number's trunk or route", tag="numbers", roles=ADMIN,
    body=NumberUpdate, response=NumberOut, patterns=NUMBER,
)  # fmt: skip
def update_number(req: ApiRequest, number: str) -> NumberOut:
    return service.update(req.tenant(), number, req.json())


@routes.route(
    "DELETE", "/v1/numbers/{number}", summary="Remove a number (not while it is a caller id)", tag="numbers",
    roles=ADMIN, status=204, patterns=NUMBER,
)  # fmt: skip
def delete_number(req: ApiRequest, number: str) -> None:
    service.delete(req.tenant(), number)


@routes.route(
    "GET", "/v1/assigned-numbers", summary="The numbers the provider assigned to the tenant (what it may add)",
    tag="numbers", roles=TENANT_USERS, response=AssignedNumberList,
)  # fmt: skip
def list_assigned_numbers(req: ApiRequest) -> AssignedNumberList:
    return service.assigned(req.tenant(*TENANT_USERS))


@routes.route(
    "GET", "/v1/tenants/{tenant_id}/numbers", summary="Provider: the numbers assigned to a tenant",
    tag="numbers", roles=PROVIDER, response=AssignedNumberList, patterns=TENANT_ID,
)  # fmt: skip
def list_tenant_numbers(req: ApiRequest, tenant_id: str) -> AssignedNumberList:
    req.principal(*PROVIDER)
    return service.assigned(tenant_id, must_exist=True)


@routes.route(
    "POST", "/v1/tenants/{tenant_id}/numbers", summary="Provider: assign numbers to a tenant (all or none)",
    tag="numbers", roles=PROVIDER, body=NumberAssign, status=201, response=AssignedNumberList, patterns=TENANT_ID,
)  # fmt: skip
def assign_tenant_numbers(req: ApiRequest, tenant_id: str) -> AssignedNumberList:
    principal = req.principal(*PROVIDER)
    return service.assign(tenant_id, req.body(NumberAssign, "invalid numbers"), by=principal.sub)


@routes.route(
    "DELETE", "/v1/tenants/{tenant_id}/numbers/{number}",
    summary="Provider: take a number back from a tenant (not while the tenant routes it)", tag="numbers",
    roles=PROVIDER, status=204, patterns={**TENANT_ID, **NUMBER},
)  # fmt: skip
def unassign_tenant_number(req: ApiRequest, tenant_id: str, number: str) -> None:
    req.principal(*PROVIDER)
    service.unassign(tenant_id, number)
