"""The tenant archive: what an export writes and an import accepts.

Archive members:

| member | what |
|---|---|
| ``config.json`` | settings, branches, extensions, devices, trunks, numbers, ``assigned_numbers``, block list, users, |
| | queues (issue 16; agents' statuses are not exported) |
| ``cdrs.jsonl`` | every CDR, one JSON object a line, as ``GET /v1/cdrs/{call_id}`` shows it (UTC) |
| ``recordings/YYYY/MM/DD/<call>.<fmt>`` | each recording: its CDR's ``recording_key`` minus ``tenants/<id>/`` |
| ``manifest.json`` | format, version, source tenant, counts, bytes and SHA-256 of every other member |
| ``checksums.sha256`` | the same checksums for ``sha256sum -c`` after unzipping |

No secret leaves: no SIP password nor HA1 (a password equivalent for its realm), no carrier
password, no login password hash, no API key, no provisioning token. Fields are copied from
explicit lists (``*_FIELDS``), so an attribute added later stays out until someone adds it
here. An import gives every extension a new SIP password (devices come back marked for
re-provisioning), registering trunks come back without their password, users cannot log in
until an admin sets their password, and API keys are issued anew.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticError

from control_plane.blocklist.store import BlockItem
from control_plane.branches.store import BranchItem
from control_plane.core import clock, keys, s3, schemas, store
from control_plane.devices.store import DeviceItem
from control_plane.dids.store import AssignmentItem, NumberItem
from control_plane.extensions.store import ExtensionItem
from control_plane.queues import schemas as queue_schemas
from control_plane.queues.store import QueueItem
from control_plane.tenant_jobs.s3io import S3Reader
from control_plane.tenants.store import TenantItem
from control_plane.trunks.store import TrunkItem
from control_plane.users.store import UserItem
from pbx_core import defaults, numbers
from pbx_core.errors import ValidationError

FORMAT = "probox-tenant-export"
FORMAT_VERSION = 1
MAX_CONFIG_BYTES = 64 * 1024 * 1024
MAX_ARCHIVE_BYTES = 200 * 1024**3
# recordings/<segments>: no empty, "." or ".." segment, no control character or backslash
RECORDING_PATH = re.compile(r"^recordings(/(?!\.{1,2}(/|$))[^/\\\x00-\x1f\x7f]+){1,8}$")
KEY_TAIL = re.compile(r"^tenants/[^/]+/(recordings/.+)$")
# Keys of the API view of a CDR that are not part of the stored document.
OVERLAY = (
    "recording_deleted",
    "recording_deleted_at",
    "time_zone",
    "started_at_local",
    "answered_at_local",
    "ended_at_local",
)


class ImportFailed(Exception):
    """The archive turned out to be unusable while importing (the job fails, rolls back)."""


# --- the archived configuration (what an import accepts) --------------------------------------
class Archived(BaseModel):
    # unknown keys are ignored: a later format_version 1 writer may add fields
    model_config = ConfigDict(strict=True, extra="ignore")


class ArchivedOutbound(Archived):
    international: bool = False
    premium_1900: bool = False


class ArchivedRecording(Archived):
    enabled: bool = True
    retention_days: int = Field(default=defaults.RECORDING_RETENTION_DAYS, ge=1, le=3650)
    on_full: schemas.OnFull = defaults.RECORDING_ON_FULL


class ArchivedTenant(Archived):
    id: schemas.TenantId
    name: schemas.Text
    domain: schemas.Domain
    status: Literal["active", "suspended"] = "active"
    plan: schemas.PlanName
    max_concurrent_calls: int = Field(ge=1, le=10_000)
    time_zone: schemas.TimeZone = defaults.TIME_ZONE
    outbound_policy: ArchivedOutbound = Field(default_factory=ArchivedOutbound)
    recording: ArchivedRecording = Field(default_factory=ArchivedRecording)
    password_rotation_months: int = Field(default=defaults.PASSWORD_ROTATION_MONTHS, ge=1, le=24)
    default_caller_id: schemas.OptDid = ""


class ArchivedBranch(Archived):
    id: schemas.Id
    name: schemas.Text
    prefix: schemas.Prefix


class ArchivedExtension(Archived):
    number: schemas.Ext
    display_name: schemas.OptText = ""
    status: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,20}$")] = "active"
    branch_id: schemas.OptId = ""
    pickup_group: schemas.PickupGroup = ""
    outbound: schemas.Outbound = defaults.OUTBOUND
    caller_id: schemas.OptDid = ""


class ArchivedDevice(Archived):
    id: schemas.Id
    extension: schemas.Ext
    vendor: schemas.Vendor
    model: schemas.Text
    mac: schemas.Mac
    label: schemas.OptText = ""
    encrypt_config: bool = False  # the setting only: the key never leaves (a new one is shown at the next URL)


class ArchivedTrunk(Archived):
    id: schemas.Id
    name: schemas.Text
    host: schemas.Host
    port: int = Field(default=defaults.SIP_PORT, ge=1, le=65535)
    transport: schemas.Transport = defaults.TRANSPORT
    auth: schemas.TrunkAuth = defaults.TRUNK_AUTH
    username: schemas.OptText = ""
    ips: list[schemas.Ipv4] = Field(default_factory=list, max_length=16)
    channels: int = Field(default=defaults.TRUNK_CHANNELS, ge=1, le=1000)
    codecs: list[schemas.Codec] = Field(default_factory=lambda: schemas.default_codecs(), max_length=5)


class ArchivedNumber(Archived):
    number: schemas.Did
    trunk_id: schemas.Id
    route_to: schemas.OptExt = ""
    label: schemas.OptText = ""


class ArchivedAssignment(Archived):
    """A number the provider assigned to the tenant (issue 13); configured or not."""

    number: schemas.Did
    assigned_at: str = ""


class ArchivedBlock(Archived):
    id: schemas.Id
    pattern: schemas.BlockPattern
    direction: schemas.Direction = "both"
    extension: schemas.OptExt = ""
    note: schemas.OptText = ""


class ArchivedUser(Archived):
    id: schemas.Id
    email: schemas.Email
    name: schemas.OptText = ""
    role: schemas.TenantRole
    extension: schemas.OptExt = ""
    status: Literal["active", "disabled"] = "active"


class ArchivedQueueMember(Archived):
    extension: schemas.Ext
    penalty: int = Field(default=0, ge=0, le=9)


class ArchivedQueue(Archived):
    """A call-center queue (issue 16); absent settings take their defaults."""

    id: schemas.Id
    name: queue_schemas.QueueName
    number: schemas.Ext
    strategy: queue_schemas.Strategy = "ringall"
    members: list[ArchivedQueueMember] = Field(default_factory=list, max_length=queue_schemas.MAX_MEMBERS)
    overflow: queue_schemas.Overflow = ""
    language: queue_schemas.Language = "vi"
    ring_timeout_s: int = Field(default=15, ge=5, le=120)
    retry_s: int = Field(default=2, ge=0, le=60)
    max_wait_s: int = Field(default=300, ge=0, le=7200)
    max_len: int = Field(default=0, ge=0, le=1000)
    wrapup_s: int = Field(default=10, ge=0, le=600)
    autopause_after: int = Field(default=3, ge=0, le=20)
    widen_after_s: int = Field(default=30, ge=0, le=3600)
    service_level_s: int = Field(default=20, ge=5, le=600)
    announce_every_s: int = Field(default=30, ge=0, le=600)
    rejoin_s: int = Field(default=60, ge=0, le=3600)
    join_empty: bool = False
    leave_when_empty: bool = True
    callback: bool = True


class Config(Archived):
    tenant: ArchivedTenant
    branches: list[ArchivedBranch] = Field(default_factory=list, max_length=10_000)
    extensions: list[ArchivedExtension] = Field(default_factory=list, max_length=100_000)
    devices: list[ArchivedDevice] = Field(default_factory=list, max_length=100_000)
    trunks: list[ArchivedTrunk] = Field(default_factory=list, max_length=10_000)
    numbers: list[ArchivedNumber] = Field(default_factory=list, max_length=100_000)
    # archives made before issue 13 have none: their configured numbers count as assigned
    assigned_numbers: list[ArchivedAssignment] = Field(default_factory=list, max_length=100_000)
    blocklist: list[ArchivedBlock] = Field(default_factory=list, max_length=100_000)
    users: list[ArchivedUser] = Field(default_factory=list, max_length=100_000)
    # archives made before issue 16 have none; agents' statuses are not exported (they are
    # what the agents set at work: an imported tenant's agents start logged out)
    queues: list[ArchivedQueue] = Field(default_factory=list, max_length=10_000)


# --- reading the tenant's configuration -----------------------------------------------------
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
    "outbound": ("outbound", defaults.OUTBOUND),
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
    "encrypt_config": ("encrypt_config", False),
    "created_at": ("created_at", ""),
}
TRUNK_FIELDS = {
    "id": ("trunk_id", ""),
    "name": ("name", ""),
    "host": ("host", ""),
    "port": ("port", defaults.SIP_PORT),
    "transport": ("transport", defaults.TRANSPORT),
    "auth": ("auth", defaults.TRUNK_AUTH),
    "username": ("username", ""),
    "ips": ("ips", []),
    "channels": ("channels", defaults.TRUNK_CHANNELS),
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
ASSIGNED_FIELDS = {
    "number": ("number", ""),
    "assigned_at": ("assigned_at", ""),
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
QUEUE_FIELDS = {
    "id": ("queue_id", ""),
    "name": ("name", ""),
    "number": ("number", ""),
    "strategy": ("strategy", "ringall"),
    "members": ("members", "[]"),  # JSON in the item, a list in the archive (read_config)
    "overflow": ("overflow", ""),
    "language": ("language", "vi"),
    **{name: (name, None) for name in ("ring_timeout_s", "retry_s", "max_wait_s", "max_len", "wrapup_s",
                                       "autopause_after", "widen_after_s", "service_level_s", "announce_every_s",
                                       "rejoin_s", "join_empty", "leave_when_empty", "callback")},
    "created_at": ("created_at", ""),
}  # fmt: skip
SECTIONS: dict[type[store.Item], tuple[str, dict[str, tuple[str, Any]], str]] = {
    # item class -> (config section, fields, sort field)
    BranchItem: ("branches", BRANCH_FIELDS, "prefix"),
    ExtensionItem: ("extensions", EXTENSION_FIELDS, "number"),
    DeviceItem: ("devices", DEVICE_FIELDS, "id"),
    TrunkItem: ("trunks", TRUNK_FIELDS, "id"),
    NumberItem: ("numbers", NUMBER_FIELDS, "number"),
    AssignmentItem: ("assigned_numbers", ASSIGNED_FIELDS, "number"),
    BlockItem: ("blocklist", BLOCK_FIELDS, "id"),
    UserItem: ("users", USER_FIELDS, "email"),
    QueueItem: ("queues", QUEUE_FIELDS, "number"),
}


def _pick(item: store.Item, fields: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    """Archive field -> (item attribute, default): only these fields ever leave."""
    out: dict[str, Any] = {}
    for name, (attr, default) in fields.items():
        value = getattr(item, attr, None)
        out[name] = default if value is None else (list(value) if isinstance(value, list) else value)
    return out


def _tenant_doc(t: TenantItem) -> dict[str, Any]:
    return {
        "id": t.tenant_id,
        "name": t.name or "",
        "domain": t.domain or "",
        "status": t.status or "active",
        "plan": t.plan or "",
        "max_concurrent_calls": int(t.max_concurrent_calls or 1),
        "time_zone": t.time_zone or defaults.TIME_ZONE,
        "outbound_policy": {
            "international": bool(t.outbound_international),
            "premium_1900": bool(t.outbound_premium_1900),
        },
        "recording": {
            "enabled": bool(t.record_calls),
            "retention_days": int(t.recording_retention_days or defaults.RECORDING_RETENTION_DAYS),
            "on_full": t.recording_on_full or defaults.RECORDING_ON_FULL,
        },
        "password_rotation_months": int(t.password_rotation_months or defaults.PASSWORD_ROTATION_MONTHS),
        "default_caller_id": t.default_caller_id or "",
        "created_at": t.created_at or "",
    }


def read_config(tenant_id: str) -> dict[str, Any] | None:
    """The tenant's configuration as archived (one consistent query of its partition), or None."""
    config: dict[str, Any] = {"tenant": None, **{section: [] for section, _, _ in SECTIONS.values()}}
    password_trunks: list[str] = []
    for item in store.partition(keys.tenant_pk(tenant_id), (TenantItem, *SECTIONS)):
        if isinstance(item, TenantItem):
            config["tenant"] = _tenant_doc(item)
            continue
        section, fields, _ = SECTIONS[type(item)]
        doc = _pick(item, fields)
        if isinstance(item, QueueItem):
            doc["members"] = json.loads(item.members or "[]")
        config[section].append(doc)
        if isinstance(item, TrunkItem) and item.secret:
            password_trunks.append(item.trunk_id)
    if config["tenant"] is None:
        return None
    for section, _, key in SECTIONS.values():
        config[section].sort(key=functools.partial(_sort_value, key))
    config["trunks_with_password"] = sorted(password_trunks)  # which ones need it set again
    return config


