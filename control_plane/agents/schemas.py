"""Request and response models of call-center agents and their status."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from control_plane.core.schemas import Body, OptText, Out

AgentStatusName = Literal["logged_out", "ready", "paused"]
PauseReason = Annotated[OptText, StringConstraints(max_length=64)]


class AgentStatusIn(Body):
    status: AgentStatusName
    reason: PauseReason = ""  # kept with "paused" only (e.g. "lunch", "training")


class AgentOut(Out):
    extension: str
    user_id: str  # the user tied to the extension ("" when none)
    name: str  # the user's name, else the extension's display name
    status: AgentStatusName
    reason: str
    since: int  # unix time the status was set (0: never set)
    since_iso: str | None


class AgentList(Out):
    items: list[AgentOut]
    next: str | None


NonEmptyReason = Annotated[PauseReason, StringConstraints(min_length=1)]


class PauseReasonsIn(Body):
    reasons: list[NonEmptyReason] = Field(max_length=20)


class PauseReasonsOut(Out):
    reasons: list[str]  # [] = agents type a free reason
