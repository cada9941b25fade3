"""One error base with stable code slugs.

Edges map these to transport codes: the Chalice app to HTTP, the KEMI script and the
media worker to SIP. The core never knows about either.
"""

from __future__ import annotations


class PbxError(Exception):
    """Base of every domain error. ``code`` is a stable slug clients may rely on."""

    code = "error"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationError(PbxError):
    code = "validation_failed"


class NotFound(PbxError):
    code = "not_found"


class Conflict(PbxError):
    code = "conflict"


class Unauthorized(PbxError):
    code = "unauthorized"


class Forbidden(PbxError):
    code = "forbidden"


class LimitExceeded(PbxError):
    code = "limit_exceeded"
