"""ProBox control plane (Chalice): routes, the JWT authorizer, per-request log context.

Thin on purpose: each view checks the caller's role, takes the tenant from the token (never
from the body or the query) and calls a domain module in ``chalicelib``. Domain errors
become HTTP answers in ``chalicelib.http``. Every route is declared through ``route()``,
which also records it for the OpenAPI document (``/v1/openapi.json``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from chalice.app import AuthRequest, AuthResponse, Chalice, Rate, Request, Response
from chalicelib import (
    auth,
    blocklist,
    branches,
    cdr_reports,
    cdrs,
    clock,
    devices,
    dids,
    edges,
    export,
    extensions,
    openapi,
    plans,
    principals,
    provisioning,
    ratelimit,
    recordings,
    rotation,
    schemas,
    settings,
    tenants,
    trunks,
    users,
)
from chalicelib.errors import RateLimited
from chalicelib.http import empty_response, error_response, handle_errors, json_response, parse_json_object
from chalicelib.log import logger
from chalicelib.metrics import flush as flush_metrics
from chalicelib.metrics import metrics
from pydantic import BaseModel

from pbx_core.errors import Forbidden, NotFound, Unauthorized

app = Chalice(app_name="probox")

_UNAUTHORIZED_BODY = b'{"error":{"code":"unauthorized","message":"missing, invalid or expired token","fields":{}}}'
_CORRELATION_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

PROVIDER = (auth.PROVIDER_ADMIN,)
ADMIN = (auth.TENANT_ADMIN,)
STAFF = (auth.TENANT_ADMIN, auth.SUPERVISOR)
TENANT_USERS = auth.TENANT_ROLES
ANY_USER = (auth.PROVIDER_ADMIN, *auth.TENANT_ROLES)
EDGE = (auth.EDGE,)

M = TypeVar("M", bound=BaseModel)
V = TypeVar("V", bound=Callable[..., Any])


def _gateway_unauthorized() -> NoReturn:
    """Make the gateway answer 401 for a bad token.

    API Gateway answers 401 when a token authorizer fails with the message "Unauthorized".
    ``chalice local`` and ``chalice.test`` emulate the gateway with ``chalice.local``, which
    answers 401 for its own ``NotAuthorizedError`` only (any other exception escapes). So
    raise that when it exists, with the message API Gateway expects should it ever be
    deployed too; the Lambda runtime package has no ``chalice.local``.
    """
    try:
        from chalice.local import NotAuthorizedError
    except ImportError:  # deployed: the Lambda runtime carries chalice/app.py only
        raise Exception("Unauthorized") from None  # API Gateway's contract

    class GatewayUnauthorized(NotAuthorizedError):
        def __str__(self) -> str:
            return "Unauthorized"

    raise GatewayUnauthorized({"Content-Type": "application/json"}, _UNAUTHORIZED_BODY)


@app.authorizer()
def jwt_auth(auth_request: AuthRequest) -> AuthResponse:
    """Verify ``Authorization: Bearer <jwt or API key>``; the context carries role and ids."""
    try:
        principal = principals.resolve(auth_request.token)
    except Unauthorized:
        _gateway_unauthorized()
    # Roles are enforced in the views, so the policy allows every route: API Gateway caches
    # the policy per token and would otherwise apply one route's answer to the others.
    return AuthResponse(routes=["*"], principal_id=principal.sub, context=principal.context())


@app.middleware("http")
def request_log_context(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Tenant, role and correlation id on every log line of this request only; metrics
    flushed once per request."""
    context = event.context or {}
    authorizer: dict[str, Any] = context.get("authorizer") or {}
    given = (event.headers.get("x-correlation-id") if event.headers else None) or ""
    correlation_id = given if _CORRELATION_RE.match(given) else context.get("requestId") or ""
    logger.thread_safe_clear_keys()
    keys = {
        "tenant_id": authorizer.get("tenant_id") or None,
        "role": authorizer.get("role") or None,
        "edge_id": authorizer.get("edge_id") or None,
        "correlation_id": correlation_id or None,
        "request_id": context.get("requestId"),
        "route": context.get("resourcePath"),
        "method": event.method,
    }
    logger.thread_safe_append_keys(**{k: v for k, v in keys.items() if v})
    if keys["tenant_id"]:
        metrics.add_metadata(key="tenant_id", value=keys["tenant_id"])
    try:
        response = _rate_limited(authorizer) or get_response(event)
        if correlation_id:
            response.headers["X-Correlation-Id"] = correlation_id
        logger.info("request", extra={"status": response.status_code})
        return response
    finally:
        flush_metrics()
        logger.thread_safe_clear_keys()


def _rate_limited(authorizer: dict[str, Any]) -> Response | None:
    """429 when the caller's tenant or the caller is over its request budget (ratelimit)."""
    try:
        ratelimit.check(
            tenant_id=authorizer.get("tenant_id") or None,
            role=str(authorizer.get("role") or ""),
            sub=str(authorizer.get("sub") or ""),
            now=clock.now(),
        )
    except RateLimited as exc:
        logger.info("request refused", extra={"error_code": exc.code})
        return error_response(exc)
    return None


