"""Exports of calls to S3: Excel (F9, ``reports.cdr_xlsx``) and CSV (``cdrs.csv_chunks``).

``create`` (.xlsx) and ``create_csv`` take the CSV export's filters and limit
(``cdrs.cdr_filter``: ``from``/``to`` in any offset, a time without one in the tenant's
zone) and read through the same bulk path (``store.iter_cdr_docs``: the low-level client's
paginated Query, no model objects). The file streams into a spooled temporary file (memory
while small, ``/tmp`` beyond ``SPOOL_BYTES``), then goes to
``tenants/<tenant_id>/reports/cdrs/<report_id>.<xlsx|csv>`` in one PutObject, tagged
``probox:kind=report`` (the bucket's lifecycle rule deletes it after ``KEPT_DAYS``). The
answer is a presigned GET valid ``LINK_TTL_S`` seconds; ``link`` signs a new one while the
object lasts. Keys are built from the caller's tenant only, so another tenant's report id
is 404, and so is an id of the other format.

The workbook has times in the tenant's time zone and headers in English or Vietnamese; the
CSV is byte for byte what ``GET /v1/cdrs/export`` answers for the same query (that route
stops at what fits in one API response, ~14,000 calls; this one does not).

Time: the request runs in the API function, so it must end within API Gateway's 29 s. The
limit is the CSV export's (default 10,000 rows, at most 100,000); ``truncated`` says that
more calls matched than the limit, and a larger range is exported in several time slices.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

from chalicelib import cdrs, clock, common, recordings, schemas, settings, store
from chalicelib.log import logger
from chalicelib.metrics import count
from pbx_core.errors import NotFound
from reports import cdr_xlsx

ID_PREFIX = "rpt"
LINK_TTL_S = 300
KEPT_DAYS = 7  # template.yaml's lifecycle rule expire-report-exports (tests/aws/test_template.py)
# In memory up to this, then /tmp: 100,000 calls make a ~10 MB workbook, a ~36 MB CSV.
SPOOL_BYTES = 16 * 1024 * 1024
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
TAGGING = "probox:kind=report"  # template.yaml: the lifecycle rule expire-report-exports
SHEET_TITLES = {"en": "Calls", "vi": "Cuộc gọi"}
_MISSING = ("404", "NoSuchKey", "NotFound", "403", "AccessDenied")  # 403: a missing key without s3:ListBucket
_FILENAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


@dataclass(frozen=True)
class Format:
    ext: str
    content_type: str
    metric: str


XLSX = Format("xlsx", CONTENT_TYPE, "CdrExportXlsx")
CSV = Format("csv", CSV_CONTENT_TYPE, "CdrExportCsv")

# (docs, time zone name, zone, spool): writes the file into the spool
Writer = Callable[[Iterable[dict[str, Any]], str, ZoneInfo, IO[bytes]], None]


def report_key(tenant_id: str, report_id: str, fmt: Format = XLSX) -> str:
    return f"{recordings.tenant_prefix(tenant_id)}reports/cdrs/{report_id}.{fmt.ext}"


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


def create(tenant_id: str, q: schemas.CdrXlsxQuery) -> dict[str, Any]:
    """Write the matching calls as an .xlsx into the tenant's reports; the report and a link."""

    def write(docs: Iterable[dict[str, Any]], zone_name: str, zone: ZoneInfo, spool: IO[bytes]) -> None:
        cdr_xlsx.write_cdrs(docs, spool, tz=zone_name, lang=q.lang, title=SHEET_TITLES[q.lang])

    return _create(tenant_id, q, XLSX, write, {"lang": q.lang})


def create_csv(tenant_id: str, q: schemas.CdrExportQuery) -> dict[str, Any]:
    """Write the matching calls as CSV (``GET /v1/cdrs/export``'s bytes) into the tenant's
    reports; the report and a link."""

    def write(docs: Iterable[dict[str, Any]], zone_name: str, zone: ZoneInfo, spool: IO[bytes]) -> None:
        for chunk in cdrs.csv_chunks(cdrs.localize(doc, zone_name, zone) for doc in docs):
            spool.write(chunk.encode())

    return _create(tenant_id, q, CSV, write, {})


def _create(
    tenant_id: str, q: schemas.CdrExportQuery, fmt: Format, write: Writer, extra: dict[str, str]
) -> dict[str, Any]:
    zone_name, zone = cdrs.tenant_zone(tenant_id)
    flt = cdrs.cdr_filter(q, extension=None, zone=zone)
    started = time.monotonic()
    now = clock.now()
    report_id = common.new_id(ID_PREFIX)
    filename = f"calls-{now.astimezone(zone):%Y%m%d-%H%M%S}.{fmt.ext}"
    tally = _Tally()
    docs = _capped(store.iter_cdr_docs(tenant_id, flt, max_items=q.limit + 1), q.limit, tally)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        write(docs, zone_name, zone, spool)
        size = spool.tell()
        spool.seek(0)
        # One PutObject from the spool (S3 takes up to 5 GB that way): no multipart upload
        # to abort on failure, and the API role needs no more than s3:PutObject.
        recordings.s3_client().put_object(
            Bucket=settings.aws().recordings_bucket,
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


def link(tenant_id: str, report_id: str, fmt: Format = XLSX) -> dict[str, Any]:
    """A new link to a report of ``tenant_id`` (404 for an unknown, expired or foreign id)."""
    common.check_id(report_id, ID_PREFIX, "report")
    try:
        head = recordings.s3_client().head_object(
            Bucket=settings.aws().recordings_bucket, Key=report_key(tenant_id, report_id, fmt)
        )
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
) -> dict[str, Any]:
    url = recordings.s3_client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": settings.aws().recordings_bucket,
            "Key": report_key(tenant_id, report_id, fmt),
            "ResponseContentType": fmt.content_type,
            "ResponseContentDisposition": f'attachment; filename="{meta["filename"]}"',
        },
        ExpiresIn=LINK_TTL_S,
    )
    return {
        "id": report_id,
        **meta,
        "bytes": size,
        "content_type": fmt.content_type,
        "url": url,
        "expires_in": LINK_TTL_S,
        "expires_at": store.ts(now + timedelta(seconds=LINK_TTL_S)),
    }
