"""Tenant jobs: export, import and offboarding of a whole tenant (S6).

Each job is a record in ``JOBS#<tenant_id>`` (``store``; kept after the tenant is deleted,
removed by TTL after ``store.JOB_TTL_DAYS``). Starting one checks what can be checked at
once (400 / 409 in the request), then the job runs in the request (local mode, tests) or,
when ``PROBOX_JOBS_FUNCTION`` names a Lambda function, in that function (``handle``, wired
as ``app.run_tenant_job``), invoked asynchronously. A running job writes its counts as a
heartbeat; one silent for ``STALE_AFTER_S`` has died (Lambda stops at 15 minutes) and is
shown as failed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import boto3

from control_plane.core import clock, ids, s3, settings, store
from control_plane.core.log import logger
from control_plane.core.metrics import count, flush
from control_plane.core.schemas import ID_PATTERN
from control_plane.tenant_jobs import archive, exporter, importer, offboarding
from control_plane.tenant_jobs import store as jobs_store
from control_plane.tenant_jobs.archive import ImportFailed
from control_plane.tenant_jobs.schemas import DownloadOut, ImportIn, JobList, JobOut, UploadOut
from control_plane.tenant_jobs.store import Job, Progress
from control_plane.tenants import service as tenants
from pbx_core.cdr import parse_iso
from pbx_core.errors import Conflict, NotFound, PbxError, ValidationError

LINK_TTL_S = 900
UPLOAD_TTL_S = 3600
STALE_AFTER_S = 20 * 60  # a running job silent this long has died (Lambda stops at 15 min)
KINDS = ("export", "import", "delete")
ACTIVE = ("pending", "running")


def _now() -> str:
    return store.ts(clock.now())


# --- jobs ------------------------------------------------------------------------------------
def _new_job(tenant_id: str, kind: str, by: str, params: dict[str, Any]) -> Job:
    now = clock.now()
    job = Job(
        tenant_id=tenant_id,
        job_id=ids.new_id("job"),
        kind=kind,
        status="pending",
        created_at=store.ts(now),
        updated_at=store.ts(now),
        created_by=by,
        params=params,
    )
    jobs_store.create(job, now)
    return job


def _stale(job: Job, now: datetime) -> bool:
    if job.status not in ACTIVE:
        return False
    try:
        updated = parse_iso(job.updated_at)
    except ValidationError:
        return True
    return (now - updated).total_seconds() > STALE_AFTER_S


def _effective(job: Job, now: datetime) -> Job:
    """A job that stopped reporting (timeout, crash) is shown as failed."""
    if _stale(job, now):
        job.status = "failed"
        job.error = job.error or "the job stopped without finishing (timeout or crash); start it again"
    return job


def public(job: Job, *, now: datetime | None = None) -> JobOut:
    now = now or clock.now()
    job = _effective(job, now)
    download = None
    if job.kind == "export" and job.status == "done" and job.result.get("archive_key"):
        url = s3.client().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": s3.bucket(),
                "Key": job.result["archive_key"],
                "ResponseContentType": "application/zip",
                "ResponseContentDisposition": f'attachment; filename="probox-{job.tenant_id}-{job.job_id}.zip"',
            },
            ExpiresIn=LINK_TTL_S,
        )
        download = DownloadOut(
            url=url,
            expires_in=LINK_TTL_S,
            expires_at=store.ts(now + timedelta(seconds=LINK_TTL_S)),
            bytes=int(job.result.get("bytes") or 0),
            sha256=str(job.result.get("sha256") or ""),
        )
    return JobOut(
        id=job.job_id,
        tenant_id=job.tenant_id,
        kind=job.kind,  # type: ignore[arg-type]  # one of KINDS
        status=job.status,  # type: ignore[arg-type]  # pending | running | done | failed
        created_at=job.created_at,
        updated_at=job.updated_at,
        finished_at=job.finished_at,
        created_by=job.created_by,
        error=job.error or None,
        result=job.result,
        download=download,
    )


def list_all(tenant_id: str) -> JobList:
    """The tenant's jobs, newest first (also after the tenant was deleted)."""
    now = clock.now()
    return JobList(items=[public(j, now=now) for j in jobs_store.list_all(tenant_id)], next=None)


def get(tenant_id: str, job_id: str) -> JobOut:
    ids.check_id(job_id, "job", "job")
    job = jobs_store.get(tenant_id, job_id)
    if job is None:
        raise NotFound("job not found")
    return public(job)


def _busy(tenant_id: str, kinds: tuple[str, ...]) -> Job | None:
    now = clock.now()
    for job in jobs_store.list_all(tenant_id):
        if job.kind in kinds and job.status in ACTIVE and not _stale(job, now):
            return job
    return None


def _refuse_if_busy(tenant_id: str, kinds: tuple[str, ...]) -> None:
    busy = _busy(tenant_id, kinds)
    if busy is not None:
        raise Conflict(
            f"job {busy.job_id} ({busy.kind}) is still {busy.status}; wait for it", fields={"job": busy.job_id}
        )


# --- running -------------------------------------------------------------------------------
def _dispatch(job: Job) -> Job:
    """Run the job here, or hand it to the jobs function (asynchronous invoke)."""
    function = settings.jobs_function()
    if function is None:
        run(job.tenant_id, job.job_id)
        return jobs_store.get(job.tenant_id, job.job_id) or job
    try:
        boto3.client("lambda", region_name=settings.aws().region).invoke(
            FunctionName=function,
            InvocationType="Event",
            Payload=json.dumps({"tenant_id": job.tenant_id, "job_id": job.job_id}).encode(),
        )
    except Exception:  # the job is recorded: report it failed rather than leave it pending
        logger.exception("job dispatch failed", extra={"tenant_id": job.tenant_id, "job_id": job.job_id})
        job.status, job.error, job.finished_at = "failed", "could not start the job; try again", _now()
        job.updated_at = job.finished_at
        jobs_store.save(job)
    return job


