"""Numbers / DIDs (F2): fixed-line, mobile, 1800 and 1900 numbers a tenant owns, each on a
trunk and routed to an extension. A number belongs to one tenant across the whole service
(a claim item), so inbound calls have exactly one owner."""

from __future__ import annotations

from typing import Any

from chalicelib import clock, common, schemas, store, tenants, vnphone
from chalicelib.log import logger
from pbx_core.errors import Conflict, NotFound, PbxError


def public(n: store.NumberItem) -> dict[str, Any]:
    return {
        "number": n.number,
        "kind": n.number_kind,
        "trunk_id": n.trunk_id,
        "route_to": n.route_to or "",
        "label": n.label or "",
        "created_at": n.created_at,
        "updated_at": n.updated_at,
    }


def _national(number: str) -> str:
    try:
        return vnphone.did(number)[0] if len(number) <= 24 else ""
    except ValueError:
        return ""


def require(tenant_id: str, number: str) -> store.NumberItem:
    national = _national(number)
    item = store.get_child(tenant_id, store.NumberItem, store.number_sk(national)) if national else None
    if item is None:
        raise NotFound(f"number {number} not found")
    assert isinstance(item, store.NumberItem)
    return item


def _ext_sk(number: str | None) -> str | None:
    return store.ext_sk(number) if number else None


def create(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    req = schemas.parse(schemas.NumberCreate, body, "invalid number")
    tenants.require_tenant(tenant_id)
    number, kind = vnphone.did(req.number)
    now = store.ts(clock.now())
    item = store.NumberItem(
        store.tenant_pk(tenant_id),
        store.number_sk(number),
        tenant_id=tenant_id,
        number=number,
        number_kind=kind,
        trunk_id=req.trunk_id,
        route_to=req.route_to,
        label=req.label,
        refs=0,
        rev=0,
        created_at=now,
        updated_at=now,
    )

    def taken() -> PbxError:
        return Conflict(f"number {number} is already assigned", fields={"number": "already assigned"})

    store.commit(
        [
            store.put_new(item, taken),
            store.put_new(store.ClaimItem(f"DID#{number}", "DID", tenant_id=tenant_id, owner=number), taken),
            store.ref(tenant_id, store.trunk_sk(req.trunk_id), 1, "trunk_id"),
            *store.ref_changes(tenant_id, "route_to", None, _ext_sk(req.route_to)),
        ],
        bump=tenant_id,
    )
    logger.info("number added", extra={"number": number, "kind": kind})
    return public(item)


def list_all(tenant_id: str) -> dict[str, Any]:
    items = sorted(store.list_children(tenant_id, store.NumberItem, "NUM#"), key=lambda n: n.number)
    return common.page([public(n) for n in items])


def get(tenant_id: str, number: str) -> dict[str, Any]:
    return public(require(tenant_id, number))


def update(tenant_id: str, number: str, body: dict[str, Any]) -> dict[str, Any]:
    item = require(tenant_id, number)
    req = schemas.parse(schemas.NumberUpdate, body, "invalid number")
    sent = schemas.given(req)
    changes: dict[str, Any] = {f: getattr(req, f) for f in sent}
    if not changes:
        return public(item)
    ops: list[store.Op] = []
    if "trunk_id" in sent:
        ops += store.ref_changes(
            tenant_id, "trunk_id", store.trunk_sk(item.trunk_id), store.trunk_sk(req.trunk_id or "")
        )
    if "route_to" in sent:
        ops += store.ref_changes(tenant_id, "route_to", _ext_sk(item.route_to), _ext_sk(req.route_to))
    changes["updated_at"] = store.ts(clock.now())
    store.commit(
        [
            store.patch(
                store.NumberItem,
                store.tenant_pk(tenant_id),
                store.number_sk(item.number),
                changes,
                rev=int(item.rev or 0),
                error=lambda: Conflict("number changed meanwhile, retry"),
            ),
            *ops,
        ],
        bump=tenant_id,
    )
    return public(require(tenant_id, item.number))


def delete(tenant_id: str, number: str) -> None:
    item = require(tenant_id, number)
    national = item.number

    def refused() -> PbxError:
        fresh = store.get_child(tenant_id, store.NumberItem, store.number_sk(national))
        if fresh is None:
            return NotFound(f"number {national} not found")
        return Conflict(
            f"number {national} is the caller id of {int(fresh.refs)} extension(s) or the tenant",
            fields={"number": "in use"},
        )

    store.commit(
        [
            store.remove(
                store.NumberItem,
                store.tenant_pk(tenant_id),
                store.number_sk(national),
                error=refused,
                unreferenced=True,
            ),
            store.release(store.ClaimItem, f"DID#{national}", "DID"),
            *store.ref_changes(tenant_id, "trunk_id", store.trunk_sk(item.trunk_id), None),
            *store.ref_changes(tenant_id, "route_to", _ext_sk(item.route_to), None),
        ],
        bump=tenant_id,
    )
    logger.info("number removed", extra={"number": national})
