"""ProBox edge routing: the Kamailio KEMI entry script (app_python3, cfgengine "python").

Kamailio loads this one file (``modparam("app_python3", "load", ...)`` in
infra/kamailio/kamailio.cfg.tmpl): ``mod_init()`` returns the ``ProBoxRouter`` whose
``ksr_*`` methods are the routes Kamailio calls. They read the SIP request through ``KSR``,
ask ``pbx_core.routing`` for a decision and apply it through ``KSR``, in the route modules
of this package:

  common      JSON log lines, ``Req``, reply/reject/relay, header helpers, SnapshotCache
  register    REGISTER and digest authentication
  invite      INVITE from a phone or a trunk to a worker, a worker's legs to phones and
              carriers, their reply and failure routes
  in_dialog   in-dialog requests, REFER rewriting
  pickup      pickup, ringing-leg bookkeeping, INVITE with Replaces
  trunks      trunk source matching, carrier registrations (uac_reg, rtimer)

This module keeps the request_route itself (sanity, Max-Forwards, who sent it, CANCEL,
OPTIONS pings, retransmissions, KDMQ) and the exception guard of every route: an
unhandled Python exception would drop the message silently, so it is logged and answered
500. The package imports only the standard library, ``pbx_core`` and ``KSR`` (it runs in
Kamailio's embedded Debian Python).

Environment (inherited from the kamailio process):
  PROBOX_REPO      repo root, put on sys.path for ``pbx_core`` and ``kemi_scripts``
                   (default: this file's repo); only this module touches sys.path
  PROBOX_SNAPSHOT  path of the config snapshot JSON (pbx_core.snapshot), written atomically
  PROBOX_EDGE_ID   this edge's id, added to every log record (common.EDGE_ID)
  PROBOX_SIGNING_KEY  the per-edge key file (edge_node.signing_key) that signs the decisions
                   sent to media workers (common.SigningKey); without it calls get 503

app_python3 imports this file as the top-level module ``probox_kemi`` with its directory
first on sys.path; the route modules are imported as ``kemi_scripts.<name>`` (never by
their bare name, which would load a second copy), and their names must not shadow a
standard library module.

Who sends what (sources are told apart in this order):
  * media workers: dispatcher set 1, matched on source IP *and* port (trusted);
  * other edge nodes: dispatcher set 2 or known DMQ nodes, only KDMQ (dialog replication);
  * carrier trunks: an INVITE from a trunk's address (``routing.trunk_sources``) whose
    From domain is not one of our tenants' domains (IP-authenticated, no digest);
  * phones: everything else (digest auth against the snapshot's HA1).
Requests that do not come from a worker lose the trusted X-PBX-* headers and get their
replies sent to their source address (force_rport: NAT).

Per-process state: Kamailio processes are forked after mod_init, so module globals are
per process. The state the routes need lives on the router (one per process): its
``SnapshotCache`` (each process re-reads the snapshot when the file changed, at most once
per second, and keeps its last good snapshot when the file is missing or invalid), the
edge's signing key (``SigningKey``, read at mod_init), the trunk source memo
(``trunks.TrunkSources``) and the carriers' registrations the rtimer process added
(``trunks.sync_registrations``). The route modules take these as arguments;
their only module state is in ``common`` (EDGE_ID, the is_ip_uri memo).

Reload: ``kamcmd app_python.reload`` (the systemd unit's ExecReload) makes every process
re-import this module at its next message and call ``mod_init()`` again (a new router:
fresh cache, memo and registrations). A re-import also reloads the route modules of this
package (dependencies first), so a reload runs the code on disk; ``pbx_core`` modules are
not reloaded (restart Kamailio after updating them).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import traceback
from pathlib import Path


def _add_repo_to_path() -> None:
    repo = os.environ.get("PROBOX_REPO") or str(Path(__file__).resolve().parents[1])
    if repo not in sys.path:
        sys.path.insert(0, repo)


_add_repo_to_path()

import KSR  # noqa: E402  (provided by app_python3; a fake in unit tests)

from kemi_scripts import common, firewall, in_dialog, invite, pickup, register, trunks  # noqa: E402


def _reload_route_modules() -> None:
    """app_python.reload re-executes this module in its old namespace, which would keep the
    route modules already imported: reload them too, each after those it imports from."""
    for module in (common, firewall, trunks, register, pickup, invite, in_dialog):
        importlib.reload(module)


if globals().get("_ROUTE_MODULES_IMPORTED"):  # set by the previous import of this module
    _reload_route_modules()
_ROUTE_MODULES_IMPORTED = True

from kemi_scripts.common import (  # noqa: E402
    Req,
    Signer,
    SigningKey,
    SnapshotCache,
    SnapshotSource,
    log,
    reject,
    relay,
    reply,
    strip_trusted_headers,
)
from pbx_core import routing  # noqa: E402

DMQ_PEER_SET = 2  # dispatcher set of the other edge nodes (DMQ peers)
MAX_HOPS = 10
SANITY_CHECKS = 17895  # Kamailio's default set, incl. required headers, CSeq, Via, URIs
SANITY_URIS = 7  # R-URI, From, To
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, UPDATE, INFO, REFER, NOTIFY, PRACK"


class ProBoxRouter:
    """The object app_python3 calls: its ``ksr_*`` methods are the routes named in the
    cfg and in t_on_reply/t_on_failure; it holds this process's state."""

    def __init__(
        self, cache: SnapshotSource, signer: Signer | None = None, fw: firewall.Firewall | None = None
    ) -> None:
        self.cache = cache
        # the per-edge key that signs the decisions sent to workers (PROBOX_SIGNING_KEY)
        self.signer: Signer = signer if signer is not None else SigningKey(os.environ.get("PROBOX_SIGNING_KEY"))
        # uac_reg records this process added (only the rtimer process syncs them)
        self.registrations: dict[str, routing.Registration] = {}
        self.trunk_sources = trunks.TrunkSources()
        # issue 14: bans, holds, scores (kemi_scripts.firewall); carriers and DMQ peers are never banned
        self.firewall = fw if fw is not None else firewall.Firewall.from_env()
        self.firewall.is_exempt = self._never_banned
        self.lifts_applied: set[tuple[str, int]] = set()  # (key, when) lifts the rtimer applied

    def _never_banned(self, req: Req) -> bool:
        if KSR.dispatcher.ds_is_from_list(DMQ_PEER_SET) > 0:
            return True
        snap = self.cache.get()
        return snap is not None and self.trunk_sources.from_trunk_address(snap, req)

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
        """onreply_route of requests a worker sent to a phone (invite.reply_from_phone)."""
        try:
            invite.reply_from_phone()
        except Exception as exc:
            log("error", "exception", route="reply_from_phone", call_id=KSR.pv.gete("$ci"), error=repr(exc))
        return 1

    def ksr_reply_from_trunk(self, msg: object) -> int:
        """onreply_route of a worker's leg to a carrier (invite.reply_from_trunk)."""
        try:
            invite.reply_from_trunk()
        except Exception as exc:
            log("error", "exception", route="reply_from_trunk", call_id=KSR.pv.gete("$ci"), error=repr(exc))
        return 1

    def ksr_failure_worker(self, msg: object) -> int:
        """failure_route of a call sent to a worker (invite.failure_worker)."""
        try:
            invite.failure_worker()
        except Exception as exc:
            log("error", "exception", route="failure_worker", call_id=KSR.pv.gete("$ci"), error=repr(exc))
        return 1

    def ksr_failure_trunk(self, msg: object) -> int:
        """failure_route of a worker's leg to a carrier (invite.failure_trunk)."""
        call_id = ""
        try:
            call_id = KSR.pv.gete("$ci")
            invite.failure_trunk(call_id, self.cache)
        except Exception as exc:
            log("error", "exception", route="failure_trunk", call_id=call_id, error=repr(exc))
        return 1

    def ksr_trunk_sync(self, *args: object) -> int:
        """rtimer: keep uac_reg's records equal to the snapshot's registration trunks."""
        try:
            snap = self.cache.get()
            if snap is not None:
                trunks.sync_registrations(self.registrations, routing.trunk_registrations(snap))
        except Exception as exc:
            log("error", "exception", route="trunk_sync", error=repr(exc))
        return 1

    def ksr_firewall_sync(self, *args: object) -> int:
        """rtimer: apply the bans and holds tenant admins lifted (firewall.apply_lifts)."""
        try:
            snap = self.cache.get()
            if snap is not None:
                firewall.apply_lifts(snap, self.lifts_applied)
        except Exception as exc:
            log("error", "exception", route="firewall_sync", error=repr(exc))
        return 1

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

        req.from_worker = KSR.dispatcher.ds_is_from_list(common.WORKER_SET) > 0
        in_dialog_request = KSR.siputils.has_totag() > 0
        if not req.from_worker:
            # the firewall first: a banned source, a flood or a scanner is dropped here
            if self.firewall.screen(req, initial=not in_dialog_request):
                return
            strip_trusted_headers()
            KSR.force_rport()  # replies to the source address and port (NAT)

        if req.method == "KDMQ":
            route_dmq(req)
            return

        if req.method == "OPTIONS" and not in_dialog_request and KSR.corex.has_ruri_user() < 0:
            # a keepalive gets its 200; only known sources learn what the edge supports
            known = req.from_worker or req.si in self.firewall.trusted or self.firewall.is_learned(req.si)
            reply(req, 200, "OK", extra_headers=(f"Allow: {ALLOW}",) if known else ())
            return

        if req.method == "CANCEL":
            if KSR.tm.t_check_trans() > 0:
                relay(req)
            else:
                reply(req, 481, "Call/Transaction Does Not Exist")
            return

        if in_dialog_request:
            in_dialog.route_in_dialog(req, self.cache, self.trunk_sources, self.signer)
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
            register.route_register(req, self.cache, self.firewall)
        elif req.method == "INVITE":
            if req.from_worker:
                invite.route_invite_from_worker(req, self.cache, self.signer)
            else:
                invite.route_invite(req, self.cache, self.trunk_sources, self.signer, self.firewall)
        else:
            reject(req, routing.METHOD_NOT_ALLOWED, "method_rejected")


def route_dmq(req: Req) -> None:
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


def mod_init() -> ProBoxRouter:
    """app_python3 entry point, called once in the main process before the fork (and again
    in every process after app_python.reload)."""
    cache = SnapshotCache(os.environ.get("PROBOX_SNAPSHOT"))
    cache.get()  # parse once here: the worker processes inherit it
    key = SigningKey(os.environ.get("PROBOX_SIGNING_KEY"))
    key.get()  # read once here too
    fw = firewall.Firewall.from_env()
    fw.countries.get()  # and the country file
    return ProBoxRouter(cache, key, fw)
