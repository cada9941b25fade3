"""Job records (``JOBS#<tenant_id>`` / ``<job_id>``): kept ``JOB_TTL_DAYS`` (TTL), also after
the tenant is deleted."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition

from control_plane.core import keys, store

JOB_TTL_DAYS = 30  # job records and (by the bucket's lifecycle rule) export archives


class JobItem(store.Item, discriminator="job"):
    tenant_id = UnicodeAttribute()
    job_kind = UnicodeAttribute()  # export | import | delete
    status = UnicodeAttribute()  # pending | running | done | failed
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    created_by = UnicodeAttribute(default="")
    doc = UnicodeAttribute()  # params, result, error, finished_at as JSON
    ttl = TTLAttribute(null=True)


@dataclass
class Job:
    tenant_id: str
    job_id: str
    kind: str
    status: str
    created_at: str
    updated_at: str
    created_by: str
    params: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    finished_at: str | None = None

    def doc(self) -> str:
        body = {"params": self.params, "result": self.result, "error": self.error, "finished_at": self.finished_at}
        return json.dumps(body, separators=(",", ":"), sort_keys=True)


def _job(item: JobItem) -> Job:
    doc = json.loads(item.doc)
    return Job(
        tenant_id=item.tenant_id,
        job_id=item.sk,
        kind=item.job_kind,
        status=item.status,
        created_at=item.created_at,
        updated_at=item.updated_at,
        created_by=item.created_by or "",
        params=doc.get("params") or {},
        result=doc.get("result") or {},
        error=doc.get("error") or "",
        finished_at=doc.get("finished_at"),
    )


def create(job: Job, now: datetime) -> None:
    """Store a new job; it expires JOB_TTL_DAYS after ``now``."""
    store.configure()
    JobItem(
        keys.jobs_pk(job.tenant_id),
        job.job_id,
        tenant_id=job.tenant_id,
        job_kind=job.kind,
        status=job.status,
        created_at=job.created_at,
        updated_at=job.updated_at,
        created_by=job.created_by,
        doc=job.doc(),
        ttl=(now + timedelta(days=JOB_TTL_DAYS)).astimezone(UTC),
    ).save(condition=JobItem.pk.does_not_exist())


def get(tenant_id: str, job_id: str) -> Job | None:
    found = store.get_item(JobItem, keys.jobs_pk(tenant_id), job_id)
    return _job(found) if found is not None else None


def save(job: Job, *, expect: str | None = None) -> bool:
    """Write the job's state; with ``expect`` only if its stored status is that (False if not)."""
    store.configure()
    condition: Condition = JobItem.pk.exists()
    if expect is not None:
        condition = condition & (JobItem.status == expect)
    try:
        JobItem(keys.jobs_pk(job.tenant_id), job.job_id).update(
            actions=[
                JobItem.status.set(job.status),
                JobItem.updated_at.set(job.updated_at),
                JobItem.doc.set(job.doc()),
            ],
            condition=condition,
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def list_all(tenant_id: str) -> list[Job]:
    """The tenant's jobs, newest first."""
    jobs = [_job(i) for i in store.list_scope(keys.jobs_pk(tenant_id), JobItem, "job_")]
    return sorted(jobs, key=lambda j: j.created_at, reverse=True)


class Progress:
    """Heartbeat of a running job: its counts, written at most every HEARTBEAT_S seconds
    (a job silent for long is shown as failed: ``service.STALE_AFTER_S``)."""

    HEARTBEAT_S = 15

    def __init__(self, job: Job, now: Callable[[], str]) -> None:
        self.job = job
        self.now = now
        self.last = time.monotonic()

    def tick(self, **counts: Any) -> None:
        self.job.result.update(counts)
        if time.monotonic() - self.last >= self.HEARTBEAT_S:
            self.last = time.monotonic()
            self.job.updated_at = self.now()
            save(self.job)
