"""The control plane's clock, one place for tests to move time."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def monotonic() -> float:
    """Seconds of a clock that only goes forward (durations)."""
    return time.monotonic()
