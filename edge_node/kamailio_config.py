"""Render kamailio.cfg for an edge node from infra/kamailio/kamailio.cfg.tmpl.

The template holds only core settings and module parameters; the routing is the Python
KEMI script. Rendering is pure string work (no root, no network): every runtime file
(ctl/JSON-RPC sockets, pid file) lives in ``runtime_dir``. ``command()`` is the command
line to run it with:

    kamailio -x tlsf -f <cfg> -DD -E -m <shm MB> -M <pkg MB> [-P <pid file>]

SIP over TLS: with ``tls_certificate`` and ``tls_private_key`` set, Kamailio also listens
for TLS on ``tls_port`` (5061) and ``write()`` puts the tls module's profiles in
``<runtime_dir>/tls.cfg`` (``tls_cfg()``): TLS 1.2 or newer, forward-secret AEAD ciphers;
phones need no client certificate; carriers' certificates (TLS trunks) are checked against
``tls_ca_list``.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[1] / "infra" / "kamailio" / "kamailio.cfg.tmpl"
DEFAULT_MODULE_PATH = "/usr/lib/x86_64-linux-gnu/kamailio/modules/"

_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")
PIKE_MAX_HITS = 65_535  # pike's requests-per-unit limit is an unsigned short
PEER_SET = 2  # dispatcher set of the other edge nodes (KDMQ is accepted from them)

# Kamailio's memory manager (-x: shared memory, and private memory too when -X is not
# given). The default q_malloc searches its free lists bucket by bucket: in a process
# whose private heap is one big free block (the KEMI cfg has almost no script to parse,
# so nothing splits it at startup) every allocation walks ~2,100 empty buckets — about
# 40 % of the CPU of a KEMI REGISTER in perf. TLSF finds a block in constant time.
MEMORY_MANAGER = "tlsf"

# db_text tables for uac_reg (Kamailio 5.6 schema); the records are added over RPC.
UACREG_TABLE = (
    "id(int,auto) l_uuid(string) l_username(string) l_domain(string) r_username(string) "
    "r_domain(string) realm(string) auth_username(string) auth_password(string) auth_ha1(string) "
    "auth_proxy(string) expires(int) flags(int) reg_delay(int) contact_addr(string) socket(string) \n"
)
DB_VERSION_TABLE = "id(int,auto) table_name(string) table_version(int) \n0:uacreg:5\n"

# TLS (phones and TLS trunks): 1.2 or newer; for 1.2 only ECDHE with AES-GCM or ChaCha20
# (Mozilla's "intermediate" list less DHE: forward secrecy, AEAD); TLS 1.3 suites are
# OpenSSL's defaults, all AEAD.
TLS_METHOD = "TLSv1.2+"
TLS_CIPHERS = (
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
)
SYSTEM_CA_LIST = Path("/etc/ssl/certs/ca-certificates.crt")  # Debian's ca-certificates


@dataclass(frozen=True)
class KamailioSettings:
    kemi_script: Path
    dispatcher_list: Path
    runtime_dir: Path
    listen_host: str = "127.0.0.1"
    sip_port: int = 5060  # UDP and TCP
    children: int = 4
    log_stderr: bool = False
    debug_level: int = 2  # 2 = info (the KEMI script logs at info)
    module_path: str = DEFAULT_MODULE_PATH
    ds_ping_interval: int = 0  # seconds between OPTIONS pings to the workers; 0 = off
    dialog_timeout: int = 21600  # a dialog without BYE leaves the tenant's count after 6 h
    # In-dialog OPTIONS to the media worker of every call (Kamailio's minimum is 30 s):
    # a crashed worker is noticed after about ka_interval + 8 s (tm timeout) + 10 s.
    dialog_ka_interval: int = 30
    dialog_ka_timer: int = 5  # granularity of the keepalive timer
    # F11 across edge nodes: the other nodes' SIP addresses; non-empty = DMQ replication of
    # the dialog profiles (dispatcher set 2 = these peers, allowed to send KDMQ).
    dmq_peers: tuple[tuple[str, int], ...] = ()
    reg_timer_interval: int = 10  # uac_reg: how often registrations are checked/refreshed
    reg_retry_interval: int = 30  # uac_reg: retry a failed registration after this
    trunk_sync_interval: int = 5  # the KEMI script syncs uac_reg with the snapshot
    natping_interval: int = 25  # keepalive packets to registered contacts behind NAT
    # the longest registration a phone gets (it re-registers before it ends; a REGISTER asking
    # for more gets this); a SIP peer that cannot re-register (a benchmark's callee) needs more
    max_expires: int = 3600
    # Firewall (issue 14, kemi_scripts/firewall.py; the KEMI script reads these from the
    # environment ``environment()`` gives): requests a second from one address before it is
    # banned as a flood (pike), addresses never banned, the country file (S4; "" = no
    # country check), the folder of security events for the agent, thresholds.
    flood_per_second: int = 300  # at most PIKE_MAX_HITS
    firewall_trusted: tuple[str, ...] = ()
    country_file: str = ""
    security_spool: str = ""
    firewall_policy: str = ""  # "stranger_points=5,account_failures=5,learned_points=30"
    blocklists: tuple[str, ...] = ()  # APIBAN / CrowdSec plain lists (files), shared reputation
    # SIP over TLS: off unless both are set (PEM; the certificate file may hold the chain)
    tls_certificate: Path | None = None
    tls_private_key: Path | None = None
    tls_port: int = 5061
    # CAs that sign carriers' certificates (TLS trunks); None = do not verify them (tests
    # against a self-signed peer only: never in production)
    tls_ca_list: Path | None = SYSTEM_CA_LIST

    @property
    def tls(self) -> bool:
        return self.tls_certificate is not None and self.tls_private_key is not None

    @property
    def tls_cfg_path(self) -> Path:
        """The tls module's profiles (``tls_cfg()``), written by ``write()``."""
        return self.runtime_dir / "tls.cfg"

    @property
    def db_dir(self) -> Path:
        """db_text folder of the (empty) uac_reg table."""
        return self.runtime_dir / "db"

    @property
    def ctl_socket(self) -> Path:
        """binrpc socket: ``kamcmd -s unix:<ctl_socket> ul.dump``."""
        return self.runtime_dir / "kamailio_ctl"

    @property
    def rpc_fifo(self) -> Path:
        return self.runtime_dir / "kamailio_rpc.fifo"

    @property
    def pid_file(self) -> Path:
        return self.runtime_dir / "kamailio.pid"


