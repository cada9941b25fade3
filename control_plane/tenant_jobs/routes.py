"""HTTP routes of tenant jobs: export (provider or the tenant's own admin), import and
offboarding (provider); the jobs of a tenant and their download links."""

from __future__ import annotations

from control_plane.core import auth
from control_plane.core.api import PROVIDER, TENANT_OWNERS, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN, TENANT_ID_PATTERN
from control_plane.tenant_jobs import service
from control_plane.tenant_jobs.schemas import DeleteQuery, ImportIn, JobList, JobOut, UploadOut
from control_plane.tenants.service import own_tenant
from pbx_core.errors import Forbidden

routes = Routes(__name__)
TENANT_ID = {"tenant_id": TENANT_ID_PATTERN}


def _tenant_owner(req: ApiRequest, tenant_id: str) -> auth.Principal:
    """The provider, or an admin of this very tenant (another tenant's id: 404); no API keys."""
    principal = req.principal(*TENANT_OWNERS)
    own_tenant(principal, tenant_id)
    if principal.key_id:
        raise Forbidden("API keys cannot export tenants or read their jobs")
    return principal


@routes.route(
    "POST", "/v1/tenants/{tenant_id}/export",
    summary="Export the tenant (configuration without secrets, CDRs, recordings) as one zip: a job",
    tag="tenants", roles=TENANT_OWNERS, status=202, response=JobOut, patterns=TENANT_ID, no_store=True,
    while_suspended=True,
    description="Poll `GET /v1/tenants/{tenant_id}/jobs/{job_id}`; a finished export has a 15-minute download "
    "link. 409 while another export or a deletion of the tenant runs.",
)  # fmt: skip
def export_tenant(req: ApiRequest, tenant_id: str) -> JobOut:
    principal = _tenant_owner(req, tenant_id)
    return service.start_export(tenant_id, by=principal.sub)


@routes.route(
    "GET", "/v1/tenants/{tenant_id}/jobs", summary="The tenant's export, import and deletion jobs, newest first",
    tag="tenants", roles=TENANT_OWNERS, response=JobList, patterns=TENANT_ID, no_store=True,
)  # fmt: skip
def list_tenant_jobs(req: ApiRequest, tenant_id: str) -> JobList:
    _tenant_owner(req, tenant_id)
    return service.list_all(tenant_id)


@routes.route(
    "GET", "/v1/tenants/{tenant_id}/jobs/{job_id}", summary="One job: status, counts, download link of an export",
    tag="tenants", roles=TENANT_OWNERS, response=JobOut, patterns={**TENANT_ID, "job_id": ID_PATTERN},
    no_store=True,
)  # fmt: skip
def get_tenant_job(req: ApiRequest, tenant_id: str, job_id: str) -> JobOut:
    _tenant_owner(req, tenant_id)
    return service.get(tenant_id, job_id)


@routes.route(
    "POST", "/v1/tenants/import-uploads", summary="A one-hour upload URL (PUT) for an archive made elsewhere",
    tag="tenants", roles=PROVIDER, status=201, response=UploadOut, no_store=True,
)  # fmt: skip
def create_import_upload(req: ApiRequest) -> UploadOut:
    req.principal(*PROVIDER)
    return service.upload_url()


@routes.route(
    "POST", "/v1/tenants/import", summary="Recreate a tenant from an export archive (a job)", tag="tenants",
    roles=PROVIDER, body=ImportIn, status=202, response=JobOut, no_store=True,
    description="The archive is checked first: 400 for a damaged or foreign archive (the message says what is "
    "wrong), 409 when its domain, tenant id (keep_id), numbers or e-mails are taken here. The job is the new "
    "tenant's: `GET /v1/tenants/{id}/jobs/{job_id}`.",
)  # fmt: skip
def import_tenant(req: ApiRequest) -> JobOut:
    principal = req.principal(*PROVIDER)
    return service.start_import(req.body(ImportIn, "invalid import"), by=principal.sub)


@routes.route(
    "DELETE", "/v1/tenants/{tenant_id}",
    summary="Offboard a tenant: delete its items, recordings and credentials (a job)", tag="tenants",
    roles=PROVIDER, query=DeleteQuery, status=202, response=JobOut, patterns=TENANT_ID, no_store=True,
    description="Without force=true the tenant must be suspended and exported since (409 otherwise). Its jobs "
    "and export archives stay (30 days).",
)  # fmt: skip
def delete_tenant(req: ApiRequest, tenant_id: str) -> JobOut:
    principal = req.principal(*PROVIDER)
    force = req.query(DeleteQuery).force
    return service.start_delete(tenant_id, force=force, by=principal.sub)
