"""Tickets (F12): create, change, comment, link calls, find; SLA timers on the business
calendar; missed calls open tickets with a callback task.

Visibility: tenant admins and supervisors see every ticket; an agent sees the tickets
assigned to it or created by it (others are 404 to it) and may assign a ticket to itself
only. Numbers in tickets (a callback's) are masked for agents as contacts' are.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from control_plane.cdrs import store as cdrs_store
from control_plane.contacts import names
from control_plane.contacts import service as contacts
from control_plane.contacts import store as contacts_store
from control_plane.contacts.service import Viewer
from control_plane.core import clock, ids, keys, s3, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.core.schemas import given, parse
from control_plane.events import store as events_store
from control_plane.events.store import EventItem
from control_plane.tenants import service as tenants
from control_plane.tickets import sla
from control_plane.tickets import store as tickets_store
from control_plane.tickets.schemas import (
    OPEN_STATUSES,
    STATUSES,
    CallbackOut,
    CommentCreate,
    CommentList,
    CommentOut,
    DayHoursOut,
    SlaOut,
    SlaTargetOut,
    TicketCallOut,
    TicketCreate,
    TicketExportLink,
    TicketExportQuery,
    TicketList,
    TicketOut,
    TicketQuery,
    TicketSettingsOut,
    TicketSettingsUpdate,
    TicketUpdate,
    TimerOut,
    ViewCreate,
    ViewFilters,
    ViewList,
    ViewOut,
)
from control_plane.tickets.store import CommentItem, ContactTicketItem, SettingsItem, TicketItem, ViewItem
from control_plane.users import store as users_store
from control_plane.webhooks import service as webhooks
from pbx_core import defaults
from pbx_core.cdr import parse_iso
from pbx_core.errors import Conflict, Forbidden, NotFound, ValidationError

CURSOR = "ticket-cursor"
SYSTEM = "system"
MAX_CALLS = 200
SHOWN_CALLS = 20
LINK_TTL_S = 300
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MENTION = re.compile(r"@([^\s@,;:()<>]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,24})")
DEFAULT_HOURS: dict[str, tuple[str, str] | None] = {
    "mon": ("08:00", "17:30"), "tue": ("08:00", "17:30"), "wed": ("08:00", "17:30"), "thu": ("08:00", "17:30"),
    "fri": ("08:00", "17:30"), "sat": ("08:00", "12:00"), "sun": None,
}  # fmt: skip
DEFAULT_SLA: dict[str, tuple[int, int]] = {  # business minutes: (first response, resolution)
    "urgent": (30, 240),
    "high": (60, 480),
    "normal": (240, 1440),
    "low": (480, 2880),
}


# --- settings and the calendar ------------------------------------------------------------------------
def settings_doc(tenant_id: str) -> dict[str, Any]:
    item = tickets_store.settings_item(tenant_id)
    stored: dict[str, Any] = json.loads(item.doc) if item is not None else {}
    hours = {**{k: list(v) if v else None for k, v in DEFAULT_HOURS.items()}, **(stored.get("business_hours") or {})}
    targets = {p: {"first_response_min": f, "resolution_min": r} for p, (f, r) in DEFAULT_SLA.items()}
    targets.update(stored.get("sla") or {})
    return {
        "business_hours": hours,
        "public_holidays": stored.get("public_holidays", True),
        "days_off": stored.get("days_off") or [],
        "sla": targets,
        "updated_at": item.updated_at if item is not None else "",
    }


def _zone(tenant_id: str) -> ZoneInfo:
    name = tenants.require(tenant_id).time_zone or defaults.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo(defaults.TIME_ZONE)


def _hhmm(text: str) -> dt.time:
    return dt.time.max if text == "24:00" else dt.time.fromisoformat(text)


def calendar(tenant_id: str, doc: dict[str, Any] | None = None) -> sla.Calendar:
    doc = doc or settings_doc(tenant_id)
    hours = {
        i: (_hhmm(v[0]), _hhmm(v[1]))
        for i, day in enumerate(sla.WEEKDAYS)
        if (v := doc["business_hours"].get(day)) is not None
    }
    return sla.Calendar(
        zone=_zone(tenant_id),
        hours=hours,
        public_holidays=bool(doc["public_holidays"]),
        days_off=frozenset(dt.date.fromisoformat(d) for d in doc["days_off"]),
    )


def get_settings(tenant_id: str) -> TicketSettingsOut:
    doc = settings_doc(tenant_id)
    zone = _zone(tenant_id)
    year = clock.now().astimezone(zone).year
    days = sorted(sla.vietnam_holidays(year) | sla.vietnam_holidays(year + 1)) if doc["public_holidays"] else []
    return TicketSettingsOut(
        time_zone=str(zone),
        business_hours={k: DayHoursOut(start=v[0], end=v[1]) if v else None for k, v in doc["business_hours"].items()},
        public_holidays=bool(doc["public_holidays"]),
        days_off=list(doc["days_off"]),
        sla={k: SlaTargetOut(**v) for k, v in doc["sla"].items()},
        holidays=[d.isoformat() for d in days],
        updated_at=doc["updated_at"],
    )


def update_settings(tenant_id: str, body: dict[str, Any]) -> TicketSettingsOut:
    tenants.require(tenant_id)
    req = parse(TicketSettingsUpdate, body, "invalid ticket settings")
    doc = settings_doc(tenant_id)
    errors: dict[str, str] = {}
    if req.business_hours is not None:
        for day, hours in req.business_hours.items():
            if hours is not None and _hhmm(hours.start) >= _hhmm(hours.end):
                errors[f"business_hours.{day}"] = "start must be before end"
            doc["business_hours"][day] = [hours.start, hours.end] if hours is not None else None
        if not any(doc["business_hours"].values()):
            errors["business_hours"] = "at least one day with business hours"
    if req.public_holidays is not None:
        doc["public_holidays"] = req.public_holidays
    if req.days_off is not None:
        for i, d in enumerate(req.days_off):
            try:
                dt.date.fromisoformat(d)
            except ValueError:
                errors[f"days_off.{i}"] = "a date YYYY-MM-DD"
        doc["days_off"] = sorted(set(req.days_off))
    if req.sla is not None:
        for p, target in req.sla.items():
            if target.first_response_min > target.resolution_min:
                errors[f"sla.{p}"] = "first response must not be after resolution"
            doc["sla"][p] = target.model_dump()
    if errors:
        raise ValidationError("invalid ticket settings", fields=errors)
    stored = {k: doc[k] for k in ("business_hours", "public_holidays", "days_off", "sla")}
    SettingsItem(
        keys.tenant_pk(tenant_id),
        keys.TICKET_SETTINGS_SK,
        tenant_id=tenant_id,
        doc=json.dumps(stored, separators=(",", ":"), sort_keys=True),
        updated_at=store.ts(clock.now()),
    ).save()
    logger.info("ticket settings changed")
    return get_settings(tenant_id)


# --- reading -------------------------------------------------------------------------------------------
def can_see(v: Viewer, t: TicketItem) -> bool:
    return not v.agent or v.user in (t.assignee or "", t.created_by or "")


def require(v: Viewer, ticket_id: str) -> TicketItem:
    ids.check_id(ticket_id, "tk", "ticket")
    item = tickets_store.get(v.tenant_id, ticket_id)
    if item is None or not can_see(v, item):
        raise NotFound("ticket not found")
    return item


def _at(text: str | None) -> datetime | None:
    return parse_iso(text) if text else None


def _timer(cal: sla.Calendar, due: str | None, met: str | None, now: datetime, paused: bool) -> TimerOut:
    if due is None:
        return TimerOut(due_at=None, met_at=met, breached=False, remaining_min=None)
    due_at = parse_iso(due)
    if met is not None:
        return TimerOut(due_at=due, met_at=met, breached=parse_iso(met) > due_at, remaining_min=None)
    left = round(cal.minutes(now, due_at), 1)
    return TimerOut(due_at=due, met_at=None, breached=now > due_at, remaining_min=left)


def sla_state(cal: sla.Calendar, t: TicketItem, d: dict[str, Any], now: datetime) -> SlaOut:
    timers = d.get("sla") or {}
    reason = ""
    if t.status == "pending":
        reason = "pending"
    elif not cal.is_open(now):
        reason = "holiday" if cal.closed(now.astimezone(cal.zone).date()) else "outside_hours"
    running = t.status in OPEN_STATUSES
    resolution_due = timers.get("resolution_due")
    if t.status == "pending" and timers.get("pending_since") and resolution_due:
        # the resolution clock stands still while pending: its due moves on with now
        spent = cal.minutes(parse_iso(timers["pending_since"]), now)
        resolution_due = store.ts(cal.add(parse_iso(resolution_due), max(0.0, spent)))
    return SlaOut(
        first_response=_timer(cal, timers.get("first_response_due"), d.get("first_response_at"), now, bool(reason)),
        resolution=_timer(
            cal,
            resolution_due,
            d.get("solved_at") if not running else None,
            now,
            bool(reason),
        ),
        paused=bool(reason) and running,
        paused_reason=reason if running else "",  # type: ignore[arg-type]
    )


def _calls(tenant_id: str, call_ids: list[str]) -> list[TicketCallOut]:
    out = []
    for call_id in call_ids[-SHOWN_CALLS:][::-1]:
        doc = cdrs_store.get(tenant_id, call_id)
        if doc is None:
            continue
        out.append(
            TicketCallOut(
                call_id=call_id,
                started_at=str(doc.get("started_at") or ""),
                direction=str(doc.get("direction") or ""),
                disposition=str(doc.get("disposition") or ""),
                duration_s=float(doc.get("duration_s") or 0),
                recording=bool(doc.get("recording_key")),
            )
        )
    return out


def public(v: Viewer, t: TicketItem, *, cal: sla.Calendar | None = None, with_calls: bool = True) -> TicketOut:
    d = tickets_store.doc(t)
    cal = cal or calendar(v.tenant_id)
    cb = d.get("callback")
    return TicketOut(
        id=t.ticket_id,
        number=int(t.number),
        subject=t.subject,
        description=d.get("description") or "",
        status=t.status,  # type: ignore[arg-type]
        priority=t.priority,  # type: ignore[arg-type]
        assignee=t.assignee or "",
        team=t.team or "",
        contact_id=t.contact_id or "",
        source=t.source or "manual",  # type: ignore[arg-type]
        tags=d.get("tags") or [],
        calls=_calls(v.tenant_id, d.get("calls") or []) if with_calls else [],
        callback=CallbackOut(
            number=contacts.show_number(v, cb["number"]),
            due_at=cb["due_at"],
            done_at=cb.get("done_at"),
            done_by=cb.get("done_by") or "",
        )
        if cb
        else None,
        sla=sla_state(cal, t, d, clock.now()),
        created_by=t.created_by or "",
        first_response_at=d.get("first_response_at"),
        solved_at=d.get("solved_at"),
        created_at=t.created_at,
        updated_at=t.updated_at,
    )


def get(v: Viewer, ticket_id: str) -> TicketOut:
    return public(v, require(v, ticket_id))


# --- writing ---------------------------------------------------------------------------------------------
def _dump(d: dict[str, Any]) -> str:
    return json.dumps(d, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def _text(subject: str, description: str) -> str:
    return f"{names.fold(subject)} | {names.fold(description)}"[:2000]


def _check_assignee(v: Viewer, assignee: str) -> None:
    if not assignee:
        return
    if v.agent and assignee != v.user:
        raise Forbidden("an agent may assign a ticket to itself only")
    if users_store.get(v.tenant_id, assignee) is None:
        raise ValidationError(f"assignee {assignee} does not exist", fields={"assignee": "not found"})


def _check_contact(v: Viewer, contact_id: str) -> None:
    if contact_id:
        try:
            contacts.require(v, contact_id)
        except NotFound as exc:
            raise ValidationError(f"contact {contact_id} does not exist", fields={"contact_id": "not found"}) from exc


def _check_call(tenant_id: str, call_id: str) -> None:
    if cdrs_store.get(tenant_id, call_id) is None:
        raise ValidationError(f"call {call_id} does not exist", fields={"call_id": "not found"})


EXCERPT = 280  # characters of a comment in its ticket.commented event


def _event(
    tenant_id: str, kind: str, data: dict[str, Any], now: datetime, order: str, out: list[EventItem]
) -> store.Op:
    """A feed event saved in the change's transaction (``out`` collects it: handed to the
    tenant's webhooks once the transaction is committed, ``webhooks.publish``)."""
    event = events_store.new(tenant_id, kind, data, now, order=order)
    out.append(event)
    return store.Op(lambda tx: tx.save(event))