def _check_text(name: str, value: str) -> str:
    if not value or any(c in value for c in '"\r\n\\') or "@@" in value:
        raise ValueError(f"{name} must be a non-empty string without quotes, backslashes or newlines: {value!r}")
    return value


def _check_int(name: str, value: int, low: int, high: int) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}]: {value!r}")
    return str(value)


def _dmq_load(s: KamailioSettings) -> str:
    return 'loadmodule "dmq.so"' if s.dmq_peers else "# (DMQ off: a single edge node)"


def _dmq_params(s: KamailioSettings) -> str:
    if not s.dmq_peers:
        return "# (DMQ off: call counts are per node)"
    lines = [
        f'modparam("dmq", "server_address", "sip:{s.listen_host}:{s.sip_port}")',
        'modparam("dmq", "multi_notify", 0)',
        'modparam("dmq", "num_workers", 2)',
    ]
    for host, port in s.dmq_peers:
        ipaddress.ip_address(host)
        _check_int("dmq peer port", port, 1, 65535)
        lines.append(f'modparam("dmq", "notification_address", "sip:{host}:{port}")')
    lines.append('modparam("dialog", "enable_dmq", 1)')
    lines.append('modparam("htable", "enable_dmq", 1)')
    return "\n".join(lines)


def _tls_module(s: KamailioSettings) -> str:
    if not s.tls:
        return "# (TLS off: no certificate configured)"
    return "\n".join(
        [
            'loadmodule "tls.so"',
            f'modparam("tls", "config", "{_check_text("tls_cfg_path", str(s.tls_cfg_path))}")',
            # a peer that opens a connection and never sends anything is dropped after 60 s
            'modparam("tls", "connection_timeout", 60)',
        ]
    )


