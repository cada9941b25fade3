"""Tenants: created and managed by the provider; a tenant admin reads and tunes its own."""

from __future__ import annotations

import re
import secrets
from typing import Any

from control_plane.core import auth, clock, ids, store
from control_plane.core.log import logger
from control_plane.core.schemas import field_errors, given, parse
from control_plane.dids import store as numbers_store
from control_plane.plans import service as plans
from control_plane.plans import store as plans_store
from control_plane.plans.store import PlanItem
from control_plane.recordings import service as recordings
from control_plane.tenants import store as tenants_store
from control_plane.tenants.schemas import (
    OutboundPolicyIn,
    OutboundPolicyOut,
    RecordingPolicyIn,
    RecordingPolicyOut,
    TenantCreate,
    TenantList,
    TenantOut,
    TenantUpdate,
)
from control_plane.tenants.store import TenantItem
from control_plane.trunks import store as trunks_store
from pbx_core import defaults, netpolicy
from pbx_core.errors import Conflict, Forbidden, NotFound, ValidationError

_TENANT_ID_RE = re.compile(r"^t_[0-9a-f]{16}$")


class TenantSuspended(Forbidden):
    """The caller's tenant is suspended: it may read its data and export it, nothing else (403)."""

    code = "tenant_suspended"


CURSOR = "tenants"
# What a tenant admin may change on its own tenant (the rest is the provider's: plan,
# status, limits, and international calling, which S4 keeps off).
TENANT_ADMIN_FIELDS = {
    "name",
    "time_zone",
    "default_caller_id",
    "recording",
    "password_rotation_months",
    "outbound_policy",  # premium_1900 off only: enabling 1900 is the provider's decision (issue 14)
}


def own_tenant(principal: auth.Principal, tenant_id: str) -> None:
    """The provider sees every tenant; a tenant's user only its own (another id: 404)."""
    if principal.role != auth.PROVIDER_ADMIN and principal.tenant_id != tenant_id:
        raise NotFound("tenant not found")  # another tenant's id: not found, never forbidden


def admit(principal: auth.Principal) -> None:
    """A tenant user's change is refused while its tenant is suspended (core.api calls this
    for every request that is not a read; SIP is refused by the edges from the snapshot)."""
    tenant = tenants_store.get(principal.tenant_id) if principal.tenant_id else None
    if tenant is not None and tenant.status != "active":
        raise TenantSuspended("the tenant is suspended: its data can be read and exported, not changed")


def new_tenant_id() -> str:
    return "t_" + secrets.token_hex(8)


def is_tenant_id(value: str) -> bool:
    return bool(_TENANT_ID_RE.match(value))


def public(t: TenantItem) -> TenantOut:
    return TenantOut(
        id=t.tenant_id,
        name=t.name,
        domain=t.domain,
        status=t.status,  # type: ignore[arg-type]  # active | suspended (written by this domain only)
        plan=t.plan,
        max_concurrent_calls=int(t.max_concurrent_calls),
        max_extensions=int(t.max_extensions),
        extension_count=int(t.ext_count or 0),
        time_zone=t.time_zone or defaults.TIME_ZONE,
        outbound_policy=OutboundPolicyOut(
            international=bool(t.outbound_international), premium_1900=bool(t.outbound_premium_1900)
        ),
        recording=RecordingPolicyOut(
            enabled=bool(t.record_calls),
            retention_days=int(t.recording_retention_days or defaults.RECORDING_RETENTION_DAYS),
            **recordings.summary(t).model_dump(),
        ),
        password_rotation_months=int(t.password_rotation_months or defaults.PASSWORD_ROTATION_MONTHS),
        default_caller_id=t.default_caller_id or "",
        allow_private_trunk_hosts=bool(t.allow_private_trunk_hosts),
        created_at=t.created_at,
        updated_at=t.updated_at,
    )


