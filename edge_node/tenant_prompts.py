"""Tenants' own queue prompts at the edge (issue 16 item 1): the edge agent fetches each
recording the snapshot names (``QueueConfig.prompts``: "<lang>/<name>" and its SHA-256)
through a short-lived link from the control plane (``GET /edge/v1/queue-prompts/...``, only
for tenants the edge serves), checks the hash, converts it with sox to the 8 kHz mono 16-bit
WAV the media worker plays, and keeps it in a folder beside the snapshot:

    tenant-prompts/<tenant_id>/<queue_id>/<lang>/<name>-<sha256[:16]>.wav

The worker plays such a file instead of the product's sentence when it exists (``path`` is
the one place that names it). Files the snapshot no longer names are removed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from pbx_core.snapshot import Snapshot

log = logging.getLogger("probox.agent.prompts")

FOLDER = "tenant-prompts"


def folder_beside(snapshot_path: Path) -> Path:
    return snapshot_path.parent / FOLDER


def path(folder: Path, tenant_id: str, queue_id: str, key: str, sha256: str) -> Path:
    """The local file of prompt ``key`` ("<lang>/<name>") of a queue."""
    language, _, name = key.partition("/")
    return folder / tenant_id / queue_id / language / f"{name}-{sha256[:16]}.wav"


def wanted(snap: Snapshot, folder: Path) -> dict[Path, tuple[str, str, str, str]]:
    """Every file the snapshot names -> (tenant, queue, key, sha256)."""
    out = {}
    for t in snap.tenants.values():
        for q in t.queues.values():
            for key, sha in q.prompts:
                out[path(folder, t.id, q.id, key, sha)] = (t.id, q.id, key, sha)
    return out


def convert(data: bytes, out: Path) -> None:
    """The uploaded WAV as 8 kHz mono 16-bit (sox), written atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp.wav")
    with tempfile.NamedTemporaryFile(suffix=".wav") as src:
        src.write(data)
        src.flush()
        subprocess.run(
            ["sox", "-q", src.name, "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", str(tmp)],
            check=True,
            capture_output=True,
            timeout=60,
        )
    tmp.replace(out)


def sync(
    snap: Snapshot,
    folder: Path,
    link: Callable[[str, str, str, str], str | None],
    download: Callable[[str], bytes],
) -> tuple[int, int]:
    """Fetch the missing files, remove the stale ones: (fetched, removed). ``link(tenant,
    queue, language, name)`` is the control plane's link (None: not now); a file whose hash
    is wrong or that sox cannot read is skipped (logged) and tried again next time."""
    if shutil.which("sox") is None:
        log.error("sox is needed to use tenants' own prompts (infra/setup_debian.sh)")
        return 0, 0
    want = wanted(snap, folder)
    fetched = 0
    for target, (tid, qid, key, sha) in sorted(want.items()):
        if target.exists():
            continue
        language, _, name = key.partition("/")
        extra = {"tenant_id": tid, "queue_id": qid, "prompt": key}
        try:
            url = link(tid, qid, language, name)
            if url is None:
                continue
            data = download(url)
            if hashlib.sha256(data).hexdigest() != sha:
                log.error("prompt file does not match its hash, not used", extra=extra)
                continue
            convert(data, target)
            fetched += 1
            log.info("tenant prompt fetched", extra=extra)
        except (OSError, subprocess.SubprocessError) as exc:
            log.error("tenant prompt not fetched: %s", exc, extra=extra)
    removed = 0
    if folder.exists():
        for f in folder.rglob("*.wav"):
            if f not in want:
                f.unlink(missing_ok=True)
                removed += 1
    return fetched, removed
