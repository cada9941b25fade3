"""Contacts (F13, issue 17): numbers in the Vietnamese plan, one contact per number, lookup
by number, search, who sees what (agents: own and team contacts, masked numbers), contacts
and tickets from CDR ingest, imports with preview and per-row errors, exports, the
national do-not-call list, custom fields."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

import openpyxl
import pytest
import requests

from .conftest import Api, cdr_doc

pytestmark = pytest.mark.aws

PASSWORD = "a-long-enough-password"


def user(api: Api, admin: str, email: str, role: str = "agent", extension: str = "") -> tuple[str, str]:
    """(user id, login token) of a new user of the admin's tenant."""
    body: dict[str, Any] = {"email": email, "role": role, "password": PASSWORD}
    if extension:
        body["extension"] = extension
    r = api.post("/v1/users", token=admin, body=body)
    assert r.status == 201, r.text
    login = api.post("/v1/auth/login", body={"email": email, "password": PASSWORD})
    assert login.status == 200, login.text
    return r.json["id"], login.json["token"]


def contact(api: Api, token: str, **body: Any) -> dict[str, Any]:
    r = api.post("/v1/contacts", token=token, body=body)
    assert r.status == 201, r.text
    doc: dict[str, Any] = r.json
    return doc


def test_create_normalises_numbers_and_one_number_is_one_contact(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    c = contact(
        api, admin, name="Nguyễn Văn An", company="ACME", numbers=["+84 912 345 678", "028 3822 1234"], tags=["vip"]
    )
    assert c["numbers"] == ["0912345678", "02838221234"]
    assert c["numbers_masked"] is False and c["callable"] is True and c["source"] == "manual"
    found = api.get("/v1/contacts/lookup?number=84912345678", token=admin)
    assert found.status == 200 and found.json["id"] == c["id"]
    again = api.post("/v1/contacts", token=admin, body={"name": "Other", "numbers": ["0912345678"]})
    assert again.status == 409 and "numbers" in again.json["error"]["fields"]
    assert api.get("/v1/contacts/lookup?number=0987654321", token=admin).status == 404
    # numbers move between contacts only when released
    other = contact(api, admin, name="Trần Thị Bình", numbers=["0987654321"])
    r = api.request("PATCH", f"/v1/contacts/{c['id']}", token=admin, body={"numbers": ["0912345678"]})
    assert r.status == 200 and r.json["numbers"] == ["0912345678"]
    r = api.request(
        "PATCH", f"/v1/contacts/{other['id']}", token=admin, body={"numbers": ["0987654321", "02838221234"]}
    )
    assert r.status == 200, r.text
    assert api.get("/v1/contacts/lookup?number=02838221234", token=admin).json["id"] == other["id"]
    assert api.delete(f"/v1/contacts/{other['id']}", token=admin).status == 204
    assert api.get("/v1/contacts/lookup?number=02838221234", token=admin).status == 404
    assert api.get(f"/v1/contacts/{other['id']}", token=admin).status == 404


def test_bad_input_is_400_with_field_errors(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"numbers": ["12"]}, "numbers.0"),
        ({"numbers": ["abc-not-a-number"]}, "numbers.0"),
        ({"email": "not-an-email"}, "email"),
        ({"owner": "usr_000000000000"}, "owner"),
        ({"owner": "someone"}, "owner"),
        ({"custom": {"nope": 1}}, "custom.nope"),
        ({"tags": ["a,b"]}, "tags.0"),
        ({"consent": {"fax": {"status": "granted"}}}, "consent.fax.[key]"),
        ({"dnc": {"call": {"reason": ""}}}, "dnc.call.reason"),
        ({"name": "x\r\nINVITE"}, "name"),
        ({"unknown": 1}, "unknown"),
    ]
    for body, field in cases:
        r = api.post("/v1/contacts", token=admin, body=body)
        assert r.status == 400, (body, r.text)
        assert r.json["error"]["code"] == "validation_failed"
        assert field in r.json["error"]["fields"], (body, r.json)
    assert api.post("/v1/contacts", token=admin, raw=b"{not json").status == 400
    assert api.get("/v1/contacts?limit=0", token=admin).status == 400
    assert api.get("/v1/contacts?q=a", token=admin).status == 400  # a name search needs 2 letters
    assert api.get("/v1/contacts/lookup?number=hello", token=admin).status == 400
    assert api.get("/v1/contacts/lookup", token=admin).status == 400
    assert api.get("/v1/contacts?cursor=forged.cursor", token=admin).status == 400
    c = contact(api, admin, name="A B")
    r = api.request("PATCH", f"/v1/contacts/{c['id']}", token=admin, body={"numbers": "0912345678"})
    assert r.status == 400 and "numbers" in r.json["error"]["fields"]
    assert api.request("PATCH", "/v1/contacts/ct_000000000000", token=admin, body={"x": 1}).status == 404
    assert api.get("/v1/contacts/../../v1/users", token=admin).status in (400, 403, 404)


