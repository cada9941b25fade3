"""Extension items (``T#<tenant_id>`` / ``EXT#<number>``); ``refs`` counts the devices,
numbers, users and block rules that name them."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from control_plane.branches import store as branches_store
from control_plane.core import keys, store
from pbx_core import defaults, dialplan
from pbx_core.snapshot import BranchConfig


class ExtensionItem(store.Item, discriminator="extension"):
    tenant_id = UnicodeAttribute()
    number = UnicodeAttribute()
    display_name = UnicodeAttribute(default="")
    status = UnicodeAttribute(default="active")
    branch_id = UnicodeAttribute(default="")
    pickup_group = UnicodeAttribute(default="")
    outbound = UnicodeAttribute(default=defaults.OUTBOUND)
    caller_id = UnicodeAttribute(default="")
    ha1 = UnicodeAttribute()
    secret = UnicodeAttribute()  # ciphertext of the SIP password (core.crypto: KMS or Fernet)
    refs = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute(null=True)
    password_rotated_at = UnicodeAttribute()


def secret_context(number: str) -> str:
    """The owner a SIP password's ciphertext is bound to (core.crypto)."""
    return f"ext/{number}"


def item(tenant_id: str, number: str, **fields: Any) -> ExtensionItem:
    return ExtensionItem(keys.tenant_pk(tenant_id), keys.ext_sk(number), tenant_id=tenant_id, number=number, **fields)


def get(tenant_id: str, number: str) -> ExtensionItem | None:
    return store.get_child(tenant_id, ExtensionItem, keys.ext_sk(number))


def list_all(tenant_id: str) -> list[ExtensionItem]:
    return store.list_children(tenant_id, ExtensionItem, keys.EXT_PREFIX)


def number_plan(tenant_id: str) -> dialplan.NumberPlan:
    """The tenant's extensions and branches, as the dial plan checks need them."""
    return dialplan.NumberPlan.of(
        ((e.number, e.branch_id or "") for e in list_all(tenant_id)),
        (BranchConfig(b.branch_id, b.name, b.prefix) for b in branches_store.list_all(tenant_id)),
    )


def ref(tenant_id: str, number: str, delta: int, field: str) -> store.Op:
    return store.ref(ExtensionItem, tenant_id, keys.ext_sk(number), delta, field)


def ref_changes(tenant_id: str, field: str, old: str | None, new: str | None) -> list[store.Op]:
    """Count a reference moving from extension ``old`` to ``new`` ("" or None: none)."""
    return store.ref_changes(
        ExtensionItem, tenant_id, field, keys.ext_sk(old) if old else None, keys.ext_sk(new) if new else None
    )
