"""Call-center agents (issue 16): an agent is a tenant user tied to an extension
(``users``' ``extension`` field, set by a tenant admin); the status is per extension
(``AGENT#<extension>``: logged_out / ready / paused with a reason), because the edge
offers queue calls to extensions. The agent sets its own status; supervisors and admins
set anyone's. Each change is stored with the tenant's snapshot version bumped (the edges
pick it up at their next poll) and the queue events it means (login, logout, pause,
unpause) written to the queue event log, all in one transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from control_plane.agents import store as agents_store
from control_plane.agents.schemas import AgentList, AgentOut, AgentStatusIn, PauseReasonsIn, PauseReasonsOut
from control_plane.agents.store import AgentItem
from control_plane.core import auth, clock, keys, store
from control_plane.core.log import logger
from control_plane.extensions import store as ext_store
from control_plane.extensions.store import ExtensionItem
from control_plane.live import service as live
from control_plane.queue_events import store as qev_store
from control_plane.users import store as users_store
from control_plane.users.store import UserItem
from pbx_core import cdr as cdrmod
from pbx_core import queue_log
from pbx_core.errors import Conflict, Forbidden, NotFound, ValidationError


class NoExtension(Forbidden):
    """The caller is not tied to an extension, so it is no agent (403)."""

    code = "no_extension"


def _public(extension: str, user: UserItem | None, ext: ExtensionItem | None, st: AgentItem | None) -> AgentOut:
    since = int(st.since or 0) if st else 0
    return AgentOut(
        extension=extension,
        user_id=user.user_id if user else (st.user_id or "" if st else ""),
        name=(user.name if user and user.name else "") or (ext.display_name if ext else ""),
        status=st.status if st else "logged_out",  # type: ignore[arg-type]  # written from AgentStatusName only
        reason=(st.reason or "") if st else "",
        since=since,
        since_iso=cdrmod.iso(datetime.fromtimestamp(since, UTC)) if since else None,
    )


def _users_by_extension(tenant_id: str) -> dict[str, UserItem]:
    """The user of each extension (the first by id when several share one)."""
    out: dict[str, UserItem] = {}
    for u in sorted(users_store.list_all(tenant_id), key=lambda u: u.user_id):
        if u.extension and u.extension not in out:
            out[u.extension] = u
    return out


def list_all(tenant_id: str) -> AgentList:
    """Every extension that has a user or a status, with its status (supervisors)."""
    users = _users_by_extension(tenant_id)
    exts = {e.number: e for e in ext_store.list_all(tenant_id)}
    statuses = {a.extension: a for a in agents_store.list_all(tenant_id)}
    numbers = sorted(n for n in set(users) | set(statuses) if n in exts)
    return AgentList(items=[_public(n, users.get(n), exts.get(n), statuses.get(n)) for n in numbers], next=None)


def own_extension(principal: auth.Principal) -> tuple[str, str]:
    """(tenant, extension) of the calling user; 403 ``no_extension`` when it has none
    (API keys and issued tokens are no user: they have none either)."""
    tenant_id = principal.require_tenant(*auth.TENANT_ROLES)
    user = users_store.get(tenant_id, principal.sub) if principal.sid else None
    if user is None or not user.extension:
        raise NoExtension("this user has no extension, so it is no agent", fields={"extension": "none"})
    return tenant_id, str(user.extension)


def get(tenant_id: str, extension: str) -> AgentOut:
    ext = ext_store.get(tenant_id, extension)
    if ext is None:
        raise NotFound(f"extension {extension} not found")
    user = _users_by_extension(tenant_id).get(extension)
    return _public(extension, user, ext, agents_store.get(tenant_id, extension))


def transitions(old: str, old_reason: str, new: str, reason: str) -> list[tuple[str, str]]:
    """The queue events (kind, reason) a status change means; [] = no change."""
    if old == new and (new != "paused" or old_reason == reason):
        return []
    if new == "logged_out":
        return [(queue_log.LOGOUT, "")]
    events = [(queue_log.LOGIN, "")] if old == "logged_out" else []
    if new == "paused":
        events.append((queue_log.PAUSE, reason))
    elif old == "paused":
        events.append((queue_log.UNPAUSE, ""))
    return events


def set_status(tenant_id: str, extension: str, req: AgentStatusIn, *, by: str) -> AgentOut:
    """Set the status of the agent of ``extension`` (404 for an extension not of the tenant)."""
    ext = ext_store.get(tenant_id, extension)
    if ext is None:
        raise NotFound(f"extension {extension} not found")
    current = agents_store.get(tenant_id, extension)
    old = current.status if current else "logged_out"
    reason = req.reason if req.status == "paused" else ""
    allowed = agents_store.pause_reasons(tenant_id) if req.status == "paused" else []
    if allowed and reason not in allowed:
        raise ValidationError(
            f"the reason must be one of: {', '.join(allowed)}", fields={"reason": "not one of the pause reasons"}
        )
    events = transitions(old, (current.reason or "") if current else "", req.status, reason)
    user = _users_by_extension(tenant_id).get(extension)
    # "ready" again is "ready now": a newer since ends the agent's wrap-up at the edge.
    if not events and not (old == req.status == "ready"):
        return _public(extension, user, ext, current)
    now = clock.now()
    at = now.timestamp()
    item = agents_store.item(
        tenant_id,
        extension,
        user_id=user.user_id if user else "",
        status=req.status,
        reason=reason,
        since=int(at),
        set_by=by,
        rev=int(current.rev or 0) + 1 if current else 0,
        updated_at=store.ts(now),
    )
    condition = AgentItem.rev == int(current.rev or 0) if current else AgentItem.pk.does_not_exist()
    changed = Conflict("the agent's status changed meanwhile, retry", fields={"status": "changed meanwhile"})
    ops = [
        store.Op(lambda tx: tx.save(item, condition=condition), lambda: changed),
        store.check(
            ExtensionItem,
            keys.tenant_pk(tenant_id),
            keys.ext_sk(extension),
            ExtensionItem.pk.exists(),
            lambda: NotFound(f"extension {extension} not found"),
        ),
    ]
    logged: list[queue_log.QueueEvent] = []
    for i, (kind, why) in enumerate(events):
        # a login and a pause of one change are 1 ms apart: the log sorts by time, then by key
        ev = queue_log.QueueEvent(
            at=at + i / 1000, tenant_id=tenant_id, queue_id="", kind=kind, agent=extension, reason=why
        )
        ops += qev_store.put_op(ev)
        logged.append(ev)
    store.commit(ops, bump=tenant_id)
    try:  # the wallboards of the tenant's supervisors; the change is saved whatever happens here
        live.deliver_queue(tenant_id, logged)
    except Exception:
        logger.exception("agent status push failed", extra={"tenant_id": tenant_id})
    logger.info("agent status", extra={"extension": extension, "status": req.status, "from": old})
    return _public(extension, user, ext, item)


# An agent event from an edge (its phone's feature code, or the queue's autopause) and the
# status it leaves the agent in; LOGIN leaves it ready unless a PAUSE of the same change follows.
EDGE_STATUS = {
    queue_log.LOGIN: "ready",
    queue_log.UNPAUSE: "ready",
    queue_log.LOGOUT: "logged_out",
    queue_log.PAUSE: "paused",
}


def _save(tenant_id: str, item: AgentItem, condition: Any) -> None:
    raced = Conflict("the agent's status changed meanwhile")
    store.commit([store.Op(lambda tx: tx.save(item, condition=condition), lambda: raced)], bump=tenant_id)


def apply_from_edge(tenant_id: str, events: list[queue_log.QueueEvent]) -> int:
    """Store the statuses agents set at an edge (``*71``-``*74`` on their phones, the
    queue's autopause), learnt from the queue log the edge posts: the last event per
    extension wins when it is newer than the stored status and changes it. The event is
    already in the log (no second one); the snapshot version is bumped so every edge
    catches up. How many statuses changed."""
    last: dict[str, queue_log.QueueEvent] = {}
    for ev in sorted(events, key=lambda e: e.at):
        if ev.kind in EDGE_STATUS and ev.agent:
            last[ev.agent] = ev
    changed = 0
    for extension, ev in last.items():
        status = EDGE_STATUS[ev.kind]
        reason = ev.reason[:64] if status == "paused" else ""
        current = agents_store.get(tenant_id, extension)
        if current is not None and (
            int(current.since or 0) > int(ev.at) or (current.status == status and (current.reason or "") == reason)
        ):
            continue  # older than what is stored, or nothing new
        if current is None and status == "logged_out":
            continue
        if ext_store.get(tenant_id, extension) is None:
            continue  # deleted meanwhile
        user = _users_by_extension(tenant_id).get(extension)
        item = agents_store.item(
            tenant_id,
            extension,
            user_id=user.user_id if user else "",
            status=status,
            reason=reason,
            since=int(ev.at),
            set_by="edge",
            rev=int(current.rev or 0) + 1 if current else 0,
            updated_at=store.ts(clock.now()),
        )
        condition = AgentItem.rev == int(current.rev or 0) if current else AgentItem.pk.does_not_exist()
        try:
            _save(tenant_id, item, condition)
        except Conflict:
            logger.info("agent status from the edge lost a race, kept the newer", extra={"extension": extension})
            continue
        changed += 1
        logger.info("agent status from the edge", extra={"extension": extension, "status": status})
    return changed


def get_pause_reasons(tenant_id: str) -> PauseReasonsOut:
    return PauseReasonsOut(reasons=agents_store.pause_reasons(tenant_id))


def set_pause_reasons(tenant_id: str, req: PauseReasonsIn) -> PauseReasonsOut:
    """The tenant's pause reasons (an admin's list; [] lets agents type their own)."""
    reasons = list(dict.fromkeys(req.reasons))
    agents_store.put_pause_reasons(tenant_id, reasons, store.ts(clock.now()))
    logger.info("pause reasons set", extra={"count": len(reasons)})
    return PauseReasonsOut(reasons=reasons)
