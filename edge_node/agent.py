"""Edge agent: keeps the local config snapshot in sync with the control plane and drains
the spool of finished calls (recording to S3, CDR to the control plane).

The edge keeps its last good snapshot on disk, so Kamailio and the workers go on routing
calls when the control plane is unreachable (S7). Spooled calls are retried with backoff
until both the recording and the CDR are accepted; CDR ingest is idempotent on call id, so
a retry after a lost answer does no harm.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import httpx

from edge_node import audio, logs
from edge_node import opus as opus_codec
from edge_node.spool import Spool, owner_alive, write_atomic
from pbx_core import snapshot as snapmod
from pbx_core.bridge import BridgeRecord
from pbx_core.errors import ValidationError

log = logging.getLogger("probox.agent")


@dataclass(frozen=True)
class AgentSettings:
    api_url: str
    edge_token: str
    snapshot_path: Path
    spool: Path
    bucket: str
    aws_endpoint_url: str | None = None
    region: str = "ap-southeast-1"
    edge_id: str = "edge-local"
    snapshot_interval_s: float = 2.0
    spool_interval_s: float = 0.5
    recovery_interval_s: float = 5.0  # how often dead workers' journals are looked for
    max_backoff_s: float = 60.0
    recording_format: str = "opus"  # opus | wav
    opus_bps: int = 14000  # two uncoupled mono streams; ~15.5 kbit/s with Ogg overhead


@dataclass
class _Retry:
    attempts: int = 0
    not_before: float = 0.0


@dataclass
class Agent:
    settings: AgentSettings
    etag: str | None = None
    retries: dict[str, _Retry] = field(default_factory=dict)
    _http: httpx.Client | None = None
    _s3: Any = None

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(
                base_url=self.settings.api_url,
                headers={"Authorization": f"Bearer {self.settings.edge_token}"},
                timeout=10.0,
            )
        return self._http

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
        try:
            r = self.http.get("/edge/v1/snapshot", headers=headers)
        except httpx.HTTPError as exc:
            log.warning("snapshot fetch failed, keeping last good snapshot: %s", exc)
            return False
        if r.status_code == 304:
            return False
        if r.status_code != 200:
            log.warning("snapshot fetch answered %s", r.status_code)
            return False
        try:
            snap = snapmod.from_dict(r.json())
        except (ValueError, ValidationError) as exc:
            log.error("control plane sent an invalid snapshot, ignored: %s", exc)
            return False
        self.settings.snapshot_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.settings.snapshot_path, snap.to_json().encode())
        self.etag = r.headers.get("ETag") or f'"{snap.version}"'
        log.info("snapshot updated", extra={"version": snap.version, "tenants": len(snap.tenants)})
        return True

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

    def drain_spool(self, spool: Spool) -> int:
        """Upload what is ready; returns how many calls were fully delivered."""
        done = 0
        now = time.monotonic()
        for path in spool.pending():
            r = self.retries.get(path.name)
            if r and r.not_before > now:
                continue
            try:
                self.deliver(spool, path)
                self.retries.pop(path.name, None)
                done += 1
            except Exception as exc:
                r = self.retries.setdefault(path.name, _Retry())
                r.attempts += 1
                delay = min(self.settings.max_backoff_s, 0.5 * 2 ** min(r.attempts, 10))
                r.not_before = now + delay
                log.warning("delivery failed, retry in %.1fs: %s", delay, exc, extra={"file": path.name})
        return done

    def deliver(self, spool: Spool, path: Path) -> None:
        doc: dict[str, Any] = json.loads(path.read_bytes())
        key = path.stem
        extra = {"tenant_id": doc.get("tenant_id"), "call_id": doc.get("call_id")}
        local = [spool.rec_dir / n for n in doc.pop("_local_recordings", [])]
        if doc.get("recording_key") and len(local) == 2 and all(p.exists() for p in local):
            stereo = spool.rec_dir / f"{key}.stereo.wav"
            upload, content_type = stereo, "audio/wav"
            size = audio.merge_stereo(local[0], local[1], stereo)
            local.append(stereo)
            if self.settings.recording_format == "opus":
                opus = spool.rec_dir / f"{key}.opus"
                try:
                    size = opus_codec.encode_stereo(stereo, opus, self.settings.opus_bps)
                    upload, content_type = opus, "audio/ogg; codecs=opus"
                    doc["recording_key"] = str(doc["recording_key"]).rsplit(".", 1)[0] + ".opus"
                    doc["recording_format"] = "opus"
                    local.append(opus)
                except (OSError, ValueError) as exc:
                    # Keep the WAV: a bigger file is better than a lost recording.
                    log.error("opus conversion failed, uploading WAV: %s", exc, extra=extra)
            with upload.open("rb") as fh:
                self.s3.put_object(
                    Bucket=self.settings.bucket,
                    Key=doc["recording_key"],
                    Body=fh,
                    ContentType=content_type,
                    Metadata={"tenant-id": str(doc["tenant_id"]), "call-id": str(doc["call_id"])},
                )
            doc["recording_bytes"] = size
        elif doc.get("recording_key"):
            log.warning("recording files missing, CDR sent without recording", extra=extra)
            doc["recording_key"] = None
            doc["recording_format"] = None
        resp = self.http.post("/edge/v1/cdrs", json=doc)
        if resp.status_code not in (200, 201):
            raise RuntimeError(f"CDR ingest answered {resp.status_code}: {resp.text[:200]}")
        for p in local:
            p.unlink(missing_ok=True)
        path.unlink()
        log.info("call delivered", extra=extra)

    def run(self, should_stop: Any) -> None:
        self.load_local_snapshot()
        spool = Spool(self.settings.spool).ensure()
        next_snap = next_recovery = 0.0
        while not should_stop():
            t = time.monotonic()
            if t >= next_snap:
                self.sync_snapshot()
                next_snap = t + self.settings.snapshot_interval_s
            if t >= next_recovery:
                # Reads every live call's journal: not at the spool's pace (0.5 s).
                self.recover_journals(spool)
                next_recovery = t + self.settings.recovery_interval_s
            self.drain_spool(spool)
            time.sleep(self.settings.spool_interval_s)


def main(argv: list[str] | None = None) -> int:
    env = os.environ.get
    ap = argparse.ArgumentParser(description="ProBox edge agent")
    ap.add_argument("--api-url", default=env("PROBOX_API_URL", "http://127.0.0.1:8000"))
    ap.add_argument("--snapshot", default=env("PROBOX_SNAPSHOT", "var/edge/snapshot.json"))
    ap.add_argument("--spool", default=env("PROBOX_SPOOL", "var/spool"))
    ap.add_argument("--bucket", default=env("PROBOX_RECORDINGS_BUCKET", "probox-recordings"))
    ap.add_argument("--edge-id", default=env("PROBOX_EDGE_ID", "edge-local"))
    ap.add_argument("--interval", type=float, default=float(env("PROBOX_SNAPSHOT_INTERVAL", "2")))
    a = ap.parse_args(argv)
    token = env("PROBOX_EDGE_TOKEN")
    if not token:
        ap.error("PROBOX_EDGE_TOKEN must be set (the edge's token from POST /v1/edges)")
    settings = AgentSettings(
        api_url=a.api_url,
        edge_token=token,
        snapshot_path=Path(a.snapshot),
        spool=Path(a.spool),
        bucket=a.bucket,
        aws_endpoint_url=env("AWS_ENDPOINT_URL"),
        region=env("AWS_DEFAULT_REGION", "ap-southeast-1"),
        edge_id=a.edge_id,
        snapshot_interval_s=a.interval,
        recording_format=env("PROBOX_RECORDING_FORMAT", "opus"),
        max_backoff_s=float(env("PROBOX_AGENT_MAX_BACKOFF", "60")),
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
