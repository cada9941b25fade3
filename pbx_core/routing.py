"""Routing decisions for the edge: what Kamailio should do with a REGISTER or an INVITE.

The KEMI script extracts plain values from the SIP message, calls these functions, and
applies the returned decision. Nothing here touches SIP or the network.

Every call is bridged by a media worker (it records and writes the CDR):

* phone -> edge: :func:`caller` (who must authenticate), then :func:`invite_from_phone`
  (an extension, a branch short number or a public number) -> :class:`ToWorker`;
* carrier trunk -> edge: :func:`trunk_caller` (is the source a trunk, which tenant owns
  the dialled DID), then :func:`invite_from_trunk` -> :class:`ToWorker`;
* worker -> edge (the callee leg): :func:`invite_from_worker` -> :class:`ToContact` (an
  extension, looked up in usrloc) or :class:`ToTrunk` (a public number, out through the
  tenant's carrier trunk).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from pbx_core import defaults, netpolicy, numbers
from pbx_core.edgesig import HDR_SIG, uri_header_value
from pbx_core.numbers import PhoneNumber
from pbx_core.snapshot import ExtensionConfig, NumberConfig, Snapshot, TenantConfig, TrunkConfig

# Headers the edge uses to pass a trusted decision to the media worker. Kamailio removes
# any of them arriving from a phone or a carrier, so only the edge can set them.
HDR_TENANT = "X-PBX-Tenant"
HDR_CALLER = "X-PBX-Caller"
HDR_CALLEE = "X-PBX-Callee"
HDR_KIND = "X-PBX-Kind"
HDR_LIMIT = "X-PBX-Limit"
HDR_RECORD = "X-PBX-Record"
HDR_DOMAIN = "X-PBX-Domain"  # the tenant's SIP domain: the worker places the callee leg in it
# For the CDR only (the worker copies them into it): what was dialled, the branch of the
# extension, and the trunk and DID of an external call.
HDR_DIALLED = "X-PBX-Dialled"
HDR_BRANCH = "X-PBX-Branch"
HDR_TRUNK = "X-PBX-Trunk"
HDR_DID = "X-PBX-DID"
# F5: the worker's bridge a callee leg belongs to (worker -> edge, so the edge can find the
# ringing call), and the bridge a pickup leg is for (edge -> worker).
HDR_BRIDGE = "X-PBX-Bridge"
# For the CDR and the toll-fraud guard (issue 14 item 5): where a phone's INVITE came from and
# the software it names (its User-Agent), as the edge saw them (edge -> worker, signed).
HDR_SOURCE = "X-PBX-Source"
HDR_AGENT = "X-PBX-Agent"
AGENT_MAX = 200
# Issue 16: the call-center queue (its id) a call is for; the worker holds the caller in it.
# The call keeps its kind (internal from a phone, inbound from a trunk: the CDR's direction).
HDR_QUEUE = "X-PBX-Queue"
# HDR_SIG (pbx_core.edgesig): the edge's HMAC over the decision it sends to a worker.
TRUSTED_HEADERS = (
    HDR_TENANT, HDR_CALLER, HDR_CALLEE, HDR_KIND, HDR_LIMIT, HDR_RECORD, HDR_DOMAIN,
    HDR_DIALLED, HDR_BRANCH, HDR_TRUNK, HDR_DID, HDR_BRIDGE, HDR_SOURCE, HDR_AGENT, HDR_QUEUE, HDR_SIG,
)  # fmt: skip
REASON_HEADER = "X-PBX-Reason"

# X-PBX-Kind values (the CDR's direction is the kind of the caller's leg).
KIND_INTERNAL = "internal"
KIND_OUTBOUND = "outbound"
KIND_INBOUND = "inbound"
KIND_PICKUP = "pickup"  # F5: a phone answering a colleague's ringing call
KIND_TRANSFER = "transfer"  # F3/F4: a leg a worker places for a REFER

# Issue 16: an agent (a member of a queue) sets its status from its phone; the worker
# answers, applies it to the queues at once and says so; the control plane learns it from
# the queue log. Not counted against the tenant's calls (a few seconds, no other party).
AGENT_CODES = {"*71": ("ready", ""), "*72": ("logged_out", ""), "*73": ("paused", "phone"), "*74": ("ready", "")}

# F5 dial codes: group pickup, and directed pickup followed by an extension (**102).
PICKUP_GROUP_CODE = "*8"
PICKUP_DIRECTED_PREFIX = "**"

ANONYMOUS = "anonymous"  # X-PBX-Caller of an inbound call without a usable caller id

# ExtensionConfig.outbound: "internal_only" may call extensions (and emergency numbers)
# only; any other value ("national") may call out, subject to the tenant's S4 policy.
OUTBOUND_INTERNAL_ONLY = "internal_only"


@dataclass(frozen=True)
class Reject:
    code: int
    reason: str
    slug: str  # stable; sent in X-PBX-Reason only to authenticated phones, carriers and workers


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
    """Send the call to a media worker with these trusted headers.

    ``counted``: the leg is one of the tenant's calls (profile ``tenant_calls``); a phone's
    call to a public number is counted on its leg to the trunk instead (every trunk leg
    counts, see :func:`trunk_leg_limits`). ``trunk_key``: a carrier's call also takes one of
    that trunk's channels (``tenant_id/trunk_id``, profile ``trunk_calls``).
    """

    tenant_id: str
    headers: dict[str, str] = field(default_factory=dict)
    counted: bool = True
    trunk_key: str = ""


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


@dataclass(frozen=True)
class ToTrunk:
    """A leg placed by a worker towards the public network, through a carrier trunk.

    The edge sets the Request-URI and the destination, replaces From (the tenant's DID)
    and To, adds P-Asserted-Identity, and answers the carrier's 401/407 with the trunk's
    credentials when it has some.
    """

    tenant_id: str
    trunk_id: str
    number: PhoneNumber
    caller_id: str  # the DID shown to the called party (national form)
    ruri: str  # sip:<carrier_format(number)>@<trunk host[:port]>
    dst_uri: str  # sip:<host>:<port>;transport=<udp|tcp|tls>
    from_uri: str  # sip:<caller_id>@<trunk host>
    to_uri: str  # sip:<carrier_format(number)>@<trunk host>
    pai: str  # P-Asserted-Identity value

    @property
    def trunk_key(self) -> str:
        """``tenant_id/trunk_id``: what the failure route needs to find the credentials."""
        return f"{self.tenant_id}/{self.trunk_id}"


@dataclass(frozen=True)
class Inbound:
    """A carrier's INVITE from a known trunk for a DID of ``tenant``."""

    tenant: TenantConfig
    trunk: TrunkConfig
    did: NumberConfig


@dataclass(frozen=True)
class Registration:
    """A registration trunk the edge keeps registered with its carrier (uac_reg)."""

    uuid: str  # local id (the user of the Contact the carrier calls back)
    username: str  # account at the carrier (To/From user, auth user)
    domain: str  # registrar host[:port] (Request-URI of the REGISTER)
    password: str
    proxy: str  # where the REGISTER is sent: sip:host:port;transport=...
    expires: int = 600


# Fixed answers of the edge that do not depend on the tenant data.
NO_CONFIG = Reject(503, "Service Unavailable", "no_config")  # no snapshot loaded yet
NO_WORKER = Reject(503, "Service Unavailable", "no_worker")  # no media worker available
NOT_REGISTERED = Reject(480, "Temporarily Unavailable", "not_registered")
BAD_CREDENTIALS = Reject(403, "Forbidden", "bad_credentials")  # wrong password / auth user
METHOD_NOT_ALLOWED = Reject(405, "Method Not Allowed", "method_not_allowed")
NOT_A_WORKER_DIALOG = Reject(403, "Forbidden", "not_a_worker_dialog")
CROSS_TENANT = Reject(403, "Forbidden", "cross_tenant")
NO_SUCH_NUMBER = Reject(404, "Not Found", "no_such_number")
SELF_CALL = Reject(486, "Busy Here", "self_call")
CALL_LIMIT = Reject(503, "Concurrent call limit reached", "call_limit")
TENANT_SUSPENDED = Reject(403, "Tenant suspended", "tenant_suspended")
INTERNATIONAL_BLOCKED = Reject(403, "International calls are not allowed", "international_blocked")
PREMIUM_BLOCKED = Reject(403, "Premium-rate numbers are not allowed", "premium_blocked")
OUTBOUND_NOT_ALLOWED = Reject(403, "Outbound calls are not allowed", "outbound_not_allowed")
FRAUD_HOLD = Reject(403, "Outbound calls are suspended", "fraud_hold")
BLOCKED_OUT = Reject(403, "Number blocked", "blocked")
# the trunk's host name resolved to no address the tenant may use, or not yet (issue 13)
TRUNK_UNRESOLVED = Reject(503, "No route to the public network", "trunk_unresolved")
BLOCKED_IN = Reject(603, "Decline", "blocked")
NO_TRUNK = Reject(503, "No route to the public network", "no_trunk")
DID_NOT_ROUTED = Reject(480, "Temporarily Unavailable", "not_routed")
BAD_SDP = Reject(488, "Not Acceptable Here", "bad_sdp")
DMQ_FORBIDDEN = Reject(403, "Forbidden", "not_a_dmq_node")
NOTHING_TO_PICK_UP = Reject(480, "No ringing call to pick up", "nothing_to_pick_up")
PICKUP_NOT_ALLOWED = Reject(403, "Not in the same pickup group", "pickup_not_allowed")
NO_SUCH_CALL = Reject(481, "Call/Transaction Does Not Exist", "no_such_call")
TRUNK_BUSY = Reject(503, "All trunk channels busy", "trunk_busy")
# REFER: the request's From/To are not the parties of the dialog it is sent in, or the
# dialog has no transferring extension (a carrier's leg).
NOT_A_PARTY = Reject(403, "Not a party of this call", "not_a_party")
TRANSFER_NOT_ALLOWED = Reject(403, "Transfer not allowed", "transfer_not_allowed")

# A caller id the worker may ask the edge to show: an extension or a phone number.
_CALLER_RE = re.compile(r"\+?[0-9A-Za-z*#._-]{1,64}")
_UUID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class Decoy:
    """An account that does not exist or may not be used (unknown domain, unknown user,
    suspended tenant): challenged exactly like a real account, then refused whatever the
    credentials, with the answer a wrong password gets (``BAD_CREDENTIALS``, issue 14).
    ``slug`` is for the logs and the security events only, never for the wire."""

    realm: str
    slug: str  # unknown_domain | unknown_user | tenant_suspended
    tenant_id: str = ""
    user: str = ""


UNKNOWN_DOMAIN = "unknown_domain"
UNKNOWN_USER = "unknown_user"
_REALM_UNSAFE = re.compile(r"[^a-z0-9.-]")


def decoy_realm(domain: str) -> str:
    """The realm an unknown domain is challenged with: the domain asked for, as a token
    (a tenant's own realm is its domain, which is already one)."""
    return _REALM_UNSAFE.sub("", domain.lower())[:128] or "sip"


def _user_of(snapshot: Snapshot, domain: str, user: str) -> Challenge | Decoy:
    tenant = snapshot.tenant_for_domain(domain)
    if tenant is None:
        return Decoy(decoy_realm(domain), UNKNOWN_DOMAIN, user=user)
    if not tenant.active:
        return Decoy(tenant.domain, TENANT_SUSPENDED.slug, tenant.id, user)
    ext = tenant.extensions.get(user)
    if ext is None:
        return Decoy(tenant.domain, UNKNOWN_USER, tenant.id, user)
    return Challenge(tenant, ext)


def register(snapshot: Snapshot, to_domain: str, to_user: str) -> Challenge | Decoy:
    """REGISTER: the tenant is the domain of the AoR (To); the user must be its extension
    (else a decoy: the same challenge, then 403 whatever the answer)."""
    return _user_of(snapshot, to_domain, to_user)


def caller(snapshot: Snapshot, from_domain: str, from_user: str) -> Challenge | Decoy:
    """INVITE from a phone: who must authenticate (tenant = From domain)."""
    return _user_of(snapshot, from_domain, from_user)


# ---------------------------------------------------------------------------------------
# dial plan inside a tenant


def internal_target(tenant: TenantConfig, dialled: str) -> str | None:
    """The extension ``dialled`` reaches inside the tenant, or None.

    An extension number reaches that extension; F6: a branch prefix followed by an
    extension of that branch reaches it too (``8`` + ``101``). Emergency numbers are never
    internal, even if an extension has the same digits.
    """
    if dialled in numbers.EMERGENCY_NUMBERS:
        return None
    if dialled in tenant.extensions:
        return dialled
    for branch in sorted(tenant.branches.values(), key=lambda b: (-len(b.prefix), b.id)):
        if branch.prefix and dialled.startswith(branch.prefix):
            ext = tenant.extensions.get(dialled[len(branch.prefix) :])
            if ext is not None and ext.branch_id == branch.id:
                return ext.number
    return None


def is_blocked(tenant: TenantConfig, number: PhoneNumber | None, direction: str, extension: str = "") -> bool:
    """F10: is ``number`` (None = anonymous) blocked for ``direction`` ("in"/"out")?
    Rules without an extension cover the whole tenant; the others only that extension."""
    for rule in tenant.blocklist:
        if rule.direction not in (direction, "both"):
            continue
        if rule.extension and rule.extension != extension:
            continue
        if numbers.matches(rule.pattern, number):
            return True
    return False


def held(ext: ExtensionConfig | None, now: int | None = None) -> bool:
    """The toll-fraud guard holds the extension's outside calls (issue 14 item 5): a
    suspension until lifted, or a pause until ``outbound_hold_until`` (without ``now``, a
    pause counts as in force)."""
    if ext is None or not ext.outbound_hold:
        return False
    return ext.outbound_hold_until <= 0 or now is None or now < ext.outbound_hold_until


def outbound_policy(
    tenant: TenantConfig, ext: ExtensionConfig | None, number: PhoneNumber, now: int | None = None
) -> Reject | None:
    """S4 + F10 for a call to a public number; None = allowed.

    Emergency numbers are always allowed. Otherwise: an extension the fraud guard holds
    and an ``internal_only`` extension may not call out, international destinations need
    the tenant's opt-in, 1900 premium numbers too, and the tenant's and the extension's
    outbound block rules apply.
    """
    if number.kind == numbers.EMERGENCY:
        return None
    if held(ext, now):
        return FRAUD_HOLD
    if ext is not None and ext.outbound == OUTBOUND_INTERNAL_ONLY:
        return OUTBOUND_NOT_ALLOWED
    if number.kind == numbers.INTERNATIONAL and not tenant.outbound_policy.international:
        return INTERNATIONAL_BLOCKED
    if number.kind == numbers.PREMIUM and not tenant.outbound_policy.premium_1900:
        return PREMIUM_BLOCKED
    if is_blocked(tenant, number, "out", ext.number if ext is not None else ""):
        return BLOCKED_OUT
    return None


@dataclass(frozen=True)
class OutboundRoute:
    trunk: TrunkConfig
    caller_id: str


def outbound_route(tenant: TenantConfig, ext: ExtensionConfig | None) -> OutboundRoute | None:
    """The trunk a call of ``ext`` leaves through and the DID it shows.

    The DID is the extension's ``caller_id``, else the tenant's ``default_caller_id``
    (each only if the tenant owns it), else the first DID of the trunk. The trunk is the
    DID's trunk (carriers only accept their own numbers as caller id), else the tenant's
    first trunk. None = the tenant has no trunk.
    """
    did = ""
    for candidate in (ext.caller_id if ext is not None else "", tenant.default_caller_id):
        n = numbers.parse(candidate) if candidate else None
        key = n.national if n is not None else candidate
        if key and key in tenant.numbers:
            did = key
            break
    trunk = tenant.trunks.get(tenant.numbers[did].trunk_id) if did else None
    if trunk is None:
        if not tenant.trunks:
            return None
        trunk = tenant.trunks[min(tenant.trunks)]
        if not did:
            own = sorted(n.number for n in tenant.numbers.values() if n.trunk_id == trunk.id)
            did = own[0] if own else (trunk.username or ANONYMOUS)
    return OutboundRoute(trunk, did)


def _to_worker(
    tenant: TenantConfig,
    caller_id: str,
    callee: str,
    kind: str,
    *,
    cdr: dict[str, str] | None = None,
    counted: bool = True,
    trunk_key: str = "",
) -> ToWorker:
    headers = {
        HDR_TENANT: tenant.id,
        HDR_CALLER: caller_id,
        HDR_CALLEE: callee,
        HDR_KIND: kind,
        HDR_RECORD: "1" if tenant.record_calls else "0",
        HDR_DOMAIN: tenant.domain,
    }
    # Only safe token characters reach a header value (dialled digits come from a phone).
    headers.update({k: v for k, v in (cdr or {}).items() if v and _CALLER_RE.fullmatch(v)})
    return ToWorker(tenant_id=tenant.id, headers=headers, counted=counted, trunk_key=trunk_key)


def invite_from_phone(
    snapshot: Snapshot,
    tenant: TenantConfig,
    caller_ext: str,
    ruri_user: str,
    ruri_domain: str,
    active_calls: int,
    now: int | None = None,
) -> ToWorker | Reject:
    """An authenticated extension dials something. Decide where the call goes.

    ``active_calls`` is the tenant's current number of calls (before this one). The limit
    does not stop emergency calls (they are counted all the same).
    """
    dest_tenant = snapshot.tenant_for_domain(ruri_domain)
    if dest_tenant is not None and dest_tenant.id != tenant.id:
        # S1: another tenant is never reachable, whatever is dialled.
        return CROSS_TENANT
    ext = tenant.extensions.get(caller_ext)
    if ruri_user in AGENT_CODES:
        if not any(m.extension == caller_ext for q in tenant.queues.values() for m in q.members):
            return NO_SUCH_NUMBER  # not an agent of any queue: nothing to log in to
        return _to_worker(tenant, caller_ext, ruri_user, KIND_INTERNAL, cdr={HDR_DIALLED: ruri_user}, counted=False)
    queue = tenant.queue_by_number(ruri_user) if ruri_user not in numbers.EMERGENCY_NUMBERS else None
    if queue is not None:
        if active_calls >= tenant.max_concurrent_calls:
            return CALL_LIMIT
        branch = ext.branch_id if ext is not None else ""
        cdr = {HDR_DIALLED: ruri_user, HDR_BRANCH: branch, HDR_QUEUE: queue.id}
        return _to_worker(tenant, caller_ext, queue.number, KIND_INTERNAL, cdr=cdr)
    target = internal_target(tenant, ruri_user)
    if target is not None:
        if target == caller_ext:
            return SELF_CALL
        if active_calls >= tenant.max_concurrent_calls:
            return CALL_LIMIT
        branch = ext.branch_id if ext is not None else ""
        return _to_worker(tenant, caller_ext, target, KIND_INTERNAL, cdr={HDR_DIALLED: ruri_user, HDR_BRANCH: branch})
    number = numbers.parse(ruri_user)
    if number is None:
        return NO_SUCH_NUMBER
    refused = outbound_policy(tenant, ext, number, now)
    if refused is not None:
        return refused
    route = outbound_route(tenant, ext)
    if route is None:
        return NO_TRUNK
    if trunk_address(tenant, route.trunk) is None:
        return TRUNK_UNRESOLVED
    if active_calls >= tenant.max_concurrent_calls and number.kind != numbers.EMERGENCY:
        return CALL_LIMIT
    cdr = {
        HDR_DIALLED: ruri_user,
        HDR_BRANCH: ext.branch_id if ext is not None else "",
        HDR_TRUNK: route.trunk.id,
        HDR_DID: route.caller_id,
    }
    # Counted on the worker's leg to the trunk (invite_from_worker + trunk_leg_limits),
    # which lasts as long as the outside call, also after a transfer.
    return _to_worker(tenant, caller_ext, number.national, KIND_OUTBOUND, cdr=cdr, counted=False)


# ---------------------------------------------------------------------------------------
# F5 call pickup


@dataclass(frozen=True)
class Pickup:
    """A phone dialled a pickup code: answer a ringing call of one of ``candidates``
    (extensions of the picker's pickup group, or the one extension of a directed pickup)."""

    tenant_id: str
    picker: str
    candidates: tuple[str, ...]
    directed: bool


@dataclass(frozen=True)
class Ringing:
    """A worker's callee leg ringing an extension (the edge keeps one per extension)."""

    extension: str
    worker: str  # sip:ip:port of the worker that holds the bridge
    bridge: str  # the worker's bridge key (X-PBX-Bridge)
    leg_call_id: str  # Call-ID of the ringing leg (to forget the right entry)
    since_ms: int


def pickup(tenant: TenantConfig, picker: str, dialled: str) -> Pickup | Reject | None:
    """F5: ``*8`` picks up a call ringing in the picker's pickup group; ``**`` + extension
    (or a branch short number) picks up that extension's ringing call. Both stay inside the
    tenant and the pickup group: an extension without a group cannot pick up, and nobody
    can pick up a phone outside their group. None = not a pickup code."""
    if dialled == PICKUP_GROUP_CODE:
        directed = False
    elif dialled.startswith(PICKUP_DIRECTED_PREFIX) and len(dialled) > len(PICKUP_DIRECTED_PREFIX):
        directed = True
    else:
        return None
    ext = tenant.extensions.get(picker)
    if ext is None or not ext.pickup_group:
        return PICKUP_NOT_ALLOWED
    if directed:
        target = internal_target(tenant, dialled[len(PICKUP_DIRECTED_PREFIX) :])
        if target is None:
            return NO_SUCH_NUMBER
        if target == picker:
            return NOTHING_TO_PICK_UP
        if tenant.extensions[target].pickup_group != ext.pickup_group:
            return PICKUP_NOT_ALLOWED
        candidates: tuple[str, ...] = (target,)
    else:
        candidates = tuple(
            sorted(n for n, e in tenant.extensions.items() if e.pickup_group == ext.pickup_group and n != picker)
        )
    return Pickup(tenant.id, picker, candidates, directed)


_TOKEN_RE = re.compile(r"[A-Za-z0-9._@-]{1,200}")


def is_safe_token(value: str) -> bool:
    """A worker's bridge key as the edge accepts it (pbx_core.cdr.safe_call_id, ASCII)."""
    return _TOKEN_RE.fullmatch(value) is not None


def ringing_key(tenant_id: str, extension: str) -> str:
    return f"{tenant_id}/{extension}"


def ringing_value(worker: str, bridge: str, leg_call_id: str, since_ms: int) -> str:
    return f"{worker}|{bridge}|{leg_call_id}|{since_ms}"


def parse_ringing(extension: str, value: str | None) -> Ringing | None:
    if not value:
        return None
    parts = value.split("|")
    if len(parts) != 4 or not parts[3].isdigit():
        return None
    return Ringing(extension, parts[0], parts[1], parts[2], int(parts[3]))


def pick_ringing(entries: list[Ringing]) -> Ringing | None:
    """The call to pick up: the one ringing longest (then by extension, for ties)."""
    return min(entries, key=lambda r: (r.since_ms, r.extension), default=None)


def pickup_headers(p: Pickup, call: Ringing) -> dict[str, str]:
    """Trusted headers of the picker's INVITE to the worker holding the ringing call."""
    return {
        HDR_TENANT: p.tenant_id,
        HDR_CALLER: p.picker,
        HDR_CALLEE: call.extension,
        HDR_KIND: KIND_PICKUP,
        HDR_BRIDGE: call.bridge,
    }


# ---------------------------------------------------------------------------------------
# carrier trunks


@dataclass(frozen=True)
class _Source:
    tenant: TenantConfig
    trunk: TrunkConfig
    port: int | None  # None = any source port


@dataclass
class _SourceIndex:
    exact: dict[str, list[_Source]] = field(default_factory=dict)
    networks: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, _Source]] = field(default_factory=list)


