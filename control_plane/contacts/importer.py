"""Imports of contacts and of the national do-not-call list, from CSV or .xlsx (openpyxl).

1. ``create``: the file comes inline (base64, up to 4 MiB) or through a one-hour upload link
   (PUT) to ``tenants/<tenant_id>/reports/contact-imports/<import_id>.<ext>`` (an inline file
   is tagged as a report: the bucket deletes it after 7 days; the import deletes it when it
   has run).
2. ``preview``: the whole file is read and checked: columns recognised by their headers
   (Vietnamese or English, or the caller's ``mapping``), every row validated, duplicates
   found (a number in an earlier row, or one that belongs to a contact). The answer counts
   rows, lists the errors per row (row numbers as in the file, the header is row 1) and
   shows the first rows as they will be imported. Nothing is written but the import record.
3. ``commit``: the import runs as a job (in the request locally; the jobs function when
   ``PROBOX_JOBS_FUNCTION`` is set): new contacts are written by batch (``store.raw_items``),
   duplicates are skipped or merged into the existing contact (``on_duplicate``).

An import record is kept 30 days (TTL).
"""

from __future__ import annotations

import base64
import binascii
import csv
import datetime as dt
import io
import itertools
import json
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import IO, Any

import boto3

from control_plane.contact_routes import store as routes_store
from control_plane.contacts import names
from control_plane.contacts import store as contacts_store
from control_plane.contacts.schemas import (
    EMAIL_RE,
    ImportCreate,
    ImportList,
    ImportOut,
    ImportPreviewIn,
    RowError,
)
from control_plane.contacts.store import ContactItem, ImportItem
from control_plane.core import clock, ids, keys, s3, settings, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.core.schemas import CONTROL_CHARS, parse
from control_plane.custom_fields import service as custom_fields
from control_plane.custom_fields.store import FieldItem
from control_plane.tenants import service as tenants
from control_plane.users import store as users_store
from pbx_core import contact_routes
from pbx_core.contact_routes import Route
from pbx_core.errors import Conflict, NotFound, ValidationError

ID_PREFIX = "imp"
MAX_INLINE = 4 * 1024 * 1024
MAX_FILE = 100 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_ERRORS = 1000
SAMPLE = 20
UPLOAD_TTL_S = 3600
KEEP_DAYS = 30
STALE_AFTER_S = 20 * 60
HEARTBEAT_S = 10
WRITERS = 8  # BatchWriteItems in flight at once (each waits on DynamoDB, not on the CPU)
_SPLIT = re.compile(r"[,;]")

# Column headers recognised (folded: lower case, no diacritics), per field.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name", "full name", "ho ten", "ho va ten", "ten", "ten khach hang", "khach hang", "contact", "contact name",
    ),
    "company": ("company", "cong ty", "doanh nghiep", "to chuc", "organization", "organisation"),
    "email": ("email", "e mail", "thu dien tu"),
    "number": (
        "number", "phone", "phone number", "mobile", "tel", "telephone", "so dien thoai", "dien thoai", "sdt",
        "so dt", "di dong", "so",
    ),
    "owner": ("owner", "account manager", "nguoi phu trach", "phu trach", "nhan vien phu trach"),
    "tags": ("tags", "tag", "nhan", "the"),
    "segments": ("segments", "segment", "phan khuc", "nhom"),
    "notes": ("notes", "note", "ghi chu"),
}  # fmt: skip
_BY_ALIAS = {alias: target for target, aliases in ALIASES.items() for alias in aliases}


