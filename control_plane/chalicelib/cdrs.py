"""Call detail records: idempotent ingest from edges, paginated reads for tenant admins."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import UTC
from typing import Any

from chalicelib import settings, store, tenants
from chalicelib.log import logger
from pbx_core import cdr as cdrmod
from pbx_core.errors import NotFound, ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _sort_time(value: str) -> str:
    """started_at normalised to UTC milliseconds with Z, so that keys sort by time."""
    dt = cdrmod.parse_iso(value)
    if dt.tzinfo is None:  # the schema says UTC; accept a naive UTC stamp as such
        dt = dt.replace(tzinfo=UTC)
    return cdrmod.iso(dt)


def ingest_from_edge(raw: object, *, edge_id: str) -> tuple[cdrmod.Cdr, bool]:
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
    created = store.put_cdr(tenant_id, doc, call_id=record.call_id, started_at=_sort_time(record.started_at))
    logger.info("cdr stored" if created else "cdr duplicate", extra={"tenant_id": tenant_id, "edge_id": edge_id})
    return record, created


def get(tenant_id: str, call_id: str) -> dict[str, Any]:
    doc = store.get_cdr(tenant_id, call_id) if 0 < len(call_id) <= 512 else None
    if doc is None:
        raise NotFound("call not found")
    return doc


# --- cursors: opaque, signed, bound to the tenant ----------------------------------------
def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(tenant_id: str, payload: str) -> str:
    key = settings.jwt_secret().encode()
    mac = hmac.new(key, f"cdr-cursor|{tenant_id}|{payload}".encode(), hashlib.sha256).digest()
    return _b64(mac)


def encode_cursor(tenant_id: str, after_sk: str) -> str:
    payload = _b64(json.dumps({"sk": after_sk}, separators=(",", ":")).encode())
    return f"{payload}.{_sign(tenant_id, payload)}"


def decode_cursor(tenant_id: str, cursor: str) -> str:
    bad = ValidationError("invalid cursor", fields={"cursor": "invalid or not issued for this tenant"})
    payload, _, sig = cursor.partition(".")
    if not payload or not sig or not hmac.compare_digest(sig, _sign(tenant_id, payload)):
        raise bad
    try:
        doc = json.loads(_unb64(payload))
    except (binascii.Error, ValueError) as exc:
        raise bad from exc
    sk = doc.get("sk") if isinstance(doc, dict) else None
    if not isinstance(sk, str) or not sk:
        raise bad
    return sk


def parse_limit(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise ValidationError(f"limit must be an integer from 1 to {MAX_LIMIT}", fields={"limit": f"1..{MAX_LIMIT}"})
    return int(value)


def list_page(tenant_id: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
    after = decode_cursor(tenant_id, cursor) if cursor else None
    items, next_sk = store.list_cdrs(tenant_id, limit=limit, after_sk=after)
    return {"items": items, "next": encode_cursor(tenant_id, next_sk) if next_sk else None}
