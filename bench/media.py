"""Bench 2: concurrent bridged and recorded calls through the edge (KEMI) and pjsua2
media workers, stepped. SIPp plays caller and callee, both streaming G.711 A-law RTP with
``rtp_stream`` (cheaper than play_pcap_audio). Per step: failed calls, CPU and RSS per
process, and whether every recording is complete (each party's WAV within 1 s of the
CDR's talk time).

With ``capture`` (needs tcpdump), one stream in four is captured on the loopback (RTP
headers only) for all but the last 2 s of each step's plateau, and ``bench.rtpstats``
computes the packet loss, the jitter and the sending rate at the receivers (SIPp caller
and callee, fed by the worker) against the same figures for the packets the SIPp senders
put on the wire (measured at the worker's ports).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import time
import wave
from pathlib import Path
from typing import Any

from bench import rtpstats
from bench.common import CpuMeter, Procs, Sipp
from bench.edge import make_snapshot, register_all, start_edge, start_worker, user_rows, write_snapshot
from infra.procs import LOCALHOST, ManagedProcess, free_port, free_port_block

SETUP_RATE = 50  # calls/s while a step ramps up
# RTP ports per worker: 2 legs x (RTP + RTCP) per call, and room to spare: pjsua hands out
# its range round robin, so a range nearly full makes every new call try ports still in use
# (the failed binds cost, and at 2,048 ports for 500 calls some calls found no pair at all).
RTP_PORTS_PER_CALL = 8
PORT_LO, PORT_HI = 10000, 32000  # below the kernel's ephemeral range


def make_audio(path: Path, seconds: float) -> Path:
    """A G.711 A-law mono 8 kHz WAV tone for rtp_stream."""
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", "-e", "a-law", str(path), "synth", f"{seconds:g}", "sine", "440"],
        check=True,
        capture_output=True,
    )
    return path


def _wav_seconds(path: Path) -> float | None:
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / float(w.getframerate())
    except (OSError, EOFError, wave.Error):
        return None


def recordings_check(spools: list[Path], since: set[str]) -> dict[str, Any]:
    """CDRs written after ``since`` and whether both recordings of each are complete."""
    complete = 0
    incomplete = 0
    shortfalls: list[float] = []
    n = 0
    for spool in spools:
        for cdr_path in (spool / "cdr").glob("*.json"):
            if str(cdr_path) in since:
                continue
            try:
                cdr = json.loads(cdr_path.read_text())
            except (OSError, ValueError):
                continue
            if cdr.get("disposition") != "answered":
                continue
            n += 1
            talk = float(cdr.get("duration_s") or 0.0)
            key = cdr_path.stem
            lengths = [_wav_seconds(spool / "rec" / f"{key}.{side}.wav") for side in ("caller", "callee")]
            ok = all(x is not None and abs(x - talk) <= 1.0 for x in lengths)
            for x in lengths:
                shortfalls.append(talk - (x or 0.0))
            complete += ok
            incomplete += not ok
    shortfalls.sort()
    return {
        "cdrs": n,
        "recordings_complete": complete,
        "recordings_incomplete": incomplete,
        "max_shortfall_s": round(shortfalls[-1], 3) if shortfalls else None,
    }


TCPDUMP = shutil.which("tcpdump")


def port_blocks(sizes: list[int]) -> list[int]:
    """Bases of UDP port blocks of these sizes, free now and not overlapping each other
    (ports are bound lazily by pjsua and SIPp, so blocks must be kept apart here)."""
    for _ in range(50):
        bases: list[int] = []
        for n in sizes:
            for _ in range(50):
                b = free_port_block(n, start=PORT_LO, end=PORT_HI)
                if all(b + n <= ob or ob + on <= b for ob, on in zip(bases, sizes, strict=False)):
                    bases.append(b)
                    break
            else:
                break
        if len(bases) == len(sizes):
            return bases
    raise RuntimeError("no free, non-overlapping port blocks")


# One stream in four is captured (port = 0 mod 8; pjsua and SIPp pick even RTP ports at
# random), for most of the plateau: a p99 over ~1,200 ticks instead of the ~250 of 5 s (where
# it was the third-worst tick of the step), at the capture and analysis cost of 6 s of all.
SAMPLE_PORT_MASK = 7


class Capture:
    """tcpdump of the RTP headers sent to the given port ranges, analysed after the step
    (not while the calls it measures still run). ``ranges`` maps a group to its ranges and
    to the port that tells one stream from another there: "dst" at the worker's RTP ports,
    "src" at the receivers (SIPp receives every call on one port)."""

    def __init__(self, ps: Procs, path: Path, ranges: dict[str, tuple[list[tuple[int, int]], str]]) -> None:
        self.path = path
        self.ranges = ranges
        parts = [
            f"(dst portrange {a}-{b} and udp[{0 if by == 'src' else 2}:2] & {SAMPLE_PORT_MASK} = 0)"
            for rs, by in ranges.values()
            for a, b in rs
        ]
        self.proc = ManagedProcess(
            "tcpdump",
            [TCPDUMP or "tcpdump", "-i", "lo", "-n", "-s", "64", "-B", "65536", "-w", str(path),
             "udp and (" + " or ".join(parts) + ")"],
            path.with_suffix(".log"),
        )  # fmt: skip
        ps.add(self.proc)
        self.proc.start()

    def stop(self) -> None:
        if self.proc.returncode is None:  # once: the group's pid must not be signalled again
            self.proc.stop(timeout=5)

    def analyse(self) -> tuple[dict[str, Any], int | None]:
        """Per group loss/jitter/rate, and tcpdump's kernel drop count."""
        self.stop()
        log = self.path.with_suffix(".log").read_text(errors="replace")
        m = re.search(r"(\d+) packets? dropped by kernel", log)

        def classify(port: int) -> str | None:
            for group, (rs, _by) in self.ranges.items():
                if any(a <= port <= b for a, b in rs):
                    return group
            return None

        groups = rtpstats.analyse(self.path, classify)
        with contextlib.suppress(OSError):
            self.path.unlink()  # can be large; the figures are kept
        return {g: s.as_dict() for g, s in groups.items()}, int(m.group(1)) if m else None


