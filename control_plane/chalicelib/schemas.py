"""Request and response models (pydantic v2): validation at the boundary and the OpenAPI
document are both generated from these classes, so they cannot drift apart.

Request bodies are strict (no type coercion: ``"10"`` is not an integer, ``true`` is not
a number) and forbid unknown fields; query strings are parsed leniently (they are text).
``parse`` turns pydantic's errors into one ``ValidationError`` with a message per field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aws_lambda_powertools.utilities.parser import parse as powertools_parse
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticError

from chalicelib import dialplan, vnphone
from pbx_core.errors import ValidationError

M = TypeVar("M", bound=BaseModel)

# --- field types ---------------------------------------------------------------------------
ID_PATTERN = r"^[a-z]{2,4}_[0-9a-f]{12}$"
TENANT_ID_PATTERN = r"^t_[0-9a-f]{16}$"
EXT_PATTERN = r"^[1-9][0-9]{1,5}$"
PLAN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
EDGE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
DOMAIN_PATTERN = r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
HOST_PATTERN = r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
IPV4_PATTERN = r"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$"
MAC_PATTERN = r"^[0-9A-Fa-f]{2}([:-]?[0-9A-Fa-f]{2}){5}$"
DID_PATTERN = r"^\+?[0-9][0-9 .()-]{3,20}$"
BLOCK_PATTERN = r"^\+?[0-9][0-9 .()-]{0,20}\*?$"
EMAIL_PATTERN = r"^[^@\s]{1,64}@[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\.[A-Za-z]{2,24}$"
TZ_PATTERN = r"^[A-Za-z][A-Za-z0-9_+-]{0,30}(/[A-Za-z0-9_+-]{1,30}){0,2}$"
FEATURE_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
GROUP_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OptText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Ext = Annotated[str, StringConstraints(pattern=EXT_PATTERN)]
OptExt = Annotated[str, StringConstraints(pattern=r"^([1-9][0-9]{1,5})?$")]
# A new extension's number: also not an emergency number nor a feature code (dialplan).
NewExt = Annotated[str, StringConstraints(pattern=EXT_PATTERN), BeforeValidator(lambda v: _new_ext(v))]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
OptId = Annotated[str, StringConstraints(pattern=r"^([a-z]{2,4}_[0-9a-f]{12})?$")]
TenantId = Annotated[str, StringConstraints(pattern=TENANT_ID_PATTERN)]
PlanName = Annotated[str, StringConstraints(pattern=PLAN_PATTERN)]
EdgeId = Annotated[str, StringConstraints(pattern=EDGE_PATTERN)]
Feature = Annotated[str, StringConstraints(pattern=FEATURE_PATTERN)]
PickupGroup = Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9_-]{1,32})?$")]
# A branch prefix: also not a feature code nor 1800/1900 (dialplan).
Prefix = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,3}$"), BeforeValidator(lambda v: _prefix(v))]
Password = Annotated[str, StringConstraints(min_length=12, max_length=128)]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Ipv4 = Annotated[str, StringConstraints(pattern=IPV4_PATTERN)]


def _new_ext(value: Any) -> Any:
    """A clear message for numbers that look like extensions but may never be one."""
    if isinstance(value, str):
        reserved = dialplan.reserved_extension(value)
        if reserved is not None:
            raise ValueError(reserved)
    return value


def _prefix(value: Any) -> Any:
    if isinstance(value, str):
        reserved = dialplan.reserved_prefix(value)
        if reserved is not None:
            raise ValueError(reserved)
    return value


def _domain(value: str) -> str:
    return value.lower()


def _tz(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("an IANA time zone such as Asia/Ho_Chi_Minh") from exc
    return value


def _mac(value: str) -> str:
    return re.sub(r"[:-]", "", value).lower()


def _did(value: str) -> str:
    return vnphone.did(value)[0]


def _opt_did(value: str) -> str:
    return _did(value) if value else ""


def _block(value: str) -> str:
    return vnphone.block_pattern(value)


def _email(value: str) -> str:
    return value.strip().lower()


Domain = Annotated[
    str, StringConstraints(min_length=3, max_length=253, pattern=DOMAIN_PATTERN), AfterValidator(_domain)
]
Host = Annotated[str, StringConstraints(min_length=1, max_length=253, pattern=HOST_PATTERN)]
TimeZone = Annotated[str, StringConstraints(pattern=TZ_PATTERN), AfterValidator(_tz)]
Mac = Annotated[str, StringConstraints(pattern=MAC_PATTERN), AfterValidator(_mac)]
Did = Annotated[str, StringConstraints(pattern=DID_PATTERN), AfterValidator(_did)]
OptDid = Annotated[str, StringConstraints(pattern=r"^(\+?[0-9][0-9 .()-]{3,20})?$"), AfterValidator(_opt_did)]
BlockPattern = Annotated[str, StringConstraints(pattern=BLOCK_PATTERN), AfterValidator(_block)]
Email = Annotated[str, StringConstraints(max_length=254, pattern=EMAIL_PATTERN), AfterValidator(_email)]

Role = Literal["provider_admin", "tenant_admin", "supervisor", "agent"]
TenantRole = Literal["tenant_admin", "supervisor", "agent"]
Outbound = Literal["internal_only", "national"]
Vendor = Literal["yealink", "grandstream", "fanvil"]
Transport = Literal["udp", "tcp", "tls"]
TrunkAuth = Literal["ip", "register"]
Codec = Literal["PCMA", "PCMU", "G722", "G729", "opus"]
Direction = Literal["in", "out", "both"]
NumberKind = Literal["fixed", "mobile", "tollfree", "premium"]
OnFull = Literal["delete_oldest", "stop_recording"]
QuotaLevel = Literal["ok", "warn80", "warn90", "full"]


def _default_codecs() -> list[Codec]:
    return ["PCMA", "PCMU"]


class Body(BaseModel):
    """A request body: strict types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """A query string: values are text, so types are coerced; unknown names are refused."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A response body (documentation and tests only; views return plain dicts)."""


