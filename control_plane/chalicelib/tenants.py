"""Tenants: created and managed by the provider; a tenant admin reads and tunes its own."""

from __future__ import annotations

import re
import secrets
from typing import Any

from chalicelib import clock, common, plans, recordings, schemas, store
from chalicelib.log import logger
from pbx_core.errors import Conflict, Forbidden, NotFound, ValidationError

DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"
DEFAULT_RETENTION_DAYS = 365

_TENANT_ID_RE = re.compile(r"^t_[0-9a-f]{16}$")
# What a tenant admin may change on its own tenant (the rest is the provider's: plan,
# status, limits, and international calling, which S4 keeps off).
TENANT_ADMIN_FIELDS = {
    "name",
    "time_zone",
    "default_caller_id",
    "recording",
    "password_rotation_months",
    "outbound_policy",  # premium_1900 only: the tenant's own opt-in
}


def new_tenant_id() -> str:
    return "t_" + secrets.token_hex(8)


def is_tenant_id(value: str) -> bool:
    return bool(_TENANT_ID_RE.match(value))


def public(t: store.TenantItem) -> dict[str, Any]:
    return {
        "id": t.tenant_id,
        "name": t.name,
        "domain": t.domain,
        "status": t.status,
        "plan": t.plan,
        "max_concurrent_calls": int(t.max_concurrent_calls),
        "max_extensions": int(t.max_extensions),
        "extension_count": int(t.ext_count or 0),
        "time_zone": t.time_zone or DEFAULT_TIME_ZONE,
        "outbound_policy": {
            "international": bool(t.outbound_international),
            "premium_1900": bool(t.outbound_premium_1900),
        },
        "recording": {
            "enabled": bool(t.record_calls),
            "retention_days": int(t.recording_retention_days or DEFAULT_RETENTION_DAYS),
            **recordings.summary(t),
        },
        "password_rotation_months": int(t.password_rotation_months or 12),
        "default_caller_id": t.default_caller_id or "",
        "created_at": t.created_at,
        "updated_at": t.updated_at,
    }


