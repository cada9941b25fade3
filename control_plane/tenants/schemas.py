"""Request and response models of tenants."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from control_plane.core.schemas import Body, Domain, OnFull, OptDid, Out, PlanName, Text, TimeZone
from control_plane.recordings.schemas import RecordingUsageOut
from pbx_core import defaults


class OutboundPolicyIn(Body):
    international: bool | None = None
    premium_1900: bool | None = None


class RecordingPolicyIn(Body):
    enabled: bool | None = None
    retention_days: int | None = Field(default=None, ge=1, le=3650)
    on_full: OnFull | None = None


class TenantCreate(Body):
    name: Text
    domain: Domain
    plan: PlanName = defaults.PLAN
    max_concurrent_calls: int | None = Field(default=None, ge=1, le=10_000)
    time_zone: TimeZone = defaults.TIME_ZONE
    outbound_policy: OutboundPolicyIn | None = None
    recording: RecordingPolicyIn | None = None
    password_rotation_months: int = Field(default=defaults.PASSWORD_ROTATION_MONTHS, ge=1, le=24)
    # provider only: the tenant's trunks may name loopback/private/link-local addresses
    # (a carrier over a private link or VPN; local test stacks). Off = public addresses only.
    allow_private_trunk_hosts: bool = False


class TenantUpdate(Body):
    name: Text | None = None
    plan: PlanName | None = None
    status: Literal["active", "suspended"] | None = None
    max_concurrent_calls: int | None = Field(default=None, ge=1, le=10_000)
    time_zone: TimeZone | None = None
    outbound_policy: OutboundPolicyIn | None = None
    recording: RecordingPolicyIn | None = None
    password_rotation_months: int | None = Field(default=None, ge=1, le=24)
    default_caller_id: OptDid | None = None
    allow_private_trunk_hosts: bool | None = None


class OutboundPolicyOut(Out):
    international: bool
    premium_1900: bool


class RecordingPolicyOut(RecordingUsageOut):
    enabled: bool
    retention_days: int


class TenantOut(Out):
    id: str
    name: str
    domain: str
    status: Literal["active", "suspended"]
    plan: str
    max_concurrent_calls: int
    max_extensions: int
    extension_count: int
    time_zone: str
    outbound_policy: OutboundPolicyOut
    recording: RecordingPolicyOut
    password_rotation_months: int
    default_caller_id: str
    allow_private_trunk_hosts: bool
    created_at: str
    updated_at: str


class TenantList(Out):
    items: list[TenantOut]
    next: str | None
