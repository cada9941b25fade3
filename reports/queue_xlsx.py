"""Queue and agent reports as Excel workbooks (issue 16 item 5), made with openpyxl.

    from reports.queue_xlsx import ReportSpec, write_queue_report
    write_queue_report(events, queues, spec, out)   # out: a path or a binary file object

Every figure comes from ``pbx_core.queue_stats`` (``figures()`` for the period, ``intervals()``
per interval), so the workbook says what the wallboard and the API say. Three sheets, their
names and every text in Vietnamese or English (``TEXTS``):

* Summary ("Tổng quan"): a header (tenant, period, interval, time zone, generated at, all in
  the tenant's zone), one row per queue (entered, answered, abandoned with the short ones
  apart, timeouts, refused, callbacks, both service levels, ASA, average talk, abandon rate)
  and a block of agents (answered, talk time, pause time, personal calls).
* Intervals ("Theo khoảng"): one row per interval and queue (an "all queues" block first when
  there are several queues) and a chart of offered vs answered (bars) and the service level
  (a line on a second axis) over the first block.
* Agents ("Nhân viên"): one row per agent with every agent figure.

Formatting: bold header rows, frozen panes, column widths, counts ``#,##0``, ratios ``0.0%``,
durations as Excel times ``[h]:mm:ss`` (a duration of 90 s is the value 90/86400), times as
Excel date-times in the tenant's zone (``dd/mm/yyyy hh:mm`` in Vietnamese, ``yyyy-mm-dd
hh:mm`` in English). Excel shows thousands and decimal separators by the reader's locale,
as for the CDR export, which sets no locale either.

Intervals: 15 min, 30 min and 1 h are fixed steps from the period's start; 1 day runs from
one local midnight to the next (a day of 23 or 25 hours where the zone changes clocks).
Events outside [start, end) are left out; a pause open at the end counts up to the end, a
pause begun before the start is not seen (its PAUSE event is outside the period).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final, Literal
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pbx_core import queue_stats
from pbx_core.errors import ValidationError
from pbx_core.queue_log import QueueEvent
from pbx_core.snapshot import QueueConfig

Lang = Literal["en", "vi"]
LANGS: Final = ("en", "vi")
# interval code -> seconds ("1d" is a local day: see the module docstring)
INTERVALS: Final[dict[str, int]] = {"15m": 900, "30m": 1800, "1h": 3600, "1d": 86400}
COUNT_FORMAT: Final = "#,##0"
PERCENT_FORMAT: Final = "0.0%"
DURATION_FORMAT: Final = "[h]:mm:ss"
TIME_FORMATS: Final[dict[str, str]] = {"en": "yyyy-mm-dd hh:mm", "vi": "dd/mm/yyyy hh:mm"}
SHORT_ABANDON_S: Final = 5.0

# key -> (English, Vietnamese)
TEXTS: Final[dict[str, tuple[str, str]]] = {
    "sheet_summary": ("Summary", "Tổng quan"),
    "sheet_intervals": ("Intervals", "Theo khoảng"),
    "sheet_agents": ("Agents", "Nhân viên"),
    "title": ("Queue and agent report", "Báo cáo hàng đợi và nhân viên"),
    "tenant": ("Tenant", "Khách hàng"),
    "period": ("Period", "Khoảng thời gian"),
    "interval": ("Interval", "Chu kỳ"),
    "time_zone": ("Time zone", "Múi giờ"),
    "generated_at": ("Generated at", "Thời điểm tạo"),
    "to": ("to", "đến"),
    "15m": ("15 minutes", "15 phút"),
    "30m": ("30 minutes", "30 phút"),
    "1h": ("1 hour", "1 giờ"),
    "1d": ("1 day", "1 ngày"),
    "queues": ("Queues", "Hàng đợi"),
    "agents": ("Agents", "Nhân viên"),
    "all_queues": ("All queues", "Tất cả hàng đợi"),
    "queue": ("Queue", "Hàng đợi"),
    "number": ("Number", "Số"),
    "entered": ("Entered", "Cuộc vào"),
    "answered": ("Answered", "Đã trả lời"),
    "abandoned": ("Abandoned (all)", "Bỏ máy (tất cả)"),
    "short_abandons": ("Short abandons", "Bỏ máy sớm"),
    "abandoned_not_short": ("Abandoned (not short)", "Bỏ máy (không tính sớm)"),
    "timeouts": ("Timeouts", "Hết thời gian chờ"),
    "refused": ("Refused (full)", "Bị từ chối (đầy)"),
    "callbacks": ("Callbacks requested", "Yêu cầu gọi lại"),
    "sl_target": ("SL target (s)", "Mục tiêu SL (giây)"),
    "answered_in_sl": ("Answered in SL", "Trả lời trong SL"),
    "service_level": ("Service level (answered)", "Mức phục vụ (cuộc trả lời)"),
    "service_level_abandons": ("Service level (with abandons)", "Mức phục vụ (tính bỏ máy)"),
    "asa": ("ASA", "Thời gian chờ TB"),
    "avg_talk": ("Average talk", "Thời gian đàm thoại TB"),
    "abandon_rate": ("Abandon rate", "Tỷ lệ bỏ máy"),
    "agent": ("Agent", "Nhân viên"),
    "name": ("Name", "Tên"),
    "noanswers": ("Not answered", "Không trả lời"),
    "talk_time": ("Talk time", "Thời gian đàm thoại"),
    "pause_time": ("Pause time", "Thời gian tạm nghỉ"),
    "personal_calls": ("Personal calls", "Cuộc gọi cá nhân"),
    "personal_talk": ("Personal talk time", "Thời gian gọi cá nhân"),
    "start": ("Start", "Bắt đầu"),
    "end": ("End", "Kết thúc"),
    "offered": ("Offered", "Cuộc vào"),
    "chart_title": ("Offered, answered and service level", "Cuộc vào, đã trả lời và mức phục vụ"),
    "calls": ("Calls", "Cuộc gọi"),
    "notes": (
        "Service level (answered) = answered within the target / answered; (with abandons) = answered "
        "within the target / (answered + abandons after the target); short abandons (under 5 s) are left "
        "out of the abandon rate and of the second service level.",
        "Mức phục vụ (cuộc trả lời) = số trả lời trong mục tiêu / số trả lời; (tính bỏ máy) = số trả lời "
        "trong mục tiêu / (số trả lời + số bỏ máy sau mục tiêu); bỏ máy sớm (dưới 5 giây) không tính vào "
        "tỷ lệ bỏ máy và mức phục vụ thứ hai.",
    ),
}

# Summary: queue columns (text key, figure, format, width)
_C, _P, _D = COUNT_FORMAT, PERCENT_FORMAT, DURATION_FORMAT
QUEUE_COLUMNS: Final = (
    ("queue", "name", None, 24),
    ("number", "number", None, 9),
    ("entered", "entered", _C, 10),
    ("answered", "answered", _C, 11),
    ("abandoned", "abandoned", _C, 11),
    ("short_abandons", "short_abandons", _C, 11),
    ("timeouts", "timeouts", _C, 11),
    ("refused", "refused", _C, 11),
    ("callbacks", "callbacks_requested", _C, 12),
    ("sl_target", "sl_target", _C, 11),
    ("answered_in_sl", "answered_in_sl", _C, 11),
    ("service_level", "service_level", _P, 14),
    ("service_level_abandons", "service_level_abandons", _P, 14),
    ("asa", "asa_s", _D, 11),
    ("avg_talk", "avg_talk_s", _D, 13),
    ("abandon_rate", "abandon_rate", _P, 12),
)
AGENT_COLUMNS: Final = (
    ("agent", "extension", None, 10),
    ("name", "name", None, 22),
    ("answered", "answered", _C, 11),
    ("noanswers", "noanswers", _C, 12),
    ("talk_time", "talk_s", _D, 13),
    ("avg_talk", "avg_talk_s", _D, 13),
    ("pause_time", "pause_s", _D, 13),
    ("personal_calls", "personal_calls", _C, 12),
    ("personal_talk", "personal_talk_s", _D, 13),
)
SUMMARY_AGENT_COLUMNS: Final = ("agent", "name", "answered", "talk_time", "pause_time", "personal_calls")
INTERVAL_COLUMNS: Final = (
    ("start", "start", "time", 17),
    ("end", "end", "time", 17),
    ("queue", "queue", None, 24),
    ("offered", "entered", _C, 10),
    ("answered", "answered", _C, 11),
    ("abandoned_not_short", "abandoned", _C, 13),
    ("short_abandons", "short_abandons", _C, 11),
    ("answered_in_sl", "answered_in_sl", _C, 11),
    ("service_level", "service_level", _P, 14),
    ("asa", "asa_s", _D, 11),
)
SUMMARY_QUEUE_HEADER_ROW: Final = 8  # the queue table's header row on the summary sheet


def text(key: str, lang: str) -> str:
    en, vi = TEXTS[key]
    return vi if lang == "vi" else en


@dataclass(frozen=True)
class ReportSpec:
    """What to report: the period [start, end) in unix seconds, the interval (``INTERVALS``),
    the language, the tenant's name and IANA zone, when it was generated, and optionally the
    one queue to report on and the agents' display names (extension -> name)."""

    tenant_name: str
    tz: str
    start: float
    end: float
    interval: str = "1h"
    lang: str = "en"
    generated_at: float = 0.0
    queue_id: str = ""
    agent_names: Mapping[str, str] = field(default_factory=dict)
    short_abandon_s: float = SHORT_ABANDON_S
    max_interval_rows: int = 0  # more rows on the intervals sheet is a ValidationError; 0 = no limit


