"""Bench 1 (REGISTER/s and calls/s through the edge: KEMI vs native cfg) and bench 3
(post-dial delay through edge + media worker vs a direct call).

Load is SIPp on loopback, closed loop: a fixed number of transactions/calls in flight
(``-l``) with an unreachable target rate, so SIPp sends the next one as soon as one
finishes; the rate is what the server sustains. A run counts only if < 1 % failed.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import CpuMeter, Procs, Sipp, median, percentile
from edge_node import kamailio_config as kc
from infra.procs import LOCALHOST, ManagedProcess, free_port, free_port_block
from pbx_core import sipauth
from pbx_core.snapshot import ExtensionConfig, Snapshot, TenantConfig, build

REPO = Path(__file__).resolve().parents[1]
NATIVE_CFG = Path(__file__).resolve().parent / "native" / "kamailio-native.cfg"
KAMAILIO = shutil.which("kamailio") or "/usr/sbin/kamailio"
DOMAIN = "bench.probox.test"
TENANT = "t-bench"
FIRST_EXT = 1000
SHM_MB = 1024  # shared memory of both Kamailios (256 MB ran out after ~10k calls in flight/wait)
HOLD_MS = 20  # a short call: ACK, 20 ms, BYE
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


def users(n: int) -> list[tuple[str, str]]:
    return [(str(FIRST_EXT + i), f"bench-pw-{FIRST_EXT + i}-x7") for i in range(n)]


def make_snapshot(n_users: int, *, record: bool = False) -> Snapshot:
    exts = {
        u: ExtensionConfig(number=u, ha1=sipauth.ha1(u, DOMAIN, pw), display_name=f"Bench {u}")
        for u, pw in users(n_users)
    }
    t = TenantConfig(id=TENANT, domain=DOMAIN, max_concurrent_calls=100_000, record_calls=record, extensions=exts)
    return build(1, [t], "edge-bench")


def write_snapshot(path: Path, snap: Snapshot) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(snap.to_json(), encoding="utf-8")
    os.replace(tmp, path)


def user_rows(n_users: int) -> list[list[str]]:
    """CSV rows: user, domain, password, callee (the next extension)."""
    us = users(n_users)
    return [[u, DOMAIN, pw, us[(i + 1) % len(us)][0]] for i, (u, pw) in enumerate(us)]


# ---------------------------------------------------------------------------------------
# the two Kamailio configurations


def _htable_file(path: Path, rows: list[tuple[str, int, str]]) -> None:
    """A db_text table of the htable module: key, value type (0 str, 1 int), value."""
    lines = ["id(int,auto) key_name(string) key_type(int) value_type(int) key_value(string) expires(int) "]
    lines += [f"{i}:{k}:0:{vt}:{v}:0" for i, (k, vt, v) in enumerate(rows, start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_native_db(db: Path, snap: Snapshot) -> None:
    """The snapshot as the native cfg's htables (same HA1s the KEMI script reads)."""
    db.mkdir(parents=True, exist_ok=True)
    ha1: list[tuple[str, int, str]] = []
    domains: list[tuple[str, int, str]] = []
    tenants: list[tuple[str, int, str]] = []
    for t in snap.tenants.values():
        domains.append((t.domain, 0, t.id))
        tenants += [
            (f"{t.id}_max", 1, str(t.max_concurrent_calls)),
            (f"{t.id}_active", 1, "1" if t.active else "0"),
            (f"{t.id}_record", 0, "1" if t.record_calls else "0"),
        ]
        ha1 += [(f"{e.number}@{t.domain}", 0, e.ha1) for e in t.extensions.values()]
    _htable_file(db / "ha1", ha1)
    _htable_file(db / "domains", domains)
    _htable_file(db / "tenants", tenants)
    (db / "version").write_text(
        "table_name(string) table_version(int) \nha1:2\ndomains:2\ntenants:2\n", encoding="utf-8"
    )


def render_native(values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], NATIVE_CFG.read_text(encoding="utf-8"))


@dataclass
class Edge:
    kind: str  # "kemi" | "native"
    proc: ManagedProcess
    port: int
    run_dir: Path


