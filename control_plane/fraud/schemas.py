"""Request and response models of the fraud guard."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from control_plane.core.schemas import Body, Out

Policy = Literal["alert", "throttle", "suspend"]
State = Literal["ok", "alert", "throttle", "suspend"]


class FraudSettingsIn(Body):
    """What a tenant admin tunes (every field optional; 0 turns a cap off)."""

    policy: Policy | None = None
    alert_score: int | None = Field(default=None, ge=10, le=500)
    action_score: int | None = Field(default=None, ge=10, le=500)
    throttle_minutes: int | None = Field(default=None, ge=5, le=1440)
    calls_per_minute: int | None = Field(default=None, ge=0, le=1000)
    concurrent_per_extension: int | None = Field(default=None, ge=0, le=1000)
    concurrent_per_tenant: int | None = Field(default=None, ge=0, le=10_000)
    daily_minutes_per_extension: int | None = Field(default=None, ge=0, le=100_000)
    daily_minutes_per_tenant: int | None = Field(default=None, ge=0, le=1_000_000)


class FraudSettingsOut(Out):
    policy: Policy  # what a score at action_score (or a cap crossed) does
    alert_score: int
    action_score: int
    throttle_minutes: int
    calls_per_minute: int
    concurrent_per_extension: int
    concurrent_per_tenant: int
    daily_minutes_per_extension: int
    daily_minutes_per_tenant: int


class FraudReasonOut(Out):
    code: str
    points: int
    text: str  # English
    text_vi: str


class FraudDecisionOut(Out):
    action: Literal["none", "alert", "throttle", "suspend"]
    score: int
    at: int  # unix time
    call_id: str
    reasons: list[FraudReasonOut]
    text: str  # the decision in words (English)
    text_vi: str


class LearnedOut(Out):
    """What the guard learned of the extension's outside calling (decayed: recent weeks weigh most)."""

    calls: float  # outside calls remembered (decayed count)
    weeks: float  # weeks of history
    ready: bool  # enough history to judge by (else the company's habits and the caps apply)
    usual_hours: str
    destinations: dict[str, float]  # share of mobile, fixed, tollfree, premium, international, other
    average_talk_s: float
    average_daily_minutes: float
    networks: list[str]
    user_agents: list[str]


class FraudStateOut(Out):
    extension: str
    state: State  # ok, or the strongest decision in force
    outside_calls_held: bool  # the edges refuse its outside calls now
    held_until: int | None  # a pause's end; null = until lifted (or not held)
    score: int  # of its last outside call
    today_minutes: float
    last_decision: FraudDecisionOut | None
    learned: LearnedOut


class FraudStateList(Out):
    items: list[FraudStateOut]
    next: str | None
