"""Routes of the domains: declared in each domain's ``routes.py``, mounted on the app by
``app.py`` as one Chalice Blueprint per domain.

A domain declares its routes on a ``Routes`` object (``routes = Routes(__name__)``, then
``@routes.route(...)`` on each view): method, path, roles, request and response models and
the OpenAPI text. Declaring does nothing else (no I/O, nothing registered anywhere), so a
domain never imports the app. ``mount`` builds each domain's Blueprint, giving every route
the app's authorizer and the function that resolves a bearer token to a ``Principal``
(``users.service.resolve``), and returns the ``Api`` whose OpenAPI document describes
exactly the mounted routes.

A view gets an ``ApiRequest`` and its path parameters and returns an ``Out`` model (the
answer, with the route's status), ``None`` (an empty answer: 204) or a Chalice
``Response`` (its own status, headers and media type). Domain errors become their HTTP
answer (``core.http``), anything else a logged 500.

Every view checks the caller's role itself (``req.principal(*roles)`` / ``req.tenant()``):
the authorizer has already checked the token, and checking again is cheap, exact about
expiry and revocation despite API Gateway's authorizer cache, and keeps a route safe if it
were wired without it. Tenant routes take the tenant from the token, never from the path,
body or query. A tenant user's request that changes something is also ``admit``ted
(``tenants.service.admit``: a suspended tenant may read and export, nothing else) unless
its route is declared ``while_suspended``.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from chalice.app import Blueprint, Chalice, ChaliceAuthorizer, Request, Response
from pydantic import BaseModel

from control_plane.core import auth, openapi, schemas, settings
from control_plane.core.http import empty_response, error_response, internal_error, json_response, parse_json_object
from control_plane.core.log import logger
from control_plane.core.metrics import count
from pbx_core.errors import PbxError

PROVIDER = (auth.PROVIDER_ADMIN,)
ADMIN = (auth.TENANT_ADMIN,)
STAFF = (auth.TENANT_ADMIN, auth.SUPERVISOR)
TENANT_USERS = auth.TENANT_ROLES
ANY_USER = (auth.PROVIDER_ADMIN, *auth.TENANT_ROLES)
TENANT_OWNERS = (auth.PROVIDER_ADMIN, auth.TENANT_ADMIN)
EDGE = (auth.EDGE,)
NO_STORE = {"Cache-Control": "no-store"}

M = TypeVar("M", bound=BaseModel)
V = TypeVar("V", bound=Callable[..., Any])
Resolver = Callable[[str | None], auth.Principal]
Admit = Callable[[auth.Principal], None]  # raises when the caller's tenant may not change things
READS = ("GET", "HEAD")


@dataclass(frozen=True)
class Route:
    operation: openapi.Operation
    view: Callable[..., Any]
    no_store: bool  # Cache-Control: no-store on the answer (secrets, links, tokens)
    while_suspended: bool = False  # a POST that a suspended tenant may still make (reads, exports)


@dataclass
class Routes:
    """The routes of one domain, in declaration order."""

    import_name: str
    routes: list[Route] = field(default_factory=list)

    def route(
        self,
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
        no_store: bool = False,
        while_suspended: bool = False,
    ) -> Callable[[V], V]:
        """Declare a route: its OpenAPI operation and the view that answers it."""

        def declare(view: V) -> V:
            codes = set(errors) | {400}
            if roles is not None:
                codes |= {401, 403}
            if roles is not None and roles != EDGE:
                codes.add(429)  # per-tenant / per-caller rate limit (core.ratelimit)
            if "{" in path or (roles and set(roles) & set(TENANT_USERS)):
                codes.add(404)
            if method in ("POST", "PATCH", "DELETE") and roles is not None:
                codes.add(409)
            operation = openapi.Operation(
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
            self.routes.append(Route(operation, view, no_store, while_suspended))
            return view

        return declare


@dataclass(frozen=True)
class Api:
    """The mounted routes of every domain."""

    routes: tuple[Route, ...]

    def operations(self) -> list[openapi.Operation]:
        return [r.operation for r in self.routes]

    def document(self) -> dict[str, Any]:
        return openapi.document(self.operations())


VIEWER_HEADER = "CloudFront-Viewer-Address"  # "198.51.100.10:46532", "2001:db8::1:46532"
ORIGIN_VERIFY_HEADER = "X-ProBox-Origin-Verify"  # template.yaml: CloudFront's API origin adds it


def viewer_ip(value: str) -> str | None:
    """The address in a ``CloudFront-Viewer-Address`` value (address, colon, port), or None."""
    host = value.strip().rsplit(":", 1)[0].strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class ApiRequest:
    """The request a view answers: its caller, body, query and where it came from."""

    def __init__(
        self, request: Request, *, route: Route, resolve: Resolver, admit: Admit, api: Api, app: Chalice
    ) -> None:
        self.raw = request
        self.route = route
        self.api = api
        self._resolve = resolve
        self._admit = admit
        self._app = app
        self._principal: auth.Principal | None = None

    def principal(self, *roles: str) -> auth.Principal:
        """The caller, from the bearer token (resolved once per request), with one of ``roles``."""
        if self._principal is None:
            principal = self._resolve(self.raw.headers.get("authorization"))
            if principal.tenant_id and self.raw.method not in READS and not self.route.while_suspended:
                self._admit(principal)
            self._principal = principal
        if roles:
            self._principal.require(*roles)
        return self._principal

    def tenant(self, *roles: str) -> str:
        """The caller's tenant id (tenant roles only; default tenant admins): the only
        source of tenant ids for tenant routes."""
        return self.principal().require_tenant(*(roles or ADMIN))

    def json(self, max_bytes: int | None = None) -> dict[str, Any]:
        """The body as a JSON object (at most ``max_bytes``; default ``core.http.MAX_BODY_BYTES``)."""
        if max_bytes is None:
            return parse_json_object(self.raw.raw_body)
        return parse_json_object(self.raw.raw_body, max_bytes)

    def body(self, model: type[M], message: str = "invalid request") -> M:
        """The body parsed into ``model``, or ValidationError naming each bad field."""
        return schemas.parse(model, self.json(), message)

    def query(self, model: type[M]) -> M:
        params = self.raw.query_params
        data: dict[str, Any] = {name: params[name] for name in params} if params else {}
        return schemas.parse(model, data, "invalid query")

    def header(self, name: str) -> str | None:
        value = self.raw.headers.get(name) if self.raw.headers else None
        return str(value) if value is not None else None

    @property
    def source_ip(self) -> str:
        """The client's address. Behind the console's CloudFront, API Gateway sees a CloudFront
        server, shared by every user near it: the login throttles would then count everyone
        together, and a stranger could lock all of them out. CloudFront's
        ``CloudFront-Viewer-Address`` names the real client; it is believed only with the
        origin secret CloudFront adds (``X-ProBox-Origin-Verify``), since anyone can send the
        header straight to API Gateway."""
        identity = (self.raw.context or {}).get("identity") or {}
        direct = str(identity.get("sourceIp") or "")
        viewer = self.header(VIEWER_HEADER)
        if viewer:
            expected = settings.origin_verify()
            given = self.header(ORIGIN_VERIFY_HEADER) or ""
            if expected and hmac.compare_digest(given.encode(), expected.encode()):
                return viewer_ip(viewer) or direct
        return direct

    @property
    def lambda_context(self) -> Any:
        return getattr(self._app, "lambda_context", None)

    def base_url(self) -> str:
        """Where phones reach this API: PROBOX_PUBLIC_URL, else the request's own host."""
        configured = settings.public_url()
        if configured:
            return configured
        host = self.header("host") or "localhost"
        if not re.match(r"^[A-Za-z0-9.:\[\]-]{1,255}$", host):
            host = "localhost"
        proto = self.header("x-forwarded-proto") or ("http" if host.startswith(("127.", "localhost")) else "https")
        return f"{'https' if proto == 'https' else 'http'}://{host}"


