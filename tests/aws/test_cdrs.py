"""CDR ingest from edges (idempotent) and paginated reads for tenant admins."""

from __future__ import annotations

import json
import random

import pytest

from .conftest import Api, cdr_doc

pytestmark = pytest.mark.aws


def test_ingest_is_idempotent(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    doc = cdr_doc(tid, "call-1@10.0.0.1", "2025-11-01T10:00:00.000Z")
    first = api.post("/edge/v1/cdrs", token=edge, body=doc)
    assert first.status == 201, first.text
    assert first.json == {"call_id": "call-1@10.0.0.1", "status": "created"}
    again = api.post("/edge/v1/cdrs", token=edge, body={**doc, "duration_s": 99})
    assert again.status == 200
    assert again.json["status"] == "duplicate"
    listed = api.get("/v1/cdrs", token=admin).json
    assert len(listed["items"]) == 1
    assert listed["next"] is None
    stored = listed["items"][0]
    assert stored["duration_s"] == 0  # the repeat stored nothing
    assert stored["edge_id"] == "edge-1"  # filled from the token when the CDR has none
    one = api.get("/v1/cdrs/call-1@10.0.0.1", token=admin)
    assert one.status == 200
    assert one.json == stored


def test_invalid_cdr_is_400(api: Api) -> None:
    tid, _ = api.tenant("acme.probox.vn")
    edge = api.edge()
    r = api.post("/edge/v1/cdrs", token=edge, body={"tenant_id": tid, "call_id": "x"})
    assert r.status == 400
    assert {"caller", "callee", "started_at", "disposition"} <= set(r.json["error"]["fields"])
    bad_time = api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "y", "yesterday"))
    assert bad_time.status == 400


@pytest.mark.parametrize(
    "extra",
    [{"sip_code": "abc"}, {"recording_bytes": [1]}, {"duration_s": -1}, {"answered_at": 5}, {"disposition": "ok"}],
)
def test_bad_cdr_values_are_400_never_500(api: Api, extra: dict[str, object]) -> None:
    tid, _ = api.tenant("acme.probox.vn")
    r = api.post("/edge/v1/cdrs", token=api.edge(), body=cdr_doc(tid, "c1", "2025-11-01T10:00:00.000Z", **extra))
    assert r.status == 400, r.text
    assert r.json["error"]["code"] == "validation_failed"


def test_nan_is_not_json(api: Api) -> None:
    tid, _ = api.tenant("acme.probox.vn")
    raw = json.dumps(cdr_doc(tid, "c1", "2025-11-01T10:00:00.000Z")).replace('"duration_s": 0', '"duration_s": NaN')
    r = api.post("/edge/v1/cdrs", token=api.edge(), raw=raw.encode())
    assert r.status == 400, r.text
    assert "NaN" in r.json["error"]["message"]


def test_unknown_tenant_is_404(api: Api) -> None:
    edge = api.edge()
    for tid in ("t_0123456789abcdef", "bogus"):
        r = api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "c1", "2025-11-01T10:00:00.000Z"))
        assert r.status == 404


def test_list_newest_first_with_pagination(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    starts = [f"2025-11-0{d}T08:00:00.000Z" for d in range(1, 6)]
    shuffled = list(enumerate(starts))
    random.Random(7).shuffle(shuffled)
    for i, started in shuffled:
        assert api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, f"call-{i}", started)).status == 201
    seen: list[str] = []
    pages = 0
    cursor: str | None = None
    while True:
        path = "/v1/cdrs?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(path, token=admin)
        assert page.status == 200, page.text
        pages += 1
        assert len(page.json["items"]) <= 2
        seen += [c["call_id"] for c in page.json["items"]]
        cursor = page.json["next"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == [f"call-{i}" for i in (4, 3, 2, 1, 0)]


def test_started_at_with_offset_sorts_by_utc(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "early", "2025-11-01T16:00:00+07:00"))  # 09:00Z
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "late", "2025-11-01T10:00:00Z"))
    assert [c["call_id"] for c in api.get("/v1/cdrs", token=admin).json["items"]] == ["late", "early"]


@pytest.mark.parametrize("limit", ["0", "201", "x", "-1", "1.5"])
def test_bad_limit_is_400(api: Api, limit: str) -> None:
    _, admin = api.tenant("acme.probox.vn")
    r = api.get(f"/v1/cdrs?limit={limit}", token=admin)
    assert r.status == 400
    assert "limit" in r.json["error"]["fields"]