# --- parsing -------------------------------------------------------------------------------
def _field_errors(exc: PydanticError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "body"
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required"
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
        fields.setdefault(loc, msg)
    return fields


def field_errors(model: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """(parsed model, {}) or (None, {field: message})."""
    try:
        return powertools_parse(event=data, model=model), {}
    except PydanticError as exc:
        return None, _field_errors(exc)


def parse(model: type[M], data: dict[str, Any], message: str = "invalid request") -> M:
    """The body parsed into ``model`` (powertools Parser), or ValidationError per field."""
    parsed, errors = field_errors(model, data)
    if parsed is None:
        raise ValidationError(f"{message}: " + ", ".join(f"{k}: {v}" for k, v in errors.items()), fields=errors)
    return parsed


def given(model: BaseModel) -> set[str]:
    """Names of the fields the client sent with a non-null value (PATCH semantics)."""
    return {name for name in model.model_fields_set if getattr(model, name) is not None}


# --- common ----------------------------------------------------------------------------------
class ErrorDetail(Out):
    code: str
    message: str
    fields: dict[str, str]


class ErrorOut(Out):
    error: ErrorDetail


class ListQuery(Query):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=2000)


class Health(Out):
    ok: bool


# --- plans -----------------------------------------------------------------------------------
class PlanCreate(Body):
    name: PlanName
    description: OptText = ""
    max_extensions: int = Field(ge=1, le=10_000)
    max_concurrent_calls: int = Field(ge=1, le=10_000)
    recording_quota_bytes: int = Field(ge=0, le=10**13)
    features: list[Feature] = Field(default_factory=list, max_length=50)


class PlanUpdate(Body):
    description: OptText | None = None
    max_extensions: int | None = Field(default=None, ge=1, le=10_000)
    max_concurrent_calls: int | None = Field(default=None, ge=1, le=10_000)
    recording_quota_bytes: int | None = Field(default=None, ge=0, le=10**13)
    features: list[Feature] | None = Field(default=None, max_length=50)


class PlanOut(Out):
    name: str
    description: str
    max_extensions: int
    max_concurrent_calls: int
    recording_quota_bytes: int
    features: list[str]
    tenant_count: int
    created_at: str
    updated_at: str


class PlanList(Out):
    items: list[PlanOut]
    next: str | None


# --- tenants ---------------------------------------------------------------------------------
class OutboundPolicyIn(Body):
    international: bool | None = None
    premium_1900: bool | None = None


class RecordingPolicyIn(Body):
    enabled: bool | None = None
    retention_days: int | None = Field(default=None, ge=1, le=3650)
    on_full: OnFull | None = None


class TenantCreate(Body):
    name: Text
    domain: Domain
    plan: PlanName = "PBX-10"
    max_concurrent_calls: int | None = Field(default=None, ge=1, le=10_000)
    time_zone: TimeZone = "Asia/Ho_Chi_Minh"
    outbound_policy: OutboundPolicyIn | None = None
    recording: RecordingPolicyIn | None = None
    password_rotation_months: int = Field(default=12, ge=1, le=24)


class TenantUpdate(Body):
    name: Text | None = None
    plan: PlanName | None = None
    status: Literal["active", "suspended"] | None = None
    max_concurrent_calls: int | None = Field(default=None, ge=1, le=10_000)
    time_zone: TimeZone | None = None
    outbound_policy: OutboundPolicyIn | None = None
    recording: RecordingPolicyIn | None = None
    password_rotation_months: int | None = Field(default=None, ge=1, le=24)
    default_caller_id: OptDid | None = None


class OutboundPolicyOut(Out):
    international: bool
    premium_1900: bool


class RecordingUsageOut(Out):
    usage_bytes: int
    quota_bytes: int
    usage_pct: float
    level: QuotaLevel
    on_full: OnFull
    recording_active: bool  # what the edges do now: false while full under stop_recording


class RecordingPolicyOut(RecordingUsageOut):
    enabled: bool
    retention_days: int


class RecordingUsage(RecordingUsageOut):
    retention_days: int


class EventQuery(Query):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=2000)


