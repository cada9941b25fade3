"""The edge's signature on its decisions to the media workers (HMAC-SHA256, per-edge key).

Kamailio tells a worker what a call is (tenant, caller, callee, kind...) in ``X-PBX-*``
headers. A worker must act only on decisions its own edge took: besides accepting SIP
only from the edge's address, it checks ``X-PBX-Sig``, an HMAC over

  * the Call-ID of the request (a signature is good for one call only),
  * the time it was made (seconds; accepted within ``REPLAY_WINDOW_S``),
  * the names and values of the signed headers, in the order the signature lists them.

The value is ``1.<unix time>.<names joined by ~>.<base64url MAC>``: only characters that
need no escaping in a header value or in a URI header of a Refer-To (a REFER's decision
travels as URI headers, RFC 3261 §19.1.1, and covers the target as the pseudo header
``refer-to``). The worker takes the decision from the signed headers only; any other
``X-PBX-*`` header is ignored.

The key is 32 random bytes, kept hex-encoded in a file of the edge (mode 0600) that
Kamailio and the edge's workers read (see docs/edge.md); ``new_key_text``/``parse_key``
are the file's format. Pure: the caller passes the key, the Call-ID and the time.
"""

from __future__ import annotations

import base64
import functools
import hmac
import ipaddress
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

HDR_SIG = "X-PBX-Sig"
VERSION = "1"
KEY_BYTES = 32
REPLAY_WINDOW_S = 60  # each way: the edge and its workers keep their clocks in sync (NTP)
REFER_TO = "refer-to"  # pseudo header: the target (user@host) of a signed Refer-To
REPLACES = "replaces"  # the Replaces URI header of an attended transfer's Refer-To

_NAME_RE = re.compile(r"[a-z0-9-]{1,64}")
_CONTEXT = "probox-edge-decision"


def new_key_text() -> str:
    """A new key in the key file's format (hex, one line)."""
    return secrets.token_hex(KEY_BYTES) + "\n"


def parse_key(data: str | bytes) -> bytes:
    """The key in a key file's text; ValueError when it is not at least 32 bytes of hex."""
    text = data.decode("ascii", errors="replace") if isinstance(data, bytes) else data
    try:
        key = bytes.fromhex(text.strip())
    except ValueError as exc:
        raise ValueError("edge key: not hex") from exc
    if len(key) < KEY_BYTES:
        raise ValueError(f"edge key: {len(key)} bytes, at least {KEY_BYTES} needed")
    return key


def _mac(key: bytes, call_id: str, at: int, items: Sequence[tuple[str, str]]) -> str:
    text = "\n".join((_CONTEXT, call_id, str(at), *(f"{name}={value}" for name, value in items)))
    digest = hmac.digest(key, text.encode(), "sha256")
    return base64.urlsafe_b64encode(digest)[:43].decode("ascii")  # 32 bytes: 43 characters + "="


@functools.lru_cache(maxsize=64)  # the few header names the edge signs, checked once
def _signed_name(name: str) -> str:
    low = name.lower()
    if not _NAME_RE.fullmatch(low):
        raise ValueError(f"cannot sign a header named {name!r}")
    return low


def sign(key: bytes, call_id: str, items: Sequence[tuple[str, str]], now: int) -> str:
    """The signature value over ``items`` (header name, value) for the request ``call_id``
    made at ``now``. Values must be what the receiver reads (trimmed, no CR/LF). Runs on
    every INVITE the edge sends a worker: a few microseconds (hmac is OpenSSL's)."""
    named = [(_signed_name(name), value.strip()) for name, value in items]
    for name, value in named:
        if "\n" in value or "\r" in value:
            raise ValueError(f"cannot sign a value of {name} with a line break")
    names = "~".join([name for name, _ in named])
    return f"{VERSION}.{now}.{names}.{_mac(key, call_id, now, named)}"


@dataclass(frozen=True)
class Verified:
    """A decision that passed: the signed headers (lower-case names) and the signature."""

    values: dict[str, str] = field(default_factory=dict)
    signature: str = ""


def verify(
    key: bytes,
    call_id: str,
    signature: str,
    lookup: Callable[[str], list[str]],
    now: int,
    window: int = REPLAY_WINDOW_S,
) -> Verified | str:
    """Check ``signature`` for the request ``call_id``: ``lookup(name)`` gives every value
    of a header (or pseudo header) in the request. The signed values, or why not:
    ``unsigned``, ``malformed``, ``stale``, ``ambiguous`` (a signed header missing or
    repeated), ``bad_mac``."""
    if not signature:
        return "unsigned"
    parts = signature.strip().split(".")
    if len(parts) != 4 or parts[0] != VERSION or not parts[1].isdigit() or not parts[2]:
        return "malformed"
    at = int(parts[1])
    if abs(now - at) > window:
        return "stale"
    names = parts[2].split("~")
    if len(set(names)) != len(names) or not all(_NAME_RE.fullmatch(n) for n in names):
        return "malformed"
    items = []
    for name in names:
        values = lookup(name)
        if len(values) != 1:
            return "ambiguous"
        items.append((name, values[0].strip()))
    if not hmac.compare_digest(_mac(key, call_id, at, items), parts[3]):
        return "bad_mac"
    return Verified(dict(items), signature.strip())


