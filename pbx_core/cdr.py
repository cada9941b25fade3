"""Call detail records: the schema the media worker writes and the control plane stores."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from pbx_core.errors import ValidationError

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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
        sip_code=int(raw.get("sip_code") or 0),
        hangup_side=str(raw.get("hangup_side") or ""),
        direction=str(raw.get("direction") or "internal"),
        edge_id=str(raw.get("edge_id") or ""),
        worker_id=str(raw.get("worker_id") or ""),
        recording_key=rk if isinstance(rk, str) and rk else None,
        recording_format=rf if isinstance(rf, str) and rf else None,
        recording_bytes=int(raw.get("recording_bytes") or 0),
    )


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


def recording_key(tenant_id: str, call_id: str, started_at: datetime, ext: str = "wav") -> str:
    """S3 key of a call's recording; call ids are made safe for a key."""
    safe = "".join(c if c.isalnum() or c in "-_.@" else "_" for c in call_id)
    return f"tenants/{tenant_id}/recordings/{started_at:%Y/%m/%d}/{safe}.{ext}"
