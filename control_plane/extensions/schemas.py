"""Request and response models of extensions."""

from __future__ import annotations

from control_plane.core.schemas import Body, NewExt, OptDid, OptId, OptText, Out, Outbound, PickupGroup
from pbx_core import defaults


class ExtensionCreate(Body):
    number: NewExt
    display_name: OptText = ""
    branch_id: OptId = ""
    pickup_group: PickupGroup = ""
    outbound: Outbound = defaults.OUTBOUND
    caller_id: OptDid = ""


class ExtensionUpdate(Body):
    display_name: OptText | None = None
    branch_id: OptId | None = None
    pickup_group: PickupGroup | None = None
    outbound: Outbound | None = None
    caller_id: OptDid | None = None


class ExtensionOut(Out):
    number: str
    display_name: str
    branch_id: str
    pickup_group: str
    outbound: Outbound
    caller_id: str
    created_at: str
    updated_at: str
    password_rotated_at: str


class ExtensionList(Out):
    items: list[ExtensionOut]
    next: str | None


class RotationOut(Out):
    rotated: int
    devices_marked: int
