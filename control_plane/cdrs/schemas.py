"""Request and response models of CDRs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from control_plane.call_notes.schemas import WrapupSummary
from control_plane.core.schemas import OptExt, Out, Query


class CdrIngestOut(Out):
    call_id: str
    status: Literal["created", "duplicate"]


class CdrQuery(Query):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=2000)
    start: str | None = Field(default=None, alias="from", max_length=40)
    end: str | None = Field(default=None, alias="to", max_length=40)
    extension: OptExt | None = None
    number: Annotated[str, StringConstraints(pattern=r"^\+?[0-9]{2,15}$")] | None = None
    direction: Literal["internal", "inbound", "outbound"] | None = None
    disposition: Literal["answered", "busy", "no_answer", "unavailable", "rejected", "cancelled", "failed"] | None = (
        None
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class CdrLegOut(Out):
    """An outside party a transfer brought into the call, through a carrier trunk (F4)."""

    number: str
    trunk_id: str
    answered_at: str
    ended_at: str
    billable_s: int


class CdrQualityOut(Out):
    """One leg's audio quality at its hang-up, as the edge's worker measured it (B3)."""

    leg: str = Field(description='"a": the caller\'s side, "b": the callee\'s')
    party: str = Field(default="", description="who was on that leg at the end")
    packets_lost: int = Field(default=0, ge=0, description="cumulative, from RTCP")
    jitter_ms: float = Field(default=0.0, ge=0, description="interarrival jitter")
    rtt_ms: float | None = Field(default=None, ge=0, description="RTCP round trip; null: no receiver report came")
    mos: float | None = Field(default=None, ge=1, le=5, description="estimated MOS (E-model); null: no packet came")
    one_way_audio: bool = False


class CdrOut(Out):
    tenant_id: str
    call_id: str
    caller: str
    callee: str
    started_at: str
    answered_at: str | None
    ended_at: str
    duration_s: float
    disposition: str
    sip_code: int
    hangup_side: str
    direction: str
    edge_id: str
    worker_id: str
    recording_key: str | None
    recording_format: str | None
    recording_bytes: int
    # pbx_core.cdr.Cdr's later fields: always stored and answered, documented since the
    # responses are built from this model.
    hangup_cause: str = ""
    billable_s: int = 0
    dialled: str = ""
    branch_id: str = ""
    trunk_id: str = ""
    did: str = ""
    chain: list[str] = Field(default_factory=list)
    legs: list[CdrLegOut] = Field(default_factory=list)
    # B3, optional: absent (empty) in CDRs from edges before it and for calls with no media.
    quality: list[CdrQualityOut] = Field(default_factory=list)
    source_ip: str = ""  # the caller's phone's address, when the edge said (fraud guard)
    user_agent: str = ""  # the caller's phone's software, when the edge said
    # Issue 17, optional: the contact a click-to-call was made to ("" for other calls).
    contact_id: str = ""


class CdrIn(CdrOut):
    """What an edge posts: a CDR, and its recording named by the edge's upload. The recording
    fields of the body are ignored: the control plane derives the key and takes the size
    from the stored object (issue 13)."""

    recording_upload: str | None = None  # incoming/<edge_id>/... ; absent: no recording


MAX_BATCH = 50  # CDRs per batch request (DynamoDB transactions take at most 100 items)


class CdrBatchIn(Out):
    cdrs: list[CdrIn] = Field(min_length=1, max_length=MAX_BATCH)


class CdrBatchItemOut(Out):
    """One CDR of a batch: stored, a repeat, or refused (then ``code``/``message`` say why,
    and the edge keeps it: ``retry`` for a passing failure, else it needs a person)."""

    index: int
    call_id: str
    status: Literal["created", "duplicate", "error"]
    code: str | None = None
    message: str | None = None
    retry: bool = False


class CdrBatchOut(Out):
    results: list[CdrBatchItemOut]


class CdrStored(CdrOut):
    recording_deleted: Literal["quota", "retention"] | None  # why recording_key is now null
    recording_deleted_at: str | None


class CdrLocalOut(CdrStored):
    """A stored CDR as the API returns it: the UTC times unchanged, plus each of them in the
    tenant's time zone (ISO 8601 with the offset of that instant, e.g. +07:00)."""

    time_zone: str
    started_at_local: str | None
    answered_at_local: str | None
    ended_at_local: str | None
    # Issue 17 (CC3), optional: the agent's wrap-up (call_notes), when written.
    wrapup: WrapupSummary | None = Field(default=None, description="the agent's wrap-up of the call, if written")


class CdrLocalList(Out):
    items: list[CdrLocalOut]
    next: str | None
