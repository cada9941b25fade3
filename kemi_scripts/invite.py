"""Initial INVITEs: from a phone or a carrier trunk to a media worker, and a worker's
callee legs to a phone or a carrier; the reply and failure routes of those legs.

Header contract (names in pbx_core.routing):
  * Phone or trunk INVITE -> worker: the decision's headers (X-PBX-Tenant, -Caller,
    -Callee, -Kind: internal|outbound|inbound, -Record, -Domain) are added, signed
    (X-PBX-Sig, ``common.append_decision``); without the edge's key the call gets 503.
  * Worker INVITE (callee leg) -> phone: X-PBX-Tenant selects the tenant, X-PBX-Caller
    the caller shown to the callee (From rewritten with uac_replace_from, restored
    automatically in the dialog).
  * Worker INVITE (callee leg) -> carrier: the Request-URI becomes
    ``sip:<national number>@<trunk host>``, From/To are rewritten (the tenant's DID as
    caller id) with a P-Asserted-Identity, and a 401/407 from the carrier is answered
    once with the trunk's credentials (uac_auth; the dialog module fixes the CSeq).
    The carrier's replies reach the worker with ``X-PBX-Trunk`` (the trunk the leg went
    out on).

A carrier's call: an INVITE from a trunk's address (``trunks.TrunkSources``) whose From
domain is not one of our tenants' domains (``routing.trunk_caller``); any other INVITE
that is not a worker's is a phone's (digest auth, ``register.authenticate``).

Call counting (F11): every leg on a carrier trunk is a dialog in profile ``tenant_calls``
(value: the tenant id) and in ``trunk_calls`` (value: tenant/trunk, against the trunk's
``channels``): a carrier's call in, and every worker leg out (a phone's outside call,
a transfer to an outside number, F4), refused over the limits (``routing.trunk_leg_limits``)
except emergency calls. A phone's internal call is counted on its caller leg; its outside
call on the trunk leg (so a transferred outside call stays counted after the phone hung
up). With DMQ the profiles are replicated to the other edge nodes.

Dialog identity (REFER, in_dialog): the phone's side of its dialogs (``routing.Party``)
is kept in a dialog variable when the edge authenticates its INVITE or places a leg to
it; a REFER takes the tenant and the transferring extension from there.

A dead worker is found by in-dialog OPTIONS keepalives (``ka-dst`` on the caller leg,
``ka-src`` on a worker's callee leg), which end the dialog. A worker that does not answer
at all within WORKER_FR_TIMER_MS is replaced by the next one (failure route).

NAT: a phone's Contact that is not its source is aliased (``common.fix_nated_contact``),
also in the phone's replies to a worker's leg.

SRTP (issue 13 item 8): a worker offers opportunistic SRTP on the legs it places (RTP/AVP
with SDES ``a=crypto`` keys, RFC 8643). The keys go on only to a peer the edge reaches over
TLS (a phone registered over TLS, a TLS trunk): towards any other the lines are removed
(``srtp_keys_only_over_tls``), so the offer is plain RTP and no key crosses the network in
clear. A phone's own RTP/SAVP offer is answered with SRTP by the worker whatever its transport.
"""

from __future__ import annotations

import time
from typing import Any

import KSR  # provided by app_python3; a fake in unit tests

from kemi_scripts import pickup
from kemi_scripts.common import (
    DLG_WORKER,
    PROFILE,
    TRUNK_PROFILE,
    WORKER_SET,
    Req,
    Signer,
    SnapshotSource,
    active_calls,
    append_decision,
    fix_nated_contact,
    get_snapshot,
    header_value,
    log,
    quote_display,
    reject,
    relay,
    remember_worker,
    sdp_ok,
    strip_trusted_headers,
    trunk_calls,
)
from kemi_scripts.firewall import Firewall
from kemi_scripts.register import authenticate
from kemi_scripts.trunks import TrunkSources
from pbx_core import routing
from pbx_core.snapshot import Snapshot

