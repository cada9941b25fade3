"""ProBox control plane (Chalice): routes, the JWT authorizer, per-request log context.

Thin on purpose: each view checks the caller's role, takes the tenant from the token (never
from the body or the query) and calls a domain module in ``chalicelib``. Domain errors
become HTTP answers in ``chalicelib.http``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from chalice.app import AuthRequest, AuthResponse, Chalice, MultiDict, Request, Response
from chalicelib import auth, cdrs, edges, extensions, provisioning, settings, tenants
from chalicelib.http import empty_response, handle_errors, json_response, parse_json_object
from chalicelib.log import logger

from pbx_core.errors import NotFound, Unauthorized

app = Chalice(app_name="probox")

_UNAUTHORIZED_BODY = b'{"error":{"code":"unauthorized","message":"missing, invalid or expired token","fields":{}}}'


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
    """Verify ``Authorization: Bearer <jwt>``; the context carries role, tenant and edge ids."""
    try:
        principal = auth.verify_header(settings.jwt_secret(), auth_request.token)
    except Unauthorized:
        _gateway_unauthorized()
    # Roles are enforced in the views, so the policy allows every route: API Gateway caches
    # the policy per token and would otherwise apply one route's answer to the others.
    return AuthResponse(routes=["*"], principal_id=principal.sub, context=principal.context())


@app.middleware("http")
def request_log_context(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Tenant (from the authorizer) and request keys on every log line of this request only."""
    authorizer: dict[str, Any] = (event.context or {}).get("authorizer") or {}
    logger.thread_safe_clear_keys()
    keys = {
        "tenant_id": authorizer.get("tenant_id") or None,
        "role": authorizer.get("role") or None,
        "edge_id": authorizer.get("edge_id") or None,
        "request_id": (event.context or {}).get("requestId"),
        "route": (event.context or {}).get("resourcePath"),
        "method": event.method,
    }
    logger.thread_safe_append_keys(**{k: v for k, v in keys.items() if v})
    try:
        response = get_response(event)
        logger.info("request", extra={"status": response.status_code})
        return response
    finally:
        logger.thread_safe_clear_keys()


def _request() -> Request:
    request = app.current_request
    assert request is not None
    return request


def _principal() -> auth.Principal:
    """The caller, from the bearer token.

    The authorizer has already verified it (API Gateway, chalice local and chalice.test all
    run it); verifying again is cheap, exact about expiry despite API Gateway's authorizer
    cache, and keeps a route safe should it ever be wired without the authorizer.
    """
    return auth.verify_header(settings.jwt_secret(), _request().headers.get("authorization"))


def _tenant_admin() -> str:
    """The tenant id of the calling tenant admin: the only source of tenant ids."""
    return _principal().require_tenant()


def _query_value(query: MultiDict | None, name: str) -> str | None:
    """One query parameter (the last if repeated)."""
    if query is None or name not in query:
        return None
    value = query[name]
    return value if isinstance(value, str) else None


def _body() -> dict[str, Any]:
    return parse_json_object(_request().raw_body)


# --- health ----------------------------------------------------------------------------
@app.route("/v1/health", methods=["GET"])
@handle_errors
def health() -> dict[str, Any]:
    return {"ok": True}


# --- tenants (provider) ----------------------------------------------------------------
@app.route("/v1/tenants", methods=["POST"], authorizer=jwt_auth)
@handle_errors
def create_tenant() -> Response:
    _principal().require(auth.PROVIDER_ADMIN)
    return json_response(tenants.create_tenant(_body()), 201)


@app.route("/v1/tenants/{tenant_id}", methods=["GET"], authorizer=jwt_auth)
@handle_errors
def get_tenant(tenant_id: str) -> dict[str, Any]:
    principal = _principal()
    principal.require(auth.PROVIDER_ADMIN, auth.TENANT_ADMIN)
    if principal.role == auth.TENANT_ADMIN and principal.tenant_id != tenant_id:
        raise NotFound("tenant not found")  # another tenant's id: not found, never forbidden
    return tenants.get_tenant(tenant_id)


