"""Tenant export, import and offboarding (S6: a tenant moves off the cloud to its own server,
and back, with its configuration, history and recordings).

Three long-running jobs, each a record in ``JOBS#<tenant_id>`` (kept after the tenant is
deleted, removed by TTL after ``JOB_TTL_DAYS``):

- **export**: one zip archive ``exports/<tenant_id>/<job_id>.zip`` streamed into S3 (multipart,
  constant memory) from low-level paginated queries and the recording objects;
- **import**: a new tenant (new id, or the archived one) from such an archive, validated before
  anything is written and rolled back if it fails later (a recording whose bytes do not match
  the manifest, say);
- **delete** (offboarding): the tenant's items, claims, recordings and credentials, after an
  export made since the tenant was suspended (or with ``force``).

A job runs in the request (local mode, tests) or, when ``PROBOX_JOBS_FUNCTION`` names a
Lambda function, in that function (``lambda_handler``), invoked asynchronously.

Archive members:

| member | what |
|---|---|
| ``config.json`` | tenant settings, branches, extensions, devices, trunks, numbers, block list, users |
| ``cdrs.jsonl`` | every CDR, one JSON object a line, as ``GET /v1/cdrs/{call_id}`` shows it (UTC) |
| ``recordings/YYYY/MM/DD/<call>.<fmt>`` | each recording: its CDR's ``recording_key`` minus ``tenants/<id>/`` |
| ``manifest.json`` | format, version, source tenant, counts, bytes and SHA-256 of every other member |
| ``checksums.sha256`` | the same checksums for ``sha256sum -c`` after unzipping |

No secret leaves: no SIP password nor HA1 (a password equivalent for its realm), no carrier
password, no login password hash, no API key, no provisioning token. Fields are copied from
explicit lists, so an attribute added later stays out until someone adds it here. An import
gives every extension a new SIP password (devices come back marked for re-provisioning),
registering trunks come back without their password, users cannot log in until an admin
sets their password, and API keys are issued anew.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
import re
import secrets
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticError

from chalicelib import (
    cdrs,
    clock,
    common,
    crypto,
    extensions,
    passwords,
    plans,
    recordings,
    schemas,
    settings,
    store,
    tenants,
    vnphone,
)
from chalicelib.log import logger
from chalicelib.metrics import count
from pbx_core import cdr as cdrmod
from pbx_core import sipauth
from pbx_core.errors import Conflict, LimitExceeded, NotFound, PbxError, ValidationError

FORMAT = "probox-tenant-export"
FORMAT_VERSION = 1
JOB_TTL_DAYS = 30  # job records and (by the bucket's lifecycle rule) export archives
ARCHIVE_TAGGING = "probox:kind=export"  # template.yaml's rule expire-tenant-exports: JOB_TTL_DAYS
LINK_TTL_S = 900
UPLOAD_TTL_S = 3600
STALE_AFTER_S = 20 * 60  # a running job silent this long has died (Lambda stops at 15 min)
HEARTBEAT_S = 15
PART_SIZE = 16 * 1024 * 1024  # S3 multipart part (10,000 parts: archives up to 160 GB)
CHUNK = 1024 * 1024  # read size of recording bodies
READ_BLOCK = 8 * 1024 * 1024  # ranged GET size when reading an archive from S3
MAX_CONFIG_BYTES = 64 * 1024 * 1024
MAX_CDR_LINE = 1024 * 1024
MAX_ARCHIVE_BYTES = 200 * 1024**3
BATCH_WRITE = 25  # DynamoDB BatchWriteItem limit
TX_OPS = 90  # per transaction (DynamoDB allows 100; commit adds the version bump)
KINDS = ("export", "import", "delete")
ACTIVE = ("pending", "running")

# recordings/<segments>: no empty, "." or ".." segment, no control character or backslash
_RECORDING_PATH = re.compile(r"^recordings(/(?!\.{1,2}(/|$))[^/\\\x00-\x1f\x7f]+){1,8}$")
_KEY_TAIL = re.compile(r"^tenants/[^/]+/(recordings/.+)$")
CONTENT_TYPES = {"opus": "audio/ogg", "ogg": "audio/ogg", "wav": "audio/wav"}
# Keys of the API view of a CDR that are not part of the stored document.
_OVERLAY = (
    "recording_deleted",
    "recording_deleted_at",
    "time_zone",
    "started_at_local",
    "answered_at_local",
    "ended_at_local",
)


class ImportFailed(Exception):
    """The archive turned out to be unusable while importing (the job fails, rolls back)."""


# --- archive config models (what an import accepts) ----------------------------------------
class _Archived(BaseModel):
    # unknown keys are ignored: a later format_version 1 writer may add fields
    model_config = ConfigDict(strict=True, extra="ignore")


class _Outbound(_Archived):
    international: bool = False
    premium_1900: bool = False


class _Recording(_Archived):
    enabled: bool = True
    retention_days: int = Field(default=365, ge=1, le=3650)
    on_full: schemas.OnFull = "delete_oldest"


class _Tenant(_Archived):
    id: schemas.TenantId
    name: schemas.Text
    domain: schemas.Domain
    status: Literal["active", "suspended"] = "active"
    plan: schemas.PlanName
    max_concurrent_calls: int = Field(ge=1, le=10_000)
    time_zone: schemas.TimeZone = tenants.DEFAULT_TIME_ZONE
    outbound_policy: _Outbound = Field(default_factory=_Outbound)
    recording: _Recording = Field(default_factory=_Recording)
    password_rotation_months: int = Field(default=12, ge=1, le=24)
    default_caller_id: schemas.OptDid = ""


class _Branch(_Archived):
    id: schemas.Id
    name: schemas.Text
    prefix: schemas.Prefix


class _Extension(_Archived):
    number: schemas.Ext
    display_name: schemas.OptText = ""
    status: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,20}$")] = "active"
    branch_id: schemas.OptId = ""
    pickup_group: schemas.PickupGroup = ""
    outbound: schemas.Outbound = "national"
    caller_id: schemas.OptDid = ""


class _Device(_Archived):
    id: schemas.Id
    extension: schemas.Ext
    vendor: schemas.Vendor
    model: schemas.Text
    mac: schemas.Mac
    label: schemas.OptText = ""


class _Trunk(_Archived):
    id: schemas.Id
    name: schemas.Text
    host: schemas.Host
    port: int = Field(default=5060, ge=1, le=65535)
    transport: schemas.Transport = "udp"
    auth: schemas.TrunkAuth = "ip"
    username: schemas.OptText = ""
    ips: list[schemas.Ipv4] = Field(default_factory=list, max_length=16)
    channels: int = Field(default=30, ge=1, le=1000)
    codecs: list[schemas.Codec] = Field(default_factory=lambda: _default_codecs(), max_length=5)


def _default_codecs() -> list[schemas.Codec]:
    return ["PCMA", "PCMU"]


class _Number(_Archived):
    number: schemas.Did
    trunk_id: schemas.Id
    route_to: schemas.OptExt = ""
    label: schemas.OptText = ""


class _Block(_Archived):
    id: schemas.Id
    pattern: schemas.BlockPattern
    direction: schemas.Direction = "both"
    extension: schemas.OptExt = ""
    note: schemas.OptText = ""


class _User(_Archived):
    id: schemas.Id
    email: schemas.Email
    name: schemas.OptText = ""
    role: schemas.TenantRole
    extension: schemas.OptExt = ""
    status: Literal["active", "disabled"] = "active"


class _Config(_Archived):
    tenant: _Tenant
    branches: list[_Branch] = Field(default_factory=list, max_length=10_000)
    extensions: list[_Extension] = Field(default_factory=list, max_length=100_000)
    devices: list[_Device] = Field(default_factory=list, max_length=100_000)
    trunks: list[_Trunk] = Field(default_factory=list, max_length=10_000)
    numbers: list[_Number] = Field(default_factory=list, max_length=100_000)
    blocklist: list[_Block] = Field(default_factory=list, max_length=100_000)
    users: list[_User] = Field(default_factory=list, max_length=100_000)


# --- AWS clients (lazy, one per endpoint) --------------------------------------------------
@functools.cache
def _dynamodb(endpoint: str | None, region: str) -> Any:
    return boto3.client("dynamodb", region_name=region, endpoint_url=endpoint)


def _ddb() -> Any:
    s = settings.aws()
    return _dynamodb(s.endpoint_url, s.region)


def _s3() -> Any:
    return recordings.s3_client()


def _bucket() -> str:
    return settings.aws().recordings_bucket


def jobs_function() -> str | None:
    """The Lambda function that runs jobs (PROBOX_JOBS_FUNCTION); None: run in the request."""
    return settings.jobs_function()


# --- jobs ----------------------------------------------------------------------------------
def jobs_pk(tenant_id: str) -> str:
    return f"JOBS#{tenant_id}"


def archive_key(tenant_id: str, job_id: str) -> str:
    return f"exports/{tenant_id}/{job_id}.zip"


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


def _now() -> str:
    return store.ts(clock.now())


def _raw_job(job: Job, ttl: int) -> dict[str, Any]:
    doc = {"params": job.params, "result": job.result, "error": job.error, "finished_at": job.finished_at}
    return {
        "pk": {"S": jobs_pk(job.tenant_id)},
        "sk": {"S": job.job_id},
        "kind": {"S": "job"},
        "job_kind": {"S": job.kind},
        "status": {"S": job.status},
        "tenant_id": {"S": job.tenant_id},
        "created_at": {"S": job.created_at},
        "updated_at": {"S": job.updated_at},
        "created_by": {"S": job.created_by},
        "doc": {"S": json.dumps(doc, separators=(",", ":"), sort_keys=True)},
        "ttl": {"N": str(ttl)},
    }


def _job_from_raw(raw: dict[str, Any]) -> Job:
    doc = json.loads(raw["doc"]["S"])
    return Job(
        tenant_id=raw["tenant_id"]["S"],
        job_id=raw["sk"]["S"],
        kind=raw["job_kind"]["S"],
        status=raw["status"]["S"],
        created_at=raw["created_at"]["S"],
        updated_at=raw["updated_at"]["S"],
        created_by=raw.get("created_by", {}).get("S", ""),
        params=doc.get("params") or {},
        result=doc.get("result") or {},
        error=doc.get("error") or "",
        finished_at=doc.get("finished_at"),
    )


def _new_job(tenant_id: str, kind: str, by: str, params: dict[str, Any]) -> Job:
    now = clock.now()
    job = Job(
        tenant_id=tenant_id,
        job_id=common.new_id("job"),
        kind=kind,
        status="pending",
        created_at=store.ts(now),
        updated_at=store.ts(now),
        created_by=by,
        params=params,
    )
    ttl = int((now + timedelta(days=JOB_TTL_DAYS)).timestamp())
    _ddb().put_item(
        TableName=settings.aws().table, Item=_raw_job(job, ttl), ConditionExpression="attribute_not_exists(pk)"
    )
    return job


def _load(tenant_id: str, job_id: str) -> Job | None:
    resp = _ddb().get_item(
        TableName=settings.aws().table,
        Key={"pk": {"S": jobs_pk(tenant_id)}, "sk": {"S": job_id}},
        ConsistentRead=True,
    )
    item = resp.get("Item")
    return _job_from_raw(item) if item else None


def _save(job: Job, *, expect: str | None = None) -> bool:
    """Write the job's state; with ``expect`` only if its stored status is that (False if not)."""
    doc = {"params": job.params, "result": job.result, "error": job.error, "finished_at": job.finished_at}
    args: dict[str, Any] = {
        "TableName": settings.aws().table,
        "Key": {"pk": {"S": jobs_pk(job.tenant_id)}, "sk": {"S": job.job_id}},
        "UpdateExpression": "SET #st = :st, updated_at = :u, #doc = :doc",
        "ExpressionAttributeNames": {"#st": "status", "#doc": "doc"},
        "ExpressionAttributeValues": {
            ":st": {"S": job.status},
            ":u": {"S": job.updated_at},
            ":doc": {"S": json.dumps(doc, separators=(",", ":"), sort_keys=True)},
        },
        "ConditionExpression": "attribute_exists(pk)",
    }
    if expect is not None:
        args["ConditionExpression"] += " AND #st = :expect"
        args["ExpressionAttributeValues"][":expect"] = {"S": expect}
    try:
        _ddb().update_item(**args)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _query(pk: str, *, projection: str | None = None, names: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """Every raw item of one partition: the low-level client's paginated Query."""
    args: dict[str, Any] = {
        "TableName": settings.aws().table,
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": "pk", **(names or {})},
        "ExpressionAttributeValues": {":pk": {"S": pk}},
        "ConsistentRead": True,
    }
    if projection:
        args["ProjectionExpression"] = projection
    for page in _ddb().get_paginator("query").paginate(**args):
        yield from page.get("Items", [])


def _jobs(tenant_id: str) -> list[Job]:
    return sorted((_job_from_raw(r) for r in _query(jobs_pk(tenant_id))), key=lambda j: j.created_at, reverse=True)


def _stale(job: Job, now: datetime) -> bool:
    if job.status not in ACTIVE:
        return False
    try:
        updated = cdrmod.parse_iso(job.updated_at)
    except ValidationError:
        return True
    return (now - updated).total_seconds() > STALE_AFTER_S


def _effective(job: Job, now: datetime) -> Job:
    """A job that stopped reporting (timeout, crash) is shown as failed."""
    if _stale(job, now):
        job.status = "failed"
        job.error = job.error or "the job stopped without finishing (timeout or crash); start it again"
    return job


def public(job: Job, *, now: datetime | None = None) -> dict[str, Any]:
    now = now or clock.now()
    job = _effective(job, now)
    download = None
    if job.kind == "export" and job.status == "done" and job.result.get("archive_key"):
        url = _s3().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": _bucket(),
                "Key": job.result["archive_key"],
                "ResponseContentType": "application/zip",
                "ResponseContentDisposition": f'attachment; filename="probox-{job.tenant_id}-{job.job_id}.zip"',
            },
            ExpiresIn=LINK_TTL_S,
        )
        download = {
            "url": url,
            "expires_in": LINK_TTL_S,
            "expires_at": store.ts(now + timedelta(seconds=LINK_TTL_S)),
            "bytes": int(job.result.get("bytes") or 0),
            "sha256": str(job.result.get("sha256") or ""),
        }
    return {
        "id": job.job_id,
        "tenant_id": job.tenant_id,
        "kind": job.kind,
        "status": job.status,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
        "finished_at": job.finished_at,
        "created_by": job.created_by,
        "error": job.error or None,
        "result": job.result,
        "download": download,
    }


