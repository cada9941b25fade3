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

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            return httpx.Response(503, json={"error": {"code": "unavailable"}})
        docs = json.loads(request.content)["cdrs"]
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
