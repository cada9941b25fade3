"""Contacts (F13): create, change, find (by number in one read, by name in one query),
link calls, and who sees what.

Visibility: tenant admins and supervisors see every contact; an agent sees the contacts it
owns and those nobody owns (the team's), and another user's contact is 404 to it, as
another tenant's is. The tenant's setting ``number_visibility`` (``masked`` by default)
decides whether agents see customers' numbers in full; masked numbers cannot be changed
by them (403), and searching by a number they type still works.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.transactions import TransactWrite

from control_plane.call_notes import store as notes_store
from control_plane.contacts import names
from control_plane.contacts import store as contacts_store
from control_plane.contacts.schemas import (
    CHANNELS,
    ConsentOut,
    ContactCallList,
    ContactCallOut,
    ContactCreate,
    ContactList,
    ContactOut,
    ContactQuery,
    ContactSettingsOut,
    ContactSettingsUpdate,
    ContactUpdate,
    DncOut,
    DncOutEntry,
)
from control_plane.contacts.store import ContactItem, SettingsItem
from control_plane.core import auth, clock, ids, keys, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.core.schemas import given, parse
from control_plane.custom_fields import service as custom_fields
from control_plane.events import store as events_store
from control_plane.events.store import EventItem
from control_plane.tenants import service as tenants
from control_plane.users import store as users_store
from control_plane.webhooks import service as webhooks
from pbx_core import contact_routes
from pbx_core.errors import Conflict, Forbidden, NotFound, ValidationError

ID_PREFIX = "ct"
CURSOR = "contact-cursor"
NAME_CURSOR = "contact-name-cursor"
CALL_CURSOR = "contact-call-cursor"
OUTSIDE = {"inbound": "caller", "outbound": "callee"}  # CDR direction -> the outside party
INSIDE = {"inbound": "callee", "outbound": "caller"}


# --- who sees what -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Viewer:
    """The caller as contacts see it."""

    tenant_id: str
    user: str  # the principal's sub: a user id, or key:<id> for an API key
    role: str
    masked: bool  # numbers are masked for it

    @property
    def agent(self) -> bool:
        return self.role == auth.AGENT


def settings_item(tenant_id: str) -> SettingsItem | None:
    return store.get_child(tenant_id, SettingsItem, keys.CONTACT_SETTINGS_SK)


def viewer(principal: auth.Principal) -> Viewer:
    tenant_id = principal.require_tenant(*auth.TENANT_ROLES)
    masked = False
    if principal.role == auth.AGENT:
        s = settings_item(tenant_id)
        masked = (s.number_visibility if s is not None else "masked") != "full"
    return Viewer(tenant_id=tenant_id, user=principal.sub, role=principal.role, masked=masked)


def system_viewer(tenant_id: str) -> Viewer:
    """What the control plane itself acts as (CDR ingest)."""
    return Viewer(tenant_id=tenant_id, user="system", role=auth.TENANT_ADMIN, masked=False)


def can_see(v: Viewer, item: ContactItem) -> bool:
    return not v.agent or (item.owner or "") in ("", v.user)


def show_number(v: Viewer, number: str) -> str:
    return names.mask(number) if v.masked and number else number


def require(v: Viewer, contact_id: str) -> ContactItem:
    ids.check_id(contact_id, ID_PREFIX, "contact")
    item = contacts_store.get(v.tenant_id, contact_id)
    if item is None or not can_see(v, item):
        raise NotFound("contact not found")
    return item


def public(v: Viewer, item: ContactItem, national: set[str] | None = None) -> ContactOut:
    d = contacts_store.doc(item)
    numbers = contacts_store.strs(item.numbers)
    listed = national if national is not None else contacts_store.dnc_listed(v.tenant_id, numbers)
    dnc = {ch: DncOut(**entry) for ch, entry in (d.get("dnc") or {}).items()}
    return ContactOut(
        id=item.contact_id,
        name=item.name or "",
        company=item.company or "",
        email=item.email or "",
        numbers=[show_number(v, n) for n in numbers],
        numbers_masked=v.masked,
        owner=item.owner or "",
        tags=contacts_store.strs(item.tags),
        segments=contacts_store.strs(item.segments),
        notes=d.get("notes") or "",
        consent={ch: ConsentOut(**entry) for ch, entry in (d.get("consent") or {}).items()},
        dnc=dnc,
        national_dnc=[show_number(v, n) for n in numbers if n in listed],
        callable="call" not in dnc,
        custom=d.get("custom") or {},
        source=d.get("source") or "manual",
        calls=int(item.calls or 0),
        last_call_at=item.last_call_at,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def public_many(v: Viewer, items: list[ContactItem]) -> list[ContactOut]:
    listed = contacts_store.dnc_listed(v.tenant_id, [n for i in items for n in contacts_store.strs(i.numbers)])
    return [public(v, i, listed) for i in items]


# --- checks -----------------------------------------------------------------------------------------
def normalise_numbers(raw: list[str], field: str = "numbers") -> list[str]:
    out: list[str] = []
    errors: dict[str, str] = {}
    for i, text in enumerate(raw):
        n = names.national(text)
        if n is None:
            errors[f"{field}.{i}"] = "a Vietnamese number (0 + 9-10 digits, +84 accepted) or an international one"
        elif n not in out:
            out.append(n)
    if errors:
        raise ValidationError("invalid numbers", fields=errors)
    return out


def _check_owner(v: Viewer, owner: str) -> None:
    if not owner:
        return
    if v.agent and owner != v.user:
        raise Forbidden("an agent may own a contact itself or leave it to the team, not give it to another user")
    user = users_store.get(v.tenant_id, owner)
    if user is None:
        raise ValidationError(f"owner {owner} does not exist", fields={"owner": "not found"})


def _stamp(entries: Mapping[Any, Any], v: Viewer, now: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for ch, entry in entries.items():
        if entry is None:
            continue
        body = entry.model_dump()
        out[ch] = {**body, "at": now} if "status" in body else {"reason": body["reason"], "at": now, "by": v.user}
    return out


def _dump(d: dict[str, Any]) -> str:
    return json.dumps(d, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


# --- events (the tenant's feed and its webhooks) ---------------------------------------------------------
def _summary(item: ContactItem, changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What a contact.* event says of the contact (after the change): numbers in full (the
    feed is read by admins and supervisors, webhooks go to the tenant's own software)."""
    c = changes or {}
    d = json.loads(c["doc"]) if "doc" in c else contacts_store.doc(item)
    return {
        "contact_id": item.contact_id,
        "name": c.get("name", item.name or "") or "",
        "company": c.get("company", item.company or "") or "",
        "email": c.get("email", item.email or "") or "",
        "numbers": list(c.get("numbers", contacts_store.strs(item.numbers))),
        "owner": c.get("owner", item.owner or "") or "",
        "tags": list(c.get("tags", contacts_store.strs(item.tags))),
        "segments": list(c.get("segments", contacts_store.strs(item.segments))),
        "source": d.get("source") or "manual",
        "dnc": sorted(d.get("dnc") or {}),
    }


