"""Number items (``T#<tenant_id>`` / ``NUM#<national number>``), the provider's assignments
(``T#<tenant_id>`` / ``ASSIGNED#<number>``) and their service-wide claims (``DID#<number>``).

Since issue 13 the claim is made when the provider assigns a number to a tenant, not when
the tenant configures it; numbers configured before that have a claim and no assignment
(``legacy``): they count as assigned, and their claim goes when the tenant removes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from control_plane.core import keys, store
from pbx_core.errors import Conflict, PbxError


class NumberItem(store.Item, discriminator="number"):
    tenant_id = UnicodeAttribute()
    number = UnicodeAttribute()
    number_kind = UnicodeAttribute()
    trunk_id = UnicodeAttribute()
    route_to = UnicodeAttribute(default="")
    label = UnicodeAttribute(default="")
    refs = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class AssignmentItem(store.Item, discriminator="number_assignment"):
    """A number the provider gave the tenant: the tenant may configure it (route, trunk)."""

    tenant_id = UnicodeAttribute()
    number = UnicodeAttribute()
    number_kind = UnicodeAttribute()
    assigned_at = UnicodeAttribute()
    assigned_by = UnicodeAttribute(default="")


def assignment(tenant_id: str, number: str, **fields: Any) -> AssignmentItem:
    return AssignmentItem(
        keys.tenant_pk(tenant_id), keys.assigned_sk(number), tenant_id=tenant_id, number=number, **fields
    )


def get_assignment(tenant_id: str, number: str) -> AssignmentItem | None:
    return store.get_child(tenant_id, AssignmentItem, keys.assigned_sk(number))


def list_assignments(tenant_id: str) -> list[AssignmentItem]:
    return store.list_children(tenant_id, AssignmentItem, keys.ASSIGNED_PREFIX)


def assign(item: AssignmentItem, taken: Callable[[], PbxError]) -> list[store.Op]:
    """The assignment and the service-wide claim: ``taken`` if another tenant has the number."""
    return [store.put_new(item, taken), store.put_new(claim(item.tenant_id, item.number), taken)]


def unassign(tenant_id: str, number: str, gone: Callable[[], PbxError]) -> list[store.Op]:
    """Remove the assignment and the claim (the claim only if it is still this tenant's)."""
    pk, sk = keys.did_claim(number)
    return [
        store.remove(AssignmentItem, keys.tenant_pk(tenant_id), keys.assigned_sk(number), error=gone),
        store.Op(
            lambda tx: tx.delete(store.ClaimItem(pk, sk), condition=store.ClaimItem.tenant_id == tenant_id),
            gone,
        ),
    ]


def claimed_by(tenant_id: str, number: str, error: Callable[[], PbxError]) -> store.Op:
    """The write goes through only while the number's claim is the tenant's."""
    pk, sk = keys.did_claim(number)
    return store.check(store.ClaimItem, pk, sk, store.ClaimItem.tenant_id == tenant_id, error)


def item(tenant_id: str, number: str, **fields: Any) -> NumberItem:
    return NumberItem(keys.tenant_pk(tenant_id), keys.number_sk(number), tenant_id=tenant_id, number=number, **fields)


def claim(tenant_id: str, number: str) -> store.ClaimItem:
    """The claim that makes ``number`` the tenant's across the service."""
    pk, sk = keys.did_claim(number)
    return store.ClaimItem(pk, sk, tenant_id=tenant_id, owner=number)


def claim_owner(number: str) -> str | None:
    found = store.get_item(store.ClaimItem, *keys.did_claim(number))
    return found.tenant_id if found is not None else None


def release_claim(number: str) -> store.Op:
    return store.release(store.ClaimItem, *keys.did_claim(number))


def add(number_item: NumberItem, ops: list[store.Op], not_assigned: Callable[[], PbxError]) -> None:
    """Store a new number of the tenant (409 if it has it already) and ``ops``; only while the
    number's claim is the tenant's (``not_assigned`` otherwise)."""

    def exists() -> PbxError:
        return Conflict(f"number {number_item.number} is already configured", fields={"number": "already added"})

    store.commit(
        [
            store.put_new(number_item, exists),
            claimed_by(number_item.tenant_id, number_item.number, not_assigned),
            *ops,
        ],
        bump=number_item.tenant_id,
    )


def get(tenant_id: str, number: str) -> NumberItem | None:
    return store.get_child(tenant_id, NumberItem, keys.number_sk(number))


def list_all(tenant_id: str) -> list[NumberItem]:
    return store.list_children(tenant_id, NumberItem, keys.NUM_PREFIX)


def ref_changes(tenant_id: str, field: str, old: str | None, new: str | None) -> list[store.Op]:
    """Count a caller-id use moving from number ``old`` to ``new`` ("" or None: none)."""
    return store.ref_changes(
        NumberItem, tenant_id, field, keys.number_sk(old) if old else None, keys.number_sk(new) if new else None
    )
