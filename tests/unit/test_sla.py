"""The SLA business calendar (tickets.sla): business minutes only, paused outside business
hours, on weekends, on Vietnam's public holidays (lunar Tết included) and the tenant's days off."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from control_plane.tickets.sla import Calendar, vietnam_holidays

pytestmark = pytest.mark.unit

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NINE_TO_FIVE = {d: (dt.time(8, 0), dt.time(17, 0)) for d in range(5)}  # Monday-Friday


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=HCM)


def test_tet_and_national_days_are_holidays() -> None:
    days = vietnam_holidays(2026)
    assert {dt.date(2026, 2, 17), dt.date(2026, 4, 30), dt.date(2026, 9, 2), dt.date(2026, 1, 1)} <= days
    assert dt.date(2026, 2, 10) not in days
    assert dt.date(2027, 2, 6) in vietnam_holidays(2027)  # Tết follows the lunar calendar


def test_timer_counts_business_minutes_only() -> None:
    cal = Calendar(zone=HCM, hours=NINE_TO_FIVE)
    # Thursday 16:00 + 4 business hours = Friday 11:00
    assert cal.add(at(2025, 11, 6, 16), 240) == at(2025, 11, 7, 11).astimezone(dt.UTC)
    # Friday 16:30 + 1 hour = Monday 08:30 (the weekend pauses it)
    assert cal.add(at(2025, 11, 7, 16, 30), 60) == at(2025, 11, 10, 8, 30).astimezone(dt.UTC)
    # created at night: the clock starts at opening time
    assert cal.add(at(2025, 11, 5, 22), 30) == at(2025, 11, 6, 8, 30).astimezone(dt.UTC)
    assert cal.minutes(at(2025, 11, 7, 16, 30), at(2025, 11, 10, 8, 30)) == 60
    assert cal.minutes(at(2025, 11, 10, 8, 30), at(2025, 11, 7, 16, 30)) == -60


def test_timer_pauses_on_public_holidays_and_days_off() -> None:
    cal = Calendar(zone=HCM, hours=NINE_TO_FIVE)
    # Friday 2026-02-13 16:00 + 2 hours: Tết closes 16-20 Feb (Mon-Fri), so Monday 23 Feb 09:00
    assert cal.add(at(2026, 2, 13, 16), 120) == at(2026, 2, 23, 9).astimezone(dt.UTC)
    assert not cal.is_open(at(2026, 2, 17, 10)) and cal.closed(dt.date(2026, 2, 17))
    assert cal.minutes(at(2026, 2, 13, 16), at(2026, 2, 23, 9)) == 120
    # 30/4 and 1/5 2026 are Thursday and Friday
    assert cal.add(at(2026, 4, 29, 16), 120) == at(2026, 5, 4, 9).astimezone(dt.UTC)
    no_holidays = Calendar(zone=HCM, hours=NINE_TO_FIVE, public_holidays=False)
    assert no_holidays.add(at(2026, 4, 29, 16), 120) == at(2026, 4, 30, 9).astimezone(dt.UTC)
    off = Calendar(zone=HCM, hours=NINE_TO_FIVE, days_off=frozenset({dt.date(2025, 11, 7)}))
    assert off.add(at(2025, 11, 6, 16), 240) == at(2025, 11, 10, 11).astimezone(dt.UTC)


def test_a_calendar_without_hours_refuses() -> None:
    with pytest.raises(ValueError):
        Calendar(zone=HCM, hours={}).add(at(2025, 11, 6), 1)
