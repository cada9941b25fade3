"""Call detail records: the schema the media worker writes and the control plane stores."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from pbx_core.errors import ValidationError

_CONTACT_ID_RE = re.compile(r"ct_[0-9a-f]{12}")
DISPOSITIONS = ("answered", "busy", "no_answer", "unavailable", "rejected", "cancelled", "failed")


@dataclass(frozen=True)
class Cdr:
    tenant_id: str
    call_id: str  # the caller's SIP Call-ID
    caller: str
    callee: str
    started_at: str  # ISO 8601 UTC, "...Z"
    answered_at: str | None
    ended_at: str
    duration_s: float  # answer to end (talk time); 0 when not answered
    disposition: str
    sip_code: int = 0
    hangup_side: str = ""  # caller | callee | system
    direction: str = "internal"
    edge_id: str = ""
    worker_id: str = ""
    recording_key: str | None = None
    recording_format: str | None = None
    recording_bytes: int = 0
    # Why the call ended: normal_clearing, callee_busy, no_answer, worker_crash, ...
    hangup_cause: str = ""
    billable_s: int = 0  # whole seconds charged (talk time rounded up); 0 for internal calls
    dialled: str = ""  # what the caller dialled, before normalisation
    branch_id: str = ""
    trunk_id: str = ""
    did: str = ""
    chain: tuple[str, ...] = ()  # transfer/pickup events, e.g. "transfer:103", "pickup:104"
    # F4: legs to the public network a transfer added (the tenant pays for them); their
    # billable seconds are included in ``billable_s``.
    legs: tuple[CdrLeg, ...] = ()
    # B3: each leg's audio quality at its hang-up, as the worker measured it (RTP/RTCP).
    # Empty in CDRs written before it existed, and for calls whose legs never had media.
    quality: tuple[CdrQuality, ...] = ()
    # Issue 14 item 5: where the caller's phone called from and its software (the fraud
    # guard learns them); "" when the edge did not say.
    source_ip: str = ""
    user_agent: str = ""
    # Issue 17: the contact a click-to-call was made to ("" for every other call, and in
    # CDRs written before it existed).
    contact_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["chain"] = list(self.chain)
        d["legs"] = [asdict(leg) for leg in self.legs]
        d["quality"] = [asdict(q) for q in self.quality]
        return d


@dataclass(frozen=True)
class CdrLeg:
    """An outside party a transfer brought into the call, through a carrier trunk."""

    number: str
    trunk_id: str
    answered_at: str
    ended_at: str
    billable_s: int


@dataclass(frozen=True)
class CdrQuality:
    """One leg's audio quality at its hang-up (B3): RTCP's packets lost, interarrival jitter
    and round trip, the estimated MOS, and whether audio came one way only."""

    leg: str  # "a": the caller's side, "b": the callee's
    party: str  # who was on that leg at the end: an extension or a number
    packets_lost: int = 0
    jitter_ms: float = 0.0
    rtt_ms: float | None = None  # None: no RTCP receiver report came
    mos: float | None = None  # 1.0 to 5.0; None: no packet came
    one_way_audio: bool = False


MAX_QUALITY_LEGS = 8


def iso(dt: datetime) -> str:
    """UTC ISO 8601 with millisecond precision and a Z suffix."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime")
    u = dt.astimezone(UTC)
    return u.strftime("%Y-%m-%dT%H:%M:%S.") + f"{u.microsecond // 1000:03d}Z"


def parse_iso(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError) as exc:
        raise ValidationError(f"bad timestamp {value!r}", fields={"timestamp": "ISO 8601"}) from exc


_STR_FIELDS = ("tenant_id", "call_id", "caller", "callee", "started_at", "ended_at", "disposition")


def _int(raw: dict[str, Any], key: str) -> int:
    v = raw.get(key) or 0
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
        raise ValidationError(f"{key} must be a non-negative number", fields={key: "non-negative number"})
    return int(v)


def from_dict(raw: object) -> Cdr:
    if not isinstance(raw, dict):
        raise ValidationError("CDR must be a JSON object")
    errors: dict[str, str] = {}
    for f in _STR_FIELDS:
        v = raw.get(f)
        if not isinstance(v, str) or not v or len(v) > 512:
            errors[f] = "required string"
    if raw.get("disposition") not in DISPOSITIONS:
        errors["disposition"] = "one of " + ",".join(DISPOSITIONS)
    dur = raw.get("duration_s")
    if not isinstance(dur, (int, float)) or isinstance(dur, bool) or dur < 0:
        errors["duration_s"] = "non-negative number"
    ans = raw.get("answered_at")
    if ans is not None and not isinstance(ans, str):
        errors["answered_at"] = "string or null"
    if errors:
        raise ValidationError("invalid CDR", fields=errors)
    for f in ("started_at", "ended_at"):
        parse_iso(raw[f])
    if ans:
        parse_iso(ans)
    rk = raw.get("recording_key")
    rf = raw.get("recording_format")
    return Cdr(
        tenant_id=raw["tenant_id"],
        call_id=raw["call_id"],
        caller=raw["caller"],
        callee=raw["callee"],
        started_at=raw["started_at"],
        answered_at=ans,
        ended_at=raw["ended_at"],
        duration_s=float(dur),  # type: ignore[arg-type]
        disposition=raw["disposition"],
        sip_code=_int(raw, "sip_code"),
        hangup_side=str(raw.get("hangup_side") or ""),
        direction=str(raw.get("direction") or "internal"),
        edge_id=str(raw.get("edge_id") or ""),
        worker_id=str(raw.get("worker_id") or ""),
        recording_key=rk if isinstance(rk, str) and rk else None,
        recording_format=rf if isinstance(rf, str) and rf else None,
        recording_bytes=_int(raw, "recording_bytes"),
        hangup_cause=str(raw.get("hangup_cause") or ""),
        billable_s=_int(raw, "billable_s"),
        dialled=str(raw.get("dialled") or ""),
        branch_id=str(raw.get("branch_id") or ""),
        trunk_id=str(raw.get("trunk_id") or ""),
        did=str(raw.get("did") or ""),
        chain=tuple(str(x) for x in raw.get("chain") or () if isinstance(x, str)),
        legs=_legs(raw.get("legs")),
        quality=_quality(raw.get("quality")),
        source_ip=str(raw.get("source_ip") or "")[:64],
        user_agent=str(raw.get("user_agent") or "")[:200],
        contact_id=_contact_id(raw.get("contact_id")),
    )