def route(
    method: str,
    path: str,
    *,
    summary: str,
    tag: str,
    roles: tuple[str, ...] | None,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    status: int = 200,
    response: type[BaseModel] | None = None,
    media: str = "application/json",
    errors: tuple[int, ...] = (),
    patterns: dict[str, str] | None = None,
    description: str = "",
) -> Callable[[V], V]:
    """Declare a route: Chalice registration, error mapping and its OpenAPI operation."""

    def register(view: V) -> V:
        codes = set(errors) | {400}
        if roles is not None:
            codes |= {401, 403}
        if roles is not None and roles != EDGE:
            codes.add(429)  # per-tenant / per-caller rate limit (ratelimit)
        if "{" in path or (roles and set(roles) & set(TENANT_USERS)):
            codes.add(404)
        if method in ("POST", "PATCH", "DELETE") and roles is not None:
            codes.add(409)
        openapi.OPERATIONS.append(
            openapi.Operation(
                method=method,
                path=path,
                name=view.__name__,
                summary=summary,
                tag=tag,
                roles=roles,
                body=body,
                query=query,
                status=status,
                response=response,
                media=media,
                errors=tuple(sorted(codes)),
                path_patterns=patterns or {},
                description=description,
            )
        )
        wrapped = handle_errors(view)
        if roles is None:
            app.route(path, methods=[method])(wrapped)
        else:
            app.route(path, methods=[method], authorizer=jwt_auth)(wrapped)
        return view

    return register


# --- request helpers ---------------------------------------------------------------------------
def _request() -> Request:
    request = app.current_request
    assert request is not None
    return request


def _principal(*roles: str) -> auth.Principal:
    """The caller, from the bearer token, with one of ``roles``.

    The authorizer has already checked it (API Gateway, chalice local and chalice.test all
    run it); checking again is cheap, exact about expiry and revocation despite API
    Gateway's authorizer cache, and keeps a route safe if it were wired without it.
    """
    principal = principals.resolve(_request().headers.get("authorization"))
    if roles:
        principal.require(*roles)
    return principal


def _tenant(*roles: str) -> str:
    """The caller's tenant id (tenant roles only): the only source of tenant ids."""
    return _principal().require_tenant(*(roles or ADMIN))


def _body() -> dict[str, Any]:
    return parse_json_object(_request().raw_body)


def _query(model: type[M]) -> M:
    params = _request().query_params
    data: dict[str, Any] = {name: params[name] for name in params} if params else {}
    return schemas.parse(model, data, "invalid query")


def _base_url() -> str:
    """Where phones reach this API: PROBOX_PUBLIC_URL, else the request's own host."""
    configured = settings.public_url()
    if configured:
        return configured
    headers = _request().headers
    host = headers.get("host") or "localhost"
    if not re.match(r"^[A-Za-z0-9.:\[\]-]{1,255}$", host):
        host = "localhost"
    proto = headers.get("x-forwarded-proto") or ("http" if host.startswith(("127.", "localhost")) else "https")
    return f"{'https' if proto == 'https' else 'http'}://{host}"


def _created(doc: Any, headers: dict[str, str] | None = None) -> Response:
    return json_response(doc, 201, headers)


NO_STORE = {"Cache-Control": "no-store"}
TENANT_ID = schemas.TENANT_ID_PATTERN
EXT = schemas.EXT_PATTERN
ID = schemas.ID_PATTERN


# --- health and the API document ---------------------------------------------------------------
@route("GET", "/v1/health", summary="Liveness", tag="meta", roles=None, response=schemas.Health)
def health() -> dict[str, Any]:
    return {"ok": True}


@route("GET", "/v1/openapi.json", summary="This API's OpenAPI 3.1 document", tag="meta", roles=None)
def openapi_document() -> dict[str, Any]:
    return openapi.document()


# --- login, logout, me ---------------------------------------------------------------------------
@route(
    "POST",
    "/v1/auth/login",
    summary="Log in with e-mail and password; a JWT bound to a session",
    tag="auth",
    roles=None,
    body=schemas.LoginIn,
    response=schemas.LoginOut,
    errors=(401, 429),
)
def login() -> Response:
    identity = (_request().context or {}).get("identity") or {}
    source_ip = str(identity.get("sourceIp") or "")
    return json_response(users.login(_body(), source_ip=source_ip), 200, NO_STORE)


@route("POST", "/v1/auth/logout", summary="End the login session of this token", tag="auth", roles=ANY_USER, status=204)
def logout() -> Response:
    users.logout(_principal(*ANY_USER))
    return empty_response(204)


@route("GET", "/v1/users/me", summary="Who am I", tag="users", roles=ANY_USER, response=schemas.MeOut)
def me() -> dict[str, Any]:
    return users.me(_principal(*ANY_USER))


# --- plans (provider) ------------------------------------------------------------------------------
@route("GET", "/v1/plans", summary="List plans", tag="plans", roles=ANY_USER, response=schemas.PlanList)
def list_plans() -> dict[str, Any]:
    _principal(*ANY_USER)
    return plans.list_plans()


@route(
    "POST", "/v1/plans", summary="Add a plan", tag="plans", roles=PROVIDER, body=schemas.PlanCreate,
    status=201, response=schemas.PlanOut,
)  # fmt: skip
def create_plan() -> Response:
    _principal(*PROVIDER)
    return _created(plans.create(_body()))


@route(
    "GET", "/v1/plans/{name}", summary="One plan", tag="plans", roles=ANY_USER, response=schemas.PlanOut,
    patterns={"name": schemas.PLAN_PATTERN},
)  # fmt: skip
def get_plan(name: str) -> dict[str, Any]:
    _principal(*ANY_USER)
    return plans.get(name)


@route(
    "PATCH", "/v1/plans/{name}", summary="Change a plan (applied to its tenants)", tag="plans", roles=PROVIDER,
    body=schemas.PlanUpdate, response=schemas.PlanOut, patterns={"name": schemas.PLAN_PATTERN},
)  # fmt: skip
def update_plan(name: str) -> dict[str, Any]:
    _principal(*PROVIDER)
    return plans.update(name, _body())


@route(
    "DELETE", "/v1/plans/{name}", summary="Delete an unused plan", tag="plans", roles=PROVIDER, status=204,
    patterns={"name": schemas.PLAN_PATTERN},
)  # fmt: skip
def delete_plan(name: str) -> Response:
    _principal(*PROVIDER)
    plans.delete(name)
    return empty_response(204)


