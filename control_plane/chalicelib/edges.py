"""Edge nodes: registration (token) and the configuration snapshot they pull.

For now every edge serves every tenant: the snapshot holds all active tenants. Assigning
tenants to edges (and a per-edge version) comes with multi-site deployments.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib import auth, clock, settings, store
from chalicelib.http import reject_unknown
from chalicelib.log import logger
from pbx_core import snapshot
from pbx_core.errors import ValidationError

_EDGE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def create_edge(body: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(body, ("id",))
    edge_id = body.get("id")
    if not isinstance(edge_id, str) or not _EDGE_ID_RE.match(edge_id):
        raise ValidationError("invalid edge id", fields={"id": "1-63 of a-z 0-9 -, starting with a letter or digit"})
    store.create_edge(edge_id, now=clock.now())
    token = auth.mint(settings.jwt_secret(), auth.EDGE, edge_id=edge_id, ttl_s=auth.EDGE_TTL_S)
    logger.info("edge created", extra={"edge_id": edge_id})
    return {"id": edge_id, "token": token}


def etag(version: int) -> str:
    return f'"{version}"'


def etag_matches(if_none_match: str | None, version: int) -> bool:
    """RFC 9110 If-None-Match (weak comparison) against the current version's ETag."""
    if not if_none_match:
        return False
    current = etag(version)
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*":
            return True
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag == current:
            return True
    return False


def current_version() -> int:
    return store.snapshot_version()


def build_snapshot(edge_id: str, version: int) -> snapshot.Snapshot:
    """Active tenants with their active extensions (HA1 only, never a secret).

    ``version`` must have been read before this call: data read afterwards is at least as
    new as the version, so an edge never keeps stale data under a newer version.
    """
    configs: list[snapshot.TenantConfig] = []
    for tenant_id in store.list_tenant_ids():
        tenant, exts = store.tenant_config(tenant_id)
        if tenant is None or tenant.status != "active":
            continue
        configs.append(
            snapshot.TenantConfig(
                id=tenant.tenant_id,
                domain=tenant.domain,
                status=tenant.status,
                max_concurrent_calls=int(tenant.max_concurrent_calls),
                record_calls=bool(tenant.record_calls),
                extensions={
                    e.number: snapshot.ExtensionConfig(number=e.number, ha1=e.ha1, display_name=e.display_name)
                    for e in exts
                    if e.status == "active"
                },
            )
        )
    return snapshot.build(version, configs, edge_id)
