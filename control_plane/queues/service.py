"""Call-center queues (issue 16) of one tenant: CRUD with the dial-plan and reference
checks; the edge reads them from the snapshot (``pbx_core.snapshot.QueueConfig``).

- Queues are a call-center feature: the tenant's plan must list ``queues`` in its features
  (the seeded CC-5/10/20 plans do, the PBX plans do not); otherwise creating or changing a
  queue is 403 ``feature_not_in_plan``. Reading and deleting stay allowed, so a tenant moved
  to a PBX plan can still see and remove its queues.
- A queue's number is a short number of the tenant's dial plan: not an extension, not a
  branch prefix, not a branch short number (prefix + extension), not another queue's
  number (409). The extensions service refuses an extension with a queue's number.
- Members are existing extensions of the tenant (each counted as a reference, so a member
  extension cannot be deleted: 409), at most ``MAX_MEMBERS``, each once (400).
- ``overflow``: "" | "message" | "callback" | "queue:<another queue of the tenant>" |
  "extension:<an extension of the tenant>" (referenced, 400 when missing).
- A queue that numbers route to, or another queue overflows to, cannot be deleted (409);
  its number cannot change while a number (DID) routes to it (409).
"""

from __future__ import annotations

from typing import Any

from control_plane.branches import store as branches_store
from control_plane.core import clock, ids, store
from control_plane.core.log import logger
from control_plane.core.schemas import given, parse
from control_plane.dids import store as numbers_store
from control_plane.extensions import store as ext_store
from control_plane.plans import service as plans
from control_plane.queues import store as queues_store
from control_plane.queues.schemas import (
    PromptOut,
    QueueCreate,
    QueueList,
    QueueMemberIn,
    QueueMemberOut,
    QueueOut,
    QueueUpdate,
)
from control_plane.queues.store import BOOLS, INTS, QueueItem
from control_plane.tenants import service as tenants
from pbx_core import snapshot
from pbx_core.errors import Conflict, Forbidden, NotFound, ValidationError

FEATURE = "queues"
DEFAULTS = snapshot.QueueConfig(id="", name="", number="")


class FeatureNotInPlan(Forbidden):
    """The tenant's plan does not include the feature (403); the provider changes plans."""

    code = "feature_not_in_plan"


def public(q: QueueItem) -> QueueOut:
    return QueueOut(
        id=q.queue_id,
        name=q.name,
        number=q.number,
        strategy=q.strategy,  # type: ignore[arg-type]  # written from Strategy only
        members=[QueueMemberOut(extension=e, penalty=p) for e, p in queues_store.members(q)],
        overflow=q.overflow or "",
        language=q.language or "vi",  # type: ignore[arg-type]  # written from Language only
        prompts=prompts_out(q),
        references=int(q.refs or 0),
        created_at=q.created_at,
        updated_at=q.updated_at,
        **queues_store.settings(q),
    )


def prompt_out(name: str, language: str, doc: dict[str, Any]) -> PromptOut:
    return PromptOut(
        name=name,  # type: ignore[arg-type]  # stored from PromptName only
        language=language,  # type: ignore[arg-type]  # stored from Language only
        seconds=float(doc["seconds"]),
        bytes=int(doc["bytes"]),
        sha256=str(doc["sha256"]),
        uploaded_at=str(doc["uploaded_at"]),
    )


def prompts_out(q: QueueItem) -> list[PromptOut]:
    """The tenant's own prompts of the queue (``control_plane.queues.prompts``)."""
    out = []
    for key, doc in sorted(queues_store.prompts(q).items()):
        language, _, name = key.partition("/")
        out.append(prompt_out(name, language, doc))
    return out


def require_feature(tenant_id: str) -> None:
    """403 ``feature_not_in_plan`` unless the tenant's plan includes queues."""
    tenant = tenants.require(tenant_id)
    plan = plans.find(tenant.plan)
    if plan is None or FEATURE not in [str(f) for f in plan.features or []]:
        raise FeatureNotInPlan(
            f"queues are a call-center feature; plan {tenant.plan} does not include them (a CC plan does)",
            fields={"plan": "no queues"},
        )


def require(tenant_id: str, queue_id: str) -> QueueItem:
    ids.check_id(queue_id, "que", "queue")
    item = queues_store.get(tenant_id, queue_id)
    if item is None:
        raise NotFound("queue not found")
    return item


def number_clash(tenant_id: str, number: str, *, except_id: str | None = None) -> str | None:
    """Why ``number`` cannot be this queue's number in the tenant's dial plan, or None."""
    if ext_store.get(tenant_id, number) is not None:
        return f"{number} is an extension"
    exts = {e.number: e.branch_id or "" for e in ext_store.list_all(tenant_id)}
    for b in branches_store.list_all(tenant_id):
        if number == b.prefix:
            return f"{number} is the prefix of branch {b.name!r}"
        if number.startswith(b.prefix) and exts.get(number[len(b.prefix) :]) == b.branch_id:
            return f"{number} is the short number of extension {number[len(b.prefix) :]} of branch {b.name!r}"
    for q in queues_store.list_all(tenant_id):
        if q.number == number and q.queue_id != except_id:
            return f"{number} is the number of queue {q.name!r}"
    return None


def _check_number(tenant_id: str, number: str, *, except_id: str | None = None) -> None:
    clash = number_clash(tenant_id, number, except_id=except_id)
    if clash is not None:
        raise Conflict(clash, fields={"number": clash})


def _members(given_members: list[QueueMemberIn]) -> list[tuple[str, int]]:
    seen: set[str] = set()
    for i, m in enumerate(given_members):
        if m.extension in seen:
            raise ValidationError(
                f"extension {m.extension} is a member twice", fields={f"members.{i}.extension": "duplicate member"}
            )
        seen.add(m.extension)
    return [(m.extension, m.penalty) for m in given_members]


