"""ProBox edge routing: the Kamailio KEMI entry script (app_python3, cfgengine "python").

It reads the SIP request through ``KSR``, asks ``pbx_core.routing`` for a decision and
applies it through ``KSR``. It imports only the standard library, ``pbx_core`` and ``KSR``
(it runs in Kamailio's embedded Debian Python).

Environment (inherited from the kamailio process):
  PROBOX_REPO      repo root, put on sys.path for ``pbx_core`` (default: this file's repo)
  PROBOX_SNAPSHOT  path of the config snapshot JSON (pbx_core.snapshot), written atomically
  PROBOX_EDGE_ID   this edge's id, added to every log record

Header contract (names in pbx_core.routing):
  * X-PBX-Tenant/-Caller/-Callee/-Kind/-Limit/-Record (TRUSTED_HEADERS) are removed from
    every request that does not come from a media worker (dispatcher set 1, matched on
    source IP *and* port), and from worker requests before they reach a phone.
  * Phone INVITE -> worker: the decision's headers (X-PBX-Tenant, -Caller, -Callee, -Kind,
    -Record) are added.
  * Worker INVITE (callee leg) -> phone: X-PBX-Tenant selects the tenant, X-PBX-Caller
    the caller shown to the callee (From rewritten with uac_replace_from, restored
    automatically in the dialog).
  * Every rejection carries ``X-PBX-Reason: <slug>``.

Kamailio processes are forked after mod_init: module globals are per process. Each process
re-reads the snapshot when the file's (inode, mtime, size) changed, checking at most once
per second, and keeps its last good snapshot when the file is missing or invalid.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable
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
DS_ALG_ROUND_ROBIN = 4
WORKER_FR_TIMER_MS = 4000  # no answer at all from a worker within this -> next worker
PROFILE = "tenant_calls"
MAX_HOPS = 10
SANITY_CHECKS = 17895  # Kamailio's default set, incl. required headers, CSeq, Via, URIs
SANITY_URIS = 7  # R-URI, From, To
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, UPDATE, INFO, REFER, NOTIFY, PRACK"

# pv_auth_check() results that mean "the credentials are wrong" (not just missing/stale).
AUTH_WRONG_PASSWORD = -2
AUTH_USER_MISMATCH = -8
AUTH_NONCE_STALE = (-4, -6)
AUTH_CHALLENGE_QOP = 1
AUTH_CHALLENGE_STALE = 16


# ---------------------------------------------------------------------------------------
# logging: one JSON object per line; never HA1 or passwords


def log(level: str, event: str, **fields: Any) -> None:
    record: dict[str, Any] = {"event": event, "edge_id": EDGE_ID}
    record.update({k: v for k, v in fields.items() if v is not None and v != ""})
    text = json.dumps(record, separators=(",", ":"), default=str, ensure_ascii=False) + "\n"
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

    __slots__ = ("call_id", "done", "from_worker", "method", "src", "tenant_id")

    def __init__(self) -> None:
        self.method: str = KSR.pv.gete("$rm")
        self.call_id: str = KSR.pv.gete("$ci")
        self.src = f"{KSR.pv.gete('$si')}:{KSR.pv.gete('$sp')}"
        self.from_worker = False
        self.tenant_id = ""
        self.done = False  # a reply was sent or the request was relayed

    def log(self, level: str, event: str, **fields: Any) -> None:
        log(level, event, call_id=self.call_id, method=self.method, src=self.src, tenant_id=self.tenant_id, **fields)


def _header_value(value: str) -> str:
    return "".join(c for c in value if c >= " " and c != "\x7f")


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
    for name in routing.TRUSTED_HEADERS:
        KSR.hdr.remove(name)


def quote_display(name: str) -> str:
    """A SIP display name as a quoted-string ("" = no display name)."""
    clean = _header_value(name).strip()
    if not clean:
        return ""
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------------------
# the router


class ProBoxRouter:
    def __init__(self, cache: SnapshotCache) -> None:
        self.cache = cache

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
        worker trusted headers in a reply either."""
        try:
            strip_trusted_headers()
        except Exception as exc:
            log("error", "exception", route="reply_from_phone", call_id=KSR.pv.gete("$ci"), error=repr(exc))
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
                    KSR.tm.t_set_fr(0, WORKER_FR_TIMER_MS)
                    KSR.tm.t_on_failure("ksr_failure_worker")
                    KSR.tm.t_relay()
                else:
                    log("error", "worker_timeout_no_more_workers", call_id=KSR.pv.gete("$ci"), dead=dead)
        except Exception as exc:
            log("error", "exception", route="failure_worker", call_id=KSR.pv.gete("$ci"), error=repr(exc))
        return 1

    def _internal_error(self, req: Req | None, exc: Exception) -> None:
        tb = traceback.format_exc().strip().replace("\n", " | ")
        method = req.method if req is not None else ""
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
                self.route_invite_from_phone(req)
        else:
            reject(req, routing.METHOD_NOT_ALLOWED, "method_rejected")

    def route_in_dialog(self, req: Req) -> None:
        if KSR.rr.loose_route() > 0:
            du = KSR.pv.gete("$du")
            next_hop = du or KSR.pv.gete("$ru")
            to_worker = KSR.dispatcher.ds_is_from_list_uri(WORKER_SET, 2, next_hop) > 0
            to_edge = (KSR.is_myself_duri() if du else KSR.is_myself_ruri()) > 0
            decision = routing.in_dialog(req.from_worker, to_worker, to_edge)
            if decision is not None:
                if req.method == "ACK":
                    req.log("warn", "in_dialog_ack_dropped", dst=next_hop)
                    req.done = True
                else:
                    reject(req, decision, "in_dialog_rejected", dst=next_hop)
                return
            if req.from_worker:
                strip_trusted_headers()  # towards a phone
                if req.method != "ACK":
                    KSR.tm.t_on_reply("ksr_reply_from_phone")
            relay(req)
            return
        if req.method == "ACK":
            if KSR.tm.t_check_trans() > 0:  # ACK of a negative reply relayed statefully
                relay(req)
            req.done = True
            return
        reply(req, 404, "Not here")

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
        req.done = True
        if KSR.registrar.save_uri("location", 0, "sip:" + decision.aor) < 0:
            req.log("error", "register_save_failed", aor=decision.aor)
            KSR.sl.sl_reply_error()
            return
        req.log("info", "registered", aor=decision.aor, expires=KSR.pv.gete("$hdr(Expires)"))

    def active_calls(self, tenant_id: str) -> int:
        KSR.dialog.get_profile_size(PROFILE, tenant_id, "$var(probox_calls)")
        n = KSR.pv.get("$var(probox_calls)")
        return int(n) if n is not None else 0

    def route_invite_from_phone(self, req: Req) -> None:
        snap = self.snapshot(req)
        if snap is None:
            return
        decision = routing.caller(snap, KSR.pv.gete("$fd"), KSR.pv.gete("$fU"))
        if isinstance(decision, routing.Reject):
            reject(req, decision, "invite_rejected", caller=f"{KSR.pv.gete('$fU')}@{KSR.pv.gete('$fd')}")
            return
        req.tenant_id = decision.tenant.id
        if not self.authenticate(req, decision):
            return
        active = self.active_calls(decision.tenant.id)
        ruri_user, ruri_domain = KSR.pv.gete("$rU"), KSR.pv.gete("$rd")
        call = routing.invite_from_phone(
            snap, decision.tenant, decision.extension.number, ruri_user, ruri_domain, active
        )
        if isinstance(call, routing.Reject):
            reject(req, call, "invite_rejected", caller=decision.extension.number, callee=ruri_user, active=active)
            return
        if KSR.dispatcher.ds_select_dst(WORKER_SET, DS_ALG_ROUND_ROBIN) < 0:
            reject(req, routing.NO_WORKER, "invite_rejected", caller=decision.extension.number, callee=ruri_user)
            return
        KSR.dialog.dlg_manage()
        KSR.dialog.set_dlg_profile(PROFILE, call.tenant_id)
        for name, value in call.headers.items():
            KSR.hdr.append(f"{name}: {_header_value(value)}\r\n")
        KSR.rr.record_route()
        KSR.tm.t_set_fr(0, WORKER_FR_TIMER_MS)
        KSR.tm.t_on_failure("ksr_failure_worker")
        req.log(
            "info",
            "invite_to_worker",
            caller=decision.extension.number,
            callee=ruri_user,
            active=active,
            worker=KSR.pv.gete("$du"),
        )
        relay(req)

    def route_invite_from_worker(self, req: Req) -> None:
        snap = self.snapshot(req)
        if snap is None:
            return
        tenant_id = KSR.pv.gete(f"$hdr({routing.HDR_TENANT})")
        caller = KSR.pv.gete(f"$hdr({routing.HDR_CALLER})")
        req.tenant_id = tenant_id
        ruri_user, ruri_domain = KSR.pv.gete("$rU"), KSR.pv.gete("$rd")
        decision = routing.invite_from_worker(snap, tenant_id, ruri_user, ruri_domain, caller)
        if isinstance(decision, routing.Reject):
            reject(req, decision, "worker_invite_rejected", callee=f"{ruri_user}@{ruri_domain}")
            return
        strip_trusted_headers()  # the phone never sees the edge's internal headers
        rc = KSR.registrar.lookup_uri("location", "sip:" + decision.aor)
        if rc < 0:
            reject(req, routing.NOT_REGISTERED, "worker_invite_rejected", callee=decision.aor, lookup_rc=rc)
            return
        if decision.from_uri:
            KSR.uac.uac_replace_from(quote_display(decision.from_display), decision.from_uri)
        KSR.rr.record_route()
        KSR.tm.t_on_reply("ksr_reply_from_phone")
        req.log("info", "invite_to_contact", callee=decision.aor, caller=caller, contact=KSR.pv.gete("$ru"))
        relay(req)


def mod_init() -> ProBoxRouter:
    """app_python3 entry point, called once in the main process before the fork."""
    cache = SnapshotCache(os.environ.get("PROBOX_SNAPSHOT"))
    cache.get()  # parse once here: the worker processes inherit it
    return ProBoxRouter(cache)
