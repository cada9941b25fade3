"""Scheduling of pjmedia's conference-bridge clock thread in a media worker.

That thread times every RTP packet the worker sends; under CPU contention it is the first
to fall behind, and the phones hear it as jitter (docs/benchmarks.md, section 2)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def tune_clock_thread(
    priority: int, cpu: int, task_dir: Path = Path("/proc/self/task"), wait_s: float = 2.0
) -> list[str]:
    """SCHED_FIFO ``priority`` (if > 0) and CPU affinity ``cpu`` (if >= 0) for pjmedia's
    bridge clock thread (named ``clock``) of this process; what was done, as log words.
    Refusals (no privilege, no such CPU) are reported, not raised: the worker still runs.
    The thread names itself once it runs, a moment after pjsua started it: wait for that."""
    done: list[str] = []
    if priority <= 0 and cpu < 0:
        return done
    deadline = time.monotonic() + wait_s
    tids = _clock_tids(task_dir)
    while not tids and time.monotonic() < deadline:
        time.sleep(0.01)
        tids = _clock_tids(task_dir)
    for tid in tids:
        if priority > 0:
            try:
                _fifo(tid, priority)
                done.append(f"fifo:{priority}")
            except OSError as exc:
                done.append(f"fifo refused: {exc.strerror}")
        if cpu >= 0:
            try:
                os.sched_setaffinity(tid, {cpu})
                done.append(f"cpu:{cpu}")
            except OSError as exc:
                done.append(f"cpu refused: {exc.strerror}")
    return done or ["no clock thread"]


def _fifo(tid: int, priority: int, settle_s: float = 0.3) -> None:
    """SCHED_FIFO ``priority`` for ``tid``, kept. The thread is named before its body runs,
    and pjmedia's clock thread then raises its own priority (``pj_thread_set_prio``, which on
    some machines leaves it SCHED_RR at another level): set, let it settle, set again while
    it moved (seen on CI's 2-core machine)."""
    deadline = time.monotonic() + settle_s
    while True:
        os.sched_setscheduler(tid, os.SCHED_FIFO, os.sched_param(priority))
        time.sleep(0.05)
        kept = os.sched_getscheduler(tid) == os.SCHED_FIFO and os.sched_getparam(tid).sched_priority == priority
        if time.monotonic() >= deadline and kept:
            return
        if time.monotonic() >= deadline + 2.0:
            return


def _clock_tids(task_dir: Path) -> list[int]:
    tids = []
    for task in sorted(task_dir.iterdir()):
        try:
            if (task / "comm").read_text().strip() == "clock":
                tids.append(int(task.name))
        except (OSError, ValueError):
            continue
    return tids
