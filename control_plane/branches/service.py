"""Branches (F6): offices of one tenant; extensions belong to one, and other branches reach
them by the branch's short-dial prefix. A prefix must keep every short number reachable
(``pbx_core.dialplan``): not 1800/1900, and prefix + extension of the branch never an
emergency number, another extension or a public number (409)."""

from __future__ import annotations

from typing import Any

from control_plane.branches import store as branches_store
from control_plane.branches.schemas import BranchCreate, BranchList, BranchOut, BranchUpdate
from control_plane.branches.store import BranchItem
from control_plane.core import clock, ids, store
from control_plane.core.log import logger
from control_plane.core.schemas import given, parse
from control_plane.extensions import store as extensions_store
from control_plane.queues import store as queues_store
from control_plane.tenants import service as tenants
from pbx_core import dialplan
from pbx_core.errors import Conflict, NotFound


def public(b: BranchItem) -> BranchOut:
    return BranchOut(
        id=b.branch_id,
        name=b.name,
        prefix=b.prefix,
        extension_count=int(b.refs or 0),
        created_at=b.created_at,
        updated_at=b.updated_at,
    )


def _check_prefix(tenant_id: str, prefix: str, *, except_id: str | None = None) -> None:
    """Prefixes must be distinct and none a prefix of another (dialling would be ambiguous),
    and the branch's short numbers must stay reachable."""
    if except_id is not None:
        clash = dialplan.prefix_clash(extensions_store.number_plan(tenant_id), except_id, prefix)
        if clash is not None:
            raise Conflict(clash.message, fields={clash.field: clash.message})
    members = {e.number for e in extensions_store.list_all(tenant_id) if except_id and e.branch_id == except_id}
    for q in queues_store.list_all(tenant_id):  # a queue's number stays reachable (issue 16)
        if q.number == prefix or (q.number.startswith(prefix) and q.number[len(prefix) :] in members):
            what = "prefix" if q.number == prefix else f"prefix {prefix} + extension {q.number[len(prefix) :]}"
            raise Conflict(
                f"{what} would be {q.number}, the number of queue {q.name!r}", fields={"prefix": "a queue's number"}
            )
    for other in branches_store.list_all(tenant_id):
        if other.branch_id == except_id:
            continue
        if other.prefix.startswith(prefix) or prefix.startswith(other.prefix):
            raise Conflict(
                f"prefix {prefix} clashes with branch {other.name!r} (prefix {other.prefix})",
                fields={"prefix": "clashes with another branch"},
            )


def require(tenant_id: str, branch_id: str) -> BranchItem:
    ids.check_id(branch_id, "br", "branch")
    item = branches_store.get(tenant_id, branch_id)
    if item is None:
        raise NotFound("branch not found")
    return item


def create(tenant_id: str, req: BranchCreate) -> BranchOut:
    tenants.require(tenant_id)
    _check_prefix(tenant_id, req.prefix)
    now = store.ts(clock.now())
    branch_id = ids.new_id("br")
    item = branches_store.item(
        tenant_id, branch_id, name=req.name, prefix=req.prefix, refs=0, rev=0, created_at=now, updated_at=now
    )
    store.commit([store.put_new(item, lambda: Conflict("branch id collision, retry"))], bump=tenant_id)
    logger.info("branch created", extra={"branch_id": branch_id})
    return public(item)


def list_all(tenant_id: str) -> BranchList:
    items = sorted(branches_store.list_all(tenant_id), key=lambda b: b.prefix)
    return BranchList(items=[public(b) for b in items], next=None)


def get(tenant_id: str, branch_id: str) -> BranchOut:
    return public(require(tenant_id, branch_id))


def update(tenant_id: str, branch_id: str, body: dict[str, Any]) -> BranchOut:
    """A change of the branch: 404 for an unknown branch before any field error."""
    item = require(tenant_id, branch_id)
    req = parse(BranchUpdate, body, "invalid branch")
    changes = {f: getattr(req, f) for f in given(req)}
    if not changes:
        return public(item)
    if "prefix" in changes:
        _check_prefix(tenant_id, changes["prefix"], except_id=branch_id)
    store.save_changes(item, changes, what="branch", bump=tenant_id, now=clock.now())
    return public(require(tenant_id, branch_id))


def delete(tenant_id: str, branch_id: str) -> None:
    item = require(tenant_id, branch_id)

    def in_use(fresh: BranchItem) -> Conflict:
        return Conflict(f"branch has {int(fresh.refs)} extension(s); move them first", fields={"id": "in use"})

    store.delete_unreferenced(item, what="branch", in_use=in_use, bump=tenant_id)
    logger.info("branch deleted", extra={"branch_id": branch_id})
