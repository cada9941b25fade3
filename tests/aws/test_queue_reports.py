"""Queue and agent reports through the API (issue 16 item 5, ``POST /v1/queues/report.xlsx``).

Events reach the control plane as an edge posts them; the workbook is downloaded through its
presigned link, as a browser would, and read back with openpyxl: the tenant's queue and
agents, the period's events only, per-interval rows with a chart, in the language asked
for. Another tenant's report shows none of it and cannot name its queue (404) or its report
(404); a bad period or interval is 400 with the field; agents are refused (403).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from reports.queue_xlsx import SUMMARY_QUEUE_HEADER_ROW

from .conftest import REPORTS_BUCKET, Api, fetch_report

pytestmark = pytest.mark.aws

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
T0 = 1_764_547_200.0  # 2025-12-01T00:00:00Z = 07:00 in Ho Chi Minh City (the default zone)
DAY = "from=2025-12-01T07:00:00&to=2025-12-02T07:00:00"  # local times: T0 .. T0 + 24 h


def caller(tid: str, qid: str, kind: str, at: float, call_id: str, **extra: Any) -> dict[str, Any]:
    return {"at": T0 + at, "tenant_id": tid, "queue_id": qid, "kind": kind, "call_id": call_id, **extra}


def cc(api: Api, domain: str, queue_name: str, agent: str, agent_name: str) -> tuple[str, str, str]:
    """A call-center tenant with one queue and one agent: (tenant, admin, queue id)."""
    tid, admin = api.tenant(domain, plan="CC-10")
    api.extension(admin, agent, agent_name)
    body = {"name": queue_name, "number": "600", "members": [{"extension": agent}]}
    q = api.post("/v1/queues", token=admin, body=body)
    assert q.status == 201, q.text
    return tid, admin, q.json["id"]


def post_events(api: Api, edge: str, events: list[dict[str, Any]]) -> None:
    r = api.post("/edge/v1/queue-events", token=edge, body={"events": events})
    assert r.status == 200, r.text
    assert {x["status"] for x in r.json["results"]} == {"created"}, r.text


def day_of_calls(tid: str, qid: str, agent: str) -> list[dict[str, Any]]:
    return [
        caller(tid, qid, "enter", -60, "early"),  # before the period
        {"at": T0 + 1, "tenant_id": tid, "kind": "login", "agent": agent},
        caller(tid, qid, "enter", 10, "c1", position=1),
        caller(tid, qid, "answer", 18, "c1", agent=agent, wait_s=8),  # in SL (20 s)
        caller(tid, qid, "complete", 138, "c1", agent=agent, talk_s=120),
        caller(tid, qid, "enter", 3700, "c2", position=1),
        caller(tid, qid, "abandon", 3760, "c2", wait_s=60),  # after T
        caller(tid, qid, "enter", 86400, "late"),  # at the period's end: left out
    ]


def create(api: Api, token: str, query: str) -> dict[str, Any]:
    r = api.post(f"/v1/queues/report.xlsx?{query}", token=token)
    assert r.status == 201, r.text
    assert r.headers["cache-control"] == "no-store"
    doc: dict[str, Any] = r.json
    return doc


def workbook(report: dict[str, Any]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(fetch_report(report, XLSX)))


def summary_rows(ws: Worksheet) -> dict[str, dict[str, Any]]:
    header = [c.value for c in ws[SUMMARY_QUEUE_HEADER_ROW]]
    out: dict[str, dict[str, Any]] = {}
    for row in ws.iter_rows(min_row=SUMMARY_QUEUE_HEADER_ROW + 1, values_only=True):
        if row[0] is None:
            break
        out[str(row[0])] = dict(zip(header, row, strict=True))
    return out


def agent_rows(wb: openpyxl.Workbook) -> dict[str, tuple[Any, ...]]:
    return {str(r[0]): r for r in wb.worksheets[2].iter_rows(min_row=2, values_only=True)}


def test_report_of_the_tenants_events(api: Api, s3: Any) -> None:
    tid, admin, qid = cc(api, "cc.probox.vn", "Bán hàng", "101", "Lan")
    edge = api.edge("edge-1", [tid])
    post_events(api, edge, day_of_calls(tid, qid, "101"))
    report = create(api, admin, f"{DAY}&interval=1h&lang=vi")
    assert report["id"].startswith("rpt_") and report["queue_id"] is None
    assert (report["period_start"], report["period_end"]) == ("2025-12-01T00:00:00.000Z", "2025-12-02T00:00:00.000Z")
    assert (report["interval"], report["lang"], report["time_zone"]) == ("1h", "vi", "Asia/Ho_Chi_Minh")
    assert report["events"] == 6  # the login and five caller events of the period
    assert report["filename"].startswith("queues-") and report["filename"].endswith(".xlsx")
    assert f"/tenants/{tid}/reports/queues/{report['id']}.xlsx" in report["url"]
    wb = workbook(report)
    assert wb.sheetnames == ["Tổng quan", "Theo khoảng", "Nhân viên"]
    summary = wb.worksheets[0]
    assert summary["B2"].value == "cc.probox.vn"
    assert summary["B3"].value == datetime(2025, 12, 1, 7, 0)
    row = summary_rows(summary)["Bán hàng"]
    # c1 answered in 8 s, c2 abandoned after 60 s: SL 1/1, with abandons 1/2; abandon rate 1/2
    assert (row["Số"], row["Cuộc vào"], row["Đã trả lời"], row["Bỏ máy (tất cả)"]) == ("600", 2, 1, 1)
    assert (row["Mức phục vụ (cuộc trả lời)"], row["Mức phục vụ (tính bỏ máy)"], row["Tỷ lệ bỏ máy"]) == (1, 0.5, 0.5)
    assert row["Thời gian chờ TB"].total_seconds() == pytest.approx(8)
    assert row["Thời gian đàm thoại TB"].total_seconds() == pytest.approx(120)
    intervals = wb.worksheets[1]
    assert intervals.max_row == 1 + 24  # one queue: 24 hours, no "all queues" block
    assert [r[3] for r in intervals.iter_rows(min_row=2, max_row=3, values_only=True)] == [1, 1]  # offered
    assert len(intervals._charts) == 1
    agent = agent_rows(wb)["101"]
    assert (agent[1], agent[2]) == ("Lan", 1)  # name, answered
    # a new link to the same workbook
    again = api.get(f"/v1/queues/report.xlsx/{report['id']}", token=admin)
    assert again.status == 200, again.text
    assert {k: again.json[k] for k in ("filename", "bytes", "events", "lang", "interval", "period_start")} == {
        k: report[k] for k in ("filename", "bytes", "events", "lang", "interval", "period_start")
    }
    assert fetch_report(again.json, XLSX) == fetch_report(report, XLSX)
    # English, one queue, 15-minute rows: 96 of them
    one = create(api, admin, f"{DAY}&interval=15m&lang=en&queue_id={qid}")
    assert one["queue_id"] == qid
    wb = workbook(one)
    assert wb.sheetnames == ["Summary", "Intervals", "Agents"]
    assert list(summary_rows(wb.worksheets[0])) == ["Bán hàng"]
    assert wb.worksheets[1].max_row == 1 + 96


def test_another_tenant_sees_none_of_it(api: Api, s3: Any) -> None:
    tid_a, admin_a, qid_a = cc(api, "a.probox.vn", "A sales", "101", "Agent of A")
    tid_b, admin_b, _ = cc(api, "b.probox.vn", "B support", "201", "Agent of B")
    edge = api.edge("edge-1", [tid_a, tid_b])
    post_events(api, edge, day_of_calls(tid_a, qid_a, "101"))
    report_a = create(api, admin_a, DAY)
    report_b = create(api, admin_b, DAY)
    assert report_b["events"] == 0
    assert f"/tenants/{tid_b}/reports/queues/" in report_b["url"]
    wb = workbook(report_b)
    assert list(summary_rows(wb.worksheets[0])) == ["B support"]
    assert agent_rows(wb) == {}
    cells = {str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None}
    assert not {"A sales", "101", "Agent of A"} & cells
    # B cannot name A's queue nor fetch A's report; A's own link still works
    r = api.post(f"/v1/queues/report.xlsx?{DAY}&queue_id={qid_a}", token=admin_b)
    assert (r.status, r.json["error"]["code"]) == (404, "not_found")
    r = api.get(f"/v1/queues/report.xlsx/{report_a['id']}", token=admin_b)
    assert (r.status, r.json["error"]["code"]) == (404, "not_found")
    assert api.get(f"/v1/queues/report.xlsx/{report_a['id']}", token=admin_a).status == 200
    assert api.get("/v1/queues/report.xlsx/rpt_0123456789ab", token=admin_a).status == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("to=2025-12-02", "from"),
        ("from=2025-12-01", "to"),
        ("from=yesterday&to=2025-12-02", "from"),
        ("from=2025-12-02&to=2025-12-01", "to"),
        ("from=2025-12-01&to=2025-12-01", "to"),
        ("from=2025-12-01&to=2026-01-01T00:00:01", "to"),  # 31 days and a second
        ("from=2025-12-01&to=2025-12-02&interval=5m", "interval"),
        ("from=2025-12-01&to=2025-12-02&lang=fr", "lang"),
        ("from=2025-12-01&to=2025-12-02&queue_id=600", "queue_id"),
        ("from=2025-12-01&to=2025-12-02&extension=101", "extension"),
    ],
)
def test_bad_query_is_400_with_the_field(api: Api, s3: Any, query: str, field: str) -> None:
    _, admin, _ = cc(api, "bad.probox.vn", "Sales", "101", "")
    r = api.post(f"/v1/queues/report.xlsx?{query}", token=admin)
    assert r.status == 400, r.text
    assert r.json["error"]["code"] == "validation_failed"
    assert r.json["error"]["fields"].get(field), r.json
    assert s3.list_objects_v2(Bucket=REPORTS_BUCKET).get("KeyCount", 0) == 0


def test_31_days_is_the_longest_period(api: Api, s3: Any) -> None:
    _, admin, _ = cc(api, "long.probox.vn", "Sales", "101", "")
    report = create(api, admin, "from=2025-12-01&to=2026-01-01&interval=1d")
    assert workbook(report).worksheets[1].max_row == 1 + 31


def test_roles(api: Api, s3: Any) -> None:
    _, admin, _ = cc(api, "roles.probox.vn", "Sales", "101", "")
    supervisor = api.post("/v1/api-keys", token=admin, body={"name": "sup", "role": "supervisor"}).json["key"]
    agent = api.post("/v1/api-keys", token=admin, body={"name": "agent", "role": "agent"}).json["key"]
    r = api.post(f"/v1/queues/report.xlsx?{DAY}", token=agent)
    assert (r.status, r.json["error"]["code"]) == (403, "forbidden")
    report = create(api, supervisor, DAY)
    assert api.get(f"/v1/queues/report.xlsx/{report['id']}", token=agent).status == 403
    assert api.get(f"/v1/queues/report.xlsx/{report['id']}", token=supervisor).status == 200
    assert api.post(f"/v1/queues/report.xlsx?{DAY}").status == 401


def test_bounds_on_events_and_interval_rows(api: Api, s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from control_plane.queue_reports import service

    tid, admin, qid = cc(api, "big.probox.vn", "Sales", "101", "")
    post_events(api, api.edge("edge-1", [tid]), day_of_calls(tid, qid, "101"))
    monkeypatch.setattr(service, "MAX_EVENTS", 5)  # the period holds 6
    r = api.post(f"/v1/queues/report.xlsx?{DAY}", token=admin)
    assert (r.status, r.json["error"]["code"]) == (413, "export_too_large"), r.text
    monkeypatch.setattr(service, "MAX_EVENTS", 6)
    monkeypatch.setattr(service, "MAX_INTERVAL_ROWS", 24)  # one queue: 24 hours, or 96 quarters
    create(api, admin, f"{DAY}&interval=1h")
    r = api.post(f"/v1/queues/report.xlsx?{DAY}&interval=15m", token=admin)
    assert (r.status, r.json["error"]["code"]) == (400, "validation_failed"), r.text
    assert r.json["error"]["fields"]["interval"]
    assert s3.list_objects_v2(Bucket=REPORTS_BUCKET)["KeyCount"] == 1  # the 1-hour report only