def _summary(item: TicketItem, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a ticket.* event says of the ticket (after the change)."""
    c = changes or {}
    return {
        "ticket_id": item.ticket_id,
        "number": int(item.number),
        "subject": c.get("subject", item.subject),
        "status": c.get("status", item.status),
        "priority": c.get("priority", item.priority),
        "assignee": c.get("assignee", item.assignee or "") or "",
        "team": c.get("team", item.team or "") or "",
        "contact_id": c.get("contact_id", item.contact_id or "") or "",
        "source": item.source or "manual",
    }


def _contact_link(tenant_id: str, contact_id: str, ticket_id: str, *, add: bool) -> store.Op:
    link = ContactTicketItem(keys.contact_tickets_pk(tenant_id, contact_id), ticket_id, tenant_id=tenant_id)
    return store.Op(lambda tx: tx.save(link) if add else tx.delete(link))


def _dues(
    cal: sla.Calendar, doc: dict[str, Any], priority: str, created: datetime, paused_min: float
) -> dict[str, Any]:
    target = doc["sla"].get(priority) or doc["sla"]["normal"]
    return {
        "first_response_due": store.ts(cal.add(created, target["first_response_min"])),
        "resolution_due": store.ts(cal.add(created, target["resolution_min"] + paused_min)),
        "paused_min": paused_min,
    }


def create(
    v: Viewer,
    req: TicketCreate,
    *,
    source: str | None = None,
    callback_number: str | None = None,
    now: datetime | None = None,
) -> TicketOut:
    tenants.require(v.tenant_id)
    _check_assignee(v, req.assignee)
    _check_contact(v, req.contact_id)
    if req.call_id:
        _check_call(v.tenant_id, req.call_id)
    now = now or clock.now()
    stamp = store.ts(now)
    settings = settings_doc(v.tenant_id)
    cal = calendar(v.tenant_id, settings)
    timers = _dues(cal, settings, req.priority, now, 0.0)
    if req.status == "pending":
        timers["pending_since"] = stamp
    number = tickets_store.next_number(v.tenant_id)
    ticket_id = tickets_store.ticket_id(number)
    d: dict[str, Any] = {
        "description": req.description,
        "tags": list(dict.fromkeys(req.tags)),
        "calls": [req.call_id] if req.call_id else [],
        "sla": timers,
        "first_response_at": None,
        "solved_at": stamp if req.status in ("solved", "closed") else None,
    }
    if callback_number:
        d["callback"] = {"number": callback_number, "due_at": timers["first_response_due"], "done_at": None}
    source = source or ("call" if req.call_id else "contact" if req.contact_id else "manual")
    item = TicketItem(
        keys.ticket_pk(v.tenant_id),
        ticket_id,
        tenant_id=v.tenant_id,
        ticket_id=ticket_id,
        number=number,
        subject=req.subject,
        status=req.status,
        priority=req.priority,
        assignee=req.assignee,
        team=req.team,
        contact_id=req.contact_id,
        source=source,
        created_by=v.user,
        txt=_text(req.subject, req.description),
        doc=_dump(d),
        rev=0,
        created_at=stamp,
        updated_at=stamp,
    )
    ops = [store.put_new(item, lambda: Conflict("ticket number taken, retry"))]
    if req.contact_id:
        ops.append(_contact_link(v.tenant_id, req.contact_id, ticket_id, add=True))
    events: list[EventItem] = []
    ops.append(_event(v.tenant_id, "ticket.created", {**_summary(item), "by": v.user}, now, "1", events))
    if req.assignee and req.assignee != v.user:
        data = {"ticket_id": ticket_id, "number": number, "user_id": req.assignee, "by": v.user}
        ops.append(_event(v.tenant_id, "ticket.assigned", data, now, "2", events))
    store.commit(ops, bump=False)
    webhooks.publish(v.tenant_id, events, now=now)
    count("TicketCreated")
    logger.info("ticket created", extra={"ticket_id": ticket_id, "source": source})
    return public(v, item, cal=cal)


def update(v: Viewer, ticket_id: str, body: dict[str, Any]) -> TicketOut:
    """A change of the ticket: 404 for an unknown (or unseen) ticket before any field error."""
    item = require(v, ticket_id)
    req = parse(TicketUpdate, body, "invalid ticket")
    sent = given(req)
    if not sent:
        return public(v, item)
    now = clock.now()
    stamp = store.ts(now)
    d = tickets_store.doc(item)
    timers = dict(d.get("sla") or {})
    settings = settings_doc(v.tenant_id)
    cal = calendar(v.tenant_id, settings)
    changes: dict[str, Any] = {}
    ops: list[store.Op] = []
    events: list[EventItem] = []
    for name in ("subject", "team"):
        if name in sent:
            changes[name] = getattr(req, name)
    if "description" in sent:
        d["description"] = req.description
    if "tags" in sent:
        d["tags"] = list(dict.fromkeys(contacts_store.strs(req.tags)))
    if "subject" in sent or "description" in sent:
        changes["txt"] = _text(changes.get("subject", item.subject), d.get("description") or "")
    if "assignee" in sent and req.assignee != (item.assignee or ""):
        _check_assignee(v, req.assignee or "")
        changes["assignee"] = req.assignee
        if req.assignee and req.assignee != v.user:
            data = {"ticket_id": ticket_id, "number": int(item.number), "user_id": req.assignee, "by": v.user}
            ops.append(_event(v.tenant_id, "ticket.assigned", data, now, "2", events))
    if "contact_id" in sent and req.contact_id != (item.contact_id or ""):
        _check_contact(v, req.contact_id or "")
        changes["contact_id"] = req.contact_id
        if item.contact_id:
            ops.append(_contact_link(v.tenant_id, item.contact_id, ticket_id, add=False))
        if req.contact_id:
            ops.append(_contact_link(v.tenant_id, req.contact_id, ticket_id, add=True))
    paused = float(timers.get("paused_min") or 0)
    if "status" in sent and req.status != item.status:
        if item.status == "pending" and timers.get("pending_since"):
            paused += max(0.0, cal.minutes(parse_iso(timers["pending_since"]), now))
            timers.pop("pending_since", None)
        if req.status == "pending":
            timers["pending_since"] = stamp
        if req.status in ("solved", "closed"):
            d["solved_at"] = d.get("solved_at") or stamp
        else:
            d["solved_at"] = None
        changes["status"] = req.status
    if "priority" in sent:
        changes["priority"] = req.priority
    if paused != float(timers.get("paused_min") or 0) or "priority" in sent:
        created = parse_iso(item.created_at)
        timers.update(_dues(cal, settings, changes.get("priority", item.priority), created, paused))
        if d.get("callback"):
            d["callback"]["due_at"] = timers["first_response_due"]
    d["sla"] = timers
    if "callback_done" in sent and d.get("callback"):
        done = bool(req.callback_done)
        d["callback"].update({"done_at": stamp if done else None, "done_by": v.user if done else ""})
        if done:
            d["first_response_at"] = d.get("first_response_at") or stamp
    changes["doc"] = _dump(d)
    if "status" in changes:
        data = {"ticket_id": ticket_id, "number": int(item.number), "from": item.status, "to": changes["status"],
                "by": v.user}  # fmt: skip
        ops.append(_event(v.tenant_id, "ticket.status_changed", data, now, "1", events))
    data = {**_summary(item, changes), "changed": sorted(sent), "by": v.user}
    ops.append(_event(v.tenant_id, "ticket.updated", data, now, "0", events))
    store.save_changes(item, changes, what="ticket", bump=False, now=now, ops=ops)
    webhooks.publish(v.tenant_id, events, now=now)
    logger.info("ticket changed", extra={"ticket_id": ticket_id, "fields": sorted(sent)})
    return public(v, require(v, ticket_id), cal=cal)


def delete(v: Viewer, ticket_id: str) -> None:
    item = require(v, ticket_id)
    now = clock.now()
    events: list[EventItem] = []
    ops = [
        store.remove(TicketItem, item.pk, item.sk, error=lambda: NotFound("ticket not found")),
        _event(v.tenant_id, "ticket.deleted", {**_summary(item), "by": v.user}, now, "0", events),
    ]
    if item.contact_id:
        ops.append(_contact_link(v.tenant_id, item.contact_id, ticket_id, add=False))
    store.commit(ops, bump=False)
    webhooks.publish(v.tenant_id, events, now=now)
    store.delete_partition(keys.ticket_comment_pk(v.tenant_id, ticket_id))
    logger.info("ticket deleted", extra={"ticket_id": ticket_id})


def link_call(v: Viewer, ticket_id: str, call_id: str) -> TicketOut:
    item = require(v, ticket_id)
    _check_call(v.tenant_id, call_id)
    d = tickets_store.doc(item)
    calls = list(d.get("calls") or [])
    if call_id not in calls:
        if len(calls) >= MAX_CALLS:
            raise Conflict(f"a ticket links at most {MAX_CALLS} calls", fields={"call_id": "too many calls"})
        d["calls"] = [*calls, call_id]
        store.save_changes(item, {"doc": _dump(d)}, what="ticket", bump=False, now=clock.now())
    return public(v, require(v, ticket_id))


# --- comments ---------------------------------------------------------------------------------------------
def comment_public(c: CommentItem) -> CommentOut:
    return CommentOut(
        id=c.comment_id,
        author=c.author,
        body=c.body,
        mentions=contacts_store.strs(c.mentions),
        internal=bool(c.internal),
        created_at=c.created_at,
    )


def comments(v: Viewer, ticket_id: str) -> CommentList:
    require(v, ticket_id)
    return CommentList(items=[comment_public(c) for c in tickets_store.comments(v.tenant_id, ticket_id)], next=None)


def add_comment(v: Viewer, ticket_id: str, req: CommentCreate) -> CommentOut:
    """A comment; the users it @mentions (by e-mail in the text, or listed) are notified
    (``ticket.mentioned`` events), and the first comment that is not internal is the
    ticket's first response (a new ticket becomes open)."""
    item = require(v, ticket_id)
    users = users_store.list_all(v.tenant_id)
    by_email = {u.email.lower(): u.user_id for u in users}
    known = {u.user_id for u in users}
    errors = {f"mentions.{i}": "not found" for i, u in enumerate(req.mentions) if u not in known}
    if errors:
        raise ValidationError("unknown users mentioned", fields=errors)
    mentioned = list(
        dict.fromkeys(
            [*req.mentions, *(by_email[m.lower()] for m in _MENTION.findall(req.body) if m.lower() in by_email)]
        )
    )
    now = clock.now()
    stamp = store.ts(now)
    comment_id = ids.new_id("tc")
    comment = CommentItem(
        keys.ticket_comment_pk(v.tenant_id, ticket_id),
        f"{stamp}#{comment_id}",
        tenant_id=v.tenant_id,
        ticket_id=ticket_id,
        comment_id=comment_id,
        author=v.user,
        body=req.body,
        mentions=mentioned,
        internal=req.internal,
        created_at=stamp,
    )
    ops = [store.put_new(comment, lambda: Conflict("comment id collision, retry"))]
    events: list[EventItem] = []
    data = {"ticket_id": ticket_id, "number": int(item.number), "comment_id": comment_id, "internal": req.internal,
            "excerpt": req.body[:EXCERPT], "mentions": mentioned, "by": v.user}  # fmt: skip
    ops.append(_event(v.tenant_id, "ticket.commented", data, now, "000", events))
    for i, user_id in enumerate(mentioned, start=1):
        data = {"ticket_id": ticket_id, "number": int(item.number), "comment_id": comment_id, "user_id": user_id,
                "by": v.user}  # fmt: skip
        ops.append(_event(v.tenant_id, "ticket.mentioned", data, now, f"{i:03d}", events))
    d = tickets_store.doc(item)
    changes: dict[str, Any] = {}
    if not req.internal and not d.get("first_response_at"):
        d["first_response_at"] = stamp
        changes["doc"] = _dump(d)
        if item.status == "new":
            changes["status"] = "open"
            data = {"ticket_id": ticket_id, "number": int(item.number), "from": "new", "to": "open", "by": v.user}
            ops.append(_event(v.tenant_id, "ticket.status_changed", data, now, "999", events))
    store.save_changes(item, changes, what="ticket", bump=False, now=now, ops=ops)
    webhooks.publish(v.tenant_id, events, now=now)
    count("TicketComment")
    return comment_public(comment)


# --- finding ---------------------------------------------------------------------------------------------
def _statuses(text: str | None) -> list[str]:
    if not text:
        return []
    out = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in out if s not in STATUSES]
    if bad:
        raise ValidationError("invalid status", fields={"status": "one or more of " + ", ".join(STATUSES)})
    return out


