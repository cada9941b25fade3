"""HTTP routes of custom fields: tenant users read them (the contact form), admins change them."""

from __future__ import annotations

from control_plane.core.api import ADMIN, TENANT_USERS, ApiRequest, Routes
from control_plane.custom_fields import service
from control_plane.custom_fields.schemas import FIELD_KEY_PATTERN, FieldCreate, FieldList, FieldOut, FieldUpdate

routes = Routes(__name__)
KEY = {"key": FIELD_KEY_PATTERN}


@routes.route(
    "GET", "/v1/contact-fields", summary="The custom fields of the contact form", tag="contacts",
    roles=TENANT_USERS, response=FieldList,
)  # fmt: skip
def list_contact_fields(req: ApiRequest) -> FieldList:
    return service.list_all(req.tenant(*TENANT_USERS))


@routes.route(
    "POST", "/v1/contact-fields", summary="Add a custom field (text, number, date, select, checkbox)",
    tag="contacts", roles=ADMIN, body=FieldCreate, status=201, response=FieldOut,
)  # fmt: skip
def create_contact_field(req: ApiRequest) -> FieldOut:
    tenant_id = req.tenant()
    return service.create(tenant_id, req.body(FieldCreate, "invalid custom field"))


@routes.route(
    "GET", "/v1/contact-fields/{key}", summary="One custom field", tag="contacts", roles=TENANT_USERS,
    response=FieldOut, patterns=KEY,
)  # fmt: skip
def get_contact_field(req: ApiRequest, key: str) -> FieldOut:
    return service.get(req.tenant(*TENANT_USERS), key)


@routes.route(
    "PATCH", "/v1/contact-fields/{key}", summary="Change a custom field (its key and type stay)", tag="contacts",
    roles=ADMIN, body=FieldUpdate, response=FieldOut, patterns=KEY,
)  # fmt: skip
def update_contact_field(req: ApiRequest, key: str) -> FieldOut:
    return service.update(req.tenant(), key, req.json())


@routes.route(
    "DELETE", "/v1/contact-fields/{key}", summary="Delete a custom field", tag="contacts", roles=ADMIN,
    status=204, patterns=KEY,
)  # fmt: skip
def delete_contact_field(req: ApiRequest, key: str) -> None:
    service.delete(req.tenant(), key)