# --- tenants ---------------------------------------------------------------------------------------
@route(
    "POST", "/v1/tenants", summary="Create a tenant", tag="tenants", roles=PROVIDER, body=schemas.TenantCreate,
    status=201, response=schemas.TenantOut,
)  # fmt: skip
def create_tenant() -> Response:
    _principal(*PROVIDER)
    return _created(tenants.create_tenant(_body()))


@route(
    "GET", "/v1/tenants", summary="List tenants (a tenant user sees its own)", tag="tenants", roles=ANY_USER,
    query=schemas.ListQuery, response=schemas.TenantList,
)  # fmt: skip
def list_tenants() -> dict[str, Any]:
    principal = _principal(*ANY_USER)
    q = _query(schemas.ListQuery)
    if principal.role == auth.PROVIDER_ADMIN:
        return tenants.list_tenants(limit=q.limit, cursor=q.cursor)
    assert principal.tenant_id
    return {"items": [tenants.get_tenant(principal.tenant_id)], "next": None}


def _own_tenant(principal: auth.Principal, tenant_id: str) -> None:
    if principal.role != auth.PROVIDER_ADMIN and principal.tenant_id != tenant_id:
        raise NotFound("tenant not found")  # another tenant's id: not found, never forbidden


@route(
    "GET", "/v1/tenants/{tenant_id}", summary="One tenant", tag="tenants", roles=ANY_USER,
    response=schemas.TenantOut, patterns={"tenant_id": TENANT_ID},
)  # fmt: skip
def get_tenant(tenant_id: str) -> dict[str, Any]:
    principal = _principal(*ANY_USER)
    _own_tenant(principal, tenant_id)
    return tenants.get_tenant(tenant_id)


@route(
    "PATCH", "/v1/tenants/{tenant_id}",
    summary="Change a tenant (plan, status, limits, policies; a tenant admin only its own settings)",
    tag="tenants", roles=(auth.PROVIDER_ADMIN, auth.TENANT_ADMIN), body=schemas.TenantUpdate,
    response=schemas.TenantOut, patterns={"tenant_id": TENANT_ID},
)  # fmt: skip
def update_tenant(tenant_id: str) -> dict[str, Any]:
    principal = _principal(auth.PROVIDER_ADMIN, auth.TENANT_ADMIN)
    _own_tenant(principal, tenant_id)
    return tenants.update_tenant(tenant_id, _body(), by_provider=principal.role == auth.PROVIDER_ADMIN)


@route(
    "POST", "/v1/tenants/{tenant_id}/admin-tokens", summary="Issue a tenant admin token (12 h)", tag="tenants",
    roles=PROVIDER, status=201, response=schemas.TokenOut, patterns={"tenant_id": TENANT_ID},
)  # fmt: skip
def create_admin_token(tenant_id: str) -> Response:
    _principal(*PROVIDER)
    tenant = tenants.require_tenant(tenant_id)
    token = auth.mint(
        settings.jwt_secret(), auth.TENANT_ADMIN, tenant_id=tenant.tenant_id, ttl_s=auth.TENANT_ADMIN_TTL_S
    )
    logger.info("tenant admin token issued", extra={"tenant_id": tenant.tenant_id})
    return json_response({"token": token}, 201, NO_STORE)


# --- export, import and offboarding (S6) --------------------------------------------------------
TENANT_OWNERS = (auth.PROVIDER_ADMIN, auth.TENANT_ADMIN)


def _tenant_owner(tenant_id: str) -> auth.Principal:
    """The provider, or an admin of this very tenant (another tenant's id: 404); no API keys."""
    principal = _principal(*TENANT_OWNERS)
    _own_tenant(principal, tenant_id)
    if principal.key_id:
        raise Forbidden("API keys cannot export tenants or read their jobs")
    return principal


@route(
    "POST", "/v1/tenants/{tenant_id}/export",
    summary="Export the tenant (configuration without secrets, CDRs, recordings) as one zip: a job",
    tag="tenants", roles=TENANT_OWNERS, status=202, response=schemas.JobOut, patterns={"tenant_id": TENANT_ID},
    description="Poll `GET /v1/tenants/{tenant_id}/jobs/{job_id}`; a finished export has a 15-minute download "
    "link. 409 while another export or a deletion of the tenant runs.",
)  # fmt: skip
def export_tenant(tenant_id: str) -> Response:
    principal = _tenant_owner(tenant_id)
    return json_response(export.start_export(tenant_id, by=principal.sub), 202, NO_STORE)


@route(
    "GET", "/v1/tenants/{tenant_id}/jobs", summary="The tenant's export, import and deletion jobs, newest first",
    tag="tenants", roles=TENANT_OWNERS, response=schemas.JobList, patterns={"tenant_id": TENANT_ID},
)  # fmt: skip
def list_tenant_jobs(tenant_id: str) -> Response:
    _tenant_owner(tenant_id)
    return json_response(export.list_jobs(tenant_id), 200, NO_STORE)


@route(
    "GET", "/v1/tenants/{tenant_id}/jobs/{job_id}", summary="One job: status, counts, download link of an export",
    tag="tenants", roles=TENANT_OWNERS, response=schemas.JobOut,
    patterns={"tenant_id": TENANT_ID, "job_id": ID},
)  # fmt: skip
def get_tenant_job(tenant_id: str, job_id: str) -> Response:
    _tenant_owner(tenant_id)
    return json_response(export.get_job(tenant_id, job_id), 200, NO_STORE)


