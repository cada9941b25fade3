"""Queue and agent reports (issue 16 item 5): the tenant's queue events of a period as an
Excel workbook (``reports.queue_xlsx``: summary, per-interval rows with a chart, agents), in
Vietnamese or English, times in the tenant's time zone.

Like the CDR Excel export (``cdr_reports``): the workbook goes to
``tenants/<tenant_id>/reports/queues/<report_id>.xlsx`` in one PutObject, tagged
``probox:kind=report`` (deleted after ``KEPT_DAYS`` by the bucket's lifecycle rule), and the
answer is a presigned GET valid ``LINK_TTL_S`` seconds; ``link`` signs a new one while the
object lasts. Keys are built from the caller's tenant only, so another tenant's report id
is 404.

Bounds, so that a report fits in the request (API Gateway's 29 s) and in memory: a period
of at most ``MAX_DAYS`` days (400 past it), at most ``MAX_EVENTS`` events read (413
``export_too_large`` past it: report a shorter period), at most ``MAX_INTERVAL_ROWS`` rows
on the intervals sheet (400 on ``interval``: a longer interval, a shorter period or one
queue). A ``queue_id`` of
another tenant, or of no queue, is 404. The events are read from the tenant's log
(``queue_events.service.read_period``): a one-queue report needs the agents' pause events
too, which name no queue; ``reports.queue_xlsx`` keeps the queue's and its agents'.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

from control_plane.cdr_reports import service as cdr_reports
from control_plane.cdrs import service as cdrs
from control_plane.core import clock, ids, s3, store
from control_plane.core.errors import ExportTooLarge
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.extensions import store as ext_store
from control_plane.queue_events import service as queue_events
from control_plane.queue_reports.schemas import MAX_DAYS, QueueReportOut, QueueReportQuery
from control_plane.queues import service as queues
from control_plane.queues import store as queues_store
from control_plane.tenants import service as tenants
from pbx_core import cdr as cdrmod
from pbx_core.errors import NotFound, ValidationError
from pbx_core.queue_log import QueueEvent
from reports import queue_xlsx

ID_PREFIX = "rpt"
MAX_EVENTS = 200_000  # a busy 100-agent center's month (~2,000 calls a day, ~3 events each)
# Rows of the intervals sheet (intervals x queue blocks): openpyxl writes a cell in tens of
# µs, so this keeps the workbook to a few seconds (31 days of 15 minutes is 2,976 a queue).
MAX_INTERVAL_ROWS = 20_000
LINK_TTL_S = cdr_reports.LINK_TTL_S
KEPT_DAYS = cdr_reports.KEPT_DAYS
CONTENT_TYPE = cdr_reports.XLSX_CONTENT_TYPE
_MISSING = ("404", "NoSuchKey", "NotFound", "403", "AccessDenied")  # 403: a missing key without s3:ListBucket
_FILENAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_META = ("queue-id", "period-start", "period-end", "interval", "lang", "events", "time-zone", "filename")


def report_key(tenant_id: str, report_id: str) -> str:
    return f"{s3.tenant_prefix(tenant_id)}reports/queues/{report_id}.xlsx"


def period(q: QueueReportQuery, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[from, to) as UTC datetimes: ISO 8601 with any offset, without one in ``zone``; 400
    when unreadable, empty, reversed or longer than ``MAX_DAYS`` days."""
    out: dict[str, datetime] = {}
    errors: dict[str, str] = {}
    for name, value in (("from", q.start), ("to", q.end)):
        try:
            out[name] = cdrmod.parse_iso(cdrs.sort_time(value, zone))
        except (ValidationError, OverflowError, ValueError):
            errors[name] = "ISO 8601 date or timestamp, e.g. 2025-11-01T00:00:00+07:00 (no offset: local time)"
    if errors:
        raise ValidationError("invalid period", fields=errors)
    start, end = out["from"], out["to"]
    if end <= start:
        raise ValidationError("the period ends before it starts", fields={"to": "must be after from"})
    if end - start > timedelta(days=MAX_DAYS):
        raise ValidationError(
            f"a report covers at most {MAX_DAYS} days: report a longer time in several periods",
            fields={"to": f"at most {MAX_DAYS} days after from"},
        )
    return start, end


def _bounded(events: Iterable[QueueEvent], tally: list[int]) -> Iterator[QueueEvent]:
    for ev in events:
        tally[0] += 1
        if tally[0] > MAX_EVENTS:
            count("QueueReportTooLarge")
            raise ExportTooLarge(
                f"this period has more than {MAX_EVENTS:,} queue events: report a shorter period",
                fields={"from": "shorter period"},
            )
        yield ev