# --- the record -------------------------------------------------------------------------------------------
@dataclass
class Import:
    tenant_id: str
    import_id: str
    kind: str
    filename: str
    status: str
    created_at: str
    updated_at: str
    by: str = ""
    source: str = ""
    on_duplicate: str = "skip"
    mapping: dict[str, str] | None = None
    columns: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    @property
    def key(self) -> str:
        return file_key(self.tenant_id, self.import_id, self.filename)

    def save(self, *, expect: str | None = None) -> bool:
        body = {
            k: getattr(self, k)
            for k in ("kind", "filename", "by", "source", "on_duplicate", "mapping", "columns", "counts", "errors",
                      "sample", "error")
        }  # fmt: skip
        item = ImportItem(
            keys.contact_import_pk(self.tenant_id),
            self.import_id,
            tenant_id=self.tenant_id,
            import_id=self.import_id,
            status=self.status,
            doc=json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str),
            created_at=self.created_at,
            updated_at=self.updated_at,
            ttl=(
                dt.datetime.fromisoformat(self.created_at.replace("Z", "+00:00")) + timedelta(days=KEEP_DAYS)
            ).astimezone(UTC),
        )
        store.configure()
        if expect is None:
            item.save()
            return True
        from pynamodb.exceptions import PutError

        try:
            item.save(condition=ImportItem.status == expect)
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True


def file_key(tenant_id: str, import_id: str, filename: str) -> str:
    ext = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    return f"{s3.tenant_prefix(tenant_id)}reports/contact-imports/{import_id}.{ext}"


def _load(item: ImportItem) -> Import:
    d = json.loads(item.doc)
    return Import(
        tenant_id=item.tenant_id,
        import_id=item.import_id,
        status=item.status,
        created_at=item.created_at,
        updated_at=item.updated_at,
        **d,
    )


def require(tenant_id: str, import_id: str) -> Import:
    ids.check_id(import_id, ID_PREFIX, "import")
    item = store.get_item(ImportItem, keys.contact_import_pk(tenant_id), import_id)
    if item is None:
        raise NotFound("import not found")
    imp = _load(item)
    if imp.status == "running" and _age_s(imp.updated_at) > STALE_AFTER_S:
        imp.status, imp.error = "failed", "the import stopped without finishing (timeout or crash); start it again"
    return imp


def _age_s(stamp: str) -> float:
    try:
        then = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return (clock.now() - then).total_seconds()


def public(imp: Import, upload_url: str | None = None) -> ImportOut:
    c = imp.counts
    return ImportOut(
        id=imp.import_id,
        kind=imp.kind,  # type: ignore[arg-type]
        filename=imp.filename,
        status=imp.status,  # type: ignore[arg-type]
        upload_url=upload_url,
        columns=imp.columns,
        on_duplicate=imp.on_duplicate,  # type: ignore[arg-type]
        rows=c.get("rows", 0),
        valid=c.get("valid", 0),
        invalid=c.get("invalid", 0),
        duplicates=c.get("duplicates", 0),
        created=c.get("created", 0),
        updated=c.get("updated", 0),
        skipped=c.get("skipped", 0),
        errors=[RowError(**e) for e in imp.errors],
        errors_total=c.get("errors", len(imp.errors)),
        sample=imp.sample,
        error=imp.error,
        created_at=imp.created_at,
        updated_at=imp.updated_at,
    )


def list_all(tenant_id: str) -> ImportList:
    items = store.list_scope(keys.contact_import_pk(tenant_id), ImportItem, ID_PREFIX + "_")
    out = sorted((_load(i) for i in items), key=lambda i: i.created_at, reverse=True)
    return ImportList(items=[public(i) for i in out[:100]], next=None)


