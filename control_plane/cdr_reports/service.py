"""Exports of calls: CSV in the answer, and CSV or Excel (F9, ``reports.cdr_xlsx``) files in S3.

All three take the search's filters (``cdrs.service.cdr_filter``: ``from``/``to`` in any
offset, a time without one in the tenant's zone) and read through the same bulk path
(``cdrs.store.iter_docs``: the low-level client's paginated Query, no model objects).

CSV: one format (``EXPORT_COLUMNS``, local-time columns last, UTF-8 without a BOM, CRLF,
cells starting with ``= + - @`` quoted), produced by ``csv_chunks`` for both routes, so the
file in S3 is byte for byte what ``GET /v1/cdrs/export`` answers for the same query. That
route stops at what fits in one API response (``DIRECT_MAX_BYTES``, ~14,000 calls: a Lambda
answer behind API Gateway is at most 6 MB) and answers 413 ``export_too_large`` past it.

Files: the file streams into a spooled temporary file (memory while small, ``/tmp`` beyond
``SPOOL_BYTES``), then goes to ``tenants/<tenant_id>/reports/cdrs/<report_id>.<xlsx|csv>``
in one PutObject, tagged ``probox:kind=report`` (the bucket's lifecycle rule deletes it
after ``KEPT_DAYS``). The answer is a presigned GET valid ``LINK_TTL_S`` seconds; ``link``
signs a new one while the object lasts. Keys are built from the caller's tenant only, so
another tenant's report id is 404, and so is an id of the other format.

Time: the request runs in the API function, so it must end within API Gateway's 29 s. The
limit is the CSV export's (default 10,000 rows, at most 100,000); ``truncated`` says that
more calls matched than the limit, and a larger range is exported in several time slices.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

from control_plane.cdr_reports.schemas import (
    EXPORT_MAX_LIMIT,
    CdrCsvReportOut,
    CdrExportLink,
    CdrExportQuery,
    CdrReportOut,
    CdrXlsxQuery,
)
from control_plane.cdrs import service as cdrs
from control_plane.cdrs import store as cdrs_store
from control_plane.core import clock, ids, s3, store
from control_plane.core.errors import ExportTooLarge
from control_plane.core.log import logger
from control_plane.core.metrics import count
from pbx_core.errors import NotFound
from reports import cdr_xlsx

# The direct CSV answer's body, counted as Lambda's JSON answer holds it: the answer may be
# 6 MB (6,291,456 bytes) with headers and envelope; above this, use the S3 export.
DIRECT_MAX_BYTES = 5 * 2**20
CSV_CHUNK_CHARS = 64 * 1024
EXPORT_COLUMNS = (
    "call_id",
    "started_at",
    "answered_at",
    "ended_at",
    "duration_s",
    "caller",
    "callee",
    "direction",
    "disposition",
    "sip_code",
    "hangup_side",
    "recording_key",
    "recording_format",
    "recording_bytes",
    "recording_deleted",
    "edge_id",
    # appended, not inserted: importers that read columns by position keep working
    "time_zone",
    "started_at_local",
    "answered_at_local",
    "ended_at_local",
)
ID_PREFIX = "rpt"
LINK_TTL_S = 300
KEPT_DAYS = 7  # template.yaml's lifecycle rule expire-report-exports (tests/aws/test_template.py)
# In memory up to this, then /tmp: 100,000 calls make a ~10 MB workbook, a ~36 MB CSV.
SPOOL_BYTES = 16 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
TAGGING = "probox:kind=report"  # template.yaml: the lifecycle rule expire-report-exports
SHEET_TITLES = {"en": "Calls", "vi": "Cuộc gọi"}
_MISSING = ("404", "NoSuchKey", "NotFound", "403", "AccessDenied")  # 403: a missing key without s3:ListBucket
_FILENAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


# --- CSV ---------------------------------------------------------------------------------------
def csv_chunks(rows: Iterable[dict[str, Any]], *, chunk_chars: int = CSV_CHUNK_CHARS) -> Iterator[str]:
    """The CSV text of ``rows`` (header first, ``EXPORT_COLUMNS`` in that order), in pieces
    of about ``chunk_chars`` characters: the direct answer and the S3 export join the same
    pieces, so both are the same bytes. UTF-8 without a BOM, CRLF line ends (csv's default),
    as this export has always been."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for doc in rows:
        writer.writerow([_cell(doc.get(c)) for c in EXPORT_COLUMNS])
        if out.tell() >= chunk_chars:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _cell(value: Any) -> str:
    """CSV cell; a leading = + - @ is quoted away so spreadsheets do not run it (CSV injection)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@") and not text.lstrip("+-").replace(".", "", 1).isdigit():
        return "'" + text
    return text


def export_csv(tenant_id: str, q: CdrExportQuery, *, extension: str | None = None) -> str:
    """The matching CDRs as CSV in the response body: the UTC times, and the same times in
    the tenant's time zone in the last columns.

    For small exports only: a Lambda answer behind API Gateway is at most 6 MB, so past
    ``DIRECT_MAX_BYTES`` this stops reading and raises ``ExportTooLarge`` (HTTP 413), which
    points at the S3 export (``create_csv``). That costs at most ~14,000 rows read.
    """
    name, zone = cdrs.tenant_zone(tenant_id)
    flt = cdrs.cdr_filter(q, extension=extension, zone=zone)
    rows = (cdrs.localize(doc, name, zone) for doc in cdrs_store.iter_docs(tenant_id, flt, max_items=q.limit))
    parts: list[str] = []
    size = 0
    for chunk in csv_chunks(rows):
        # Lambda returns the body inside a JSON document: count it escaped as json does
        # (\r\n, \", \uXXXX for non-ASCII), not as the client will receive it.
        size += len(json.dumps(chunk)) - 2
        if size > DIRECT_MAX_BYTES:
            count("CdrExportTooLarge")
            raise ExportTooLarge(
                f"this export is larger than the {DIRECT_MAX_BYTES // 2**20} MiB a direct download can carry: "
                "POST /v1/cdrs/export.csv with the same query answers with a download link "
                f"(up to {EXPORT_MAX_LIMIT:,} calls)",
            )
        parts.append(chunk)
    count("CdrExport")
    return "".join(parts)


# --- files in S3 -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Format:
    ext: str
    content_type: str
    metric: str


XLSX = Format("xlsx", XLSX_CONTENT_TYPE, "CdrExportXlsx")
CSV = Format("csv", CSV_CONTENT_TYPE, "CdrExportCsv")

# (docs, time zone name, zone, spool): writes the file into the spool
Writer = Callable[[Iterable[dict[str, Any]], str, ZoneInfo, IO[bytes]], None]


def report_key(tenant_id: str, report_id: str, fmt: Format = XLSX) -> str:
    return f"{s3.tenant_prefix(tenant_id)}reports/cdrs/{report_id}.{fmt.ext}"


@dataclass
class _Tally:
    rows: int = 0
    more: bool = False  # one more doc than the limit matched


def _capped(docs: Iterator[dict[str, Any]], limit: int, tally: _Tally) -> Iterator[dict[str, Any]]:
    """The first ``limit`` docs, counted in ``tally``; ``tally.more`` when there was one more."""
    for doc in docs:
        if tally.rows == limit:
            tally.more = True
            return
        tally.rows += 1
        yield doc


def create_xlsx(tenant_id: str, q: CdrXlsxQuery) -> CdrExportLink:
    """Write the matching calls as an .xlsx into the tenant's reports; the report and a link."""

    def write(docs: Iterable[dict[str, Any]], zone_name: str, zone: ZoneInfo, spool: IO[bytes]) -> None:
        cdr_xlsx.write_cdrs(docs, spool, tz=zone_name, lang=q.lang, title=SHEET_TITLES[q.lang])

    return _create(tenant_id, q, XLSX, write, {"lang": q.lang})


def create_csv(tenant_id: str, q: CdrExportQuery) -> CdrExportLink:
    """Write the matching calls as CSV (``GET /v1/cdrs/export``'s bytes) into the tenant's
    reports; the report and a link."""

    def write(docs: Iterable[dict[str, Any]], zone_name: str, zone: ZoneInfo, spool: IO[bytes]) -> None:
        for chunk in csv_chunks(cdrs.localize(doc, zone_name, zone) for doc in docs):
            spool.write(chunk.encode())

    return _create(tenant_id, q, CSV, write, {})


def _create(tenant_id: str, q: CdrExportQuery, fmt: Format, write: Writer, extra: dict[str, str]) -> CdrExportLink:
    zone_name, zone = cdrs.tenant_zone(tenant_id)
    flt = cdrs.cdr_filter(q, extension=None, zone=zone)
    started = time.monotonic()
    now = clock.now()
    report_id = ids.new_id(ID_PREFIX)
    filename = f"calls-{now.astimezone(zone):%Y%m%d-%H%M%S}.{fmt.ext}"
    tally = _Tally()
    docs = _capped(cdrs_store.iter_docs(tenant_id, flt, max_items=q.limit + 1), q.limit, tally)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        write(docs, zone_name, zone, spool)
        size = spool.tell()
        spool.seek(0)
        # One PutObject from the spool (S3 takes up to 5 GB that way): no multipart upload
        # to abort on failure, and the API role needs no more than s3:PutObject.
        s3.client().put_object(
            Bucket=s3.bucket(),
            Key=report_key(tenant_id, report_id, fmt),
            Body=spool,
            ContentType=fmt.content_type,
            Tagging=TAGGING,
            Metadata={
                "rows": str(tally.rows),
                "truncated": "1" if tally.more else "0",
                "time-zone": zone_name,
                "filename": filename,
                **extra,
            },
        )
    count(fmt.metric)
    logger.info(
        "cdr report written",
        extra={
            "tenant_id": tenant_id,
            "report_id": report_id,
            "format": fmt.ext,
            "rows": tally.rows,
            "bytes": size,
            "truncated": tally.more,
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    meta = {"rows": tally.rows, "truncated": tally.more, "time_zone": zone_name, **extra, "filename": filename}
    return _answer(tenant_id, fmt, report_id, size, meta, now)


def link(tenant_id: str, report_id: str, fmt: Format = XLSX) -> CdrExportLink:
    """A new link to a report of ``tenant_id`` (404 for an unknown, expired or foreign id)."""
    ids.check_id(report_id, ID_PREFIX, "report")
    try:
        head = s3.client().head_object(Bucket=s3.bucket(), Key=report_key(tenant_id, report_id, fmt))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _MISSING:
            raise NotFound(f"report not found (reports are kept {KEPT_DAYS} days)") from exc
        raise
    raw = head.get("Metadata") or {}
    meta: dict[str, Any] = {
        "rows": int(raw["rows"]) if str(raw.get("rows", "")).isdigit() else 0,
        "truncated": raw.get("truncated") == "1",
        "time_zone": raw.get("time-zone") or "",
    }
    if fmt is XLSX:
        meta["lang"] = raw.get("lang") if raw.get("lang") in SHEET_TITLES else "en"
    name = str(raw.get("filename") or "")
    meta["filename"] = name if _FILENAME.match(name) else f"calls-{report_id}.{fmt.ext}"
    return _answer(tenant_id, fmt, report_id, int(head.get("ContentLength") or 0), meta, clock.now())


def _answer(
    tenant_id: str, fmt: Format, report_id: str, size: int, meta: dict[str, Any], now: datetime
) -> CdrExportLink:
    url = s3.client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": s3.bucket(),
            "Key": report_key(tenant_id, report_id, fmt),
            "ResponseContentType": fmt.content_type,
            "ResponseContentDisposition": f'attachment; filename="{meta["filename"]}"',
        },
        ExpiresIn=LINK_TTL_S,
    )
    fields = {
        "id": report_id,
        **meta,
        "bytes": size,
        "content_type": fmt.content_type,
        "url": url,
        "expires_in": LINK_TTL_S,
        "expires_at": store.ts(now + timedelta(seconds=LINK_TTL_S)),
    }
    return CdrReportOut(**fields) if fmt is XLSX else CdrCsvReportOut(**fields)
