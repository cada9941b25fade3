"""Routing decisions for the edge: what Kamailio should do with a REGISTER or an INVITE.

The KEMI script extracts plain values from the SIP message, calls these functions, and
applies the returned decision. Nothing here touches SIP or the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pbx_core.snapshot import ExtensionConfig, Snapshot, TenantConfig

# Headers the edge uses to pass a trusted decision to the media worker. Kamailio removes
# any of them arriving from a phone, so only the edge can set them.
HDR_TENANT = "X-PBX-Tenant"
HDR_CALLER = "X-PBX-Caller"
HDR_CALLEE = "X-PBX-Callee"
HDR_KIND = "X-PBX-Kind"
HDR_LIMIT = "X-PBX-Limit"
HDR_RECORD = "X-PBX-Record"
TRUSTED_HEADERS = (HDR_TENANT, HDR_CALLER, HDR_CALLEE, HDR_KIND, HDR_LIMIT, HDR_RECORD)
REASON_HEADER = "X-PBX-Reason"


@dataclass(frozen=True)
class Reject:
    code: int
    reason: str
    slug: str  # stable, also sent to the phone in X-PBX-Reason


@dataclass(frozen=True)
class Challenge:
    """Authenticate the request against this HA1 in this realm (the tenant's domain)."""

    tenant: TenantConfig
    extension: ExtensionConfig

    @property
    def realm(self) -> str:
        return self.tenant.domain

    @property
    def aor(self) -> str:
        """The normalised address of record ``user@domain`` (usrloc key, use_domain=1)."""
        return f"{self.extension.number}@{self.tenant.domain}"


@dataclass(frozen=True)
class ToWorker:
    """Send the call to a media worker with these trusted headers."""

    tenant_id: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ToContact:
    """A leg placed by a worker: look the callee up in usrloc and relay.

    ``from_uri``/``from_display``: what the callee's phone must show as the caller (the
    worker's own From is fixed); empty ``from_uri`` = leave the From as it is.
    """

    tenant_id: str
    aor: str  # user@domain
    from_uri: str = ""
    from_display: str = ""


# Fixed answers of the edge that do not depend on the tenant data.
NO_CONFIG = Reject(503, "Service Unavailable", "no_config")  # no snapshot loaded yet
NO_WORKER = Reject(503, "Service Unavailable", "no_worker")  # no media worker available
NOT_REGISTERED = Reject(480, "Temporarily Unavailable", "not_registered")
BAD_CREDENTIALS = Reject(403, "Forbidden", "bad_credentials")  # wrong password / auth user
METHOD_NOT_ALLOWED = Reject(405, "Method Not Allowed", "method_not_allowed")
NOT_A_WORKER_DIALOG = Reject(403, "Forbidden", "not_a_worker_dialog")

# A caller id the worker may ask the edge to show: an extension or a phone number.
_CALLER_RE = re.compile(r"\+?[0-9A-Za-z*#._-]{1,64}")


def _user_of(snapshot: Snapshot, domain: str, user: str) -> Challenge | Reject:
    tenant = snapshot.tenant_for_domain(domain)
    if tenant is None:
        return Reject(403, "Unknown domain", "unknown_domain")
    if not tenant.active:
        return Reject(403, "Tenant suspended", "tenant_suspended")
    ext = tenant.extensions.get(user)
    if ext is None:
        # Same answer as a wrong password would get after the challenge: do not tell a
        # scanner which users exist. 403 without a challenge is what most PBXs do.
        return Reject(403, "Forbidden", "unknown_user")
    return Challenge(tenant, ext)


def register(snapshot: Snapshot, to_domain: str, to_user: str) -> Challenge | Reject:
    """REGISTER: the tenant is the domain of the AoR (To); the user must be its extension."""
    return _user_of(snapshot, to_domain, to_user)


def caller(snapshot: Snapshot, from_domain: str, from_user: str) -> Challenge | Reject:
    """INVITE from a phone: who must authenticate (tenant = From domain)."""
    return _user_of(snapshot, from_domain, from_user)


def invite_from_phone(
    snapshot: Snapshot,
    tenant: TenantConfig,
    caller_ext: str,
    ruri_user: str,
    ruri_domain: str,
    active_calls: int,
) -> ToWorker | Reject:
    """An authenticated extension dials something. Decide where the call goes.

    ``active_calls`` is the tenant's current number of calls (before this one).
    """
    dest_tenant = snapshot.tenant_for_domain(ruri_domain)
    if dest_tenant is not None and dest_tenant.id != tenant.id:
        # S1: another tenant is never reachable, whatever is dialled.
        return Reject(403, "Forbidden", "cross_tenant")
    if ruri_user not in tenant.extensions:
        return Reject(404, "Not Found", "no_such_number")
    if ruri_user == caller_ext:
        return Reject(486, "Busy Here", "self_call")
    if active_calls >= tenant.max_concurrent_calls:
        return Reject(503, "Concurrent call limit reached", "call_limit")
    return ToWorker(
        tenant_id=tenant.id,
        headers={
            HDR_TENANT: tenant.id,
            HDR_CALLER: caller_ext,
            HDR_CALLEE: ruri_user,
            HDR_KIND: "internal",
            HDR_RECORD: "1" if tenant.record_calls else "0",
        },
    )


def invite_from_worker(
    snapshot: Snapshot, tenant_id: str, ruri_user: str, ruri_domain: str, caller: str = ""
) -> ToContact | Reject:
    """A media worker places the callee leg. Trust it, but stay inside its tenant.

    ``caller`` (header X-PBX-Caller): who the callee's phone should see calling; an
    extension of the tenant gets its display name. An unusable value is ignored.
    """
    tenant = snapshot.tenants.get(tenant_id)
    if tenant is None or tenant.domain != ruri_domain.lower():
        return Reject(403, "Forbidden", "cross_tenant")
    if ruri_user not in tenant.extensions:
        return Reject(404, "Not Found", "no_such_number")
    from_uri = from_display = ""
    if _CALLER_RE.fullmatch(caller):
        from_uri = f"sip:{caller}@{tenant.domain}"
        ext = tenant.extensions.get(caller)
        from_display = ext.display_name if ext is not None else ""
    return ToContact(
        tenant_id=tenant.id, aor=f"{ruri_user}@{tenant.domain}", from_uri=from_uri, from_display=from_display
    )


def in_dialog(from_worker: bool, next_hop_is_worker: bool, next_hop_is_edge: bool = False) -> Reject | None:
    """A request inside a record-routed dialog (loose_route matched).

    Every call is bridged by a media worker, so a phone's in-dialog request can only be
    for a worker; anything else is a forged Route set (relay abuse). A next hop that is
    the edge itself (a phone's outbound-proxy Route in front of the edge's Record-Route)
    loops back and is checked again on that pass. None = relay it.
    """
    if from_worker or next_hop_is_worker or next_hop_is_edge:
        return None
    return NOT_A_WORKER_DIALOG
