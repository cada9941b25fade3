"""reports.xlsx_stream: the streaming SpreadsheetML writer, checked against openpyxl (the
reference reader) and, for Excel's own string escapes, against xlsxwriter."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import reports.xlsx_stream as xs
from reports.xlsx_stream import Column, LocalTimes, cell_value, serial_text, write_records

pytestmark = pytest.mark.unit

UTC = ZoneInfo("UTC")
COLS = [
    Column("t", "text", "Text"),
    Column("l", "label", "Label"),
    Column("n", "num", "Number"),
    Column("w", "time", "When"),
]


def write(records: list[dict[str, Any]], zone: dt.tzinfo = UTC, **kw: Any) -> io.BytesIO:
    buf = io.BytesIO()
    write_records(records, buf, COLS, zone=zone, title="T", **kw)
    buf.seek(0)
    return buf


def values(buf: io.BytesIO, sheet: str = "T", rows: int | None = None) -> list[list[Any]]:
    """The sheet's cells; ``rows`` data rows (openpyxl drops trailing rows without cells)."""
    wb = load_workbook(buf)
    ws = wb[sheet]
    last = ws.max_row if rows is None else rows + 1
    rows_ = [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=last, max_col=len(COLS))]
    wb.close()
    buf.seek(0)
    return rows_


def expected(records: list[dict[str, Any]], zone: dt.tzinfo = UTC) -> list[list[Any]]:
    times = LocalTimes(zone)
    return [[cell_value(r.get(c.key), c.kind, times) for c in COLS] for r in records]


def sheet_xml(buf: io.BytesIO, n: int = 1) -> str:
    with zipfile.ZipFile(buf) as zf:
        text = zf.read(f"xl/worksheets/sheet{n}.xml").decode()
    buf.seek(0)
    return text


# XML 1.0 cannot hold these at all; Excel's _xHHHH_ escapes and lone surrogates have their
# own tests below (openpyxl does not decode _xHHHH_ in inline strings).
plain_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=40,
).filter(lambda s: not re.search("_x[0-9A-Fa-f]{4}_", s))
numbers = st.one_of(
    st.none(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9),
)
instants = st.datetimes(
    min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=st.just(dt.UTC)
)
iso = instants.map(lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z") | instants.map(
    dt.datetime.isoformat
)
zones = st.sampled_from(["UTC", "Asia/Ho_Chi_Minh", "America/New_York", "Asia/Kolkata", "Europe/Amsterdam"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {"t": st.none() | plain_text, "l": st.none() | plain_text, "n": numbers, "w": st.none() | iso}
        ),
        max_size=8,
    ),
    zone=zones,
)
def test_any_values_read_back_exactly(rows: list[dict[str, Any]], zone: str) -> None:
    z = ZoneInfo(zone)
    got = values(write(rows, z), rows=len(rows))
    assert got[0] == ["Text", "Label", "Number", "When"]
    want = expected(rows, z)
    assert got[1:] == want
    for r, w in zip(got[1:], want, strict=True):
        for g, e in zip(r, w, strict=True):
            assert type(g) is type(e)


def test_times_are_the_zone_wall_clock_to_the_millisecond() -> None:
    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    rows = [
        {"w": "2026-11-26T06:42:43.768Z"},
        {"w": "2026-11-26T06:42:59.999Z"},  # same minute: from the per-minute cache
        {"w": "2026-11-26T13:42:43.768+07:00"},
        {"w": "2026-11-26T06:42:43"},  # naive = UTC
        {"w": "2026-11-26T06:42:43.7686Z"},  # rounded to the millisecond
        {"w": dt.datetime(2026, 11, 26, 6, 42, 43, 768000, tzinfo=dt.UTC)},
        {"w": "1900-02-28T00:00:00Z"},  # before Excel's first safe date: text
        {"w": "2026-11-26T06:42:60.000Z"},  # not a time: text
        {"w": ""},
    ]
    got = [r[3] for r in values(write(rows, hcm), rows=len(rows))[1:]]
    t = dt.datetime(2026, 11, 26, 13, 42, 43, 768000)
    assert got == [
        t,
        dt.datetime(2026, 11, 26, 13, 42, 59, 999000),
        t,
        t.replace(microsecond=0),
        t.replace(microsecond=769000),
        t,
        "1900-02-28T00:00:00Z",
        "2026-11-26T06:42:60.000Z",
        None,
    ]


