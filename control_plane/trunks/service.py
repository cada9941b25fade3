"""Carrier SIP trunks (F2): registration or IP-authenticated. The carrier password is
stored encrypted, never returned (``has_password`` only), and decrypted only into the
edge snapshot (``password``)."""

from __future__ import annotations

from typing import Any

from control_plane.core import clock, crypto, ids, store
from control_plane.core.log import logger
from control_plane.core.schemas import given, parse
from control_plane.tenants import service as tenants
from control_plane.tenants import store as tenants_store
from control_plane.tenants.store import TenantItem
from control_plane.trunks import store as trunks_store
from control_plane.trunks.schemas import TrunkCreate, TrunkList, TrunkOut, TrunkUpdate
from control_plane.trunks.store import TrunkItem
from pbx_core import netpolicy
from pbx_core.errors import Conflict, NotFound, ValidationError


def public(t: TrunkItem) -> TrunkOut:
    return TrunkOut(
        id=t.trunk_id,
        name=t.name,
        host=t.host,
        port=int(t.port),
        transport=t.transport,  # type: ignore[arg-type]  # written from Transport only
        auth=t.auth,  # type: ignore[arg-type]  # written from TrunkAuth only
        username=t.username or "",
        has_password=bool(t.secret),
        ips=[str(i) for i in t.ips or []],
        channels=int(t.channels),
        codecs=[str(c) for c in t.codecs or []],
        number_count=int(t.refs or 0),
        created_at=t.created_at,
        updated_at=t.updated_at,
    )


def password(tenant_id: str, t: TrunkItem) -> str:
    """The clear carrier password, for the edge snapshot only."""
    return crypto.decrypt(tenant_id, trunks_store.secret_context(t.trunk_id), t.secret) if t.secret else ""


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


def _network(tenant: TenantItem, host: str | None, ips: list[str] | None) -> store.Op | None:
    """Issue 13: a trunk names public addresses only, unless the provider allowed private
    ones for the tenant (pbx_core.netpolicy). ``host``/``ips``: the values being written
    (None: unchanged). With private addresses, the op that re-checks the permission in the
    write's transaction (it may be taken back meanwhile)."""
    refusals = netpolicy.trunk_refusals(host or "sip.example.com", ips or [])
    if host is None:
        refusals.pop("host", None)
    if not refusals:
        return None
    if not tenant.allow_private_trunk_hosts:
        raise ValidationError(
            "the trunk names an address inside the provider's network",
            fields={f: f"{why}: only the provider may allow private trunk hosts" for f, why in refusals.items()},
        )
    return tenants_store.allows_private_trunk_hosts(
        tenant.tenant_id, lambda: ValidationError("the provider no longer allows private trunk hosts", fields=refusals)
    )


def require(tenant_id: str, trunk_id: str) -> TrunkItem:
    ids.check_id(trunk_id, "trk", "trunk")
    item = trunks_store.get(tenant_id, trunk_id)
    if item is None:
        raise NotFound("trunk not found")
    return item


def create(tenant_id: str, req: TrunkCreate) -> TrunkOut:
    _check(req.auth, req.username, bool(req.password), req.ips)
    allowed = _network(tenants.require(tenant_id), req.host, req.ips)
    trunk_id = ids.new_id("trk")
    now = store.ts(clock.now())
    item = trunks_store.item(
        tenant_id,
        trunk_id,
        name=req.name,
        host=req.host.lower(),
        port=req.port,
        transport=req.transport,
        auth=req.auth,
        username=req.username,
        secret=crypto.encrypt(tenant_id, trunks_store.secret_context(trunk_id), req.password) if req.password else None,
        ips=list(dict.fromkeys(req.ips)),
        channels=req.channels,
        codecs=list(dict.fromkeys(req.codecs)),
        refs=0,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    ops = [store.put_new(item, lambda: Conflict("trunk id collision, retry"))]
    store.commit([*ops, allowed] if allowed else ops, bump=tenant_id)
    logger.info("trunk created", extra={"trunk_id": trunk_id})
    return public(item)


def list_all(tenant_id: str) -> TrunkList:
    items = sorted(trunks_store.list_all(tenant_id), key=lambda t: t.name)
    return TrunkList(items=[public(t) for t in items], next=None)


def get(tenant_id: str, trunk_id: str) -> TrunkOut:
    return public(require(tenant_id, trunk_id))


def update(tenant_id: str, trunk_id: str, body: dict[str, Any]) -> TrunkOut:
    """A change of the trunk: 404 for an unknown trunk before any field error."""
    item = require(tenant_id, trunk_id)
    req = parse(TrunkUpdate, body, "invalid trunk")
    sent = given(req)
    changes: dict[str, Any] = {}
    for f in sent - {"password"}:
        value = getattr(req, f)
        changes[f] = list(dict.fromkeys(value)) if f in ("ips", "codecs") else value
    if "host" in changes:
        changes["host"] = changes["host"].lower()
    if "password" in sent:
        assert req.password is not None
        changes["secret"] = crypto.encrypt(tenant_id, trunks_store.secret_context(trunk_id), req.password)
    if not changes:
        return public(item)
    _check(
        changes.get("auth", item.auth),
        changes.get("username", item.username or ""),
        bool(changes.get("secret", item.secret)),
        changes.get("ips", list(item.ips or [])),
    )
    allowed = None
    if "host" in changes or "ips" in changes:
        allowed = _network(tenants.require(tenant_id), changes.get("host"), changes.get("ips"))
    store.save_changes(item, changes, what="trunk", bump=tenant_id, now=clock.now(), ops=[allowed] if allowed else [])
    logger.info("trunk updated", extra={"trunk_id": trunk_id, "fields": sorted(sent)})
    return public(require(tenant_id, trunk_id))


def delete(tenant_id: str, trunk_id: str) -> None:
    item = require(tenant_id, trunk_id)

    def in_use(fresh: TrunkItem) -> Conflict:
        return Conflict(
            f"trunk carries {int(fresh.refs)} number(s); move or delete them first", fields={"id": "in use"}
        )

    store.delete_unreferenced(item, what="trunk", in_use=in_use, bump=tenant_id)
    logger.info("trunk deleted", extra={"trunk_id": trunk_id})
