"""edge_node.sched.tune_clock_thread: SCHED_FIFO and CPU pinning for the thread named
``clock`` (pjmedia's bridge clock), checked on a real thread of this process."""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator

import pytest

from edge_node.sched import tune_clock_thread

pytestmark = pytest.mark.unit

PR_SET_NAME = 15


@pytest.fixture
def clock_thread() -> Iterator[int]:
    """A thread of this process named ``clock`` (as pjmedia names its own); its TID."""
    ready = threading.Event()
    stop = threading.Event()
    tid: list[int] = []

    def run() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, b"clock", 0, 0, 0)
        tid.append(threading.get_native_id())
        ready.set()
        stop.wait(30)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    assert ready.wait(5)
    yield tid[0]
    stop.set()
    t.join(5)


def test_nothing_asked_nothing_done(clock_thread: int) -> None:
    assert tune_clock_thread(0, -1) == []
    assert os.sched_getscheduler(clock_thread) == os.SCHED_OTHER


def test_the_clock_thread_is_pinned_and_the_others_are_not(clock_thread: int) -> None:
    before = os.sched_getaffinity(0)
    cpu = min(before)
    assert tune_clock_thread(0, cpu) == [f"cpu:{cpu}"]
    assert os.sched_getaffinity(clock_thread) == {cpu}
    assert os.sched_getaffinity(threading.get_native_id()) == before  # the caller's thread untouched


def test_real_time_priority_when_allowed(clock_thread: int) -> None:
    done = tune_clock_thread(5, -1)
    if done == ["fifo:5"]:
        assert os.sched_getscheduler(clock_thread) == os.SCHED_FIFO
        assert os.sched_getparam(clock_thread).sched_priority == 5
        assert os.sched_getscheduler(threading.get_native_id()) == os.SCHED_OTHER
    else:  # without root / LimitRTPRIO: reported, not raised, and nothing changed
        assert done and done[0].startswith("fifo refused"), done
        assert os.sched_getscheduler(clock_thread) == os.SCHED_OTHER


def test_a_cpu_that_does_not_exist_is_reported_not_raised(clock_thread: int) -> None:
    before = os.sched_getaffinity(clock_thread)
    done = tune_clock_thread(0, 4095)
    assert done and done[0].startswith("cpu refused"), done
    assert os.sched_getaffinity(clock_thread) == before


def test_no_clock_thread_is_said(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "123").mkdir()
    (tmp_path / "123" / "comm").write_text("python\n")
    assert tune_clock_thread(0, 0, task_dir=tmp_path, wait_s=0.05) == ["no clock thread"]


def test_fifo_is_kept_when_the_thread_raises_its_own_priority_after_its_name() -> None:
    """pjmedia's clock thread is named before its body runs, and the body then raises its own
    priority (CI saw it end SCHED_RR): the tuning outlasts that."""
    ready, stop = threading.Event(), threading.Event()
    tid: list[int] = []

    def run() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, b"clock", 0, 0, 0)
        tid.append(threading.get_native_id())
        ready.set()
        stop.wait(0.1)
        try:  # as pj_thread_set_prio might
            os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(os.sched_get_priority_max(os.SCHED_RR)))
        except OSError:
            pass
        stop.wait(30)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    assert ready.wait(5)
    try:
        done = tune_clock_thread(7, -1)
        if done != ["fifo:7"]:
            pytest.skip(f"no real-time privilege here: {done}")
        time.sleep(0.3)  # after the thread's own change
        assert os.sched_getscheduler(tid[0]) == os.SCHED_FIFO
        assert os.sched_getparam(tid[0]).sched_priority == 7
    finally:
        stop.set()
        t.join(5)