def tls_cfg(s: KamailioSettings) -> str:
    """The tls module's profile file: the edge as a server (phones, no client certificate
    asked) and as a client (TLS trunks: the carrier's certificate checked against
    ``tls_ca_list``; the edge's own certificate offered if the carrier asks for one)."""
    if not s.tls:
        raise ValueError("tls_cfg() needs tls_certificate and tls_private_key")
    cert = _check_text("tls_certificate", str(s.tls_certificate))
    key = _check_text("tls_private_key", str(s.tls_private_key))
    common = [f"method = {TLS_METHOD}", f"cipher_list = {TLS_CIPHERS}", f"certificate = {cert}", f"private_key = {key}"]
    client = [*common]
    if s.tls_ca_list is not None:
        client += ["verify_certificate = yes", f"ca_list = {_check_text('tls_ca_list', str(s.tls_ca_list))}"]
    else:
        client += ["verify_certificate = no"]
    lines = [
        "# Rendered by edge_node/kamailio_config.py (tls_cfg): edit KamailioSettings, not this file.",
        "[server:default]",
        *common,
        "verify_certificate = no",
        "require_certificate = no",
        "",
        "[client:default]",
        *client,
        "require_certificate = no",
        "",
    ]
    return "\n".join(lines)


def _values(s: KamailioSettings) -> dict[str, str]:
    try:
        ipaddress.ip_address(s.listen_host)
    except ValueError as exc:
        raise ValueError(f"listen_host must be an IP address: {s.listen_host!r}") from exc
    return {
        "LISTEN_HOST": s.listen_host,
        "SIP_PORT": _check_int("sip_port", s.sip_port, 1, 65535),
        "CHILDREN": _check_int("children", s.children, 1, 64),
        "LOG_STDERR": "yes" if s.log_stderr else "no",
        "DEBUG_LEVEL": _check_int("debug_level", s.debug_level, -5, 3),
        "RUNTIME_DIR": _check_text("runtime_dir", str(s.runtime_dir)),
        "MODULE_PATH": _check_text("module_path", s.module_path),
        "KEMI_SCRIPT": _check_text("kemi_script", str(s.kemi_script)),
        "DISPATCHER_LIST": _check_text("dispatcher_list", str(s.dispatcher_list)),
        "DS_PING_INTERVAL": _check_int("ds_ping_interval", s.ds_ping_interval, 0, 3600),
        "DS_PROBING_MODE": "1" if s.ds_ping_interval > 0 else "0",
        "DIALOG_TIMEOUT": _check_int("dialog_timeout", s.dialog_timeout, 60, 7 * 86400),
        "DLG_KA_INTERVAL": "0"
        if s.dialog_ka_interval == 0
        else _check_int("dialog_ka_interval", s.dialog_ka_interval, 30, 3600),
        "DLG_KA_TIMER": "0" if s.dialog_ka_interval == 0 else _check_int("dialog_ka_timer", s.dialog_ka_timer, 1, 60),
        "DMQ_LOAD": _dmq_load(s),
        "DMQ_PARAMS": _dmq_params(s),
        "HTABLE_RINGING": "ringing=>size=10;autoexpire=300;" + ("dmqreplicate=1;" if s.dmq_peers else ""),
        "HTABLE_FWBAN": "fwban=>size=12;autoexpire=86400;" + ("dmqreplicate=1;" if s.dmq_peers else ""),
        "HTABLE_FWSTRIKE": "fwstrike=>size=12;autoexpire=604800;" + ("dmqreplicate=1;" if s.dmq_peers else ""),
        "HTABLE_FWLEARN": "fwlearn=>size=12;autoexpire=2592000;" + ("dmqreplicate=1;" if s.dmq_peers else ""),
        # pike keeps its limit in an unsigned short (ip_tree.h: max_hits): a larger value
        # wraps (1,000,000 became 16,960 and banned a busy trunk's 17,000 requests/s)
        "FLOOD_PER_SECOND": _check_int("flood_per_second", s.flood_per_second, 10, PIKE_MAX_HITS),
        "DB_DIR": _check_text("db_dir", str(s.db_dir)),
        "REG_CONTACT": f"{s.listen_host}:{s.sip_port}",
        "REG_TIMER_INTERVAL": _check_int("reg_timer_interval", s.reg_timer_interval, 1, 3600),
        "REG_RETRY_INTERVAL": _check_int("reg_retry_interval", s.reg_retry_interval, 1, 86400),
        "TRUNK_SYNC_INTERVAL": _check_int("trunk_sync_interval", s.trunk_sync_interval, 1, 3600),
        "NATPING_INTERVAL": _check_int("natping_interval", s.natping_interval, 0, 3600),
        "MAX_EXPIRES": _check_int("max_expires", s.max_expires, 60, 86400),
        "ENABLE_TLS": "yes" if s.tls else "no",
        "TLS_LISTEN": f"listen=tls:{s.listen_host}:{_check_int('tls_port', s.tls_port, 1, 65535)}"
        if s.tls
        else "# (no TLS listener)",
        "TLS_MODULE": _tls_module(s),
    }