def _filters(v: Viewer, q: TicketQuery | TicketExportQuery, view: ViewFilters | None) -> list[Any]:
    filters: list[Any] = []
    statuses = _statuses(q.status) or (list(view.status) if view else [])
    if statuses:
        placeholders = {f":st{i}": {"S": s} for i, s in enumerate(statuses)}
        filters.append((f"#st IN ({', '.join(placeholders)})", {"#st": "status"}, placeholders))
    priority = q.priority or (view.priority if view else None)
    if priority:
        filters.append(("#pr = :pr", {"#pr": "priority"}, {":pr": {"S": priority}}))
    assignee = q.assignee or (view.assignee if view else "")
    if assignee:
        who = v.user if assignee == "me" else "" if assignee == "none" else assignee
        filters.append(("#as = :as", {"#as": "assignee"}, {":as": {"S": who}}))
    team = q.team or (view.team if view else "")
    if team:
        filters.append(("#tm = :tm", {"#tm": "team"}, {":tm": {"S": team}}))
    source = getattr(q, "source", None) or (view.source if view else None)
    if source:
        filters.append(("#so = :so", {"#so": "source"}, {":so": {"S": source}}))
    for i, word in enumerate(names.fold(q.q or (view.q if view else "")).split()[:5]):
        filters.append((f"contains(#tx, :w{i})", {"#tx": "txt"}, {f":w{i}": {"S": word}}))
    if v.agent:
        filters.append(("#as2 = :me OR #cb = :me", {"#as2": "assignee", "#cb": "created_by"}, {":me": {"S": v.user}}))
    return filters


