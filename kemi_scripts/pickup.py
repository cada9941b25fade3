"""Call pickup (F5), the ringing-leg bookkeeping it needs, and INVITEs with Replaces
(attended transfer, F3).

Ringing legs: a worker's callee leg that rings an extension is noted in the shared-memory
htable ``ringing`` (key tenant/extension, value from pbx_core.routing.ringing_value) when
the edge relays it (``note_ringing``); the key is kept in an AVP of the transaction, and the
phone's final answer (the reply route, ``forget_ringing_at_final_reply``) or the entry's
expiry removes it. A phone dialling a pickup code has its INVITE sent to the worker whose
leg rings a candidate extension longest.

Replaces: a worker's transfer leg naming a dialog goes to the worker holding that dialog
(the dialog variables set by ``common.remember_worker``), in the same tenant only, with
the decision signed again for that INVITE (the worker there checks it).
"""

from __future__ import annotations

import time
from typing import Any

import KSR  # provided by app_python3; a fake in unit tests

from kemi_scripts.common import (
    DLG_TENANT,
    DLG_WORKER,
    Req,
    Signer,
    append_decision,
    fix_nated_contact,
    reject,
    relay,
    remember_worker,
    sdp_ok,
    strip_trusted_headers,
)
from pbx_core import routing

RINGING_AVP = "$avp(probox_ringing)"  # htable key of a ringing callee leg (its reply route)
# F5: shared-memory htable of ringing callee legs, key tenant/extension (pbx_core.routing).
RINGING_TABLE = "ringing"
RINGING_TTL_S = 300  # longer than any ring timeout: entries normally go at the final reply


def note_ringing(tenant_id: str, extension: str, bridge: str) -> None:
    """F5: this worker's leg rings ``extension``; a pickup finds it here until the
    phone's final answer (reply route) or the entry's expiry."""
    key = routing.ringing_key(tenant_id, extension)
    worker = f"sip:{KSR.pv.gete('$si')}:{KSR.pv.gete('$sp')}"
    value = routing.ringing_value(worker, bridge, KSR.pv.gete("$ci"), int(time.time() * 1000))
    KSR.htable.sht_setxs(RINGING_TABLE, key, value, RINGING_TTL_S)
    KSR.pv.sets(RINGING_AVP, key)


def forget_ringing(key: str, leg_call_id: str) -> None:
    """Drop a ringing entry, unless a newer call rings the same extension meanwhile."""
    current = routing.parse_ringing("", KSR.htable.sht_get(RINGING_TABLE, key))
    if current is not None and current.leg_call_id == leg_call_id:
        KSR.htable.sht_rm(RINGING_TABLE, key)


def forget_ringing_at_final_reply() -> None:
    """In the reply route of a leg to a phone: a final answer ends its ringing entry."""
    key = KSR.pv.gete(RINGING_AVP)
    if key and (KSR.pv.get("$rs") or 0) >= 200:
        forget_ringing(key, KSR.pv.gete("$ci"))


def route_pickup(req: Req, wanted: routing.Pickup | routing.Reject, signer: Signer) -> None:
    """F5: send the picker's INVITE to the worker whose leg rings a candidate
    extension (the one ringing longest). The call is already counted (F11) on its
    caller's leg: this dialog is kept alive but not counted again."""
    fields: dict[str, Any] = {"picker": KSR.pv.gete("$fU"), "dialled": KSR.pv.gete("$rU")}
    if isinstance(wanted, routing.Reject):
        reject(req, wanted, "pickup_rejected", **fields)
        return
    entries = []
    for ext in wanted.candidates:
        found = routing.parse_ringing(
            ext, KSR.htable.sht_get(RINGING_TABLE, routing.ringing_key(wanted.tenant_id, ext))
        )
        if found is not None:
            entries.append(found)
    call = routing.pick_ringing(entries)
    if call is None:
        reject(req, routing.NOTHING_TO_PICK_UP, "pickup_rejected", candidates=len(wanted.candidates), **fields)
        return
    if not sdp_ok():
        reject(req, routing.BAD_SDP, "pickup_rejected", **fields)
        return
    if not append_decision(req, signer, list(routing.pickup_headers(wanted, call).items())):
        reject(req, routing.NO_WORKER, "signing_key_missing", **fields)
        return
    fix_nated_contact()
    KSR.pv.sets("$du", call.worker)
    KSR.dialog.dlg_manage()
    KSR.dialog.dlg_set_property("ka-dst")
    # the picker may transfer the call it picked up (the other party is not known here)
    party = routing.Party(wanted.picker, fields["picker"], fields["dialled"])
    remember_worker(call.worker, wanted.tenant_id, party)
    KSR.rr.record_route()
    req.log("info", "pickup_to_worker", ringing=call.extension, worker=call.worker, **fields)
    relay(req)


def route_replaces(req: Req, tenant_id: str, signer: Signer) -> None:
    """F3 attended transfer: a worker's transfer leg with Replaces goes to the worker
    holding the named dialog (the transferor's consultation call), in the same tenant
    only. The worker there swaps it in for the transferor's leg."""
    raw = KSR.pv.gete("$hdr(Replaces)")
    ref = routing.parse_replaces(raw)
    kind = KSR.pv.gete(f"$hdr({routing.HDR_KIND})")
    if ref is None or kind != routing.KIND_TRANSFER:
        reject(req, routing.NO_SUCH_CALL, "replaces_rejected", replaces=raw[:200], kind=kind)
        return
    worker, owner = "", ""
    if KSR.dialog.dlg_get(ref.call_id, ref.from_tag, ref.to_tag) > 0:
        worker, owner = KSR.dialog.var_gete(DLG_WORKER), KSR.dialog.var_gete(DLG_TENANT)
    if not worker or owner != tenant_id:
        # another tenant's dialog looks the same as no dialog at all
        reject(req, routing.NO_SUCH_CALL, "replaces_rejected", replaces_call_id=ref.call_id)
        return
    # The worker there acts on the edge's signature for this INVITE only: the decision
    # headers the transferring worker sent (from the Refer-To the edge signed) are signed
    # again for this Call-ID, and nothing else of them goes on.
    caller = KSR.pv.gete(f"$hdr({routing.HDR_CALLER})")
    decision = [(routing.HDR_TENANT, tenant_id), (routing.HDR_KIND, kind)]
    if caller:
        decision.append((routing.HDR_CALLER, caller))
    strip_trusted_headers()
    if not append_decision(req, signer, decision):
        reject(req, routing.NO_WORKER, "signing_key_missing", replaces_call_id=ref.call_id)
        return
    KSR.pv.sets("$du", worker)
    KSR.rr.record_route()
    req.log("info", "replaces_to_worker", worker=worker, replaces_call_id=ref.call_id)
    relay(req)
