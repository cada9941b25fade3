"""Bench 9 (issue 18): a busy day on ``make run``'s stack, and how fast the edge delivers.

    .venv/bin/python -m bench.soak [--rate 20] [--hold 5] [--seconds 3600] [--outage-at S --outage-s D]
    .venv/bin/python -m bench.soak --only delivery [--calls 2000]
    .venv/bin/python -m bench.run --only soak     # the same, written into docs/benchmarks.md

**Soak.** The whole local stack (moto with its patch, ``chalice local``, the edge agent,
Kamailio with the KEMI script, the pjsua2 worker recording every call), on free loopback
ports, stopped by pid at the end. SIPp calls 101 -> 102 of one tenant at ``--rate`` calls/s,
each held ``--hold`` s with G.711 RTP both ways (``call_rtp.xml`` / ``uas_rtp.xml``; 102 is
registered by SIPp with the callee's port as its Contact). Meanwhile, every 0.5 s, the
newest page of ``GET /v1/cdrs`` (the tenant admin's token): a CDR's lag is the time it was
first listed minus its ``ended_at`` (the same clock). Every 10 s, the resident memory of each
process of the stack (a process and its children: Kamailio's are many). At the end: the CDR
count against SIPp's answered calls, each recording in S3, the lag p50/p95/max, and per
process the memory's drift (the last half of the run against the first sample after
warm-up). ``--outage-at``/``--outage-s``: the control plane is stopped for that long
during the run while the calls go on; the time the agent then needs to drain its backlog
(until the oldest undelivered call in ``agent-status.json`` is at most
``DRAINED_OLDEST_S`` old again) is reported against the outage (issue 18: within 2x), and
the lag is also given for the calls outside the outage and its drain (``steady``).

**Delivery.** ``--calls`` finished, recorded 5 s calls written into a stopped agent's spool
as the worker leaves them (a CDR file and two mono WAVs each), then the agent started: its
rate (calls/s to CDR in the API and recording in S3) against the reference measured in the
same run, one process doing the raw requests sequentially: an S3 PUT of a recording of the
same size and a single ``POST /edge/v1/cdrs`` per call. The agent's rate is the edge's
delivery ceiling (calls/s it can keep up with); it also merges and encodes each recording.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.common import Procs, Sipp, percentile
from bench.media import make_audio
from infra.local_stack import Stack, StackConfig, Tenant
from infra.procs import LOCALHOST, free_port, free_port_block

PAGE = 200
BUDGET_LAG_P95_S = 5.0  # issue 18: a CDR in the API within 5 s of the hang-up (p95)
WARMUP_S = 60.0
# moto stands in for DynamoDB and S3 and keeps every item and object in memory: its growth is
# the day's data (CDRs, recordings, events), not a leak; it is reported per call stored and
# left out of the "memory flat" verdict, which is about the processes that serve
DATA_STORES = ("moto",)
DRAINED_OLDEST_S = 15.0  # after an outage: drained once the oldest undelivered call is this young


def _parse_iso(s: str) -> float:
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def _rss_tree_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants (kB)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


class Watcher(threading.Thread):
    """Polls the newest CDRs (first-seen lag) and samples memory, until ``stop``."""

    def __init__(self, stack: Stack, tenant: Tenant) -> None:
        super().__init__(name="soak-watch", daemon=True)
        self.stack, self.tenant = stack, tenant
        self.stop_ev = threading.Event()
        self.seen: dict[str, tuple[float, float]] = {}  # call id -> (hang-up, unix time; lag, s)
        self.memory: list[dict[str, Any]] = []
        self.errors = 0

    def run(self) -> None:
        next_mem = 0.0
        with self.stack.api(self.tenant.admin_token) as api:
            while not self.stop_ev.is_set():
                now = time.time()
                try:
                    r = api.get("/v1/cdrs", params={"limit": PAGE}, timeout=10)
                    r.raise_for_status()
                    for c in r.json()["items"]:
                        if c["call_id"] not in self.seen and c.get("ended_at"):
                            ended = _parse_iso(c["ended_at"])
                            self.seen[c["call_id"]] = (ended, now - ended)
                except (httpx.HTTPError, KeyError, ValueError):
                    self.errors += 1
                if time.monotonic() >= next_mem:
                    next_mem = time.monotonic() + 10.0
                    sample: dict[str, Any] = {"t": now}
                    for name, p in self.stack.procs.items():
                        if p.alive() and p.pid:
                            sample[name] = _rss_tree_kb(p.pid)
                    self.memory.append(sample)
                self.stop_ev.wait(0.5)


def _count_cdrs(stack: Stack, tenant: Tenant) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    with stack.api(tenant.admin_token) as api:
        while True:
            r = api.get("/v1/cdrs", params={"limit": PAGE, **({"cursor": cursor} if cursor else {})}, timeout=30)
            r.raise_for_status()
            out += r.json()["items"]
            cursor = r.json()["next"]
            if not cursor:
                return out


def _s3(stack: Stack) -> Any:
    """The stack's moto S3."""
    return stack.aws("s3")


