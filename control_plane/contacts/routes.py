"""HTTP routes of contacts: tenant users find, read, add and change them (agents: their own
and the team's, numbers masked by the tenant's setting); supervisors and admins also
delete, import and export them; admins change the settings."""

from __future__ import annotations

from control_plane.contacts import exporter, importer, service
from control_plane.contacts.schemas import (
    CONTACT_ID_PATTERN,
    IMPORT_ID_PATTERN,
    ContactCallList,
    ContactCreate,
    ContactExportQuery,
    ContactList,
    ContactOut,
    ContactQuery,
    ContactSettingsOut,
    ContactSettingsUpdate,
    ContactUpdate,
    DncOutEntry,
    ExportLink,
    ImportCreate,
    ImportList,
    ImportOut,
    ImportPreviewIn,
    LookupQuery,
)
from control_plane.core.api import ADMIN, STAFF, TENANT_USERS, ApiRequest, Routes
from control_plane.core.schemas import ListQuery

routes = Routes(__name__)
CONTACT_ID = {"contact_id": CONTACT_ID_PATTERN}
IMPORT_ID = {"import_id": IMPORT_ID_PATTERN}
NUMBER = {"number": r"^\+?[0-9][0-9 .()-]{2,23}$"}


def _viewer(req: ApiRequest) -> service.Viewer:
    return service.viewer(req.principal(*TENANT_USERS))


@routes.route(
    "GET", "/v1/contacts", summary="Search contacts (a number, words of the name, tag, segment, owner, do-not-call)",
    tag="contacts", roles=TENANT_USERS, query=ContactQuery, response=ContactList,
    description="Agents see their own contacts and the team's (no owner); numbers are masked for them unless the "
    "tenant's `number_visibility` is `full`.",
)  # fmt: skip
def list_contacts(req: ApiRequest) -> ContactList:
    return service.search(_viewer(req), req.query(ContactQuery))


@routes.route(
    "POST", "/v1/contacts", summary="Add a contact", tag="contacts", roles=TENANT_USERS, body=ContactCreate,
    status=201, response=ContactOut, description="409 when one of its numbers belongs to another contact.",
)  # fmt: skip
def create_contact(req: ApiRequest) -> ContactOut:
    v = _viewer(req)
    return service.create(v, req.body(ContactCreate, "invalid contact"))


@routes.route(
    "GET", "/v1/contacts/lookup", summary="The contact of a telephone number (the caller's record)",
    tag="contacts", roles=TENANT_USERS, query=LookupQuery, response=ContactOut,
    description="One read of the number's item, one of the contact, whatever the number of contacts. 404: no "
    "contact has the number.",
)  # fmt: skip
def lookup_contact(req: ApiRequest) -> ContactOut:
    v = _viewer(req)
    return service.lookup(v, req.query(LookupQuery).number)


@routes.route(
    "GET", "/v1/contacts/settings", summary="Contact settings (what agents see of numbers)", tag="contacts",
    roles=TENANT_USERS, response=ContactSettingsOut,
)  # fmt: skip
def get_contact_settings(req: ApiRequest) -> ContactSettingsOut:
    return service.get_settings(req.tenant(*TENANT_USERS))


@routes.route(
    "PATCH", "/v1/contacts/settings", summary="Change the contact settings", tag="contacts", roles=ADMIN,
    body=ContactSettingsUpdate, response=ContactSettingsOut,
)  # fmt: skip
def update_contact_settings(req: ApiRequest) -> ContactSettingsOut:
    tenant_id = req.tenant()
    return service.update_settings(tenant_id, req.body(ContactSettingsUpdate, "invalid settings"))


@routes.route(
    "POST", "/v1/contacts/export", summary="Export contacts (a segment, a tag, an owner's, or all) as .xlsx or CSV",
    tag="contacts", roles=STAFF, query=ContactExportQuery, status=201, response=ExportLink, no_store=True,
    while_suspended=True, description="Answers a 5-minute download link; the file is kept 7 days.",
)  # fmt: skip
def export_contacts(req: ApiRequest) -> ExportLink:
    tenant_id = req.tenant(*STAFF)
    return exporter.export(tenant_id, req.query(ContactExportQuery))


@routes.route(
    "GET", "/v1/contacts/imports", summary="Contact and do-not-call imports, newest first", tag="contacts",
    roles=STAFF, response=ImportList,
)  # fmt: skip
def list_contact_imports(req: ApiRequest) -> ImportList:
    return importer.list_all(req.tenant(*STAFF))


