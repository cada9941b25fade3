"""Request and response models of edge nodes."""

from __future__ import annotations

from pydantic import Field

from control_plane.core.schemas import Body, EdgeId, Out, TenantId


class EdgeCreate(Body):
    id: EdgeId
    tenants: list[TenantId] | None = Field(default=None, max_length=1000)


class EdgeUpdate(Body):
    tenants: list[TenantId] | None = Field(default=None, max_length=1000)


class EdgeOut(Out):
    id: str
    tenants: list[str] | None
    created_at: str
    updated_at: str


class EdgeCreated(EdgeOut):
    token: str


class EdgeList(Out):
    items: list[EdgeOut]
    next: str | None
