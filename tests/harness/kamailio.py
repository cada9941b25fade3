"""Start a real Kamailio with the ProBox cfg and KEMI script for integration tests, alone
(``start_kamailio``) or as a whole edge node with real pjsua2 media workers
(``edge_node``: Kamailio + workers on free loopback ports, stopped by PID at the end)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from edge_node import kamailio_config as kc
from edge_node import signing_key
from infra.procs import LOCALHOST, ManagedProcess, free_port, free_port_block
from pbx_core import sipauth
from pbx_core.snapshot import ExtensionConfig, Snapshot, TenantConfig, build

REPO = Path(__file__).resolve().parents[2]
KAMAILIO = shutil.which("kamailio") or "/usr/sbin/kamailio"
KAMCMD = shutil.which("kamcmd") or "/usr/sbin/kamcmd"


class KamailioProcess(ManagedProcess):
    """A ManagedProcess that also knows its cfg, port and RPC socket."""

    def __init__(
        self, argv: list[str], log_path: Path, *, env: dict[str, str], settings: kc.KamailioSettings, cfg_path: Path
    ) -> None:
        super().__init__("kamailio", argv, log_path, env=env)
        self.settings = settings
        self.cfg_path = cfg_path

    @property
    def port(self) -> int:
        return self.settings.sip_port

    @property
    def ctl_socket(self) -> Path:
        return self.settings.ctl_socket

    def kamcmd(self, *args: str, timeout: float = 10.0) -> str:
        """``kamcmd -s unix:<ctl socket> args...``; its stdout (raises on failure)."""
        r = subprocess.run(
            [KAMCMD, "-s", f"unix:{self.ctl_socket}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if r.returncode != 0:
            raise RuntimeError(f"kamcmd {' '.join(args)} failed ({r.returncode}): {r.stderr or r.stdout}")
        return r.stdout


def start_kamailio(
    tmp_path: Path,
    snapshot_path: Path,
    worker_addrs: list[tuple[str, int]],
    repo: Path = REPO,
    *,
    edge_id: str = "edge-test",
    children: int = 2,
    port: int | None = None,
    timeout: float = 20.0,
    name: str = "kamailio",
    dmq_peers: Sequence[tuple[str, int]] = (),
    **settings_kw: Any,
) -> tuple[KamailioProcess, int]:
    """Render the cfg into ``tmp_path/<name>``, write the dispatcher list (set 1 =
    ``worker_addrs``, set 2 = ``dmq_peers``), start ``kamailio -DD -E`` and wait until it
    answers an OPTIONS. ``settings_kw``: more ``KamailioSettings`` fields. The edge's
    signing key is ``tmp_path/signing.key`` (created if missing; workers started with
    ``start_worker(tmp_path, ...)`` share it).

    The caller must ``stop()`` the process (use it as a context manager or in a fixture's
    ``finally``). If it does not come up, it is stopped before the error is raised.
    """
    kdir = tmp_path / name
    kdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port("udp")
    settings = kc.KamailioSettings(
        listen_host=LOCALHOST,
        sip_port=port,
        kemi_script=repo / "kemi_scripts" / "probox_kemi.py",
        dispatcher_list=kdir / "dispatcher.list",
        runtime_dir=kdir / "run",
        children=children,
        log_stderr=True,
        dmq_peers=tuple(dmq_peers),
    )
    # The suites before the firewall (issue 14) send deliberate failures from 127.0.0.1 and
    # SIPp loads from it: it is trusted (never banned) unless a test says otherwise; the
    # firewall's own tests start edges with firewall_trusted=() and their own addresses.
    settings_kw.setdefault("firewall_trusted", (LOCALHOST,))
    settings = replace(settings, **settings_kw)
    kc.write_dispatcher_list(worker_addrs, settings.dispatcher_list, peers=tuple(dmq_peers))
    cfg = kc.write(settings, kdir / "kamailio.cfg")
    env = {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "LANG": "C.UTF-8",
        "PROBOX_REPO": str(repo),
        "PROBOX_SNAPSHOT": str(snapshot_path),
        "PROBOX_EDGE_ID": edge_id,
        "PROBOX_SIGNING_KEY": str(key_path(tmp_path)),
        **kc.firewall_environment(settings),
    }
    signing_key.ensure(key_path(tmp_path))
    argv = kc.command(cfg, shm_mb=64, pkg_mb=8, pid_file=settings.pid_file, kamailio=KAMAILIO)
    proc = KamailioProcess(argv, kdir / "kamailio.log", env=env, settings=settings, cfg_path=cfg)
    proc.name = name
    proc.start()
    try:
        proc.wait_udp_sip(LOCALHOST, port, timeout=timeout)
    except BaseException:
        proc.stop()
        raise
    return proc, port


def key_path(work_dir: Path) -> Path:
    """The edge's signing key of the Kamailio and workers started in ``work_dir``."""
    return work_dir / "signing.key"


