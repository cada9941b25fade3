"""Issue 18 on the real stack (moto, chalice local, the edge agent, Kamailio): an edge with a
backlog of thousands of finished calls still takes configuration changes within seconds,
delivers in batches, and an agent killed in the middle of the backlog loses nothing and
stores nothing twice. The backlog is written into the agent's spool as the media workers
write it (CDR files, and two mono WAVs per recorded call)."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from edge_node import live
from edge_node.spool import Spool
from infra.local_stack import Stack, StackConfig, Tenant, agent_allocator_env
from infra.tones import make_tone
from pbx_core import events as ev
from pbx_core.bridge import BridgeRecord, CallSetup

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def bstack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    s = Stack(StackConfig.free_ports(tmp_path_factory.mktemp("backlog"), agent_max_backoff_s=2.0))
    s.start()
    try:
        yield s
    finally:
        s.stop()


def _tenant(stack: Stack, name: str) -> Tenant:
    t = stack.create_tenant(name, f"{name.lower()}.probox.test", ["101", "102"])
    stack.wait_tenant_on_edge(t)
    return t


def _spool_calls(stack: Stack, tenant: Tenant, n: int, *, recorded_every: int = 0, tone: Path | None = None) -> None:
    """``n`` finished calls of ``tenant`` in the agent's spool, as a media worker leaves them."""
    spool = Spool(stack.cfg.spool).ensure()
    start = datetime.now(UTC) - timedelta(hours=1)
    batch: list[tuple[str, dict[str, Any]]] = []
    for i in range(n):
        t0 = start + timedelta(milliseconds=i)
        key = f"bk-{tenant.id[-6:]}-{i:05d}"
        doc: dict[str, Any] = {
            "tenant_id": tenant.id, "call_id": f"{key}@edge", "caller": "101", "callee": "102",
            "started_at": t0.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", "answered_at": None,
            "ended_at": t0.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", "duration_s": 0,
            "disposition": "no_answer", "sip_code": 480, "edge_id": stack.cfg.edge_id, "worker_id": "w1",
        }  # fmt: skip
        if recorded_every and i % recorded_every == 0 and tone is not None:
            left, right = spool.recording_paths(key)
            shutil.copy(tone, left)
            shutil.copy(tone, right)
            doc.update(
                disposition="answered", answered_at=doc["started_at"], duration_s=1,
                recording_key=f"tenants/{tenant.id}/recordings/x/{key}.wav", recording_format="wav",
                _local_recordings=[left.name, right.name],
            )  # fmt: skip
        batch.append((key, doc))
        if len(batch) == 500:
            assert spool.put_cdrs(batch) == []
            batch = []
    if batch:
        assert spool.put_cdrs(batch) == []


def _count(stack: Stack, tenant: Tenant) -> tuple[int, set[str]]:
    ids: set[str] = set()
    total = 0
    cursor = None
    with stack.api(tenant.admin_token) as api:
        while True:
            r = api.get("/v1/cdrs", params={"limit": 200, **({"cursor": cursor} if cursor else {})})
            assert r.status_code == 200, r.text
            items = r.json()["items"]
            total += len(items)
            ids |= {c["call_id"] for c in items}
            cursor = r.json()["next"]
            if not cursor:
                return total, ids


def _spooled(stack: Stack) -> int:
    return len(list((stack.cfg.spool / "cdr").glob("*.json")))


def _wait_drained(stack: Stack, timeout: float) -> float:
    t0 = time.monotonic()
    while _spooled(stack) and time.monotonic() - t0 < timeout:
        time.sleep(0.5)
    assert _spooled(stack) == 0, f"{_spooled(stack)} calls still undelivered after {timeout}s"
    return time.monotonic() - t0


def _snapshot_tenant(stack: Stack, tenant_id: str) -> dict[str, Any]:
    snap = json.loads(stack.cfg.snapshot_path.read_text())
    return next(t for t in snap["tenants"] if t["id"] == tenant_id)


def _until(pred: Any, timeout: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            if pred():
                return time.monotonic() - t0
        except (OSError, ValueError, StopIteration):
            pass
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout}s")


@pytest.mark.slow  # a load test (5,000 calls of backlog, ~40 s): make bench runs it, make test skips it
def test_the_agent_runs_on_jemalloc_and_can_be_kept_on_glibc(bstack: Stack) -> None:
    """The stack's agent has jemalloc loaded (glibc's thread arenas kept the memory it freed:
    +18.6 % in Bench 9's hour; docs/operations.md), unless PROBOX_AGENT_MALLOC=glibc."""
    pid = bstack.procs["agent"].pid
    assert pid is not None
    maps = Path(f"/proc/{pid}/maps").read_text()
    assert "libjemalloc.so" in maps, "the agent runs on glibc malloc: is libjemalloc2 installed (make setup)?"
    assert agent_allocator_env({"PROBOX_AGENT_MALLOC": "glibc"}) == {}
    kept = agent_allocator_env({"LD_PRELOAD": "/x/libother.so"})["LD_PRELOAD"].split()
    assert kept[0] == "/x/libother.so" and "libjemalloc.so" in kept[1]


