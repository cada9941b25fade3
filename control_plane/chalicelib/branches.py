"""Branches (F6): offices of one tenant; extensions belong to one, and other branches reach
them by the branch's short-dial prefix. A prefix must keep every short number reachable
(``dialplan``): not 1800/1900, and prefix + extension of the branch never an emergency
number, another extension or a public number (409)."""

from __future__ import annotations

from typing import Any

from chalicelib import clock, common, dialplan, extensions, schemas, store, tenants
from chalicelib.log import logger
from pbx_core.errors import Conflict, NotFound, PbxError


def public(b: store.BranchItem) -> dict[str, Any]:
    return {
        "id": b.branch_id,
        "name": b.name,
        "prefix": b.prefix,
        "extension_count": int(b.refs or 0),
        "created_at": b.created_at,
        "updated_at": b.updated_at,
    }


def _all(tenant_id: str) -> list[store.BranchItem]:
    items: list[store.BranchItem] = store.list_children(tenant_id, store.BranchItem, "BR#")
    return items


def _check_prefix(tenant_id: str, prefix: str, *, except_id: str | None = None) -> None:
    """Prefixes must be distinct and none a prefix of another (dialling would be ambiguous),
    and the branch's short numbers must stay reachable."""
    if except_id is not None:
        clash = dialplan.prefix_clash(extensions.number_plan(tenant_id), except_id, prefix)
        if clash is not None:
            raise Conflict(clash.message, fields={clash.field: clash.message})
    for other in _all(tenant_id):
        if other.branch_id == except_id:
            continue
        if other.prefix.startswith(prefix) or prefix.startswith(other.prefix):
            raise Conflict(
                f"prefix {prefix} clashes with branch {other.name!r} (prefix {other.prefix})",
                fields={"prefix": "clashes with another branch"},
            )


def require(tenant_id: str, branch_id: str) -> store.BranchItem:
    common.check_id(branch_id, "br", "branch")
    item = store.get_child(tenant_id, store.BranchItem, store.branch_sk(branch_id))
    if item is None:
        raise NotFound("branch not found")
    assert isinstance(item, store.BranchItem)
    return item


def create(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    req = schemas.parse(schemas.BranchCreate, body, "invalid branch")
    tenants.require_tenant(tenant_id)
    _check_prefix(tenant_id, req.prefix)
    now = store.ts(clock.now())
    branch_id = common.new_id("br")
    item = store.BranchItem(
        store.tenant_pk(tenant_id),
        store.branch_sk(branch_id),
        tenant_id=tenant_id,
        branch_id=branch_id,
        name=req.name,
        prefix=req.prefix,
        refs=0,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    store.commit([store.put_new(item, lambda: Conflict("branch id collision, retry"))], bump=tenant_id)
    logger.info("branch created", extra={"branch_id": branch_id})
    return public(item)


def list_all(tenant_id: str) -> dict[str, Any]:
    return common.page([public(b) for b in sorted(_all(tenant_id), key=lambda b: b.prefix)])


def get(tenant_id: str, branch_id: str) -> dict[str, Any]:
    return public(require(tenant_id, branch_id))


def update(tenant_id: str, branch_id: str, body: dict[str, Any]) -> dict[str, Any]:
    item = require(tenant_id, branch_id)
    req = schemas.parse(schemas.BranchUpdate, body, "invalid branch")
    changes = {f: getattr(req, f) for f in schemas.given(req)}
    if not changes:
        return public(item)
    if "prefix" in changes:
        _check_prefix(tenant_id, changes["prefix"], except_id=branch_id)
    changes["updated_at"] = store.ts(clock.now())
    store.commit(
        [
            store.patch(
                store.BranchItem,
                store.tenant_pk(tenant_id),
                store.branch_sk(branch_id),
                changes,
                rev=int(item.rev or 0),
                error=lambda: Conflict("branch changed meanwhile, retry"),
            )
        ],
        bump=tenant_id,
    )
    return public(require(tenant_id, branch_id))


def delete(tenant_id: str, branch_id: str) -> None:
    require(tenant_id, branch_id)

    def refused() -> PbxError:
        fresh = store.get_child(tenant_id, store.BranchItem, store.branch_sk(branch_id))
        if fresh is None:
            return NotFound("branch not found")
        return Conflict(f"branch has {int(fresh.refs)} extension(s); move them first", fields={"id": "in use"})

    store.commit(
        [
            store.remove(
                store.BranchItem,
                store.tenant_pk(tenant_id),
                store.branch_sk(branch_id),
                error=refused,
                unreferenced=True,
            )
        ],
        bump=tenant_id,
    )
    logger.info("branch deleted", extra={"branch_id": branch_id})
