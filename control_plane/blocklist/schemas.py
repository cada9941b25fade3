"""Request and response models of block rules."""

from __future__ import annotations

from control_plane.core.schemas import BlockPattern, Body, Direction, OptExt, OptText, Out, Query


class BlockCreate(Body):
    pattern: BlockPattern
    direction: Direction = "both"
    extension: OptExt = ""
    note: OptText = ""


class BlockUpdate(Body):
    pattern: BlockPattern | None = None
    direction: Direction | None = None
    extension: OptExt | None = None
    note: OptText | None = None


class BlockQuery(Query):
    direction: Direction | None = None
    extension: OptExt | None = None


class BlockOut(Out):
    id: str
    pattern: str
    direction: Direction
    extension: str
    note: str
    created_at: str
    updated_at: str


class BlockList(Out):
    items: list[BlockOut]
    next: str | None
