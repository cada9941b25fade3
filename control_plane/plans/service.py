"""Plans (provider): limits and features a tenant buys. Plans are data in the table.

The six plans of PRODUCT.md are seeded once, idempotently (conditional puts), the first
time plans are read; after that the provider owns them (edit, delete, add more). A tenant
copies its plan's limits when it is created or moved to a plan; a plan edit is applied to
the tenants on it right away (``tenants.service.apply_plan``, called by the route).
"""

from __future__ import annotations

from typing import Any

from control_plane.core import clock, store
from control_plane.core.log import logger
from control_plane.core.schemas import given
from control_plane.plans import store as plans_store
from control_plane.plans.schemas import PlanCreate, PlanList, PlanOut, PlanUpdate
from control_plane.plans.store import PlanItem
from pbx_core import defaults
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
DEFAULT_PLAN = defaults.PLAN
LIMITS = ("max_extensions", "max_concurrent_calls", "recording_quota_bytes")  # what tenants copy

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
    if not force and plans_store.seeded():
        return 0
    now = store.ts(clock.now())
    added = 0
    for name, exts, calls in SEED:
        cc = name.startswith("CC-")
        plan = plans_store.item(
            name,
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
        added += int(plans_store.put_if_missing(plan))
    plans_store.mark_seeded()
    if added:
        logger.info("plans seeded", extra={"added": added})
    return added


def public(p: PlanItem) -> PlanOut:
    return PlanOut(
        name=p.name,
        description=p.description,
        max_extensions=int(p.max_extensions),
        max_concurrent_calls=int(p.max_concurrent_calls),
        recording_quota_bytes=int(p.recording_quota_bytes),
        features=[str(f) for f in p.features or []],
        tenant_count=int(p.tenant_count or 0),
        created_at=p.created_at,
        updated_at=p.updated_at,
    )


def find(name: str) -> PlanItem | None:
    seed()
    return plans_store.get(name)


def require(name: str) -> PlanItem:
    plan = find(name) if 0 < len(name) <= 32 else None
    if plan is None:
        raise NotFound(f"plan {name} not found")
    return plan


def list_all() -> PlanList:
    seed()
    return PlanList(items=[public(p) for p in plans_store.list_all()], next=None)


def get(name: str) -> PlanOut:
    return public(require(name))


def create(req: PlanCreate) -> PlanOut:
    seed()
    now = store.ts(clock.now())
    plan = plans_store.item(
        req.name,
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
    plans_store.create(plan)
    logger.info("plan created", extra={"plan": req.name})
    return public(plan)


def update(name: str, req: PlanUpdate) -> tuple[PlanOut, bool]:
    """The plan after the change, and whether its limits changed (its tenants must follow)."""
    plan = require(name)
    changes: dict[str, Any] = {}
    for field in given(req):
        value = getattr(req, field)
        changes[field] = sorted(set(value)) if field == "features" else value
    if changes:
        changes["updated_at"] = store.ts(clock.now())
        plans_store.patch(name, changes, rev=int(plan.rev or 0))
    return public(require(name)), bool(set(LIMITS) & set(changes))


def delete(name: str) -> None:
    plan = require(name)
    if int(plan.tenant_count or 0) > 0:
        raise Conflict(f"plan {name} is used by {int(plan.tenant_count)} tenant(s)")
    plans_store.delete_unused(name)
    logger.info("plan deleted", extra={"plan": name})
