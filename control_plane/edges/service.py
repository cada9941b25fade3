"""Edge nodes (provider): registration, token rotation, tenants served, and the
configuration snapshot they pull.

An edge serves the tenants listed for it (none when it is created: issue 13), or every
tenant when the provider sets ``tenants: null`` on purpose; its snapshot holds only those
tenants, suspended ones included with status ``suspended`` (the edge answers 403
tenant_suspended), and it may post CDRs of those tenants only.

Credentials (issue 13): an edge holds a credential (``pbxe_<edge_id>.<secret>``, shown
once, only its SHA-256 stored) and exchanges it at ``POST /edge/v1/token`` for an access
token of one hour. The provider rotates it (the old credential and every access token stop
at once); the edge rotates its own (``POST /edge/v1/credential``): the new one is pending
until first used, then the old one ends. The edge registers an X25519 public key; carrier
passwords in its snapshot are sealed to it (``pbx_core.sealing``), and an edge without a
key gets trunks without passwords.

Versions are per edge. Every change of a tenant's snapshot data (tenant, extension,
branch, trunk, DID, block rule, recording on/off) bumps that tenant's version in the same
transaction (``core.store.commit(..., bump=tenant_id)``). An edge's fingerprint is a hash of
the versions of the tenants it serves (and of the table-wide counter of ``bump=True``);
its version number changes exactly when the fingerprint does: when data of one of its
tenants changes, or its tenant set does (an assignment, a tenant created or removed for an
edge serving all). The number only grows, and is at least the epoch milliseconds of the
poll that first saw the new fingerprint, so a re-created edge id or an edge holding a
version of the older table-wide scheme never meets its old number again (no false 304).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from control_plane.core import auth, clock, settings, store
from control_plane.core.log import logger
from control_plane.core.schemas import field_errors, parse
from control_plane.edges import snapshot as tenant_snapshot
from control_plane.edges import store as edges_store
from control_plane.edges.schemas import (
    EdgeCreate,
    EdgeCreated,
    EdgeCredentialOut,
    EdgeList,
    EdgeOut,
    EdgeTokenOut,
    EdgeUpdate,
    SealKeyIn,
)
from control_plane.edges.store import EdgeItem
from control_plane.tenants import store as tenants_store
from pbx_core import sealing, snapshot
from pbx_core.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationError

_EDGE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_VERSION_ATTEMPTS = 4
CREDENTIAL_PREFIX = "pbxe_"


def public(e: EdgeItem) -> EdgeOut:
    return EdgeOut(
        id=e.edge_id,
        tenants=[str(t) for t in e.tenants] if e.tenants is not None else None,
        has_seal_key=bool(e.seal_key),
        credential_at=e.credential_at,
        created_at=e.created_at,
        updated_at=e.updated_at or e.created_at,
    )


def _access(edge: EdgeItem, gen: int | None = None) -> EdgeTokenOut:
    now = int(time.time())  # JWTs are checked against the real clock, like every token
    token = auth.mint(
        settings.jwt_secret(),
        auth.EDGE,
        edge_id=edge.edge_id,
        gen=gen or int(edge.token_gen or 1),
        ttl_s=auth.EDGE_TTL_S,
        now=now,
    )
    expires = datetime.fromtimestamp(now + auth.EDGE_TTL_S, UTC)
    return EdgeTokenOut(token=token, expires_at=store.ts(expires))


def _new_credential(edge_id: str) -> tuple[str, str]:
    """(credential, its SHA-256)."""
    credential = f"{CREDENTIAL_PREFIX}{edge_id}.{secrets.token_urlsafe(32)}"
    return credential, hashlib.sha256(credential.encode()).hexdigest()


def serves(edge_id: str, tenant_id: str) -> bool:
    """Whether the edge serves the tenant (may route its calls and post its CDRs)."""
    edge = edges_store.get(edge_id) if _EDGE_ID_RE.match(edge_id) else None
    return edge is not None and (edge.tenants is None or tenant_id in edge.tenants)


def _check_tenants(tenant_ids: list[str] | None) -> list[str] | None:
    if tenant_ids is None:
        return None
    unique = list(dict.fromkeys(tenant_ids))
    found = {t.tenant_id for t in tenants_store.get_many(unique)} if unique else set()
    missing = [t for t in unique if t not in found]
    if missing:
        raise ValidationError(f"unknown tenant(s): {', '.join(missing[:5])}", fields={"tenants": "unknown tenant"})
    return unique


def create(body: dict[str, Any]) -> EdgeCreated:
    req, errors = field_errors(EdgeCreate, body)
    if req is None:
        if "id" in errors:
            errors["id"] = "1-63 of a-z 0-9 -, starting with a letter or digit"
        raise ValidationError("invalid edge", fields=errors)
    tenant_ids = _check_tenants(req.tenants)
    now = store.ts(clock.now())
    credential, digest = _new_credential(req.id)
    edge = edges_store.item(
        req.id,
        tenants=tenant_ids,
        token_gen=1,
        secret_hash=digest,
        credential_at=now,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    edges_store.create(edge)
    logger.info("edge created", extra={"edge_id": req.id, "tenants": len(tenant_ids or []), "all": tenant_ids is None})
    access = _access(edge)
    return EdgeCreated(
        **public(edge).model_dump(), credential=credential, token=access.token, token_expires_at=access.expires_at
    )


def require(edge_id: str) -> EdgeItem:
    edge = edges_store.get(edge_id) if _EDGE_ID_RE.match(edge_id) else None
    if edge is None:
        raise NotFound(f"edge {edge_id} not found")
    return edge


def require_recent(edge_id: str) -> EdgeItem:
    """``require`` from the item as read in the last ``edges.store.RECENT_S`` seconds (what
    the token check of the same request read): for the tenants served, on every post."""
    edge = edges_store.get_recent(edge_id) if _EDGE_ID_RE.match(edge_id) else None
    if edge is None:
        raise NotFound(f"edge {edge_id} not found")
    return edge


def list_all() -> EdgeList:
    return EdgeList(items=[public(e) for e in edges_store.list_all()], next=None)


def get(edge_id: str) -> EdgeOut:
    return public(require(edge_id))


def update(edge_id: str, body: dict[str, Any]) -> EdgeOut:
    edge = require(edge_id)
    req = parse(EdgeUpdate, body, "invalid edge")
    if "tenants" not in req.model_fields_set:
        return public(edge)
    tenant_ids = _check_tenants(req.tenants)
    edges_store.patch(edge_id, {"tenants": tenant_ids, "updated_at": store.ts(clock.now())}, rev=int(edge.rev or 0))
    logger.info("edge tenants changed", extra={"edge_id": edge_id})
    return public(require(edge_id))


def rotate_credential(edge_id: str) -> EdgeCredentialOut:
    """Provider: a new credential for the edge; the old one and every access token of the
    edge stop working at once (a stolen edge, a leaked credential)."""
    edge = require(edge_id)
    credential, digest = _new_credential(edge_id)
    now = store.ts(clock.now())
    changes = {
        "token_gen": int(edge.token_gen or 1) + 1,
        "secret_hash": digest,
        "next_secret_hash": None,
        "credential_at": now,
        "updated_at": now,
    }
    edges_store.patch(edge_id, changes, rev=int(edge.rev or 0))
    logger.info("edge credential rotated by the provider", extra={"edge_id": edge_id})
    access = _access(require(edge_id))
    return EdgeCredentialOut(credential=credential, token=access.token, token_expires_at=access.expires_at)


def exchange(header: str | None) -> EdgeTokenOut:
    """An access token (1 hour) for the edge's credential. The first use of a credential
    the edge asked for ends the old one (and the access tokens made with it)."""
    credential = auth.bearer_token(header)
    edge_id, dot, _ = credential.removeprefix(CREDENTIAL_PREFIX).partition(".")
    edge = None
    if credential.startswith(CREDENTIAL_PREFIX) and dot and _EDGE_ID_RE.match(edge_id) and len(credential) <= 200:
        edge = edges_store.get(edge_id)
    digest = hashlib.sha256(credential.encode()).hexdigest()
    if edge is None:
        raise Unauthorized("invalid edge credential")
    if edge.next_secret_hash and hmac.compare_digest(digest, edge.next_secret_hash):
        now = store.ts(clock.now())
        gen = int(edge.token_gen or 1) + 1
        changes = {"secret_hash": digest, "next_secret_hash": None, "token_gen": gen, "credential_at": now}
        edges_store.patch(edge_id, changes, rev=int(edge.rev or 0))
        logger.info("edge credential rotated by the edge", extra={"edge_id": edge_id})
        return _access(require(edge_id))
    if not edge.secret_hash or not hmac.compare_digest(digest, edge.secret_hash):
        raise Unauthorized("invalid edge credential")
    return _access(edge)


def request_credential(edge_id: str) -> EdgeCredentialOut:
    """The edge asks for a new credential (periodic rotation): pending until first used."""
    edge = require(edge_id)
    credential, digest = _new_credential(edge_id)
    edges_store.patch(edge_id, {"next_secret_hash": digest}, rev=int(edge.rev or 0))
    access = _access(edge)
    return EdgeCredentialOut(credential=credential, token=access.token, token_expires_at=access.expires_at)


def set_seal_key(edge_id: str, req: SealKeyIn) -> EdgeOut:
    """The edge's X25519 public key; its next snapshot carries trunk passwords sealed to it."""
    sealing.parse_public_key(req.public_key)
    edge = require(edge_id)
    if edge.seal_key != req.public_key:
        edges_store.patch(edge_id, {"seal_key": req.public_key, "updated_at": store.ts(clock.now())}, rev=None)
        logger.info("edge seal key registered", extra={"edge_id": edge_id})
    return public(require(edge_id))


