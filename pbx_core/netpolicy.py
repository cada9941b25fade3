"""Which addresses a tenant's carrier trunk may name (issue 13, item 6).

A trunk's ``host`` is where the edge sends a tenant's outside calls, and its ``ips`` are the
sources the edge believes are that carrier. Pointed at the edge's own loopback, the private
network it shares with the media workers, or a cloud metadata address, a trunk would turn
the edge into a tenant-controlled SIP client inside the provider's network (and an IP-auth
trunk whose source is ``127.0.0.1`` would make the workers' own traffic look like the
carrier's). So a trunk names public addresses and public names only, unless the provider
allows private ones for a tenant (a carrier reached over a private link or VPN).

Refused: loopback, RFC 1918 and carrier-grade NAT (100.64.0.0/10), link-local (the
169.254.169.254 metadata address), unspecified, multicast, reserved and benchmarking
ranges, the IETF protocol block 192.0.0.0/24; names that are local by definition
(``localhost``, ``*.local``, ``*.internal``...), single-label names, and names that a
resolver would read as a number (``127.1``, ``2130706433``, ``0x7f000001``). The
documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are allowed: they are
routed nowhere, and examples and tests use them.

A name is checked again where it is used: the edge agent resolves each trunk's name itself,
keeps the first address ``pick_address`` allows and pins it as the trunk's ``address``
(Kamailio sends there and never resolves the name), and does it again every few minutes,
so a name that resolves, or later rebinds, to a private address reaches nothing
(``edge_node.trunk_dns``).
Pure functions, standard library only.
"""

from __future__ import annotations

import ipaddress

LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".lan", ".home.arpa", ".intranet")
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

_REFUSED_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local: the cloud metadata service
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments (some clouds' metadata aliases)
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
    )
)


def address_refusal(address: str) -> str | None:
    """Why ``address`` (an IPv4 or IPv6 literal) may not be a trunk's, or None if it may."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return address_refusal(str(ip.ipv4_mapped))
        if ip.is_loopback:
            return "a loopback address"
        if ip.is_link_local:
            return "a link-local address"
        if ip.is_private or ip.is_unspecified or ip.is_multicast or ip.is_reserved or ip.is_site_local:
            return "a private or reserved address"
        return None
    for net in _REFUSED_V4:
        if ip in net:
            if net.network_address == ipaddress.IPv4Address("127.0.0.0"):
                return "a loopback address"
            if net.network_address == ipaddress.IPv4Address("169.254.0.0"):
                return "a link-local address (cloud metadata)"
            return "a private or reserved address"
    return None


def _is_dotted_quad(host: str) -> bool:
    parts = host.split(".")
    return len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and (p == "0" or not p.startswith("0")) for p in parts)


def host_refusal(host: str) -> str | None:
    """Why ``host`` (a name or an IPv4 literal) may not be a trunk's host, or None if it may."""
    name = host.strip().lower().rstrip(".")
    if not name:
        return "empty"
    if _is_dotted_quad(name):
        return address_refusal(name)
    if ":" in name:
        return address_refusal(name.strip("[]"))
    if name in LOCAL_NAMES or name.endswith(LOCAL_SUFFIXES):
        return "a local name"
    labels = name.split(".")
    if len(labels) < 2:
        return "not a fully qualified name"
    # a resolver reads "127.1", "2130706433" or "0x7f.1" as an address: the last label of
    # a real name has a letter and is not a hexadecimal number
    last = labels[-1]
    if not any(c.isalpha() for c in last) or all(_numeric_label(label) for label in labels):
        return "a number, not a name"
    return None


def _numeric_label(label: str) -> bool:
    if label.isdigit():
        return True
    lowered = label.lower()
    if lowered.startswith("0x"):
        return all(c in "0123456789abcdef" for c in lowered[2:])
    return False


def pick_address(addresses: list[str] | tuple[str, ...], allow_private: bool) -> tuple[str | None, dict[str, str]]:
    """The address of a trunk's host name to send to, out of what the name resolved to (in
    the resolver's order): the first that ``address_refusal`` allows, or the first valid one
    when the tenant may use private hosts; and address -> reason for each one refused. A
    name that also resolves to a refused address is not refused as a whole: the pinned
    address is the one checked, and the others are never used."""
    refused: dict[str, str] = {}
    for address in addresses:
        reason = address_refusal_for(address, allow_private)
        if reason is not None:
            refused[address] = reason
            continue
        return str(ipaddress.ip_address(address)), refused
    return None, refused


def is_address(host: str) -> bool:
    """``host`` is an IP address literal (IPv6 with or without brackets), not a name."""
    try:
        ipaddress.ip_address(host.strip().strip("[]"))
    except ValueError:
        return False
    return True


def address_refusal_for(address: str, allow_private: bool) -> str | None:
    """``address_refusal`` for a tenant: one the provider allowed private hosts may use any
    valid address; nobody may use something that is not an address."""
    reason = address_refusal(address)
    if reason is not None and allow_private and is_address(address):
        return None
    return reason


def trunk_refusals(host: str, ips: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Field -> reason for each part of a trunk that names a refused address ({} if none):
    ``host``, and ``ips.<n>`` for the n-th carrier source address."""
    refusals: dict[str, str] = {}
    reason = host_refusal(host)
    if reason is not None:
        refusals["host"] = reason
    for n, address in enumerate(ips):
        reason = address_refusal(address)
        if reason is not None:
            refusals[f"ips.{n}"] = reason
    return refusals
