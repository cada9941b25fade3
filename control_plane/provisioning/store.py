"""One-time provisioning tokens (``PROV#<sha256>`` / ``PROV``): only the hash is stored."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import DeleteError, DoesNotExist

from control_plane.core import keys, store
from pbx_core.cdr import iso


class ProvisioningItem(store.Item, discriminator="provisioning"):
    tenant_id = UnicodeAttribute()
    number = UnicodeAttribute()
    expires_at = NumberAttribute()  # epoch seconds, checked on use
    ttl = TTLAttribute(null=True)  # DynamoDB removes stale tokens (lazily, hence expires_at)
    created_at = UnicodeAttribute()


def put(tenant_id: str, number: str, *, token_hash: str, expires_at: int, now: datetime) -> None:
    store.configure()
    pk, sk = keys.provisioning_token(token_hash)
    ProvisioningItem(
        pk,
        sk,
        tenant_id=tenant_id,
        number=number,
        expires_at=expires_at,
        ttl=datetime.fromtimestamp(expires_at, UTC),
        created_at=iso(now),
    ).save(condition=ProvisioningItem.pk.does_not_exist())


def peek(token_hash: str, *, now_epoch: float) -> bool:
    """Whether the token could be redeemed now (reading it changes nothing)."""
    found = store.get_item(ProvisioningItem, *keys.provisioning_token(token_hash))
    return found is not None and int(found.expires_at) > now_epoch


def take(token_hash: str, *, now_epoch: float) -> tuple[str, str] | None:
    """Consume a provisioning token: (tenant_id, number) the first time, None afterwards.

    Not tenant-scoped: the token itself is the credential (an unguessable 256-bit value).
    The conditional delete makes it single-use even under concurrent redemption.
    """
    store.configure()
    try:
        found = ProvisioningItem.get(*keys.provisioning_token(token_hash), consistent_read=True)
    except DoesNotExist:
        return None
    try:
        found.delete(condition=ProvisioningItem.pk.exists())
    except DeleteError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return None
        raise
    if int(found.expires_at) <= now_epoch:
        return None
    return found.tenant_id, found.number
