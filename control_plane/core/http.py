"""The HTTP edge of the domain errors and JSON answers.

Only the Chalice layer maps errors: the domains raise ``pbx_core.errors`` (or ``core.errors``)
exceptions. The status comes from the error's class (``STATUS``, looked up along the class's
MRO), so a subclass of ``NotFound`` is a 404 without anyone listing it; an error class that
maps to nothing is a server error (500, logged), never a silent 400.
Body of every error: ``{"error": {"code": slug, "message": "...", "fields": {...}}}``.
"""

from __future__ import annotations

import json
from typing import Any

from chalice.app import Response

from control_plane.core.errors import ExportTooLarge, TooManyRequests
from control_plane.core.log import logger
from pbx_core.errors import Conflict, Forbidden, LimitExceeded, NotFound, PbxError, Unauthorized, ValidationError

STATUS: dict[type[PbxError], int] = {
    ValidationError: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    LimitExceeded: 409,
    ExportTooLarge: 413,
    TooManyRequests: 429,
}
MAX_BODY_BYTES = 64 * 1024


def status_of(error: type[PbxError]) -> int | None:
    """The HTTP status of an error class (by its nearest mapped base), None if unmapped."""
    for cls in error.__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return None


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": dict(fields or {})}}


def error_response(exc: PbxError) -> Response:
    status = status_of(type(exc))
    if status is None:
        logger.error("error class without an HTTP status", extra={"error_class": type(exc).__name__})
        return internal_error()
    headers: dict[str, str | list[str]] = {}
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after_s)
    return Response(body=error_body(exc.code, exc.message, exc.fields), status_code=status, headers=headers)


def internal_error() -> Response:
    return Response(body=error_body("internal", "internal error"), status_code=500)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body=body, status_code=status, headers=dict(headers or {}))


def empty_response(status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(body="", status_code=status, headers=dict(headers or {}))


def parse_json_object(raw: str | bytes | None, max_bytes: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """The request body as a JSON object, or ValidationError with a clear message."""
    if raw is None or not raw.strip():
        raise ValidationError("request body must be a JSON object", fields={"body": "required JSON object"})
    if len(raw) > max_bytes:
        raise ValidationError("request body is too large", fields={"body": f"at most {max_bytes} bytes"})
    try:
        doc = json.loads(raw, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            detail = f"line {exc.lineno} column {exc.colno}: {exc.msg}"
        elif isinstance(exc, UnicodeDecodeError):
            detail = "not UTF-8"
        else:
            detail = str(exc)
        raise ValidationError(f"request body is not valid JSON ({detail})", fields={"body": "invalid JSON"}) from exc
    if not isinstance(doc, dict):
        raise ValidationError("request body must be a JSON object", fields={"body": "JSON object expected"})
    return doc


def _reject_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (Python's parser accepts them by default)."""
    raise ValueError(f"{name} is not a JSON value")
