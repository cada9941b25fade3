"""Recordings (F7): exact usage, 80/90/100 % events, delete_oldest and stop_recording,
retention, presigned playback links (moto S3 in process)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from control_plane.core import store
from control_plane.recordings import service as recordings
from control_plane.recordings import store as rec_store
from control_plane.tenants import store as tenants_store
from pbx_core import snapshot as snapmod

from .conftest import REPORTS_BUCKET, Api, cdr_doc, edge_upload, provider_token

pytestmark = pytest.mark.aws

BUCKET = REPORTS_BUCKET  # the conftest s3 fixture creates it
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def quota_tenant(api: Api, domain: str, quota: int, **recording: Any) -> tuple[str, str]:
    plan = f"Q{quota}"
    if api.get(f"/v1/plans/{plan}", token=provider_token()).status == 404:
        body = {"name": plan, "max_extensions": 10, "max_concurrent_calls": 10, "recording_quota_bytes": quota}
        assert api.post("/v1/plans", token=provider_token(), body=body).status == 201
    extra: dict[str, Any] = {"plan": plan}
    if recording:
        extra["recording"] = recording
    return api.tenant(domain, **extra)


def key_of(tid: str, call_id: str, started: str, fmt: str = "opus") -> str:
    return f"tenants/{tid}/recordings/{started[:4]}/{started[5:7]}/{started[8:10]}/{call_id}.{fmt}"


def post_rec(
    api: Api, edge: str, tid: str, call_id: str, size: int, *, started: str = "2026-02-01T08:00:00.000Z",
    s3: Any = None, fmt: str = "opus", status: int = 201, **extra: Any,
) -> dict[str, Any]:  # fmt: skip
    # the edge uploads under its own prefix; the control plane moves it to key_of(...)
    doc = cdr_doc(tid, call_id, started, **edge_upload(edge, call_id, b"R" * size, fmt), **extra)
    r = api.post("/edge/v1/cdrs", token=edge, body=doc)
    assert r.status == status, r.text
    return doc


def started(i: int) -> str:
    return f"2026-02-01T08:{i:02d}:00.000Z"


def usage(tid: str) -> int:
    tenant = tenants_store.get(tid)
    assert tenant is not None
    return int(tenant.recording_usage_bytes)


def stored_sum(tid: str) -> int:
    return sum(int(r.size) for r in rec_store.oldest(tid, limit=10_000))


def events(api: Api, token: str) -> list[dict[str, Any]]:
    r = api.get("/v1/events", token=token)
    assert r.status == 200, r.text
    items: list[dict[str, Any]] = r.json["items"]
    return items


def objects(s3: Any, tid: str) -> set[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"tenants/{tid}/")
    return {o["Key"] for o in listed.get("Contents", [])}


# --- usage -------------------------------------------------------------------------------------
def test_usage_is_exact_and_duplicates_count_once(api: Api) -> None:
    tid, admin = quota_tenant(api, "acme.probox.vn", 100_000)
    edge = api.edge()
    sizes = [1234, 5, 70_000, 0, 999]
    for i, size in enumerate(sizes):
        doc = post_rec(api, edge, tid, f"c{i}", size, started=started(i))
        again = api.post("/edge/v1/cdrs", token=edge, body=doc)  # powertools replay
        assert again.status == 200 and again.json["status"] == "duplicate"
        # a repeat after the idempotency window reaches the store's guard: still counted once
        assert recordings.store_cdr(doc, sort_time=doc["started_at"], now=NOW) is False
    plain = cdr_doc(tid, "no-rec", started(9))
    assert api.post("/edge/v1/cdrs", token=edge, body=plain).status == 201
    total = sum(sizes)
    assert usage(tid) == total == stored_sum(tid)
    rec = api.get(f"/v1/tenants/{tid}", token=admin).json["recording"]
    assert rec["usage_bytes"] == total and rec["quota_bytes"] == 100_000
    assert rec["usage_pct"] == round(total * 100 / 100_000, 2) and rec["level"] == "ok"
    assert rec["on_full"] == "delete_oldest" and rec["recording_active"] is True
    u = api.get("/v1/recordings/usage", token=admin).json
    assert u["usage_bytes"] == total and u["level"] == "ok" and u["retention_days"] == 365
    items = {c["call_id"]: c for c in api.get("/v1/cdrs", token=admin).json["items"]}
    assert items["c2"]["recording_format"] == "opus" and items["c2"]["recording_bytes"] == 70_000
    assert items["c2"]["recording_deleted"] is None and items["no-rec"]["recording_key"] is None
    assert events(api, admin) == []


def test_thresholds_emit_one_event_each_exactly_once(api: Api) -> None:
    tid, admin = quota_tenant(api, "acme.probox.vn", 1000, on_full="stop_recording")
    edge = api.edge()
    steps = [(790, []), (10, ["recording.quota_80"]), (50, []), (50, ["recording.quota_90"]), (99, [])]
    seen: list[str] = []
    for i, (size, new) in enumerate(steps):
        doc = post_rec(api, edge, tid, f"c{i}", size, started=started(i))
        assert api.post("/edge/v1/cdrs", token=edge, body=doc).status == 200  # duplicate: no event
        seen = [*new[::-1], *seen]
        assert [e["type"] for e in events(api, admin)] == seen, i
    post_rec(api, edge, tid, "c-full", 1, started=started(10))
    got = events(api, admin)
    assert [e["type"] for e in got] == ["recording.quota_full", "recording.quota_90", "recording.quota_80"]
    assert got[0]["data"] == {"threshold_pct": 100, "level": "full", "usage_bytes": 1000, "quota_bytes": 1000}
    post_rec(api, edge, tid, "c-more", 5, started=started(11))
    assert len(events(api, admin)) == 3  # still full: nothing new
    assert api.get("/v1/recordings/usage", token=admin).json["level"] == "full"
    # newest first, one at a time with a cursor
    first = api.get("/v1/events?limit=1", token=admin).json
    assert [e["type"] for e in first["items"]] == ["recording.quota_full"] and first["next"]
    second = api.get(f"/v1/events?limit=2&cursor={first['next']}", token=admin).json
    assert [e["type"] for e in second["items"]] == ["recording.quota_90", "recording.quota_80"]
    assert second["next"] is None


def test_one_jump_over_several_thresholds_gives_each_event(api: Api) -> None:
    tid, admin = quota_tenant(api, "acme.probox.vn", 1000, on_full="stop_recording")
    post_rec(api, api.edge(), tid, "big", 1500)
    assert [e["type"] for e in events(api, admin)] == [
        "recording.quota_full",
        "recording.quota_90",
        "recording.quota_80",
    ]


# --- delete_oldest ---------------------------------------------------------------------------------
def test_delete_oldest_deletes_just_enough_oldest_recordings(api: Api, s3: Any) -> None:
    tid, admin = quota_tenant(api, "acme.probox.vn", 1000)
    edge = api.edge()
    sizes = {"r0": 40, "r1": 30, "r2": 430, "r3": 400}  # 900: warn90
    for i, (call, size) in enumerate(sizes.items()):
        post_rec(api, edge, tid, call, size, started=started(i), s3=s3)
    assert usage(tid) == 900
    post_rec(api, edge, tid, "r4", 100, started=started(4), s3=s3)  # 1000: full -> below 950
    # r0 (40) leaves 960, not below 95 %; r1 (30) leaves 930: exactly these two go
    assert usage(tid) == 930 == stored_sum(tid)
    assert objects(s3, tid) == {key_of(tid, c, started(i)) for i, c in [*list(enumerate(sizes))[2:], (4, "r4")]}
    for call in ("r0", "r1"):
        cdr = api.get(f"/v1/cdrs/{call}", token=admin).json
        assert cdr["recording_key"] is None and cdr["recording_deleted"] == "quota", cdr
        assert cdr["recording_bytes"] == sizes[call]
        r = api.get(f"/v1/cdrs/{call}/recording", token=admin)
        assert r.status == 404 and r.json["error"]["code"] == "recording_not_found"
    assert api.get("/v1/cdrs/r2", token=admin).json["recording_deleted"] is None
    types = [e["type"] for e in events(api, admin)]
    assert types == ["recording.quota_full", "recording.quota_90", "recording.quota_80"]
    assert api.get("/v1/recordings/usage", token=admin).json["level"] == "warn90"
    # full again: a second full event, and the oldest remaining recording goes
    post_rec(api, edge, tid, "r5", 80, started=started(5), s3=s3)
    assert usage(tid) == 1010 - 430 == stored_sum(tid)
    assert events(api, admin)[0]["type"] == "recording.quota_full"
    assert sum(e["type"] == "recording.quota_full" for e in events(api, admin)) == 2
    assert key_of(tid, "r2", started(2)) not in objects(s3, tid)


def test_scheduled_run_finishes_a_cleanup_the_ingest_left(api: Api, s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    tid, _ = quota_tenant(api, "acme.probox.vn", 1000)
    edge = api.edge()
    monkeypatch.setattr(recordings, "INLINE_BUDGET", 1)
    for i in range(9):
        post_rec(api, edge, tid, f"r{i}", 100, started=started(i), s3=s3)
    post_rec(api, edge, tid, "r9", 400, started=started(9), s3=s3)  # 1300, one inline delete
    assert usage(tid) == 1200
    result = recordings.housekeeping(NOW)
    assert result.quota_deleted == 3 and not result.failed  # 1100, 1000, 900 < 950
    assert usage(tid) == 900 == stored_sum(tid)
    assert objects(s3, tid) == {key_of(tid, f"r{i}", started(i)) for i in range(4, 10)}
    assert recordings.housekeeping(NOW).quota_deleted == 0


def test_switching_to_delete_oldest_when_full_cleans_up(api: Api, s3: Any) -> None:
    tid, admin = quota_tenant(api, "acme.probox.vn", 1000, on_full="stop_recording")
    edge = api.edge()
    for i in range(5):
        post_rec(api, edge, tid, f"r{i}", 250, started=started(i), s3=s3)
    assert usage(tid) == 1250  # stop_recording deletes nothing
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=admin, body={"recording": {"on_full": "delete_oldest"}})
    assert r.status == 200, r.text
    assert r.json["recording"]["usage_bytes"] == 750 and r.json["recording"]["level"] == "ok"


# --- stop_recording and retention ---------------------------------------------------------------------
def _snap(api: Api, edge: str, tid: str) -> tuple[int, bool]:
    s = snapmod.from_dict(api.get("/edge/v1/snapshot", token=edge).json)
    return s.version, s.tenants[tid].record_calls


def test_stop_recording_flips_record_calls_and_back_after_retention(api: Api, s3: Any) -> None:
    tid, admin = quota_tenant(api, "acme.probox.vn", 1000, on_full="stop_recording", retention_days=30)
    edge = api.edge()
    v0, rec0 = _snap(api, edge, tid)
    assert rec0 is True
    post_rec(api, edge, tid, "old", 600, started="2026-01-10T08:00:00.000Z", s3=s3)
    v1, rec1 = _snap(api, edge, tid)
    assert rec1 is True and v1 == v0  # no snapshot change while recording goes on
    post_rec(api, edge, tid, "new", 450, started="2026-02-25T08:00:00.000Z", s3=s3)  # 1050: full
    v2, rec2 = _snap(api, edge, tid)
    assert rec2 is False and v2 > v1
    t = api.get(f"/v1/tenants/{tid}", token=admin).json["recording"]
    assert t["enabled"] is True and t["recording_active"] is False and t["level"] == "full"
    assert usage(tid) == 1050  # nothing deleted under stop_recording
    # calls still arrive while full; a late recording still counts
    post_rec(api, edge, tid, "late", 10, started="2026-02-26T08:00:00.000Z", s3=s3)
    assert _snap(api, edge, tid) == (v2, False)
    # retention (30 days before NOW = 2026-01-30T12:00Z) frees "old": recording resumes
    result = recordings.housekeeping(NOW)
    assert result.expired == 1 and result.quota_deleted == 0
    assert usage(tid) == 460 == stored_sum(tid)
    v3, rec3 = _snap(api, edge, tid)
    assert rec3 is True and v3 > v2


def test_retention_deletes_only_expired_recordings(api: Api, s3: Any) -> None:
    tid, admin = quota_tenant(api, "acme.probox.vn", 10_000_000, retention_days=30)
    other, _ = quota_tenant(api, "other.probox.vn", 10_000_000, retention_days=3650)
    edge = api.edge()
    cutoff = NOW - timedelta(days=30)
    times = {
        "expired-1": cutoff - timedelta(days=100),
        "expired-2": cutoff - timedelta(seconds=1),
        "kept-1": cutoff + timedelta(seconds=1),
        "kept-2": NOW - timedelta(days=1),
    }
    for call, at in times.items():
        post_rec(api, edge, tid, call, 1000 + len(call), started=store.ts(at), s3=s3)
    plain = cdr_doc(tid, "no-rec", store.ts(cutoff - timedelta(days=5)))
    assert api.post("/edge/v1/cdrs", token=edge, body=plain).status == 201
    post_rec(api, edge, other, "other-old", 777, started=store.ts(cutoff - timedelta(days=100)), s3=s3)
    result = recordings.housekeeping(NOW)
    assert result.expired == 2 and not result.failed
    assert usage(tid) == 2 * (1000 + len("kept-1")) == stored_sum(tid)
    assert objects(s3, tid) == {key_of(tid, c, store.ts(times[c])) for c in ("kept-1", "kept-2")}
    for call in ("expired-1", "expired-2"):
        cdr = api.get(f"/v1/cdrs/{call}", token=admin).json  # the CDR stays
        assert cdr["recording_key"] is None and cdr["recording_deleted"] == "retention"
        assert cdr["recording_deleted_at"] == store.ts(NOW)
    assert api.get("/v1/cdrs/no-rec", token=admin).json["recording_deleted"] is None
    assert usage(other) == 777 and len(objects(s3, other)) == 1  # its own retention is longer
    again = recordings.housekeeping(NOW)
    assert again.expired == 0 and usage(tid) == stored_sum(tid)
    export = api.get("/v1/cdrs/export", token=admin).text
    assert "retention" in export.splitlines()[1] or "retention" in export


# --- playback ---------------------------------------------------------------------------------------
def _agent(api: Api, admin: str, email: str, extension: str | None) -> str:
    body: dict[str, Any] = {"email": email, "role": "agent", "password": "agent-password-long"}
    if extension:
        body["extension"] = extension
    assert api.post("/v1/users", token=admin, body=body).status == 201
    r = api.post("/v1/auth/login", body={"email": email, "password": "agent-password-long"})
    assert r.status == 200, r.text
    token: str = r.json["token"]
    return token


def test_presigned_link_downloads_for_allowed_users_only(api: Api, s3: Any) -> None:
    tid, admin = quota_tenant(api, "acme.probox.vn", 10_000_000)
    _, other_admin = quota_tenant(api, "other.probox.vn", 10_000_000)
    edge = api.edge()
    for ext in ("100", "101", "102"):
        api.extension(admin, ext)
    post_rec(api, edge, tid, "call-opus", 64, s3=s3)
    post_rec(api, edge, tid, "call-wav", 32, fmt="wav", s3=s3, started=started(5))
    r = api.get("/v1/cdrs/call-opus/recording", token=admin)
    assert r.status == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    link = r.json
    assert link["format"] == "opus" and link["content_type"] == "audio/ogg" and link["bytes"] == 64
    assert link["expires_in"] == 300
    url = urlparse(link["url"])
    params = parse_qs(url.query)
    key = key_of(tid, "call-opus", "2026-02-01T08:00:00.000Z")
    assert url.path.endswith("/" + key) and BUCKET in (url.netloc + url.path)
    assert params["X-Amz-Expires"] == ["300"] and params["X-Amz-Signature"][0]
    assert params["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert params["response-content-type"] == ["audio/ogg"]
    got = requests.get(link["url"], timeout=5)  # moto answers presigned S3 GETs in process
    assert got.status_code == 200 and got.content == b"R" * 64
    assert got.headers["content-type"] == "audio/ogg"
    wav = api.get("/v1/cdrs/call-wav/recording", token=admin).json
    assert wav["content_type"] == "audio/wav"
    assert requests.get(wav["url"], timeout=5).headers["content-type"] == "audio/wav"

    # supervisor: yes; agent of a party's extension: yes; another agent: 404; no extension: 403
    key_sup = api.post("/v1/api-keys", token=admin, body={"name": "sup", "role": "supervisor"}).json["key"]
    assert api.get("/v1/cdrs/call-opus/recording", token=key_sup).status == 200
    assert api.get("/v1/cdrs/call-opus/recording", token=_agent(api, admin, "a100@acme.vn", "100")).status == 200
    assert api.get("/v1/cdrs/call-opus/recording", token=_agent(api, admin, "a101@acme.vn", "101")).status == 200
    r = api.get("/v1/cdrs/call-opus/recording", token=_agent(api, admin, "a102@acme.vn", "102"))
    assert r.status == 404 and r.json["error"]["code"] == "not_found"
    assert api.get("/v1/cdrs/call-opus/recording", token=_agent(api, admin, "ax@acme.vn", None)).status == 403
    # another tenant: the call does not exist for it
    r = api.get("/v1/cdrs/call-opus/recording", token=other_admin)
    assert r.status == 404 and r.json["error"]["code"] == "not_found"
    # usage and events are the caller's tenant's only; agents see neither
    assert api.get("/v1/recordings/usage", token=other_admin).json["usage_bytes"] == 0
    agent = _agent(api, admin, "a2@acme.vn", "100")
    assert api.get("/v1/recordings/usage", token=agent).status == 403
    assert api.get("/v1/events", token=agent).status == 403


def test_no_recording_and_foreign_keys_are_404(api: Api, s3: Any) -> None:
    tid, admin = quota_tenant(api, "acme.probox.vn", 10_000_000)
    edge = api.edge()
    assert api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "plain", started(1))).status == 201
    r = api.get("/v1/cdrs/plain/recording", token=admin)
    assert r.status == 404 and r.json["error"]["code"] == "recording_not_found"
    # an edge names another tenant's object as the call's recording: refused (issue 13: the
    # control plane derives the key; the edge only names its own upload)
    foreign = cdr_doc(
        tid, "sneaky", started(2), recording_key="tenants/t_0000000000000000/recordings/x.opus", recording_bytes=5
    )
    r = api.post("/edge/v1/cdrs", token=edge, body=foreign)
    assert r.status == 400 and "recording_upload" in r.json["error"]["fields"], r.text
    foreign["recording_upload"] = "tenants/t_0000000000000000/recordings/x.opus"
    assert api.post("/edge/v1/cdrs", token=edge, body=foreign).status == 400
    assert api.get("/v1/cdrs/sneaky/recording", token=admin).json["error"]["code"] == "not_found"
    assert api.get("/v1/cdrs/nope/recording", token=admin).json["error"]["code"] == "not_found"
    assert provider_token()  # provider admins have no tenant: 403 on tenant routes
    assert api.get("/v1/cdrs/plain/recording", token=provider_token()).status == 403


def test_a_smaller_plan_announces_levels_and_stops_recording(api: Api) -> None:
    tid, admin = quota_tenant(api, "acme.probox.vn", 10_000, on_full="stop_recording")
    quota_tenant(api, "other.probox.vn", 1000)  # creates plan Q1000
    edge = api.edge()
    post_rec(api, edge, tid, "c1", 1000)
    v0, rec0 = _snap(api, edge, tid)
    assert rec0 is True and events(api, admin) == []
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"plan": "Q1000"})
    assert r.status == 200, r.text
    assert r.json["recording"]["level"] == "full" and r.json["recording"]["recording_active"] is False
    types = [e["type"] for e in events(api, admin)]
    assert types == ["recording.quota_full", "recording.quota_90", "recording.quota_80"]
    v1, rec1 = _snap(api, edge, tid)
    assert rec1 is False and v1 > v0
    recordings.housekeeping(NOW)  # nothing new to announce
    assert len(events(api, admin)) == 3 and usage(tid) == 1000