@routes.route(
    "POST", "/v1/contacts/imports",
    summary="Start an import of contacts or of the national do-not-call list (CSV or .xlsx)", tag="contacts",
    roles=STAFF, body=ImportCreate, status=201, response=ImportOut, no_store=True,
    description="With `content_base64` (up to 4 MiB) the file is previewed at once; without it the answer has a "
    "one-hour `upload_url` to PUT the file to, then call `preview`.",
)  # fmt: skip
def create_contact_import(req: ApiRequest) -> ImportOut:
    principal = req.principal(*STAFF)
    tenant_id = req.tenant(*STAFF)
    body = importer.parse_create(req.raw.raw_body)
    return importer.create(tenant_id, body, by=principal.sub)


@routes.route(
    "GET", "/v1/contacts/imports/{import_id}", summary="One import: status, counts, errors per row",
    tag="contacts", roles=STAFF, response=ImportOut, patterns=IMPORT_ID,
)  # fmt: skip
def get_contact_import(req: ApiRequest, import_id: str) -> ImportOut:
    return importer.public(importer.require(req.tenant(*STAFF), import_id))


@routes.route(
    "POST", "/v1/contacts/imports/{import_id}/preview",
    summary="Check the whole file: columns, errors per row, duplicates, the first rows", tag="contacts",
    roles=STAFF, body=ImportPreviewIn, response=ImportOut, patterns=IMPORT_ID,
)  # fmt: skip
def preview_contact_import(req: ApiRequest, import_id: str) -> ImportOut:
    tenant_id = req.tenant(*STAFF)
    importer.require(tenant_id, import_id)
    return importer.preview(tenant_id, import_id, req.body(ImportPreviewIn, "invalid preview"))


@routes.route(
    "POST", "/v1/contacts/imports/{import_id}/commit", summary="Import the previewed file (a job)", tag="contacts",
    roles=STAFF, status=202, response=ImportOut, patterns=IMPORT_ID,
)  # fmt: skip
def commit_contact_import(req: ApiRequest, import_id: str) -> ImportOut:
    return importer.commit(req.tenant(*STAFF), import_id)


@routes.route(
    "GET", "/v1/contacts/dnc/{number}", summary="Whether a number is on the national do-not-call list",
    tag="contacts", roles=TENANT_USERS, response=DncOutEntry, patterns=NUMBER,
    description="404: not listed. The list is imported with `POST /v1/contacts/imports` (`kind: dnc`).",
)  # fmt: skip
def get_dnc(req: ApiRequest, number: str) -> DncOutEntry:
    return service.dnc_entry(_viewer(req), number)


@routes.route(
    "DELETE", "/v1/contacts/dnc/{number}", summary="Take a number off the national do-not-call list",
    tag="contacts", roles=STAFF, status=204, patterns=NUMBER,
)  # fmt: skip
def delete_dnc(req: ApiRequest, number: str) -> None:
    service.dnc_remove(req.tenant(*STAFF), number)


@routes.route(
    "GET", "/v1/contacts/{contact_id}", summary="One contact", tag="contacts", roles=TENANT_USERS,
    response=ContactOut, patterns=CONTACT_ID,
)  # fmt: skip
def get_contact(req: ApiRequest, contact_id: str) -> ContactOut:
    return service.get(_viewer(req), contact_id)


@routes.route(
    "PATCH", "/v1/contacts/{contact_id}", summary="Change a contact", tag="contacts", roles=TENANT_USERS,
    body=ContactUpdate, response=ContactOut, patterns=CONTACT_ID,
)  # fmt: skip
def update_contact(req: ApiRequest, contact_id: str) -> ContactOut:
    return service.update(_viewer(req), contact_id, req.json())


@routes.route(
    "DELETE", "/v1/contacts/{contact_id}", summary="Delete a contact (its calls stay in the call history)",
    tag="contacts", roles=STAFF, status=204, patterns=CONTACT_ID,
)  # fmt: skip
def delete_contact(req: ApiRequest, contact_id: str) -> None:
    service.delete(service.viewer(req.principal(*STAFF)), contact_id)


@routes.route(
    "GET", "/v1/contacts/{contact_id}/calls", summary="The contact's calls, newest first (with recordings)",
    tag="contacts", roles=TENANT_USERS, query=ListQuery, response=ContactCallList, patterns=CONTACT_ID,
)  # fmt: skip
def list_contact_calls(req: ApiRequest, contact_id: str) -> ContactCallList:
    q = req.query(ListQuery)
    return service.calls(_viewer(req), contact_id, limit=q.limit, cursor=q.cursor)
