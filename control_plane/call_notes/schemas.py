"""Request and response models of call notes (wrap-up) and the tenant's disposition codes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from control_plane.core.schemas import Body, Out, Text

MAX_NOTES = 4000
EXCERPT = 120  # characters of the notes in call lists
CODE_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
ContactRef = Annotated[str, StringConstraints(pattern=r"^(ct_[0-9a-f]{12})?$")]
TicketRef = Annotated[str, StringConstraints(pattern=r"^(tk_[0-9a-f]{12})?$")]


class WrapupIn(Body):
    disposition: str = Field(max_length=40, description="a code of the tenant's list (GET /v1/dispositions)")
    notes: str = Field(default="", description=f"at most {MAX_NOTES} characters (400 `notes_too_long`); may be empty")
    contact_id: ContactRef = Field(default="", description="the contact it concerns (default: the call's caller)")
    ticket_id: TicketRef = Field(default="", description="a ticket it belongs to")


class WrapupOut(Out):
    call_id: str
    disposition: str
    notes: str
    contact_id: str
    ticket_id: str
    extension: str = Field(description="the agent's extension who wrote it ('' for a supervisor or an admin)")
    created_by: str
    updated_by: str
    created_at: str
    updated_at: str
    call_stored: bool = Field(description="whether the call's CDR is stored yet (a note may come first)")


class WrapupSummary(Out):
    """A call's wrap-up as call lists show it."""

    disposition: str
    notes_excerpt: str = Field(description=f"the first {EXCERPT} characters of the notes")


class DispositionCode(Body):
    code: Code
    label_vi: Text
    label_en: Text


class DispositionsIn(Body):
    items: list[DispositionCode] = Field(min_length=1, max_length=50)


class DispositionOut(Out):
    code: str
    label_vi: str
    label_en: str


class DispositionList(Out):
    items: list[DispositionOut]
    updated_at: str = Field(description="'' while the tenant uses the defaults")
