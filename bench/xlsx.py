"""Bench 4: Excel export of N CDR rows with reports.cdr_xlsx (openpyxl write-only) against
xlsxwriter in constant_memory mode on the same rows. Each export runs in its own Python
process so its peak RSS (ru_maxrss) is its own.

    .venv/bin/python -m bench.xlsx --rows 100000            # both, prints JSON
    .venv/bin/python -m bench.xlsx --engine probox --rows 1000 --out /tmp/x.xlsx   # one
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


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
    import xlsxwriter

    from reports.cdr_xlsx import HEADER, row_values

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet("CDRs")
    ws.write_row(0, 0, HEADER)
    r = 0
    for r, cdr in enumerate(synthetic_cdrs(n), start=1):
        ws.write_row(r, 0, row_values(cdr))
    wb.close()
    return r


def run_one(engine: str, rows: int, out: Path) -> dict[str, Any]:
    """In a child process: wall time, CPU time, peak RSS (MB) of one export."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.xlsx", "--engine", engine, "--rows", str(rows), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=3600,
        check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def compare(rows: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="probox-xlsx-") as d:
        ours = run_one("probox", rows, Path(d) / "probox.xlsx")
        ref = run_one("xlsxwriter", rows, Path(d) / "xlsxwriter.xlsx")
    return {
        "rows": rows,
        "probox": ours,
        "xlsxwriter": ref,
        "time_ratio_vs_xlsxwriter": ours["wall_s"] / ref["wall_s"] if ref["wall_s"] else None,
        "rss_ratio_vs_xlsxwriter": ours["peak_rss_mb"] / ref["peak_rss_mb"] if ref["peak_rss_mb"] else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--engine", choices=("probox", "xlsxwriter"))
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    if a.engine is None:
        print(json.dumps(compare(a.rows)))
        return 0
    fn = export_probox if a.engine == "probox" else export_xlsxwriter
    t0, c0 = time.perf_counter(), time.process_time()
    n = fn(a.rows, a.out)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB
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