def _existing(spools: list[Path]) -> set[str]:
    return {str(p) for s in spools for p in (s / "cdr").glob("*.json")}


# Only the bridge clock: it times every packet the worker sends, while a late receive only
# waits in the jitter buffer (a real-time RTP thread also wakes for every packet instead of
# draining a batch per wake-up: +25-45 % worker CPU, measured 2026-11-26).
RT_CLOCK_PRIORITY = 20


# SIPp shares the cores it loads: starved of CPU, its rtp_stream sends late (not less), so the
# worker carried fewer packets than n calls make. Such a step is not n calls' load.
MIN_SENDER_RATE_PCT = 99.0


def meets_rtp(step: dict[str, Any]) -> bool:
    """The issue's media criterion at the receivers: < 0.1 % loss and jitter p99 < 2 ms,
    measured by a capture that dropped nothing, with the SIPp senders keeping their rate."""
    rtp = step.get("rtp") or {}
    rx = rtp.get("at_receiver") or {}
    loss, jit = rx.get("loss_pct"), rx.get("jitter_p99_ms")
    rate = (rtp.get("at_worker") or {}).get("rate_pct")
    return (
        loss is not None
        and jit is not None
        and not step.get("capture_drops")
        and loss < 0.1
        and jit < 2.0
        and (rate is None or rate >= MIN_SENDER_RATE_PCT)  # None: steps measured before the rate was
    )


def realtime_threads(pid: int) -> list[str]:
    """The worker's bridge ``clock`` threads that run SCHED_FIFO, with their CPUs (the worker
    sets them itself from ``--rt-clock-priority`` / ``--clock-cpu``): checked, not assumed."""
    done = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            if (task / "comm").read_text().strip() != "clock":
                continue
            tid = int(task.name)
            if os.sched_getscheduler(tid) == os.SCHED_FIFO:
                done.append(f"clock:{tid}:cpu{','.join(map(str, sorted(os.sched_getaffinity(tid))))}")
        except (OSError, ValueError):
            continue
    return done


