"""Call notes (wrap-up): the agent who took a call, or a supervisor or admin, writes its
disposition and notes; call lists show a summary.

A note is keyed by the call id and may come before the call's CDR (the agent writes while
talking, or the edge posts the CDR later): the call must then be one the tenant's edges
reported (a live call, or one ended within the hour: ``live.store.get_call``). A call the
tenant does not know, by its CDR or live, is 404, also when another tenant has it. An agent
writes and reads the notes of calls its own extension took part in (the CDR's caller or
callee; a live call's legs), as for CDRs; others are 404 to it. Each save is a
``call.wrapped_up`` event (the tenant's feed, in the same transaction; then its webhooks).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from control_plane.call_notes import store as notes_store
from control_plane.call_notes.schemas import (
    EXCERPT,
    MAX_NOTES,
    DispositionList,
    DispositionOut,
    DispositionsIn,
    WrapupIn,
    WrapupOut,
)
from control_plane.call_notes.store import CallNoteItem, DispositionsItem
from control_plane.cdrs import store as cdrs_store
from control_plane.contacts import service as contacts
from control_plane.core import auth, clock, keys, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.core.schemas import parse
from control_plane.events import store as events_store
from control_plane.live import service as live
from control_plane.live import store as live_store
from control_plane.tenants import service as tenants
from control_plane.tickets import service as tickets
from control_plane.users import service as users
from control_plane.webhooks import service as webhooks
from pbx_core.errors import Conflict, Forbidden, NotFound, ValidationError

MAX_CALL_ID = 512
DEFAULT_DISPOSITIONS: tuple[tuple[str, str, str], ...] = (
    ("resolved", "Đã giải quyết", "Resolved"),
    ("call_back", "Gọi lại", "Call back"),
    ("no_answer", "Không liên lạc được", "No answer"),
    ("wrong_number", "Sai số", "Wrong number"),
    ("not_interested", "Không quan tâm", "Not interested"),
)
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")  # notes keep \t, \n, \r


class UnknownDisposition(ValidationError):
    code = "unknown_disposition"


class NotesTooLong(ValidationError):
    code = "notes_too_long"


@dataclass(frozen=True)
class Caller:
    tenant_id: str
    user: str
    role: str
    extension: str  # agents: their own extension; "" for supervisors and admins

    @property
    def agent(self) -> bool:
        return self.role == auth.AGENT

    def desk(self) -> contacts.Viewer:
        """The same caller as contacts and tickets see it (references are checked with it)."""
        return contacts.Viewer(tenant_id=self.tenant_id, user=self.user, role=self.role, masked=False)


def caller(principal: auth.Principal) -> Caller:
    tenant_id = principal.require_tenant(*auth.TENANT_ROLES)
    ext = ""
    if principal.role == auth.AGENT:
        ext = users.agent_extension(principal)
        if not ext:
            raise Forbidden("an agent needs an extension to write call notes")
    return Caller(tenant_id, principal.sub, principal.role, ext)


# --- the tenant's disposition codes -------------------------------------------------------------------
def _codes(tenant_id: str) -> tuple[list[dict[str, str]], str]:
    item = notes_store.dispositions(tenant_id)
    if item is None:
        return [{"code": c, "label_vi": vi, "label_en": en} for c, vi, en in DEFAULT_DISPOSITIONS], ""
    items: list[dict[str, str]] = json.loads(item.doc)
    return items, item.updated_at


def dispositions(tenant_id: str) -> DispositionList:
    items, updated = _codes(tenant_id)
    return DispositionList(items=[DispositionOut(**i) for i in items], updated_at=updated)


def set_dispositions(tenant_id: str, body: dict[str, Any]) -> DispositionList:
    """Replace the list (order kept). Notes keep a code taken off the list."""
    tenants.require(tenant_id)
    req = parse(DispositionsIn, body, "invalid disposition list")
    seen: set[str] = set()
    errors: dict[str, str] = {}
    for i, d in enumerate(req.items):
        if d.code in seen:
            errors[f"items.{i}.code"] = "duplicate"
        seen.add(d.code)
    if errors:
        raise ValidationError("invalid disposition list", fields=errors)
    DispositionsItem(
        keys.tenant_pk(tenant_id),
        keys.DISPOSITIONS_SK,
        tenant_id=tenant_id,
        doc=json.dumps([d.model_dump() for d in req.items], ensure_ascii=False, separators=(",", ":")),
        updated_at=store.ts(clock.now()),
    ).save()
    logger.info("disposition codes changed", extra={"codes": len(req.items)})
    return dispositions(tenant_id)


# --- the call and who may note it -----------------------------------------------------------------------
def _call(c: Caller, call_id: str) -> dict[str, Any] | None:
    """The call's CDR (None: not stored yet, but the tenant's edges reported the call); 404
    for a call the tenant does not know or, for an agent, one its extension did not take."""
    if not 0 < len(call_id) <= MAX_CALL_ID:
        raise NotFound("call not found")
    cdr = cdrs_store.get(c.tenant_id, call_id)
    if cdr is not None:
        parties = frozenset(str(cdr.get(k) or "") for k in ("caller", "callee"))
    else:
        reported = live_store.get_call(c.tenant_id, call_id, now=clock.now().timestamp())
        if reported is None:
            raise NotFound("call not found")
        parties = live.parties_of(reported[1])
    if c.agent and c.extension not in parties:
        raise NotFound("call not found")
    return cdr


def public(n: CallNoteItem, *, call_stored: bool) -> WrapupOut:
    return WrapupOut(
        call_id=n.call_id,
        disposition=n.disposition,
        notes=n.notes or "",
        contact_id=n.contact_id or "",
        ticket_id=n.ticket_id or "",
        extension=n.extension or "",
        created_by=n.created_by,
        updated_by=n.updated_by,
        created_at=n.created_at,
        updated_at=n.updated_at,
        call_stored=call_stored,
    )


def get(c: Caller, call_id: str) -> WrapupOut:
    cdr = _call(c, call_id)
    note = notes_store.get(c.tenant_id, call_id)
    if note is None:
        raise NotFound("call note not found")
    return public(note, call_stored=cdr is not None)


def _check(c: Caller, req: WrapupIn) -> None:
    codes = {d["code"] for d in _codes(c.tenant_id)[0]}
    if req.disposition not in codes:
        raise UnknownDisposition(
            f"disposition {req.disposition!r} is not in the tenant's list",
            fields={"disposition": "one of " + ", ".join(sorted(codes))},
        )
    if len(req.notes) > MAX_NOTES:
        raise NotesTooLong(f"notes have at most {MAX_NOTES} characters", fields={"notes": f"at most {MAX_NOTES}"})
    if _BAD_CHARS.search(req.notes):
        raise ValidationError("notes: no control characters", fields={"notes": "no control characters"})
    if req.contact_id:
        try:
            contacts.require(c.desk(), req.contact_id)
        except NotFound as exc:
            raise ValidationError("unknown contact", fields={"contact_id": "not found"}) from exc
    if req.ticket_id:
        try:
            tickets.require(c.desk(), req.ticket_id)
        except NotFound as exc:
            raise ValidationError("unknown ticket", fields={"ticket_id": "not found"}) from exc


def _contact_of(tenant_id: str, cdr: dict[str, Any] | None) -> str:
    """The contact of the call's outside number, when the CDR is stored and it has one."""
    party = contacts.outside_party(cdr) if cdr is not None else None
    found = contacts.find_by_number(tenant_id, party[0]) if party else None
    return found.contact_id if found is not None else ""


