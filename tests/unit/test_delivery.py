"""The edge's delivery loop (edge_node/delivery.py) against scripted control-plane answers:
batches, per-call results, retries that do not stall the others, a control plane that is
down, rejected CDRs set aside, and the status it reports. The real agent against the real
control plane is exercised by tests/integration (test_call_e2e, test_resilience,
test_agent_backlog)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from edge_node.delivery import Delivery, DeliverySettings
from edge_node.spool import Spool

pytestmark = pytest.mark.unit


class FakeApi:
    """Answers /edge/v1/cdrs/batch from a script: per call id a status, or the whole
    control plane down."""

    def __init__(self) -> None:
        self.down = False
        self.batches: list[list[str]] = []
        self.answers: dict[str, dict[str, Any]] = {}
        self.docs: list[dict[str, Any]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            return httpx.Response(503, json={"error": {"code": "unavailable"}})
        docs = json.loads(request.content)["cdrs"]
        self.docs.extend(docs)
        self.batches.append([d["call_id"] for d in docs])
        results = [
            {"index": i, "call_id": d["call_id"], **self.answers.get(d["call_id"], {"status": "created"})}
            for i, d in enumerate(docs)
        ]
        return httpx.Response(200, json={"results": results})


def _spool(tmp: Path, n: int) -> Spool:
    spool = Spool(tmp / "spool").ensure()
    for i in range(n):
        spool.put_cdr(f"k{i:04d}", {"tenant_id": "t", "call_id": f"c{i}", "recording_key": None})
    return spool


def _delivery(spool: Spool, api: FakeApi, **kw: Any) -> Delivery:
    client = httpx.Client(base_url="http://cp", transport=httpx.MockTransport(api.handler))
    settings = DeliverySettings(edge_id="e1", bucket="b", status_path=spool.root / "status.json", **kw)
    return Delivery(spool, settings, http=lambda: client, s3=lambda: None)


def test_calls_go_in_batches_and_leave_the_spool(tmp_path: Path) -> None:
    spool, api = _spool(tmp_path, 120), FakeApi()
    d = _delivery(spool, api, batch_size=50, max_in_flight=200)
    assert d.drain(timeout_s=10) == 120
    assert [len(b) for b in api.batches] == [50, 50, 20]
    assert spool.pending() == [] and d.total_delivered == 120
    d.close()


def test_a_call_to_retry_waits_while_the_others_go_on(tmp_path: Path) -> None:
    spool, api = _spool(tmp_path, 3), FakeApi()
    api.answers["c1"] = {"status": "error", "code": "validation_failed", "retry": True}
    d = _delivery(spool, api)
    d.drain(timeout_s=2)
    assert [p.name for p in spool.pending()] == ["k0001.json"]
    assert d.retries["k0001.json"].attempts == 1 and d.retries["k0001.json"].not_before > 0
    api.answers.clear()
    d.retries["k0001.json"].not_before = 0  # its backoff is over
    d.drain(timeout_s=2)
    assert spool.pending() == []
    d.close()


def test_a_refused_cdr_is_set_aside_with_the_reason(tmp_path: Path) -> None:
    spool, api = _spool(tmp_path, 2), FakeApi()
    api.answers["c0"] = {"status": "error", "code": "forbidden", "message": "not served", "retry": False}
    d = _delivery(spool, api)
    d.drain(timeout_s=2)
    assert spool.pending() == []  # it blocks nothing
    rejected = spool.root / "rejected"
    assert (rejected / "k0000.json").exists()
    assert json.loads((rejected / "k0000.why.json").read_text())["code"] == "forbidden"
    assert d.rejected == 1 and d.total_delivered == 1
    d.close()


def test_a_control_plane_that_is_down_pauses_posting_and_loses_nothing(tmp_path: Path) -> None:
    spool, api = _spool(tmp_path, 10), FakeApi()
    api.down = True
    d = _delivery(spool, api, max_backoff_s=0.2)
    d.drain(timeout_s=1)
    assert len(spool.pending()) == 10 and d.api.attempts >= 1
    status = d.write_status()
    assert status["spool_depth"] == 10 and status["control_plane_backoff_s"] >= 0
    assert json.loads((spool.root / "status.json").read_text())["spool_depth"] == 10
    api.down = False
    assert d.drain(timeout_s=5) == 10
    assert spool.pending() == [] and d.api.attempts == 0
    d.close()


def test_lag_is_measured_and_flagged(tmp_path: Path) -> None:
    import os
    import time

    spool, api = _spool(tmp_path, 1), FakeApi()
    old = time.time() - 600
    for p in spool.pending():
        os.utime(p, (old, old))
    api.down = True
    d = _delivery(spool, api, lag_alert_s=60)
    d.step()
    status = d.write_status()
    assert status["lagging"] is True and status["oldest_undelivered_s"] >= 599
    d.close()


class FakeS3:
    def __init__(self) -> None:
        self.keys: list[str] = []

    def put_object(self, **kw: Any) -> None:
        kw["Body"].read()
        self.keys.append(kw["Key"])


def _recorded_spool(tmp: Path, n: int, made_at: float) -> Spool:
    """``n`` finished recorded calls as the worker leaves them (a CDR naming two mono WAVs)."""
    import os

    from infra.tones import make_tone

    spool = Spool(tmp / "spool").ensure()
    tone = make_tone(tmp / "tone.wav", 440.0, 1.0).read_bytes()
    for i in range(n):
        key = f"k{i:04d}"
        left, right = spool.recording_paths(key)
        left.write_bytes(tone)
        right.write_bytes(tone)
        doc = {"tenant_id": "t", "call_id": f"c{i}", "recording_key": f"tenants/t/recordings/{key}.opus",
               "_local_recordings": [left.name, right.name]}  # fmt: skip
        os.utime(spool.put_cdr(key, doc), (made_at, made_at))
    return spool


def test_while_posting_is_blocked_the_backlog_is_prepared_and_only_posts_remain(tmp_path: Path) -> None:
    """Issue 18: a control plane down for a while no longer leaves its whole backlog to be
    merged, encoded and uploaded at its return: the agent stages it meanwhile, and a staged
    call is posted as it is, also by the next run of the agent."""
    import time

    made_at = time.time() - 300
    spool, api, s3 = _recorded_spool(tmp_path, 12, made_at), FakeApi(), FakeS3()
    api.down = True
    client = httpx.Client(base_url="http://cp", transport=httpx.MockTransport(api.handler))
    settings = DeliverySettings(edge_id="e1", bucket="b", threads=2, max_in_flight=4, batch_size=4, max_backoff_s=0.2)
    d = Delivery(spool, settings, http=lambda: client, s3=lambda: s3)
    deadline = time.monotonic() + 30
    while len(d.staged) < 8 and time.monotonic() < deadline:
        d.step()
        time.sleep(0.01)
    assert len(d.staged) == 8 and len(d.ready) == 4  # 4 wait in memory to be posted, 8 on disk
    assert sorted(set(s3.keys)) == [f"incoming/e1/k{i:04d}.opus" for i in range(12)]
    status = d.write_status()
    assert status["spool_depth"] == 12 and status["staged"] == 8
    assert status["oldest_undelivered_s"] >= 299  # rewriting a staged file kept the call's age
    staged = json.loads((spool.cdr_dir / "k0011.json").read_text())
    assert staged["recording_upload"] == "incoming/e1/k0011.opus" and staged["recording_format"] == "opus"
    assert sorted(staged["_staged_local"]) == ["k0011.callee.wav", "k0011.caller.wav"]
    assert not list(spool.rec_dir.glob("k0011.stereo.wav"))  # derived, uploaded: gone
    d.close()

    # the agent is restarted while the control plane comes back: a staged call is posted as it
    # is; the 4 that waited in memory only are prepared (uploaded to the same key) again
    uploads = len(s3.keys)
    api.down = False
    again = Delivery(spool, settings, http=lambda: client, s3=lambda: s3)
    assert again.drain(timeout_s=10) == 12
    assert sorted(s3.keys[uploads:]) == [f"incoming/e1/k{i:04d}.opus" for i in range(4)]
    assert sorted(d["call_id"] for d in api.docs) == sorted(f"c{i}" for i in range(12))
    assert all(d["recording_upload"] and "_staged_local" not in d for d in api.docs)
    assert spool.pending() == [] and list(spool.rec_dir.iterdir()) == []
    again.close()
