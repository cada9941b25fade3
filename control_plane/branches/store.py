"""Branch items (``T#<tenant_id>`` / ``BR#<id>``); ``refs`` counts their extensions."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from control_plane.core import keys, store


class BranchItem(store.Item, discriminator="branch"):
    tenant_id = UnicodeAttribute()
    branch_id = UnicodeAttribute()
    name = UnicodeAttribute()
    prefix = UnicodeAttribute()
    refs = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


def item(tenant_id: str, branch_id: str, **fields: Any) -> BranchItem:
    return BranchItem(
        keys.tenant_pk(tenant_id), keys.branch_sk(branch_id), tenant_id=tenant_id, branch_id=branch_id, **fields
    )


def get(tenant_id: str, branch_id: str) -> BranchItem | None:
    return store.get_child(tenant_id, BranchItem, keys.branch_sk(branch_id))


def list_all(tenant_id: str) -> list[BranchItem]:
    return store.list_children(tenant_id, BranchItem, keys.BR_PREFIX)


def ref_changes(tenant_id: str, field: str, old: str | None, new: str | None) -> list[store.Op]:
    """Count an extension moving from branch ``old`` to ``new`` ("" or None: no branch)."""
    return store.ref_changes(
        BranchItem, tenant_id, field, keys.branch_sk(old) if old else None, keys.branch_sk(new) if new else None
    )