@route(
    "POST", "/v1/tenants/import-uploads", summary="A one-hour upload URL (PUT) for an archive made elsewhere",
    tag="tenants", roles=PROVIDER, status=201, response=schemas.UploadOut,
)  # fmt: skip
def create_import_upload() -> Response:
    _principal(*PROVIDER)
    return json_response(export.upload_url(), 201, NO_STORE)


@route(
    "POST", "/v1/tenants/import", summary="Recreate a tenant from an export archive (a job)", tag="tenants",
    roles=PROVIDER, body=schemas.ImportIn, status=202, response=schemas.JobOut,
    description="The archive is checked first: 400 for a damaged or foreign archive (the message says what is "
    "wrong), 409 when its domain, tenant id (keep_id), numbers or e-mails are taken here. The job is the new "
    "tenant's: `GET /v1/tenants/{id}/jobs/{job_id}`.",
)  # fmt: skip
def import_tenant() -> Response:
    principal = _principal(*PROVIDER)
    return json_response(export.start_import(_body(), by=principal.sub), 202, NO_STORE)


@route(
    "DELETE", "/v1/tenants/{tenant_id}",
    summary="Offboard a tenant: delete its items, recordings and credentials (a job)", tag="tenants",
    roles=PROVIDER, query=schemas.DeleteQuery, status=202, response=schemas.JobOut,
    patterns={"tenant_id": TENANT_ID},
    description="Without force=true the tenant must be suspended and exported since (409 otherwise). Its jobs "
    "and export archives stay (30 days).",
)  # fmt: skip
def delete_tenant(tenant_id: str) -> Response:
    principal = _principal(*PROVIDER)
    force = _query(schemas.DeleteQuery).force
    return json_response(export.start_delete(tenant_id, force=force, by=principal.sub), 202, NO_STORE)


# --- branches ----------------------------------------------------------------------------------------
@route("GET", "/v1/branches", summary="List branches", tag="branches", roles=TENANT_USERS, response=schemas.BranchList)
def list_branches() -> dict[str, Any]:
    return branches.list_all(_tenant(*TENANT_USERS))


@route(
    "POST", "/v1/branches", summary="Add a branch", tag="branches", roles=ADMIN, body=schemas.BranchCreate,
    status=201, response=schemas.BranchOut,
)  # fmt: skip
def create_branch() -> Response:
    return _created(branches.create(_tenant(), _body()))


@route(
    "GET", "/v1/branches/{branch_id}", summary="One branch", tag="branches", roles=TENANT_USERS,
    response=schemas.BranchOut, patterns={"branch_id": ID},
)  # fmt: skip
def get_branch(branch_id: str) -> dict[str, Any]:
    return branches.get(_tenant(*TENANT_USERS), branch_id)


@route(
    "PATCH", "/v1/branches/{branch_id}", summary="Change a branch", tag="branches", roles=ADMIN,
    body=schemas.BranchUpdate, response=schemas.BranchOut, patterns={"branch_id": ID},
)  # fmt: skip
def update_branch(branch_id: str) -> dict[str, Any]:
    return branches.update(_tenant(), branch_id, _body())


@route(
    "DELETE", "/v1/branches/{branch_id}", summary="Delete a branch without extensions", tag="branches",
    roles=ADMIN, status=204, patterns={"branch_id": ID},
)  # fmt: skip
def delete_branch(branch_id: str) -> Response:
    branches.delete(_tenant(), branch_id)
    return empty_response(204)


# --- extensions ------------------------------------------------------------------------------------
@route(
    "POST", "/v1/extensions", summary="Add an extension (password generated, never shown)", tag="extensions",
    roles=ADMIN, body=schemas.ExtensionCreate, status=201, response=schemas.ExtensionOut,
)  # fmt: skip
def create_extension() -> Response:
    return _created(extensions.create_extension(_tenant(), _body()))


@route(
    "GET", "/v1/extensions", summary="List extensions", tag="extensions", roles=TENANT_USERS,
    response=schemas.ExtensionList,
)  # fmt: skip
def list_extensions() -> dict[str, Any]:
    return extensions.list_extensions(_tenant(*TENANT_USERS))


@route(
    "GET", "/v1/extensions/{number}", summary="One extension", tag="extensions", roles=TENANT_USERS,
    response=schemas.ExtensionOut, patterns={"number": EXT},
)  # fmt: skip
def get_extension(number: str) -> dict[str, Any]:
    return extensions.get_extension(_tenant(*TENANT_USERS), number)


@route(
    "PATCH", "/v1/extensions/{number}", summary="Change an extension", tag="extensions", roles=ADMIN,
    body=schemas.ExtensionUpdate, response=schemas.ExtensionOut, patterns={"number": EXT},
)  # fmt: skip
def update_extension(number: str) -> dict[str, Any]:
    return extensions.update_extension(_tenant(), number, _body())


@route(
    "DELETE", "/v1/extensions/{number}", summary="Delete an extension nothing refers to", tag="extensions",
    roles=ADMIN, status=204, patterns={"number": EXT},
)  # fmt: skip
def delete_extension(number: str) -> Response:
    extensions.delete_extension(_tenant(), number)
    return empty_response(204)


@route(
    "POST", "/v1/extensions/{number}/provisioning",
    summary="One-time provisioning link (15 min) and softphone QR payload", tag="provisioning", roles=ADMIN,
    status=201, response=schemas.ProvisioningLinkOut, patterns={"number": EXT},
)  # fmt: skip
def create_provisioning(number: str) -> Response:
    tenant_id = _tenant()
    return _created(provisioning.create_link(tenant_id, number, _base_url()), NO_STORE)