RUNNERS: dict[str, Callable[[Job, Progress], dict[str, Any]]] = {
    "export": exporter.export,
    "import": importer.run_import,
    "delete": lambda job, progress: offboarding.purge(job.tenant_id),
}


def run(tenant_id: str, job_id: str) -> Job | None:
    """Run a pending job once (a repeated invocation finds it no longer pending)."""
    job = jobs_store.get(tenant_id, job_id)
    if job is None or job.status != "pending":
        return job
    job.status, job.updated_at = "running", _now()
    if not jobs_store.save(job, expect="pending"):
        return jobs_store.get(tenant_id, job_id)
    started = clock.monotonic()
    try:
        job.result.update(RUNNERS[job.kind](job, Progress(job, _now)))
        job.status = "done"
    except (PbxError, ImportFailed) as exc:
        job.status, job.error = "failed", str(exc)
        logger.warning("tenant job failed", extra={"tenant_id": tenant_id, "job_id": job_id, "kind": job.kind})
    except Exception:
        job.status, job.error = "failed", "internal error (see the control plane's logs)"
        logger.exception("tenant job crashed", extra={"tenant_id": tenant_id, "job_id": job_id, "kind": job.kind})
    job.result["seconds"] = round(clock.monotonic() - started, 3)
    job.finished_at = job.updated_at = _now()
    jobs_store.save(job)
    count(f"Tenant{job.kind.capitalize()}{'Done' if job.status == 'done' else 'Failed'}")
    logger.info(
        "tenant job finished",
        extra={"tenant_id": tenant_id, "job_id": job_id, "kind": job.kind, "status": job.status},
    )
    return job


def handle(event: dict[str, Any]) -> dict[str, Any]:
    """The jobs function's work for one event ``{"tenant_id": ..., "job_id": ...}``."""
    tenant_id, job_id = str(event.get("tenant_id") or ""), str(event.get("job_id") or "")
    logger.thread_safe_clear_keys()
    logger.thread_safe_append_keys(tenant_id=tenant_id, job_id=job_id)
    try:
        if not tenants.is_tenant_id(tenant_id) or not re.match(ID_PATTERN, job_id):
            logger.error("bad job event")
            return {"status": "ignored"}
        job = run(tenant_id, job_id)
        return {"status": job.status if job else "missing"}
    finally:
        flush()
        logger.thread_safe_clear_keys()


# --- starting jobs -----------------------------------------------------------------------------
def start_export(tenant_id: str, *, by: str) -> JobOut:
    tenants.require(tenant_id)
    _refuse_if_busy(tenant_id, ("export", "delete"))
    job = _new_job(tenant_id, "export", by, {})
    logger.info("tenant export started", extra={"tenant_id": tenant_id, "job_id": job.job_id})
    return public(_dispatch(job))


def upload_url() -> UploadOut:
    """A presigned PUT for an archive made elsewhere (an on-premise server moving back)."""
    key = f"imports/{ids.new_id('imp')}.zip"
    url = s3.client().generate_presigned_url(
        "put_object", Params={"Bucket": s3.bucket(), "Key": key}, ExpiresIn=UPLOAD_TTL_S, HttpMethod="PUT"
    )
    return UploadOut(
        archive_key=key,
        upload_url=url,
        method="PUT",
        expires_in=UPLOAD_TTL_S,
        expires_at=store.ts(clock.now() + timedelta(seconds=UPLOAD_TTL_S)),
    )


def start_import(req: ImportIn, *, by: str) -> JobOut:
    """Check the archive and the target now (400 / 409), then import it as a job."""
    arch = archive.open_archive(req.archive_key)
    target = importer.target(req, arch)
    importer.check(target, arch)
    params = {
        "archive_key": req.archive_key,
        "domain": target.domain,
        "name": target.name,
        "plan": target.plan,
        "status": target.status,
        "source_tenant_id": arch.config.tenant.id,
    }
    job = _new_job(target.tenant_id, "import", by, params)
    logger.info("tenant import started", extra={"tenant_id": target.tenant_id, "job_id": job.job_id})
    return public(_dispatch(job))


def start_delete(tenant_id: str, *, force: bool, by: str) -> JobOut:
    """Offboard a tenant: without ``force`` it must be suspended and exported since."""
    tenant = tenants.require(tenant_id)
    _refuse_if_busy(tenant_id, KINDS)
    if not force:
        if tenant.status != "suspended":
            raise Conflict(
                "suspend the tenant first (PATCH status=suspended), export it, then delete it; or force=true",
                fields={"status": "must be suspended"},
            )
        exports = [j for j in jobs_store.list_all(tenant_id) if j.kind == "export" and j.status == "done"]
        if not any(j.created_at >= tenant.updated_at for j in exports):
            raise Conflict(
                f"no finished export since the tenant was last changed ({tenant.updated_at}): "
                f"POST /v1/tenants/{tenant_id}/export first, or force=true",
                fields={"export": "required"},
            )
    job = _new_job(tenant_id, "delete", by, {"force": force})
    logger.warning("tenant deletion started", extra={"tenant_id": tenant_id, "job_id": job.job_id, "force": force})
    return public(_dispatch(job))
