"""Excel export of CDRs (F9): one streaming pass, constant memory.

    from reports.cdr_xlsx import write_cdrs
    n = write_cdrs(cdr_dicts, "cdrs.xlsx", tz="Asia/Ho_Chi_Minh", lang="vi")

Rows are written as they come (any iterable, e.g. a paginated query), so memory does not
grow with the number of rows. CDR times (UTC ISO 8601 strings, as stored) become Excel
date-times in the tenant's time zone, and the time columns' headers name that zone;
durations and codes are numbers; missing values are empty cells. Headers in English or
Vietnamese; the values themselves (disposition, direction...) stay the stable codes other
software imports.

The file is written by ``reports.xlsx_stream`` rather than openpyxl: see that module's
docstring for why (about 8x faster on this machine, measured in ``bench/xlsx.py``);
openpyxl is the reference the tests read every file back with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pbx_core.errors import ValidationError
from reports.xlsx_stream import DEFAULT_COMPRESSLEVEL, CellValue, Column, Kind, LocalTimes, cell_value, write_records

Lang = Literal["en", "vi"]
DEFAULT_TZ: Final = "Asia/Ho_Chi_Minh"
SHEET_TITLE: Final = "CDRs"
LANGS: Final[tuple[str, ...]] = ("en", "vi")


@dataclass(frozen=True)
class CdrColumn:
    key: str  # the CDR field (pbx_core.cdr.Cdr)
    kind: Kind
    en: str
    vi: str
    width: float


# "label" columns have few distinct values per tenant (shared strings); "time" headers get
# the zone appended.
COLUMNS: Final[tuple[CdrColumn, ...]] = (
    CdrColumn("started_at", "time", "Started", "Bắt đầu", 20),
    CdrColumn("answered_at", "time", "Answered", "Trả lời", 20),
    CdrColumn("ended_at", "time", "Ended", "Kết thúc", 20),
    CdrColumn("direction", "label", "Direction", "Chiều gọi", 10),
    CdrColumn("caller", "text", "Caller", "Số gọi", 14),
    CdrColumn("callee", "text", "Callee", "Số nhận", 14),
    CdrColumn("dialled", "text", "Dialled", "Số đã quay", 14),
    CdrColumn("did", "label", "DID", "Số DID", 14),
    CdrColumn("disposition", "label", "Disposition", "Kết quả", 12),
    CdrColumn("duration_s", "num", "Duration (s)", "Thời lượng (giây)", 12),
    CdrColumn("billable_s", "num", "Billable (s)", "Tính cước (giây)", 12),
    CdrColumn("sip_code", "num", "SIP code", "Mã SIP", 9),
    CdrColumn("hangup_cause", "label", "Hangup cause", "Lý do kết thúc", 18),
    CdrColumn("hangup_side", "label", "Hangup side", "Bên kết thúc", 12),
    CdrColumn("branch_id", "label", "Branch", "Chi nhánh", 12),
    CdrColumn("trunk_id", "label", "Trunk", "Trung kế", 12),
    CdrColumn("recording_key", "text", "Recording", "Ghi âm", 40),
    CdrColumn("call_id", "text", "Call-ID", "Call-ID", 36),
)


def zone(tz: str) -> dt.tzinfo:
    """The IANA zone ``tz`` (e.g. Asia/Ho_Chi_Minh, UTC)."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"unknown time zone {tz!r}", fields={"tz": "an IANA time zone"}) from exc


def header(tz: str = DEFAULT_TZ, lang: str = "en") -> tuple[str, ...]:
    """The header row: titles in ``lang``; time columns say which zone their values are in."""
    if lang not in LANGS:
        raise ValidationError(f"unknown language {lang!r}", fields={"lang": "en or vi"})
    titles = [c.vi if lang == "vi" else c.en for c in COLUMNS]
    return tuple(f"{t} ({tz})" if c.kind == "time" else t for t, c in zip(titles, COLUMNS, strict=True))


HEADER: Final = header()


def iter_row_values(cdrs: Iterable[Mapping[str, Any]], tz: str = DEFAULT_TZ) -> Iterator[list[CellValue]]:
    """Each CDR as the values of its row, in COLUMNS order, as Excel shows them: times are
    naive wall-clock datetimes in ``tz`` (millisecond precision), numbers int/float, the
    rest text; None for an empty cell."""
    times = LocalTimes(zone(tz))
    for cdr in cdrs:
        yield [cell_value(cdr.get(c.key), c.kind, times) for c in COLUMNS]


def row_values(cdr: Mapping[str, Any], tz: str = DEFAULT_TZ) -> list[CellValue]:
    """One CDR as the values of its row (see iter_row_values)."""
    return next(iter_row_values([cdr], tz))


def write_cdrs(
    cdrs: Iterable[Mapping[str, Any]],
    out: str | Path | IO[bytes],
    *,
    tz: str = DEFAULT_TZ,
    lang: str = "en",
    title: str = SHEET_TITLE,
    compresslevel: int = DEFAULT_COMPRESSLEVEL,
) -> int:
    """Write ``cdrs`` to an .xlsx file (a path or a binary file object) with times in the
    zone ``tz`` and headers in ``lang``; the number of rows written (without the header)."""
    titles = header(tz, lang)
    columns = [Column(c.key, c.kind, t, c.width) for c, t in zip(COLUMNS, titles, strict=True)]
    return write_records(cdrs, out, columns, zone=zone(tz), title=title, compresslevel=compresslevel)
