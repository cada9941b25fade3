"""CDR times in the tenant's time zone (issue 5: UTC, shown in the tenant's time zone).

The UTC fields stay as they are; each item and CSV row adds ``time_zone`` and the local
``*_local`` times with the offset of that instant (DST included); search bounds take any
offset, and a date or time without one is the tenant's local time.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from control_plane.app import API

from .conftest import Api, cdr_doc, provider_token

pytestmark = pytest.mark.aws


def post(api: Api, edge: str, tid: str, call_id: str, started: str, **extra: Any) -> None:
    doc = cdr_doc(tid, call_id, started, **extra)
    r = api.post("/edge/v1/cdrs", token=edge, body=doc)
    assert r.status == 201, r.text


def items(api: Api, token: str, query: str = "") -> dict[str, dict[str, Any]]:
    r = api.get("/v1/cdrs" + (f"?{query}" if query else ""), token=token)
    assert r.status == 200, r.text
    return {c["call_id"]: c for c in r.json["items"]}


def test_default_zone_is_ho_chi_minh(api: Api) -> None:
    tid, admin = api.tenant("vn.probox.vn")
    edge = api.edge()
    post(
        api, edge, tid, "c1", "2025-11-01T20:30:00.000Z",
        answered_at="2025-11-01T20:30:05.250Z", ended_at="2025-11-01T20:31:00.000Z",
    )  # fmt: skip
    post(api, edge, tid, "c2", "2025-11-02T01:00:00.000Z", answered_at=None, disposition="no_answer")
    got = items(api, admin)
    c1 = got["c1"]
    assert c1["time_zone"] == "Asia/Ho_Chi_Minh"
    assert c1["started_at"] == "2025-11-01T20:30:00.000Z"  # UTC unchanged
    assert c1["started_at_local"] == "2025-11-02T03:30:00.000+07:00"  # the next day there
    assert c1["answered_at_local"] == "2025-11-02T03:30:05.250+07:00"
    assert c1["ended_at_local"] == "2025-11-02T03:31:00.000+07:00"
    assert got["c2"]["answered_at"] is None and got["c2"]["answered_at_local"] is None
    one = api.get("/v1/cdrs/c1", token=admin).json
    assert one == c1


def test_a_tenant_in_another_zone_gets_that_instants_offset(api: Api) -> None:
    tid, admin = api.tenant("ny.probox.vn", time_zone="America/New_York")
    other, other_admin = api.tenant("tokyo.probox.vn", time_zone="Asia/Tokyo")
    edge = api.edge()
    post(api, edge, tid, "winter", "2025-01-15T03:30:00.000Z")
    post(api, edge, tid, "summer", "2025-07-15T03:30:00.000Z")
    post(api, edge, other, "tokyo", "2025-07-15T03:30:00.000Z")
    got = items(api, admin)
    assert got["winter"]["started_at_local"] == "2025-01-14T22:30:00.000-05:00"  # EST
    assert got["summer"]["started_at_local"] == "2025-07-14T23:30:00.000-04:00"  # EDT
    assert {c["time_zone"] for c in got.values()} == {"America/New_York"}
    tokyo = items(api, other_admin)["tokyo"]
    assert (tokyo["time_zone"], tokyo["started_at_local"]) == ("Asia/Tokyo", "2025-07-15T12:30:00.000+09:00")
    # a new zone applies at once; the UTC times do not move
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=admin, body={"time_zone": "Asia/Ho_Chi_Minh"})
    assert r.status == 200, r.text
    winter = items(api, admin)["winter"]
    assert (winter["started_at"], winter["started_at_local"]) == (
        "2025-01-15T03:30:00.000Z",
        "2025-01-15T10:30:00.000+07:00",
    )


def test_search_bounds_take_offsets_and_default_to_local_time(api: Api) -> None:
    tid, admin = api.tenant("ny2.probox.vn", time_zone="America/New_York")
    edge = api.edge()
    post(api, edge, tid, "late-14th", "2025-01-15T03:30:00.000Z")  # 22:30 on the 14th in New York
    post(api, edge, tid, "early-15th", "2025-01-15T06:00:00.000Z")  # 01:00 on the 15th there
    post(api, edge, tid, "noon-14th", "2025-01-14T17:00:00.000Z")  # 12:00 on the 14th there

    def found(query: str) -> list[str]:
        return sorted(items(api, admin, query))

    local_day = ["late-14th", "noon-14th"]
    assert found("from=2025-01-14&to=2025-01-15") == local_day  # dates: local midnights
    assert found("from=2025-01-14T00:00:00&to=2025-01-15T00:00:00") == local_day
    assert found("from=2025-01-14T00:00:00-05:00&to=2025-01-15T00:00:00-05:00") == local_day
    assert found("from=2025-01-14T05:00:00Z&to=2025-01-15T05:00:00Z") == local_day
    assert found("from=2025-01-15T11:00:00%2B07:00&to=2025-01-15T14:00:00%2B07:00") == ["early-15th"]
    assert found("from=2025-01-14T00:00:00Z&to=2025-01-15T00:00:00Z") == ["noon-14th"]  # a UTC day
    bad = api.get("/v1/cdrs?from=14/01/2025", token=admin)
    assert bad.status == 400 and "no offset: local time" in bad.json["error"]["fields"]["from"]


def test_csv_export_has_local_times_in_the_last_columns(api: Api) -> None:
    tid, admin = api.tenant("csv.probox.vn", time_zone="Asia/Bangkok")
    edge = api.edge()
    post(api, edge, tid, "c1", "2025-11-01T17:00:00.000Z", answered_at=None, disposition="busy")
    r = api.get("/v1/cdrs/export", token=admin)
    assert r.status == 200, r.text
    reader = csv.reader(io.StringIO(r.text))
    header = next(reader)
    assert header[:4] == ["call_id", "started_at", "answered_at", "ended_at"]  # positions unchanged
    assert header[-4:] == ["time_zone", "started_at_local", "answered_at_local", "ended_at_local"]
    [row] = [dict(zip(header, values, strict=True)) for values in reader]
    assert row["started_at"] == "2025-11-01T17:00:00.000Z"
    assert (row["time_zone"], row["started_at_local"], row["answered_at_local"]) == (
        "Asia/Bangkok",
        "2025-11-02T00:00:00.000+07:00",
        "",
    )


def test_the_local_fields_are_documented(api: Api) -> None:
    doc = api.get("/v1/openapi.json", token=provider_token()).json
    item = doc["components"]["schemas"]["CdrLocalOut"]
    assert {"time_zone", "started_at_local", "answered_at_local", "ended_at_local", "started_at"} <= set(
        item["properties"]
    )
    listed = doc["paths"]["/v1/cdrs"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed == {"$ref": "#/components/schemas/CdrLocalList"}
    assert any(op.path == "/v1/cdrs/{call_id}" and op.response is not None for op in API.operations())
