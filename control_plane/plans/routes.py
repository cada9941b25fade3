"""HTTP routes of plans: everyone reads them, the provider changes them."""

from __future__ import annotations

from control_plane.core.api import ANY_USER, PROVIDER, ApiRequest, Routes
from control_plane.core.schemas import PLAN_PATTERN
from control_plane.plans import service
from control_plane.plans.schemas import PlanCreate, PlanList, PlanOut, PlanUpdate
from control_plane.tenants import service as tenants

routes = Routes(__name__)
NAME = {"name": PLAN_PATTERN}


@routes.route("GET", "/v1/plans", summary="List plans", tag="plans", roles=ANY_USER, response=PlanList)
def list_plans(req: ApiRequest) -> PlanList:
    req.principal(*ANY_USER)
    return service.list_all()


@routes.route(
    "POST", "/v1/plans", summary="Add a plan", tag="plans", roles=PROVIDER, body=PlanCreate, status=201,
    response=PlanOut,
)  # fmt: skip
def create_plan(req: ApiRequest) -> PlanOut:
    req.principal(*PROVIDER)
    return service.create(req.body(PlanCreate, "invalid plan"))


@routes.route(
    "GET", "/v1/plans/{name}", summary="One plan", tag="plans", roles=ANY_USER, response=PlanOut, patterns=NAME
)
def get_plan(req: ApiRequest, name: str) -> PlanOut:
    req.principal(*ANY_USER)
    return service.get(name)


@routes.route(
    "PATCH", "/v1/plans/{name}", summary="Change a plan (applied to its tenants)", tag="plans", roles=PROVIDER,
    body=PlanUpdate, response=PlanOut, patterns=NAME,
)  # fmt: skip
def update_plan(req: ApiRequest, name: str) -> PlanOut:
    req.principal(*PROVIDER)
    plan, limits_changed = service.update(name, req.body(PlanUpdate, "invalid plan"))
    if limits_changed:
        tenants.apply_plan(name)
    return plan


@routes.route(
    "DELETE", "/v1/plans/{name}", summary="Delete an unused plan", tag="plans", roles=PROVIDER, status=204,
    patterns=NAME,
)  # fmt: skip
def delete_plan(req: ApiRequest, name: str) -> None:
    req.principal(*PROVIDER)
    service.delete(name)
