"""Excel export of CDRs: one streaming pass, constant memory (openpyxl write-only mode).

    from reports.cdr_xlsx import write_cdrs
    n = write_cdrs(cdr_dicts, "cdrs.xlsx")

Rows are written as they come (any iterable, e.g. a paginated query), so memory does not
grow with the number of rows. Timestamps stay ISO 8601 strings (UTC, as stored); durations
are numbers; missing values are empty cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any, Final

from openpyxl import Workbook  # type: ignore[import-untyped]

# (CDR key, column title, kind): kind "num" cells are numbers, "text" cells strings.
COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("started_at", "Started (UTC)", "text"),
    ("answered_at", "Answered (UTC)", "text"),
    ("ended_at", "Ended (UTC)", "text"),
    ("direction", "Direction", "text"),
    ("caller", "Caller", "text"),
    ("callee", "Callee", "text"),
    ("dialled", "Dialled", "text"),
    ("did", "DID", "text"),
    ("disposition", "Disposition", "text"),
    ("duration_s", "Duration (s)", "num"),
    ("billable_s", "Billable (s)", "num"),
    ("sip_code", "SIP code", "num"),
    ("hangup_cause", "Hangup cause", "text"),
    ("hangup_side", "Hangup side", "text"),
    ("branch_id", "Branch", "text"),
    ("trunk_id", "Trunk", "text"),
    ("recording_key", "Recording", "text"),
    ("call_id", "Call-ID", "text"),
)
HEADER: Final[tuple[str, ...]] = tuple(title for _, title, _ in COLUMNS)
SHEET_TITLE: Final = "CDRs"
_MAX_TEXT = 32767  # Excel's cell limit


def _cell(value: Any, kind: str) -> str | int | float | None:
    if value is None or value == "":
        return None
    if kind == "num":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int | float):
            return value
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    text = value if isinstance(value, str) else str(value)
    return text[:_MAX_TEXT]


def row_values(cdr: Mapping[str, Any]) -> list[str | int | float | None]:
    """One CDR as the cells of its row, in COLUMNS order."""
    return [_cell(cdr.get(key), kind) for key, _, kind in COLUMNS]


def write_cdrs(cdrs: Iterable[Mapping[str, Any]], out: str | Path | IO[bytes], *, title: str = SHEET_TITLE) -> int:
    """Write ``cdrs`` to an .xlsx file (a path or a binary file object); the number of rows
    written (without the header)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title)
    ws.append(list(HEADER))
    n = 0
    for cdr in cdrs:
        ws.append(row_values(cdr))
        n += 1
    wb.save(out if not isinstance(out, Path) else str(out))
    return n
