"""Call detail records (F8): idempotent ingest from edges, search for tenant users.

Ingest is idempotent twice over: powertools Idempotency (DynamoDB persistence in the same
table) answers a repeated (tenant, call id) from its record for an hour without touching
the CDR items, and the store's conditional transaction (CDR id guard) makes a repeat after
that window, or a concurrent one, store nothing either.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import boto3
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord

from chalicelib import clock, common, recordings, schemas, settings, store, tenants
from chalicelib.errors import ExportTooLarge
from chalicelib.log import logger
from chalicelib.metrics import count
from pbx_core import cdr as cdrmod
from pbx_core.errors import Conflict, NotFound, ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
IDEMPOTENCY_TTL_S = 3600
CURSOR_PURPOSE = "cdr-cursor"
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
# (UTC field, the same instant in the tenant's time zone)
LOCAL_FIELDS = (
    ("started_at", "started_at_local"),
    ("answered_at", "answered_at_local"),
    ("ended_at", "ended_at_local"),
)


def sort_time(value: str, zone: tzinfo = UTC) -> str:
    """A timestamp normalised to UTC milliseconds with Z, so that keys sort by time.

    A stamp without an offset is read in ``zone``: UTC for CDRs from edges (the schema says
    UTC), the tenant's time zone for search bounds typed by its users.
    """
    dt = cdrmod.parse_iso(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    return cdrmod.iso(dt)


# --- the tenant's time zone ----------------------------------------------------------------
def tenant_zone(tenant_id: str) -> tuple[str, ZoneInfo]:
    """(IANA name, zone) of the tenant; the default zone if the stored name is unusable."""
    name = tenants.require_tenant(tenant_id).time_zone or tenants.DEFAULT_TIME_ZONE
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # validated on write; never fail a read on it
        logger.warning("unusable tenant time zone", extra={"tenant_id": tenant_id})
        return tenants.DEFAULT_TIME_ZONE, ZoneInfo(tenants.DEFAULT_TIME_ZONE)


def local_time(value: Any, zone: tzinfo) -> str | None:
    """The UTC stamp ``value`` in ``zone``: ISO 8601, milliseconds, that instant's offset."""
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = cdrmod.parse_iso(value)
    except ValidationError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(zone).isoformat(timespec="milliseconds")
    except OverflowError:  # year 1 or 9999 pushed out of range by the offset
        return None


def localize(doc: dict[str, Any], name: str, zone: tzinfo) -> dict[str, Any]:
    """Add ``time_zone`` and the ``*_local`` times to a CDR; the UTC fields stay as they are."""
    doc["time_zone"] = name
    for utc_field, local_field in LOCAL_FIELDS:
        doc[local_field] = local_time(doc.get(utc_field), zone)
    return doc


# --- ingest --------------------------------------------------------------------------------
def _replayed(response: Any, idempotent_data: DataRecord) -> Any:
    """powertools response hook: an answer served from the idempotency record is a repeat."""
    count("CdrDuplicate")
    return {**response, "status": "duplicate"}


@functools.cache
def _idempotent_store(
    table: str, endpoint: str | None, region: str
) -> tuple[Callable[..., dict[str, Any]], IdempotencyConfig]:
    """The idempotent store function for one table (built lazily: no AWS client at import)."""
    persistence = DynamoDBPersistenceLayer(
        table_name=table,
        key_attr="pk",
        sort_key_attr="sk",
        static_pk_value=store.IDEMPOTENCY_PK,
        expiry_attr="ttl",  # the table's TTL attribute: DynamoDB removes old records
        boto3_client=boto3.client("dynamodb", region_name=region, endpoint_url=endpoint),
    )
    config = IdempotencyConfig(
        event_key_jmespath="[tenant_id, call_id]",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=IDEMPOTENCY_TTL_S,
        response_hook=_replayed,
    )

    def store_once(*, cdr: dict[str, Any], sort_time: str) -> dict[str, Any]:
        # the recording's bytes count in the same transaction as the CDR (first time only)
        created = recordings.store_cdr(cdr, sort_time=sort_time, now=clock.now())
        count("CdrStored" if created else "CdrDuplicate")
        return {"call_id": cdr["call_id"], "status": "created" if created else "duplicate"}

    wrapped: Callable[..., dict[str, Any]] = idempotent_function(
        store_once, data_keyword_argument="cdr", persistence_store=persistence, config=config, key_prefix="cdr-ingest"
    )
    return wrapped, config


def ingest_from_edge(raw: object, *, edge_id: str, lambda_context: Any = None) -> tuple[cdrmod.Cdr, bool]:
    """Validate and store one CDR posted by an edge: (record, True if new, False if repeated).

    The edge is trusted for the tenant id (it routed the call for that tenant); the tenant
    must exist. Idempotent on (tenant_id, call_id): a repeat stores nothing.
    """
    try:
        record = cdrmod.from_dict(raw)
    except (TypeError, ValueError) as exc:  # pbx_core casts sip_code/recording_bytes with int()
        raise ValidationError("invalid CDR", fields={"cdr": "numeric fields must be numbers"}) from exc
    tenant_id = record.tenant_id
    if not tenants.is_tenant_id(tenant_id) or not store.tenant_exists(tenant_id):
        raise NotFound("tenant not found", fields={"tenant_id": "unknown tenant"})
    doc = record.to_dict()
    if not doc["edge_id"]:
        doc["edge_id"] = edge_id
    s = settings.aws()
    store_once, config = _idempotent_store(s.table, s.endpoint_url, s.region)
    if lambda_context is not None and hasattr(lambda_context, "get_remaining_time_in_millis"):
        config.register_lambda_context(lambda_context)  # in-progress records expire with the invocation
    try:
        result = store_once(cdr=doc, sort_time=sort_time(record.started_at))
    except IdempotencyAlreadyInProgressError as exc:
        raise Conflict("this CDR is being stored by another request; retry", fields={"call_id": "in progress"}) from exc
    created = result.get("status") == "created"
    logger.info("cdr stored" if created else "cdr duplicate", extra={"tenant_id": tenant_id, "edge_id": edge_id})
    return record, created