DS_ALG_ROUND_ROBIN = 4
# Issue 16: every caller of a call-center queue goes to the same worker (the set's first
# live one), so that a queue is one line with one order, and its agents' offers are decided
# in one place; the next worker takes over when it fails.
DS_ALG_FIRST = 8
WORKER_FR_TIMER_MS = 4000  # no answer at all from a worker within this -> next worker
# AVPs of the transaction (kept for its failure route); the uac module reads the auth ones.
TRUNK_AVP = "$avp(probox_trunk)"
TRUNK_AUTH_AVP = "$avp(probox_trunk_auth)"
AUTH_USER_AVP = "$avp(probox_auser)"
AUTH_PASSWORD_AVP = "$avp(probox_apass)"  # noqa: S105 - an AVP name
AUTH_REALM_AVP = "$avp(probox_arealm)"
SDES_PREFIX = "a=crypto:"  # SDES-SRTP keys in an SDP (RFC 4568)
TLS_SOCKET = "tls:"  # $fs of a request leaving on the edge's TLS listener


# ---------------------------------------------------------------------------------------
# INVITE from a phone or a carrier -> a worker


def route_invite(req: Req, cache: SnapshotSource, trunk_sources: TrunkSources, signer: Signer, fw: Firewall) -> None:
    """An INVITE that is not from a worker: a carrier's call or a phone's."""
    snap = get_snapshot(req, cache)
    if snap is None:
        return
    # trunk_caller() is None for a source that is no trunk's: a phone's INVITE (the
    # common case) skips reading what only a carrier's call needs
    if not trunk_sources.from_trunk_address(snap, req):
        route_invite_from_phone(req, snap, signer, fw)
        return
    fd, ru, tu = KSR.pv.gete("$fd"), KSR.pv.gete("$rU"), KSR.pv.gete("$tU")
    inbound = routing.trunk_caller(snap, req.si, req.sp, fd, ru, tu)
    if inbound is None:
        route_invite_from_phone(req, snap, signer, fw)
    else:
        req.authenticated = True  # a carrier, known by its address
        route_invite_from_trunk(req, inbound, signer)


def route_invite_from_trunk(req: Req, inbound: routing.Inbound | routing.Reject, signer: Signer) -> None:
    dialled = f"{KSR.pv.gete('$rU')}/{KSR.pv.gete('$tU')}"
    if isinstance(inbound, routing.Reject):
        reject(req, inbound, "trunk_invite_rejected", dialled=dialled)
        return
    req.tenant_id = inbound.tenant.id
    from_user = KSR.pv.gete("$fU")
    active = active_calls(inbound.tenant.id)
    on_trunk = trunk_calls(routing.trunk_key(inbound.tenant.id, inbound.trunk.id))
    call = routing.invite_from_trunk(inbound, from_user, active, on_trunk)
    fields = {"trunk": inbound.trunk.id, "did": inbound.did.number, "caller": from_user, "active": active}
    if isinstance(call, routing.Reject):
        reject(req, call, "trunk_invite_rejected", trunk_legs=on_trunk, **fields)
        return
    if not sdp_ok():
        reject(req, routing.BAD_SDP, "trunk_invite_rejected", **fields)
        return
    send_to_worker(req, call, "trunk_invite_to_worker", signer, **fields)


def route_invite_from_phone(req: Req, snap: Snapshot, signer: Signer, fw: Firewall) -> None:
    from_user = KSR.pv.gete("$fU")
    decision = routing.caller(snap, KSR.pv.gete("$fd"), from_user)
    if not authenticate(req, decision, fw):
        return
    assert isinstance(decision, routing.Challenge)
    ruri_user, ruri_domain = KSR.pv.gete("$rU"), KSR.pv.gete("$rd")
    if ruri_user.startswith("*"):
        wanted = routing.pickup(decision.tenant, decision.extension.number, ruri_user)
        if wanted is not None:
            pickup.route_pickup(req, wanted, signer)
            return
    active = active_calls(decision.tenant.id)
    call = routing.invite_from_phone(
        snap, decision.tenant, decision.extension.number, ruri_user, ruri_domain, active, int(time.time())
    )
    fields = {"caller": decision.extension.number, "callee": ruri_user, "active": active}
    if isinstance(call, routing.Reject):
        reject(req, call, "invite_rejected", **fields)
        return
    if not sdp_ok():
        reject(req, routing.BAD_SDP, "invite_rejected", **fields)
        return
    fix_nated_contact()
    # The authenticated identity of this dialog (its in-dialog REFER is checked against it).
    party = routing.Party(
        decision.extension.number, from_user, KSR.pv.gete("$tU"), call.headers.get(routing.HDR_CALLEE, "")
    )
    # where the phone called from and its software, for the CDR and the toll-fraud guard
    agent = header_value(req.ua[: routing.AGENT_MAX]).strip()
    seen = ((routing.HDR_SOURCE, req.si), (routing.HDR_AGENT, agent)) if agent else ((routing.HDR_SOURCE, req.si),)
    send_to_worker(req, call, "invite_to_worker", signer, party, extra=seen, **fields)