@route(
    "POST", "/v1/extensions/{number}/rotate-password",
    summary="Rotate the SIP password now; its devices are marked for re-provisioning", tag="extensions",
    roles=ADMIN, response=schemas.RotationOut, patterns={"number": EXT},
)  # fmt: skip
def rotate_extension_password(number: str) -> dict[str, Any]:
    marked = extensions.rotate_password(_tenant(), number)
    return {"rotated": 1, "devices_marked": marked}


@route(
    "GET", "/provision/{token}", summary="Redeem a one-time provisioning link (credentials, once)",
    tag="provisioning", roles=None, response=schemas.ProvisioningOut, errors=(404,),
)  # fmt: skip
def redeem_provisioning(token: str) -> Response:
    return json_response(provisioning.redeem(token), 200, NO_STORE)


# --- devices -----------------------------------------------------------------------------------------
@route("GET", "/v1/devices", summary="List devices", tag="devices", roles=ADMIN, response=schemas.DeviceList)
def list_devices() -> dict[str, Any]:
    return devices.list_all(_tenant())


@route(
    "POST", "/v1/devices", summary="Register a desk phone (vendor, model, MAC)", tag="devices", roles=ADMIN,
    body=schemas.DeviceCreate, status=201, response=schemas.DeviceOut,
)  # fmt: skip
def create_device() -> Response:
    return _created(devices.create(_tenant(), _body()))


@route(
    "GET", "/v1/devices/{device_id}", summary="One device", tag="devices", roles=ADMIN,
    response=schemas.DeviceOut, patterns={"device_id": ID},
)  # fmt: skip
def get_device(device_id: str) -> dict[str, Any]:
    return devices.get(_tenant(), device_id)


@route(
    "PATCH", "/v1/devices/{device_id}", summary="Change a device", tag="devices", roles=ADMIN,
    body=schemas.DeviceUpdate, response=schemas.DeviceOut, patterns={"device_id": ID},
)  # fmt: skip
def update_device(device_id: str) -> dict[str, Any]:
    return devices.update(_tenant(), device_id, _body())


@route(
    "DELETE", "/v1/devices/{device_id}", summary="Delete a device (its provisioning URL stops working)",
    tag="devices", roles=ADMIN, status=204, patterns={"device_id": ID},
)  # fmt: skip
def delete_device(device_id: str) -> Response:
    devices.delete(_tenant(), device_id)
    return empty_response(204)


@route(
    "POST", "/v1/devices/{device_id}/provisioning",
    summary="A new per-device provisioning URL (the previous one is revoked)", tag="provisioning", roles=ADMIN,
    status=201, response=schemas.DeviceTokenOut, patterns={"device_id": ID},
)  # fmt: skip
def create_device_provisioning(device_id: str) -> Response:
    tenant_id = _tenant()
    return _created(devices.issue_token(tenant_id, device_id, _base_url()), NO_STORE)


@route(
    "GET", "/provision/d/{token}/{filename}", summary="A desk phone's config file (Yealink, Grandstream, Fanvil)",
    tag="provisioning", roles=None, media="text/plain", errors=(404,),
)  # fmt: skip
def device_config(token: str, filename: str) -> Response:
    content_type, text = devices.config_file(token, filename)
    return Response(body=text, status_code=200, headers={"Content-Type": content_type, **NO_STORE})


# --- trunks ------------------------------------------------------------------------------------------
@route("GET", "/v1/trunks", summary="List carrier trunks", tag="trunks", roles=ADMIN, response=schemas.TrunkList)
def list_trunks() -> dict[str, Any]:
    return trunks.list_all(_tenant())


@route(
    "POST", "/v1/trunks", summary="Add a carrier trunk (password write-only)", tag="trunks", roles=ADMIN,
    body=schemas.TrunkCreate, status=201, response=schemas.TrunkOut,
)  # fmt: skip
def create_trunk() -> Response:
    return _created(trunks.create(_tenant(), _body()))


@route(
    "GET", "/v1/trunks/{trunk_id}", summary="One trunk", tag="trunks", roles=ADMIN, response=schemas.TrunkOut,
    patterns={"trunk_id": ID},
)  # fmt: skip
def get_trunk(trunk_id: str) -> dict[str, Any]:
    return trunks.get(_tenant(), trunk_id)


@route(
    "PATCH", "/v1/trunks/{trunk_id}", summary="Change a trunk", tag="trunks", roles=ADMIN,
    body=schemas.TrunkUpdate, response=schemas.TrunkOut, patterns={"trunk_id": ID},
)  # fmt: skip
def update_trunk(trunk_id: str) -> dict[str, Any]:
    return trunks.update(_tenant(), trunk_id, _body())


@route(
    "DELETE", "/v1/trunks/{trunk_id}", summary="Delete a trunk without numbers", tag="trunks", roles=ADMIN,
    status=204, patterns={"trunk_id": ID},
)  # fmt: skip
def delete_trunk(trunk_id: str) -> Response:
    trunks.delete(_tenant(), trunk_id)
    return empty_response(204)


# --- numbers (DIDs) ----------------------------------------------------------------------------------
@route(
    "GET", "/v1/numbers", summary="List numbers (DIDs)", tag="numbers", roles=TENANT_USERS, response=schemas.NumberList
)
def list_numbers() -> dict[str, Any]:
    return dids.list_all(_tenant(*TENANT_USERS))


@route(
    "POST", "/v1/numbers", summary="Add a number on a trunk, routed to an extension", tag="numbers", roles=ADMIN,
    body=schemas.NumberCreate, status=201, response=schemas.NumberOut,
)  # fmt: skip
def create_number() -> Response:
    return _created(dids.create(_tenant(), _body()))


@route(
    "GET", "/v1/numbers/{number}", summary="One number", tag="numbers", roles=TENANT_USERS,
    response=schemas.NumberOut, patterns={"number": r"^(0[0-9]{9,10}|1[89]00[0-9]{4,6})$"},
)  # fmt: skip
def get_number(number: str) -> dict[str, Any]:
    return dids.get(_tenant(*TENANT_USERS), number)