class EventOut(Out):
    id: str
    type: str
    created_at: str
    data: dict[str, Any]


class EventList(Out):
    items: list[EventOut]
    next: str | None


class TenantOut(Out):
    id: str
    name: str
    domain: str
    status: Literal["active", "suspended"]
    plan: str
    max_concurrent_calls: int
    max_extensions: int
    extension_count: int
    time_zone: str
    outbound_policy: OutboundPolicyOut
    recording: RecordingPolicyOut
    password_rotation_months: int
    default_caller_id: str
    created_at: str
    updated_at: str


class TenantList(Out):
    items: list[TenantOut]
    next: str | None


class TokenOut(Out):
    token: str
    expires_at: str | None = None


# --- branches --------------------------------------------------------------------------------
class BranchCreate(Body):
    name: Text
    prefix: Prefix


class BranchUpdate(Body):
    name: Text | None = None
    prefix: Prefix | None = None


class BranchOut(Out):
    id: str
    name: str
    prefix: str
    extension_count: int
    created_at: str
    updated_at: str


class BranchList(Out):
    items: list[BranchOut]
    next: str | None


# --- extensions ------------------------------------------------------------------------------
class ExtensionCreate(Body):
    number: NewExt
    display_name: OptText = ""
    branch_id: OptId = ""
    pickup_group: PickupGroup = ""
    outbound: Outbound = "national"
    caller_id: OptDid = ""


class ExtensionUpdate(Body):
    display_name: OptText | None = None
    branch_id: OptId | None = None
    pickup_group: PickupGroup | None = None
    outbound: Outbound | None = None
    caller_id: OptDid | None = None


class ExtensionOut(Out):
    number: str
    display_name: str
    branch_id: str
    pickup_group: str
    outbound: Outbound
    caller_id: str
    created_at: str
    updated_at: str
    password_rotated_at: str


class ExtensionList(Out):
    items: list[ExtensionOut]
    next: str | None


class ProvisioningLinkOut(Out):
    token: str
    url: str
    absolute_url: str
    qr_payload: str
    expires_at: str


class ProvisioningOut(Out):
    sip_user: str
    sip_password: str
    sip_domain: str
    sip_proxy: str | None


# --- devices ---------------------------------------------------------------------------------
class DeviceCreate(Body):
    extension: Ext
    vendor: Vendor
    model: Text
    mac: Mac
    label: OptText = ""


class DeviceUpdate(Body):
    extension: Ext | None = None
    model: Text | None = None
    mac: Mac | None = None
    label: OptText | None = None


class DeviceOut(Out):
    id: str
    extension: str
    vendor: Vendor
    model: str
    mac: str
    label: str
    has_token: bool
    needs_reprovision: bool
    provisioned_at: str | None
    created_at: str
    updated_at: str


class DeviceList(Out):
    items: list[DeviceOut]
    next: str | None


class DeviceTokenOut(Out):
    url: str
    absolute_url: str
    filename: str


