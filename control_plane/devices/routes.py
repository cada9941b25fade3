"""HTTP routes of devices: tenant admins manage them; a phone fetches its config file with
its per-device token (no bearer token: the URL is the credential)."""

from __future__ import annotations

from chalice.app import Response

from control_plane.core.api import ADMIN, NO_STORE, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN
from control_plane.devices import service
from control_plane.devices.schemas import (
    DeviceCreate,
    DeviceKeyOut,
    DeviceList,
    DeviceOut,
    DeviceTokenOut,
    DeviceUpdate,
)

routes = Routes(__name__)
DEVICE_ID = {"device_id": ID_PATTERN}


@routes.route("GET", "/v1/devices", summary="List devices", tag="devices", roles=ADMIN, response=DeviceList)
def list_devices(req: ApiRequest) -> DeviceList:
    return service.list_all(req.tenant())


@routes.route(
    "POST", "/v1/devices", summary="Register a desk phone (vendor, model, MAC)", tag="devices", roles=ADMIN,
    body=DeviceCreate, status=201, response=DeviceOut,
)  # fmt: skip
def create_device(req: ApiRequest) -> DeviceOut:
    tenant_id = req.tenant()
    return service.create(tenant_id, req.body(DeviceCreate, "invalid device"))


@routes.route(
    "GET", "/v1/devices/{device_id}", summary="One device", tag="devices", roles=ADMIN, response=DeviceOut,
    patterns=DEVICE_ID,
)  # fmt: skip
def get_device(req: ApiRequest, device_id: str) -> DeviceOut:
    return service.get(req.tenant(), device_id)


@routes.route(
    "PATCH", "/v1/devices/{device_id}", summary="Change a device", tag="devices", roles=ADMIN, body=DeviceUpdate,
    response=DeviceOut, patterns=DEVICE_ID,
)  # fmt: skip
def update_device(req: ApiRequest, device_id: str) -> DeviceOut:
    return service.update(req.tenant(), device_id, req.json())


@routes.route(
    "DELETE", "/v1/devices/{device_id}", summary="Delete a device (its provisioning URL stops working)",
    tag="devices", roles=ADMIN, status=204, patterns=DEVICE_ID,
)  # fmt: skip
def delete_device(req: ApiRequest, device_id: str) -> None:
    service.delete(req.tenant(), device_id)


@routes.route(
    "POST", "/v1/devices/{device_id}/provisioning",
    summary="A new per-device provisioning URL (the previous one is revoked)", tag="provisioning", roles=ADMIN,
    status=201, response=DeviceTokenOut, patterns=DEVICE_ID, no_store=True,
)  # fmt: skip
def create_device_provisioning(req: ApiRequest, device_id: str) -> DeviceTokenOut:
    tenant_id = req.tenant()
    return service.issue_token(tenant_id, device_id, req.base_url())


@routes.route(
    "POST", "/v1/devices/{device_id}/config-key",
    summary="A new key for the device's encrypted config file (shown once; type it into the phone)",
    tag="provisioning", roles=ADMIN, status=201, response=DeviceKeyOut, patterns=DEVICE_ID, no_store=True,
)  # fmt: skip
def rotate_device_config_key(req: ApiRequest, device_id: str) -> DeviceKeyOut:
    tenant_id = req.tenant()
    return service.rotate_key(tenant_id, device_id)


@routes.route(
    "GET", "/provision/d/{token}/{filename}", summary="A desk phone's config file (Yealink, Grandstream, Fanvil)",
    tag="provisioning", roles=None, media="text/plain", errors=(404,),
    description=(
        "A device with encrypt_config gets its file encrypted with its config key, as "
        "application/octet-stream (Yealink: AES-128-ECB; Grandstream: OpenSSL enc AES-256-CBC)."
    ),
)  # fmt: skip
def device_config(req: ApiRequest, token: str, filename: str) -> Response:
    content_type, text = service.config_file(token, filename, req.header("user-agent") or "")
    return Response(body=text, status_code=200, headers={"Content-Type": content_type, **NO_STORE})