def send_to_worker(
    req: Req,
    call: routing.ToWorker,
    event: str,
    signer: Signer,
    party: routing.Party | None = None,
    extra: tuple[tuple[str, str], ...] = (),
    **fields: Any,
) -> None:
    """The caller's leg of a call: a dialog (counted as the decision says), sent to a
    worker with the decision's headers (and ``extra`` ones), signed."""
    alg = DS_ALG_FIRST if routing.HDR_QUEUE in call.headers else DS_ALG_ROUND_ROBIN
    if KSR.dispatcher.ds_select_dst(WORKER_SET, alg) < 0:
        reject(req, routing.NO_WORKER, event.replace("to_worker", "rejected"), **fields)
        return
    if not append_decision(req, signer, [*call.headers.items(), *extra]):
        reject(req, routing.NO_WORKER, "signing_key_missing", **fields)
        return
    KSR.dialog.dlg_manage()
    if call.counted:
        KSR.dialog.set_dlg_profile(PROFILE, call.tenant_id)
    if call.trunk_key:
        KSR.dialog.set_dlg_profile(TRUNK_PROFILE, call.trunk_key)
    KSR.dialog.dlg_set_property("ka-dst")  # OPTIONS to the worker: a dead one ends the call
    remember_worker(KSR.pv.gete("$du"), call.tenant_id, party)
    KSR.rr.record_route()
    KSR.tm.t_set_fr(0, WORKER_FR_TIMER_MS)
    KSR.tm.t_on_failure("ksr_failure_worker")
    req.log("info", event, kind=call.headers.get(routing.HDR_KIND), worker=KSR.pv.gete("$du"), **fields)
    relay(req)


def failure_worker() -> None:
    """failure_route of a call sent to a worker: try the next worker only when this
    one never answered (a worker's own rejection is the callee's answer). A worker's 503
    (the edge refused its leg: call_limit, trunk_busy...) would reach the phone as a bare
    500 (tm, RFC 3261 §16.7): it is answered here as 503 with the edge's reason."""
    if KSR.tm.t_is_canceled() > 0:
        return
    if KSR.pv.get("$T_reply_code") == 503:
        slug = KSR.pv.gete(f"$T_rpl($hdr({routing.REASON_HEADER}))")
        if routing.is_safe_token(slug):
            KSR.hdr.append_to_reply(f"{routing.REASON_HEADER}: {slug}\r\n")
        KSR.tm.t_reply(503, header_value(KSR.pv.gete("$T_reply_reason")) or "Service Unavailable")
        return
    if KSR.tm.t_branch_timeout() > 0 and KSR.tm.t_branch_replied() < 0:
        dead = KSR.pv.gete("$du")
        if KSR.dispatcher.ds_next_dst() > 0:
            log(
                "warn",
                "worker_timeout_failover",
                call_id=KSR.pv.gete("$ci"),
                dead=dead,
                next=KSR.pv.gete("$du"),
            )
            KSR.dialog.var_sets(DLG_WORKER, KSR.pv.gete("$du"))
            KSR.tm.t_set_fr(0, WORKER_FR_TIMER_MS)
            KSR.tm.t_on_failure("ksr_failure_worker")
            KSR.tm.t_relay()
        else:
            log("error", "worker_timeout_no_more_workers", call_id=KSR.pv.gete("$ci"), dead=dead)


# ---------------------------------------------------------------------------------------
# a worker's callee leg -> a phone or a carrier


