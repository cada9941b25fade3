"""Call detail records (F8): idempotent ingest from edges, search for tenant users.

Ingest is idempotent twice over: powertools Idempotency (DynamoDB persistence in the same
table) answers a repeated (tenant, call id) from its record for an hour without touching
the CDR items, and the store's conditional transaction (CDR id guard) makes a repeat after
that window, or a concurrent one, store nothing either.

An edge is not trusted beyond its own tenants and its own uploads (issue 13): it posts CDRs
only of tenants it serves; it uploads a recording under ``incoming/<edge_id>/`` and names
that upload (``recording_upload``); the control plane takes the size from the stored
object, derives the recording's key itself (tenant, day, call id) and copies the upload
there before it stores the CDR (a CDR is never visible before its recording), inside the
idempotent section, so two requests for one call never copy at once. An upload never
replaces a recording: it is copied only where no object is, a duplicate's copy is taken
back, and every upload is deleted once its CDR is answered.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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

from control_plane.call_notes import store as notes_store
from control_plane.cdrs import store as cdrs_store
from control_plane.cdrs.schemas import MAX_BATCH, CdrBatchItemOut, CdrBatchOut, CdrLocalList, CdrLocalOut, CdrQuery
from control_plane.contacts import service as contacts
from control_plane.core import auth, clock, ids, keys, s3, settings
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.edges import service as edges
from control_plane.fraud import service as fraud
from control_plane.recordings import service as recordings
from control_plane.tenants import service as tenants
from control_plane.tenants import store as tenants_store
from control_plane.tickets import service as tickets
from control_plane.users import service as users
from pbx_core import cdr as cdrmod
from pbx_core import defaults
from pbx_core.errors import Conflict, Forbidden, NotFound, PbxError, ValidationError

IDEMPOTENCY_TTL_S = 3600
CURSOR = "cdr-cursor"
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
    name = tenants.require(tenant_id).time_zone or defaults.TIME_ZONE
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # validated on write; never fail a read on it
        logger.warning("unusable tenant time zone", extra={"tenant_id": tenant_id})
        return defaults.TIME_ZONE, ZoneInfo(defaults.TIME_ZONE)


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
        static_pk_value=keys.IDEMPOTENCY_PK,
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
        cdr = dict(cdr)
        source = cdr.pop("recording_source", None)
        placed = _place(cdr, source)
        created = recordings.store_cdr(cdr, sort_time=sort_time, now=clock.now())
        _settle(cdr, source, placed=placed, created=created)
        count("CdrStored" if created else "CdrDuplicate")
        return {"call_id": cdr["call_id"], "status": "created" if created else "duplicate"}

    wrapped: Callable[..., dict[str, Any]] = idempotent_function(
        store_once, data_keyword_argument="cdr", persistence_store=persistence, config=config, key_prefix="cdr-ingest"
    )
    return wrapped, config


def _parse(raw: object) -> cdrmod.Cdr:
    try:
        return cdrmod.from_dict(raw)
    except (TypeError, ValueError) as exc:  # pbx_core casts sip_code/recording_bytes with int()
        raise ValidationError("invalid CDR", fields={"cdr": "numeric fields must be numbers"}) from exc


def _check_tenant(tenant_id: str, edge_id: str) -> None:
    """The tenant exists and the edge serves it (404 / 403)."""
    if not tenants.is_tenant_id(tenant_id) or not tenants_store.exists(tenant_id):
        raise NotFound("tenant not found", fields={"tenant_id": "unknown tenant"})
    edges.require_served(edge_id, tenant_id)


def _doc(record: cdrmod.Cdr, edge_id: str) -> dict[str, Any]:
    doc = record.to_dict()
    doc["edge_id"] = edge_id  # the authenticated edge, whatever the body says
    return doc


def _place(doc: dict[str, Any], source: str | None) -> bool:
    """Write the edge's upload at the recording's key, where no object is yet (never over
    one); before the CDR is stored, so a CDR is never visible before its recording."""
    key = doc.get("recording_key")
    return bool(source and key) and s3.place(str(source), str(key))


def _settle(doc: dict[str, Any], source: str | None, *, placed: bool, created: bool) -> None:
    """After the store: the upload goes; an object placed for a CDR that turned out to be a
    repeat goes too, unless the stored CDR (a concurrent request's) names that key."""
    if placed and not created:
        stored = cdrs_store.get(str(doc["tenant_id"]), str(doc["call_id"]))
        if stored is None or stored.get("recording_key") != doc.get("recording_key"):
            s3.delete(str(doc["recording_key"]))
    if source:
        s3.delete(source)


def _after_store(tenant_id: str, doc: dict[str, Any]) -> None:
    """F13/F12: the caller's contact and, for a missed call, a ticket (neither fails the ingest)."""
    tickets.note_call(tenant_id, doc, contacts.note_call(tenant_id, doc))


def ingest(raw: object, *, edge_id: str, lambda_context: Any = None) -> tuple[cdrmod.Cdr, bool]:
    """Validate and store one CDR posted by an edge: (record, True if new, False if repeated).

    The tenant must exist and be served by the edge (403 otherwise). The recording is the
    edge's upload under its own prefix; its key and size are the control plane's.
    Idempotent on (tenant_id, call_id): a repeat stores nothing.
    """
    record = _parse(raw)
    tenant_id = record.tenant_id
    _check_tenant(tenant_id, edge_id)
    doc = _doc(record, edge_id)
    if cdrs_store.existing_ids(tenant_id, [record.call_id]):  # a retry after a lost answer, or a reused Call-ID
        upload = _named_upload(raw, edge_id)
        if upload is not None:
            s3.delete(upload)  # its recording is in place already, or this is another call's
        count("CdrDuplicate")
        logger.info("cdr duplicate", extra={"tenant_id": tenant_id, "edge_id": edge_id})
        return record, False
    upload = _recording(doc, raw, edge_id)
    s = settings.aws()
    store_once, config = _idempotent_store(s.table, s.endpoint_url, s.region)
    if lambda_context is not None and hasattr(lambda_context, "get_remaining_time_in_millis"):
        config.register_lambda_context(lambda_context)  # in-progress records expire with the invocation
    try:
        result = store_once(cdr=doc, sort_time=sort_time(record.started_at))
    except IdempotencyAlreadyInProgressError as exc:
        raise Conflict("this CDR is being stored by another request; retry", fields={"call_id": "in progress"}) from exc
    created = result.get("status") == "created"
    if upload is not None and not created:
        s3.delete(upload)  # answered from the idempotency record: the first request placed it
    if created:
        _after_store(tenant_id, doc)
        fraud.observe(tenant_id, [doc])  # issue 14 item 5: learn and judge, right after the store
    logger.info("cdr stored" if created else "cdr duplicate", extra={"tenant_id": tenant_id, "edge_id": edge_id})
    return record, created


# --- batch ingest (issue 18) -------------------------------------------------------------------
@dataclass
class _Item:
    index: int
    raw: object
    call_id: str = ""
    record: cdrmod.Cdr | None = None
    doc: dict[str, Any] = field(default_factory=dict)
    upload: str | None = None
    placed: bool = False
    result: CdrBatchItemOut | None = None

    def done(self, status: str, error: PbxError | None = None, *, retry: bool = False) -> None:
        self.result = CdrBatchItemOut(
            index=self.index,
            call_id=self.call_id,
            status=status,  # type: ignore[arg-type]  # created | duplicate | error
            code=error.code if error else None,
            message=error.message if error else None,
            retry=retry,
        )


S3_THREADS = 8  # S3 reads and writes of one batch at once (each ~10-50 ms in Lambda)


def ingest_batch(raws: Sequence[object], *, edge_id: str) -> CdrBatchOut:
    """Store up to ``MAX_BATCH`` CDRs posted by an edge; a result per CDR (partial failures).

    The same rules as ``ingest``; idempotent per (tenant, call id) through the CDR id guard
    (one batched read, then the store's conditional transaction). New CDRs of one tenant
    are stored ``recordings.CHUNK`` per transaction with one usage change: an edge that
    delivers in batches writes the tenant's usage once per chunk, not once per call.
    """
    if not 0 < len(raws) <= MAX_BATCH:
        raise ValidationError(f"1 to {MAX_BATCH} CDRs per batch", fields={"cdrs": f"1 to {MAX_BATCH} items"})
    items = [_Item(i, raw) for i, raw in enumerate(raws)]
    by_tenant: dict[str, list[_Item]] = {}
    for item in items:
        try:
            item.record = _parse(item.raw)
        except ValidationError as exc:
            item.call_id = str(item.raw.get("call_id", "")) if isinstance(item.raw, dict) else ""
            item.done("error", exc)
            continue
        item.call_id = item.record.call_id
        by_tenant.setdefault(item.record.tenant_id, []).append(item)
    for tenant_id, group in by_tenant.items():
        try:
            _ingest_tenant(tenant_id, group, edge_id)
        except PbxError as exc:  # the tenant is unknown or not this edge's: every CDR of it
            for item in group:
                if item.result is None:
                    item.done("error", exc, retry=isinstance(exc, Conflict))
        except Exception:  # storage trouble: the edge keeps these CDRs and retries them
            logger.exception("batch ingest failed", extra={"tenant_id": tenant_id, "edge_id": edge_id})
            for item in group:
                if item.result is None:
                    item.done("error", PbxError("storage unavailable, retry"), retry=True)
    out = [item.result for item in items if item.result is not None]
    stored = sum(1 for r in out if r.status == "created")
    count("CdrStored", stored)
    count("CdrDuplicate", sum(1 for r in out if r.status == "duplicate"))
    logger.info("cdr batch", extra={"edge_id": edge_id, "cdrs": len(items), "stored": stored})
    return CdrBatchOut(results=out)


def _ingest_tenant(tenant_id: str, group: list[_Item], edge_id: str) -> None:
    _check_tenant(tenant_id, edge_id)
    existing = cdrs_store.existing_ids(tenant_id, [item.call_id for item in group])
    seen: set[str] = set()
    fresh: list[_Item] = []
    for item in group:
        assert item.record is not None
        if item.call_id in existing or item.call_id in seen:  # a retry, or a repeat in the batch
            upload = _named_upload(item.raw, edge_id)
            if upload is not None:
                s3.delete(upload)
            item.done("duplicate")
            continue
        seen.add(item.call_id)
        item.doc = _doc(item.record, edge_id)
        fresh.append(item)
    with ThreadPoolExecutor(max_workers=S3_THREADS) as pool:
        list(pool.map(lambda item: _prepare_recording(item, edge_id), fresh))
        ready = [item for item in fresh if item.result is None]
        list(pool.map(_place_item, ready))
        ready = [item for item in ready if item.result is None]
        entries = [(item.doc, sort_time(item.record.started_at)) for item in ready if item.record is not None]
        created = recordings.store_cdrs(tenant_id, entries, now=clock.now()) if entries else []
        for item, new in zip(ready, created, strict=True):
            item.done("created" if new else "duplicate")
        pairs = list(zip(ready, created, strict=True))
        list(pool.map(lambda pair: _settle(pair[0].doc, pair[0].upload, placed=pair[0].placed, created=pair[1]), pairs))
    for item, new in pairs:
        if new:
            _after_store(tenant_id, item.doc)
    fraud.observe(tenant_id, [item.doc for item, new in pairs if new])  # one read and one write per batch


def _prepare_recording(item: _Item, edge_id: str) -> None:
    try:
        item.upload = _recording(item.doc, item.raw, edge_id)
        item.doc.pop("recording_source", None)
    except ValidationError as exc:  # an upload not (yet) in storage: the edge uploads again and retries
        item.done("error", exc, retry=exc.fields.get("recording_upload") == "not found")


def _place_item(item: _Item) -> None:
    try:
        item.placed = _place(item.doc, item.upload)
    except Exception:
        logger.exception("recording placement failed", extra={"tenant_id": item.doc.get("tenant_id")})
        item.done("error", PbxError("recording storage unavailable, retry"), retry=True)


def _named_upload(raw: object, edge_id: str) -> str | None:
    """The upload a repeated CDR names, if it is one of the edge's own."""
    upload = raw.get("recording_upload") if isinstance(raw, dict) else None
    ok = isinstance(upload, str) and upload.startswith(s3.incoming_prefix(edge_id)) and ".." not in upload
    return upload if ok and isinstance(upload, str) and len(upload) <= 512 else None


def _recording(doc: dict[str, Any], raw: object, edge_id: str) -> str | None:
    """The edge's upload of the call's recording (None: no recording), with the CDR's
    recording fields set from the stored object: key derived here, size from S3."""
    claimed = bool(doc.get("recording_key"))
    doc["recording_key"], doc["recording_bytes"], doc["recording_format"] = None, 0, None
    upload = raw.get("recording_upload") if isinstance(raw, dict) else None
    if not claimed and not upload:
        return None
    prefix = s3.incoming_prefix(edge_id)
    if not isinstance(upload, str) or not upload.startswith(prefix) or len(upload) > 512 or ".." in upload:
        raise ValidationError(
            "a recording is uploaded under the edge's own prefix and named in recording_upload",
            fields={"recording_upload": f"a key under {prefix}"},
        )
    fmt = upload.rsplit(".", 1)[-1]
    if fmt not in ("opus", "wav"):
        raise ValidationError("recording must be .opus or .wav", fields={"recording_upload": "opus or wav"})
    size = s3.size(upload)
    if size is None:
        raise ValidationError("the recording upload is not in storage", fields={"recording_upload": "not found"})
    started = cdrmod.parse_iso(doc["started_at"])
    doc["recording_key"] = cdrmod.recording_key(doc["tenant_id"], doc["call_id"], started, fmt)
    doc["recording_bytes"], doc["recording_format"] = size, fmt
    doc["recording_source"] = upload
    return upload


# --- reads -------------------------------------------------------------------------------
def scope(principal: auth.Principal) -> tuple[str, str | None]:
    """(tenant, forced extension) of a tenant user: agents see only the calls of their own
    extension (403 for an agent without one)."""
    tenant_id = principal.require_tenant(*auth.TENANT_ROLES)
    if principal.role != auth.AGENT:
        return tenant_id, None
    ext = users.agent_extension(principal)
    if not ext:
        raise Forbidden("an agent needs an extension to see calls")
    return tenant_id, ext


def visible(tenant_id: str, call_id: str, extension: str | None) -> dict[str, Any]:
    """The stored CDR, if it exists and ``extension`` (when given) took part in it."""
    doc = cdrs_store.get(tenant_id, call_id) if 0 < len(call_id) <= 512 else None
    if doc is None or (extension and extension not in (doc.get("caller"), doc.get("callee"))):
        raise NotFound("call not found")
    return doc


def get(tenant_id: str, call_id: str, *, extension: str | None = None) -> CdrLocalOut:
    doc = visible(tenant_id, call_id, extension)
    note = notes_store.summaries(tenant_id, [call_id]).get(call_id)
    return CdrLocalOut(**localize(doc, *tenant_zone(tenant_id)), wrapup=note)


def cdr_filter(q: CdrQuery, *, extension: str | None, zone: tzinfo) -> cdrs_store.CdrFilter:
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
    return cdrs_store.CdrFilter(
        start=bounds["from"],
        end=bounds["to"],
        extension=extension or q.extension or None,
        number=number,
        direction=q.direction,
        disposition=q.disposition,
    )


def search(tenant_id: str, q: CdrQuery, *, extension: str | None = None) -> CdrLocalList:
    """Newest first, filtered; ``extension`` forces the calls of one extension (agents)."""
    name, zone = tenant_zone(tenant_id)
    flt = cdr_filter(q, extension=extension, zone=zone)
    after = ids.decode_cursor(CURSOR, tenant_id, q.cursor) if q.cursor else None
    items, next_sk = cdrs_store.page(tenant_id, limit=q.limit, after_sk=after, flt=flt)
    notes = notes_store.summaries(tenant_id, [str(doc.get("call_id") or "") for doc in items])
    return CdrLocalList(
        items=[CdrLocalOut(**localize(doc, name, zone), wrapup=notes.get(str(doc.get("call_id")))) for doc in items],
        next=ids.encode_cursor(CURSOR, tenant_id, next_sk) if next_sk else None,
    )
