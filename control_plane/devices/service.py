"""Devices (desk phones) of a tenant: vendor, model, MAC, the extension they carry.

A device gets a per-device provisioning token (only its SHA-256 is stored); its URL serves
the vendor's config file with the SIP credentials, bound to the device so that a person who
sees the URL (a technician, a log) does not learn the password (S3, issue 13):

- only to the phone: the request's User-Agent must carry the device's MAC (Yealink,
  Grandstream and Fanvil firmware put it there when they provision);
- each password once: after the phone fetched it, the URL answers 404 until the next
  rotation (the phone keeps its config; phones re-provision on a schedule, which is how a
  rotated password reaches them, once);
- for a while: the token expires ``TOKEN_TTL`` after it was issued or the password last
  rotated (``devices.store.TOKEN_TTL``); a new token (which revokes the old one) is needed
  after that.

``needs_reprovision`` is set by a rotation and cleared when the phone fetches its file.
Encrypted config files (Yealink's AES, Grandstream's P-value encryption) are not made yet.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from typing import Any

from control_plane.core import clock, ids, keys, settings, store
from control_plane.core.log import logger
from control_plane.core.schemas import given, parse
from control_plane.devices import store as devices_store
from control_plane.devices import templates
from control_plane.devices.schemas import DeviceCreate, DeviceList, DeviceOut, DeviceTokenOut, DeviceUpdate
from control_plane.devices.store import DeviceItem
from control_plane.extensions import service as extensions
from control_plane.extensions import store as ext_store
from control_plane.tenants import service as tenants
from control_plane.tenants import store as tenants_store
from pbx_core import defaults
from pbx_core.errors import Conflict, NotFound

URL_PREFIX = "/provision/d/"
_NOT_HEX = re.compile(r"[^0-9a-f]")


def public(d: DeviceItem) -> DeviceOut:
    return DeviceOut(
        id=d.device_id,
        extension=d.extension,
        vendor=d.vendor,  # type: ignore[arg-type]  # written from Vendor only
        model=d.model,
        mac=d.mac,
        label=d.label or "",
        has_token=bool(d.token_hash),
        token_expires_at=(
            store.ts(datetime.fromtimestamp(int(d.token_expires_at), UTC)) if d.token_expires_at else None
        ),
        needs_reprovision=bool(d.needs_reprovision),
        provisioned_at=d.provisioned_at,
        created_at=d.created_at,
        updated_at=d.updated_at,
    )


def _check_mac(tenant_id: str, mac: str, except_id: str | None = None) -> None:
    for other in devices_store.list_all(tenant_id):
        if other.mac == mac and other.device_id != except_id:
            raise Conflict(f"MAC {mac} belongs to device {other.device_id}", fields={"mac": "already registered"})


def require(tenant_id: str, device_id: str) -> DeviceItem:
    ids.check_id(device_id, "dev", "device")
    item = devices_store.get(tenant_id, device_id)
    if item is None:
        raise NotFound("device not found")
    return item


def create(tenant_id: str, req: DeviceCreate) -> DeviceOut:
    tenants.require(tenant_id)
    _check_mac(tenant_id, req.mac)
    device_id = ids.new_id("dev")
    now = store.ts(clock.now())
    item = devices_store.item(
        tenant_id,
        device_id,
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
            ext_store.ref(tenant_id, req.extension, 1, "extension"),
        ],
        bump=False,
    )
    logger.info("device created", extra={"device_id": device_id, "vendor": req.vendor})
    return public(item)


def list_all(tenant_id: str) -> DeviceList:
    items = sorted(devices_store.list_all(tenant_id), key=lambda d: (d.extension, d.device_id))
    return DeviceList(items=[public(d) for d in items], next=None)


def get(tenant_id: str, device_id: str) -> DeviceOut:
    return public(require(tenant_id, device_id))


def update(tenant_id: str, device_id: str, body: dict[str, Any]) -> DeviceOut:
    """A change of the device: 404 for an unknown device before any field error."""
    item = require(tenant_id, device_id)
    req = parse(DeviceUpdate, body, "invalid device")
    sent = given(req)
    changes: dict[str, Any] = {f: getattr(req, f) for f in sent}
    if not changes:
        return public(item)
    if "mac" in changes:
        _check_mac(tenant_id, changes["mac"], except_id=device_id)
    ops: list[store.Op] = []
    if "extension" in sent:
        ops += ext_store.ref_changes(tenant_id, "extension", item.extension, req.extension)
        changes["needs_reprovision"] = True
    store.save_changes(item, changes, what="device", bump=False, now=clock.now(), ops=ops)
    return public(require(tenant_id, device_id))


def delete(tenant_id: str, device_id: str) -> None:
    item = require(tenant_id, device_id)
    ops = [
        store.remove(DeviceItem, item.pk, item.sk, error=lambda: NotFound("device not found")),
        ext_store.ref(tenant_id, item.extension, -1, "extension"),
    ]
    if item.token_hash:
        ops.append(devices_store.release_token(item.token_hash))
    store.commit(ops, bump=False)
    logger.info("device deleted", extra={"device_id": device_id})


def issue_token(tenant_id: str, device_id: str, base_url: str) -> DeviceTokenOut:
    """A new provisioning URL for the device (the previous one stops working)."""
    item = require(tenant_id, device_id)
    token = secrets.token_urlsafe(32)
    token_hash = ids.sha256(token)
    ops = [
        store.put_new(
            devices_store.token_item(tenant_id, device_id, token_hash), lambda: Conflict("token collision, retry")
        ),
        store.patch(
            DeviceItem,
            item.pk,
            item.sk,
            {
                "token_hash": token_hash,
                "token_expires_at": devices_store.token_expiry(clock.now()),
                "served_password_at": None,  # a new token hands the current password over once
                "updated_at": store.ts(clock.now()),
            },
            rev=int(item.rev or 0),
            error=lambda: Conflict("device changed meanwhile, retry"),
        ),
    ]
    if item.token_hash:
        ops.append(devices_store.release_token(item.token_hash))
    store.commit(ops, bump=False)
    name = templates.filename(item.vendor, item.mac)
    url = f"{URL_PREFIX}{token}/{name}"
    logger.info("device provisioning token issued", extra={"device_id": device_id})
    return DeviceTokenOut(url=url, absolute_url=base_url + url, filename=name)


def _proxy(domain: str) -> tuple[str, int]:
    proxy = settings.sip_proxy()
    if not proxy:
        return domain, defaults.SIP_PORT
    host, _, port = proxy.rpartition(":")
    if host and port.isdigit():
        return host, int(port)
    return proxy, defaults.SIP_PORT


def from_the_device(user_agent: str, mac: str) -> bool:
    """Does the request's User-Agent carry the device's MAC (12 hex digits, any separators)?"""
    return len(mac) == 12 and mac in _NOT_HEX.sub("", user_agent.lower().replace("0x", ""))


def config_file(token: str, filename: str, user_agent: str) -> tuple[str, str]:
    """(content type, body) of the device's config file, to the device, once per password.
    Unknown or expired token, wrong file name, not the device, a password already handed
    over, deleted device or suspended tenant: all simply not found."""
    gone = NotFound("provisioning file not found")
    if not token or len(token) > 200 or len(filename) > 64 or len(user_agent) > 512:
        raise gone
    ref = devices_store.by_token(ids.sha256(token))
    if ref is None:
        raise gone
    device = devices_store.get(ref.tenant_id, ref.device_id)
    tenant = tenants_store.get(ref.tenant_id)
    if device is None or tenant is None or tenant.status != "active":
        raise gone
    if filename != templates.filename(device.vendor, device.mac):
        raise gone
    ext = ext_store.get(ref.tenant_id, device.extension)
    if ext is None or not from_the_device(user_agent, device.mac):
        raise gone
    if not device.token_expires_at or int(device.token_expires_at) <= clock.now().timestamp():
        raise gone
    if device.served_password_at == ext.password_rotated_at:
        raise gone  # this password was handed over already
    host, port = _proxy(tenant.domain)
    body = templates.render(
        device.vendor,
        templates.Account(
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
    served = DeviceItem.served_password_at
    once = served.does_not_exist() | (served != ext.password_rotated_at)  # two fetches at once: one wins
    store.commit(
        [
            store.patch(
                DeviceItem,
                keys.tenant_pk(ref.tenant_id),
                keys.device_sk(device.device_id),
                {
                    "provisioned_at": store.ts(clock.now()),
                    "needs_reprovision": False,
                    "served_password_at": ext.password_rotated_at,
                },
                rev=None,
                error=lambda: NotFound("provisioning file not found"),
                condition=once,
            )
        ],
        bump=False,
    )
    logger.info("device provisioned", extra={"tenant_id": ref.tenant_id, "device_id": device.device_id})
    return templates.content_type(device.vendor), body
