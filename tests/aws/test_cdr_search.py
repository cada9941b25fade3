"""CDR search (time range, extension, number, direction, disposition), export, idempotency."""

from __future__ import annotations

import csv
import io

import boto3
import pytest

from control_plane.cdrs import store as cdrs_store
from control_plane.core import keys

from .conftest import Api, cdr_doc

pytestmark = pytest.mark.aws


@pytest.fixture
def calls(api: Api) -> tuple[str, str]:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    rows = [
        ("c1", "2025-11-01T01:00:00.000Z", "101", "102", "internal", "answered"),
        ("c2", "2025-11-01T02:00:00.000Z", "101", "0901234567", "outbound", "busy"),
        ("c3", "2025-11-02T03:00:00.000Z", "0287654321", "102", "inbound", "answered"),
        ("c4", "2025-11-03T04:00:00.000Z", "103", "101", "internal", "no_answer"),
        ("c5", "2025-11-04T05:00:00.000Z", "=HYPERLINK(1)", "101", "inbound", "answered"),
    ]
    for call_id, started, caller, callee, direction, disposition in rows:
        doc = cdr_doc(tid, call_id, started, caller=caller, callee=callee, direction=direction, disposition=disposition)
        assert api.post("/edge/v1/cdrs", token=edge, body=doc).status == 201
    return tid, admin


def ids(api: Api, admin: str, query: str) -> list[str]:
    r = api.get("/v1/cdrs?" + query, token=admin)
    assert r.status == 200, (query, r.text)
    return [c["call_id"] for c in r.json["items"]]


def test_filters(api: Api, calls: tuple[str, str]) -> None:
    _, admin = calls
    assert ids(api, admin, "") == ["c5", "c4", "c3", "c2", "c1"]
    assert ids(api, admin, "extension=101") == ["c5", "c4", "c2", "c1"]
    assert ids(api, admin, "number=0901234567") == ["c2"]
    assert ids(api, admin, "number=%2B84901234567") == ["c2"]
    assert ids(api, admin, "direction=inbound") == ["c5", "c3"]
    assert ids(api, admin, "disposition=answered&direction=internal") == ["c1"]
    assert ids(api, admin, "from=2025-11-02T00:00:00Z&to=2025-11-04T00:00:00Z") == ["c4", "c3"]
    assert ids(api, admin, "from=2025-11-02T10:00:00%2B07:00") == ["c5", "c4", "c3"]  # 03:00Z
    assert ids(api, admin, "to=2025-11-01T02:00:00Z") == ["c1"]  # end is exclusive


def test_filtered_pagination(api: Api, calls: tuple[str, str]) -> None:
    _, admin = calls
    seen, cursor = [], None
    while True:
        r = api.get("/v1/cdrs?extension=101&limit=1" + (f"&cursor={cursor}" if cursor else ""), token=admin)
        seen += [c["call_id"] for c in r.json["items"]]
        cursor = r.json["next"]
        if not cursor:
            break
    assert seen == ["c5", "c4", "c2", "c1"]


def test_scan_cap_returns_a_cursor(api: Api, calls: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    _, admin = calls
    monkeypatch.setattr(cdrs_store, "MAX_SCAN", 2)
    seen, pages, cursor = [], 0, None
    while True:
        r = api.get("/v1/cdrs?disposition=no_answer" + (f"&cursor={cursor}" if cursor else ""), token=admin)
        pages += 1
        seen += [c["call_id"] for c in r.json["items"]]
        cursor = r.json["next"]
        if not cursor:
            break
    assert seen == ["c4"] and pages > 1


@pytest.mark.parametrize(
    "query",
    [
        "from=yesterday",
        "from=2025-11-03T00:00:00Z&to=2025-11-01T00:00:00Z",
        "direction=up",
        "disposition=x",
        "number=abc",
        "extension=0",
        "typo=1",
    ],
)
def test_bad_search_is_400(api: Api, calls: tuple[str, str], query: str) -> None:
    _, admin = calls
    r = api.get("/v1/cdrs?" + query, token=admin)
    assert r.status == 400, r.text
    assert r.json["error"]["fields"]


def test_export_csv(api: Api, calls: tuple[str, str]) -> None:
    _, admin = calls
    r = api.get("/v1/cdrs/export?extension=101", token=admin)
    assert r.status == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["call_id"] for row in rows] == ["c5", "c4", "c2", "c1"]
    assert rows[0]["caller"] == "'=HYPERLINK(1)"  # no formula injection
    assert len(list(csv.DictReader(io.StringIO(api.get("/v1/cdrs/export?limit=2", token=admin).text)))) == 2


def test_powertools_idempotency_record(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    doc = cdr_doc(tid, "dup-1", "2025-11-01T10:00:00.000Z")
    assert api.post("/edge/v1/cdrs", token=edge, body=doc).status == 201
    again = api.post("/edge/v1/cdrs", token=edge, body={**doc, "duration_s": 5})
    assert (again.status, again.json["status"]) == (200, "duplicate")
    items = boto3.client("dynamodb").query(
        TableName="probox-test",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": keys.IDEMPOTENCY_PK}},
    )["Items"]
    assert len(items) == 1 and items[0]["sk"]["S"].startswith("cdr-ingest#")
    assert items[0]["status"]["S"] == "COMPLETED" and "ttl" in items[0]
    # After the idempotency record is gone, the store's own guard still stores nothing.
    boto3.client("dynamodb").delete_item(TableName="probox-test", Key={"pk": items[0]["pk"], "sk": items[0]["sk"]})
    third = api.post("/edge/v1/cdrs", token=edge, body=doc)
    assert (third.status, third.json["status"]) == (200, "duplicate")
    assert len(api.get("/v1/cdrs", token=admin).json["items"]) == 1
