"""Request and response models of devices."""

from __future__ import annotations

from control_plane.core.schemas import Body, Ext, Mac, OptText, Out, Text, Vendor


class DeviceCreate(Body):
    extension: Ext
    vendor: Vendor
    model: Text
    mac: Mac
    label: OptText = ""
    # the config file served encrypted with a per-device key (default: on where the vendor
    # supports it, Yealink and Grandstream; a Fanvil device cannot turn it on)
    encrypt_config: bool | None = None


class DeviceUpdate(Body):
    extension: Ext | None = None
    model: Text | None = None
    mac: Mac | None = None
    label: OptText | None = None
    encrypt_config: bool | None = None


class DeviceOut(Out):
    id: str
    extension: str
    vendor: Vendor
    model: str
    mac: str
    label: str
    has_token: bool
    token_expires_at: str | None = None
    needs_reprovision: bool
    encrypt_config: bool
    has_config_key: bool
    provisioned_at: str | None
    created_at: str
    updated_at: str


class DeviceList(Out):
    items: list[DeviceOut]
    next: str | None


class DeviceTokenOut(Out):
    url: str
    absolute_url: str
    filename: str
    # the device's config key, only in the answer that made it (shown once), and where to
    # type it into the phone; null when the file is not encrypted or the key was shown before
    config_key: str | None = None
    config_key_setting: str | None = None


class DeviceKeyOut(Out):
    config_key: str
    config_key_setting: str
