"""The life of one bridged call in a media worker, as data: events in, CDR out.

The pjsua2 adapter feeds timestamps and SIP codes in; this module decides the CDR's
disposition, durations and keys. No clock, no I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from pbx_core import cdr as cdrmod
from pbx_core import edgesig
from pbx_core.errors import ValidationError
from pbx_core.routing import (
    AGENT_MAX,
    HDR_AGENT,
    HDR_BRANCH,
    HDR_BRIDGE,
    HDR_CALLEE,
    HDR_CALLER,
    HDR_DIALLED,
    HDR_DID,
    HDR_DOMAIN,
    HDR_KIND,
    HDR_QUEUE,
    HDR_RECORD,
    HDR_SOURCE,
    HDR_TENANT,
    HDR_TRUNK,
    KIND_TRANSFER,
)

# Transfers (blind or attended) one call may make. Each one places a new leg (to a phone,
# or out through a trunk at the tenant's expense), and a failed one gives the call back:
# without a cap a single call could dial on and on. Past it the worker answers a REFER 403.
MAX_TRANSFERS_PER_CALL = 5
TRANSFER_EVENTS = ("transfer:", "attended_transfer:")


@dataclass(frozen=True)
class CallSetup:
    """What the edge decided about a call, read from its trusted headers."""

    tenant_id: str
    caller: str
    callee: str
    kind: str
    record: bool
    domain: str = ""  # the tenant's SIP domain for the callee leg; "" = the caller's R-URI domain
    dialled: str = ""  # what the caller dialled, before normalisation
    branch_id: str = ""
    trunk_id: str = ""
    did: str = ""
    bridge: str = ""  # F5 pickup: the worker's bridge whose ringing call is picked up
    contact_id: str = ""  # issue 17: a click-to-call's contact (from the command, not a header)
    source_ip: str = ""  # a phone's call: the address its INVITE came from (fraud guard)
    user_agent: str = ""  # and the software it named
    queue_id: str = ""  # issue 16: the caller waits in this call-center queue


def setup_from_headers(headers: dict[str, str]) -> CallSetup:
    """Parse the X-PBX-* headers Kamailio added (the worker passes only those the edge
    signed, pbx_core.edgesig). Missing ones mean the call did not come through the edge:
    the worker refuses it."""
    low = {k.lower(): v.strip() for k, v in headers.items()}
    missing = [h for h in (HDR_TENANT, HDR_CALLER, HDR_CALLEE) if not low.get(h.lower())]
    if missing:
        raise ValidationError("call without edge decision headers", fields={h: "required" for h in missing})
    return CallSetup(
        tenant_id=low[HDR_TENANT.lower()],
        caller=low[HDR_CALLER.lower()],
        callee=low[HDR_CALLEE.lower()],
        kind=low.get(HDR_KIND.lower(), "internal") or "internal",
        record=low.get(HDR_RECORD.lower(), "1") != "0",
        domain=low.get(HDR_DOMAIN.lower(), "").lower(),
        dialled=low.get(HDR_DIALLED.lower(), ""),
        branch_id=low.get(HDR_BRANCH.lower(), ""),
        trunk_id=low.get(HDR_TRUNK.lower(), ""),
        did=low.get(HDR_DID.lower(), ""),
        bridge=low.get(HDR_BRIDGE.lower(), ""),
        source_ip=low.get(HDR_SOURCE.lower(), "")[:64],
        user_agent=low.get(HDR_AGENT.lower(), "")[:AGENT_MAX],
        queue_id=low.get(HDR_QUEUE.lower(), "")[:64],
    )


@dataclass(frozen=True)
class ExternalLeg:
    """F4: a transfer took the call out through a trunk to ``number``."""

    number: str
    trunk_id: str
    answered_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class BridgeRecord:
    setup: CallSetup
    call_id: str
    started_at: datetime
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    final_code: int = 0
    hangup_side: str = ""
    timed_out: bool = False
    cause: str = ""  # set when the cause is known better than the SIP code says (worker_crash)
    chain: tuple[str, ...] = ()  # transfer/pickup events in order, e.g. "transfer:103"
    legs: tuple[ExternalLeg, ...] = ()
    # A queue's "message" overflow (issue 16): when the caller began to leave a message; the
    # recording holds it (the caller's channel), the call stays unanswered ("no_answer")
    message_at: datetime | None = None

    def with_event(self, event: str) -> BridgeRecord:
        return replace(self, chain=(*self.chain, event))

    @property
    def transfers(self) -> int:
        """Transfers this call has made so far (failed ones included: each placed a leg)."""
        return sum(1 for e in self.chain if e.startswith(TRANSFER_EVENTS))

    def may_transfer(self) -> bool:
        return self.transfers < MAX_TRANSFERS_PER_CALL

    def external_leg(self, number: str, trunk_id: str, at: datetime) -> BridgeRecord:
        return replace(self, legs=(*self.legs, ExternalLeg(number, trunk_id, at)))

    def external_leg_ended(self, number: str, at: datetime) -> BridgeRecord:
        """The newest open leg to ``number`` ended at ``at``."""
        legs = list(self.legs)
        for i in range(len(legs) - 1, -1, -1):
            if legs[i].number == number and legs[i].ended_at is None:
                legs[i] = replace(legs[i], ended_at=at)
                break
        return replace(self, legs=tuple(legs))

    def answered(self, at: datetime) -> BridgeRecord:
        return self if self.answered_at else replace(self, answered_at=at, final_code=200)

    def left_message(self, at: datetime) -> BridgeRecord:
        """The caller begins to leave a message (a queue's ``message`` overflow)."""
        if self.answered_at or self.message_at:
            return self
        return replace(self, message_at=at, chain=(*self.chain, "queue_message"))

    def ended(self, at: datetime, code: int, side: str, *, timed_out: bool = False, cause: str = "") -> BridgeRecord:
        if self.ended_at:
            return self
        return replace(
            self,
            ended_at=at,
            final_code=self.final_code or code,
            hangup_side=side,
            timed_out=timed_out,
            cause=cause,
        )

    def crashed(self, at: datetime) -> BridgeRecord:
        """The worker died during the call; ``at`` is the last sign of life (journal or
        recording write)."""
        return self.ended(max(at, self.answered_at or self.started_at), 500, "system", cause="worker_crash")

    @property
    def disposition(self) -> str:
        if self.answered_at:
            return "answered"
        if self.cause == "worker_crash":
            return "failed"
        if self.message_at:
            return "no_answer"  # nobody answered; the caller left a message (the recording)
        if self.timed_out:
            return "no_answer"
        if self.hangup_side == "caller":
            return "cancelled"
        return cdrmod.disposition_for_code(self.final_code)

    def to_journal(self) -> dict[str, Any]:
        """What a worker keeps on disk while the call is up, to recover a CDR if it dies."""
        return {
            "setup": asdict(self.setup),
            "call_id": self.call_id,
            "started_at": cdrmod.iso(self.started_at),
            "answered_at": cdrmod.iso(self.answered_at) if self.answered_at else None,
            "message_at": cdrmod.iso(self.message_at) if self.message_at else None,
            "chain": list(self.chain),
            "legs": [
                {
                    "number": leg.number,
                    "trunk_id": leg.trunk_id,
                    "answered_at": cdrmod.iso(leg.answered_at),
                    "ended_at": cdrmod.iso(leg.ended_at) if leg.ended_at else None,
                }
                for leg in self.legs
            ],
        }

    @classmethod
    def from_journal(cls, j: dict[str, Any]) -> BridgeRecord:
        ans, msg = j.get("answered_at"), j.get("message_at")
        return cls(
            setup=CallSetup(**j["setup"]),
            call_id=str(j["call_id"]),
            started_at=cdrmod.parse_iso(j["started_at"]),
            answered_at=cdrmod.parse_iso(ans) if ans else None,
            final_code=200 if ans else 0,
            message_at=cdrmod.parse_iso(msg) if msg else None,
            chain=tuple(str(e) for e in j.get("chain") or ()),
            legs=tuple(
                ExternalLeg(
                    str(leg["number"]),
                    str(leg["trunk_id"]),
                    cdrmod.parse_iso(leg["answered_at"]),
                    cdrmod.parse_iso(leg["ended_at"]) if leg.get("ended_at") else None,
                )
                for leg in j.get("legs") or ()
            ),
        )

    def recording_key(self) -> str:
        return cdrmod.recording_key(self.setup.tenant_id, self.call_id, self.started_at)

    def to_cdr(self, *, edge_id: str, worker_id: str, recorded: bool) -> cdrmod.Cdr:
        if self.ended_at is None:
            raise ValueError("call has not ended")
        talk = (self.ended_at - self.answered_at).total_seconds() if self.answered_at else 0.0
        has_rec = recorded and (self.answered_at is not None or self.message_at is not None)
        legs = tuple(self._cdr_leg(leg) for leg in self.legs)
        return cdrmod.Cdr(
            tenant_id=self.setup.tenant_id,
            call_id=self.call_id,
            caller=self.setup.caller,
            callee=self.setup.callee,
            started_at=cdrmod.iso(self.started_at),
            answered_at=cdrmod.iso(self.answered_at) if self.answered_at else None,
            ended_at=cdrmod.iso(self.ended_at),
            duration_s=round(max(talk, 0.0), 3),
            disposition=self.disposition,
            sip_code=self.final_code,
            hangup_side=self.hangup_side,
            direction=self.setup.kind,
            edge_id=edge_id,
            worker_id=worker_id,
            recording_key=self.recording_key() if has_rec else None,
            recording_format="wav" if has_rec else None,
            hangup_cause=self.cause or cdrmod.HANGUP_CAUSES[self.disposition],
            billable_s=cdrmod.billable_seconds(self.setup.kind, talk) + sum(leg.billable_s for leg in legs),
            dialled=self.setup.dialled or self.setup.callee,
            branch_id=self.setup.branch_id,
            trunk_id=self.setup.trunk_id,
            did=self.setup.did,
            chain=self.chain,
            legs=legs,
            contact_id=self.setup.contact_id,
            source_ip=self.setup.source_ip,
            user_agent=self.setup.user_agent,
        )

    def _cdr_leg(self, leg: ExternalLeg) -> cdrmod.CdrLeg:
        assert self.ended_at is not None
        ended = leg.ended_at or self.ended_at  # still up when the call ended
        talk = (ended - leg.answered_at).total_seconds()
        return cdrmod.CdrLeg(
            number=leg.number,
            trunk_id=leg.trunk_id,
            answered_at=cdrmod.iso(leg.answered_at),
            ended_at=cdrmod.iso(ended),
            billable_s=cdrmod.billable_seconds("outbound", talk),
        )


def refer_refusal(rec: BridgeRecord, domain: str, key: bytes, call_id: str, refer_to: str, now: int) -> str:
    """Why the worker must not dial a REFER's ``refer_to`` in the call ``rec`` ("" = dial
    it). The REFER (Call-ID ``call_id``, the leg's) reached the worker through the edge,
    which replaced the phone's Refer-To with one it signed (pbx_core.edgesig) for this
    call, in this call's tenant and SIP ``domain``; anything else was not the edge's. And
    the call must have transfers left (``MAX_TRANSFERS_PER_CALL``)."""
    if not rec.may_transfer():
        return "too_many_transfers"
    ref = edgesig.read_refer_to(refer_to)
    signature = ref.all(edgesig.HDR_SIG)
    verdict = edgesig.verify(key, call_id, signature[0] if len(signature) == 1 else "", ref.all, now)
    if isinstance(verdict, str):
        return f"bad_signature:{verdict}"
    values = verdict.values
    target_domain = ref.target.rpartition("@")[2].split(":", 1)[0].lower()
    if (
        edgesig.REFER_TO not in values
        or values.get(HDR_TENANT.lower()) != rec.setup.tenant_id
        or values.get(HDR_KIND.lower()) != KIND_TRANSFER
        or target_domain != domain
    ):
        return "other_tenant"
    return ""
