"""Devices (desk phones) of a tenant: vendor, model, MAC, the extension they carry.

A device gets a per-device provisioning token (only its SHA-256 is stored). Its URL serves
the vendor's config file with the SIP credentials, as often as the phone asks (phones
re-provision on a schedule, which is how a rotated password reaches them); issuing a new
token revokes the old one. ``needs_reprovision`` is set by a password rotation and cleared
when the phone fetches its file.
"""

from __future__ import annotations

import secrets
from typing import Any

from chalicelib import clock, common, extensions, phone_templates, schemas, settings, store, tenants
from chalicelib.log import logger
from pbx_core.errors import Conflict, NotFound

URL_PREFIX = "/provision/d/"


def public(d: store.DeviceItem) -> dict[str, Any]:
    return {
        "id": d.device_id,
        "extension": d.extension,
        "vendor": d.vendor,
        "model": d.model,
        "mac": d.mac,
        "label": d.label or "",
        "has_token": bool(d.token_hash),
        "needs_reprovision": bool(d.needs_reprovision),
        "provisioned_at": d.provisioned_at,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
    }


def _all(tenant_id: str) -> list[store.DeviceItem]:
    items: list[store.DeviceItem] = store.list_children(tenant_id, store.DeviceItem, "DEV#")
    return items


def _check_mac(tenant_id: str, mac: str, except_id: str | None = None) -> None:
    for other in _all(tenant_id):
        if other.mac == mac and other.device_id != except_id:
            raise Conflict(f"MAC {mac} belongs to device {other.device_id}", fields={"mac": "already registered"})


def require(tenant_id: str, device_id: str) -> store.DeviceItem:
    common.check_id(device_id, "dev", "device")
    item = store.get_child(tenant_id, store.DeviceItem, store.device_sk(device_id))
    if item is None:
        raise NotFound("device not found")
    assert isinstance(item, store.DeviceItem)
    return item


