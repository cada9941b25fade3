"""HTTP routes of trunks (tenant admins only: they carry carrier credentials)."""

from __future__ import annotations

from control_plane.core.api import ADMIN, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN
from control_plane.trunks import service
from control_plane.trunks.schemas import TrunkCreate, TrunkList, TrunkOut, TrunkUpdate

routes = Routes(__name__)
TRUNK_ID = {"trunk_id": ID_PATTERN}


@routes.route("GET", "/v1/trunks", summary="List carrier trunks", tag="trunks", roles=ADMIN, response=TrunkList)
def list_trunks(req: ApiRequest) -> TrunkList:
    return service.list_all(req.tenant())


@routes.route(
    "POST", "/v1/trunks", summary="Add a carrier trunk (password write-only)", tag="trunks", roles=ADMIN,
    body=TrunkCreate, status=201, response=TrunkOut,
)  # fmt: skip
def create_trunk(req: ApiRequest) -> TrunkOut:
    tenant_id = req.tenant()
    return service.create(tenant_id, req.body(TrunkCreate, "invalid trunk"))


@routes.route(
    "GET", "/v1/trunks/{trunk_id}", summary="One trunk", tag="trunks", roles=ADMIN, response=TrunkOut,
    patterns=TRUNK_ID,
)  # fmt: skip
def get_trunk(req: ApiRequest, trunk_id: str) -> TrunkOut:
    return service.get(req.tenant(), trunk_id)


@routes.route(
    "PATCH", "/v1/trunks/{trunk_id}", summary="Change a trunk", tag="trunks", roles=ADMIN, body=TrunkUpdate,
    response=TrunkOut, patterns=TRUNK_ID,
)  # fmt: skip
def update_trunk(req: ApiRequest, trunk_id: str) -> TrunkOut:
    return service.update(req.tenant(), trunk_id, req.json())


@routes.route(
    "DELETE", "/v1/trunks/{trunk_id}", summary="Delete a trunk without numbers", tag="trunks", roles=ADMIN,
    status=204, patterns=TRUNK_ID,
)  # fmt: skip
def delete_trunk(req: ApiRequest, trunk_id: str) -> None:
    service.delete(req.tenant(), trunk_id)