def search(v: Viewer, q: TicketQuery) -> TicketList:
    """Newest first, filtered; ``view`` applies a saved view's filters (the query's own win);
    ``contact_id`` lists the contact's tickets."""
    view = _view_filters(v, q.view) if q.view else None
    filters = _filters(v, q, view)
    cal = calendar(v.tenant_id)
    if q.contact_id:
        if not re.match(r"^ct_[0-9a-f]{12}$", q.contact_id):
            raise ValidationError("invalid contact id", fields={"contact_id": "a contact id (ct_...)"})
        found = tickets_store.get_many(v.tenant_id, tickets_store.contact_ticket_ids(v.tenant_id, q.contact_id))
        items = [t for t in found if can_see(v, t) and _matches(v, t, q, view)]
        return TicketList(items=[public(v, t, cal=cal, with_calls=False) for t in items[: q.limit]], next=None)
    after = ids.decode_cursor(CURSOR, v.tenant_id, q.cursor) if q.cursor else None
    raws, next_sk = contacts_store.query_page(
        keys.ticket_pk(v.tenant_id), limit=q.limit, after_sk=after, filters=filters, newest_first=True
    )
    items = [TicketItem.from_raw_data(r) for r in raws]
    return TicketList(
        items=[public(v, t, cal=cal, with_calls=False) for t in items],
        next=ids.encode_cursor(CURSOR, v.tenant_id, next_sk) if next_sk else None,
    )


