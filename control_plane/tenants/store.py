"""Tenant items (``T#<tenant_id>`` / ``META``) and the claim of a tenant's SIP domain."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.expressions.condition import Condition

from control_plane.core import keys, settings, store
from control_plane.plans import store as plans_store
from pbx_core import defaults
from pbx_core.errors import Conflict, NotFound, PbxError


class TenantItem(store.Item, discriminator="tenant"):
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    domain = UnicodeAttribute()
    status = UnicodeAttribute(default="active")
    plan = UnicodeAttribute()
    max_concurrent_calls = NumberAttribute()
    max_extensions = NumberAttribute()
    record_calls = BooleanAttribute(default=True)
    recording_retention_days = NumberAttribute(default=defaults.RECORDING_RETENTION_DAYS)
    recording_quota_bytes = NumberAttribute(default=0)
    time_zone = UnicodeAttribute(default=defaults.TIME_ZONE)
    outbound_international = BooleanAttribute(default=False)
    outbound_premium_1900 = BooleanAttribute(default=False)
    default_caller_id = UnicodeAttribute(default="")
    password_rotation_months = NumberAttribute(default=defaults.PASSWORD_ROTATION_MONTHS)
    ext_count = NumberAttribute(default=0)
    allow_private_trunk_hosts = BooleanAttribute(default=False)  # issue 13: provider only
    # Recording quota (F7): bytes stored, the last level reached, and what "full" does.
    recording_usage_bytes = NumberAttribute(default=0)
    recording_level = UnicodeAttribute(default="ok")
    recording_on_full = UnicodeAttribute(default=defaults.RECORDING_ON_FULL)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class DomainItem(store.Item, discriminator="domain"):
    """The claim of a SIP domain by its tenant (``DOMAIN#<domain>``)."""

    tenant_id = UnicodeAttribute()


def item(tenant_id: str, **fields: Any) -> TenantItem:
    return TenantItem(keys.tenant_pk(tenant_id), keys.TENANT_SK, tenant_id=tenant_id, **fields)


def create(tenant: TenantItem) -> None:
    """Create a tenant, claim its SIP domain and count it on its plan, atomically.

    Its registry row appears with snapshot version 1: edges serving every tenant see a new
    tenant set, edges with a list do not see it at all.
    """
    domain = tenant.domain
    pk, sk = keys.domain_claim(domain)
    store.commit(
        [
            store.put_new(tenant, lambda: Conflict("tenant id collision, retry")),
            store.put_new(
                DomainItem(pk, sk, tenant_id=tenant.tenant_id),
                lambda: Conflict(f"domain {domain} is already in use", fields={"domain": "already in use"}),
            ),
            store.put_new(
                store.TenantRefItem(keys.REGISTRY_PK, tenant.tenant_id, tenant_id=tenant.tenant_id, snap_version=1),
                lambda: Conflict("tenant id collision, retry"),
            ),
            plans_store.count_tenant(tenant.plan, 1),
        ],
        bump=False,
    )


def get(tenant_id: str) -> TenantItem | None:
    return store.get_item(TenantItem, keys.tenant_pk(tenant_id), keys.TENANT_SK)


def exists(tenant_id: str) -> bool:
    """Whether the tenant's item is there: its key only (every post of live events asks, once
    per tenant; the item has some twenty attributes that nobody reads here)."""
    resp = store.client().get_item(
        TableName=settings.aws().table,
        Key={"pk": {"S": keys.tenant_pk(tenant_id)}, "sk": {"S": keys.TENANT_SK}},
        ConsistentRead=True,
        ProjectionExpression="#pk",
        ExpressionAttributeNames={"#pk": "pk"},
    )
    return "Item" in resp


def get_many(tenant_ids: Sequence[str]) -> list[TenantItem]:
    store.configure()
    wanted = [(keys.tenant_pk(t), keys.TENANT_SK) for t in tenant_ids]
    found = {t.tenant_id: t for t in TenantItem.batch_get(wanted, consistent_read=True)}
    return [found[t] for t in tenant_ids if t in found]


def domain_owner(domain: str) -> str | None:
    claim = store.get_item(DomainItem, *keys.domain_claim(domain))
    return claim.tenant_id if claim is not None else None


def patch(
    tenant_id: str,
    changes: dict[str, Any],
    *,
    rev: int | None,
    error: Any,
    condition: Condition | None = None,
) -> store.Op:
    return store.patch(
        TenantItem, keys.tenant_pk(tenant_id), keys.TENANT_SK, changes, rev=rev, error=error, condition=condition
    )


def count_extensions(tenant_id: str, delta: int, *, error: Any, condition: Condition | None = None) -> store.Op:
    """The tenant's extension count changes with an extension (same transaction)."""
    cond: Condition = TenantItem.pk.exists()
    if condition is not None:
        cond = cond & condition
    return store.Op(
        lambda tx: tx.update(
            TenantItem(keys.tenant_pk(tenant_id), keys.TENANT_SK),
            actions=[TenantItem.ext_count.add(delta)],
            condition=cond,
        ),
        error,
    )


def not_found() -> PbxError:
    return NotFound("tenant not found")


def allows_private_trunk_hosts(tenant_id: str, error: Callable[[], PbxError]) -> store.Op:
    """The write goes through only while the provider allows the tenant private trunk hosts."""
    return store.check(
        TenantItem,
        keys.tenant_pk(tenant_id),
        keys.TENANT_SK,
        TenantItem.allow_private_trunk_hosts == True,  # noqa: E712 - a PynamoDB condition, not a comparison
        error,
    )
