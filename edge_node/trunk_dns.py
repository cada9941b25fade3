"""Carrier names resolved by the edge itself, checked and pinned (issue 13: DNS rebinding).

The API refuses a trunk whose host is a loopback, private or metadata address, or a name
that is local by definition (``pbx_core.netpolicy``). A public-looking name can still
resolve to such an address, at once or later (DNS rebinding), and Kamailio, left to resolve
it when it sends, would make the edge a SIP client of whatever listens there. So the agent
resolves every trunk's host name itself, keeps the first address the tenant may use
(``netpolicy.pick_address``: public ones, or any if the provider allowed the tenant private
hosts) and writes it into its own snapshot file as the trunk's ``address``; Kamailio sends
a trunk's requests and REGISTERs to that address only (``routing.trunk_address``) and never
resolves a carrier's name. The names are resolved again every ``refresh_s`` (a carrier that
moves is followed; a name that rebinds to a refused address stops carrying calls at the
next round). A name that resolves to nothing allowed carries no call (503 to the caller,
``trunk_unresolved``) and is logged with the addresses and why; a resolver that fails keeps
the last checked address for ``stale_s`` (a DNS outage does not cut the carrier off).

The system's resolver is used (``/etc/hosts``, ``resolv.conf``), or the name servers the
operator names (``PROBOX_EDGE_DNS``: ``ip[:port],...``, e.g. a validating resolver of the
provider's own; the integration tests point it at a DNS server of their own).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from pbx_core import netpolicy
from pbx_core import snapshot as snapmod

log = logging.getLogger("probox.agent.dns")

# name -> its addresses in the resolver's order ([] = the name does not exist);
# raises OSError when the resolver could not answer
Resolve = Callable[[str], list[str]]


def system_resolver(name: str) -> list[str]:
    """The system's answer (``getaddrinfo``: hosts file, then DNS), IPv4 and IPv6."""
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_DGRAM)
    except socket.gaierror as exc:
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
            return []
        raise OSError(f"resolver: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def nameserver_resolver(servers: list[tuple[str, int]], timeout_s: float = 3.0) -> Resolve:
    """A resolver that asks these name servers only (A, then AAAA records)."""
    import dns.exception  # the edge's own dependency; imported where it is used
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host for host, _ in servers]
    resolver.nameserver_ports = {host: port for host, port in servers}
    resolver.lifetime = timeout_s
    resolver.cache = None  # every round asks again: a rebinding is seen at the next round

    def resolve(name: str) -> list[str]:
        found: list[str] = []
        for rdtype in ("A", "AAAA"):
            try:
                answer = resolver.resolve(name, rdtype, search=False)
            except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
                continue
            except dns.exception.DNSException as exc:
                raise OSError(f"resolver: {exc}") from exc
            found += [str(r.address) for r in answer]
        return found

    return resolve


def parse_servers(spec: str) -> list[tuple[str, int]]:
    """``PROBOX_EDGE_DNS``: ``ip[:port]`` or ``[ipv6]:port``, comma-separated."""
    servers = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        if part.startswith("["):
            host, _, rest = part[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") else 53
        elif part.count(":") == 1:
            host, _, port_text = part.partition(":")
            port = int(port_text)
        else:
            host, port = part, 53
        servers.append((str(ipaddress.ip_address(host)), port))
    if not servers:
        raise ValueError("no name server")
    return servers


@dataclass
class _Known:
    address: str
    at: float  # monotonic time it was resolved and checked


class TrunkPinner:
    """Puts a checked address into every trunk of a snapshot (see the module's text).
    One per agent; its memory is the last good answer per (tenant, trunk, name)."""

    def __init__(self, resolve: Resolve, *, refresh_s: float = 300.0, stale_s: float = 3600.0, threads: int = 8):
        self.resolve = resolve
        self.refresh_s = refresh_s
        self.stale_s = stale_s
        self.threads = threads
        self.pinned_at: float | None = None  # monotonic time of the last round
        self._known: dict[tuple[str, str, str], _Known] = {}

    def due(self, now: float | None = None) -> bool:
        """A round is due (the names' answers may have changed)."""
        return self.pinned_at is None or (now or time.monotonic()) - self.pinned_at >= self.refresh_s

    def pin(self, snap: snapmod.Snapshot) -> snapmod.Snapshot:
        """The snapshot with each trunk's ``address`` set from a fresh resolution ("" where
        none may be used). The addresses the control plane's snapshot carried are ignored."""
        now = time.monotonic()
        names = sorted(
            {
                name
                for tenant in snap.tenants.values()
                for trunk in tenant.trunks.values()
                if (name := _name(trunk.host)) is not None
            }
        )
        answers: dict[str, list[str] | OSError] = {}
        if names:
            with ThreadPoolExecutor(max_workers=min(self.threads, len(names)), thread_name_prefix="dns") as pool:
                for name, answer in zip(names, pool.map(self._ask, names), strict=True):
                    answers[name] = answer
        tenants = []
        known: dict[tuple[str, str, str], _Known] = {}
        for tenant in snap.tenants.values():
            trunks = {}
            for trunk_id, trunk in tenant.trunks.items():
                address = self._address(tenant, trunk, answers, known, now)
                trunks[trunk_id] = replace(trunk, address=address)
            tenants.append(replace(tenant, trunks=trunks))
        self._known = known  # trunks gone from the snapshot are forgotten
        self.pinned_at = now
        return snapmod.build(snap.version, tenants, snap.edge_id)

    def _ask(self, name: str) -> list[str] | OSError:
        try:
            return self.resolve(name)
        except OSError as exc:
            return exc

    def _address(
        self,
        tenant: snapmod.TenantConfig,
        trunk: snapmod.TrunkConfig,
        answers: dict[str, list[str] | OSError],
        known: dict[tuple[str, str, str], _Known],
        now: float,
    ) -> str:
        ctx = {"tenant_id": tenant.id, "trunk_id": trunk.id, "host": trunk.host}
        name = _name(trunk.host)
        if name is None:
            literal = [trunk.host.strip().strip("[]")]
            address, refused = netpolicy.pick_address(literal, tenant.allow_private_trunk_hosts)
            if address is None:
                log.error("trunk host refused: %s", refused, extra=ctx)
            return address or ""
        key = (tenant.id, trunk.id, name)
        answer = answers[name]
        if isinstance(answer, OSError):
            last = self._known.get(key)
            if last is not None and now - last.at < self.stale_s:
                known[key] = last
                log.warning("trunk name not resolved, keeping %s: %s", last.address, answer, extra=ctx)
                return last.address
            log.error("trunk name not resolved, no calls through it: %s", answer, extra=ctx)
            return ""
        address, refused = netpolicy.pick_address(answer, tenant.allow_private_trunk_hosts)
        if refused:
            # a public name answering a private address: a misconfiguration or a rebinding
            log.warning("trunk name resolves to refused addresses: %s", refused, extra=ctx)
        if address is None:
            log.error("trunk name resolves to no address it may use (%s), no calls through it", answer, extra=ctx)
            return ""
        previous = self._known.get(key)
        if previous is not None and previous.address != address:
            log.info("trunk address changed from %s to %s", previous.address, address, extra=ctx)
        known[key] = _Known(address, now)
        return address


def _name(host: str) -> str | None:
    """The name to resolve for a trunk's host (normalised), None for an address literal."""
    return None if netpolicy.is_address(host) else host.strip().rstrip(".").lower()