def start_edge(
    ps: Procs,
    kind: str,
    work: Path,
    snapshot_path: Path,
    snap: Snapshot,
    workers: list[tuple[str, int]],
    *,
    children: int,
    debug_level: int = 2,
) -> Edge:
    """Kamailio with the KEMI script (rendered by edge_node.kamailio_config) or the native
    reference cfg, same children, same shared memory, logs to a file."""
    kdir = work / f"kamailio-{kind}"
    kdir.mkdir(parents=True, exist_ok=True)
    port = free_port("udp")
    settings = kc.KamailioSettings(
        kemi_script=REPO / "kemi_scripts" / "probox_kemi.py",
        dispatcher_list=kdir / "dispatcher.list",
        runtime_dir=kdir / "run",
        listen_host=LOCALHOST,
        sip_port=port,
        children=children,
        log_stderr=True,
        debug_level=debug_level,
    )
    kc.write_dispatcher_list(workers, settings.dispatcher_list)
    cfg = kdir / "kamailio.cfg"
    if kind == "kemi":
        kc.write(settings, cfg)
    else:
        settings.runtime_dir.mkdir(parents=True, exist_ok=True)
        write_native_db(kdir / "db", snap)
        cfg.write_text(
            render_native(
                {
                    "DEBUG_LEVEL": str(debug_level),
                    "CHILDREN": str(children),
                    "LISTEN_HOST": LOCALHOST,
                    "SIP_PORT": str(port),
                    "RUNTIME_DIR": str(settings.runtime_dir),
                    "MODULE_PATH": settings.module_path,
                    "DISPATCHER_LIST": str(settings.dispatcher_list),
                    "DB_DIR": str(kdir / "db"),
                }
            ),
            encoding="utf-8",
        )
    env = {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "LANG": "C.UTF-8",
        "PROBOX_REPO": str(REPO),
        "PROBOX_SNAPSHOT": str(snapshot_path),
        "PROBOX_EDGE_ID": "edge-bench",
    }
    argv = [
        KAMAILIO,
        "-f",
        str(cfg),
        "-DD",
        "-E",
        "-m",
        str(SHM_MB),
        "-M",
        "16",
        "-P",
        str(settings.runtime_dir / "k.pid"),
    ]
    p = ManagedProcess(f"kamailio-{kind}", argv, kdir / "kamailio.log", env=env)
    ps.add(p)
    p.start()
    p.wait_udp_sip(LOCALHOST, port, timeout=30)
    return Edge(kind, p, port, kdir)


# ---------------------------------------------------------------------------------------
# bench 1


@dataclass
class RateRun:
    kind: str
    what: str  # "register" | "call"
    rate: float  # successful per second in the steady window
    failed_pct: float
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.failed_pct < 1.0


def closed_loop(
    ps: Procs,
    scenario: str,
    target: tuple[str, int],
    run_dir: Path,
    rows: list[list[str]],
    *,
    seconds: float,
    in_flight: int,
    params: dict[str, str | int] | None = None,
    groups: dict[str, int] | None = None,
) -> tuple[float, float, dict[str, float]]:
    """(successful/s, failed %, CPU % per group) over the run minus a 2 s warm-up."""
    s = Sipp(
        scenario,
        target,
        run_dir,
        rows=rows,
        params=params,
        extra=["-r", "100000", "-l", str(in_flight), "-timeout", f"{int(seconds)}s", "-max_retrans", "3"],
    )
    s.start(ps)
    meter = CpuMeter({**(groups or {}), "sipp-uac": s.proc.pid or 0})
    time.sleep(2)
    meter.start()
    time.sleep(max(seconds - 3, 1))
    cpu = meter.stop()  # while SIPp still runs
    s.wait(seconds + 15)
    dt, ok, failed, _created = s.stats().window(2.0)
    rate = ok / dt if dt > 0 else 0.0
    failed_pct = 100.0 * failed / max(ok + failed, 1)
    return rate, failed_pct, cpu


