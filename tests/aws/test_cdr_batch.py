"""Issue 18: CDRs in batches. An edge posts up to 50 CDRs at once; each gets its own result
(created, duplicate, or an error saying whether a retry may succeed), a refused CDR never
fails the others, a repeat stores nothing, and the recording usage stays exact: new CDRs of
a tenant are stored many per transaction, with one usage change per chunk."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from control_plane.core import settings
from control_plane.recordings import service as recordings
from control_plane.recordings.store import UsageStale

from .conftest import Api, cdr_doc, edge_upload, provider_token

pytestmark = pytest.mark.aws


def _started(i: int) -> str:
    return f"2026-02-01T08:{i // 60:02d}:{i % 60:02d}.000Z"


def _usage(api: Api, admin: str) -> int:
    return int(api.get("/v1/recordings/usage", token=admin).json["usage_bytes"])


def _batch(api: Api, edge: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    r = api.post("/edge/v1/cdrs/batch", token=edge, body={"cdrs": docs})
    assert r.status == 200, r.text
    results: list[dict[str, Any]] = r.json["results"]
    assert [x["index"] for x in results] == list(range(len(docs)))
    return results


def _objects(prefix: str) -> dict[str, int]:
    client = boto3.client("s3", region_name="ap-southeast-1")
    listed = client.list_objects_v2(Bucket=settings.aws().recordings_bucket, Prefix=prefix)
    return {o["Key"]: int(o["Size"]) for o in listed.get("Contents", [])}


def test_a_batch_is_stored_once_with_exact_usage(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    docs, total = [], 0
    for i in range(45):  # more than one transaction's chunk
        extra: dict[str, Any] = {}
        if i % 3 == 0:
            size = 100 + i
            total += size
            extra = edge_upload(edge, f"c{i}", b"R" * size)
        docs.append(cdr_doc(tid, f"c{i}", _started(i), **extra))
    results = _batch(api, edge, docs)
    assert [x["status"] for x in results] == ["created"] * 45
    assert _usage(api, admin) == total
    placed = _objects(f"tenants/{tid}/recordings/")
    assert len(placed) == 15 and sum(placed.values()) == total
    assert _objects("incoming/") == {}  # every upload taken
    # the same batch again (the edge's answer was lost): nothing stored twice
    again = _batch(api, edge, docs)
    assert {x["status"] for x in again} == {"duplicate"}
    assert _usage(api, admin) == total
    listed = api.get("/v1/cdrs?limit=200", token=admin).json["items"]
    assert len(listed) == 45


def test_one_bad_cdr_never_fails_the_others(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    other, _ = api.tenant("other.probox.vn")
    r = api.post("/v1/edges", token=provider_token(), body={"id": "hn-1", "tenants": [tid]})
    edge = r.json["token"]
    docs = [
        cdr_doc(tid, "ok-1", _started(1)),
        {"call_id": "broken", "tenant_id": tid},  # not a CDR
        cdr_doc(other, "not-mine", _started(2)),  # a tenant this edge does not serve
        cdr_doc(tid, "lost-upload", _started(3), recording_key="x", recording_upload="incoming/hn-1/gone.opus"),
        cdr_doc(tid, "ok-1", _started(1)),  # the same call twice in one batch
        cdr_doc(tid, "ok-2", _started(4), **edge_upload(edge, "ok-2", b"AUDIO")),
    ]
    results = _batch(api, edge, docs)
    got = [(x["call_id"], x["status"], x["code"], x["retry"]) for x in results]
    assert got == [
        ("ok-1", "created", None, False),
        ("broken", "error", "validation_failed", False),
        ("not-mine", "error", "forbidden", False),
        ("lost-upload", "error", "validation_failed", True),  # upload again, then retry
        ("ok-1", "duplicate", None, False),
        ("ok-2", "created", None, False),
    ]
    assert _usage(api, admin) == 5
    assert {c["call_id"] for c in api.get("/v1/cdrs", token=admin).json["items"]} == {"ok-1", "ok-2"}
    assert api.post("/edge/v1/cdrs/batch", token=edge, body={"cdrs": []}).status == 400
    assert (
        api.post("/edge/v1/cdrs/batch", token=edge, body={"cdrs": [cdr_doc(tid, "x", _started(5))] * 51}).status == 400
    )
    assert api.post("/edge/v1/cdrs/batch", token=edge, body=[1, 2]).status == 400


def test_a_concurrent_usage_change_is_retried_not_lost(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another ingest moved the tenant's usage between the read and the write: the chunk is
    read and written again (the contention path of several Lambda instances)."""
    from control_plane.cdrs import store as cdrs_store

    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    real = cdrs_store.put_many
    calls = {"n": 0}

    def contended(*args: Any, **kwargs: Any) -> bool:
        calls["n"] += 1
        if calls["n"] <= 2:
            raise UsageStale(tid)
        return real(*args, **kwargs)

    monkeypatch.setattr(cdrs_store, "put_many", contended)
    docs = [cdr_doc(tid, f"c{i}", _started(i), **edge_upload(edge, f"c{i}", b"R" * 10)) for i in range(5)]
    assert {x["status"] for x in _batch(api, edge, docs)} == {"created"}
    assert calls["n"] == 3 and _usage(api, admin) == 50
    assert recordings.CHUNK * 3 + 5 <= 100  # a chunk fits one DynamoDB transaction
