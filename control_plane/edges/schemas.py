"""Request and response models of edge nodes."""

from __future__ import annotations

from pydantic import Field

from control_plane.core.schemas import Body, EdgeId, Out, TenantId


class EdgeCreate(Body):
    id: EdgeId
    # The tenants the edge serves: none unless listed (issue 13); null = every tenant, an
    # explicit choice for a one-edge installation.
    tenants: list[TenantId] | None = Field(default_factory=list, max_length=1000)


class EdgeUpdate(Body):
    tenants: list[TenantId] | None = Field(default=None, max_length=1000)


class EdgeOut(Out):
    id: str
    tenants: list[str] | None
    has_seal_key: bool  # the edge registered the key its trunk passwords are sealed to
    credential_at: str | None  # when its current credential was issued
    created_at: str
    updated_at: str


class EdgeCredentialOut(Out):
    """Shown once: the edge's credential (install it on the edge, mode 0600) and a first
    access token (1 hour)."""

    credential: str
    token: str
    token_expires_at: str


class EdgeCreated(EdgeOut, EdgeCredentialOut):
    pass


class EdgeTokenOut(Out):
    token: str
    expires_at: str


class SealKeyIn(Body):
    public_key: str = Field(min_length=43, max_length=44)


class EdgeList(Out):
    items: list[EdgeOut]
    next: str | None
