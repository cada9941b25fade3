"""Ban and hold items of a tenant (``T#<tenant_id>`` / ``FWBAN#<key>``, one per edge key:
an address, or ``h:<tenant>/<ext>@<network>`` for a hold)."""

from __future__ import annotations

import hashlib
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from control_plane.core import keys, store


class BanItem(store.Item, discriminator="fwban"):
    tenant_id = UnicodeAttribute()
    ban_id = UnicodeAttribute()
    key = UnicodeAttribute()  # the edge's fwban key
    ban_kind = UnicodeAttribute()  # ban | hold
    source = UnicodeAttribute()
    network = UnicodeAttribute(default="")
    account = UnicodeAttribute(default="")
    reason = UnicodeAttribute()
    evidence = UnicodeAttribute(default="")
    text = UnicodeAttribute(default="")
    strike = NumberAttribute(default=1)
    since = NumberAttribute()  # unix time
    until = NumberAttribute()
    own = BooleanAttribute(default=False)  # the tenant's own source: a hold, or a learned network
    edge_id = UnicodeAttribute(default="")
    lifted_at = NumberAttribute(null=True)
    lifted_by = UnicodeAttribute(null=True)


def ban_id(key: str) -> str:
    """A stable id of an edge key (its repeats update one item)."""
    return "ban_" + hashlib.sha256(key.encode()).hexdigest()[:20]


def item(tenant_id: str, key: str, **fields: Any) -> BanItem:
    bid = ban_id(key)
    return BanItem(keys.tenant_pk(tenant_id), keys.fwban_sk(bid), tenant_id=tenant_id, ban_id=bid, key=key, **fields)


def get(tenant_id: str, bid: str) -> BanItem | None:
    return store.get_child(tenant_id, BanItem, keys.fwban_sk(bid))


def list_all(tenant_id: str) -> list[BanItem]:
    return store.list_children(tenant_id, BanItem, keys.FWBAN_PREFIX)


LIFT_MEMORY_S = 2 * 86400  # a lift stays in the snapshot this long (an edge offline a day still gets it)


def lifted_keys(items: list[BanItem], now: int) -> tuple[tuple[str, int], ...]:
    """The tenant's recent lifts as the snapshot carries them: (edge key, when)."""
    recent = [b for b in items if b.lifted_at is not None and int(b.lifted_at) > now - LIFT_MEMORY_S]
    return tuple(sorted((b.key, int(b.lifted_at or 0)) for b in recent))
