"""Call notes (issue 17, CC3): the agent writes a call's disposition and notes during or after
the call (before its CDR is stored too), supervisors and admins as well; the tenant's list
of disposition codes; CDR search and the contact's history show the wrap-up; stable 400
codes; another tenant's calls are 404 to read and to write."""

from __future__ import annotations

from typing import Any

import pytest

from pbx_core import events as ev

from .conftest import Api, cdr_doc
from .test_contacts import user
from .test_live import event, post

pytestmark = pytest.mark.aws

CUSTOMER = "0912345678"
INBOUND = {"direction": "inbound", "caller": "912345678", "callee": "101"}


def wrapup(api: Api, token: str, call_id: str, **body: Any) -> Any:
    return api.request("PUT", f"/v1/calls/{call_id}/wrapup", token=token, body=body)


def test_default_dispositions_and_the_admins_list(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    _, agent = user(api, admin, "an@acme.vn", extension="")
    got = api.get("/v1/dispositions", token=agent).json
    assert [d["code"] for d in got["items"]] == ["resolved", "call_back", "no_answer", "wrong_number", "not_interested"]
    assert got["items"][1] == {"code": "call_back", "label_vi": "Gọi lại", "label_en": "Call back"}
    assert got["updated_at"] == ""
    body = {"items": [{"code": "sale", "label_vi": "Chốt đơn", "label_en": "Sale"}, *got["items"][:2]]}
    assert api.request("PUT", "/v1/dispositions", token=agent, body=body).status == 403  # admins only
    r = api.request("PUT", "/v1/dispositions", token=admin, body=body)
    assert r.status == 200, r.text
    assert [d["code"] for d in r.json["items"]] == ["sale", "resolved", "call_back"] and r.json["updated_at"]
    dup = {"items": [body["items"][0], body["items"][0]]}
    r = api.request("PUT", "/v1/dispositions", token=admin, body=dup)
    assert r.status == 400 and r.json["error"]["fields"] == {"items.1.code": "duplicate"}
    r = api.request("PUT", "/v1/dispositions", token=admin, body={"items": [{"code": "Bad Code", "label_vi": "x",
                                                                            "label_en": "x"}]})  # fmt: skip
    assert r.status == 400 and "items.0.code" in r.json["error"]["fields"]
    assert api.request("PUT", "/v1/dispositions", token=admin, body={"items": []}).status == 400


def test_the_agent_wraps_up_its_call_and_call_lists_show_it(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    api.extension(admin, "102")
    _, agent = user(api, admin, "an@acme.vn", extension="101")
    _, other_agent = user(api, admin, "binh@acme.vn", extension="102")
    _, supervisor = user(api, admin, "sup@acme.vn", role="supervisor")
    edge = api.edge()
    r = api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "c1", "2025-11-03T02:00:00.000Z", **INBOUND))
    assert r.status == 201, r.text
    contact = api.get(f"/v1/contacts/lookup?number={CUSTOMER}", token=admin).json
    notes = "Khách báo máy lạnh không mát.\nHẹn kỹ thuật đến thứ Hai."
    r = wrapup(api, agent, "c1", disposition="call_back", notes=notes)
    assert r.status == 200, r.text
    w = r.json
    assert (w["call_id"], w["disposition"], w["notes"], w["extension"]) == ("c1", "call_back", notes, "101")
    assert w["contact_id"] == contact["id"]  # the caller's contact, by the CDR's number
    assert w["call_stored"] is True and w["created_at"] == w["updated_at"]
    assert api.get("/v1/calls/c1/wrapup", token=agent).json == w
    assert api.get("/v1/calls/c1/wrapup", token=supervisor).json["notes"] == notes
    # another agent did not take the call: 404 to read and to write
    assert api.get("/v1/calls/c1/wrapup", token=other_agent).status == 404
    assert wrapup(api, other_agent, "c1", disposition="resolved").status == 404
    # a supervisor corrects it; the contact link stays
    r = wrapup(api, supervisor, "c1", disposition="resolved", notes="Đã xử lý.")
    assert r.status == 200 and r.json["disposition"] == "resolved" and r.json["extension"] == ""
    assert r.json["contact_id"] == contact["id"] and r.json["created_by"] != r.json["updated_by"]
    # CDR search, one CDR and the contact's history show it
    [row] = api.get("/v1/cdrs", token=agent).json["items"]
    assert row["wrapup"] == {"disposition": "resolved", "notes_excerpt": "Đã xử lý."}
    assert api.get("/v1/cdrs/c1", token=admin).json["wrapup"]["disposition"] == "resolved"
    [hist] = api.get(f"/v1/contacts/{contact['id']}/calls", token=admin).json["items"]
    assert hist["call_id"] == "c1" and hist["wrapup"]["disposition"] == "resolved"
    long = "x" * 500
    wrapup(api, admin, "c1", disposition="resolved", notes=long)
    assert api.get("/v1/cdrs/c1", token=admin).json["wrapup"]["notes_excerpt"] == "x" * 120
    # a call without a note: null
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "c2", "2025-11-03T03:00:00.000Z"))
    assert api.get("/v1/cdrs/c2", token=admin).json["wrapup"] is None
    assert api.get("/v1/calls/c2/wrapup", token=admin).status == 404