_index_cache: tuple[Snapshot, _SourceIndex] | None = None


def _parse_source(spec: str) -> tuple[str, int | None] | ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """``1.2.3.4`` (any port), ``1.2.3.4:5060``, ``[2001:db8::1]:5060``, ``2001:db8::1``
    or a network ``1.2.3.0/24``; None = unusable."""
    s = spec.strip()
    try:
        if "/" in s:
            return ipaddress.ip_network(s, strict=False)
        if s.startswith("["):
            host, _, rest = s[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") else None
            return (str(ipaddress.ip_address(host)), port)
        if s.count(":") == 1:
            host, _, port_text = s.partition(":")
            return (str(ipaddress.ip_address(host)), int(port_text))
        return (str(ipaddress.ip_address(s)), None)
    except ValueError:
        return None


def _source_index(snapshot: Snapshot) -> _SourceIndex:
    """Trunk source addresses of every active tenant, built once per snapshot."""
    global _index_cache
    if _index_cache is not None and _index_cache[0] is snapshot:
        return _index_cache[1]
    index = _SourceIndex()
    for tenant in snapshot.tenants.values():
        if not tenant.active:
            continue
        for trunk in tenant.trunks.values():
            # no listed sources: the carrier's own address, as checked for sending (issue 13)
            address = trunk_address(tenant, trunk)
            host = f"[{address}]" if address and ":" in address else address
            specs = list(trunk.ips) or ([f"{host}:{trunk.port}"] if address else [])
            for spec in specs:
                parsed = _parse_source(spec)
                if isinstance(parsed, tuple):
                    index.exact.setdefault(parsed[0], []).append(_Source(tenant, trunk, parsed[1]))
                elif parsed is not None:
                    index.networks.append((parsed, _Source(tenant, trunk, None)))
    _index_cache = (snapshot, index)
    return index


def trunk_sources(snapshot: Snapshot, ip: str, port: int) -> list[tuple[TenantConfig, TrunkConfig]]:
    """The (tenant, trunk) pairs whose accepted source addresses include ``ip:port``:
    the trunk's ``ips`` (``ip``, ``ip:port`` or a network), or its ``host:port`` when it
    lists none. Several tenants may share one carrier address."""
    index = _source_index(snapshot)
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return []
    found = [(s.tenant, s.trunk) for s in index.exact.get(str(addr), []) if s.port in (None, port)]
    found += [(s.tenant, s.trunk) for net, s in index.networks if addr in net]
    seen: set[tuple[str, str]] = set()
    unique = []
    for t, k in found:
        if (t.id, k.id) not in seen:
            seen.add((t.id, k.id))
            unique.append((t, k))
    return unique


def trunk_caller(
    snapshot: Snapshot, src_ip: str, src_port: int, from_domain: str, ruri_user: str, to_user: str
) -> Inbound | Reject | None:
    """An INVITE that is not from a worker: is it a carrier's call, and for whom?

    None = not from a trunk address (or its From is one of our tenants' domains: a phone
    behind the carrier's address), so the phone path applies. Otherwise the dialled DID
    (the Request-URI user, else the To user: registration trunks call our Contact) must
    belong to a tenant whose trunk matched the source, and be assigned to that trunk.
    """
    sources = trunk_sources(snapshot, src_ip, src_port)
    if not sources or snapshot.tenant_for_domain(from_domain) is not None:
        return None
    for dialled in (ruri_user, to_user):
        number = numbers.parse_caller(dialled) if dialled else None
        if number is None:
            continue
        for tenant, trunk in sources:
            did = tenant.numbers.get(number.national)
            if did is not None and did.trunk_id in ("", trunk.id):
                return Inbound(tenant, trunk, did)
    return NO_SUCH_NUMBER


def invite_from_trunk(inbound: Inbound, from_user: str, active_calls: int, trunk_calls: int = 0) -> ToWorker | Reject:
    """F2 in: a carrier's call to a DID goes to the extension the DID is routed to,
    unless the caller is blocked (F10, before any phone rings), the tenant is at its
    concurrent-call limit (F11) or the trunk's channels are all taken (``trunk_calls``:
    its legs now, both ways)."""
    tenant = inbound.tenant
    if not tenant.active:
        return TENANT_SUSPENDED
    queue = tenant.queue_by_number(inbound.did.route_to) if inbound.did.route_to else None
    target = tenant.extensions.get(inbound.did.route_to)
    if target is None and queue is None:
        return DID_NOT_ROUTED
    presented = numbers.parse_caller(from_user) if from_user else None
    if is_blocked(tenant, presented, "in", target.number if target is not None else ""):
        return BLOCKED_IN
    if active_calls >= tenant.max_concurrent_calls:
        return CALL_LIMIT
    if trunk_calls >= inbound.trunk.channels:
        return TRUNK_BUSY
    caller_id = presented.national if presented is not None else ANONYMOUS
    cdr = {
        HDR_DIALLED: inbound.did.number,
        HDR_BRANCH: target.branch_id if target is not None else "",
        HDR_TRUNK: inbound.trunk.id,
        HDR_DID: inbound.did.number,
    }
    key = trunk_key(tenant.id, inbound.trunk.id)
    if queue is not None:  # a queue's number wins over an extension's (the API keeps them apart)
        cdr[HDR_QUEUE] = queue.id
        return _to_worker(tenant, caller_id, queue.number, KIND_INBOUND, cdr=cdr, trunk_key=key)
    assert target is not None
    return _to_worker(tenant, caller_id, target.number, KIND_INBOUND, cdr=cdr, trunk_key=key)


# ---------------------------------------------------------------------------------------
# Issue 17 item 4: a known customer's call rings the contact's owner first

OWNER_RING_S = 15.0  # how long the owner's phone rings before the call goes where it would


def owner_first(tenant: TenantConfig, owner_user_id: str, target: str, queue_id: str = "") -> str | None:
    """The extension to ring first for a call from a contact owned by ``owner_user_id``, or
    None: no owner, the owner has no extension (or it is gone), or the call is
    for the owner's extension anyway. ``target`` is the extension the call would ring
    (its DID's route); a queue call (``queue_id``) always tries the owner first, then joins
    the queue as a caller who arrived then."""
    ext_number = tenant.user_extensions.get(owner_user_id) if owner_user_id else None
    ext = tenant.extensions.get(ext_number) if ext_number else None
    if ext is None:  # no extension, or not in the snapshot (a disabled one is not)
        return None
    if not queue_id and ext.number == target:
        return None
    return ext.number


# ---------------------------------------------------------------------------------------
# values from the configuration on their way into SIP headers: the API validates them, the
# edge does not count on it (a CR/LF there would be a header of its own, issue 13 item 6)

# RFC 3261 user: unreserved / user-unreserved, without the ";?/" that end a user part for
# naive parsers. Everything else (spaces, quotes, <>, @, CR, LF...) is %-escaped.
_USER_SAFE = re.compile(r"[A-Za-z0-9\-_.!~*'()&=+$,]")
_ACCOUNT_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()&=+$,]{1,128}")
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME_RE = re.compile(rf"(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*")


