"""Request and response models of devices."""

from __future__ import annotations

from control_plane.core.schemas import Body, Ext, Mac, OptText, Out, Text, Vendor


class DeviceCreate(Body):
    extension: Ext
    vendor: Vendor
    model: Text
    mac: Mac
    label: OptText = ""


class DeviceUpdate(Body):
    extension: Ext | None = None
    model: Text | None = None
    mac: Mac | None = None
    label: OptText | None = None


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