class SeenSignatures:
    """Signatures a worker has already acted on, for the replay window: an INVITE sent
    again with the same signature (a replay; pjsip absorbs real retransmissions before
    the application sees them) is refused. Bounded; the caller passes the time."""

    def __init__(self, window: int = REPLAY_WINDOW_S, limit: int = 100_000) -> None:
        self.window = window
        self.limit = limit
        self._seen: dict[str, int] = {}  # signature -> until (insertion order = age)

    def first_time(self, signature: str, now: int) -> bool:
        """True the first time ``signature`` is seen within the window (then remembered)."""
        if len(self._seen) >= self.limit or (self._seen and next(iter(self._seen.values())) < now):
            self._seen = {s: t for s, t in self._seen.items() if t >= now}
            while len(self._seen) >= self.limit:
                del self._seen[next(iter(self._seen))]
        if self._seen.get(signature, -1) >= now:
            return False
        self._seen[signature] = now + 2 * self.window
        return True


# ---------------------------------------------------------------------------------------
# a signed Refer-To: <sip:target?Replaces=..&X-PBX-...=..&X-PBX-Sig=..>

_URI_SAFE = re.compile(r"[A-Za-z0-9._~*!'()+:@$-]*")


def uri_header_value(value: str) -> str:
    """``value`` escaped for a URI header (RFC 3261 hvalue): anything else as %XX."""
    if _URI_SAFE.fullmatch(value):
        return value
    return "".join(c if _URI_SAFE.fullmatch(c) else "".join(f"%{b:02X}" for b in c.encode()) for c in value)


def refer_to_uri(target: str, headers: Sequence[tuple[str, str]], signature: str) -> str:
    """The Refer-To value for ``target`` (``user@host``, escaped) with the decision's URI
    headers (values as they must appear: already escaped where needed) and the signature."""
    query = "&".join(f"{name}={value}" for name, value in (*headers, (HDR_SIG, signature)))
    return f"<sip:{target}?{query}>"


@dataclass(frozen=True)
class ReferTo:
    """A Refer-To value as a worker reads it: the target (``user@host``, as written) and
    its URI headers (names lower-case, values as written)."""

    target: str
    headers: tuple[tuple[str, str], ...]

    def all(self, name: str) -> list[str]:
        key = name.lower()
        if key == REFER_TO:
            return [self.target]
        return [v for k, v in self.headers if k == key]


def read_refer_to(value: str) -> ReferTo:
    uri = value.strip()
    if "<" in uri:
        uri = uri.split("<", 1)[1].split(">", 1)[0]
    if uri.lower().startswith("sip:"):
        uri = uri[4:]
    target, _, query = uri.partition("?")
    target = target.split(";", 1)[0]
    headers = []
    for part in query.split("&") if query else ():
        name, _, val = part.partition("=")
        headers.append((name.strip().lower(), val.strip()))
    return ReferTo(target, tuple(headers))


# ---------------------------------------------------------------------------------------
# where a worker accepts SIP from


@dataclass(frozen=True)
class Source:
    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    port: int | None  # None = any port


def parse_sources(specs: Sequence[str]) -> tuple[Source, ...]:
    """``ip``, ``ip:port``, ``[v6]:port`` or a network ``a.b.c.d/n``; ValueError otherwise."""
    out = []
    for raw in specs:
        spec = raw.strip()
        if not spec:
            continue
        port: int | None = None
        if spec.startswith("["):
            host, _, rest = spec[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") else None
        elif spec.count(":") == 1:
            host, _, p = spec.partition(":")
            port = int(p)
        else:
            host = spec
        out.append(Source(ipaddress.ip_network(host, strict=False), port))
    if not out:
        raise ValueError("no trusted source")
    return tuple(out)


def split_address(addr: str) -> tuple[str, int]:
    """``ip:port`` or ``[v6]:port`` (pjsua's SipRxData.srcAddress) -> (ip, port)."""
    if addr.startswith("["):
        host, _, rest = addr[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else 0
    host, _, port = addr.rpartition(":")
    return host, int(port) if port.isdigit() else 0


def source_allowed(addr: str, allowed: Sequence[Source]) -> bool:
    try:
        host, port = split_address(addr)
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(ip in s.network and s.port in (None, port) for s in allowed)