def render(s: KamailioSettings, template: Path | None = None) -> str:
    """The kamailio.cfg text for these settings. Raises ValueError on a bad setting."""
    text = (template or TEMPLATE).read_text(encoding="utf-8")
    values = _values(s)

    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in values:
            raise ValueError(f"template placeholder @@{key}@@ has no value")
        return values[key]

    return _PLACEHOLDER.sub(sub, text)


def dispatcher_list(workers: list[tuple[str, int]], setid: int = 1, peers: Sequence[tuple[str, int]] = ()) -> str:
    """A dispatcher list file: set ``setid`` = the media workers, set 2 = the other edge
    nodes (DMQ peers). Always with an explicit port: ds_is_from_list() treats a
    destination without port as matching any source port."""
    lines = ["# setid destination flags priority attrs"]
    for sid, entries in ((setid, workers), (PEER_SET, peers)):
        for host, port in entries:
            ipaddress.ip_address(host)
            _check_int("port", port, 1, 65535)
            lines.append(f"{sid} sip:{host}:{port};transport=udp 0 0")
    return "\n".join(lines) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(s: KamailioSettings, path: Path, template: Path | None = None) -> Path:
    """Render to ``path`` atomically and create ``runtime_dir`` with the db_text folder
    of the uac_reg table (and ``tls.cfg`` when TLS is on). Returns ``path``."""
    text = render(s, template)
    s.runtime_dir.mkdir(parents=True, exist_ok=True)
    s.db_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(s.db_dir / "uacreg", UACREG_TABLE)
    _write_atomic(s.db_dir / "version", DB_VERSION_TABLE)
    if s.tls:
        _write_atomic(s.tls_cfg_path, tls_cfg(s))
    _write_atomic(path, text)
    return path


def command(
    cfg: Path,
    *,
    shm_mb: int = 64,
    pkg_mb: int = 8,
    pid_file: Path | None = None,
    kamailio: str = "/usr/sbin/kamailio",
) -> list[str]:
    """The command line of a Kamailio running ``cfg``: in the foreground (-DD), logging to
    stderr (-E), with ``shm_mb`` MB of shared and ``pkg_mb`` MB of private memory per
    process and the TLSF memory manager (``MEMORY_MANAGER``)."""
    argv = [kamailio, "-x", MEMORY_MANAGER, "-f", str(cfg), "-DD", "-E"]
    argv += ["-m", _check_int("shm_mb", shm_mb, 8, 65536), "-M", _check_int("pkg_mb", pkg_mb, 1, 1024)]
    if pid_file is not None:
        argv += ["-P", str(pid_file)]
    return argv


def firewall_environment(s: KamailioSettings) -> dict[str, str]:
    """The firewall's settings as the KEMI script reads them (kemi_scripts/firewall.py):
    add them to the kamailio process's environment (the tests' harness does; a systemd
    unit sets them in its EnvironmentFile)."""
    env = {"PROBOX_FIREWALL_FLOOD": str(s.flood_per_second)}
    if s.firewall_trusted:
        env["PROBOX_FIREWALL_TRUSTED"] = ",".join(s.firewall_trusted)
    if s.country_file:
        env["PROBOX_COUNTRY_FILE"] = s.country_file
    if s.security_spool:
        env["PROBOX_SECURITY_SPOOL"] = s.security_spool
    if s.firewall_policy:
        env["PROBOX_FIREWALL_POLICY"] = s.firewall_policy
    if s.blocklists:
        env["PROBOX_BLOCKLISTS"] = ",".join(s.blocklists)
    return env


def write_dispatcher_list(
    workers: list[tuple[str, int]],
    path: Path,
    setid: int = 1,
    peers: Sequence[tuple[str, int]] = (),
) -> Path:
    _write_atomic(path, dispatcher_list(workers, setid, peers))
    return path
