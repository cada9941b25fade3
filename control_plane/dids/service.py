"""Numbers / DIDs (F2): fixed-line, mobile, 1800 and 1900 numbers a tenant owns, each on a
trunk and routed to an extension; one owner across the service (a claim item).

The provider assigns numbers to tenants (it holds the contract with the carrier, and a
number being ported in must not be taken first by whoever types it: issue 13); a tenant
admin configures only numbers assigned to the tenant. Removing a number from the
configuration keeps the assignment; the provider takes it back when nothing routes it."""

from __future__ import annotations

from typing import Any

from control_plane.core import clock, keys, store
from control_plane.core.log import logger
from control_plane.core.schemas import given, parse
from control_plane.dids import store as numbers_store
from control_plane.dids.schemas import (
    AssignedNumberList,
    AssignedNumberOut,
    NumberAssign,
    NumberCreate,
    NumberList,
    NumberOut,
    NumberUpdate,
)
from control_plane.dids.store import NumberItem
from control_plane.extensions import store as ext_store
from control_plane.queues import store as queues_store
from control_plane.tenants import service as tenants
from control_plane.trunks import store as trunks_store
from pbx_core import numbers
from pbx_core.errors import Conflict, Forbidden, NotFound, PbxError


class NumberNotAssigned(Forbidden):
    """A tenant configures a number the provider did not assign to it."""

    code = "number_not_assigned"


def _not_assigned(number: str) -> NumberNotAssigned:
    return NumberNotAssigned(
        f"number {number} is not assigned to this company; the provider assigns numbers",
        fields={"number": "not assigned by the provider"},
    )


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


def _route_ref(tenant_id: str, route_to: str | None, delta: int) -> list[store.Op]:
    """A DID routes to an extension or to a queue's number (issue 16): count the reference on
    whichever it is (a queue's number is never an extension's: both services refuse it)."""
    if not route_to:
        return []
    queue = queues_store.by_number(tenant_id, route_to) if ext_store.get(tenant_id, route_to) is None else None
    if queue is not None:
        return [queues_store.ref(tenant_id, queue.queue_id, delta, "route_to")]
    return [ext_store.ref(tenant_id, route_to, delta, "route_to")]


def route_changes(tenant_id: str, old: str | None, new: str | None) -> list[store.Op]:
    """Reference bookkeeping of a DID's route moving from ``old`` to ``new`` (extension or queue number)."""
    if (old or "") == (new or ""):
        return []
    return [*_route_ref(tenant_id, new, 1), *_route_ref(tenant_id, old, -1)]


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
            *route_changes(tenant_id, None, req.route_to),
        ],
        lambda: _not_assigned(did.national),
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
        ops += route_changes(tenant_id, item.route_to, req.route_to)
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
            # a number configured before assignments existed was claimed by configuring it
            *([] if numbers_store.get_assignment(tenant_id, national) else [numbers_store.release_claim(national)]),
            *trunks_store.ref_changes(tenant_id, "trunk_id", item.trunk_id, None),
            *route_changes(tenant_id, item.route_to, None),
        ],
    )
    logger.info("number removed", extra={"number": national})


# --- the provider's assignments ----------------------------------------------------------------
def assigned(tenant_id: str, *, must_exist: bool = False) -> AssignedNumberList:
    """The numbers the tenant may configure, and whether it has (numbers configured before
    assignments existed count as assigned: ``legacy``). ``must_exist``: 404 for an unknown
    tenant (the provider names it in the path)."""
    if must_exist:
        tenants.require(tenant_id)
    configured = {n.number: n for n in numbers_store.list_all(tenant_id)}
    out = [
        AssignedNumberOut(
            number=a.number,
            kind=a.number_kind,  # type: ignore[arg-type]  # a DID kind
            in_use=a.number in configured,
            assigned_at=a.assigned_at,
            legacy=False,
        )
        for a in numbers_store.list_assignments(tenant_id)
    ]
    have = {a.number for a in out}
    out += [
        AssignedNumberOut(
            number=n.number,
            kind=n.number_kind,  # type: ignore[arg-type]  # a DID kind
            in_use=True,
            assigned_at=n.created_at,
            legacy=True,
        )
        for n in configured.values()
        if n.number not in have
    ]
    return AssignedNumberList(items=sorted(out, key=lambda a: a.number), next=None)


def assign(tenant_id: str, req: NumberAssign, *, by: str) -> AssignedNumberList:
    """Provider: give the tenant these numbers, all or none. Ones it has already are kept;
    a number of another tenant is 409 with the field of each."""
    tenants.require(tenant_id)
    wanted = list(dict.fromkeys(numbers.did(n).national for n in req.numbers))

    def refused() -> PbxError:
        fields = {
            f"numbers.{i}": "assigned to another tenant"
            for i, n in enumerate(wanted)
            if (owner := numbers_store.claim_owner(n)) is not None and owner != tenant_id
        }
        return (
            Conflict(
                "numbers assigned to another tenant: " + ", ".join(wanted[int(f.split(".")[1])] for f in fields),
                fields=fields,
            )
            if fields
            else Conflict("the numbers changed meanwhile, retry")
        )

    now = store.ts(clock.now())
    ops: list[store.Op] = []
    for number in wanted:
        if numbers_store.get_assignment(tenant_id, number) is not None:
            continue
        owner = numbers_store.claim_owner(number)
        if owner is not None and owner != tenant_id:
            raise refused()
        kind = numbers.did(number).kind
        item = numbers_store.assignment(tenant_id, number, number_kind=kind, assigned_at=now, assigned_by=by)
        if owner == tenant_id:  # configured before assignments existed: the claim is there
            ops.append(store.put_new(item, refused))
        else:
            ops += numbers_store.assign(item, refused)
    if ops:
        store.commit(ops, bump=False)  # not in any snapshot until the tenant configures it
        logger.info("numbers assigned", extra={"numbers": wanted, "by": by})
    return assigned(tenant_id)


def unassign(tenant_id: str, number: str) -> None:
    """Provider: take a number back; 409 while the tenant still routes it."""
    tenants.require(tenant_id)
    national = _national(number)
    item = numbers_store.get_assignment(tenant_id, national) if national else None
    if item is None:
        raise NotFound(f"number {number} is not assigned to this tenant")
    if numbers_store.get(tenant_id, national) is not None:
        raise Conflict(
            f"number {national} is still configured by the tenant; it removes it first", fields={"number": "in use"}
        )

    def gone() -> PbxError:
        if numbers_store.get(tenant_id, national) is not None:
            return Conflict(f"number {national} is still configured by the tenant", fields={"number": "in use"})
        return NotFound(f"number {number} is not assigned to this tenant")

    store.commit(
        [
            store.check(
                NumberItem,
                keys.tenant_pk(tenant_id),
                keys.number_sk(national),
                NumberItem.pk.does_not_exist(),
                gone,
            ),
            *numbers_store.unassign(tenant_id, national, gone),
        ],
        bump=False,
    )
    logger.info("number unassigned", extra={"number": national})
