"""The export job: one zip archive ``exports/<tenant_id>/<job_id>.zip`` streamed into S3
(multipart, constant memory) from the tenant's configuration (``archive.read_config``), its
CDRs (the low-level paginated query) and its recording objects. The format is ``archive``'s."""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from typing import Any

from botocore.exceptions import ClientError

from control_plane.cdrs import store as cdrs_store
from control_plane.core import clock, s3, store
from control_plane.core.log import logger
from control_plane.recordings import store as rec_store
from control_plane.tenant_jobs import archive
from control_plane.tenant_jobs.s3io import MultipartWriter
from control_plane.tenant_jobs.store import Job, Progress
from pbx_core.errors import NotFound

ARCHIVE_TAGGING = "probox:kind=export"  # template.yaml's rule expire-tenant-exports: JOB_TTL_DAYS
CHUNK = 1024 * 1024  # read size of recording bodies, write size of cdrs.jsonl


def archive_key(tenant_id: str, job_id: str) -> str:
    return f"exports/{tenant_id}/{job_id}.zip"


def _now() -> str:
    return store.ts(clock.now())


def _add_cdrs(zf: zipfile.ZipFile, tenant_id: str, files: list[dict[str, Any]], progress: Progress) -> int:
    """cdrs.jsonl from the low-level paginated Query (no model objects)."""
    digest, size, n = hashlib.sha256(), 0, 0
    pending = bytearray()
    with zf.open(archive.zinfo("cdrs.jsonl", deflate=True), "w", force_zip64=True) as dest:
        for doc in cdrs_store.iter_docs(tenant_id, cdrs_store.CdrFilter(), max_items=sys.maxsize):
            line = json.dumps(doc, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode() + b"\n"
            pending += line
            n += 1
            if len(pending) >= CHUNK:
                dest.write(pending)
                digest.update(pending)
                size += len(pending)
                pending.clear()
                progress.tick(cdrs=n)
        dest.write(pending)
        digest.update(pending)
        size += len(pending)
    files.append({"path": "cdrs.jsonl", "bytes": size, "sha256": digest.hexdigest()})
    return n


def _add_recordings(
    zf: zipfile.ZipFile, tenant_id: str, files: list[dict[str, Any]], progress: Progress
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each stored recording object, streamed in CHUNK pieces; ([added], [missing])."""
    client, bucket = s3.client(), s3.bucket()
    added: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    seen: set[str] = set()
    total = 0
    for call_id, key, fmt in rec_store.objects(tenant_id):
        path = archive.recording_path(tenant_id, key)
        if path is None:  # never under tenants/<id>/recordings/, or an unusable name
            missing.append({"call_id": call_id, "key": key, "reason": "not a recording key of the tenant"})
            continue
        if path in seen:
            continue
        try:
            obj = client.get_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in ("NoSuchKey", "404"):
                raise
            missing.append({"call_id": call_id, "key": key, "reason": "object not found"})
            continue
        size = int(obj["ContentLength"])
        digest, written = hashlib.sha256(), 0
        with zf.open(archive.zinfo(path, deflate=False, size=size), "w") as dest:
            for chunk in obj["Body"].iter_chunks(CHUNK):
                dest.write(chunk)
                digest.update(chunk)
                written += len(chunk)
        seen.add(path)
        files.append({"path": path, "bytes": written, "sha256": digest.hexdigest()})
        added.append({"call_id": call_id, "path": path, "format": fmt, "bytes": written})
        total += written
        progress.tick(recordings=len(added), recording_bytes=total)
    return added, missing


def export(job: Job, progress: Progress) -> dict[str, Any]:
    """Run the export job: the archive in S3; the job's result (key, size, checksum, counts)."""
    tenant_id = job.tenant_id
    config = archive.read_config(tenant_id)
    if config is None:
        raise NotFound("tenant not found")
    key = archive_key(tenant_id, job.job_id)
    files: list[dict[str, Any]] = []
    writer = MultipartWriter(
        s3.client(), s3.bucket(), key, content_type="application/zip", tagging=ARCHIVE_TAGGING
    )  # the bucket's lifecycle rule expires tagged exports after JOB_TTL_DAYS
    with writer, zipfile.ZipFile(writer, "w", allowZip64=True) as zf:
        config_bytes = json.dumps(config, indent=1, sort_keys=True, ensure_ascii=False).encode()
        archive.add_bytes(zf, "config.json", config_bytes, files)
        cdr_count = _add_cdrs(zf, tenant_id, files, progress)
        added, missing = _add_recordings(zf, tenant_id, files, progress)
        counts = {section: len(config[section]) for section, _, _ in archive.SECTIONS.values()}
        counts.update(
            cdrs=cdr_count,
            recordings=len(added),
            recording_bytes=sum(r["bytes"] for r in added),
            missing_recordings=len(missing),
        )
        manifest = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "created_at": _now(),
            "export_id": job.job_id,
            "source": {
                "tenant_id": tenant_id,
                "domain": config["tenant"]["domain"],
                "name": config["tenant"]["name"],
            },
            "secrets": "none: SIP, carrier and login passwords, HA1s and API keys are never exported",
            "counts": counts,
            "files": files,
            "recordings": added,
            "missing_recordings": missing,
        }
        zf.writestr(archive.zinfo("manifest.json", deflate=True), json.dumps(manifest, indent=1, sort_keys=True))
        sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in files)
        zf.writestr(archive.zinfo("checksums.sha256", deflate=True), sums)
    logger.info(
        "tenant exported",
        extra={"tenant_id": tenant_id, "job_id": job.job_id, "bytes": writer.size, "parts": len(writer.parts)},
    )
    return {
        "archive_key": key,
        "bytes": writer.size,
        "sha256": writer.digest.hexdigest(),
        "parts": len(writer.parts),
        "counts": counts,
        "trunks_with_password": config["trunks_with_password"],
    }