def mount(
    app: Chalice, domains: Sequence[Routes], *, authorizer: ChaliceAuthorizer, resolve: Resolver, admit: Admit
) -> Api:
    """Register every domain's routes on ``app`` (one Blueprint each); the API they make up."""
    api = Api(tuple(route for domain in domains for route in domain.routes))
    for domain in domains:
        blueprint = Blueprint(domain.import_name)
        for route in domain.routes:
            op = route.operation
            handler = _handler(blueprint, route, resolve, admit, api)
            if op.roles is None:
                blueprint.route(op.path, methods=[op.method])(handler)
            else:
                blueprint.route(op.path, methods=[op.method], authorizer=authorizer)(handler)
        app.register_blueprint(blueprint)
    return api


def _handler(blueprint: Blueprint, route: Route, resolve: Resolver, admit: Admit, api: Api) -> Callable[..., Response]:
    @functools.wraps(route.view)
    def handler(**params: str) -> Response:
        try:
            req = ApiRequest(
                blueprint.current_request, route=route, resolve=resolve, admit=admit, api=api, app=blueprint.current_app
            )
            return _answer(route, route.view(req, **params))
        except PbxError as exc:
            if exc.code not in ("not_found", "validation_failed"):
                logger.info("request refused", extra={"error_code": exc.code})
            return error_response(exc)
        except Exception:
            logger.exception("unhandled error")
            count("ServerError")
            return internal_error()

    return handler


def _answer(route: Route, result: Any) -> Response:
    if isinstance(result, Response):
        return result
    headers = NO_STORE if route.no_store else None
    if result is None:
        return empty_response(route.operation.status, headers)
    body = result.model_dump(mode="json") if isinstance(result, BaseModel) else result
    return json_response(body, route.operation.status, headers)
