"""ProBox edge routing: the Kamailio KEMI entry script (app_python3, cfgengine "python").

It reads the SIP request through ``KSR``, asks ``pbx_core.routing`` for a decision and
applies it through ``KSR``. It imports only the standard library, ``pbx_core`` and ``KSR``
(it runs in Kamailio's embedded Debian Python).

Environment (inherited from the kamailio process):
  PROBOX_REPO      repo root, put on sys.path for ``pbx_core`` (default: this file's repo)
  PROBOX_SNAPSHOT  path of the config snapshot JSON (pbx_core.snapshot), written atomically
  PROBOX_EDGE_ID   this edge's id, added to every log record

Who sends what (sources are told apart in this order):
  * media workers: dispatcher set 1, matched on source IP *and* port (trusted);
  * other edge nodes: dispatcher set 2 or known DMQ nodes, only KDMQ (dialog replication);
  * carrier trunks: an INVITE from a trunk's address (``routing.trunk_sources``) whose
    From domain is not one of our tenants' domains (IP-authenticated, no digest);
  * phones: everything else (digest auth against the snapshot's HA1).

Header contract (names in pbx_core.routing):
  * X-PBX-Tenant/-Caller/-Callee/-Kind/-Limit/-Record/-Domain (TRUSTED_HEADERS) are
    removed from every request that does not come from a media worker, from worker
    requests before they reach a phone or a carrier, and from their replies.
  * Phone or trunk INVITE -> worker: the decision's headers (X-PBX-Tenant, -Caller,
    -Callee, -Kind: internal|outbound|inbound, -Record, -Domain) are added.
  * Worker INVITE (callee leg) -> phone: X-PBX-Tenant selects the tenant, X-PBX-Caller
    the caller shown to the callee (From rewritten with uac_replace_from, restored
    automatically in the dialog).
  * Worker INVITE (callee leg) -> carrier: the Request-URI becomes
    ``sip:<national number>@<trunk host>``, From/To are rewritten (the tenant's DID as
    caller id) with a P-Asserted-Identity, and a 401/407 from the carrier is answered
    once with the trunk's credentials (uac_auth; the dialog module fixes the CSeq).
  * Every rejection carries ``X-PBX-Reason: <slug>``.

NAT (phones): replies go to the source address (force_rport); a REGISTER from behind a
NAT stores its source address (fix_nated_register, pinged by nathelper); a phone's Contact
that is not its source gets an ``;alias`` (add_contact_alias) that the edge resolves when
a worker sends in-dialog requests back (handle_ruri_alias). Media: the worker latches on
the RTP source address.

Call counting (F11): the caller leg of every call (phone or carrier -> worker) is a
dialog in profile ``tenant_calls`` with the tenant id as value; with DMQ the profile is
replicated to the other edge nodes. A dead worker is found by in-dialog OPTIONS keepalives
(``ka-dst``), which end the dialog.

Kamailio processes are forked after mod_init: module globals are per process. Each process
re-reads the snapshot when the file's (inode, mtime, size) changed, checking at most once
per second, and keeps its last good snapshot when the file is missing or invalid. The
rtimer process keeps the carriers' registrations (uac_reg) in line with the snapshot.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from json.encoder import encode_basestring as _json_str  # the C encoder json.dumps uses
from pathlib import Path
from typing import Any


def _add_repo_to_path() -> None:
    repo = os.environ.get("PROBOX_REPO") or str(Path(__file__).resolve().parents[1])
    if repo not in sys.path:
        sys.path.insert(0, repo)


_add_repo_to_path()

import KSR  # noqa: E402  (provided by app_python3; a fake in unit tests)

from pbx_core import routing  # noqa: E402
from pbx_core.snapshot import Snapshot, from_json  # noqa: E402

WORKER_SET = 1  # dispatcher set of the media workers
DMQ_PEER_SET = 2  # dispatcher set of the other edge nodes (DMQ peers)
DS_ALG_ROUND_ROBIN = 4
WORKER_FR_TIMER_MS = 4000  # no answer at all from a worker within this -> next worker
PROFILE = "tenant_calls"
MAX_HOPS = 10
SANITY_CHECKS = 17895  # Kamailio's default set, incl. required headers, CSeq, Via, URIs
SANITY_URIS = 7  # R-URI, From, To
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, UPDATE, INFO, REFER, NOTIFY, PRACK"

# nat_uac_test flags: 1 Contact is RFC1918/6598, 2 Via address != source, 16 Via port !=
# source port, 128 Contact port != source port.
NAT_TEST = 1 | 2 | 16 | 128
NAT_BFLAG = 6  # branch flag of a contact behind NAT (usrloc nat_bflag: nathelper pings it)
# AVPs of the transaction (kept for its failure route); the uac module reads the auth ones.
TRUNK_AVP = "$avp(probox_trunk)"
TRUNK_AUTH_AVP = "$avp(probox_trunk_auth)"
AUTH_USER_AVP = "$avp(probox_auser)"
AUTH_PASSWORD_AVP = "$avp(probox_apass)"  # noqa: S105 - an AVP name
AUTH_REALM_AVP = "$avp(probox_arealm)"
RINGING_AVP = "$avp(probox_ringing)"  # htable key of a ringing callee leg (its reply route)
# F5: shared-memory htable of ringing callee legs, key tenant/extension (pbx_core.routing).
RINGING_TABLE = "ringing"
RINGING_TTL_S = 300  # longer than any ring timeout: entries normally go at the final reply
# dialog variables: which worker holds a dialog, and its tenant (attended transfer, F3)
DLG_WORKER = "probox_w"
DLG_TENANT = "probox_t"

# pv_auth_check() results that mean "the credentials are wrong" (not just missing/stale).
AUTH_WRONG_PASSWORD = -2
AUTH_USER_MISMATCH = -8
AUTH_NONCE_STALE = (-4, -6)
AUTH_CHALLENGE_QOP = 1
AUTH_CHALLENGE_STALE = 16


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


class SnapshotCache:
    """The last good snapshot of one Kamailio process, refreshed from ``path``."""

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

    __slots__ = ("_call_id", "_si", "_sp", "done", "from_worker", "method", "tenant_id")

    def __init__(self) -> None:
        self.method: str = KSR.pv.gete("$rm")
        # Read on first use, then kept: every KSR call is a C round trip, and most
        # requests (challenges, ACKs, in-dialog requests) never log.
        self._call_id: str | None = None
        self._si: str | None = None
        self._sp = 0
        self.from_worker = False
        self.tenant_id = ""
        self.done = False  # a reply was sent or the request was relayed

    @property
    def call_id(self) -> str:
        if self._call_id is None:
            self._call_id = KSR.pv.gete("$ci")
        return self._call_id

    @property
    def si(self) -> str:
        """Source IP address."""
        if self._si is None:
            self._si = KSR.pv.gete("$si")
            self._sp = int(KSR.pv.gete("$sp") or 0)
        return self._si

    @property
    def sp(self) -> int:
        """Source port."""
        if self._si is None:
            _ = self.si
        return self._sp

    @property
    def src(self) -> str:
        return f"{self.si}:{self.sp}"

    def log(self, level: str, event: str, **fields: Any) -> None:
        log(level, event, call_id=self.call_id, method=self.method, src=self.src, tenant_id=self.tenant_id, **fields)


def _header_value(value: str) -> str:
    return value.translate(_CONTROL_CHARS)


_CONTROL_CHARS = dict.fromkeys([*range(32), 0x7F])  # dropped from header values (str.translate)


def reply(req: Req, code: int, reason: str, slug: str = "", extra_headers: tuple[str, ...] = ()) -> None:
    if slug:
        KSR.hdr.append_to_reply(f"{routing.REASON_HEADER}: {_header_value(slug)}\r\n")
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
    clean = _header_value(name).strip()
    if not clean:
        return ""
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


def remember_worker(worker: str, tenant_id: str) -> None:
    """Dialog variables of the current dialog: the worker that holds it, and its tenant."""
    KSR.dialog.var_sets(DLG_WORKER, worker)
    KSR.dialog.var_sets(DLG_TENANT, tenant_id)


def forget_ringing(key: str, leg_call_id: str) -> None:
    """Drop a ringing entry, unless a newer call rings the same extension meanwhile."""
    current = routing.parse_ringing("", KSR.htable.sht_get(RINGING_TABLE, key))
    if current is not None and current.leg_call_id == leg_call_id:
        KSR.htable.sht_rm(RINGING_TABLE, key)


# ---------------------------------------------------------------------------------------
# the router


class ProBoxRouter:
    def __init__(self, cache: SnapshotCache) -> None:
        self.cache = cache
        # uac_reg records this process added (only the rtimer process syncs them)
        self.registrations: dict[str, routing.Registration] = {}
        # (ip, port) -> from a trunk's address?, for the snapshot it was computed with
        self._trunk_sources: tuple[Snapshot | None, dict[tuple[str, int], bool]] = (None, {})

    # -- KEMI callbacks ----------------------------------------------------------------

    def child_init(self, rank: int) -> int:
        return 0

    def ksr_request_route(self, msg: object) -> int:
        req: Req | None = None
        try:
            req = Req()
            self.route(req)
        except Exception as exc:
            self._internal_error(req, exc)
        return 1

    def ksr_reply_from_phone(self, msg: object) -> int:
        """onreply_route of requests a worker sent to a phone: a phone cannot hand the
        worker trusted headers in a reply either, and its Contact behind a NAT gets an
        alias so that the worker's in-dialog requests reach it."""
        try:
            strip_trusted_headers()
            if KSR.hdr.is_present("Contact") > 0 and KSR.nathelper.nat_uac_test(NAT_TEST) > 0:
                KSR.nathelper.add_contact_alias()
            key = KSR.pv.gete(RINGING_AVP)
            if key and (KSR.pv.get("$rs") or 0) >= 200:
                forget_ringing(key, KSR.pv.gete("$ci"))
        except Exception as exc:
            log("error", "exception", route="reply_from_phone", call_id=KSR.pv.gete("$ci"), error=repr(exc))
        return 1

    def ksr_reply_from_trunk(self, msg: object) -> int:
        """onreply_route of a worker's leg to a carrier: nothing of the carrier's X-PBX-*
        reaches the worker, but the edge tells it which trunk the leg went out on (a
        transfer to an outside number is billed as such in the CDR, F4)."""
        try:
            strip_trusted_headers()
            trunk_id = KSR.pv.gete(TRUNK_AVP).partition("/")[2]
            if trunk_id:
                KSR.hdr.append(f"{routing.HDR_TRUNK}: {_header_value(trunk_id)}\r\n")
        except Exception as exc:
            log("error", "exception", route="reply_from_trunk", call_id=KSR.pv.gete("$ci"), error=repr(exc))
        return 1

    def ksr_failure_worker(self, msg: object) -> int:
        """failure_route of a call sent to a worker: try the next worker only when this
        one never answered (a worker's own rejection is the callee's answer)."""
        try:
            if KSR.tm.t_is_canceled() > 0:
                return 1
            if KSR.tm.t_branch_timeout() > 0 and KSR.tm.t_branch_replied() < 0:
                dead = KSR.pv.gete("$du")
                if KSR.dispatcher.ds_next_dst() > 0:
                    log(
                        "warn",
                        "worker_timeout_failover",
                        call_id=KSR.pv.gete("$ci"),
                        dead=dead,
                        next=KSR.pv.gete("$du"),
                    )
                    KSR.dialog.var_sets(DLG_WORKER, KSR.pv.gete("$du"))
                    KSR.tm.t_set_fr(0, WORKER_FR_TIMER_MS)
                    KSR.tm.t_on_failure("ksr_failure_worker")
                    KSR.tm.t_relay()
                else:
                    log("error", "worker_timeout_no_more_workers", call_id=KSR.pv.gete("$ci"), dead=dead)
        except Exception as exc:
            log("error", "exception", route="failure_worker", call_id=KSR.pv.gete("$ci"), error=repr(exc))
        return 1

    def ksr_failure_trunk(self, msg: object) -> int:
        """failure_route of a worker's leg to a carrier: answer one 401/407 with the
        trunk's credentials. A challenge that cannot be answered never reaches the worker
        (the caller's phone would take it as the edge's own challenge): it becomes 503."""
        call_id = ""
        try:
            call_id = KSR.pv.gete("$ci")
            if KSR.tm.t_is_canceled() > 0:
                return 1
            code = KSR.pv.get("$T_reply_code")
            if code not in (401, 407):
                return 1
            trunk_key = KSR.pv.gete(TRUNK_AVP)
            snap = self.cache.get()
            creds = routing.trunk_credentials(snap, trunk_key) if snap is not None else None
            if creds is not None and not KSR.pv.gete(TRUNK_AUTH_AVP):
                KSR.pv.sets(TRUNK_AUTH_AVP, "1")
                KSR.pv.sets(AUTH_USER_AVP, creds[0])
                KSR.pv.sets(AUTH_PASSWORD_AVP, creds[1])
                KSR.pv.sets(AUTH_REALM_AVP, "")  # the realm of the challenge
                if KSR.uac.uac_auth() > 0:
                    log("info", "trunk_auth", call_id=call_id, trunk=trunk_key, code=code)
                    KSR.tm.t_on_failure("ksr_failure_trunk")
                    KSR.tm.t_on_reply("ksr_reply_from_trunk")
                    KSR.tm.t_relay()
                    return 1
            log("warn", "trunk_auth_failed", call_id=call_id, trunk=trunk_key, code=code)
            KSR.hdr.append_to_reply(f"{routing.REASON_HEADER}: trunk_auth_failed\r\n")
            KSR.tm.t_reply(503, "Trunk authentication failed")
        except Exception as exc:
            log("error", "exception", route="failure_trunk", call_id=call_id, error=repr(exc))
        return 1

    def ksr_trunk_sync(self, *args: object) -> int:
        """rtimer: keep uac_reg's records equal to the snapshot's registration trunks."""
        try:
            snap = self.cache.get()
            if snap is not None:
                self.sync_registrations(routing.trunk_registrations(snap))
        except Exception as exc:
            log("error", "exception", route="trunk_sync", error=repr(exc))
        return 1

    def sync_registrations(self, wanted_list: list[routing.Registration]) -> None:
        wanted = {r.uuid: r for r in wanted_list}
        for uuid in sorted(set(self.registrations) - set(wanted)):
            rpc("uac.reg_unregister", ["l_uuid", uuid])
            rpc("uac.reg_remove", [uuid])
            del self.registrations[uuid]
            log("info", "trunk_registration_removed", uuid=uuid)
        for uuid, reg in wanted.items():
            if self.registrations.get(uuid) == reg:
                continue
            if uuid in self.registrations:
                rpc("uac.reg_remove", [uuid])
                del self.registrations[uuid]
            params: list[str | int] = [
                *(reg.uuid, reg.username, reg.domain, reg.username, reg.domain, ""),  # l_*, r_*, any realm
                *(reg.username, reg.password, ".", reg.proxy, reg.expires, 0, 0, ".", "."),
            ]
            code, body = rpc("uac.reg_add", params)
            if code == 200:
                self.registrations[uuid] = reg
                log("info", "trunk_registration_added", uuid=uuid, registrar=reg.domain, user=reg.username)
            else:
                log("error", "trunk_registration_failed", uuid=uuid, code=code, detail=body[:300])

    def _internal_error(self, req: Req | None, exc: Exception) -> None:
        tb = traceback.format_exc().strip().replace("\n", " | ")
        method = req.method if req is not None else ""
        call_id = ""
        with contextlib.suppress(Exception):  # read lazily: KSR may be what failed
            call_id = req.call_id if req is not None else ""
        log("error", "exception", call_id=call_id, method=method, error=repr(exc), traceback=tb[-2000:])
        if method == "ACK" or (req is not None and req.done):
            return
        try:
            KSR.sl.send_reply(500, "Internal Server Error")
        except Exception as exc2:
            log("error", "exception_reply_failed", call_id=call_id, error=repr(exc2))

    # -- request_route -------------------------------------------------------------------

    def route(self, req: Req) -> None:
        if KSR.sanity.sanity_check(SANITY_CHECKS, SANITY_URIS) < 0:
            # the sanity module has already answered (never to an ACK)
            req.log("warn", "malformed_request")
            req.done = True
            return
        if KSR.maxfwd.process_maxfwd(MAX_HOPS) < 0:
            reply(req, 483, "Too Many Hops")
            return

        req.from_worker = KSR.dispatcher.ds_is_from_list(WORKER_SET) > 0
        if not req.from_worker:
            strip_trusted_headers()
            KSR.force_rport()  # replies to the source address and port (NAT)

        if req.method == "KDMQ":
            self.route_dmq(req)
            return

        in_dialog = KSR.siputils.has_totag() > 0
        if req.method == "OPTIONS" and not in_dialog and KSR.corex.has_ruri_user() < 0:
            reply(req, 200, "OK", extra_headers=(f"Allow: {ALLOW}",))
            return

        if req.method == "CANCEL":
            if KSR.tm.t_check_trans() > 0:
                relay(req)
            else:
                reply(req, 481, "Call/Transaction Does Not Exist")
            return

        if in_dialog:
            self.route_in_dialog(req)
            return

        # -- initial requests only --
        if req.method != "ACK":
            if KSR.tmx.t_precheck_trans() > 0:  # retransmission being processed by another process
                KSR.tm.t_check_trans()
                req.done = True
                return
            if KSR.tm.t_check_trans() == 0:  # retransmission: tm resent the last reply
                req.done = True
                return
        else:
            if KSR.tm.t_check_trans() > 0:
                relay(req)
            req.done = True  # never answer an ACK
            return

        KSR.hdr.remove("Route")  # the edge decides where initial requests go
        if req.method == "REGISTER":
            self.route_register(req)
        elif req.method == "INVITE":
            if req.from_worker:
                self.route_invite_from_worker(req)
            else:
                self.route_invite(req)
        else:
            reject(req, routing.METHOD_NOT_ALLOWED, "method_rejected")

    def route_dmq(self, req: Req) -> None:
        """KDMQ (dialog profile replication between edge nodes) only from the configured
        peers (dispatcher set 2) or nodes DMQ already knows."""
        if not hasattr(KSR, "dmq"):
            reject(req, routing.METHOD_NOT_ALLOWED, "dmq_disabled")
            return
        if KSR.dmq.is_from_node() > 0 or KSR.dispatcher.ds_is_from_list(DMQ_PEER_SET) > 0:
            req.done = True
            KSR.dmq.handle_message()
            return
        reject(req, routing.DMQ_FORBIDDEN, "dmq_rejected")

    def is_trunk(self, req: Req) -> bool:
        snap = self.cache.get()
        if snap is None:
            return False
        return self.from_trunk_address(snap, req)

    def from_trunk_address(self, snap: Snapshot, req: Req) -> bool:
        """Is the request's source one of a trunk's addresses? Remembered per snapshot:
        phones send from few addresses, and routing.trunk_sources parses the address."""
        memo_snap, memo = self._trunk_sources
        if memo_snap is not snap:
            memo = {}
            self._trunk_sources = (snap, memo)
        key = (req.si, req.sp)
        found = memo.get(key)
        if found is None:
            if len(memo) >= 4096:  # bounded: many sources only cost the lookups again
                memo.clear()
            found = memo[key] = bool(routing.trunk_sources(snap, *key))
        return found

    def fix_nated_contact(self) -> None:
        """A phone whose Contact is not where its packets come from: alias the Contact with
        the source address (resolved by handle_ruri_alias on the way back)."""
        if KSR.hdr.is_present("Contact") > 0 and KSR.nathelper.nat_uac_test(NAT_TEST) > 0:
            KSR.nathelper.add_contact_alias()

    def route_in_dialog(self, req: Req) -> None:
        if req.method == "ACK" and KSR.tm.t_check_trans() == 0:
            req.done = True  # the ACK of a negative reply: absorbed by tm (hop by hop)
            return
        if KSR.rr.loose_route() > 0:
            if req.from_worker:
                # towards a phone behind a NAT: its Contact carries the source as ;alias
                KSR.nathelper.handle_ruri_alias()
                decision = None
                next_hop = ""
            else:
                du = KSR.pv.gete("$du")
                next_hop = du or KSR.pv.gete("$ru")
                # workers are listed by IP address: a host name is never one (and is not
                # resolved: no DNS lookups on behalf of a phone)
                to_worker = is_ip_uri(next_hop) and KSR.dispatcher.ds_is_from_list_uri(WORKER_SET, 2, next_hop) > 0
                to_edge = (KSR.is_myself_duri() if du else KSR.is_myself_ruri()) > 0
                decision = routing.in_dialog(req.from_worker, to_worker, to_edge)
            if decision is not None:
                if req.method == "ACK":
                    req.log("warn", "in_dialog_ack_dropped", dst=next_hop)
                    req.done = True
                else:
                    reject(req, decision, "in_dialog_rejected", dst=next_hop)
                return
            if req.method == "REFER" and not req.from_worker and not self.rewrite_refer(req):
                return
            if req.from_worker:
                strip_trusted_headers()  # towards a phone or a carrier
                if req.method != "ACK":
                    KSR.tm.t_on_reply("ksr_reply_from_phone")
            elif req.method in ("INVITE", "UPDATE") and not self.is_trunk(req):
                self.fix_nated_contact()  # a target refresh of a phone
            relay(req)
            return
        if req.method == "ACK":
            if KSR.tm.t_check_trans() > 0:  # ACK of a negative reply relayed statefully
                relay(req)
            req.done = True
            return
        reply(req, 404, "Not here")

    def rewrite_refer(self, req: Req) -> bool:
        """F3/F4 blind transfer: give the worker a Refer-To it can dial as a trusted leg
        (pbx_core.routing.refer_to decides); False when the REFER was answered here."""
        snap = self.snapshot(req)
        if snap is None:
            return False
        raw = KSR.pv.gete("$hdr(Refer-To)")
        user, host = routing.split_sip_uri(raw)
        replaces = routing.refer_replaces(raw)
        decision = routing.refer_to(
            snap, KSR.pv.gete("$fd"), KSR.pv.gete("$tU"), user, host, replaces, KSR.pv.gete("$fU")
        )
        if isinstance(decision, routing.Reject):
            reject(req, decision, "refer_rejected", target=user)
            return False
        KSR.hdr.remove("Refer-To")
        KSR.hdr.append(f"Refer-To: {decision}\r\n")
        req.log("info", "refer_to_worker", target=user, attended=bool(replaces) or None)
        return True

    def snapshot(self, req: Req) -> Snapshot | None:
        snap = self.cache.get()
        if snap is None:
            reject(req, routing.NO_CONFIG, "no_snapshot")
        return snap

    def authenticate(self, req: Req, challenge: routing.Challenge) -> bool:
        """Digest auth (401 for REGISTER, 407 otherwise) against the snapshot's HA1."""
        rc = KSR.auth.pv_auth_check(challenge.realm, challenge.extension.ha1, 1, 1)
        if rc > 0:
            KSR.auth.consume_credentials()
            return True
        if rc in (AUTH_WRONG_PASSWORD, AUTH_USER_MISMATCH):
            reject(req, routing.BAD_CREDENTIALS, "auth_failed", auth_rc=rc, user=challenge.extension.number)
            return False
        flags = AUTH_CHALLENGE_QOP | (AUTH_CHALLENGE_STALE if rc in AUTH_NONCE_STALE else 0)
        KSR.auth.auth_challenge(challenge.realm, flags)
        req.done = True
        return False

    def route_register(self, req: Req) -> None:
        snap = self.snapshot(req)
        if snap is None:
            return
        decision = routing.register(snap, KSR.pv.gete("$td"), KSR.pv.gete("$tU"))
        if isinstance(decision, routing.Reject):
            reject(req, decision, "register_rejected", aor=f"{KSR.pv.gete('$tU')}@{KSR.pv.gete('$td')}")
            return
        req.tenant_id = decision.tenant.id
        if not self.authenticate(req, decision):
            return
        nated = KSR.nathelper.nat_uac_test(NAT_TEST) > 0
        if nated:
            KSR.nathelper.fix_nated_register()  # usrloc keeps the source as "received"
            KSR.setbflag(NAT_BFLAG)
        req.done = True
        if KSR.registrar.save_uri("location", 0, "sip:" + decision.aor) < 0:
            req.log("error", "register_save_failed", aor=decision.aor)
            KSR.sl.sl_reply_error()
            return
        req.log("info", "registered", aor=decision.aor, expires=KSR.pv.gete("$hdr(Expires)"), nat=nated or None)

    def active_calls(self, tenant_id: str) -> int:
        KSR.dialog.get_profile_size(PROFILE, tenant_id, "$var(probox_calls)")
        n = KSR.pv.get("$var(probox_calls)")
        return int(n) if n is not None else 0

    def sdp_ok(self) -> bool:
        """An INVITE without a body (late offer) is fine; a body must be an SDP offer
        with audio."""
        length = KSR.pv.get("$cl")
        if not length:
            return True
        return "sdp" in KSR.pv.gete("$cT").lower() and KSR.sdpops.sdp_with_media("audio") > 0

    def route_invite(self, req: Req) -> None:
        """An INVITE that is not from a worker: a carrier's call or a phone's."""
        snap = self.snapshot(req)
        if snap is None:
            return
        # trunk_caller() is None for a source that is no trunk's: a phone's INVITE (the
        # common case) skips reading what only a carrier's call needs
        if not self.from_trunk_address(snap, req):
            self.route_invite_from_phone(req, snap)
            return
        fd, ru, tu = KSR.pv.gete("$fd"), KSR.pv.gete("$rU"), KSR.pv.gete("$tU")
        inbound = routing.trunk_caller(snap, req.si, req.sp, fd, ru, tu)
        if inbound is None:
            self.route_invite_from_phone(req, snap)
        else:
            self.route_invite_from_trunk(req, inbound)

    def route_invite_from_trunk(self, req: Req, inbound: routing.Inbound | routing.Reject) -> None:
        dialled = f"{KSR.pv.gete('$rU')}/{KSR.pv.gete('$tU')}"
        if isinstance(inbound, routing.Reject):
            reject(req, inbound, "trunk_invite_rejected", dialled=dialled)
            return
        req.tenant_id = inbound.tenant.id
        from_user = KSR.pv.gete("$fU")
        active = self.active_calls(inbound.tenant.id)
        call = routing.invite_from_trunk(inbound, from_user, active)
        fields = {"trunk": inbound.trunk.id, "did": inbound.did.number, "caller": from_user, "active": active}
        if isinstance(call, routing.Reject):
            reject(req, call, "trunk_invite_rejected", **fields)
            return
        if not self.sdp_ok():
            reject(req, routing.BAD_SDP, "trunk_invite_rejected", **fields)
            return
        self.send_to_worker(req, call, "trunk_invite_to_worker", **fields)

    def route_invite_from_phone(self, req: Req, snap: Snapshot) -> None:
        decision = routing.caller(snap, KSR.pv.gete("$fd"), KSR.pv.gete("$fU"))
        if isinstance(decision, routing.Reject):
            reject(req, decision, "invite_rejected", caller=f"{KSR.pv.gete('$fU')}@{KSR.pv.gete('$fd')}")
            return
        req.tenant_id = decision.tenant.id
        if not self.authenticate(req, decision):
            return
        ruri_user, ruri_domain = KSR.pv.gete("$rU"), KSR.pv.gete("$rd")
        if ruri_user.startswith("*"):
            wanted = routing.pickup(decision.tenant, decision.extension.number, ruri_user)
            if wanted is not None:
                self.route_pickup(req, wanted)
                return
        active = self.active_calls(decision.tenant.id)
        call = routing.invite_from_phone(
            snap, decision.tenant, decision.extension.number, ruri_user, ruri_domain, active
        )
        fields = {"caller": decision.extension.number, "callee": ruri_user, "active": active}
        if isinstance(call, routing.Reject):
            reject(req, call, "invite_rejected", **fields)
            return
        if not self.sdp_ok():
            reject(req, routing.BAD_SDP, "invite_rejected", **fields)
            return
        self.fix_nated_contact()
        self.send_to_worker(req, call, "invite_to_worker", **fields)

    def send_to_worker(self, req: Req, call: routing.ToWorker, event: str, **fields: Any) -> None:
        """The caller's leg of a call: a dialog counted in the tenant's profile, sent to a
        worker with the decision's headers."""
        if KSR.dispatcher.ds_select_dst(WORKER_SET, DS_ALG_ROUND_ROBIN) < 0:
            reject(req, routing.NO_WORKER, event.replace("to_worker", "rejected"), **fields)
            return
        KSR.dialog.dlg_manage()
        KSR.dialog.set_dlg_profile(PROFILE, call.tenant_id)
        KSR.dialog.dlg_set_property("ka-dst")  # OPTIONS to the worker: a dead one ends the call
        remember_worker(KSR.pv.gete("$du"), call.tenant_id)
        for name, value in call.headers.items():
            KSR.hdr.append(f"{name}: {_header_value(value)}\r\n")
        KSR.rr.record_route()
        KSR.tm.t_set_fr(0, WORKER_FR_TIMER_MS)
        KSR.tm.t_on_failure("ksr_failure_worker")
        req.log("info", event, kind=call.headers.get(routing.HDR_KIND), worker=KSR.pv.gete("$du"), **fields)
        relay(req)

    def route_invite_from_worker(self, req: Req) -> None:
        snap = self.snapshot(req)
        if snap is None:
            return
        tenant_id = KSR.pv.gete(f"$hdr({routing.HDR_TENANT})")
        caller = KSR.pv.gete(f"$hdr({routing.HDR_CALLER})")
        req.tenant_id = tenant_id
        ruri_user, ruri_domain = KSR.pv.gete("$rU"), KSR.pv.gete("$rd")
        if KSR.hdr.is_present("Replaces") > 0:
            self.route_replaces(req, tenant_id)
            return
        decision = routing.invite_from_worker(snap, tenant_id, ruri_user, ruri_domain, caller)
        if isinstance(decision, routing.Reject):
            reject(req, decision, "worker_invite_rejected", callee=f"{ruri_user}@{ruri_domain}", caller=caller)
            return
        bridge = KSR.pv.gete(f"$hdr({routing.HDR_BRIDGE})")
        strip_trusted_headers()  # phones and carriers never see the edge's internal headers
        if isinstance(decision, routing.ToTrunk):
            self.relay_to_trunk(req, decision, caller)
            return
        rc = KSR.registrar.lookup_uri("location", "sip:" + decision.aor)
        if rc < 0:
            reject(req, routing.NOT_REGISTERED, "worker_invite_rejected", callee=decision.aor, lookup_rc=rc)
            return
        self.manage_worker_leg(tenant_id)
        if bridge and routing.is_safe_token(bridge):
            self.note_ringing(tenant_id, decision.aor.split("@", 1)[0], bridge)
        if decision.from_uri:
            KSR.uac.uac_replace_from(quote_display(decision.from_display), decision.from_uri)
        KSR.rr.record_route()
        KSR.tm.t_on_reply("ksr_reply_from_phone")
        req.log("info", "invite_to_contact", callee=decision.aor, caller=caller, contact=KSR.pv.gete("$ru"))
        relay(req)

    def manage_worker_leg(self, tenant_id: str) -> None:
        """A worker's callee leg is a dialog too (not in the tenant's profile: a call is
        counted once, on its caller's leg), kept alive towards the worker: if the worker
        dies, the edge ends the leg and the phone or the carrier gets a BYE."""
        KSR.dialog.dlg_manage()
        KSR.dialog.dlg_set_property("ka-src")
        remember_worker(f"sip:{KSR.pv.gete('$si')}:{KSR.pv.gete('$sp')}", tenant_id)

    def note_ringing(self, tenant_id: str, extension: str, bridge: str) -> None:
        """F5: this worker's leg rings ``extension``; a pickup finds it here until the
        phone's final answer (reply route) or the entry's expiry."""
        key = routing.ringing_key(tenant_id, extension)
        worker = f"sip:{KSR.pv.gete('$si')}:{KSR.pv.gete('$sp')}"
        value = routing.ringing_value(worker, bridge, KSR.pv.gete("$ci"), int(time.time() * 1000))
        KSR.htable.sht_setxs(RINGING_TABLE, key, value, RINGING_TTL_S)
        KSR.pv.sets(RINGING_AVP, key)

    def route_pickup(self, req: Req, wanted: routing.Pickup | routing.Reject) -> None:
        """F5: send the picker's INVITE to the worker whose leg rings a candidate
        extension (the one ringing longest). The call is already counted (F11) on its
        caller's leg: this dialog is kept alive but not counted again."""
        fields: dict[str, Any] = {"picker": KSR.pv.gete("$fU"), "dialled": KSR.pv.gete("$rU")}
        if isinstance(wanted, routing.Reject):
            reject(req, wanted, "pickup_rejected", **fields)
            return
        entries = []
        for ext in wanted.candidates:
            found = routing.parse_ringing(
                ext, KSR.htable.sht_get(RINGING_TABLE, routing.ringing_key(wanted.tenant_id, ext))
            )
            if found is not None:
                entries.append(found)
        call = routing.pick_ringing(entries)
        if call is None:
            reject(req, routing.NOTHING_TO_PICK_UP, "pickup_rejected", candidates=len(wanted.candidates), **fields)
            return
        if not self.sdp_ok():
            reject(req, routing.BAD_SDP, "pickup_rejected", **fields)
            return
        self.fix_nated_contact()
        KSR.pv.sets("$du", call.worker)
        KSR.dialog.dlg_manage()
        KSR.dialog.dlg_set_property("ka-dst")
        remember_worker(call.worker, wanted.tenant_id)
        for name, value in routing.pickup_headers(wanted, call).items():
            KSR.hdr.append(f"{name}: {_header_value(value)}\r\n")
        KSR.rr.record_route()
        req.log("info", "pickup_to_worker", ringing=call.extension, worker=call.worker, **fields)
        relay(req)

    def route_replaces(self, req: Req, tenant_id: str) -> None:
        """F3 attended transfer: a worker's transfer leg with Replaces goes to the worker
        holding the named dialog (the transferor's consultation call), in the same tenant
        only. The worker there swaps it in for the transferor's leg."""
        raw = KSR.pv.gete("$hdr(Replaces)")
        ref = routing.parse_replaces(raw)
        kind = KSR.pv.gete(f"$hdr({routing.HDR_KIND})")
        if ref is None or kind != routing.KIND_TRANSFER:
            reject(req, routing.NO_SUCH_CALL, "replaces_rejected", replaces=raw[:200], kind=kind)
            return
        worker, owner = "", ""
        if KSR.dialog.dlg_get(ref.call_id, ref.from_tag, ref.to_tag) > 0:
            worker, owner = KSR.dialog.var_gete(DLG_WORKER), KSR.dialog.var_gete(DLG_TENANT)
        if not worker or owner != tenant_id:
            # another tenant's dialog looks the same as no dialog at all
            reject(req, routing.NO_SUCH_CALL, "replaces_rejected", replaces_call_id=ref.call_id)
            return
        KSR.pv.sets("$du", worker)
        KSR.rr.record_route()
        req.log("info", "replaces_to_worker", worker=worker, replaces_call_id=ref.call_id)
        relay(req)

    def relay_to_trunk(self, req: Req, d: routing.ToTrunk, caller: str) -> None:
        # The dialog also fixes the CSeq raised by uac_auth in the worker's later requests
        # (dialog track_cseq_updates).
        self.manage_worker_leg(d.tenant_id)
        KSR.pv.sets("$ru", d.ruri)
        KSR.pv.sets("$du", d.dst_uri)
        KSR.uac.uac_replace_from("", d.from_uri)
        KSR.uac.uac_replace_to("", d.to_uri)
        KSR.hdr.remove("P-Asserted-Identity")
        KSR.hdr.remove("Remote-Party-ID")
        KSR.hdr.append(f"P-Asserted-Identity: {d.pai}\r\n")
        KSR.pv.sets(TRUNK_AVP, d.trunk_key)
        KSR.rr.record_route()
        KSR.tm.t_on_failure("ksr_failure_trunk")
        KSR.tm.t_on_reply("ksr_reply_from_trunk")
        req.log(
            "info",
            "invite_to_trunk",
            trunk=d.trunk_id,
            number=d.number.national,
            kind=d.number.kind,
            caller=caller,
            caller_id=d.caller_id,
        )
        relay(req)


def rpc(method: str, params: list[str | int]) -> tuple[int, str]:
    """A Kamailio RPC command through jsonrpcs (the code and the JSON body of its answer)."""
    KSR.jsonrpcs.exec(json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": 1}))
    code = KSR.pv.get("$jsonrpl(code)")
    body = KSR.pv.gete("$jsonrpl(body)")
    return (int(code) if code is not None else 0), str(body)


def mod_init() -> ProBoxRouter:
    """app_python3 entry point, called once in the main process before the fork."""
    cache = SnapshotCache(os.environ.get("PROBOX_SNAPSHOT"))
    cache.get()  # parse once here: the worker processes inherit it
    return ProBoxRouter(cache)