def bench_edge(
    work: Path, *, seconds: float, rounds: int, children: int, n_users: int, in_flight: int
) -> dict[str, Any]:
    snap = make_snapshot(n_users)
    snapshot_path = work / "snapshot.json"
    write_snapshot(snapshot_path, snap)
    rows = user_rows(n_users)
    runs: list[RateRun] = []
    with_procs = Procs()
    try:
        uas_port = free_port("udp")
        uas = Sipp("uas.xml", None, work / "uas", port=uas_port).start(with_procs)
        edges = {
            kind: start_edge(with_procs, kind, work, snapshot_path, snap, [(LOCALHOST, uas_port)], children=children)
            for kind in ("native", "kemi")
        }
        for r in range(rounds):
            order = ("native", "kemi") if r % 2 == 0 else ("kemi", "native")
            for kind in order:
                e = edges[kind]
                groups = {"kamailio": e.proc.pid or 0, "sipp-uas": uas.proc.pid or 0}
                for what, scen, params in (
                    ("register", "reg_auth.xml", None),
                    ("call", "call_auth.xml", {"HOLD_MS": HOLD_MS}),
                ):
                    rate, failed_pct, cpu = closed_loop(
                        with_procs,
                        scen,
                        (LOCALHOST, e.port),
                        work / f"r{r}-{kind}-{what}",
                        rows,
                        seconds=seconds,
                        in_flight=in_flight,
                        params=params,
                        groups=groups,
                    )
                    runs.append(RateRun(kind, what, rate, failed_pct, cpu))
                    print(f"bench1 round {r} {kind:6} {what:8} {rate:8.0f}/s failed {failed_pct:.2f}% cpu {cpu}")
    finally:
        with_procs.stop_all()

    def med(kind: str, what: str) -> float | None:
        vals = [x.rate for x in runs if x.kind == kind and x.what == what and x.valid]
        return median(vals)

    out: dict[str, Any] = {"runs": [x.__dict__ for x in runs], "children": children, "users": n_users}
    for what in ("register", "call"):
        n, k = med("native", what), med("kemi", what)
        out[what] = {"native": n, "kemi": k, "ratio": (k / n) if n and k else None}
    return out


# ---------------------------------------------------------------------------------------
# bench 3: post-dial delay through edge + media worker


def start_worker(
    ps: Procs, work: Path, proxy_port: int, port: int, wid: str, rtp_range: int = 2000, rtp_base: int | None = None
) -> ManagedProcess:
    import sys

    rtp = rtp_base or free_port_block(rtp_range)
    argv = [
        sys.executable, "-m", "edge_node.media_worker",
        "--sip-host", LOCALHOST, "--sip-port", str(port),
        "--proxy", f"{LOCALHOST}:{proxy_port}", "--spool", str(work / f"spool-{wid}"),
        "--edge-id", "edge-bench", "--worker-id", wid, "--ring-timeout", "30",
        "--rtp-port", str(rtp), "--rtp-port-range", str(rtp_range),
    ]  # fmt: skip
    w = ManagedProcess(f"worker-{wid}", argv, work / f"worker-{wid}.log", cwd=REPO)
    w.env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    ps.add(w)
    w.start()
    w.wait_udp_sip(LOCALHOST, port, timeout=30)
    return w


def register_all(ps: Procs, edge_port: int, work: Path, rows: list[list[str]], local_port: int) -> int:
    """Register every extension with the Contact on ``local_port`` (where the callee UAS
    will listen): same source port, so no NAT aliasing."""
    s = Sipp(
        "reg_auth.xml",
        (LOCALHOST, edge_port),
        work / "register-callees",
        rows=rows,
        port=local_port,
        extra=["-r", "500", "-m", str(len(rows)), "-timeout", "60s"],
    )
    s.start(ps)
    rc = s.wait(70)
    return rc


