"""Start a real Kamailio with the ProBox cfg and KEMI script for integration tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from edge_node import kamailio_config as kc
from infra.procs import LOCALHOST, ManagedProcess, free_port
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
) -> tuple[KamailioProcess, int]:
    """Render the cfg into ``tmp_path/kamailio``, write the dispatcher list (set 1 =
    ``worker_addrs``), start ``kamailio -DD -E`` and wait until it answers an OPTIONS.

    The caller must ``stop()`` the process (use it as a context manager or in a fixture's
    ``finally``). If it does not come up, it is stopped before the error is raised.
    """
    kdir = tmp_path / "kamailio"
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
    )
    kc.write_dispatcher_list(worker_addrs, settings.dispatcher_list)
    cfg = kc.write(settings, kdir / "kamailio.cfg")
    env = {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "LANG": "C.UTF-8",
        "PROBOX_REPO": str(repo),
        "PROBOX_SNAPSHOT": str(snapshot_path),
        "PROBOX_EDGE_ID": edge_id,
    }
    argv = [KAMAILIO, "-f", str(cfg), "-DD", "-E", "-m", "64", "-M", "8", "-P", str(settings.pid_file)]
    proc = KamailioProcess(argv, kdir / "kamailio.log", env=env, settings=settings, cfg_path=cfg)
    proc.start()
    try:
        proc.wait_udp_sip(LOCALHOST, port, timeout=timeout)
    except BaseException:
        proc.stop()
        raise
    return proc, port


# ---------------------------------------------------------------------------------------
# test data


def tenant(
    tenant_id: str, domain: str, passwords: dict[str, str], *, max_calls: int = 10, **kw: object
) -> TenantConfig:
    """A TenantConfig whose extensions have the HA1 of these passwords (realm = domain)."""
    exts = {
        n: ExtensionConfig(number=n, ha1=sipauth.ha1(n, domain, pw), display_name=f"Ext {n}")
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