# --- 1. create ----------------------------------------------------------------------------------------------
def create(tenant_id: str, req: ImportCreate, *, by: str) -> ImportOut:
    tenants.require(tenant_id)
    now = store.ts(clock.now())
    imp = Import(
        tenant_id=tenant_id,
        import_id=ids.new_id(ID_PREFIX),
        kind=req.kind,
        filename=req.filename,
        status="uploading",
        created_at=now,
        updated_at=now,
        by=by,
        source=req.source or req.filename,
    )
    if req.content_base64 is None:
        imp.save()
        url = s3.client().generate_presigned_url(
            "put_object", Params={"Bucket": s3.bucket(), "Key": imp.key}, ExpiresIn=UPLOAD_TTL_S, HttpMethod="PUT"
        )
        return public(imp, url)
    try:
        content = base64.b64decode(req.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("content_base64 is not base64", fields={"content_base64": "base64"}) from exc
    if len(content) > MAX_INLINE:
        raise ValidationError(
            "file too large to send inline", fields={"content_base64": "at most 4 MiB; use the upload link"}
        )
    s3.client().put_object(Bucket=s3.bucket(), Key=imp.key, Body=content, Tagging="probox:kind=report")
    imp.save()
    return preview(tenant_id, imp.import_id, ImportPreviewIn())


# --- reading files -----------------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def _rows_xlsx(f: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # lazily: cold starts

    try:
        wb = load_workbook(f, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException...
        raise ValidationError("not an .xlsx workbook", fields={"file": "an .xlsx workbook"}) from exc
    try:
        ws = wb.worksheets[0]
        for row in ws.iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        wb.close()


def _rows_csv(f: IO[bytes]) -> Iterator[list[str]]:
    raw = f.read()
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError("the CSV is neither UTF-8 nor Windows-1258", fields={"file": "UTF-8 text"})
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [c.strip() for c in row]


def rows(imp: Import) -> Iterator[list[str]]:
    """The file's rows as text cells (the first is the header)."""
    client = s3.client()
    try:
        head = client.head_object(Bucket=s3.bucket(), Key=imp.key)
    except Exception as exc:
        raise ValidationError("the file was not uploaded", fields={"file": "PUT it to upload_url first"}) from exc
    if int(head.get("ContentLength") or 0) > MAX_FILE:
        raise ValidationError("file too large", fields={"file": f"at most {MAX_FILE // (1024 * 1024)} MiB"})
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as spool:
        client.download_fileobj(s3.bucket(), imp.key, spool)
        spool.seek(0)
        reader = _rows_xlsx if imp.key.endswith(".xlsx") else _rows_csv
        yield from reader(spool)


# --- checking rows ---------------------------------------------------------------------------------------------
@dataclass
class Row:
    line: int
    name: str = ""
    company: str = ""
    email: str = ""
    numbers: list[str] = field(default_factory=list)
    owner: str = ""
    tags: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    notes: str = ""
    custom: dict[str, Any] = field(default_factory=dict)

    def sample(self) -> dict[str, Any]:
        return {
            "row": self.line,
            "name": self.name,
            "company": self.company,
            "email": self.email,
            "numbers": self.numbers,
            "owner": self.owner,
            "tags": self.tags,
            "segments": self.segments,
            "notes": self.notes,
            "custom": self.custom,
        }


class Checker:
    """Turns a file's rows into ``Row``s and per-row errors, for one tenant."""

    def __init__(self, tenant_id: str, kind: str, header: list[str], mapping: dict[str, str] | None) -> None:
        self.kind = kind
        self.fields: dict[str, FieldItem] = custom_fields.definitions(tenant_id) if kind == "contacts" else {}
        self.users = {u.email.lower(): u.user_id for u in users_store.list_all(tenant_id)}
        self.columns = self._columns(header, mapping or {})

    def _columns(self, header: list[str], mapping: dict[str, str]) -> dict[int, str]:
        by_label = {names.fold(f.label): f"custom.{k}" for k, f in self.fields.items()}
        by_label.update({names.fold(k): f"custom.{k}" for k in self.fields})
        out: dict[int, str] = {}
        errors: dict[str, str] = {}
        for i, title in enumerate(header):
            if title in mapping:
                target = mapping[title]
                if target != "ignore" and target not in ALIASES and target not in by_label.values():
                    errors[f"mapping.{title}"] = (
                        "name, company, email, number, owner, tags, segments, notes, custom.<key>"
                    )
                    continue
            else:
                folded = re.sub(r"\s*\d+$", "", names.fold(title))  # "SĐT 2" -> "sdt"
                target = _BY_ALIAS.get(folded) or by_label.get(names.fold(title)) or "ignore"
            if self.kind == "dnc":
                target = "number" if target == "number" else "ignore"
            if target != "ignore":
                out[i] = target
        for title in mapping:
            if title not in header:
                errors[f"mapping.{title}"] = "no such column"
        if self.kind == "dnc" and not out and header:
            out[0] = "number"  # a bare list of numbers
        if "number" not in out.values():
            errors["file"] = "no column of phone numbers (e.g. 'Số điện thoại' or 'Phone')"
        if errors:
            raise ValidationError("the columns cannot be imported", fields=errors)
        return out

    def titles(self, header: list[str]) -> dict[str, str]:
        return {header[i]: target for i, target in self.columns.items()}

    def check(self, line: int, cells: list[str]) -> tuple[Row | None, list[dict[str, Any]]]:
        """(the row, []) or (None, its errors); (None, []) for an empty row."""
        if not any(cells):
            return None, []
        row = Row(line)
        errors: list[dict[str, Any]] = []

        def bad(field_: str, message: str) -> None:
            errors.append({"row": line, "field": field_, "message": message})

        for i, target in self.columns.items():
            text = cells[i] if i < len(cells) else ""
            if not text:
                continue
            if CONTROL_CHARS.search(text) and target != "notes":
                bad(target, "control characters")
            elif target == "number":
                for part in _SPLIT.split(text):
                    if not part.strip():
                        continue
                    n = names.national(part)
                    if n is None:
                        bad("number", f"not a telephone number: {part.strip()[:30]}")
                    elif n not in row.numbers:
                        row.numbers.append(n)
            elif target in ("name", "company"):
                if len(text) > 200:
                    bad(target, "at most 200 characters")
                setattr(row, target, text[:200])
            elif target == "email":
                if not EMAIL_RE.match(text) or len(text) > 254:
                    bad("email", "not an e-mail address")
                row.email = text.lower()
            elif target == "owner":
                owner = self.users.get(text.lower())
                if owner is None:
                    bad("owner", f"no user with the e-mail {text[:60]}")
                row.owner = owner or ""
            elif target in ("tags", "segments"):
                labels = [p.strip() for p in _SPLIT.split(text) if p.strip()]
                if any(len(p) > 40 for p in labels) or len(labels) > 30:
                    bad(target, "at most 30 labels of 40 characters")
                setattr(row, target, list(dict.fromkeys(labels)))
            elif target == "notes":
                if len(text) > 4000:
                    bad("notes", "at most 4000 characters")
                row.notes = text
            elif target.startswith("custom."):
                key = target[len("custom.") :]
                try:
                    row.custom[key] = custom_fields.coerce(self.fields[key], text)
                except ValueError as exc:
                    bad(target, str(exc))
        if not row.numbers and not any(e["field"] == "number" for e in errors):
            bad("number", "no telephone number")
        if self.kind == "contacts":
            for key, f in self.fields.items():
                if f.required and key not in row.custom and not any(e["field"] == f"custom.{key}" for e in errors):
                    bad(f"custom.{key}", "required")
        return (None, errors) if errors else (row, [])


@dataclass
class Pass:
    """One pass over a file: its rows checked, duplicates found."""

    columns: dict[str, str]
    counts: dict[str, int]
    errors: list[dict[str, Any]]
    sample: list[dict[str, Any]]
    new: list[Row]
    existing: list[tuple[Row, str]]  # (row, the contact that has its number)


def scan(imp: Import) -> Pass:
    """Read and check the whole file (preview, and again when the import runs)."""
    it = rows(imp)
    header = next(it, None)
    if header is None:
        raise ValidationError("the file is empty", fields={"file": "a header row, then one row per contact"})
    first_line = 2
    if imp.kind == "dnc" and header and names.national(header[0]) is not None:
        it = itertools.chain([header], it)  # a bare list of numbers, no header
        header, first_line = ["number"], 1
    checker = Checker(imp.tenant_id, imp.kind, header, imp.mapping)
    counts = {"rows": 0, "valid": 0, "invalid": 0, "duplicates": 0, "errors": 0}
    errors: list[dict[str, Any]] = []
    good: list[Row] = []
    seen: dict[str, int] = {}
    for line, cells in enumerate(it, start=first_line):
        row, row_errors = checker.check(line, cells)
        if row is None and not row_errors:
            continue
        counts["rows"] += 1
        if counts["rows"] > MAX_ROWS:
            raise ValidationError("too many rows", fields={"file": f"at most {MAX_ROWS:,} rows per file"})
        if row is None:
            counts["invalid"] += 1
            counts["errors"] += len(row_errors)
            errors.extend(row_errors[: max(0, MAX_ERRORS - len(errors))])
            continue
        counts["valid"] += 1
        first = next((seen[n] for n in row.numbers if n in seen), None)
        if first is not None and imp.kind == "contacts":
            counts["duplicates"] += 1
            continue
        for n in row.numbers:
            seen[n] = line
        good.append(row)
    new: list[Row] = []
    existing: list[tuple[Row, str]] = []
    if imp.kind == "contacts":
        owners = contacts_store.owners_of(imp.tenant_id, seen)
        for row in good:
            holders = {owners[n] for n in row.numbers if n in owners}
            if not holders:
                new.append(row)
            elif len(holders) == 1:
                counts["duplicates"] += 1
                existing.append((row, holders.pop()))
            else:
                counts["invalid"] += 1
                counts["valid"] -= 1
                counts["errors"] += 1
                if len(errors) < MAX_ERRORS:
                    errors.append({"row": row.line, "field": "number", "message": "its numbers belong to two contacts"})
    else:
        new = good
    errors.sort(key=lambda e: e["row"])
    return Pass(
        columns=checker.titles(header),
        counts=counts,
        errors=errors,
        sample=[r.sample() for r in (new + [r for r, _ in existing])[:SAMPLE]],
        new=new,
        existing=existing,
    )


# --- 2. preview -----------------------------------------------------------------------------------------------
def preview(tenant_id: str, import_id: str, req: ImportPreviewIn) -> ImportOut:
    imp = require(tenant_id, import_id)
    if imp.status not in ("uploading", "previewed"):
        raise Conflict(f"the import is {imp.status}", fields={"status": imp.status})
    imp.mapping = req.mapping
    imp.on_duplicate = req.on_duplicate
    started = time.monotonic()
    p = scan(imp)
    imp.columns, imp.counts, imp.errors, imp.sample = p.columns, p.counts, p.errors, p.sample
    imp.status, imp.updated_at = "previewed", store.ts(clock.now())
    imp.save()
    logger.info(
        "contact import previewed",
        extra={"import_id": import_id, "counts": p.counts, "seconds": round(time.monotonic() - started, 3)},
    )
    return public(imp)


# --- 3. the import itself ------------------------------------------------------------------------------------------
def commit(tenant_id: str, import_id: str) -> ImportOut:
    imp = require(tenant_id, import_id)
    if imp.status != "previewed":
        raise Conflict(f"the import is {imp.status}; preview it first", fields={"status": imp.status})
    imp.status, imp.updated_at = "running", store.ts(clock.now())
    if not imp.save(expect="previewed"):
        raise Conflict("the import started meanwhile", fields={"status": "running"})
    function = settings.jobs_function()
    if function is None:
        run(tenant_id, import_id)
    else:
        try:
            boto3.client("lambda", region_name=settings.aws().region).invoke(
                FunctionName=function,
                InvocationType="Event",
                Payload=json.dumps({"contacts_import": {"tenant_id": tenant_id, "import_id": import_id}}).encode(),
            )
        except Exception:
            logger.exception("contact import dispatch failed", extra={"import_id": import_id})
            imp.status, imp.error = "failed", "could not start the import; try again"
            imp.save()
    return public(require(tenant_id, import_id))


def handle(event: dict[str, Any]) -> dict[str, Any]:
    """The jobs function's entry for ``{"contacts_import": {"tenant_id", "import_id"}}``."""
    body = event.get("contacts_import") or {}
    tenant_id, import_id = str(body.get("tenant_id") or ""), str(body.get("import_id") or "")
    if not tenants.is_tenant_id(tenant_id):
        return {"ok": False, "error": "bad event"}
    run(tenant_id, import_id)
    return {"ok": True, "import_id": import_id}


def run(tenant_id: str, import_id: str) -> None:
    """Run a started import to its end (done or failed); never raises."""
    imp = require(tenant_id, import_id)
    started = time.monotonic()
    try:
        p = scan(imp)
        imp.columns, imp.errors = p.columns, p.errors
        imp.counts = {**p.counts, "created": 0, "updated": 0, "skipped": 0}
        beat = _Heartbeat(imp)
        if imp.kind == "dnc":
            _write_dnc(imp, p.new, beat)
        else:
            _write_new(imp, p.new, beat)
            _merge_existing(imp, p.existing, beat)
        imp.status = "done"
    except ValidationError as exc:
        imp.status, imp.error = "failed", exc.message
    except Exception:
        logger.exception("contact import crashed", extra={"import_id": import_id})
        imp.status, imp.error = "failed", "the import failed; try again"
    imp.updated_at = store.ts(clock.now())
    imp.save()
    try:  # the file served its purpose; the record keeps the counts and errors
        s3.client().delete_object(Bucket=s3.bucket(), Key=imp.key)
    except Exception:
        logger.warning("contact import file not deleted", extra={"import_id": import_id})
    count("ContactImportDone" if imp.status == "done" else "ContactImportFailed")
    logger.info(
        "contact import finished",
        extra={
            "import_id": import_id,
            "status": imp.status,
            "counts": imp.counts,
            "seconds": round(time.monotonic() - started, 3),
        },
    )


class _Heartbeat:
    def __init__(self, imp: Import) -> None:
        self.imp, self.last = imp, time.monotonic()

    def tick(self) -> None:
        if time.monotonic() - self.last >= HEARTBEAT_S:
            self.last = time.monotonic()
            self.imp.updated_at = store.ts(clock.now())
            self.imp.save()


def _write_new(imp: Import, new: list[Row], beat: _Heartbeat) -> None:
    """New contacts by batch, with their numbers' routes for the edges (owner or VIP) in the
    same batches; the routes' change log last (each logged change is then in the routes), or,
    past ``LOG_MAX_IMPORT`` changes, a reset mark: every edge re-reads the tenant's list."""
    now = store.ts(clock.now())
    doc_base = {"consent": {}, "dnc": {}, "source": "import"}
    batch: list[dict[str, Any]] = []
    routed: list[tuple[str, Route | None]] = []
    route_count = 0
    for row in new:
        rows_routes = contact_routes.routes(row.numbers, row.owner, row.tags)
        if rows_routes:
            changes = contact_routes.changes({}, rows_routes)
            batch.extend(routes_store.route_raw(imp.tenant_id, n, r) for n, r in rows_routes.items())
            route_count += len(changes)
            if route_count <= routes_store.LOG_MAX_IMPORT:
                routed.extend(changes)
        d = {**doc_base, "notes": row.notes, "custom": row.custom, "import": imp.import_id}
        batch.extend(
            contacts_store.raw_items(
                imp.tenant_id,
                {
                    "contact_id": ids.new_id("ct"),
                    "name": row.name,
                    "nkey": names.name_key(row.name),
                    "company": row.company,
                    "email": row.email,
                    "owner": row.owner,
                    "numbers": row.numbers,
                    "dncch": [],
                    "tags": row.tags,
                    "segments": row.segments,
                    "doc": json.dumps(d, separators=(",", ":"), sort_keys=True, ensure_ascii=False),
                    "created_at": now,
                    "updated_at": now,
                },
            )
        )
        imp.counts["created"] += 1
        if len(batch) >= 500:
            contacts_store.put_raw(batch, workers=WRITERS)
            batch = []
            beat.tick()
    contacts_store.put_raw(batch, workers=WRITERS)
    if route_count > routes_store.LOG_MAX_IMPORT:
        routes_store.mark_reset(imp.tenant_id)
    elif routed:
        store.batch_write_raw(routes_store.log_requests(imp.tenant_id, routed))


def _merge_existing(imp: Import, existing: list[tuple[Row, str]], beat: _Heartbeat) -> None:
    if imp.on_duplicate != "update":
        imp.counts["skipped"] += len(existing)
        return
    for start in range(0, len(existing), 100):
        chunk = existing[start : start + 100]
        found = contacts_store.get_many(imp.tenant_id, [cid for _, cid in chunk])
        for row, cid in chunk:
            item = found.get(cid)
            if item is None:
                imp.counts["skipped"] += 1
                continue
            try:
                _merge(imp.tenant_id, item, row)
                imp.counts["updated"] += 1
            except (Conflict, ValidationError):
                imp.counts["skipped"] += 1
        beat.tick()


def _merge(tenant_id: str, item: ContactItem, row: Row) -> None:
    """Fill what the contact lacks from the row, add its numbers, tags and segments."""
    d = contacts_store.doc(item)
    changes: dict[str, Any] = {}
    for name in ("name", "company", "email", "owner"):
        if getattr(row, name) and not getattr(item, name):
            changes[name] = getattr(row, name)
    if "name" in changes:
        changes["nkey"] = names.name_key(changes["name"])
    numbers = list(dict.fromkeys([*contacts_store.strs(item.numbers), *row.numbers]))[:10]
    if numbers != contacts_store.strs(item.numbers):
        changes["numbers"], changes["numtext"] = numbers, " ".join(numbers)
    for name in ("tags", "segments"):
        merged = list(dict.fromkeys([*contacts_store.strs(getattr(item, name)), *getattr(row, name)]))
        if merged != contacts_store.strs(getattr(item, name)):
            changes[name] = merged
    if row.notes and row.notes not in (d.get("notes") or ""):
        d["notes"] = ((d.get("notes") or "") + "\n" + row.notes).strip()
    d["custom"] = {**row.custom, **(d.get("custom") or {})}
    changes["doc"] = json.dumps(d, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    after = (
        changes.get("nkey", item.nkey or ""),
        changes.get("owner", item.owner or ""),
        changes.get("name", item.name or ""),
    )
    routes_after = contact_routes.routes(
        numbers, changes.get("owner", item.owner or "") or "", changes.get("tags", contacts_store.strs(item.tags))
    )
    ops = [
        *contacts_store.claim_ops(tenant_id, item.contact_id, contacts_store.strs(item.numbers), numbers),
        *contacts_store.name_ops(tenant_id, item.contact_id, contacts_store.name_state(item), after),
        *contacts_store.route_ops(tenant_id, contacts_store.routes_of(item), routes_after),
    ]
    store.save_changes(item, changes, what="contact", bump=False, now=clock.now(), ops=ops)


def _write_dnc(imp: Import, new: list[Row], beat: _Heartbeat) -> None:
    now = store.ts(clock.now())
    batch: list[dict[str, Any]] = []
    for row in new:
        for n in row.numbers:
            batch.append(contacts_store.dnc_raw(imp.tenant_id, n, imp.source[:200], now))
        imp.counts["created"] += 1
        if len(batch) >= 500:
            contacts_store.put_raw(batch, workers=WRITERS)
            batch = []
            beat.tick()
    contacts_store.put_raw(batch, workers=WRITERS)


def parse_create(raw: str | bytes | None) -> ImportCreate:
    """The create body: up to 6 MB (a 4 MiB file in base64), where other bodies stop at 64 KiB."""
    limit = 6_000_000
    if raw is not None and len(raw) > limit:
        raise ValidationError("request body is too large", fields={"body": f"at most {limit} bytes"})
    if raw is None or not raw.strip():
        raise ValidationError("request body must be a JSON object", fields={"body": "required JSON object"})
    try:
        doc = json.loads(raw, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError("request body is not valid JSON", fields={"body": "invalid JSON"}) from exc
    if not isinstance(doc, dict):
        raise ValidationError("request body must be a JSON object", fields={"body": "JSON object expected"})
    return parse(ImportCreate, doc, "invalid import")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")