def _target(overflow: str) -> tuple[str, str]:
    """(kind, target) of an overflow: ("queue", id), ("extension", number) or ("", "")."""
    kind, _, target = overflow.partition(":")
    return (kind, target) if target else ("", "")


def _ref_ops(
    tenant_id: str,
    queue_id: str,
    members: tuple[list[tuple[str, int]], list[tuple[str, int]]],
    overflow: tuple[str, str],
) -> list[store.Op]:
    """Reference bookkeeping of a change of members and overflow, (old, new) each: one op per
    extension or queue whose count changes (a transaction may not touch an item twice, and
    a member may also be the overflow target)."""
    (old_kind, old_target), (new_kind, new_target) = _target(overflow[0]), _target(overflow[1])
    if new_kind == "queue" and new_target == queue_id:
        raise ValidationError("a queue cannot overflow to itself", fields={"overflow": "the queue itself"})
    deltas: dict[tuple[str, str], int] = {}
    fields: dict[tuple[str, str], str] = {}

    def count(kind: str, target: str, delta: int, field: str) -> None:
        deltas[(kind, target)] = deltas.get((kind, target), 0) + delta
        fields.setdefault((kind, target), field)

    before, after = {e for e, _ in members[0]}, {e for e, _ in members[1]}
    for e in after - before:
        count("extension", e, 1, "members")
    for e in before - after:
        count("extension", e, -1, "members")
    if (old_kind, old_target) != (new_kind, new_target):
        if new_kind:
            count(new_kind, new_target, 1, "overflow")
        if old_kind:
            count(old_kind, old_target, -1, "overflow")
    ops: list[store.Op] = []
    for (kind, target), delta in sorted(deltas.items()):
        if delta and kind == "extension":
            ops.append(ext_store.ref(tenant_id, target, delta, fields[(kind, target)]))
        elif delta:
            ops.append(queues_store.ref(tenant_id, target, delta, fields[(kind, target)]))
    return ops


def create(tenant_id: str, req: QueueCreate) -> QueueOut:
    require_feature(tenant_id)
    _check_number(tenant_id, req.number)
    members = _members(req.members)
    queue_id = ids.new_id("que")
    now = store.ts(clock.now())
    settings: dict[str, Any] = {
        k: getattr(req, k) if getattr(req, k) is not None else getattr(DEFAULTS, k)
        for k in (*INTS, *BOOLS, "strategy", "overflow", "language")
    }
    item = queues_store.item(
        tenant_id,
        queue_id,
        name=req.name,
        number=req.number,
        members=queues_store.dump_members(members),
        refs=0,
        rev=0,
        created_at=now,
        updated_at=now,
        **settings,
    )
    store.commit(
        [
            store.put_new(item, lambda: Conflict("queue id collision, retry")),
            *_ref_ops(tenant_id, queue_id, ([], members), ("", settings["overflow"])),
        ],
        bump=tenant_id,
    )
    logger.info("queue created", extra={"queue_id": queue_id, "members": len(members)})
    return public(item)


def list_all(tenant_id: str) -> QueueList:
    items = sorted(queues_store.list_all(tenant_id), key=lambda q: q.number)
    return QueueList(items=[public(q) for q in items], next=None)


def get(tenant_id: str, queue_id: str) -> QueueOut:
    return public(require(tenant_id, queue_id))


def update(tenant_id: str, queue_id: str, body: dict[str, Any]) -> QueueOut:
    """A change of the queue: 404 for an unknown queue before any field error."""
    item = require(tenant_id, queue_id)
    req = parse(QueueUpdate, body, "invalid queue")
    sent = given(req)
    if not sent:
        return public(item)
    require_feature(tenant_id)
    changes: dict[str, Any] = {f: getattr(req, f) for f in sent if f != "members"}
    ops: list[store.Op] = []
    if "number" in sent and req.number != item.number:
        assert req.number is not None
        _check_number(tenant_id, req.number, except_id=queue_id)
        routed = [n.number for n in numbers_store.list_all(tenant_id) if n.route_to == item.number]
        if routed:
            raise Conflict(
                f"number(s) {', '.join(routed)} route to queue number {item.number}; route them elsewhere first",
                fields={"number": "in use"},
            )
    old_members = queues_store.members(item)
    members = old_members
    if "members" in sent:
        assert req.members is not None
        members = _members(req.members)
        changes["members"] = queues_store.dump_members(members)
    overflow = (item.overflow or "", req.overflow if req.overflow is not None else item.overflow or "")
    ops += _ref_ops(tenant_id, queue_id, (old_members, members), overflow)
    store.save_changes(item, changes, what="queue", bump=tenant_id, now=clock.now(), ops=ops)
    logger.info("queue updated", extra={"queue_id": queue_id, "fields": sorted(sent)})
    return public(require(tenant_id, queue_id))


def delete(tenant_id: str, queue_id: str) -> QueueItem:
    """Delete the queue; the item as it was (its prompt files go next, by the caller)."""
    item = require(tenant_id, queue_id)

    def in_use(fresh: QueueItem) -> Conflict:
        return Conflict(
            f"queue {fresh.name!r} is still the route of {int(fresh.refs)} number(s) or queue overflow(s)",
            fields={"queue_id": "in use"},
        )

    store.delete_unreferenced(
        item,
        what="queue",
        in_use=in_use,
        bump=tenant_id,
        ops=_ref_ops(tenant_id, queue_id, (queues_store.members(item), []), (item.overflow or "", "")),
    )
    logger.info("queue deleted", extra={"queue_id": queue_id})
    return item
