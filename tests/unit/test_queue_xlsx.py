"""Queue and agent reports as Excel workbooks (reports.queue_xlsx, issue 16 item 5): a
scripted two-hour period whose figures are worked out by hand in the comments, read back
with openpyxl (summary cells, interval rows and their chart, agents, formats, both
languages), the local-day intervals and the one-queue report."""

from __future__ import annotations

import io
import itertools
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from pbx_core import queue_log as ql
from pbx_core.errors import ValidationError
from pbx_core.queue_log import QueueEvent
from pbx_core.snapshot import QueueConfig, QueueMember
from reports import queue_xlsx
from reports.queue_xlsx import ReportSpec, boundaries, write_queue_report

pytestmark = pytest.mark.unit

T0 = 1_764_547_200.0  # 2025-12-01T00:00:00Z = 07:00 in Ho Chi Minh City
HCM = "Asia/Ho_Chi_Minh"
SALES = QueueConfig(id="q1", name="Sales", number="600", service_level_s=20, members=(QueueMember("a"),))
SUPPORT = QueueConfig(id="q2", name="Support", number="601", service_level_s=30, members=(QueueMember("b"),))
QUEUES = {"q1": SALES, "q2": SUPPORT}


def ev(at: float, kind: str, queue: str = "", call: str = "", agent: str = "", **kw: Any) -> QueueEvent:
    return QueueEvent(at=T0 + at, tenant_id="t1", queue_id=queue, kind=kind, call_id=call, agent=agent, **kw)


# Sales: T = 20 s; Support: T = 30 s; short abandon < 5 s. Period [T0, T0 + 2 h), 1 h intervals.
EVENTS = [
    ev(-1, ql.ENTER, "q1", "z0"),  # before the period: left out
    ev(0, ql.LOGIN, agent="a"),
    ev(0, ql.LOGIN, agent="b"),
    # hour 1, Sales
    ev(10, ql.ENTER, "q1", "x1", position=1),
    ev(15, ql.ANSWER, "q1", "x1", "a", wait_s=5),  # in SL (5 <= 20)
    ev(75, ql.COMPLETE, "q1", "x1", "a", talk_s=60),
    ev(100, ql.ENTER, "q1", "x2", position=1),
    ev(130, ql.ANSWER, "q1", "x2", "b", wait_s=30),  # out of SL (30 > 20)
    ev(220, ql.COMPLETE, "q1", "x2", "b", talk_s=90),
    ev(300, ql.ENTER, "q1", "x3", position=1),
    ev(302, ql.ABANDON, "q1", "x3", wait_s=2),  # short (2 < 5)
    ev(400, ql.ENTER, "q1", "x4", position=1),
    ev(440, ql.ABANDON, "q1", "x4", wait_s=40),  # after T (40 > 20)
    ev(500, ql.ENTER, "q1", "x5", position=1),
    ev(510, ql.ABANDON, "q1", "x5", wait_s=10),  # not short, within T
    # hour 1, Support
    ev(600, ql.ENTER, "q2", "y1", position=1),
    ev(625, ql.ANSWER, "q2", "y1", "b", wait_s=25),  # in SL (25 <= 30)
    ev(745, ql.COMPLETE, "q2", "y1", "b", talk_s=120),
    ev(1000, ql.PAUSE, agent="a", reason="break"),
    ev(1600, ql.UNPAUSE, agent="a"),  # a paused 600 s
    ev(2000, ql.COMPLETE, "q1", "p1", "a", talk_s=45, personal=True),  # a's own call
    # hour 2, Sales
    ev(3700, ql.ENTER, "q1", "x6", position=1),
    ev(3712, ql.ANSWER, "q1", "x6", "a", wait_s=12),  # in SL
    ev(3742, ql.COMPLETE, "q1", "x6", "a", talk_s=30),
    ev(3800, ql.ENTER, "q1", "x7", position=1),
    ev(3900, ql.ENTER, "q1", "x8", position=2),
    ev(3920, ql.CALLBACK_REQUEST, "q1", "x8"),
    ev(4000, ql.FULL, "q1", "x9", reason="full"),
    ev(4100, ql.TIMEOUT, "q1", "x7", wait_s=300),
    # hour 2, Support
    ev(4500, ql.ENTER, "q2", "y2", position=1),
    ev(4535, ql.ABANDON, "q2", "y2", wait_s=35),  # after T (35 > 30)
    ev(5000, ql.PAUSE, agent="b", reason="lunch"),  # open at the end (T0 + 7200): 2200 s
    ev(7200, ql.ENTER, "q1", "z1"),  # at the end: left out
]


