"""SIP digest helpers (RFC 2617/7616 MD5 HA1) and password generation."""

from __future__ import annotations

import hashlib
import secrets
import string

# Unambiguous characters only: a human may still have to type it into an old desk phone.
_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def ha1(username: str, realm: str, password: str) -> str:
    """MD5(username:realm:password) as lowercase hex, what Kamailio's pv_auth_check takes."""
    return hashlib.md5(f"{username}:{realm}:{password}".encode()).hexdigest()


def generate_password(length: int = 20) -> str:
    """A strong random SIP password (≈ 115 bits for 20 characters)."""
    if length < 16:
        raise ValueError("SIP passwords are at least 16 characters")
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
