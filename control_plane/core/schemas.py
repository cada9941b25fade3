"""The shared vocabulary of request and response models (pydantic v2): base classes, field
types and parsing. Each domain's ``schemas.py`` builds its models from these; validation at
the boundary and the OpenAPI document are both generated from the same classes, so they
cannot drift apart.

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

from pbx_core import defaults, dialplan, numbers
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

# Names and labels: no control characters (CR/LF, NUL, DEL, C1, line/paragraph separators).
# A display name goes into From and P-Asserted-Identity of every call, so a CR/LF in it would
# be a SIP header of the tenant's choosing (issue 13); the edge also cleans what it writes.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _no_control(value: str) -> str:
    if CONTROL_CHARS.search(value):
        raise ValueError("no control characters")
    return value


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(_no_control)
]
OptText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_no_control)]
# The user part of a carrier account (From, Contact, digest username, P-Asserted-Identity):
# RFC 3261 unreserved characters and "+", nothing that ends or escapes a URI or a header.
SIP_USER_PATTERN = r"^[A-Za-z0-9._~+!*'()-]{0,64}$"
SipUser = Annotated[str, StringConstraints(pattern=SIP_USER_PATTERN)]
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
    return numbers.did(value).national


def _opt_did(value: str) -> str:
    return _did(value) if value else ""


def _block(value: str) -> str:
    return numbers.block_pattern(value)


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
CODECS: tuple[Codec, ...] = ("PCMA", "PCMU", "G722", "G729", "opus")
Direction = Literal["in", "out", "both"]
NumberKind = Literal["fixed", "mobile", "tollfree", "premium"]
OnFull = Literal["delete_oldest", "stop_recording"]
QuotaLevel = Literal["ok", "warn80", "warn90", "full"]


def default_codecs() -> list[Codec]:
    return [c for c in CODECS if c in defaults.CODECS]


class Body(BaseModel):
    """A request body: strict types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """A query string: values are text, so types are coerced; unknown names are refused."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A response body: views return these; the route answers ``model_dump(mode="json")``."""


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


class TokenOut(Out):
    token: str
    expires_at: str | None = None