# --- trunks ----------------------------------------------------------------------------------
class TrunkCreate(Body):
    name: Text
    host: Host
    port: int = Field(default=5060, ge=1, le=65535)
    transport: Transport = "udp"
    auth: TrunkAuth = "ip"
    username: OptText = ""
    password: Secret | None = None
    ips: list[Ipv4] = Field(default_factory=list, max_length=16)
    channels: int = Field(default=30, ge=1, le=1000)
    codecs: list[Codec] = Field(default_factory=lambda: _default_codecs(), min_length=1, max_length=5)


class TrunkUpdate(Body):
    name: Text | None = None
    host: Host | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    transport: Transport | None = None
    auth: TrunkAuth | None = None
    username: OptText | None = None
    password: Secret | None = None
    ips: list[Ipv4] | None = Field(default=None, max_length=16)
    channels: int | None = Field(default=None, ge=1, le=1000)
    codecs: list[Codec] | None = Field(default=None, min_length=1, max_length=5)


class TrunkOut(Out):
    id: str
    name: str
    host: str
    port: int
    transport: Transport
    auth: TrunkAuth
    username: str
    has_password: bool
    ips: list[str]
    channels: int
    codecs: list[str]
    number_count: int
    created_at: str
    updated_at: str


class TrunkList(Out):
    items: list[TrunkOut]
    next: str | None


# --- numbers (DIDs) --------------------------------------------------------------------------
class NumberCreate(Body):
    number: Did
    trunk_id: Id
    route_to: OptExt = ""
    label: OptText = ""


class NumberUpdate(Body):
    trunk_id: Id | None = None
    route_to: OptExt | None = None
    label: OptText | None = None


class NumberOut(Out):
    number: str
    kind: NumberKind
    trunk_id: str
    route_to: str
    label: str
    created_at: str
    updated_at: str


class NumberList(Out):
    items: list[NumberOut]
    next: str | None


# --- block list ------------------------------------------------------------------------------
class BlockCreate(Body):
    pattern: BlockPattern
    direction: Direction = "both"
    extension: OptExt = ""
    note: OptText = ""


class BlockUpdate(Body):
    pattern: BlockPattern | None = None
    direction: Direction | None = None
    extension: OptExt | None = None
    note: OptText | None = None


class BlockQuery(Query):
    direction: Direction | None = None
    extension: OptExt | None = None


class BlockOut(Out):
    id: str
    pattern: str
    direction: Direction
    extension: str
    note: str
    created_at: str
    updated_at: str


class BlockList(Out):
    items: list[BlockOut]
    next: str | None


# --- users, sessions, API keys ---------------------------------------------------------------
class UserCreate(Body):
    email: Email
    name: OptText = ""
    role: Role
    password: Password
    extension: OptExt = ""


class UserUpdate(Body):
    name: OptText | None = None
    role: Role | None = None
    password: Password | None = None
    extension: OptExt | None = None
    status: Literal["active", "disabled"] | None = None


class UserOut(Out):
    id: str
    email: str
    name: str
    role: Role
    extension: str
    status: Literal["active", "disabled"]
    tenant_id: str | None
    created_at: str
    updated_at: str


class UserList(Out):
    items: list[UserOut]
    next: str | None


class LoginIn(Body):
    email: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=128)]


class LoginOut(Out):
    token: str
    expires_at: str
    user: UserOut


class MeOut(Out):
    sub: str
    role: str
    tenant_id: str | None
    user: UserOut | None


class ApiKeyCreate(Body):
    name: Text
    role: TenantRole = "tenant_admin"


class ApiKeyOut(Out):
    id: str
    name: str
    role: TenantRole
    prefix: str
    created_at: str
    last_used_at: str | None = None


class ApiKeyCreated(ApiKeyOut):
    key: str


class ApiKeyList(Out):
    items: list[ApiKeyOut]
    next: str | None


# --- edges -----------------------------------------------------------------------------------
class EdgeCreate(Body):
    id: EdgeId
    tenants: list[TenantId] | None = Field(default=None, max_length=1000)


class EdgeUpdate(Body):
    tenants: list[TenantId] | None = Field(default=None, max_length=1000)


class EdgeOut(Out):
    id: str
    tenants: list[str] | None
    created_at: str
    updated_at: str


class EdgeCreated(EdgeOut):
    token: str


class EdgeList(Out):
    items: list[EdgeOut]
    next: str | None


class CdrIngestOut(Out):
    call_id: str
    status: Literal["created", "duplicate"]