def _sort_value(key: str, doc: dict[str, Any]) -> str:
    return str(doc.get(key, ""))


# --- zip members ---------------------------------------------------------------------------------
def zinfo(name: str, *, deflate: bool, size: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=clock.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    if size is not None:
        info.file_size = size  # lets zipfile pick ZIP64 for big members up front
    return info


def add_bytes(zf: zipfile.ZipFile, name: str, data: bytes, files: list[dict[str, Any]]) -> None:
    with zf.open(zinfo(name, deflate=True, size=len(data)), "w") as dest:
        dest.write(data)
    files.append({"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})


def recording_path(tenant_id: str, key: str) -> str | None:
    """Where a recording of ``tenant_id`` goes in the archive (None: not the tenant's key)."""
    prefix = s3.tenant_prefix(tenant_id)
    if not key.startswith(prefix + "recordings/"):
        return None
    path = key[len(prefix) :]
    return path if len(path) <= 1000 and RECORDING_PATH.match(path) else None


# --- reading an archive ------------------------------------------------------------------------
@dataclass
class Archive:
    zf: zipfile.ZipFile
    manifest: dict[str, Any]
    config: Config
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


def check_refs(c: Config) -> None:
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
    dids = unique("numbers", [n.number for n in c.numbers])
    unique("assigned_numbers", [a.number for a in c.assigned_numbers])
    unique("blocklist", [b.id for b in c.blocklist])
    unique("users", [u.id for u in c.users])
    unique("users.email", [u.email for u in c.users])
    for i, e in enumerate(c.extensions):
        if e.branch_id and e.branch_id not in branch_ids:
            errors[f"config.extensions.{i}.branch_id"] = f"unknown branch {e.branch_id}"
        if e.caller_id and e.caller_id not in dids:
            errors[f"config.extensions.{i}.caller_id"] = f"unknown number {e.caller_id}"
    for section, items in (("devices", c.devices), ("blocklist", c.blocklist), ("users", c.users)):
        for i, item in enumerate(items):
            ext = getattr(item, "extension", "")
            if ext and ext not in exts:
                errors[f"config.{section}.{i}.extension"] = f"unknown extension {ext}"
    for i, n in enumerate(c.numbers):
        if n.trunk_id not in trunk_ids:
            errors[f"config.numbers.{i}.trunk_id"] = f"unknown trunk {n.trunk_id}"
        if n.route_to and n.route_to not in exts and n.route_to not in {q.number for q in c.queues}:
            errors[f"config.numbers.{i}.route_to"] = f"unknown extension {n.route_to}"  # nor a queue's number
    for i, b in enumerate(c.blocklist):
        if b.direction in ("out", "both") and numbers.blocks_emergency(b.pattern):
            errors[f"config.blocklist.{i}.pattern"] = "would block emergency numbers outbound"
    for i, t in enumerate(c.trunks):
        if t.auth == "ip" and not t.ips:
            errors[f"config.trunks.{i}.ips"] = "at least one carrier address for auth=ip"
        if not t.codecs:
            errors[f"config.trunks.{i}.codecs"] = "at least one codec"
    queue_ids = unique("queues", [q.id for q in c.queues])
    unique("queues.number", [q.number for q in c.queues])
    for i, q in enumerate(c.queues):
        if q.number in exts:
            errors[f"config.queues.{i}.number"] = f"{q.number} is also an extension"
        for j, m in enumerate(q.members):
            if m.extension not in exts:
                errors[f"config.queues.{i}.members.{j}.extension"] = f"unknown extension {m.extension}"
        if len({m.extension for m in q.members}) != len(q.members):
            errors[f"config.queues.{i}.members"] = "an extension is a member twice"
        kind, _, target = q.overflow.partition(":")
        bad_queue = kind == "queue" and (target not in queue_ids or target == q.id)
        if (kind == "extension" and target not in exts) or bad_queue:
            errors[f"config.queues.{i}.overflow"] = f"unknown target {q.overflow}"
    if c.tenant.default_caller_id and c.tenant.default_caller_id not in dids:
        errors["config.tenant.default_caller_id"] = f"unknown number {c.tenant.default_caller_id}"
    if errors:
        first = next(iter(errors.items()))
        raise ValidationError(f"invalid archive: config.json: {first[0]}: {first[1]}", fields=errors)


def open_archive(key: str) -> Archive:
    """Open and check an archive in the bucket: zip structure, manifest, format and version,
    config.json against its checksum, schema and references, the members it lists.
    Reads the central directory, the manifest and config.json only (ranged GETs)."""
    client, bucket = s3.client(), s3.bucket()
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
        config = Config.model_validate_json(raw_config)
    except PydanticError as exc:
        errors = _config_errors(exc)
        first = next(iter(errors.items()))
        raise ValidationError(f"invalid archive: config.json: {first[0]}: {first[1]}", fields=errors) from exc
    check_refs(config)
    recs = manifest.get("recordings") or []
    for entry in recs:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or len(path) > 1000 or not RECORDING_PATH.match(path):
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