def test_search_by_name_number_and_filters(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    an = contact(api, admin, name="Nguyễn Văn An", numbers=["0912000001"], tags=["vip"], segments=["hcm"])
    anh = contact(api, admin, name="Lê Thị Ánh", numbers=["0912000002"], segments=["hn"])
    binh = contact(api, admin, name="Đặng Bình", numbers=["0912000003"], tags=["vip"])

    def ids(query: str) -> list[str]:
        r = api.get(f"/v1/contacts?{query}", token=admin)
        assert r.status == 200, r.text
        return [c["id"] for c in r.json["items"]]

    assert set(ids("q=an")) == {an["id"], anh["id"]}  # given names starting with "an", diacritics ignored
    assert ids("q=nguyen%20an") == [an["id"]]
    assert ids("q=%C3%81nh") == [anh["id"]]  # "Ánh"
    assert ids("q=binh") == [binh["id"]]
    assert ids("q=%2B84912000003") == [binh["id"]]
    assert set(ids("q=0912000")) == {an["id"], anh["id"], binh["id"]}  # part of a number
    assert set(ids("tag=vip")) == {an["id"], binh["id"]}
    assert ids("segment=hn") == [anh["id"]]
    assert ids("q=an&tag=vip") == [an["id"]]
    page = api.get("/v1/contacts?limit=2", token=admin).json
    assert len(page["items"]) == 2 and page["next"]
    rest = api.get(f"/v1/contacts?limit=2&cursor={page['next']}", token=admin).json
    assert len(rest["items"]) == 1 and rest["next"] is None


def test_agents_see_their_own_and_the_teams_contacts_with_masked_numbers(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    agent_id, agent = user(api, admin, "agent@acme.vn")
    other_id, _ = user(api, admin, "other@acme.vn")
    mine = contact(api, admin, name="Mine", numbers=["0912000001"], owner=agent_id)
    team = contact(api, admin, name="Team", numbers=["0912000002"])
    theirs = contact(api, admin, name="Theirs", numbers=["0912000003"], owner=other_id)
    listed = api.get("/v1/contacts", token=agent).json["items"]
    assert {c["id"] for c in listed} == {mine["id"], team["id"]}
    assert all(c["numbers_masked"] and c["numbers"][0] == "091****00" + c["numbers"][0][-1] for c in listed)
    assert api.get(f"/v1/contacts/{theirs['id']}", token=agent).status == 404
    assert api.get("/v1/contacts/lookup?number=0912000003", token=agent).status == 404
    assert api.get("/v1/contacts/lookup?number=0912000001", token=agent).json["numbers"] == ["091****001"]
    # masked numbers cannot be changed by the agent; other fields can
    r = api.request("PATCH", f"/v1/contacts/{mine['id']}", token=agent, body={"numbers": ["0912000009"]})
    assert r.status == 403
    r = api.request("PATCH", f"/v1/contacts/{mine['id']}", token=agent, body={"notes": "gọi lại chiều mai"})
    assert r.status == 200 and r.json["notes"] == "gọi lại chiều mai"
    assert api.request("PATCH", f"/v1/contacts/{team['id']}", token=agent, body={"owner": other_id}).status == 403
    assert api.delete(f"/v1/contacts/{mine['id']}", token=agent).status == 403
    created = api.post("/v1/contacts", token=agent, body={"name": "New", "numbers": ["0912000004"], "owner": agent_id})
    assert created.status == 201 and created.json["numbers"] == ["091****004"]
    # the tenant admin lets agents see numbers
    assert api.get("/v1/contacts/settings", token=agent).json["number_visibility"] == "masked"
    assert api.request("PATCH", "/v1/contacts/settings", token=agent, body={"number_visibility": "full"}).status == 403
    r = api.request("PATCH", "/v1/contacts/settings", token=admin, body={"number_visibility": "full"})
    assert r.status == 200 and r.json["number_visibility"] == "full"
    assert api.get(f"/v1/contacts/{mine['id']}", token=agent).json["numbers"] == ["0912000001"]
    assert api.request("PATCH", "/v1/contacts/settings", token=admin, body={"number_visibility": "x"}).status == 400


def test_calls_make_and_update_contacts_and_missed_calls_open_tickets(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    edge = api.edge()
    inbound = {"direction": "inbound", "caller": "912345678", "callee": "101"}
    r = api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "c1", "2025-11-03T02:00:00.000Z", **inbound))
    assert r.status == 201, r.text
    c = api.get("/v1/contacts/lookup?number=0912345678", token=admin).json
    assert c["source"] == "call" and c["calls"] == 1 and c["last_call_at"] == "2025-11-03T02:00:00.000Z"
    out = {"direction": "outbound", "caller": "101", "callee": "0912345678"}
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "c2", "2025-11-04T02:00:00.000Z", **out))
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "c2", "2025-11-04T02:00:00.000Z", **out))  # a repeat
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "c3", "2025-11-04T03:00:00.000Z"))  # internal
    calls = api.get(f"/v1/contacts/{c['id']}/calls", token=admin).json["items"]
    assert [x["call_id"] for x in calls] == ["c2", "c1"]
    assert calls[0]["direction"] == "outbound" and calls[0]["extension"] == "101"
    assert api.get(f"/v1/contacts/{c['id']}", token=admin).json["calls"] == 2
    assert api.get("/v1/contacts", token=admin).json["items"][0]["id"] == c["id"]  # one contact only
    assert api.get("/v1/tickets", token=admin).json["items"] == []  # answered calls open no ticket
    # a missed inbound call opens a ticket with a callback task; the next one joins it
    missed = {**inbound, "answered_at": None, "disposition": "no_answer", "sip_code": 480}
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "m1", "2025-11-05T02:00:00.000Z", **missed))
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "m2", "2025-11-05T02:05:00.000Z", **missed))
    tickets = api.get("/v1/tickets", token=admin).json["items"]
    assert len(tickets) == 1 and tickets[0]["source"] == "missed_call" and tickets[0]["contact_id"] == c["id"]
    t = api.get(f"/v1/tickets/{tickets[0]['id']}", token=admin).json
    assert [x["call_id"] for x in t["calls"]] == ["m2", "m1"]
    assert t["callback"]["number"] == "0912345678" and t["callback"]["done_at"] is None
    assert api.get(f"/v1/tickets?contact_id={c['id']}", token=admin).json["items"][0]["id"] == t["id"]
    # an anonymous caller makes no contact
    anon = {**missed, "caller": "anonymous"}
    assert (
        api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "m3", "2025-11-05T03:00:00.000Z", **anon)).status == 201
    )
    assert len(api.get("/v1/tickets", token=admin).json["items"]) == 1