def test_a_change_reaches_the_edge_within_seconds_behind_a_backlog_of_5000(bstack: Stack) -> None:
    busy = _tenant(bstack, "Busy")
    other = _tenant(bstack, "Changing")
    _spool_calls(bstack, busy, 5000)
    time.sleep(1.0)
    assert _spooled(bstack) > 1000, "the backlog drained before the change: the test measures nothing"
    with bstack.api() as provider:
        r = provider.patch(f"/v1/tenants/{other.id}", json={"status": "suspended"})
        assert r.status_code == 200, r.text
    suspended_after = _until(lambda: _snapshot_tenant(bstack, other.id)["status"] == "suspended", 5.0)
    with bstack.api(busy.admin_token) as api:
        r = api.post("/v1/blocklist", json={"pattern": "0912345678", "direction": "out"})
        assert r.status_code == 201, r.text
    blocked_after = _until(
        lambda: any(b["pattern"] == "0912345678" for b in _snapshot_tenant(bstack, busy.id)["blocklist"]), 5.0
    )
    # A call rings meanwhile (its event written as a worker writes it): the live view does
    # not wait behind the CDRs either (issue 15, the agent's own events thread).
    rec = BridgeRecord(CallSetup(busy.id, "101", "102", "internal", False), "live-behind-backlog", datetime.now(UTC))
    writer = live.EventWriter(bstack.cfg.spool / "events", "backlog-test").start()
    writer.emit(
        live.build_event(
            rec, ev.RINGING, at=datetime.now(UTC), parties=("101", "102"), edge_id=bstack.cfg.edge_id, worker_id="w9"
        )
    )
    writer.close()

    def ringing() -> bool:
        with bstack.api(busy.admin_token) as api:
            return any(c["call_id"] == rec.call_id for c in api.get("/v1/calls/live").json()["calls"])

    live_after = _until(ringing, 5.0)
    backlog_then = _spooled(bstack)
    print(f"suspension at the edge after {suspended_after:.2f}s, block rule after {blocked_after:.2f}s,"
          f" a ringing call live after {live_after:.2f}s, with {backlog_then} calls still spooled")  # fmt: skip
    assert backlog_then > 0, "the backlog drained before the change: the test measures nothing"
    drained = _wait_drained(bstack, 300)
    total, ids = _count(bstack, busy)
    print(f"5000 calls delivered in about {drained + 1:.0f}s")
    assert total == len(ids) == 5000


def test_an_agent_killed_mid_backlog_loses_nothing_and_stores_nothing_twice(bstack: Stack, tmp_path: Path) -> None:
    tenant = _tenant(bstack, "Killed")
    tone = make_tone(tmp_path / "tone.wav", 440.0, seconds=0.5)
    _spool_calls(bstack, tenant, 1000, recorded_every=10, tone=tone)
    _until(lambda: _spooled(bstack) <= 900, 120)
    bstack.procs["agent"].kill9()
    left = _spooled(bstack)
    assert 0 < left < 1000
    bstack.restart("agent")
    _wait_drained(bstack, 300)
    total, ids = _count(bstack, tenant)
    assert total == len(ids) == 1000  # none lost, none twice
    s3 = bstack.aws("s3")
    objects = s3.list_objects_v2(Bucket=bstack.cfg.bucket, Prefix=f"tenants/{tenant.id}/recordings/")
    sizes = [int(o["Size"]) for o in objects.get("Contents", [])]
    assert len(sizes) == 100
    with bstack.api(tenant.admin_token) as api:
        usage = api.get("/v1/recordings/usage").json()["usage_bytes"]
    assert usage == sum(sizes)  # the quota counts each recording once
    incoming = s3.list_objects_v2(Bucket=bstack.cfg.bucket, Prefix=f"incoming/{bstack.cfg.edge_id}/")
    assert incoming.get("KeyCount", 0) == 0  # every upload taken


def test_while_the_control_plane_is_down_the_agent_uploads_its_backlog(bstack: Stack, tmp_path: Path) -> None:
    """Issue 18: during an outage the agent goes on merging, encoding and uploading (staging
    each call in its spool file), so that at the return only the posts are left; then every
    call is stored once and each recording counted once."""
    tenant = _tenant(bstack, "Outage")
    tone = make_tone(tmp_path / "tone.wav", 440.0, seconds=0.5)
    s3 = bstack.aws("s3")

    def uploads() -> int:
        listed = s3.list_objects_v2(Bucket=bstack.cfg.bucket, Prefix=f"incoming/{bstack.cfg.edge_id}/bk-")
        return int(listed.get("KeyCount", 0))

    bstack.procs["control-plane"].stop()
    try:
        _spool_calls(bstack, tenant, 300, recorded_every=2, tone=tone)  # 150 recorded
        _until(lambda: uploads() == 150, 120)  # all prepared although nothing can be posted
        assert _spooled(bstack) == 300
        staged = [json.loads(p.read_text()) for p in (bstack.cfg.spool / "cdr").glob("*.json")]
        assert sum(1 for d in staged if "_staged_local" in d) >= 150 - 64  # beyond what waits in memory
    finally:
        bstack.restart("control-plane")
    _wait_drained(bstack, 120)
    total, ids = _count(bstack, tenant)
    assert total == len(ids) == 300
    objects = s3.list_objects_v2(Bucket=bstack.cfg.bucket, Prefix=f"tenants/{tenant.id}/recordings/")
    sizes = [int(o["Size"]) for o in objects.get("Contents", [])]
    assert len(sizes) == 150
    with bstack.api(tenant.admin_token) as api:
        assert api.get("/v1/recordings/usage").json()["usage_bytes"] == sum(sizes)
    assert uploads() == 0  # every upload taken
