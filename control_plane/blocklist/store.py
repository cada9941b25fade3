"""Block rule items (``T#<tenant_id>`` / ``BLK#<id>``)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from control_plane.core import keys, store


class BlockItem(store.Item, discriminator="block"):
    tenant_id = UnicodeAttribute()
    rule_id = UnicodeAttribute()
    pattern = UnicodeAttribute()
    direction = UnicodeAttribute(default="both")
    extension = UnicodeAttribute(default="")
    note = UnicodeAttribute(default="")
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


def item(tenant_id: str, rule_id: str, **fields: Any) -> BlockItem:
    return BlockItem(keys.tenant_pk(tenant_id), keys.block_sk(rule_id), tenant_id=tenant_id, rule_id=rule_id, **fields)


def get(tenant_id: str, rule_id: str) -> BlockItem | None:
    return store.get_child(tenant_id, BlockItem, keys.block_sk(rule_id))


def list_all(tenant_id: str) -> list[BlockItem]:
    return store.list_children(tenant_id, BlockItem, keys.BLK_PREFIX)
