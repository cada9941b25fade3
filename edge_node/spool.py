"""The edge's local durable spool: finished calls waiting for upload.

Layout under the spool root:
  active/<key>.json                            journal of a call in progress (owner pid)
  rec/<key>.caller.wav, rec/<key>.callee.wav  mono recordings written by the worker
  cdr/<key>.json                               the CDR; its presence means "call finished"
A CDR file is written to a temporary name, fsynced and renamed, so the agent never sees
a half-written one, and a crash leaves either nothing or a complete file. Journals are
renamed into place without fsync: they must survive the worker process dying (the page
cache does), not the machine; the agent turns a dead worker's journals into CDRs.

A media worker does these writes through a ``SpoolWriter``: one thread of its own, in order,
so the pjsua event thread never waits for the disk (an fsync takes 0.5 ms here, and tens of
ms while hundreds of recordings are being written).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pbx_core.cdr import safe_call_id

safe_key = safe_call_id  # spool file names and recording keys use the same form

log = logging.getLogger("probox.spool")


def write_atomic(path: Path, data: bytes, *, durable: bool = True, mode: int = 0o640) -> None:
    """Write to a temporary name and rename; with ``durable`` also fsync file and folder."""
    _write_renamed(path, data, fsync=durable, mode=mode)
    if durable:
        fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    dfd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def _write_renamed(path: Path, data: bytes, *, fsync: bool, mode: int = 0o640) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        if fsync:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)


def process_start_time(pid: int) -> int | None:
    """Start time of a process in clock ticks since boot (tells a pid's reuse apart)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])


def owner_alive(pid: int, start_time: int | None) -> bool:
    now = process_start_time(pid)
    return now is not None and (start_time is None or now == start_time)


def wav_closed(path: Path) -> bool:
    """Has pjmedia's WAV writer closed ``path``? It writes the RIFF length (file size - 8)
    only when it closes the file, after the last buffered audio."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
            size = os.fstat(f.fileno()).st_size
    except OSError:
        return False
    return len(head) == 8 and head[:4] == b"RIFF" and int.from_bytes(head[4:8], "little") == size - 8


@dataclass(frozen=True)
class Spool:
    root: Path

    @property
    def rec_dir(self) -> Path:
        return self.root / "rec"

    @property
    def cdr_dir(self) -> Path:
        return self.root / "cdr"

    @property
    def active_dir(self) -> Path:
        return self.root / "active"

    def ensure(self) -> Spool:
        for d in (self.rec_dir, self.cdr_dir, self.active_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self

    def put_journal(self, key: str, journal: dict[str, Any]) -> None:
        write_atomic(self.active_dir / f"{key}.json", json.dumps(journal).encode(), durable=False)

    def drop_journal(self, key: str) -> None:
        (self.active_dir / f"{key}.json").unlink(missing_ok=True)

    def journals(self) -> list[Path]:
        return sorted(p for p in self.active_dir.glob("*.json") if not p.name.startswith("."))

    def recording_paths(self, key: str) -> tuple[Path, Path]:
        return self.rec_dir / f"{key}.caller.wav", self.rec_dir / f"{key}.callee.wav"

    def put_cdr(self, key: str, cdr: dict[str, Any]) -> Path:
        path = self.cdr_dir / f"{key}.json"
        write_atomic(path, json.dumps(cdr, sort_keys=True).encode())
        return path

    def put_cdrs(self, cdrs: Sequence[tuple[str, dict[str, Any]]]) -> list[tuple[str, OSError]]:
        """Several CDRs made durable together: each file fsynced and renamed, then one fsync
        of the folder for all the renames (group commit). Returns the ones that failed."""
        failed: list[tuple[str, OSError]] = []
        for key, cdr in cdrs:
            try:
                _write_renamed(self.cdr_dir / f"{key}.json", json.dumps(cdr, sort_keys=True).encode(), fsync=True)
            except OSError as exc:
                failed.append((key, exc))
        if len(failed) < len(cdrs):
            try:
                fsync_dir(self.cdr_dir)
            except OSError as exc:  # the renames may not be durable: count them all as failed
                return [(key, exc) for key, _ in cdrs]
        return failed

    def pending(self) -> list[Path]:
        return sorted(p for p in self.cdr_dir.glob("*.json") if not p.name.startswith("."))


_STOP: tuple[str, str, dict[str, Any]] = ("stop", "", {})


class SpoolWriter:
    """A media worker's spool writes, done in order on a thread of their own so the pjsua
    event thread only queues them and never waits for the disk.

    Per call the order is kept: journal(s), then the CDR made durable, and only then the
    journal dropped, so a crash of the worker leaves a journal or a CDR, never neither
    (except writes still queued at a kill -9, normally well under a millisecond old). A CDR
    the disk refuses (full, read-only) stays in memory, is logged loudly and retried every
    ``retry_s``; its journal stays on disk meanwhile (if the worker dies, the agent recovers
    the call from it). CDRs queued together are made durable together (``put_cdrs``)."""

    def __init__(self, spool: Spool, *, retry_s: float = 5.0, batch: int = 256) -> None:
        self.spool = spool
        self.retry_s = retry_s
        self.batch = batch
        self._q: queue.SimpleQueue[tuple[str, str, dict[str, Any]]] = queue.SimpleQueue()
        self._unspooled: dict[str, dict[str, Any]] = {}  # only touched by the writer thread
        self._thread = threading.Thread(target=self._run, name="spool-writer", daemon=True)

    def start(self) -> SpoolWriter:
        self._thread.start()
        return self

    def put_journal(self, key: str, journal: dict[str, Any]) -> None:
        """Queue a call's journal (the caller must not change ``journal`` afterwards)."""
        self._q.put(("journal", key, journal))

    def put_cdr(self, key: str, cdr: dict[str, Any]) -> None:
        """Queue a finished call's CDR; its journal is dropped once the CDR is durable."""
        self._q.put(("cdr", key, cdr))

    @property
    def backlog(self) -> int:
        """Writes queued plus CDRs waiting for the disk to take them."""
        return self._q.qsize() + len(self._unspooled)

    def close(self, timeout: float = 10.0) -> int:
        """Write what is queued (one more try for refused CDRs) and stop the thread.
        Returns how many CDRs are left unwritten (their journals stay for the agent)."""
        if not self._thread.is_alive():
            return len(self._unspooled)
        self._q.put(_STOP)
        self._thread.join(timeout)
        left = self.backlog
        if left:
            log.critical("worker stopping with %d CDRs not spooled; their calls' journals remain", left)
        return left

    def _run(self) -> None:
        next_retry = 0.0
        while True:
            wait = max(next_retry - time.monotonic(), 0.01) if self._unspooled else None
            try:
                items = [self._q.get(timeout=wait)]
            except queue.Empty:
                items = []
            while len(items) < self.batch:
                try:
                    items.append(self._q.get_nowait())
                except queue.Empty:
                    break
            stopping = any(x is _STOP for x in items)
            cdrs: list[tuple[str, dict[str, Any]]] = []
            if self._unspooled and (stopping or time.monotonic() >= next_retry):
                cdrs += self._unspooled.items()
            for kind, key, doc in items:
                if kind == "journal":
                    self._journal(key, doc)
                elif kind == "cdr":
                    cdrs.append((key, doc))
            if cdrs:
                if not self._cdrs(cdrs):
                    next_retry = time.monotonic() + self.retry_s
            if stopping:
                return

    def _journal(self, key: str, doc: dict[str, Any]) -> None:
        try:
            self.spool.put_journal(key, doc)
        except OSError as exc:
            log.error("cannot write call journal (spool full?): %s", exc, extra=_extra(doc))

    def _cdrs(self, cdrs: list[tuple[str, dict[str, Any]]]) -> bool:
        """Write CDRs, drop the journals of those now durable; False if some were refused."""
        failed = dict(self.spool.put_cdrs(cdrs))
        for key, doc in cdrs:
            exc = failed.get(key)
            if exc is None:
                self._unspooled.pop(key, None)
                try:
                    self.spool.drop_journal(key)
                except OSError as e:  # a stale journal of a live worker is harmless
                    log.error("cannot drop call journal: %s", e, extra=_extra(doc))
                continue
            new = key not in self._unspooled
            self._unspooled[key] = doc
            if new:
                log.critical(
                    "SPOOL WRITE FAILED, CDR kept in memory: %s",
                    exc,
                    extra={**_extra(doc), "pending": len(self._unspooled)},
                )
        return not failed


def _extra(doc: dict[str, Any]) -> dict[str, str]:
    setup = doc.get("setup")  # a journal keeps the tenant in its call setup
    tenant = doc.get("tenant_id") or (setup.get("tenant_id") if isinstance(setup, dict) else None)
    return {"tenant_id": str(tenant or ""), "call_id": str(doc.get("call_id", ""))}