def put(c: Caller, call_id: str, body: dict[str, Any]) -> WrapupOut:
    """Write (or rewrite) the call's note: 404 for a call the caller may not note, before
    any field error."""
    cdr = _call(c, call_id)
    req = parse(WrapupIn, body, "invalid call note")
    _check(c, req)
    now = clock.now()
    stamp = store.ts(now)
    existing = notes_store.get(c.tenant_id, call_id)
    before = existing.contact_id if existing is not None else ""
    contact_id = req.contact_id or before or _contact_of(c.tenant_id, cdr)
    fields: dict[str, Any] = {
        "disposition": req.disposition,
        "notes": req.notes,
        "contact_id": contact_id or "",
        "ticket_id": req.ticket_id or (existing.ticket_id if existing is not None else "") or "",
        "extension": c.extension,
        "updated_by": c.user,
    }
    data = {"call_id": call_id, "disposition": req.disposition, "notes_excerpt": req.notes[:EXCERPT],
            "contact_id": fields["contact_id"], "ticket_id": fields["ticket_id"], "extension": c.extension,
            "call_stored": cdr is not None, "by": c.user}  # fmt: skip
    event = events_store.new(c.tenant_id, "call.wrapped_up", data, now)
    announce = store.Op(lambda tx: tx.save(event))
    if existing is None:
        item = CallNoteItem(
            keys.call_note_pk(c.tenant_id),
            call_id,
            tenant_id=c.tenant_id,
            call_id=call_id,
            created_by=c.user,
            created_at=stamp,
            updated_at=stamp,
            rev=0,
            **fields,
        )
        store.commit(
            [store.put_new(item, lambda: Conflict("call note changed meanwhile, retry")), announce], bump=False
        )
    else:
        store.save_changes(existing, fields, what="call note", bump=False, now=now, ops=[announce])
    webhooks.publish(c.tenant_id, [event], now=now)
    count("CallNoteSaved")
    logger.info("call note saved", extra={"call_id": call_id, "disposition": req.disposition, "cdr": cdr is not None})
    return get(c, call_id)