@route(
    "PATCH", "/v1/numbers/{number}", summary="Change a number's trunk or route", tag="numbers", roles=ADMIN,
    body=schemas.NumberUpdate, response=schemas.NumberOut,
    patterns={"number": r"^(0[0-9]{9,10}|1[89]00[0-9]{4,6})$"},
)  # fmt: skip
def update_number(number: str) -> dict[str, Any]:
    return dids.update(_tenant(), number, _body())


@route(
    "DELETE", "/v1/numbers/{number}", summary="Remove a number (not while it is a caller id)", tag="numbers",
    roles=ADMIN, status=204, patterns={"number": r"^(0[0-9]{9,10}|1[89]00[0-9]{4,6})$"},
)  # fmt: skip
def delete_number(number: str) -> Response:
    dids.delete(_tenant(), number)
    return empty_response(204)


# --- block list --------------------------------------------------------------------------------------
@route(
    "GET", "/v1/blocklist", summary="List block rules", tag="blocklist", roles=STAFF, query=schemas.BlockQuery,
    response=schemas.BlockList,
)  # fmt: skip
def list_blocklist() -> dict[str, Any]:
    tenant_id = _tenant(*STAFF)
    return blocklist.list_all(tenant_id, _query(schemas.BlockQuery))


@route(
    "POST", "/v1/blocklist", summary="Block a number or prefix (in, out or both)", tag="blocklist", roles=ADMIN,
    body=schemas.BlockCreate, status=201, response=schemas.BlockOut,
)  # fmt: skip
def create_block() -> Response:
    return _created(blocklist.create(_tenant(), _body()))


@route(
    "GET", "/v1/blocklist/{rule_id}", summary="One block rule", tag="blocklist", roles=STAFF,
    response=schemas.BlockOut, patterns={"rule_id": ID},
)  # fmt: skip
def get_block(rule_id: str) -> dict[str, Any]:
    return blocklist.get(_tenant(*STAFF), rule_id)


@route(
    "PATCH", "/v1/blocklist/{rule_id}", summary="Change a block rule", tag="blocklist", roles=ADMIN,
    body=schemas.BlockUpdate, response=schemas.BlockOut, patterns={"rule_id": ID},
)  # fmt: skip
def update_block(rule_id: str) -> dict[str, Any]:
    return blocklist.update(_tenant(), rule_id, _body())


@route(
    "DELETE", "/v1/blocklist/{rule_id}", summary="Delete a block rule", tag="blocklist", roles=ADMIN,
    status=204, patterns={"rule_id": ID},
)  # fmt: skip
def delete_block(rule_id: str) -> Response:
    blocklist.delete(_tenant(), rule_id)
    return empty_response(204)


# --- users and API keys ------------------------------------------------------------------------------
USER_ADMINS = (auth.PROVIDER_ADMIN, auth.TENANT_ADMIN)


def _user_scope() -> tuple[str | None, auth.Principal]:
    """Users of the caller's scope: the provider's for provider admins, else the tenant's."""
    principal = _principal(*USER_ADMINS)
    if principal.key_id:
        raise Forbidden("API keys cannot manage users")
    return principal.tenant_id, principal


@route("GET", "/v1/users", summary="List users", tag="users", roles=USER_ADMINS, response=schemas.UserList)
def list_users() -> dict[str, Any]:
    scope, _ = _user_scope()
    return users.list_all(scope)


@route(
    "POST", "/v1/users", summary="Add a user (login with e-mail and password)", tag="users", roles=USER_ADMINS,
    body=schemas.UserCreate, status=201, response=schemas.UserOut,
)  # fmt: skip
def create_user() -> Response:
    scope, _ = _user_scope()
    return _created(users.create(scope, _body()))


@route(
    "GET", "/v1/users/{user_id}", summary="One user", tag="users", roles=USER_ADMINS, response=schemas.UserOut,
    patterns={"user_id": ID},
)  # fmt: skip
def get_user(user_id: str) -> dict[str, Any]:
    scope, _ = _user_scope()
    return users.get(scope, user_id)


@route(
    "PATCH", "/v1/users/{user_id}", summary="Change a user (role, password, status, extension)", tag="users",
    roles=USER_ADMINS, body=schemas.UserUpdate, response=schemas.UserOut, patterns={"user_id": ID},
)  # fmt: skip
def update_user(user_id: str) -> dict[str, Any]:
    scope, principal = _user_scope()
    return users.update(scope, user_id, _body(), caller_sub=principal.sub)


@route(
    "DELETE", "/v1/users/{user_id}", summary="Delete a user", tag="users", roles=USER_ADMINS, status=204,
    patterns={"user_id": ID},
)  # fmt: skip
def delete_user(user_id: str) -> Response:
    scope, principal = _user_scope()
    users.delete(scope, user_id, caller_sub=principal.sub)
    return empty_response(204)


def _key_admin() -> str:
    principal = _principal(*ADMIN)
    if principal.key_id:
        raise Forbidden("API keys cannot manage API keys")
    return principal.require_tenant()


@route("GET", "/v1/api-keys", summary="List API keys", tag="users", roles=ADMIN, response=schemas.ApiKeyList)
def list_api_keys() -> dict[str, Any]:
    return users.list_keys(_key_admin())


@route(
    "POST", "/v1/api-keys", summary="Create an API key (shown once)", tag="users", roles=ADMIN,
    body=schemas.ApiKeyCreate, status=201, response=schemas.ApiKeyCreated,
)  # fmt: skip
def create_api_key() -> Response:
    return _created(users.create_key(_key_admin(), _body()), NO_STORE)