def create(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    req = schemas.parse(schemas.DeviceCreate, body, "invalid device")
    tenants.require_tenant(tenant_id)
    _check_mac(tenant_id, req.mac)
    device_id = common.new_id("dev")
    now = store.ts(clock.now())
    item = store.DeviceItem(
        store.tenant_pk(tenant_id),
        store.device_sk(device_id),
        tenant_id=tenant_id,
        device_id=device_id,
        extension=req.extension,
        vendor=req.vendor,
        model=req.model,
        mac=req.mac,
        label=req.label,
        needs_reprovision=False,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    store.commit(
        [
            store.put_new(item, lambda: Conflict("device id collision, retry")),
            store.ref(tenant_id, store.ext_sk(req.extension), 1, "extension"),
        ],
        bump=False,
    )
    logger.info("device created", extra={"device_id": device_id, "vendor": req.vendor})
    return public(item)


def list_all(tenant_id: str) -> dict[str, Any]:
    return common.page([public(d) for d in sorted(_all(tenant_id), key=lambda d: (d.extension, d.device_id))])


def get(tenant_id: str, device_id: str) -> dict[str, Any]:
    return public(require(tenant_id, device_id))


def update(tenant_id: str, device_id: str, body: dict[str, Any]) -> dict[str, Any]:
    item = require(tenant_id, device_id)
    req = schemas.parse(schemas.DeviceUpdate, body, "invalid device")
    sent = schemas.given(req)
    changes: dict[str, Any] = {f: getattr(req, f) for f in sent}
    if not changes:
        return public(item)
    if "mac" in changes:
        _check_mac(tenant_id, changes["mac"], except_id=device_id)
    ops: list[store.Op] = []
    if "extension" in sent:
        ops += store.ref_changes(
            tenant_id, "extension", store.ext_sk(item.extension), store.ext_sk(req.extension or "")
        )
        changes["needs_reprovision"] = True
    changes["updated_at"] = store.ts(clock.now())
    store.commit(
        [
            store.patch(
                store.DeviceItem,
                store.tenant_pk(tenant_id),
                store.device_sk(device_id),
                changes,
                rev=int(item.rev or 0),
                error=lambda: Conflict("device changed meanwhile, retry"),
            ),
            *ops,
        ],
        bump=False,
    )
    return public(require(tenant_id, device_id))


def delete(tenant_id: str, device_id: str) -> None:
    item = require(tenant_id, device_id)
    ops = [
        store.remove(
            store.DeviceItem,
            store.tenant_pk(tenant_id),
            store.device_sk(device_id),
            error=lambda: NotFound("device not found"),
        ),
        store.ref(tenant_id, store.ext_sk(item.extension), -1, "extension"),
    ]
    if item.token_hash:
        ops.append(store.release(store.DeviceTokenItem, f"DEVTOK#{item.token_hash}", "DEVTOK"))
    store.commit(ops, bump=False)
    logger.info("device deleted", extra={"device_id": device_id})


def issue_token(tenant_id: str, device_id: str, base_url: str) -> dict[str, Any]:
    """A new provisioning URL for the device (the previous one stops working)."""
    item = require(tenant_id, device_id)
    token = secrets.token_urlsafe(32)
    token_hash = common.sha256(token)
    ops = [
        store.put_new(
            store.DeviceTokenItem(f"DEVTOK#{token_hash}", "DEVTOK", tenant_id=tenant_id, device_id=device_id),
            lambda: Conflict("token collision, retry"),
        ),
        store.patch(
            store.DeviceItem,
            store.tenant_pk(tenant_id),
            store.device_sk(device_id),
            {"token_hash": token_hash, "updated_at": store.ts(clock.now())},
            rev=int(item.rev or 0),
            error=lambda: Conflict("device changed meanwhile, retry"),
        ),
    ]
    if item.token_hash:
        ops.append(store.release(store.DeviceTokenItem, f"DEVTOK#{item.token_hash}", "DEVTOK"))
    store.commit(ops, bump=False)
    name = phone_templates.filename(item.vendor, item.mac)
    url = f"{URL_PREFIX}{token}/{name}"
    logger.info("device provisioning token issued", extra={"device_id": device_id})
    return {"url": url, "absolute_url": base_url + url, "filename": name}


def _proxy(domain: str) -> tuple[str, int]:
    proxy = settings.sip_proxy()
    if not proxy:
        return domain, 5060
    host, _, port = proxy.rpartition(":")
    if host and port.isdigit():
        return host, int(port)
    return proxy, 5060


def config_file(token: str, filename: str) -> tuple[str, str]:
    """(content type, body) of the device's config file. Unknown token, wrong file name,
    deleted device or suspended tenant: all simply not found."""
    gone = NotFound("provisioning file not found")
    if not token or len(token) > 200 or len(filename) > 64:
        raise gone
    ref = store.device_token(common.sha256(token))
    if ref is None:
        raise gone
    device = store.get_child(ref.tenant_id, store.DeviceItem, store.device_sk(ref.device_id))
    tenant = store.get_tenant(ref.tenant_id)
    if device is None or tenant is None or tenant.status != "active":
        raise gone
    if filename != phone_templates.filename(device.vendor, device.mac):
        raise gone
    ext = store.get_child(ref.tenant_id, store.ExtensionItem, store.ext_sk(device.extension))
    if ext is None:
        raise gone
    host, port = _proxy(tenant.domain)
    body = phone_templates.render(
        device.vendor,
        phone_templates.Account(
            user=ext.number,
            password=extensions.sip_password(ref.tenant_id, ext),
            domain=tenant.domain,
            display_name=ext.display_name,
            proxy_host=host,
            proxy_port=port,
            time_zone=tenant.time_zone,
            mac=device.mac,
        ),
    )
    store.commit(
        [
            store.patch(
                store.DeviceItem,
                store.tenant_pk(ref.tenant_id),
                store.device_sk(device.device_id),
                {"provisioned_at": store.ts(clock.now()), "needs_reprovision": False},
                rev=None,
                error=lambda: NotFound("provisioning file not found"),
            )
        ],
        bump=False,
    )
    logger.info("device provisioned", extra={"tenant_id": ref.tenant_id, "device_id": device.device_id})
    return phone_templates.content_type(device.vendor), body
