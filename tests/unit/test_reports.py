"""reports.cdr_xlsx: every value and type read back with openpyxl (the reference reader),
times in the tenant's zone, Vietnamese/English headers, streaming with flat memory, no
half-written file on failure."""

from __future__ import annotations

import datetime as dt
import io
import threading
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import xlsxwriter
from openpyxl import load_workbook

from pbx_core.errors import ValidationError
from reports.cdr_xlsx import COLUMNS, HEADER, header, iter_row_values, row_values, write_cdrs

pytestmark = pytest.mark.unit

CDR: dict[str, Any] = {
    "started_at": "2026-11-26T06:42:43.768Z",
    "answered_at": "2026-11-26T06:42:43.801Z",
    "ended_at": "2026-11-26T06:43:13.825Z",
    "direction": "internal",
    "caller": "101",
    "callee": "102",
    "dialled": "102",
    "did": "",
    "disposition": "answered",
    "duration_s": 30.024,
    "billable_s": 31,
    "sip_code": 200,
    "hangup_cause": "normal_clearing",
    "hangup_side": "caller",
    "branch_id": "",
    "trunk_id": "",
    "recording_key": None,
    "call_id": "abc@127.0.0.1",
    "tenant_id": "t1",  # not exported: the file is per tenant already
}
KEYS = [c.key for c in COLUMNS]


def col(name: str) -> int:
    return KEYS.index(name)


