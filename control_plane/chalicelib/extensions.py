"""Extensions (SIP users) of one tenant.

The SIP password is generated here, stored as HA1 (for the edge) and Fernet-encrypted (for
provisioning), and never returned by these functions nor logged.
"""

from __future__ import annotations

from typing import Any

from chalicelib import clock, crypto, store, tenants
from chalicelib.http import reject_unknown
from chalicelib.log import logger
from pbx_core import sipauth, validate
from pbx_core.errors import NotFound, ValidationError

_CREATE_FIELDS = ("number", "display_name")


def secret_context(number: str) -> str:
    return f"ext/{number}"


def public(e: store.ExtensionItem) -> dict[str, Any]:
    return {
        "number": e.number,
        "display_name": e.display_name,
        "created_at": e.created_at,
        "password_rotated_at": e.password_rotated_at,
    }


def create_extension(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(body, _CREATE_FIELDS)
    errors: dict[str, str] = {}
    number = display_name = ""
    try:
        number = validate.extension_number(body.get("number"))
    except ValidationError as exc:
        errors.update(exc.fields)
    try:
        display_name = validate.text(body.get("display_name"), "display_name", max_len=100, required=False)
    except ValidationError as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationError("invalid extension", fields=errors)
    tenant = tenants.require_tenant(tenant_id)
    password = sipauth.generate_password()
    ext = store.create_extension(
        tenant_id,
        number=number,
        display_name=display_name,
        ha1=sipauth.ha1(number, tenant.domain, password),
        secret=crypto.encrypt(tenant_id, secret_context(number), password),
        now=clock.now(),
    )
    logger.info("extension created", extra={"number": number})
    return public(ext)


def _valid_number(number: str) -> bool:
    try:
        validate.extension_number(number)
    except ValidationError:
        return False
    return True


def require_extension(tenant_id: str, number: str) -> store.ExtensionItem:
    ext = store.get_extension(tenant_id, number) if _valid_number(number) else None
    if ext is None:
        raise NotFound(f"extension {number} not found")
    return ext


def get_extension(tenant_id: str, number: str) -> dict[str, Any]:
    return public(require_extension(tenant_id, number))


def list_extensions(tenant_id: str) -> dict[str, Any]:
    items = sorted(store.list_extensions(tenant_id), key=lambda e: e.number)
    return {"items": [public(e) for e in items], "next": None}


def delete_extension(tenant_id: str, number: str) -> None:
    if not _valid_number(number):
        raise NotFound(f"extension {number} not found")
    store.delete_extension(tenant_id, number)
    logger.info("extension deleted", extra={"number": number})


def sip_password(tenant_id: str, ext: store.ExtensionItem) -> str:
    """The clear SIP password, for the provisioning payload only."""
    return crypto.decrypt(tenant_id, secret_context(ext.number), ext.secret)
