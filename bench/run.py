"""The ProBox benchmarks (issue #6): ``make bench`` / ``.venv/bin/python -m bench.run``.

    .venv/bin/python -m bench.run [--smoke] [--only STAGE,...] [--work DIR]

Stages: edge, pdd, media, xlsx, console, contacts, live, soak, firewall, queue, queue-media.

Writes docs/benchmarks.md and bench/results.json. Every figure that matters is a ratio
against a reference measured in the same run (the machines are noisy). ``--smoke`` runs
each benchmark for about 30 s (CI). Every process a benchmark starts is stopped by PID
when it ends, also on failure; everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from bench import console, contacts, edge, firewall, live, media, queue, queue_media, soak, xlsx
from bench.report import DOC, headline, write_doc

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results.json"
N_USERS = 1000
CHILDREN = 4
STAGES = (
    "edge", "pdd", "media", "xlsx", "console", "contacts", "live", "soak", "firewall", "queue", "queue-media",
)  # fmt: skip


def _git(*args: str) -> str:
    r = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return r.stdout.strip()


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "kernel": platform.release(),
        "load_avg_start": os.getloadavg(),
    }


def plan(smoke: bool) -> dict[str, Any]:
    if smoke:
        return {
            "edge": {"seconds": 8, "rounds": 3, "in_flight": 100},
            "pdd": {"seconds": 10},
            "media": {
                "steps": [100, 200, 400, 800, 1000],
                "call_s": 10.0,
                "configs": [(1, False), (2, False), (2, True)],
            },
            "xlsx": {"rows": [100_000]},
            "console": {"loads": 10},
            "contacts": {"sizes": [10_000, 50_000], "rows": 20_000, "lookups": 300, "searches": 50},
            "live": {"seconds": 8, "rates": (100, 20), "n_cdrs": 20_000, "runs": 3},
            "soak": {"rate": 5.0, "hold_s": 5.0, "seconds": 60.0, "calls": 300, "outage_s": 0.0},
            "firewall": {"seconds": 5, "rounds": 2},
            "queue": {"sizes": [(200, 1000)], "ops": 20_000},
            "queue-media": {"steps": [50, 100], "hold_s": 10.0, "reference_steps": [100]},
        }
    return {
        "edge": {"seconds": 20, "rounds": 3, "in_flight": 100},
        "pdd": {"seconds": 30},
        "media": {
            "steps": [100, 200, 400, 600, 700, 800, 900, 1000],
            "call_s": 30.0,
            "configs": [(1, False), (2, False), (2, True), (4, True)],
        },
        "xlsx": {"rows": [100_000, 1_000_000]},
        "console": {"loads": 30},
        "contacts": {"sizes": [10_000, 50_000, 100_000], "rows": 100_000, "lookups": 1000, "searches": 100},
        "live": {"seconds": 20, "rates": (100, 20), "n_cdrs": 100_000, "runs": 5},
        # The soak is 20 calls/s; a 2-core machine running SIPp, Kamailio, the worker, the
        # agent and moto together holds ~4-5 (bench 9's delivery figure is the edge's ceiling):
        # PROBOX_SOAK_RATE=20 on a bigger machine.
        "soak": {
            "rate": float(os.environ.get("PROBOX_SOAK_RATE", "4")),
            "hold_s": 5.0,
            "seconds": 3600.0,
            "calls": 2000,
            "outage_s": 600.0,
        },
        "firewall": {"seconds": 15, "rounds": 5},
        "queue": {"sizes": [(200, 1000), (200, 10_000), (1000, 10_000)], "ops": 100_000},
        "queue-media": {"steps": [100, 200, 300, 500, 700, 1000], "hold_s": 30.0, "reference_steps": [100, 300, 500]},
    }


class Interrupted(BaseException):
    pass


def _interrupted(signum: int, frame: object) -> None:
    raise Interrupted(f"signal {signum}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="about 30 s per benchmark")
    ap.add_argument("--only", default=",".join(STAGES), help="comma-separated subset")
    ap.add_argument("--work", type=Path, help="keep logs here (default: a temp dir, removed on success)")
    ap.add_argument("--no-write", action="store_true", help="do not write docs/benchmarks.md and results.json")
    ap.add_argument("--media-steps", help="override the concurrent-call steps, e.g. 100,200,400,800")
    ap.add_argument("--call-s", type=float, help="override the length of bench 2's calls (s)")
    a = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress lines when piped
    # SIGTERM / SIGINT (also when started in the background, where SIGINT is ignored) unwind
    # the stack, so every benchmark's finally stops what it started, by PID.
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    only = {x.strip() for x in a.only.split(",") if x.strip()}
    p = plan(a.smoke)
    if a.media_steps:
        p["media"]["steps"] = [int(x) for x in a.media_steps.split(",")]
    if a.call_s:
        p["media"]["call_s"] = a.call_s
    work = a.work or Path(tempfile.mkdtemp(prefix="probox-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    res: dict[str, Any] = {
        "mode": "smoke" if a.smoke else "full",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": _git("rev-parse", "HEAD"),
        "dirty": bool(_git("status", "--porcelain")),
        "machine": machine(),
        "plan": p,
        "errors": {},
    }
    detail_path = REPO / "bench" / "results-detail.json"
    if only != set(STAGES) and detail_path.exists():
        prev = json.loads(detail_path.read_text())
        for name in set(STAGES) - only:
            if name in prev:
                res[name] = prev[name]
                res.setdefault("stage_dates", {})[name] = prev.get("stage_dates", {}).get(name, prev.get("date"))
                res.setdefault("stage_modes", {})[name] = prev.get("stage_modes", {}).get(name, prev.get("mode"))
                res.setdefault("seconds", {})[name] = prev.get("seconds", {}).get(name)
                if name in prev.get("errors", {}):
                    res["errors"][name] = prev["errors"][name]
    print(f"bench: {res['mode']} run, work dir {work}")

    def stage(name: str, fn: Any) -> None:
        if name not in only:
            return
        t0 = time.monotonic()
        try:
            res[name] = fn()
        except Exception as exc:  # one benchmark failing must not lose the others
            res["errors"][name] = f"{exc!r}\n{traceback.format_exc()[-3000:]}"
            print(f"bench {name} FAILED: {exc!r}")
        res.setdefault("seconds", {})[name] = round(time.monotonic() - t0, 1)
        res.setdefault("stage_dates", {})[name] = res["date"]
        res.setdefault("stage_modes", {})[name] = res["mode"]

    stage(
        "edge",
        lambda: edge.bench_edge(
            work / "edge",
            seconds=p["edge"]["seconds"],
            rounds=p["edge"]["rounds"],
            children=CHILDREN,
            n_users=N_USERS,
            in_flight=p["edge"]["in_flight"],
        ),
    )
    stage("pdd", lambda: edge.bench_pdd(work / "pdd", seconds=p["pdd"]["seconds"], n_users=N_USERS))

    def run_media() -> dict[str, Any]:
        steps: list[dict[str, Any]] = []
        failures: dict[str, str] = {}
        for w, rt in p["media"]["configs"]:
            try:
                steps += media.ladder(
                    work / f"media-{w}w{'-rt' if rt else ''}",
                    workers=w,
                    steps=p["media"]["steps"],
                    call_s=p["media"]["call_s"],
                    n_users=N_USERS,
                    rt=rt,
                    capture=True,
                )
            except Exception as exc:  # one configuration failing keeps the others' steps
                failures[f"{w} workers{' rt' if rt else ''}"] = repr(exc)
                print(f"bench media config {w}/{rt} FAILED: {exc!r}")
        return {"steps": steps, "config_failures": failures}

    stage("media", run_media)
    stage("xlsx", lambda: {"runs": [xlsx.compare(n) for n in p["xlsx"]["rows"]]})
    stage("console", lambda: console.bench_console(p["console"]["loads"]))
    stage("contacts", lambda: contacts.bench_contacts(**p["contacts"]))
    stage("live", lambda: live.bench_live(**p["live"]))
    stage("soak", lambda: soak.bench_soak(**p["soak"]))
    stage(
        "firewall",
        lambda: firewall.bench_firewall(work / "firewall", children=CHILDREN, n_users=N_USERS, **p["firewall"]),
    )
    stage("queue", lambda: queue.bench_queue(**p["queue"]))
    stage(
        "queue-media",
        lambda: queue_media.bench_queue_media(work / "queue-media", n_users=N_USERS, **p["queue-media"]),
    )
    res["machine"]["load_avg_end"] = os.getloadavg()
    res["total_s"] = round(time.monotonic() - started, 1)
    h = headline(res)
    out = {**h, "commit": res["commit"], "date": res["date"], "mode": res["mode"], "cores": res["machine"]["cores"]}
    if not a.no_write:
        RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        detail_path.write_text(json.dumps(res, indent=2, default=str) + "\n")
        write_doc(DOC, res, h)
        print(f"bench: wrote {RESULTS.relative_to(REPO)} and {DOC.relative_to(REPO)}")
    print(json.dumps(out, indent=2))
    if not res["errors"] and a.work is None:
        shutil.rmtree(work, ignore_errors=True)
    elif res["errors"]:
        print(f"bench: logs kept in {work}")
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
