"""Request and response models of call exports."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from control_plane.cdrs.schemas import CdrQuery
from control_plane.core.schemas import Out

EXPORT_DEFAULT_LIMIT = 10_000
EXPORT_MAX_LIMIT = 100_000


class CdrExportQuery(CdrQuery):
    limit: int = Field(default=EXPORT_DEFAULT_LIMIT, ge=1, le=EXPORT_MAX_LIMIT)


class CdrXlsxQuery(CdrExportQuery):
    """The CSV export's filters and limit, plus the language of the headers."""

    lang: Literal["en", "vi"] = "en"


class CdrExportLink(Out):
    """A CDR export stored in S3 (``tenants/<id>/reports/cdrs/``) and a short-lived link to it."""

    id: str
    rows: int
    truncated: bool  # more calls matched than ``limit``: narrow the time range
    bytes: int
    time_zone: str
    filename: str
    content_type: str
    url: str
    expires_in: int
    expires_at: str


class CdrCsvReportOut(CdrExportLink):
    """A CSV export of calls: the columns of ``GET /v1/cdrs/export``, byte for byte."""


class CdrReportOut(CdrExportLink):
    """An Excel report of calls in S3 and a short-lived link to it."""

    lang: Literal["en", "vi"]
