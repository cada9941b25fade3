"""A queue prompt pjsua refuses (PJ_ETOOMANY: the build's 256 players all in use, seen with
~1,000 waiting callers announced at once) is not lost: the caller keeps the music, the
worker counts and logs the refusal, and its queue tick tries the prompt again
(media_worker.Bridge.announce / retry_prompt), with fake legs, player and announcer."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pjsua2 as pj
import pytest

from edge_node import media_worker as mw
from pbx_core.bridge import BridgeRecord, CallSetup
from tests.unit.test_music_on_hold import FakeLeg, Player

pytestmark = pytest.mark.unit

PJ_ETOOMANY = 70010  # PJ_ERRNO_START_STATUS + 10


class FakeAnnouncer:
    """Stands for mw.Announcer: refused while ``free`` players are 0, as pjsua_playlist_create."""

    free: ClassVar[int] = 0
    made: ClassVar[list[FakeAnnouncer]] = []

    def __init__(self, then_hang_up: bool) -> None:
        self.then_hang_up = then_hang_up
        self.done = False
        self.files: list[str] = []
        self.to: list[str] = []

    def createPlaylist(self, files: list[str], label: str, options: int) -> None:
        if FakeAnnouncer.free <= 0:
            err = pj.Error()
            err.status, err.reason = PJ_ETOOMANY, "Too many objects of the specified type (PJ_ETOOMANY)"
            raise err
        FakeAnnouncer.free -= 1
        self.files = files
        FakeAnnouncer.made.append(self)

    def startTransmit(self, sink: Any) -> None:
        self.to.append(sink.name)

    def stopTransmit(self, sink: Any) -> None:
        pass


@pytest.fixture
def waiting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[mw.Bridge, Player, list[Path]]:
    """A queue caller waiting with the music; one prompt file."""
    monkeypatch.setattr(mw, "Announcer", FakeAnnouncer)
    FakeAnnouncer.free, FakeAnnouncer.made = 0, []
    player = Player()
    worker: Any = SimpleNamespace(
        music=player, settings=SimpleNamespace(ring_timeout_s=30.0), prompts_refused=0, prompts_replayed=0
    )
    setup = CallSetup(tenant_id="t1", caller="0912345678", callee="600", kind="inbound", record=False, queue_id="q1")
    b = mw.Bridge(worker, BridgeRecord(setup=setup, call_id="c1", started_at=datetime.now(UTC)), "t1.example")
    b.a = FakeLeg("a", 3, player.log)  # type: ignore[assignment]
    b.update_music()
    assert player.log == [("music+", "a", 3)]
    prompt = tmp_path / "place.wav"
    prompt.write_bytes(b"RIFF")
    return b, player, [prompt]


def test_a_refused_announcement_keeps_the_music_and_is_played_at_the_next_tick(
    waiting: tuple[mw.Bridge, Player, list[Path]],
) -> None:
    b, player, files = waiting
    assert b.announce(files) is True  # refused, but it will be said
    assert b.announcer is None and b.music_to is b.a  # the caller still hears the music
    assert b.worker.prompts_refused == 1 and b.prompt_retry == (files, False, 1)

    b.retry_prompt(b.prompt_retry_at - mw.PROMPT_RETRY_S / 2)  # not yet
    assert FakeAnnouncer.made == [] and b.prompt_retry is not None
    FakeAnnouncer.free = 1  # a player was freed meanwhile
    b.retry_prompt(b.prompt_retry_at)
    assert [x.files for x in FakeAnnouncer.made] == [[str(files[0])]]
    assert b.announcer is FakeAnnouncer.made[0] and FakeAnnouncer.made[0].to == ["a"]
    assert player.log[-1] == ("music-", "a", 3)  # paused for the prompt
    assert b.prompt_retry is None and (b.worker.prompts_refused, b.worker.prompts_replayed) == (1, 1)
    b.announcer.done = True
    b.announcement_over()
    assert player.log[-1] == ("music+", "a", 3)  # and back after it


def test_a_refused_announcement_is_tried_until_it_plays_or_is_no_longer_wanted(
    waiting: tuple[mw.Bridge, Player, list[Path]], caplog: pytest.LogCaptureFixture
) -> None:
    b, player, files = waiting
    caplog.set_level(logging.DEBUG, logger=mw.log.name)
    assert b.announce(files) is True
    for _ in range(3 * mw.PROMPT_TRIES):  # players stay busy: tried again and again, music meanwhile
        b.retry_prompt(b.prompt_retry_at)
    assert b.worker.prompts_refused == 3 * mw.PROMPT_TRIES + 1 and b.prompt_retry is not None
    refused = [r for r in caplog.records if r.getMessage().startswith("prompt not played")]
    assert len(refused) == 3 * mw.PROMPT_TRIES + 1  # each one logged and counted...
    assert [r.levelno for r in refused].count(logging.WARNING) == 1  # ...one warning, not a flood
    assert getattr(refused[-1], "refused_total", 0) == 3 * mw.PROMPT_TRIES + 1
    assert player.log == [("music+", "a", 3)] and b.music_to is b.a  # never cut

    # The queue's next announcement (a newer place in line) replaces the one waiting.
    newer = [files[0].with_name("newer.wav")]
    newer[0].write_bytes(b"RIFF")
    assert b.announce(newer) is True and b.prompt_retry == (newer, False, 1)

    # An agent answers while a retry waits: the announcement is dropped, not played over the talk.
    b.queue_waiting = False
    FakeAnnouncer.free = 1
    b.retry_prompt(b.prompt_retry_at)
    assert FakeAnnouncer.made == [] and b.prompt_retry is None


def test_a_refused_last_word_is_retried_and_the_call_ends_only_without_it(
    waiting: tuple[mw.Bridge, Player, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    b, _player, files = waiting
    hung: list[Any] = []
    monkeypatch.setattr(mw, "_hangup", lambda leg, prm: hung.append(leg))
    b.queue_waiting = False  # e.g. the "closed" sentence of an overflow
    assert b.announce(files, then_hang_up=True) is True  # the caller's code does not hang up yet
    for _ in range(mw.PROMPT_TRIES - 2):
        b.retry_prompt(b.prompt_retry_at)
    assert hung == [] and b.prompt_retry is not None
    FakeAnnouncer.free = 1
    b.retry_prompt(b.prompt_retry_at)
    assert b.announcer is not None and b.announcer.then_hang_up and hung == []  # said, then the end

    # Refused again while a prompt plays (not a case the worker makes today): it waits
    # for its end instead of cutting it or hanging up.
    FakeAnnouncer.free = 0
    b.prompt_retry, b.prompt_retry_at = (files, True, 1), 0.0
    b.retry_prompt(1.0)
    assert hung == [] and b.prompt_retry == (files, True, 1) and b.prompt_retry_at > 1.0

    b.announcer = None
    assert b.announce(files, then_hang_up=True) is True
    for _ in range(mw.PROMPT_TRIES - 1):
        b.retry_prompt(b.prompt_retry_at)
    assert hung == [b.a]  # never said: the call ends as it would have without prompts


def test_an_overflow_drops_a_refused_announcement_of_the_queue(
    waiting: tuple[mw.Bridge, Player, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caller overflowing (here: out, no prompts) does not hear its old place in line later."""
    b, _player, files = waiting
    hung: list[Any] = []
    monkeypatch.setattr(mw, "_hangup", lambda leg, prm: hung.append(leg))
    b.worker.queues = SimpleNamespace(tenants={})
    b.worker.prompt = lambda stem, lang: []
    b.worker.queue_prompt = lambda bridge, stem: []
    assert b.announce(files) is True and b.prompt_retry is not None
    b.overflow("", "timeout")
    assert b.prompt_retry is None and hung == [b.a]
