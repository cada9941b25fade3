"""Request and response models of numbers (DIDs)."""

from __future__ import annotations

from pydantic import Field

from control_plane.core.schemas import Body, Did, Id, NumberKind, OptExt, OptText, Out


class NumberCreate(Body):
    number: Did
    trunk_id: Id
    route_to: OptExt = ""
    label: OptText = ""


class NumberUpdate(Body):
    trunk_id: Id | None = None
    route_to: OptExt | None = None
    label: OptText | None = None


class NumberOut(Out):
    number: str
    kind: NumberKind
    trunk_id: str
    route_to: str
    label: str
    created_at: str
    updated_at: str


class NumberList(Out):
    items: list[NumberOut]
    next: str | None


class NumberAssign(Body):
    """Provider: numbers to give a tenant (all or none; ones it has already are kept)."""

    numbers: list[Did] = Field(min_length=1, max_length=40)


class AssignedNumberOut(Out):
    number: str
    kind: NumberKind
    in_use: bool  # the tenant has configured it (a trunk and a route)
    assigned_at: str
    legacy: bool  # configured before the provider assigned numbers (issue 13); counts as assigned


class AssignedNumberList(Out):
    items: list[AssignedNumberOut]
    next: str | None
