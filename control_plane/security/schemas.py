"""Request and response models of the firewall's bans and security events."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from control_plane.core.schemas import Body, Out, Query

Kind = Literal["ban", "hold", "abroad"]


class SecurityEventIn(Body):
    """One event as the edge's KEMI script spools it (kemi_scripts/firewall.py)."""

    kind: Kind
    source: str = Field(max_length=64)
    at: int = Field(ge=0)
    call_id: str = Field(default="", max_length=256)
    method: str = Field(default="", max_length=32)
    subject: str = Field(default="", max_length=160)
    tenant_id: str = Field(default="", max_length=64)
    account: str = Field(default="", max_length=160)
    network: str = Field(default="", max_length=64)
    learned: bool = False
    reason: str = Field(default="", max_length=32)
    strike: int = Field(default=1, ge=0, le=1000)
    until: int = Field(default=0, ge=0)
    evidence: str = Field(default="", max_length=300)
    text: str = Field(default="", max_length=500)


class SecurityBatchIn(Body):
    events: list[SecurityEventIn] = Field(max_length=500)


class SecurityResult(Out):
    status: Literal["stored", "provider_only", "error"]
    code: str = ""


class SecurityBatchOut(Out):
    results: list[SecurityResult]


class BanQuery(Query):
    active: bool | None = None  # only bans in force (default: the last 7 days' too)


class BanOut(Out):
    id: str
    kind: Literal["ban", "hold"]
    source: str
    network: str
    account: str
    reason: str
    evidence: str
    text: str  # what happened, in words for an admin
    strike: int
    since: int
    until: int
    active: bool
    liftable: bool  # the tenant's own source: a held account, or one of its learned networks
    lifted_at: int | None
    lifted_by: str | None


class BanList(Out):
    items: list[BanOut]
    next: str | None
