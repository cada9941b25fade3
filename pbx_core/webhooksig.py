"""Signatures of ProBox webhooks (B2): HMAC-SHA256 over the timestamp and the body.

Every delivery carries the header ``ProBox-Signature: t=<unix seconds>,v1=<hex>``, where
``v1`` is ``HMAC-SHA256(secret, "<t>." + body)`` with the webhook's secret (shown once, when
the webhook is created or its secret rotated). A receiver:

1. recomputes the HMAC over the exact bytes it received and compares it in constant time
   with each ``v1`` of the header (``verify``);
2. refuses a timestamp older (or newer) than its tolerance, 5 minutes by default: a captured
   delivery replayed later fails even with its valid signature;
3. remembers the event ids (``ProBox-Event-Id``, also the body's ``id``) it handled within
   that tolerance and ignores a repeat: a retry of a delivery it already answered 2xx, or a
   replay inside the window (``ReplayGuard``).

Each attempt is signed again with a fresh timestamp, so a retry hours later verifies.
Standard library only; no clock (the caller passes ``now``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections import OrderedDict

from pbx_core.errors import Unauthorized

HEADER = "ProBox-Signature"
EVENT_ID_HEADER = "ProBox-Event-Id"
EVENT_TYPE_HEADER = "ProBox-Event-Type"
DELIVERY_HEADER = "ProBox-Delivery-Id"
SCHEME = "v1"
TOLERANCE_S = 300


class SignatureError(Unauthorized):
    """The delivery's signature is missing, malformed, wrong or too old."""

    code = "bad_signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>." + body`` with ``secret``."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secret: str, timestamp: int, body: bytes) -> str:
    """The ``ProBox-Signature`` value of one delivery attempt."""
    return f"t={int(timestamp)},{SCHEME}={signature(secret, timestamp, body)}"


def parse(value: str) -> tuple[int, list[str]]:
    """(timestamp, the v1 signatures) of a header value; SignatureError when malformed."""
    timestamp: int | None = None
    sigs: list[str] = []
    for part in (value or "").split(","):
        key, _, val = part.strip().partition("=")
        if key == "t" and val.isdigit() and len(val) <= 12:
            timestamp = int(val)
        elif key == SCHEME and len(val) == 64:
            sigs.append(val.lower())
    if timestamp is None or not sigs:
        raise SignatureError("malformed signature header")
    return timestamp, sigs


def verify(secret: str, value: str, body: bytes, *, now: float, tolerance_s: int = TOLERANCE_S) -> int:
    """Check a delivery: the signature matches ``body`` and the timestamp is within
    ``tolerance_s`` of ``now``. The timestamp, or SignatureError."""
    timestamp, sigs = parse(value)
    expected = signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, s) for s in sigs):
        raise SignatureError("signature does not match")
    if abs(now - timestamp) > tolerance_s:
        raise SignatureError("timestamp outside the tolerance (replayed or clock skew)")
    return timestamp


class ReplayGuard:
    """A receiver's memory of the event ids it accepted within the tolerance window."""

    def __init__(self, tolerance_s: int = TOLERANCE_S, limit: int = 100_000) -> None:
        self.tolerance_s = tolerance_s
        self.limit = limit
        self._seen: OrderedDict[str, float] = OrderedDict()

    def accept(self, event_id: str, *, now: float) -> bool:
        """True the first time ``event_id`` is seen in the window, False for a repeat."""
        while self._seen:
            oldest, at = next(iter(self._seen.items()))
            if now - at <= 2 * self.tolerance_s and len(self._seen) < self.limit:
                break
            del self._seen[oldest]
        if event_id in self._seen:
            return False
        self._seen[event_id] = now
        return True
