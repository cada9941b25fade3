"""Edge agent: keeps the local config snapshot in sync with the control plane and drains
the spool of finished calls (recording to S3, CDR to the control plane).

The edge keeps its last good snapshot on disk, so Kamailio and the workers go on routing
calls when the control plane is unreachable (S7). Spooled calls are retried with backoff
until both the recording and the CDR are accepted; CDR ingest is idempotent on call id, so
a retry after a lost answer does no harm.

What the edge may do is its own and no more (issue 13): it holds a credential (a 0600 file)
that it exchanges for access tokens of one hour and renews itself every
``credential_days``; it has an X25519 key (``seal_key``, a 0600 file made at first start)
whose public half it registers, and opens the carrier passwords the control plane sealed to
it into its own snapshot file (mode 0600); it uploads a recording under
``incoming/<edge_id>/`` only and names that upload in the CDR, and the control plane moves
it to the tenant's prefix.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import logging
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import httpx

from edge_node import audio, contact_routes, live, logs, signing_key, tenant_prompts, trunk_dns
from edge_node.commands import CommandLoop
from edge_node.delivery import Delivery, DeliverySettings
from edge_node.spool import Spool, owner_alive, write_atomic
from pbx_core import events as ev
from pbx_core import sealing
from pbx_core import snapshot as snapmod
from pbx_core.bridge import BridgeRecord
from pbx_core.cdr import iso
from pbx_core.errors import ValidationError

log = logging.getLogger("probox.agent")
PROMPTS_RETRY_S = 30.0  # tenants' prompts are looked at this often besides every new snapshot


@dataclass(frozen=True)
class AgentSettings:
    api_url: str
    credential_path: Path  # the edge's credential (pbxe_...), mode 0600; the agent renews it
    snapshot_path: Path
    spool: Path
    bucket: str
    aws_endpoint_url: str | None = None
    region: str = "ap-southeast-1"
    edge_id: str = "edge-local"
    snapshot_interval_s: float = 2.0
    spool_interval_s: float = 0.05  # the delivery loop's pace (it waits on nothing else)
    recovery_interval_s: float = 5.0  # how often dead workers' journals are looked for
    delivery_threads: int = 4  # recordings merged, encoded and uploaded at once
    lag_alert_s: float = 60.0  # an undelivered call older than this: warning and status flag
    max_backoff_s: float = 60.0
    recording_format: str = "opus"  # opus | wav
    opus_bps: int = 14000  # two uncoupled mono streams; ~15.5 kbit/s with Ogg overhead
    seal_key_path: Path | None = None  # default: seal.key beside the snapshot
    credential_days: float = 30.0  # the agent asks for a new credential this often
    events_window_s: float = 0.1  # live events: how long the first waits for company (a batch)
    heartbeat_s: float = 15.0  # the edge block (calls now, version, config) sent this often
    commands_interval_s: float = 1.0  # click-to-call: how often the command inbox is polled
    contact_routes_interval_s: float = 2.0  # routing by owner / VIP: how often the changes are read
    dns_servers: str = ""  # carrier names: "" = the system's resolver, else ip[:port],... (trunk_dns)
    dns_refresh_s: float = 300.0  # carrier names are resolved and checked again this often

    @property
    def seal_key(self) -> Path:
        return self.seal_key_path or self.snapshot_path.parent / "seal.key"


class EdgeAuth(httpx.Auth):
    """Bearer access tokens for the edge: exchanged for its credential, renewed a few minutes
    before they expire and once more when the API answers 401 (rotated, revoked)."""

    requires_response_body = True

    def __init__(self, api_url: str, credential_path: Path) -> None:
        self.api_url, self.credential_path = api_url, credential_path
        self.token = ""
        self.renew_at = 0.0

    def credential(self) -> str:
        return read_secret_file(self.credential_path)

    def fresh_token(self) -> str:
        r = httpx.post(
            self.api_url + "/edge/v1/token", headers={"Authorization": f"Bearer {self.credential()}"}, timeout=10.0
        )
        if r.status_code != 201:
            raise RuntimeError(f"the control plane refused the edge's credential ({r.status_code})")
        body = r.json()
        expires = datetime.fromisoformat(str(body["expires_at"]).replace("Z", "+00:00")).timestamp()
        self.token, self.renew_at = str(body["token"]), expires - 300
        return self.token

    def auth_flow(self, request: httpx.Request) -> Any:
        if not self.token or time.time() >= self.renew_at:
            self.fresh_token()
        request.headers["Authorization"] = f"Bearer {self.token}"
        response = yield request
        if response.status_code == 401:
            self.fresh_token()
            request.headers["Authorization"] = f"Bearer {self.token}"
            yield request


def read_secret_file(path: Path) -> str:
    """A secret file's text; refused when others may read it (it must be 0600)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "r", encoding="ascii") as f:
        if os.fstat(f.fileno()).st_mode & 0o077:
            raise ValueError(f"{path}: must be readable by its owner only (chmod 0600)")
        return f.read(4096).strip()