def _matches(v: Viewer, t: TicketItem, q: TicketQuery, view: ViewFilters | None) -> bool:
    statuses = _statuses(q.status) or (list(view.status) if view else [])
    words = names.fold(q.q or (view.q if view else "")).split()
    return (not statuses or t.status in statuses) and all(w in (t.txt or "") for w in words)


# --- saved views -----------------------------------------------------------------------------------------
def _view_public(item: ViewItem) -> ViewOut:
    return ViewOut(
        id=item.view_id,
        name=item.name,
        owner=item.owner,
        shared=bool(item.shared),
        filters=ViewFilters.model_validate(json.loads(item.filters or "{}"), strict=False),
        created_at=item.created_at,
    )


def _visible_view(v: Viewer, item: ViewItem) -> bool:
    return bool(item.shared) or item.owner == v.user


def _view_filters(v: Viewer, view_id: str) -> ViewFilters:
    item = tickets_store.get_view(v.tenant_id, view_id) if re.match(r"^tv_[0-9a-f]{12}$", view_id) else None
    if item is None or not _visible_view(v, item):
        raise ValidationError("unknown view", fields={"view": "not found"})
    return _view_public(item).filters


def list_views(v: Viewer) -> ViewList:
    items = [i for i in tickets_store.views(v.tenant_id) if _visible_view(v, i)]
    items.sort(key=lambda i: (not i.shared, i.name.lower()))
    return ViewList(items=[_view_public(i) for i in items], next=None)