# --- reads -------------------------------------------------------------------------------
def _visible(tenant_id: str, call_id: str, extension: str | None) -> dict[str, Any]:
    doc = store.get_cdr(tenant_id, call_id) if 0 < len(call_id) <= 512 else None
    if doc is None or (extension and extension not in (doc.get("caller"), doc.get("callee"))):
        raise NotFound("call not found")
    return doc


def get(tenant_id: str, call_id: str, *, extension: str | None = None) -> dict[str, Any]:
    doc = _visible(tenant_id, call_id, extension)
    return localize(doc, *tenant_zone(tenant_id))


def recording_link(tenant_id: str, call_id: str, *, extension: str | None = None) -> dict[str, Any]:
    """A short-lived download link of the call's recording, for whoever may see the call."""
    return recordings.link(tenant_id, _visible(tenant_id, call_id, extension), clock.now())


def encode_cursor(tenant_id: str, after_sk: str) -> str:
    return common.encode_cursor(CURSOR_PURPOSE, tenant_id, after_sk)


def decode_cursor(tenant_id: str, cursor: str) -> str:
    return common.decode_cursor(CURSOR_PURPOSE, tenant_id, cursor)


def parse_limit(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise ValidationError(f"limit must be an integer from 1 to {MAX_LIMIT}", fields={"limit": f"1..{MAX_LIMIT}"})
    return int(value)


def cdr_filter(q: schemas.CdrQuery, *, extension: str | None, zone: tzinfo) -> store.CdrFilter:
    """Search criteria. ``from``/``to`` take any offset (Z, +07:00, -05:00...); a date or time
    without one is the tenant's local time (``zone``), which is what its users mean."""
    errors: dict[str, str] = {}
    bounds: dict[str, str | None] = {"from": None, "to": None}
    for name, value in (("from", q.start), ("to", q.end)):
        if value:
            try:
                bounds[name] = sort_time(value, zone)
            except (ValidationError, OverflowError):  # OverflowError: year 1 minus an offset
                errors[name] = "ISO 8601 date or timestamp, e.g. 2025-11-01T00:00:00+07:00 (no offset: local time)"
    if not errors and bounds["from"] and bounds["to"] and bounds["from"] > bounds["to"]:
        errors["to"] = "must not be before from"
    if errors:
        raise ValidationError("invalid search", fields=errors)
    number = q.number
    if number and number.startswith("+84"):
        number = "0" + number[3:]
    return store.CdrFilter(
        start=bounds["from"],
        end=bounds["to"],
        extension=extension or q.extension or None,
        number=number,
        direction=q.direction,
        disposition=q.disposition,
    )


def search(tenant_id: str, q: schemas.CdrQuery, *, extension: str | None = None) -> dict[str, Any]:
    """Newest first, filtered; ``extension`` forces the calls of one extension (agents)."""
    name, zone = tenant_zone(tenant_id)
    flt = cdr_filter(q, extension=extension, zone=zone)
    after = decode_cursor(tenant_id, q.cursor) if q.cursor else None
    items, next_sk = store.list_cdrs(tenant_id, limit=q.limit, after_sk=after, flt=flt)
    return {
        "items": [localize(doc, name, zone) for doc in items],
        "next": encode_cursor(tenant_id, next_sk) if next_sk else None,
    }


def list_page(tenant_id: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
    name, zone = tenant_zone(tenant_id)
    after = decode_cursor(tenant_id, cursor) if cursor else None
    items, next_sk = store.list_cdrs(tenant_id, limit=limit, after_sk=after)
    return {
        "items": [localize(doc, name, zone) for doc in items],
        "next": encode_cursor(tenant_id, next_sk) if next_sk else None,
    }


def export_csv(tenant_id: str, q: schemas.CdrExportQuery, *, extension: str | None = None) -> str:
    """The matching CDRs as CSV in the response body (bulk read through the low-level client):
    the UTC times, and the same times in the tenant's time zone in the last columns.

    For small exports only: a Lambda answer behind API Gateway is at most 6 MB, so past
    ``DIRECT_MAX_BYTES`` this stops reading and raises ``ExportTooLarge`` (HTTP 413), which
    points at the S3 export (``cdr_reports.create_csv``). That costs at most ~14,000 rows read.
    """
    name, zone = tenant_zone(tenant_id)
    flt = cdr_filter(q, extension=extension, zone=zone)
    rows = (localize(doc, name, zone) for doc in store.iter_cdr_docs(tenant_id, flt, max_items=q.limit))
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
                f"(up to {schemas.EXPORT_MAX_LIMIT:,} calls)",
            )
        parts.append(chunk)
    count("CdrExport")
    return "".join(parts)


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