def _event(tenant_id: str, kind: str, data: dict[str, Any], now: datetime) -> tuple[EventItem, store.Op]:
    """A feed event to save in the change's transaction; published to webhooks after it."""
    event = events_store.new(tenant_id, kind, data, now)
    return event, store.Op(lambda tx: tx.save(event))


# --- CRUD ---------------------------------------------------------------------------------------------
def create(v: Viewer, req: ContactCreate, *, source: str = "manual") -> ContactOut:
    tenants.require(v.tenant_id)
    numbers = normalise_numbers(req.numbers)
    _check_owner(v, req.owner)
    custom = custom_fields.check(custom_fields.definitions(v.tenant_id), req.custom, full=True)
    now = store.ts(clock.now())
    dnc = _stamp(req.dnc, v, now)
    d = {
        "notes": req.notes,
        "consent": _stamp(req.consent, v, now),
        "dnc": dnc,
        "custom": custom,
        "source": source,
    }
    item = _new_item(v.tenant_id, req.name, req.company, req.email, numbers, req.owner, req.tags, req.segments, d, now)
    _commit_new(v.tenant_id, item, by=v.user)
    count("ContactCreated")
    logger.info("contact created", extra={"contact_id": item.contact_id, "source": source})
    return public(v, item)


def _new_item(
    tenant_id: str,
    name: str,
    company: str,
    email: str,
    numbers: list[str],
    owner: str,
    tags: list[str],
    segments: list[str],
    d: dict[str, Any],
    now: str,
) -> ContactItem:
    contact_id = ids.new_id(ID_PREFIX)
    return ContactItem(
        keys.contact_pk(tenant_id),
        contact_id,
        tenant_id=tenant_id,
        contact_id=contact_id,
        name=name,
        nkey=names.name_key(name),
        company=company,
        email=email,
        owner=owner,
        numbers=numbers,
        numtext=" ".join(numbers),
        dncch=sorted(d.get("dnc") or {}),
        tags=list(dict.fromkeys(tags)),
        segments=list(dict.fromkeys(segments)),
        doc=_dump(d),
        calls=0,
        rev=0,
        created_at=now,
        updated_at=now,
    )