def create_view(v: Viewer, req: ViewCreate) -> ViewOut:
    tenants.require(v.tenant_id)
    if req.shared and v.agent:
        raise Forbidden("only tenant admins and supervisors share views")
    view_id = ids.new_id("tv")
    item = ViewItem(
        keys.tenant_pk(v.tenant_id),
        keys.tview_sk(view_id),
        tenant_id=v.tenant_id,
        view_id=view_id,
        name=req.name,
        owner=v.user,
        shared=req.shared,
        filters=req.filters.model_dump_json(),
        created_at=store.ts(clock.now()),
    )
    store.commit([store.put_new(item, lambda: Conflict("view id collision, retry"))], bump=False)
    return _view_public(item)


def delete_view(v: Viewer, view_id: str) -> None:
    ids.check_id(view_id, "tv", "view")
    item = tickets_store.get_view(v.tenant_id, view_id)
    if item is None or not _visible_view(v, item):
        raise NotFound("view not found")
    if item.owner != v.user and v.role != "tenant_admin":
        raise Forbidden("only its owner or a tenant admin deletes a shared view")
    store.commit(
        [store.remove(ViewItem, item.pk, item.sk, error=lambda: NotFound("view not found"))],
        bump=False,
    )


# --- missed calls -----------------------------------------------------------------------------------------
def note_call(tenant_id: str, cdr: dict[str, Any], contact_id: str | None) -> str | None:
    """Called by CDR ingest after ``contacts.service.note_call``: a missed or abandoned
    inbound call (not answered) opens a ticket with a callback task for the contact,
    assigned to its owner, or adds the call to the contact's open missed-call ticket.
    The ticket id, or None for other calls. Never raises (logged and counted)."""
    try:
        return _note_call(tenant_id, cdr, contact_id)
    except Exception:
        logger.exception("missed call ticket not opened", extra={"tenant_id": tenant_id})
        count("TicketNoteFailed")
        return None


