"""Request and response models of contacts, their imports, exports and settings."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints

from control_plane.call_notes.schemas import WrapupSummary
from control_plane.core.schemas import EMAIL_PATTERN, Body, OptText, Out, Query, Text

EMAIL_RE = re.compile(EMAIL_PATTERN)
# An e-mail address or "" (none).
OptEmail = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=f"^$|{EMAIL_PATTERN}"),
    AfterValidator(str.lower),
]
CHANNELS = ("call", "sms", "email", "zalo")
Channel = Literal["call", "sms", "email", "zalo"]
ConsentStatus = Literal["granted", "denied", "unknown"]
Visibility = Literal["full", "masked"]
# A tag or segment: a short label without commas (CSV cells list them comma-separated).
Label = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[^,;\x00-\x1f\x7f]+$")
]
NumberText = Annotated[str, StringConstraints(min_length=3, max_length=24)]
Notes = Annotated[str, StringConstraints(max_length=4000)]
USER_ID = r"^(usr_[0-9a-f]{12})?$"
OptUserId = Annotated[str, StringConstraints(pattern=USER_ID)]
CONTACT_ID_PATTERN = r"^ct_[0-9a-f]{12}$"
IMPORT_ID_PATTERN = r"^imp_[0-9a-f]{12}$"


class ConsentIn(Body):
    status: ConsentStatus
    reason: OptText = ""


class DncIn(Body):
    """The contact asked not to be reached on this channel (``reason``: what was said)."""

    reason: Text


class ContactCreate(Body):
    name: OptText = ""
    company: OptText = ""
    email: OptEmail = ""
    numbers: list[NumberText] = Field(default_factory=list, max_length=10)
    owner: OptUserId = ""
    tags: list[Label] = Field(default_factory=list, max_length=30)
    segments: list[Label] = Field(default_factory=list, max_length=30)
    notes: Notes = ""
    consent: dict[Channel, ConsentIn] = Field(default_factory=dict)
    dnc: dict[Channel, DncIn] = Field(default_factory=dict)
    custom: dict[str, Any] = Field(default_factory=dict, max_length=50)


class ContactUpdate(Body):
    name: OptText | None = None
    company: OptText | None = None
    email: OptEmail | None = None
    numbers: list[NumberText] | None = Field(default=None, max_length=10)
    owner: OptUserId | None = None
    tags: list[Label] | None = Field(default=None, max_length=30)
    segments: list[Label] | None = Field(default=None, max_length=30)
    notes: Notes | None = None
    consent: dict[Channel, ConsentIn] | None = None
    # a channel set to null takes it off the contact's do-not-call list
    dnc: dict[Channel, DncIn | None] | None = None
    custom: dict[str, Any] | None = Field(default=None, max_length=50)


class ContactQuery(Query):
    q: str | None = Field(default=None, max_length=100, description="a number (exact), or words of the name")
    tag: str | None = Field(default=None, max_length=40)
    segment: str | None = Field(default=None, max_length=40)
    owner: str | None = Field(default=None, max_length=20, description="a user id, or `me`")
    dnc: Channel | None = Field(default=None, description="only contacts on the do-not-call list of this channel")
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=2000)


class LookupQuery(Query):
    number: str = Field(max_length=40)


class ConsentOut(Out):
    status: ConsentStatus
    reason: str
    at: str


class DncOut(Out):
    reason: str
    at: str
    by: str


class ContactOut(Out):
    id: str
    name: str
    company: str
    email: str
    numbers: list[str]
    numbers_masked: bool
    owner: str
    tags: list[str]
    segments: list[str]
    notes: str
    consent: dict[str, ConsentOut]
    dnc: dict[str, DncOut]
    national_dnc: list[str] = Field(description="its numbers on the national do-not-call list (advertising calls)")
    callable: bool = Field(description="may be called: not on the do-not-call list of the call channel")
    custom: dict[str, Any]
    source: str
    calls: int
    last_call_at: str | None
    created_at: str
    updated_at: str


class ContactList(Out):
    items: list[ContactOut]
    next: str | None


class ContactCallOut(Out):
    call_id: str
    started_at: str
    direction: str
    disposition: str
    duration_s: float
    extension: str
    number: str
    recording: bool
    wrapup: WrapupSummary | None = Field(default=None, description="the agent's wrap-up of the call, if written")


class ContactCallList(Out):
    items: list[ContactCallOut]
    next: str | None


class ContactSettingsOut(Out):
    number_visibility: Visibility = Field(description="what agents see of customers' numbers")
    updated_at: str


class ContactSettingsUpdate(Body):
    number_visibility: Visibility


# --- imports -----------------------------------------------------------------------------------
ImportKind = Literal["contacts", "dnc"]
ImportStatus = Literal["uploading", "previewed", "running", "done", "failed"]
OnDuplicate = Literal["skip", "update"]
FIELD_TARGETS = ("name", "company", "email", "number", "owner", "tags", "segments", "notes", "ignore")


class ImportCreate(Body):
    filename: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^/\\\x00-\x1f]+\.(csv|xlsx)$")]
    kind: ImportKind = "contacts"
    content_base64: str | None = Field(
        default=None,
        max_length=6_000_000,
        description="the file itself (up to 4 MiB); without it, PUT the file to upload_url",
    )
    source: OptText = ""


class ImportPreviewIn(Body):
    mapping: dict[Annotated[str, StringConstraints(max_length=100)], str] | None = Field(
        default=None,
        description="column header -> name, company, email, number, owner (e-mail), tags, segments, "
        "notes, custom.<key> or ignore; unmapped headers are recognised by name (Vietnamese or English)",
    )
    on_duplicate: OnDuplicate = "skip"


class RowError(Out):
    row: int = Field(description="the row's number in the file (the header is row 1)")
    field: str
    message: str


class ImportOut(Out):
    id: str
    kind: ImportKind
    filename: str
    status: ImportStatus
    upload_url: str | None = None
    columns: dict[str, str] = Field(description="column header -> field it fills")
    on_duplicate: OnDuplicate
    rows: int
    valid: int
    invalid: int
    duplicates: int = Field(description="rows whose number is in an earlier row or belongs to a contact")
    created: int
    updated: int
    skipped: int
    errors: list[RowError] = Field(description="per-row errors, at most 1,000 (errors_total counts all)")
    errors_total: int
    sample: list[dict[str, Any]] = Field(description="the first rows as they will be imported")
    error: str | None
    created_at: str
    updated_at: str


class ImportList(Out):
    items: list[ImportOut]
    next: str | None


# --- exports -------------------------------------------------------------------------------------
class ContactExportQuery(Query):
    format: Literal["xlsx", "csv"] = "xlsx"
    lang: Literal["vi", "en"] = "vi"
    segment: str | None = Field(default=None, max_length=40)
    tag: str | None = Field(default=None, max_length=40)
    owner: str | None = Field(default=None, max_length=20)
    limit: int = Field(default=100_000, ge=1, le=1_000_000)


class ExportLink(Out):
    id: str
    rows: int
    truncated: bool
    bytes: int
    filename: str
    content_type: str
    url: str
    expires_in: int
    expires_at: str


class DncOutEntry(Out):
    number: str
    listed: bool
    source: str
    added_at: str
