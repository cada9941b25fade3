"""reports.cdr_xlsx: header, typed cells, empty values, streaming input."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from reports.cdr_xlsx import COLUMNS, HEADER, row_values, write_cdrs

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


def test_row_values_types_and_blanks() -> None:
    row = row_values(CDR)
    assert len(row) == len(COLUMNS)
    cells = dict(zip(HEADER, row, strict=True))
    assert cells["Duration (s)"] == 30.024
    assert cells["SIP code"] == 200
    assert cells["Caller"] == "101"
    assert cells["DID"] is None
    assert cells["Recording"] is None
    assert row_values({"sip_code": "486", "duration_s": "x"})[HEADER.index("SIP code")] == 486.0
    assert row_values({"sip_code": "486", "duration_s": "x"})[HEADER.index("Duration (s)")] is None


def test_write_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "cdrs.xlsx"

    def gen() -> Iterator[dict[str, Any]]:  # a generator: the exporter must stream
        for i in range(250):
            yield {**CDR, "caller": str(100 + i), "call_id": f"c{i}"}

    assert write_cdrs(gen(), path) == 250
    wb = load_workbook(path, read_only=True)
    ws = wb["CDRs"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == HEADER
    assert len(rows) == 251
    assert rows[1][HEADER.index("Caller")] == "100"
    assert rows[250][HEADER.index("Call-ID")] == "c249"
    assert rows[1][HEADER.index("SIP code")] == 200
    wb.close()


def test_write_to_file_object_empty() -> None:
    buf = io.BytesIO()
    assert write_cdrs([], buf) == 0
    buf.seek(0)
    wb = load_workbook(buf, read_only=True)
    assert [r for r in wb["CDRs"].iter_rows(values_only=True)] == [HEADER]
    wb.close()
