"""Edge nodes (provider): registration, token rotation, tenants served, and the
configuration snapshot they pull.

An edge serves either every tenant (``tenants: null``, the default) or a list of tenant
ids; its snapshot holds only those tenants, suspended ones included with status
``suspended`` (the edge answers 403 tenant_suspended).

Versions are per edge. Every change of a tenant's snapshot data (tenant, extension,
branch, trunk, DID, block rule, recording on/off) bumps that tenant's version in the same
transaction (``store.commit(..., bump=tenant_id)``). An edge's fingerprint is a hash of
the versions of the tenants it serves (and of the table-wide counter of ``bump=True``);
its version number changes exactly when the fingerprint does: when data of one of its
tenants changes, or its tenant set does (an assignment, a tenant created or removed for an
edge serving all). The number only grows, and is at least the epoch milliseconds of the
poll that first saw the new fingerprint, so a re-created edge id or an edge holding a
version of the older table-wide scheme never meets its old number again (no false 304).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from chalicelib import auth, clock, recordings, schemas, settings, store, trunks
from chalicelib.log import logger
from pbx_core import snapshot
from pbx_core.errors import Conflict, NotFound, ValidationError

_EDGE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def public(e: store.EdgeItem) -> dict[str, Any]:
    return {
        "id": e.edge_id,
        "tenants": list(e.tenants) if e.tenants is not None else None,
        "created_at": e.created_at,
        "updated_at": e.updated_at or e.created_at,
    }


def _token(edge: store.EdgeItem) -> str:
    return auth.mint(
        settings.jwt_secret(), auth.EDGE, edge_id=edge.edge_id, gen=int(edge.token_gen or 1), ttl_s=auth.EDGE_TTL_S
    )


def _check_tenants(ids: list[str] | None) -> list[str] | None:
    if ids is None:
        return None
    unique = list(dict.fromkeys(ids))
    found = {t.tenant_id for t in store.get_tenants(unique)} if unique else set()
    missing = [t for t in unique if t not in found]
    if missing:
        raise ValidationError(f"unknown tenant(s): {', '.join(missing[:5])}", fields={"tenants": "unknown tenant"})
    return unique


def create_edge(body: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    req, errors = schemas.field_errors(schemas.EdgeCreate, body)
    if req is None:
        if "id" in errors:
            errors["id"] = "1-63 of a-z 0-9 -, starting with a letter or digit"
        raise ValidationError("invalid edge", fields=errors)
    tenant_ids = _check_tenants(req.tenants)
    now = store.ts(clock.now())
    edge = store.EdgeItem(
        f"EDGE#{req.id}", "META", edge_id=req.id, tenants=tenant_ids, token_gen=1, rev=0, created_at=now, updated_at=now
    )
    store.create_edge(edge)
    logger.info("edge created", extra={"edge_id": req.id})
    return {**public(edge), "token": _token(edge)}


def require(edge_id: str) -> store.EdgeItem:
    edge = store.get_edge(edge_id) if _EDGE_ID_RE.match(edge_id) else None
    if edge is None:
        raise NotFound(f"edge {edge_id} not found")
    return edge


def list_edges() -> dict[str, Any]:
    return {"items": [public(e) for e in store.list_edges()], "next": None}


def get_edge(edge_id: str) -> dict[str, Any]:
    return public(require(edge_id))


def update_edge(edge_id: str, body: dict[str, Any]) -> dict[str, Any]:
    edge = require(edge_id)
    req = schemas.parse(schemas.EdgeUpdate, body, "invalid edge")
    if "tenants" not in req.model_fields_set:
        return public(edge)
    tenant_ids = _check_tenants(req.tenants)
    store.commit(
        [
            store.patch(
                store.EdgeItem,
                f"EDGE#{edge_id}",
                "META",
                {"tenants": tenant_ids, "updated_at": store.ts(clock.now())},
                rev=int(edge.rev or 0),
                error=lambda: Conflict(f"edge {edge_id} changed meanwhile, retry"),
            )
        ],
        bump=False,  # the edge's fingerprint covers its tenant set
    )
    logger.info("edge tenants changed", extra={"edge_id": edge_id})
    return public(require(edge_id))


def rotate_token(edge_id: str) -> dict[str, Any]:
    """A new token for the edge; every older token of it stops working at once."""
    edge = require(edge_id)
    store.commit(
        [
            store.patch(
                store.EdgeItem,
                f"EDGE#{edge_id}",
                "META",
                {"token_gen": int(edge.token_gen or 1) + 1, "updated_at": store.ts(clock.now())},
                rev=int(edge.rev or 0),
                error=lambda: Conflict(f"edge {edge_id} changed meanwhile, retry"),
            )
        ],
        bump=False,
    )
    fresh = require(edge_id)
    logger.info("edge token rotated", extra={"edge_id": edge_id})
    return {"token": _token(fresh), "expires_at": None}


def delete_edge(edge_id: str) -> None:
    require(edge_id)
    store.delete_edge(edge_id)
    logger.info("edge deleted", extra={"edge_id": edge_id})


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


_VERSION_ATTEMPTS = 4


def fingerprint(versions: dict[str, int], global_version: int) -> str:
    """What an edge's snapshot data depends on: its tenants and their versions."""
    doc = {"g": global_version, "t": sorted(versions.items())}
    return hashlib.sha256(json.dumps(doc, separators=(",", ":")).encode()).hexdigest()