def create(body: dict[str, Any]) -> TenantOut:
    """Provider operation: a new tenant with a fresh id, a unique SIP domain and a plan.

    Takes the raw body: an unknown plan is reported with the body's other field errors."""
    req, errors = field_errors(TenantCreate, body)
    plan_name = body.get("plan", defaults.PLAN)
    plan = plans.find(plan_name) if isinstance(plan_name, str) and "plan" not in errors else None
    if plan is None and "plan" not in errors:
        errors["plan"] = "unknown plan"
    if req is None or plan is None:
        raise ValidationError("invalid tenant", fields=errors)
    policy = req.outbound_policy or OutboundPolicyIn()
    rec = req.recording or RecordingPolicyIn()
    now = store.ts(clock.now())
    tenant_id = new_tenant_id()
    tenant = tenants_store.item(
        tenant_id,
        name=req.name,
        domain=req.domain,
        status="active",
        plan=plan.name,
        max_concurrent_calls=req.max_concurrent_calls or int(plan.max_concurrent_calls),
        max_extensions=int(plan.max_extensions),
        record_calls=True if rec.enabled is None else rec.enabled,
        recording_retention_days=rec.retention_days or defaults.RECORDING_RETENTION_DAYS,
        recording_quota_bytes=int(plan.recording_quota_bytes),
        recording_usage_bytes=0,
        recording_level="ok",
        recording_on_full=rec.on_full or defaults.RECORDING_ON_FULL,
        time_zone=req.time_zone,
        outbound_international=bool(policy.international),
        outbound_premium_1900=bool(policy.premium_1900),
        default_caller_id="",
        password_rotation_months=req.password_rotation_months,
        allow_private_trunk_hosts=req.allow_private_trunk_hosts,
        ext_count=0,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    tenants_store.create(tenant)
    logger.info("tenant created", extra={"tenant_id": tenant_id, "plan": plan.name})
    return public(tenant)


def require(tenant_id: str) -> TenantItem:
    """The tenant, or NotFound (also for ids that are not tenant ids at all)."""
    tenant = tenants_store.get(tenant_id) if is_tenant_id(tenant_id) else None
    if tenant is None:
        raise NotFound("tenant not found")
    return tenant


def get(tenant_id: str) -> TenantOut:
    return public(require(tenant_id))


def list_page(*, limit: int, cursor: str | None) -> TenantList:
    """Provider: every tenant, in id order, one page at a time."""
    after = ids.decode_cursor(CURSOR, "provider", cursor) if cursor else None
    tenant_ids = store.list_tenant_ids(limit=limit + 1, after=after)
    more = len(tenant_ids) > limit
    tenant_ids = tenant_ids[:limit]
    items = [public(t) for t in tenants_store.get_many(tenant_ids)]
    return TenantList(
        items=items, next=ids.encode_cursor(CURSOR, "provider", tenant_ids[-1]) if more and tenant_ids else None
    )


def _changed(tenant: TenantItem) -> Conflict:
    return Conflict(f"tenant {tenant.tenant_id} changed meanwhile, retry")


def update(tenant_id: str, body: dict[str, Any], *, by_provider: bool) -> TenantOut:
    tenant = require(tenant_id)
    req = parse(TenantUpdate, body, "invalid tenant")
    sent = given(req)
    if not by_provider:
        denied = sorted(sent - TENANT_ADMIN_FIELDS)
        if req.outbound_policy is not None and req.outbound_policy.international is not None:
            denied.append("outbound_policy.international")
        if req.outbound_policy is not None and req.outbound_policy.premium_1900 and not tenant.outbound_premium_1900:
            denied.append("outbound_policy.premium_1900")  # toll fraud's favourite: the provider enables it
        if denied:
            raise Forbidden(
                "only the provider may change " + ", ".join(denied), fields=dict.fromkeys(denied, "provider only")
            )
    changes: dict[str, Any] = {}
    ops: list[store.Op] = []
    condition = None
    if req.allow_private_trunk_hosts is False and tenant.allow_private_trunk_hosts:
        _no_private_trunks(tenant_id)
    for field in (
        "name",
        "status",
        "max_concurrent_calls",
        "time_zone",
        "password_rotation_months",
        "allow_private_trunk_hosts",
    ):
        if field in sent:
            changes[field] = getattr(req, field)
    if req.outbound_policy is not None:
        if req.outbound_policy.international is not None:
            changes["outbound_international"] = req.outbound_policy.international
        if req.outbound_policy.premium_1900 is not None:
            changes["outbound_premium_1900"] = req.outbound_policy.premium_1900
    if req.recording is not None:
        if req.recording.enabled is not None:
            changes["record_calls"] = req.recording.enabled
        if req.recording.retention_days is not None:
            changes["recording_retention_days"] = req.recording.retention_days
        if req.recording.on_full is not None:
            changes["recording_on_full"] = req.recording.on_full
    if "default_caller_id" in sent:
        new = req.default_caller_id or ""
        changes["default_caller_id"] = new
        ops += numbers_store.ref_changes(tenant_id, "default_caller_id", tenant.default_caller_id, new)
    if "plan" in sent and req.plan != tenant.plan:
        assert req.plan is not None
        plan = plans.find(req.plan)
        if plan is None:
            raise ValidationError(f"plan {req.plan} does not exist", fields={"plan": "unknown plan"})
        changes.update(_plan_limits(plan))
        if "max_concurrent_calls" in sent:
            changes["max_concurrent_calls"] = req.max_concurrent_calls
        condition = TenantItem.ext_count <= int(plan.max_extensions)
        ops += [plans_store.count_tenant(plan.name, 1), plans_store.count_tenant(tenant.plan, -1)]
    if not changes:
        return public(tenant)
    changes["updated_at"] = store.ts(clock.now())

    def refused() -> Conflict:
        fresh = require(tenant_id)
        if "plan" in changes and int(fresh.ext_count or 0) > int(changes["max_extensions"]):
            return Conflict(
                f"plan {changes['plan']} allows {changes['max_extensions']} extensions; "
                f"the tenant has {int(fresh.ext_count)}",
                fields={"plan": "too many extensions for this plan"},
            )
        return _changed(tenant)

    tenant_op = tenants_store.patch(tenant_id, changes, rev=int(tenant.rev or 0), error=refused, condition=condition)
    store.commit([tenant_op, *ops], bump=tenant_id)
    logger.info("tenant updated", extra={"tenant_id": tenant_id, "fields": sorted(changes)})
    if changes.get("allow_private_trunk_hosts") is False:
        _recheck_private_trunks(tenant_id)
    if {"recording_quota_bytes", "recording_on_full"} & set(changes):
        # a new quota or policy: events for thresholds now crossed, delete_oldest now due
        recordings.settle(tenant_id, clock.now(), levels=True)
    return public(require(tenant_id))


def _private_trunks(tenant_id: str) -> list[str]:
    return sorted(
        t.name
        for t in trunks_store.list_all(tenant_id)
        if netpolicy.trunk_refusals(t.host, [str(i) for i in t.ips or []])
    )


def _gone() -> NotFound:
    return NotFound("tenant not found")


def _no_private_trunks(tenant_id: str) -> None:
    """Taking the permission back while a trunk needs it would silently break that trunk."""
    names = _private_trunks(tenant_id)
    if names:
        raise Conflict(
            "trunks on private addresses need this permission: " + ", ".join(names) + "; change them first",
            fields={"allow_private_trunk_hosts": "in use"},
        )


def _recheck_private_trunks(tenant_id: str) -> None:
    """A trunk created while the permission was being taken back (it checked the flag before
    this change committed): give the permission back rather than leave a trunk the policy
    forbids, and tell the operator."""
    names = _private_trunks(tenant_id)
    if names:
        store.commit(
            [tenants_store.patch(tenant_id, {"allow_private_trunk_hosts": True}, rev=None, error=lambda: _gone())],
            bump=False,
        )
        logger.warning("private trunk hosts still in use; permission kept", extra={"trunks": names})
        raise Conflict(
            "trunks on private addresses need this permission: " + ", ".join(names) + "; change them first",
            fields={"allow_private_trunk_hosts": "in use"},
        )


def _plan_limits(plan: PlanItem) -> dict[str, Any]:
    limits: dict[str, Any] = {"plan": plan.name}
    limits.update({name: int(getattr(plan, name)) for name in plans.LIMITS})
    return limits


def apply_plan(name: str) -> int:
    """Copy a changed plan's limits onto its tenants (those not above the new cap); how many."""
    plan = plans.require(name)
    changed = 0
    for tenant_id in store.list_tenant_ids():
        t = tenants_store.get(tenant_id)
        if t is None or t.plan != name:
            continue
        try:
            _apply_limits(t, plan)
            changed += 1
        except Conflict as exc:
            logger.warning("plan change not applied to tenant", extra={"tenant_id": tenant_id, "reason": exc.message})
    return changed


def _apply_limits(tenant: TenantItem, plan: PlanItem) -> None:
    """Copy the (edited) limits of the tenant's plan onto it; Conflict if it has too many extensions."""
    limits = _plan_limits(plan)
    limits["updated_at"] = store.ts(clock.now())

    def refused() -> Conflict:
        return Conflict(f"tenant {tenant.tenant_id} has more extensions than plan {plan.name} allows")

    store.commit(
        [
            tenants_store.patch(
                tenant.tenant_id,
                limits,
                rev=None,
                error=refused,
                condition=TenantItem.ext_count <= int(plan.max_extensions),
            )
        ],
        bump=tenant.tenant_id,
    )
    recordings.settle(tenant.tenant_id, clock.now(), levels=True, delete=False)  # the schedule deletes