def _note_call(tenant_id: str, cdr: dict[str, Any], contact_id: str | None) -> str | None:
    if cdr.get("direction") != "inbound" or cdr.get("disposition") == "answered" or not contact_id:
        return None
    v = contacts.system_viewer(tenant_id)
    party = contacts.outside_party(cdr)
    call_id = str(cdr.get("call_id") or "")
    open_ones = [
        t
        for t in tickets_store.get_many(tenant_id, tickets_store.contact_ticket_ids(tenant_id, contact_id))
        if t.source == "missed_call" and t.status in OPEN_STATUSES
    ]
    if open_ones:
        ticket = open_ones[0]
        try:
            link_call(v, ticket.ticket_id, call_id)
        except Conflict:  # changed meanwhile or full: the call stays in the contact's history
            logger.info("missed call not linked", extra={"ticket_id": ticket.ticket_id})
        return ticket.ticket_id
    contact = contacts_store.get(tenant_id, contact_id)
    owner = (contact.owner or "") if contact is not None else ""
    who = (contact.name or "") if contact is not None else ""
    if "queue_message" in (cdr.get("chain") or ()):  # the caller left a message (a queue's overflow)
        what, description = "Tin nhắn thoại", "Voice message (the recording): listen, then call back."
    else:
        what, description = "Cuộc gọi nhỡ", "Missed call: call the customer back."
    subject = f"{what} — gọi lại {who or 'khách hàng'}"
    req = TicketCreate(
        subject=subject,
        description=description,
        priority="normal",
        assignee=owner if users_store.get(tenant_id, owner) is not None else "",
        contact_id=contact_id,
        call_id=call_id,
    )
    out = create(v, req, source="missed_call", callback_number=party[0] if party else "")
    count("TicketFromMissedCall")
    return out.id


