"""Control-plane-only error classes (the shared ones live in ``pbx_core.errors``); their HTTP
status is in ``core.http.STATUS``."""

from __future__ import annotations

from pbx_core.errors import PbxError


class TooManyRequests(PbxError):
    """The caller must slow down (HTTP 429, with ``retry_after_s``)."""

    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after_s: int, fields: dict[str, str] | None = None) -> None:
        super().__init__(message, fields=fields)
        self.retry_after_s = retry_after_s


class RateLimited(TooManyRequests):
    """The tenant or the caller used up its request budget of the current window (HTTP 429)."""

    code = "rate_limited"


class ExportTooLarge(PbxError):
    """The answer would not fit in one API response (HTTP 413): use the export to S3."""

    code = "export_too_large"
