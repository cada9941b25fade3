"""What every KEMI route shares: JSON log lines, the per-request ``Req``, answers (reply,
reject, relay), header and URI helpers, the snapshot cache, the edge's signing key, the
call counters (dialog profiles), NAT and SDP checks, and the dialog variables that name
a dialog's worker, its tenant and the phone's side of it.

Header rules kept here (names in pbx_core.routing):
  * X-PBX-Tenant/-Caller/-Callee/-Kind/-Limit/-Record/-Domain (TRUSTED_HEADERS) are
    removed from every request that does not come from a media worker, from worker
    requests before they reach a phone or a carrier, and from their replies
    (``strip_trusted_headers``, called by the routes).
  * Every rejection is logged with its slug; the answer carries ``X-PBX-Reason: <slug>``
    only towards an authenticated phone, a carrier trunk or a worker (``reply``/``reject``):
    an unauthenticated request learns nothing (issue 14).
  * Header values the edge writes lose their control characters (``header_value``), the
    configuration's included: display names are quoted and escaped (``quote_display``),
    URIs built from it are escaped by pbx_core.routing.
  * The decision headers of a request to a worker go out in one block, signed
    (``append_decision``: ``X-PBX-Sig``, HMAC-SHA256 with the per-edge key of ``SigningKey``,
    over the values, the Call-ID and the time; pbx_core.edgesig). A worker acts on
    nothing else.

NAT (phones): a phone's Contact that is not its source gets an ``;alias``
(``fix_nated_contact``, add_contact_alias) that the edge resolves when a worker sends
in-dialog requests back (in_dialog, handle_ruri_alias).

Module state: ``EDGE_ID`` (read from the environment at import) and the memo of
``is_ip_uri`` (per process, bounded). Nothing else here is global: the per-process objects
(``SnapshotCache``, ``SigningKey`` and the others) are made by the entry module's ``mod_init``.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import os
import time
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring as _json_str  # the C encoder json.dumps uses
from typing import Any, Protocol

import KSR  # provided by app_python3; a fake in unit tests

from pbx_core import edgesig, routing
from pbx_core.snapshot import Snapshot, from_json

WORKER_SET = 1  # dispatcher set of the media workers

# nat_uac_test flags: 1 Contact is RFC1918/6598, 2 Via address != source, 16 Via port !=
# source port, 128 Contact port != source port.
NAT_TEST = 1 | 2 | 16 | 128
# dialog variables: which worker holds a dialog, and its tenant (attended transfer, F3);
# the phone's side of it (routing.Party: who may REFER in it, and as whom)
DLG_WORKER = "probox_w"
DLG_TENANT = "probox_t"
DLG_PARTY = "probox_p"
# dialog profiles (with value): every call of a tenant (F11), every leg on a trunk
PROFILE = "tenant_calls"
TRUNK_PROFILE = "trunk_calls"


# ---------------------------------------------------------------------------------------
# logging: one JSON object per line; never HA1 or passwords


def log(level: str, event: str, **fields: Any) -> None:
    # The same line json.dumps(record, separators=(",", ":"), default=str,
    # ensure_ascii=False) gives, built directly: a third of the cost, on every request.
    parts = ['{"event":', _json_str(event), ',"edge_id":', _json_str(EDGE_ID)]
    for k, v in fields.items():
        if v is None or v == "":
            continue
        t = type(v)
        if t is str:
            parts.append(f',"{k}":{_json_str(v)}')
        elif t is int:
            parts.append(f',"{k}":{v}')
        else:
            parts.append(f',"{k}":{json.dumps(v, separators=(",", ":"), default=str, ensure_ascii=False)}')
    parts.append("}\n")
    text = "".join(parts)
    if level == "error":
        KSR.err(text)
    elif level == "warn":
        KSR.warn(text)
    else:
        KSR.info(text)


EDGE_ID = os.environ.get("PROBOX_EDGE_ID", "")


# ---------------------------------------------------------------------------------------
# snapshot


class SnapshotSource(Protocol):
    """Where the routes get the current snapshot (``SnapshotCache``; a fixed one in tests)."""

    def get(self) -> Snapshot | None: ...


class SnapshotCache:
    """The last good snapshot of one Kamailio process, refreshed from ``path``: re-read
    when the file's (inode, mtime, size) changed, checked at most once per ``interval``;
    the last good snapshot is kept when the file is missing or invalid."""

    def __init__(
        self,
        path: str | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 1.0,
    ) -> None:
        self.path = path
        self.clock = clock
        self.interval = interval
        self.snapshot: Snapshot | None = None
        self._key: tuple[int, int, int] | None = None
        self._bad_key: tuple[int, int, int] | None = None
        self._next_check = float("-inf")
        self._missing_logged = False

    def get(self) -> Snapshot | None:
        now = self.clock()
        if now >= self._next_check:
            self._next_check = now + self.interval
            self.refresh()
        return self.snapshot

    def refresh(self) -> None:
        if not self.path:
            if not self._missing_logged:
                log("error", "snapshot_unconfigured", detail="PROBOX_SNAPSHOT is not set")
                self._missing_logged = True
            return
        try:
            st = os.stat(self.path)
        except OSError as exc:
            if not self._missing_logged:
                log("error", "snapshot_missing", path=self.path, error=exc.strerror, kept=self._version())
                self._missing_logged = True
            return
        self._missing_logged = False
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if key in (self._key, self._bad_key):
            return
        try:
            with open(self.path, "rb") as f:
                fst = os.fstat(f.fileno())
                key = (fst.st_ino, fst.st_mtime_ns, fst.st_size)
                data = f.read()
            snap = from_json(data)
        except Exception as exc:  # keep the last good snapshot whatever is wrong with the file
            self._bad_key = key
            log("error", "snapshot_invalid", path=self.path, error=str(exc)[:300], kept=self._version())
            return
        self._key, self._bad_key, self.snapshot = key, None, snap
        log("info", "snapshot_loaded", version=snap.version, tenants=len(snap.tenants), pid=os.getpid())

    def _version(self) -> int | None:
        return self.snapshot.version if self.snapshot is not None else None


# ---------------------------------------------------------------------------------------
# per-request helpers


class Req:
    """What one request handler needs to remember (the routing state lives in Kamailio)."""

    __slots__ = ("_call_id", "_si", "_sp", "_ua", "authenticated", "done", "from_worker", "method", "tenant_id")

    def __init__(self) -> None:
        self.method: str = KSR.pv.gete("$rm")
        # Read on first use, then kept: every KSR call is a C round trip, and most
        # requests (challenges, ACKs, in-dialog requests) never log.
        self._call_id: str | None = None
        self._si: str | None = None
        self._sp = -1
        self._ua: str | None = None
        self.from_worker = False
        # digest-authenticated phone, or a carrier trunk's address: only these (and
        # workers) are told the reason of a refusal (X-PBX-Reason); nobody else learns
        # anything from an answer (issue 14)
        self.authenticated = False
        self.tenant_id = ""
        self.done = False  # a reply was sent or the request was relayed

    @property
    def call_id(self) -> str:
        if self._call_id is None:
            self._call_id = KSR.pv.gete("$ci")
        return self._call_id

    @property
    def ua(self) -> str:
        """The User-Agent (the firewall reads it for initial requests, the CDR keeps a phone's)."""
        if self._ua is None:
            self._ua = KSR.pv.gete("$ua")
        return self._ua

    @property
    def si(self) -> str:
        """Source IP address (the firewall reads it for every request)."""
        if self._si is None:
            self._si = KSR.pv.gete("$si")
        return self._si

    @property
    def sp(self) -> int:
        """Source port."""
        if self._sp < 0:
            self._sp = int(KSR.pv.gete("$sp") or 0)
        return self._sp

    @property
    def src(self) -> str:
        return f"{self.si}:{self.sp}"

    def log(self, level: str, event: str, **fields: Any) -> None:
        log(level, event, call_id=self.call_id, method=self.method, src=self.src, tenant_id=self.tenant_id, **fields)


def header_value(value: str) -> str:
    """A header value without control characters (no header injection through CR/LF)."""
    return value.translate(_CONTROL_CHARS)


_CONTROL_CHARS = dict.fromkeys([*range(32), 0x7F])  # dropped from header values (str.translate)


def reply(req: Req, code: int, reason: str, slug: str = "", extra_headers: tuple[str, ...] = ()) -> None:
    """Answer statelessly; the slug goes out (X-PBX-Reason) only to an authenticated phone,
    a carrier or a worker, and always to the log."""
    if slug and (req.authenticated or req.from_worker):
        KSR.hdr.append_to_reply(f"{routing.REASON_HEADER}: {header_value(slug)}\r\n")
    for h in extra_headers:
        KSR.hdr.append_to_reply(h + "\r\n")
    KSR.sl.send_reply(code, reason)
    req.done = True


def reject(req: Req, decision: routing.Reject, event: str, **fields: Any) -> None:
    req.log("info", event, code=decision.code, reason=decision.slug, **fields)
    reply(req, decision.code, decision.reason, decision.slug)


def relay(req: Req) -> None:
    req.done = True
    if KSR.tm.t_relay() < 0:
        req.log("error", "relay_failed", dst=KSR.pv.gete("$du") or KSR.pv.gete("$ru"))
        KSR.sl.sl_reply_error()


def get_snapshot(req: Req, cache: SnapshotSource) -> Snapshot | None:
    """The process's current snapshot; None after answering 503 ``no_config``."""
    snap = cache.get()
    if snap is None:
        reject(req, routing.NO_CONFIG, "no_snapshot")
    return snap


def strip_trusted_headers() -> None:
    # One look at the raw message instead of a KSR round trip per header name: phones'
    # requests normally carry none. Header names are ASCII and case-insensitive, so any
    # header hdr.remove() would match contains the prefix once lower-cased; a false
    # positive (e.g. in the body) only costs the removals.
    try:
        raw = KSR.pv.gete("$mb")
    except Exception:  # a message that is not UTF-8 cannot be read here: no shortcut
        raw = None
    if isinstance(raw, str) and _TRUSTED_PREFIX not in raw.lower():
        return
    for name in routing.TRUSTED_HEADERS:
        KSR.hdr.remove(name)


def _shared_prefix(names: list[str]) -> str:
    first, last = min(names, default=""), max(names, default="")
    n = 0
    while n < len(first) and first[n] == last[n]:
        n += 1
    return first[:n]


# what every trusted header name starts with ("" = no shortcut: always remove them all)
_TRUSTED_PREFIX = _shared_prefix([h.lower() for h in routing.TRUSTED_HEADERS])


@functools.lru_cache(maxsize=1024)  # next hops repeat (the workers); ipaddress is slow
def is_ip_uri(uri: str) -> bool:
    """Is the host of this SIP URI an IP address literal?"""
    rest = uri.split(":", 1)[1] if uri.lower().startswith(("sip:", "sips:")) else uri
    host = rest.split("@", 1)[-1].split(";", 1)[0].split(">", 1)[0]
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def quote_display(name: str) -> str:
    """A SIP display name as a quoted-string ("" = no display name)."""
    clean = header_value(name).strip()
    if not clean:
        return ""
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


def remember_worker(worker: str, tenant_id: str, party: routing.Party | None = None) -> None:
    """Dialog variables of the current dialog: the worker that holds it, its tenant, and
    the phone's side of it (``party``, when a phone is a party)."""
    KSR.dialog.var_sets(DLG_WORKER, worker)
    KSR.dialog.var_sets(DLG_TENANT, tenant_id)
    if party is not None:
        KSR.dialog.var_sets(DLG_PARTY, party.encode())


def profile_size(profile: str, value: str) -> int:
    """Dialogs in ``profile`` with ``value`` on this node (and, with DMQ, the others)."""
    KSR.dialog.get_profile_size(profile, value, "$var(probox_n)")
    n = KSR.pv.get("$var(probox_n)")
    return int(n) if n is not None else 0


def active_calls(tenant_id: str) -> int:
    """The tenant's calls (F11)."""
    return profile_size(PROFILE, tenant_id)


def trunk_calls(key: str) -> int:
    """The legs on a trunk (``routing.trunk_key``), both ways."""
    return profile_size(TRUNK_PROFILE, key)


# ---------------------------------------------------------------------------------------
# the edge's signature on what it tells the workers


class Signer(Protocol):
    def sign(self, call_id: str, items: Sequence[tuple[str, str]]) -> str | None: ...


class SigningKey:
    """The per-edge signing key of one Kamailio process (the file ``PROBOX_SIGNING_KEY``,
    edge_node.signing_key): read once, and while it is missing or invalid tried again at
    most once per ``interval``. No key, no signature: calls to workers get 503."""

    def __init__(
        self,
        path: str | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        interval: float = 1.0,
    ) -> None:
        self.path = path
        self.clock, self.wall, self.interval = clock, wall, interval
        self.key: bytes | None = None
        self._next_try = float("-inf")

    def get(self) -> bytes | None:
        if self.key is None and self.clock() >= self._next_try:
            self._next_try = self.clock() + self.interval
            try:
                if not self.path:
                    raise OSError("PROBOX_SIGNING_KEY is not set")
                with open(self.path, "rb") as f:
                    self.key = edgesig.parse_key(f.read(4096))
            except (OSError, ValueError) as exc:
                log("error", "signing_key_missing", path=self.path, error=str(exc)[:200])
        return self.key

    def sign(self, call_id: str, items: Sequence[tuple[str, str]]) -> str | None:
        key = self.get()
        return edgesig.sign(key, call_id, items, int(self.wall())) if key is not None else None


def append_decision(req: Req, signer: Signer, headers: Sequence[tuple[str, str]]) -> bool:
    """Add the decision ``headers`` for a worker, signed, in one header block; False (and
    nothing added) when there is no key to sign with."""
    clean = [(name, header_value(value).strip()) for name, value in headers]
    signature = signer.sign(req.call_id, clean)
    if signature is None:
        return False
    KSR.hdr.append("".join(f"{name}: {value}\r\n" for name, value in clean) + f"{edgesig.HDR_SIG}: {signature}\r\n")
    return True


def fix_nated_contact() -> None:
    """A phone whose Contact is not where its packets come from: alias the Contact with
    the source address (resolved by handle_ruri_alias on the way back)."""
    if KSR.hdr.is_present("Contact") > 0 and KSR.nathelper.nat_uac_test(NAT_TEST) > 0:
        KSR.nathelper.add_contact_alias()


def sdp_ok() -> bool:
    """An INVITE without a body (late offer) is fine; a body must be an SDP offer
    with audio."""
    length = KSR.pv.get("$cl")
    if not length:
        return True
    return "sdp" in KSR.pv.gete("$cT").lower() and KSR.sdpops.sdp_with_media("audio") > 0