def test_a_note_written_during_the_call_is_kept_before_its_cdr(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    api.extension(admin, "102")
    _, agent = user(api, admin, "an@acme.vn", extension="101")
    _, other_agent = user(api, admin, "binh@acme.vn", extension="102")
    edge = api.edge()
    post(api, edge, event(tid, "live-1", ev.ANSWERED, 1, caller="0912345678", callee="101"))
    r = wrapup(api, agent, "live-1", disposition="no_answer", notes="Đang gọi")
    assert r.status == 200, r.text
    assert r.json["call_stored"] is False and r.json["contact_id"] == ""
    assert wrapup(api, other_agent, "live-1", disposition="resolved").status == 404  # not its call
    # the call ends: the note can still be changed by who took it (the CDR is not there yet)
    post(api, edge, event(tid, "live-1", ev.ENDED, 2, caller="0912345678", callee="101"))
    r = wrapup(api, agent, "live-1", disposition="resolved", notes="Xong")
    assert r.status == 200 and r.json["call_stored"] is False
    assert wrapup(api, other_agent, "live-1", disposition="resolved").status == 404
    # then the CDR comes: the search shows the note written before it
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "live-1", "2025-11-03T02:00:00.000Z", **INBOUND))
    assert api.get("/v1/calls/live-1/wrapup", token=agent).json["call_stored"] is True
    [row] = api.get("/v1/cdrs", token=agent).json["items"]
    assert row["wrapup"] == {"disposition": "resolved", "notes_excerpt": "Xong"}
    # a call nobody reported is 404
    assert wrapup(api, admin, "never-seen", disposition="resolved").status == 404


def test_bad_wrapups_are_400_with_stable_codes(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "c1", "2025-11-03T02:00:00.000Z"))
    r = wrapup(api, admin, "c1", disposition="sold_a_car")
    assert r.status == 400 and r.json["error"]["code"] == "unknown_disposition", r.text
    assert "disposition" in r.json["error"]["fields"]
    r = wrapup(api, admin, "c1", disposition="resolved", notes="x" * 4001)
    assert r.status == 400 and r.json["error"]["code"] == "notes_too_long", r.text
    assert wrapup(api, admin, "c1", disposition="resolved", notes="é" * 4000).status == 200
    r = wrapup(api, admin, "c1", disposition="resolved", notes="a\x00b")
    assert r.status == 400 and r.json["error"]["fields"] == {"notes": "no control characters"}
    r = wrapup(api, admin, "c1", disposition="resolved", contact_id="ct_000000000000")
    assert r.status == 400 and r.json["error"]["fields"] == {"contact_id": "not found"}
    r = wrapup(api, admin, "c1", disposition="resolved", ticket_id="tk_000000000009")
    assert r.status == 400 and r.json["error"]["fields"] == {"ticket_id": "not found"}
    r = wrapup(api, admin, "c1", notes="no disposition")
    assert r.status == 400 and "disposition" in r.json["error"]["fields"]
    # a code taken off the list: refused for new notes, kept on old ones
    wrapup(api, admin, "c1", disposition="wrong_number")
    api.request("PUT", "/v1/dispositions", token=admin, body={"items": [{"code": "resolved", "label_vi": "Xong",
                                                                         "label_en": "Done"}]})  # fmt: skip
    assert api.get("/v1/calls/c1/wrapup", token=admin).json["disposition"] == "wrong_number"
    assert wrapup(api, admin, "c1", disposition="wrong_number").json["error"]["code"] == "unknown_disposition"


def test_another_tenants_call_notes_are_404_to_read_and_write(api: Api) -> None:
    a, admin_a = api.tenant("acme.probox.vn")
    b, admin_b = api.tenant("globex.probox.vn")
    edge = api.edge()
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(a, "a-call", "2025-11-03T02:00:00.000Z", **INBOUND))
    contact = api.get(f"/v1/contacts/lookup?number={CUSTOMER}", token=admin_a).json
    t = api.post("/v1/tickets", token=admin_a, body={"subject": "A's", "contact_id": contact["id"]}).json
    assert wrapup(api, admin_a, "a-call", disposition="resolved", notes="A's secret").status == 200
    assert api.get("/v1/calls/a-call/wrapup", token=admin_b).status == 404
    r = wrapup(api, admin_b, "a-call", disposition="resolved", notes="B writes on A's call")
    assert r.status == 404 and r.json["error"]["code"] == "not_found"
    # B's own call cannot link A's contact or ticket
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(b, "b-call", "2025-11-03T02:00:00.000Z"))
    r = wrapup(api, admin_b, "b-call", disposition="resolved", contact_id=contact["id"])
    assert r.status == 400 and r.json["error"]["fields"] == {"contact_id": "not found"}
    r = wrapup(api, admin_b, "b-call", disposition="resolved", ticket_id=t["id"])
    assert r.status == 400 and r.json["error"]["fields"] == {"ticket_id": "not found"}
    assert api.get("/v1/calls/a-call/wrapup", token=admin_a).json["notes"] == "A's secret"
    assert "A's secret" not in api.get("/v1/cdrs", token=admin_b).text


def test_offboarding_deletes_call_notes_and_the_disposition_list(api: Api, s3: Any) -> None:
    import boto3

    from control_plane.core import settings

    from .conftest import provider_token

    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "c1", "2025-11-03T02:00:00.000Z", **INBOUND))
    assert wrapup(api, admin, "c1", disposition="resolved", notes="xong").status == 200
    body = {"items": [{"code": "sale", "label_vi": "Chốt đơn", "label_en": "Sale"}]}
    assert api.request("PUT", "/v1/dispositions", token=admin, body=body).status == 200
    r = api.request("DELETE", f"/v1/tenants/{tid}?force=true", token=provider_token())
    assert r.status == 202 and r.json["status"] == "done", r.text
    table = boto3.client("dynamodb", region_name="ap-southeast-1")
    left = [
        (i["pk"]["S"], i["sk"]["S"])
        for page in table.get_paginator("scan").paginate(TableName=settings.aws().table)
        for i in page["Items"]
        if i["pk"]["S"].startswith(f"T#{tid}")
    ]
    assert left == []