def route_invite_from_worker(req: Req, cache: SnapshotSource, signer: Signer) -> None:
    snap = get_snapshot(req, cache)
    if snap is None:
        return
    tenant_id = KSR.pv.gete(f"$hdr({routing.HDR_TENANT})")
    caller = KSR.pv.gete(f"$hdr({routing.HDR_CALLER})")
    req.tenant_id = tenant_id
    ruri_user, ruri_domain = KSR.pv.gete("$rU"), KSR.pv.gete("$rd")
    if KSR.hdr.is_present("Replaces") > 0:
        pickup.route_replaces(req, tenant_id, signer)
        return
    decision = routing.invite_from_worker(snap, tenant_id, ruri_user, ruri_domain, caller, int(time.time()))
    if isinstance(decision, routing.Reject):
        reject(req, decision, "worker_invite_rejected", callee=f"{ruri_user}@{ruri_domain}", caller=caller)
        return
    if isinstance(decision, routing.ToTrunk):
        # Every leg on a trunk counts against the plan and the trunk's channels (F11): a
        # transfer out too, and it stays counted after the transferor hung up.
        active, on_trunk = active_calls(tenant_id), trunk_calls(decision.trunk_key)
        tenant = snap.tenants[tenant_id]
        refused = routing.trunk_leg_limits(tenant, decision.trunk_id, decision.number, active, on_trunk)
        if refused is not None:
            fields = {"trunk": decision.trunk_id, "active": active, "trunk_legs": on_trunk}
            reject(req, refused, "worker_invite_rejected", callee=decision.number.national, caller=caller, **fields)
            return
        strip_trusted_headers()  # carriers never see the edge's internal headers
        relay_to_trunk(req, decision, caller)
        return
    bridge = KSR.pv.gete(f"$hdr({routing.HDR_BRIDGE})")
    strip_trusted_headers()  # phones never see the edge's internal headers
    rc = KSR.registrar.lookup_uri("location", "sip:" + decision.aor)
    if rc < 0:
        reject(req, routing.NOT_REGISTERED, "worker_invite_rejected", callee=decision.aor, lookup_rc=rc)
        return
    # The phone's side of this dialog: its own URI is the To the worker set, and it sees
    # the caller the From is rewritten to (or the worker's own From).
    seen_caller = caller if decision.from_uri else KSR.pv.gete("$fU")
    party = routing.Party(decision.aor.split("@", 1)[0], KSR.pv.gete("$tU"), seen_caller, caller)
    manage_worker_leg(tenant_id, party)
    if bridge and routing.is_safe_token(bridge):
        pickup.note_ringing(tenant_id, decision.aor.split("@", 1)[0], bridge)
    if decision.from_uri:
        KSR.uac.uac_replace_from(quote_display(decision.from_display), decision.from_uri)
    # lookup forced the socket the phone registered on: its keys only if that is TLS
    srtp_keys_only_over_tls(sends_over_tls())
    KSR.rr.record_route()
    KSR.tm.t_on_reply("ksr_reply_from_phone")
    req.log("info", "invite_to_contact", callee=decision.aor, caller=caller, contact=KSR.pv.gete("$ru"))
    relay(req)


def manage_worker_leg(tenant_id: str, party: routing.Party | None = None) -> None:
    """A worker's callee leg is a dialog too, kept alive towards the worker: if the worker
    dies, the edge ends the leg and the phone or the carrier gets a BYE. A leg to a phone
    is not in the tenant's profile (its call is counted on the caller's leg); a leg to a
    carrier is (``relay_to_trunk``)."""
    KSR.dialog.dlg_manage()
    KSR.dialog.dlg_set_property("ka-src")
    remember_worker(f"sip:{KSR.pv.gete('$si')}:{KSR.pv.gete('$sp')}", tenant_id, party)


def sends_over_tls() -> bool:
    """Does the request leave on the edge's TLS socket? (lookup forces the socket a phone
    registered on; loose_route the one of the dialog's route.)"""
    return (KSR.pv.gete("$fs") or "").startswith(TLS_SOCKET)


def srtp_keys_only_over_tls(tls: bool) -> None:
    """A worker's offer carries SDES keys (``a=crypto``): they go on only to a peer reached
    over TLS. Without them the offer is plain RTP/AVP, which the worker accepts as plain."""
    if not tls:
        KSR.sdpops.remove_line_by_prefix(SDES_PREFIX, "")  # "": every media line


