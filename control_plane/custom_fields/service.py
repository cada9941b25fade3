"""Custom fields of the contact form: their definitions, and the checking of the values a
contact carries (API bodies are JSON values; imports are text, ``coerce``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from control_plane.core import clock, keys, store
from control_plane.core.log import logger
from control_plane.core.schemas import CONTROL_CHARS, given, parse
from control_plane.custom_fields import store as fields_store
from control_plane.custom_fields.schemas import MAX_FIELDS, FieldCreate, FieldList, FieldOut, FieldUpdate
from control_plane.custom_fields.store import FieldItem
from control_plane.tenants import service as tenants
from pbx_core.errors import Conflict, LimitExceeded, NotFound, ValidationError

MAX_TEXT = 500
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
Value = str | int | float | bool


def public(f: FieldItem) -> FieldOut:
    return FieldOut(
        key=f.key,
        label=f.label,
        type=f.type,  # type: ignore[arg-type]  # written from FieldType only
        options=[str(o) for o in f.options or []],
        required=bool(f.required),
        position=int(f.position or 0),
        created_at=f.created_at,
        updated_at=f.updated_at,
    )


def require(tenant_id: str, key: str) -> FieldItem:
    item = fields_store.get(tenant_id, key) if _KEY_RE.match(key) else None
    if item is None:
        raise NotFound("custom field not found")
    return item


def _check_options(type_: str, options: list[str]) -> None:
    if type_ == "select" and not options:
        raise ValidationError("a select field needs options", fields={"options": "at least one option"})
    if type_ != "select" and options:
        raise ValidationError("only select fields have options", fields={"options": "only for type select"})
    if len(set(options)) != len(options):
        raise ValidationError("options repeat", fields={"options": "each option once"})


def create(tenant_id: str, req: FieldCreate) -> FieldOut:
    tenants.require(tenant_id)
    _check_options(req.type, req.options)
    if len(fields_store.list_all(tenant_id)) >= MAX_FIELDS:
        raise LimitExceeded(f"at most {MAX_FIELDS} custom fields")
    now = store.ts(clock.now())
    item = fields_store.item(
        tenant_id,
        req.key,
        label=req.label,
        type=req.type,
        options=req.options,
        required=req.required,
        position=req.position,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    store.commit(
        [store.put_new(item, lambda: Conflict(f"field {req.key} exists", fields={"key": "already exists"}))],
        bump=False,
    )
    logger.info("custom field added", extra={"field": req.key, "type": req.type})
    return public(item)


def list_all(tenant_id: str) -> FieldList:
    return FieldList(items=[public(f) for f in fields_store.list_all(tenant_id)], next=None)


def get(tenant_id: str, key: str) -> FieldOut:
    return public(require(tenant_id, key))


def update(tenant_id: str, key: str, body: dict[str, Any]) -> FieldOut:
    item = require(tenant_id, key)
    req = parse(FieldUpdate, body, "invalid custom field")
    changes: dict[str, Any] = {f: getattr(req, f) for f in given(req)}
    if not changes:
        return public(item)
    if "options" in changes:
        _check_options(item.type, changes["options"])
    store.save_changes(item, changes, what="custom field", bump=False, now=clock.now())
    return public(require(tenant_id, key))


def delete(tenant_id: str, key: str) -> None:
    """The definition goes; values contacts hold for it stay in them, unshown, until edited."""
    require(tenant_id, key)
    store.commit(
        [
            store.remove(
                FieldItem, keys.tenant_pk(tenant_id), keys.cfield_sk(key), error=lambda: NotFound("field not found")
            )
        ],
        bump=False,
    )
    logger.info("custom field deleted", extra={"field": key})


# --- values ------------------------------------------------------------------------------------
def definitions(tenant_id: str) -> dict[str, FieldItem]:
    return {f.key: f for f in fields_store.list_all(tenant_id)}


def _value(f: FieldItem, value: Any) -> Value:
    """One value of a field from JSON; ValueError with the message otherwise."""
    if f.type == "text":
        if not isinstance(value, str) or len(value) > MAX_TEXT or CONTROL_CHARS.search(value):
            raise ValueError(f"text of at most {MAX_TEXT} characters, no control characters")
        return value.strip()
    if f.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise ValueError("a number")
        return value
    if f.type == "date":
        if not isinstance(value, str):
            raise ValueError("a date YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError as exc:
            raise ValueError("a date YYYY-MM-DD") from exc
    if f.type == "select":
        if value not in ([str(o) for o in f.options or []]):
            raise ValueError("one of " + ", ".join([str(o) for o in f.options or []]))
        return str(value)
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def check(
    defs: dict[str, FieldItem], values: dict[str, Any], *, current: dict[str, Any] | None = None, full: bool
) -> dict[str, Value]:
    """The values of a contact after ``values`` (a null value clears one) are applied to
    ``current``: unknown keys, wrong types and (``full``: a new contact) missing required
    fields are a ValidationError naming ``custom.<key>``."""
    errors: dict[str, str] = {}
    out: dict[str, Value] = {k: v for k, v in (current or {}).items() if k in defs}
    for key, value in values.items():
        f = defs.get(key)
        if f is None:
            errors[f"custom.{key}"] = "unknown field"
        elif value is None or value == "":
            out.pop(key, None)
        else:
            try:
                out[key] = _value(f, value)
            except ValueError as exc:
                errors[f"custom.{key}"] = str(exc)
    if full:
        for key, f in defs.items():
            if f.required and key not in out and f"custom.{key}" not in errors:
                errors[f"custom.{key}"] = "required"
    if errors:
        raise ValidationError(
            "invalid custom fields: " + ", ".join(f"{k}: {v}" for k, v in errors.items()), fields=errors
        )
    return out


def coerce(f: FieldItem, text: str) -> Value:
    """A value of a field from an imported cell (text); ValueError otherwise."""
    text = text.strip()
    if f.type == "number":
        try:
            number = float(text.replace(",", "."))
        except ValueError as exc:
            raise ValueError("a number") from exc
        return int(number) if number.is_integer() else number
    if f.type == "checkbox":
        low = text.lower()
        if low in ("1", "true", "yes", "x", "có", "co", "đúng"):
            return True
        if low in ("0", "false", "no", "không", "khong", "sai"):
            return False
        raise ValueError("yes or no")
    if f.type == "date" and len(text) > 10 and text[10] in " T":
        text = text[:10]  # a date-time cell from a workbook
    return _value(f, text)
