"""The local ProBox stack as plain processes on loopback (no Docker): moto (DynamoDB, S3, SQS),
the Chalice control plane (`chalice local`), the live WebSocket server and the webhook
poller (the same handlers as the WebSocket API and the delivery Lambda in AWS), the web
console, the edge agent, Kamailio with the KEMI script and one pjsua2 media worker. `make run`
uses it; the integration tests start the same stack on free ports through pytest fixtures.

    python -m infra.local_stack run     # start, seed a demo tenant, print how to connect
    python -m infra.local_stack stop    # stop a stack started by `run` (by PID)
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import ctypes.util
import json
import os
import secrets
import shutil
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from infra.procs import ManagedProcess, free_port, free_port_block, tail, tcp_open

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SECRETS_ID = "probox/local/app"  # the local Secrets Manager secret (in moto) with the API's secrets


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _kept_secrets(path: Path) -> dict[str, str]:
    """The local stack's JWT secret and Fernet key, made once and kept (mode 0600): the SIP
    and trunk passwords kept in moto's state are encrypted with that key."""
    if path.exists():
        kept: dict[str, str] = json.loads(path.read_text())
        return kept
    values = {
        "jwt_secret": secrets.token_urlsafe(32),
        "secret_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        json.dump(values, f)
    return values


def agent_allocator_env(env: dict[str, str]) -> dict[str, str]:
    """The agent runs on jemalloc when the machine has it (Debian's ``libjemalloc2``; issue 18).

    Why: under a steady load glibc malloc keeps memory the agent has freed in its per-thread
    arenas (the delivery pool's threads), so the agent's resident memory rose in steps, +18.6 %
    in Bench 9's hour, while the memory it held was flat (heaptrack). jemalloc returns it
    (docs/operations.md, "The agent's memory"). ``PROBOX_AGENT_MALLOC=glibc`` keeps glibc's
    malloc, for comparisons. Returns the variables to add to the agent's environment.
    """
    if env.get("PROBOX_AGENT_MALLOC", "jemalloc") == "glibc":
        return {}
    lib = ctypes.util.find_library("jemalloc")
    if lib is None:
        return {}
    preload = " ".join(x for x in (env.get("LD_PRELOAD", ""), lib) if x)
    return {"LD_PRELOAD": preload}


@dataclass
class StackConfig:
    root: Path  # everything the stack writes lives under here
    host: str = "127.0.0.1"
    sip_port: int = 5060
    sip_tls_port: int = 5061  # SIP over TLS, with the self-signed certificate in tls_cert
    api_port: int = 8000
    moto_port: int = 5000
    console_port: int = 8080  # the web console (web/dist) and the API behind it, one origin
    ws_port: int = 8091  # the live WebSocket (infra/live_ws.py), proxied by the console at /ws
    ws_api_port: int = 8092  # its API Gateway management API (PROBOX_WS_ENDPOINT)
    webhook_queue: str = "probox-webhooks.fifo"
    worker_port: int = 5070
    rtp_port: int = 30000
    rtp_range: int = 2000
    ring_timeout_s: float = 30.0
    edge_id: str = "edge-local"
    bucket: str = "probox-recordings"
    table: str = "probox"
    region: str = "ap-southeast-1"
    snapshot_interval_s: float = 1.0
    kamailio_children: int = 4
    max_expires: int = 3600  # registrar: the longest registration (kamailio_config)
    agent_max_backoff_s: float = 60.0
    dns_servers: str = ""  # the agent resolves carrier names here ("" = the system's resolver)
    dns_refresh_s: float = 300.0  # ...and again this often (issue 13, DNS rebinding)
    persist: bool = False  # keep moto's data and the secrets across restarts (make run)
    jwt_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    secret_key: str = field(default_factory=lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())

    @classmethod
    def from_env(cls, root: Path) -> StackConfig:
        """``make run``'s stack: fixed ports, and its data kept across restarts (moto's state,
        the secrets that decrypt it) unless PROBOX_CLEAN=1 (``make run CLEAN=1``)."""
        persist = os.environ.get("PROBOX_CLEAN", "") not in ("1", "true", "yes")
        if not persist:
            shutil.rmtree(root / "moto-state", ignore_errors=True)
            (root / "secrets.json").unlink(missing_ok=True)
        kept = _kept_secrets(root / "secrets.json")
        return cls(
            root=root,
            persist=persist,
            jwt_secret=kept["jwt_secret"],
            secret_key=kept["secret_key"],
            sip_port=_env_int("PROBOX_SIP_PORT", 5060),
            sip_tls_port=_env_int("PROBOX_SIP_TLS_PORT", 5061),
            api_port=_env_int("PROBOX_API_PORT", 8000),
            moto_port=_env_int("PROBOX_MOTO_PORT", 5000),
            console_port=_env_int("PROBOX_CONSOLE_PORT", 8080),
            ws_port=_env_int("PROBOX_WS_PORT", 8091),
            ws_api_port=_env_int("PROBOX_WS_API_PORT", 8092),
            worker_port=_env_int("PROBOX_WORKER_PORT", 5070),
            rtp_port=_env_int("PROBOX_RTP_PORT", 30000),
            rtp_range=_env_int("PROBOX_RTP_PORT_RANGE", 2000),
        )

    @classmethod
    def free_ports(cls, root: Path, **kw: Any) -> StackConfig:
        """All ports chosen free on loopback (tests); ``kw`` overrides (e.g. a larger RTP range)."""
        rtp_range = int(kw.pop("rtp_range", 200))
        return cls(
            root=root,
            sip_port=free_port(),
            sip_tls_port=free_port(),
            api_port=free_port(),
            moto_port=free_port(),
            console_port=free_port(),
            ws_port=free_port(),
            ws_api_port=free_port(),
            worker_port=free_port(),
            rtp_port=kw.pop("rtp_port", None) or free_port_block(rtp_range),
            rtp_range=rtp_range,
            **kw,
        )

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.api_port}"

    @property
    def aws_endpoint_url(self) -> str:
        return f"http://{self.host}:{self.moto_port}"

    @property
    def console_url(self) -> str:
        return f"http://{self.host}:{self.console_port}/"

    @property
    def ws_url(self) -> str:
        return f"http://{self.host}:{self.ws_port}"

    @property
    def ws_endpoint(self) -> str:
        """The management API of the local WebSocket server (post_to_connection)."""
        return f"http://{self.host}:{self.ws_api_port}"

    @property
    def snapshot_path(self) -> Path:
        return self.root / "edge" / "snapshot.json"

    @property
    def spool(self) -> Path:
        return self.root / "spool"

    @property
    def tls_cert(self) -> Path:
        """The edge's self-signed TLS certificate (kept across runs: phones that trusted it
        keep trusting it; renewed 30 days before it expires). Its key is ``tls_key`` (0600)."""
        return self.root / "tls" / "edge.crt"

    @property
    def tls_key(self) -> Path:
        return self.root / "tls" / "edge.key"

    @property
    def signing_key(self) -> Path:
        """The edge's signing key, shared by Kamailio and the workers (0600, made at start)."""
        return self.root / "edge" / "signing.key"

    @property
    def music_on_hold(self) -> Path:
        """The workers' music on hold (edge_node.music writes the product's at first start)."""
        return self.root / "edge" / "music-on-hold.wav"

    @property
    def prompts(self) -> Path:
        """The queues' spoken prompts (edge_node.prompts makes them at the worker's first start)."""
        return self.root / "edge" / "prompts"

    @property
    def logs(self) -> Path:
        return self.root / "log"

    @property
    def moto_state(self) -> Path:
        """moto's DynamoDB tables and S3 objects, saved at stop and loaded at start (persist)."""
        return self.root / "moto-state"


