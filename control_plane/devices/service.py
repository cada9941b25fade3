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

Encrypted config files, so that a file that leaks anyway (a proxy's log, a technician who
replays the phone's request with its User-Agent) does not show the SIP password: a device
with ``encrypt_config`` (default for Yealink and Grandstream; ``templates`` documents each
vendor's format and its source; Fanvil has none we could confirm) gets a random key, sealed
by ``core.crypto`` like other stored secrets. The key is shown once: in the answer of the
first provisioning URL issued while encryption is on (or of ``rotate_key``); the admin types
it into the phone (``templates.phone_setting``) before the phone fetches its file. The file is
then served only encrypted; a device with encryption on but no key gets no file at all.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from typing import Any

from control_plane.core import clock, crypto, ids, keys, settings, store
from control_plane.core.log import logger
from control_plane.core.schemas import given, parse
from control_plane.devices import store as devices_store
from control_plane.devices import templates
from control_plane.devices.schemas import (
    DeviceCreate,
    DeviceKeyOut,
    DeviceList,
    DeviceOut,
    DeviceTokenOut,
    DeviceUpdate,
)
from control_plane.devices.store import DeviceItem
from control_plane.extensions import service as extensions
from control_plane.extensions import store as ext_store
from control_plane.tenants import service as tenants
from control_plane.tenants import store as tenants_store
from pbx_core import defaults
from pbx_core.errors import Conflict, NotFound, ValidationError

URL_PREFIX = "/provision/d/"
_NOT_HEX = re.compile(r"[^0-9a-f]")


class EncryptionUnsupported(ValidationError):
    """``encrypt_config`` asked for a vendor without a confirmed encrypted format (400)."""

    code = "config_encryption_unsupported"


class EncryptionOff(ValidationError):
    """A config key asked for a device whose file is not encrypted (400)."""

    code = "config_encryption_off"


def _check_encryption(vendor: str) -> None:
    if not templates.supports_encryption(vendor):
        raise EncryptionUnsupported(
            f"{vendor} phones have no encrypted config file we can make",
            fields={"encrypt_config": f"not supported for {vendor}"},
        )


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
        encrypt_config=bool(d.encrypt_config),
        has_config_key=bool(d.config_key),
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
    encrypt = templates.supports_encryption(req.vendor) if req.encrypt_config is None else req.encrypt_config
    if encrypt:
        _check_encryption(req.vendor)
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
        encrypt_config=encrypt,
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
    if changes.get("encrypt_config"):
        _check_encryption(item.vendor)
    elif "encrypt_config" in changes:
        changes["config_key"] = None  # off: the key is dropped (turning it on again makes a new one)
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
    """A new provisioning URL for the device (the previous one stops working). A device whose
    file is encrypted and has no key yet gets one, shown in this answer only."""
    item = require(tenant_id, device_id)
    token = secrets.token_urlsafe(32)
    token_hash = ids.sha256(token)
    key_fields: dict[str, Any] = {}
    new_key = None
    if item.encrypt_config and not item.config_key:
        new_key = templates.new_key()
        key_fields["config_key"] = crypto.encrypt(tenant_id, devices_store.config_key_context(device_id), new_key)
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
                **key_fields,
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
    return DeviceTokenOut(
        url=url,
        absolute_url=base_url + url,
        filename=name,
        config_key=new_key,
        config_key_setting=templates.phone_setting(item.vendor) if new_key else None,
    )


def rotate_key(tenant_id: str, device_id: str) -> DeviceKeyOut:
    """A new config key for the device (shown in this answer only); the old one no longer
    decrypts the files served from now on, so the admin types the new one into the phone."""
    item = require(tenant_id, device_id)
    if not item.encrypt_config:
        raise EncryptionOff("the device's config file is not encrypted", fields={"encrypt_config": "off"})
    key = templates.new_key()
    sealed = crypto.encrypt(tenant_id, devices_store.config_key_context(device_id), key)
    store.save_changes(item, {"config_key": sealed}, what="device", bump=False, now=clock.now())
    logger.info("device config key rotated", extra={"device_id": device_id})
    return DeviceKeyOut(config_key=key, config_key_setting=templates.phone_setting(item.vendor))


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


def config_file(token: str, filename: str, user_agent: str) -> tuple[str, str | bytes]:
    """(content type, body) of the device's config file, to the device, once per password;
    encrypted with the device's key when its encryption is on. Unknown or expired token,
    wrong file name, not the device, a password already handed over, deleted device,
    suspended tenant, or encryption on without a key: all simply not found."""
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
    if device.encrypt_config and not device.config_key:
        raise gone  # never in clear when encryption is on; the admin issues a URL (and key) first
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
    if device.encrypt_config and device.config_key:
        key = crypto.decrypt(ref.tenant_id, devices_store.config_key_context(device.device_id), device.config_key)
        return templates.ENCRYPTED_CONTENT_TYPE, templates.encrypt(device.vendor, key, body)
    return templates.content_type(device.vendor), body
