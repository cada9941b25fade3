"""Request and response models of numbers (DIDs)."""

from __future__ import annotations

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
