"""Live call events: the schema an edge posts to the control plane (``POST /edge/v1/events``).

The media worker (or the edge agent) describes each change of a call as one ``CallEvent``:
who talks to whom (its ``legs``), since when, through which trunk, on which edge, and, per
leg, the audio quality it measured (B3). Every event carries the whole picture of the call
at that moment, not a difference, so the control plane's live state of a call is simply its
newest event, and a browser that missed one event is right again at the next.

Kinds (``KINDS``): ``call.ringing``, ``call.answered``, ``call.transferred``,
``call.picked_up``, ``call.held``, ``call.resumed``, ``call.ended`` and ``recording.ready``
(after the call, when its recording is uploaded).

Identity and order: ``id`` is made by the edge and unique per event (a UUID or ULID); the
control plane stores an event once per (tenant, id), so an edge retries a batch freely.
The control plane numbers the events of a tenant (``seq``) as it stores them; the edge
posts the events of one call in the order they happened.

Times are ISO 8601 UTC with a ``Z`` (``pbx_core.cdr.iso``). ``to_dict`` / ``from_dict`` are
the wire format (JSON objects); ``EventBatch`` is the body of one post (at most
``MAX_BATCH`` events). Standard library only: no I/O, no clock.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from pbx_core.cdr import DISPOSITIONS, parse_iso
from pbx_core.errors import ValidationError

SCHEMA = "probox.call-event.v1"

RINGING = "call.ringing"
ANSWERED = "call.answered"
TRANSFERRED = "call.transferred"
PICKED_UP = "call.picked_up"
HELD = "call.held"
RESUMED = "call.resumed"
ENDED = "call.ended"
RECORDING_READY = "recording.ready"
KINDS = (RINGING, ANSWERED, TRANSFERRED, PICKED_UP, HELD, RESUMED, ENDED, RECORDING_READY)

# The state of the call once the event happened (recording.ready: the call has ended already).
STATE_AFTER = {
    RINGING: "ringing",
    ANSWERED: "talking",
    TRANSFERRED: "talking",
    PICKED_UP: "talking",
    HELD: "held",
    RESUMED: "talking",
    ENDED: "ended",
    RECORDING_READY: "ended",
}
LIVE_STATES = ("ringing", "talking", "held")

DIRECTIONS = ("internal", "inbound", "outbound")
TRANSFER_KINDS = ("", "blind", "attended")
MAX_BATCH = 100
MAX_LEGS = 16
MAX_TEXT = 128
MAX_CALL_ID = 512

_EVENT_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Quality:
    """Audio quality of one leg as the worker measured it (RTP and RTCP), B3."""

    packets_lost: int = 0  # cumulative, as RTCP reports it
    jitter_ms: float = 0.0  # interarrival jitter
    rtt_ms: float | None = None  # round trip from RTCP (None: no receiver report yet)
    mos: float | None = None  # estimated MOS, 1.0 to 5.0 (``mos_estimate``)
    one_way_audio: bool = False  # audio flows one way only (NAT, firewall): flag the call

    def to_dict(self) -> dict[str, Any]:
        return {
            "packets_lost": self.packets_lost,
            "jitter_ms": self.jitter_ms,
            "rtt_ms": self.rtt_ms,
            "mos": self.mos,
            "one_way_audio": self.one_way_audio,
        }


@dataclass(frozen=True)
class Leg:
    """One party's side of the call: who calls whom, in which direction, through which trunk."""

    id: str  # stable within the call (e.g. "a", "b", "b2" for a transfer's new leg)
    from_: str  # an extension, or a national number (0..., 1800..., 1900...)
    to: str
    direction: str = "internal"  # internal | inbound | outbound
    trunk_id: str = ""  # the carrier trunk of an inbound or outbound leg
    quality: Quality | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "from": self.from_,
            "to": self.to,
            "direction": self.direction,
            "trunk_id": self.trunk_id,
            "quality": self.quality.to_dict() if self.quality is not None else None,
        }