def _check(spec: ReportSpec) -> ZoneInfo:
    if spec.lang not in LANGS:
        raise ValidationError(f"unknown language {spec.lang!r}", fields={"lang": "en or vi"})
    if spec.interval not in INTERVALS:
        raise ValidationError(f"unknown interval {spec.interval!r}", fields={"interval": ", ".join(INTERVALS)})
    if not spec.end > spec.start:
        raise ValidationError("the period's end must be after its start", fields={"to": "after from"})
    try:
        return ZoneInfo(spec.tz)
    except (ValueError, KeyError) as exc:
        raise ValidationError(f"unknown time zone {spec.tz!r}", fields={"tz": "an IANA time zone"}) from exc


def boundaries(start: float, end: float, interval: str, zone: dt.tzinfo) -> list[float]:
    """The intervals' edges from ``start`` to ``end`` (both included): fixed steps, or local
    midnights for "1d" (the first and last days may be partial)."""
    if interval != "1d":
        step = INTERVALS[interval]
        edges = [start]
        while edges[-1] + step < end:
            edges.append(edges[-1] + step)
        return [*edges, end]
    edges = [start]
    day = dt.datetime.fromtimestamp(start, zone).date()
    while True:
        day += dt.timedelta(days=1)
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=zone).timestamp()
        if midnight >= end:
            return [*edges, end]
        edges.append(midnight)


