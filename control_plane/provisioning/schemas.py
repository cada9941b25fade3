"""Response models of provisioning."""

from __future__ import annotations

from typing import Literal

from control_plane.core.schemas import Out


class ProvisioningLinkOut(Out):
    token: str
    url: str
    absolute_url: str
    qr_payload: str
    expires_at: str


class ProvisioningPeekOut(Out):
    """What opening a one-time link shows (a browser, a chat app's preview): how to redeem
    it, and whether it still can be; never the credentials, and it stays unused."""

    valid: bool
    redeem_with: Literal["POST"]


class ProvisioningOut(Out):
    sip_user: str
    sip_password: str
    sip_domain: str
    sip_proxy: str | None