def spec(**kw: Any) -> ReportSpec:
    base: dict[str, Any] = {
        "tenant_name": "Acme",
        "tz": HCM,
        "start": T0,
        "end": T0 + 7200,
        "interval": "1h",
        "lang": "en",
        "generated_at": T0 + 9000,
        "agent_names": {"a": "An", "b": "Bình"},
    }
    return ReportSpec(**{**base, **kw})


def book(**kw: Any) -> openpyxl.Workbook:
    out = io.BytesIO()
    write_queue_report(iter(EVENTS), QUEUES, spec(**kw), out)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def sheet(wb: openpyxl.Workbook, index: int) -> Worksheet:
    ws = wb.worksheets[index]
    assert isinstance(ws, Worksheet)
    return ws


def table(ws: Worksheet, header_row: int, first: str) -> dict[str, dict[str, Any]]:
    """Rows under ``header_row`` keyed by their first cell, each a {header: cell} dict, up
    to the first empty row."""
    header = [c.value for c in ws[header_row]]
    out: dict[str, dict[str, Any]] = {}
    for row in ws.iter_rows(min_row=header_row + 1):
        if row[0].value is None:
            break
        out[str(row[0].value)] = {str(h): c for h, c in zip(header, row, strict=True) if h is not None}
    assert header[0] == first
    return out


def secs(cell: Any) -> float:
    assert cell.number_format == "[h]:mm:ss"
    assert isinstance(cell.value, timedelta)
    return round(cell.value.total_seconds(), 3)


def row_of(ws: Worksheet, label: str) -> int:
    return int(next(c.row for c in ws["A"] if c.value == label))


def test_summary_holds_the_figures_worked_out_by_hand() -> None:
    ws = sheet(book(), 0)
    assert ws.title == "Summary"
    assert ws["A1"].value == "Queue and agent report"
    assert (ws["A2"].value, ws["B2"].value) == ("Tenant", "Acme")
    # the period and the generation time in the tenant's zone (UTC+7)
    assert (ws["B3"].value, ws["D3"].value) == (datetime(2025, 12, 1, 7, 0), datetime(2025, 12, 1, 9, 0))
    assert ws["B3"].number_format == "yyyy-mm-dd hh:mm"
    assert (ws["B4"].value, ws["B5"].value) == ("1 hour", HCM)
    assert ws["B6"].value == datetime(2025, 12, 1, 9, 30)  # T0 + 9000 s
    header_row = queue_xlsx.SUMMARY_QUEUE_HEADER_ROW
    assert all(c.font.b for c in ws[header_row] if c.value is not None)
    assert ws.freeze_panes == f"B{header_row + 1}"
    queues = table(ws, header_row, "Queue")
    assert list(queues) == ["Sales", "Support"]
    s = {k: c.value for k, c in queues["Sales"].items()}
    # Sales: entered x1..x8 = 8 (z0, z1 outside the period; x9 refused); answered x1 x2 x6 = 3;
    # abandoned x3 x4 x5 = 3, of them short x3 = 1; timeout x7; refused x9; callback x8
    assert (s["Number"], s["Entered"], s["Answered"], s["Abandoned (all)"], s["Short abandons"]) == ("600", 8, 3, 3, 1)
    assert (s["Timeouts"], s["Refused (full)"], s["Callbacks requested"], s["SL target (s)"]) == (1, 1, 1, 20)
    # in SL: x1 (5 s) and x6 (12 s) = 2 -> 2/3; with abandons after T (x4, 40 s): 2 / (3 + 1)
    assert s["Answered in SL"] == 2
    assert s["Service level (answered)"] == pytest.approx(2 / 3)
    assert s["Service level (with abandons)"] == pytest.approx(0.5)
    # ASA (5 + 30 + 12) / 3 = 15.667 s; average talk (60 + 90 + 30) / 3 = 60 s (not a's personal 45)
    assert secs(queues["Sales"]["ASA"]) == pytest.approx(47 / 3, abs=1e-3)
    assert secs(queues["Sales"]["Average talk"]) == 60
    # abandon rate: (3 - 1 short) / (8 - 1 short) = 2/7
    assert s["Abandon rate"] == pytest.approx(2 / 7)
    assert queues["Sales"]["Abandon rate"].number_format == "0.0%"
    assert queues["Sales"]["Entered"].number_format == "#,##0"
    u = {k: c.value for k, c in queues["Support"].items()}
    # Support: y1 answered in 25 s (in SL 30), y2 abandoned after 35 s (after T)
    assert (u["Entered"], u["Answered"], u["Abandoned (all)"], u["Short abandons"], u["SL target (s)"]) == (
        2,
        1,
        1,
        0,
        30,
    )
    assert (u["Service level (answered)"], u["Service level (with abandons)"], u["Abandon rate"]) == (1, 0.5, 0.5)
    assert secs(queues["Support"]["ASA"]) == 25
    assert secs(queues["Support"]["Average talk"]) == 120
    # agents: a answered x1, x6 (talk 60 + 30 = 90 s), paused 1000..1600 = 600 s, one personal call;
    # b answered x2, y1 (90 + 120 = 210 s), paused from 5000 to the end 7200 = 2200 s
    agents = table(ws, row_of(ws, "Agents") + 1, "Agent")
    assert list(agents) == ["a", "b"]
    a, b = agents["a"], agents["b"]
    assert (a["Name"].value, a["Answered"].value, a["Personal calls"].value) == ("An", 2, 1)
    assert (secs(a["Talk time"]), secs(a["Pause time"])) == (90, 600)
    assert (b["Name"].value, b["Answered"].value, b["Personal calls"].value) == ("Bình", 2, 0)
    assert (secs(b["Talk time"]), secs(b["Pause time"])) == (210, 2200)


