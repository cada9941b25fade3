"""Export of contacts (a segment, a tag, an owner's, or all) to .xlsx or CSV in the tenant's
reports (``tenants/<tenant_id>/reports/contacts/<id>.<ext>``, deleted by the bucket after 7
days), answered with a 5-minute link. The workbook is written by ``reports.xlsx_stream``
(the repo's streaming writer, checked against openpyxl); the CSV is UTF-8 with a BOM (Excel
opens Vietnamese text right) and a cell that starts with ``= + - @`` gets a leading ``'``
so that a spreadsheet never runs it as a formula."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from control_plane.contacts import store as contacts_store
from control_plane.contacts.schemas import ContactExportQuery, ExportLink
from control_plane.core import clock, ids, keys, s3, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.custom_fields import service as custom_fields
from control_plane.tenants import service as tenants
from control_plane.users import store as users_store
from pbx_core import defaults
from reports.xlsx_stream import Column, write_records

LINK_TTL_S = 300
TAGGING = "probox:kind=report"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
TITLES = {
    "vi": {
        "name": "Họ tên", "company": "Công ty", "email": "Email", "numbers": "Số điện thoại",
        "owner": "Người phụ trách", "tags": "Nhãn", "segments": "Phân khúc", "notes": "Ghi chú",
        "dnc": "Không gọi (kênh)", "calls": "Số cuộc gọi", "last_call_at": "Cuộc gọi gần nhất",
        "created_at": "Ngày tạo", "id": "Mã liên hệ",
    },
    "en": {
        "name": "Name", "company": "Company", "email": "Email", "numbers": "Phone numbers", "owner": "Owner",
        "tags": "Tags", "segments": "Segments", "notes": "Notes", "dnc": "Do not contact (channels)",
        "calls": "Calls", "last_call_at": "Last call", "created_at": "Created", "id": "Contact id",
    },
}  # fmt: skip
_KINDS = {"calls": "num", "last_call_at": "time", "created_at": "time"}


def _filters(q: ContactExportQuery) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for attr, value in (("tags", q.tag), ("segments", q.segment)):
        if value:
            out.append((f"contains(#{attr}, :{attr})", {f"#{attr}": attr}, {f":{attr}": {"S": value}}))
    if q.owner:
        out.append(("#ow = :ow", {"#ow": "owner"}, {":ow": {"S": q.owner}}))
    return out


def records(tenant_id: str, q: ContactExportQuery, tally: dict[str, Any]) -> Iterator[dict[str, Any]]:
    users = {u.user_id: u.email for u in users_store.list_all(tenant_id)}
    for raw in contacts_store.iter_raw(keys.contact_pk(tenant_id), filters=_filters(q)):
        if tally["rows"] == q.limit:
            tally["truncated"] = True
            return
        tally["rows"] += 1
        d = json.loads(raw.get("doc", {}).get("S") or "{}")
        rec: dict[str, Any] = {
            "id": raw["sk"]["S"],
            "name": raw.get("name", {}).get("S", ""),
            "company": raw.get("company", {}).get("S", ""),
            "email": raw.get("email", {}).get("S", ""),
            "numbers": ", ".join(v["S"] for v in raw.get("numbers", {}).get("L", [])),
            "owner": users.get(raw.get("owner", {}).get("S", ""), ""),
            "tags": ", ".join(v["S"] for v in raw.get("tags", {}).get("L", [])),
            "segments": ", ".join(v["S"] for v in raw.get("segments", {}).get("L", [])),
            "notes": d.get("notes") or "",
            "dnc": ", ".join(v["S"] for v in raw.get("dncch", {}).get("L", [])),
            "calls": int(raw.get("calls", {}).get("N", "0")),
            "last_call_at": raw.get("last_call_at", {}).get("S"),
            "created_at": raw.get("created_at", {}).get("S"),
        }
        for key, value in (d.get("custom") or {}).items():
            rec[f"custom.{key}"] = value
        yield rec


def _safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv(recs: Iterable[dict[str, Any]], columns: list[Column], out: Any) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.title for c in columns])
    out.write("\ufeff".encode() + buf.getvalue().encode())
    for rec in recs:
        buf.seek(0)
        buf.truncate()
        writer.writerow([_safe(rec.get(c.key)) for c in columns])
        out.write(buf.getvalue().encode())


def export(tenant_id: str, q: ContactExportQuery) -> ExportLink:
    tenant = tenants.require(tenant_id)
    zone = ZoneInfo(tenant.time_zone or defaults.TIME_ZONE)
    titles = TITLES[q.lang]
    columns = [Column(k, _KINDS.get(k, "text"), t, 18.0) for k, t in titles.items()]  # type: ignore[arg-type]
    columns += [Column(f"custom.{f.key}", "text", f.label, 16.0) for f in custom_fields.definitions(tenant_id).values()]
    now = clock.now()
    report_id = ids.new_id("rpt")
    filename = f"contacts-{now.astimezone(zone):%Y%m%d-%H%M%S}.{q.format}"
    key = f"{s3.tenant_prefix(tenant_id)}reports/contacts/{report_id}.{q.format}"
    tally: dict[str, Any] = {"rows": 0, "truncated": False}
    content_type = XLSX_TYPE if q.format == "xlsx" else CSV_TYPE
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as spool:
        recs = records(tenant_id, q, tally)
        if q.format == "xlsx":
            write_records(recs, spool, columns, zone=zone, title="Contacts" if q.lang == "en" else "Liên hệ")
        else:
            _csv(recs, columns, spool)
        size = spool.tell()
        spool.seek(0)
        s3.client().put_object(Bucket=s3.bucket(), Key=key, Body=spool, ContentType=content_type, Tagging=TAGGING)
    url = s3.client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": s3.bucket(),
            "Key": key,
            "ResponseContentType": content_type,
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
        },
        ExpiresIn=LINK_TTL_S,
    )
    count("ContactExport")
    logger.info("contacts exported", extra={"report_id": report_id, "rows": tally["rows"], "format": q.format})
    return ExportLink(
        id=report_id,
        rows=tally["rows"],
        truncated=tally["truncated"],
        bytes=size,
        filename=filename,
        content_type=content_type,
        url=url,
        expires_in=LINK_TTL_S,
        expires_at=store.ts(now + timedelta(seconds=LINK_TTL_S)),
    )