def _contact_id(raw: object) -> str:
    """The optional click-to-call contact: "" when absent (older CDRs), else a contact id."""
    if raw is None or raw == "":
        return ""
    if not isinstance(raw, str) or not _CONTACT_ID_RE.fullmatch(raw):
        raise ValidationError("invalid CDR", fields={"contact_id": "a contact id (ct_ and 12 hex digits)"})
    return raw


def _num(v: object, *, lo: float, hi: float) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
        return None
    return float(v)


def _quality(raw: object) -> tuple[CdrQuality, ...]:
    """The optional per-leg quality list; absent or null in older CDRs."""
    if raw is None:
        return ()
    what = "list of legs: leg, party, packets_lost, jitter_ms, rtt_ms, mos, one_way_audio"
    bad = ValidationError("invalid CDR", fields={"quality": what})
    if not isinstance(raw, list) or len(raw) > MAX_QUALITY_LEGS:
        raise bad
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad
        leg, party, lost = item.get("leg"), item.get("party", ""), item.get("packets_lost", 0)
        jitter, rtt, mos = item.get("jitter_ms", 0.0), item.get("rtt_ms"), item.get("mos")
        one_way = item.get("one_way_audio", False)
        if not (
            isinstance(leg, str)
            and 0 < len(leg) <= 16
            and isinstance(party, str)
            and len(party) <= 64
            and isinstance(lost, int)
            and not isinstance(lost, bool)
            and lost >= 0
            and _num(jitter, lo=0, hi=1e6) is not None
            and (rtt is None or _num(rtt, lo=0, hi=1e6) is not None)
            and (mos is None or _num(mos, lo=1, hi=5) is not None)
            and isinstance(one_way, bool)
        ):
            raise bad
        out.append(
            CdrQuality(
                leg=leg,
                party=party,
                packets_lost=lost,
                jitter_ms=float(jitter),
                rtt_ms=None if rtt is None else float(rtt),
                mos=None if mos is None else float(mos),
                one_way_audio=one_way,
            )
        )
    return tuple(out)


def _legs(raw: object) -> tuple[CdrLeg, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > 50:
        raise ValidationError("invalid CDR", fields={"legs": "list of at most 50 legs"})
    out = []
    for item in raw:
        ok = isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("number", "trunk_id"))
        if ok:
            for k in ("answered_at", "ended_at"):
                ok = ok and isinstance(item.get(k), str)
                if ok:
                    parse_iso(item[k])
        bs = item.get("billable_s") if isinstance(item, dict) else None
        if not ok or not isinstance(bs, int) or isinstance(bs, bool) or bs < 0:
            raise ValidationError("invalid CDR", fields={"legs": "number, trunk_id, answered_at, ended_at, billable_s"})
        out.append(CdrLeg(item["number"], item["trunk_id"], item["answered_at"], item["ended_at"], bs))
    return tuple(out)


def billable_seconds(direction: str, talk_s: float) -> int:
    """Internal and branch calls are free (F1, F6); external talk time is billed per
    started second."""
    if direction == "internal" or talk_s <= 0:
        return 0
    whole = int(talk_s)
    return whole + (1 if talk_s > whole + 1e-3 else 0)


HANGUP_CAUSES = {
    "answered": "normal_clearing",
    "busy": "user_busy",
    "no_answer": "no_answer",
    "unavailable": "subscriber_absent",
    "rejected": "call_rejected",
    "cancelled": "originator_cancel",
    "failed": "failure",
}


def disposition_for_code(code: int) -> str:
    """Map the final SIP response of the callee leg to a CDR disposition."""
    if 200 <= code < 300:
        return "answered"
    if code in (486, 600):
        return "busy"
    if code in (408, 480):
        return "no_answer" if code == 408 else "unavailable"
    if code == 487:
        return "cancelled"
    if code in (403, 603):
        return "rejected"
    if code == 404:
        return "unavailable"
    return "failed"


def safe_call_id(call_id: str) -> str:
    """A SIP Call-ID made safe for file names and S3 keys."""
    return "".join(c if c.isalnum() or c in "-_.@" else "_" for c in call_id)[:200]


def recording_key(tenant_id: str, call_id: str, started_at: datetime, ext: str = "wav") -> str:
    """S3 key of a call's recording; call ids are made safe for a key."""
    safe = safe_call_id(call_id)
    return f"tenants/{tenant_id}/recordings/{started_at:%Y/%m/%d}/{safe}.{ext}"