def ladder(
    work: Path,
    *,
    workers: int,
    steps: list[int],
    call_s: float,
    n_users: int,
    stop_failed_pct: float = 5.0,
    rt: bool = False,
    capture: bool = False,
) -> list[dict[str, Any]]:
    snap = make_snapshot(n_users, record=True)
    snapshot_path = work / "snapshot.json"
    write_snapshot(snapshot_path, snap)
    rows = user_rows(n_users)
    audio = make_audio(work / "tone-alaw.wav", 10.0)  # looped by rtp_stream
    results: list[dict[str, Any]] = []
    ps = Procs()
    try:
        worker_ports = [free_port("udp") for _ in range(workers)]
        edge = start_edge(ps, "kemi", work, snapshot_path, snap, [(LOCALHOST, p) for p in worker_ports], children=4)
        # one block of free UDP ports, split: worker RTP ranges, then the callee's and the
        # caller's SIPp media ports (ports are bound lazily, so separate random blocks could overlap)
        max_n = max(steps)
        sipp_ports = 2 * max_n + 16  # rtp_stream: RTP + RTCP per call
        rtp_ports = min(4096, RTP_PORTS_PER_CALL * -(-max_n // workers)) & ~1
        bases = port_blocks([rtp_ports] * workers + [sipp_ports, sipp_ports])
        cores = os.cpu_count() or 1
        ws = [
            start_worker(
                ps, work, edge.port, p, f"m{workers}-{i}", rtp_range=rtp_ports, rtp_base=bases[i - 1],
                extra=["--rt-clock-priority", str(RT_CLOCK_PRIORITY), "--clock-cpu", str((i - 1) % cores)]
                if rt else [],
            )
            for i, p in enumerate(worker_ports, start=1)
        ]  # fmt: skip
        callee_mp, callee_mp_n = bases[workers], sipp_ports
        caller_mp, caller_mp_n = bases[workers + 1], sipp_ports
        spools = [work / f"spool-m{workers}-{i}" for i in range(1, workers + 1)]
        rt_threads = [x for w in ws for x in realtime_threads(w.pid or 0)] if rt else []
        if rt and len(rt_threads) != len(ws):
            raise RuntimeError(f"real-time bridge clocks asked for, found {rt_threads}")
        callee_port = free_port("udp")
        rc = register_all(ps, edge.port, work, rows, callee_port)
        if rc != 0:
            raise RuntimeError(f"registering the callees failed (sipp rc={rc})")
        uas = Sipp(
            "uas_rtp.xml",
            None,
            work / "callee-uas",
            port=callee_port,
            params={"AUDIO": str(audio)},
            extra=["-mp", str(callee_mp)],
        )
        worker_ranges = []
        for w in ws:
            base = int(w.argv[w.argv.index("--rtp-port") + 1])
            worker_ranges.append((base, base + rtp_ports - 1))
        uas.start(ps)
        time.sleep(0.5)
        for n in steps:
            since = _existing(spools)
            ramp = n / SETUP_RATE
            caller = Sipp(
                "call_rtp.xml",
                (LOCALHOST, edge.port),
                work / f"step-w{workers}-{n}",
                rows=rows,
                # every call holds for the ramp + call_s: all n calls are up together for call_s
                params={"AUDIO": str(audio), "HOLD_MS": int((ramp + call_s) * 1000)},
                extra=[
                    "-r", str(SETUP_RATE), "-l", str(n), "-m", str(n),
                    "-timeout", f"{int(2 * ramp + call_s + 40)}s",
                    "-mp", str(caller_mp),
                    # the worker's 180 and 200 may reach the caller reordered (two Kamailio
                    # UDP workers): a late 180 must not abort the call
                    "-default_behaviors", "all,-abortunexp",
                ],
            )  # fmt: skip
            caller.start(ps)
            groups = {
                "kamailio": edge.proc.pid or 0,
                "sipp-caller": caller.proc.pid or 0,
                "sipp-callee": uas.proc.pid or 0,
            }
            groups.update({w.name: w.pid or 0 for w in ws})
            meter = CpuMeter(groups)
            time.sleep(ramp + 2)
            meter.start()
            plateau = max(call_s - 4, 1)
            t_end = time.monotonic() + plateau
            cap = None
            if capture and TCPDUMP is not None:
                cap = Capture(
                    ps,
                    work / f"step-{n}.pcap",
                    {
                        "at_worker": (worker_ranges, "dst"),
                        "at_receiver": (
                            [(callee_mp, callee_mp + callee_mp_n - 1), (caller_mp, caller_mp + caller_mp_n - 1)],
                            "src",
                        ),
                    },
                )
            t_cap_end = time.monotonic() + max(plateau - 2, 1.0)
            while time.monotonic() < t_end:
                time.sleep(1)
                meter.sample()
                if cap is not None and time.monotonic() >= t_cap_end:
                    cap.stop()
            cpu = meter.stop()
            caller.wait(2 * ramp + call_s + 60)
            time.sleep(3)  # hang-ups: recorders closed, CDRs spooled
            rtp: dict[str, Any] = {}
            drops: int | None = None
            if cap is not None:
                rtp, drops = cap.analyse()
            ok, failed = caller.stats().totals()
            rec = recordings_check(spools, since)
            for spool in spools:  # checked: free the disk (1,000 calls of 30 s are ~1 GB of WAV)
                for wav in (spool / "rec").glob("*.wav"):
                    wav.unlink(missing_ok=True)
            step = {
                "workers": workers,
                "rt_threads": bool(rt_threads),
                "calls": n,
                "call_s": call_s,
                "successful": ok,
                "failed": failed + max(n - ok - failed, 0),
                "cpu_pct": cpu,
                "rss_mb": {k: round(v, 1) for k, v in meter.peak_rss.items()},
                "rtp": rtp,
                "capture_drops": drops,
                **rec,
            }
            results.append(step)
            print(f"bench2 {json.dumps(step)}")
            if (
                step["failed"] * 100.0 / n > stop_failed_pct
                or rec["recordings_incomplete"] * 100.0 / n > stop_failed_pct
            ):
                break  # past the limit: the next steps would only be worse
    finally:
        ps.stop_all()
    return results
