"""Carrier SIP trunks (F2): registration or IP-authenticated. The carrier password is
stored encrypted, never returned (``has_password`` only), and decrypted only into the
edge snapshot."""

from __future__ import annotations

from typing import Any

from chalicelib import clock, common, crypto, schemas, store, tenants
from chalicelib.log import logger
from pbx_core.errors import Conflict, NotFound, PbxError, ValidationError


def secret_context(trunk_id: str) -> str:
    return f"trunk/{trunk_id}"


def public(t: store.TrunkItem) -> dict[str, Any]:
    return {
        "id": t.trunk_id,
        "name": t.name,
        "host": t.host,
        "port": int(t.port),
        "transport": t.transport,
        "auth": t.auth,
        "username": t.username or "",
        "has_password": bool(t.secret),
        "ips": list(t.ips or []),
        "channels": int(t.channels),
        "codecs": list(t.codecs or []),
        "number_count": int(t.refs or 0),
        "created_at": t.created_at,
        "updated_at": t.updated_at,
    }


def password(tenant_id: str, t: store.TrunkItem) -> str:
    """The clear carrier password, for the edge snapshot only."""
    return crypto.decrypt(tenant_id, secret_context(t.trunk_id), t.secret) if t.secret else ""


def _check(auth: str, username: str, has_password: bool, ips: list[str]) -> None:
    errors: dict[str, str] = {}
    if auth == "register":
        if not username:
            errors["username"] = "required for auth=register"
        if not has_password:
            errors["password"] = "required for auth=register"  # noqa: S105 - a message
    elif not ips:
        errors["ips"] = "at least one carrier address for auth=ip"
    if errors:
        raise ValidationError("invalid trunk", fields=errors)


def require(tenant_id: str, trunk_id: str) -> store.TrunkItem:
    common.check_id(trunk_id, "trk", "trunk")
    item = store.get_child(tenant_id, store.TrunkItem, store.trunk_sk(trunk_id))
    if item is None:
        raise NotFound("trunk not found")
    assert isinstance(item, store.TrunkItem)
    return item


def create(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    req = schemas.parse(schemas.TrunkCreate, body, "invalid trunk")
    _check(req.auth, req.username, bool(req.password), req.ips)
    tenants.require_tenant(tenant_id)
    trunk_id = common.new_id("trk")
    now = store.ts(clock.now())
    item = store.TrunkItem(
        store.tenant_pk(tenant_id),
        store.trunk_sk(trunk_id),
        tenant_id=tenant_id,
        trunk_id=trunk_id,
        name=req.name,
        host=req.host.lower(),
        port=req.port,
        transport=req.transport,
        auth=req.auth,
        username=req.username,
        secret=crypto.encrypt(tenant_id, secret_context(trunk_id), req.password) if req.password else None,
        ips=list(dict.fromkeys(req.ips)),
        channels=req.channels,
        codecs=list(dict.fromkeys(req.codecs)),
        refs=0,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    store.commit([store.put_new(item, lambda: Conflict("trunk id collision, retry"))], bump=tenant_id)
    logger.info("trunk created", extra={"trunk_id": trunk_id})
    return public(item)


def list_all(tenant_id: str) -> dict[str, Any]:
    items = sorted(store.list_children(tenant_id, store.TrunkItem, "TRUNK#"), key=lambda t: t.name)
    return common.page([public(t) for t in items])


def get(tenant_id: str, trunk_id: str) -> dict[str, Any]:
    return public(require(tenant_id, trunk_id))


def update(tenant_id: str, trunk_id: str, body: dict[str, Any]) -> dict[str, Any]:
    item = require(tenant_id, trunk_id)
    req = schemas.parse(schemas.TrunkUpdate, body, "invalid trunk")
    sent = schemas.given(req)
    changes: dict[str, Any] = {}
    for f in sent - {"password"}:
        value = getattr(req, f)
        changes[f] = list(dict.fromkeys(value)) if f in ("ips", "codecs") else value
    if "host" in changes:
        changes["host"] = changes["host"].lower()
    if "password" in sent:
        assert req.password is not None
        changes["secret"] = crypto.encrypt(tenant_id, secret_context(trunk_id), req.password)
    if not changes:
        return public(item)
    _check(
        changes.get("auth", item.auth),
        changes.get("username", item.username or ""),
        bool(changes.get("secret", item.secret)),
        changes.get("ips", list(item.ips or [])),
    )
    changes["updated_at"] = store.ts(clock.now())
    store.commit(
        [
            store.patch(
                store.TrunkItem,
                store.tenant_pk(tenant_id),
                store.trunk_sk(trunk_id),
                changes,
                rev=int(item.rev or 0),
                error=lambda: Conflict("trunk changed meanwhile, retry"),
            )
        ],
        bump=tenant_id,
    )
    logger.info("trunk updated", extra={"trunk_id": trunk_id, "fields": sorted(sent)})
    return public(require(tenant_id, trunk_id))


def delete(tenant_id: str, trunk_id: str) -> None:
    require(tenant_id, trunk_id)

    def refused() -> PbxError:
        fresh = store.get_child(tenant_id, store.TrunkItem, store.trunk_sk(trunk_id))
        if fresh is None:
            return NotFound("trunk not found")
        return Conflict(
            f"trunk carries {int(fresh.refs)} number(s); move or delete them first", fields={"id": "in use"}
        )

    store.commit(
        [
            store.remove(
                store.TrunkItem, store.tenant_pk(tenant_id), store.trunk_sk(trunk_id), error=refused, unreferenced=True
            )
        ],
        bump=tenant_id,
    )
    logger.info("trunk deleted", extra={"trunk_id": trunk_id})
