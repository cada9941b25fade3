"""HTTP routes of block rules: tenant admins and supervisors read them, admins change them."""

from __future__ import annotations

from control_plane.blocklist import service
from control_plane.blocklist.schemas import BlockCreate, BlockList, BlockOut, BlockQuery, BlockUpdate
from control_plane.core.api import ADMIN, STAFF, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN

routes = Routes(__name__)
RULE_ID = {"rule_id": ID_PATTERN}


@routes.route(
    "GET", "/v1/blocklist", summary="List block rules", tag="blocklist", roles=STAFF, query=BlockQuery,
    response=BlockList,
)  # fmt: skip
def list_blocklist(req: ApiRequest) -> BlockList:
    tenant_id = req.tenant(*STAFF)
    return service.list_all(tenant_id, req.query(BlockQuery))


@routes.route(
    "POST", "/v1/blocklist", summary="Block a number or prefix (in, out or both)", tag="blocklist", roles=ADMIN,
    body=BlockCreate, status=201, response=BlockOut,
)  # fmt: skip
def create_block(req: ApiRequest) -> BlockOut:
    tenant_id = req.tenant()
    return service.create(tenant_id, req.body(BlockCreate, "invalid block rule"))


@routes.route(
    "GET", "/v1/blocklist/{rule_id}", summary="One block rule", tag="blocklist", roles=STAFF, response=BlockOut,
    patterns=RULE_ID,
)  # fmt: skip
def get_block(req: ApiRequest, rule_id: str) -> BlockOut:
    return service.get(req.tenant(*STAFF), rule_id)


@routes.route(
    "PATCH", "/v1/blocklist/{rule_id}", summary="Change a block rule", tag="blocklist", roles=ADMIN,
    body=BlockUpdate, response=BlockOut, patterns=RULE_ID,
)  # fmt: skip
def update_block(req: ApiRequest, rule_id: str) -> BlockOut:
    return service.update(req.tenant(), rule_id, req.json())


@routes.route(
    "DELETE", "/v1/blocklist/{rule_id}", summary="Delete a block rule", tag="blocklist", roles=ADMIN, status=204,
    patterns=RULE_ID,
)  # fmt: skip
def delete_block(req: ApiRequest, rule_id: str) -> None:
    service.delete(req.tenant(), rule_id)
