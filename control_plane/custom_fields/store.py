"""Custom field definitions (``T#<tenant_id>`` / ``CFIELD#<key>``)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute

from control_plane.core import keys, store


class FieldItem(store.Item, discriminator="contact_field"):
    tenant_id = UnicodeAttribute()
    key = UnicodeAttribute()
    label = UnicodeAttribute()
    type = UnicodeAttribute()  # text | number | date | select | checkbox
    options = ListAttribute(of=UnicodeAttribute, default=list)
    required = BooleanAttribute(default=False)
    position = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


def item(tenant_id: str, key: str, **fields: Any) -> FieldItem:
    return FieldItem(keys.tenant_pk(tenant_id), keys.cfield_sk(key), tenant_id=tenant_id, key=key, **fields)


def get(tenant_id: str, key: str) -> FieldItem | None:
    return store.get_child(tenant_id, FieldItem, keys.cfield_sk(key))


def list_all(tenant_id: str) -> list[FieldItem]:
    return sorted(store.list_children(tenant_id, FieldItem, keys.CFIELD_PREFIX), key=lambda f: (f.position, f.key))
