"""The business calendar of SLA timers: business hours per weekday in the tenant's time
zone, closed on Vietnam's public holidays (``holidays``: New Year, Tết by the lunar
calendar, Hùng Kings, 30/4, 1/5, National Day, with the substitute days the government
sets) and on the tenant's own days off. A timer counts business minutes only, so it stops
outside business hours and on holidays. Pure: ``now`` is always passed in.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAYS = 3 * 366  # a timer further than this is not business time any more


@functools.lru_cache(maxsize=64)
def vietnam_holidays(year: int) -> frozenset[dt.date]:
    import holidays  # lazily: a cold start that serves no ticket does not load its tables

    return frozenset(holidays.country_holidays("VN", years=year))


@dataclass(frozen=True)
class Calendar:
    zone: ZoneInfo
    hours: dict[int, tuple[dt.time, dt.time]]  # weekday (0 = Monday) -> (open, close)
    public_holidays: bool = True
    days_off: frozenset[dt.date] = field(default_factory=frozenset)

    def closed(self, day: dt.date) -> bool:
        if day.weekday() not in self.hours or day in self.days_off:
            return True
        return self.public_holidays and day in vietnam_holidays(day.year)

    def _windows(self, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Business windows (aware datetimes) from ``start`` on, in order."""
        local = start.astimezone(self.zone)
        day = local.date()
        for _ in range(MAX_DAYS):
            if not self.closed(day):
                opens, closes = self.hours[day.weekday()]
                a = dt.datetime.combine(day, opens, self.zone)
                b = dt.datetime.combine(day, closes, self.zone)
                if b > local:
                    yield max(a, local), b
            day += dt.timedelta(days=1)

    def add(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """The instant ``minutes`` business minutes after ``start`` (UTC)."""
        left = dt.timedelta(minutes=minutes)
        for a, b in self._windows(start):
            if b - a >= left:
                return (a + left).astimezone(dt.UTC)
            left -= b - a
        raise ValueError("no business hours in the next three years")

    def minutes(self, start: dt.datetime, end: dt.datetime) -> float:
        """Business minutes between two instants (negative when ``end`` is before ``start``)."""
        if end < start:
            return -self.minutes(end, start)
        total = dt.timedelta()
        for a, b in self._windows(start):
            if a >= end:
                break
            total += min(b, end) - a
        return total.total_seconds() / 60

    def is_open(self, at: dt.datetime) -> bool:
        local = at.astimezone(self.zone)
        if self.closed(local.date()):
            return False
        opens, closes = self.hours[local.weekday()]
        return opens <= local.time() < closes
