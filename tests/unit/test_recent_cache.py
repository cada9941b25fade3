"""control_plane.core.cache.Recent: a value read is served again for ttl_s only, at most
max_items keys are kept (the oldest read goes), a missing value is not kept, forget and
clear_all drop what was read."""

from __future__ import annotations

import pytest

from control_plane.core import cache


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_a_value_is_read_again_once_ttl_s_has_passed() -> None:
    clock = Clock()
    recent: cache.Recent[str, int] = cache.Recent(ttl_s=2.0, max_items=8, clock=clock)
    reads: list[str] = []

    def load(value: int) -> int:
        reads.append("read")
        return value

    assert recent.get("e", lambda: load(1)) == 1
    clock.t += 1.99
    assert recent.get("e", lambda: load(2)) == 1  # within the bound: no read
    clock.t += 0.01
    assert recent.get("e", lambda: load(3)) == 3  # 2 s after the read: read again
    assert reads == ["read", "read"]


def test_missing_values_are_not_kept_and_forget_drops_one() -> None:
    clock = Clock()
    recent: cache.Recent[str, int] = cache.Recent(ttl_s=60.0, max_items=8, clock=clock)
    assert recent.get("e", lambda: None) is None
    assert recent.get("e", lambda: 5) == 5  # created meanwhile: found at once
    recent.forget("e")
    assert recent.get("e", lambda: 6) == 6


def test_at_most_max_items_are_kept_the_oldest_read_goes_first() -> None:
    recent: cache.Recent[int, int] = cache.Recent(ttl_s=60.0, max_items=3, clock=Clock())
    for n in range(5):
        recent.get(n, lambda n=n: n)
    assert len(recent) == 3
    assert recent.get(0, lambda: -1) == -1  # gone
    assert recent.get(4, lambda: -1) == 4  # kept


def test_clear_all_empties_every_recent() -> None:
    a: cache.Recent[str, int] = cache.Recent(ttl_s=60.0, max_items=3)
    b: cache.Recent[str, str] = cache.Recent(ttl_s=60.0, max_items=3)
    a.get("x", lambda: 1)
    b.get("y", lambda: "z")
    cache.clear_all()
    assert len(a) == 0 and len(b) == 0


@pytest.mark.parametrize(("ttl_s", "max_items"), [(0.0, 1), (1.0, 0)])
def test_bounds_must_be_positive(ttl_s: float, max_items: int) -> None:
    with pytest.raises(ValueError):
        cache.Recent(ttl_s=ttl_s, max_items=max_items)
