"""Request and response models of webhooks and their delivery log."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from control_plane.core.schemas import Body, OptText, Out, Query

EventName = Literal[
    "*",
    "call.ringing",
    "call.answered",
    "call.transferred",
    "call.picked_up",
    "call.held",
    "call.resumed",
    "call.ended",
    "recording.ready",
    "call.wrapped_up",
    "contact.*",
    "contact.created",
    "contact.updated",
    "contact.deleted",
    "ticket.*",
    "ticket.created",
    "ticket.updated",
    "ticket.status_changed",
    "ticket.assigned",
    "ticket.commented",
    "ticket.mentioned",
    "ticket.deleted",
]
Url = Annotated[str, StringConstraints(min_length=8, max_length=2000)]
DeliveryStatus = Literal["pending", "retrying", "succeeded", "failed", "cancelled"]


def _all_events() -> list[EventName]:
    return ["*"]


class WebhookCreate(Body):
    url: Url = Field(description="https:// (the receiver must not be a private or local address)")
    events: list[EventName] = Field(default_factory=_all_events, min_length=1, max_length=30)
    description: OptText = ""
    enabled: bool = True


class WebhookUpdate(Body):
    url: Url | None = None
    events: list[EventName] | None = Field(default=None, min_length=1, max_length=30)
    description: OptText | None = None
    enabled: bool | None = None


class WebhookOut(Out):
    id: str
    url: str
    events: list[str]
    description: str
    enabled: bool
    created_at: str
    updated_at: str


class WebhookCreated(WebhookOut):
    secret: str = Field(description="shown once: verify the ProBox-Signature header with it")


class WebhookSecretOut(Out):
    secret: str = Field(description="shown once; the previous secret stops signing at once")


class WebhookList(Out):
    items: list[WebhookOut]
    next: str | None


class PingOut(Out):
    delivery_id: str
    event_id: str


class DeliveryQuery(Query):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=2000)


class DeliveryOut(Out):
    id: str
    event_id: str
    event_type: str
    seq: int | None
    status: DeliveryStatus
    attempts: int
    last_status: int | None = Field(description="the receiver's HTTP status at the last attempt (null: no answer)")
    last_error: str | None
    last_attempt_at: str | None
    next_attempt_at: str | None
    duration_ms: int | None
    created_at: str


class DeliveryList(Out):
    items: list[DeliveryOut]
    next: str | None