def require_served(edge_id: str, tenant_id: str) -> None:
    """403 unless the edge serves the tenant (a CDR, an event for a tenant it does not route)."""
    if not serves(edge_id, tenant_id):
        raise Forbidden("this edge does not serve the tenant", fields={"tenant_id": "not served by this edge"})


def delete(edge_id: str) -> None:
    require(edge_id)
    edges_store.delete(edge_id)
    logger.info("edge deleted", extra={"edge_id": edge_id})


# --- snapshot versions and the snapshot ----------------------------------------------------
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


def fingerprint(versions: dict[str, int], global_version: int, seal_key: str = "") -> str:
    """What an edge's snapshot data depends on: its tenants and their versions, and the
    key its trunk passwords are sealed to."""
    doc: dict[str, Any] = {"g": global_version, "t": sorted(versions.items())}
    if seal_key:
        doc["k"] = seal_key
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
        fp = fingerprint(store.tenant_versions(served), store.global_version(), edge.seal_key or "")
        known = int(edge.snap_version) if edge.snap_version is not None else None
        if known is not None and edge.snap_fp == fp:
            return known
        now_ms = int(clock.now().timestamp() * 1000)
        version = max((known or 0) + 1, now_ms)
        if edges_store.set_snapshot(edge_id, fingerprint=fp, version=version, expected=known):
            logger.info("edge snapshot version", extra={"edge_id": edge_id, "version": version})
            return version
        # another poll of this edge recorded a version meanwhile: read everything again
    raise Conflict(f"edge {edge_id} snapshot version changed too often; retry")


def build_snapshot(edge_id: str, version: int) -> snapshot.Snapshot:
    """The tenants this edge serves, with everything routing needs.

    ``version`` must have been read before this call: data read afterwards is at least as
    new as the version, so an edge never keeps stale data under a newer version.
    """
    edge = require(edge_id)
    tenant_ids = [str(t) for t in edge.tenants] if edge.tenants is not None else store.list_tenant_ids()
    seal_key = edge.seal_key or None
    configs = [c for c in (tenant_snapshot.tenant_config(t, seal_key=seal_key) for t in tenant_ids) if c is not None]
    return snapshot.build(version, configs, edge_id)