def _agent_status(stack: Stack) -> dict[str, Any]:
    try:
        doc: dict[str, Any] = json.loads((stack.cfg.snapshot_path.parent / "agent-status.json").read_text())
        return doc
    except (OSError, ValueError):
        return {}


def _drift(memory: list[dict[str, Any]], warmup_s: float) -> dict[str, Any]:
    """Per process: the first sample after warm-up, the last half's min/max, drift in %."""
    if not memory:
        return {}
    t0 = memory[0]["t"]
    after = [m for m in memory if m["t"] - t0 >= warmup_s] or memory
    half = after[len(after) // 2 :] or after
    out: dict[str, Any] = {}
    for name in sorted({k for m in memory for k in m if k != "t"}):
        # a process restarted during the run (the control plane, for an outage) is judged from
        # its new life's first sample after warm-up: the old one's memory is gone with it
        missing = [i for i, m in enumerate(memory) if name not in m]
        since = memory[missing[-1] + 1 :] if missing and missing[-1] + 1 < len(memory) else memory
        restarted = since is not memory
        if restarted:
            t1 = since[0]["t"]
            since = [m for m in since if m["t"] - t1 >= warmup_s] or since
            first = since[0].get(name)
            tail = [m[name] for m in since[len(since) // 2 :] if name in m]
        else:
            first = after[0].get(name)
            tail = [m[name] for m in half if name in m]
        if not first or not tail:
            continue
        worst = max(abs(max(tail) - first), abs(min(tail) - first))
        out[name] = {"first_mb": round(first / 1024, 1), "last_mb": round(tail[-1] / 1024, 1),
                     "max_mb": round(max(tail) / 1024, 1), "drift_pct": round(100.0 * worst / first, 1)}  # fmt: skip
        if name in DATA_STORES:
            out[name]["data_store"] = True
        if restarted:
            out[name]["restarted"] = True
    return out


def _store_growth(memory: list[dict[str, Any]], warmup_s: float, rate: float) -> dict[str, float]:
    """The data stores' growth per call stored, after warm-up (KB per call)."""
    if len(memory) < 2:
        return {}
    t0 = memory[0]["t"]
    after = [m for m in memory if m["t"] - t0 >= warmup_s] or memory
    first, last = after[0], after[-1]
    calls = rate * (last["t"] - first["t"])
    return {
        name: round((last[name] - first[name]) / calls, 1)
        for name in DATA_STORES
        if calls > 0 and name in first and name in last
    }


def soak(
    rate: float, hold_s: float, seconds: float, root: Path, *, outage_at: float = 0.0, outage_s: float = 0.0
) -> dict[str, Any]:
    n_calls = int(rate * seconds)
    concurrent = int(rate * hold_s) + 10
    # SIPp's callee cannot re-register while it answers, and a registration lasts at most an
    # hour by default: the last calls of an hour-long soak got 480 (not registered)
    reg_s = int(seconds + hold_s + 600)
    stack = Stack(StackConfig.free_ports(root / "stack", rtp_range=4000, max_expires=max(3600, reg_s)))
    ps = Procs()
    res: dict[str, Any] = {"rate": rate, "hold_s": hold_s, "seconds": seconds, "calls": n_calls}
    try:
        stack.start()
        t = stack.create_tenant("Soak Co", "soak.probox.test", ["101", "102"], max_concurrent_calls=10_000)
        stack.wait_tenant_on_edge(t)
        audio = make_audio(root / "tone-alaw.wav", 10.0)
        callee_port = free_port("udp")
        mp = free_port_block(4 * concurrent + 32)
        reg = Sipp("reg_auth.xml", (LOCALHOST, stack.cfg.sip_port), root / "register", port=callee_port,
                   rows=[["102", t.domain, t.password("102")]], params={"EXPIRES": reg_s},
                   extra=["-m", "1", "-timeout", "30s"])  # fmt: skip
        reg.start(ps)
        if reg.wait(40) != 0:
            raise RuntimeError("registering 102 failed")
        uas = Sipp("uas_rtp.xml", None, root / "callee", port=callee_port, params={"AUDIO": str(audio)},
                   extra=["-mp", str(mp)])  # fmt: skip
        uas.start(ps)
        time.sleep(0.5)
        watcher = Watcher(stack, t)
        watcher.start()
        caller = Sipp(
            "call_rtp.xml", (LOCALHOST, stack.cfg.sip_port), root / "caller",
            rows=[["101", t.domain, t.password("101"), "102"]],
            params={"AUDIO": str(audio), "HOLD_MS": int(hold_s * 1000)},
            extra=["-r", f"{rate:g}", "-m", str(n_calls), "-l", str(concurrent), "-mp", str(mp + 2 * concurrent + 16),
                   "-timeout", f"{int(seconds + hold_s + 120)}s", "-default_behaviors", "all,-abortunexp"],
        )  # fmt: skip
        started = time.monotonic()
        caller.start(ps)
        outage_window = (0.0, 0.0)  # unix times: calls that ended in it waited for the outage
        if outage_s > 0:
            time.sleep(max(0.0, outage_at - (time.monotonic() - started)))
            down_at = time.time()
            stack.procs["control-plane"].stop()
            time.sleep(outage_s)
            back = time.monotonic()
            stack.restart("control-plane")
            res["outage"] = {"at_s": outage_at, "down_s": outage_s}
            # drained: the oldest undelivered call is as young as in the steady state again
            # (calls go on arriving, so the spool is never empty while they do)
            drained, back_at = None, time.time()
            while time.monotonic() - back < 3 * outage_s:
                status = _agent_status(stack)  # written every 10 s: only one written since the return counts
                fresh = float(status.get("at", 0.0)) > back_at
                if fresh and float(status.get("oldest_undelivered_s", 1e9)) <= DRAINED_OLDEST_S:
                    drained = time.monotonic() - back
                    break
                time.sleep(2)
            res["outage"]["drain_s"] = round(drained, 1) if drained is not None else None
            res["outage"]["drain_over_down"] = round(drained / outage_s, 2) if drained is not None else None
            outage_window = (down_at - hold_s, time.time())
        caller.wait(max(1.0, seconds + hold_s + 180 - (time.monotonic() - started)))
        stats = caller.stats()
        ok, failed = stats.totals()
        # a call SIPp created that neither succeeded nor failed (an error reply its scenario does
        # not expect leaves it waiting) is a failed call too
        unfinished = max(0, stats.created() - ok - failed)
        res.update({"answered": ok, "failed": failed + unfinished, "unfinished": unfinished,
                    "sipp_s": round(time.monotonic() - started, 1)})  # fmt: skip
        # everything delivered: the CDRs of all answered calls listed
        deadline = time.monotonic() + max(120.0, seconds)
        cdrs: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            cdrs = _count_cdrs(stack, t)
            if len(cdrs) >= ok:
                break
            time.sleep(5)
        watcher.stop_ev.set()
        watcher.join(10)
        s3 = _s3(stack)
        keys: set[str] = set()
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=stack.cfg.bucket, Prefix=f"tenants/{t.id}/"):
            keys.update(o["Key"] for o in page.get("Contents", []))
        answered = [c for c in cdrs if c.get("disposition") == "answered"]
        missing = [c["call_id"] for c in answered if not c.get("recording_key") or c["recording_key"] not in keys]
        lags = [lag for _, lag in watcher.seen.values()]
        # the budget is for a working control plane: the calls that ended while it was down or
        # draining are reported apart (the outage's own figure is its drain time)
        steady = [lag for ended, lag in watcher.seen.values() if not outage_window[0] <= ended <= outage_window[1]]
        res.update({
            "cdrs": len(cdrs), "cdrs_answered": len(answered), "recordings_missing": len(missing),
            "lost": max(0, ok - len(cdrs)), "lag_samples": len(lags),
            "lag_p50_s": round(statistics.median(lags), 2) if lags else None,
            "lag_p95_s": round(percentile(lags, 95) or 0.0, 2) if lags else None,
            "lag_max_s": round(max(lags), 2) if lags else None,
            "steady_lag_samples": len(steady),
            "steady_lag_p95_s": round(percentile(steady, 95) or 0.0, 2) if steady else None,
            "memory": _drift(watcher.memory, min(WARMUP_S, seconds / 4)),
            "store_kb_per_call": _store_growth(watcher.memory, min(WARMUP_S, seconds / 4), rate),
            "memory_curve": [{k: (round(v / 1024, 1) if k != "t" else round(v - watcher.memory[0]["t"]))
                              for k, v in m.items()} for m in watcher.memory],
            "agent": _agent_status(stack), "watch_errors": watcher.errors,
        })  # fmt: skip
    finally:
        ps.stop_all()
        stack.stop()
    return res


# --- delivery rate against the raw requests --------------------------------------------------
def _iso(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _spool_recorded_calls(stack: Stack, tenant: Tenant, n: int, tone: Path, tag: str) -> None:
    from edge_node.spool import Spool

    spool = Spool(stack.cfg.spool).ensure()
    audio = tone.read_bytes()
    start = datetime.now(UTC) - timedelta(hours=1)
    batch: list[tuple[str, dict[str, Any]]] = []
    for i in range(n):
        t0 = start + timedelta(seconds=i * 0.01)
        t1 = t0 + timedelta(seconds=5)
        key = f"{tag}-{i:06d}"
        doc = {"tenant_id": tenant.id, "call_id": f"{key}@edge", "caller": "101", "callee": "102",
               "started_at": _iso(t0), "answered_at": _iso(t0), "ended_at": _iso(t1), "duration_s": 5,
               "disposition": "answered", "sip_code": 200, "edge_id": stack.cfg.edge_id, "worker_id": "w1"}  # fmt: skip
        left, right = spool.recording_paths(key)
        left.write_bytes(audio)
        right.write_bytes(audio)
        doc.update(recording_key=f"tenants/{tenant.id}/recordings/x/{key}.wav", recording_format="wav",
                   _local_recordings=[left.name, right.name])  # fmt: skip  # as the worker leaves them
        batch.append((key, doc))
        if len(batch) == 500:
            spool.put_cdrs(batch)
            batch = []
    if batch:
        spool.put_cdrs(batch)


def delivery(n: int, root: Path) -> dict[str, Any]:
    from infra.tones import make_tone

    stack = Stack(StackConfig.free_ports(root / "stack"))
    res: dict[str, Any] = {"calls": n}
    try:
        stack.start()
        t = stack.create_tenant("Delivery Co", "delivery.probox.test", ["101", "102"])
        stack.wait_tenant_on_edge(t)
        tone: Path = make_tone(root / "tone.wav", 440.0, 5.0)
        stack.procs["agent"].stop()
        _spool_recorded_calls(stack, t, n, tone, "dl")
        t0 = time.monotonic()
        stack.restart("agent")
        deadline = t0 + max(600.0, n)
        while time.monotonic() < deadline:
            st = _agent_status(stack)
            if (
                st
                and int(st.get("spool_depth", 1)) == 0
                and int(st.get("in_flight", 1)) == 0
                and st.get("delivered_total", 0)
            ):
                break
            time.sleep(0.5)
        agent_s = time.monotonic() - t0
        cdrs = _count_cdrs(stack, t)
        res.update({"agent_s": round(agent_s, 1), "agent_calls_per_s": round(n / agent_s, 1), "cdrs": len(cdrs)})
        recorded = [c for c in cdrs if c.get("recording_key")]
        s3 = _s3(stack)
        size = (
            s3.head_object(Bucket=stack.cfg.bucket, Key=recorded[0]["recording_key"])["ContentLength"]
            if recorded
            else 16_000
        )
        # the reference: the same number of raw S3 PUTs + single CDR POSTs, one process, in a row
        body = os.urandom(int(size))
        token = stack.edge_token
        m = min(n, 500)
        t1 = time.monotonic()
        with httpx.Client(base_url=stack.cfg.api_url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as api:
            for i in range(m):
                s3.put_object(Bucket=stack.cfg.bucket, Key=f"incoming/{stack.cfg.edge_id}/ref-{i}.opus", Body=body)
                now = _iso(datetime.now(UTC))
                cdr = {
                    "tenant_id": t.id, "call_id": f"ref-{uuid.uuid4().hex}@edge", "caller": "101", "callee": "102",
                    "started_at": now, "answered_at": None, "ended_at": now, "duration_s": 0,
                    "disposition": "no_answer", "sip_code": 480, "edge_id": stack.cfg.edge_id, "worker_id": "w1",
                }  # fmt: skip
                api.post("/edge/v1/cdrs", json=cdr).raise_for_status()
        ref_rate = m / (time.monotonic() - t1)
        res.update({"recording_bytes": int(size), "reference_calls_per_s": round(ref_rate, 1),
                    "ratio": round((n / agent_s) / ref_rate, 2)})  # fmt: skip
    finally:
        stack.stop()
    return res


def bench_soak(rate: float, hold_s: float, seconds: float, calls: int, outage_s: float = 0.0) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="probox-soak-"))
    out = {"delivery": delivery(calls, root / "delivery")}
    out["soak"] = soak(rate, hold_s, seconds, root / "soak", outage_at=seconds / 3 if outage_s else 0.0,
                       outage_s=outage_s)  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=("soak", "delivery"))
    ap.add_argument("--rate", type=float, default=20.0)
    ap.add_argument("--hold", type=float, default=5.0)
    ap.add_argument("--seconds", type=float, default=3600.0)
    ap.add_argument("--outage-at", type=float, default=0.0)
    ap.add_argument("--outage-s", type=float, default=0.0)
    ap.add_argument("--calls", type=int, default=2000, help="delivery: spooled calls")
    a = ap.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="probox-soak-"))
    out: dict[str, Any] = {}
    if a.only in (None, "delivery"):
        out["delivery"] = delivery(a.calls, root / "delivery")
        print(json.dumps(out["delivery"]), flush=True)
    if a.only in (None, "soak"):
        s = soak(a.rate, a.hold, a.seconds, root / "soak", outage_at=a.outage_at, outage_s=a.outage_s)
        out["soak"] = {k: v for k, v in s.items() if k != "memory_curve"}
        print(json.dumps(out["soak"]), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