def current_version(edge_id: str) -> int:
    """The edge's snapshot version now; read before the data (see ``build_snapshot``).

    A poll reads the edge item, its tenants' versions (one query or batch read) and the
    table-wide counter; only a poll that sees a new fingerprint writes (one conditional
    update of the edge item), so unchanged polls stay read-only.
    """
    for _ in range(_VERSION_ATTEMPTS):
        edge = require(edge_id)
        served = [str(t) for t in edge.tenants] if edge.tenants is not None else None
        fp = fingerprint(store.tenant_versions(served), store.global_version())
        known = int(edge.snap_version) if edge.snap_version is not None else None
        if known is not None and edge.snap_fp == fp:
            return known
        now_ms = int(clock.now().timestamp() * 1000)
        version = max((known or 0) + 1, now_ms)
        if store.set_edge_snapshot(edge_id, fingerprint=fp, version=version, expected=known):
            logger.info("edge snapshot version", extra={"edge_id": edge_id, "version": version})
            return version
        # another poll of this edge recorded a version meanwhile: read everything again
    raise Conflict(f"edge {edge_id} snapshot version changed too often; retry")


def tenant_config(tenant_id: str) -> snapshot.TenantConfig | None:
    """One tenant's routing data from one consistent query of its partition."""
    tenant: store.TenantItem | None = None
    exts: dict[str, snapshot.ExtensionConfig] = {}
    branches: dict[str, snapshot.BranchConfig] = {}
    trunk_cfgs: dict[str, snapshot.TrunkConfig] = {}
    numbers: dict[str, snapshot.NumberConfig] = {}
    blocks: list[snapshot.BlockRule] = []
    for item in store.tenant_items(tenant_id):
        if isinstance(item, store.TenantItem):
            tenant = item
        elif isinstance(item, store.ExtensionItem) and item.status == "active":
            exts[item.number] = snapshot.ExtensionConfig(
                number=item.number,
                ha1=item.ha1,
                display_name=item.display_name,
                branch_id=item.branch_id or "",
                pickup_group=item.pickup_group or "",
                outbound=item.outbound or "national",
                caller_id=item.caller_id or "",
            )
        elif isinstance(item, store.BranchItem):
            branches[item.branch_id] = snapshot.BranchConfig(id=item.branch_id, name=item.name, prefix=item.prefix)
        elif isinstance(item, store.TrunkItem):
            trunk_cfgs[item.trunk_id] = snapshot.TrunkConfig(
                id=item.trunk_id,
                name=item.name,
                host=item.host,
                port=int(item.port),
                transport=item.transport,
                auth=item.auth,
                username=item.username or "",
                password=trunks.password(tenant_id, item),
                ips=tuple(str(i) for i in item.ips or ()),
                channels=int(item.channels),
                codecs=tuple(str(c) for c in item.codecs or ()),
            )
        elif isinstance(item, store.NumberItem):
            numbers[item.number] = snapshot.NumberConfig(
                number=item.number, kind=item.number_kind, trunk_id=item.trunk_id, route_to=item.route_to or ""
            )
        elif isinstance(item, store.BlockItem):
            blocks.append(
                snapshot.BlockRule(pattern=item.pattern, direction=item.direction, extension=item.extension or "")
            )
    if tenant is None:
        return None
    blocks.sort(key=lambda b: (b.extension, b.pattern, b.direction))
    return snapshot.TenantConfig(
        id=tenant.tenant_id,
        domain=tenant.domain,
        status=tenant.status,
        max_concurrent_calls=int(tenant.max_concurrent_calls),
        record_calls=recordings.records(tenant),  # false while full under stop_recording
        extensions=exts,
        plan=tenant.plan,
        default_caller_id=tenant.default_caller_id or "",
        outbound_policy=snapshot.OutboundPolicy(
            international=bool(tenant.outbound_international), premium_1900=bool(tenant.outbound_premium_1900)
        ),
        branches=branches,
        trunks=trunk_cfgs,
        numbers=numbers,
        blocklist=tuple(blocks),
    )


def build_snapshot(edge_id: str, version: int) -> snapshot.Snapshot:
    """The tenants this edge serves, with everything routing needs (HA1, never a SIP
    password; trunk passwords decrypted because the edge registers with carriers).

    ``version`` must have been read before this call: data read afterwards is at least as
    new as the version, so an edge never keeps stale data under a newer version.
    """
    edge = require(edge_id)
    tenant_ids = [str(t) for t in edge.tenants] if edge.tenants is not None else store.list_tenant_ids()
    configs = [c for c in (tenant_config(t) for t in tenant_ids) if c is not None]
    return snapshot.build(version, configs, edge_id)