def uri_user(value: str) -> str:
    """``value`` as the user part of a SIP URI: characters outside the safe set %-escaped
    (a control character, a quote or a ``>`` can never end the URI or the header)."""
    if _ACCOUNT_RE.fullmatch(value):
        return value
    return "".join(c if _USER_SAFE.fullmatch(c) else "".join(f"%{b:02X}" for b in c.encode()) for c in value)


def safe_host(host: str) -> bool:
    """A host name or an IP address literal, nothing that could leave a URI."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return _HOSTNAME_RE.fullmatch(host) is not None


def safe_account(value: str) -> bool:
    """An account name (a trunk's username) that can go into a URI and a digest header
    as it is."""
    return _ACCOUNT_RE.fullmatch(value) is not None


def trunk_key(tenant_id: str, trunk_id: str) -> str:
    """The value of a trunk's legs in profile ``trunk_calls`` (trunk ids are per tenant)."""
    return f"{tenant_id}/{trunk_id}"


def trunk_leg_limits(
    tenant: TenantConfig, trunk_id: str, number: PhoneNumber, active_calls: int, trunk_calls: int
) -> Reject | None:
    """A leg out through a trunk (a phone's outside call, or a transfer to an outside
    number, F4) counts against the tenant's plan (F11) and the trunk's channels, like a
    carrier's call in. ``active_calls``/``trunk_calls``: the counts before this leg.
    Emergency calls always go (S4). None = place it."""
    if number.kind == numbers.EMERGENCY:
        return None
    if active_calls >= tenant.max_concurrent_calls:
        return CALL_LIMIT
    trunk = tenant.trunks.get(trunk_id)
    if trunk is not None and trunk_calls >= trunk.channels:
        return TRUNK_BUSY
    return None


def _hostport(trunk: TrunkConfig) -> str:
    host = f"[{trunk.host}]" if ":" in trunk.host else trunk.host
    return host if trunk.port == defaults.SIP_PORT else f"{host}:{trunk.port}"


def trunk_address(tenant: TenantConfig, trunk: TrunkConfig) -> str | None:
    """The IP address the edge sends a trunk's requests to, never a name (issue 13, DNS
    rebinding): the one the edge agent resolved, checked and pinned (``trunk.address``), or
    the host itself when it is an address the tenant may use (``netpolicy``). None = no
    address: a name not (yet) resolved to an allowed address; the trunk carries no call."""
    if trunk.address:
        return trunk.address
    host = trunk.host.strip("[]")
    return host if netpolicy.address_refusal_for(host, tenant.allow_private_trunk_hosts) is None else None


def _dst_uri(trunk: TrunkConfig, address: str) -> str:
    """Where a trunk's request goes: its pinned address (Kamailio resolves nothing), the
    trunk's port and transport; the Request-URI keeps the carrier's host name."""
    host = f"[{address}]" if ":" in address else address
    transport = trunk.transport.lower() if trunk.transport.lower() in ("udp", "tcp", "tls") else "udp"
    return f"sip:{host}:{trunk.port};transport={transport}"


def to_trunk(tenant: TenantConfig, route: OutboundRoute, number: PhoneNumber, address: str) -> ToTrunk:
    """The leg towards the carrier at ``address`` (``trunk_address``). The trunk's host must
    be ``safe_host`` (the caller checks); the caller id (a DID, or the trunk's username) is
    escaped as a URI user."""
    trunk = route.trunk
    user = uri_user(numbers.carrier_format(number))
    host = _hostport(trunk)
    caller = uri_user(route.caller_id)
    return ToTrunk(
        tenant_id=tenant.id,
        trunk_id=trunk.id,
        number=number,
        caller_id=route.caller_id,
        ruri=f"sip:{user}@{host}",
        dst_uri=_dst_uri(trunk, address),
        from_uri=f"sip:{caller}@{host}",
        to_uri=f"sip:{user}@{host}",
        pai=f"<sip:{caller}@{host}>",
    )


def trunk_registrations(snapshot: Snapshot) -> list[Registration]:
    """Every registration trunk of an active tenant that has credentials. A trunk whose
    username or host could not go into a REGISTER as they are (``safe_account``,
    ``safe_host``: the API refuses them) is left out rather than put on the wire."""
    out = []
    for tenant in sorted(snapshot.tenants.values(), key=lambda t: t.id):
        if not tenant.active:
            continue
        for trunk in sorted(tenant.trunks.values(), key=lambda k: k.id):
            if trunk.auth != "register" or not trunk.username or not trunk.password:
                continue
            address = trunk_address(tenant, trunk)
            if not safe_account(trunk.username) or not safe_host(trunk.host) or address is None:
                continue
            uuid = _UUID_UNSAFE.sub("_", f"{tenant.id}.{trunk.id}")
            out.append(Registration(uuid, trunk.username, _hostport(trunk), trunk.password, _dst_uri(trunk, address)))
    return out


def trunk_credentials(snapshot: Snapshot, trunk_key: str) -> tuple[str, str] | None:
    """(username, password) of ``tenant_id/trunk_id`` for answering a carrier's 401/407;
    None also for a username that cannot go into the Authorization header as it is."""
    tenant_id, _, trunk_id = trunk_key.partition("/")
    tenant = snapshot.tenants.get(tenant_id)
    trunk = tenant.trunks.get(trunk_id) if tenant is not None else None
    if trunk is None or not trunk.username or not trunk.password or not safe_account(trunk.username):
        return None
    return trunk.username, trunk.password


# ---------------------------------------------------------------------------------------
# callee legs placed by workers


def invite_from_worker(
    snapshot: Snapshot, tenant_id: str, ruri_user: str, ruri_domain: str, caller: str = "", now: int | None = None
) -> ToContact | ToTrunk | Reject:
    """A media worker places the callee leg. Trust it, but stay inside its tenant.

    ``caller`` (header X-PBX-Caller): who the callee should see calling. Towards a phone,
    an extension of the tenant gets its display name; an unusable value is ignored.
    Towards a trunk, the caller's DID is shown, and the S4/F10 outbound rules are checked
    again (a transfer to an external number is placed here too).
    """
    tenant = snapshot.tenants.get(tenant_id)
    if tenant is None or tenant.domain != ruri_domain.lower():
        return CROSS_TENANT
    target = internal_target(tenant, ruri_user)
    if target is not None:
        from_uri = from_display = ""
        if _CALLER_RE.fullmatch(caller):
            from_uri = f"sip:{caller}@{tenant.domain}"
            ext = tenant.extensions.get(caller)
            from_display = ext.display_name if ext is not None else ""
        return ToContact(
            tenant_id=tenant.id, aor=f"{target}@{tenant.domain}", from_uri=from_uri, from_display=from_display
        )
    number = numbers.parse(ruri_user)
    if number is None:
        return NO_SUCH_NUMBER
    caller_ext = tenant.extensions.get(caller)
    refused = outbound_policy(tenant, caller_ext, number, now)
    if refused is not None:
        return refused
    route = outbound_route(tenant, caller_ext)
    if route is None or not safe_host(route.trunk.host):
        return NO_TRUNK
    address = trunk_address(tenant, route.trunk)
    if address is None:
        return TRUNK_UNRESOLVED
    return to_trunk(tenant, route, number, address)


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


_REPLACES_RE = re.compile(r"[A-Za-z0-9%._@:+!~*'()-]{1,400}")
_TAG_RE = re.compile(r"[A-Za-z0-9%._@:+!~*'()-]{1,200}")


@dataclass(frozen=True)
class Party:
    """A phone's side of one of its dialogs with the edge, as the edge authenticated it
    (the caller's INVITE) or placed it (a worker's leg to the phone). Kept in the dialog
    (``encode``, a dialog variable) for the phone's in-dialog REFER: nothing in a REFER
    itself is authenticated."""

    extension: str  # the phone's extension: the transferor of its REFERs
    own_user: str  # the user of the phone's own URI in this dialog (From of its requests)
    peer_user: str  # the user of the other side's URI as the phone sees it (their To)
    other: str = ""  # the call's other party (extension or number, "" = unknown)

    def encode(self) -> str:
        # "|" never appears in these users as the edge accepts them; a value that has one
        # makes parse_party fail, so such a dialog may not transfer (fails closed).
        return f"{self.extension}|{self.own_user}|{self.peer_user}|{self.other}"


def parse_party(value: str) -> Party | None:
    parts = value.split("|") if value else []
    if len(parts) != 4:
        return None
    return Party(*parts)


@dataclass(frozen=True)
class OutsideLeg:
    """The trunk leg a transfer to a public number will need (its limits are checked)."""

    trunk_id: str
    number: PhoneNumber


@dataclass(frozen=True)
class Transfer:
    """The Refer-To the worker must dial, before the edge signs it
    (``pbx_core.edgesig.refer_to_uri``): the target ``user@domain`` and the decision as
    URI headers (values escaped as they are written), and the outside leg it needs."""

    tenant_id: str
    target: str
    headers: tuple[tuple[str, str], ...]
    outside: OutsideLeg | None = None


def refer_to(
    snapshot: Snapshot,
    tenant_id: str,
    party: Party | None,
    *,
    from_user: str,
    from_domain: str,
    to_user: str,
    target_user: str,
    target_domain: str,
    replaces: str = "",
    now: int | None = None,
) -> Transfer | Reject:
    """F3/F4 transfer: a phone in a call (its REFER goes to the media worker) asks to send
    the other party on. Decides the Refer-To the worker must dial: the target with the
    edge's decision headers as URI headers (pjsip puts them on the INVITE it sends for the
    transfer, RFC 3261 §19.1.1), so the new leg is trusted, stays in the tenant and shows
    the transferred party as the caller.

    Who transfers comes from the dialog (``tenant_id`` and ``party``, stored when its
    INVITE was authenticated or placed), never from the REFER: its From/To must be the
    dialog's parties (else ``NOT_A_PARTY``), and the transferor's own outbound rights and
    the transferred party's both apply to an outside target (S4, F10; an
    ``internal_only`` extension cannot transfer out).

    Blind: the new leg is checked again by ``invite_from_worker`` (extension, branch short
    number, or outside number with the S4 and F10 rules). Attended (``replaces``: the
    escaped Replaces URI header of the Refer-To, naming the transferor's consultation
    call): the edge routes the new leg to the worker holding that call, which puts it in
    the place of the transferor's leg; the target user is not used for routing.
    """
    if party is None or not party.extension:
        return TRANSFER_NOT_ALLOWED
    tenant = snapshot.tenants.get(tenant_id)
    if tenant is None:
        return CROSS_TENANT
    if not tenant.active:
        return TENANT_SUSPENDED
    if from_domain.lower() != tenant.domain or (from_user, to_user) != (party.own_user, party.peer_user):
        return NOT_A_PARTY
    if target_domain and snapshot.tenant_for_domain(target_domain) not in (None, tenant):
        return CROSS_TENANT
    other = party.other if _CALLER_RE.fullmatch(party.other) else ""
    decision = [(HDR_TENANT, tenant.id), (HDR_KIND, KIND_TRANSFER)] + ([(HDR_CALLER, other)] if other else [])
    headers = tuple((name, uri_header_value(value)) for name, value in decision)
    number_like = re.fullmatch(r"\+?[0-9*#]{2,20}", target_user) is not None
    if replaces:
        if not _REPLACES_RE.fullmatch(replaces):
            return NO_SUCH_CALL
        # The user only names the target in the CDR (phones put the AoR or a Contact here).
        user = target_user.replace("#", "%23") if number_like else "transfer"
        return Transfer(tenant.id, f"{user}@{tenant.domain}", (("Replaces", replaces), *headers))
    if not number_like:
        return NO_SUCH_NUMBER
    outside = None
    if internal_target(tenant, target_user) is None:
        # Refused now, to the transferor, rather than after the REFER was accepted: an
        # unknown number, or an outside number the transferor or the transferred party
        # may not call (S4, F10; invite_from_worker checks the party again).
        number = numbers.parse(target_user)
        if number is None:
            return NO_SUCH_NUMBER
        for who in sorted({party.extension, other}):
            refused = outbound_policy(tenant, tenant.extensions.get(who), number, now)
            if refused is not None:
                return refused
        route = outbound_route(tenant, tenant.extensions.get(other))
        if route is None or not safe_host(route.trunk.host):
            return NO_TRUNK
        if trunk_address(tenant, route.trunk) is None:
            return TRUNK_UNRESOLVED
        outside = OutsideLeg(route.trunk.id, number)
    return Transfer(tenant.id, f"{target_user.replace('#', '%23')}@{tenant.domain}", headers, outside)


@dataclass(frozen=True)
class ReplacesRef:
    """The dialog an INVITE with Replaces (RFC 3891) names."""

    call_id: str
    to_tag: str
    from_tag: str


def parse_replaces(value: str) -> ReplacesRef | None:
    """``callid;to-tag=x;from-tag=y`` (order of the parameters free); None = unusable."""
    call_id, *params = [p.strip() for p in value.strip().split(";")]
    tags: dict[str, str] = {}
    for param in params:
        name, _, v = param.partition("=")
        tags[name.strip().lower()] = v.strip()
    to_tag, from_tag = tags.get("to-tag", ""), tags.get("from-tag", "")
    if not (call_id and _REPLACES_RE.fullmatch(call_id) and _TAG_RE.fullmatch(to_tag) and _TAG_RE.fullmatch(from_tag)):
        return None
    return ReplacesRef(call_id, to_tag, from_tag)


def refer_replaces(refer_to_value: str) -> str:
    """The escaped Replaces URI header of a Refer-To value, or ""."""
    uri = refer_to_value.strip()
    if "<" in uri:
        uri = uri.split("<", 1)[1].split(">", 1)[0]
    _, _, query = uri.partition("?")
    for part in query.split("&"):
        name, _, value = part.partition("=")
        if name.strip().lower() == "replaces":
            return value.strip()
    return ""


def split_sip_uri(value: str) -> tuple[str, str]:
    """(user, host) of a SIP URI possibly in <...> with parameters or headers."""
    uri = value.strip()
    if "<" in uri:
        uri = uri.split("<", 1)[1].split(">", 1)[0]
    if ":" in uri:
        uri = uri.split(":", 1)[1]
    uri = uri.split("?", 1)[0]
    user, at, host = uri.partition("@")
    if not at:
        user, host = "", user
    return user.split(";", 1)[0], host.split(";", 1)[0].split(":", 1)[0].lower()
