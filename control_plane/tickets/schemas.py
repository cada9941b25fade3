"""Request and response models of tickets, comments, saved views and ticket settings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from control_plane.core.schemas import Body, OptText, Out, Query, Text

Status = Literal["new", "open", "pending", "solved", "closed"]
Priority = Literal["low", "normal", "high", "urgent"]
Source = Literal["manual", "call", "contact", "missed_call"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
STATUSES: tuple[str, ...] = ("new", "open", "pending", "solved", "closed")
OPEN_STATUSES = ("new", "open", "pending")
PRIORITIES: tuple[str, ...] = ("low", "normal", "high", "urgent")
TICKET_ID_PATTERN = r"^tk_[0-9a-f]{12}$"
VIEW_ID_PATTERN = r"^tv_[0-9a-f]{12}$"
Team = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40, pattern=r"^[^\x00-\x1f\x7f]*$")]
UserRef = Annotated[str, StringConstraints(pattern=r"^(usr_[0-9a-f]{12})?$")]
ContactRef = Annotated[str, StringConstraints(pattern=r"^(ct_[0-9a-f]{12})?$")]
CallRef = Annotated[str, StringConstraints(min_length=1, max_length=512)]
Description = Annotated[str, StringConstraints(max_length=10_000)]
HhMm = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")]
DateText = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
Label = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[^,;\x00-\x1f]+$")
]


class TicketCreate(Body):
    subject: Text
    description: Description = ""
    status: Status = "new"
    priority: Priority = "normal"
    assignee: UserRef = ""
    team: Team = ""
    contact_id: ContactRef = ""
    call_id: CallRef | None = Field(default=None, description="the call it is made from (linked)")
    tags: list[Label] = Field(default_factory=list, max_length=20)


class TicketUpdate(Body):
    subject: Text | None = None
    description: Description | None = None
    status: Status | None = None
    priority: Priority | None = None
    assignee: UserRef | None = None
    team: Team | None = None
    contact_id: ContactRef | None = None
    tags: list[Label] | None = Field(default=None, max_length=20)
    callback_done: bool | None = Field(default=None, description="the callback task is done (true) or not")


class TicketQuery(Query):
    q: str | None = Field(default=None, max_length=100, description="words of the subject or description")
    status: str | None = Field(default=None, max_length=60, description="one or more statuses, comma-separated")
    priority: Priority | None = None
    assignee: str | None = Field(default=None, max_length=20, description="a user id, `me` or `none`")
    team: str | None = Field(default=None, max_length=40)
    contact_id: str | None = Field(default=None, max_length=20)
    source: Source | None = None
    view: str | None = Field(default=None, max_length=20, description="a saved view's id: its filters")
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=2000)


class TicketExportQuery(Query):
    q: str | None = Field(default=None, max_length=100)
    status: str | None = Field(default=None, max_length=60)
    priority: Priority | None = None
    assignee: str | None = Field(default=None, max_length=20)
    team: str | None = Field(default=None, max_length=40)
    lang: Literal["vi", "en"] = "vi"
    limit: int = Field(default=10_000, ge=1, le=100_000)


class TimerOut(Out):
    due_at: str | None
    met_at: str | None
    breached: bool
    remaining_min: float | None = Field(description="business minutes left (negative: late); null once met")


class SlaOut(Out):
    first_response: TimerOut
    resolution: TimerOut
    paused: bool = Field(description="the clock is stopped now: outside business hours, a holiday, or pending")
    paused_reason: Literal["", "outside_hours", "holiday", "pending"]


class CallbackOut(Out):
    number: str
    due_at: str
    done_at: str | None
    done_by: str


class TicketCallOut(Out):
    call_id: str
    started_at: str
    direction: str
    disposition: str
    duration_s: float
    recording: bool


class TicketOut(Out):
    id: str
    number: int
    subject: str
    description: str
    status: Status
    priority: Priority
    assignee: str
    team: str
    contact_id: str
    source: Source
    tags: list[str]
    calls: list[TicketCallOut]
    callback: CallbackOut | None
    sla: SlaOut
    created_by: str
    first_response_at: str | None
    solved_at: str | None
    created_at: str
    updated_at: str


class TicketList(Out):
    items: list[TicketOut]
    next: str | None


class CommentCreate(Body):
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
    internal: bool = Field(default=False, description="a note for the team (not shared with the customer)")
    mentions: list[UserRef] = Field(default_factory=list, max_length=20, description="users to notify, besides @e-mail")


class CommentOut(Out):
    id: str
    author: str
    body: str
    mentions: list[str]
    internal: bool
    created_at: str


class CommentList(Out):
    items: list[CommentOut]
    next: str | None


class CallLinkIn(Body):
    call_id: CallRef


class ViewFilters(Body):
    q: OptText = ""
    status: list[Status] = Field(default_factory=list)
    priority: Priority | None = None
    assignee: Annotated[str, StringConstraints(pattern=r"^(usr_[0-9a-f]{12}|me|none)?$")] = ""
    team: Team = ""
    source: Source | None = None


class ViewCreate(Body):
    name: Text
    shared: bool = Field(default=False, description="seen by the whole tenant (tenant admins and supervisors only)")
    filters: ViewFilters


class ViewOut(Out):
    id: str
    name: str
    owner: str
    shared: bool
    filters: ViewFilters
    created_at: str


class ViewList(Out):
    items: list[ViewOut]
    next: str | None


class DayHours(Body):
    start: HhMm
    end: HhMm


class SlaTarget(Body):
    first_response_min: int = Field(ge=1, le=100_000)
    resolution_min: int = Field(ge=1, le=1_000_000)


class TicketSettingsUpdate(Body):
    business_hours: dict[Weekday, DayHours | None] | None = None
    public_holidays: bool | None = Field(default=None, description="closed on Vietnam's public holidays")
    days_off: list[DateText] | None = Field(default=None, max_length=100)
    sla: dict[Priority, SlaTarget] | None = None


class DayHoursOut(Out):
    start: str
    end: str


class SlaTargetOut(Out):
    first_response_min: int
    resolution_min: int


class TicketSettingsOut(Out):
    time_zone: str
    business_hours: dict[str, DayHoursOut | None]
    public_holidays: bool
    days_off: list[str]
    sla: dict[str, SlaTargetOut]
    holidays: list[str] = Field(description="the public holidays of this year and the next (closed days)")
    updated_at: str


class TicketExportLink(Out):
    id: str
    rows: int
    truncated: bool
    bytes: int
    filename: str
    content_type: str
    url: str
    expires_in: int
    expires_at: str
