"""The edge's firewall, its decisions (S2, S4): what is a scanner, how bad events score, how
long a ban lasts, which network a source belongs to, which addresses are in Vietnam, and
the block lists it imports. Pure: the KEMI script (kemi_scripts/firewall.py) keeps the
counters in Kamailio's shared tables and asks these functions what to do with them.

Scoring (docs/security.md, "The edge's firewall"):

* **Strangers** (a source from which no account ever registered): every real
  authentication failure and every request naming an unknown user or domain is one
  point; at ``Policy.stranger_points`` the source is banned.
* **Learned networks** (a /24, or /64, from which an account registered successfully
  before): an account's failures there are counted per account and source; at
  ``Policy.account_failures`` that account is *held* from that network (its requests
  refused like a wrong password; the tenant admin is told) while the other phones behind
  the same address go on. The network as a whole is banned only at
  ``Policy.learned_points`` (many accounts failing: an attack from inside, not a stale
  password).
* **Scanners** (a scanner's User-Agent) and **floods** (Kamailio's pike: more than
  ``flood_per_second`` requests a second from one address) are banned at once.

Bans and holds grow on repeat: ``BAN_LADDER`` (1 min, 10 min, 1 h, 1 day), counted over
the last week.
"""

from __future__ import annotations

import bisect
import functools
import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------
# what a ban is

BAN_LADDER = (60, 600, 3600, 86400)  # seconds: first ban, second, third, fourth and later
STRIKE_MEMORY = 7 * 86400  # bans of the last week make the next one longer

REASON_SCANNER = "scanner"
REASON_FLOOD = "flood"
REASON_AUTH = "auth_failures"  # wrong passwords
REASON_PROBING = "probing"  # unknown users or domains (enumeration)
REASON_ABROAD = "abroad"  # S4: outside Vietnam (refused; scored like a failure)
REASON_BLOCKLIST = "blocklist"  # an imported reputation list or a provider's ban
REASONS = (REASON_SCANNER, REASON_FLOOD, REASON_AUTH, REASON_PROBING, REASON_ABROAD, REASON_BLOCKLIST)

# Words for a tenant admin (English; the console has them in Vietnamese too).
REASON_TEXT = {
    REASON_SCANNER: "The address ran a known SIP scanning tool ({evidence}).",
    REASON_FLOOD: "The address sent more requests than any phone does ({evidence}).",
    REASON_AUTH: "Wrong passwords were tried from this address ({evidence}).",
    REASON_PROBING: "The address asked for extensions or domains that do not exist ({evidence}).",
    REASON_ABROAD: "The address is outside Vietnam ({evidence}).",
    REASON_BLOCKLIST: "The address is on a block list ({evidence}).",
}


def ban_seconds(strike: int) -> int:
    """How long the ``strike``-th ban (1 = first) of a source lasts."""
    return BAN_LADDER[max(0, min(strike, len(BAN_LADDER)) - 1)]


def explain(reason: str, evidence: str) -> str:
    """A ban's reason in words a tenant admin understands."""
    return REASON_TEXT.get(reason, "{evidence}").format(evidence=evidence or "no detail")


@dataclass(frozen=True)
class Ban:
    """A ban as the edge stores it (Kamailio htable value ``reason|strike|until|evidence``)."""

    reason: str
    strike: int
    until: int  # unix time
    evidence: str = ""

    def encode(self) -> str:
        return f"{self.reason}|{self.strike}|{self.until}|{_clean(self.evidence, 200)}"


def parse_ban(value: object) -> Ban | None:
    if not isinstance(value, str) or value.count("|") < 3:
        return None
    reason, strike, until, evidence = value.split("|", 3)
    try:
        return Ban(reason, int(strike), int(until), evidence)
    except ValueError:
        return None


def _clean(text: str, limit: int) -> str:
    return "".join(c if c.isprintable() and c != "|" else "?" for c in text)[:limit]


# ---------------------------------------------------------------------------------------
# policy


@dataclass(frozen=True)
class Policy:
    """The thresholds (per edge node; bans and holds are shared by all nodes)."""

    stranger_points: int = 5  # failures + unknown-user requests of a stranger -> ban
    account_failures: int = 5  # failures of one account from one learned network -> hold
    learned_points: int = 30  # failures from a learned network, all accounts -> ban
    score_window: int = 600  # seconds without a bad event after which points are forgotten
    learned_days: int = 30  # a network stays learned this long after the last success


DEFAULT_POLICY = Policy()


@dataclass(frozen=True)
class Verdict:
    """What one bad event leads to: nothing yet, a hold of the account, or a ban."""

    action: str  # "none" | "hold" | "ban"
    reason: str = ""


NOTHING = Verdict("none")