# --- export ------------------------------------------------------------------------------------------------
EXPORT_TITLES = {
    "vi": ("Số", "Tiêu đề", "Trạng thái", "Ưu tiên", "Người xử lý", "Nhóm", "Nguồn", "Liên hệ", "Tạo lúc",
           "Phản hồi đầu", "Hạn phản hồi", "Giải quyết lúc", "Hạn giải quyết", "Quá hạn SLA"),
    "en": ("Number", "Subject", "Status", "Priority", "Assignee", "Team", "Source", "Contact", "Created",
           "First response", "First response due", "Solved", "Resolution due", "SLA breached"),
}  # fmt: skip


def export(v: Viewer, q: TicketExportQuery) -> TicketExportLink:
    """The matching tickets as an .xlsx (openpyxl, write-only) in the tenant's reports; a link."""
    from openpyxl import Workbook  # lazily: cold starts

    zone = _zone(v.tenant_id)
    cal = calendar(v.tenant_id)
    users = {u.user_id: u.email for u in users_store.list_all(v.tenant_id)}
    now = clock.now()

    def local(text: str | None) -> dt.datetime | None:
        return parse_iso(text).astimezone(zone).replace(tzinfo=None) if text else None

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tickets" if q.lang == "en" else "Phiếu")
    ws.append(list(EXPORT_TITLES[q.lang]))
    rows, truncated = 0, False
    for raw in contacts_store.iter_raw(keys.ticket_pk(v.tenant_id), filters=_filters(v, q, None)):
        if rows == q.limit:
            truncated = True
            break
        t = TicketItem.from_raw_data(raw)
        d = tickets_store.doc(t)
        state = sla_state(cal, t, d, now)
        ws.append(
            [
                int(t.number), t.subject, t.status, t.priority, users.get(t.assignee or "", t.assignee or ""),
                t.team or "", t.source or "", t.contact_id or "", local(t.created_at),
                local(d.get("first_response_at")),
                local(state.first_response.due_at), local(d.get("solved_at")), local(state.resolution.due_at),
                "x" if state.first_response.breached or state.resolution.breached else "",
            ]
        )  # fmt: skip
        rows += 1
    report_id = ids.new_id("rpt")
    filename = f"tickets-{now.astimezone(zone):%Y%m%d-%H%M%S}.xlsx"
    key = f"{s3.tenant_prefix(v.tenant_id)}reports/tickets/{report_id}.xlsx"
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as spool:
        wb.save(spool)
        size = spool.tell()
        spool.seek(0)
        s3.client().put_object(
            Bucket=s3.bucket(), Key=key, Body=spool, ContentType=XLSX_TYPE, Tagging="probox:kind=report"
        )
    url = s3.client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": s3.bucket(),
            "Key": key,
            "ResponseContentType": XLSX_TYPE,
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
        },
        ExpiresIn=LINK_TTL_S,
    )
    count("TicketExport")
    return TicketExportLink(
        id=report_id,
        rows=rows,
        truncated=truncated,
        bytes=size,
        filename=filename,
        content_type=XLSX_TYPE,
        url=url,
        expires_in=LINK_TTL_S,
        expires_at=store.ts(now + timedelta(seconds=LINK_TTL_S)),
    )