def interval_rows(
    events: Sequence[QueueEvent],
    edges: Sequence[float],
    queues: Mapping[str, QueueConfig],
    *,
    queue_id: str = "",
    short_abandon_s: float = SHORT_ABANDON_S,
) -> list[queue_stats.IntervalRow]:
    """``queue_stats.intervals`` over each [edges[i], edges[i+1]) (``events`` sorted by time)."""
    ats = [e.at for e in events]
    out: list[queue_stats.IntervalRow] = []
    for lo, hi in itertools.pairwise(edges):
        part = events[bisect.bisect_left(ats, lo) : bisect.bisect_left(ats, hi)]
        out += queue_stats.intervals(part, lo, hi, hi - lo, queues, queue_id=queue_id, short_abandon_s=short_abandon_s)
    return out


def _in_scope(events: Iterable[QueueEvent], queues: Mapping[str, QueueConfig], spec: ReportSpec) -> list[QueueEvent]:
    """The period's events, by time; for one queue, its own and its agents' (its members and
    whoever took one of its calls: their login, pause and logout name no queue)."""
    inside = [e for e in events if spec.start <= e.at < spec.end]
    if spec.queue_id:
        cfg = queues.get(spec.queue_id)
        agents = {m.extension for m in cfg.members} if cfg is not None else set()
        agents |= {e.agent for e in inside if e.queue_id == spec.queue_id and e.agent}
        inside = [e for e in inside if e.queue_id == spec.queue_id or (not e.queue_id and e.agent in agents)]
    return sorted(inside, key=lambda e: e.at)  # stable: events of one instant keep their order


def build(events: Iterable[QueueEvent], queues: Mapping[str, QueueConfig], spec: ReportSpec) -> Workbook:
    """The workbook of ``events`` (any order) for ``spec``; ``queues`` gives names and service
    level targets (a queue seen in the events but not in ``queues`` shows by its id)."""
    zone = _check(spec)
    evs = _in_scope(events, queues, spec)
    now = min(spec.end, spec.generated_at) if spec.generated_at > spec.start else spec.end  # open pauses end here
    figs = queue_stats.figures(evs, now, queues, short_abandon_s=spec.short_abandon_s)
    qids = sorted(set(figs.queues) | ({spec.queue_id} if spec.queue_id else set(queues)))
    qids = [q for q in qids if q and (not spec.queue_id or q == spec.queue_id)]
    qids.sort(key=lambda q: (_queue_name(q, queues).casefold(), q))
    edges = boundaries(spec.start, spec.end, spec.interval, zone)
    rows = (len(edges) - 1) * (len(qids) + (0 if len(qids) == 1 else 1))
    if spec.max_interval_rows and rows > spec.max_interval_rows:
        raise ValidationError(
            f"this report would have {rows:,} interval rows, at most {spec.max_interval_rows:,}: "
            "choose a longer interval, a shorter period or one queue",
            fields={"interval": "longer interval, shorter period or one queue"},
        )
    wb = Workbook()
    summary = wb.active
    assert isinstance(summary, Worksheet)
    summary.title = text("sheet_summary", spec.lang)
    _summary(summary, figs, qids, queues, spec, zone)
    _intervals(wb.create_sheet(text("sheet_intervals", spec.lang)), evs, edges, qids, queues, spec, zone)
    _agents(wb.create_sheet(text("sheet_agents", spec.lang)), figs, spec)
    return wb


