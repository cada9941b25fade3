"""Which addresses are in Vietnam (S4: extensions are not used from abroad).

The data is a real public country database, never a hand-written table. The edge's
refresh job (``edge_node.country_db``) reads one of the formats below and writes the
*country file* the KEMI script loads: the home country's ranges (and, for tests and
labs, other countries' ranges inside loopback or private space), one ``first,last,CC`` a
line, with ``#`` comment lines naming the source and its date.

Formats read (``parse``):

* Tor's ``geoip`` / ``geoip6`` (Debian ``tor-geoipdb``, converted from the IPFire
  Location database): ``INTLOW,INTHIGH,CC`` (IPv4 as integers) or ``IPLOW,IPHIGH,CC``;
* DB-IP Lite country CSV: ``first,last,CC`` (addresses);
* the RIRs' delegated statistics (APNIC ``delegated-apnic-extended-latest`` and the
  others): ``registry|CC|ipv4|first|count|date|status`` and
  ``registry|CC|ipv6|prefix|length|date|status``;
* the country file itself.

Lookups (``CountryFile.where``): ``home`` (in the home country's ranges), ``abroad``
(listed with another country, or a public address in no range), ``local`` (loopback,
private or link-local and not listed: a lab or a site edge, never refused).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pbx_core.firewall import Networks, is_local

HOME = "VN"
WHERE_HOME = "home"
WHERE_ABROAD = "abroad"
WHERE_LOCAL = "local"


@dataclass(frozen=True)
class Span:
    version: int
    first: int
    last: int
    country: str


def _addr(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    try:
        if text.isdigit():
            return ipaddress.IPv4Address(int(text))
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def parse(text: str) -> Iterator[Span]:
    """Every range of a country database in one of the formats above (bad lines skipped)."""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "|" in line:
            span = _rir(line.split("|"))
        else:
            span = _csv(line.split(","))
        if span is not None:
            yield span


def _csv(parts: list[str]) -> Span | None:
    if len(parts) < 3:
        return None
    if parts[0].isdigit() and parts[1].isdigit():  # tor's IPv4 file: integers (fast path)
        cc = parts[2].strip().upper()
        low, high = int(parts[0]), int(parts[1])
        return Span(4, low, high, cc) if len(cc) == 2 and low <= high < 1 << 32 else None
    first, last = _addr(parts[0]), _addr(parts[1])
    cc = parts[2].strip().strip('"').upper()
    if first is None or last is None or first.version != last.version or len(cc) != 2 or int(last) < int(first):
        return None
    return Span(first.version, int(first), int(last), cc)


def _rir(parts: list[str]) -> Span | None:
    if len(parts) < 7 or parts[2] not in ("ipv4", "ipv6") or parts[6] not in ("allocated", "assigned"):
        return None
    cc, start = parts[1].upper(), _addr(parts[3])
    if start is None or len(cc) != 2 or not parts[4].isdigit():
        return None
    if parts[2] == "ipv4":
        return Span(4, int(start), int(start) + int(parts[4]) - 1, cc)
    net = ipaddress.ip_network(f"{start}/{parts[4]}", strict=False)
    return Span(6, int(net.network_address), int(net.broadcast_address), cc)


# loopback, private, link-local (and 0/8): where a test may declare addresses abroad
_LOCAL_SPACE = Networks.of(
    ["0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "::1/128",
     "fc00::/7", "fe80::/10"]
)  # fmt: skip


def _in_local_space(span: Span) -> bool:
    return _LOCAL_SPACE.contains_int(span.version, span.first)


def compile_file(spans: Iterable[Span], *, home: str = HOME, source: str = "", generated: str = "") -> str:
    """The country file: the home country's ranges, and other countries' ranges only where
    they are in loopback or private space (a test declaring 127.0.0.9 abroad)."""
    lines = [f"# ProBox country file: {home} ranges", f"# source: {source}", f"# generated: {generated}"]
    for s in spans:
        if s.country != home and (not s.country.isalpha() or not _in_local_space(s)):
            continue  # another country (or "??", unknown): only in loopback/private space
        cls = ipaddress.IPv4Address if s.version == 4 else ipaddress.IPv6Address
        lines.append(f"{cls(s.first)},{cls(s.last)},{s.country}")
    return "\n".join(lines) + "\n"


@dataclass
class CountryFile:
    """The loaded country file: where an address is (``where``), memoised per address."""

    home: Networks = field(default_factory=Networks)
    other: Networks = field(default_factory=Networks)
    source: str = ""
    _memo: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, text: str, home: str = HOME) -> CountryFile:
        spans = list(parse(text))
        source = next((ln[9:].strip() for ln in text.splitlines() if ln.startswith("# source:")), "")
        return cls(
            Networks((s.version, s.first, s.last) for s in spans if s.country == home),
            Networks((s.version, s.first, s.last) for s in spans if s.country != home),
            source,
        )

    def where(self, ip: str) -> str:
        found = self._memo.get(ip)
        if found is None:
            if ip in self.home:
                found = WHERE_HOME
            elif ip in self.other:
                found = WHERE_ABROAD
            else:
                found = WHERE_LOCAL if is_local(ip) else WHERE_ABROAD
            if len(self._memo) > 65536:
                self._memo.clear()
            self._memo[ip] = found
        return found
