"""One webhook attempt over HTTP(S), with the receiver's address checked at send time.

A webhook URL is a tenant's choice, and the control plane sends to it from inside the
provider's network: pointed at loopback, a private network or the cloud metadata address, a
webhook would make the control plane a tenant-controlled client there (SSRF). So, unless
the provider allows private receivers (``PROBOX_WEBHOOKS_ALLOW_PRIVATE``, local stacks):

- the URL is https, and its host is no local or numeric name (``pbx_core.netpolicy``), when
  the webhook is saved (``check_url``);
- at each attempt the host is resolved, every address it resolves to is checked
  (``netpolicy.address_refusal``), and the connection goes to the checked address itself
  (TLS still verifies the certificate for the host name): a name that resolves to a private
  address later (DNS rebinding) is refused too.

Redirects are not followed (a 3xx is a failed attempt), the answer's body is read up to 4 KiB
and dropped. Standard library only (``http.client``), nothing more in the Lambda package.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from pbx_core import netpolicy

MAX_URL = 2000
USER_AGENT = "ProBox-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status: int | None  # the receiver's HTTP status; None: no answer (refused, timeout, network)
    error: str  # "" when the receiver answered 2xx
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def check_url(url: str, *, allow_private: bool) -> str | None:
    """Why ``url`` may not be a webhook's (None when it may)."""
    if len(url) > MAX_URL:
        return f"at most {MAX_URL} characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "not a URL"
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        return "an https:// URL"
    if not parts.hostname or parts.username is not None or parts.password is not None or parts.fragment:
        return "a host, no user name, password or fragment"
    if port == 0:
        return "not port 0"
    if any(c.isspace() or ord(c) < 32 for c in url):
        return "no spaces or control characters"
    if not allow_private:
        reason = netpolicy.host_refusal(parts.hostname)
        if reason is not None:
            return f"the host is {reason}"
    return None


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address, with SNI and certificate checks for the URL's host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def resolve(host: str, port: int, *, allow_private: bool) -> tuple[str | None, str]:
    """(the address to connect to, "") or (None, why not)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        return None, f"host not found ({exc})"
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        return None, "host not found"
    if not allow_private:
        for address in addresses:
            reason = netpolicy.address_refusal(address)
            if reason is not None:
                return None, f"refused: {host} resolves to {reason}"
    return addresses[0], ""


def send(url: str, body: bytes, headers: dict[str, str], *, timeout_s: float, allow_private: bool) -> Outcome:
    """POST ``body`` to ``url`` once."""
    started = time.monotonic()

    def done(status: int | None, error: str) -> Outcome:
        return Outcome(status, error, int((time.monotonic() - started) * 1000))

    reason = check_url(url, allow_private=allow_private)
    if reason is not None:
        return done(None, f"refused URL: {reason}")
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address, why = resolve(host, port, allow_private=allow_private)
    if address is None:
        return done(None, why)
    cls = _PinnedHTTPS if https else _PinnedHTTP
    conn = cls(host, port, address, timeout_s)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    out_headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    try:
        conn.request("POST", path, body=body, headers=out_headers)
        resp = conn.getresponse()
        resp.read(4096)
        status = resp.status
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        return done(None, f"{type(exc).__name__}: {exc}"[:300])
    finally:
        conn.close()
    if 200 <= status < 300:
        return done(status, "")
    return done(status, f"HTTP {status}")
