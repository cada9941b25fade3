"""Plans (provider): limits and features a tenant buys. Plans are data in the table.

The six plans of PRODUCT.md are seeded once, idempotently (conditional puts), the first
time plans are read; after that the provider owns them (edit, delete, add more). A tenant
copies its plan's limits when it is created or moved to a plan; a plan edit is applied to
the tenants on it right away (``apply_to_tenants``).
"""

from __future__ import annotations

from typing import Any

from chalicelib import clock, schemas, store
from chalicelib.log import logger
from pbx_core.errors import Conflict, NotFound

GB = 1024**3
PBX_FEATURES = [
    "internal_calls",
    "pstn",
    "transfer",
    "pickup",
    "branches",
    "recording",
    "cdr_search",
    "excel_export",
    "blocking",
    "concurrent_limit",
    "requests",
    "contacts",
]
CC_FEATURES = [*PBX_FEATURES, "queues", "agent_console", "live_monitoring"]
DEFAULT_PLAN = "PBX-10"

# PRODUCT.md "Plans": (name, extensions/agents, concurrent calls).
SEED: tuple[tuple[str, int, int], ...] = (
    ("PBX-5", 5, 10),
    ("PBX-10", 10, 10),
    ("PBX-20", 20, 15),
    ("CC-5", 5, 10),
    ("CC-10", 10, 10),
    ("CC-20", 20, 15),
)


def seed(force: bool = False) -> int:
    """Put the default plans that are missing; how many were added. Safe to run twice.

    Without ``force`` it runs once per table (a marker item), so plans the provider
    deleted do not come back.
    """
    if not force and store.plans_seeded():
        return 0
    now = store.ts(clock.now())
    added = 0
    for name, exts, calls in SEED:
        cc = name.startswith("CC-")
        item = store.PlanItem(
            store.PLAN_PK,
            name,
            name=name,
            description=f"{'Call center' if cc else 'Cloud PBX'}: {exts} {'agents' if cc else 'extensions'}",
            max_extensions=exts,
            max_concurrent_calls=calls,
            recording_quota_bytes=5 * GB,
            features=list(CC_FEATURES if cc else PBX_FEATURES),
            tenant_count=0,
            rev=0,
            created_at=now,
            updated_at=now,
        )
        added += int(store.put_plan_if_missing(item))
    store.mark_plans_seeded()
    if added:
        logger.info("plans seeded", extra={"added": added})
    return added


def public(p: store.PlanItem) -> dict[str, Any]:
    return {
        "name": p.name,
        "description": p.description,
        "max_extensions": int(p.max_extensions),
        "max_concurrent_calls": int(p.max_concurrent_calls),
        "recording_quota_bytes": int(p.recording_quota_bytes),
        "features": list(p.features or []),
        "tenant_count": int(p.tenant_count or 0),
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


def find(name: str) -> store.PlanItem | None:
    seed()
    return store.get_plan(name)


def require(name: str) -> store.PlanItem:
    plan = find(name) if 0 < len(name) <= 32 else None
    if plan is None:
        raise NotFound(f"plan {name} not found")
    return plan


def list_plans() -> dict[str, Any]:
    seed()
    return {"items": [public(p) for p in store.list_plans()], "next": None}


def get(name: str) -> dict[str, Any]:
    return public(require(name))


def create(body: dict[str, Any]) -> dict[str, Any]:
    req = schemas.parse(schemas.PlanCreate, body, "invalid plan")
    seed()
    now = store.ts(clock.now())
    item = store.PlanItem(
        store.PLAN_PK,
        req.name,
        name=req.name,
        description=req.description,
        max_extensions=req.max_extensions,
        max_concurrent_calls=req.max_concurrent_calls,
        recording_quota_bytes=req.recording_quota_bytes,
        features=sorted(set(req.features)),
        tenant_count=0,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    store.commit(
        [store.put_new(item, lambda: Conflict(f"plan {req.name} already exists", fields={"name": "already exists"}))],
        bump=False,
    )
    logger.info("plan created", extra={"plan": req.name})
    return public(item)


def update(name: str, body: dict[str, Any]) -> dict[str, Any]:
    req = schemas.parse(schemas.PlanUpdate, body, "invalid plan")
    plan = require(name)
    changes: dict[str, Any] = {}
    for field in schemas.given(req):
        value = getattr(req, field)
        changes[field] = sorted(set(value)) if field == "features" else value
    if changes:
        changes["updated_at"] = store.ts(clock.now())
        store.commit(
            [
                store.patch(
                    store.PlanItem,
                    store.PLAN_PK,
                    name,
                    changes,
                    rev=int(plan.rev or 0),
                    error=lambda: Conflict(f"plan {name} changed meanwhile, retry"),
                )
            ],
            bump=False,
        )
        if {"max_extensions", "max_concurrent_calls", "recording_quota_bytes"} & set(changes):
            apply_to_tenants(name)
    return public(require(name))


def apply_to_tenants(name: str) -> int:
    """Copy a changed plan's limits onto its tenants (those not above the new cap)."""
    from chalicelib import tenants  # a tenant depends on plans, not the other way round

    plan = require(name)
    changed = 0
    for tenant_id in store.list_tenant_ids():
        t = store.get_tenant(tenant_id)
        if t is None or t.plan != name:
            continue
        try:
            tenants.apply_plan(t, plan)
            changed += 1
        except Conflict as exc:
            logger.warning("plan change not applied to tenant", extra={"tenant_id": tenant_id, "reason": exc.message})
    return changed


def delete(name: str) -> None:
    plan = require(name)
    if int(plan.tenant_count or 0) > 0:
        raise Conflict(f"plan {name} is used by {int(plan.tenant_count)} tenant(s)")
    unused = store.PlanItem.pk.exists() & (store.PlanItem.tenant_count == 0)
    store.commit(
        [
            store.Op(
                lambda tx: tx.delete(store.PlanItem(store.PLAN_PK, name), condition=unused),
                lambda: Conflict(f"plan {name} is in use"),
            )
        ],
        bump=False,
    )
    logger.info("plan deleted", extra={"plan": name})
