"""Tickets (F12, issue 17): create by hand, from a call or a contact; status, priority,
assignee, team; SLA timers on the business calendar (paused outside business hours, on
holidays and while pending); comments with @mentions notified as events; linked calls;
search, filters, saved views, export; agents see their own tickets."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
import requests

from control_plane.core import clock

from .conftest import Api, cdr_doc
from .test_contacts import contact, user

pytestmark = pytest.mark.aws

HCM = dt.timezone(dt.timedelta(hours=7))


def ticket(api: Api, token: str, **body: Any) -> dict[str, Any]:
    r = api.post("/v1/tickets", token=token, body={"subject": "Khách hỏi hóa đơn", **body})
    assert r.status == 201, r.text
    doc: dict[str, Any] = r.json
    return doc


def at(monkeypatch: pytest.MonkeyPatch, when: dt.datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: when.astimezone(dt.UTC))


def test_ticket_life_with_sla_timers_on_the_business_calendar(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    _, admin = api.tenant("acme.probox.vn")  # Asia/Ho_Chi_Minh; Mon-Fri 08:00-17:30, Sat 08:00-12:00
    at(monkeypatch, dt.datetime(2026, 2, 13, 16, 0, tzinfo=HCM))  # Friday before Tết
    t = ticket(api, admin, priority="high")  # 60 / 480 business minutes
    assert t["number"] == 1 and t["status"] == "new" and t["source"] == "manual"
    # 16:00 + 60 min = 17:00 the same day
    assert t["sla"]["first_response"]["due_at"] == "2026-02-13T10:00:00.000Z"
    # 90 min on Friday, Saturday 14 Feb 4 h (240), Sunday closed, Tết closes Mon-Fri 16-20 Feb: 150 min on Sat 21
    assert t["sla"]["resolution"]["due_at"] == "2026-02-21T03:30:00.000Z"
    at(monkeypatch, dt.datetime(2026, 2, 17, 10, 0, tzinfo=HCM))  # Tết: the clock stands
    got = api.get(f"/v1/tickets/{t['id']}", token=admin).json
    assert got["sla"]["paused"] is True and got["sla"]["paused_reason"] == "holiday"
    assert got["sla"]["first_response"]["breached"] is True
    assert got["sla"]["resolution"]["remaining_min"] == 150
    at(monkeypatch, dt.datetime(2026, 2, 21, 8, 30, tzinfo=HCM))
    # pending stops the resolution clock; back to open pushes its due by the business time spent
    r = api.request("PATCH", f"/v1/tickets/{t['id']}", token=admin, body={"status": "pending"})
    assert r.status == 200 and r.json["sla"]["paused_reason"] == "pending"
    at(monkeypatch, dt.datetime(2026, 2, 21, 9, 30, tzinfo=HCM))
    r = api.request("PATCH", f"/v1/tickets/{t['id']}", token=admin, body={"status": "open"})
    assert r.json["sla"]["resolution"]["due_at"] == "2026-02-21T04:30:00.000Z"  # one hour later
    assert r.json["sla"]["paused"] is False
    r = api.request("PATCH", f"/v1/tickets/{t['id']}", token=admin, body={"status": "solved"})
    assert r.json["solved_at"] == "2026-02-21T02:30:00.000Z"
    assert r.json["sla"]["resolution"]["met_at"] == r.json["solved_at"] and not r.json["sla"]["resolution"]["breached"]
    at(monkeypatch, dt.datetime(2026, 2, 21, 20, 0, tzinfo=HCM))
    assert api.get(f"/v1/tickets/{t['id']}", token=admin).json["sla"]["paused"] is False  # solved: no clock


def test_ticket_settings(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    s = api.get("/v1/tickets/settings", token=admin).json
    assert s["business_hours"]["sun"] is None and s["public_holidays"] is True and "2026-02-17" in s["holidays"]
    body = {
        "business_hours": {"sat": None},
        "days_off": ["2026-12-31"],
        "sla": {"urgent": {"first_response_min": 15, "resolution_min": 60}},
    }
    r = api.request("PATCH", "/v1/tickets/settings", token=admin, body=body)
    assert (
        r.status == 200
        and r.json["business_hours"]["sat"] is None
        and r.json["sla"]["urgent"]["first_response_min"] == 15
    )
    for bad, field in (
        ({"business_hours": {"mon": {"start": "18:00", "end": "08:00"}}}, "business_hours.mon"),
        ({"business_hours": {"mon": {"start": "8am", "end": "17:00"}}}, "business_hours.mon.start"),
        ({"days_off": ["2026-13-40"]}, "days_off.0"),
        ({"sla": {"low": {"first_response_min": 100, "resolution_min": 10}}}, "sla.low"),
        ({"sla": {"urgent": {"first_response_min": 0, "resolution_min": 10}}}, "sla.urgent.first_response_min"),
    ):
        r = api.request("PATCH", "/v1/tickets/settings", token=admin, body=bad)
        assert r.status == 400 and field in r.json["error"]["fields"], (bad, r.text)
    closed = {d: None for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    r = api.request("PATCH", "/v1/tickets/settings", token=admin, body={"business_hours": closed})
    assert r.status == 400 and "business_hours" in r.json["error"]["fields"]


def test_comments_mentions_calls_and_contact_links(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    lan_id, lan = user(api, admin, "lan@acme.vn", role="supervisor")
    edge = api.edge()
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "call-9", "2025-11-03T02:00:00.000Z"))
    c = contact(api, admin, name="An", numbers=["0912000001"])
    t = ticket(api, admin, contact_id=c["id"], call_id="call-9", team="CSKH", tags=["hóa đơn"])
    assert t["source"] == "call" and [x["call_id"] for x in t["calls"]] == ["call-9"]
    r = api.post(
        f"/v1/tickets/{t['id']}/comments",
        token=admin,
        body={"body": "Nhờ @lan@acme.vn gọi lại khách", "internal": True},
    )
    assert r.status == 201 and r.json["mentions"] == [lan_id]
    assert api.get(f"/v1/tickets/{t['id']}", token=admin).json["first_response_at"] is None  # internal note
    r = api.post(f"/v1/tickets/{t['id']}/comments", token=lan, body={"body": "Đã gọi, khách đồng ý"})
    assert r.status == 201
    got = api.get(f"/v1/tickets/{t['id']}", token=admin).json
    assert got["status"] == "open" and got["first_response_at"] == r.json["created_at"]
    comments = api.get(f"/v1/tickets/{t['id']}/comments", token=admin).json["items"]
    assert [x["author"] for x in comments][1] == lan_id and comments[0]["internal"] is True
    events = api.get("/v1/events", token=admin).json["items"]
    mention = [e for e in events if e["type"] == "ticket.mentioned"]
    assert len(mention) == 1 and mention[0]["data"]["user_id"] == lan_id and mention[0]["data"]["ticket_id"] == t["id"]
    assert any(e["type"] == "ticket.created" for e in events)
    r = api.post(f"/v1/tickets/{t['id']}/comments", token=admin, body={"body": "x", "mentions": ["usr_000000000000"]})
    assert r.status == 400 and "mentions.0" in r.json["error"]["fields"]
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "call-10", "2025-11-04T02:00:00.000Z"))
    r = api.post(f"/v1/tickets/{t['id']}/calls", token=admin, body={"call_id": "call-10"})
    assert r.status == 200 and [x["call_id"] for x in r.json["calls"]] == ["call-10", "call-9"]
    r = api.post(f"/v1/tickets/{t['id']}/calls", token=admin, body={"call_id": "nope"})
    assert r.status == 400 and r.json["error"]["fields"] == {"call_id": "not found"}
    assert [x["id"] for x in api.get(f"/v1/tickets?contact_id={c['id']}", token=admin).json["items"]] == [t["id"]]
    r = api.request("PATCH", f"/v1/tickets/{t['id']}", token=admin, body={"contact_id": ""})
    assert r.status == 200 and api.get(f"/v1/tickets?contact_id={c['id']}", token=admin).json["items"] == []


def test_search_filters_views_and_export(api: Api, s3: Any) -> None:
    _, admin = api.tenant("acme.probox.vn")
    lan_id, _ = user(api, admin, "lan@acme.vn", role="supervisor")
    a = ticket(api, admin, subject="Lỗi hóa đơn tháng 11", priority="urgent", team="CSKH")
    b = ticket(api, admin, subject="Đổi gói cước", assignee=lan_id)
    c = ticket(api, admin, subject="Hỏi giá", status="pending")

    def ids(query: str) -> list[str]:
        r = api.get(f"/v1/tickets?{query}", token=admin)
        assert r.status == 200, r.text
        return [x["id"] for x in r.json["items"]]

    assert ids("") == [c["id"], b["id"], a["id"]]  # newest first
    assert ids("q=hoa%20don") == [a["id"]]
    assert ids("status=new,pending") == [c["id"], b["id"], a["id"]]
    assert ids("status=pending") == [c["id"]]
    assert ids("priority=urgent") == [a["id"]]
    assert ids(f"assignee={lan_id}") == [b["id"]]
    assert ids("assignee=none&team=CSKH") == [a["id"]]
    assert ids("limit=1")[0] == c["id"]
    assert api.get("/v1/tickets?status=lost", token=admin).status == 400
    view = api.post(
        "/v1/ticket-views", token=admin, body={"name": "Gấp", "shared": True, "filters": {"priority": "urgent"}}
    )
    assert view.status == 201, view.text
    assert ids(f"view={view.json['id']}") == [a["id"]]
    assert [v["name"] for v in api.get("/v1/ticket-views", token=admin).json["items"]] == ["Gấp"]
    assert api.get("/v1/tickets?view=tv_000000000000", token=admin).status == 400
    assert api.post("/v1/ticket-views", token=admin, body={"name": "x", "filters": {"status": ["lost"]}}).status == 400
    r = api.post("/v1/tickets/export?lang=en", token=admin)
    assert r.status == 201 and r.json["rows"] == 3, r.text
    wb = openpyxl.load_workbook(io.BytesIO(requests.get(r.json["url"], timeout=10).content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("Number", "Subject", "Status") and {r[1] for r in rows[1:]} == {
        "Lỗi hóa đơn tháng 11", "Đổi gói cước", "Hỏi giá"
    }  # fmt: skip
    assert api.delete(f"/v1/ticket-views/{view.json['id']}", token=admin).status == 204
    assert api.delete(f"/v1/tickets/{a['id']}", token=admin).status == 204
    assert api.get(f"/v1/tickets/{a['id']}", token=admin).status == 404


def test_agents_see_their_own_tickets(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    agent_id, agent = user(api, admin, "agent@acme.vn")
    other_id, _ = user(api, admin, "other@acme.vn")
    mine = ticket(api, admin, assignee=agent_id)
    theirs = ticket(api, admin, assignee=other_id)
    made = ticket(api, agent, subject="Khách gọi hỏi")
    assert made["created_by"] == agent_id
    assert {x["id"] for x in api.get("/v1/tickets", token=agent).json["items"]} == {mine["id"], made["id"]}
    assert api.get(f"/v1/tickets/{theirs['id']}", token=agent).status == 404
    assert api.request("PATCH", f"/v1/tickets/{theirs['id']}", token=agent, body={"status": "open"}).status == 404
    assert api.request("PATCH", f"/v1/tickets/{made['id']}", token=agent, body={"assignee": other_id}).status == 403
    assert api.request("PATCH", f"/v1/tickets/{made['id']}", token=agent, body={"assignee": agent_id}).status == 200
    assert api.delete(f"/v1/tickets/{mine['id']}", token=agent).status == 403
    assert api.post("/v1/tickets/export", token=agent).status == 403
    assert api.post("/v1/ticket-views", token=agent, body={"name": "x", "shared": True, "filters": {}}).status == 403
    assert api.request("PATCH", "/v1/tickets/settings", token=agent, body={"public_holidays": False}).status == 403


def test_bad_ticket_input_is_400(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    for body, field in (
        ({}, "subject"),
        ({"subject": ""}, "subject"),
        ({"subject": "x", "status": "done"}, "status"),
        ({"subject": "x", "priority": 1}, "priority"),
        ({"subject": "x", "assignee": "usr_000000000000"}, "assignee"),
        ({"subject": "x", "contact_id": "ct_000000000000"}, "contact_id"),
        ({"subject": "x", "call_id": "nope"}, "call_id"),
        ({"subject": "x\nBcc: a@b.c"}, "subject"),
    ):
        r = api.post("/v1/tickets", token=admin, body=body)
        assert r.status == 400 and field in r.json["error"]["fields"], (body, r.text)
    t = ticket(api, admin)
    assert api.request("PATCH", f"/v1/tickets/{t['id']}", token=admin, body={"status": "x"}).status == 400
    assert api.request("PATCH", "/v1/tickets/tk_00000000ffff", token=admin, body={"status": "x"}).status == 404
    assert api.post(f"/v1/tickets/{t['id']}/comments", token=admin, body={"body": " "}).status == 400
    assert api.get("/v1/tickets/not-an-id", token=admin).status == 404
    r = api.get("/v1/tickets?contact_id=nope", token=admin)
    assert r.status == 400 and "contact_id" in r.json["error"]["fields"]


def test_callback_task_of_a_missed_call(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    owner_id, owner = user(api, admin, "lan@acme.vn")
    api.extension(admin, "101")
    c = contact(api, admin, name="Nguyễn An", numbers=["0912000001"], owner=owner_id)
    edge = api.edge()
    missed = cdr_doc(
        tid, "m1", "2025-11-03T02:00:00.000Z", direction="inbound", caller="0912000001", callee="101",
        answered_at=None, disposition="cancelled", sip_code=487,
    )  # fmt: skip
    assert api.post("/edge/v1/cdrs", token=edge, body=missed).status == 201
    [t] = api.get("/v1/tickets", token=owner).json["items"]  # assigned to the contact's owner
    assert t["assignee"] == owner_id and t["contact_id"] == c["id"] and "Nguyễn An" in t["subject"]
    assert t["callback"]["number"] == "091****001"  # masked for the agent
    r = api.request("PATCH", f"/v1/tickets/{t['id']}", token=owner, body={"callback_done": True})
    assert r.status == 200 and r.json["callback"]["done_by"] == owner_id and r.json["first_response_at"]


def test_a_voice_message_left_to_a_queue_opens_a_ticket_that_says_so(api: Api) -> None:
    """A queue's ``message`` overflow: the CDR is unanswered with the caller's recording and
    ``queue_message`` in its chain; the ticket tells a voice message from a missed call."""
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    c = contact(api, admin, name="Trần Bình", numbers=["0912000002"])
    edge = api.edge()
    msg = cdr_doc(
        tid, "vm1", "2025-11-03T02:00:00.000Z", direction="inbound", caller="0912000002", callee="600",
        answered_at=None, disposition="no_answer", sip_code=200,
        chain=["queue:q1", "queue_overflow:message", "queue_message"],
    )  # fmt: skip
    assert api.post("/edge/v1/cdrs", token=edge, body=msg).status == 201
    [t] = api.get("/v1/tickets", token=admin).json["items"]
    assert t["subject"] == "Tin nhắn thoại — gọi lại Trần Bình" and t["contact_id"] == c["id"], t
    assert t["source"] == "missed_call" and t["callback"]["number"]
