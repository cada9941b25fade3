"""Small helpers shared by the domains: ids, signed cursors, hashing."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets

from control_plane.core import settings
from pbx_core.errors import NotFound, ValidationError

_ID_RE = re.compile(r"^[a-z]{2,4}_[0-9a-f]{12}$")


def new_id(prefix: str) -> str:
    """A random id such as ``br_0f3a9c2d7e11`` (48 bits: ids are scoped to a tenant)."""
    return f"{prefix}_{secrets.token_hex(6)}"


def check_id(value: str, prefix: str, what: str) -> str:
    """A path id of the right shape, or NotFound (never a DynamoDB error for junk input)."""
    if not _ID_RE.match(value) or not value.startswith(prefix + "_"):
        raise NotFound(f"{what} not found")
    return value


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- cursors: opaque, signed, bound to a scope (tenant) and a purpose -----------------------
def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(purpose: str, scope: str, payload: str) -> str:
    key = settings.jwt_secret().encode()
    return _b64(hmac.new(key, f"{purpose}|{scope}|{payload}".encode(), hashlib.sha256).digest())


def encode_cursor(purpose: str, scope: str, after: str) -> str:
    payload = _b64(json.dumps({"sk": after}, separators=(",", ":")).encode())
    return f"{payload}.{_sign(purpose, scope, payload)}"


def decode_cursor(purpose: str, scope: str, cursor: str) -> str:
    bad = ValidationError("invalid cursor", fields={"cursor": "invalid or not issued for this tenant"})
    payload, _, sig = cursor.partition(".")
    if not payload or not sig or not hmac.compare_digest(sig, _sign(purpose, scope, payload)):
        raise bad
    try:
        doc = json.loads(_unb64(payload))
    except (binascii.Error, ValueError) as exc:
        raise bad from exc
    after = doc.get("sk") if isinstance(doc, dict) else None
    if not isinstance(after, str) or not after:
        raise bad
    return after