# --- CDRs ------------------------------------------------------------------------------------
class CdrQuery(Query):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=2000)
    start: str | None = Field(default=None, alias="from", max_length=40)
    end: str | None = Field(default=None, alias="to", max_length=40)
    extension: OptExt | None = None
    number: Annotated[str, StringConstraints(pattern=r"^\+?[0-9]{2,15}$")] | None = None
    direction: Literal["internal", "inbound", "outbound"] | None = None
    disposition: Literal["answered", "busy", "no_answer", "unavailable", "rejected", "cancelled", "failed"] | None = (
        None
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=False)


EXPORT_DEFAULT_LIMIT = 10_000
EXPORT_MAX_LIMIT = 100_000


class CdrExportQuery(CdrQuery):
    limit: int = Field(default=EXPORT_DEFAULT_LIMIT, ge=1, le=EXPORT_MAX_LIMIT)


class CdrOut(Out):
    tenant_id: str
    call_id: str
    caller: str
    callee: str
    started_at: str
    answered_at: str | None
    ended_at: str
    duration_s: float
    disposition: str
    sip_code: int
    hangup_side: str
    direction: str
    edge_id: str
    worker_id: str
    recording_key: str | None
    recording_format: str | None
    recording_bytes: int


class CdrStored(CdrOut):
    recording_deleted: Literal["quota", "retention"] | None  # why recording_key is now null
    recording_deleted_at: str | None


class CdrList(Out):
    items: list[CdrStored]
    next: str | None


class CdrLocalOut(CdrStored):
    """A stored CDR as the API returns it: the UTC times unchanged, plus each of them in the
    tenant's time zone (ISO 8601 with the offset of that instant, e.g. +07:00)."""

    time_zone: str
    started_at_local: str | None
    answered_at_local: str | None
    ended_at_local: str | None


class CdrLocalList(Out):
    items: list[CdrLocalOut]
    next: str | None


class CdrXlsxQuery(CdrExportQuery):
    """The CSV export's filters and limit, plus the language of the headers."""

    lang: Literal["en", "vi"] = "en"


class CdrExportLink(Out):
    """A CDR export stored in S3 (``tenants/<id>/reports/cdrs/``) and a short-lived link to it."""

    id: str
    rows: int
    truncated: bool  # more calls matched than ``limit``: narrow the time range
    bytes: int
    time_zone: str
    filename: str
    content_type: str
    url: str
    expires_in: int
    expires_at: str


class CdrCsvReportOut(CdrExportLink):
    """A CSV export of calls: the columns of ``GET /v1/cdrs/export``, byte for byte."""


class CdrReportOut(CdrExportLink):
    """An Excel report of calls in S3 and a short-lived link to it."""

    lang: Literal["en", "vi"]


class RecordingLinkOut(Out):
    call_id: str
    url: str
    expires_in: int
    expires_at: str
    format: str
    content_type: str
    bytes: int


class RotationOut(Out):
    rotated: int
    devices_marked: int


# --- tenant jobs (S6: export, import, offboarding) ----------------------------------------------
ARCHIVE_KEY_PATTERN = r"^(exports/t_[0-9a-f]{16}/job_[0-9a-f]{12}|imports/imp_[0-9a-f]{12})\.zip$"
ArchiveKey = Annotated[str, StringConstraints(pattern=ARCHIVE_KEY_PATTERN)]


class ImportIn(Body):
    archive_key: ArchiveKey  # exports/<tenant>/<job>.zip, or imports/<upload>.zip
    domain: Domain | None = None  # default: the archived domain
    name: Text | None = None  # default: the archived name
    plan: PlanName | None = None  # default: the archived plan
    keep_id: bool = False  # reuse the archived tenant id (moving back, another installation)
    status: Literal["active", "suspended"] = "active"


class DeleteQuery(Query):
    force: bool = False


class DownloadOut(Out):
    url: str
    expires_in: int
    expires_at: str
    bytes: int
    sha256: str


class JobOut(Out):
    id: str
    tenant_id: str
    kind: Literal["export", "import", "delete"]
    status: Literal["pending", "running", "done", "failed"]
    created_at: str
    updated_at: str
    finished_at: str | None
    created_by: str
    error: str | None
    result: dict[str, Any]
    download: DownloadOut | None


class JobList(Out):
    items: list[JobOut]
    next: str | None


class UploadOut(Out):
    archive_key: str
    upload_url: str
    method: Literal["PUT"]
    expires_in: int
    expires_at: str