def _commit_new(tenant_id: str, item: ContactItem, *, by: str) -> None:
    """Save a new contact, its number claims, its name index and its contact.created event
    in one transaction; then hand the event to the tenant's webhooks."""
    now = clock.now()
    event, op = _event(tenant_id, "contact.created", {**_summary(item), "by": by}, now)
    store.commit(
        [
            store.put_new(item, lambda: Conflict("contact id collision, retry")),
            *contacts_store.claim_ops(tenant_id, item.contact_id, [], contacts_store.strs(item.numbers)),
            *contacts_store.name_ops(tenant_id, item.contact_id, ("", "", ""), contacts_store.name_state(item)),
            *contacts_store.route_ops(tenant_id, {}, contacts_store.routes_of(item)),
            op,
        ],
        bump=False,
    )
    webhooks.publish(tenant_id, [event], now=now)


def get(v: Viewer, contact_id: str) -> ContactOut:
    return public(v, require(v, contact_id))


def update(v: Viewer, contact_id: str, body: dict[str, Any]) -> ContactOut:
    """A change of the contact: 404 for an unknown (or unseen) contact before any field error."""
    item = require(v, contact_id)
    req = parse(ContactUpdate, body, "invalid contact")
    sent = given(req)
    if not sent:
        return public(v, item)
    d = contacts_store.doc(item)
    now = store.ts(clock.now())
    changes: dict[str, Any] = {}
    for name in ("company", "email", "notes"):
        if name in sent:
            if name == "notes":
                d["notes"] = req.notes
            else:
                changes[name] = getattr(req, name)
    if "name" in sent:
        changes["name"], changes["nkey"] = req.name, names.name_key(req.name or "")
    if "tags" in sent:
        changes["tags"] = list(dict.fromkeys(contacts_store.strs(req.tags)))
    if "segments" in sent:
        changes["segments"] = list(dict.fromkeys(contacts_store.strs(req.segments)))
    if "owner" in sent:
        _check_owner(v, req.owner or "")
        if v.agent and (item.owner or "") not in ("", v.user):
            raise NotFound("contact not found")
        changes["owner"] = req.owner
    numbers = contacts_store.strs(item.numbers)
    if "numbers" in sent:
        if v.masked:
            raise Forbidden("customers' numbers are masked for agents: a supervisor changes them")
        numbers = normalise_numbers(contacts_store.strs(req.numbers))
        changes["numbers"], changes["numtext"] = numbers, " ".join(numbers)
    if "consent" in sent:
        d["consent"] = {**(d.get("consent") or {}), **_stamp(req.consent or {}, v, now)}
    if "dnc" in sent:
        dnc = dict(d.get("dnc") or {})
        for ch, entry in (req.dnc or {}).items():
            if entry is None:
                dnc.pop(ch, None)
            else:
                dnc[ch] = _stamp({ch: entry}, v, now)[ch]
        d["dnc"] = dnc
        changes["dncch"] = sorted(dnc)
    if "custom" in sent:
        defs = custom_fields.definitions(v.tenant_id)
        d["custom"] = custom_fields.check(defs, req.custom or {}, current=d.get("custom") or {}, full=False)
    changes["doc"] = _dump(d)
    before = contacts_store.name_state(item)
    after = (
        changes.get("nkey", item.nkey or ""),
        changes.get("owner", item.owner or "") or "",
        changes.get("name", item.name or "") or "",
    )
    at = clock.now()
    event, op = _event(
        v.tenant_id, "contact.updated", {**_summary(item, changes), "changed": sorted(sent), "by": v.user}, at
    )
    routes_after = contact_routes.routes(
        numbers,
        changes.get("owner", item.owner or "") or "",
        changes.get("tags", contacts_store.strs(item.tags)),
    )
    ops = [
        *contacts_store.claim_ops(v.tenant_id, contact_id, contacts_store.strs(item.numbers), numbers),
        *contacts_store.name_ops(v.tenant_id, contact_id, before, after),
        *contacts_store.route_ops(v.tenant_id, contacts_store.routes_of(item), routes_after),
        op,
    ]
    store.save_changes(item, changes, what="contact", bump=False, now=at, ops=ops)
    webhooks.publish(v.tenant_id, [event], now=at)
    logger.info("contact changed", extra={"contact_id": contact_id, "fields": sorted(sent)})
    return public(v, require(v, contact_id))