@pytest.mark.parametrize(
    ("zone", "start"),
    [
        # Saigon left local mean time (+7:06:30) at 16:53:30 UTC: mid-minute
        ("Asia/Ho_Chi_Minh", dt.datetime(1911, 4, 30, 16, 52, 50, tzinfo=dt.UTC)),
        # +0:19:32: a UTC minute straddles local midnight
        ("Europe/Amsterdam", dt.datetime(1930, 1, 1, 23, 39, 10, tzinfo=dt.UTC)),
    ],
)
def test_offset_changes_and_odd_offsets_inside_a_minute(zone: str, start: dt.datetime) -> None:
    z = ZoneInfo(zone)
    instants = [start + dt.timedelta(seconds=s, milliseconds=s * 37 % 1000) for s in range(0, 140, 3)]
    rows = [{"w": t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"} for t in instants]
    got = [r[3] for r in values(write(rows + rows, z))[1:]]
    want = [t.astimezone(z).replace(tzinfo=None) for t in instants]
    assert got == want + want


def test_serial_text_is_exact_to_well_under_a_millisecond() -> None:
    for ms in (61 * 86_400_000, 4_004_870_563_768, 4_004_870_563_769, 86_400_000 * 2_958_465 + 86_399_999):
        assert abs(float(serial_text(ms)) * 86_400_000 - ms) < 0.01
    times = LocalTimes(UTC)
    s = "2026-11-26T06:42:43.768Z"
    slow = times.serial(s)  # fills the cache
    assert times.serial(s) == slow == serial_text(times.excel_ms(s) or 0)


def test_numbers() -> None:
    numeric = (0, -5, True, 2**53, 1.5, -0.25, 1e300, Decimal("3"), Decimal("2.50"), "12", " 7 ", "1.5e3")
    not_numeric = ("abc", float("nan"), float("inf"), Decimal("NaN"), "", None, [1])
    rows = [{"n": v} for v in (*numeric, *not_numeric)]
    got = [r[2] for r in values(write(rows), rows=len(rows))[1:]]
    assert got == [0, -5, 1, 2**53, 1.5, -0.25, 1e300, 3, 2.5, 12, 7, 1500.0] + [None] * 7
    assert [type(g) for g in got[:12]] == [int, int, int, int, float, float, float, int, float, int, int, float]


def test_excel_string_escapes_match_xlsxwriter(tmp_path: Path) -> None:
    """Control characters become _xHHHH_ and a literal _xHHHH_ is protected as
    _x005F_xHHHH_, exactly as xlsxwriter (and Excel) write them; &, < and > are entities;
    tabs and newlines stay."""
    tricky = ["a\x01b\rc", "_x0041_ stays", "tab\there\nnew line", "<&>", "\x1f", " lead", "trail ", "x\ufffe"]
    ours = values(write([{"t": s} for s in tricky]))  # openpyxl can load it
    assert [r[0] for r in ours[1:]][2:7] == ["tab\there\nnew line", "<&>", "_x001F_", " lead", "trail "]
    ref = tmp_path / "ref.xlsx"
    wb = xlsxwriter.Workbook(str(ref), {"constant_memory": True})
    ws = wb.add_worksheet("T")
    for i, s in enumerate(tricky, start=1):
        ws.write_string(i, 0, s)
    wb.close()
    cell = re.compile(r'<c r="A(\d+)"[^>]*t="inlineStr"><is>(<t[^>]*>.*?</t>)</is></c>', re.S)
    with zipfile.ZipFile(ref) as zf:
        theirs = dict(cell.findall(zf.read("xl/worksheets/sheet1.xml").decode()))
    mine = dict(cell.findall(sheet_xml(write([{"t": s} for s in tricky]))))
    assert {k: v for k, v in mine.items() if k != "1"} == theirs
    assert theirs["2"] == "<t>a_x0001_b_x000D_c</t>"


def test_lone_surrogates_and_long_text() -> None:
    long = "a" * 32_766 + "😀" + "tail"  # the emoji would straddle Excel's 32,767-unit limit
    got = [r[0] for r in values(write([{"t": "x\ud800y"}, {"t": long}, {"t": "ồ" * 40_000}]))[1:]]
    assert got == ["x\ufffdy", "a" * 32_766, "ồ" * 32_767]


def test_labels_are_shared_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xs, "LABEL_LIMIT", 3)
    labels: list[Any] = ["a", "b", "a", "c", "d", "e", "a", True, 1, 1.0, "1", "", None, " pad ", "&"]
    buf = write([{"l": v} for v in labels])
    got = [r[1] for r in values(buf, rows=len(labels))[1:]]
    assert got == ["a", "b", "a", "c", "d", "e", "a", "True", "1", "1.0", "1", None, None, " pad ", "&"]
    with zipfile.ZipFile(buf) as zf:
        sst = zf.read("xl/sharedStrings.xml").decode()
    assert sst.count("<si>") == 3  # a, b, c; the rest inline


def test_sheets_roll_over_with_a_header_each() -> None:
    rows = [{"t": f"r{i}", "n": i} for i in range(10)]
    buf = write(rows, max_rows_per_sheet=4)
    wb = load_workbook(buf)
    assert wb.sheetnames == ["T", "T (2)", "T (3)"]
    got = []
    for ws in wb.worksheets:
        vals = [[c.value for c in r] for r in ws.iter_rows(max_col=len(COLS))]
        assert vals[0] == ["Text", "Label", "Number", "When"]
        assert ws.auto_filter.ref == f"A1:D{len(vals)}"
        got += [v[2] for v in vals[1:]]
    assert got == list(range(10))
    wb.close()


def test_package_parts_are_well_formed_and_declared() -> None:
    buf = write([{"t": "Tiếng Việt", "l": "x", "n": 1, "w": "2026-11-26T06:42:43.768Z"}])
    with zipfile.ZipFile(buf) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        for name in names:
            ET.fromstring(zf.read(name))  # noqa: S314  # our own output; raises if malformed
        ct = zf.read("[Content_Types].xml").decode()
        for name in names - {"[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels"}:
            assert f'PartName="/{name}"' in ct, name
        for info in zf.infolist():  # no Zip64 extra fields (Excel is picky about them)
            assert b"\x01\x00" not in info.extra[:2], info.filename


def test_title_and_shape_are_checked() -> None:
    for title in ("", "a" * 26, "x:y", "'q'"):
        with pytest.raises(xs.ValidationError):
            write_records([], io.BytesIO(), COLS, zone=UTC, title=title)
    with pytest.raises(xs.ValidationError):
        write_records([], io.BytesIO(), [], zone=UTC)