@dataclass(frozen=True)
class CallEvent:
    id: str  # unique per event, made by the edge (idempotency)
    kind: str  # one of KINDS
    tenant_id: str
    call_id: str  # the caller's SIP Call-ID, as in the CDR
    edge_id: str
    occurred_at: str  # when it happened, ISO 8601 UTC
    started_at: str  # when the call started
    legs: tuple[Leg, ...]
    answered_at: str | None = None
    ended_at: str | None = None  # call.ended, recording.ready
    by: str = ""  # who did it: the transferor, the extension that picked up, the holder
    target: str = ""  # call.transferred: where the call went
    transfer_kind: str = ""  # call.transferred: blind | attended
    disposition: str = ""  # call.ended: as the CDR's (pbx_core.cdr.DISPOSITIONS)
    hangup_cause: str = ""  # call.ended
    recording_key: str = ""  # recording.ready: the object's key in the recordings bucket
    recording_format: str = ""
    recording_bytes: int = 0
    worker_id: str = ""

    @property
    def state(self) -> str:
        """The call's state once this event happened: ringing, talking, held or ended."""
        return STATE_AFTER[self.kind]

    def parties(self) -> frozenset[str]:
        """Every number taking part (legs' ends, who acted, the transfer target): an agent
        sees the call when its extension is one of them."""
        out = {leg.from_ for leg in self.legs} | {leg.to for leg in self.legs}
        out |= {self.by, self.target}
        out.discard("")
        return frozenset(out)

    def one_way_audio(self) -> bool:
        return any(leg.quality is not None and leg.quality.one_way_audio for leg in self.legs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "id": self.id,
            "kind": self.kind,
            "tenant_id": self.tenant_id,
            "call_id": self.call_id,
            "edge_id": self.edge_id,
            "occurred_at": self.occurred_at,
            "started_at": self.started_at,
            "answered_at": self.answered_at,
            "ended_at": self.ended_at,
            "legs": [leg.to_dict() for leg in self.legs],
            "by": self.by,
            "target": self.target,
            "transfer_kind": self.transfer_kind,
            "disposition": self.disposition,
            "hangup_cause": self.hangup_cause,
            "recording_key": self.recording_key,
            "recording_format": self.recording_format,
            "recording_bytes": self.recording_bytes,
            "worker_id": self.worker_id,
        }


@dataclass(frozen=True)
class EventBatch:
    """One post of an edge: its events, and optionally how the edge is doing (its health)."""

    events: tuple[CallEvent, ...]
    health: EdgeHealth | None = None

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"events": [e.to_dict() for e in self.events]}
        if self.health is not None:
            doc["edge"] = self.health.to_dict()
        return doc


@dataclass(frozen=True)
class EdgeHealth:
    """How the edge is doing, sent with a batch (or alone: an empty batch is a heartbeat)."""

    calls_now: int | None = None  # calls the edge carries right now (all tenants)
    version: str = ""  # the edge software's version
    snapshot_version: int | None = None  # the configuration version it runs
    last_pull_at: str | None = None  # its last successful configuration poll (ISO 8601 UTC)

    def to_dict(self) -> dict[str, Any]:
        return {
            "calls_now": self.calls_now,
            "version": self.version,
            "snapshot_version": self.snapshot_version,
            "last_pull_at": self.last_pull_at,
        }


