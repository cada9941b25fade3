"""Response models of provisioning."""

from __future__ import annotations

from control_plane.core.schemas import Out


class ProvisioningLinkOut(Out):
    token: str
    url: str
    absolute_url: str
    qr_payload: str
    expires_at: str


class ProvisioningOut(Out):
    sip_user: str
    sip_password: str
    sip_domain: str
    sip_proxy: str | None
