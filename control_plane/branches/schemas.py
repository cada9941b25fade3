"""Request and response models of branches."""

from __future__ import annotations

from control_plane.core.schemas import Body, Out, Prefix, Text


class BranchCreate(Body):
    name: Text
    prefix: Prefix


class BranchUpdate(Body):
    name: Text | None = None
    prefix: Prefix | None = None


class BranchOut(Out):
    id: str
    name: str
    prefix: str
    extension_count: int
    created_at: str
    updated_at: str


class BranchList(Out):
    items: list[BranchOut]
    next: str | None