# ---------------------------------------------------------------------------------------
# test data


def tenant(
    tenant_id: str,
    domain: str,
    passwords: dict[str, str],
    *,
    max_calls: int = 10,
    ext_settings: dict[str, dict[str, str]] | None = None,
    **kw: object,
) -> TenantConfig:
    """A TenantConfig whose extensions have the HA1 of these passwords (realm = domain).
    ``ext_settings``: more ExtensionConfig fields per extension (branch_id, outbound,
    caller_id...); ``kw``: more TenantConfig fields (trunks, numbers, blocklist...)."""
    extra = ext_settings or {}
    # the tests' carriers listen on loopback: the provider's exception (issue 13), as the
    # tests that go through the API set it on their tenants
    kw.setdefault("allow_private_trunk_hosts", True)
    exts = {
        n: ExtensionConfig(number=n, ha1=sipauth.ha1(n, domain, pw), display_name=f"Ext {n}", **extra.get(n, {}))
        for n, pw in passwords.items()
    }
    return TenantConfig(id=tenant_id, domain=domain, max_concurrent_calls=max_calls, extensions=exts, **kw)  # type: ignore[arg-type]


def write_snapshot(path: Path, snap: Snapshot) -> None:
    """Atomic replace, as the edge agent does (new inode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(snap.to_json(), encoding="utf-8")
    os.replace(tmp, path)


def snapshot(version: int, tenants: list[TenantConfig], edge_id: str = "edge-test") -> Snapshot:
    return build(version, tenants, edge_id)


# ---------------------------------------------------------------------------------------
# a whole edge node: Kamailio + real pjsua2 media workers


class WorkerProcess(ManagedProcess):
    """``python -m edge_node.media_worker`` on a free port, with its own spool."""

    def __init__(self, argv: list[str], log_path: Path, *, port: int, spool: Path, worker_id: str) -> None:
        super().__init__(f"worker-{worker_id}", argv, log_path, cwd=REPO)
        self.port = port
        self.spool = spool
        self.worker_id = worker_id


def start_worker(
    work_dir: Path,
    proxy_port: int,
    *,
    worker_id: str = "w1",
    edge_id: str = "edge-test",
    port: int | None = None,
    ring_timeout: float = 30.0,
    timeout: float = 20.0,
    trusted: tuple[str, ...] = (),
) -> WorkerProcess:
    """Start a media worker whose outbound proxy is the Kamailio on ``proxy_port`` (with
    the edge key of ``work_dir``); wait until it answers an OPTIONS. ``trusted``: sources
    it accepts SIP from besides that Kamailio. The caller must ``stop()`` it."""
    port = port or free_port()
    spool = work_dir / f"spool-{worker_id}"
    rtp = free_port_block(60)
    argv = [
        sys.executable, "-m", "edge_node.media_worker",
        "--sip-host", LOCALHOST, "--sip-port", str(port),
        "--proxy", f"{LOCALHOST}:{proxy_port}", "--spool", str(spool),
        "--edge-id", edge_id, "--worker-id", worker_id, "--ring-timeout", str(ring_timeout),
        "--rtp-port", str(rtp), "--rtp-port-range", "60", "--signing-key", str(key_path(work_dir)),
    ]  # fmt: skip
    if trusted:
        argv += ["--trusted-sources", ",".join((f"{LOCALHOST}:{proxy_port}", *trusted))]
    w = WorkerProcess(argv, work_dir / f"worker-{worker_id}.log", port=port, spool=spool, worker_id=worker_id)
    w.env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    w.start()
    try:
        w.wait_udp_sip(LOCALHOST, port, timeout=timeout)
    except BaseException:
        w.stop()
        raise
    return w


@dataclass
class EdgeNode:
    """One edge node under test: Kamailio, its media workers and its snapshot file."""

    kamailio: KamailioProcess
    workers: list[WorkerProcess]
    tmp: Path
    snapshot_path: Path
    edge_id: str
    extra: list[ManagedProcess] = field(default_factory=list)  # stopped with the node

    @property
    def port(self) -> int:
        return self.kamailio.port

    @property
    def target(self) -> tuple[str, int]:
        return (LOCALHOST, self.port)

    @property
    def key_path(self) -> Path:
        """The edge's signing key (shared by Kamailio and the workers)."""
        return key_path(self.tmp)

    def write(self, snap: Snapshot) -> None:
        """Replace the snapshot and wait until every Kamailio process may have seen it."""
        write_snapshot(self.snapshot_path, snap)
        time.sleep(1.2)

    def calls(self, tenant_id: str) -> int:
        """The tenant's active calls as this node counts them (dialog profile)."""
        out = self.kamailio.kamcmd("dlg.profile_get_size", "tenant_calls", tenant_id)
        m = re.search(r"\d+", out)
        assert m, out
        return int(m.group())

    def wait_calls(self, tenant_id: str, n: int, timeout: float = 5.0) -> int:
        deadline = time.monotonic() + timeout
        while (count := self.calls(tenant_id)) != n and time.monotonic() < deadline:
            time.sleep(0.1)
        return count

    def cdrs(self) -> list[dict[str, Any]]:
        out = []
        for w in self.workers:
            for path in sorted((w.spool / "cdr").glob("*.json")):
                with contextlib.suppress(OSError, ValueError):
                    out.append(json.loads(path.read_text()))
        return out

    def wait_cdr(self, call_id: str, timeout: float = 15.0) -> dict[str, Any]:
        """The CDR the workers spooled for the caller's Call-ID."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for c in self.cdrs():
                if c.get("call_id") == call_id:
                    return c
            time.sleep(0.2)
        raise AssertionError(f"no CDR for {call_id} in {timeout}s; have {[c.get('call_id') for c in self.cdrs()]}")

    def log_text(self) -> str:
        return self.kamailio.log_path.read_text(errors="replace")

    def why(self, *results: Any) -> str:
        parts = [r.describe() for r in results]
        parts.append("--- kamailio ---\n" + self.kamailio.tail(60))
        parts += [f"--- {w.name} ---\n" + w.tail(30) for w in self.workers]
        return "\n".join(parts)

    def stop(self) -> None:
        for p in self.extra:
            p.stop()
        for w in self.workers:
            w.stop()
        self.kamailio.stop()


@contextlib.contextmanager
def edge_node(
    tmp_path: Path,
    snap: Snapshot,
    *,
    name: str = "edge",
    workers: int = 1,
    ring_timeout: float = 30.0,
    port: int | None = None,
    dmq_peers: Sequence[tuple[str, int]] = (),
    **settings_kw: Any,
) -> Iterator[EdgeNode]:
    """Start Kamailio and ``workers`` media workers for ``snap`` under ``tmp_path/name``;
    everything is stopped by PID when the block ends, also when the test fails."""
    ndir = tmp_path / name
    snapshot_path = ndir / "snapshot.json"
    write_snapshot(snapshot_path, snap)
    port = port or free_port()
    worker_ports = [free_port() for _ in range(workers)]
    kam, _ = start_kamailio(
        ndir,
        snapshot_path,
        [(LOCALHOST, p) for p in worker_ports],
        edge_id=name,
        port=port,
        dmq_peers=dmq_peers,
        **settings_kw,
    )
    node = EdgeNode(kam, [], ndir, snapshot_path, name)
    try:
        for i, wp in enumerate(worker_ports, start=1):
            node.workers.append(
                start_worker(ndir, port, worker_id=f"{name}-w{i}", edge_id=name, port=wp, ring_timeout=ring_timeout)
            )
        yield node
    finally:
        node.stop()