def create_xlsx(tenant_id: str, q: QueueReportQuery) -> QueueReportOut:
    """Write the period's queue and agent report into the tenant's reports; the report and a link."""
    zone_name, zone = cdrs.tenant_zone(tenant_id)
    start, end = period(q, zone)
    if q.queue_id:
        queues.require(tenant_id, q.queue_id)  # 404 for a queue that is not the tenant's
    configs = {item.queue_id: queues_store.config(item) for item in queues_store.list_all(tenant_id)}
    names = {e.number: e.display_name for e in ext_store.list_all(tenant_id) if e.display_name}
    started = time.monotonic()
    now = clock.now()
    report_id = ids.new_id(ID_PREFIX)
    filename = f"queues-{now.astimezone(zone):%Y%m%d-%H%M%S}.xlsx"
    spec = queue_xlsx.ReportSpec(
        tenant_name=tenants.require(tenant_id).name,
        tz=zone_name,
        start=start.timestamp(),
        end=end.timestamp(),
        interval=q.interval,
        lang=q.lang,
        generated_at=now.timestamp(),
        queue_id=q.queue_id or "",
        agent_names=names,
        max_interval_rows=MAX_INTERVAL_ROWS,
    )
    tally = [0]
    events = list(_bounded(queue_events.read_period(tenant_id, spec.start, spec.end), tally))
    meta = {
        "queue-id": q.queue_id or "",
        "period-start": cdrmod.iso(start),
        "period-end": cdrmod.iso(end),
        "interval": q.interval,
        "lang": q.lang,
        "events": str(len(events)),
        "time-zone": zone_name,
        "filename": filename,
    }
    with tempfile.SpooledTemporaryFile(max_size=cdr_reports.SPOOL_BYTES) as spool:
        queue_xlsx.write_queue_report(events, configs, spec, spool)
        size = spool.tell()
        spool.seek(0)
        s3.client().put_object(
            Bucket=s3.bucket(),
            Key=report_key(tenant_id, report_id),
            Body=spool,
            ContentType=CONTENT_TYPE,
            Tagging=cdr_reports.TAGGING,
            Metadata=meta,
        )
    count("QueueReportXlsx")
    logger.info(
        "queue report written",
        extra={
            "tenant_id": tenant_id,
            "report_id": report_id,
            "events": len(events),
            "bytes": size,
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    return _answer(tenant_id, report_id, size, meta, now)


def link(tenant_id: str, report_id: str) -> QueueReportOut:
    """A new link to a report of ``tenant_id`` (404 for an unknown, expired or foreign id)."""
    ids.check_id(report_id, ID_PREFIX, "report")
    try:
        head = s3.client().head_object(Bucket=s3.bucket(), Key=report_key(tenant_id, report_id))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _MISSING:
            raise NotFound(f"report not found (reports are kept {KEPT_DAYS} days)") from exc
        raise
    raw = head.get("Metadata") or {}
    meta = {k: str(raw.get(k) or "") for k in _META}
    return _answer(tenant_id, report_id, int(head.get("ContentLength") or 0), meta, clock.now())


def _answer(tenant_id: str, report_id: str, size: int, meta: dict[str, str], now: datetime) -> QueueReportOut:
    name = meta["filename"] if _FILENAME.match(meta["filename"]) else f"queues-{report_id}.xlsx"
    url = s3.client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": s3.bucket(),
            "Key": report_key(tenant_id, report_id),
            "ResponseContentType": CONTENT_TYPE,
            "ResponseContentDisposition": f'attachment; filename="{name}"',
        },
        ExpiresIn=LINK_TTL_S,
    )
    fields: dict[str, Any] = {
        "id": report_id,
        "queue_id": meta["queue-id"] or None,
        "period_start": meta["period-start"],
        "period_end": meta["period-end"],
        "interval": meta["interval"] if meta["interval"] in queue_xlsx.INTERVALS else "1h",
        "lang": meta["lang"] if meta["lang"] in queue_xlsx.LANGS else "en",
        "events": int(meta["events"]) if meta["events"].isdigit() else 0,
        "time_zone": meta["time-zone"],
        "bytes": size,
        "filename": name,
        "content_type": CONTENT_TYPE,
        "url": url,
        "expires_in": LINK_TTL_S,
        "expires_at": store.ts(now + timedelta(seconds=LINK_TTL_S)),
    }
    return QueueReportOut(**fields)
