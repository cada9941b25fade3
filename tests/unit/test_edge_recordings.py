"""Edge recording helpers: stereo merge, WAV repair after a crash, uncoupled Opus."""

from __future__ import annotations

import json
import os
import subprocess
import wave
from array import array
from pathlib import Path

import pytest

from edge_node import audio
from edge_node.agent import Agent, AgentSettings
from edge_node.opus import encode_stereo
from edge_node.spool import Spool
from infra.tones import make_tone
from pbx_core.bridge import BridgeRecord, CallSetup
from tests.integration.phones import read_channels, tone_power

pytestmark = pytest.mark.unit


def test_merge_pads_the_shorter_side(tmp_path: Path) -> None:
    a = make_tone(tmp_path / "a.wav", 440, seconds=2)
    b = make_tone(tmp_path / "b.wav", 1000, seconds=1)
    audio.merge_stereo(a, b, tmp_path / "s.wav")
    (left, right), rate = read_channels(tmp_path / "s.wav")
    assert len(left) == len(right) == 2 * rate
    assert max(right[rate:]) == 0 and max(left[rate:]) > 1000


def test_a_long_call_is_merged_and_encoded_in_bounded_memory(tmp_path: Path) -> None:
    """A recording is processed a block at a time: the agent's memory does not grow with the
    call's length (whole-file reads held ~5 copies of the stereo PCM: a 6.0 MB peak here,
    ~0.5 GB for an hour)."""
    import tracemalloc

    a = make_tone(tmp_path / "a.wav", 440, seconds=60.3)  # not a whole number of blocks
    b = make_tone(tmp_path / "b.wav", 1000, seconds=7.1)
    tracemalloc.start()
    try:
        audio.merge_stereo(a, b, tmp_path / "s.wav")
        encode_stereo(tmp_path / "s.wav", tmp_path / "s.opus")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 300_000, peak
    (left, right), rate = read_channels(tmp_path / "s.wav")
    assert len(left) == len(right) == round(60.3 * rate)
    assert max(right[round(7.2 * rate) :]) == 0 and min(right[: round(7 * rate)]) < -1000
    assert tone_power(left, rate, 440) > 10 * tone_power(left, rate, 1000)
    subprocess.run(
        ["opusdec", "--quiet", "--rate", "8000", str(tmp_path / "s.opus"), str(tmp_path / "d.wav")], check=True
    )
    (dl, dr), _ = read_channels(tmp_path / "d.wav")
    assert len(dl) == len(dr) and abs(len(dl) - len(left)) < rate // 10  # the whole call, not its first block


def test_repair_wav_after_a_killed_writer(tmp_path: Path) -> None:
    p = make_tone(tmp_path / "t.wav", 440, seconds=1)
    raw = bytearray(p.read_bytes())
    raw[4:8] = raw[40:44] = b"\0\0\0\0"  # what pjmedia leaves before close
    p.write_bytes(bytes(raw) + b"\x01")  # and an odd trailing byte
    assert audio.repair_wav(p) == 16000
    with wave.open(str(p)) as w:
        assert w.getnframes() == 8000


def test_opus_keeps_the_parties_apart(tmp_path: Path) -> None:
    audio.merge_stereo(
        make_tone(tmp_path / "l.wav", 440, 3), make_tone(tmp_path / "r.wav", 1000, 3), tmp_path / "s.wav"
    )
    size = encode_stereo(tmp_path / "s.wav", tmp_path / "s.opus")
    assert size < 3 * 17_000 / 8 * 1.25
    subprocess.run(
        ["opusdec", "--quiet", "--rate", "8000", str(tmp_path / "s.opus"), str(tmp_path / "d.wav")], check=True
    )
    (left, right), rate = read_channels(tmp_path / "d.wav")
    assert tone_power(left, rate, 440) > 10 * tone_power(left, rate, 1000)
    assert tone_power(right, rate, 1000) > 10 * tone_power(right, rate, 440)


def _journal(spool: Spool, pid: int, answered: bool) -> None:
    from datetime import UTC, datetime, timedelta

    t0 = datetime.now(UTC) - timedelta(seconds=5)
    r = BridgeRecord(CallSetup("t1", "101", "102", "internal", True), "cid-1", t0)
    if answered:
        r = r.answered(t0 + timedelta(seconds=1))
    names = [p.name for p in spool.recording_paths("cid-1")]
    for p, f in zip(spool.recording_paths("cid-1"), (440, 1000), strict=True):
        make_tone(p, f, seconds=2)
    spool.put_journal(
        "cid-1",
        {**r.to_journal(), "pid": pid, "pid_start": None, "edge_id": "e", "worker_id": "w", "recordings": names},
    )


def test_agent_recovers_only_dead_workers_calls(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool").ensure()
    agent = Agent(
        AgentSettings(
            api_url="http://127.0.0.1:9",
            credential_path=tmp_path / "edge.credential",
            snapshot_path=tmp_path / "s.json",
            spool=spool.root,
            bucket="b",
        )
    )
    _journal(spool, os.getpid(), answered=True)  # this process is alive: not a crash
    assert agent.recover_journals(spool) == 0 and spool.journals()
    p = subprocess.Popen(["true"])
    p.wait()
    _journal(spool, p.pid, answered=True)
    assert agent.recover_journals(spool) == 1
    assert not spool.journals()
    doc = json.loads((spool.cdr_dir / "cid-1.json").read_text())
    assert doc["hangup_cause"] == "worker_crash" and doc["disposition"] == "answered"
    assert len(doc["_local_recordings"]) == 2 and doc["recording_key"].endswith(".wav")


def test_mono_reader_rejects_stereo(tmp_path: Path) -> None:
    p = tmp_path / "st.wav"
    with wave.open(str(p), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(array("h", [0] * 16).tobytes())
    with pytest.raises(ValueError):
        audio.merge_stereo(p, p, tmp_path / "o.wav")