def list_jobs(tenant_id: str) -> dict[str, Any]:
    """The tenant's jobs, newest first (also after the tenant was deleted)."""
    now = clock.now()
    return common.page([public(j, now=now) for j in _jobs(tenant_id)])


def get_job(tenant_id: str, job_id: str) -> dict[str, Any]:
    common.check_id(job_id, "job", "job")
    job = _load(tenant_id, job_id)
    if job is None:
        raise NotFound("job not found")
    return public(job)


def _busy(tenant_id: str, kinds: tuple[str, ...]) -> Job | None:
    now = clock.now()
    for job in _jobs(tenant_id):
        if job.kind in kinds and job.status in ACTIVE and not _stale(job, now):
            return job
    return None


class _Progress:
    """Heartbeat: the running job's counts, written at most every HEARTBEAT_S seconds."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = time.monotonic()

    def tick(self, **counts: Any) -> None:
        self.job.result.update(counts)
        if time.monotonic() - self.last >= HEARTBEAT_S:
            self.last = time.monotonic()
            self.job.updated_at = _now()
            _save(self.job)


# --- running -------------------------------------------------------------------------------
def _dispatch(job: Job) -> Job:
    """Run the job here, or hand it to the jobs function (asynchronous invoke)."""
    function = jobs_function()
    if function is None:
        run(job.tenant_id, job.job_id)
        return _load(job.tenant_id, job.job_id) or job
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
        _save(job)
    return job


def run(tenant_id: str, job_id: str) -> Job | None:
    """Run a pending job once (a repeated invocation finds it no longer pending)."""
    job = _load(tenant_id, job_id)
    if job is None or job.status != "pending":
        return job
    job.status, job.updated_at = "running", _now()
    if not _save(job, expect="pending"):
        return _load(tenant_id, job_id)
    started = time.monotonic()
    runner: Callable[[Job], dict[str, Any]] = {"export": _export, "import": _import, "delete": _delete}[job.kind]
    try:
        job.result.update(runner(job))
        job.status = "done"
    except (PbxError, ImportFailed) as exc:
        job.status, job.error = "failed", str(exc)
        logger.warning("tenant job failed", extra={"tenant_id": tenant_id, "job_id": job_id, "kind": job.kind})
    except Exception:
        job.status, job.error = "failed", "internal error (see the control plane's logs)"
        logger.exception("tenant job crashed", extra={"tenant_id": tenant_id, "job_id": job_id, "kind": job.kind})
    job.result["seconds"] = round(time.monotonic() - started, 3)
    job.finished_at = job.updated_at = _now()
    _save(job)
    count(f"Tenant{job.kind.capitalize()}{'Done' if job.status == 'done' else 'Failed'}")
    logger.info(
        "tenant job finished",
        extra={"tenant_id": tenant_id, "job_id": job_id, "kind": job.kind, "status": job.status},
    )
    return job


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Entry point of the jobs function: ``{"tenant_id": ..., "job_id": ...}``."""
    from chalicelib.metrics import flush

    tenant_id, job_id = str(event.get("tenant_id") or ""), str(event.get("job_id") or "")
    logger.thread_safe_clear_keys()
    logger.thread_safe_append_keys(tenant_id=tenant_id, job_id=job_id)
    try:
        if not tenants.is_tenant_id(tenant_id) or not re.match(schemas.ID_PATTERN, job_id):
            logger.error("bad job event")
            return {"status": "ignored"}
        job = run(tenant_id, job_id)
        return {"status": job.status if job else "missing"}
    finally:
        flush()
        logger.thread_safe_clear_keys()