# --- parsing ---------------------------------------------------------------------------------
class _Errors:
    """Field errors of one document, named by their path (``legs.0.quality.mos``)."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.fields: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault((self.prefix + name).rstrip(".") or "event", message)


def _text(raw: dict[str, Any], name: str, errors: _Errors, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = raw.get(name)
    if value is None or value == "":
        if required:
            errors.add(name, "required")
        return ""
    if not isinstance(value, str) or len(value) > limit or _CONTROL.search(value):
        errors.add(name, f"text of at most {limit} characters, no control characters")
        return ""
    return value


def _time(raw: dict[str, Any], name: str, errors: _Errors, *, required: bool = False) -> str | None:
    value = raw.get(name)
    if value is None or value == "":
        if required:
            errors.add(name, "required")
        return None
    if not isinstance(value, str) or len(value) > 40:
        errors.add(name, "ISO 8601 UTC timestamp")
        return None
    try:
        parsed = parse_iso(value)
    except ValidationError:
        errors.add(name, "ISO 8601 UTC timestamp")
        return None
    offset = parsed.utcoffset()
    if offset is None or offset.total_seconds() != 0:
        errors.add(name, "ISO 8601 UTC timestamp (Z)")
        return None
    return value


def _number(raw: dict[str, Any], name: str, errors: _Errors, *, lo: float, hi: float, integer: bool) -> float | None:
    value = raw.get(name)
    if value is None:
        return None
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    if not ok or isinstance(value, bool) or not math.isfinite(value) or not lo <= value <= hi:
        errors.add(name, f"{'integer' if integer else 'number'} from {lo:g} to {hi:g}")
        return None
    return float(value)


def _quality(raw: object, errors: _Errors) -> Quality | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        errors.add("", "object or null")
        return None
    lost = _number(raw, "packets_lost", errors, lo=0, hi=2**31, integer=True)
    jitter = _number(raw, "jitter_ms", errors, lo=0, hi=60_000, integer=False)
    rtt = _number(raw, "rtt_ms", errors, lo=0, hi=60_000, integer=False)
    mos = _number(raw, "mos", errors, lo=1, hi=5, integer=False)
    one_way = raw.get("one_way_audio", False)
    if not isinstance(one_way, bool):
        errors.add("one_way_audio", "true or false")
        one_way = False
    return Quality(
        packets_lost=int(lost or 0),
        jitter_ms=jitter or 0.0,
        rtt_ms=rtt,
        mos=mos,
        one_way_audio=one_way,
    )


def _leg(raw: object, errors: _Errors) -> Leg | None:
    if not isinstance(raw, dict):
        errors.add("", "object")
        return None
    leg_id = _text(raw, "id", errors, required=True, limit=64)
    from_ = _text(raw, "from", errors, required=True, limit=64)
    to = _text(raw, "to", errors, required=True, limit=64)
    direction = raw.get("direction", "internal")
    if direction not in DIRECTIONS:
        errors.add("direction", "one of " + ", ".join(DIRECTIONS))
    trunk_id = _text(raw, "trunk_id", errors, limit=64)
    quality = _quality(raw.get("quality"), _sub(errors, "quality."))
    return Leg(leg_id, from_, to, str(direction), trunk_id, quality)


_ALLOWED = frozenset(CallEvent.__dataclass_fields__) | {"schema"}


def from_dict(raw: object, prefix: str = "") -> CallEvent:
    """Validate one event (its JSON object); ValidationError names every bad field."""
    errors = _Errors(prefix)
    if not isinstance(raw, dict):
        raise ValidationError("invalid event", fields={prefix.rstrip(".") or "event": "JSON object"})
    unknown = sorted(set(raw) - _ALLOWED)
    if unknown:
        errors.add(unknown[0], "unknown field")
    schema = raw.get("schema", SCHEMA)
    if schema != SCHEMA:
        errors.add("schema", SCHEMA)
    event_id = raw.get("id")
    if not isinstance(event_id, str) or not _EVENT_ID.match(event_id):
        errors.add("id", "8-128 of A-Z a-z 0-9 . _ : -")
    kind = raw.get("kind")
    if kind not in KINDS:
        errors.add("kind", "one of " + ", ".join(KINDS))
    tenant_id = _text(raw, "tenant_id", errors, required=True, limit=64)
    call_id = _text(raw, "call_id", errors, required=True, limit=MAX_CALL_ID)
    edge_id = _text(raw, "edge_id", errors, limit=64)
    occurred = _time(raw, "occurred_at", errors, required=True)
    started = _time(raw, "started_at", errors, required=True)
    answered = _time(raw, "answered_at", errors)
    ended = _time(raw, "ended_at", errors, required=kind in (ENDED, RECORDING_READY))
    legs_raw = raw.get("legs")
    legs: list[Leg] = []
    if not isinstance(legs_raw, list) or not 1 <= len(legs_raw) <= MAX_LEGS:
        errors.add("legs", f"a list of 1 to {MAX_LEGS} legs")
    else:
        for n, item in enumerate(legs_raw):
            leg = _leg(item, _sub(errors, f"legs.{n}."))
            if leg is not None:
                legs.append(leg)
        if len({leg.id for leg in legs}) != len(legs):
            errors.add("legs", "leg ids must differ")
    by = _text(raw, "by", errors, limit=64)
    target = _text(raw, "target", errors, required=kind == TRANSFERRED, limit=64)
    transfer_kind = raw.get("transfer_kind", "") or ""
    if transfer_kind not in TRANSFER_KINDS:
        errors.add("transfer_kind", "blind or attended")
    if kind == PICKED_UP and not by:
        errors.add("by", "required: the extension that picked the call up")
    disposition = raw.get("disposition", "") or ""
    if kind == ENDED and disposition not in DISPOSITIONS:
        errors.add("disposition", "one of " + ", ".join(DISPOSITIONS))
    elif disposition and disposition not in DISPOSITIONS:
        errors.add("disposition", "one of " + ", ".join(DISPOSITIONS))
    hangup_cause = _text(raw, "hangup_cause", errors, limit=64)
    recording_key = _text(raw, "recording_key", errors, required=kind == RECORDING_READY, limit=1024)
    recording_format = _text(raw, "recording_format", errors, limit=16)
    size = _number(raw, "recording_bytes", errors, lo=0, hi=2**53, integer=True)
    worker_id = _text(raw, "worker_id", errors, limit=64)
    if errors.fields:
        raise ValidationError("invalid event", fields=errors.fields)
    return CallEvent(
        id=str(event_id),
        kind=str(kind),
        tenant_id=tenant_id,
        call_id=call_id,
        edge_id=edge_id,
        occurred_at=str(occurred),
        started_at=str(started),
        legs=tuple(legs),
        answered_at=answered,
        ended_at=ended,
        by=by,
        target=target,
        transfer_kind=str(transfer_kind),
        disposition=str(disposition),
        hangup_cause=hangup_cause,
        recording_key=recording_key,
        recording_format=recording_format,
        recording_bytes=int(size or 0),
        worker_id=worker_id,
    )


def _sub(errors: _Errors, prefix: str) -> _Errors:
    """A child error collector whose fields land in ``errors`` (shared dict)."""
    child = _Errors(errors.prefix + prefix)
    child.fields = errors.fields
    return child


def batch_from_dict(raw: object) -> EventBatch:
    """The body of ``POST /edge/v1/events``: ``{"events": [...], "edge": {...}}``."""
    if not isinstance(raw, dict):
        raise ValidationError("invalid batch", fields={"body": "JSON object"})
    unknown = sorted(set(raw) - {"events", "edge"})
    if unknown:
        raise ValidationError("invalid batch", fields={unknown[0]: "unknown field"})
    items = raw.get("events")
    if not isinstance(items, list) or len(items) > MAX_BATCH:
        raise ValidationError("invalid batch", fields={"events": f"a list of at most {MAX_BATCH} events"})
    fields: dict[str, str] = {}
    events: list[CallEvent] = []
    for n, item in enumerate(items):
        try:
            events.append(from_dict(item, prefix=f"events.{n}."))
        except ValidationError as exc:
            fields.update(exc.fields)
    health: EdgeHealth | None = None
    if raw.get("edge") is not None:
        errors = _Errors("edge.")
        health = _health(raw["edge"], errors)
        fields.update(errors.fields)
    if fields:
        raise ValidationError("invalid batch", fields=dict(sorted(fields.items())[:20]))
    return EventBatch(tuple(events), health=health)


_HEALTH_FIELDS = frozenset(EdgeHealth.__dataclass_fields__)


def _health(raw: object, errors: _Errors) -> EdgeHealth | None:
    if not isinstance(raw, dict) or set(raw) - _HEALTH_FIELDS:
        errors.add("", "an object with " + ", ".join(sorted(_HEALTH_FIELDS)))
        return None
    calls = _number(raw, "calls_now", errors, lo=0, hi=1_000_000, integer=True)
    snap = _number(raw, "snapshot_version", errors, lo=0, hi=2**53, integer=True)
    return EdgeHealth(
        calls_now=int(calls) if calls is not None else None,
        version=_text(raw, "version", errors, limit=64),
        snapshot_version=int(snap) if snap is not None else None,
        last_pull_at=_time(raw, "last_pull_at", errors),
    )


# --- quality ---------------------------------------------------------------------------------
def mos_estimate(*, rtt_ms: float, jitter_ms: float, loss_pct: float) -> float:
    """An estimated MOS (1.0-4.5) from the simplified ITU-T G.107 E-model for G.711: the
    one-way delay (half the round trip, twice the jitter for the jitter buffer, 10 ms of
    codec) lowers R, and so does each percent of packets lost."""
    delay = max(0.0, rtt_ms) / 2 + 2 * max(0.0, jitter_ms) + 10.0
    r = 93.2 - (delay / 40 if delay < 160 else (delay - 120) / 10)
    r -= 2.5 * min(100.0, max(0.0, loss_pct))
    r = min(100.0, max(0.0, r))
    mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r)
    return round(min(4.5, max(1.0, mos)), 2)
