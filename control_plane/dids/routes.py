"""HTTP routes of numbers (DIDs): tenant users read them, tenant admins change them."""

from __future__ import annotations

from control_plane.core.api import ADMIN, TENANT_USERS, ApiRequest, Routes
from control_plane.dids import service
from control_plane.dids.schemas import NumberCreate, NumberList, NumberOut, NumberUpdate

routes = Routes(__name__)
NUMBER = {"number": r"^(0[0-9]{9,10}|1[89]00[0-9]{4,6})$"}


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
