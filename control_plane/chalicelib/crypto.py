"""Encryption of stored secrets (SIP passwords) with Fernet; the key comes from settings.

Each ciphertext is bound to its owner (``tenant_id`` and a context such as ``ext/101``):
a ciphertext copied onto another row does not decrypt there. KMS envelope keys replace the
static key later; callers only see ``encrypt``/``decrypt``.
"""

from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken

from chalicelib import settings
from chalicelib.settings import ConfigError


class SecretCorrupt(RuntimeError):
    """A stored secret does not decrypt with the current key (server-side problem)."""


def _fernet() -> Fernet:
    try:
        return Fernet(settings.secret_key().encode())
    except (ValueError, TypeError) as exc:
        raise ConfigError("PROBOX_SECRET_KEY is not a valid Fernet key (Fernet.generate_key())") from exc


def encrypt(tenant_id: str, context: str, plaintext: str) -> str:
    doc = json.dumps({"t": tenant_id, "c": context, "v": plaintext}, separators=(",", ":"))
    return _fernet().encrypt(doc.encode()).decode()


def decrypt(tenant_id: str, context: str, token: str) -> str:
    try:
        doc = json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError) as exc:
        raise SecretCorrupt(f"stored secret of {tenant_id}/{context} does not decrypt") from exc
    if not isinstance(doc, dict) or doc.get("t") != tenant_id or doc.get("c") != context:
        raise SecretCorrupt(f"stored secret of {tenant_id}/{context} belongs to another owner")
    value = doc.get("v")
    if not isinstance(value, str):
        raise SecretCorrupt(f"stored secret of {tenant_id}/{context} is malformed")
    return value
