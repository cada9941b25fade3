"""CSV export of calls to S3 (``POST /v1/cdrs/export.csv``) and the size limit of the direct
one (``GET /v1/cdrs/export``).

A Lambda answer behind API Gateway carries at most 6 MB, so the direct CSV stops at
``cdr_reports.service.DIRECT_MAX_BYTES`` with 413 ``export_too_large``; the S3 export writes the same bytes
to ``tenants/<id>/reports/cdrs/<report_id>.csv`` and answers with a presigned link. The file
is downloaded through that link, as a browser would, and compared with the direct answer
and with a literal of the format (columns, order, CRLF, no BOM, formula quoting).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest

from control_plane.cdr_reports import service as cdr_reports
from control_plane.cdrs import service as cdrs
from control_plane.cdrs import store as cdrs_store

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
CSV_TYPE = "text/csv; charset=utf-8"
LAMBDA_MAX_ANSWER = 6 * 2**20  # Lambda's synchronous response payload limit
BKK = "Asia/Bangkok"
FILTER = cdrs_store.CdrFilter()


def post(api: Api, edge: str, tid: str, call_id: str, started: str, **extra: Any) -> None:
    post_cdr(api, edge, tid, call_id, started, **extra)


def export(api: Api, token: str, query: str = "") -> dict[str, Any]:
    return create_report(api, token, "csv", query)


def download(report: dict[str, Any]) -> bytes:
    return fetch_report(report, CSV_TYPE)


def call_ids(body: bytes) -> list[str]:
    return [row["call_id"] for row in csv.DictReader(io.StringIO(body.decode("utf-8")))]


# What the CSV export has always looked like for these two calls (the route's format
# before the S3 export existed): columns and order, UTC then local times, CRLF, no BOM,
# a leading "=" quoted away, empty cells for nulls.
EXPECTED = (
    "call_id,started_at,answered_at,ended_at,duration_s,caller,callee,direction,disposition,sip_code,"
    "hangup_side,recording_key,recording_format,recording_bytes,recording_deleted,edge_id,"
    "time_zone,started_at_local,answered_at_local,ended_at_local\r\n"
    "cuộc-gọi-2,2025-11-01T17:30:00.000Z,2025-11-01T17:30:02.500Z,2025-11-01T17:31:02.500Z,60.0,"
    "'=HYPERLINK(1),101,inbound,answered,200,callee,,,0,,edge-1,"
    "Asia/Bangkok,2025-11-02T00:30:00.000+07:00,2025-11-02T00:30:02.500+07:00,2025-11-02T00:31:02.500+07:00\r\n"
    'c1,2025-11-01T08:00:00.000Z,,2025-11-01T08:00:20.000Z,0.0,101,"0901,234",outbound,busy,486,caller,,,0,,'
    "edge-1,Asia/Bangkok,2025-11-01T15:00:00.000+07:00,,2025-11-01T15:00:20.000+07:00\r\n"
)


def test_s3_csv_is_the_direct_csv_byte_for_byte(api: Api, s3: Any) -> None:
    tid, admin = api.tenant("csv.probox.vn", time_zone=BKK)
    edge = api.edge()
    post(
        api, edge, tid, "c1", "2025-11-01T08:00:00.000Z", answered_at=None, ended_at="2025-11-01T08:00:20.000Z",
        caller="101", callee="0901,234", direction="outbound", disposition="busy", sip_code=486, hangup_side="caller",
    )  # fmt: skip
    post(
        api, edge, tid, "cuộc-gọi-2", "2025-11-01T17:30:00.000Z", answered_at="2025-11-01T17:30:02.500Z",
        ended_at="2025-11-01T17:31:02.500Z", duration_s=60, caller="=HYPERLINK(1)", callee="101",
        direction="inbound", hangup_side="callee",
    )  # fmt: skip
    post(api, edge, tid, "other-ext", "2025-11-01T09:00:00.000Z", caller="102", callee="103")
    post(api, edge, tid, "too-late", "2025-11-02T17:00:00.000Z", caller="101", callee="102")  # 00:00 local, 3rd
    post(api, edge, tid, "too-early", "2025-10-31T16:59:59.000Z", caller="101", callee="102")  # 23:59:59 local

    query = "from=2025-11-01&to=2025-11-03&extension=101"  # local dates: Bangkok's midnights
    report = export(api, admin, query)
    assert report["rows"] == 2 and report["truncated"] is False
    assert report["time_zone"] == BKK and report["content_type"] == CSV_TYPE and "lang" not in report
    assert report["id"].startswith("rpt_") and report["expires_in"] == 300
    assert report["filename"].startswith("calls-") and report["filename"].endswith(".csv")
    key = f"tenants/{tid}/reports/cdrs/{report['id']}.csv"
    url = urlparse(report["url"])
    assert url.path.endswith("/" + key)
    assert parse_qs(url.query)["X-Amz-Expires"] == ["300"]
    assert s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"] == [{"Key": "probox:kind", "Value": "report"}]

    body = download(report)
    assert body.decode("utf-8") == EXPECTED
    assert not body.startswith(b"\xef\xbb\xbf")  # no BOM, as the direct CSV never had one
    direct = api.get(f"/v1/cdrs/export?{query}", token=admin)
    assert direct.status == 200 and direct.headers["content-type"] == CSV_TYPE
    assert direct.raw == body  # the same bytes, whichever route
    header = next(csv.reader(io.StringIO(body.decode())))
    assert tuple(header) == cdr_reports.EXPORT_COLUMNS

    # without a filter: every call of the tenant, newest first, again as the direct CSV
    everything = download(export(api, admin))
    assert call_ids(everything) == ["too-late", "cuộc-gọi-2", "other-ext", "c1", "too-early"]
    assert everything == api.get("/v1/cdrs/export", token=admin).raw


def test_pieces_do_not_change_the_text() -> None:
    docs = [
        {"call_id": f"call-{n}", "caller": "=1+1" if n % 3 else "+84901234567", "duration_s": n / 7} for n in range(50)
    ]
    whole = "".join(cdr_reports.csv_chunks(iter(docs), chunk_chars=10**9))
    pieces = list(cdr_reports.csv_chunks(iter(docs), chunk_chars=100))
    assert len(pieces) > 10 and "".join(pieces) == whole
    assert len(list(csv.reader(io.StringIO(whole)))) == 51


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=100001", "limit"),
        ("limit=many", "limit"),
        ("from=yesterday", "from"),
        ("from=2025-02-01&to=2025-01-01", "to"),
        ("direction=sideways", "direction"),
        ("disposition=lost", "disposition"),
        ("extension=abc", "extension"),
        ("number=abc", "number"),
        ("lang=vi", "lang"),  # the Excel export's option, not this one's
        ("format=xlsx", "format"),
    ],
)
def test_bad_parameters_are_400_with_a_field_message(api: Api, s3: Any, query: str, field: str) -> None:
    assert_bad_export_query(api, s3, "csv", query, field)


def test_roles_limit_and_a_new_link(api: Api, s3: Any) -> None:
    admin, supervisor, agent = three_calls_and_staff(api)
    assert api.post("/v1/cdrs/export.csv", token=agent).status == 403  # as the direct CSV export
    assert api.post("/v1/cdrs/export.csv").status == 401

    report = export(api, supervisor, "limit=2")
    assert report["rows"] == 2 and report["truncated"] is True  # a third call matched
    assert call_ids(download(report)) == ["call-2", "call-1"]
    assert export(api, admin, "limit=3")["truncated"] is False

    again = api.get(f"/v1/cdrs/export.csv/{report['id']}", token=admin)
    assert again.status == 200, again.text
    fresh = again.json
    same = ("id", "rows", "truncated", "bytes", "time_zone", "filename", "content_type")
    assert {k: fresh[k] for k in same} == {k: report[k] for k in same}
    assert call_ids(download(fresh)) == ["call-2", "call-1"]
    assert api.get(f"/v1/cdrs/export.csv/{report['id']}", token=agent).status == 403

    # a CSV id is not an Excel report and the other way round
    xlsx = api.post("/v1/cdrs/export.xlsx", token=admin).json["id"]
    assert api.get(f"/v1/cdrs/export.xlsx/{report['id']}", token=admin).status == 404
    assert api.get(f"/v1/cdrs/export.csv/{xlsx}", token=admin).status == 404
    for missing in ("rpt_000000000000", "job_000000000000", "nope"):
        r = api.get(f"/v1/cdrs/export.csv/{missing}", token=admin)
        assert r.status == 404 and r.json["error"]["code"] == "not_found", missing


def test_another_tenant_reaches_neither_the_file_nor_the_calls(api: Api, s3: Any) -> None:
    a, admin_a = api.tenant("a.probox.vn")
    b, admin_b = api.tenant("b.probox.vn")
    edge = api.edge()
    post(api, edge, a, "call-a", "2025-11-01T08:00:00.000Z")
    report_a = export(api, admin_a)
    assert report_a["rows"] == 1 and call_ids(download(report_a)) == ["call-a"]

    r = api.get(f"/v1/cdrs/export.csv/{report_a['id']}", token=admin_b)
    assert r.status == 404 and r.json["error"]["code"] == "not_found"
    report_b = export(api, admin_b)
    assert report_b["rows"] == 0
    assert f"/tenants/{b}/reports/" in report_b["url"] and f"/tenants/{a}/" not in report_b["url"]
    assert download(report_b).decode() == ",".join(cdr_reports.EXPORT_COLUMNS) + "\r\n"
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == sorted(
        [f"tenants/{a}/reports/cdrs/{report_a['id']}.csv", f"tenants/{b}/reports/cdrs/{report_b['id']}.csv"]
    )


def test_direct_csv_past_the_limit_is_413_pointing_at_the_s3_export(
    api: Api, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tid, admin = api.tenant("big.probox.vn")
    edge = api.edge()
    for n in range(6):
        post(api, edge, tid, f"call-{n}", f"2025-11-01T08:0{n}:00.000Z")
    full = api.get("/v1/cdrs/export", token=admin)
    assert full.status == 200 and len(call_ids(full.raw)) == 6
    escaped = len(json.dumps(full.text)) - 2  # \r\n counts 4 bytes inside Lambda's JSON answer

    monkeypatch.setattr(cdr_reports, "DIRECT_MAX_BYTES", escaped)  # exactly fits
    assert api.get("/v1/cdrs/export", token=admin).raw == full.raw
    monkeypatch.setattr(cdr_reports, "DIRECT_MAX_BYTES", escaped - 1)  # one byte too many
    r = api.get("/v1/cdrs/export", token=admin)
    assert r.status == 413, r.text
    assert r.json["error"]["code"] == "export_too_large"
    assert "POST /v1/cdrs/export.csv" in r.json["error"]["message"]
    assert api.get("/v1/cdrs/export?limit=5", token=admin).status == 200  # a smaller export still fits

    report = export(api, admin)  # the S3 export has no such limit
    assert report["rows"] == 6 and download(report) == full.raw


def test_the_real_limit_keeps_the_lambda_answer_under_6_mb(api: Api, s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the route, with rows that cost the most inside JSON (non-ASCII is 6 bytes
    per character there): the largest export that is answered fits Lambda's 6 MB with the
    whole answer envelope, one more row is 413, and the read stops soon after the limit."""
    _, admin = api.tenant("huge.probox.vn")
    heavy = "đường-dây-nóng-" * 8
    read = [0]

    def fake_docs(tenant_id: str, flt: cdrs_store.CdrFilter, *, max_items: int) -> Iterator[dict[str, Any]]:
        for n in range(max_items):
            read[0] += 1
            yield {
                "call_id": f"{heavy}{n}", "started_at": "2025-11-01T08:00:00.000Z", "answered_at": None,
                "ended_at": "2025-11-01T08:00:20.000Z", "duration_s": 20.0, "caller": '"quoted" 101',
                "callee": "0901234567", "direction": "outbound", "disposition": "answered", "sip_code": 200,
                "hangup_side": "caller", "recording_key": None, "recording_format": None, "recording_bytes": 0,
                "recording_deleted": None, "edge_id": "edge-1",
            }  # fmt: skip

    monkeypatch.setattr(cdrs_store, "iter_docs", fake_docs)
    zone = "Asia/Ho_Chi_Minh"
    sample = "".join(
        cdr_reports.csv_chunks(cdrs.localize(d, zone, ZoneInfo(zone)) for d in fake_docs("t", FILTER, max_items=1))
    )
    per_row = len(json.dumps(sample.splitlines(keepends=True)[1])) - 2 + 5  # + up to 5 digits of n
    fits = cdr_reports.DIRECT_MAX_BYTES // per_row - 1  # the header aside

    ok = api.get(f"/v1/cdrs/export?limit={fits}", token=admin)
    assert ok.status == 200, ok.text[:300]
    assert len(call_ids(ok.raw)) == fits
    envelope = {"statusCode": 200, "headers": ok.headers, "multiValueHeaders": {}, "body": ok.text}
    assert len(json.dumps(envelope)) <= LAMBDA_MAX_ANSWER  # python3.11 runtime: ensure_ascii

    read[0] = 0
    r = api.get("/v1/cdrs/export?limit=100000", token=admin)
    assert r.status == 413 and r.json["error"]["code"] == "export_too_large"
    assert read[0] < fits + 2_000  # stopped after one more piece, not after 100,000 rows
