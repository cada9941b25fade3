"""Profile one real call through the local stack: call setup time (dial -> answered, seen
by the caller) and CPU of each process while the call is up, from /proc/<pid>/stat.

    .venv/bin/python -m bench.call_profile [--calls 5] [--talk 10]

Started processes are stopped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from infra.local_stack import Stack, StackConfig
from tests.integration.phones import Phone

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid: int) -> int:
    """utime+stime of a process and its threads (children of Kamailio are separate pids)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _group_pids(pgid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if os.getpgid(int(d.name)) == pgid:
                    out.append(int(d.name))
            except (ProcessLookupError, PermissionError):
                continue
    return out


def _sample(groups: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = {}
    for name, pgid in groups.items():
        t = 0
        for pid in _group_pids(pgid):
            try:
                t += _cpu_ticks(pid)
            except OSError:
                continue
        total[name] = t
    return total


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=3)
    ap.add_argument("--talk", type=float, default=10.0)
    a = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="probox-bench-"))
    stack = Stack(StackConfig.free_ports(root))
    phones: list[Phone] = []
    try:
        stack.start()
        t = stack.create_tenant("Bench", "bench.probox.test", ["101", "102"])
        stack.wait_tenant_on_edge(t)
        caller = Phone(root, "101", t.domain, t.password("101"), (stack.cfg.host, stack.cfg.sip_port), 440)
        callee = Phone(root, "102", t.domain, t.password("102"), (stack.cfg.host, stack.cfg.sip_port), 1000)
        phones += [caller.start(), callee.start()]
        assert caller.wait_registered()["type"] == "REGISTER_OK"
        assert callee.wait_registered()["type"] == "REGISTER_OK"
        groups = {n: p.pid for n, p in stack.procs.items() if p.alive() and p.pid}
        groups.update({"baresip-101": caller.proc.pid or 0, "baresip-102": callee.proc.pid or 0})
        setups: list[float] = []
        lags: list[float] = []  # hang-up -> CDR listed by the API (recording uploaded first)
        cpu: dict[str, list[float]] = {n: [] for n in groups}
        idle0 = _sample(groups)
        time.sleep(a.talk)
        idle1 = _sample(groups)
        for _ in range(a.calls):
            t0 = time.monotonic()
            m = caller.dial(f"sip:102@{t.domain}")
            est = caller.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
            setups.append((est["_t"] - t0) * 1000)
            s0 = _sample(groups)
            time.sleep(a.talk)
            s1 = _sample(groups)
            for n in groups:
                cpu[n].append(100.0 * (s1[n] - s0[n]) / TICKS / a.talk)
            h = caller.hangup()
            closed = caller.wait_event("CALL_CLOSED", timeout=10, since=h)
            with stack.api(t.admin_token) as api:
                while not any(c["call_id"] == est["id"] for c in api.get("/v1/cdrs").json()["items"]):
                    time.sleep(0.05)
            lags.append((time.monotonic() - closed["_t"]) * 1000)
            time.sleep(1.0)
        print(
            f"call setup (dial -> 200 seen by the caller), {a.calls} calls: "
            f"p50 {statistics.median(setups):.1f} ms, max {max(setups):.1f} ms"
        )
        print(
            f"upload lag (hang-up -> CDR in the API, recording already in S3): "
            f"p50 {statistics.median(lags):.0f} ms, max {max(lags):.0f} ms"
        )
        print(f"{'process':<16}{'idle CPU %':>12}{'in-call CPU %':>16}")
        for n in groups:
            idle = 100.0 * (idle1[n] - idle0[n]) / TICKS / a.talk
            print(f"{n:<16}{idle:>12.1f}{statistics.mean(cpu[n]):>16.1f}")
    finally:
        for p in phones:
            p.stop()
        stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
