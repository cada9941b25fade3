"""Request and response models of call-center queues (the fields of
``pbx_core.snapshot.QueueConfig``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from control_plane.core.schemas import Body, Ext, NewExt, Out, Query, Text

Strategy = Literal["ringall", "longest_idle", "fewest_calls", "round_robin", "linear", "random"]
Language = Literal["vi", "en"]
MAX_MEMBERS = 40  # every member is a reference counted in the same transaction (at most 100 actions)
# "" (a short message, then the call ends) | message | callback | queue:<queue id> | extension:<number>
OVERFLOW_PATTERN = r"^(message|callback|queue:[a-z]{2,4}_[0-9a-f]{12}|extension:[1-9][0-9]{1,5})?$"
Overflow = Annotated[str, StringConstraints(pattern=OVERFLOW_PATTERN)]
QueueName = Annotated[Text, StringConstraints(max_length=64)]


class QueueMemberIn(Body):
    extension: Ext
    penalty: int = Field(default=0, ge=0, le=9)


class QueueMemberOut(Out):
    extension: str
    penalty: int


class QueueSettings(Body):
    """Every setting but name, number and members; a PATCH sends any of them."""

    strategy: Strategy | None = None
    ring_timeout_s: int | None = Field(default=None, ge=5, le=120)
    retry_s: int | None = Field(default=None, ge=0, le=60)
    max_wait_s: int | None = Field(default=None, ge=0, le=7200)
    max_len: int | None = Field(default=None, ge=0, le=1000)
    overflow: Overflow | None = None
    wrapup_s: int | None = Field(default=None, ge=0, le=600)
    autopause_after: int | None = Field(default=None, ge=0, le=20)
    widen_after_s: int | None = Field(default=None, ge=0, le=3600)
    service_level_s: int | None = Field(default=None, ge=5, le=600)
    join_empty: bool | None = None
    leave_when_empty: bool | None = None
    announce_every_s: int | None = Field(default=None, ge=0, le=600)
    callback: bool | None = None
    rejoin_s: int | None = Field(default=None, ge=0, le=3600)
    language: Language | None = None


class QueueCreate(QueueSettings):
    name: QueueName
    number: NewExt
    members: list[QueueMemberIn] = Field(default_factory=list, max_length=MAX_MEMBERS)


class QueueUpdate(QueueSettings):
    name: QueueName | None = None
    number: NewExt | None = None
    members: list[QueueMemberIn] | None = Field(default=None, max_length=MAX_MEMBERS)


PromptName = Literal["welcome", "callback", "callback_ok", "closed", "leave_message"]
MAX_PROMPT_S = 180  # a prompt plays to a waiting caller: three minutes at most
MAX_PROMPT_BYTES = 4 << 20  # the WAV file (base64 in the JSON body: ~5.6 MB, under API Gateway's 10 MB)


class PromptUpload(Body):
    """A tenant's own recording of one of the queue's prompts, in one language: a WAV file
    (PCM, 8 or 16 bit, mono or stereo, 8 kHz or more, at most three minutes)."""

    language: Language
    content_base64: str = Field(min_length=8, max_length=(MAX_PROMPT_BYTES * 4) // 3 + 8)


class PromptQuery(Query):
    language: Language = "vi"


class PromptOut(Out):
    name: PromptName
    language: Language
    seconds: float
    bytes: int
    sha256: str
    uploaded_at: str


class PromptLink(Out):
    url: str
    sha256: str


class QueueOut(Out):
    id: str
    name: str
    number: str
    strategy: Strategy
    members: list[QueueMemberOut]
    ring_timeout_s: int
    retry_s: int
    max_wait_s: int
    max_len: int
    overflow: str
    wrapup_s: int
    autopause_after: int
    widen_after_s: int
    service_level_s: int
    join_empty: bool
    leave_when_empty: bool
    announce_every_s: int
    callback: bool
    rejoin_s: int
    language: Language
    prompts: list[PromptOut] = Field(
        default_factory=list, description="the tenant's own recordings; the product's voice speaks the others"
    )
    references: int  # numbers (DIDs) routed to the queue and queues overflowing to it
    created_at: str
    updated_at: str


class QueueList(Out):
    items: list[QueueOut]
    next: str | None
