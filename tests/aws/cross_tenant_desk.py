"""The contacts, custom fields and tickets part of tests/aws/test_cross_tenant.py: tenant A's
items, the routes that take their ids, and the collection routes."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from .conftest import Api

NUMBER = "0912345678"  # A's contact; also on A's do-not-call list


@dataclass
class Desk:
    contact: str
    field: str
    imp: str
    ticket: str
    view: str
    click: str  # a click-to-call command of A's


def build_desk(api: Api, admin_a: str, call_id: str) -> Desk:
    field = api.post("/v1/contact-fields", token=admin_a, body={"key": "cccd", "label": "CCCD"})
    assert field.status == 201, field.text
    contact = api.post("/v1/contacts", token=admin_a, body={"name": "Nguyễn An", "numbers": [NUMBER], "tags": ["vip"]})
    assert contact.status == 201, contact.text
    imp = api.post(
        "/v1/contacts/imports",
        token=admin_a,
        body={"filename": "dnc.csv", "kind": "dnc", "content_base64": base64.b64encode(NUMBER.encode()).decode()},
    )
    assert imp.status == 201, imp.text
    done = api.post(f"/v1/contacts/imports/{imp.json['id']}/commit", token=admin_a)
    assert done.status == 202 and done.json["status"] == "done", done.text
    again = api.post(  # one left previewed, so that B's commit would have something to run
        "/v1/contacts/imports",
        token=admin_a,
        body={"filename": "c.csv", "content_base64": base64.b64encode(f"Phone\n{NUMBER}\n".encode()).decode()},
    )
    assert again.status == 201, again.text
    body = {"subject": "A's request", "contact_id": contact.json["id"], "call_id": call_id}
    ticket = api.post("/v1/tickets", token=admin_a, body=body)
    assert ticket.status == 201, ticket.text
    view = api.post("/v1/ticket-views", token=admin_a, body={"name": "A", "filters": {"status": ["new"]}})
    assert view.status == 201, view.text
    body = {"contact_id": contact.json["id"], "extension": "101"}  # A's contact from A's extension 101
    click = api.post("/v1/calls/click-to-call", token=admin_a, body=body)
    assert click.status == 201, click.text
    note = api.request("PUT", f"/v1/calls/{call_id}/wrapup", token=admin_a, body={"disposition": "resolved"})
    assert note.status == 200, note.text
    return Desk(
        contact=contact.json["id"],
        field="cccd",
        imp=again.json["id"],
        ticket=ticket.json["id"],
        view=view.json["id"],
        click=click.json["id"],
    )


def desk_item_paths(d: Desk, call_id: str) -> dict[tuple[str, str], tuple[str, Any]]:
    c, t = f"/v1/contacts/{d.contact}", f"/v1/tickets/{d.ticket}"
    return {
        ("GET", "/v1/contacts/{contact_id}"): (c, None),
        ("PATCH", "/v1/contacts/{contact_id}"): (c, {"name": "stolen"}),
        ("DELETE", "/v1/contacts/{contact_id}"): (c, None),
        ("GET", "/v1/contacts/{contact_id}/calls"): (f"{c}/calls", None),
        ("GET", "/v1/contacts/imports/{import_id}"): (f"/v1/contacts/imports/{d.imp}", None),
        ("POST", "/v1/contacts/imports/{import_id}/preview"): (f"/v1/contacts/imports/{d.imp}/preview", {}),
        ("POST", "/v1/contacts/imports/{import_id}/commit"): (f"/v1/contacts/imports/{d.imp}/commit", None),
        ("GET", "/v1/contacts/dnc/{number}"): (f"/v1/contacts/dnc/{NUMBER}", None),
        ("DELETE", "/v1/contacts/dnc/{number}"): (f"/v1/contacts/dnc/{NUMBER}", None),
        ("GET", "/v1/contact-fields/{key}"): (f"/v1/contact-fields/{d.field}", None),
        ("PATCH", "/v1/contact-fields/{key}"): (f"/v1/contact-fields/{d.field}", {"label": "stolen"}),
        ("DELETE", "/v1/contact-fields/{key}"): (f"/v1/contact-fields/{d.field}", None),
        ("GET", "/v1/tickets/{ticket_id}"): (t, None),
        ("PATCH", "/v1/tickets/{ticket_id}"): (t, {"status": "open"}),
        ("DELETE", "/v1/tickets/{ticket_id}"): (t, None),
        ("GET", "/v1/tickets/{ticket_id}/comments"): (f"{t}/comments", None),
        ("POST", "/v1/tickets/{ticket_id}/comments"): (f"{t}/comments", {"body": "stolen"}),
        ("POST", "/v1/tickets/{ticket_id}/calls"): (f"{t}/calls", {"call_id": call_id}),
        ("DELETE", "/v1/ticket-views/{view_id}"): (f"/v1/ticket-views/{d.view}", None),
        ("GET", "/v1/calls/click-to-call/{command_id}"): (f"/v1/calls/click-to-call/{d.click}", None),
        ("GET", "/v1/calls/{call_id}/wrapup"): (f"/v1/calls/{call_id}/wrapup", None),
        ("PUT", "/v1/calls/{call_id}/wrapup"): (f"/v1/calls/{call_id}/wrapup", {"disposition": "resolved"}),
    }


DESK_COLLECTIONS = {
    ("GET", "/v1/contacts"),
    ("POST", "/v1/contacts"),
    ("GET", "/v1/contacts/lookup"),
    ("GET", "/v1/contacts/settings"),
    ("PATCH", "/v1/contacts/settings"),
    ("POST", "/v1/contacts/export"),
    ("GET", "/v1/contacts/imports"),
    ("POST", "/v1/contacts/imports"),
    ("GET", "/v1/contact-fields"),
    ("POST", "/v1/contact-fields"),
    ("GET", "/v1/tickets"),
    ("POST", "/v1/tickets"),
    ("GET", "/v1/tickets/settings"),
    ("PATCH", "/v1/tickets/settings"),
    ("POST", "/v1/tickets/export"),
    ("GET", "/v1/ticket-views"),
    ("POST", "/v1/ticket-views"),
    ("POST", "/v1/calls/click-to-call"),
    # the caller's own tenant's disposition codes (tests/aws/test_call_notes.py)
    ("GET", "/v1/dispositions"),
    ("PUT", "/v1/dispositions"),
}

# What A reads of its desk, compared before and after B's attempts.
DESK_READS = ("/v1/contacts", "/v1/contact-fields", "/v1/tickets", "/v1/ticket-views", "/v1/contacts/imports")
# B's lists and searches: empty.
DESK_LISTS = (
    "/v1/contacts",
    "/v1/contacts?tag=vip",
    f"/v1/contacts?q={NUMBER}",
    "/v1/contacts?q=an",
    "/v1/contacts?q=0912",
    "/v1/contact-fields",
    "/v1/tickets",
    "/v1/tickets?q=request",
    "/v1/ticket-views",
    "/v1/contacts/imports",
)


def check_desk_isolation(api: Api, d: Desk, admin_b: str, admin_a: str) -> None:
    """B's own writes cannot reach A's contacts, and A's settings stay A's."""
    assert api.get(f"/v1/contacts/lookup?number={NUMBER}", token=admin_b).status == 404
    r = api.post("/v1/tickets", token=admin_b, body={"subject": "x", "contact_id": d.contact})
    assert r.status == 400 and r.json["error"]["fields"] == {"contact_id": "not found"}, r.text
    # the same number is B's own contact in B (one contact per number per tenant)
    mine = api.post("/v1/contacts", token=admin_b, body={"name": "B's", "numbers": [NUMBER]})
    assert mine.status == 201, mine.text
    assert api.get(f"/v1/contacts/lookup?number={NUMBER}", token=admin_a).json["id"] == d.contact
    assert api.get(f"/v1/contacts/{mine.json['id']}", token=admin_a).status == 404
    assert api.get(f"/v1/contacts/{mine.json['id']}", token=admin_b).json["national_dnc"] == []
    assert (
        api.request("PATCH", "/v1/contacts/settings", token=admin_b, body={"number_visibility": "full"}).status == 200
    )
    assert api.get("/v1/contacts/settings", token=admin_a).json["number_visibility"] == "masked"
    exported = api.post("/v1/contacts/export", token=admin_b)
    assert exported.status == 201 and exported.json["rows"] == 1, exported.text
    # B cannot call A's contact, nor ring an extension B does not have, from its own tenant
    r = api.post("/v1/calls/click-to-call", token=admin_b, body={"contact_id": d.contact, "extension": "101"})
    assert r.status in (404, 409), r.text  # 404: not B's contact (409 no_edge only if B had no edge first)
    tickets = api.post("/v1/tickets/export", token=admin_b)
    assert tickets.status == 201 and tickets.json["rows"] == 0, tickets.text