# --- reading the tenant ----------------------------------------------------------------------
_deserializer = TypeDeserializer()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _item(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in raw.items()}


def _pick(item: dict[str, Any], fields: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    """Archive field -> (item attribute, default): only these fields ever leave."""
    out: dict[str, Any] = {}
    for name, (attr, default) in fields.items():
        value = item.get(attr)
        out[name] = default if value is None else value
    return out


BRANCH_FIELDS = {
    "id": ("branch_id", ""),
    "name": ("name", ""),
    "prefix": ("prefix", ""),
    "created_at": ("created_at", ""),
}
EXTENSION_FIELDS = {
    "number": ("number", ""),
    "display_name": ("display_name", ""),
    "status": ("status", "active"),
    "branch_id": ("branch_id", ""),
    "pickup_group": ("pickup_group", ""),
    "outbound": ("outbound", "national"),
    "caller_id": ("caller_id", ""),
    "created_at": ("created_at", ""),
    "password_rotated_at": ("password_rotated_at", ""),
}
DEVICE_FIELDS = {
    "id": ("device_id", ""),
    "extension": ("extension", ""),
    "vendor": ("vendor", ""),
    "model": ("model", ""),
    "mac": ("mac", ""),
    "label": ("label", ""),
    "created_at": ("created_at", ""),
}
TRUNK_FIELDS = {
    "id": ("trunk_id", ""),
    "name": ("name", ""),
    "host": ("host", ""),
    "port": ("port", 5060),
    "transport": ("transport", "udp"),
    "auth": ("auth", "ip"),
    "username": ("username", ""),
    "ips": ("ips", []),
    "channels": ("channels", 30),
    "codecs": ("codecs", []),
    "created_at": ("created_at", ""),
}
NUMBER_FIELDS = {
    "number": ("number", ""),
    "kind": ("number_kind", ""),
    "trunk_id": ("trunk_id", ""),
    "route_to": ("route_to", ""),
    "label": ("label", ""),
    "created_at": ("created_at", ""),
}
BLOCK_FIELDS = {
    "id": ("rule_id", ""),
    "pattern": ("pattern", ""),
    "direction": ("direction", "both"),
    "extension": ("extension", ""),
    "note": ("note", ""),
    "created_at": ("created_at", ""),
}
USER_FIELDS = {
    "id": ("user_id", ""),
    "email": ("email", ""),
    "name": ("name", ""),
    "role": ("role", ""),
    "extension": ("extension", ""),
    "status": ("status", "active"),
    "created_at": ("created_at", ""),
}
SECTIONS: dict[str, tuple[str, dict[str, tuple[str, Any]], str]] = {
    # item kind -> (config section, fields, sort field)
    "branch": ("branches", BRANCH_FIELDS, "prefix"),
    "extension": ("extensions", EXTENSION_FIELDS, "number"),
    "device": ("devices", DEVICE_FIELDS, "id"),
    "trunk": ("trunks", TRUNK_FIELDS, "id"),
    "number": ("numbers", NUMBER_FIELDS, "number"),
    "block": ("blocklist", BLOCK_FIELDS, "id"),
    "user": ("users", USER_FIELDS, "email"),
}


def _sort_value(key: str, doc: dict[str, Any]) -> str:
    return str(doc.get(key, ""))


def _tenant_doc(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": t["tenant_id"],
        "name": t.get("name", ""),
        "domain": t.get("domain", ""),
        "status": t.get("status", "active"),
        "plan": t.get("plan", ""),
        "max_concurrent_calls": int(t.get("max_concurrent_calls") or 1),
        "time_zone": t.get("time_zone") or tenants.DEFAULT_TIME_ZONE,
        "outbound_policy": {
            "international": bool(t.get("outbound_international", False)),
            "premium_1900": bool(t.get("outbound_premium_1900", False)),
        },
        "recording": {
            "enabled": bool(t.get("record_calls", True)),
            "retention_days": int(t.get("recording_retention_days") or tenants.DEFAULT_RETENTION_DAYS),
            "on_full": t.get("recording_on_full") or "delete_oldest",
        },
        "password_rotation_months": int(t.get("password_rotation_months") or 12),
        "default_caller_id": t.get("default_caller_id") or "",
        "created_at": t.get("created_at", ""),
    }


def read_config(tenant_id: str) -> dict[str, Any] | None:
    """The tenant's configuration as archived (one paginated Query of its partition), or None."""
    config: dict[str, Any] = {"tenant": None, **{section: [] for section, _, _ in SECTIONS.values()}}
    password_trunks: list[str] = []
    for raw in _query(store.tenant_pk(tenant_id)):
        item = _item(raw)
        kind = item.get("kind")
        if kind == "tenant":
            config["tenant"] = _tenant_doc(item)
        elif kind in SECTIONS:
            section, fields, _ = SECTIONS[str(kind)]
            config[section].append(_pick(item, fields))
            if kind == "trunk" and item.get("secret"):
                password_trunks.append(str(item["trunk_id"]))
    if config["tenant"] is None:
        return None
    for section, _, key in SECTIONS.values():
        config[section].sort(key=functools.partial(_sort_value, key))
    config["trunks_with_password"] = sorted(password_trunks)  # which ones need it set again
    return config


# --- streaming to S3 -------------------------------------------------------------------------
class MultipartWriter(io.RawIOBase):
    """A write-only, non-seekable stream into one S3 object by multipart upload: at most one
    part is held in memory. Use as a context manager: completes on success, aborts on error."""

    def __init__(self, client: Any, bucket: str, key: str, *, content_type: str, tagging: str) -> None:
        super().__init__()
        self.client, self.bucket, self.key = client, bucket, key
        self.buffer = bytearray()
        self.parts: list[dict[str, Any]] = []
        self.size = 0
        self.max_buffered = 0
        self.digest = hashlib.sha256()
        self.upload_id: str = client.create_multipart_upload(
            Bucket=bucket, Key=key, ContentType=content_type, Tagging=tagging
        )["UploadId"]

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.size

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.buffer += view
        self.digest.update(view)
        self.size += len(view)
        self.max_buffered = max(self.max_buffered, len(self.buffer))
        if len(self.buffer) >= PART_SIZE:  # parts may differ in size; all but the last >= 5 MiB
            body = bytes(self.buffer)
            self.buffer = bytearray()  # one copy of the part at a time, not two
            self._upload(body)
        return len(view)

    def _upload(self, body: bytes) -> None:
        number = len(self.parts) + 1
        resp = self.client.upload_part(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id, PartNumber=number, Body=body
        )
        self.parts.append({"PartNumber": number, "ETag": resp["ETag"]})

    def complete(self) -> None:
        if self.buffer or not self.parts:
            self._upload(bytes(self.buffer))
            self.buffer.clear()
        self.client.complete_multipart_upload(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id, MultipartUpload={"Parts": self.parts}
        )

    def abort(self) -> None:
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=self.upload_id)
        except ClientError:  # the bucket's lifecycle rule aborts leftovers after 7 days
            logger.exception("multipart abort failed")

    def __enter__(self) -> MultipartWriter:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None:
            self.complete()
        else:
            self.abort()