@dataclass
class Agent:
    settings: AgentSettings
    etag: str | None = None
    _http: httpx.Client | None = None
    _s3: Any = None
    _auth: EdgeAuth | None = None
    _seal_private: bytes | None = None
    key_registered: bool = False
    last_pull_at: str | None = None  # the last answered snapshot poll (ISO 8601 UTC)
    _routes: contact_routes.ContactRoutes | None = None
    _pinner: trunk_dns.TrunkPinner | None = None

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._auth = EdgeAuth(self.settings.api_url, self.settings.credential_path)
            self._http = httpx.Client(base_url=self.settings.api_url, auth=self._auth, timeout=10.0)
        return self._http

    # --- who the edge is: its sealing key and its credential -----------------------------
    @property
    def seal_private(self) -> bytes:
        if self._seal_private is None:
            self._seal_private = signing_key.ensure(self.settings.seal_key)  # 32 random bytes, 0600
        return self._seal_private

    def register_seal_key(self) -> bool:
        """Tell the control plane the public key to seal this edge's carrier passwords to."""
        try:
            body = {"public_key": sealing.public_key(self.seal_private)}
            r = self.http.put("/edge/v1/seal-key", json=body)
        except (httpx.HTTPError, RuntimeError) as exc:
            log.warning("cannot register the sealing key yet: %s", exc)
            return False
        self.key_registered = r.status_code == 200
        if not self.key_registered:
            log.warning("sealing key refused (%s)", r.status_code)
        return self.key_registered

    def renew_credential(self, *, now: float | None = None) -> bool:
        """Every ``credential_days``: a new credential, saved (0600) before it is first used;
        its first use ends the old one. A crash in between leaves the old one working."""
        path = self.settings.credential_path
        age_days = ((now or time.time()) - path.stat().st_mtime) / 86400
        if age_days < self.settings.credential_days:
            return False
        try:
            r = self.http.post("/edge/v1/credential")
            if r.status_code != 201:
                raise RuntimeError(f"answered {r.status_code}")
            write_atomic(path, (str(r.json()["credential"]) + "\n").encode(), mode=0o600)
            assert self._auth is not None
            self._auth.fresh_token()  # the first use: the old credential ends here
        except (httpx.HTTPError, RuntimeError, OSError, KeyError) as exc:
            log.warning("credential renewal failed, keeping the current one: %s", exc)
            return False
        log.info("edge credential renewed")
        return True

    def open_trunk_passwords(self, snap: snapmod.Snapshot) -> snapmod.Snapshot:
        """The snapshot with each carrier password opened from its seal (for the edge's own
        0600 file: Kamailio registers with it); one that does not open stays empty."""
        tenants = {}
        for tid, tenant in snap.tenants.items():
            trunks = {}
            for trunk_id, trunk in tenant.trunks.items():
                password = ""
                if trunk.password_sealed:
                    try:
                        context = sealing.trunk_context(tid, trunk_id)
                        password = sealing.open_sealed(self.seal_private, trunk.password_sealed, context)
                    except ValueError:
                        log.error("a trunk password sealed to another key", extra={"tenant_id": tid})
                trunks[trunk_id] = replace(trunk, password=password, password_sealed="")
            tenants[tid] = replace(tenant, trunks=trunks)
        return snapmod.build(snap.version, list(tenants.values()), snap.edge_id)

    @property
    def pinner(self) -> trunk_dns.TrunkPinner:
        """Carrier names resolved, checked and pinned by the edge (issue 13, DNS rebinding)."""
        if self._pinner is None:
            servers = self.settings.dns_servers
            resolve = (
                trunk_dns.nameserver_resolver(trunk_dns.parse_servers(servers))
                if servers
                else trunk_dns.system_resolver
            )
            self._pinner = trunk_dns.TrunkPinner(resolve, refresh_s=self.settings.dns_refresh_s)
        return self._pinner

    def repin_trunks(self) -> bool:
        """Resolve the carrier names of the snapshot on disk again; True when an address
        changed (the file is rewritten and Kamailio reloads it)."""
        try:
            current = snapmod.from_json(self.settings.snapshot_path.read_bytes())
        except (OSError, ValidationError):
            return False
        pinned = self.pinner.pin(current)
        if pinned.to_json() == current.to_json():
            return False
        write_atomic(self.settings.snapshot_path, pinned.to_json().encode(), mode=0o600)
        log.info("trunk addresses updated", extra={"version": pinned.version})
        return True

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            self._s3 = boto3.client("s3", endpoint_url=self.settings.aws_endpoint_url, region_name=self.settings.region)
        return self._s3

    # --- config snapshot -------------------------------------------------------------
    def load_local_snapshot(self) -> None:
        try:
            snap = snapmod.from_json(self.settings.snapshot_path.read_bytes())
            self.etag = f'"{snap.version}"'
        except (OSError, ValidationError):
            self.etag = None

    def sync_snapshot(self) -> bool:
        """Fetch the snapshot if it changed; True when a new one was written."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        if not self.key_registered:
            self.register_seal_key()
        try:
            r = self.http.get("/edge/v1/snapshot", headers=headers)
        except (httpx.HTTPError, RuntimeError) as exc:
            log.warning("snapshot fetch failed, keeping last good snapshot: %s", exc)
            return False
        if r.status_code in (200, 304):
            self.last_pull_at = iso(datetime.now(UTC))
        if r.status_code == 304:
            return False
        if r.status_code != 200:
            log.warning("snapshot fetch answered %s", r.status_code)
            return False
        try:
            snap = self.pinner.pin(self.open_trunk_passwords(snapmod.from_dict(r.json())))
        except (ValueError, ValidationError) as exc:
            log.error("control plane sent an invalid snapshot, ignored: %s", exc)
            return False
        self.settings.snapshot_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.settings.snapshot_path, snap.to_json().encode(), mode=0o600)  # carrier passwords
        self.etag = r.headers.get("ETag") or f'"{snap.version}"'
        log.info("snapshot updated", extra={"version": snap.version, "tenants": len(snap.tenants)})
        return True

    # --- tenants' own queue prompts (issue 16) -----------------------------------------
    def sync_prompts(self) -> tuple[int, int]:
        """Fetch the queue prompts the snapshot names and this edge lacks; drop stale ones."""
        try:
            snap = snapmod.from_json(self.settings.snapshot_path.read_bytes())
        except (OSError, ValidationError):
            return 0, 0

        def link(tenant_id: str, queue_id: str, language: str, name: str) -> str | None:
            try:
                r = self.http.get(f"/edge/v1/queue-prompts/{tenant_id}/{queue_id}/{language}/{name}")
            except (httpx.HTTPError, RuntimeError) as exc:
                log.warning("prompt link failed: %s", exc, extra={"tenant_id": tenant_id, "queue_id": queue_id})
                return None
            if r.status_code != 200:
                log.warning("prompt link answered %s", r.status_code, extra={"tenant_id": tenant_id})
                return None
            return str(r.json()["url"])

        def download(url: str) -> bytes:
            try:
                r = httpx.get(url, timeout=30)  # a presigned link: no credential of ours goes with it
            except httpx.HTTPError as exc:
                raise OSError(f"download failed: {exc}") from exc
            if r.status_code != 200:
                raise OSError(f"download answered {r.status_code}")
            return r.content

        return tenant_prompts.sync(snap, tenant_prompts.folder_beside(self.settings.snapshot_path), link, download)

    # --- contact routes (issue 17 item 4: routing by owner, VIP first) ---------------------
    @property
    def routes(self) -> contact_routes.ContactRoutes:
        """The contact-routes file beside the snapshot (the workers read it)."""
        if self._routes is None:
            self._routes = contact_routes.ContactRoutes(contact_routes.path_beside(self.settings.snapshot_path))
        return self._routes

    def sync_contact_routes(self) -> int:
        """For each tenant of the snapshot on disk: the changes since its cursor (the whole
        list the first time, or when the control plane says so), applied page by page; the
        tenants no longer served are forgotten. How many tenants were brought up to date.
        A tenant that fails is logged and tried again next time; the others go on."""
        try:
            snap = snapmod.from_json(self.settings.snapshot_path.read_bytes())
        except (OSError, ValidationError):
            return 0  # no snapshot yet: nothing to serve
        tenants = sorted(snap.tenants)
        dropped = self.routes.forget_others(tenants)
        if dropped:
            log.info("contact routes of tenants no longer served dropped", extra={"rows": dropped})
        synced = 0
        for tenant_id in tenants:
            try:
                synced += self.sync_tenant_routes(tenant_id)
            except (httpx.HTTPError, RuntimeError, ValueError, KeyError, TypeError, sqlite3.Error) as exc:
                log.warning("contact routes sync failed: %s", exc, extra={"tenant_id": tenant_id})
        return synced

    def sync_tenant_routes(self, tenant_id: str) -> int:
        """One tenant: 1 when its routes are up to date, 0 when the control plane refused."""
        params: dict[str, str] = {"tenant_id": tenant_id, "cursor": self.routes.cursor(tenant_id)}
        for _ in range(10_000):  # 10 million numbers at most per round
            r = self.http.get("/edge/v1/contact-routes", params=params)
            if r.status_code != 200:
                log.warning("contact routes answered %s", r.status_code, extra={"tenant_id": tenant_id})
                return 0
            body = r.json()
            changes: list[tuple[str, contact_routes.ContactRoute | None]] = [
                (str(x["number"]), contact_routes.ContactRoute(str(x.get("owner") or ""), bool(x.get("vip"))))
                for x in body["routes"]
            ]
            changes += [(str(n), None) for n in body["removed"]]
            self.routes.apply(tenant_id, changes, str(body["cursor"]), full=bool(body["full"]))
            if changes:
                log.info(
                    "contact routes applied",
                    extra={"tenant_id": tenant_id, "changes": len(changes), "full": bool(body["full"])},
                )
            following = body.get("next")
            if not following:
                return 1
            params = {"tenant_id": tenant_id, "next": str(following)}
        return 1

    def contact_routes_forever(self, should_stop: Any) -> None:
        """The contact routes' own loop: never holds up the snapshot or the deliveries."""
        try:
            while not should_stop():
                try:
                    self.sync_contact_routes()
                except Exception:  # never let the loop die
                    log.exception("contact routes sync failed")
                time.sleep(self.settings.contact_routes_interval_s)
        finally:
            self.routes.close()

    # --- spool -----------------------------------------------------------------------
    def recover_journals(self, spool: Spool) -> int:
        """Turn the journals of calls whose worker died into CDRs marked worker_crash,
        with the partial recordings repaired. Returns how many were recovered."""
        n = 0
        for path in spool.journals():
            try:
                j = json.loads(path.read_bytes())
                if owner_alive(int(j["pid"]), j.get("pid_start")):
                    continue
                rec = BridgeRecord.from_journal(j)
                files = [spool.rec_dir / name for name in j.get("recordings", [])]
                present = [f for f in files if f.exists()]
                last = max([path.stat().st_mtime] + [f.stat().st_mtime for f in present])
                rec = rec.crashed(datetime.fromtimestamp(last, UTC))
                recorded = len(present) == 2 and rec.answered_at is not None
                if recorded:
                    for f in present:
                        audio.repair_wav(f)
                cdr = rec.to_cdr(
                    edge_id=str(j.get("edge_id", "")), worker_id=str(j.get("worker_id", "")), recorded=recorded
                )
                doc = cdr.to_dict()
                doc["_local_recordings"] = [f.name for f in present] if recorded else []
                spool.put_cdr(path.stem, doc)
                if not recorded:
                    for f in present:
                        f.unlink(missing_ok=True)
                path.unlink()
                n += 1
                log.warning(
                    "recovered a call cut by a worker crash",
                    extra={"tenant_id": cdr.tenant_id, "call_id": cdr.call_id, "worker_id": cdr.worker_id},
                )
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.error("cannot recover journal %s: %s", path.name, exc)
        return n

    def delivery(self, spool: Spool, events: Callable[[ev.CallEvent], None] | None = None) -> Delivery:
        s = self.settings
        settings = DeliverySettings(
            edge_id=s.edge_id,
            bucket=s.bucket,
            recording_format=s.recording_format,
            opus_bps=s.opus_bps,
            threads=s.delivery_threads,
            max_backoff_s=s.max_backoff_s,
            lag_alert_s=s.lag_alert_s,
            status_path=s.snapshot_path.parent / "agent-status.json",
        )
        return Delivery(spool, settings, http=lambda: self.http, s3=lambda: self.s3, events=events)

    def health(self, spool: Spool) -> ev.EdgeHealth:
        """The edge block of the heartbeat: calls up (journals of calls in progress), the
        software's version, the configuration it runs and when it last reached the API."""
        version: int | None = None
        if self.etag:
            try:
                version = int(self.etag.strip('W/"'))
            except ValueError:
                version = None
        return ev.EdgeHealth(
            calls_now=len(spool.journals()),
            version=_software_version(),
            snapshot_version=version,
            last_pull_at=self.last_pull_at,
        )

    def events_forever(self, spool: Spool, should_stop: Any) -> None:
        """The live events' own loop (issue 15): never behind the CDR and recording backlog."""
        s = self.settings
        shipper = live.EventShipper(
            spool.root / "events",
            http=lambda: self.http,
            health=lambda: self.health(spool),
            window_s=s.events_window_s,
            heartbeat_s=s.heartbeat_s,
            max_backoff_s=s.max_backoff_s,
        )
        shipper.run(should_stop)

    def queue_events_forever(self, spool: Spool, should_stop: Any) -> None:
        """The call-center queue log's own loop (issue 16): the workers' queue events to
        ``POST /edge/v1/queue-events``, in order, like the live events (same shipper)."""
        s = self.settings
        shipper = live.EventShipper(
            spool.root / "queue-events",
            http=lambda: self.http,
            window_s=s.events_window_s,
            max_backoff_s=s.max_backoff_s,
            route="/edge/v1/queue-events",
            field="events",
        )
        shipper.run(should_stop)

    def sync_forever(self, should_stop: Any) -> None:
        """The configuration's own loop: a change reaches the edge within seconds however
        long the delivery backlog (issue 18). Also renews the credential."""
        next_renewal = next_prompts = 0.0
        while not should_stop():
            t = time.monotonic()
            try:
                if self.sync_snapshot() or t >= next_prompts:
                    self.sync_prompts()  # a new recording, or one that failed before
                    next_prompts = t + PROMPTS_RETRY_S
                elif self.pinner.due():
                    self.repin_trunks()
                if t >= next_renewal:
                    self.renew_credential()
                    next_renewal = t + 3600
            except Exception:  # never let the config loop die
                log.exception("snapshot sync failed")
            time.sleep(self.settings.snapshot_interval_s)

    def commands_forever(self, should_stop: Any) -> None:
        """Click-to-call's own loop (issue 17): poll, claim, hand to a worker, post results."""
        loop = CommandLoop(
            self.settings.spool,
            self.settings.snapshot_path,
            http=lambda: self.http,
            interval_s=self.settings.commands_interval_s,
        )
        loop.run(should_stop)

    def run(self, should_stop: Any) -> None:
        self.load_local_snapshot()
        spool = Spool(self.settings.spool).ensure()
        self.http  # noqa: B018 - build the client (and its auth) before two threads use it
        sync = threading.Thread(target=self.sync_forever, args=(should_stop,), name="config-sync", daemon=True)
        sync.start()
        events = threading.Thread(
            target=self.events_forever, args=(spool, should_stop), name="live-events", daemon=True
        )
        events.start()
        queue_events = threading.Thread(
            target=self.queue_events_forever, args=(spool, should_stop), name="queue-events", daemon=True
        )
        queue_events.start()
        commands = threading.Thread(target=self.commands_forever, args=(should_stop,), name="commands", daemon=True)
        commands.start()
        routes = threading.Thread(
            target=self.contact_routes_forever, args=(should_stop,), name="contact-routes", daemon=True
        )
        routes.start()
        writer = live.EventWriter(spool.root / "events", "agent").start()  # recording.ready
        delivery = self.delivery(spool, events=writer.emit)
        next_recovery = 0.0
        try:
            while not should_stop():
                t = time.monotonic()
                if t >= next_recovery:
                    # Reads every live call's journal: not at the spool's pace.
                    self.recover_journals(spool)
                    next_recovery = t + self.settings.recovery_interval_s
                delivery.step()
                time.sleep(self.settings.spool_interval_s)
        finally:
            delivery.close()
            writer.close()
            events.join(timeout=15)
            queue_events.join(timeout=15)
            commands.join(timeout=self.settings.commands_interval_s + 15)
            sync.join(timeout=self.settings.snapshot_interval_s + 15)
            routes.join(timeout=self.settings.contact_routes_interval_s + 15)


