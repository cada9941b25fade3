"""HTTP routes of branches: tenant users read them, tenant admins change them."""

from __future__ import annotations

from control_plane.branches import service
from control_plane.branches.schemas import BranchCreate, BranchList, BranchOut, BranchUpdate
from control_plane.core.api import ADMIN, TENANT_USERS, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN

routes = Routes(__name__)
BRANCH_ID = {"branch_id": ID_PATTERN}


@routes.route("GET", "/v1/branches", summary="List branches", tag="branches", roles=TENANT_USERS, response=BranchList)
def list_branches(req: ApiRequest) -> BranchList:
    return service.list_all(req.tenant(*TENANT_USERS))


@routes.route(
    "POST", "/v1/branches", summary="Add a branch", tag="branches", roles=ADMIN, body=BranchCreate, status=201,
    response=BranchOut,
)  # fmt: skip
def create_branch(req: ApiRequest) -> BranchOut:
    tenant_id = req.tenant()
    return service.create(tenant_id, req.body(BranchCreate, "invalid branch"))


@routes.route(
    "GET", "/v1/branches/{branch_id}", summary="One branch", tag="branches", roles=TENANT_USERS, response=BranchOut,
    patterns=BRANCH_ID,
)  # fmt: skip
def get_branch(req: ApiRequest, branch_id: str) -> BranchOut:
    return service.get(req.tenant(*TENANT_USERS), branch_id)


@routes.route(
    "PATCH", "/v1/branches/{branch_id}", summary="Change a branch", tag="branches", roles=ADMIN, body=BranchUpdate,
    response=BranchOut, patterns=BRANCH_ID,
)  # fmt: skip
def update_branch(req: ApiRequest, branch_id: str) -> BranchOut:
    return service.update(req.tenant(), branch_id, req.json())


@routes.route(
    "DELETE", "/v1/branches/{branch_id}", summary="Delete a branch without extensions", tag="branches", roles=ADMIN,
    status=204, patterns=BRANCH_ID,
)  # fmt: skip
def delete_branch(req: ApiRequest, branch_id: str) -> None:
    service.delete(req.tenant(), branch_id)
