"""How a call from a known contact routes (issue 17 item 4, routing by owner; issue 16, VIP
first): the one rule the control plane writes the edges' contact-routes index with.

A number of a contact has a route when the contact has an owner (a user id of the tenant:
the call rings the owner's extension first) or is a VIP (a tag equal to ``vip``, any case,
spaces around ignored: the caller goes ahead of the others in a call-center queue). Every
number of the contact gets the same route.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

VIP_TAG = "vip"

Route = tuple[str, bool]  # (owner user id or "", vip)


def is_vip(tags: Iterable[str]) -> bool:
    """Whether the tags make a contact a VIP: one of them is ``vip`` (case-insensitive)."""
    return any(str(t).strip().casefold() == VIP_TAG for t in tags)


def route(owner: str, tags: Iterable[str]) -> Route | None:
    """The route of a contact's numbers, or None (no owner, not a VIP: nothing special)."""
    vip = is_vip(tags)
    return (owner, vip) if owner or vip else None


def routes(numbers: Iterable[str], owner: str, tags: Iterable[str]) -> dict[str, Route]:
    """number -> route for a contact (empty when the contact routes like anyone else)."""
    r = route(owner, tags)
    return {n: r for n in numbers} if r is not None else {}


def changes(before: Mapping[str, Route], after: Mapping[str, Route]) -> list[tuple[str, Route | None]]:
    """What changes between two states of a contact's routes: (number, new route or None =
    removed), sorted by number; unchanged numbers are left out."""
    out: list[tuple[str, Route | None]] = []
    for number in sorted(set(before) | set(after)):
        new = after.get(number)
        if before.get(number) != new:
            out.append((number, new))
    return out