def delete(v: Viewer, contact_id: str) -> None:
    item = require(v, contact_id)
    now = clock.now()
    event, op = _event(v.tenant_id, "contact.deleted", {**_summary(item), "by": v.user}, now)
    store.commit(
        [
            store.remove(ContactItem, item.pk, item.sk, error=contacts_store.gone),
            *contacts_store.claim_ops(v.tenant_id, contact_id, contacts_store.strs(item.numbers), []),
            *contacts_store.name_ops(v.tenant_id, contact_id, contacts_store.name_state(item), ("", "", "")),
            *contacts_store.route_ops(v.tenant_id, contacts_store.routes_of(item), {}),
            op,
        ],
        bump=False,
    )
    webhooks.publish(v.tenant_id, [event], now=now)
    store.delete_partition(keys.contact_calls_pk(v.tenant_id, contact_id))
    store.delete_partition(keys.contact_tickets_pk(v.tenant_id, contact_id))
    logger.info("contact deleted", extra={"contact_id": contact_id})


# --- find ------------------------------------------------------------------------------------------------
def find_by_number(tenant_id: str, number: str) -> ContactItem | None:
    """The contact with ``number`` (national form): one GetItem of its number item, one of
    the contact."""
    contact_id = contacts_store.owner_of(tenant_id, number)
    return contacts_store.get(tenant_id, contact_id) if contact_id else None


def lookup(v: Viewer, number: str) -> ContactOut:
    """The contact of a caller's number (the screen pop): 404 for an unknown number. Two
    requests for a contact with one number: the number's item and its do-not-call entry
    together, then the contact."""
    n = names.national(number)
    if n is None:
        raise ValidationError("invalid number", fields={"number": "a telephone number"})
    contact_id, listed = contacts_store.number_and_dnc(v.tenant_id, n)  # one request for both
    item = contacts_store.get(v.tenant_id, contact_id) if contact_id else None
    if item is None or not can_see(v, item):
        raise NotFound("no contact has this number")
    others = [x for x in contacts_store.strs(item.numbers) if x != n]
    national = ({n} if listed else set()) | (contacts_store.dnc_listed(v.tenant_id, others) if others else set())
    return public(v, item, national)


