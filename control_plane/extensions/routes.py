"""HTTP routes of extensions: tenant users read them, tenant admins change them and rotate
their SIP passwords (never shown: see ``provisioning``)."""

from __future__ import annotations

from control_plane.core.api import ADMIN, TENANT_USERS, ApiRequest, Routes
from control_plane.core.schemas import EXT_PATTERN
from control_plane.extensions import service
from control_plane.extensions.schemas import ExtensionCreate, ExtensionList, ExtensionOut, ExtensionUpdate, RotationOut

routes = Routes(__name__)
NUMBER = {"number": EXT_PATTERN}


@routes.route(
    "POST", "/v1/extensions", summary="Add an extension (password generated, never shown)", tag="extensions",
    roles=ADMIN, body=ExtensionCreate, status=201, response=ExtensionOut,
)  # fmt: skip
def create_extension(req: ApiRequest) -> ExtensionOut:
    tenant_id = req.tenant()
    return service.create(tenant_id, req.body(ExtensionCreate, "invalid extension"))


@routes.route(
    "GET", "/v1/extensions", summary="List extensions", tag="extensions", roles=TENANT_USERS, response=ExtensionList
)
def list_extensions(req: ApiRequest) -> ExtensionList:
    return service.list_all(req.tenant(*TENANT_USERS))


@routes.route(
    "GET", "/v1/extensions/{number}", summary="One extension", tag="extensions", roles=TENANT_USERS,
    response=ExtensionOut, patterns=NUMBER,
)  # fmt: skip
def get_extension(req: ApiRequest, number: str) -> ExtensionOut:
    return service.get(req.tenant(*TENANT_USERS), number)


@routes.route(
    "PATCH", "/v1/extensions/{number}", summary="Change an extension", tag="extensions", roles=ADMIN,
    body=ExtensionUpdate, response=ExtensionOut, patterns=NUMBER,
)  # fmt: skip
def update_extension(req: ApiRequest, number: str) -> ExtensionOut:
    return service.update(req.tenant(), number, req.json())


@routes.route(
    "DELETE", "/v1/extensions/{number}", summary="Delete an extension nothing refers to", tag="extensions",
    roles=ADMIN, status=204, patterns=NUMBER,
)  # fmt: skip
def delete_extension(req: ApiRequest, number: str) -> None:
    service.delete(req.tenant(), number)


@routes.route(
    "POST", "/v1/extensions/{number}/rotate-password",
    summary="Rotate the SIP password now; its devices are marked for re-provisioning", tag="extensions",
    roles=ADMIN, response=RotationOut, patterns=NUMBER,
)  # fmt: skip
def rotate_extension_password(req: ApiRequest, number: str) -> RotationOut:
    marked = service.rotate_password(req.tenant(), number)
    return RotationOut(rotated=1, devices_marked=marked)
