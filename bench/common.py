"""Shared helpers of the benchmarks: process bookkeeping (everything started is stopped by
PID), SIPp runs with their statistics, CPU/RSS sampling from /proc, percentiles."""

from __future__ import annotations

import contextlib
import csv
import math
import os
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from infra.procs import LOCALHOST, ManagedProcess, free_port

SIPP = shutil.which("sipp") or "/usr/bin/sipp"
SCENARIOS = Path(__file__).resolve().parent / "sipp"
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
_PLACEHOLDER = re.compile(r"\{\{([A-Z_][A-Z0-9_]*)(?::([^}]*))?\}\}")  # {{NAME}} or {{NAME:default}}


class Procs:
    """Every process a benchmark starts; ``stop_all()`` stops them by PID (reverse order)."""

    def __init__(self) -> None:
        self.items: list[ManagedProcess] = []

    def add(self, p: ManagedProcess) -> ManagedProcess:
        self.items.append(p)
        return p

    def stop_all(self) -> None:
        while self.items:
            p = self.items.pop()
            with contextlib.suppress(Exception):
                p.stop(timeout=3)


@contextlib.contextmanager
def procs() -> Iterator[Procs]:
    ps = Procs()
    try:
        yield ps
    finally:
        ps.stop_all()


def percentile(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def render(name: str, out_dir: Path, params: Mapping[str, str | int] | None = None) -> Path:
    text = (SCENARIOS / name).read_text(encoding="utf-8")
    values = {k: str(v) for k, v in (params or {}).items()}
    out = out_dir / name

    def value(m: re.Match[str]) -> str:
        if m.group(1) in values:
            return values[m.group(1)]
        if m.group(2) is None:
            raise KeyError(f"{name}: no value for {{{{{m.group(1)}}}}}")
        return m.group(2)

    out.write_text(_PLACEHOLDER.sub(value, text), encoding="utf-8")
    return out


def write_csv(path: Path, rows: Sequence[Sequence[str]], order: str = "SEQUENTIAL") -> Path:
    path.write_text("\n".join([order] + [";".join(r) for r in rows]) + "\n", encoding="utf-8")
    return path


@dataclass
class SippStats:
    """From SIPp's -trace_stat file (cumulative counters, one line per -fd seconds)."""

    rows: list[dict[str, str]] = field(default_factory=list)

    @staticmethod
    def read(path: Path) -> SippStats:
        try:
            with path.open(newline="") as f:
                return SippStats([r for r in csv.DictReader(f, delimiter=";") if r])
        except OSError:
            return SippStats()

    @staticmethod
    def _t(row: dict[str, str]) -> float:
        # "ElapsedTime(C)" is "HH:MM:SS:uuuuuu" (or with ms); use the epoch column when there
        epoch = row.get("CurrentTime", "")
        parts = epoch.split()
        if len(parts) >= 3:
            with contextlib.suppress(ValueError):
                return float(parts[-1])
        h, m, s, *rest = (row.get("ElapsedTime(C)") or "0:0:0").split(":")
        return int(h) * 3600 + int(m) * 60 + float(s) + (float("0." + rest[0]) if rest else 0.0)

    def window(self, skip_s: float) -> tuple[float, int, int, int]:
        """(seconds, successful, failed, created) between the first row after ``skip_s``
        and the last row."""
        if len(self.rows) < 2:
            return (0.0, 0, 0, 0)
        t0 = self._t(self.rows[0])
        first = next((r for r in self.rows if self._t(r) - t0 >= skip_s), self.rows[0])
        last = self.rows[-1]
        if first is last:
            first = self.rows[0]

        def n(r: dict[str, str], k: str) -> int:
            return int(r.get(k) or 0)

        return (
            self._t(last) - self._t(first),
            n(last, "SuccessfulCall(C)") - n(first, "SuccessfulCall(C)"),
            n(last, "FailedCall(C)") - n(first, "FailedCall(C)"),
            n(last, "TotalCallCreated") - n(first, "TotalCallCreated"),
        )

    def totals(self) -> tuple[int, int]:
        if not self.rows:
            return (0, 0)
        last = self.rows[-1]
        return int(last.get("SuccessfulCall(C)") or 0), int(last.get("FailedCall(C)") or 0)

    def created(self) -> int:
        """Calls started (a client scenario's calls)."""
        return int(self.rows[-1].get("TotalCallCreated") or 0) if self.rows else 0


class Sipp:
    """One SIPp process with statistics (-trace_stat every second) and optionally response
    times per call (-trace_rtt)."""

    def __init__(
        self,
        scenario: str,
        target: tuple[str, int] | None,
        run_dir: Path,
        *,
        rows: Sequence[Sequence[str]] | None = None,
        params: Mapping[str, str | int] | None = None,
        port: int | None = None,
        extra: Sequence[str] = (),
        name: str = "",
    ) -> None:
        self.run_dir = run_dir
        run_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port("udp")
        xml = render(scenario, run_dir, params)
        self.stat_path = run_dir / "stats.csv"
        argv = [SIPP]
        if target is not None:
            argv.append(f"{target[0]}:{target[1]}")
        argv += [
            "-sf", str(xml), "-i", LOCALHOST, "-p", str(self.port), "-nostdin",
            "-trace_stat", "-stf", str(self.stat_path), "-fd", "1", "-buff_size", "4194304",
            "-trace_err", "-error_file", str(run_dir / "errors.log"),
            "-trace_screen", "-screen_file", str(run_dir / "screen.log"),
        ]  # fmt: skip
        if rows is not None:
            argv += ["-inf", str(write_csv(run_dir / "users.csv", rows))]
        argv += list(extra)
        self.proc = ManagedProcess(name or f"sipp-{Path(scenario).stem}", argv, run_dir / "sipp.log", cwd=run_dir)

    def start(self, ps: Procs) -> Sipp:
        ps.add(self.proc)
        self.proc.start()
        return self

    def wait(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.stop()
            return -999

    def stats(self) -> SippStats:
        return SippStats.read(self.stat_path)

    def rtts(self) -> list[float]:
        """Response times (ms) of rtd 1 per call from the -trace_rtt file."""
        out: list[float] = []
        for path in self.run_dir.glob("*_rtt.csv"):
            with path.open(newline="") as f:
                for row in csv.reader(f, delimiter=";"):
                    if len(row) >= 2:
                        with contextlib.suppress(ValueError):
                            out.append(float(row[1]))
        return out


# ---------------------------------------------------------------------------------------
# /proc sampling


def _stat_fields(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_ticks(pid: int) -> int:
    f = _stat_fields(pid)
    return int(f[11]) + int(f[12])


def rss_mb(pid: int) -> float:
    return int(_stat_fields(pid)[21]) * PAGE / 1e6


def group_pids(pgid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
                if os.getpgid(int(d.name)) == pgid:
                    out.append(int(d.name))
    return out


def machine_busy_ticks() -> int:
    """CPU ticks of the whole machine spent on anything but idle / iowait (/proc/stat). The
    kernel samples these at its tick, so short wake-ups (RTP threads) can be under-counted
    relative to the per-process counters."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(f[:8]) - f[3] - f[4]  # guest time is already in user


class CpuMeter:
    """CPU % (of one core) and peak RSS of process groups between start() and stop(), and
    under ``machine`` the whole machine's busy CPU (same unit: 200 = both cores of a
    2-core machine), so what other jobs took during the run shows."""

    def __init__(self, groups: Mapping[str, int]) -> None:
        self.groups = dict(groups)
        self.t0 = 0.0
        self.ticks0: dict[str, int] = {}
        self.machine0 = 0
        self.peak_rss: dict[str, float] = {k: 0.0 for k in groups}

    def _ticks(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for name, pgid in self.groups.items():
            total = 0
            rss = 0.0
            for pid in group_pids(pgid):
                with contextlib.suppress(OSError, ValueError, IndexError):
                    total += cpu_ticks(pid)
                    rss += rss_mb(pid)
            out[name] = total
            self.peak_rss[name] = max(self.peak_rss[name], rss)
        return out

    def start(self) -> None:
        self.t0 = time.monotonic()
        self.ticks0 = self._ticks()
        self.machine0 = machine_busy_ticks()

    def sample(self) -> None:
        self._ticks()

    def stop(self) -> dict[str, float]:
        ticks = self._ticks()
        ticks["machine"] = machine_busy_ticks()
        self.ticks0["machine"] = self.machine0
        dt = max(time.monotonic() - self.t0, 1e-6)
        return {k: round(100.0 * (ticks[k] - self.ticks0.get(k, 0)) / TICKS / dt, 1) for k in ticks}
