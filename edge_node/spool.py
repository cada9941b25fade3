"""The edge's local durable spool: finished calls waiting for upload.

Layout under the spool root:
  rec/<key>.caller.wav, rec/<key>.callee.wav  mono recordings written by the worker
  cdr/<key>.json                               the CDR; its presence means "call finished"
A CDR file is written to a temporary name, fsynced and renamed, so the agent never sees
a half-written one, and a crash leaves either nothing or a complete file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def safe_key(call_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.@" else "_" for c in call_id)[:200]


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


@dataclass(frozen=True)
class Spool:
    root: Path

    @property
    def rec_dir(self) -> Path:
        return self.root / "rec"

    @property
    def cdr_dir(self) -> Path:
        return self.root / "cdr"

    def ensure(self) -> Spool:
        self.rec_dir.mkdir(parents=True, exist_ok=True)
        self.cdr_dir.mkdir(parents=True, exist_ok=True)
        return self

    def recording_paths(self, key: str) -> tuple[Path, Path]:
        return self.rec_dir / f"{key}.caller.wav", self.rec_dir / f"{key}.callee.wav"

    def put_cdr(self, key: str, cdr: dict[str, Any]) -> Path:
        path = self.cdr_dir / f"{key}.json"
        write_atomic(path, json.dumps(cdr, sort_keys=True).encode())
        return path

    def pending(self) -> list[Path]:
        return sorted(p for p in self.cdr_dir.glob("*.json") if not p.name.startswith("."))
