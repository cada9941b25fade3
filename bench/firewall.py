"""Bench 8: what the edge's firewall (issue 14) costs, and how fast it bans a flood.

Two Kamailios with the KEMI script, the same snapshot and children: the firewall on (its
defaults, pike's limit raised so that SIPp's load from one address is no flood) and off
(``PROBOX_FIREWALL_OFF=1``). REGISTER/s and calls/s closed loop as bench 1 (SIPp,
``bench.edge.closed_loop``), alternating on/off each round; the ratio on/off is the
firewall's cost (target >= 0.9). Then a SIPp flood of REGISTERs at 5,000/s from another
loopback address against an edge with the default limit: the time from its first request
to the ban in ``fwban`` (polled every 5 ms over the RPC socket).

    .venv/bin/python -m bench.firewall [--seconds 15] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import Procs, Sipp, median
from bench.edge import HOLD_MS, closed_loop, make_snapshot, start_edge, user_rows, write_snapshot
from infra.procs import LOCALHOST, free_port

KAMCMD = "/usr/sbin/kamcmd"
FLOOD_SRC = "127.0.16.1"
FLOOD_RATE = 5000


def _banned(run_dir: Path, ip: str) -> bool:
    r = subprocess.run(
        [KAMCMD, "-s", f"unix:{run_dir / 'run' / 'kamailio_ctl'}", "htable.get", "fwban", ip],
        capture_output=True,
        text=True,
        timeout=5,
        check=False,
    )
    return r.returncode == 0 and "value" in r.stdout


def ban_reaction(
    ps: Procs, work: Path, snap_path: Path, snap: Any, uas_port: int, children: int, rows: list[list[str]]
) -> dict[str, Any]:
    """Seconds from a 5,000/s flood's start to its ban (the default pike limit)."""
    edge = start_edge(ps, "fw-flood", work, snap_path, snap, [(LOCALHOST, uas_port)], children=children,
                      flood_per_second=300)  # fmt: skip
    # a real user with its password: no failure, no unknown user; only the rate gives it away
    flood = Sipp(
        "reg_auth.xml",
        (LOCALHOST, edge.port),
        work / "flood",
        rows=rows[:1],
        port=free_port(host=FLOOD_SRC),
        extra=["-r", str(FLOOD_RATE), "-m", str(FLOOD_RATE * 3), "-l", str(FLOOD_RATE * 3), "-i", FLOOD_SRC],
    )
    t0 = time.monotonic()
    flood.start(ps)
    banned_after = None
    while time.monotonic() - t0 < 5:
        if _banned(edge.run_dir, FLOOD_SRC):
            banned_after = time.monotonic() - t0
            break
        time.sleep(0.005)
    if flood.proc is not None:
        flood.proc.stop()
    return {"rate": FLOOD_RATE, "banned_after_s": banned_after, "pike_limit": 300}


def bench_firewall(work: Path, *, seconds: float, rounds: int, children: int = 4, n_users: int = 1000,
                   in_flight: int = 200) -> dict[str, Any]:  # fmt: skip
    work.mkdir(parents=True, exist_ok=True)
    snap = make_snapshot(n_users)
    snap_path = work / "snapshot.json"
    write_snapshot(snap_path, snap)
    rows = user_rows(n_users)
    runs: list[dict[str, Any]] = []
    ps = Procs()
    try:
        uas_port = free_port("udp")
        uas = Sipp("uas.xml", None, work / "uas", port=uas_port).start(ps)
        edges = {
            "on": start_edge(ps, "fw-on", work, snap_path, snap, [(LOCALHOST, uas_port)], children=children),
            "off": start_edge(ps, "fw-off", work, snap_path, snap, [(LOCALHOST, uas_port)], children=children,
                              extra_env={"PROBOX_FIREWALL_OFF": "1"}),
        }  # fmt: skip
        # round -1 warms both edges and SIPp up (not counted: the first run of a fresh
        # machine came out 10-25 % lower whichever edge it was); then each round runs both,
        # alternating which goes first, and the ratio is the median of the rounds' ratios
        for r in range(-1, rounds):
            for kind in ("on", "off") if r % 2 == 0 else ("off", "on"):
                e = edges[kind]
                groups = {"kamailio": e.proc.pid or 0, "sipp-uas": uas.proc.pid or 0}
                for what, scen, params in (
                    ("register", "reg_auth.xml", None),
                    ("call", "call_auth.xml", {"HOLD_MS": HOLD_MS}),
                ):
                    rate, failed, cpu = closed_loop(
                        ps, scen, (LOCALHOST, e.port), work / f"r{r}-{kind}-{what}", rows,
                        seconds=seconds if r >= 0 else min(seconds, 5.0), in_flight=in_flight,
                        params=params, groups=groups,
                    )  # fmt: skip
                    if r < 0:
                        continue
                    runs.append(
                        {"round": r, "kind": kind, "what": what, "rate": rate, "failed_pct": failed, "cpu": cpu}
                    )
                    print(f"firewall round {r} {kind:3} {what:8} {rate:8.0f}/s failed {failed:.2f}%", flush=True)
        reaction = ban_reaction(ps, work, snap_path, snap, uas_port, children, rows)
    finally:
        ps.stop_all()
    out: dict[str, Any] = {"runs": runs, "children": children, "users": n_users, "flood": reaction}
    for what in ("register", "call"):
        good = {(x["round"], x["kind"]): x["rate"] for x in runs if x["what"] == what and x["failed_pct"] < 1}
        on = median([v for (_, kind), v in good.items() if kind == "on"])
        off = median([v for (_, kind), v in good.items() if kind == "off"])
        # a round's on and off ran next to each other: their ratio cancels the machine's drift
        paired = [
            good[(r, "on")] / good[(r, "off")] for r in range(rounds) if good.get((r, "on")) and good.get((r, "off"))
        ]
        out[what] = {"on": on, "off": off, "ratio": median(paired) if paired else None, "round_ratios": paired}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "firewall-results.json")
    a = ap.parse_args()
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="probox-fw-bench-") as tmp:
        res = bench_firewall(Path(tmp), seconds=a.seconds, rounds=a.rounds)
    res["load_avg_start"], res["load_avg_end"] = load0, os.getloadavg()
    res["date"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    a.out.write_text(json.dumps(res, indent=2, default=str) + "\n")
    print(json.dumps({k: res[k] for k in ("register", "call", "flood", "load_avg_start", "load_avg_end")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