def reply_from_phone() -> None:
    """onreply_route of requests a worker sent to a phone (its callee legs and its
    in-dialog requests): a phone cannot hand the worker trusted headers in a reply either,
    its Contact behind a NAT gets an alias so that the worker's in-dialog requests reach
    it, and a final answer ends the leg's ringing entry (pickup)."""
    strip_trusted_headers()
    fix_nated_contact()
    pickup.forget_ringing_at_final_reply()


def relay_to_trunk(req: Req, d: routing.ToTrunk, caller: str) -> None:
    # The dialog also fixes the CSeq raised by uac_auth in the worker's later requests
    # (dialog track_cseq_updates).
    manage_worker_leg(d.tenant_id)
    KSR.dialog.set_dlg_profile(PROFILE, d.tenant_id)
    KSR.dialog.set_dlg_profile(TRUNK_PROFILE, d.trunk_key)
    KSR.pv.sets("$ru", d.ruri)
    KSR.pv.sets("$du", d.dst_uri)
    KSR.uac.uac_replace_from("", d.from_uri)
    KSR.uac.uac_replace_to("", d.to_uri)
    KSR.hdr.remove("P-Asserted-Identity")
    KSR.hdr.remove("Remote-Party-ID")
    KSR.hdr.append(f"P-Asserted-Identity: {header_value(d.pai)}\r\n")
    srtp_keys_only_over_tls(d.dst_uri.endswith(";transport=tls"))  # a TLS trunk (routing._dst_uri)
    KSR.pv.sets(TRUNK_AVP, d.trunk_key)
    KSR.rr.record_route()
    KSR.tm.t_on_failure("ksr_failure_trunk")
    KSR.tm.t_on_reply("ksr_reply_from_trunk")
    req.log(
        "info",
        "invite_to_trunk",
        trunk=d.trunk_id,
        number=d.number.national,
        kind=d.number.kind,
        caller=caller,
        caller_id=d.caller_id,
    )
    relay(req)


def reply_from_trunk() -> None:
    """onreply_route of a worker's leg to a carrier: nothing of the carrier's X-PBX-*
    reaches the worker, but the edge tells it which trunk the leg went out on (a
    transfer to an outside number is billed as such in the CDR, F4)."""
    strip_trusted_headers()
    trunk_id = KSR.pv.gete(TRUNK_AVP).partition("/")[2]
    if trunk_id:
        KSR.hdr.append(f"{routing.HDR_TRUNK}: {header_value(trunk_id)}\r\n")


def failure_trunk(call_id: str, cache: SnapshotSource) -> None:
    """failure_route of a worker's leg to a carrier (``call_id``: the leg's): answer one
    401/407 with the trunk's credentials. A challenge that cannot be answered never
    reaches the worker (the caller's phone would take it as the edge's own challenge): it
    becomes 503."""
    if KSR.tm.t_is_canceled() > 0:
        return
    code = KSR.pv.get("$T_reply_code")
    if code not in (401, 407):
        return
    trunk_key = KSR.pv.gete(TRUNK_AVP)
    snap = cache.get()
    creds = routing.trunk_credentials(snap, trunk_key) if snap is not None else None
    if creds is not None and not KSR.pv.gete(TRUNK_AUTH_AVP):
        KSR.pv.sets(TRUNK_AUTH_AVP, "1")
        KSR.pv.sets(AUTH_USER_AVP, creds[0])
        KSR.pv.sets(AUTH_PASSWORD_AVP, creds[1])
        KSR.pv.sets(AUTH_REALM_AVP, "")  # the realm of the challenge
        if KSR.uac.uac_auth() > 0:
            log("info", "trunk_auth", call_id=call_id, trunk=trunk_key, code=code)
            KSR.tm.t_on_failure("ksr_failure_trunk")
            KSR.tm.t_on_reply("ksr_reply_from_trunk")
            KSR.tm.t_relay()
            return
    log("warn", "trunk_auth_failed", call_id=call_id, trunk=trunk_key, code=code)
    KSR.hdr.append_to_reply(f"{routing.REASON_HEADER}: trunk_auth_failed\r\n")
    KSR.tm.t_reply(503, "Trunk authentication failed")
