"""Trunk items (``T#<tenant_id>`` / ``TRUNK#<id>``); ``refs`` counts their numbers."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute

from control_plane.core import keys, store
from pbx_core import defaults


class TrunkItem(store.Item, discriminator="trunk"):
    tenant_id = UnicodeAttribute()
    trunk_id = UnicodeAttribute()
    name = UnicodeAttribute()
    host = UnicodeAttribute()
    port = NumberAttribute(default=defaults.SIP_PORT)
    transport = UnicodeAttribute(default=defaults.TRANSPORT)
    auth = UnicodeAttribute(default=defaults.TRUNK_AUTH)
    username = UnicodeAttribute(default="")
    secret = UnicodeAttribute(null=True)  # ciphertext of the carrier password (core.crypto)
    ips = ListAttribute(of=UnicodeAttribute, default=list)
    channels = NumberAttribute(default=defaults.TRUNK_CHANNELS)
    codecs = ListAttribute(of=UnicodeAttribute, default=list)
    refs = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


def secret_context(trunk_id: str) -> str:
    """The owner a carrier password's ciphertext is bound to (core.crypto)."""
    return f"trunk/{trunk_id}"


def item(tenant_id: str, trunk_id: str, **fields: Any) -> TrunkItem:
    return TrunkItem(
        keys.tenant_pk(tenant_id), keys.trunk_sk(trunk_id), tenant_id=tenant_id, trunk_id=trunk_id, **fields
    )


def get(tenant_id: str, trunk_id: str) -> TrunkItem | None:
    return store.get_child(tenant_id, TrunkItem, keys.trunk_sk(trunk_id))


def list_all(tenant_id: str) -> list[TrunkItem]:
    return store.list_children(tenant_id, TrunkItem, keys.TRUNK_PREFIX)


def ref_changes(tenant_id: str, field: str, old: str | None, new: str | None) -> list[store.Op]:
    """Count a number moving from trunk ``old`` to ``new`` (None: none)."""
    return store.ref_changes(
        TrunkItem, tenant_id, field, keys.trunk_sk(old) if old else None, keys.trunk_sk(new) if new else None
    )
