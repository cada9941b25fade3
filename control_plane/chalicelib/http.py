"""The HTTP edge of the domain errors: PbxError slugs -> status codes and one JSON error body.

Only the Chalice app maps errors; the domain modules raise ``pbx_core.errors`` exceptions.
Body of every error: ``{"error": {"code": slug, "message": "...", "fields": {...}}}``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec

from chalice.app import Response

from chalicelib.log import logger
from chalicelib.metrics import count
from pbx_core.errors import PbxError, ValidationError

STATUS_BY_CODE: dict[str, int] = {
    "validation_failed": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "recording_not_found": 404,
    "conflict": 409,
    "limit_exceeded": 409,
    "export_too_large": 413,
    "too_many_requests": 429,
    "rate_limited": 429,
}
DEFAULT_ERROR_STATUS = 400  # any other domain slug is still the request's fault
MAX_BODY_BYTES = 64 * 1024

P = ParamSpec("P")


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": dict(fields or {})}}


def error_response(exc: PbxError) -> Response:
    status = STATUS_BY_CODE.get(exc.code, DEFAULT_ERROR_STATUS)
    headers: dict[str, str | list[str]] = {}
    retry = getattr(exc, "retry_after_s", None)
    if isinstance(retry, int):
        headers["Retry-After"] = str(retry)
    return Response(body=error_body(exc.code, exc.message, exc.fields), status_code=status, headers=headers)


def internal_error() -> Response:
    return Response(body=error_body("internal", "internal error"), status_code=500)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body=body, status_code=status, headers=_headers(headers))


def empty_response(status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(body="", status_code=status, headers=_headers(headers))


def _headers(headers: dict[str, str] | None) -> dict[str, str | list[str]]:
    return {k: v for k, v in (headers or {}).items()}


def handle_errors(view: Callable[P, Any]) -> Callable[P, Any]:
    """Wrap a view: domain errors become their HTTP answer, anything else a logged 500."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return view(*args, **kwargs)
        except PbxError as exc:
            if exc.code not in ("not_found", "validation_failed"):
                logger.info("request refused", extra={"error_code": exc.code})
            return error_response(exc)
        except Exception:
            logger.exception("unhandled error")
            count("ServerError")
            return internal_error()

    return wrapper


def parse_json_object(raw: str | bytes | None) -> dict[str, Any]:
    """The request body as a JSON object, or ValidationError with a clear message."""
    if raw is None or not raw.strip():
        raise ValidationError("request body must be a JSON object", fields={"body": "required JSON object"})
    if len(raw) > MAX_BODY_BYTES:
        raise ValidationError("request body is too large", fields={"body": f"at most {MAX_BODY_BYTES} bytes"})
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


def reject_unknown(body: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise ValidationError(
            f"unknown field(s): {', '.join(unknown)}",
            fields={name: "unknown field" for name in unknown},
        )


def int_field(body: dict[str, Any], name: str, *, default: int, lo: int, hi: int) -> int:
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise ValidationError(f"{name} must be an integer from {lo} to {hi}", fields={name: f"integer {lo}..{hi}"})
    return value
