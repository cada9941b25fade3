"""Request and response models of live calls (the OpenAPI document of the edge's event post
and of the console's live view). The edge's body is validated by ``pbx_core.events`` (the
schema the edge builds with); ``EventBatchIn`` documents the same fields, and
``tests/unit/test_live_events.py`` checks that what ``pbx_core.events`` writes parses here."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from control_plane.core.schemas import Out

Kind = Literal[
    "call.ringing",
    "call.answered",
    "call.transferred",
    "call.picked_up",
    "call.held",
    "call.resumed",
    "call.ended",
    "recording.ready",
]
LegDirection = Literal["internal", "inbound", "outbound"]
CallState = Literal["ringing", "talking", "held"]


class QualityIn(BaseModel):
    """One leg's audio quality as the worker measured it (RTP/RTCP), B3."""

    model_config = ConfigDict(extra="forbid")
    packets_lost: int = Field(default=0, ge=0)
    jitter_ms: float = Field(default=0, ge=0)
    rtt_ms: float | None = Field(default=None, ge=0)
    mos: float | None = Field(default=None, ge=1, le=5)
    one_way_audio: bool = False


class LegIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(max_length=64)
    from_: str = Field(alias="from", max_length=64)
    to: str = Field(max_length=64)
    direction: LegDirection = "internal"
    trunk_id: str = Field(default="", max_length=64)
    quality: QualityIn | None = None


class CallEventIn(BaseModel):
    """One call event (``pbx_core.events.CallEvent``): the whole call as it is after it."""

    model_config = ConfigDict(extra="forbid")
    schema_: Literal["probox.call-event.v1"] = Field(default="probox.call-event.v1", alias="schema")
    id: str = Field(pattern=r"^[A-Za-z0-9._:-]{8,128}$", description="unique per event, made by the edge")
    kind: Kind
    tenant_id: str = Field(max_length=64)
    call_id: str = Field(max_length=512)
    edge_id: str = Field(default="", max_length=64, description="the posting edge's id (filled in when empty)")
    occurred_at: str = Field(max_length=40, description="ISO 8601 UTC")
    started_at: str = Field(max_length=40)
    answered_at: str | None = None
    ended_at: str | None = Field(default=None, description="required for call.ended and recording.ready")
    legs: list[LegIn] = Field(min_length=1, max_length=16)
    by: str = Field(default="", max_length=64, description="who did it (transferor, picker, holder)")
    target: str = Field(default="", max_length=64, description="call.transferred: where the call went")
    transfer_kind: Literal["", "blind", "attended"] = ""
    disposition: str = Field(default="", description="call.ended: as the CDR's")
    hangup_cause: str = Field(default="", max_length=64)
    recording_key: str = Field(default="", max_length=1024, description="recording.ready")
    recording_format: str = Field(default="", max_length=16)
    recording_bytes: int = Field(default=0, ge=0)
    worker_id: str = Field(default="", max_length=64)


class EdgeHealthIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    calls_now: int | None = Field(default=None, ge=0, description="calls the edge carries now (all tenants)")
    version: str = Field(default="", max_length=64, description="the edge software's version")
    snapshot_version: int | None = Field(default=None, ge=0, description="the configuration version it runs")
    last_pull_at: str | None = Field(default=None, description="its last successful configuration poll, UTC")


class EventBatchIn(BaseModel):
    """What an edge posts: up to 100 events, and optionally its health (an empty list of
    events with ``edge`` is a heartbeat)."""

    model_config = ConfigDict(extra="forbid")
    events: list[CallEventIn] = Field(max_length=100)
    edge: EdgeHealthIn | None = None


class EventResult(Out):
    id: str
    status: Literal["created", "duplicate", "refused"]
    seq: int | None = Field(description="the tenant's number of the stored event")
    code: str | None = Field(default=None, description="why it was refused: tenant_not_served, edge_mismatch")


class EventBatchOut(Out):
    results: list[EventResult]


class QualityOut(Out):
    packets_lost: int
    jitter_ms: float
    rtt_ms: float | None
    mos: float | None
    one_way_audio: bool


class LegOut(Out):
    id: str
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    direction: str
    trunk_id: str
    quality: QualityOut | None

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class LiveCallOut(Out):
    """A call now: who talks to whom, since when, through which trunk, on which edge."""

    call_id: str
    state: CallState
    edge_id: str
    started_at: str
    answered_at: str | None
    updated_at: str = Field(description="when its newest event happened")
    last_event: Kind
    legs: list[LegOut]
    by: str
    target: str
    one_way_audio: bool
    seq: int = Field(description="number of the event this state comes from")


class LiveCallsOut(Out):
    """The live view's starting point: the calls now, and the number of the newest event
    they include (a browser then applies the WebSocket's events numbered above it)."""

    seq: int
    calls: list[LiveCallOut]
    at: str


class LiveTicketOut(Out):
    """A one-time ticket (60 s) to open the live WebSocket: ``<url>?ticket=<ticket>``."""

    ticket: str
    url: str = Field(description="the WebSocket's address: a path of this origin (wss) or an absolute wss:// URL")
    expires_at: str


class EdgeHealthOut(Out):
    """What an edge last reported with its events (``POST /edge/v1/events``)."""

    edge_id: str
    reported_at: str = Field(description="when the control plane received the report")
    calls_now: int | None
    version: str
    snapshot_version: int | None
    last_pull_at: str | None


class EdgeHealthList(Out):
    items: list[EdgeHealthOut]