@app.route("/v1/tenants/{tenant_id}/admin-tokens", methods=["POST"], authorizer=jwt_auth)
@handle_errors
def create_admin_token(tenant_id: str) -> Response:
    _principal().require(auth.PROVIDER_ADMIN)
    tenant = tenants.require_tenant(tenant_id)
    token = auth.mint(
        settings.jwt_secret(), auth.TENANT_ADMIN, tenant_id=tenant.tenant_id, ttl_s=auth.TENANT_ADMIN_TTL_S
    )
    logger.info("tenant admin token issued", extra={"tenant_id": tenant.tenant_id})
    return json_response({"token": token}, 201)


# --- edges -----------------------------------------------------------------------------
@app.route("/v1/edges", methods=["POST"], authorizer=jwt_auth)
@handle_errors
def create_edge() -> Response:
    _principal().require(auth.PROVIDER_ADMIN)
    return json_response(edges.create_edge(_body()), 201)


@app.route("/edge/v1/snapshot", methods=["GET"], authorizer=jwt_auth)
@handle_errors
def edge_snapshot() -> Response:
    edge_id = _principal().require_edge()
    version = edges.current_version()
    etag = edges.etag(version)
    headers = {"ETag": etag, "Cache-Control": "no-store"}
    if edges.etag_matches(_request().headers.get("if-none-match"), version):
        return empty_response(304, headers)
    snap = edges.build_snapshot(edge_id, version)
    return json_response(snap.to_dict(), 200, headers)


@app.route("/edge/v1/cdrs", methods=["POST"], authorizer=jwt_auth)
@handle_errors
def edge_post_cdr() -> Response:
    edge_id = _principal().require_edge()
    record, created = cdrs.ingest_from_edge(_body(), edge_id=edge_id)
    if created:
        return json_response({"call_id": record.call_id, "status": "created"}, 201)
    return json_response({"call_id": record.call_id, "status": "duplicate"}, 200)


# --- extensions (tenant admin) ---------------------------------------------------------
@app.route("/v1/extensions", methods=["POST"], authorizer=jwt_auth)
@handle_errors
def create_extension() -> Response:
    tenant_id = _tenant_admin()
    return json_response(extensions.create_extension(tenant_id, _body()), 201)


@app.route("/v1/extensions", methods=["GET"], authorizer=jwt_auth)
@handle_errors
def list_extensions() -> dict[str, Any]:
    return extensions.list_extensions(_tenant_admin())


@app.route("/v1/extensions/{number}", methods=["GET"], authorizer=jwt_auth)
@handle_errors
def get_extension(number: str) -> dict[str, Any]:
    return extensions.get_extension(_tenant_admin(), number)


@app.route("/v1/extensions/{number}", methods=["DELETE"], authorizer=jwt_auth)
@handle_errors
def delete_extension(number: str) -> Response:
    extensions.delete_extension(_tenant_admin(), number)
    return empty_response(204)


@app.route("/v1/extensions/{number}/provisioning", methods=["POST"], authorizer=jwt_auth)
@handle_errors
def create_provisioning(number: str) -> Response:
    tenant_id = _tenant_admin()
    return json_response(provisioning.create_link(tenant_id, number), 201, {"Cache-Control": "no-store"})


@app.route("/provision/{token}", methods=["GET"])
@handle_errors
def redeem_provisioning(token: str) -> Response:
    return json_response(provisioning.redeem(token), 200, {"Cache-Control": "no-store"})


# --- CDRs (tenant admin) ---------------------------------------------------------------
@app.route("/v1/cdrs", methods=["GET"], authorizer=jwt_auth)
@handle_errors
def list_cdrs() -> dict[str, Any]:
    tenant_id = _tenant_admin()
    query = _request().query_params
    limit = cdrs.parse_limit(_query_value(query, "limit"))
    return cdrs.list_page(tenant_id, limit=limit, cursor=_query_value(query, "cursor"))


@app.route("/v1/cdrs/{call_id}", methods=["GET"], authorizer=jwt_auth)
@handle_errors
def get_cdr(call_id: str) -> dict[str, Any]:
    return cdrs.get(_tenant_admin(), call_id)
