"""Delivery of finished calls from the edge's spool to the control plane (issue 18).

A busy edge finishes tens of calls a second; delivering them one at a time (merge, encode,
upload, post, in a row) kept up with a few calls a second. Here:

* **Prepare** (merge the two sides, encode Opus, upload to ``incoming/<edge_id>/``) runs on
  a bounded pool of threads: the merge is array slicing in C, the encoder is libopusenc
  through ctypes and the upload is network I/O, all outside the GIL, so the pool overlaps
  them. At most ``max_in_flight`` calls are being prepared or posted at once; the spool on
  disk is the queue, so memory stays flat whatever the backlog.
* **Stage while posting is blocked**: when ``max_in_flight`` calls wait for a control plane
  that is down or slow, the pool goes on preparing the backlog (``threads`` at a time) and
  writes each prepared CDR back into its spool file (naming its upload; the derived stereo
  WAV goes, the worker's two sides stay until delivery; the file keeps its time, which is the
  call's age). Once the control plane is back only the posts are left, 50 calls a request,
  instead of an outage's worth of encoding (issue 18, bench 9: a 10-minute outage drained in
  0.56x its length, encoding-bound; 0.13x with staging). A staged file read again (later, or by the next run of the
  agent) is posted as it is.
* **Post** in batches (``POST /edge/v1/cdrs/batch``, up to ``batch_size`` CDRs, sent when
  full or ``batch_wait_s`` after the first ready one): one round trip and a few DynamoDB
  transactions per batch instead of per call. Each CDR gets its own result: created or
  duplicate (done: the files go), ``retry`` (prepared again after a backoff), or refused for
  good (moved to ``rejected/`` with its recording and the reason, for a person to look at;
  it no longer blocks anything).
* **Backoff without stalling**: a call that fails waits ``0.5 * 2**n`` s (at most
  ``max_backoff_s``) while the others go on; when the control plane does not answer at all,
  posting pauses with the same backoff while preparing (uploads) continues.
* **Measured**: spool depth, the age of the oldest undelivered call and the delivery rate
  are kept, written to ``agent-status.json`` beside the snapshot (for monitoring) and
  logged; a lag over ``lag_alert_s`` is logged as a warning once a minute and flagged in the
  status file (``"lagging": true``).

Delivery is at-least-once and the control plane's ingest is idempotent per (tenant, call
id), so a crash at any point loses nothing and stores nothing twice: a spooled CDR is
deleted only after the control plane has answered for it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from edge_node import audio, live
from edge_node import opus as opus_codec
from edge_node.spool import Spool, write_atomic
from pbx_core.events import CallEvent

log = logging.getLogger("probox.agent")
# In a spool file: the CDR was prepared (recording uploaded) before; the local files to remove
# once it is delivered. Never sent to the control plane.
STAGED = "_staged_local"


@dataclass(frozen=True)
class DeliverySettings:
    edge_id: str
    bucket: str
    recording_format: str = "opus"  # opus | wav
    opus_bps: int = 14000
    threads: int = 4  # preparing (merge, encode, upload) at once
    max_in_flight: int = 64  # calls being prepared, waiting in a batch, or posted
    batch_size: int = 50  # the control plane takes at most 50 per batch
    batch_wait_s: float = 0.2
    max_backoff_s: float = 60.0
    lag_alert_s: float = 60.0
    status_path: Path | None = None


@dataclass
class Prepared:
    """A spooled call ready to post: its CDR (naming its upload) and its local files."""

    path: Path
    doc: dict[str, Any]
    local: list[Path]
    since: float = field(default_factory=time.monotonic)
    staged: bool = False  # read back from a staged spool file: nothing was prepared now
    originals: int = 0  # the first ``local`` files are the worker's; the rest were derived here


@dataclass
class _Backoff:
    attempts: int = 0
    not_before: float = 0.0

    def fail(self, cap: float, now: float) -> float:
        self.attempts += 1
        delay: float = min(cap, 0.5 * 2.0 ** min(self.attempts, 10))
        self.not_before = now + delay
        return delay


class Delivery:
    """One edge's delivery loop; ``step()`` does one round (the agent calls it in a loop)."""

    def __init__(
        self,
        spool: Spool,
        settings: DeliverySettings,
        *,
        http: Callable[[], httpx.Client],
        s3: Callable[[], Any],
        events: Callable[[CallEvent], None] | None = None,
    ) -> None:
        self.spool, self.settings = spool, settings
        self._events = events  # recording.ready, once the control plane has the recording
        self._http, self._s3 = http, s3
        self.pool = ThreadPoolExecutor(max_workers=settings.threads, thread_name_prefix="deliver")
        self.preparing: dict[str, Future[Prepared]] = {}
        self.staging: dict[str, Future[None]] = {}
        self.staged: set[str] = set()  # spool files this run staged, until delivered
        self.ready: list[Prepared] = []
        self.retries: dict[str, _Backoff] = {}
        self.api = _Backoff()  # the control plane as a whole (down, unreachable)
        self.delivered: deque[float] = deque()  # monotonic times of deliveries, last minute
        self.total_delivered = 0
        self.rejected = 0
        self._next_status = 0.0
        self._next_lag_warning = 0.0

    # --- one round -------------------------------------------------------------------------
    def step(self, now: float | None = None) -> int:
        """Start preparing what is due, collect what is prepared, post a batch when one is
        full or waited long enough. Returns how many calls were delivered."""
        now = time.monotonic() if now is None else now
        self._collect(now)
        self._start(now)
        done = 0
        if self.ready and now >= self.api.not_before:
            full = len(self.ready) >= self.settings.batch_size
            waited = now - min(p.since for p in self.ready) >= self.settings.batch_wait_s
            if full or waited or not self.preparing:
                done = self._post(self.ready[: self.settings.batch_size], now)
        if now >= self._next_status:
            self.write_status(now)
            self._next_status = now + 10
        return done

    def drain(self, timeout_s: float = 60.0) -> int:
        """Deliver until the spool is empty or ``timeout_s`` passed (tests, shutdown)."""
        deadline = time.monotonic() + timeout_s
        done = 0
        while time.monotonic() < deadline:
            done += self.step()
            if not self.preparing and not self.staging and not self.ready and not self._due(time.monotonic()):
                break
            time.sleep(0.02)
        return done

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    # --- preparing --------------------------------------------------------------------------
    def _due(self, now: float) -> list[Path]:
        busy = set(self.preparing) | set(self.staging) | {p.path.name for p in self.ready}
        out = []
        for path in self.spool.pending():
            r = self.retries.get(path.name)
            if path.name in busy or (r is not None and r.not_before > now):
                continue
            out.append(path)
        return out

    def _start(self, now: float) -> None:
        due = self._due(now)
        room = self.settings.max_in_flight - len(self.preparing) - len(self.ready)
        if room > 0:
            for path in due[:room]:
                self.preparing[path.name] = self.pool.submit(self.prepare, path)
            return
        # enough waits to be posted: the pool stages the rest of the backlog meanwhile
        room = self.settings.threads - len(self.preparing) - len(self.staging)
        for path in [p for p in due if p.name not in self.staged][: max(0, room)]:
            self.staging[path.name] = self.pool.submit(self.stage, path)

    def _collect(self, now: float) -> None:
        for name, staged in list(self.staging.items()):
            if not staged.done():
                continue
            del self.staging[name]
            try:
                staged.result()
            except FileNotFoundError:
                continue
            except Exception as exc:
                self._prepare_failed(name, exc, now)
                continue
            self.staged.add(name)
        for name, fut in list(self.preparing.items()):
            if not fut.done():
                continue
            del self.preparing[name]
            try:
                prepared = fut.result()
            except FileNotFoundError:  # delivered and removed meanwhile (another agent run)
                continue
            except Exception as exc:
                self._prepare_failed(name, exc, now)
                continue
            prepared.since = now
            self.ready.append(prepared)

    def _prepare_failed(self, name: str, exc: Exception, now: float) -> None:
        delay = self.retries.setdefault(name, _Backoff()).fail(self.settings.max_backoff_s, now)
        log.warning("recording upload failed, retry in %.1fs: %s", delay, exc, extra={"file": name})

    def prepare(self, path: Path) -> Prepared:
        """Merge, encode and upload the call's recording (under the edge's own prefix); the
        CDR then names that upload. Runs on the pool."""
        doc: dict[str, Any] = json.loads(path.read_bytes())
        key = path.stem
        extra = {"tenant_id": doc.get("tenant_id"), "call_id": doc.get("call_id")}
        rec_dir = self.spool.rec_dir
        staged = doc.pop(STAGED, None)
        if isinstance(staged, list):  # prepared and uploaded before: post it as it is
            return Prepared(path, doc, [rec_dir / str(n) for n in staged], staged=True)
        local = [rec_dir / n for n in doc.pop("_local_recordings", [])]
        originals = len(local)
        if doc.get("recording_key") and len(local) == 2 and all(p.exists() for p in local):
            stereo = rec_dir / f"{key}.stereo.wav"
            upload, content_type = stereo, "audio/wav"
            size = audio.merge_stereo(local[0], local[1], stereo)
            local.append(stereo)
            if self.settings.recording_format == "opus":
                opus = rec_dir / f"{key}.opus"
                try:
                    size = opus_codec.encode_stereo(stereo, opus, self.settings.opus_bps)
                    upload, content_type = opus, "audio/ogg; codecs=opus"
                    doc["recording_format"] = "opus"
                    local.append(opus)
                except (OSError, ValueError) as exc:
                    # Keep the WAV: a bigger file is better than a lost recording.
                    log.error("opus conversion failed, uploading WAV: %s", exc, extra=extra)
            ext = "opus" if upload.suffix == ".opus" else "wav"
            target = f"incoming/{self.settings.edge_id}/{key}.{ext}"
            with upload.open("rb") as fh:
                self._s3().put_object(
                    Bucket=self.settings.bucket,
                    Key=target,
                    Body=fh,
                    ContentType=content_type,
                    Metadata={"tenant-id": str(doc["tenant_id"]), "call-id": str(doc["call_id"])},
                )
            doc["recording_upload"] = target
            doc["recording_bytes"] = size
        elif doc.get("recording_key"):
            log.warning("recording files missing, CDR sent without recording", extra=extra)
            doc["recording_key"] = None
            doc["recording_format"] = None
        return Prepared(path, doc, local, originals=originals)

    def stage(self, path: Path) -> None:
        """Prepare a call while its post has to wait, and keep the result in its spool file
        (see the module's docstring). Runs on the pool."""
        before = path.stat()
        prepared = self.prepare(path)
        if prepared.staged or not prepared.doc.get("recording_upload"):
            return  # nothing was uploaded: preparing it again later costs nothing
        keep = prepared.local[: prepared.originals]
        write_atomic(path, json.dumps({**prepared.doc, STAGED: [p.name for p in keep]}).encode())
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the age stays the call's
        for p in prepared.local:
            if p not in keep:
                p.unlink(missing_ok=True)  # derived and uploaded

    # --- posting ----------------------------------------------------------------------------
    def _post(self, batch: list[Prepared], now: float) -> int:
        try:
            r = self._http().post("/edge/v1/cdrs/batch", json={"cdrs": [p.doc for p in batch]})
            if r.status_code != 200:
                raise RuntimeError(f"batch ingest answered {r.status_code}: {r.text[:200]}")
            results = r.json()["results"]
        except (httpx.HTTPError, RuntimeError, ValueError, KeyError) as exc:
            delay = self.api.fail(self.settings.max_backoff_s, now)
            log.warning("control plane unavailable, posting again in %.1fs: %s", delay, exc)
            return 0  # the batch stays ready: nothing to upload again
        self.api = _Backoff()
        del self.ready[: len(batch)]
        done = 0
        for prepared, result in zip(batch, results, strict=False):
            status = result.get("status")
            name = prepared.path.name
            extra = {"tenant_id": prepared.doc.get("tenant_id"), "call_id": prepared.doc.get("call_id")}
            if status in ("created", "duplicate"):
                for p in prepared.local:
                    p.unlink(missing_ok=True)
                prepared.path.unlink(missing_ok=True)
                self.retries.pop(name, None)
                self.staged.discard(name)
                self.delivered.append(now)
                self.total_delivered += 1
                done += 1
                if status == "created":
                    self._recording_ready(prepared.doc)
                log.info("call delivered", extra={**extra, "status": status})
            elif result.get("retry"):
                delay = self.retries.setdefault(name, _Backoff()).fail(self.settings.max_backoff_s, now)
                log.warning("CDR refused for now, retry in %.1fs: %s", delay, result.get("message"), extra=extra)
            else:
                self._reject(prepared, result)
        for prepared in batch[len(results) :]:  # an answer shorter than the batch: post them again
            self.retries.setdefault(prepared.path.name, _Backoff()).fail(self.settings.max_backoff_s, now)
        return done

    def _recording_ready(self, doc: dict[str, Any]) -> None:
        if self._events is None or not doc.get("recording_upload"):
            return
        try:
            event = live.recording_event(doc, edge_id=self.settings.edge_id, at=datetime.now(UTC))
            if event is not None:
                self._events(event)
        except Exception:  # the live view's loss, never the CDR's
            log.exception("recording.ready not written", extra={"tenant_id": doc.get("tenant_id")})

    def _reject(self, prepared: Prepared, result: dict[str, Any]) -> None:
        """A CDR the control plane refuses for good: kept aside with why, for a person."""
        folder = self.spool.root / "rejected"
        folder.mkdir(parents=True, exist_ok=True)
        for p in prepared.local:
            if p.exists():
                shutil.move(str(p), folder / p.name)
        why = {"code": result.get("code"), "message": result.get("message"), "at": time.time()}
        write_atomic(folder / f"{prepared.path.stem}.why.json", json.dumps(why).encode())
        shutil.move(str(prepared.path), folder / prepared.path.name)
        self.staged.discard(prepared.path.name)
        self.rejected += 1
        log.error(
            "CDR refused by the control plane, kept in rejected/",
            extra={
                "tenant_id": prepared.doc.get("tenant_id"),
                "call_id": prepared.doc.get("call_id"),
                "code": why["code"],
                "reason": why["message"],
            },
        )

    # --- measuring ----------------------------------------------------------------------------
    def status(self, now: float | None = None) -> dict[str, Any]:
        """Spool depth, the oldest undelivered call's age, delivery rate (last minute)."""
        now = time.monotonic() if now is None else now
        while self.delivered and self.delivered[0] < now - 60:
            self.delivered.popleft()
        pending = self.spool.pending()
        oldest = 0.0
        if pending:
            try:
                oldest = max(0.0, time.time() - min(p.stat().st_mtime for p in pending))
            except FileNotFoundError:  # delivered while looking
                oldest = 0.0
        lagging = oldest > self.settings.lag_alert_s
        return {
            "edge_id": self.settings.edge_id,
            "spool_depth": len(pending),
            "oldest_undelivered_s": round(oldest, 1),
            "delivered_per_s": round(len(self.delivered) / 60, 2),
            "delivered_total": self.total_delivered,
            "rejected_total": self.rejected,
            "in_flight": len(self.preparing) + len(self.staging) + len(self.ready),
            "staged": len(self.staged),  # prepared and uploaded, waiting for the control plane
            "control_plane_backoff_s": round(max(0.0, self.api.not_before - now), 1),
            "lagging": lagging,
            "at": time.time(),
        }

    def write_status(self, now: float | None = None) -> dict[str, Any]:
        doc = self.status(now)
        if self.settings.status_path is not None:
            try:
                write_atomic(self.settings.status_path, json.dumps(doc).encode(), durable=False, mode=0o644)
            except OSError as exc:
                log.warning("cannot write the agent status file: %s", exc)
        t = time.monotonic() if now is None else now
        if doc["lagging"] and t >= self._next_lag_warning:
            log.warning("delivery lags behind", extra=doc)
            self._next_lag_warning = t + 60
        return doc