def test_intervals_sheet_has_a_row_per_interval_and_queue_and_a_chart() -> None:
    ws = sheet(book(), 1)
    assert ws.title == "Intervals"
    assert ws.freeze_panes == "A2"
    # two queues: an "all queues" block first, then Sales and Support; 2 hours each
    assert ws.max_row == 1 + 3 * 2
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    got = [(r[0], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows]
    h1, h2 = datetime(2025, 12, 1, 7), datetime(2025, 12, 1, 8)
    # start, queue, offered, answered, abandoned (not short), short, answered in SL
    assert got == [
        (h1, "All queues", 6, 3, 2, 1, 2),  # x1..x5 + y1; x1 x2 y1; x4 x5; x3; x1 y1
        (h2, "All queues", 4, 1, 1, 0, 1),  # x6 x7 x8 y2; x6; y2; -; x6
        (h1, "Sales", 5, 2, 2, 1, 1),
        (h2, "Sales", 3, 1, 0, 0, 1),
        (h1, "Support", 1, 1, 0, 0, 1),
        (h2, "Support", 1, 0, 1, 0, 0),
    ]
    assert rows[0][1] == h2  # end of the first interval
    assert [r[8] for r in rows] == [pytest.approx(2 / 3), 1, 0.5, 1, 1, None]  # SL of the answered
    sales_h1 = next(iter(ws.iter_rows(min_row=4, max_row=4)))
    assert secs(sales_h1[9]) == 17.5  # ASA (5 + 30) / 2
    assert sales_h1[8].number_format == "0.0%"
    assert sales_h1[0].number_format == "yyyy-mm-dd hh:mm"
    assert [c.value for c in ws[1]][:5] == ["Start", "End", "Queue", "Offered", "Answered"]
    assert all(c.font.b for c in ws[1])
    [chart] = ws._charts
    # bars: offered and answered of the first block (rows 2-3), a line of its service level
    refs = [[(type(part).__name__, str(s.val.numRef.f)) for s in part.series] for part in chart._charts]
    assert refs == [
        [("BarChart", "'Intervals'!$D$2:$D$3"), ("BarChart", "'Intervals'!$E$2:$E$3")],
        [("LineChart", "'Intervals'!$I$2:$I$3")],
    ]
    assert chart.x_axis.delete is False and chart.y_axis.delete is False


def test_agents_sheet() -> None:
    ws = sheet(book(), 2)
    assert ws.title == "Agents"
    agents = table(ws, 1, "Agent")
    a = agents["a"]
    assert (a["Answered"].value, a["Not answered"].value, a["Personal calls"].value) == (2, 0, 1)
    assert (secs(a["Talk time"]), secs(a["Average talk"]), secs(a["Personal talk time"])) == (90, 45, 45)
    assert secs(agents["b"]["Average talk"]) == 105  # 210 / 2
    assert ws.freeze_panes == "C2"


def test_vietnamese_texts_and_formats() -> None:
    wb = book(lang="vi")
    assert wb.sheetnames == ["Tổng quan", "Theo khoảng", "Nhân viên"]
    ws = sheet(wb, 0)
    assert ws["A1"].value == "Báo cáo hàng đợi và nhân viên"
    assert ws["B4"].value == "1 giờ"
    assert ws["B3"].number_format == "dd/mm/yyyy hh:mm"
    queues = table(ws, queue_xlsx.SUMMARY_QUEUE_HEADER_ROW, "Hàng đợi")
    sales = queues["Sales"]
    assert (sales["Cuộc vào"].value, sales["Đã trả lời"].value, sales["Bỏ máy sớm"].value) == (8, 3, 1)
    assert sales["Mức phục vụ (tính bỏ máy)"].value == pytest.approx(0.5)
    assert secs(sales["Thời gian chờ TB"]) == pytest.approx(47 / 3, abs=1e-3)
    intervals = sheet(wb, 1)
    assert [c.value for c in intervals[1]][:4] == ["Bắt đầu", "Kết thúc", "Hàng đợi", "Cuộc vào"]
    assert intervals["C2"].value == "Tất cả hàng đợi"
    assert [c.value for c in sheet(wb, 2)[1]][:3] == ["Nhân viên", "Tên", "Đã trả lời"]
    # every text has both languages, and they differ where a word is translated
    assert all(en and vi for en, vi in queue_xlsx.TEXTS.values())


def test_one_queue_report() -> None:
    wb = book(queue_id="q1")
    queues = table(sheet(wb, 0), queue_xlsx.SUMMARY_QUEUE_HEADER_ROW, "Queue")
    assert list(queues) == ["Sales"]
    intervals = sheet(wb, 1)
    assert intervals.max_row == 1 + 2  # Sales only, no "all queues" block
    assert {r[2] for r in intervals.iter_rows(min_row=2, values_only=True)} == {"Sales"}
    agents = table(sheet(wb, 2), 1, "Agent")
    # b is no Sales member but answered x2 in it: 1 call, 90 s (y1 was Support's); b's pause
    # (no queue named) is b's all the same: 5000 .. 7200
    assert (agents["b"]["Answered"].value, secs(agents["b"]["Talk time"])) == (1, 90)
    assert secs(agents["b"]["Pause time"]) == 2200
    assert agents["a"]["Answered"].value == 2


def test_day_intervals_follow_local_midnights() -> None:
    ny = ZoneInfo("America/New_York")
    start = datetime(2025, 11, 1, tzinfo=ny).timestamp()
    end = datetime(2025, 11, 4, tzinfo=ny).timestamp()
    edges = boundaries(start, end, "1d", ny)
    assert [b - a for a, b in itertools.pairwise(edges)] == [86400, 90000, 86400]  # Nov 2: 25 h
    assert boundaries(T0, T0 + 2000, "15m", ny) == [T0, T0 + 900, T0 + 1800, T0 + 2000]
    # a 1-day report over 3 local days with no events: 3 rows, all zero
    out = io.BytesIO()
    write_queue_report([], {"q1": SALES}, ReportSpec("Acme", "America/New_York", start, end, "1d"), out)
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[1]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        datetime(2025, 11, 1),
        datetime(2025, 11, 2),
        datetime(2025, 11, 3),
    ]
    assert len(ws._charts) == 1


