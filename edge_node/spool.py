"""The edge's local durable spool: finished calls waiting for upload.

Layout under the spool root:
  active/<key>.json                            journal of a call in progress (owner pid)
  rec/<key>.caller.wav, rec/<key>.callee.wav  mono recordings written by the worker
  cdr/<key>.json                               the CDR; its presence means "call finished"
A CDR file is written to a temporary name, fsynced and renamed, so the agent never sees
a half-written one, and a crash leaves either nothing or a complete file. Journals are
renamed into place without fsync: they must survive the worker process dying (the page
cache does), not the machine; the agent turns a dead worker's journals into CDRs.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pbx_core.cdr import safe_call_id

safe_key = safe_call_id  # spool file names and recording keys use the same form


def write_atomic(path: Path, data: bytes, *, durable: bool = True, mode: int = 0o640) -> None:
    """Write to a temporary name and rename; with ``durable`` also fsync file and folder."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        if durable:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)
    if durable:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


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

    def pending(self) -> list[Path]:
        return sorted(p for p in self.cdr_dir.glob("*.json") if not p.name.startswith("."))