def _zinfo(name: str, *, deflate: bool, size: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=clock.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    if size is not None:
        info.file_size = size  # lets zipfile pick ZIP64 for big members up front
    return info


def _add_bytes(zf: zipfile.ZipFile, name: str, data: bytes, files: list[dict[str, Any]]) -> None:
    with zf.open(_zinfo(name, deflate=True, size=len(data)), "w") as dest:
        dest.write(data)
    files.append({"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})


def _add_cdrs(zf: zipfile.ZipFile, tenant_id: str, files: list[dict[str, Any]], progress: _Progress) -> int:
    """cdrs.jsonl from the low-level paginated Query (no model objects)."""
    digest, size, n = hashlib.sha256(), 0, 0
    pending = bytearray()
    with zf.open(_zinfo("cdrs.jsonl", deflate=True), "w", force_zip64=True) as dest:
        for doc in store.iter_cdr_docs(tenant_id, store.CdrFilter(), max_items=sys.maxsize):
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


def recording_path(tenant_id: str, key: str) -> str | None:
    """Where a recording of ``tenant_id`` goes in the archive (None: not the tenant's key)."""
    prefix = recordings.tenant_prefix(tenant_id)
    if not key.startswith(prefix + "recordings/"):
        return None
    path = key[len(prefix) :]
    return path if len(path) <= 1000 and _RECORDING_PATH.match(path) else None


def _add_recordings(
    zf: zipfile.ZipFile, tenant_id: str, files: list[dict[str, Any]], progress: _Progress
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each stored recording object, streamed in CHUNK pieces; ([added], [missing])."""
    client, bucket = _s3(), _bucket()
    added: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    seen: set[str] = set()
    total = 0
    names = {"#k": "key", "#f": "format", "#s": "size"}
    for raw in _query(store.rec_pk(tenant_id), projection="sk, #k, #f, #s, call_id", names=names):
        key, call_id = raw["key"]["S"], raw.get("call_id", {}).get("S", "")
        fmt = raw.get("format", {}).get("S", "")
        path = recording_path(tenant_id, key)
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
        with zf.open(_zinfo(path, deflate=False, size=size), "w") as dest:
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


def _export(job: Job) -> dict[str, Any]:
    tenant_id = job.tenant_id
    config = read_config(tenant_id)
    if config is None:
        raise NotFound("tenant not found")
    key = archive_key(tenant_id, job.job_id)
    progress = _Progress(job)
    files: list[dict[str, Any]] = []
    writer = MultipartWriter(
        _s3(), _bucket(), key, content_type="application/zip", tagging=ARCHIVE_TAGGING
    )  # the bucket's lifecycle rule expires tagged exports after JOB_TTL_DAYS
    with writer, zipfile.ZipFile(writer, "w", allowZip64=True) as zf:
        config_bytes = json.dumps(config, indent=1, sort_keys=True, ensure_ascii=False).encode()
        _add_bytes(zf, "config.json", config_bytes, files)
        cdr_count = _add_cdrs(zf, tenant_id, files, progress)
        added, missing = _add_recordings(zf, tenant_id, files, progress)
        counts = {section: len(config[section]) for section, _, _ in SECTIONS.values()}
        counts.update(
            cdrs=cdr_count,
            recordings=len(added),
            recording_bytes=sum(r["bytes"] for r in added),
            missing_recordings=len(missing),
        )
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
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
        zf.writestr(_zinfo("manifest.json", deflate=True), json.dumps(manifest, indent=1, sort_keys=True))
        sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in files)
        zf.writestr(_zinfo("checksums.sha256", deflate=True), sums)
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


def start_export(tenant_id: str, *, by: str) -> dict[str, Any]:
    tenants.require_tenant(tenant_id)
    busy = _busy(tenant_id, ("export", "delete"))
    if busy is not None:
        raise Conflict(
            f"job {busy.job_id} ({busy.kind}) is still {busy.status}; wait for it", fields={"job": busy.job_id}
        )
    job = _new_job(tenant_id, "export", by, {})
    logger.info("tenant export started", extra={"tenant_id": tenant_id, "job_id": job.job_id})
    return public(_dispatch(job))


# --- reading an archive ------------------------------------------------------------------------
class S3Reader(io.RawIOBase):
    """A seekable read-only view of one S3 object through ranged GETs, one block cached:
    zipfile reads the central directory at the end, then each member in order."""

    def __init__(self, client: Any, bucket: str, key: str, size: int) -> None:
        super().__init__()
        self.client, self.bucket, self.key, self.size = client, bucket, key, size
        self.pos = 0
        self.block = b""
        self.block_start = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def read(self, n: int | None = -1) -> bytes:
        end = self.size if n is None or n < 0 else min(self.size, self.pos + n)
        out = bytearray()
        while self.pos < end:
            if not self.block_start <= self.pos < self.block_start + len(self.block):
                last = min(self.size, self.pos + max(READ_BLOCK, end - self.pos)) - 1
                resp = self.client.get_object(Bucket=self.bucket, Key=self.key, Range=f"bytes={self.pos}-{last}")
                self.block, self.block_start = resp["Body"].read(), self.pos
                if not self.block:
                    break
            offset = self.pos - self.block_start
            take = self.block[offset : offset + (end - self.pos)]
            out += take
            self.pos += len(take)
        return bytes(out)

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


@dataclass
class Archive:
    zf: zipfile.ZipFile
    manifest: dict[str, Any]
    config: _Config
    files: dict[str, dict[str, Any]]  # path -> {"bytes", "sha256"}
    recordings: list[dict[str, Any]]


def _bad(message: str, where: str = "archive_key") -> ValidationError:
    return ValidationError(f"invalid archive: {message}", fields={where: message})


def _config_errors(exc: PydanticError) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = "config." + ".".join(str(p) for p in err["loc"])
        out.setdefault(loc, "required" if err["type"] == "missing" else str(err["msg"]).removeprefix("Value error, "))
    return out


def _check_refs(c: _Config) -> None:
    """The references inside the archived configuration must hold (400 otherwise)."""
    errors: dict[str, str] = {}

    def unique(section: str, values: list[str]) -> set[str]:
        seen: set[str] = set()
        for i, v in enumerate(values):
            if v in seen:
                errors[f"config.{section}.{i}"] = f"duplicate {v}"
            seen.add(v)
        return seen

    branch_ids = unique("branches", [b.id for b in c.branches])
    prefixes = sorted(br.prefix for br in c.branches)
    for shorter, longer in itertools.pairwise(prefixes):
        if longer.startswith(shorter):  # sorted: a clashing prefix sorts right before
            errors["config.branches"] = f"prefix {shorter} is a prefix of {longer}"
    exts = unique("extensions", [e.number for e in c.extensions])
    unique("devices", [d.id for d in c.devices])
    unique("devices.mac", [d.mac for d in c.devices])
    trunk_ids = unique("trunks", [t.id for t in c.trunks])
    numbers = unique("numbers", [n.number for n in c.numbers])
    unique("blocklist", [b.id for b in c.blocklist])
    unique("users", [u.id for u in c.users])
    unique("users.email", [u.email for u in c.users])
    for i, e in enumerate(c.extensions):
        if e.branch_id and e.branch_id not in branch_ids:
            errors[f"config.extensions.{i}.branch_id"] = f"unknown branch {e.branch_id}"
        if e.caller_id and e.caller_id not in numbers:
            errors[f"config.extensions.{i}.caller_id"] = f"unknown number {e.caller_id}"
    for section, items in (("devices", c.devices), ("blocklist", c.blocklist), ("users", c.users)):
        for i, item in enumerate(items):
            ext = getattr(item, "extension", "")
            if ext and ext not in exts:
                errors[f"config.{section}.{i}.extension"] = f"unknown extension {ext}"
    for i, n in enumerate(c.numbers):
        if n.trunk_id not in trunk_ids:
            errors[f"config.numbers.{i}.trunk_id"] = f"unknown trunk {n.trunk_id}"
        if n.route_to and n.route_to not in exts:
            errors[f"config.numbers.{i}.route_to"] = f"unknown extension {n.route_to}"
    for i, b in enumerate(c.blocklist):
        if b.direction in ("out", "both") and vnphone.blocks_emergency(b.pattern):
            errors[f"config.blocklist.{i}.pattern"] = "would block emergency numbers outbound"
    for i, t in enumerate(c.trunks):
        if t.auth == "ip" and not t.ips:
            errors[f"config.trunks.{i}.ips"] = "at least one carrier address for auth=ip"
        if not t.codecs:
            errors[f"config.trunks.{i}.codecs"] = "at least one codec"
    if c.tenant.default_caller_id and c.tenant.default_caller_id not in numbers:
        errors["config.tenant.default_caller_id"] = f"unknown number {c.tenant.default_caller_id}"
    if errors:
        first = next(iter(errors.items()))
        raise ValidationError(f"invalid archive: config.json: {first[0]}: {first[1]}", fields=errors)


def open_archive(key: str) -> Archive:
    """Open and check an archive in the bucket: zip structure, manifest, format and version,
    config.json against its checksum, schema and references, the members it lists.
    Reads the central directory, the manifest and config.json only (ranged GETs)."""
    client, bucket = _s3(), _bucket()
    try:
        head = client.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        # S3 answers 403 rather than 404 for a missing key when the role may not list the
        # prefix (template.yaml grants no listing of imports/ or exports/)
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound", "403", "AccessDenied"):
            raise _bad(f"no archive at {key} (upload it first)") from exc
        raise
    size = int(head["ContentLength"])
    if size > MAX_ARCHIVE_BYTES:
        raise _bad(f"the archive is larger than {MAX_ARCHIVE_BYTES} bytes")
    try:
        zf = zipfile.ZipFile(S3Reader(client, bucket, key, size))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise _bad("not a zip file, or a damaged one") from exc
    names = set(zf.namelist())
    if "manifest.json" not in names:
        raise _bad("manifest.json is missing: not a ProBox tenant export")
    try:
        manifest = json.loads(_read_member(zf, "manifest.json", MAX_CONFIG_BYTES))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad("manifest.json is not valid JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _bad(f"manifest.json does not describe a {FORMAT} archive")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad("manifest.json has no valid format_version")
    if version > FORMAT_VERSION:
        raise _bad(f"format_version {version} is newer than this control plane reads ({FORMAT_VERSION})")
    files: dict[str, dict[str, Any]] = {}
    for entry in manifest.get("files") or []:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("bytes"), int)
            and isinstance(entry.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        ):
            raise _bad("manifest.json: every files entry needs path, bytes and sha256")
        if entry["path"] not in names:
            raise _bad(f"{entry['path']} is listed in the manifest but missing from the archive")
        files[entry["path"]] = entry
    for required in ("config.json", "cdrs.jsonl"):
        if required not in files:
            raise _bad(f"{required} is missing from the manifest")
    raw_config = _read_member(zf, "config.json", MAX_CONFIG_BYTES)
    if hashlib.sha256(raw_config).hexdigest() != files["config.json"]["sha256"]:
        raise _bad("config.json does not match its checksum in the manifest")
    try:
        config = _Config.model_validate_json(raw_config)
    except PydanticError as exc:
        errors = _config_errors(exc)
        first = next(iter(errors.items()))
        raise ValidationError(f"invalid archive: config.json: {first[0]}: {first[1]}", fields=errors) from exc
    _check_refs(config)
    recs = manifest.get("recordings") or []
    for entry in recs:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or len(path) > 1000 or not _RECORDING_PATH.match(path):
            raise _bad(f"manifest.json: bad recording path {str(path)[:80]!r}")
        if path not in files:
            raise _bad(f"{path} has no checksum in the manifest")
    return Archive(zf=zf, manifest=manifest, config=config, files=files, recordings=list(recs))


def _read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with zf.open(name) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # CRC errors, damaged data
        raise _bad(f"{name} cannot be read from the archive ({exc})") from exc
    if len(data) > limit:
        raise _bad(f"{name} is larger than {limit} bytes")
    return data


# --- import ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """Who the imported tenant becomes."""

    tenant_id: str
    domain: str
    name: str
    plan: str
    status: str


def _target(req: schemas.ImportIn, archive: Archive) -> Target:
    t = archive.config.tenant
    return Target(
        tenant_id=t.id if req.keep_id else tenants.new_tenant_id(),
        domain=req.domain or t.domain,
        name=req.name or t.name,
        plan=req.plan or t.plan,
        status=req.status,
    )


def _claim_owner(pk: str, sk: str) -> str | None:
    resp = _ddb().get_item(TableName=settings.aws().table, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True)
    item = resp.get("Item")
    return str(item.get("tenant_id", {}).get("S", "")) if item else None


def _check_target(target: Target, archive: Archive) -> store.PlanItem:
    """Conflicts before anything is written (the writes are conditional too)."""
    plans.list_plans()  # seeds the default plans of a fresh installation
    plan = plans.find(target.plan)
    if plan is None:
        raise ValidationError(f"plan {target.plan} does not exist here", fields={"plan": "unknown plan"})
    exts = len(archive.config.extensions)
    if exts > int(plan.max_extensions):
        raise LimitExceeded(
            f"plan {plan.name} allows {int(plan.max_extensions)} extensions; the archive has {exts}",
            fields={"plan": "too few extensions for the archive"},
        )
    if store.tenant_exists(target.tenant_id):
        raise Conflict(f"tenant {target.tenant_id} exists already", fields={"keep_id": "tenant id in use"})
    if _claim_owner(f"DOMAIN#{target.domain}", "DOMAIN") is not None:
        raise Conflict(f"domain {target.domain} is already in use", fields={"domain": "already in use"})
    for n in archive.config.numbers:
        if _claim_owner(f"DID#{n.number}", "DID") is not None:
            raise Conflict(f"number {n.number} belongs to another tenant here", fields={"numbers": n.number})
    for u in archive.config.users:
        if _claim_owner(f"EMAIL#{u.email}", "EMAIL") is not None:
            raise Conflict(f"e-mail {u.email} is already in use here", fields={"users": u.email})
    return plan


def upload_url() -> dict[str, Any]:
    """A presigned PUT for an archive made elsewhere (an on-premise server moving back)."""
    key = f"imports/{common.new_id('imp')}.zip"
    url = _s3().generate_presigned_url(
        "put_object", Params={"Bucket": _bucket(), "Key": key}, ExpiresIn=UPLOAD_TTL_S, HttpMethod="PUT"
    )
    now = clock.now()
    return {
        "archive_key": key,
        "upload_url": url,
        "method": "PUT",
        "expires_in": UPLOAD_TTL_S,
        "expires_at": store.ts(now + timedelta(seconds=UPLOAD_TTL_S)),
    }


def start_import(body: dict[str, Any], *, by: str) -> dict[str, Any]:
    """Check the archive and the target now (400 / 409), then import it as a job."""
    req = schemas.parse(schemas.ImportIn, body, "invalid import")
    archive = open_archive(req.archive_key)
    target = _target(req, archive)
    _check_target(target, archive)
    params = {
        "archive_key": req.archive_key,
        "domain": target.domain,
        "name": target.name,
        "plan": target.plan,
        "status": target.status,
        "source_tenant_id": archive.config.tenant.id,
    }
    job = _new_job(target.tenant_id, "import", by, params)
    logger.info("tenant import started", extra={"tenant_id": target.tenant_id, "job_id": job.job_id})
    return public(_dispatch(job))


def _refs(c: _Config) -> dict[str, int]:
    """The reference counters the store keeps on targets, from the archived references."""
    refs: dict[str, int] = {}

    def add(sk: str) -> None:
        refs[sk] = refs.get(sk, 0) + 1

    for e in c.extensions:
        if e.branch_id:
            add(store.branch_sk(e.branch_id))
        if e.caller_id:
            add(store.number_sk(e.caller_id))
    for ext in (
        *(d.extension for d in c.devices),
        *(u.extension for u in c.users),
        *(b.extension for b in c.blocklist),
    ):
        if ext:
            add(store.ext_sk(ext))
    for n in c.numbers:
        add(store.trunk_sk(n.trunk_id))
        if n.route_to:
            add(store.ext_sk(n.route_to))
    if c.tenant.default_caller_id:
        add(store.number_sk(c.tenant.default_caller_id))
    return refs


def _create_tenant(target: Target, plan: store.PlanItem, c: _Config) -> None:
    """The tenant item, its domain, registry entry and plan count; suspended until the end."""
    tid, now = target.tenant_id, _now()
    t = c.tenant
    store.create_tenant(
        store.TenantItem(
            store.tenant_pk(tid),
            store.TENANT_SK,
            tenant_id=tid,
            name=target.name,
            domain=target.domain,
            status="suspended",
            plan=plan.name,
            max_concurrent_calls=t.max_concurrent_calls,
            max_extensions=int(plan.max_extensions),
            record_calls=t.recording.enabled,
            recording_retention_days=t.recording.retention_days,
            recording_quota_bytes=int(plan.recording_quota_bytes),
            recording_usage_bytes=0,
            recording_level="ok",
            recording_on_full=t.recording.on_full,
            time_zone=t.time_zone,
            outbound_international=t.outbound_policy.international,
            outbound_premium_1900=t.outbound_policy.premium_1900,
            default_caller_id=t.default_caller_id,
            password_rotation_months=t.password_rotation_months,
            ext_count=len(c.extensions),
            rev=0,
            created_at=now,
            updated_at=now,
        )
    )


def _write_config(target: Target, c: _Config) -> dict[str, Any]:
    """The configuration items of the new tenant, with their claims and reference counts."""
    tid, now = target.tenant_id, _now()
    refs = _refs(c)
    pk = store.tenant_pk(tid)
    items: list[store.Item] = []
    for b in c.branches:
        items.append(
            store.BranchItem(
                pk, store.branch_sk(b.id), tenant_id=tid, branch_id=b.id, name=b.name, prefix=b.prefix,
                refs=refs.get(store.branch_sk(b.id), 0), rev=0, created_at=now, updated_at=now,
            )
        )  # fmt: skip
    for tr in c.trunks:
        items.append(
            store.TrunkItem(
                pk, store.trunk_sk(tr.id), tenant_id=tid, trunk_id=tr.id, name=tr.name, host=tr.host.lower(),
                port=tr.port, transport=tr.transport, auth=tr.auth, username=tr.username, secret=None,
                ips=list(dict.fromkeys(tr.ips)), channels=tr.channels, codecs=list(dict.fromkeys(tr.codecs)),
                refs=refs.get(store.trunk_sk(tr.id), 0), rev=0, created_at=now, updated_at=now,
            )
        )  # fmt: skip
    for n in c.numbers:
        number, kind = vnphone.did(n.number)
        items.append(
            store.NumberItem(
                pk, store.number_sk(number), tenant_id=tid, number=number, number_kind=kind, trunk_id=n.trunk_id,
                route_to=n.route_to, label=n.label, refs=refs.get(store.number_sk(number), 0), rev=0,
                created_at=now, updated_at=now,
            )
        )  # fmt: skip
    for e in c.extensions:
        # A new SIP password: none was exported, and the HA1 depends on the (maybe new) domain.
        password = sipauth.generate_password()
        items.append(
            store.ExtensionItem(
                pk, store.ext_sk(e.number), tenant_id=tid, number=e.number, display_name=e.display_name,
                status=e.status, branch_id=e.branch_id, pickup_group=e.pickup_group, outbound=e.outbound,
                caller_id=e.caller_id, ha1=sipauth.ha1(e.number, target.domain, password),
                secret=crypto.encrypt(tid, extensions.secret_context(e.number), password),
                refs=refs.get(store.ext_sk(e.number), 0), rev=0, created_at=now, updated_at=now,
                password_rotated_at=now,
            )
        )  # fmt: skip
    for d in c.devices:
        items.append(
            store.DeviceItem(
                pk, store.device_sk(d.id), tenant_id=tid, device_id=d.id, extension=d.extension, vendor=d.vendor,
                model=d.model, mac=d.mac, label=d.label, needs_reprovision=True, rev=0, created_at=now,
                updated_at=now,
            )
        )  # fmt: skip
    for bl in c.blocklist:
        items.append(
            store.BlockItem(
                pk, store.block_sk(bl.id), tenant_id=tid, rule_id=bl.id, pattern=bl.pattern, direction=bl.direction,
                extension=bl.extension, note=bl.note, rev=0, created_at=now, updated_at=now,
            )
        )  # fmt: skip
    locked_after = int(time.time() * 1000)
    for u in c.users:
        # No hash was exported: an unguessable one locks the account until an admin sets a password.
        locked = passwords.hash_password(secrets.token_urlsafe(32))
        items.append(
            store.UserItem(
                pk, store.user_sk(u.id), tenant_id=tid, user_id=u.id, email=u.email, name=u.name, role=u.role,
                extension=u.extension, status=u.status, password_hash=locked, tokens_valid_after=locked_after,
                rev=0, created_at=now, updated_at=now,
            )
        )  # fmt: skip
        items.append(store.ClaimItem(f"EMAIL#{u.email}", "EMAIL", tenant_id=tid, owner=u.id))
    for n in c.numbers:
        number = vnphone.did(n.number)[0]
        items.append(store.ClaimItem(f"DID#{number}", "DID", tenant_id=tid, owner=number))

    def taken(item: store.Item) -> Callable[[], PbxError]:
        return lambda: Conflict(f"{item.pk} is already taken here", fields={"archive": item.pk})

    ops = [store.put_new(item, taken(item)) for item in items]
    for start in range(0, len(ops), TX_OPS):
        store.commit(ops[start : start + TX_OPS], bump=False)
    return {
        "extensions_new_passwords": len(c.extensions),
        "devices_to_reprovision": len(c.devices),
        "users_to_set_password": len(c.users),
        "trunks_needing_password": sorted(tr.id for tr in c.trunks if tr.auth == "register"),
    }


class _HashingReader(io.RawIOBase):
    def __init__(self, src: Any) -> None:
        super().__init__()
        self.src = src
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        data: bytes = self.src.read(-1 if n is None else n)
        self.digest.update(data)
        self.size += len(data)
        return data

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


def _import_recordings(archive: Archive, tid: str, progress: _Progress) -> dict[str, dict[str, Any]]:
    """Each listed recording to ``tenants/<tid>/<path>``, checked against its SHA-256."""
    from boto3.s3.transfer import TransferConfig

    client, bucket = _s3(), _bucket()
    transfer = TransferConfig(use_threads=False, multipart_chunksize=PART_SIZE, multipart_threshold=PART_SIZE)
    done: dict[str, dict[str, Any]] = {}
    total = 0
    for entry in archive.recordings:
        path = str(entry["path"])
        if path in done:
            continue
        expected = archive.files[path]
        fmt = str(entry.get("format") or path.rsplit(".", 1)[-1])
        try:
            with archive.zf.open(path) as member:
                reader = _HashingReader(member)
                client.upload_fileobj(
                    reader,
                    bucket,
                    recordings.tenant_prefix(tid) + path,
                    ExtraArgs={"ContentType": CONTENT_TYPES.get(fmt.lower(), "application/octet-stream")},
                    Config=transfer,
                )
        except (zipfile.BadZipFile, EOFError) as exc:  # zipfile's CRC check
            raise ImportFailed(f"{path} is damaged in the archive ({exc})") from exc
        if reader.size != expected["bytes"] or reader.digest.hexdigest() != expected["sha256"]:
            raise ImportFailed(f"{path} does not match its checksum in the manifest")
        total += reader.size
        done[path] = {"bytes": reader.size, "format": fmt}
        progress.tick(recordings=len(done), recording_bytes=total)
    return done


def _batch_write(requests: list[dict[str, Any]]) -> None:
    """BatchWriteItem with retries of what DynamoDB did not process (throttling)."""
    table = settings.aws().table
    pending = requests
    for attempt in range(10):
        resp = _ddb().batch_write_item(RequestItems={table: pending})
        pending = resp.get("UnprocessedItems", {}).get(table, [])
        if not pending:
            return
        time.sleep(min(2.0, 0.05 * 2**attempt))
    raise RuntimeError(f"{len(pending)} items were not written after retries")


def _cdr_requests(tid: str, doc: dict[str, Any], deleted: tuple[str | None, str | None], rec: Any) -> list[Any]:
    """Raw items of one CDR, its id guard and its recording, as store.put_cdr writes them."""
    sort_time = cdrs.sort_time(doc["started_at"])
    sk = f"{sort_time}#{doc['call_id']}"
    kind = store.Item.kind
    cdr = {
        "pk": {"S": store.cdr_pk(tid)},
        "sk": {"S": sk},
        "kind": {"S": kind.get_discriminator(store.CdrItem)},
        "tenant_id": {"S": tid},
        "call_id": {"S": doc["call_id"]},
        "started_at": {"S": sort_time},
        "caller": {"S": str(doc.get("caller") or "")},
        "callee": {"S": str(doc.get("callee") or "")},
        "direction": {"S": str(doc.get("direction") or "")},
        "disposition": {"S": str(doc.get("disposition") or "")},
        "doc": {"S": json.dumps(doc, separators=(",", ":"), sort_keys=True)},
    }
    if deleted[0]:
        cdr["rec_deleted"] = {"S": deleted[0]}
        cdr["rec_deleted_at"] = {"S": deleted[1] or _now()}
    out = [
        {"PutRequest": {"Item": cdr}},
        {
            "PutRequest": {
                "Item": {
                    "pk": {"S": store.cdr_id_pk(tid)},
                    "sk": {"S": doc["call_id"]},
                    "kind": {"S": kind.get_discriminator(store.CdrIdItem)},
                    "sort_key": {"S": sk},
                }
            }
        },
    ]
    if rec is not None:
        out.append(
            {
                "PutRequest": {
                    "Item": {
                        "pk": {"S": store.rec_pk(tid)},
                        "sk": {"S": sk},
                        "kind": {"S": kind.get_discriminator(store.RecordingItem)},
                        "tenant_id": {"S": tid},
                        "call_id": {"S": doc["call_id"]},
                        "key": {"S": doc["recording_key"]},
                        "size": {"N": str(rec["bytes"])},
                        "format": {"S": str(doc.get("recording_format") or rec["format"])},
                        "started_at": {"S": sort_time},
                    }
                }
            }
        )
    return out


def _import_cdrs(archive: Archive, tid: str, recs: dict[str, dict[str, Any]], progress: _Progress) -> dict[str, int]:
    """cdrs.jsonl line by line (checked against its SHA-256 at the end) into raw batch writes."""
    digest, size = hashlib.sha256(), 0
    seen: set[str] = set()
    stats = {"cdrs": 0, "duplicate_cdrs": 0, "cdrs_without_recording": 0, "recordings_linked": 0}
    batch: list[dict[str, Any]] = []
    try:
        with archive.zf.open("cdrs.jsonl") as member:
            for number, line in enumerate(_lines(member), start=1):
                digest.update(line)
                size += len(line)
                if not line.strip():
                    continue
                doc, deleted, rec = _cdr_line(line, number, tid, recs, stats)
                if doc["call_id"] in seen:
                    stats["duplicate_cdrs"] += 1
                    continue
                seen.add(doc["call_id"])
                batch.extend(_cdr_requests(tid, doc, deleted, rec))
                stats["cdrs"] += 1
                if len(batch) >= BATCH_WRITE - 2:
                    _batch_write(batch)
                    batch = []
                    progress.tick(cdrs=stats["cdrs"])
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ImportFailed(f"cdrs.jsonl is damaged in the archive ({exc})") from exc
    if batch:
        _batch_write(batch)
    expected = archive.files["cdrs.jsonl"]
    if size != expected["bytes"] or digest.hexdigest() != expected["sha256"]:
        raise ImportFailed("cdrs.jsonl does not match its checksum in the manifest")
    return stats


def _lines(member: Any) -> Iterator[bytes]:
    while True:
        line: bytes = member.readline(MAX_CDR_LINE + 1)
        if not line:
            return
        if len(line) > MAX_CDR_LINE:
            raise ImportFailed(f"cdrs.jsonl has a line longer than {MAX_CDR_LINE} bytes")
        yield line


def _cdr_line(
    line: bytes, number: int, tid: str, recs: dict[str, dict[str, Any]], stats: dict[str, int]
) -> tuple[dict[str, Any], tuple[str | None, str | None], Any]:
    """One archived CDR for the new tenant: validated, tenant id and recording key rewritten."""
    try:
        raw = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"cdrs.jsonl line {number}: not JSON") from exc
    if not isinstance(raw, dict):
        raise ImportFailed(f"cdrs.jsonl line {number}: not a JSON object")
    deleted = raw.get("recording_deleted") if raw.get("recording_deleted") in ("quota", "retention") else None
    deleted_at = raw.get("recording_deleted_at") if isinstance(raw.get("recording_deleted_at"), str) else None
    for key in _OVERLAY:
        raw.pop(key, None)
    raw["tenant_id"] = tid
    old_key = raw.get("recording_key")
    rec = None
    raw["recording_key"] = None
    if isinstance(old_key, str) and old_key:
        m = _KEY_TAIL.match(old_key)
        if m and m.group(1) in recs:
            raw["recording_key"] = recordings.tenant_prefix(tid) + m.group(1)
            rec = recs[m.group(1)]
            stats["recordings_linked"] += 1
        else:
            stats["cdrs_without_recording"] += 1  # missing at export time: no dangling key
    try:
        doc = cdrmod.from_dict(raw).to_dict()
    except (PbxError, TypeError, ValueError) as exc:
        detail = ", ".join(f"{k}: {v}" for k, v in getattr(exc, "fields", {}).items()) or str(exc)
        raise ImportFailed(f"cdrs.jsonl line {number}: invalid CDR ({detail})") from exc
    return doc, (deleted, deleted_at), rec


def _import(job: Job) -> dict[str, Any]:
    params = job.params
    tid = job.tenant_id
    archive = open_archive(str(params["archive_key"]))
    target = Target(
        tenant_id=tid,
        domain=str(params["domain"]),
        name=str(params["name"]),
        plan=str(params["plan"]),
        status=str(params["status"]),
    )
    plan = _check_target(target, archive)
    progress = _Progress(job)
    _create_tenant(target, plan, archive.config)  # Conflict here: nothing was created
    try:
        result = _write_config(target, archive.config)
        recs = _import_recordings(archive, tid, progress)
        stats = _import_cdrs(archive, tid, recs, progress)
        usage = sum(r["bytes"] for r in recs.values())
        store.commit(
            [
                store.patch(
                    store.TenantItem,
                    store.tenant_pk(tid),
                    store.TENANT_SK,
                    {"status": target.status, "recording_usage_bytes": usage, "updated_at": _now()},
                    rev=None,
                    error=lambda: Conflict("the imported tenant changed meanwhile"),
                )
            ],
            bump=tid,  # the config items went in without bumps: edges see them all now
        )
    except BaseException:
        # Only what this job created (the tenant item was new): never a tenant that existed.
        logger.warning("tenant import failed: rolling back", extra={"tenant_id": tid, "job_id": job.job_id})
        try:
            purge(tid)
        except Exception:  # the job still fails with the first error; a delete job can finish
            logger.exception("rollback of a failed import failed", extra={"tenant_id": tid})
        raise
    recordings.settle(tid, clock.now(), levels=True, delete=False)  # quota level and its events
    count("TenantImportCdrs", stats["cdrs"])
    logger.info("tenant imported", extra={"tenant_id": tid, "job_id": job.job_id, **stats})
    return {
        **result,
        **stats,
        "recordings": len(recs),
        "recording_bytes": usage,
        "source_tenant_id": params.get("source_tenant_id"),
        "domain": target.domain,
    }


# --- offboarding ----------------------------------------------------------------------------
def start_delete(tenant_id: str, *, force: bool, by: str) -> dict[str, Any]:
    """Offboard a tenant: without ``force`` it must be suspended and exported since."""
    tenant = tenants.require_tenant(tenant_id)
    busy = _busy(tenant_id, KINDS)
    if busy is not None:
        raise Conflict(
            f"job {busy.job_id} ({busy.kind}) is still {busy.status}; wait for it", fields={"job": busy.job_id}
        )
    if not force:
        if tenant.status != "suspended":
            raise Conflict(
                "suspend the tenant first (PATCH status=suspended), export it, then delete it; or force=true",
                fields={"status": "must be suspended"},
            )
        exports = [j for j in _jobs(tenant_id) if j.kind == "export" and j.status == "done"]
        if not any(j.created_at >= tenant.updated_at for j in exports):
            raise Conflict(
                f"no finished export since the tenant was last changed ({tenant.updated_at}): "
                f"POST /v1/tenants/{tenant_id}/export first, or force=true",
                fields={"export": "required"},
            )
    job = _new_job(tenant_id, "delete", by, {"force": force})
    logger.warning("tenant deletion started", extra={"tenant_id": tenant_id, "job_id": job.job_id, "force": force})
    return public(_dispatch(job))


def _delete(job: Job) -> dict[str, Any]:
    return purge(job.tenant_id)


def _delete_prefix(prefix: str) -> int:
    """Every object (and every version, delete marker included) under ``prefix``."""
    client, bucket = _s3(), _bucket()
    deleted = 0
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        targets = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in (*page.get("Versions", []), *page.get("DeleteMarkers", []))
        ]
        for start in range(0, len(targets), 1000):
            chunk = targets[start : start + 1000]
            resp = client.delete_objects(Bucket=bucket, Delete={"Objects": chunk, "Quiet": True})
            if resp.get("Errors"):
                raise RuntimeError(f"{len(resp['Errors'])} objects under {prefix} could not be deleted")
            deleted += len(chunk)
    return deleted


def _delete_partition(pk: str, keep: Callable[[dict[str, Any]], bool] | None = None) -> int:
    keys = [
        {"pk": raw["pk"], "sk": raw["sk"]} for raw in _query(pk, projection="#pk, sk") if keep is None or not keep(raw)
    ]
    for start in range(0, len(keys), BATCH_WRITE):
        _batch_write([{"DeleteRequest": {"Key": k}} for k in keys[start : start + BATCH_WRITE]])
    return len(keys)


def _release_claim(pk: str, sk: str, tenant_id: str) -> bool:
    """Delete a claim only if it is this tenant's (a claim of another tenant stays)."""
    try:
        _ddb().delete_item(
            TableName=settings.aws().table,
            Key={"pk": {"S": pk}, "sk": {"S": sk}},
            ConditionExpression="tenant_id = :t",
            ExpressionAttributeValues={":t": {"S": tenant_id}},
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _claims(item: dict[str, Any]) -> list[tuple[str, str]]:
    """The items outside the tenant partition that an item of it owns."""
    kind = item.get("kind")
    if kind == "number" and item.get("number"):
        return [(f"DID#{item['number']}", "DID")]
    if kind == "user" and item.get("email"):
        return [(f"EMAIL#{item['email']}", "EMAIL")]
    if kind == "api_key" and item.get("key_hash"):
        return [(f"APIKEY#{item['key_hash']}", "APIKEY")]
    if kind == "device" and item.get("token_hash"):
        return [(f"DEVTOK#{item['token_hash']}", "DEVTOK")]
    return []


def _forget_edges(tenant_id: str) -> int:
    """Take the tenant off the lists of the edges that serve it by name."""
    changed = 0
    for edge in store.list_edges():
        if edge.tenants is None or tenant_id not in edge.tenants:
            continue
        remaining = [t for t in edge.tenants if t != tenant_id]
        store.commit(
            [
                store.patch(
                    store.EdgeItem,
                    f"EDGE#{edge.edge_id}",
                    "META",
                    {"tenants": remaining, "updated_at": _now()},
                    rev=None,
                    error=lambda: NotFound("edge gone"),
                )
            ],
            bump=False,  # the edge's fingerprint covers its tenant set
        )
        changed += 1
    return changed


def _sweep(tenant_id: str) -> tuple[int, int]:
    """The tenant's objects (every version), CDRs, CDR id guards, recording items, events and
    rate-limit windows: (objects, items) deleted."""
    objects = _delete_prefix(recordings.tenant_prefix(tenant_id))
    items = 0
    for pk in (
        store.cdr_pk(tenant_id),
        store.cdr_id_pk(tenant_id),
        store.rec_pk(tenant_id),
        store.event_pk(tenant_id),
        store.rate_pk(tenant_id),  # rate-limit windows (they expire anyway)
    ):
        items += _delete_partition(pk)
    return objects, items


def purge(tenant_id: str) -> dict[str, Any]:
    """Delete everything of the tenant except its job records and export archives.

    Order: calls stop first (suspended, version bump), then objects, CDRs, recordings,
    events, claims, the tenant's items, the edges' lists, and last the tenant item itself,
    its registry entry and its domain: a failure leaves a suspended tenant that a new
    delete job finishes.
    """
    tenant = store.get_tenant(tenant_id)
    if tenant is not None and tenant.status != "suspended":
        store.commit(
            [
                store.patch(
                    store.TenantItem,
                    store.tenant_pk(tenant_id),
                    store.TENANT_SK,
                    {"status": "suspended", "updated_at": _now()},
                    rev=None,
                    error=lambda: NotFound("tenant not found"),
                )
            ],
            bump=tenant_id,  # edges stop its calls before its data goes
        )
    objects, items = _sweep(tenant_id)
    claims = 0
    for raw in _query(store.tenant_pk(tenant_id)):
        for pk, sk in _claims(_item(raw)):
            claims += int(_release_claim(pk, sk, tenant_id))
    items += _delete_partition(store.tenant_pk(tenant_id), keep=lambda raw: raw["sk"]["S"] == store.TENANT_SK)
    edges = _forget_edges(tenant_id)
    if tenant is not None:
        claims += int(_release_claim(f"DOMAIN#{tenant.domain}", "DOMAIN", tenant_id))
        store.commit(
            [
                store.release(store.TenantItem, store.tenant_pk(tenant_id), store.TENANT_SK),
                store.release(store.TenantRefItem, store.REGISTRY_PK, tenant_id),
                store.plan_ref(tenant.plan, -1),
            ],
            bump=True,  # every edge: the tenant is gone from the snapshots of those serving all
        )
        items += 2
    # Once more: a call that ended during the purge may have brought a CDR or an object
    # (suspend and let the spools drain first); ingest refuses the tenant from now on.
    late_objects, late_items = _sweep(tenant_id)
    objects, items = objects + late_objects, items + late_items
    count("TenantDeleted")
    logger.warning(
        "tenant deleted",
        extra={"tenant_id": tenant_id, "objects": objects, "items": items, "claims": claims, "edges": edges},
    )
    return {"objects_deleted": objects, "items_deleted": items, "claims_released": claims, "edges_updated": edges}
