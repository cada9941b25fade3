"""Excel reports of calls (F9): ``reports.cdr_xlsx`` writes the workbook, S3 keeps it.

``create`` takes the CSV export's filters and limit (``cdrs.cdr_filter``: ``from``/``to`` in
any offset, a time without one in the tenant's zone) and reads through the same bulk path
(``store.iter_cdr_docs``: the low-level client's paginated Query, no model objects). The
workbook streams into a spooled temporary file (memory while small, ``/tmp`` beyond
``SPOOL_BYTES``), with times in the tenant's time zone and headers in English or
Vietnamese, then goes to ``tenants/<tenant_id>/reports/cdrs/<report_id>.xlsx`` tagged
``probox:kind=report`` (the bucket's lifecycle rule deletes it after ``KEPT_DAYS``). The answer
is a presigned GET valid ``LINK_TTL_S`` seconds; ``link`` signs a new one while the object
lasts. Keys are built from the caller's tenant only, so another tenant's report id is 404.

Time: the request runs in the API function, so it must end within API Gateway's 29 s. The
limit is the CSV export's (default 10,000 rows, at most 100,000); ``truncated`` says that
more calls matched than the limit, and a larger range is exported in several time slices.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib import cdrs, clock, common, recordings, schemas, settings, store
from chalicelib.log import logger
from chalicelib.metrics import count
from pbx_core.errors import NotFound
from reports import cdr_xlsx

ID_PREFIX = "rpt"
LINK_TTL_S = 300
KEPT_DAYS = 7  # template.yaml's lifecycle rule expire-report-exports (tests/aws/test_template.py)
SPOOL_BYTES = 32 * 1024 * 1024  # 100,000 calls make a ~10 MB workbook
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TAGGING = "probox:kind=report"  # template.yaml: the lifecycle rule expire-report-exports
SHEET_TITLES = {"en": "Calls", "vi": "Cuộc gọi"}
_MISSING = ("404", "NoSuchKey", "NotFound", "403", "AccessDenied")  # 403: a missing key without s3:ListBucket
_FILENAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


def report_key(tenant_id: str, report_id: str) -> str:
    return f"{recordings.tenant_prefix(tenant_id)}reports/cdrs/{report_id}.xlsx"


def _capped(docs: Iterator[dict[str, Any]], limit: int, more: list[bool]) -> Iterator[dict[str, Any]]:
    """The first ``limit`` docs; ``more[0]`` becomes True when there was one more."""
    for n, doc in enumerate(docs):
        if n == limit:
            more[0] = True
            return
        yield doc


def create(tenant_id: str, q: schemas.CdrXlsxQuery) -> dict[str, Any]:
    """Write the matching calls as an .xlsx into the tenant's reports; the report and a link."""
    zone_name, zone = cdrs.tenant_zone(tenant_id)
    flt = cdrs.cdr_filter(q, extension=None, zone=zone)
    started = time.monotonic()
    now = clock.now()
    report_id = common.new_id(ID_PREFIX)
    filename = f"calls-{now.astimezone(zone):%Y%m%d-%H%M%S}.xlsx"
    more = [False]
    docs = _capped(store.iter_cdr_docs(tenant_id, flt, max_items=q.limit + 1), q.limit, more)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        rows = cdr_xlsx.write_cdrs(docs, spool, tz=zone_name, lang=q.lang, title=SHEET_TITLES[q.lang])
        size = spool.tell()
        spool.seek(0)
        recordings.s3_client().put_object(
            Bucket=settings.aws().recordings_bucket,
            Key=report_key(tenant_id, report_id),
            Body=spool,
            ContentType=CONTENT_TYPE,
            Tagging=TAGGING,
            Metadata={
                "rows": str(rows),
                "truncated": "1" if more[0] else "0",
                "time-zone": zone_name,
                "lang": q.lang,
                "filename": filename,
            },
        )
    count("CdrExportXlsx")
    logger.info(
        "cdr report written",
        extra={
            "tenant_id": tenant_id,
            "report_id": report_id,
            "rows": rows,
            "bytes": size,
            "truncated": more[0],
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    meta = {"rows": rows, "truncated": more[0], "time_zone": zone_name, "lang": q.lang, "filename": filename}
    return _answer(tenant_id, report_id, size, meta, now)


def link(tenant_id: str, report_id: str) -> dict[str, Any]:
    """A new link to a report of ``tenant_id`` (404 for an unknown, expired or foreign id)."""
    common.check_id(report_id, ID_PREFIX, "report")
    try:
        head = recordings.s3_client().head_object(
            Bucket=settings.aws().recordings_bucket, Key=report_key(tenant_id, report_id)
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _MISSING:
            raise NotFound(f"report not found (reports are kept {KEPT_DAYS} days)") from exc
        raise
    raw = head.get("Metadata") or {}
    lang = raw.get("lang") if raw.get("lang") in SHEET_TITLES else "en"
    meta = {
        "rows": int(raw["rows"]) if str(raw.get("rows", "")).isdigit() else 0,
        "truncated": raw.get("truncated") == "1",
        "time_zone": raw.get("time-zone") or "",
        "lang": lang,
        "filename": name if _FILENAME.match(name := str(raw.get("filename") or "")) else f"calls-{report_id}.xlsx",
    }
    return _answer(tenant_id, report_id, int(head.get("ContentLength") or 0), meta, clock.now())


def _answer(tenant_id: str, report_id: str, size: int, meta: dict[str, Any], now: datetime) -> dict[str, Any]:
    url = recordings.s3_client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": settings.aws().recordings_bucket,
            "Key": report_key(tenant_id, report_id),
            "ResponseContentType": CONTENT_TYPE,
            "ResponseContentDisposition": f'attachment; filename="{meta["filename"]}"',
        },
        ExpiresIn=LINK_TTL_S,
    )
    return {
        "id": report_id,
        **meta,
        "bytes": size,
        "content_type": CONTENT_TYPE,
        "url": url,
        "expires_in": LINK_TTL_S,
        "expires_at": store.ts(now + timedelta(seconds=LINK_TTL_S)),
    }
