"""Bench 4: Excel export of N CDR rows with reports.cdr_xlsx (the streaming writer in
reports.xlsx_stream) against xlsxwriter in constant_memory mode writing the same cells from
the same rows, and, at 100k rows or fewer, openpyxl write-only (the design card's library).
Each export runs in its own Python process, so its peak RSS (VmHWM) is its own; the
rows come from the same generator in every process (its cost alone is measured too, as
engine "input"). ProBox's output is checked after its run (zip CRCs, row count).

    .venv/bin/python -m bench.xlsx --rows 100000            # all engines, prints JSON
    .venv/bin/python -m bench.xlsx --engine probox --rows 1000 --out /tmp/x.xlsx   # one
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ENGINES = ("probox", "xlsxwriter", "openpyxl", "input")
OPENPYXL_MAX_ROWS = 100_000  # ~15 s per 100k rows: not worth 2.5 minutes at 1M


def synthetic_cdrs(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        s = i % 86400
        hh, mm, ss = s // 3600, s % 3600 // 60, s % 60
        yield {
            "started_at": f"2026-11-26T{hh:02d}:{mm:02d}:{ss:02d}.000Z",
            "answered_at": f"2026-11-26T{hh:02d}:{mm:02d}:{ss:02d}.800Z",
            "ended_at": f"2026-11-26T{hh:02d}:{mm:02d}:{ss:02d}.900Z",
            "direction": ("internal", "outbound", "inbound")[i % 3],
            "caller": str(100 + i % 900),
            "callee": f"09{i % 100000000:08d}",
            "dialled": f"09{i % 100000000:08d}",
            "did": "02873001234" if i % 3 else "",
            "disposition": "answered" if i % 7 else "no_answer",
            "duration_s": (i * 37 % 3600) + 0.123,
            "billable_s": i * 37 % 3600 + 1,
            "sip_code": 200 if i % 7 else 480,
            "hangup_cause": "normal_clearing",
            "hangup_side": "caller" if i % 2 else "callee",
            "branch_id": "",
            "trunk_id": "viettel-1" if i % 3 else "",
            "recording_key": f"tenants/t1/recordings/2026/11/26/call-{i}.wav" if i % 7 else None,
            "call_id": f"{i:010d}-bench@127.0.0.1",
        }


def export_probox(n: int, out: Path) -> int:
    from reports.cdr_xlsx import write_cdrs

    return write_cdrs(synthetic_cdrs(n), out)


def export_xlsxwriter(n: int, out: Path) -> int:
    """The same cells as export_probox (values from reports.cdr_xlsx.iter_row_values: times
    in the tenant's zone as date-times), the same header, widths, frozen header, autofilter."""
    import datetime as dt

    import xlsxwriter  # type: ignore[import-untyped]  # 3.3 ships no py.typed and there is no stubs package

    from reports.cdr_xlsx import COLUMNS, header, iter_row_values
    from reports.xlsx_stream import DATE_FORMAT

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet("CDRs")
    date_fmt = wb.add_format({"num_format": DATE_FORMAT})
    bold = wb.add_format({"bold": True})
    for i, column in enumerate(COLUMNS):
        ws.set_column(i, i, column.width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, n, len(COLUMNS) - 1)
    ws.write_row(0, 0, header(), bold)
    r = 0
    for r, values in enumerate(iter_row_values(synthetic_cdrs(n)), start=1):
        for c, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            elif isinstance(v, dt.datetime):
                ws.write_datetime(r, c, v, date_fmt)
            else:
                ws.write_number(r, c, v)
    wb.close()
    return r


def export_openpyxl(n: int, out: Path) -> int:
    """openpyxl write-only with the same values (its default date format)."""
    from openpyxl import Workbook

    from reports.cdr_xlsx import header, iter_row_values

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("CDRs")
    ws.append(list(header()))
    n_rows = 0
    for values in iter_row_values(synthetic_cdrs(n)):
        ws.append(values)
        n_rows += 1
    wb.save(str(out))
    return n_rows


def consume_input(n: int, out: Path) -> int:
    """Only the row generator: what every engine's figure includes."""
    n_rows = sum(1 for _ in synthetic_cdrs(n))
    out.write_bytes(b"")
    return n_rows


def check_probox_file(path: Path, rows: int) -> dict[str, Any]:
    """The file is a sound zip and its sheets hold the header(s) plus ``rows`` rows (a full
    value-by-value check with openpyxl is in tests/unit/test_reports.py)."""
    with zipfile.ZipFile(path) as zf:
        bad = zf.testzip()
        if bad is not None:
            raise RuntimeError(f"corrupt part {bad} in {path}")
        sheets = sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
        found = 0
        for name in sheets:
            tail = b""  # 5 bytes: a "</row>" split across chunks is counted once
            with zf.open(name) as fh:
                while chunk := fh.read(1 << 20):
                    found += (tail + chunk).count(b"</row>")
                    tail = chunk[-5:]
        sizes = sum(zf.getinfo(n).file_size for n in sheets)
    if found - len(sheets) != rows:
        raise RuntimeError(f"{path}: {found - len(sheets)} data rows, expected {rows}")
    return {"sheets": len(sheets), "sheet_xml_mb": round(sizes / 1e6, 1)}


def peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux carries ru_maxrss across
    fork/vfork + exec, so a child started by a bigger parent reports the parent's peak
    (measured: a 10.9 MB child of a 211 MB parent reports 211 MB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB -> MiB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(engine: str, rows: int, out: Path) -> dict[str, Any]:
    """In a child process: wall time, CPU time (all threads), peak RSS (MB) of one export."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.xlsx", "--engine", engine, "--rows", str(rows), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=3600,
        check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["rows"] != rows:
        raise RuntimeError(f"{engine} wrote {result['rows']} rows of {rows}")
    return result


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time (of an odd count; the faster middle one otherwise)."""
    ordered = sorted(runs, key=lambda x: x["wall_s"])
    return {**ordered[(len(ordered) - 1) // 2], "runs_wall_s": [x["wall_s"] for x in runs]}


def compare(rows: int, repeats: int | None = None, with_openpyxl: bool | None = None) -> dict[str, Any]:
    """On the same rows: ProBox ``repeats`` times (default 3 up to 100k rows, else 1; the
    median run counts: on this shared machine one run can land on a busy moment), xlsxwriter
    once, spread out as P X P [openpyxl] P, the row generator alone, and openpyxl once (by
    default only up to 100k rows). About 35 s at 100k rows on a quiet machine."""
    if repeats is None:
        repeats = 3 if rows <= OPENPYXL_MAX_ROWS else 1
    repeats = max(1, repeats)
    if with_openpyxl is None:
        with_openpyxl = rows <= OPENPYXL_MAX_ROWS
    load_start = os.getloadavg()
    ours: list[dict[str, Any]] = []
    refs: list[dict[str, Any]] = []
    opx: dict[str, Any] | None = None
    check: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="probox-xlsx-") as d:
        out = Path(d)

        def probox() -> None:
            nonlocal check
            ours.append(run_one("probox", rows, out / "probox.xlsx"))
            check = check_probox_file(out / "probox.xlsx", rows)
            (out / "probox.xlsx").unlink()

        probox()
        refs.append(run_one("xlsxwriter", rows, out / "xlsxwriter.xlsx"))
        (out / "xlsxwriter.xlsx").unlink()
        gen = run_one("input", rows, out / "input")
        for i in range(1, repeats):
            probox()
            if i == 1 and with_openpyxl:
                opx = run_one("openpyxl", rows, out / "openpyxl.xlsx")
        if with_openpyxl and opx is None:
            opx = run_one("openpyxl", rows, out / "openpyxl.xlsx")
    o, r = _median_run(ours), _median_run(refs)
    result: dict[str, Any] = {
        "rows": rows,
        "repeats": repeats,
        "probox": {**o, **check},
        "xlsxwriter": r,
        "input": gen,
        "time_ratio_vs_xlsxwriter": o["wall_s"] / r["wall_s"] if r["wall_s"] else None,
        "cpu_ratio_vs_xlsxwriter": o["cpu_s"] / r["cpu_s"] if r["cpu_s"] else None,
        "rss_ratio_vs_xlsxwriter": o["peak_rss_mb"] / r["peak_rss_mb"] if r["peak_rss_mb"] else None,
        "probox_cpu_s_per_100k": round(statistics.median(x["cpu_s"] for x in ours) * 100_000 / rows, 3),
        "load_avg_start_end": [round(load_start[0], 2), round(os.getloadavg()[0], 2)],
    }
    if opx is not None:
        result["openpyxl"] = opx
        result["time_ratio_vs_openpyxl"] = o["wall_s"] / opx["wall_s"] if opx["wall_s"] else None
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--engine", choices=ENGINES)
    ap.add_argument("--repeats", type=int, help="ProBox runs (default 3 up to 100k rows, else 1)")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    if a.engine is None:
        print(json.dumps(compare(a.rows, a.repeats)))
        return 0
    if a.out is None:
        ap.error("--engine needs --out")
    fn = {
        "probox": export_probox,
        "xlsxwriter": export_xlsxwriter,
        "openpyxl": export_openpyxl,
        "input": consume_input,
    }[a.engine]
    t0, c0 = time.perf_counter(), time.process_time()
    n = fn(a.rows, a.out)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = peak_rss_mb()
    print(
        json.dumps(
            {
                "engine": a.engine,
                "rows": n,
                "wall_s": round(wall, 3),
                "cpu_s": round(cpu, 3),
                "peak_rss_mb": round(peak, 1),
                "bytes": a.out.stat().st_size,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
