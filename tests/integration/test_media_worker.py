"""The pjsua2 media worker on its own: SIPp plays the edge's caller (with the edge's
decision headers) and the callee behind the "proxy"; G.711 audio from pcaps both ways."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from infra.procs import LOCALHOST, ManagedProcess, free_port, free_port_block
from tests.harness.sipp import run_sipp, start_sipp
from tests.integration.phones import active_seconds, read_channels

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(tmp_path: Path):
    port, proxy = free_port(), free_port()
    spool = tmp_path / "spool"
    argv = [
        sys.executable, "-m", "edge_node.media_worker", "--sip-port", str(port),
        "--proxy", f"{LOCALHOST}:{proxy}", "--spool", str(spool),
        "--rtp-port", str(free_port_block(40)), "--rtp-port-range", "40", "--worker-id", "wt",
    ]  # fmt: skip
    p = ManagedProcess("worker", argv, tmp_path / "worker.log", cwd=REPO)
    with p:
        p.wait_udp_sip(LOCALHOST, port)
        yield port, proxy, spool, p
    assert not p.alive()


def test_worker_bridges_records_and_spools_the_cdr(worker, tmp_path: Path) -> None:
    port, proxy, spool, proc = worker
    callee = start_sipp(
        "uas_media.xml", (LOCALHOST, port), tmp_path, local_port=proxy, extra=["-mp", str(free_port_block(8))]
    )
    try:
        caller = run_sipp(
            "uac_media.xml",
            (LOCALHOST, port),
            tmp_path,
            rows=[["media.test", "101", "t_media"]],
            extra=["-s", "102", "-mp", str(free_port_block(8))],
            timeout_s=20,
        )
        assert caller.ok, caller.describe()
        assert callee.result(wait=10).ok
    finally:
        callee.stop()
    proc.stop()  # a clean stop finalizes every call
    cdrs = list((spool / "cdr").glob("*.json"))
    assert len(cdrs) == 1, proc.tail()
    cdr = json.loads(cdrs[0].read_text())
    assert cdr["tenant_id"] == "t_media" and cdr["caller"] == "101" and cdr["callee"] == "102"
    assert cdr["disposition"] == "answered" and 3.5 < cdr["duration_s"] < 5.0
    assert cdr["worker_id"] == "wt"
    for name in cdr["_local_recordings"]:
        (ch,), rate = read_channels(spool / "rec" / name)
        assert abs(len(ch) / rate - cdr["duration_s"]) < 0.5
        assert active_seconds(ch, rate) > 2.0, f"{name} is silent"  # speech with pauses


def test_worker_refuses_calls_without_the_edge_decision(worker, tmp_path: Path) -> None:
    port, _proxy, spool, proc = worker
    r = run_sipp(
        "uac_worker_reject.xml",
        (LOCALHOST, port),
        tmp_path,
        rows=[["102", "media.test", "t_media", "101"]],
        params={"FINAL": 403},
    )
    assert r.ok, r.describe()
    assert 403 in r.received_codes()
    proc.stop()
    assert not list((spool / "cdr").glob("*.json"))
