"""Login password hashing: scrypt (memory-hard KDF from the standard library), salted.

Format: ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``; the parameters travel with the hash
so they can be raised later without invalidating stored ones.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets

N, R, P, DKLEN = 2**14, 8, 1, 32
MAXMEM = 64 * 1024 * 1024


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=DKLEN, maxmem=MAXMEM)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(want),
            maxmem=MAXMEM,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


@functools.cache
def dummy_hash() -> str:
    """Verified when the e-mail is unknown, so both failures take the same time."""
    return hash_password(secrets.token_urlsafe(16))