def write_queue_report(
    events: Iterable[QueueEvent], queues: Mapping[str, QueueConfig], spec: ReportSpec, out: str | Path | IO[bytes]
) -> None:
    """Build the workbook (``build``) and save it to ``out`` (a path or a binary file object)."""
    build(events, queues, spec).save(out)


# --- cells -----------------------------------------------------------------------------------
def _queue_name(queue_id: str, queues: Mapping[str, QueueConfig]) -> str:
    cfg = queues.get(queue_id)
    return cfg.name if cfg is not None and cfg.name else queue_id


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None, *, bold: bool = False) -> None:
    """One cell; text is always text (a name starting with "=" is no formula), without the
    control characters Excel refuses."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = _clean(value)
        cell.data_type = "s"
    else:
        cell.value = value
    if fmt is not None and value is not None:
        cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)


def _clean(value: str) -> str:
    """Text without the control characters XML (and Excel) refuse, cut to a cell's limit."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", value))[:32767]


def _value(raw: Any, fmt: str | None) -> Any:
    """A figure as its cell holds it: durations in days (Excel's time unit), None stays empty."""
    if raw is None:
        return None
    if fmt == DURATION_FORMAT:
        return float(raw) / 86400
    return raw


def _local(at: float, zone: ZoneInfo) -> dt.datetime:
    """A naive wall-clock datetime in ``zone`` (Excel has no time zones), to the second."""
    return dt.datetime.fromtimestamp(round(at), zone).replace(tzinfo=None)


def _header_row(ws: Worksheet, row: int, keys: Sequence[str], lang: str) -> None:
    for col, key in enumerate(keys, start=1):
        _put(ws, row, col, text(key, lang), bold=True)


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


# --- sheets ----------------------------------------------------------------------------------
def _summary(
    ws: Worksheet,
    figs: queue_stats.Figures,
    qids: Sequence[str],
    queues: Mapping[str, QueueConfig],
    spec: ReportSpec,
    zone: ZoneInfo,
) -> None:
    lang = spec.lang
    tfmt = TIME_FORMATS[lang]
    _put(ws, 1, 1, text("title", lang), bold=True)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    _put(ws, 2, 1, text("tenant", lang), bold=True)
    _put(ws, 2, 2, spec.tenant_name)
    _put(ws, 3, 1, text("period", lang), bold=True)
    _put(ws, 3, 2, _local(spec.start, zone), tfmt)
    _put(ws, 3, 3, text("to", lang))
    _put(ws, 3, 4, _local(spec.end, zone), tfmt)
    _put(ws, 4, 1, text("interval", lang), bold=True)
    _put(ws, 4, 2, text(spec.interval, lang))
    _put(ws, 5, 1, text("time_zone", lang), bold=True)
    _put(ws, 5, 2, spec.tz)
    _put(ws, 6, 1, text("generated_at", lang), bold=True)
    _put(ws, 6, 2, _local(spec.generated_at, zone), tfmt)
    row = SUMMARY_QUEUE_HEADER_ROW - 1
    _put(ws, row, 1, text("queues", lang), bold=True)
    row += 1
    _header_row(ws, row, [c[0] for c in QUEUE_COLUMNS], lang)
    ws.freeze_panes = ws.cell(row=row + 1, column=2)
    for qid in qids:
        row += 1
        f = figs.queues.get(qid)
        cfg = queues.get(qid)
        vals: dict[str, Any] = {
            "name": _queue_name(qid, queues),
            "number": cfg.number if cfg is not None and cfg.number else None,
            "sl_target": cfg.service_level_s if cfg is not None else queue_stats.DEFAULT_SL_S,
            **(_queue_figures(f) if f is not None else {}),
        }
        for col, (_, key, fmt, _w) in enumerate(QUEUE_COLUMNS, start=1):
            raw = vals.get(key, 0 if fmt == COUNT_FORMAT else None)
            _put(ws, row, col, _value(raw, fmt), fmt)
    row += 2
    _put(ws, row, 1, text("agents", lang), bold=True)
    row += 1
    _header_row(ws, row, SUMMARY_AGENT_COLUMNS, lang)
    spec_of = {c[0]: c for c in AGENT_COLUMNS}
    for ext, a in figs.agents.items():
        row += 1
        vals = _agent_values(ext, a, spec)
        for col, key in enumerate(SUMMARY_AGENT_COLUMNS, start=1):
            _, fig, fmt, _w = spec_of[key]
            _put(ws, row, col, _value(vals[fig], fmt), fmt)
    row += 2
    _put(ws, row, 1, text("notes", lang))
    _widths(ws, [max(16, QUEUE_COLUMNS[0][3]), *[c[3] for c in QUEUE_COLUMNS[1:]]])


