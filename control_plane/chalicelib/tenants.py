"""Tenants: creation by the provider, lookup, plans."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from chalicelib import clock, store
from chalicelib.http import int_field, reject_unknown
from pbx_core import validate
from pbx_core.errors import NotFound, ValidationError


@dataclass(frozen=True)
class Plan:
    name: str
    max_extensions: int
    max_concurrent_calls: int


# PRODUCT.md "Plans". Plans are data: they move to the table when the provider edits them.
PLANS: dict[str, Plan] = {
    p.name: p
    for p in (
        Plan("PBX-5", 5, 10),
        Plan("PBX-10", 10, 10),
        Plan("PBX-20", 20, 15),
        Plan("CC-5", 5, 10),
        Plan("CC-10", 10, 10),
        Plan("CC-20", 20, 15),
    )
}
DEFAULT_PLAN = "PBX-10"
MAX_CONCURRENT_CALLS = 10_000

_TENANT_ID_RE = re.compile(r"^t_[0-9a-f]{16}$")
_CREATE_FIELDS = ("name", "domain", "plan", "max_concurrent_calls")


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
        "created_at": t.created_at,
    }


def create_tenant(body: dict[str, Any]) -> dict[str, Any]:
    """Provider operation: a new tenant with a fresh id and a unique SIP domain."""
    reject_unknown(body, _CREATE_FIELDS)
    errors: dict[str, str] = {}
    name = domain = ""
    try:
        name = validate.text(body.get("name"), "name", max_len=200)
    except ValidationError as exc:
        errors.update(exc.fields)
    try:
        domain = validate.sip_domain(body.get("domain"))
    except ValidationError as exc:
        errors.update(exc.fields)
    plan_name = body.get("plan", DEFAULT_PLAN)
    plan = PLANS.get(plan_name) if isinstance(plan_name, str) else None
    if plan is None:
        errors["plan"] = "one of " + ",".join(PLANS)
    try:
        default_calls = plan.max_concurrent_calls if plan else PLANS[DEFAULT_PLAN].max_concurrent_calls
        calls = int_field(body, "max_concurrent_calls", default=default_calls, lo=1, hi=MAX_CONCURRENT_CALLS)
    except ValidationError as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationError("invalid tenant", fields=errors)
    assert plan is not None
    tenant = store.create_tenant(
        new_tenant_id(),
        name=name,
        domain=domain,
        plan=plan.name,
        max_concurrent_calls=calls,
        max_extensions=plan.max_extensions,
        now=clock.now(),
    )
    return public(tenant)


def get_tenant(tenant_id: str) -> dict[str, Any]:
    return public(require_tenant(tenant_id))


def require_tenant(tenant_id: str) -> store.TenantItem:
    """The tenant, or NotFound (also for ids that are not tenant ids at all)."""
    tenant = store.get_tenant(tenant_id) if is_tenant_id(tenant_id) else None
    if tenant is None:
        raise NotFound("tenant not found")
    return tenant