def judge(policy: Policy, reason: str, learned: bool, source_points: int, account_failures: int) -> Verdict:
    """A bad event was counted: ``source_points`` of the source (this one included) and,
    from a learned network, ``account_failures`` of the account there."""
    if not learned:
        return Verdict("ban", reason) if source_points >= policy.stranger_points else NOTHING
    if source_points >= policy.learned_points:
        return Verdict("ban", reason)
    if reason == REASON_AUTH and account_failures >= policy.account_failures:
        return Verdict("hold", reason)
    return NOTHING


# ---------------------------------------------------------------------------------------
# scanners

# User-Agents of SIP scanning and war-dialling tools (sipvicious: friendly-scanner, its
# default; sipcli; sundayddr; SIPScan...), matched as words, case-insensitively.
SCANNER_AGENTS = (
    "friendly-scanner", "sipvicious", "sipcli", "sundayddr", "sip-scan", "sipscan", "iwar",
    "vaxsipuseragent", "pplsip", "siparmyknife", "sipptk", "smap", "voipbuster", "nmap",
    "masscan", "zgrab", "sip scanner",
)  # fmt: skip
_SCANNER_RE = re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(a) for a in SCANNER_AGENTS) + r")(?![a-z0-9])")


def scanner(user_agent: str) -> str:
    """The scanner a User-Agent names ("" = none)."""
    if not user_agent:
        return ""
    m = _SCANNER_RE.search(user_agent.lower())
    return m.group(1) if m else ""


# ---------------------------------------------------------------------------------------
# networks


@functools.lru_cache(maxsize=65536)  # on every authentication: ipaddress takes ~20 us, this ~1 us
def network_of(ip: str) -> str:
    """The network an address is learned as: its /24 (IPv4) or /64 (IPv6)."""
    try:
        packed = socket.inet_pton(socket.AF_INET, ip)
        return socket.inet_ntop(socket.AF_INET, packed[:3] + b"\0") + "/24"
    except OSError:
        pass
    try:
        packed = socket.inet_pton(socket.AF_INET6, ip)
    except (OSError, ValueError):
        return ip
    return socket.inet_ntop(socket.AF_INET6, packed[:8] + bytes(8)) + "/64"


def address_int(ip: str) -> tuple[int, int] | None:
    """(IP version, the address as an integer), or None; ~10x faster than ipaddress."""
    try:
        return 4, int.from_bytes(socket.inet_pton(socket.AF_INET, ip), "big")
    except OSError:
        pass
    try:
        return 6, int.from_bytes(socket.inet_pton(socket.AF_INET6, ip), "big")
    except (OSError, ValueError):
        return None


def is_local(ip: str) -> bool:
    """Loopback, private or link-local: not on the public internet (no country)."""
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return addr.is_loopback or addr.is_private or addr.is_link_local


class Networks:
    """A set of networks (block lists, trusted networks, country ranges) for fast lookups:
    sorted, merged integer ranges searched with bisect (IPv4 and IPv6 apart)."""

    def __init__(self, ranges: Iterable[tuple[int, int, int]] = ()) -> None:
        by_version: dict[int, list[tuple[int, int]]] = {4: [], 6: []}
        for version, low, high in ranges:
            by_version[version].append((low, high))
        self._starts: dict[int, list[int]] = {}
        self._ends: dict[int, list[int]] = {}
        self.size = 0
        for version, spans in by_version.items():
            merged: list[tuple[int, int]] = []
            for low, high in sorted(spans):
                if merged and low <= merged[-1][1] + 1:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], high))
                else:
                    merged.append((low, high))
            self._starts[version] = [s for s, _ in merged]
            self._ends[version] = [e for _, e in merged]
            self.size += len(merged)

    def __contains__(self, ip: object) -> bool:
        parsed = address_int(ip) if isinstance(ip, str) else None
        return parsed is not None and self.contains_int(*parsed)

    def contains_int(self, version: int, n: int) -> bool:
        starts = self._starts[version]
        i = bisect.bisect_right(starts, n) - 1
        return i >= 0 and n <= self._ends[version][i]

    def __len__(self) -> int:
        return self.size

    @classmethod
    def of(cls, specs: Iterable[str]) -> Networks:
        """From addresses and CIDRs (invalid entries are skipped)."""
        return cls(r for r in (_range(s) for s in specs) if r is not None)


def _range(spec: str) -> tuple[int, int, int] | None:
    try:
        net = ipaddress.ip_network(spec.strip(), strict=False)
    except ValueError:
        return None
    return net.version, int(net.network_address), int(net.broadcast_address)


def parse_blocklist(text: str) -> list[str]:
    """A plain block list as APIBAN and CrowdSec export them: one address or CIDR a line,
    ``#`` comments, blank lines; anything else is skipped. Returns normalised CIDRs."""
    out: list[str] = []
    for line in text.splitlines():
        item = line.split("#", 1)[0].strip().split()
        if not item:
            continue
        try:
            out.append(str(ipaddress.ip_network(item[0], strict=False)))
        except ValueError:
            continue
    return out