def create_tenant(body: dict[str, Any]) -> dict[str, Any]:
    """Provider operation: a new tenant with a fresh id, a unique SIP domain and a plan."""
    req, errors = schemas.field_errors(schemas.TenantCreate, body)
    plan_name = body.get("plan", plans.DEFAULT_PLAN)
    plan = plans.find(plan_name) if isinstance(plan_name, str) and "plan" not in errors else None
    if plan is None and "plan" not in errors:
        errors["plan"] = "unknown plan"
    if req is None or plan is None:
        raise ValidationError("invalid tenant", fields=errors)
    policy = req.outbound_policy or schemas.OutboundPolicyIn()
    rec = req.recording or schemas.RecordingPolicyIn()
    now = store.ts(clock.now())
    tenant_id = new_tenant_id()
    tenant = store.TenantItem(
        store.tenant_pk(tenant_id),
        store.TENANT_SK,
        tenant_id=tenant_id,
        name=req.name,
        domain=req.domain,
        status="active",
        plan=plan.name,
        max_concurrent_calls=req.max_concurrent_calls or int(plan.max_concurrent_calls),
        max_extensions=int(plan.max_extensions),
        record_calls=True if rec.enabled is None else rec.enabled,
        recording_retention_days=rec.retention_days or DEFAULT_RETENTION_DAYS,
        recording_quota_bytes=int(plan.recording_quota_bytes),
        recording_usage_bytes=0,
        recording_level="ok",
        recording_on_full=rec.on_full or "delete_oldest",
        time_zone=req.time_zone,
        outbound_international=bool(policy.international),
        outbound_premium_1900=bool(policy.premium_1900),
        default_caller_id="",
        password_rotation_months=req.password_rotation_months,
        ext_count=0,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    store.create_tenant(tenant)
    logger.info("tenant created", extra={"tenant_id": tenant_id, "plan": plan.name})
    return public(tenant)


def get_tenant(tenant_id: str) -> dict[str, Any]:
    return public(require_tenant(tenant_id))


def require_tenant(tenant_id: str) -> store.TenantItem:
    """The tenant, or NotFound (also for ids that are not tenant ids at all)."""
    tenant = store.get_tenant(tenant_id) if is_tenant_id(tenant_id) else None
    if tenant is None:
        raise NotFound("tenant not found")
    return tenant


def list_tenants(*, limit: int, cursor: str | None) -> dict[str, Any]:
    """Provider: every tenant, in id order, one page at a time."""
    after = common.decode_cursor("tenants", "provider", cursor) if cursor else None
    ids = store.list_tenant_ids(limit=limit + 1, after=after)
    more = len(ids) > limit
    ids = ids[:limit]
    items = [public(t) for t in store.get_tenants(ids)]
    return common.page(items, common.encode_cursor("tenants", "provider", ids[-1]) if more and ids else None)


def _changed(tenant: store.TenantItem) -> Conflict:
    return Conflict(f"tenant {tenant.tenant_id} changed meanwhile, retry")


def update_tenant(tenant_id: str, body: dict[str, Any], *, by_provider: bool) -> dict[str, Any]:
    tenant = require_tenant(tenant_id)
    req = schemas.parse(schemas.TenantUpdate, body, "invalid tenant")
    sent = schemas.given(req)
    if not by_provider:
        denied = sorted(sent - TENANT_ADMIN_FIELDS)
        if req.outbound_policy is not None and req.outbound_policy.international is not None:
            denied.append("outbound_policy.international")
        if denied:
            raise Forbidden(
                "only the provider may change " + ", ".join(denied), fields=dict.fromkeys(denied, "provider only")
            )
    changes: dict[str, Any] = {}
    ops: list[store.Op] = []
    condition = None
    for field in ("name", "status", "max_concurrent_calls", "time_zone", "password_rotation_months"):
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
        ops += store.ref_changes(
            tenant_id,
            "default_caller_id",
            store.number_sk(tenant.default_caller_id) if tenant.default_caller_id else None,
            store.number_sk(new) if new else None,
        )
    if "plan" in sent and req.plan != tenant.plan:
        assert req.plan is not None
        plan = plans.find(req.plan)
        if plan is None:
            raise ValidationError(f"plan {req.plan} does not exist", fields={"plan": "unknown plan"})
        changes.update(_plan_limits(plan))
        if "max_concurrent_calls" in sent:
            changes["max_concurrent_calls"] = req.max_concurrent_calls
        condition = store.TenantItem.ext_count <= int(plan.max_extensions)
        ops += [store.plan_ref(plan.name, 1), store.plan_ref(tenant.plan, -1)]
    if not changes:
        return public(tenant)
    changes["updated_at"] = store.ts(clock.now())

    def refused() -> Conflict:
        fresh = require_tenant(tenant_id)
        if "plan" in changes and int(fresh.ext_count or 0) > int(changes["max_extensions"]):
            return Conflict(
                f"plan {changes['plan']} allows {changes['max_extensions']} extensions; "
                f"the tenant has {int(fresh.ext_count)}",
                fields={"plan": "too many extensions for this plan"},
            )
        return _changed(tenant)

    tenant_op = store.patch(
        store.TenantItem,
        store.tenant_pk(tenant_id),
        store.TENANT_SK,
        changes,
        rev=int(tenant.rev or 0),
        error=refused,
        condition=condition,
    )
    store.commit([tenant_op, *ops], bump=tenant_id)
    logger.info("tenant updated", extra={"tenant_id": tenant_id, "fields": sorted(changes)})
    if {"recording_quota_bytes", "recording_on_full"} & set(changes):
        # a new quota or policy: events for thresholds now crossed, delete_oldest now due
        recordings.settle(tenant_id, clock.now(), levels=True)
    return public(require_tenant(tenant_id))


def _plan_limits(plan: store.PlanItem) -> dict[str, Any]:
    return {
        "plan": plan.name,
        "max_extensions": int(plan.max_extensions),
        "max_concurrent_calls": int(plan.max_concurrent_calls),
        "recording_quota_bytes": int(plan.recording_quota_bytes),
    }


def apply_plan(tenant: store.TenantItem, plan: store.PlanItem) -> None:
    """Copy the (edited) limits of the tenant's plan onto it; Conflict if it has too many extensions."""
    limits = _plan_limits(plan)
    limits["updated_at"] = store.ts(clock.now())

    def refused() -> Conflict:
        return Conflict(f"tenant {tenant.tenant_id} has more extensions than plan {plan.name} allows")

    store.commit(
        [
            store.patch(
                store.TenantItem,
                store.tenant_pk(tenant.tenant_id),
                store.TENANT_SK,
                limits,
                rev=None,
                error=refused,
                condition=store.TenantItem.ext_count <= int(plan.max_extensions),
            )
        ],
        bump=tenant.tenant_id,
    )
    recordings.settle(tenant.tenant_id, clock.now(), levels=True, delete=False)  # the schedule deletes
