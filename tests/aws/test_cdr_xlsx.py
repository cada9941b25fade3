"""F9: Excel export of calls through the API (``POST /v1/cdrs/export.xlsx``).

The workbook is downloaded through its presigned link, as a browser would, and read back
with openpyxl: the calls of the filter, their times in the tenant's time zone, headers in
the language asked for. Bad parameters are 400 per field, agents are refused, and another
tenant reaches neither the report nor the calls in it.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from reports import cdr_xlsx

from .conftest import (
    REPORTS_BUCKET,
    Api,
    assert_bad_export_query,
    create_report,
    fetch_report,
    post_cdr,
    three_calls_and_staff,
)

pytestmark = pytest.mark.aws

BUCKET = REPORTS_BUCKET
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NY = "America/New_York"


def post(api: Api, edge: str, tid: str, call_id: str, started: str, **extra: Any) -> None:
    post_cdr(api, edge, tid, call_id, started, **extra)


def export(api: Api, token: str, query: str = "") -> dict[str, Any]:
    return create_report(api, token, "xlsx", query)


def sheet(report: dict[str, Any]) -> Worksheet:
    book = openpyxl.load_workbook(io.BytesIO(fetch_report(report, XLSX)))
    [ws] = book.worksheets
    assert isinstance(ws, Worksheet)
    return ws


def rows_by_header(ws: Worksheet) -> tuple[list[Any], list[dict[str, Any]]]:
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    header, body = values[0], values[1:]
    keys = [c.key for c in cdr_xlsx.COLUMNS]
    return header, [dict(zip(keys, row, strict=True)) for row in body]


def test_workbook_holds_the_filtered_calls_in_the_tenant_zone(api: Api, s3: Any) -> None:
    tid, admin = api.tenant("ny.probox.vn", time_zone=NY)
    edge = api.edge()
    post(
        api, edge, tid, "summer", "2025-07-15T03:30:00.000Z",
        answered_at="2025-07-15T03:30:05.250Z", ended_at="2025-07-15T03:31:05.250Z", duration_s=60,
        caller="101", callee="0901234567", direction="outbound", billable_s=61, dialled="0901234567",
        hangup_cause="normal_clearing", hangup_side="caller",
    )  # fmt: skip
    post(
        api, edge, tid, "winter", "2025-01-15T03:30:00.000Z", answered_at=None, ended_at="2025-01-15T03:30:20.000Z",
        caller="0287654321", callee="101", direction="inbound", disposition="no_answer", sip_code=487,
    )  # fmt: skip
    post(api, edge, tid, "other-ext", "2025-07-15T03:40:00.000Z", caller="102", callee="103")
    post(api, edge, tid, "too-late", "2025-07-17T03:30:00.000Z", caller="101", callee="102")
    post(api, edge, tid, "too-early", "2025-01-14T04:59:59.000Z", caller="101", callee="102")  # 23:59:59 local

    # local dates (no offset): New York's midnights, EST in January and EDT in July
    query = "from=2025-01-14&to=2025-07-16&extension=101"
    report = export(api, admin, query)
    assert report["rows"] == 2 and report["truncated"] is False
    assert report["time_zone"] == NY and report["lang"] == "en" and report["content_type"] == XLSX
    assert report["id"].startswith("rpt_") and report["expires_in"] == 300
    url = urlparse(report["url"])
    assert url.path.endswith(f"/tenants/{tid}/reports/cdrs/{report['id']}.xlsx")
    assert parse_qs(url.query)["X-Amz-Expires"] == ["300"]
    tags = s3.get_object_tagging(Bucket=BUCKET, Key=f"tenants/{tid}/reports/cdrs/{report['id']}.xlsx")["TagSet"]
    assert tags == [{"Key": "probox:kind", "Value": "report"}]  # the bucket's 7-day lifecycle rule

    ws = sheet(report)
    assert ws.title == "Calls"
    header, rows = rows_by_header(ws)
    assert header == list(cdr_xlsx.header(NY, "en"))
    assert header[0] == f"Started ({NY})"
    assert [r["call_id"] for r in rows] == ["summer", "winter"]  # newest first, as the search
    summer, winter = rows
    assert summer["started_at"] == datetime(2025, 7, 14, 23, 30, 0)  # EDT, the evening before
    assert summer["answered_at"] == datetime(2025, 7, 14, 23, 30, 5, 250000)
    assert summer["ended_at"] == datetime(2025, 7, 14, 23, 31, 5, 250000)
    assert summer["duration_s"] == 60 and summer["billable_s"] == 61 and summer["sip_code"] == 200
    assert summer["caller"] == "101" and summer["callee"] == "0901234567"  # text: the leading 0 stays
    assert summer["direction"] == "outbound" and summer["disposition"] == "answered"
    assert summer["hangup_cause"] == "normal_clearing" and summer["hangup_side"] == "caller"
    assert winter["started_at"] == datetime(2025, 1, 14, 22, 30, 0)  # EST
    assert winter["answered_at"] is None and winter["ended_at"] == datetime(2025, 1, 14, 22, 30, 20)
    assert winter["disposition"] == "no_answer" and winter["sip_code"] == 487
    assert winter["caller"] == "0287654321"

    # the same calls, in the same order, as the CSV export of the same filter
    text = api.get(f"/v1/cdrs/export?{query}", token=admin).text
    assert [r["call_id"] for r in csv.DictReader(io.StringIO(text))] == ["summer", "winter"]


def test_vietnamese_headers_and_the_default_zone(api: Api, s3: Any) -> None:
    tid, admin = api.tenant("vn.probox.vn")
    edge = api.edge()
    post(api, edge, tid, "c1", "2025-11-01T20:30:00.000Z", duration_s=12.5)
    report = export(api, admin, "lang=vi")
    assert report["lang"] == "vi" and report["time_zone"] == "Asia/Ho_Chi_Minh" and report["rows"] == 1
    ws = sheet(report)
    assert ws.title == "Cuộc gọi"
    header, [row] = rows_by_header(ws)
    assert header == list(cdr_xlsx.header("Asia/Ho_Chi_Minh", "vi"))
    assert header[0] == "Bắt đầu (Asia/Ho_Chi_Minh)" and "Thời lượng (giây)" in header
    assert row["started_at"] == datetime(2025, 11, 2, 3, 30)  # +07:00: the next day
    assert row["duration_s"] == 12.5 and row["call_id"] == "c1"
    assert row["disposition"] == "answered"  # values stay the stable codes in every language


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("lang=fr", "lang"),
        ("limit=0", "limit"),
        ("limit=100001", "limit"),
        ("limit=many", "limit"),
        ("from=yesterday", "from"),
        ("from=2025-02-01&to=2025-01-01", "to"),
        ("direction=sideways", "direction"),
        ("extension=abc", "extension"),
        ("format=csv", "format"),
    ],
)
def test_bad_parameters_are_400_with_a_field_message(api: Api, s3: Any, query: str, field: str) -> None:
    assert_bad_export_query(api, s3, "xlsx", query, field)


def test_roles_limit_and_a_new_link(api: Api, s3: Any) -> None:
    admin, supervisor, agent = three_calls_and_staff(api)
    assert api.post("/v1/cdrs/export.xlsx", token=agent).status == 403  # as the CSV export
    assert api.post("/v1/cdrs/export.xlsx").status == 401

    report = export(api, supervisor, "limit=2")
    assert report["rows"] == 2 and report["truncated"] is True  # a third call matched
    _, rows = rows_by_header(sheet(report))
    assert [r["call_id"] for r in rows] == ["call-2", "call-1"]
    assert export(api, admin, "limit=3")["truncated"] is False

    again = api.get(f"/v1/cdrs/export.xlsx/{report['id']}", token=admin)
    assert again.status == 200, again.text
    fresh = again.json
    same = ("id", "rows", "truncated", "bytes", "time_zone", "lang", "filename", "content_type")
    assert {k: fresh[k] for k in same} == {k: report[k] for k in same}
    _, rows = rows_by_header(sheet(fresh))
    assert [r["call_id"] for r in rows] == ["call-2", "call-1"]
    assert api.get(f"/v1/cdrs/export.xlsx/{report['id']}", token=agent).status == 403
    for missing in ("rpt_000000000000", "job_000000000000", "nope"):
        r = api.get(f"/v1/cdrs/export.xlsx/{missing}", token=admin)
        assert r.status == 404 and r.json["error"]["code"] == "not_found", missing


def test_another_tenant_reaches_neither_the_report_nor_the_calls(api: Api, s3: Any) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    b, admin_b = api.tenant("b.probox.vn")
    edge = api.edge()
    post(api, edge, a, "call-a", "2025-11-01T08:00:00.000Z")
    report_a = export(api, admin_a)
    assert report_a["rows"] == 1

    r = api.get(f"/v1/cdrs/export.xlsx/{report_a['id']}", token=admin_b)
    assert r.status == 404 and r.json["error"]["code"] == "not_found"
    report_b = export(api, admin_b)
    assert report_b["rows"] == 0
    assert f"/tenants/{b}/reports/" in report_b["url"] and f"/tenants/{a}/" not in report_b["url"]
    header, rows = rows_by_header(sheet(report_b))
    assert rows == [] and header == list(cdr_xlsx.header())
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == sorted(
        [f"tenants/{a}/reports/cdrs/{report_a['id']}.xlsx", f"tenants/{b}/reports/cdrs/{report_b['id']}.xlsx"]
    )
