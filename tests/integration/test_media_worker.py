"""The pjsua2 media worker on its own: SIPp plays the edge's caller (with the edge's
decision headers) and the callee behind the "proxy"; G.711 audio from pcaps both ways."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from edge_node import signing_key
from infra.procs import LOCALHOST, ManagedProcess, free_port, free_port_block
from pbx_core import edgesig
from tests.harness.sipp import run_sipp, start_sipp
from tests.integration.phones import active_seconds, read_channels

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def edge(tmp_path: Path) -> list[str]:
    """The worker's arguments that make the test's SIPp its edge: the key file, and any
    loopback source trusted (SIPp's caller and callee use different ports)."""
    signing_key.ensure(tmp_path / "signing.key")
    return ["--signing-key", str(tmp_path / "signing.key"), "--trusted-sources", LOCALHOST]


def signed_call(
    tmp_path: Path, tenant: str, caller: str = "101", callee: str = "102"
) -> tuple[list[list[str]], list[str]]:
    """uac_media.xml's CSV row and SIPp arguments for one call: the edge's decision,
    signed for the Call-ID SIPp is told to use (``-cid_str``; call number 1)."""
    prefix = f"media-{uuid.uuid4().hex[:12]}"
    headers = [
        ("X-PBX-Tenant", tenant),
        ("X-PBX-Caller", caller),
        ("X-PBX-Callee", callee),
        ("X-PBX-Kind", "internal"),
        ("X-PBX-Record", "1"),
    ]
    key = signing_key.read(tmp_path / "signing.key")
    sig = edgesig.sign(key, f"{prefix}-1@{LOCALHOST}", headers, int(time.time()))
    return [["media.test", caller, tenant, sig]], ["-cid_str", f"{prefix}-%u@%s"]


@pytest.fixture
def worker(tmp_path: Path):
    port, proxy = free_port(), free_port()
    spool = tmp_path / "spool"
    argv = [
        sys.executable, "-m", "edge_node.media_worker", "--sip-port", str(port),
        "--proxy", f"{LOCALHOST}:{proxy}", "--spool", str(spool),
        "--rtp-port", str(free_port_block(40)), "--rtp-port-range", "40", "--worker-id", "wt", *edge(tmp_path),
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
        rows, cid = signed_call(tmp_path, "t_media")
        caller = run_sipp(
            "uac_media.xml",
            (LOCALHOST, port),
            tmp_path,
            rows=rows,
            extra=["-s", "102", "-mp", str(free_port_block(8)), *cid],
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


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 2 MB tmpfs to fill up (root only; CI runs as root)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_spool_is_reported_loudly_and_calls_go_on(tiny_disk: Path, tmp_path: Path) -> None:
    port, proxy = free_port(), free_port()
    spool = tiny_disk / "spool"
    argv = [
        sys.executable, "-m", "edge_node.media_worker", "--sip-port", str(port),
        "--proxy", f"{LOCALHOST}:{proxy}", "--spool", str(spool),
        "--rtp-port", str(free_port_block(40)), "--rtp-port-range", "40", *edge(tmp_path),
    ]  # fmt: skip
    with ManagedProcess("worker", argv, tmp_path / "worker.log", cwd=REPO) as proc:
        proc.wait_udp_sip(LOCALHOST, port)
        filler = tiny_disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        with contextlib.suppress(OSError):  # fill the disk to the last byte
            while True:
                os.write(fd, b"\0" * 4096)
        os.close(fd)
        callee = start_sipp(
            "uas_media.xml", (LOCALHOST, port), tmp_path, local_port=proxy, extra=["-mp", str(free_port_block(8))]
        )
        try:
            rows, cid = signed_call(tmp_path, "t_full")
            caller = run_sipp(
                "uac_media.xml",
                (LOCALHOST, port),
                tmp_path,
                rows=rows,
                extra=["-s", "102", "-mp", str(free_port_block(8)), *cid],
                timeout_s=20,
            )
            assert caller.ok, caller.describe()  # the call itself was fine
        finally:
            callee.stop()
        deadline = time.monotonic() + 10
        while "SPOOL WRITE FAILED" not in proc.tail(200) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "SPOOL WRITE FAILED" in proc.tail(200)
        assert proc.alive(), "a full disk must not crash the worker"
        filler.unlink()  # space comes back: the CDR kept in memory reaches the spool
        deadline = time.monotonic() + 15
        while not list((spool / "cdr").glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.2)
        cdrs = list((spool / "cdr").glob("*.json"))
        assert len(cdrs) == 1, proc.tail(40)
        assert json.loads(cdrs[0].read_text())["tenant_id"] == "t_full"


def test_a_callee_leg_that_cannot_be_placed_fails_the_call_at_once(tmp_path: Path) -> None:
    """With no RTP port left for the callee leg (the range holds one RTP/RTCP pair, which the
    caller's leg takes), the caller gets 503 at once instead of ringing until the ring
    timeout, the worker goes on, and the attempt still gets its CDR."""
    port, proxy = free_port(), free_port()
    spool = tmp_path / "spool"
    argv = [
        sys.executable, "-m", "edge_node.media_worker", "--sip-port", str(port),
        "--proxy", f"{LOCALHOST}:{proxy}", "--spool", str(spool), "--ring-timeout", "30",
        "--rtp-port", str(free_port_block(2)), "--rtp-port-range", "2", "--worker-id", "wt", *edge(tmp_path),
    ]  # fmt: skip
    with ManagedProcess("worker", argv, tmp_path / "worker.log", cwd=REPO) as proc:
        proc.wait_udp_sip(LOCALHOST, port)
        t0 = time.monotonic()
        rows, cid = signed_call(tmp_path, "t_ports")
        caller = run_sipp(
            "uac_media.xml",
            (LOCALHOST, port),
            tmp_path,
            rows=rows,
            extra=["-s", "102", "-mp", str(free_port_block(8)), *cid],
            timeout_s=10,
        )
        assert 503 in caller.received_codes(), caller.describe()
        assert time.monotonic() - t0 < 8, "the caller rang on instead of being told at once"
        assert proc.alive(), proc.tail()
        proc.stop()
    cdrs = [json.loads(p.read_text()) for p in (spool / "cdr").glob("*.json")]
    assert len(cdrs) == 1, proc.tail()
    assert cdrs[0]["tenant_id"] == "t_ports" and cdrs[0]["disposition"] != "answered"
    assert cdrs[0]["sip_code"] == 503 and cdrs[0]["hangup_side"] == "system"
    assert not list((spool / "active").glob("*.json")), "the journal is dropped once the CDR is spooled"


def test_worker_puts_its_bridge_clock_under_real_time_on_its_cpu(tmp_path: Path) -> None:
    """--rt-clock-priority / --clock-cpu reach pjmedia's own ``clock`` thread of the running
    worker (and only it); without the privilege the worker says so and still runs."""
    port, proxy = free_port(), free_port()
    cpu = max(os.sched_getaffinity(0))
    argv = [
        sys.executable, "-m", "edge_node.media_worker", "--sip-port", str(port),
        "--proxy", f"{LOCALHOST}:{proxy}", "--spool", str(tmp_path / "spool"),
        "--rtp-port", str(free_port_block(8)), "--rtp-port-range", "8", "--worker-id", "wrt",
        "--rt-clock-priority", "7", "--clock-cpu", str(cpu), *edge(tmp_path),
    ]  # fmt: skip
    p = ManagedProcess("worker", argv, tmp_path / "worker.log", cwd=REPO)
    with p:
        p.wait_udp_sip(LOCALHOST, port)
        tuned = [
            json.loads(line)
            for line in (tmp_path / "worker.log").read_text().splitlines()
            if "bridge clock thread" in line
        ]
        assert len(tuned) == 1, tuned
        clocks, others = [], []
        for task in Path(f"/proc/{p.pid}/task").iterdir():
            tid = int(task.name)
            (clocks if (task / "comm").read_text().strip() == "clock" else others).append(tid)
        assert len(clocks) == 1
        assert os.sched_getaffinity(clocks[0]) == {cpu}
        if "fifo:7" in tuned[0]["tuned"]:
            assert os.sched_getscheduler(clocks[0]) == os.SCHED_FIFO
            assert os.sched_getparam(clocks[0]).sched_priority == 7
        else:
            assert any(x.startswith("fifo refused") for x in tuned[0]["tuned"]), tuned
        assert all(os.sched_getscheduler(t) == os.SCHED_OTHER for t in others)