@dataclass
class Login:
    """A console login (e-mail and password) the stack created."""

    email: str
    password: str
    role: str
    tenant_id: str | None = None


@dataclass
class Extension:
    number: str
    password: str


@dataclass
class Tenant:
    id: str
    name: str
    domain: str
    admin_token: str
    extensions: list[Extension] = field(default_factory=list)

    def password(self, number: str) -> str:
        return next(e.password for e in self.extensions if e.number == number)


class Stack:
    def __init__(self, cfg: StackConfig) -> None:
        self.cfg = cfg
        self.procs: dict[str, ManagedProcess] = {}
        self.provider_token = ""
        self.edge_token = ""
        self.tls: dict[str, Any] = {}  # the edge's certificate (edge_node.tls_cert.CertInfo.to_dict())
        self.webhook_queue_url = ""
        self.tenants: list[Tenant] = []
        self.logins: list[Login] = []

    # --- environment ------------------------------------------------------------------
    def aws_env(self) -> dict[str, str]:
        c = self.cfg
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            AWS_ENDPOINT_URL=c.aws_endpoint_url,
            AWS_DEFAULT_REGION=c.region,
            AWS_REGION=c.region,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",  # noqa: S106 - moto's dummy credentials
            PYTHONPATH=str(REPO),
            PYTHONUNBUFFERED="1",
        )
        return env

    def control_plane_env(self) -> dict[str, str]:
        c = self.cfg
        return {
            **self.aws_env(),
            "PROBOX_TABLE": c.table,
            "PROBOX_RECORDINGS_BUCKET": c.bucket,
            # As deployed: the API reads its JWT secret and Fernet key from Secrets Manager
            # (moto's here) at run time, never from its environment.
            "PROBOX_SECRETS_ID": SECRETS_ID,
            "PROBOX_SIP_PROXY": f"{c.host}:{c.sip_port}",
            # live events pushed to browsers through the local WebSocket server, webhooks
            # through moto's SQS; receivers on loopback allowed (local mode)
            "PROBOX_WS_ENDPOINT": c.ws_endpoint,
            "PROBOX_WEBHOOK_QUEUE_URL": self.webhook_queue_url,
            "PROBOX_WEBHOOKS_ALLOW_PRIVATE": "1",
            "PROBOX_WEBHOOK_BACKOFF_S": "2",  # retries 2 s, 4 s, 8 s... (AWS: 10 s, 20 s...)
        }

    def _tool(self, name: str, argv: list[str]) -> str:
        """Run a Python one-shot with the control plane's environment; its stdout."""
        c = self.cfg
        tool = ManagedProcess(name, [sys.executable, *argv], c.logs / f"{name}.log", env=self.control_plane_env())
        tool.start()
        assert tool.proc is not None
        if tool.proc.wait(60) != 0:
            raise RuntimeError(f"{name} failed:\n{tail(tool.log_path)}")
        return tool.log_path.read_text().strip().splitlines()[-1]

    def _proc(self, name: str, argv: list[str], env: dict[str, str], cwd: Path | None = None) -> ManagedProcess:
        p = ManagedProcess(name, argv, self.cfg.logs / f"{name}.log", env=env, cwd=cwd).start()
        self.procs[name] = p
        return p

    # --- start ------------------------------------------------------------------------
    def start(self, *, edge: bool = True) -> Stack:
        """Start the stack; ``edge=False``: storage, the control plane and the console only
        (browser tests: CDRs come through the edge API with the stack's edge token)."""
        c = self.cfg
        for d in (c.root, c.logs, c.spool, c.snapshot_path.parent, c.root / "kamailio"):
            d.mkdir(parents=True, exist_ok=True)
        try:
            self._start_moto()
            self._start_control_plane()
            self._start_live()
            self._create_edge()
            self._start_console()
            if edge:
                self._start_agent()
                self._start_kamailio()
                self._start_worker()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_moto(self) -> None:
        c = self.cfg
        # moto with the item-level transaction backup (issue 18), and its state kept across
        # restarts when the stack persists (make run)
        ready = c.root / "run" / "moto.ready"
        ready.parent.mkdir(parents=True, exist_ok=True)
        ready.unlink(missing_ok=True)
        argv = [sys.executable, "-m", "infra.moto_server", "--host", c.host, "--port", str(c.moto_port)]
        argv += ["--ready", str(ready)] + (["--state", str(c.moto_state)] if c.persist else [])
        p = self._proc("moto", argv, {**self.aws_env(), "PYTHONPATH": str(REPO)})
        p.wait_until(lambda: ready.exists() and tcp_open(c.host, c.moto_port), what="listening", timeout=600)
        self._tool("create-table", ["-c", "from control_plane.core.store import create_table; create_table()"])
        secrets_manager = self.aws("secretsmanager")
        values = json.dumps({"jwt_secret": c.jwt_secret, "secret_key": c.secret_key})
        try:
            secrets_manager.create_secret(Name=SECRETS_ID, SecretString=values)
        except secrets_manager.exceptions.ResourceExistsException:
            secrets_manager.put_secret_value(SecretId=SECRETS_ID, SecretString=values)

        s3 = self.aws("s3")
        with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
            s3.create_bucket(Bucket=c.bucket, CreateBucketConfiguration={"LocationConstraint": c.region})
        sqs = self.aws("sqs")
        attributes = {"FifoQueue": "true", "VisibilityTimeout": "120"}  # as template.yaml's WebhookQueue
        self.webhook_queue_url = sqs.create_queue(QueueName=c.webhook_queue, Attributes=attributes)["QueueUrl"]

    def _start_control_plane(self) -> None:
        c = self.cfg
        # infra.chalice_local: `chalice local` without the 40 ms delayed-ACK stall per answer
        argv = [sys.executable, "-m", "infra.chalice_local", "local", "--host", c.host, "--port", str(c.api_port)]
        argv.append("--no-autoreload")
        p = self._proc("control-plane", argv, self.control_plane_env(), cwd=REPO / "control_plane")
        p.wait_until(lambda: httpx.get(f"{c.api_url}/v1/health", timeout=1).status_code == 200, timeout=30)
        # As an operator would: a provider token signed with the secret and registered.
        argv = ["-m", "infra.provider_token", "--sub", "local-provider", "--ttl", str(7 * 86400)]
        self.provider_token = self._tool("provider-token", argv)

    def _start_live(self) -> None:
        """The live WebSocket server and the webhook poller: the handlers AWS runs as the
        WebSocket API's functions and the WebhookDelivery function, here as processes."""
        c = self.cfg
        argv = [
            sys.executable, "-m", "infra.live_ws", "--host", c.host, "--port", str(c.ws_port),
            "--api-port", str(c.ws_api_port),
        ]  # fmt: skip
        p = self._proc("live-ws", argv, self.control_plane_env())
        p.wait_tcp(c.host, c.ws_port)
        p.wait_tcp(c.host, c.ws_api_port)
        argv = [sys.executable, "-m", "infra.webhook_poller", "--queue-url", self.webhook_queue_url]
        self._proc("webhooks", argv, self.control_plane_env())

    def aws(self, service: str) -> Any:
        """A boto3 client of the stack's moto (its fixed test credentials)."""
        import boto3

        c = self.cfg
        client: Any = boto3.client  # its typed overloads want each service's literal name
        return client(
            service,
            endpoint_url=c.aws_endpoint_url,
            region_name=c.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106
        )

    def api(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.provider_token}"}
        return httpx.Client(base_url=self.cfg.api_url, headers=headers, timeout=15)

    def _create_edge(self) -> None:
        # One edge for the whole local installation: it serves every tenant, an explicit
        # choice (a new edge serves none until the provider lists its tenants, issue 13).
        with self.api() as api:
            r = api.post("/v1/edges", json={"id": self.cfg.edge_id, "tenants": None})
            if r.status_code == 409:  # kept from the last run (persisted stack): a new credential
                r = api.post(f"/v1/edges/{self.cfg.edge_id}/token")
            r.raise_for_status()
            self.edge_token = r.json()["token"]  # an access token (1 h) for tests posting as the edge
            credential = self.cfg.root / "edge" / "edge.credential"
            credential.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(credential, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(r.json()["credential"] + "\n")

    def _start_console(self) -> None:
        """The web console (built into web/dist by `make web`) with the API behind it."""
        c = self.cfg
        argv = [
            sys.executable, "-m", "infra.console", "serve", "--api", c.api_url,
            "--host", c.host, "--port", str(c.console_port), "--media-origin", c.aws_endpoint_url,
            "--ws", c.ws_url,
        ]  # fmt: skip
        p = self._proc("console", argv, {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"})
        p.wait_tcp(c.host, c.console_port)

    def _start_agent(self) -> None:
        c = self.cfg
        env = {
            **self.aws_env(),
            "PROBOX_API_URL": c.api_url,
            "PROBOX_EDGE_CREDENTIAL_FILE": str(self.cfg.root / "edge" / "edge.credential"),
            "PROBOX_SNAPSHOT": str(c.snapshot_path),
            "PROBOX_SPOOL": str(c.spool),
            "PROBOX_RECORDINGS_BUCKET": c.bucket,
            "PROBOX_EDGE_ID": c.edge_id,
            "PROBOX_SNAPSHOT_INTERVAL": str(c.snapshot_interval_s),
            "PROBOX_AGENT_MAX_BACKOFF": str(c.agent_max_backoff_s),
            "PROBOX_EDGE_DNS": c.dns_servers,
            "PROBOX_EDGE_DNS_REFRESH_S": str(c.dns_refresh_s),
        }
        env.update(agent_allocator_env(env))
        p = self._proc("agent", [sys.executable, "-m", "edge_node.agent"], env)
        p.wait_until(lambda: c.snapshot_path.exists(), what="holding a snapshot")

    def _start_kamailio(self) -> None:
        from edge_node import kamailio_config as kc
        from edge_node import signing_key, tls_cert

        c = self.cfg
        signing_key.ensure(c.signing_key)
        self.tls = tls_cert.ensure(c.tls_cert, c.tls_key, [c.host]).to_dict()
        kdir = c.root / "kamailio"
        ds = kdir / "dispatcher.list"
        ds.write_text(f"1 sip:{c.host}:{c.worker_port} 0 0\n")
        settings = kc.KamailioSettings(
            listen_host=c.host,
            sip_port=c.sip_port,
            kemi_script=REPO / "kemi_scripts" / "probox_kemi.py",
            dispatcher_list=ds,
            runtime_dir=kdir,
            children=c.kamailio_children,
            max_expires=c.max_expires,
            tls_certificate=c.tls_cert,
            tls_private_key=c.tls_key,
            tls_port=c.sip_tls_port,
        )
        cfg_path = kdir / "kamailio.cfg"
        kc.write(settings, cfg_path)
        env = {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
            "PROBOX_REPO": str(REPO),
            "PROBOX_SNAPSHOT": str(c.snapshot_path),
            "PROBOX_EDGE_ID": c.edge_id,
            "PROBOX_SIGNING_KEY": str(c.signing_key),
        }
        argv = kc.command(cfg_path, shm_mb=64, pkg_mb=8)
        p = self._proc("kamailio", argv, env)
        p.wait_udp_sip(c.host, c.sip_port)

    def worker_argv(self, worker_id: str = "w1", port: int | None = None) -> list[str]:
        c = self.cfg
        return [
            sys.executable, "-m", "edge_node.media_worker",
            "--sip-host", c.host, "--sip-port", str(port or c.worker_port),
            "--proxy", f"{c.host}:{c.sip_port}", "--spool", str(c.spool),
            "--edge-id", c.edge_id, "--worker-id", worker_id,
            "--ring-timeout", str(c.ring_timeout_s),
            "--rtp-port", str(c.rtp_port), "--rtp-port-range", str(c.rtp_range),
            "--signing-key", str(c.signing_key),
            "--music-on-hold", str(c.music_on_hold),
            "--snapshot", str(c.snapshot_path),
            "--prompts", str(c.prompts),
        ]  # fmt: skip

    def _start_worker(self) -> None:
        c = self.cfg
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        p = self._proc("worker", self.worker_argv(), env)
        p.wait_udp_sip(c.host, c.worker_port)

    # --- failures (tests) ---------------------------------------------------------------
    def restart(self, name: str) -> ManagedProcess:
        """Stop a process (if alive) and start it again with the same command and env."""
        old = self.procs[name]
        old.stop()
        p = self._proc(name, old.argv, old.env or dict(os.environ), old.cwd)
        c = self.cfg
        if name == "control-plane":
            p.wait_until(lambda: httpx.get(f"{c.api_url}/v1/health", timeout=1).status_code == 200, timeout=30)
        elif name == "worker":
            p.wait_udp_sip(c.host, c.worker_port)
        elif name == "kamailio":
            p.wait_udp_sip(c.host, c.sip_port)
        return p

    def pause(self, name: str) -> None:
        """Freeze a process (SIGSTOP): it holds its sockets but answers nothing, like a
        hung or unreachable service."""
        self.procs[name].signal(signal.SIGSTOP)

    def resume(self, name: str) -> None:
        self.procs[name].signal(signal.SIGCONT)

    # --- seeding ----------------------------------------------------------------------
    def create_tenant(
        self, name: str, domain: str, numbers: list[str], *, pickup_group: str = "", **extra: Any
    ) -> Tenant:
        with self.api() as api:
            r = api.post("/v1/tenants", json={"name": name, "domain": domain, **extra})
            existing = self._tenant_of(api, domain) if r.status_code == 409 else None
            if existing is None:
                r.raise_for_status()
            tid = existing or r.json()["id"]
            r = api.post(f"/v1/tenants/{tid}/admin-tokens")
            r.raise_for_status()
            tenant = Tenant(id=tid, name=name, domain=domain, admin_token=r.json()["token"])
        with self.api(tenant.admin_token) as api:
            for n in numbers:
                body = {"number": n, "display_name": f"Ext {n}", "pickup_group": pickup_group}
                made = api.post("/v1/extensions", json=body)
                if made.status_code != 409:  # 409: kept from the last run (persisted stack)
                    made.raise_for_status()
                link = api.post(f"/v1/extensions/{n}/provisioning")
                link.raise_for_status()
                # The one-time provisioning URL is how credentials reach a phone.
                prov = httpx.post(self.cfg.api_url + link.json()["url"], timeout=15)
                prov.raise_for_status()
                tenant.extensions.append(Extension(n, prov.json()["sip_password"]))
        self.tenants.append(tenant)
        return tenant

    @staticmethod
    def _tenant_of(api: httpx.Client, domain: str) -> str | None:
        """The id of the tenant with ``domain`` (provider's list), if any."""
        cursor = None
        while True:
            r = api.get("/v1/tenants", params={"limit": 200, **({"cursor": cursor} if cursor else {})})
            r.raise_for_status()
            for t in r.json()["items"]:
                if t["domain"] == domain:
                    return str(t["id"])
            cursor = r.json()["next"]
            if not cursor:
                return None

    def create_user(self, tenant: Tenant | None, email: str, role: str, extension: str = "") -> Login:
        """A console user with a generated password (a provider operator when ``tenant`` is None);
        a user kept from the last run (persisted stack) gets a new password."""
        password = secrets.token_urlsafe(15)  # 20 characters
        body: dict[str, Any] = {"email": email, "name": email.split("@")[0], "role": role, "password": password}
        if extension:
            body["extension"] = extension
        with self.api(tenant.admin_token if tenant else None) as api:
            r = api.post("/v1/users", json=body)
            if r.status_code == 409:
                users = api.get("/v1/users").json()["items"]
                [uid] = [u["id"] for u in users if u["email"] == email]
                api.patch(f"/v1/users/{uid}", json={"password": password}).raise_for_status()
            else:
                r.raise_for_status()
        login = Login(email, password, role, tenant.id if tenant else None)
        self.logins.append(login)
        return login

    def wait_snapshot(self, predicate: Any, timeout: float = 15.0) -> None:
        """Wait until the edge's snapshot file satisfies ``predicate(dict)``, then let
        Kamailio's per-process reload (≤ 1 s) see it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError):
                if predicate(json.loads(self.cfg.snapshot_path.read_text())):
                    time.sleep(1.2)
                    return
            time.sleep(0.1)
        raise TimeoutError("edge snapshot did not catch up")

    def wait_tenant_on_edge(self, tenant: Tenant) -> None:
        want = {e.number for e in tenant.extensions}

        def ok(s: dict[str, Any]) -> bool:
            for t in s.get("tenants", []):
                if t["id"] == tenant.id:
                    return want <= {e["number"] for e in t["extensions"]}
            return False

        self.wait_snapshot(ok)

    def info(self) -> dict[str, Any]:
        c = self.cfg
        return {
            "api_url": c.api_url,
            "console_url": c.console_url,
            "live_ws_url": c.console_url.replace("http://", "ws://") + "ws",
            "webhook_queue_url": self.webhook_queue_url,
            "logins": [
                {"email": x.email, "password": x.password, "role": x.role, "tenant_id": x.tenant_id}
                for x in self.logins
            ],
            "aws_endpoint_url": c.aws_endpoint_url,
            "recordings_bucket": c.bucket,
            "table": c.table,
            "sip_host": c.host,
            "sip_port": c.sip_port,
            "sip_transport": "udp",
            "sip_tls_port": c.sip_tls_port,
            "tls_certificate": self.tls.get("cert", ""),
            "tls_fingerprint_sha256": self.tls.get("fingerprint_sha256", ""),
            "edge_id": c.edge_id,
            "provider_token": self.provider_token,
            "tenants": [
                {
                    "id": t.id,
                    "name": t.name,
                    "domain": t.domain,
                    "admin_token": t.admin_token,
                    "extensions": [{"number": e.number, "password": e.password} for e in t.extensions],
                }
                for t in self.tenants
            ],
            "pids": {name: p.pid for name, p in self.procs.items() if p.alive()},
            "logs": str(c.logs),
        }

    def stop(self) -> None:
        # Edge first (so calls end and spool), then the control plane, then storage.
        for name in ("worker", "kamailio", "agent", "console", "webhooks", "live-ws", "control-plane", "moto"):
            p = self.procs.get(name)
            if p is not None:
                p.stop(timeout=600 if name == "moto" and self.cfg.persist else 5)  # moto saves its state
        for p in self.procs.values():
            p.stop()


DEMO_QUEUE = "600"


def seed_demo_queue(stack: Stack, tenant: Tenant) -> None:
    """The demo's call-center queue (issue 16): 600 rings agents 102 and 103 (console users
    with those extensions, ready), longest idle first. Kept from the last run when it exists;
    a demo tenant kept from before call-center plans is moved to one."""
    for ext in ("102", "103"):
        stack.create_user(tenant, f"agent{ext}@{tenant.domain}", "agent", extension=ext)
    with stack.api(tenant.admin_token) as api:
        body = {
            "name": "Hỗ trợ khách hàng", "number": DEMO_QUEUE, "strategy": "longest_idle",
            "members": [{"extension": "102"}, {"extension": "103"}], "announce_every_s": 20, "language": "vi",
        }  # fmt: skip
        r = api.post("/v1/queues", json=body)
        if r.status_code == 403 and "feature_not_in_plan" in r.text:
            # a demo tenant kept from before call-center plans: moved to one (provider's call)
            with stack.api() as provider:
                provider.patch(f"/v1/tenants/{tenant.id}", json={"plan": "CC-10"}).raise_for_status()
            r = api.post("/v1/queues", json=body)
        if r.status_code not in (201, 409):
            print(f"no demo queue: {r.status_code} {r.text[:200]}", file=sys.stderr)
            return
        for ext in ("102", "103"):
            api.put(f"/v1/agents/{ext}/status", json={"status": "ready"}).raise_for_status()


def _print_welcome(stack: Stack, info_path: Path) -> None:
    c = stack.cfg
    t = stack.tenants[0]
    print(f"""
ProBox is running (local mode). Facts also in {info_path}

  Web console       : {c.console_url}   (Tiếng Việt / English; live calls over {c.console_url}ws)
  Control plane API : {c.api_url}   (tenant admin token in {info_path})
  AWS (moto)        : {c.aws_endpoint_url}   bucket {c.bucket}
  Logs              : {c.logs}
""")
    roles = {"tenant_admin": "tenant admin", "agent": "agent", "supervisor": "supervisor"}
    for x in stack.logins:
        who = f"{roles.get(x.role, x.role)} of {t.name}" if x.tenant_id else "provider operator"
        print(f"  console login ({who}) : {x.email}   password {x.password}")
    print(f"""
Connect a softphone (baresip, Linphone, Zoiper, MicroSIP...):
  SIP server / proxy : {c.host}   port {c.sip_port}   transport UDP (or TCP)
                       {c.host}   port {c.sip_tls_port}   transport TLS, with SRTP if the phone offers it
  TLS certificate    : {stack.tls.get("cert", "")} (self-signed, local mode)
      SHA-256        : {stack.tls.get("fingerprint_sha256", "")}
      (import it as a trusted certificate, or check this fingerprint when the phone asks)
  SIP domain (realm) : {t.domain}
""")
    for e in t.extensions:
        print(f"  extension {e.number} : user {e.number}   password {e.password}")
    print(f"""
Example with baresip (one per extension, each in its own config folder):
  accounts line: <sip:101@{t.domain}>;auth_pass=<password of 101>;outbound="sip:{c.host}:{c.sip_port}"
  over TLS + SRTP: <sip:101@{t.domain};transport=tls>;auth_pass=<password of 101>;mediaenc=srtp-mand;\
outbound="sip:{c.host}:{c.sip_tls_port};transport=tls"   (and "module srtp.so" in its config; make phone EXT=101 TLS=1)
Call 102 from 101, hang up, then list the CDR. While 102 rings, 103 can answer it with *8
(all three are in pickup group "office") or **102; the phone's Transfer key transfers.
Call {DEMO_QUEUE} from 101: the call-center queue answers with music and your place in line (press 1
to be called back) and rings agents 102 and 103; an agent dials *73 to pause, *74 to be ready
again, *72 to log out, *71 to log in (the console's Queues page shows it all).
List the CDRs:
  curl -s -H "Authorization: Bearer $(jq -r '.tenants[0].admin_token' {info_path})" {c.api_url}/v1/cdrs
Recordings: s3://{c.bucket}/tenants/{t.id}/recordings/YYYY/MM/DD/<call-id>.opus (endpoint {c.aws_endpoint_url});
  a download link: GET {c.api_url}/v1/cdrs/<call-id>/recording with the same token

Demo passwords are shown because this is local mode. Ctrl-C (or `make stop`) stops everything;
the data (tenants, calls, recordings) stays in {c.root} for the next `make run` (`make run CLEAN=1`
starts empty).
""")


def run(root: Path) -> int:
    info_path = root / "run" / "local.json"
    if info_path.exists():
        old = json.loads(info_path.read_text())
        if any(_pid_alive(p) for p in old.get("pids", {}).values()):
            print(f"a local stack is already running (see {info_path}); `make stop` first", file=sys.stderr)
            return 1
    cfg = StackConfig.from_env(root)
    # the spool (calls not delivered yet) and the edge's keys stay when the stack persists
    for d in ("kamailio",) if cfg.persist else ("spool", "edge", "kamailio"):
        shutil.rmtree(root / d, ignore_errors=True)
    stack = Stack(cfg)
    stop = {"now": False}

    def on_signal(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(
        "starting moto, control plane, live WebSocket, webhook poller, web console, edge agent, Kamailio and a"
        " media worker...",
        flush=True,
    )
    stack.start()
    try:
        tenant = stack.create_tenant(
            "Demo Company",
            os.environ.get("PROBOX_DEMO_DOMAIN", "demo.probox.local"),
            ["101", "102", "103"],
            pickup_group="office",
            plan="CC-10",  # a call-center plan: the demo has a queue
        )
        # Console logins with generated passwords, printed in local mode only (like the SIP ones).
        stack.create_user(tenant, f"admin@{tenant.domain}", "tenant_admin")
        stack.create_user(None, "operator@probox.local", "provider_admin")
        seed_demo_queue(stack, tenant)
        stack.wait_tenant_on_edge(tenant)
        info_path.parent.mkdir(parents=True, exist_ok=True)
        info = stack.info()
        info["pids"]["stack"] = os.getpid()
        info_path.write_text(json.dumps(info, indent=2))
        info_path.chmod(0o600)
        _print_welcome(stack, info_path)
        while not stop["now"]:
            for name, p in stack.procs.items():
                if not p.alive() and name != "create-table":
                    print(f"{name} exited; see {p.log_path}", file=sys.stderr)
                    stop["now"] = True
            time.sleep(0.5)
    finally:
        print("stopping...", flush=True)
        stack.stop()
        with contextlib.suppress(OSError):
            info_path.unlink()
    return 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def stop_running(root: Path) -> int:
    info_path = root / "run" / "local.json"
    if not info_path.exists():
        print("no local stack is running")
        return 0
    pids = json.loads(info_path.read_text()).get("pids", {})
    main_pid = pids.get("stack")
    if main_pid and _pid_alive(main_pid):
        os.kill(main_pid, signal.SIGTERM)  # the runner stops its children in order
        for _ in range(150):
            if not _pid_alive(main_pid):
                break
            time.sleep(0.1)
    for name, pid in pids.items():
        if name != "stack" and _pid_alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
    info_path.unlink(missing_ok=True)
    print("stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["run", "stop"])
    ap.add_argument("--root", default=os.environ.get("PROBOX_VAR", str(REPO / "var")))
    a = ap.parse_args(argv)
    root = Path(a.root).resolve()
    return run(root) if a.command == "run" else stop_running(root)


if __name__ == "__main__":
    raise SystemExit(main())
