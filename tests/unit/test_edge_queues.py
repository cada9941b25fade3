"""edge_node.queues: the worker's engines follow the edge's snapshot file, and the queue log
goes to the writer while the worker gets only what it must carry out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from edge_node.queues import QueueRunner
from pbx_core import acd
from pbx_core import queue_log as ql
from pbx_core.snapshot import AgentStatus, QueueConfig, QueueMember, TenantConfig, build

pytestmark = pytest.mark.unit


class _Writer:
    def __init__(self) -> None:
        self.events: list[Any] = []

    def emit(self, event: Any) -> None:
        self.events.append(event)


def _write(path: Path, tenants: list[TenantConfig], version: int) -> None:
    path.write_text(build(version, tenants).to_json())
    st = path.stat()  # a new mtime even within the same clock tick
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + version * 1_000_000))


def _tenant(status: str = "ready") -> TenantConfig:
    q = QueueConfig(id="q1", name="Sales", number="600", strategy="linear", members=(QueueMember("102"),))
    return TenantConfig(
        id="t1", domain="t1.test", queues={"q1": q}, agents={"102": AgentStatus("102", "u1", status, since=5)}
    )


def test_the_runner_follows_the_snapshot_and_splits_log_from_actions(tmp_path: Path) -> None:
    snap = tmp_path / "snapshot.json"
    writer = _Writer()
    runner = QueueRunner(snap, writer)  # type: ignore[arg-type]
    assert runner.refresh(10.0) == []  # no file yet: nothing, no error
    _write(snap, [_tenant(), TenantConfig(id="t2", domain="t2.test")], 1)
    runner.refresh(10.0)
    assert set(runner.engines) == {"t1"}  # a tenant without queues gets no engine
    engine = runner.engine("t1")
    assert engine is not None and runner.is_member("t1", "102") and not runner.is_member("t1", "101")

    actions = runner.run("t1", engine.enter("q1", "c1", "0912345678", 11.0))
    assert actions == [acd.Offer("c1", ("102",), 15)]  # only what the worker must do
    assert [e.kind for e in writer.events] == [ql.ENTER, ql.OFFER]  # the log went to the writer

    # The agent pauses (a new snapshot): its ringing offer is withdrawn, the pause logged.
    _write(snap, [_tenant("paused")], 2)
    out = runner.refresh(12.0)
    assert ("t1", acd.CancelOffer("c1", ("102",))) in out
    assert writer.events[-1].kind == ql.PAUSE
    assert runner.refresh(12.5) == []  # unchanged file: not parsed again

    # A broken file keeps the last good configuration.
    snap.write_text("{not json")
    assert runner.refresh(13.0) == [] and runner.engine("t1") is engine