def _software_version() -> str:
    try:
        return importlib.metadata.version("probox")
    except importlib.metadata.PackageNotFoundError:
        return ""


def main(argv: list[str] | None = None) -> int:
    env = os.environ.get
    ap = argparse.ArgumentParser(description="ProBox edge agent")
    ap.add_argument("--api-url", default=env("PROBOX_API_URL", "http://127.0.0.1:8000"))
    ap.add_argument("--snapshot", default=env("PROBOX_SNAPSHOT", "var/edge/snapshot.json"))
    ap.add_argument("--spool", default=env("PROBOX_SPOOL", "var/spool"))
    ap.add_argument("--bucket", default=env("PROBOX_RECORDINGS_BUCKET", "probox-recordings"))
    ap.add_argument("--edge-id", default=env("PROBOX_EDGE_ID", "edge-local"))
    ap.add_argument("--interval", type=float, default=float(env("PROBOX_SNAPSHOT_INTERVAL", "2")))
    ap.add_argument("--credential", default=env("PROBOX_EDGE_CREDENTIAL_FILE", "var/edge/edge.credential"))
    ap.add_argument("--seal-key", default=env("PROBOX_SEAL_KEY"))
    a = ap.parse_args(argv)
    credential = Path(a.credential)
    try:
        read_secret_file(credential)
    except (OSError, ValueError) as exc:
        ap.error(f"the edge's credential (PROBOX_EDGE_CREDENTIAL_FILE, from POST /v1/edges): {exc}")
    settings = AgentSettings(
        api_url=a.api_url,
        credential_path=credential,
        seal_key_path=Path(a.seal_key) if a.seal_key else None,
        credential_days=float(env("PROBOX_EDGE_CREDENTIAL_DAYS", "30")),
        snapshot_path=Path(a.snapshot),
        spool=Path(a.spool),
        bucket=a.bucket,
        aws_endpoint_url=env("AWS_ENDPOINT_URL"),
        region=env("AWS_DEFAULT_REGION", "ap-southeast-1"),
        edge_id=a.edge_id,
        snapshot_interval_s=a.interval,
        recording_format=env("PROBOX_RECORDING_FORMAT", "opus"),
        max_backoff_s=float(env("PROBOX_AGENT_MAX_BACKOFF", "60")),
        delivery_threads=int(env("PROBOX_AGENT_THREADS", "4")),
        lag_alert_s=float(env("PROBOX_AGENT_LAG_ALERT_S", "60")),
        events_window_s=float(env("PROBOX_AGENT_EVENTS_WINDOW_S", "0.1")),
        heartbeat_s=float(env("PROBOX_AGENT_HEARTBEAT_S", "15")),
        commands_interval_s=float(env("PROBOX_AGENT_COMMANDS_S", "1")),
        contact_routes_interval_s=float(env("PROBOX_AGENT_CONTACT_ROUTES_S", "2")),
        dns_servers=env("PROBOX_EDGE_DNS", ""),
        dns_refresh_s=float(env("PROBOX_EDGE_DNS_REFRESH_S", "300")),
    )
    logs.setup("probox-agent", edge_id=settings.edge_id)
    stop = {"now": False}

    def on_signal(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    Agent(settings).run(lambda: stop["now"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