def _visibility_filter(v: Viewer) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    if not v.agent:
        return []
    return [
        (
            "attribute_not_exists(#own) OR #own IN (:me, :nobody)",
            {"#own": "owner"},
            {":me": {"S": v.user}, ":nobody": {"S": ""}},
        )
    ]


def search(v: Viewer, q: ContactQuery) -> ContactList:
    """Contacts matching ``q``: a whole number is one lookup; words are matched on the name
    (the given name, its last word, starts with the last word typed; the other words must
    be in the name); digits only are a partial number (a bounded scan); no text lists the
    tenant's contacts, filtered by tag, segment, owner or do-not-call channel."""
    owner = v.user if q.owner == "me" else q.owner
    text = (q.q or "").strip()
    if text:
        n = names.national(text)
        if n is not None:
            item = find_by_number(v.tenant_id, n)
            items = [item] if item is not None and can_see(v, item) and _passes(item, q, owner) else []
            return ContactList(items=public_many(v, items), next=None)
        digits = text.replace(" ", "").replace(".", "").replace("-", "")
        if not digits.isdigit():
            return _search_name(v, q, text, owner)
    filters = _visibility_filter(v)
    if text:
        filters.append(("contains(#nt, :digits)", {"#nt": "numtext"}, {":digits": {"S": digits}}))
    for attr, value in (("tags", q.tag), ("segments", q.segment), ("dncch", q.dnc)):
        if value:
            filters.append((f"contains(#{attr}, :{attr})", {f"#{attr}": attr}, {f":{attr}": {"S": value}}))
    if owner:
        filters.append(("#ow = :ow", {"#ow": "owner"}, {":ow": {"S": owner}}))
    after = ids.decode_cursor(CURSOR, v.tenant_id, q.cursor) if q.cursor else None
    raws, next_sk = contacts_store.query_page(
        keys.contact_pk(v.tenant_id), limit=q.limit, after_sk=after, filters=filters
    )
    items = [ContactItem.from_raw_data(r) for r in raws]
    return ContactList(
        items=public_many(v, items), next=ids.encode_cursor(CURSOR, v.tenant_id, next_sk) if next_sk else None
    )


def _passes(item: ContactItem, q: ContactQuery, owner: str | None) -> bool:
    return (
        (not q.tag or q.tag in contacts_store.strs(item.tags))
        and (not q.segment or q.segment in contacts_store.strs(item.segments))
        and (not q.dnc or q.dnc in contacts_store.strs(item.dncch))
        and (not owner or (item.owner or "") == owner)
    )


def _search_name(v: Viewer, q: ContactQuery, text: str, owner: str | None) -> ContactList:
    words = names.fold(text).split()
    if not words or len(words[-1]) < 2:
        raise ValidationError("search needs 2 letters at least", fields={"q": "at least 2 letters or digits"})
    given_name, others = words[-1], words[:-1]
    filters = _visibility_filter(v)
    for i, w in enumerate(others):
        filters.append((f"contains(#nm, :w{i})", {"#nm": "nm"}, {f":w{i}": {"S": w}}))
    if owner:
        filters.append(("#ow = :ow", {"#ow": "owner"}, {":ow": {"S": owner}}))
    after = ids.decode_cursor(NAME_CURSOR, v.tenant_id, q.cursor) if q.cursor else None
    raws, next_sk = contacts_store.query_page(
        keys.contact_name_pk(v.tenant_id, names.shard(given_name)),
        limit=q.limit,
        after_sk=after,
        prefix=given_name,
        filters=filters,
    )
    found = contacts_store.get_many(v.tenant_id, [r["contact_id"]["S"] for r in raws])
    items = [found[r["contact_id"]["S"]] for r in raws if r["contact_id"]["S"] in found]
    items = [i for i in items if can_see(v, i) and _passes(i, q, owner)]
    return ContactList(
        items=public_many(v, items), next=ids.encode_cursor(NAME_CURSOR, v.tenant_id, next_sk) if next_sk else None
    )


