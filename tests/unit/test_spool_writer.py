"""edge_node.spool.SpoolWriter: the media worker's journal and CDR writes on a thread of
their own, in order, with a refused CDR kept and retried."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest

from edge_node.spool import Spool, SpoolWriter

pytestmark = pytest.mark.unit


def _wait(cond: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.01)
    return bool(cond())


def test_journal_then_cdr_leaves_only_the_durable_cdr(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool").ensure()
    w = SpoolWriter(spool).start()
    try:
        w.put_journal("k1", {"call_id": "c1", "answered_at": None})
        assert _wait(lambda: (spool.active_dir / "k1.json").exists())
        w.put_journal("k1", {"call_id": "c1", "answered_at": "2026-11-26T03:00:01Z"})
        w.put_cdr("k1", {"call_id": "c1", "tenant_id": "t1"})
        assert _wait(lambda: spool.pending() and not spool.journals())
    finally:
        assert w.close() == 0
    assert json.loads((spool.cdr_dir / "k1.json").read_text()) == {"call_id": "c1", "tenant_id": "t1"}
    assert not list(spool.cdr_dir.glob(".*")), "no temporary files left"


def test_close_writes_everything_queued(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool").ensure()
    w = SpoolWriter(spool).start()
    for i in range(300):  # more than one group commit
        w.put_journal(f"k{i}", {"call_id": f"c{i}"})
        w.put_cdr(f"k{i}", {"call_id": f"c{i}", "tenant_id": "t1"})
    assert w.close() == 0
    assert len(spool.pending()) == 300 and not spool.journals()


def test_a_refused_cdr_keeps_its_journal_and_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    spool = Spool(tmp_path / "spool").ensure()
    real = Spool.put_cdrs
    full = {"now": True}

    def put_cdrs(self: Spool, cdrs: Any) -> list[tuple[str, OSError]]:
        if full["now"]:
            return [(k, OSError(28, "No space left on device")) for k, _ in cdrs]
        return real(self, cdrs)

    monkeypatch.setattr(Spool, "put_cdrs", put_cdrs)
    w = SpoolWriter(spool, retry_s=0.2).start()
    try:
        with caplog.at_level(logging.CRITICAL, logger="probox.spool"):
            w.put_journal("k1", {"call_id": "c1", "setup": {"tenant_id": "t1"}})
            w.put_cdr("k1", {"call_id": "c1", "tenant_id": "t1"})
            assert _wait(lambda: "SPOOL WRITE FAILED" in caplog.text)
        rec = next(r for r in caplog.records if "SPOOL WRITE FAILED" in r.getMessage())
        assert rec.__dict__["tenant_id"] == "t1" and rec.__dict__["call_id"] == "c1"
        assert w.backlog == 1
        assert [p.name for p in spool.journals()] == ["k1.json"], "the journal stays until the CDR is on disk"
        full["now"] = False  # space comes back
        assert _wait(lambda: bool(spool.pending()) and w.backlog == 0)
        assert not spool.journals()
    finally:
        w.close()


def test_close_reports_cdrs_the_disk_never_took(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spool = Spool(tmp_path / "spool").ensure()
    monkeypatch.setattr(Spool, "put_cdrs", lambda self, cdrs: [(k, OSError(30, "Read-only")) for k, _ in cdrs])
    w = SpoolWriter(spool, retry_s=60).start()
    w.put_journal("k1", {"call_id": "c1"})
    w.put_cdr("k1", {"call_id": "c1"})
    assert w.close(timeout=5) == 1
    assert [p.name for p in spool.journals()] == ["k1.json"], "left for the agent's crash recovery"


def test_put_cdrs_reports_only_the_failed_ones(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool").ensure()
    (spool.cdr_dir / "bad.json").mkdir()  # a folder where the file should go: rename fails
    failed = spool.put_cdrs([("ok", {"a": 1}), ("bad", {"b": 2})])
    assert [k for k, _ in failed] == ["bad"]
    assert json.loads((spool.cdr_dir / "ok.json").read_text()) == {"a": 1}


def test_wav_closed_only_once_the_writer_has_written_the_riff_length(tmp_path: Path) -> None:
    import wave

    from edge_node.spool import wav_closed

    done = tmp_path / "done.wav"
    with wave.open(str(done), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x01\x00" * 8000)
    assert wav_closed(done)
    # What pjmedia's writer leaves while it records: RIFF length 0, audio appended.
    open_ = tmp_path / "open.wav"
    data = bytearray(done.read_bytes())
    data[4:8] = (0).to_bytes(4, "little")
    open_.write_bytes(bytes(data))
    assert not wav_closed(open_)
    # Closed with buffered audio still to come is the same as open: the length must match.
    data[4:8] = (len(data) - 8 - 320).to_bytes(4, "little")
    open_.write_bytes(bytes(data))
    assert not wav_closed(open_)
    assert not wav_closed(tmp_path / "missing.wav")
    (tmp_path / "short.wav").write_bytes(b"RIF")
    assert not wav_closed(tmp_path / "short.wav")
