"""The edge side of live events (edge_node/live.py): the worker's event writer and the agent's
event shipper against scripted control-plane answers: batches of at most 100, offsets kept
across a restart (nothing lost, nothing posted twice), retries with backoff on 5xx and
timeouts, refused events dropped, a malformed batch set aside, files removed once read, the
heartbeat. The real worker and agent against the real control plane: tests/integration/
test_live_edge.py."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from edge_node import live
from pbx_core import events as ev
from pbx_core.bridge import BridgeRecord, CallSetup

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def _rec(call: str = "c1", kind: str = "internal") -> BridgeRecord:
    setup = CallSetup(tenant_id="t_1", caller="101", callee="102", kind=kind, record=True)
    return BridgeRecord(setup=setup, call_id=call, started_at=T0)


def _event(call: str = "c1", kind: str = ev.RINGING, rec: BridgeRecord | None = None) -> ev.CallEvent:
    return live.build_event(rec or _rec(call), kind, at=T0, parties=("101", "102"), edge_id="e1", worker_id="w1")


class FakeApi:
    """/edge/v1/events from a script: a queue of answers (status codes, exceptions), then 200."""

    def __init__(self) -> None:
        self.script: list[int | Exception] = []
        self.bodies: list[dict[str, Any]] = []
        self.refuse: set[str] = set()
        self.stored: dict[str, int] = {}

    def handler(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        if self.script:
            step = self.script.pop(0)
            if isinstance(step, Exception):
                raise step
            return httpx.Response(step, json={"error": {"code": "x", "fields": {"events.0.kind": "bad"}}})
        results = []
        for e in body["events"]:
            if e["call_id"] in self.refuse:
                results.append({"id": e["id"], "status": "refused", "code": "tenant_not_served"})
                continue
            dup = e["id"] in self.stored
            self.stored[e["id"]] = self.stored.get(e["id"], 0) + 1
            results.append({"id": e["id"], "status": "duplicate" if dup else "created", "seq": len(self.stored)})
        return httpx.Response(200, json={"results": results})

    def posted(self) -> list[str]:
        return [e["id"] for b in self.bodies for e in b["events"]]


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _shipper(folder: Path, api: FakeApi, clock: Clock | None = None, **kw: Any) -> live.EventShipper:
    client = httpx.Client(base_url="http://cp", transport=httpx.MockTransport(api.handler))
    return live.EventShipper(folder, http=lambda: client, clock=clock or Clock(), **kw)


def _write(folder: Path, events: list[ev.CallEvent], writer: str = "w1") -> live.EventWriter:
    w = live.EventWriter(folder, writer).start()
    for e in events:
        w.emit(e)
    w.close()
    return w


def test_events_go_in_order_in_batches_of_at_most_100_and_the_file_goes(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    events = [_event(f"c{i // 3}", (ev.RINGING, ev.ANSWERED, ev.ENDED)[i % 3]) for i in range(250)]
    assert _write(folder, events).written == 250
    assert [p.name.endswith(".jsonl") for p in folder.iterdir()] == [True]  # closed by the writer
    api = FakeApi()
    s = _shipper(folder, api)
    while s.step():
        pass
    assert [len(b["events"]) for b in api.bodies] == [100, 100, 50]
    assert api.posted() == [e.id for e in events]  # the order they happened
    for b in api.bodies:  # what the control plane validates
        assert len(ev.batch_from_dict(b).events) == len(b["events"])
    s.step()
    assert not [p for p in folder.iterdir() if p.name != live.OFFSETS], "a fully posted, closed file stays"


def test_offsets_survive_a_restart_nothing_lost_nothing_twice(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    w = live.EventWriter(folder, "w1").start()
    first = [_event(f"a{i}") for i in range(30)]
    for e in first:
        w.emit(e)
    _wait(lambda: w.written == 30)
    api = FakeApi()
    s = _shipper(folder, api)
    assert s.step() == 30
    # The agent restarts; the worker (still up, its file still open) writes more meanwhile.
    later = [_event(f"b{i}") for i in range(20)]
    for e in later:
        w.emit(e)
    _wait(lambda: w.written == 50)
    again = _shipper(folder, api)
    assert again.step() == 20
    assert api.posted() == [e.id for e in first + later]
    assert max(api.stored.values()) == 1
    w.close()
    again.step()
    assert not list(folder.glob("*.jsonl*")), "the closed, posted file was not removed"


def test_5xx_and_timeouts_retry_the_same_events_with_backoff(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    events = [_event(f"c{i}") for i in range(5)]
    _write(folder, events)
    api, clock = FakeApi(), Clock()
    api.script = [503, httpx.ReadTimeout("slow"), 502]
    s = _shipper(folder, api, clock, max_backoff_s=60)
    delays = []
    for _ in range(3):
        assert s.step() == 0
        delays.append(s.not_before - clock.t)
        assert s.step() == 0  # waiting: nothing posted before the backoff ends
        clock.t = s.not_before
    assert delays == [0.5, 1.0, 2.0]
    assert s.step() == 5
    assert len(api.bodies) == 4 and all([e["id"] for e in b["events"]] == [e.id for e in events] for b in api.bodies)
    assert s.attempts == 0 and s.not_before == 0.0


def test_refused_events_are_dropped_with_a_log_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "events"
    _write(folder, [_event("mine"), _event("theirs"), _event("mine2")])
    api = FakeApi()
    api.refuse = {"theirs"}
    s = _shipper(folder, api)
    with caplog.at_level("WARNING", logger="probox.events"):
        assert s.step() == 3
    assert s.refused == 1
    [line] = [r for r in caplog.records if "refused" in r.getMessage()]
    assert line.__dict__["call_id"] == "theirs" and line.__dict__["code"] == "tenant_not_served"
    s.step()
    assert len(api.bodies) == 1, "a refused event was posted again"


def test_a_malformed_batch_is_set_aside_not_retried(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    _write(folder, [_event("c1"), _event("c2")])
    api = FakeApi()
    api.script = [400]
    s = _shipper(folder, api)
    assert s.step() == 2 and s.rejected == 2
    assert len((folder / live.REJECTED).read_text().splitlines()) == 2
    assert s.step() == 0 and len(api.bodies) == 1


def test_a_half_written_line_waits_and_a_dead_writers_leftovers_go(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    folder.mkdir()
    line = json.dumps(_event("c1").to_dict()).encode() + b"\n"
    # A worker killed mid-write: its file still .open, a pid that no longer runs.
    dead = folder / f"w9-999999-1-000001{live.OPEN_SUFFIX}"
    dead.write_bytes(line + line[:40])
    api = FakeApi()
    s = _shipper(folder, api)
    assert s.step() == 1
    s.step()
    assert not dead.exists()
    # A live writer's half line is not read until it is complete.
    live_file = folder / f"w1-{os.getpid()}-0-000001{live.OPEN_SUFFIX}"
    other = json.dumps(_event("c2").to_dict()).encode() + b"\n"
    live_file.write_bytes(other[:50])
    assert s.step() == 0
    with live_file.open("ab") as f:
        f.write(other[50:])
    assert s.step() == 1
    assert api.posted()[-1] == json.loads(other)["id"]


def _recorded_sleep(clock: Clock) -> tuple[list[float], Callable[[float], None]]:
    """A sleep that moves the fake clock and records each wait (ms precision)."""
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(round(seconds, 3))
        clock.t += seconds

    return sleeps, sleep


def test_the_window_counts_from_the_start_of_the_previous_post(tmp_path: Path) -> None:
    """After idling, the first events wait the whole window (a burst goes in one post);
    events that came while a post was out wait only what is left of the window since that
    post began: none after a post longer than the window, so a steady flow is not held back
    100 ms more each round; posts still start at least a window apart."""
    folder = tmp_path / "events"
    clock = Clock()
    sleeps, sleep = _recorded_sleep(clock)

    api = FakeApi()
    post_s = [0.15, 0.03, 0.01]

    def slow(request: httpx.Request) -> httpx.Response:
        clock.t += post_s[len(api.bodies)]
        if len(api.bodies) < 2:  # an event comes while each of the first two posts is out
            _write(folder, [_event(f"during-{len(api.bodies)}")], writer=f"w{len(api.bodies)}")
        return api.handler(request)

    _write(folder, [_event("first")], writer="w")
    client = httpx.Client(base_url="http://cp", transport=httpx.MockTransport(slow))
    s = live.EventShipper(folder, http=lambda: client, clock=clock, sleep=sleep)
    s.run(lambda: len(api.bodies) == 3)
    assert [len(b["events"]) for b in api.bodies] == [1, 1, 1]
    # the window; none after the 0.15 s post; what is left of it after the 0.03 s post
    assert sleeps == [s.window_s, 0.07]
    assert clock.t == 1000.0 + 0.1 + 0.15 + 0.03 + 0.07 + 0.01


def test_only_a_round_that_posted_nothing_waits_poll_s(tmp_path: Path) -> None:
    """After a post the shipper looks again at once (what came meanwhile has its window);
    with nothing to post it waits poll_s between looks."""
    folder = tmp_path / "events"
    clock = Clock()
    sleeps, sleep = _recorded_sleep(clock)

    api = FakeApi()
    _write(folder, [_event("first")], writer="w")
    s = _shipper(folder, api, clock, sleep=sleep)
    rounds = iter(range(4))
    s.run(lambda: next(rounds, None) is None)
    assert len(api.bodies) == 1
    assert sleeps == [s.window_s, s.poll_s, s.poll_s, s.poll_s]  # window and post, then nothing three times


def test_the_heartbeat_carries_the_edge_block_every_15_s(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    api, clock = FakeApi(), Clock()
    health = ev.EdgeHealth(calls_now=3, version="0.1.0", snapshot_version=7, last_pull_at="2026-03-04T05:06:07.000Z")
    s = _shipper(folder, api, clock, health=lambda: health, heartbeat_s=15)
    s.step()
    assert api.bodies == [{"events": [], "edge": health.to_dict()}]
    clock.t += 10
    s.step()
    assert len(api.bodies) == 1
    clock.t += 5
    s.step()
    assert len(api.bodies) == 2 and "edge" in api.bodies[1]


def test_built_events_carry_the_call_its_parties_and_the_cdrs_disposition() -> None:
    rec = _rec("c1", "inbound")
    rec = BridgeRecord(
        setup=rec.setup.__class__(**{**rec.setup.__dict__, "trunk_id": "tr_1"}), call_id="c1", started_at=T0
    )
    answered = rec.answered(T0 + timedelta(seconds=2))
    ended = answered.ended(T0 + timedelta(seconds=9), 200, "caller")
    q = live.quality_of(live.RtpCounters(400, 400, 4, 2500.0, 40_000.0), talk_s=7)
    e = live.build_event(
        ended, ev.ENDED, at=T0 + timedelta(seconds=9), parties=("0901234567", "103"), quality=(q, None),
        edge_id="e1", worker_id="w1",
    )  # fmt: skip
    assert ev.from_dict(e.to_dict()) == e  # valid on the wire
    assert e.disposition == "answered" and e.hangup_cause == "normal_clearing"
    assert e.ended_at == "2026-03-04T05:06:16.000Z" and e.answered_at == "2026-03-04T05:06:09.000Z"
    assert e.legs[0].direction == "inbound" and e.legs[0].trunk_id == "tr_1"
    assert e.parties() == {"0901234567", "103"}
    assert q.packets_lost == 4 and q.jitter_ms == 2.5 and q.rtt_ms == 40.0 and q.mos is not None and q.mos > 4
    missed = _rec("c2").ended(T0 + timedelta(seconds=30), 480, "system", timed_out=True)
    e2 = live.build_event(missed, ev.ENDED, at=T0, parties=("101", "102"), edge_id="e1", worker_id="w1")
    assert e2.disposition == "no_answer" and e2.answered_at is None


def test_one_way_audio_only_when_nothing_came_back_for_seconds() -> None:
    nothing_back = live.RtpCounters(rx_packets=0, tx_packets=300, rx_lost=0, jitter_us=0, rtt_us=None)
    assert live.quality_of(nothing_back, talk_s=6).one_way_audio
    assert not live.quality_of(nothing_back, talk_s=1).one_way_audio  # too early to say
    both = live.RtpCounters(rx_packets=300, tx_packets=300, rx_lost=0, jitter_us=1000, rtt_us=None)
    assert not live.quality_of(both, talk_s=6).one_way_audio


def _wait(pred: Any, timeout: float = 5.0) -> None:
    import time

    end = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < end, "not in time"
        time.sleep(0.005)
