"""Vietnam's rules for advertising calls (issue 17, F13), as click-to-call applies them to a
call the agent marks as advertising. Pure functions, standard library only.

- Hours: Decree 91/2020/NĐ-CP allows advertising calls from 08:00 to 17:00 each day, local
  time, unless the subscriber agreed otherwise (ProBox does not record such agreements yet, so
  the hours always apply).
- Frequency: at most one advertising call per person per day (the issue's rule; a person is
  the contact, or the number when there is no contact), counted per tenant and calendar day in
  the tenant's time zone.
- The national do-not-call list (imported by the tenant) is checked by the caller of these
  functions (control_plane.commands), as is each contact's own do-not-call.
"""

from __future__ import annotations

from datetime import datetime, time, tzinfo

CALL_FROM = time(8, 0)
CALL_UNTIL = time(17, 0)  # the last call starts before 17:00


def within_hours(now: datetime, zone: tzinfo) -> bool:
    """May an advertising call start at ``now`` (aware) in the tenant's ``zone``?"""
    local = now.astimezone(zone).time()
    return CALL_FROM <= local < CALL_UNTIL


def day(now: datetime, zone: tzinfo) -> str:
    """The calendar day of ``now`` in ``zone`` (YYYY-MM-DD): the unit of the once-a-day rule."""
    return now.astimezone(zone).date().isoformat()


def person_key(contact_id: str, number: str) -> str:
    """Who the once-a-day rule counts: the contact, else the number."""
    return f"c:{contact_id}" if contact_id else f"n:{number}"