# --- calls ---------------------------------------------------------------------------------------------------
def outside_party(cdr: dict[str, Any]) -> tuple[str, str] | None:
    """(the outside number in national form, the internal party) of a CDR, or None for an
    internal call or a caller without a usable number."""
    direction = str(cdr.get("direction") or "")
    if direction not in OUTSIDE:
        return None
    number = names.national(str(cdr.get(OUTSIDE[direction]) or ""))
    if number is None:
        return None
    return number, str(cdr.get(INSIDE[direction]) or "")


def note_call(tenant_id: str, cdr: dict[str, Any]) -> str | None:
    """Called by CDR ingest for every new CDR: the contact of the call's outside number
    (created when unknown, ``source: call``) gets the call linked to it and counted. The
    contact id, or None for internal calls and anonymous callers. Idempotent per call.
    Never raises: a failure here is logged and counted, and the CDR stays stored (S7)."""
    try:
        return _note_call(tenant_id, cdr)
    except Exception:
        logger.exception("contact of a call not noted", extra={"tenant_id": tenant_id})
        count("ContactNoteFailed")
        return None


def _note_call(tenant_id: str, cdr: dict[str, Any]) -> str | None:
    party = outside_party(cdr)
    if party is None:
        return None
    number, inside = party
    contact_id = contacts_store.owner_of(tenant_id, number)
    if contact_id is None:
        contact_id = _contact_from_call(tenant_id, number)
    started = str(cdr.get("started_at") or "")
    call_id = str(cdr.get("call_id") or "")
    link = contacts_store.CallItem(
        keys.contact_calls_pk(tenant_id, contact_id),
        keys.cdr_sk(started, call_id),
        tenant_id=tenant_id,
        contact_id=contact_id,
        call_id=call_id,
        started_at=started,
        doc=_dump(
            {
                "direction": cdr.get("direction") or "",
                "disposition": cdr.get("disposition") or "",
                "duration_s": float(cdr.get("duration_s") or 0),
                "extension": inside,
                "number": number,
                "recording": bool(cdr.get("recording_key")),
            }
        ),
    )

    def build(tx: TransactWrite) -> None:
        tx.save(link, condition=contacts_store.CallItem.pk.does_not_exist())
        tx.update(
            ContactItem(keys.contact_pk(tenant_id), contact_id),
            actions=[ContactItem.calls.add(1), ContactItem.last_call_at.set(started)],
            condition=ContactItem.pk.exists()
            & (ContactItem.last_call_at.does_not_exist() | (ContactItem.last_call_at < started)),
        )

    if store.transact(build) is not None:  # a repeat, or an older call than the last one
        store.transact(lambda tx: _link_only(tx, link, tenant_id, contact_id))
    count("ContactCallLinked")
    return contact_id


def _link_only(tx: TransactWrite, link: Any, tenant_id: str, contact_id: str) -> None:
    tx.save(link, condition=contacts_store.CallItem.pk.does_not_exist())
    tx.update(
        ContactItem(keys.contact_pk(tenant_id), contact_id),
        actions=[ContactItem.calls.add(1)],
        condition=ContactItem.pk.exists(),
    )


def _contact_from_call(tenant_id: str, number: str) -> str:
    now = store.ts(clock.now())
    d = {"notes": "", "consent": {}, "dnc": {}, "custom": {}, "source": "call"}
    item = _new_item(tenant_id, "", "", "", [number], "", [], [], d, now)
    try:
        _commit_new(tenant_id, item, by="system")
    except Conflict:  # another call from the same number made it meanwhile
        existing = contacts_store.owner_of(tenant_id, number)
        if existing is None:
            raise
        return existing
    count("ContactCreated")
    logger.info("contact created from a call", extra={"contact_id": item.contact_id})
    return item.contact_id


