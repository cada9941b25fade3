"""Offboarding (``purge``): everything of a tenant but its job records and export archives:
its recordings (every object version), CDRs, recording items, events, claims, items, its
place in the edges' lists, and last the tenant itself. Also the rollback of a failed import."""

from __future__ import annotations

from typing import Any

from control_plane.contacts import store as contacts_store
from control_plane.core import clock, keys, s3, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.devices.store import DeviceItem
from control_plane.dids.store import AssignmentItem, NumberItem
from control_plane.edges import store as edges_store
from control_plane.plans import store as plans_store
from control_plane.queue_events import store as queue_events_store
from control_plane.tenants import store as tenants_store
from control_plane.tenants.store import TenantItem
from control_plane.tickets import store as tickets_store
from control_plane.users import store as users_store
from control_plane.users.store import ApiKeyItem, UserItem
from pbx_core.errors import NotFound

# Items of the tenant's partition that own an item outside it: (class, the owned item's key)
CLAIMS = (NumberItem, AssignmentItem, UserItem, ApiKeyItem, DeviceItem)


def _now() -> str:
    return store.ts(clock.now())


def _delete_prefix(prefix: str) -> int:
    """Every object (and every version, delete marker included) under ``prefix``."""
    client, bucket = s3.client(), s3.bucket()
    deleted = 0
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        targets = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in (*page.get("Versions", []), *page.get("DeleteMarkers", []))
        ]
        for start in range(0, len(targets), 1000):
            chunk = targets[start : start + 1000]
            resp = client.delete_objects(Bucket=bucket, Delete={"Objects": chunk, "Quiet": True})
            if resp.get("Errors"):
                raise RuntimeError(f"{len(resp['Errors'])} objects under {prefix} could not be deleted")
            deleted += len(chunk)
    return deleted


def _claim_key(item: store.Item) -> tuple[str, str] | None:
    """The item outside the tenant partition that an item of it owns, if any."""
    if isinstance(item, (NumberItem, AssignmentItem)) and item.number:
        return keys.did_claim(item.number)
    if isinstance(item, UserItem) and item.email:
        return keys.email_claim(item.email)
    if isinstance(item, ApiKeyItem) and item.key_hash:
        return keys.api_key_ref(item.key_hash)
    if isinstance(item, DeviceItem) and item.token_hash:
        return keys.device_token(item.token_hash)
    return None


def _forget_edges(tenant_id: str) -> int:
    """Take the tenant off the lists of the edges that serve it by name."""
    changed = 0
    for edge in edges_store.list_all():
        if edge.tenants is None or tenant_id not in edge.tenants:
            continue
        remaining = [t for t in edge.tenants if t != tenant_id]
        edges_store.patch(edge.edge_id, {"tenants": remaining, "updated_at": _now()}, rev=None)
        changed += 1
    return changed


def _sweep(tenant_id: str) -> tuple[int, int]:
    """The tenant's objects (every version), CDRs, CDR id guards, recording items, events,
    rate-limit windows, live calls and webhook deliveries: (objects, items) deleted."""
    objects = _delete_prefix(s3.tenant_prefix(tenant_id))
    items = 0
    for pk in (
        keys.cdr_pk(tenant_id),
        keys.cdr_id_pk(tenant_id),
        keys.rec_pk(tenant_id),
        keys.event_pk(tenant_id),
        keys.call_note_pk(tenant_id),  # call notes (wrap-up)
        keys.fraud_pk(tenant_id),  # what the fraud guard learned
        keys.rate_pk(tenant_id),  # rate-limit windows (they expire anyway)
        *keys.live_pks(tenant_id),  # live calls and events, connections, webhook deliveries
    ):
        items += store.delete_partition(pk)
    items += contacts_store.purge(tenant_id) + tickets_store.purge(tenant_id)  # contacts, tickets (issue 17)
    items += queue_events_store.purge(tenant_id)  # the queue event log (issue 16)
    return objects, items


def purge(tenant_id: str) -> dict[str, Any]:
    """Delete everything of the tenant except its job records and export archives.

    Order: calls stop first (suspended, version bump), then objects, CDRs, recordings,
    events, claims, the tenant's items, the edges' lists, and last the tenant item itself,
    its registry entry and its domain: a failure leaves a suspended tenant that a new
    delete job finishes.
    """
    tenant = tenants_store.get(tenant_id)
    if tenant is not None and tenant.status != "suspended":
        store.commit(
            [
                tenants_store.patch(
                    tenant_id,
                    {"status": "suspended", "updated_at": _now()},
                    rev=None,
                    error=lambda: NotFound("tenant not found"),
                )
            ],
            bump=tenant_id,  # edges stop its calls before its data goes
        )
    objects, items = _sweep(tenant_id)
    claims = 0
    for item in store.partition(keys.tenant_pk(tenant_id), CLAIMS):
        claim = _claim_key(item)
        if claim is not None:
            claims += int(store.delete_if_owned(*claim, tenant_id))
    items += store.delete_partition(keys.tenant_pk(tenant_id), keep=lambda raw: raw["sk"]["S"] == keys.TENANT_SK)
    edges = _forget_edges(tenant_id)
    tokens = users_store.delete_issued_of(tenant_id)  # its tenant-admin tokens
    if tenant is not None:
        claims += int(store.delete_if_owned(*keys.domain_claim(tenant.domain), tenant_id))
        store.commit(
            [
                store.release(TenantItem, keys.tenant_pk(tenant_id), keys.TENANT_SK),
                store.release(store.TenantRefItem, keys.REGISTRY_PK, tenant_id),
                plans_store.count_tenant(tenant.plan, -1),
            ],
            bump=True,  # every edge: the tenant is gone from the snapshots of those serving all
        )
        items += 2
    # Once more: a call that ended during the purge may have brought a CDR or an object
    # (suspend and let the spools drain first); ingest refuses the tenant from now on.
    late_objects, late_items = _sweep(tenant_id)
    objects, items = objects + late_objects, items + late_items
    count("TenantDeleted")
    logger.warning(
        "tenant deleted",
        extra={
            "tenant_id": tenant_id,
            "objects": objects,
            "items": items,
            "claims": claims,
            "edges": edges,
            "tokens": tokens,
        },
    )
    return {"objects_deleted": objects, "items_deleted": items, "claims_released": claims, "edges_updated": edges}