@route(
    "DELETE", "/v1/api-keys/{key_id}", summary="Revoke an API key", tag="users", roles=ADMIN, status=204,
    patterns={"key_id": ID},
)  # fmt: skip
def delete_api_key(key_id: str) -> Response:
    users.delete_key(_key_admin(), key_id)
    return empty_response(204)


# --- edges -------------------------------------------------------------------------------------------
@route(
    "POST", "/v1/edges", summary="Register an edge node (token shown once)", tag="edges", roles=PROVIDER,
    body=schemas.EdgeCreate, status=201, response=schemas.EdgeCreated,
)  # fmt: skip
def create_edge() -> Response:
    _principal(*PROVIDER)
    return _created(edges.create_edge(_body()), NO_STORE)


@route("GET", "/v1/edges", summary="List edge nodes", tag="edges", roles=PROVIDER, response=schemas.EdgeList)
def list_edges() -> dict[str, Any]:
    _principal(*PROVIDER)
    return edges.list_edges()


@route(
    "GET", "/v1/edges/{edge_id}", summary="One edge node", tag="edges", roles=PROVIDER, response=schemas.EdgeOut,
    patterns={"edge_id": schemas.EDGE_PATTERN},
)  # fmt: skip
def get_edge(edge_id: str) -> dict[str, Any]:
    _principal(*PROVIDER)
    return edges.get_edge(edge_id)


@route(
    "PATCH", "/v1/edges/{edge_id}", summary="Change the tenants an edge serves (null = all)", tag="edges",
    roles=PROVIDER, body=schemas.EdgeUpdate, response=schemas.EdgeOut, patterns={"edge_id": schemas.EDGE_PATTERN},
)  # fmt: skip
def update_edge(edge_id: str) -> dict[str, Any]:
    _principal(*PROVIDER)
    return edges.update_edge(edge_id, _body())


@route(
    "DELETE", "/v1/edges/{edge_id}", summary="Delete an edge node (its token stops working)", tag="edges",
    roles=PROVIDER, status=204, patterns={"edge_id": schemas.EDGE_PATTERN},
)  # fmt: skip
def delete_edge(edge_id: str) -> Response:
    _principal(*PROVIDER)
    edges.delete_edge(edge_id)
    return empty_response(204)


@route(
    "POST", "/v1/edges/{edge_id}/token", summary="Rotate an edge's token (older ones stop working)",
    tag="edges", roles=PROVIDER, status=201, response=schemas.TokenOut, patterns={"edge_id": schemas.EDGE_PATTERN},
)  # fmt: skip
def rotate_edge_token(edge_id: str) -> Response:
    _principal(*PROVIDER)
    return _created(edges.rotate_token(edge_id), NO_STORE)


@route(
    "GET", "/edge/v1/snapshot", summary="The edge's configuration snapshot (ETag / If-None-Match)", tag="edge",
    roles=EDGE, errors=(304, 409),
)  # fmt: skip
def edge_snapshot() -> Response:
    edge_id = _principal(*EDGE).require_edge()
    version = edges.current_version(edge_id)  # per edge: only its tenants' changes count
    etag = edges.etag(version)
    headers = {"ETag": etag, **NO_STORE}
    if edges.etag_matches(_request().headers.get("if-none-match"), version):
        return empty_response(304, headers)
    snap = edges.build_snapshot(edge_id, version)
    return json_response(snap.to_dict(), 200, headers)


@route(
    "POST", "/edge/v1/cdrs", summary="Post one CDR (idempotent by tenant and call id)", tag="edge", roles=EDGE,
    body=schemas.CdrOut, status=201, response=schemas.CdrIngestOut,
    description="201 when stored, 200 with status=duplicate for a repeat.",
)  # fmt: skip
def edge_post_cdr() -> Response:
    edge_id = _principal(*EDGE).require_edge()
    record, created = cdrs.ingest_from_edge(_body(), edge_id=edge_id, lambda_context=app.lambda_context)
    if created:
        return json_response({"call_id": record.call_id, "status": "created"}, 201)
    return json_response({"call_id": record.call_id, "status": "duplicate"}, 200)


# --- CDRs --------------------------------------------------------------------------------------------
def _cdr_scope() -> tuple[str, str | None]:
    """(tenant, forced extension): agents see only the calls of their own extension."""
    principal = _principal(*TENANT_USERS)
    tenant_id = principal.require_tenant(*TENANT_USERS)
    if principal.role != auth.AGENT:
        return tenant_id, None
    ext = users.agent_extension(principal)
    if not ext:
        raise Forbidden("an agent needs an extension to see calls")
    return tenant_id, ext


@route(
    "GET", "/v1/cdrs", summary="Search calls (time range, extension, number, direction, disposition)",
    tag="cdrs", roles=TENANT_USERS, query=schemas.CdrQuery, response=schemas.CdrLocalList,
)  # fmt: skip
def list_cdrs() -> dict[str, Any]:
    tenant_id, ext = _cdr_scope()
    return cdrs.search(tenant_id, _query(schemas.CdrQuery), extension=ext)


@route(
    "GET", "/v1/cdrs/export", summary="Export matching calls as CSV (small exports: at most 5 MiB)", tag="cdrs",
    roles=STAFF, query=schemas.CdrExportQuery, media="text/csv", errors=(413,),
    description="The CSV in the answer, for exports that fit in one API response (API Gateway and Lambda carry "
    f"at most 6 MB): past {cdrs.DIRECT_MAX_BYTES // 2**20} MiB, about 14,000 calls, it answers 413 "
    "`export_too_large`. `POST /v1/cdrs/export.csv` takes the same query and answers with a download link of "
    "the same bytes, for up to 100,000 calls.",
)  # fmt: skip
def export_cdrs() -> Response:
    tenant_id = _tenant(*STAFF)
    text = cdrs.export_csv(tenant_id, _query(schemas.CdrExportQuery))
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="calls.csv"',
    }
    return Response(body=text, status_code=200, headers=headers)


