"""HTTP routes of the fraud guard: the tenant's settings, the fraud state of its
extensions, and the lift of a hold (tenant admins)."""

from __future__ import annotations

from control_plane.core.api import ADMIN, STAFF, ApiRequest, Routes
from control_plane.core.schemas import EXT_PATTERN
from control_plane.fraud import service
from control_plane.fraud.schemas import FraudSettingsIn, FraudSettingsOut, FraudStateList, FraudStateOut

routes = Routes(__name__)
NUMBER = {"number": EXT_PATTERN}


@routes.route(
    "GET", "/v1/fraud/settings", summary="The company's toll-fraud policy, scores and caps",
    tag="fraud", roles=STAFF, response=FraudSettingsOut,
)  # fmt: skip
def get_settings(req: ApiRequest) -> FraudSettingsOut:
    return service.get_settings(req.tenant(*STAFF))


@routes.route(
    "PATCH", "/v1/fraud/settings", summary="Change the toll-fraud policy, scores or caps",
    tag="fraud", roles=ADMIN, body=FraudSettingsIn, response=FraudSettingsOut,
    description="policy: alert (e-mail and event only), throttle (outside calls paused for throttle_minutes) "
    "or suspend (until an admin lifts it), at action_score or when a cap is crossed; alert_score alerts. "
    "0 turns a cap off.",
)  # fmt: skip
def update_settings(req: ApiRequest) -> FraudSettingsOut:
    tenant_id = req.tenant()
    return service.update_settings(tenant_id, req.body(FraudSettingsIn, "invalid fraud settings"))


@routes.route(
    "GET", "/v1/fraud/extensions", summary="The toll-fraud state of each extension that called out",
    tag="fraud", roles=STAFF, response=FraudStateList,
)  # fmt: skip
def list_states(req: ApiRequest) -> FraudStateList:
    return service.list_states(req.tenant(*STAFF))


@routes.route(
    "GET", "/v1/fraud/extensions/{number}", summary="One extension's fraud state: decision, reasons, what was learned",
    tag="fraud", roles=STAFF, response=FraudStateOut, patterns=NUMBER,
)  # fmt: skip
def get_state(req: ApiRequest, number: str) -> FraudStateOut:
    return service.get_state(req.tenant(*STAFF), number)


@routes.route(
    "POST", "/v1/fraud/extensions/{number}/lift", summary="Give the extension its outside calls back",
    tag="fraud", roles=ADMIN, response=FraudStateOut, patterns=NUMBER,
    description="Ends a pause or a suspension (the edges get it with the snapshot) and clears the alert.",
)  # fmt: skip
def lift(req: ApiRequest, number: str) -> FraudStateOut:
    tenant_id = req.tenant()
    return service.lift(tenant_id, number, by=req.principal().sub)
