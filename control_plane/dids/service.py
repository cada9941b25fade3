"""Numbers / DIDs (F2): fixed-line, mobile, 1800 and 1900 numbers a tenant owns, each on a
trunk and routed to an extension; one owner across the service (a claim item)."""

from __future__ import annotations

from typing import Any

from control_plane.core import clock, store
from control_plane.core.log import logger
from control_plane.core.schemas import given, parse
from control_plane.dids import store as numbers_store
from control_plane.dids.schemas import NumberCreate, NumberList, NumberOut, NumberUpdate
from control_plane.dids.store import NumberItem
from control_plane.extensions import store as ext_store
from control_plane.tenants import service as tenants
from control_plane.trunks import store as trunks_store
from pbx_core import numbers
from pbx_core.errors import Conflict, NotFound


def public(n: NumberItem) -> NumberOut:
    return NumberOut(
        number=n.number,
        kind=n.number_kind,  # type: ignore[arg-type]  # a DID kind (pbx_core.numbers.DID_KINDS)
        trunk_id=n.trunk_id,
        route_to=n.route_to or "",
        label=n.label or "",
        created_at=n.created_at,
        updated_at=n.updated_at,
    )


def _national(number: str) -> str:
    try:
        return numbers.did(number).national if len(number) <= 24 else ""
    except ValueError:
        return ""


def require(tenant_id: str, number: str) -> NumberItem:
    national = _national(number)
    item = numbers_store.get(tenant_id, national) if national else None
    if item is None:
        raise NotFound(f"number {number} not found")
    return item


def create(tenant_id: str, req: NumberCreate) -> NumberOut:
    tenants.require(tenant_id)
    did = numbers.did(req.number)
    now = store.ts(clock.now())
    item = numbers_store.item(
        tenant_id,
        did.national,
        number_kind=did.kind,
        trunk_id=req.trunk_id,
        route_to=req.route_to,
        label=req.label,
        refs=0,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    numbers_store.add(
        item,
        [
            *trunks_store.ref_changes(tenant_id, "trunk_id", None, req.trunk_id),
            *ext_store.ref_changes(tenant_id, "route_to", None, req.route_to),
        ],
    )
    logger.info("number added", extra={"number": did.national, "kind": did.kind})
    return public(item)


def list_all(tenant_id: str) -> NumberList:
    items = sorted(numbers_store.list_all(tenant_id), key=lambda n: n.number)
    return NumberList(items=[public(n) for n in items], next=None)


def get(tenant_id: str, number: str) -> NumberOut:
    return public(require(tenant_id, number))


def update(tenant_id: str, number: str, body: dict[str, Any]) -> NumberOut:
    """A change of the number: 404 for an unknown number before any field error."""
    item = require(tenant_id, number)
    req = parse(NumberUpdate, body, "invalid number")
    sent = given(req)
    changes: dict[str, Any] = {f: getattr(req, f) for f in sent}
    if not changes:
        return public(item)
    ops: list[store.Op] = []
    if "trunk_id" in sent:
        ops += trunks_store.ref_changes(tenant_id, "trunk_id", item.trunk_id, req.trunk_id)
    if "route_to" in sent:
        ops += ext_store.ref_changes(tenant_id, "route_to", item.route_to, req.route_to)
    store.save_changes(item, changes, what="number", bump=tenant_id, now=clock.now(), ops=ops)
    return public(require(tenant_id, item.number))


def delete(tenant_id: str, number: str) -> None:
    item = require(tenant_id, number)
    national = item.number

    def in_use(fresh: NumberItem) -> Conflict:
        return Conflict(
            f"number {national} is the caller id of {int(fresh.refs)} extension(s) or the tenant",
            fields={"number": "in use"},
        )

    store.delete_unreferenced(
        item,
        what=f"number {national}",
        in_use=in_use,
        bump=tenant_id,
        ops=[
            numbers_store.release_claim(national),
            *trunks_store.ref_changes(tenant_id, "trunk_id", item.trunk_id, None),
            *ext_store.ref_changes(tenant_id, "route_to", item.route_to, None),
        ],
    )
    logger.info("number removed", extra={"number": national})
