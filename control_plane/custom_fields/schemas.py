"""Request and response models of custom fields."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from control_plane.core.schemas import Body, Out, Text

FIELD_KEY_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
FieldKey = Annotated[str, StringConstraints(pattern=FIELD_KEY_PATTERN)]
FieldType = Literal["text", "number", "date", "select", "checkbox"]
MAX_FIELDS = 50


class FieldCreate(Body):
    key: FieldKey
    label: Text
    type: FieldType = "text"
    options: list[Text] = Field(default_factory=list, max_length=50)
    required: bool = False
    position: int = Field(default=0, ge=0, le=1000)


class FieldUpdate(Body):
    label: Text | None = None
    options: list[Text] | None = Field(default=None, max_length=50)
    required: bool | None = None
    position: int | None = Field(default=None, ge=0, le=1000)


class FieldOut(Out):
    key: str
    label: str
    type: FieldType
    options: list[str]
    required: bool
    position: int
    created_at: str
    updated_at: str


class FieldList(Out):
    items: list[FieldOut]
    next: str | None