def _rtt_run(
    ps: Procs,
    scenario: str,
    target: tuple[str, int],
    run_dir: Path,
    rows: list[list[str]],
    *,
    rate: float,
    seconds: float,
) -> tuple[list[float], float, int]:
    """Open loop at ``rate`` calls/s for ``seconds``: (rtd 1 per call in ms, failed %, calls)."""
    n = max(int(rate * seconds), 1)
    s = Sipp(
        scenario,
        target,
        run_dir,
        rows=rows,
        params={"HOLD_MS": HOLD_MS},
        extra=[
            "-r", f"{rate:g}", "-m", str(n), "-l", "2000", "-timeout", f"{int(seconds + 20)}s",
            "-trace_rtt", "-rtt_freq", "1", "-default_behaviors", "all,-abortunexp",
        ],
    )  # fmt: skip
    s.start(ps)
    s.wait(seconds + 30)
    ok, failed = s.stats().totals()
    return s.rtts(), 100.0 * failed / max(ok + failed, 1), ok + failed


def bench_pdd(work: Path, *, seconds: float, n_users: int, low_rate: float = 5.0) -> dict[str, Any]:
    """Post-dial delay (authenticated INVITE -> 200 from an auto-answering callee) through
    edge (KEMI) + one media worker, against the same call made straight to the callee
    SIPp, at low load and at 80 % of the worker path's closed-loop capacity."""
    snap = make_snapshot(n_users, record=False)
    snapshot_path = work / "snapshot.json"
    write_snapshot(snapshot_path, snap)
    rows = user_rows(n_users)
    ps = Procs()
    out: dict[str, Any] = {}
    try:
        worker_port = free_port("udp")
        edge = start_edge(ps, "kemi", work, snapshot_path, snap, [(LOCALHOST, worker_port)], children=4)
        worker = start_worker(ps, work, edge.port, worker_port, "pdd")
        callee_port = free_port("udp")
        rc = register_all(ps, edge.port, work, rows, callee_port)
        if rc != 0:
            raise RuntimeError(f"registering the callees failed (sipp rc={rc}) in {work / 'register-callees'}")
        uas = Sipp("uas.xml", None, work / "callee-uas", port=callee_port)
        uas.start(ps)
        time.sleep(0.5)
        target = (LOCALHOST, edge.port)
        direct = (LOCALHOST, callee_port)
        # capacity of edge + worker (closed loop, 20 in flight)
        groups = {"kamailio": edge.proc.pid or 0, "worker": worker.pid or 0}
        cap, cap_failed, cap_cpu = closed_loop(
            ps,
            "call_auth.xml",
            target,
            work / "capacity",
            rows,
            seconds=max(seconds, 8),
            in_flight=20,
            params={"HOLD_MS": HOLD_MS},
            groups=groups,
        )
        out["capacity_cps"] = cap
        out["capacity_failed_pct"] = cap_failed
        out["capacity_cpu"] = cap_cpu
        print(f"bench3 edge+worker capacity {cap:.0f} calls/s failed {cap_failed:.2f}% cpu {cap_cpu}")
        high_rate = max(round(0.8 * cap), 1)
        for label, rate in (("low", low_rate), ("load80", float(high_rate))):
            for path, scen, tgt in (("edge", "call_auth.xml", target), ("direct", "call_direct.xml", direct)):
                rtts, failed, n = _rtt_run(
                    ps, scen, tgt, work / f"pdd-{label}-{path}", rows, rate=rate, seconds=seconds
                )
                out[f"{label}_{path}"] = {
                    "rate": rate,
                    "calls": n,
                    "failed_pct": failed,
                    "p50_ms": percentile(rtts, 50),
                    "p99_ms": percentile(rtts, 99),
                    "max_ms": max(rtts) if rtts else None,
                    "over_30ms_pct": round(100.0 * sum(1 for x in rtts if x > 30) / len(rtts), 2) if rtts else None,
                    "samples": len(rtts),
                }
                print(f"bench3 {label} {path}: {out[f'{label}_{path}']}")
        for label in ("low", "load80"):
            e, d = out[f"{label}_edge"], out[f"{label}_direct"]
            out[f"{label}_added_p50_ms"] = (
                e["p50_ms"] - d["p50_ms"] if e["p50_ms"] is not None and d["p50_ms"] is not None else None
            )
            out[f"{label}_added_p99_ms"] = (
                e["p99_ms"] - d["p99_ms"] if e["p99_ms"] is not None and d["p99_ms"] is not None else None
            )
    finally:
        ps.stop_all()
    return out