def test_names_are_text_never_formulas() -> None:
    q = {"q1": QueueConfig(id="q1", name='=HYPERLINK("http://x")\x07', number="600")}
    out = io.BytesIO()
    write_queue_report([ev(10, ql.ENTER, "q1", "c1")], q, spec(tenant_name="=1+1"), out)
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert ws["B2"].value == "=1+1" and ws["B2"].data_type == "s"
    cell = ws.cell(row=queue_xlsx.SUMMARY_QUEUE_HEADER_ROW + 1, column=1)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


@pytest.mark.parametrize(
    ("change", "field"),
    [({"interval": "5m"}, "interval"), ({"lang": "fr"}, "lang"), ({"end": T0}, "to"), ({"tz": "Mars/Base"}, "tz")],
)
def test_bad_spec_is_a_validation_error(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        write_queue_report([], QUEUES, spec(**change), io.BytesIO())
    assert field in err.value.fields


def test_interval_rows_are_bounded() -> None:
    # 2 hours of 15 minutes = 8 intervals, x 3 blocks (all queues, Sales, Support) = 24 rows
    write_queue_report(EVENTS, QUEUES, spec(interval="15m", max_interval_rows=24), io.BytesIO())
    with pytest.raises(ValidationError) as err:
        write_queue_report(EVENTS, QUEUES, spec(interval="15m", max_interval_rows=23), io.BytesIO())
    assert "interval" in err.value.fields
    # one queue: no "all queues" block, 8 rows
    write_queue_report(EVENTS, QUEUES, spec(interval="15m", queue_id="q1", max_interval_rows=8), io.BytesIO())
