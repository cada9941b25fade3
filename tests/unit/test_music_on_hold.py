"""Music on hold (issue 16 item 6): the product's music (edge_node.music) and which leg the
worker's one player feeds (media_worker.Bridge.update_music), with fake legs and a fake
player recording the conference-bridge connections."""

from __future__ import annotations

import wave
from array import array
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from edge_node import music
from edge_node.media_worker import Bridge
from pbx_core.bridge import BridgeRecord, CallSetup
from tests.integration.phones import read_channels, tone_power

pytestmark = pytest.mark.unit


def test_the_music_is_a_gentle_16_s_loop_of_its_notes(tmp_path: Path) -> None:
    path = music.write(tmp_path / "moh.wav")
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000)
    (s,), rate = read_channels(path)
    assert len(s) == 16 * rate
    assert max(map(abs, s)) < 16000  # well below full scale: no clipping after G.711
    # The loop joins without a click: both ends fade to (almost) nothing.
    assert max(map(abs, s[:8])) < 200 and max(map(abs, s[-8:])) < 200
    # Every sounding 250 ms window is the music's notes (what the integration test detects),
    # and none of the test phones' tones.
    win = rate // 4
    for i in range(0, len(s) - win + 1, win):
        chunk = s[i : i + win]
        if max(map(abs, chunk)) < 500:
            continue
        assert sum(tone_power(chunk, rate, f) for f in music.NOTES) > 0.6, i
        assert tone_power(chunk, rate, 440.0) < 0.01 and tone_power(chunk, rate, 1000.0) < 0.01, i


def test_ensure_keeps_a_file_of_ones_own(tmp_path: Path) -> None:
    mine = tmp_path / "moh.wav"
    mine.write_bytes(b"RIFF mine")
    assert music.ensure(mine).read_bytes() == b"RIFF mine"
    made = music.ensure(tmp_path / "sub" / "new.wav")
    assert made.stat().st_size == 44 + 2 * 16 * music.RATE
    assert not list(made.parent.glob(".*tmp"))


class Port:
    def __init__(self, slot: int, log: list[tuple[str, str, int]], name: str) -> None:
        self.slot, self.log, self.name = slot, log, name

    def getPortId(self) -> int:
        return self.slot

    def stopTransmit(self, sink: Port) -> None:
        self.log.append((f"{self.name}-x", sink.name, sink.slot))


class Player:
    def __init__(self) -> None:
        self.log: list[tuple[str, str, int]] = []

    def startTransmit(self, sink: Port) -> None:
        self.log.append(("music+", sink.name, sink.slot))

    def stopTransmit(self, sink: Port) -> None:
        self.log.append(("music-", sink.name, sink.slot))


class FakeLeg:
    def __init__(self, name: str, slot: int, log: list[tuple[str, str, int]]) -> None:
        self.name, self.role, self.slot, self.log = name, name, slot, log
        self.held = False
        self.media_active = True
        self.disconnected = False
        self.replacing: FakeLeg | None = None
        self.call_id = slot  # any valid pjsua call id

    def getId(self) -> int:
        return self.call_id

    def getAudioMedia(self, idx: int) -> Port:
        assert self.call_id >= 0, "pjsua2 reads garbage for a call not created yet"
        return Port(self.slot, self.log, self.name)


def bridge(player: Player | None) -> tuple[Bridge, FakeLeg, FakeLeg]:
    worker: Any = SimpleNamespace(music=player, settings=SimpleNamespace(ring_timeout_s=30.0))
    setup = CallSetup(tenant_id="t1", caller="101", callee="102", kind="internal", record=True)
    b = Bridge(worker, BridgeRecord(setup=setup, call_id="c1", started_at=datetime.now(UTC)), "t1.example")
    log = player.log if player is not None else []
    a, bb = FakeLeg("a", 3, log), FakeLeg("b", 4, log)
    b.a, b.b = a, bb  # type: ignore[assignment]
    return b, a, bb


def test_a_hold_feeds_the_music_to_the_other_party_only_and_a_resume_stops_it() -> None:
    player = Player()
    br, a, _b = bridge(player)
    br.update_music()
    assert player.log == []
    a.held, a.media_active = True, False  # a's phone: re-INVITE a=sendonly
    br.update_music()
    # whatever a's phone still sends is cut from b, then b hears the music; a gets nothing
    assert player.log == [("a-x", "b", 4), ("music+", "b", 4)]
    br.update_music()  # another media event changes nothing
    assert len(player.log) == 2
    a.held, a.media_active = False, True  # resume
    br.update_music()
    assert player.log[2:] == [("music-", "b", 4)]
    assert br.music_to is None


def test_the_callee_holding_plays_it_to_the_caller_and_a_double_hold_to_nobody() -> None:
    player = Player()
    br, a, b = bridge(player)
    b.held, b.media_active = True, False
    br.update_music()
    assert player.log[-1] == ("music+", "a", 3)
    a.held, a.media_active = True, False  # a holds too: a receives nothing from us
    br.update_music()
    assert player.log[-1] == ("music-", "a", 3)
    assert br.music_wanted() is None


def test_a_port_that_is_gone_or_re_created_is_never_disconnected_by_its_old_slot() -> None:
    player = Player()
    br, a, b = bridge(player)
    a.held, a.media_active = True, False
    br.update_music()
    b.slot = 9  # b's re-INVITE re-created its port: slot 4 may be another call's now
    br.update_music()
    assert ("music-", "b", 4) not in player.log and ("music-", "b", 9) not in player.log
    assert player.log[-1] == ("music+", "b", 9) and br.music_slot == 9
    b.disconnected = True  # the waiting party hangs up: its port and connections are gone
    n = len(player.log)
    br.update_music()
    assert player.log[n:] == [] and br.music_to is None


def test_a_transferee_waits_for_the_target_with_music() -> None:
    player = Player()
    br, _a, b = bridge(player)
    target = FakeLeg("c", 7, player.log)
    target.media_active, target.replacing = False, b  # b transferred a
    target.call_id = -1  # inside the REFER callback: pjsua dials the new leg only after it
    br.b = target  # type: ignore[assignment]
    br.replaced.append(b)  # type: ignore[arg-type]
    br.update_music()
    target.call_id = 5  # 103 rings
    br.update_music()
    assert ("b-x", "a", 3) in player.log and player.log[-1] == ("music+", "a", 3)
    target.media_active = True  # 103 answered
    br.update_music()
    assert player.log[-1] == ("music-", "a", 3)


def test_no_player_no_music() -> None:
    br, a, _ = bridge(None)
    a.held, a.media_active = True, False
    br.update_music()
    assert br.music_to is None


def test_the_worker_makes_the_products_music_when_the_file_is_missing(tmp_path: Path) -> None:
    # Only the file part (a pjsua2 player needs a started Endpoint): ensure() is what
    # Worker.music_player calls before createPlayer.
    path = tmp_path / "edge" / "music-on-hold.wav"
    music.ensure(path)
    (s,), _ = read_channels(path)
    assert s == music.synthesize() and isinstance(s, array)