def test_custom_fields_define_the_form(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    _, agent = user(api, admin, "agent@acme.vn")
    r = api.post("/v1/contact-fields", token=admin, body={"key": "cccd", "label": "Số CCCD", "required": True})
    assert r.status == 201, r.text
    r = api.post(
        "/v1/contact-fields",
        token=admin,
        body={"key": "tier", "label": "Hạng", "type": "select", "options": ["Vàng", "Bạc"]},
    )
    assert r.status == 201
    assert api.post("/v1/contact-fields", token=admin, body={"key": "tier", "label": "x"}).status == 409
    assert api.post("/v1/contact-fields", token=admin, body={"key": "x", "label": "x", "type": "select"}).status == 400
    assert api.post("/v1/contact-fields", token=agent, body={"key": "y", "label": "y"}).status == 403
    assert [f["key"] for f in api.get("/v1/contact-fields", token=agent).json["items"]] == ["cccd", "tier"]
    r = api.post("/v1/contacts", token=admin, body={"name": "A", "custom": {"tier": "Vàng"}})
    assert r.status == 400 and r.json["error"]["fields"] == {"custom.cccd": "required"}
    r = api.post("/v1/contacts", token=admin, body={"name": "A", "custom": {"cccd": "0790", "tier": "Đồng"}})
    assert r.status == 400 and "custom.tier" in r.json["error"]["fields"]
    c = contact(api, admin, name="A", custom={"cccd": "079012345678", "tier": "Vàng"})
    assert c["custom"] == {"cccd": "079012345678", "tier": "Vàng"}
    r = api.request("PATCH", f"/v1/contacts/{c['id']}", token=admin, body={"custom": {"tier": None}})
    assert r.status == 200 and r.json["custom"] == {"cccd": "079012345678"}
    r = api.request("PATCH", "/v1/contact-fields/tier", token=admin, body={"options": ["Vàng", "Bạc", "Đồng"]})
    assert r.status == 200 and r.json["options"] == ["Vàng", "Bạc", "Đồng"]
    assert api.delete("/v1/contact-fields/tier", token=admin).status == 204
    assert api.get("/v1/contact-fields/tier", token=admin).status == 404


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode()


def _import(api: Api, token: str, filename: str, content: bytes, **extra: Any) -> dict[str, Any]:
    body = {"filename": filename, "content_base64": base64.b64encode(content).decode(), **extra}
    r = api.post("/v1/contacts/imports", token=token, body=body)
    assert r.status == 201, r.text
    doc: dict[str, Any] = r.json
    return doc


def test_csv_import_previews_then_imports_with_duplicates_and_row_errors(api: Api, s3: Any) -> None:
    _, admin = api.tenant("acme.probox.vn")
    owner_id, _ = user(api, admin, "lan@acme.vn")
    existing = contact(api, admin, name="Có sẵn", numbers=["0912000099"])
    rows = [
        ["Họ tên", "Số điện thoại", "Công ty", "Email", "Người phụ trách", "Nhãn", "Ghi chú", "Cột lạ"],
        ["Nguyễn Văn An", "0912 000 001", "ACME", "an@acme.vn", "lan@acme.vn", "vip; hcm", "", "x"],
        ["Trần Bình", "not a number", "", "", "", "", "", ""],
        ["Lê Chi", "+84912000002", "", "bad-email", "", "", "", ""],
        ["", "", "", "", "", "", "", ""],
        ["An trùng", "0912000001", "", "", "", "", "", ""],
        ["Khách cũ", "0912000099", "Mới", "", "", "vip", "", ""],
        ["Dũng", "0912000003", "", "", "nobody@acme.vn", "", "", ""],
    ]
    imp = _import(api, admin, "khach.csv", _csv(rows))
    assert imp["status"] == "previewed", imp
    assert imp["columns"] == {
        "Họ tên": "name", "Số điện thoại": "number", "Công ty": "company", "Email": "email",
        "Người phụ trách": "owner", "Nhãn": "tags", "Ghi chú": "notes",
    }  # fmt: skip
    assert imp["rows"] == 6 and imp["invalid"] == 3 and imp["duplicates"] == 2 and imp["valid"] == 3
    assert [(e["row"], e["field"]) for e in imp["errors"]] == [(3, "number"), (4, "email"), (8, "owner")]
    assert imp["sample"][0]["numbers"] == ["0912000001"] and imp["sample"][0]["owner"] == owner_id
    assert api.get("/v1/contacts/lookup?number=0912000001", token=admin).status == 404  # nothing written yet
    done = api.post(f"/v1/contacts/imports/{imp['id']}/commit", token=admin)
    assert done.status == 202 and done.json["status"] == "done", done.text
    assert done.json["created"] == 1 and done.json["skipped"] == 1
    an = api.get("/v1/contacts/lookup?number=0912000001", token=admin).json
    assert an["name"] == "Nguyễn Văn An" and an["tags"] == ["vip", "hcm"] and an["source"] == "import"
    assert an["owner"] == owner_id and an["email"] == "an@acme.vn"
    assert [c["id"] for c in api.get("/v1/contacts?q=an", token=admin).json["items"]] == [an["id"]]
    assert api.get(f"/v1/contacts/{existing['id']}", token=admin).json["company"] == ""  # skipped
    assert api.post(f"/v1/contacts/imports/{imp['id']}/commit", token=admin).status == 409  # once
    # the same file again, merging duplicates into the existing contacts
    again = _import(api, admin, "khach.csv", _csv(rows))
    r = api.post(f"/v1/contacts/imports/{again['id']}/preview", token=admin, body={"on_duplicate": "update"})
    assert r.status == 200 and r.json["duplicates"] == 3
    done = api.post(f"/v1/contacts/imports/{again['id']}/commit", token=admin).json
    assert done["created"] == 0 and done["updated"] == 2
    merged = api.get(f"/v1/contacts/{existing['id']}", token=admin).json
    assert merged["company"] == "Mới" and merged["tags"] == ["vip"] and merged["name"] == "Có sẵn"
    listed = api.get("/v1/contacts/imports", token=admin).json["items"]
    assert [i["id"] for i in listed] == [again["id"], imp["id"]]


def test_import_refuses_bad_files_and_mappings(api: Api, s3: Any) -> None:
    _, admin = api.tenant("acme.probox.vn")
    _, agent = user(api, admin, "agent@acme.vn")
    no_numbers = api.post(
        "/v1/contacts/imports",
        token=admin,
        body={"filename": "a.csv", "content_base64": base64.b64encode(_csv([["Tên"], ["An"]])).decode()},
    )
    assert no_numbers.status == 400 and "file" in no_numbers.json["error"]["fields"]
    bad = [
        ({"filename": "a.txt", "content_base64": ""}, "filename"),
        ({"filename": "a.csv", "content_base64": "!!!"}, "content_base64"),
        ({"filename": "a.xlsx", "content_base64": base64.b64encode(b"not a zip").decode()}, "file"),
        ({"filename": "a.csv", "kind": "people"}, "kind"),
    ]
    for body, field in bad:
        r = api.post("/v1/contacts/imports", token=admin, body=body)
        assert r.status == 400 and field in r.json["error"]["fields"], (body, r.text)
    imp = _import(api, admin, "a.csv", _csv([["Phone", "Name"], ["0912000001", "An"]]))
    r = api.post(f"/v1/contacts/imports/{imp['id']}/preview", token=admin, body={"mapping": {"Name": "salary"}})
    assert r.status == 400 and "mapping.Name" in r.json["error"]["fields"]
    r = api.post(f"/v1/contacts/imports/{imp['id']}/preview", token=admin, body={"mapping": {"Nope": "name"}})
    assert r.status == 400 and "mapping.Nope" in r.json["error"]["fields"]
    r = api.post(f"/v1/contacts/imports/{imp['id']}/preview", token=admin, body={"mapping": {"Name": "ignore"}})
    assert r.status == 200 and r.json["columns"] == {"Phone": "number"}
    assert api.post("/v1/contacts/imports", token=agent, body={"filename": "a.csv"}).status == 403
    assert api.get("/v1/contacts/imports/imp_000000000000", token=admin).status == 404


def test_upload_link_import_of_a_10000_row_workbook_reports_exactly_its_3_bad_rows(api: Api, s3: Any) -> None:
    _, admin = api.tenant("acme.probox.vn")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Khách hàng")
    ws.append(["Họ và tên", "SĐT", "SĐT 2", "Phân khúc"])
    bad_rows = {1234: "012", 5000: "09abc", 9999: "+1"}
    for i in range(10_000):
        line = i + 2
        number: Any = 912000000 + i  # a number cell: its leading 0 is lost, as Excel does
        ws.append([f"Khách {i}", bad_rows.get(line, number), "", "bán lẻ"])
    buf = io.BytesIO()
    wb.save(buf)
    r = api.post("/v1/contacts/imports", token=admin, body={"filename": "khach.xlsx"})
    assert r.status == 201 and r.json["status"] == "uploading" and r.json["upload_url"]
    put = requests.put(r.json["upload_url"], data=buf.getvalue(), timeout=30)
    assert put.status_code == 200
    imp = api.post(f"/v1/contacts/imports/{r.json['id']}/preview", token=admin, body={})
    assert imp.status == 200, imp.text
    assert imp.json["rows"] == 10_000 and imp.json["invalid"] == 3
    assert sorted({e["row"] for e in imp.json["errors"]}) == sorted(bad_rows)
    done = api.post(f"/v1/contacts/imports/{r.json['id']}/commit", token=admin).json
    assert done["status"] == "done" and done["created"] == 9_997
    assert api.get("/v1/contacts/lookup?number=0912000000", token=admin).json["segments"] == ["bán lẻ"]
    assert api.get("/v1/contacts/lookup?number=0912001232", token=admin).status == 404  # row 1234


def test_export_a_segment_to_xlsx_and_csv(api: Api, s3: Any) -> None:
    _, admin = api.tenant("acme.probox.vn")
    _, agent = user(api, admin, "agent@acme.vn")
    contact(api, admin, name="=cmd|' /C calc'!A0", numbers=["0912000001"], segments=["hn"], tags=["vip"])
    contact(api, admin, name="Lê Ánh", numbers=["0912000002"], segments=["hcm"])
    r = api.post("/v1/contacts/export?segment=hn", token=admin)
    assert r.status == 201 and r.json["rows"] == 1 and r.headers["cache-control"] == "no-store"
    got = requests.get(r.json["url"], timeout=10)
    wb = openpyxl.load_workbook(io.BytesIO(got.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("Họ tên", "Công ty", "Email", "Số điện thoại")
    assert rows[1][0] == "=cmd|' /C calc'!A0" and rows[1][3] == "0912000001"
    assert wb.worksheets[0]["A2"].data_type == "s"  # text, never a formula
    r = api.post("/v1/contacts/export?format=csv&lang=en", token=admin)
    text = requests.get(r.json["url"], timeout=10).content.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0][0] == "Name" and len(parsed) == 3
    assert {p[0] for p in parsed[1:]} == {"'=cmd|' /C calc'!A0", "Lê Ánh"}
    assert api.post("/v1/contacts/export", token=agent).status == 403
    assert api.post("/v1/contacts/export?format=pdf", token=admin).status == 400


def test_national_do_not_call_list(api: Api, s3: Any) -> None:
    _, admin = api.tenant("acme.probox.vn")
    _, agent = user(api, admin, "agent@acme.vn")
    c = contact(api, admin, name="An", numbers=["0912000001"], dnc={"sms": {"reason": "khách yêu cầu"}})
    assert c["dnc"]["sms"]["reason"] == "khách yêu cầu" and c["callable"] is True
    imp = _import(api, admin, "dnc.csv", b"0912000001\n+84912000002\nabc\n", kind="dnc", source="DNCR 2025-11")
    assert imp["rows"] == 3 and imp["invalid"] == 1 and imp["errors"][0]["row"] == 3
    done = api.post(f"/v1/contacts/imports/{imp['id']}/commit", token=admin).json
    assert done["created"] == 2
    entry = api.get("/v1/contacts/dnc/0912000002", token=admin)
    assert entry.status == 200 and entry.json["source"] == "DNCR 2025-11"
    assert api.get("/v1/contacts/dnc/0912000003", token=admin).status == 404
    assert api.get(f"/v1/contacts/{c['id']}", token=admin).json["national_dnc"] == ["0912000001"]
    r = api.request("PATCH", f"/v1/contacts/{c['id']}", token=admin, body={"dnc": {"call": {"reason": "không gọi"}}})
    assert r.json["callable"] is False and sorted(r.json["dnc"]) == ["call", "sms"]
    assert [x["id"] for x in api.get("/v1/contacts?dnc=call", token=admin).json["items"]] == [c["id"]]
    r = api.request("PATCH", f"/v1/contacts/{c['id']}", token=admin, body={"dnc": {"call": None}})
    assert r.json["callable"] is True
    assert api.delete("/v1/contacts/dnc/0912000002", token=agent).status == 403
    assert api.delete("/v1/contacts/dnc/0912000002", token=admin).status == 204
    assert api.get("/v1/contacts/dnc/0912000002", token=admin).status == 404


def test_offboarding_deletes_contacts_and_tickets(api: Api, s3: Any) -> None:
    import boto3

    from control_plane.core import settings

    from .conftest import provider_token

    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    missed = {"direction": "inbound", "caller": "0912000001", "callee": "101", "disposition": "busy"}
    assert (
        api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "m1", "2025-11-05T02:00:00.000Z", **missed)).status
        == 201
    )
    contact(api, admin, name="Lê Ánh", numbers=["0912000002"])
    _import(api, admin, "dnc.csv", b"0912000003\n", kind="dnc")
    api.post("/v1/tickets", token=admin, body={"subject": "x"})
    r = api.request("DELETE", f"/v1/tenants/{tid}?force=true", token=provider_token())
    assert r.status == 202 and r.json["status"] == "done", r.text
    table = boto3.client("dynamodb", region_name="ap-southeast-1")
    left = [
        i["pk"]["S"]
        for page in table.get_paginator("scan").paginate(TableName=settings.aws().table)
        for i in page["Items"]
        if i["pk"]["S"].startswith(f"T#{tid}")
    ]
    assert left == []
