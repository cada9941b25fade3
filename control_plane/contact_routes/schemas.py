"""Query and answer of the edges' contact routes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from control_plane.core.schemas import TENANT_ID_PATTERN, Out, Query

CURSOR_PATTERN = r"^(r1\.[0-9]{1,17})?$"


class ContactRoutesQuery(Query):
    tenant_id: Annotated[str, StringConstraints(pattern=TENANT_ID_PATTERN)] = Field(
        description="a tenant the edge serves"
    )
    cursor: Annotated[str, StringConstraints(pattern=CURSOR_PATTERN)] = Field(
        default="", description="the last answer's cursor; empty: the whole list"
    )
    next: Annotated[str, StringConstraints(max_length=600)] | None = Field(
        default=None, description="the previous page's next token (the same answer continues)"
    )


class ContactRouteOut(Out):
    number: str = Field(description="national form, as the edge sees the caller")
    owner: str = Field(description="the contact owner's user id (the snapshot's user_extensions), or empty")
    vip: bool = Field(description="a VIP contact (tag vip): ahead of the others in a queue")


class ContactRouteList(Out):
    routes: list[ContactRouteOut] = Field(description="numbers whose route is (now) this one")
    removed: list[str] = Field(description="numbers that route like anyone else now")
    cursor: str = Field(
        description="keep it with what you applied; empty while a full list is not complete (start over)"
    )
    full: bool = Field(description="this page starts the tenant's whole list: drop the tenant's routes first")
    next: str | None = Field(description="more of this answer: ask again with next")
