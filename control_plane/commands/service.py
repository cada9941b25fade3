"""Click-to-call (CC1) and the edges' command queue.

``click_to_call``: the caller is the user's own extension (an agent cannot name another; a
supervisor or admin may name one of the tenant's); the customer is a contact (one of its
numbers) or a number, which is linked to its contact when one has it. Refused before
anything is stored: a contact on do-not-call for calls, or, for an advertising call, a number
on the tenant's national do-not-call list (403 ``do_not_call``; as
``contacts.service.is_callable``: the national list is about advertising, a service call to a
customer on it is allowed); a number the tenant's outbound rules refuse
(403 ``outbound_refused``: ``pbx_core.routing.outbound_policy``, the code the edge runs); a
tenant without a trunk for an outside number (409 ``no_trunk``) or without an edge (409
``no_edge``). Another tenant's contact is 404 like a missing one.

The edge side: an edge sees only its own inbox and only commands of tenants it serves now;
the first claim wins, the winner's repeated claim answers the same (idempotent), a claim
after ``expires_at`` is refused (409 ``command_expired``), a claim of a command another edge
took is 409 ``command_claimed``. Only the winner reports progress, forward only."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from control_plane.commands import store as commands_store
from control_plane.commands.schemas import (
    ClickToCallIn,
    ClickToCallOut,
    CommandReportIn,
    EdgeCommandList,
    EdgeCommandOut,
)
from control_plane.contacts import names
from control_plane.contacts import service as contacts
from control_plane.contacts import store as contacts_store
from control_plane.core import auth, ids
from control_plane.core.log import logger
from control_plane.edges import service as edges
from control_plane.edges import snapshot as edge_snapshot
from control_plane.edges import store as edges_store
from control_plane.tenants import store as tenants_store
from control_plane.users import service as users
from pbx_core import advertising, defaults, numbers, routing
from pbx_core.cdr import iso
from pbx_core.errors import Conflict, Forbidden, NotFound, ValidationError

TTL_S = 60  # an edge that has not claimed a click within a minute does not ring anyone any more
ID_PREFIX = "cmd"

# progress an edge may report, from which states
_FORWARD = {
    "agent_ringing": ["claimed"],
    "agent_answered": ["claimed", "agent_ringing"],
    "connected": ["claimed", "agent_ringing", "agent_answered"],
    "failed": ["claimed", "agent_ringing", "agent_answered"],
}


class DoNotCall(Forbidden):
    """The customer asked not to be called (the contact's do-not-call, or the national list)."""

    code = "do_not_call"


class AdvertisingHours(Forbidden):
    """An advertising call outside 08:00-17:00, the tenant's local time (Decree 91/2020/NĐ-CP)."""

    code = "advertising_hours"


class AdvertisingDailyLimit(Conflict):
    """A second advertising call to the same person on the same day."""

    code = "advertising_daily_limit"


class OutboundRefused(Forbidden):
    """The tenant's outbound rules refuse the number (S4, F10)."""

    code = "outbound_refused"


class NotOwnExtension(Forbidden):
    code = "not_own_extension"


class NoExtension(Forbidden):
    code = "no_extension"


class NoTrunk(Conflict):
    code = "no_trunk"


class NoEdge(Conflict):
    code = "no_edge"


class CommandClaimed(Conflict):
    code = "command_claimed"


class CommandExpired(Conflict):
    code = "command_expired"


@dataclass(frozen=True)
class _Target:
    dial: str
    kind: str  # "extension" | "number"
    contact_id: str
    trunk_id: str = ""
    caller_id: str = ""


def _now_s() -> float:
    return time.time()


def _iso_s(t: float) -> str:
    return iso(datetime.fromtimestamp(t, UTC))


def _caller_extension(principal: auth.Principal, tenant_id: str, wanted: str) -> str:
    if principal.role == auth.AGENT:
        own = users.agent_extension(principal)
        if not own:
            raise NoExtension("an agent needs an extension of its own to call from")
        if wanted and wanted != own:
            raise NotOwnExtension("an agent calls from its own extension only", fields={"extension": "not yours"})
        return own
    if wanted:
        return wanted
    own = users.agent_extension(principal)
    if not own:
        raise NoExtension("name the extension to ring first (this login has none)", fields={"extension": "required"})
    return own


def _customer(v: contacts.Viewer, req: ClickToCallIn) -> tuple[str, str]:
    """(the digits to dial, the contact's id or "")."""
    if req.contact_id:
        item = contacts.require(v, req.contact_id)  # 404: another tenant's, or not the agent's
        own = contacts_store.strs(item.numbers)
        if req.number:
            n = names.national(req.number)
            if n is None or n not in own:
                raise ValidationError("not a number of this contact", fields={"number": "not the contact's"})
            dial = n
        elif own:
            dial = own[0]
        else:
            raise ValidationError("the contact has no number", fields={"contact_id": "no number"})
        if not contacts.is_callable(v.tenant_id, item.contact_id, advertising=False):
            raise DoNotCall("the contact asked not to be called", fields={"contact_id": "do not call"})
        return dial, req.contact_id
    if not req.number:
        raise ValidationError("a contact or a number is needed", fields={"number": "required"})
    return numbers.digits_of(req.number), ""  # an extension or a number: _route tells


def _route(v: contacts.Viewer, extension: str, dial: str, contact_id: str, advertising: bool) -> _Target:
    tenant_id = v.tenant_id
    cfg = edge_snapshot.tenant_config(tenant_id, seal_key=None)
    if cfg is None:
        raise NotFound("tenant not found")
    ext = cfg.extensions.get(extension)
    if ext is None:
        raise NotFound("no such extension", fields={"extension": "not an active extension of the tenant"})
    internal = routing.internal_target(cfg, dial)
    if internal is not None:
        if internal == extension:
            raise ValidationError("an extension cannot call itself", fields={"number": "your own extension"})
        return _Target(internal, "extension", contact_id)
    n = numbers.parse(dial)
    if n is None:
        raise ValidationError("not a telephone number or an extension", fields={"number": "invalid"})
    if not contact_id:  # a number: its contact, if it has one, is linked and asked
        found = contacts.find_by_number(tenant_id, n.national)
        if found is not None and "call" in (contacts_store.doc(found).get("dnc") or {}):
            raise DoNotCall("the contact of this number asked not to be called", fields={"number": "do not call"})
        contact_id = found.contact_id if found is not None and contacts.can_see(v, found) else ""
    if advertising and contacts_store.dnc_listed(tenant_id, [n.national]):
        raise DoNotCall(
            "an advertising call to a number on the national do-not-call list", fields={"number": "do not call"}
        )
    refused = routing.outbound_policy(cfg, ext, n)
    if refused is not None:
        raise OutboundRefused(f"the tenant's rules refuse this call ({refused.slug})", fields={"number": refused.slug})
    route = routing.outbound_route(cfg, ext)
    if route is None:
        raise NoTrunk("the tenant has no trunk to call out through")
    return _Target(n.national, "number", contact_id, route.trunk.id, route.caller_id)


def _zone(tenant_id: str) -> ZoneInfo:
    item = tenants_store.get(tenant_id)
    try:
        return ZoneInfo((item.time_zone if item is not None else "") or defaults.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(defaults.TIME_ZONE)


def _advertising_guard(tenant_id: str, target: _Target, now_s: float) -> str:
    """Vietnam's rules for an advertising call (pbx_core.advertising): refused outside the
    allowed hours; else the key of its once-a-day guard, taken with the command (a second
    click the same day fails there: ``advertising_daily_limit``)."""
    zone = _zone(tenant_id)
    now = datetime.fromtimestamp(now_s, UTC)
    if not advertising.within_hours(now, zone):
        raise AdvertisingHours(
            "advertising calls are allowed from 08:00 to 17:00 (Decree 91/2020/ND-CP)",
            fields={"advertising": "outside the allowed hours"},
        )
    return f"{tenant_id}|{advertising.person_key(target.contact_id, target.dial)}|{advertising.day(now, zone)}"


def _public(doc: dict[str, Any], v: contacts.Viewer) -> ClickToCallOut:
    target = doc["target"] if doc["target_kind"] == "extension" else contacts.show_number(v, doc["target"])
    state = doc["state"]
    if state == "pending" and doc["expires_s"] <= _now_s():
        state = "expired"
    return ClickToCallOut(
        id=doc["id"], state=state, extension=doc["extension"], target=target, target_kind=doc["target_kind"],
        contact_id=doc["contact_id"], created_at=doc["created_at"], expires_at=doc["expires_at"],
        call_id=doc.get("call_id", ""), reason=doc.get("reason", ""),
    )  # fmt: skip


def click_to_call(principal: auth.Principal, req: ClickToCallIn) -> tuple[ClickToCallOut, bool]:
    """(the command, whether it is new: False for a repeated ``request_id``)."""
    v = contacts.viewer(principal)
    tenant_id = v.tenant_id
    command_id = (
        f"{ID_PREFIX}_{ids.sha256(f'{tenant_id}|{principal.sub}|{req.request_id}')[:24]}"
        if req.request_id
        else f"{ID_PREFIX}_{ids.new_id('x')[2:]}{ids.new_id('x')[2:]}"
    )
    if req.request_id:
        known = commands_store.get(command_id)
        if known is not None and known["tenant_id"] == tenant_id:
            return _public(known, v), False
    extension = _caller_extension(principal, tenant_id, req.extension)
    dial, contact_id = _customer(v, req)
    target = _route(v, extension, dial, contact_id, req.advertising)
    serving = [e.edge_id for e in edges_store.list_all() if e.tenants is None or tenant_id in e.tenants]
    if not serving:
        raise NoEdge("no edge serves the tenant")
    now = _now_s()
    ad_guard = _advertising_guard(tenant_id, target, now) if req.advertising else None
    doc: dict[str, Any] = {
        "id": command_id, "kind": "click_to_call", "tenant_id": tenant_id, "extension": extension,
        "target": target.dial, "target_kind": target.kind, "trunk_id": target.trunk_id,
        "caller_id": target.caller_id, "contact_id": target.contact_id, "created_by": principal.sub,
        "created_at": _iso_s(now), "expires_at": _iso_s(now + TTL_S), "expires_s": now + TTL_S,
    }  # fmt: skip
    try:
        new = commands_store.create(doc, serving, now, once_key=ad_guard)
    except commands_store.OnceTaken:
        raise AdvertisingDailyLimit(
            "this person already got an advertising call today", fields={"advertising": "once a day"}
        ) from None
    stored = commands_store.get(command_id)
    assert stored is not None
    if new:
        logger.info(
            "click-to-call queued",
            extra={"command_id": command_id, "target_kind": target.kind, "contact_id": contact_id, "edges": serving},
        )
    return _public(stored, v), new


def get(principal: auth.Principal, command_id: str) -> ClickToCallOut:
    v = contacts.viewer(principal)
    doc = commands_store.get(command_id)
    if doc is None or doc["tenant_id"] != v.tenant_id or (v.agent and doc["created_by"] != principal.sub):
        raise NotFound("command not found")
    return _public(doc, v)


# --- the edge's side ------------------------------------------------------------------------
def _edge_view(doc: dict[str, Any]) -> EdgeCommandOut:
    fields = {k: doc[k] for k in EdgeCommandOut.model_fields if k in doc}
    return EdgeCommandOut(**fields)


def _visible_to(edge_id: str, doc: dict[str, Any] | None) -> dict[str, Any]:
    """The command if ``edge_id`` may act on it (it serves the command's tenant now); else
    404, so that an edge learns nothing of other tenants' commands."""
    if doc is None or not edges.serves(edge_id, doc["tenant_id"]):
        raise NotFound("command not found")
    return doc


def pending(edge_id: str) -> EdgeCommandList:
    """The edge's inbox: pending, unexpired commands of tenants it serves, oldest first.
    Entries that are done, expired, taken by another edge or of a tenant it no longer
    serves are removed from the inbox as they are met."""
    now = _now_s()
    out = []
    for doc in commands_store.get_many(commands_store.inbox(edge_id)):
        live = doc["state"] == "pending" and doc["expires_s"] > now and edges.serves(edge_id, doc["tenant_id"])
        mine = doc["state"] != "pending" and doc.get("edge_id") == edge_id
        if live:
            out.append(_edge_view(doc))
        elif not mine:
            commands_store.drop_from_inbox(edge_id, doc["id"])
    return EdgeCommandList(commands=out)


def claim(edge_id: str, command_id: str) -> EdgeCommandOut:
    doc = _visible_to(edge_id, commands_store.get(command_id))
    now = _now_s()
    if not commands_store.claim(command_id, edge_id, now):
        doc = _visible_to(edge_id, commands_store.get(command_id))
        if doc["state"] == "pending":
            raise CommandExpired("the command expired before it was claimed")
        if doc.get("edge_id") != edge_id:
            raise CommandClaimed("another edge runs this command")
        return _edge_view(doc)  # claimed before by this edge: the same answer
    doc = _visible_to(edge_id, commands_store.get(command_id))
    logger.info("command claimed", extra={"command_id": command_id, "tenant_id": doc["tenant_id"]})
    return _edge_view(doc)


def report(edge_id: str, command_id: str, req: CommandReportIn) -> EdgeCommandOut:
    doc = _visible_to(edge_id, commands_store.get(command_id))
    if doc.get("edge_id") != edge_id:
        raise CommandClaimed("only the edge that claimed the command reports on it")
    if doc["state"] == req.state:
        return _edge_view(doc)  # a repeated report
    if not commands_store.report(command_id, edge_id, req.state, req.call_id, req.reason, _FORWARD[req.state]):
        raise Conflict(f"the command is {doc['state']}, it cannot become {req.state}")
    if req.state in ("connected", "failed"):
        commands_store.drop_from_inbox(edge_id, command_id)
    return _edge_view(_visible_to(edge_id, commands_store.get(command_id)))
