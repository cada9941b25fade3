"""Small per-process memos of items read from the table, for a few seconds at most.

Some items are read on every request of a busy caller although they rarely change: an
edge's item is read by the authorizer, by the view's own check of the token and by the
events route (the tenants it serves), three times per post of events. A ``Recent`` keeps
what was read for ``ttl_s`` seconds, so a change made by another process (another Lambda
instance) takes effect there within ``ttl_s``; the process that makes a change forgets the
key at once. It holds at most ``max_items`` keys (the oldest read goes first), so it never
grows with the number of callers.

Every ``Recent`` is emptied by ``core.store.reset`` (tests start a new table; a test's
items must not be seen by the next one).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_ALL: weakref.WeakSet[Recent[object, object]] = weakref.WeakSet()


class Recent(Generic[K, V]):
    """Values read in the last ``ttl_s`` seconds (at most ``max_items``), per process."""

    def __init__(self, *, ttl_s: float, max_items: int, clock: Callable[[], float] = time.monotonic) -> None:
        if ttl_s <= 0 or max_items <= 0:
            raise ValueError("ttl_s and max_items must be positive")
        self.ttl_s, self.max_items, self.clock = ttl_s, max_items, clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()  # chalice local serves requests on threads
        _ALL.add(self)  # type: ignore[arg-type]

    def get(self, key: K, load: Callable[[], V | None]) -> V | None:
        """The value read for ``key`` less than ``ttl_s`` ago, else ``load()`` (kept unless
        None: something missing is looked for again next time)."""
        now = self.clock()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and now - hit[0] < self.ttl_s:
                return hit[1]
        value = load()  # outside the lock: a slow read holds up no other key
        with self._lock:
            if value is None:
                self._items.pop(key, None)
                return None
            self._items[key] = (now, value)  # the time of the read, not of its end
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
        return value

    def forget(self, key: K) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def clear_all() -> None:
    """Empty every ``Recent`` of this process."""
    for recent in list(_ALL):
        recent.clear()