def calls(v: Viewer, contact_id: str, *, limit: int, cursor: str | None) -> ContactCallList:
    """The contact's calls, newest first (the CDRs themselves: ``GET /v1/cdrs/{call_id}``,
    their recordings: ``GET /v1/cdrs/{call_id}/recording``)."""
    require(v, contact_id)
    after = ids.decode_cursor(CALL_CURSOR, v.tenant_id, cursor) if cursor else None
    raws, next_sk = contacts_store.query_page(
        keys.contact_calls_pk(v.tenant_id, contact_id), limit=limit, after_sk=after, newest_first=True
    )
    notes = notes_store.summaries(v.tenant_id, [raw["call_id"]["S"] for raw in raws])
    out = []
    for raw in raws:
        d = json.loads(raw["doc"]["S"])
        out.append(
            ContactCallOut(
                call_id=raw["call_id"]["S"],
                started_at=raw["started_at"]["S"],
                direction=d.get("direction", ""),
                disposition=d.get("disposition", ""),
                duration_s=float(d.get("duration_s") or 0),
                extension=d.get("extension", ""),
                number=show_number(v, d.get("number", "")),
                recording=bool(d.get("recording")),
                wrapup=notes.get(raw["call_id"]["S"]),
            )
        )
    return ContactCallList(items=out, next=ids.encode_cursor(CALL_CURSOR, v.tenant_id, next_sk) if next_sk else None)


# --- settings and the national do-not-call list ------------------------------------------------------------
def get_settings(tenant_id: str) -> ContactSettingsOut:
    s = settings_item(tenant_id)
    if s is None:
        return ContactSettingsOut(number_visibility="masked", updated_at="")
    return ContactSettingsOut(number_visibility=s.number_visibility, updated_at=s.updated_at)  # type: ignore[arg-type]


def update_settings(tenant_id: str, req: ContactSettingsUpdate, now: datetime | None = None) -> ContactSettingsOut:
    tenants.require(tenant_id)
    stamp = store.ts(now or clock.now())
    SettingsItem(
        keys.tenant_pk(tenant_id),
        keys.CONTACT_SETTINGS_SK,
        tenant_id=tenant_id,
        number_visibility=req.number_visibility,
        updated_at=stamp,
    ).save()
    logger.info("contact settings changed", extra={"number_visibility": req.number_visibility})
    return get_settings(tenant_id)


def dnc_entry(v: Viewer, number: str) -> DncOutEntry:
    n = names.national(number)
    item = store.get_item(contacts_store.DncItem, keys.dnc_pk(v.tenant_id), n) if n else None
    if n is None or item is None:
        raise NotFound("number not on the do-not-call list")
    return DncOutEntry(number=show_number(v, n), listed=True, source=item.source or "", added_at=item.added_at)


def dnc_remove(tenant_id: str, number: str) -> None:
    n = names.national(number)
    if n is None or store.get_item(contacts_store.DncItem, keys.dnc_pk(tenant_id), n) is None:
        raise NotFound("number not on the do-not-call list")
    store.commit(
        [store.remove(contacts_store.DncItem, keys.dnc_pk(tenant_id), n, error=lambda: NotFound("not listed"))],
        bump=False,
    )


def is_callable(tenant_id: str, contact_id: str, *, advertising: bool) -> bool:
    """May the tenant call the contact (click-to-call)? Never when the contact asked not to
    be called; for an advertising call, also never a number on the national list."""
    item = contacts_store.get(tenant_id, contact_id)
    if item is None or "call" in contacts_store.strs(item.dncch):
        return False
    return not (advertising and contacts_store.dnc_listed(tenant_id, contacts_store.strs(item.numbers)))


def known_channels() -> tuple[str, ...]:
    return CHANNELS
