"""Scheduling of pjmedia's conference-bridge clock thread in a media worker.

That thread times every RTP packet the worker sends; under CPU contention it is the first
to fall behind, and the phones hear it as jitter (docs/benchmarks.md, section 2)."""

from __future__ import annotations

import os
from pathlib import Path


def tune_clock_thread(priority: int, cpu: int, task_dir: Path = Path("/proc/self/task")) -> list[str]:
    """SCHED_FIFO ``priority`` (if > 0) and CPU affinity ``cpu`` (if >= 0) for pjmedia's
    bridge clock thread (named ``clock``) of this process; what was done, as log words.
    Refusals (no privilege, no such CPU) are reported, not raised: the worker still runs."""
    done: list[str] = []
    if priority <= 0 and cpu < 0:
        return done
    for task in sorted(task_dir.iterdir()):
        try:
            if (task / "comm").read_text().strip() != "clock":
                continue
        except OSError:
            continue
        tid = int(task.name)
        if priority > 0:
            try:
                os.sched_setscheduler(tid, os.SCHED_FIFO, os.sched_param(priority))
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
