"""HTTP routes of tenants: the provider creates and manages them, a tenant's users read
their own (another tenant's id is 404, never 403)."""

from __future__ import annotations

from control_plane.core import auth
from control_plane.core.api import ANY_USER, PROVIDER, ApiRequest, Routes
from control_plane.core.schemas import TENANT_ID_PATTERN, ListQuery, TokenOut
from control_plane.tenants import service
from control_plane.tenants.schemas import TenantCreate, TenantList, TenantOut, TenantUpdate
from control_plane.users import service as users

routes = Routes(__name__)
TENANT_ID = {"tenant_id": TENANT_ID_PATTERN}


@routes.route(
    "POST", "/v1/tenants", summary="Create a tenant", tag="tenants", roles=PROVIDER, body=TenantCreate, status=201,
    response=TenantOut,
)  # fmt: skip
def create_tenant(req: ApiRequest) -> TenantOut:
    req.principal(*PROVIDER)
    return service.create(req.json())


@routes.route(
    "GET", "/v1/tenants", summary="List tenants (a tenant user sees its own)", tag="tenants", roles=ANY_USER,
    query=ListQuery, response=TenantList,
)  # fmt: skip
def list_tenants(req: ApiRequest) -> TenantList:
    principal = req.principal(*ANY_USER)
    q = req.query(ListQuery)
    if principal.role == auth.PROVIDER_ADMIN:
        return service.list_page(limit=q.limit, cursor=q.cursor)
    assert principal.tenant_id
    return TenantList(items=[service.get(principal.tenant_id)], next=None)


@routes.route(
    "GET", "/v1/tenants/{tenant_id}", summary="One tenant", tag="tenants", roles=ANY_USER, response=TenantOut,
    patterns=TENANT_ID,
)  # fmt: skip
def get_tenant(req: ApiRequest, tenant_id: str) -> TenantOut:
    service.own_tenant(req.principal(*ANY_USER), tenant_id)
    return service.get(tenant_id)


@routes.route(
    "PATCH", "/v1/tenants/{tenant_id}",
    summary="Change a tenant (plan, status, limits, policies; a tenant admin only its own settings)",
    tag="tenants", roles=(auth.PROVIDER_ADMIN, auth.TENANT_ADMIN), body=TenantUpdate, response=TenantOut,
    patterns=TENANT_ID,
)  # fmt: skip
def update_tenant(req: ApiRequest, tenant_id: str) -> TenantOut:
    principal = req.principal(auth.PROVIDER_ADMIN, auth.TENANT_ADMIN)
    service.own_tenant(principal, tenant_id)
    return service.update(tenant_id, req.json(), by_provider=principal.role == auth.PROVIDER_ADMIN)


@routes.route(
    "POST", "/v1/tenants/{tenant_id}/admin-tokens", summary="Issue a tenant admin token (12 h)", tag="tenants",
    roles=PROVIDER, status=201, response=TokenOut, patterns=TENANT_ID, no_store=True,
)  # fmt: skip
def create_admin_token(req: ApiRequest, tenant_id: str) -> TokenOut:
    principal = req.principal(*PROVIDER)
    tenant = service.require(tenant_id)
    token = users.issue_token(
        auth.TENANT_ADMIN, tenant_id=tenant.tenant_id, ttl_s=auth.TENANT_ADMIN_TTL_S, by=principal.sub
    )
    return TokenOut(token=token)
