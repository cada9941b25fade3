"""Request and response models of tenant jobs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import StringConstraints

from control_plane.core.schemas import Body, Domain, Out, PlanName, Query, Text

ARCHIVE_KEY_PATTERN = r"^(exports/t_[0-9a-f]{16}/job_[0-9a-f]{12}|imports/imp_[0-9a-f]{12})\.zip$"
ArchiveKey = Annotated[str, StringConstraints(pattern=ARCHIVE_KEY_PATTERN)]


class ImportIn(Body):
    archive_key: ArchiveKey  # exports/<tenant>/<job>.zip, or imports/<upload>.zip
    domain: Domain | None = None  # default: the archived domain
    name: Text | None = None  # default: the archived name
    plan: PlanName | None = None  # default: the archived plan
    keep_id: bool = False  # reuse the archived tenant id (moving back, another installation)
    status: Literal["active", "suspended"] = "active"


class DeleteQuery(Query):
    force: bool = False


class DownloadOut(Out):
    url: str
    expires_in: int
    expires_at: str
    bytes: int
    sha256: str


class JobOut(Out):
    id: str
    tenant_id: str
    kind: Literal["export", "import", "delete"]
    status: Literal["pending", "running", "done", "failed"]
    created_at: str
    updated_at: str
    finished_at: str | None
    created_by: str
    error: str | None
    result: dict[str, Any]
    download: DownloadOut | None


class JobList(Out):
    items: list[JobOut]
    next: str | None


class UploadOut(Out):
    archive_key: str
    upload_url: str
    method: Literal["PUT"]
    expires_in: int
    expires_at: str
