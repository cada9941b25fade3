"""core.store.batch_write_raw: many batches in flight at once (bulk imports) write every item
once, retry what DynamoDB leaves unprocessed, and raise when a batch keeps failing."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from control_plane.core import store

pytestmark = pytest.mark.aws


def _put(n: int) -> dict[str, Any]:
    return {"PutRequest": {"Item": {"pk": {"S": "BULK#t"}, "sk": {"S": f"{n:06d}"}, "v": {"N": str(n)}}}}


def _stored() -> list[int]:
    return [int(raw["v"]["N"]) for raw in store.query_raw("BULK#t")]


def test_parallel_batches_write_every_item_once(aws: None) -> None:
    store.batch_write_raw([_put(n) for n in range(1000)], workers=8)
    assert sorted(_stored()) == list(range(1000))


def test_unprocessed_items_are_sent_again_from_any_writer(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB under throttling answers part of a batch as UnprocessedItems: each writer
    sends them again (here every first answer leaves the last 5 items out)."""
    db = store.client()
    real = db.batch_write_item
    seen: set[int] = set()
    lock = threading.Lock()

    def throttled(RequestItems: dict[str, Any]) -> Any:  # botocore's keyword
        ((table, reqs),) = RequestItems.items()
        key = id(reqs[0]) if reqs else 0
        with lock:
            first = key not in seen
            seen.add(key)
        if first and len(reqs) > 5:
            real(RequestItems={table: reqs[:-5]})
            return {"UnprocessedItems": {table: reqs[-5:]}}
        return real(RequestItems=RequestItems)

    monkeypatch.setattr(db, "batch_write_item", throttled)
    store.batch_write_raw([_put(n) for n in range(500)], workers=4)
    assert sorted(_stored()) == list(range(500))


def test_a_batch_that_keeps_failing_is_raised(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    db = store.client()

    def broken(RequestItems: dict[str, Any]) -> Any:
        raise RuntimeError("service unavailable")

    monkeypatch.setattr(db, "batch_write_item", broken)
    with pytest.raises(RuntimeError, match="service unavailable"):
        store.batch_write_raw([_put(n) for n in range(100)], workers=4)
