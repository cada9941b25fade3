"""Requests inside a dialog (a To tag), and the REFER rewriting of blind transfers.

In-dialog requests follow the Record-Route (loose_route). A phone or a carrier may only
send them towards a worker (or this edge); a worker's go to phones and carriers without
the trusted headers, with the phone's NAT alias resolved (handle_ruri_alias) and the
phone's replies handled by the ``ksr_reply_from_phone`` reply route. Target refreshes of
a phone (INVITE, UPDATE) alias its Contact when it is behind a NAT.

REFER from a phone (F3/F4 transfer): the Refer-To is rewritten to one the worker can dial
as a trusted leg (pbx_core.routing.refer_to decides), signed by the edge for this call
(pbx_core.edgesig: the worker dials nothing else). Nothing in the REFER is trusted: the
tenant and the transferring extension are the dialog's (the variables the edge set when
it authenticated or placed the phone's leg), its From/To must be the dialog's parties,
and a transfer to an outside number must fit the plan and the trunk (F11), like any
trunk leg.
"""

from __future__ import annotations

import time

import KSR  # provided by app_python3; a fake in unit tests

from kemi_scripts import invite
from kemi_scripts.common import (
    DLG_PARTY,
    DLG_TENANT,
    WORKER_SET,
    Req,
    Signer,
    SnapshotSource,
    active_calls,
    fix_nated_contact,
    get_snapshot,
    header_value,
    is_ip_uri,
    reject,
    relay,
    reply,
    strip_trusted_headers,
    trunk_calls,
)
from kemi_scripts.trunks import TrunkSources
from pbx_core import edgesig, routing


def route_in_dialog(req: Req, cache: SnapshotSource, trunk_sources: TrunkSources, signer: Signer) -> None:
    if req.method == "ACK" and KSR.tm.t_check_trans() == 0:
        req.done = True  # the ACK of a negative reply: absorbed by tm (hop by hop)
        return
    if KSR.rr.loose_route() > 0:
        if req.from_worker:
            # towards a phone behind a NAT: its Contact carries the source as ;alias
            KSR.nathelper.handle_ruri_alias()
            decision = None
            next_hop = ""
        else:
            du = KSR.pv.gete("$du")
            next_hop = du or KSR.pv.gete("$ru")
            # workers are listed by IP address: a host name is never one (and is not
            # resolved: no DNS lookups on behalf of a phone)
            to_worker = is_ip_uri(next_hop) and KSR.dispatcher.ds_is_from_list_uri(WORKER_SET, 2, next_hop) > 0
            to_edge = (KSR.is_myself_duri() if du else KSR.is_myself_ruri()) > 0
            decision = routing.in_dialog(req.from_worker, to_worker, to_edge)
        if decision is not None:
            if req.method == "ACK":
                req.log("warn", "in_dialog_ack_dropped", dst=next_hop)
                req.done = True
            else:
                reject(req, decision, "in_dialog_rejected", dst=next_hop)
            return
        if req.method == "REFER" and not req.from_worker and not rewrite_refer(req, cache, signer):
            return
        if req.from_worker:
            strip_trusted_headers()  # towards a phone or a carrier
            if req.method in ("INVITE", "UPDATE"):
                _srtp_keys_only_over_tls()
            if req.method != "ACK":
                KSR.tm.t_on_reply("ksr_reply_from_phone")
        elif req.method in ("INVITE", "UPDATE") and not _from_trunk(req, cache, trunk_sources):
            fix_nated_contact()  # a target refresh of a phone
        relay(req)
        return
    if req.method == "ACK":
        if KSR.tm.t_check_trans() > 0:  # ACK of a negative reply relayed statefully
            relay(req)
        req.done = True
        return
    reply(req, 404, "Not here")


def _srtp_keys_only_over_tls() -> None:
    """A worker's re-offer (pjsua's codec lock, a re-INVITE): opportunistic SRTP keys in an
    RTP/AVP offer go on only over TLS, as in its first offer (invite.srtp_keys_only_over_tls);
    an RTP/SAVP offer keeps them (the phone chose SRTP itself)."""
    if invite.sends_over_tls() or not KSR.pv.get("$cl"):
        return
    if KSR.sdpops.sdp_with_transport("RTP/SAVP") < 0 and KSR.sdpops.sdp_with_transport("RTP/SAVPF") < 0:
        invite.srtp_keys_only_over_tls(False)


def _from_trunk(req: Req, cache: SnapshotSource, trunk_sources: TrunkSources) -> bool:
    snap = cache.get()
    if snap is None:
        return False
    return trunk_sources.from_trunk_address(snap, req)


def rewrite_refer(req: Req, cache: SnapshotSource, signer: Signer) -> bool:
    """F3/F4 transfer: give the worker a Refer-To it can dial as a trusted leg, signed
    (pbx_core.routing.refer_to decides, from the dialog's identity); False when the REFER
    was answered here."""
    snap = get_snapshot(req, cache)
    if snap is None:
        return False
    # the dialog the REFER is in (loose_route matched it): who is transferring, really
    tenant_id = KSR.dialog.var_gete(DLG_TENANT)
    party = routing.parse_party(KSR.dialog.var_gete(DLG_PARTY))
    req.tenant_id = tenant_id
    # inside a dialog the edge authenticated (its phone's side is known): the phone may
    # be told why its transfer is refused
    req.authenticated = party is not None
    raw = KSR.pv.gete("$hdr(Refer-To)")
    user, host = routing.split_sip_uri(raw)
    replaces = routing.refer_replaces(raw)
    from_user, from_domain, to_user = KSR.pv.gete("$fU"), KSR.pv.gete("$fd"), KSR.pv.gete("$tU")
    decision = routing.refer_to(
        snap,
        tenant_id,
        party,
        from_user=from_user,
        from_domain=from_domain,
        to_user=to_user,
        target_user=user,
        target_domain=host,
        replaces=replaces,
        now=int(time.time()),
    )
    fields = {"target": user, "by": party.extension if party else "", "refer_from": f"{from_user}@{from_domain}"}
    if isinstance(decision, routing.Reject):
        reject(req, decision, "refer_rejected", **fields)
        return False
    if decision.outside is not None:
        # refused now rather than as a failed leg: the outside leg would count (F11)
        key = routing.trunk_key(tenant_id, decision.outside.trunk_id)
        active, on_trunk = active_calls(tenant_id), trunk_calls(key)
        refused = routing.trunk_leg_limits(
            snap.tenants[tenant_id], decision.outside.trunk_id, decision.outside.number, active, on_trunk
        )
        if refused is not None:
            reject(req, refused, "refer_rejected", active=active, trunk_legs=on_trunk, **fields)
            return False
    signature = signer.sign(req.call_id, [(edgesig.REFER_TO, decision.target), *decision.headers])
    if signature is None:
        reject(req, routing.NO_WORKER, "signing_key_missing", **fields)
        return False
    KSR.hdr.remove("Refer-To")
    refer_to = edgesig.refer_to_uri(decision.target, decision.headers, signature)
    KSR.hdr.append(f"Refer-To: {header_value(refer_to)}\r\n")
    req.log("info", "refer_to_worker", attended=bool(replaces) or None, **fields)
    return True