def _queue_figures(f: queue_stats.QueueFigures) -> dict[str, Any]:
    return {k: v for k, v in f.__dict__.items() if k not in ("queue_id",)}


def _agent_values(ext: str, a: queue_stats.AgentFigures, spec: ReportSpec) -> dict[str, Any]:
    return {
        "extension": ext,
        "name": spec.agent_names.get(ext) or None,
        "answered": a.answered,
        "noanswers": a.noanswers,
        "talk_s": a.talk_s,
        "avg_talk_s": a.talk_s / a.answered if a.answered else None,
        "pause_s": a.pause_s,
        "personal_calls": a.personal_calls,
        "personal_talk_s": a.personal_talk_s,
    }


def _intervals(
    ws: Worksheet,
    evs: Sequence[QueueEvent],
    edges: Sequence[float],
    qids: Sequence[str],
    queues: Mapping[str, QueueConfig],
    spec: ReportSpec,
    zone: ZoneInfo,
) -> None:
    lang = spec.lang
    _header_row(ws, 1, [c[0] for c in INTERVAL_COLUMNS], lang)
    ws.freeze_panes = "A2"
    blocks: list[tuple[str, str]] = [(q, _queue_name(q, queues)) for q in qids]
    if len(qids) != 1:
        blocks.insert(0, ("", text("all_queues", lang)))
    row = 1
    for qid, name in blocks:
        for r in interval_rows(evs, edges, queues, queue_id=qid, short_abandon_s=spec.short_abandon_s):
            row += 1
            vals = {**r.to_dict(), "queue": name, "start": _local(r.start, zone), "end": _local(r.end, zone)}
            for col, (_, key, fmt, _w) in enumerate(INTERVAL_COLUMNS, start=1):
                cell_fmt = TIME_FORMATS[lang] if fmt == "time" else fmt
                _put(ws, row, col, _value(vals[key], fmt), cell_fmt)
    _widths(ws, [c[3] for c in INTERVAL_COLUMNS])
    n = len(edges) - 1  # rows of the first block, which the chart shows
    if n < 1 or row < 2:
        return
    bars = BarChart()
    bars.title = _clean(f"{text('chart_title', lang)}: {blocks[0][1]}")[:255]
    bars.y_axis.title = text("calls", lang)
    bars.add_data(Reference(ws, min_col=4, max_col=5, min_row=1, max_row=n + 1), titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
    line = LineChart()
    line.add_data(Reference(ws, min_col=9, min_row=1, max_row=n + 1), titles_from_data=True)
    line.y_axis.axId = 200
    line.y_axis.title = text("service_level", lang)
    line.y_axis.number_format = PERCENT_FORMAT
    line.y_axis.crosses = "max"
    bars += line
    bars.x_axis.number_format = TIME_FORMATS[lang]
    # openpyxl 3.1 leaves axes' "delete" unset, which recent Excel reads as hidden axes
    for axis in (bars.x_axis, bars.y_axis, line.y_axis):
        axis.delete = False
    bars.width, bars.height = 24, 10
    ws.add_chart(bars, f"{get_column_letter(len(INTERVAL_COLUMNS) + 2)}2")


def _agents(ws: Worksheet, figs: queue_stats.Figures, spec: ReportSpec) -> None:
    _header_row(ws, 1, [c[0] for c in AGENT_COLUMNS], spec.lang)
    ws.freeze_panes = "C2"
    for row, (ext, a) in enumerate(figs.agents.items(), start=2):
        vals = _agent_values(ext, a, spec)
        for col, (_, key, fmt, _w) in enumerate(AGENT_COLUMNS, start=1):
            _put(ws, row, col, _value(vals[key], fmt), fmt)
    _widths(ws, [c[3] for c in AGENT_COLUMNS])
