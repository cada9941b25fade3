"""Device items (``T#<tenant_id>`` / ``DEV#<id>``) and the lookup of a device by the SHA-256
of its provisioning token (``DEVTOK#<sha256>``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from control_plane.core import keys, store


class DeviceItem(store.Item, discriminator="device"):
    tenant_id = UnicodeAttribute()
    device_id = UnicodeAttribute()
    extension = UnicodeAttribute()
    vendor = UnicodeAttribute()
    model = UnicodeAttribute()
    mac = UnicodeAttribute()
    label = UnicodeAttribute(default="")
    token_hash = UnicodeAttribute(null=True)
    token_expires_at = NumberAttribute(null=True)  # epoch s; renewed by a password rotation
    # The extension's password_rotated_at of the password the phone last fetched: each
    # password is handed over once (the phone keeps it; a copied URL learns nothing later).
    served_password_at = UnicodeAttribute(null=True)
    needs_reprovision = BooleanAttribute(default=False)
    # Encrypted config file (issue 13 item 5): on/off (absent = off, devices made before it)
    # and the key, sealed by core.crypto for ``config_key_context`` (shown once, never stored clear).
    encrypt_config = BooleanAttribute(null=True)
    config_key = UnicodeAttribute(null=True)
    provisioned_at = UnicodeAttribute(null=True)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class DeviceTokenItem(store.Item, discriminator="device_token"):
    tenant_id = UnicodeAttribute()
    device_id = UnicodeAttribute()


TOKEN_TTL = timedelta(days=30)  # a device token serves its config this long after issue or rotation


def token_expiry(now: datetime) -> int:
    """When a token issued (or a password rotated) at ``now`` stops serving the config."""
    return int((now + TOKEN_TTL).timestamp())


def config_key_context(device_id: str) -> str:
    """The owner a device's sealed config key is bound to (``core.crypto``)."""
    return f"dev/{device_id}/config-key"


def item(tenant_id: str, device_id: str, **fields: Any) -> DeviceItem:
    return DeviceItem(
        keys.tenant_pk(tenant_id), keys.device_sk(device_id), tenant_id=tenant_id, device_id=device_id, **fields
    )


def get(tenant_id: str, device_id: str) -> DeviceItem | None:
    return store.get_child(tenant_id, DeviceItem, keys.device_sk(device_id))


def list_all(tenant_id: str) -> list[DeviceItem]:
    return store.list_children(tenant_id, DeviceItem, keys.DEV_PREFIX)


def token_item(tenant_id: str, device_id: str, token_hash: str) -> DeviceTokenItem:
    pk, sk = keys.device_token(token_hash)
    return DeviceTokenItem(pk, sk, tenant_id=tenant_id, device_id=device_id)


def by_token(token_hash: str) -> DeviceTokenItem | None:
    return store.get_item(DeviceTokenItem, *keys.device_token(token_hash))


def release_token(token_hash: str) -> store.Op:
    return store.release(DeviceTokenItem, *keys.device_token(token_hash))