def test_tampered_or_foreign_cursor_is_400(api: Api) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    b, admin_b = api.tenant("b.probox.vn")
    edge = api.edge()
    for tid in (a, b):
        for d in range(1, 4):
            api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, f"c{d}", f"2025-11-0{d}T08:00:00.000Z"))
    cursor_a = api.get("/v1/cdrs?limit=1", token=admin_a).json["next"]
    assert cursor_a
    assert api.get(f"/v1/cdrs?limit=1&cursor={cursor_a}", token=admin_a).status == 200
    foreign = api.get(f"/v1/cdrs?limit=1&cursor={cursor_a}", token=admin_b)
    assert foreign.status == 400
    assert foreign.json["error"]["fields"] == {"cursor": "invalid or not issued for this tenant"}
    payload, _, sig = cursor_a.partition(".")
    flipped = ("A" if payload[0] != "A" else "B") + payload[1:]
    for bad in (f"{flipped}.{sig}", f"{payload}.{sig[:-2]}xx", "garbage", f"{payload}.", ".", "%00"):
        r = api.get(f"/v1/cdrs?limit=1&cursor={bad}", token=admin_a)
        assert r.status == 400, bad


def test_unknown_cdr_is_404(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    assert api.get("/v1/cdrs/nope", token=admin).status == 404


QUALITY: list[dict[str, object]] = [
    {
        "leg": "a",
        "party": "100",
        "packets_lost": 3,
        "jitter_ms": 4.5,
        "rtt_ms": 38.0,
        "mos": 4.3,
        "one_way_audio": False,
    },
    {
        "leg": "b",
        "party": "101",
        "packets_lost": 0,
        "jitter_ms": 0.0,
        "rtt_ms": None,
        "mos": None,
        "one_way_audio": True,
    },
]


def test_per_leg_quality_round_trips_and_an_old_cdr_without_it_still_reads(api: Api) -> None:
    """B3: the edge's per-leg quality is stored with the CDR and answered by the list and the
    call's detail; a CDR stored before the field existed (no ``quality`` in its document)
    reads with an empty list, and a CDR posted without it is taken as before."""
    from control_plane.cdrs import store as cdrs_store

    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    with_q = cdr_doc(tid, "q-1@10.0.0.1", "2025-11-01T10:00:00.000Z", quality=QUALITY)
    assert api.post("/edge/v1/cdrs", token=edge, body=with_q).status == 201
    without = cdr_doc(tid, "q-2@10.0.0.1", "2025-11-01T10:01:00.000Z")
    assert api.post("/edge/v1/cdrs", token=edge, body=without).status == 201
    old = {k: v for k, v in cdr_doc(tid, "q-3@10.0.0.1", "2025-11-01T10:02:00.000Z").items()}
    old.update(sip_code=200, hangup_side="caller", direction="internal", edge_id="edge-1", worker_id="w1")
    old.update(recording_key=None, recording_format=None, recording_bytes=0)
    assert "quality" not in old
    assert cdrs_store.put(tid, old, call_id=old["call_id"], started_at=old["started_at"])

    one = api.get("/v1/cdrs/q-1@10.0.0.1", token=admin)
    assert one.status == 200, one.text
    assert one.json["quality"] == QUALITY
    listed = {c["call_id"]: c for c in api.get("/v1/cdrs", token=admin).json["items"]}
    assert listed["q-1@10.0.0.1"]["quality"] == QUALITY
    assert listed["q-2@10.0.0.1"]["quality"] == []
    assert listed["q-3@10.0.0.1"]["quality"] == []
    assert api.get("/v1/cdrs/q-3@10.0.0.1", token=admin).json["quality"] == []


@pytest.mark.parametrize(
    "quality",
    [
        "good",
        [{"party": "100"}],
        [{**QUALITY[0], "mos": 7}],
        [{**QUALITY[0], "packets_lost": -1}],
        [{**QUALITY[0], "one_way_audio": "yes"}],
        [QUALITY[0]] * 9,
    ],
)
def test_malformed_quality_is_400(api: Api, quality: object) -> None:
    tid, _ = api.tenant("acme.probox.vn")
    doc = cdr_doc(tid, "q-bad", "2025-11-01T10:00:00.000Z", quality=quality)
    r = api.post("/edge/v1/cdrs", token=api.edge(), body=doc)
    assert r.status == 400, r.text
    assert "quality" in r.json["error"]["fields"]
