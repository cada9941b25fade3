"""Items of the fraud guard.

* ``FraudStateItem`` (``T#<tenant_id>#FRAUD`` / ``EXT#<n>`` per extension, ``TENANT`` for
  the company): the learned baseline, the recent usage and the last decision, as JSON;
  updated right after a CDR is stored, conditional on ``rev`` (concurrent ingests retry).
* ``FraudSettingsItem`` (``T#<tenant_id>`` / ``FRAUDCFG``): policy, scores and caps.
* ``FraudHoldItem`` (``T#<tenant_id>`` / ``FRAUDHOLD#<n>``): an extension's outside calls
  paused or suspended; in the tenant's partition, so the snapshot reads it with the rest.
"""

from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.transactions import TransactWrite

from control_plane.core import keys, store


class FraudStateItem(store.Item, discriminator="fraud_state"):
    tenant_id = UnicodeAttribute()
    extension = UnicodeAttribute(default="")  # "" = the tenant's
    baseline = UnicodeAttribute(default="{}")  # pbx_core.fraud.Baseline.to_dict()
    usage = UnicodeAttribute(default="{}")  # pbx_core.fraud.Usage.to_dict()
    state = UnicodeAttribute(default="ok")  # ok | alert | throttle | suspend
    score = NumberAttribute(default=0)  # of the last call
    decision = UnicodeAttribute(default="{}")  # the last decision: action, score, reasons, at
    rev = NumberAttribute(default=0)


class FraudSettingsItem(store.Item, discriminator="fraud_settings"):
    tenant_id = UnicodeAttribute()
    doc = UnicodeAttribute(default="{}")  # pbx_core.fraud.Settings fields
    rev = NumberAttribute(default=0)
    updated_at = UnicodeAttribute(default="")


class FraudHoldItem(store.Item, discriminator="fraud_hold"):
    tenant_id = UnicodeAttribute()
    extension = UnicodeAttribute()
    action = UnicodeAttribute()  # throttle | suspend
    since = NumberAttribute()
    until = NumberAttribute(default=0)  # 0 = until lifted
    text = UnicodeAttribute(default="")


def state_sk(extension: str) -> str:
    return keys.ext_sk(extension) if extension else keys.FRAUD_TENANT_SK


def states(tenant_id: str, extensions: list[str]) -> dict[str, FraudStateItem]:
    """The states of ``extensions`` ("" = the tenant's) in one batch read (missing: absent)."""
    store.configure()
    wanted = [(keys.fraud_pk(tenant_id), state_sk(e)) for e in dict.fromkeys(extensions)]
    return {s.extension: s for s in FraudStateItem.batch_get(wanted, consistent_read=True)}


def new_state(tenant_id: str, extension: str) -> FraudStateItem:
    return FraudStateItem(
        keys.fraud_pk(tenant_id), state_sk(extension), tenant_id=tenant_id, extension=extension, rev=0
    )


def list_states(tenant_id: str) -> list[FraudStateItem]:
    return [s for s in store.list_scope(keys.fraud_pk(tenant_id), FraudStateItem, keys.EXT_PREFIX)]


def get_state(tenant_id: str, extension: str) -> FraudStateItem | None:
    return store.get_item(FraudStateItem, keys.fraud_pk(tenant_id), state_sk(extension))


def save_state(item: FraudStateItem) -> store.Op:
    """Write the state as it is now, if nobody changed it since it was read (``rev``)."""
    read_rev = int(item.rev or 0)
    item.rev = read_rev + 1
    cond = FraudStateItem.pk.does_not_exist() if read_rev == 0 else FraudStateItem.rev == read_rev

    def apply(tx: TransactWrite) -> None:
        tx.save(item, condition=cond)

    return store.Op(apply, None)


def get_settings(tenant_id: str) -> FraudSettingsItem | None:
    return store.get_child(tenant_id, FraudSettingsItem, keys.FRAUD_SETTINGS_SK)


def settings_doc(item: FraudSettingsItem | None) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(item.doc) if item is not None else {}
    return doc


def settings_item(tenant_id: str, doc: dict[str, Any], *, rev: int, now: str) -> FraudSettingsItem:
    return FraudSettingsItem(
        keys.tenant_pk(tenant_id),
        keys.FRAUD_SETTINGS_SK,
        tenant_id=tenant_id,
        doc=json.dumps(doc, sort_keys=True, separators=(",", ":")),
        rev=rev,
        updated_at=now,
    )


def hold(tenant_id: str, extension: str, **fields: Any) -> FraudHoldItem:
    return FraudHoldItem(
        keys.tenant_pk(tenant_id), keys.fraud_hold_sk(extension), tenant_id=tenant_id, extension=extension, **fields
    )


def get_hold(tenant_id: str, extension: str) -> FraudHoldItem | None:
    return store.get_child(tenant_id, FraudHoldItem, keys.fraud_hold_sk(extension))


def list_holds(tenant_id: str) -> list[FraudHoldItem]:
    return store.list_children(tenant_id, FraudHoldItem, keys.FRAUD_HOLD_PREFIX)


def holds_in_force(items: list[FraudHoldItem], now: int) -> dict[str, FraudHoldItem]:
    """The holds the snapshot carries, by extension (a pause that ended is left out)."""
    return {h.extension: h for h in items if int(h.until or 0) <= 0 or int(h.until) > now}
