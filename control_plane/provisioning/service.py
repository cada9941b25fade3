"""Provisioning: the only way SIP credentials leave the control plane (S3).

A tenant admin asks for a one-time link for an extension; the phone or app redeems it once
within 15 minutes with a POST and gets user, password, domain and proxy. Opening the link
(a GET: a browser, a chat app's link preview, a mail scanner) neither shows the credentials
nor uses the link up. Only the
SHA-256 of the token is stored, so a table dump does not hold usable links. The answer also
carries the absolute URL as ``qr_payload``: a softphone scans it and fetches the
credentials itself, so nobody reads the password. Desk phones use per-device URLs
(``devices``).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from control_plane.core import clock, ids, settings
from control_plane.core.log import logger
from control_plane.extensions import service as extensions
from control_plane.extensions import store as ext_store
from control_plane.provisioning import store as prov_store
from control_plane.provisioning.schemas import ProvisioningLinkOut, ProvisioningOut, ProvisioningPeekOut
from control_plane.tenants import store as tenants_store
from pbx_core.cdr import iso
from pbx_core.errors import NotFound

TOKEN_TTL = timedelta(minutes=15)
URL_PREFIX = "/provision/"


def create_link(tenant_id: str, number: str, base_url: str = "") -> ProvisioningLinkOut:
    extensions.require(tenant_id, number)
    now = clock.now()
    expires = now + TOKEN_TTL
    token = secrets.token_urlsafe(32)
    prov_store.put(tenant_id, number, token_hash=ids.sha256(token), expires_at=int(expires.timestamp()), now=now)
    logger.info("provisioning link created", extra={"number": number})
    url = URL_PREFIX + token
    return ProvisioningLinkOut(
        token=token, url=url, absolute_url=base_url + url, qr_payload=base_url + url, expires_at=iso(expires)
    )


def peek(token: str) -> ProvisioningPeekOut:
    """What a GET of the link answers: not the credentials, and the link stays unused."""
    valid = 0 < len(token) <= 200 and prov_store.peek(ids.sha256(token), now_epoch=clock.now().timestamp())
    return ProvisioningPeekOut(valid=valid, redeem_with="POST")


def redeem(token: str) -> ProvisioningOut:
    """The credentials, once. Unknown, used or expired tokens are all simply not found."""
    if not token or len(token) > 200:
        raise NotFound("provisioning link not found")
    taken = prov_store.take(ids.sha256(token), now_epoch=clock.now().timestamp())
    if taken is None:
        raise NotFound("provisioning link not found or already used")
    tenant_id, number = taken
    tenant = tenants_store.get(tenant_id)
    ext = ext_store.get(tenant_id, number)
    if tenant is None or ext is None or tenant.status != "active":
        raise NotFound("provisioning link not found or already used")
    logger.info("provisioning link redeemed", extra={"tenant_id": tenant_id, "number": number})
    return ProvisioningOut(
        sip_user=ext.number,
        sip_password=extensions.sip_password(tenant_id, ext),
        sip_domain=tenant.domain,
        sip_proxy=settings.sip_proxy(),
    )
