"""Bodies and answers of click-to-call and of the edges' command queue."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from control_plane.core.schemas import Body, OptExt, Out

COMMAND_ID_PATTERN = r"^cmd_[0-9a-f]{24}$"
ContactRef = Annotated[str, StringConstraints(pattern=r"^(ct_[0-9a-f]{12})?$")]
DialText = Annotated[str, StringConstraints(pattern=r"^(\+?[0-9][0-9 .()-]{1,23})?$")]
RequestId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:-]{0,64}$")]
State = Literal["pending", "claimed", "agent_ringing", "agent_answered", "connected", "failed", "expired"]
ReportState = Literal["agent_ringing", "agent_answered", "connected", "failed"]


class ClickToCallIn(Body):
    """Call a contact (its first number, or ``number`` among its numbers) or a number (an
    outside number or an extension of the tenant) from the user's own extension."""

    contact_id: ContactRef = ""
    number: DialText = ""
    extension: OptExt = Field(default="", description="the phone to ring first; agents: their own only (the default)")
    advertising: bool = Field(
        default=False, description="an advertising call: numbers on the national do-not-call list are refused too"
    )
    request_id: RequestId = Field(
        default="", description="the client's id of this click: a repeated request answers the same command"
    )


class ClickToCallOut(Out):
    id: str
    state: State
    extension: str
    target: str = Field(description="what is called (masked for agents as contacts' numbers)")
    target_kind: Literal["extension", "number"]
    contact_id: str
    created_at: str
    expires_at: str
    call_id: str = ""
    reason: str = ""


class EdgeCommandOut(Out):
    """One command for an edge: ring ``extension`` first (auto-answer hint), then call
    ``target`` (an extension, or a number through ``trunk_id`` showing ``caller_id``)."""

    id: str
    kind: Literal["click_to_call"]
    tenant_id: str
    extension: str
    target: str
    target_kind: Literal["extension", "number"]
    trunk_id: str
    caller_id: str
    contact_id: str
    created_at: str
    expires_at: str
    state: State
    edge_id: str = ""


class EdgeCommandList(Out):
    commands: list[EdgeCommandOut]


class CommandReportIn(Body):
    state: ReportState
    call_id: str = Field(default="", max_length=512)
    reason: str = Field(default="", max_length=200)