@route(
    "POST", "/v1/cdrs/export.xlsx", summary="Export matching calls as an Excel workbook: a 5-minute download link",
    tag="cdrs", roles=STAFF, query=schemas.CdrXlsxQuery, status=201, response=schemas.CdrReportOut,
    description="The CSV export's filters and limit (default 10,000, at most 100,000 calls, newest first; "
    "`truncated` when more matched), times in the tenant's time zone, headers in `lang` (en, vi). The workbook "
    f"is kept {cdr_reports.KEPT_DAYS} days: `GET /v1/cdrs/export.xlsx/{{report_id}}` signs a new link. The export "
    "runs in the request (API Gateway allows 29 s): export a large range in slices.",
)  # fmt: skip
def export_cdrs_xlsx() -> Response:
    tenant_id = _tenant(*STAFF)
    return json_response(cdr_reports.create(tenant_id, _query(schemas.CdrXlsxQuery)), 201, NO_STORE)


@route(
    "GET", "/v1/cdrs/export.xlsx/{report_id}",
    summary=f"A new 5-minute link to an Excel export (kept {cdr_reports.KEPT_DAYS} days)", tag="cdrs",
    roles=STAFF, response=schemas.CdrReportOut, patterns={"report_id": ID},
)  # fmt: skip
def get_cdr_report(report_id: str) -> Response:
    return json_response(cdr_reports.link(_tenant(*STAFF), report_id), 200, NO_STORE)


@route(
    "POST", "/v1/cdrs/export.csv", summary="Export matching calls as CSV to a file: a 5-minute download link",
    tag="cdrs", roles=STAFF, query=schemas.CdrExportQuery, status=201, response=schemas.CdrCsvReportOut,
    description="`GET /v1/cdrs/export`'s query and bytes (same columns and order, UTF-8, no BOM) for any size "
    "up to `limit` (default 10,000, at most 100,000 calls, newest first; `truncated` when more matched). The file "
    f"is kept {cdr_reports.KEPT_DAYS} days: `GET /v1/cdrs/export.csv/{{report_id}}` signs a new link. The export "
    "runs in the request (API Gateway allows 29 s): export a large range in slices.",
)  # fmt: skip
def export_cdrs_csv() -> Response:
    tenant_id = _tenant(*STAFF)
    return json_response(cdr_reports.create_csv(tenant_id, _query(schemas.CdrExportQuery)), 201, NO_STORE)


@route(
    "GET", "/v1/cdrs/export.csv/{report_id}",
    summary=f"A new 5-minute link to a CSV export (kept {cdr_reports.KEPT_DAYS} days)", tag="cdrs",
    roles=STAFF, response=schemas.CdrCsvReportOut, patterns={"report_id": ID},
)  # fmt: skip
def get_cdr_csv_report(report_id: str) -> Response:
    return json_response(cdr_reports.link(_tenant(*STAFF), report_id, cdr_reports.CSV), 200, NO_STORE)


@route(
    "GET", "/v1/cdrs/{call_id}", summary="One call", tag="cdrs", roles=TENANT_USERS, response=schemas.CdrLocalOut,
)  # fmt: skip
def get_cdr(call_id: str) -> dict[str, Any]:
    tenant_id, ext = _cdr_scope()
    return cdrs.get(tenant_id, call_id, extension=ext)


@route(
    "GET", "/v1/cdrs/{call_id}/recording", summary="A 5-minute download link of the call's recording",
    tag="recordings", roles=TENANT_USERS, response=schemas.RecordingLinkOut,
    description="A presigned S3 GET (audio/ogg for opus, audio/wav for wav). 404 `not_found` when the call is "
    "not visible to the caller, 404 `recording_not_found` when it has no recording (never made, or deleted).",
)  # fmt: skip
def get_cdr_recording(call_id: str) -> Response:
    tenant_id, ext = _cdr_scope()
    return json_response(cdrs.recording_link(tenant_id, call_id, extension=ext), 200, NO_STORE)


# --- recordings and events ------------------------------------------------------------------------
@route(
    "GET", "/v1/recordings/usage", summary="Recording storage used, quota, level and full-quota policy",
    tag="recordings", roles=STAFF, response=schemas.RecordingUsage,
)  # fmt: skip
def recording_usage() -> dict[str, Any]:
    return recordings.usage(_tenant(*STAFF))


@route(
    "GET", "/v1/events", summary="The tenant's events, newest first (recording quota 80/90/100 %)",
    tag="events", roles=STAFF, query=schemas.EventQuery, response=schemas.EventList,
)  # fmt: skip
def list_events() -> dict[str, Any]:
    tenant_id = _tenant(*STAFF)
    q = _query(schemas.EventQuery)
    return recordings.events(tenant_id, limit=q.limit, cursor=q.cursor)


# --- scheduled -----------------------------------------------------------------------------------------
@app.schedule(Rate(1, unit=Rate.DAYS))
def rotate_sip_passwords(event: Any) -> dict[str, int]:
    """Daily: rotate every SIP password older than its tenant's policy (S3)."""
    try:
        return rotation.rotate_due(clock.now()).to_dict()
    finally:
        flush_metrics()


@app.schedule(Rate(15, unit=Rate.MINUTES))
def recording_housekeeping(event: Any) -> dict[str, Any]:
    """Every 15 minutes: recording retention, quota levels, delete_oldest (F7)."""
    try:
        return recordings.housekeeping(clock.now()).to_dict()
    finally:
        flush_metrics()
