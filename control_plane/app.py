"""ProBox control plane (Chalice): the wiring, and nothing else.

The JWT authorizer, the per-request log/metrics/rate-limit middleware, the domains' routes
(``core.api.mount``: one Blueprint per domain, in ``DOMAINS``), the scheduled functions and
the tenant jobs function. What each route does is in its domain's package
(``control_plane/<domain>/routes.py``); see ``control_plane/__init__.py`` for the layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NoReturn

from chalice.app import AuthRequest, AuthResponse, Chalice, Rate, Request, Response, WebsocketEvent

from control_plane.agents import routes as agents
from control_plane.blocklist import routes as blocklist
from control_plane.branches import routes as branches
from control_plane.call_notes import routes as call_notes
from control_plane.cdr_reports import routes as cdr_reports
from control_plane.cdrs import routes as cdrs
from control_plane.commands import routes as commands
from control_plane.contact_routes import routes as contact_routes
from control_plane.contacts import importer as contacts_importer
from control_plane.contacts import routes as contacts
from control_plane.core import api, clock, ratelimit
from control_plane.core.errors import RateLimited
from control_plane.core.http import error_response
from control_plane.core.log import logger
from control_plane.core.metrics import flush as flush_metrics
from control_plane.core.metrics import metrics
from control_plane.custom_fields import routes as custom_fields
from control_plane.devices import routes as devices
from control_plane.dids import routes as dids
from control_plane.edges import routes as edges
from control_plane.events import routes as events
from control_plane.extensions import routes as extensions
from control_plane.extensions import service as extensions_service
from control_plane.fraud import routes as fraud
from control_plane.live import routes as live
from control_plane.live import sockets as live_sockets
from control_plane.meta import routes as meta
from control_plane.plans import routes as plans
from control_plane.provisioning import routes as provisioning
from control_plane.queue_events import routes as queue_events
from control_plane.queue_reports import routes as queue_reports
from control_plane.queues import routes as queues
from control_plane.recordings import routes as recordings
from control_plane.recordings import service as recordings_service
from control_plane.security import routes as security
from control_plane.tenant_jobs import routes as tenant_jobs
from control_plane.tenant_jobs import service as tenant_jobs_service
from control_plane.tenants import routes as tenants
from control_plane.tenants import service as tenants_service
from control_plane.tickets import routes as tickets
from control_plane.trunks import routes as trunks
from control_plane.users import routes as users
from control_plane.users import service as users_service
from control_plane.webhooks import delivery as webhook_delivery
from control_plane.webhooks import routes as webhooks
from pbx_core.errors import Unauthorized

app = Chalice(app_name="probox")
app.experimental_feature_flags.update(["WEBSOCKETS"])  # the live WebSocket (on_ws_* below)

DOMAINS = (
    meta, users, plans, tenants, tenant_jobs, branches, extensions, provisioning, devices, trunks, dids,
    blocklist, edges, cdrs, cdr_reports, recordings, events, live, webhooks, contacts, custom_fields, tickets,
    security, commands, fraud, queues, agents, queue_events, call_notes, queue_reports,
    contact_routes,
)  # fmt: skip
_UNAUTHORIZED_BODY = b'{"error":{"code":"unauthorized","message":"missing, invalid or expired token","fields":{}}}'
_CORRELATION_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


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
        principal = users_service.resolve(auth_request.token)
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


API = api.mount(
    app,
    [domain.routes for domain in DOMAINS],
    authorizer=jwt_auth,
    resolve=users_service.resolve,
    admit=tenants_service.admit,
)


@app.schedule(Rate(1, unit=Rate.DAYS))
def rotate_sip_passwords(event: Any) -> dict[str, int]:
    """Daily: rotate every SIP password older than its tenant's policy (S3)."""
    try:
        return extensions_service.rotate_due(clock.now()).to_dict()
    finally:
        flush_metrics()


@app.schedule(Rate(15, unit=Rate.MINUTES))
def recording_housekeeping(event: Any) -> dict[str, Any]:
    """Every 15 minutes: recording retention, quota levels, delete_oldest (F7)."""
    try:
        return recordings_service.housekeeping(clock.now()).to_dict()
    finally:
        flush_metrics()


# --- the live WebSocket (API Gateway WebSocket API; locally infra/live_ws.py calls the same) ---
@app.on_ws_connect()
def ws_connect(event: WebsocketEvent) -> dict[str, Any]:
    """$connect with ``?ticket=`` (POST /v1/live/tickets); 401 refuses the connection."""
    return _ws(live_sockets.connect, event)


@app.on_ws_message()
def ws_message(event: WebsocketEvent) -> dict[str, Any]:
    """$default: ``{"action": "resume", "after": <seq>}`` or ``{"action": "ping"}``."""
    return _ws(live_sockets.message, event)


@app.on_ws_disconnect()
def ws_disconnect(event: WebsocketEvent) -> dict[str, Any]:
    return _ws(live_sockets.disconnect, event)


def _ws(handler: Callable[[dict[str, Any]], dict[str, Any]], event: WebsocketEvent) -> dict[str, Any]:
    logger.thread_safe_clear_keys()
    try:
        return handler(event.to_dict())
    except Exception:
        logger.exception("websocket handler failed")
        return {"statusCode": 500}
    finally:
        flush_metrics()
        logger.thread_safe_clear_keys()


def deliver_webhooks(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The WebhookDelivery function of template.yaml (handler ``app.deliver_webhooks``): an SQS
    batch of webhook deliveries; answers the failed ones (partial batch response)."""
    try:
        return webhook_delivery.handle(event, context)
    finally:
        flush_metrics()


def run_tenant_job(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The TenantJobs function of template.yaml (handler ``app.run_tenant_job``): runs one
    export, import or offboarding job, ``{"tenant_id": ..., "job_id": ...}``, or a contact
    import, ``{"contacts_import": {"tenant_id": ..., "import_id": ...}}``."""
    if "contacts_import" in event:
        return contacts_importer.handle(event)
    return tenant_jobs_service.handle(event)
