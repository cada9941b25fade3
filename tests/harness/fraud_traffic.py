"""Call traffic for the toll-fraud guard's tests (issue 14 item 5): weeks of ordinary office
days with their variation, and a leaked account's night. CDR dicts as an edge posts them
(pbx_core.cdr), deterministic (a seeded random generator)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE_NET = "203.113.10."  # the office's public addresses (one /24)
OFFICE_UA = "Yealink SIP-T46U 66.86.0.15"
LEAK_IP = "45.134.26.77"  # a network the office never used
LEAK_UA = "FPBX-13.0.197(13.13.1)"  # a soft-switch, not a desk phone
FIXED = ("02838221{:03d}", "02437654{:03d}")
MOBILE = ("0912345{:03d}", "0987654{:03d}", "0362222{:03d}")


def cdr(
    tenant_id: str,
    call_id: str,
    caller: str,
    callee: str,
    start: datetime,
    talk_s: int,
    *,
    source_ip: str = OFFICE_NET + "20",
    user_agent: str = OFFICE_UA,
) -> dict[str, Any]:
    """An answered outside call of ``caller`` to ``callee`` (``start`` in any zone)."""
    s = start.astimezone(UTC)
    answered = s + timedelta(seconds=3)
    end = answered + timedelta(seconds=talk_s)
    iso = "%Y-%m-%dT%H:%M:%S.000Z"
    return {
        "tenant_id": tenant_id,
        "call_id": call_id,
        "caller": caller,
        "callee": callee,
        "started_at": s.strftime(iso),
        "answered_at": answered.strftime(iso),
        "ended_at": end.strftime(iso),
        "duration_s": float(talk_s),
        "disposition": "answered",
        "sip_code": 200,
        "direction": "outbound",
        "billable_s": talk_s,
        "dialled": callee,
        "source_ip": source_ip,
        "user_agent": user_agent,
    }


def office_days(
    tenant_id: str,
    extensions: list[str],
    first_day: date,
    days: int,
    *,
    seed: int = 1,
    prefix: str = "office",
    mean_calls: float = 6,
    customers: int = 1000,
) -> Iterator[dict[str, Any]]:
    """Ordinary office days (Asia/Ho_Chi_Minh): Monday to Friday 08:00-17:30, a few
    Saturday mornings, lunch breaks, busy and quiet days, some calls running late into the
    evening, mostly fixed lines with some mobiles and an occasional 1800 number, calls of
    1 to 15 minutes and a rare long one, two phones per extension over the weeks.
    ``mean_calls``: outside calls of an extension on an ordinary weekday; ``customers``:
    how many different numbers each kind of destination has."""
    rnd = random.Random(seed)
    n = 0
    for d in range(days):
        day = first_day + timedelta(days=d)
        weekday = day.weekday()
        for ext in extensions:
            if weekday == 6 or (weekday == 5 and rnd.random() < 0.7):
                continue
            busy = rnd.choice((0.5, 1.0, 1.0, 1.5, 2.0))
            calls = max(1, round(rnd.gauss(mean_calls, mean_calls / 3) * busy)) if weekday < 5 else rnd.randint(1, 3)
            planned = []
            for _ in range(calls):
                if weekday < 5:
                    hour = rnd.choice((8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 15, 16, 17))
                else:
                    hour = rnd.choice((8, 9, 10, 11))
                if weekday < 5 and rnd.random() < 0.03:
                    hour = rnd.choice((18, 19))  # a late call now and then
                planned.append(datetime(day.year, day.month, day.day, hour, rnd.randint(0, 59), 0, tzinfo=HCM))
            free_at = datetime(day.year, day.month, day.day, 0, 0, tzinfo=HCM)
            for start in sorted(planned):
                start = max(start, free_at + timedelta(seconds=rnd.randint(20, 300)))  # one phone, one call
                r = rnd.random()
                if r < 0.6:
                    callee = rnd.choice(FIXED).format(rnd.randrange(min(customers, 1000)))
                elif r < 0.95:
                    callee = rnd.choice(MOBILE).format(rnd.randrange(min(customers, 1000)))
                else:
                    callee = "18001090"
                talk = int(rnd.uniform(40, 900)) if rnd.random() > 0.02 else int(rnd.uniform(1500, 2700))
                free_at = start + timedelta(seconds=talk + 3)
                host = rnd.choice((20, 21, 22, 23, 35))
                agent = OFFICE_UA if rnd.random() > 0.1 else "Zoiper rv2.10.20.4"
                n += 1
                yield cdr(
                    tenant_id, f"{prefix}-{n}", ext, callee, start, talk,
                    source_ip=OFFICE_NET + str(host), user_agent=agent,
                )  # fmt: skip


def leaked_night(
    tenant_id: str, ext: str, night: date, *, calls: int = 12, premium_every: int = 3
) -> list[dict[str, Any]]:
    """A leaked password used from a foreign network at 03:00: short calls, one after the
    other, to mobiles and 1900 numbers, from a soft-switch's User-Agent."""
    out = []
    start = datetime(night.year, night.month, night.day, 3, 2, 0, tzinfo=HCM)
    for i in range(calls):
        callee = "19006600" if premium_every and i % premium_every == premium_every - 1 else f"0987{i:06d}"
        at = start + timedelta(seconds=5 * i)
        out.append(cdr(tenant_id, f"leak-{i}", ext, callee, at, 240, source_ip=LEAK_IP, user_agent=LEAK_UA))
    return out