def varied_cdrs(n: int) -> Iterator[dict[str, Any]]:
    """CDRs with what real exports meet: Vietnamese text, blanks, None, missing keys, ints,
    floats, Decimals (DynamoDB), numeric strings, other timestamp shapes, bad timestamps,
    XML-special characters, surrounding spaces, a very long value."""
    for i in range(n):
        s = i * 7919 % 86400
        base = dt.datetime(2026, 11, 26, tzinfo=dt.UTC) + dt.timedelta(seconds=s, milliseconds=i % 1000)
        started = base.strftime("%Y-%m-%dT%H:%M:%S.") + f"{base.microsecond // 1000:03d}Z"
        d: dict[str, Any] = {
            **CDR,
            "started_at": started,
            "answered_at": (base + dt.timedelta(seconds=3)).isoformat() if i % 5 else None,  # "+00:00" form
            "ended_at": (base + dt.timedelta(seconds=33, microseconds=123456)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "direction": ("internal", "outbound", "inbound")[i % 3],
            "caller": f"Nguyễn Văn Ân {i}" if i % 4 == 0 else str(100 + i % 50),
            "callee": f"09{i:08d}",
            "dialled": f" 0{i} " if i % 6 == 0 else f"0{i}",
            "did": "02873001234" if i % 3 else "",
            "disposition": ("answered", "busy", "no_answer")[i % 3],
            "duration_s": [30.024, 0, Decimal("12.5"), "7", None, 1e-3, 2**40][i % 7],
            "billable_s": i,
            "sip_code": "486" if i % 11 == 0 else 200,
            "hangup_cause": "Người gọi gác máy & <kết thúc>" if i % 9 == 0 else "normal_clearing",
            "hangup_side": "caller",
            "branch_id": "Chi nhánh Hà Nội" if i % 2 else "",
            "trunk_id": "viettel-1" if i % 3 else None,
            "recording_key": f"tenants/t1/recordings/2026/11/26/call-{i}.opus" if i % 7 else None,
            "call_id": f"{i:06d}-x@127.0.0.1",
        }
        if i % 13 == 0:
            del d["did"]  # a missing key is an empty cell
        if i == 3:
            d["ended_at"] = "not a time"  # kept as text, not lost
            d["recording_key"] = "ồ" * 40_000  # longer than Excel's cell limit
        yield d


def read_back(src: Path | io.BytesIO, sheet: str = "CDRs") -> list[list[Any]]:
    wb = load_workbook(src)
    ws = wb[sheet]
    rows = [[c.value for c in r] for r in ws.iter_rows(max_col=len(COLUMNS))]
    wb.close()
    return rows


def test_header_zone_and_languages() -> None:
    assert HEADER == header("Asia/Ho_Chi_Minh", "en")
    assert HEADER[:3] == ("Started (Asia/Ho_Chi_Minh)", "Answered (Asia/Ho_Chi_Minh)", "Ended (Asia/Ho_Chi_Minh)")
    assert HEADER[col("duration_s")] == "Duration (s)"
    vi = header("UTC", "vi")
    assert vi[0] == "Bắt đầu (UTC)"
    assert vi[col("duration_s")] == "Thời lượng (giây)"
    assert len(set(vi)) == len(vi) == len(COLUMNS)
    with pytest.raises(ValidationError):
        header("UTC", "fr")


def test_row_values_types_blanks_and_zone() -> None:
    row = row_values(CDR)
    assert len(row) == len(COLUMNS)
    cells = dict(zip(KEYS, row, strict=True))
    # 06:42:43.768 UTC is 13:42:43.768 in Vietnam (UTC+7)
    assert cells["started_at"] == dt.datetime(2026, 11, 26, 13, 42, 43, 768000)
    assert row_values(CDR, tz="UTC")[col("started_at")] == dt.datetime(2026, 11, 26, 6, 42, 43, 768000)
    assert cells["duration_s"] == 30.024
    assert cells["sip_code"] == 200
    assert cells["caller"] == "101"
    assert cells["did"] is None
    assert cells["recording_key"] is None
    assert row_values({"sip_code": "486", "duration_s": "x"})[col("sip_code")] == 486
    assert row_values({"sip_code": "486", "duration_s": "x"})[col("duration_s")] is None
    assert row_values({"started_at": "yesterday"})[col("started_at")] == "yesterday"
    with pytest.raises(ValidationError):
        row_values(CDR, tz="Mars/Olympus_Mons")


def test_every_value_and_type_reads_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "cdrs.xlsx"
    n = 400
    assert write_cdrs(varied_cdrs(n), path) == n
    expected = list(iter_row_values(varied_cdrs(n)))
    wb = load_workbook(path)
    ws = wb["CDRs"]
    rows = list(ws.iter_rows(max_col=len(COLUMNS)))
    assert tuple(c.value for c in rows[0]) == HEADER
    assert all(c.font.b for c in rows[0])  # bold header
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:R{n + 1}"
    assert len(rows) == n + 1
    for i, (cells, want) in enumerate(zip(rows[1:], expected, strict=True)):
        assert [c.value for c in cells] == want, f"row {i}"
        for c, w in zip(cells, want, strict=True):
            if isinstance(w, dt.datetime):
                assert c.is_date and c.number_format == "yyyy-mm-dd hh:mm:ss"
            elif w is not None:
                assert type(c.value) is type(w)
                assert c.data_type == ("s" if isinstance(w, str) else "n")
    wb.close()
    # spot checks of the conversions themselves, in Vietnam time
    r0, r3, r9 = expected[0], expected[3], expected[9]
    assert r0[col("started_at")] == dt.datetime(2026, 11, 26, 7, 0, 0, 0)
    assert r0[col("ended_at")] == dt.datetime(2026, 11, 26, 7, 0, 33, 123000)  # µs rounded to ms
    assert r0[col("caller")] == "Nguyễn Văn Ân 0"
    assert r0[col("dialled")] == " 00 "  # spaces kept
    assert r0[col("sip_code")] == 486
    assert r3[col("ended_at")] == "not a time"
    assert len(r3[col("recording_key")]) == 32_767
    assert r9[col("hangup_cause")] == "Người gọi gác máy & <kết thúc>"
    assert expected[2][col("duration_s")] == 12.5  # Decimal
    assert expected[3][col("duration_s")] == 7  # numeric text
    assert expected[4][col("duration_s")] is None
    assert expected[13][col("did")] is None


def test_vietnamese_headers_and_another_zone(tmp_path: Path) -> None:
    path = tmp_path / "vi.xlsx"
    write_cdrs([CDR], path, tz="America/New_York", lang="vi")
    rows = read_back(path)
    assert tuple(rows[0]) == header("America/New_York", "vi")
    assert rows[0][0] == "Bắt đầu (America/New_York)"
    assert rows[1][col("started_at")] == dt.datetime(2026, 11, 26, 1, 42, 43, 768000)  # EST, UTC-5


def test_dst_change_inside_the_export() -> None:
    """New York moves to EDT at 2026-03-08 07:00 UTC: the minutes on both sides, several
    rows per minute (the per-minute cache), agree with zoneinfo."""
    ny = ZoneInfo("America/New_York")
    instants = [
        dt.datetime(2026, 3, 8, 6, 58, tzinfo=dt.UTC) + dt.timedelta(seconds=s, milliseconds=s * 7 % 1000)
        for s in range(0, 240, 13)
    ]
    cdrs = [{"started_at": t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"} for t in instants]
    buf = io.BytesIO()
    write_cdrs(cdrs + cdrs, buf, tz="America/New_York")
    got = [r[col("started_at")] for r in read_back(buf)[1:]]
    want = [t.astimezone(ny).replace(tzinfo=None) for t in instants]
    assert got == want + want
    # 06:59:57.819Z is 01:59:57.819 EST; 07:00:10.910Z is 03:00:10.910 EDT
    assert dt.datetime(2026, 3, 8, 1, 59, 57, 819000) in got and dt.datetime(2026, 3, 8, 3, 0, 10, 910000) in got


def test_same_cells_as_the_xlsxwriter_reference(tmp_path: Path) -> None:
    """bench/xlsx.py compares against xlsxwriter writing iter_row_values: both files must
    hold the same values, or the comparison is not like for like."""
    ours, ref = tmp_path / "ours.xlsx", tmp_path / "ref.xlsx"
    write_cdrs(varied_cdrs(60), ours)
    wb = xlsxwriter.Workbook(str(ref), {"constant_memory": True})
    ws = wb.add_worksheet("CDRs")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    ws.write_row(0, 0, HEADER)
    for r, values in enumerate(iter_row_values(varied_cdrs(60)), start=1):
        for c, v in enumerate(values):
            if isinstance(v, str):
                ws.write_string(r, c, v)
            elif isinstance(v, dt.datetime):
                ws.write_datetime(r, c, v, fmt)
            elif v is not None:
                ws.write_number(r, c, v)
    wb.close()
    assert read_back(ours) == read_back(ref)


def test_streams_with_flat_memory() -> None:
    """Data reaches the output while the input is still being read, and peak memory does
    not grow with the number of rows."""
    buf = io.BytesIO()
    seen: dict[int, int] = {}

    def gen(n: int) -> Iterator[dict[str, Any]]:
        for i in range(n):
            if i in (10_000, 20_000):
                seen[i] = buf.tell()
            yield {**CDR, "call_id": f"c{i}"}

    assert write_cdrs(gen(20_001), buf) == 20_001
    assert 0 < seen[10_000] < seen[20_000]

    def peak(n: int) -> int:
        tracemalloc.start()
        try:
            write_cdrs(gen(n), io.BytesIO())
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(3_000), peak(30_000)
    assert large < small + 2_000_000, (small, large)


def test_failure_leaves_no_file_and_no_thread(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    threads = threading.active_count()

    def gen() -> Iterator[dict[str, Any]]:
        for i in range(5_000):
            if i == 4_321:
                raise RuntimeError("query failed")
            yield CDR

    with pytest.raises(RuntimeError, match="query failed"):
        write_cdrs(gen(), path)
    assert not path.exists()
    assert threading.active_count() == threads


def test_empty_export_to_a_file_object() -> None:
    buf = io.BytesIO()
    assert write_cdrs([], buf) == 0
    buf.seek(0)
    wb = load_workbook(buf, read_only=True)
    assert [r for r in wb["CDRs"].iter_rows(values_only=True)] == [HEADER]
    wb.close()


def test_bad_arguments_are_validation_errors(tmp_path: Path) -> None:
    for kwargs in ({"tz": "Nowhere/Land"}, {"lang": "de"}, {"title": "a/b"}, {"title": ""}):
        with pytest.raises(ValidationError):
            write_cdrs([CDR], tmp_path / "x.xlsx", **kwargs)
        assert not (tmp_path / "x.xlsx").exists()
