"""Request and response models of plans."""

from __future__ import annotations

from pydantic import Field

from control_plane.core.schemas import Body, Feature, OptText, Out, PlanName


class PlanCreate(Body):
    name: PlanName
    description: OptText = ""
    max_extensions: int = Field(ge=1, le=10_000)
    max_concurrent_calls: int = Field(ge=1, le=10_000)
    recording_quota_bytes: int = Field(ge=0, le=10**13)
    features: list[Feature] = Field(default_factory=list, max_length=50)


class PlanUpdate(Body):
    description: OptText | None = None
    max_extensions: int | None = Field(default=None, ge=1, le=10_000)
    max_concurrent_calls: int | None = Field(default=None, ge=1, le=10_000)
    recording_quota_bytes: int | None = Field(default=None, ge=0, le=10**13)
    features: list[Feature] | None = Field(default=None, max_length=50)


class PlanOut(Out):
    name: str
    description: str
    max_extensions: int
    max_concurrent_calls: int
    recording_quota_bytes: int
    features: list[str]
    tenant_count: int
    created_at: str
    updated_at: str


class PlanList(Out):
    items: list[PlanOut]
    next: str | None
