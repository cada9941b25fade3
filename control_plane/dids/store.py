"""Number items (``T#<tenant_id>`` / ``NUM#<national number>``) and their service-wide claims
(``DID#<number>``)."""

from __future__ import annotations

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


def add(number_item: NumberItem, ops: list[store.Op]) -> None:
    """Store a new number with its claim (409 if any tenant has it) and ``ops``."""

    def taken() -> PbxError:
        return Conflict(f"number {number_item.number} is already assigned", fields={"number": "already assigned"})

    store.commit(
        [
            store.put_new(number_item, taken),
            store.put_new(claim(number_item.tenant_id, number_item.number), taken),
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
