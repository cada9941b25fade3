"""Plan items (``PLAN`` / ``<name>``) and the seed marker."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError

from control_plane.core import keys, store
from pbx_core.errors import Conflict, PbxError, ValidationError


class PlanItem(store.Item, discriminator="plan"):
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    max_extensions = NumberAttribute()
    max_concurrent_calls = NumberAttribute()
    recording_quota_bytes = NumberAttribute()
    features = ListAttribute(of=UnicodeAttribute, default=list)
    tenant_count = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


def item(name: str, **fields: Any) -> PlanItem:
    return PlanItem(keys.PLAN_PK, name, name=name, **fields)


def seeded() -> bool:
    return store.get_item(store.CounterItem, keys.VERSION_PK, keys.SEEDED_SK) is not None


def mark_seeded() -> None:
    store.configure()
    store.CounterItem(keys.VERSION_PK, keys.SEEDED_SK, value=1).save()


def get(name: str) -> PlanItem | None:
    return store.get_item(PlanItem, keys.PLAN_PK, name)


def list_all() -> list[PlanItem]:
    store.configure()
    return list(PlanItem.query(keys.PLAN_PK, consistent_read=True))


def put_if_missing(plan: PlanItem) -> bool:
    store.configure()
    try:
        plan.save(condition=PlanItem.pk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def create(plan: PlanItem) -> None:
    name = plan.name
    store.commit(
        [store.put_new(plan, lambda: Conflict(f"plan {name} already exists", fields={"name": "already exists"}))],
        bump=False,
    )


def patch(name: str, changes: dict[str, Any], *, rev: int) -> None:
    store.commit(
        [
            store.patch(
                PlanItem,
                keys.PLAN_PK,
                name,
                changes,
                rev=rev,
                error=lambda: Conflict(f"plan {name} changed meanwhile, retry"),
            )
        ],
        bump=False,
    )


def delete_unused(name: str) -> None:
    unused = PlanItem.pk.exists() & (PlanItem.tenant_count == 0)
    store.commit(
        [
            store.Op(
                lambda tx: tx.delete(PlanItem(keys.PLAN_PK, name), condition=unused),
                lambda: Conflict(f"plan {name} is in use"),
            )
        ],
        bump=False,
    )


def count_tenant(name: str, delta: int) -> store.Op:
    """A tenant starts (+1) or stops (-1) using the plan; the plan must exist."""

    def missing() -> PbxError:
        return ValidationError(f"plan {name} does not exist", fields={"plan": "not found"})

    return store.Op(
        lambda tx: tx.update(
            PlanItem(keys.PLAN_PK, name), actions=[PlanItem.tenant_count.add(delta)], condition=PlanItem.pk.exists()
        ),
        missing,
    )
