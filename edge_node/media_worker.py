"""pjsua2 media worker: a B2BUA that answers the caller, calls the callee through Kamailio,
bridges audio both ways and records each party, then spools the CDR and the recording.

This is the only module that imports pjsua2 (forced global state: one Endpoint per
process). Every pjsua2 callback runs on the main thread, which polls
``libHandleEvents``; pjsua's own C threads (RTP ioqueue, conference clock) never take
the GIL. Journals and CDRs are written by a ``SpoolWriter`` thread, so the event thread
never waits for the disk. Decisions (headers -> call setup, events -> CDR) live in
``pbx_core.bridge``.

Trust: the worker acts only on its edge's decisions. Its SIP socket is on loopback or a
private address (``bind_problem``), an INVITE must come from one of ``trusted_sources``
(the edge's Kamailio: its ``--proxy`` by default) and carry the edge's signature over the
``X-PBX-*`` headers it uses (``pbx_core.edgesig``, the per-edge key file of
``edge_node.signing_key``); a REFER's Refer-To must be one the edge signed for this call and
tenant. Anything else gets 403 and a log line. Headers are read as SIP parsers read them
(``pbx_core.sipmsg``: folded lines are no headers).
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pjsua2 as pj

from edge_node import commands as cmdspool
from edge_node import contact_routes as croutes
from edge_node import live, logs, music, prompts, signing_key, tenant_prompts
from edge_node.queues import QueueRunner
from edge_node.sched import tune_clock_thread
from edge_node.spool import Spool, SpoolWriter, process_start_time, safe_key, wav_closed
from pbx_core import acd, defaults, edgesig
from pbx_core import bridge as core
from pbx_core import cdr as cdrmod
from pbx_core import events as ev
from pbx_core.edgesig import HDR_SIG
from pbx_core.errors import ValidationError
from pbx_core.routing import (
    AGENT_CODES,
    HDR_BRIDGE,
    HDR_CALLER,
    HDR_KIND,
    HDR_TENANT,
    HDR_TRUNK,
    KIND_INBOUND,
    KIND_INTERNAL,
    KIND_OUTBOUND,
    KIND_PICKUP,
    KIND_TRANSFER,
    OWNER_RING_S,
    REASON_HEADER,
    is_safe_token,
    owner_first,
)
from pbx_core.sipmsg import SipHead, parse_head

log = logging.getLogger("probox.worker")


@dataclass(frozen=True)
class WorkerSettings:
    sip_host: str
    sip_port: int
    proxy: str  # host:port of Kamailio, the B-legs' outbound proxy
    spool: Path
    edge_id: str = "edge-local"
    worker_id: str = "w1"
    ring_timeout_s: float = 30.0
    rtp_port: int = 0  # first RTP port; 0 lets pjsua choose
    rtp_port_range: int = 0
    max_calls: int = 1000
    log_level: int = 1
    # SIP socket receive buffer. The system default (208 KB, ~90 messages) overflows in
    # bursts at a few hundred calls/s while the event thread runs callbacks: the drops
    # turn into 500 ms+ retransmissions. Capped by net.core.rmem_max.
    sip_rcvbuf: int = 4 << 20
    # The conference-bridge clock thread times every RTP packet the worker sends: under CPU
    # contention it is the first to fall behind (jitter at the phones). SCHED_FIFO priority
    # for it (0 = off; needs LimitRTPRIO or CAP_SYS_NICE) and a CPU to pin it to (-1 = any),
    # one CPU per worker so that two workers' clocks never queue behind each other.
    rt_clock_priority: int = 0
    clock_cpu: int = -1
    # The per-edge key the edge signs its decisions with (edge_node.signing_key; created 0600
    # if missing). None: no call is accepted.
    signing_key: Path | None = None
    # Where SIP is accepted from: "ip", "ip:port" or a network; () = the proxy only.
    trusted_sources: tuple[str, ...] = ()
    # The address RTP binds and SDP announces ("" = sip_host): the phones' audio may need a
    # public address while SIP stays on loopback or a private network.
    rtp_host: str = ""
    # SDES-SRTP (RFC 4568) for the phones that offer it, never required (``configure_srtp``).
    srtp: bool = True
    # Music on hold (issue 16): the 8 kHz mono 16-bit WAV looped to a party whose other party
    # holds the call; written with the product's music (edge_node.music) if missing. None: silence.
    music_on_hold: Path | None = None
    # The edge's snapshot file (the agent writes it): the tenants' call-center queues and
    # their agents' statuses (issue 16). None: no queues on this worker.
    snapshot: Path | None = None
    # The queues' spoken prompts (edge_node.prompts: made in the background at start when
    # missing). None: the waiting callers hear the music only.
    prompts: Path | None = None

    @property
    def trusted(self) -> tuple[str, ...]:
        return self.trusted_sources or (self.proxy,)


def bind_problem(sip_host: str, allow_public: bool = False) -> str | None:
    """Why the worker must not listen for SIP on ``sip_host`` (None = fine). Only the edge
    talks SIP to a worker: loopback or a private address keeps everybody else out before
    any check runs. A public address needs ``allow_public`` (then the source check and
    the signature are all that is left)."""
    try:
        ip = ipaddress.ip_address(sip_host)
    except ValueError:
        return f"--sip-host must be an IP address: {sip_host!r}"
    if ip.is_unspecified:
        return f"--sip-host {sip_host} listens on every address, the public ones too"
    if ip.is_global and not allow_public:
        return (
            f"--sip-host {sip_host} is a public address: workers take SIP from their edge only; "
            "bind loopback or a private address (--rtp-host for the phones' audio), or pass --allow-public-sip"
        )
    return None


def configure_srtp(media: Any, on: bool) -> None:
    """SRTP on a leg only where its peer wants it (issue 13 item 8). Answering (the caller's
    leg): an RTP/SAVP offer with ``a=crypto`` gets SRTP, a plain offer plain RTP. Offering
    (callee and transfer legs): RTP/AVP with ``a=crypto`` (opportunistic SRTP, RFC 8643), so
    a peer that ignores the attribute answers plain RTP; the edge removes the keys from offers
    to peers it does not reach over TLS; a phone that requires SRTP and refuses that offer
    (488) gets one more, RTP/SAVP (``Bridge.retry_with_srtp_required``). SDES keys only (no
    DTLS); no "secure signalling" is
    demanded of the hop to this worker, which is the edge's loopback or private network. The
    conference bridge sees decrypted audio, so recordings are unchanged."""
    media.srtpUse = pj.PJMEDIA_SRTP_OPTIONAL if on else pj.PJMEDIA_SRTP_DISABLED
    media.srtpSecureSignaling = 0
    media.srtpOpt.keyings.clear()
    media.srtpOpt.keyings.append(pj.PJMEDIA_SRTP_KEYING_SDES)


# pjmedia closes a recorder at the bridge's next tick (20 ms); past this the CDR goes anyway.
CLOSE_RECORDINGS_S = 2.0
# How often the RTCP statistics of the calls up are read (B3; a few microseconds per leg).
QUALITY_SAMPLE_S = 2.0
# How often the spool is looked at for click-to-call commands (one folder listing).
COMMANDS_S = 0.2
QUEUE_TICK_S = 0.25  # the queues' timers (ring timeouts, max wait, announcements, wrap-up)
# A prompt pjsua refused (PJ_ETOOMANY: all of its players in use, ~1,000 callers announced
# at once with the build's 256) is tried again this much later; meanwhile the waiting caller
# keeps the music. A waiting caller's announcement is tried until it plays (players free up
# as other prompts end), the caller stops waiting or the queue's next one replaces it; a last
# word (then the call ends) PROMPT_TRIES times in all, so a call is not held up for long.
PROMPT_RETRY_S = 1.0
PROMPT_TRIES = 5


def now() -> datetime:
    return datetime.now(UTC)


def _now() -> int:
    """Unix seconds, for the edge's signatures."""
    return int(time.time())


def uri_domain(uri: str) -> str:
    """Host part of a sip: URI, without port or parameters."""
    rest = uri.split(":", 1)[1] if ":" in uri else uri
    host = rest.split("@", 1)[-1]
    return host.split(";", 1)[0].split(":", 1)[0].split(">", 1)[0].lower()


def _op(code: int = 0, reason: str = "", headers: dict[str, str] | None = None) -> Any:
    prm = pj.CallOpParam(True)
    if code:
        prm.statusCode = code
    if reason:
        prm.reason = reason
    for name, value in (headers or {}).items():
        h = pj.SipHeader()
        h.hName = name
        h.hValue = value
        prm.txOption.headers.append(h)
    return prm


def reply_header(prm: Any, name: str) -> str:
    """A header of the reply that moved a call's state ("" = none, or no reply): the edge
    adds X-PBX-Trunk to replies from a carrier trunk, X-PBX-Reason to its refusals."""
    if prm.e.type != pj.PJSIP_EVENT_TSX_STATE or prm.e.body.tsxState.type != pj.PJSIP_EVENT_RX_MSG:
        return ""
    return parse_head(prm.e.body.tsxState.src.rdata.wholeMsg).get(name)


def _hangup(leg: Any, prm: Any) -> bool:
    """Hang up a leg; False if pjsua says it has already ended (under load a CANCEL or BYE
    crosses ours before its DISCONNECTED callback runs). One call's race must not skip the
    rest of a callback, nor stop the event loop for every other call."""
    try:
        leg.hangup(prm)
        return True
    except pj.Error as exc:
        log.info("leg already ended: %s", getattr(exc, "reason", exc))
        return False


def _guard(fn: Callable[..., None]) -> Callable[..., None]:
    """An exception in a pjsua2 callback silently skips the rest of it: log it instead."""

    def wrapper(*args: Any) -> None:
        try:
            fn(*args)
        except Exception:
            log.exception("callback %s failed", fn.__name__)

    wrapper.__name__ = fn.__name__
    return wrapper


def _slot(leg: Any) -> int:
    """The conference slot of a leg's audio (-1: none, e.g. after its hang-up). A leg pjsua
    has not created yet (a transfer's new leg inside the REFER callback) is not asked:
    pjsua2 would read the call info of an invalid id."""
    if leg.getId() == pj.PJSUA_INVALID_ID:
        return -1
    try:
        return int(leg.getAudioMedia(-1).getPortId())
    except pj.Error:
        return -1


class _quiet:
    """Ignore a pjsua error (a connection already gone is not worth a log line)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, typ: object, exc: object, tb: object) -> bool:
        return isinstance(exc, pj.Error)


class Leg(pj.Call):  # type: ignore[misc]
    def __init__(self, acc: Any, bridge: Bridge | None, role: str, call_id: int = pj.PJSUA_INVALID_ID) -> None:
        super().__init__(acc, call_id)
        self.bridge = bridge
        self.role = role  # "caller" | "callee"
        self.media_active = False
        self.disconnected = False
        self.last_code = 0
        self.target = ""  # a transfer leg: what it dialled
        self.replacing: Leg | None = None  # a transfer leg: the transferor's leg it takes over
        self.confirmed = False
        self.trunk_id = ""  # the edge sent this leg out through this carrier trunk (F4)
        self.refusal = ""  # X-PBX-Reason of the answer that refused this leg (a callee's)
        self.party = ""  # who is on this leg: an extension or a number (live events)
        self.held = False  # the phone put this leg on hold (live events)
        self.quality: ev.Quality | None = None  # its RTCP statistics when last sampled (B3)
        self.offer = ""  # a queue's offer to this agent's extension (issue 16)
        self.withdrawn = False  # the queue cancelled this offer: its end is not a "no answer"

    def sample_quality(self, talk_s: float) -> None:
        """This leg's B3 quality from pjsua2's RTCP statistics (a copy of counters pjmedia
        keeps anyway: microseconds, on the event thread). Keeps the last one when the leg
        has no media (before the answer, after the hang-up)."""
        try:
            rtcp = self.getStreamStat(0).rtcp
        except pj.Error:
            return
        rtt = rtcp.rttUsec
        counters = live.RtpCounters(
            rx_packets=int(rtcp.rxStat.pkt),
            tx_packets=int(rtcp.txStat.pkt),
            rx_lost=int(rtcp.rxStat.loss),
            jitter_us=float(rtcp.rxStat.jitterUsec.last),
            rtt_us=float(rtt.last) if rtt.n > 0 else None,
        )
        self.quality = live.quality_of(counters, talk_s=talk_s)

    @_guard
    def onCallState(self, prm: Any) -> None:
        ci = self.getInfo()
        self.last_code = ci.lastStatusCode
        if self.target and not self.trunk_id and ci.state in (pj.PJSIP_INV_STATE_EARLY, pj.PJSIP_INV_STATE_CONNECTING):
            self.trunk_id = reply_header(prm, HDR_TRUNK)
        if ci.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.disconnected = True
            if self.bridge is not None and self.media_active:
                self.sample_quality(self.bridge.talk_s())
            placed = self.role == "callee" or (self.bridge is not None and self.bridge.command is not None)
            if placed and not self.confirmed:  # a leg this worker placed: the edge's refusal
                reason = reply_header(prm, REASON_HEADER)
                self.refusal = reason if is_safe_token(reason) else ""
        if self.bridge is None:
            return
        if ci.state == pj.PJSIP_INV_STATE_EARLY and self.bridge.command is not None and self is self.bridge.a:
            self.bridge.command_report("agent_ringing")
        if ci.state == pj.PJSIP_INV_STATE_CONFIRMED:
            self.confirmed = True
            self.bridge.on_confirmed(self)
        elif ci.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            # No silent source for a hang-up: a leg of the bridge hanging up ends the call
            # (its channel stops; the merge pads the shorter channel), and a transfer target
            # that never answered had its channel on the silent source since the transfer
            # request. Fed until the recorders closed, it put ~0.5 s of silence after the
            # end of the call on both channels.
            self.bridge.on_disconnected(self, ci.lastStatusCode)

    @_guard
    def onCallTransferRequest(self, prm: Any) -> None:
        if self.bridge is None:
            prm.statusCode = 603
            return
        self.bridge.on_transfer_request(self, prm)

    @_guard
    def onCallReplaceRequest(self, prm: Any) -> None:
        # F3 attended transfer: an INVITE with Replaces naming this leg (pjsip matched the
        # dialog; it answers the new call and ends this one itself).
        if self.bridge is None:
            prm.statusCode = 481
            return
        self.bridge.on_replace_request(self, prm)

    @_guard
    def onCallReplaced(self, prm: Any) -> None:
        if prm.newCall is None and self.bridge is not None:
            log.error("replaced without a new leg", extra=self.bridge.log_extra)

    @_guard
    def onDtmfDigit(self, prm: Any) -> None:
        # The conference bridge carries audio only: RFC 4733 events are relayed by hand.
        if self.bridge is not None:
            self.bridge.relay_dtmf(self, str(prm.digit))

    @_guard
    def onCallMediaState(self, prm: Any) -> None:
        ci = self.getInfo()
        media = ci.media
        active = False
        for i in range(len(media)):
            if media[i].type == pj.PJMEDIA_TYPE_AUDIO and media[i].status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                active = True
        self.media_active = active
        held = any(
            media[i].type == pj.PJMEDIA_TYPE_AUDIO and media[i].status == pj.PJSUA_CALL_MEDIA_REMOTE_HOLD
            for i in range(len(media))
        )
        if self.bridge is not None and held != self.held and (held or active):
            self.held = held
            self.bridge.emit(ev.HELD if held else ev.RESUMED, by=self.party)
        if self.bridge is not None:
            if active and self is self.bridge.a and self.bridge.feature_call:
                # a feature code's answer: the confirmation, then the end of the call
                files, self.bridge.feature_call = self.bridge.pending_prompt, False
                if not self.bridge.announce(files, then_hang_up=True):
                    _hangup(self, _op())
            if active and self is self.bridge.a and self.bridge.pending_welcome:
                # a queue's own welcome, once the caller's media is up (then the music)
                files, self.bridge.pending_welcome = self.bridge.pending_welcome, []
                if self.bridge.queue_waiting:
                    self.bridge.announce(files)
            if active:
                self.bridge.connect_media()
            else:
                self.bridge.leg_detached(self)
            self.bridge.update_music()


class Announcer(pj.AudioMediaPlayer):  # type: ignore[misc]
    """A queue prompt: a playlist played once. pjmedia calls ``onEof2`` from its clock
    thread, where nothing may be done but noting it; the worker's queue tick does the rest."""

    def __init__(self, then_hang_up: bool) -> None:
        super().__init__()
        self.then_hang_up = then_hang_up
        self.done = False

    def onEof2(self) -> None:
        self.done = True


class Bridge:
    """One call: the caller's leg (answered by us) and the callee's leg (placed by us)."""

    def __init__(self, worker: Worker, record: core.BridgeRecord, domain: str) -> None:
        self.worker = worker
        self.rec = record
        self.domain = domain
        self.key = safe_key(record.call_id)
        self.a: Leg | None = None
        self.b: Leg | None = None
        self.recorders: list[Any] = []  # [caller's channel, callee's channel]
        self.silenced = [False, False]  # the worker's silent source feeds that recorder
        self.replaced: list[Leg] = []  # transferors' legs, kept referenced until they end
        self.connected = False
        self.finished = False
        self.srtp_retried = False  # the callee leg was placed again with SRTP required
        self.quality: tuple[cdrmod.CdrQuality, ...] = ()  # each leg's at the end, for the CDR (B3)
        # Music on hold: the leg the worker's player feeds, and its conference slot then.
        self.music_to: Leg | None = None
        self.music_slot = -1
        self.ring_deadline = time.monotonic() + worker.settings.ring_timeout_s
        # Click-to-call (issue 17): leg a is placed by the worker to the agent's phone, leg b
        # to the target once the agent answers; progress goes back to the agent's spool.
        self.command: cmdspool.Originate | None = None
        self.command_sent: set[str] = set()
        # Call-center queue (issue 16): the caller waits (music) while the queue's engine
        # rings agents (``offers``, one leg each); the first to answer becomes leg b.
        self.queue_id = record.setup.queue_id
        self.queue_waiting = bool(self.queue_id)  # answered by the worker, no agent yet
        self.queue_call_id = ""  # the engine's call id (the caller's, also for a callback)
        self.offers: dict[str, Leg] = {}  # ringing offers by agent extension
        self.offer_legs: list[Leg] = []  # every offer leg, referenced until it ends
        self.queue_agent = ""  # the agent who took the call
        self.callback_agent = ""  # a callback (B4): the agent rung first
        self.announcer: Announcer | None = None  # a prompt playing to the waiting caller
        # A prompt pjsua refused, to try again at the queue tick: (files, then_hang_up, tries so far).
        self.prompt_retry: tuple[list[Path], bool, int] | None = None
        self.prompt_retry_at = 0.0
        self.feature_call = False  # a feature code: answered, confirmed, ended
        # Routing by owner (issue 17 item 4): the contact's owner's extension rings first;
        # when it does not answer, the call goes on to ``owner_then`` (its own callee) or
        # into its queue. ``vip``: a VIP contact goes ahead in a queue.
        self.owner_ringing = ""
        self.owner_then = ""
        self.owner_queue = ""  # the queue the call joins after the owner (a personal call till then)
        self.vip = False
        self.spent: list[Leg] = []  # legs that rang and are over, referenced until pjsua is done
        self.message_pending = False  # a queue's "message" overflow: recording after the prompt
        self.pending_prompt: list[Path] = []  # its confirmation, played once the media is up
        self.pending_welcome: list[Path] = []  # a queue's own welcome, played once the media is up

    def command_report(self, state: str, reason: str = "") -> None:
        """Progress of this call's click-to-call command, once per state; nothing after
        connected or failed."""
        o = self.command
        if o is None or not o.id or state in self.command_sent or {"connected", "failed"} & self.command_sent:
            return
        self.command_sent.add(state)
        try:
            cmdspool.report(self.worker.spool.root, o.id, state, call_id=self.rec.call_id, reason=reason)
        except OSError as exc:
            log.error("command report not written: %s", exc, extra={**self.log_extra, "command_id": o.id})
        log.info("click-to-call", extra={**self.log_extra, "command_id": o.id, "state": state, "reason": reason})

    @property
    def log_extra(self) -> dict[str, str]:
        return {"tenant_id": self.rec.setup.tenant_id, "call_id": self.rec.call_id}

    def talk_s(self) -> float:
        answered = self.rec.answered_at
        return (now() - answered).total_seconds() if answered is not None else 0.0

    def sample_quality(self) -> None:
        talk = self.talk_s()
        for leg in (self.a, self.b):
            if leg is not None and leg.media_active and not leg.disconnected:
                leg.sample_quality(talk)

    def emit(self, kind: str, *, by: str = "", target: str = "", transfer_kind: str = "") -> None:
        """A live event of this call (issue 15) to the worker's event writer thread: built
        here (microseconds), written there, posted by the agent. Never fails the call."""
        try:
            s, w = self.rec.setup, self.worker
            a, b = self.a, self.b
            event = live.build_event(
                self.rec,
                kind,
                at=now(),
                parties=(a.party if a is not None else s.caller, b.party if b is not None else s.callee),
                quality=(a.quality if a is not None else None, b.quality if b is not None else None),
                leg_trunks=(a.trunk_id if a is not None else "", b.trunk_id if b is not None else ""),
                edge_id=w.settings.edge_id,
                worker_id=w.settings.worker_id,
                by=by,
                target=target,
                transfer_kind=transfer_kind,
            )
            w.events.emit(event)
        except Exception:
            log.exception("call event not written", extra={**self.log_extra, "kind": kind})

    def start_callee_leg(self, acc: Any) -> None:
        s = self.rec.setup
        self.b = Leg(acc, self, "callee")
        self.b.party = s.callee
        # X-PBX-Bridge lets the edge find this ringing call for a pickup (F5).
        headers = {HDR_TENANT: s.tenant_id, HDR_CALLER: s.caller, HDR_KIND: "leg", HDR_BRIDGE: self.key}
        self.b.makeCall(f"sip:{s.callee}@{self.domain}", _op(headers=headers))

    def write_journal(self) -> None:
        """Keep what a CDR needs on disk while the call is up, so a crash of this process
        still yields a CDR (the agent recovers journals of dead workers)."""
        w = self.worker
        doc = {
            **self.rec.to_journal(),
            "pid": os.getpid(),
            "pid_start": w.pid_start,
            "edge_id": w.settings.edge_id,
            "worker_id": w.settings.worker_id,
            "recordings": [p.name for p in w.spool.recording_paths(self.key)] if self.rec.setup.record else [],
        }
        w.writer.put_journal(self.key, doc)  # written by the spool thread, in order

    def chain_changed(self) -> None:
        """A transfer, replacement or outside leg of an answered call: rewrite the journal,
        so that the CDR recovered after a crash of this process keeps them. Queued before
        the CDR (same spool thread, in order), never after it."""
        if self.rec.answered_at is not None and self.rec.ended_at is None and not self.finished:
            self.write_journal()

    def on_confirmed(self, leg: Leg) -> None:
        if leg.offer:
            self.offer_answered(leg)
            return
        if leg in self.replaced:
            # A phone that answered just after it was picked up or transferred away.
            _hangup(leg, _op())
            return
        if leg in (self.a, self.b) and self.replaced:
            # A transfer target answered: let the transferors go (they may have already).
            for old in self.replaced:
                if not old.disconnected:
                    _hangup(old, _op())
        if leg.target and leg.trunk_id:
            self.rec = self.rec.external_leg(leg.target, leg.trunk_id, now())
            self.chain_changed()
            log.info("external leg answered", extra={**self.log_extra, "trunk": leg.trunk_id})
        if self.command is not None and leg is self.a and self.b is None:
            # The agent's phone answered: now the customer (ring timeout starts again).
            self.command_report("agent_answered")
            if self.callback_agent:  # a queue's callback: the agent took it
                self.queue_agent = self.callback_agent
                self.worker.queue_offer_result(self, self.callback_agent, answered=True)
            self.ring_deadline = time.monotonic() + self.worker.settings.ring_timeout_s
            try:
                self.start_callee_leg(self.worker.acc)
            except pj.Error as exc:
                log.error("cannot place the callee leg: %s", getattr(exc, "reason", exc), extra=self.log_extra)
                self.b = None
                self.rec = self.rec.ended(now(), 503, "system")
                self.command_report("failed", "worker_busy")
                _hangup(leg, _op())
            return
        if leg.role == "callee" and self.rec.answered_at is None:
            assert self.a is not None
            if self.rec.ended_at is not None or self.a.disconnected or not self._answer_caller():
                # The caller gave up (or we timed out) as the callee answered: CANCEL and
                # 200 crossed. The callee's phone gets a BYE; the CDR stays unanswered.
                _hangup(leg, _op())
                return
            self.rec = self.rec.answered(now())
            self.write_journal()
            if self.queue_waiting:  # an overflow to an extension answered: no more music
                self.queue_waiting = False
                self.update_music()
            self.emit(ev.ANSWERED)
            self.command_report("connected")
            if self.callback_agent and self.queue_agent:  # a queue's callback reached its customer
                self.worker.queue_callback_result(self, connected=True)
            log.info("call answered", extra=self.log_extra)

    def _answer_caller(self) -> bool:
        assert self.a is not None
        if self.command is not None or self.a.confirmed:
            # click-to-call: leg a is our own call, the agent answered it already; a queue's
            # caller was answered when it joined.
            return True
        try:
            self.a.answer(_op(200))
            return True
        except pj.Error as exc:
            log.info("caller left before the answer: %s", getattr(exc, "reason", exc), extra=self.log_extra)
            return False

    def connect_media(self) -> None:
        if not (self.a and self.b and self.a.media_active and self.b.media_active):
            return
        am = self.a.getAudioMedia(-1)
        bm = self.b.getAudioMedia(-1)
        am.startTransmit(bm)
        bm.startTransmit(am)
        if self.rec.setup.record:
            if not self.recorders:
                # Two mono recorders started back to back, in the same bridge tick in
                # practice: equal lengths, merged into stereo (caller left, callee right).
                for path in self.worker.spool.recording_paths(self.key):
                    r = pj.AudioMediaRecorder()
                    r.createRecorder(str(path))
                    self.recorders.append(r)
            # (Re)connected after hold, transfer or pickup: the channel follows the side.
            am.startTransmit(self.recorders[0])
            bm.startTransmit(self.recorders[1])
            self._silence(0, False)
            self._silence(1, False)
        self.connected = True

    def music_wanted(self) -> Leg | None:
        """The leg that should hear music on hold now, if any: its phone is up (media active,
        not itself holding) while the other side holds the call, or while the other side is
        a transfer target not yet answered (the transferor has left the conversation), or
        while it waits in a call-center queue."""
        a = self.a
        if self.announcer is not None:
            return None  # the caller hears a prompt instead
        if self.queue_waiting and a is not None and not a.disconnected and a.media_active and not a.held:
            return a
        for leg, other in ((self.a, self.b), (self.b, self.a)):
            if leg is None or other is None or leg.disconnected or leg.held or not leg.media_active:
                continue
            if other.disconnected:
                continue
            if other.held or (other.replacing is not None and not other.media_active):
                return leg
        return None

    def update_music(self) -> None:
        """Connect the worker's one looping player to the leg that should hear music, and
        disconnect it when nobody should (resume, hang-up, transfer answered). Conference-
        bridge connections only (queued to the bridge clock): no I/O on the event thread.
        The player feeds the waiting party's port only: not the holding party, not the
        recorders (music is not recorded, see docs/edge.md)."""
        player = self.worker.music
        if player is None or self.finished:
            return
        want = self.music_wanted()
        slot = _slot(want) if want is not None else -1
        if want is not None and slot < 0:
            want = None
        if want is self.music_to and slot == self.music_slot:
            return
        self._music_off()
        if want is None:
            return
        try:
            port = want.getAudioMedia(-1)
            # Whatever the holder's phone still sends (sendonly: often its own tune or
            # noise) and a leaving transferor's audio are not mixed into the music.
            for src in (self.a, self.b, *self.replaced):
                if src is not None and src is not want and not src.disconnected and _slot(src) >= 0:
                    with _quiet():
                        src.getAudioMedia(-1).stopTransmit(port)
            player.startTransmit(port)
        except pj.Error as exc:
            log.warning("music on hold not started: %s", getattr(exc, "reason", exc), extra=self.log_extra)
            return
        self.music_to, self.music_slot = want, slot
        log.info("music on hold", extra={**self.log_extra, "to": want.role})

    def _music_off(self) -> None:
        """Disconnect the player from the leg it feeds, unless that leg's conference port has
        gone (hang-up) or was re-created (a re-INVITE): pjmedia dropped those connections,
        and the old slot number may already belong to another call."""
        leg, slot = self.music_to, self.music_slot
        self.music_to, self.music_slot = None, -1
        player = self.worker.music
        if leg is None or player is None or leg.disconnected or _slot(leg) != slot:
            return
        with _quiet():
            player.stopTransmit(leg.getAudioMedia(-1))

    def _silence(self, channel: int, on: bool) -> None:
        """A recorder nobody transmits to gets no samples at all (pjmedia sends it NULL
        frames): while a leg is on hold or being replaced its conference port is re-created
        or gone, and that channel would fall behind the other. The worker's silent source
        feeds a channel only then: a recorder with two transmitters costs the bridge clock
        a mix instead of a copy on every tick."""
        silence = self.worker.silence
        if not self.recorders or self.silenced[channel] == on or silence is None:
            return
        self.silenced[channel] = on
        try:
            if on:
                silence.startTransmit(self.recorders[channel])
            else:
                silence.stopTransmit(self.recorders[channel])
        except pj.Error as exc:
            log.warning("recorder silence not switched: %s", getattr(exc, "reason", exc), extra=self.log_extra)

    def leg_detached(self, leg: Leg) -> None:
        """``leg`` lost its media while the call goes on (hold, re-INVITE, transfer, pickup):
        keep its channel on the clock. Not at a hang-up, which ends the call."""
        if leg is self.a:
            self._silence(0, True)
        elif leg is self.b:
            self._silence(1, True)

    def on_transfer_request(self, leg: Leg, prm: Any) -> None:
        """Blind transfer (REFER from either party): pjsua dials the Refer-To the edge
        rewrote; the new leg takes the transferor's place in the bridge and in the
        recording (same channel), and the transferor's leg is let go."""
        if self.rec.answered_at is None or leg not in (self.a, self.b):
            prm.statusCode = 603
            return
        refused = core.refer_refusal(
            self.rec, self.domain, self.worker.key, leg.getInfo().callIdString, prm.dstUri, _now()
        )
        if refused:
            log.warning("transfer refused", extra={**self.log_extra, "by": leg.role, "reason": refused})
            prm.statusCode = 403
            return
        new = Leg(self.worker.acc, self, leg.role)
        prm.newCall = new
        prm.statusCode = 202
        self.replaced.append(leg)
        self.leg_detached(leg)  # its port goes when it hangs up, maybe before the new leg joins
        if leg is self.a:
            self.a = new
        else:
            self.b = new
        target = prm.dstUri.split("sip:", 1)[-1].split("@", 1)[0]
        new.target = target
        new.party = target
        new.replacing = leg
        kind = "attended_transfer" if "replaces=" in prm.dstUri.lower() else "transfer"
        self.rec = self.rec.with_event(f"{kind}:{target}")
        self.chain_changed()
        if self.queue_agent:  # a queue call sent on: TRANSFER in the queue log, the agent wraps up
            self.worker.queue_transferred(self, target)
        self.update_music()  # the transferee waits for the target with music
        self.emit(
            ev.TRANSFERRED, by=leg.party, target=target, transfer_kind="attended" if "attended" in kind else "blind"
        )
        log.info("transfer accepted", extra={**self.log_extra, "by": leg.role, "target": target, "kind": kind})

    def on_replace_request(self, leg: Leg, prm: Any) -> None:
        """F3 attended transfer, the target's side: the transferor's consultation leg is
        replaced by the transferee's new leg (placed by the worker that got the REFER and
        routed here by the edge, which signed it). Only an edge-routed transfer leg of this
        tenant may replace a leg; pjsip answers it and sends the old leg a BYE."""
        decision = self.worker.edge_decision(prm.rdata)
        values = decision.values if isinstance(decision, edgesig.Verified) else {}
        tenant = values.get(HDR_TENANT.lower(), "")
        if (
            leg not in (self.a, self.b)
            or tenant != self.rec.setup.tenant_id
            or values.get(HDR_KIND.lower()) != KIND_TRANSFER
            or self.rec.answered_at is None
        ):
            reason = decision if isinstance(decision, str) else "other_tenant"
            log.warning("replace refused", extra={**self.log_extra, "by_tenant": tenant, "reason": reason})
            prm.statusCode = 403
            return
        new = Leg(self.worker.acc, self, leg.role)
        prm.newCall = new
        self.replaced.append(leg)
        self.leg_detached(leg)
        if leg is self.a:
            self.a = new
        else:
            self.b = new
        by = values.get(HDR_CALLER.lower(), "")
        new.party = by
        self.rec = self.rec.with_event(f"replaced_by:{by}")
        self.chain_changed()
        self.update_music()
        self.emit(ev.TRANSFERRED, by=leg.party, target=by or leg.party, transfer_kind="attended")
        log.info("leg replaced", extra={**self.log_extra, "role": leg.role, "by": by})

    def pick_up(self, leg: Leg, picker: str) -> None:
        """F5: ``leg`` (the picker's INVITE) takes the ringing callee leg's place; the
        ringing phone gets a CANCEL saying the call was answered elsewhere."""
        old = self.b
        assert old is not None
        self.replaced.append(old)
        self.leg_detached(old)
        self.b = leg
        leg.party = picker
        self.rec = self.rec.with_event(f"pickup:{picker}")
        self.emit(ev.PICKED_UP, by=picker)
        if not old.disconnected:
            _hangup(old, _op(headers={"Reason": 'SIP;cause=200;text="Call completed elsewhere"'}))
        leg.answer(_op(200))
        log.info("call picked up", extra={**self.log_extra, "by": picker})

    # --- call-center queue (issue 16) -----------------------------------------------------
    def announce(self, files: list[Path], then_hang_up: bool = False, *, tries: int = 0) -> bool:
        """Play a prompt to the waiting caller (the music pauses meanwhile); False when it
        cannot (no prompts yet, the caller's media not up, a prompt already playing). A
        prompt pjsua refuses (PJ_ETOOMANY when every player is in use) is tried again
        ``PROMPT_RETRY_S`` later by the queue tick (``retry_prompt``), the music going on
        meanwhile: True then too, as it will be said (a last word: False after ``PROMPT_TRIES``)."""
        a = self.a
        if a is None or a.disconnected or not a.media_active or self.announcer is not None:
            return False
        if not files or not all(f.exists() for f in files):
            return False
        try:
            player = Announcer(then_hang_up)
            player.createPlaylist([str(f) for f in files], "prompt", pj.PJMEDIA_FILE_NO_LOOP)
            self.announcer = player
            self.update_music()
            player.startTransmit(a.getAudioMedia(-1))
        except pj.Error as exc:
            self.announcer = None
            self.update_music()
            return self._prompt_refused(files, then_hang_up, tries + 1, exc)
        self.prompt_retry = None  # a newer prompt replaces one waiting for its retry
        if tries:
            self.worker.prompts_replayed += 1
            log.info("prompt played on a retry", extra={**self.log_extra, "tries": tries + 1})
        return True

    def _prompt_refused(self, files: list[Path], then_hang_up: bool, tries: int, exc: Any) -> bool:
        w = self.worker
        w.prompts_refused += 1
        retry = not then_hang_up or tries < PROMPT_TRIES
        self.prompt_retry = (files, then_hang_up, tries) if retry else None
        self.prompt_retry_at = time.monotonic() + PROMPT_RETRY_S
        extra = {**self.log_extra, "status": getattr(exc, "status", 0), "tries": tries, "retry": retry,
                 "refused_total": w.prompts_refused}  # fmt: skip
        # a warning at the first refusal and at the last; the retries between at debug (with
        # ~750 callers refused each second a line each would flood the log)
        level = logging.WARNING if tries == 1 or not retry else logging.DEBUG
        log.log(level, "prompt not played: %s", getattr(exc, "reason", exc), extra=extra)
        return retry

    def retry_prompt(self, t: float) -> None:
        """The queue tick: a refused prompt is tried again when its time has come, if it is
        still wanted (a waiting caller's announcement: still waiting; a last word: always)."""
        pending = self.prompt_retry
        if pending is None or t < self.prompt_retry_at:
            return
        files, then_hang_up, tries = pending
        self.prompt_retry = None
        a = self.a
        if a is None or a.disconnected or self.finished:
            return
        if not then_hang_up and ((not self.queue_waiting and not self.message_pending) or self.announcer is not None):
            return  # answered, gone to an agent or already hearing a newer prompt (a message's prompt: still due)
        if self.announcer is not None:  # a last word waits for the prompt playing (not cut)
            self.prompt_retry, self.prompt_retry_at = pending, t + PROMPT_RETRY_S
            return
        if not self.announce(files, then_hang_up, tries=tries) and then_hang_up and self.prompt_retry is None:
            _hangup(a, _op())  # the last word cannot be said: the call ends as without prompts

    def announcement_over(self) -> None:
        """The prompt ended (seen by the worker's queue tick): the music again, or the end
        of the call when the prompt was its last word."""
        player, self.announcer = self.announcer, None
        a = self.a
        if player is not None and a is not None and not a.disconnected and _slot(a) >= 0:
            with _quiet():
                player.stopTransmit(a.getAudioMedia(-1))
        if player is not None and player.then_hang_up and a is not None and not a.disconnected:
            _hangup(a, _op())
            return
        if self.message_pending:
            self.start_message()
            return
        self.update_music()

    def start_message(self) -> None:
        """Record the caller's message (a queue's ``message`` overflow): the caller's channel
        of the call's recording, the other one silent; it ends when the caller hangs up or
        presses #, or after ``QUEUE_MESSAGE_MAX_S``. The CDR is an unanswered call with the
        recording (the control plane opens a ticket for a known contact)."""
        self.message_pending = False
        a = self.a
        if a is None or a.disconnected or not a.media_active:
            return
        self.rec = self.rec.left_message(now())
        self.write_journal()
        self.update_music()  # no music into the message
        try:
            if not self.recorders:
                for path in self.worker.spool.recording_paths(self.key):
                    r = pj.AudioMediaRecorder()
                    r.createRecorder(str(path))
                    self.recorders.append(r)
            a.getAudioMedia(-1).startTransmit(self.recorders[0])
            self._silence(1, True)
        except pj.Error as exc:
            log.error("message not recorded: %s", getattr(exc, "reason", exc), extra=self.log_extra)
            _hangup(a, _op())
            return
        self.ring_deadline = time.monotonic() + defaults.QUEUE_MESSAGE_MAX_S
        log.info("recording a message", extra=self.log_extra)

    def place_offer(self, agent: str) -> None:
        """Ring ``agent``'s extension with the waiting caller (through the edge, like every
        leg: the edge finds the phone and the agent's own limits)."""
        if agent in self.offers or self.a is None or self.a.disconnected:
            return
        s = self.rec.setup
        leg = Leg(self.worker.acc, self, "callee")
        leg.party = agent
        leg.offer = agent
        headers = {HDR_TENANT: s.tenant_id, HDR_CALLER: s.caller, HDR_KIND: "leg", HDR_BRIDGE: self.key}
        self.offer_legs.append(leg)
        try:
            leg.makeCall(f"sip:{agent}@{self.domain}", _op(headers=headers))
        except pj.Error as exc:
            why = getattr(exc, "reason", exc)
            log.error("cannot ring the agent: %s", why, extra={**self.log_extra, "agent": agent})
            leg.disconnected = True
            self.worker.queue_offer_result(self, agent, answered=False)
            return
        self.offers[agent] = leg

    def withdraw_offers(self, agents: tuple[str, ...] | None = None) -> None:
        """Stop ringing these agents (all when None): CANCEL, not counted as no answer."""
        for agent in list(self.offers) if agents is None else agents:
            leg = self.offers.pop(agent, None)
            if leg is not None and not leg.disconnected:
                leg.withdrawn = True
                _hangup(leg, _op())

    def offer_answered(self, leg: Leg) -> None:
        """An agent answered an offer: it takes the call (leg b), the other offers stop,
        the music stops when its media connects; too late (caller gone, another agent
        first) gets a BYE."""
        agent = leg.offer
        self.offers.pop(agent, None)
        if self.b is not None or self.a is None or self.a.disconnected or self.rec.ended_at is not None:
            leg.withdrawn = True
            _hangup(leg, _op())
            return
        self.b = leg
        self.queue_waiting = False
        self.queue_agent = agent
        self.withdraw_offers()
        self.rec = replace(self.rec, setup=replace(self.rec.setup, callee=agent)).answered(now())
        self.rec = self.rec.with_event(f"queue_answer:{agent}")
        self.write_journal()
        self.worker.queue_offer_result(self, agent, answered=True)
        self.update_music()
        self.connect_media()
        self.emit(ev.ANSWERED)
        log.info("queue call answered", extra={**self.log_extra, "queue_id": self.queue_id, "agent": agent})

    def offer_gone(self, leg: Leg, code: int) -> None:
        """An offer ended before it was answered: refused, busy, unreachable or timed out by
        the engine (withdrawn: not reported again). The caller goes on waiting."""
        if self.offers.get(leg.offer) is leg:
            del self.offers[leg.offer]
        if not leg.withdrawn and self.queue_waiting:
            log.info("offer not answered", extra={**self.log_extra, "agent": leg.offer, "code": code})
            self.worker.queue_offer_result(self, leg.offer, answered=False)
        self.maybe_finished()

    def overflow(self, target: str, reason: str) -> None:
        """The queue lets the caller go: to another queue, to an extension (rung like a
        normal call, with the music until it answers), or out (the call ends)."""
        self.withdraw_offers()
        self.prompt_retry = None  # a refused announcement of this queue is not said after it
        log.info("queue overflow", extra={**self.log_extra, "target": target or "hangup", "reason": reason})
        kind, _, value = target.partition(":")
        if kind == "queue" and value:
            self.queue_id = value
            self.worker.queue_enter(self)
            return
        if kind == "extension" and value and self.a is not None and not self.a.disconnected:
            self.queue_call_id = ""  # out of the queues
            self.rec = replace(self.rec, setup=replace(self.rec.setup, callee=value))
            self.rec = self.rec.with_event(f"queue_overflow:{value}")
            self.ring_deadline = time.monotonic() + self.worker.settings.ring_timeout_s
            try:
                self.start_callee_leg(self.worker.acc)
            except pj.Error as exc:
                log.error("cannot ring the overflow: %s", getattr(exc, "reason", exc), extra=self.log_extra)
                _hangup(self.a, _op())
            return
        if kind == "message" and self.a is not None and not self.a.disconnected and self.rec.setup.record:
            # a voicemail-style message: the prompt and the beep, then the caller is recorded
            self.queue_call_id, self.queue_waiting = "", False
            self.rec = self.rec.with_event("queue_overflow:message")
            if self.announcer is not None:
                self.announcement_over()
            self.message_pending = True
            files = self.worker.queue_prompt(self, "leave_message")
            if not (files and self.announce([*files, self.worker.beep()])):
                self.start_message()
            return
        # "", "message" (when the tenant's calls are not recorded: its storage is full, say)
        # and "callback" (the engine keeps the place and dials it) end the caller's call.
        self.queue_call_id = "" if kind != "callback" else self.queue_call_id
        self.queue_waiting = False
        self.rec = self.rec.with_event(f"queue_overflow:{target or 'hangup'}")
        if self.a is not None and not self.a.disconnected:
            if self.announcer is not None:
                self.announcement_over()
            # a callback overflow keeps the place (the engine dials it later): say so
            said = "callback_ok" if kind == "callback" else "closed"
            if not self.announce(self.worker.queue_prompt(self, said), then_hang_up=True):
                _hangup(self.a, _op())

    def queue_language(self) -> str:
        t = self.worker.queues.tenants.get(self.rec.setup.tenant_id)
        q = t.queues.get(self.queue_id) if t is not None else None
        return q.language if q is not None else "vi"

    def relay_dtmf(self, leg: Leg, digit: str) -> None:
        if self.rec.message_at is not None and leg is self.a:
            if digit == "#":  # the message is done
                _hangup(leg, _op())
            return
        if self.queue_waiting and leg is self.a:
            if digit == "1":
                self.worker.queue_callback(self)  # B4: called back later, keeping the place
            return
        other = self.b if leg.role == "caller" else self.a
        if other is not None and other.media_active and not other.disconnected:
            other.dialDtmf(digit)
            log.info("dtmf relayed", extra={**self.log_extra, "from": leg.role})

    def on_disconnected(self, leg: Leg, code: int) -> None:
        if leg.offer and leg is not self.b:
            self.offer_gone(leg, code)
            return
        if leg is self.a and self.queue_waiting and self.queue_call_id:
            self.worker.queue_left(self)  # a waiting caller hung up: ABANDON, offers withdrawn
        try:
            self.update_music()  # the waiting party left, or the holder did
        except Exception:
            log.exception("music on hold not updated", extra=self.log_extra)
        if leg.target and leg.trunk_id:  # no-op unless its external leg was answered
            self.rec = self.rec.external_leg_ended(leg.target, now())
            self.chain_changed()
        if leg in self.replaced:
            # A transferor leaving: the call goes on with the new leg.
            self.maybe_finished()
            return
        old = leg.replacing
        if not leg.confirmed and old is not None and old in self.replaced and not old.disconnected:
            # The transfer target did not answer (busy, absent, refused): the transferor
            # gets the call back (its phone learns the outcome from the REFER's NOTIFY).
            self.replaced.remove(old)
            if leg is self.a:
                self.a = old
            else:
                self.b = old
            self.rec = self.rec.with_event(f"transfer_failed:{leg.target}")
            self.chain_changed()
            log.info("transfer failed, call restored", extra={**self.log_extra, "code": code})
            self.replaced.append(leg)  # referenced until pjsua is done with it
            self.connect_media()
            self.update_music()  # still on hold by the transferor: the music goes on
            return
        if self.retry_with_srtp_required(leg, code):
            return
        if leg is self.b and self.owner_ringing and self.rec.answered_at is None and self.rec.ended_at is None:
            if self.a is not None and not self.a.disconnected:
                self.spent.append(leg)
                self.b = None
                self.after_owner(code)
                return
        if self.command is not None and self.rec.answered_at is None:
            self.command_report("failed", self.command_failure(leg, code))
        other = self.b if leg.role == "caller" else self.a
        if self.rec.ended_at is None:
            self.rec = self.rec.ended(now(), code, leg.role)
        if other is not None and not other.disconnected:
            if leg.role == "callee" and self.rec.answered_at is None:
                # Pass the callee's refusal (486, 480, 404...) back to the caller; after our
                # own ring timeout the callee's 487 (our CANCEL) is not the caller's answer.
                # The edge's reason (call_limit, trunk_busy, not_registered...) goes with it.
                out = code if 300 <= code < 700 else 480
                why = {REASON_HEADER: leg.refusal} if leg.refusal else None
                _hangup(other, _op(480, "No Answer") if self.rec.timed_out else _op(out, headers=why))
            else:
                _hangup(other, _op())
        self.maybe_finished()

    def command_failure(self, leg: Leg, code: int) -> str:
        """Why a click-to-call did not connect, for the agent's screen."""
        who = "agent" if leg is self.a else "target"
        if who == "agent" and leg.confirmed:
            return "agent_hung_up"
        if self.rec.timed_out:
            return f"{who}_no_answer"
        if leg.refusal:
            return f"{who}_{leg.refusal}"
        names = {486: "busy", 600: "busy", 603: "declined", 480: "unavailable", 404: "not_found", 487: "cancelled"}
        return f"{who}_{names.get(code, str(code or 'unreachable'))}"

    def retry_with_srtp_required(self, leg: Leg, code: int) -> bool:
        """A phone set to require SRTP (RTP/SAVP only) refuses the worker's opportunistic
        offer (RTP/AVP + a=crypto) with 488: place the callee leg once more, offering
        RTP/SAVP. Only the first leg to an extension (the edge gives phones reached over
        TLS the keys; to any other the second offer is refused the same way), only while
        the caller waits. True when the new leg is on its way."""
        acc = self.worker.acc_srtp
        if (
            code != 488
            or acc is None
            or self.srtp_retried
            or leg is not self.b
            or leg.role != "callee"
            or leg.confirmed
            or leg.target
            or self.rec.setup.kind not in (KIND_INTERNAL, KIND_INBOUND)
            or self.rec.ended_at is not None
            or self.a is None
            or self.a.disconnected
        ):
            return False
        self.srtp_retried = True
        self.worker.strays.append(leg)  # referenced until pjsua is done with it
        try:
            self.start_callee_leg(acc)
        except pj.Error as exc:
            log.error("cannot place the callee leg again: %s", getattr(exc, "reason", exc), extra=self.log_extra)
            self.b = leg
            return False
        log.info("callee refused opportunistic SRTP: offering RTP/SAVP", extra=self.log_extra)
        return True

    def maybe_finished(self) -> None:
        legs = [self.a, self.b, *self.replaced, *self.offer_legs, *self.spent]
        if all(x is None or x.disconnected for x in legs) and self not in self.worker.finished:
            self.worker.finished.append(self)

    def after_owner(self, code: int) -> None:
        """The owner's phone did not take the call (no answer, busy, absent): the call goes
        where its DID routes it, into its queue or to its extension, as if it came now."""
        owner, then = self.owner_ringing, self.owner_then
        self.owner_ringing = ""
        w = self.worker
        w.agent_busy(self, False)
        self.rec = replace(self.rec, setup=replace(self.rec.setup, callee=then)).with_event(f"owner_noanswer:{owner}")
        log.info("the owner did not take the call", extra={**self.log_extra, "owner_extension": owner, "code": code})
        if self.a is None or self.a.disconnected:
            return
        if self.owner_queue:
            self.queue_id = self.owner_queue
            w.queue_join(self)
            return
        w.agent_busy(self, True)
        self.ring_deadline = time.monotonic() + w.settings.ring_timeout_s
        try:
            self.start_callee_leg(w.acc)
            self.emit(ev.RINGING)
        except pj.Error as exc:
            log.error("cannot place the callee leg: %s", getattr(exc, "reason", exc), extra=self.log_extra)
            if self.b is not None:
                self.spent.append(self.b)
            self.b = None
            self.rec = self.rec.ended(now(), 503, "system")
            _hangup(self.a, _op(503))

    def ring_timeout(self) -> None:
        if self.rec.answered_at is not None or self.rec.ended_at is not None:
            return
        if self.rec.message_at is not None:  # the longest message: it ends here
            self.ring_deadline = float("inf")
            if self.a is not None and not self.a.disconnected:
                _hangup(self.a, _op())
            return
        if self.owner_ringing and self.b is not None and not self.b.disconnected:
            # the owner did not answer in time: CANCEL; its end (487) moves the call on
            log.info("the owner did not answer", extra={**self.log_extra, "owner_extension": self.owner_ringing})
            self.ring_deadline = float("inf")
            _hangup(self.b, _op())
            return
        log.info("ring timeout", extra=self.log_extra)
        self.rec = self.rec.ended(now(), 480, "system", timed_out=True)
        if self.b is not None and not self.b.disconnected:
            _hangup(self.b, _op())
        if self.a is not None and not self.a.disconnected:
            _hangup(self.a, _op(480, "No Answer"))

    def finalize(self) -> bool:
        """Outside callbacks, once per call: close the recorders and let the legs go. True
        when the CDR can be spooled now; False while pjmedia still has to write the
        recordings out (see Worker.spool_closed)."""
        assert not self.finished
        self.finished = True
        self.emit(ev.ENDED)
        try:
            self.worker.queue_call_finished(self)
        except Exception:  # the queue's bookkeeping never stops the CDR
            log.exception("queue not told of the call's end", extra=self.log_extra)
        self.quality = self.final_quality()
        had_recorders = bool(self.recorders)
        self._music_off()  # both legs have ended: their ports (and its connections) are gone
        # Dropping the last references destroys the recorders (no cycles hold them): no full
        # GC pass on the event thread per call. pjmedia removes their ports at the bridge's
        # next tick, and only then writes the last buffered second and the WAV header.
        self.recorders.clear()
        self.a = None
        self.b = None
        self.replaced.clear()
        return not had_recorders

    def final_quality(self) -> tuple[cdrmod.CdrQuality, ...]:
        """B3 for the CDR: each leg's quality as last sampled (at its hang-up at the latest)."""
        out = []
        for name, leg in (("a", self.a), ("b", self.b)):
            q = leg.quality if leg is not None else None
            if leg is None or q is None:
                continue
            out.append(
                cdrmod.CdrQuality(
                    leg=name,
                    party=leg.party[:64],
                    packets_lost=q.packets_lost,
                    jitter_ms=q.jitter_ms,
                    rtt_ms=q.rtt_ms,
                    mos=q.mos,
                    one_way_audio=q.one_way_audio,
                )
            )
        return tuple(out)

    def recordings_closed(self) -> bool:
        return all(wav_closed(p) for p in self.worker.spool.recording_paths(self.key) if p.exists())

    def spool_cdr(self) -> None:
        """The CDR, once the recordings are closed (or given up on): to the spool thread."""
        recorded = all(
            p.exists() and p.stat().st_size > 44 and wav_closed(p) for p in self.worker.spool.recording_paths(self.key)
        )
        cdr = self.rec.to_cdr(
            edge_id=self.worker.settings.edge_id, worker_id=self.worker.settings.worker_id, recorded=recorded
        )
        if self.quality:
            cdr = replace(cdr, quality=self.quality)
        doc = cdr.to_dict()
        doc["_local_recordings"] = [p.name for p in self.worker.spool.recording_paths(self.key) if p.exists()]
        # Made durable by the spool thread, which then drops the journal: no fsync here.
        self.worker.writer.put_cdr(self.key, doc)
        log.info(
            "call finished", extra={**self.log_extra, "disposition": cdr.disposition, "duration_s": cdr.duration_s}
        )


class WorkerAccount(pj.Account):  # type: ignore[misc]
    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.worker = worker

    @_guard
    def onIncomingCall(self, prm: Any) -> None:
        self.worker.incoming(self, prm)


class Worker:
    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self.spool = Spool(settings.spool).ensure()
        self.bridges: dict[str, Bridge] = {}
        self.finished: list[Bridge] = []
        # Calls whose recorders are being closed by pjmedia: (bridge, give-up time).
        self.closing: list[tuple[Bridge, float]] = []
        self.strays: list[Leg] = []  # refused calls, kept referenced until pjsua is done
        self.writer = SpoolWriter(self.spool)
        self.events = live.EventWriter(self.spool.root / "events", settings.worker_id)
        # Call-center queues (issue 16): engines per tenant, their log to the agent.
        self.queue_log = live.EventWriter(self.spool.root / "queue-events", settings.worker_id)
        self.queues = QueueRunner(settings.snapshot, self.queue_log)
        self.queue_calls: dict[tuple[str, str], Bridge] = {}  # (tenant, engine call id) -> call
        # Routing by owner, VIP first (issue 17 item 4): the agent's contact-route file
        self.contact_routes = (
            croutes.ContactRoutes(croutes.path_beside(settings.snapshot)) if settings.snapshot else None
        )
        self.next_queue_tick = 0.0
        self.prompts_ready = False
        self.prompts_refused = 0  # prompts pjsua refused (PJ_ETOOMANY: every player in use)
        self.prompts_replayed = 0  # of those, played on a retry
        self.next_ring_check = 0.0
        self.next_quality = 0.0
        self.next_commands = 0.0
        self.pid_start = process_start_time(os.getpid())
        self.stopping = False
        self.ep: Any = None
        self.acc: WorkerAccount | None = None
        # offers RTP/SAVP (SRTP required): a callee leg again after a 488 (Bridge.retry_with_srtp_required)
        self.acc_srtp: WorkerAccount | None = None
        self.silence: Any = None  # a tone generator that never plays: see Bridge._silence
        self.music: Any = None  # one looping AudioMediaPlayer shared by every held call
        self.trusted = edgesig.parse_sources(settings.trusted)
        self.key = b""  # read at start(): no key, no call
        self.seen = edgesig.SeenSignatures()

    def start(self) -> None:
        s = self.settings
        if s.signing_key is not None:
            self.key = signing_key.ensure(s.signing_key)
        else:
            log.error("no edge key: every call is refused")
        self.writer.start()
        self.events.start()
        self.queue_log.start()
        threading.Thread(target=self.make_prompts, name="prompts", daemon=True).start()
        ep = pj.Endpoint()
        ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.maxCalls = s.max_calls
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = False
        cfg.uaConfig.userAgent = f"ProBox-worker/{s.worker_id}"
        cfg.logConfig.level = s.log_level
        cfg.logConfig.consoleLevel = s.log_level
        cfg.medConfig.clockRate = 8000
        cfg.medConfig.sndClockRate = 8000
        cfg.medConfig.noVad = True
        cfg.medConfig.ecTailLen = 0
        cfg.medConfig.maxMediaPorts = 4 * s.max_calls + 16
        ep.libInit(cfg)
        tcfg = pj.TransportConfig()
        tcfg.port = s.sip_port
        tcfg.boundAddress = s.sip_host
        tcfg.publicAddress = s.sip_host
        if s.sip_rcvbuf:
            opt = pj.SockOpt()
            opt.level = socket.SOL_SOCKET
            opt.optName = socket.SO_RCVBUF
            opt.setOptValInt(s.sip_rcvbuf)
            tcfg.sockOptParams.sockOpts.append(opt)
        ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tcfg)
        ep.libStart()
        ep.audDevManager().setNullDev()  # starts the bridge clock thread
        if s.rt_clock_priority > 0 or s.clock_cpu >= 0:
            log.info("bridge clock thread", extra={"tuned": tune_clock_thread(s.rt_clock_priority, s.clock_cpu)})
        self.silence = pj.ToneGenerator()
        self.silence.createToneGenerator(8000, 1)
        self.music = self.music_player(s.music_on_hold)
        for codec in ep.codecEnum2():
            prio = {"PCMU/8000/1": 255, "PCMA/8000/1": 254}.get(codec.codecId, 0)
            if codec.codecId.startswith("telephone-event"):
                prio = 0
            ep.codecSetPriority(codec.codecId, prio)
        acfg = pj.AccountConfig()
        acfg.idUri = f"sip:worker-{s.worker_id}@{s.sip_host}:{s.sip_port}"
        acfg.sipConfig.proxies.append(f"sip:{s.proxy};lr")
        acfg.regConfig.registerOnAdd = False
        acfg.mediaConfig.transportConfig.boundAddress = s.rtp_host or s.sip_host
        acfg.mediaConfig.transportConfig.publicAddress = s.rtp_host or s.sip_host
        if s.rtp_port:
            acfg.mediaConfig.transportConfig.port = s.rtp_port
            acfg.mediaConfig.transportConfig.portRange = s.rtp_port_range
        configure_srtp(acfg.mediaConfig, s.srtp)
        acfg.natConfig.sdpNatRewriteUse = False
        acfg.natConfig.sipOutboundUse = False
        self.ep = ep
        self.acc = WorkerAccount(self)
        self.acc.create(acfg, True)
        if s.srtp:
            acfg.idUri = f"sip:worker-{s.worker_id}-srtp@{s.sip_host}:{s.sip_port}"
            acfg.mediaConfig.srtpUse = pj.PJMEDIA_SRTP_MANDATORY
            self.acc_srtp = WorkerAccount(self)
            self.acc_srtp.create(acfg, False)  # incoming calls still go to the default account
        log.info(
            "worker started",
            extra={
                "sip": f"{s.sip_host}:{s.sip_port}",
                "rtp": s.rtp_host or s.sip_host,
                "trusted": list(s.trusted),
                "srtp": "optional" if s.srtp else "off",
            },
        )

    @staticmethod
    def music_player(path: Path | None) -> Any:
        """The music on hold player: created once, at start (the file is opened here, not
        on the event thread), looping for ever; one port of the conference bridge that
        feeds every waiting party at once. pjmedia reads it only while someone listens."""
        if path is None:
            return None
        try:
            music.ensure(path)
            player = pj.AudioMediaPlayer()
            player.createPlayer(str(path), 0)  # 0: loop (no PJMEDIA_FILE_NO_LOOP)
        except (OSError, pj.Error) as exc:
            log.error("no music on hold: %s", getattr(exc, "reason", exc), extra={"path": str(path)})
            return None
        log.info("music on hold", extra={"path": str(path)})
        return player

    def edge_decision(self, rdata: Any, head: SipHead | None = None) -> edgesig.Verified | str:
        """The edge's signed decision in an INVITE, or why there is none: it must come from
        a trusted source (``not_from_edge``) and carry a valid signature of this call that
        was not used before (``bad_signature``). Logged with the details."""
        head = head or parse_head(rdata.wholeMsg)
        call_id, src = head.get("call-id"), rdata.srcAddress
        if not edgesig.source_allowed(src, self.trusted):
            log.warning("refused INVITE", extra={"reason": "not_from_edge", "src": src, "call_id": call_id})
            return "not_from_edge"
        t = _now()
        verdict = edgesig.verify(self.key, call_id, head.get(HDR_SIG), head.all, t) if self.key else "no_key"
        if isinstance(verdict, edgesig.Verified) and not self.seen.first_time(verdict.signature, t):
            verdict = "replayed"
        if isinstance(verdict, str):
            log.warning(
                "refused INVITE", extra={"reason": "bad_signature", "detail": verdict, "src": src, "call_id": call_id}
            )
            return "bad_signature"
        return verdict

    def incoming(self, acc: WorkerAccount, prm: Any) -> None:
        head = parse_head(prm.rdata.wholeMsg)
        call_id = head.get("call-id")
        decision = self.edge_decision(prm.rdata, head)
        bridge_rec: core.BridgeRecord | None = None
        refusal = decision if isinstance(decision, str) else ""
        if isinstance(decision, edgesig.Verified):
            try:
                setup = core.setup_from_headers(decision.values)  # the signed headers only
                bridge_rec = core.BridgeRecord(setup=setup, call_id=call_id, started_at=now())
            except ValidationError as exc:
                log.warning("refused call without edge headers: %s", exc.message, extra={"call_id": call_id})
                refusal = "no_decision"
        if bridge_rec is None or self.stopping or not call_id:
            stray = Leg(acc, None, "caller", prm.callId)
            code = 503 if self.stopping else 403
            stray.hangup(_op(code, headers={REASON_HEADER: refusal} if refusal and code == 403 else None))
            self.strays.append(stray)
            return
        if bridge_rec.setup.kind == KIND_PICKUP:
            self.pickup(acc, prm, bridge_rec.setup)
            return
        b = Bridge(self, bridge_rec, bridge_rec.setup.domain or uri_domain(head.request_uri))
        b.a = Leg(acc, b, "caller", prm.callId)
        b.a.party = bridge_rec.setup.caller
        self.bridges[b.key] = b
        b.write_journal()
        if bridge_rec.setup.kind == KIND_INBOUND and self.route_by_owner(b, acc):
            return
        if b.queue_id:
            self.queue_join(b)
            return
        if bridge_rec.setup.callee in AGENT_CODES:
            self.agent_code(b)
            return
        self.agent_busy(b, True)
        b.a.answer(_op(180))
        try:
            b.start_callee_leg(acc)
            b.emit(ev.RINGING)
        except pj.Error as exc:
            # No call slot or RTP port left for the callee leg: tell the caller now rather
            # than let it ring until the ring timeout.
            log.error("cannot place the callee leg: %s", getattr(exc, "reason", exc), extra=b.log_extra)
            b.b = None
            b.rec = b.rec.ended(now(), 503, "system")
            _hangup(b.a, _op(503))

    def route_by_owner(self, b: Bridge, acc: Any) -> bool:
        """A call from outside: is the caller a contact with an owner or a VIP (the agent's
        contact-route file; one indexed read, no network)? The owner's extension rings first
        (``OWNER_RING_S``), then the call goes where its DID routes it. True when the owner
        is being rung (the caller hears it ring)."""
        s = b.rec.setup
        route = self.contact_routes.lookup(s.tenant_id, s.caller) if self.contact_routes is not None else None
        if route is None:
            return False
        b.vip = route.vip
        self.apply_queue(self.queues.refresh(time.time()))  # the newest snapshot's users
        tenant = self.queues.tenants.get(s.tenant_id)
        first = owner_first(tenant, route.owner, s.callee, b.queue_id) if tenant is not None else None
        if first is None:
            return False
        b.owner_ringing, b.owner_then = first, s.callee
        # until the owner gives up, a personal call of the owner (not offered queue calls)
        b.owner_queue, b.queue_id, b.queue_waiting = b.queue_id, "", False
        b.rec = replace(b.rec, setup=replace(s, callee=first)).with_event(f"owner:{first}")
        b.ring_deadline = time.monotonic() + min(OWNER_RING_S, self.settings.ring_timeout_s)
        log.info("ringing the contact's owner first", extra={**b.log_extra, "owner_extension": first})
        self.agent_busy(b, True)
        assert b.a is not None
        b.a.answer(_op(180))
        try:
            b.start_callee_leg(acc)
            b.emit(ev.RINGING)
        except pj.Error as exc:
            log.error("cannot ring the owner: %s", getattr(exc, "reason", exc), extra=b.log_extra)
            if b.b is not None:
                b.spent.append(b.b)
            b.b = None
            b.after_owner(503)
        return True

    def originate(self, o: cmdspool.Originate, queue_call_id: str = "") -> Bridge | None:
        """Click-to-call (issue 17): ring the agent's extension first (leg a, through the
        edge like every worker leg, with an auto-answer hint), then, when it answers, the
        target (``Bridge.on_confirmed``); bridged, recorded and reported like any call, the
        agent's extension as the caller. A number goes out as the agent's outside calls do:
        the edge picks the trunk and the DID again from its snapshot (the command's
        ``trunk_id``/``caller_id`` are the control plane's same decision, kept in the CDR)."""
        acc = self.acc
        assert acc is not None
        outside = o.target_kind == "number"
        setup = core.CallSetup(
            tenant_id=o.tenant_id, caller=o.extension, callee=o.target,
            kind=KIND_OUTBOUND if outside else KIND_INTERNAL, record=o.record, domain=o.domain,
            dialled=o.target, trunk_id=o.trunk_id if outside else "", did=o.caller_id if outside else "",
            contact_id=o.contact_id,
        )  # fmt: skip
        b = Bridge(self, core.BridgeRecord(setup=setup, call_id="", started_at=now()), o.domain)
        b.command = o
        b.a = Leg(acc, b, "caller")
        b.a.party = o.extension
        headers = {
            HDR_TENANT: o.tenant_id,
            HDR_CALLER: o.target,  # the agent's phone shows whom it is about to call
            HDR_KIND: "leg",
            "Call-Info": f"<sip:{o.domain}>;answer-after=0",
        }
        try:
            b.a.makeCall(f"sip:{o.extension}@{o.domain}", _op(headers=headers))
            call_id = b.a.getInfo().callIdString
        except pj.Error as exc:
            log.error("cannot place the agent's leg: %s", getattr(exc, "reason", exc), extra={"command_id": o.id})
            self.strays.append(b.a)
            if o.id:
                cmdspool.report(self.spool.root, o.id, "failed", reason="worker_busy")
            return None
        b.rec = replace(b.rec, call_id=call_id)
        b.key = safe_key(call_id)
        b.queue_call_id = queue_call_id  # a queue's callback (B4): the engine's call
        self.bridges[b.key] = b
        b.write_journal()
        b.emit(ev.RINGING)
        self.agent_busy(b, True)
        log.info("click-to-call placed", extra={**b.log_extra, "command_id": o.id, "kind": setup.kind})
        return b

    # --- call-center queues (issue 16) ------------------------------------------------------
    def queue_join(self, b: Bridge) -> None:
        """A caller for a queue: answered at once (it hears the music, not a ring), then
        handed to the tenant's engine, which rings agents when one is free."""
        assert b.a is not None
        self.apply_queue(self.queues.refresh(time.time()))  # a newer snapshot's actions too
        b.ring_deadline = float("inf")  # the queue's own max wait applies, not the ring timeout
        try:
            b.a.answer(_op(200))
        except pj.Error as exc:
            log.info("queue caller left before the answer: %s", getattr(exc, "reason", exc), extra=b.log_extra)
            return
        b.emit(ev.RINGING)
        self.queue_enter(b)

    def agent_code(self, b: Bridge) -> None:
        """An agent's status from its phone (*71 ready, *72 log out, *73 pause, *74 ready):
        answered, applied to the tenant's queues at once (the control plane learns it from
        the queue log), confirmed by a spoken sentence, then the call ends."""
        assert b.a is not None
        s = b.rec.setup
        status, reason = AGENT_CODES[s.callee]
        b.ring_deadline = float("inf")
        b.feature_call = True
        b.rec = b.rec.with_event(f"agent_status:{status}")
        try:
            b.a.answer(_op(200))
        except pj.Error as exc:
            log.info("agent left before the answer: %s", getattr(exc, "reason", exc), extra=b.log_extra)
            return
        self.apply_queue(self.queues.refresh(time.time()))  # a newer snapshot's actions too
        engine = self.queues.engine(s.tenant_id)
        if engine is not None:
            self.queue_do(s.tenant_id, engine.set_status(s.caller, status, reason, time.time()))
        log.info("agent status from the phone", extra={**b.log_extra, "agent": s.caller, "status": status})
        b.pending_prompt = self.prompt(f"agent_{status}", self.agent_language(s.tenant_id, s.caller))

    def agent_language(self, tenant_id: str, extension: str) -> str:
        """The language of the agent's first queue (the tenant's prompts follow its queues)."""
        t = self.queues.tenants.get(tenant_id)
        for q in sorted(t.queues.values(), key=lambda q: q.id) if t is not None else ():
            if any(m.extension == extension for m in q.members):
                return q.language
        return "vi"

    def queue_enter(self, b: Bridge) -> None:
        tid = b.rec.setup.tenant_id
        engine = self.queues.engine(tid)
        if engine is None:
            log.warning("no queues for the tenant", extra={**b.log_extra, "queue_id": b.queue_id})
            b.overflow("", "unknown_queue")
            return
        b.queue_call_id = b.rec.call_id
        b.queue_waiting = True
        self.queue_calls[(tid, b.queue_call_id)] = b
        b.rec = b.rec.with_event(f"queue:{b.queue_id}")
        self.queue_do(tid, engine.enter(b.queue_id, b.queue_call_id, b.rec.setup.caller, time.time(), vip=b.vip))
        welcome = self.own_prompt(b, "welcome")
        if welcome is not None and b.a is not None and not b.a.media_active:
            b.pending_welcome = [welcome]  # the caller's media is not up yet (onCallMediaState)
        elif welcome is not None and b.announce([welcome]):
            return  # the music after the welcome (announcement_over)
        b.update_music()

    def queue_left(self, b: Bridge) -> None:
        tid = b.rec.setup.tenant_id
        engine = self.queues.engine(tid)
        b.withdraw_offers()
        b.queue_waiting = False
        self.queue_calls.pop((tid, b.queue_call_id), None)
        if engine is not None and b.queue_call_id:
            self.queue_do(tid, engine.hangup(b.queue_call_id, time.time()))

    def queue_offer_result(self, b: Bridge, agent: str, *, answered: bool) -> None:
        tid = b.rec.setup.tenant_id
        engine = self.queues.engine(tid)
        if engine is not None and b.queue_call_id:
            actions = engine.offer_result(b.queue_call_id, agent, answered, time.time())
            self.queue_do(tid, actions)

    def queue_callback_result(self, b: Bridge, *, connected: bool) -> None:
        tid = b.rec.setup.tenant_id
        engine = self.queues.engine(tid)
        if engine is not None and b.queue_call_id:
            self.queue_do(tid, engine.callback_result(b.queue_call_id, connected, time.time()))

    def queue_transferred(self, b: Bridge, target: str) -> None:
        """An answered queue call was transferred (by its agent or its caller): the agent's
        part is over (TRANSFER, wrap-up); the call goes on outside the queue."""
        tid = b.rec.setup.tenant_id
        engine = self.queues.engine(tid)
        self.queue_calls.pop((tid, b.queue_call_id), None)
        if engine is not None and b.queue_call_id:
            self.queue_do(tid, engine.transferred(b.queue_call_id, time.time(), b.talk_s(), target))
        b.queue_agent, b.queue_call_id = "", ""

    def queue_callback(self, b: Bridge) -> None:
        """The waiting caller pressed 1: the engine keeps the place and dials it back later;
        the caller's call ends now (it is not an abandon)."""
        tid = b.rec.setup.tenant_id
        engine = self.queues.engine(tid)
        if engine is None or not b.queue_call_id:
            return
        actions = engine.request_callback(b.queue_call_id, b.rec.setup.caller, time.time())
        self.queue_do(tid, actions)
        b.withdraw_offers()
        b.queue_waiting = False
        b.rec = b.rec.with_event("queue_callback")
        if b.a is not None and not b.a.disconnected:
            if b.announcer is not None:
                b.announcement_over()
            if not b.announce(self.queue_prompt(b, "callback_ok"), then_hang_up=True):
                _hangup(b.a, _op())

    def queue_call_finished(self, b: Bridge) -> None:
        """A call ends: a queue call answered by an agent starts its wrap-up; an agent's
        own call frees the agent for queue calls again."""
        tid = b.rec.setup.tenant_id
        self.agent_busy(b, False)
        if not b.queue_call_id:
            return
        if self.queue_calls.get((tid, b.queue_call_id)) is b:
            del self.queue_calls[(tid, b.queue_call_id)]
        engine = self.queues.engine(tid)
        if engine is None:
            return
        if b.queue_agent and b.callback_agent and b.rec.answered_at is None:
            # the agent took a callback, the customer did not answer: another try later
            actions = engine.callback_result(b.queue_call_id, False, time.time())
        elif b.queue_agent:
            actions = engine.call_ended(b.queue_call_id, time.time(), b.talk_s())
        elif b.callback_agent:  # the agent did not take the callback
            actions = engine.offer_result(b.queue_call_id, b.callback_agent, False, time.time())
        elif b.queue_waiting:
            actions = engine.hangup(b.queue_call_id, time.time())
        else:
            return
        self.queue_do(tid, actions)

    def agent_busy(self, b: Bridge, busy: bool) -> None:
        """Tell the engine an agent is in (or out of) a personal call on this worker, so it
        is not offered queue calls meanwhile and its personal calls are told apart."""
        s = b.rec.setup
        engine = self.queues.engine(s.tenant_id)
        if engine is None or b.queue_id or b.queue_call_id or b.rec.setup.kind == KIND_PICKUP:
            return
        for ext in {s.caller, s.callee}:
            if self.queues.is_member(s.tenant_id, ext):
                state = "personal_call" if busy else "idle"
                actions = engine.agent_state(ext, state, time.time(), call_id=b.rec.call_id, talk_s=b.talk_s())
                self.queue_do(s.tenant_id, actions)

    def beep(self) -> Path:
        folder = self.settings.prompts
        return prompts.beep(folder) if folder is not None else Path("/nonexistent/beep.wav")

    def queue_prompt(self, b: Bridge, stem: str) -> list[Path]:
        """A queue's prompt: the tenant's own recording (fetched by the agent) when the queue
        has one in its language, else the product's sentence ([] when neither is there)."""
        own = self.own_prompt(b, stem)
        return [own] if own is not None else self.prompt(stem, b.queue_language())

    def own_prompt(self, b: Bridge, stem: str) -> Path | None:
        if self.settings.snapshot is None:
            return None
        t = self.queues.tenants.get(b.rec.setup.tenant_id)
        q = t.queues.get(b.queue_id) if t is not None else None
        if q is None:
            return None
        key = f"{q.language}/{stem}"
        sha = next((h for k, h in q.prompts if k == key), None)
        if sha is None:
            return None
        folder = tenant_prompts.folder_beside(self.settings.snapshot)
        f = tenant_prompts.path(folder, t.id if t is not None else "", q.id, key, sha)
        return f if f.exists() else None

    def prompt(self, stem: str, lang: str) -> list[Path]:
        folder = self.settings.prompts
        return [prompts.prompt(folder, lang, stem)] if folder is not None and self.prompts_ready else []

    def make_prompts(self) -> None:
        """The queue prompts, synthesised once (a few seconds) off the event thread."""
        folder = self.settings.prompts
        if folder is None:
            return
        try:
            n = prompts.ensure(folder)
        except (OSError, subprocess.SubprocessError) as exc:
            log.error("no queue prompts: %s", exc, extra={"path": str(folder)})
            return
        self.prompts_ready = True
        log.info("queue prompts", extra={"path": str(folder), "made": n})

    def queue_do(self, tid: str, actions: list[acd.Action]) -> None:
        """The engine's answer: its log to the queue log, the rest carried out."""
        self.apply_queue([(tid, x) for x in self.queues.run(tid, actions)])

    def apply_queue(self, actions: list[tuple[str, acd.Action]]) -> None:
        """Carry the engines' decisions out."""
        for tid, a in actions:
            if isinstance(a, acd.Log):
                continue  # written by the runner
            b = self.queue_calls.get((tid, getattr(a, "call_id", "")))
            if isinstance(a, acd.Offer):
                if b is None:
                    log.warning("offer for a call not here", extra={"tenant_id": tid, "call_id": a.call_id})
                    continue
                for agent in a.agents:
                    b.place_offer(agent)
            elif isinstance(a, acd.CancelOffer):
                if b is not None:
                    b.withdraw_offers(a.agents)
            elif isinstance(a, acd.Overflow):
                if b is not None:
                    self.queue_calls.pop((tid, a.call_id), None)
                    b.overflow(a.target, a.reason)
            elif isinstance(a, acd.DialCallback):
                self.dial_callback(tid, a)
            elif isinstance(a, acd.Announce):
                if b is not None and self.prompts_ready and b.queue_waiting:
                    t = self.queues.tenants.get(tid)
                    q = t.queues.get(b.queue_id) if t is not None else None
                    callback = q is not None and q.callback
                    folder = self.settings.prompts
                    assert folder is not None
                    files = prompts.playlist(folder, a.language, a.position, a.expected_wait_s, callback)
                    if callback:  # the offer in the tenant's own voice, when it recorded one
                        files[-1:] = self.queue_prompt(b, "callback")
                    b.announce(files)
            elif isinstance(a, acd.AgentPaused):
                extra = {"tenant_id": tid, "agent": a.extension, "reason": a.reason}
                log.warning("agent paused by the queue", extra=extra)

    def dial_callback(self, tid: str, a: acd.DialCallback) -> None:
        """B4: ring the agent, then call the customer back (as a click-to-call is placed)."""
        t = self.queues.tenants.get(tid)
        if t is None:
            return
        target_kind = "extension" if a.number in t.extensions else "number"
        o = cmdspool.Originate(
            id="", tenant_id=tid, domain=t.domain, extension=a.agent, target=a.number, target_kind=target_kind,
            trunk_id="", caller_id="", contact_id="", record=t.record_calls,
        )  # fmt: skip
        b = self.originate(o, queue_call_id=a.call_id)
        engine = self.queues.engine(tid)
        if b is None:
            if engine is not None:
                actions = engine.offer_result(a.call_id, a.agent, False, time.time())
                self.queue_do(tid, actions)
            return
        b.callback_agent = a.agent
        self.queue_calls[(tid, a.call_id)] = b

    def pickup(self, acc: WorkerAccount, prm: Any, setup: core.CallSetup) -> None:
        """F5: the edge sent a phone's pickup INVITE to the worker holding the ringing
        call (X-PBX-Bridge). Too late (answered, ended, gone) gets 480."""
        b = self.bridges.get(setup.bridge)
        ringing = (
            b is not None
            and b.rec.setup.tenant_id == setup.tenant_id
            and b.rec.answered_at is None
            and b.rec.ended_at is None
            and b.b is not None
            and not b.b.disconnected
        )
        if not ringing or b is None:
            log.info("nothing to pick up", extra={"tenant_id": setup.tenant_id, "bridge": setup.bridge})
            stray = Leg(acc, None, "callee", prm.callId)
            stray.hangup(_op(480, "No ringing call to pick up", {"X-PBX-Reason": "nothing_to_pick_up"}))
            self.strays.append(stray)
            return
        b.pick_up(Leg(acc, b, "callee", prm.callId), setup.caller)

    def poll(self) -> None:
        self.ep.libHandleEvents(10)
        if self.finished:
            done, self.finished = self.finished, []
            for b in done:
                if b.finished:  # a late leg event listed it again
                    continue
                try:
                    if b.finalize():
                        b.spool_cdr()
                    else:
                        self.closing.append((b, time.monotonic() + CLOSE_RECORDINGS_S))
                except Exception:
                    log.exception("finalize failed", extra=b.log_extra)
                self.bridges.pop(b.key, None)
        if self.closing:
            self.spool_closed(time.monotonic())
        if self.strays:
            self.strays = [c for c in self.strays if not c.disconnected]
        t = time.monotonic()
        if t >= self.next_ring_check:
            # Not on every event: with 500 calls up this loop would cost more than the SIP.
            self.next_ring_check = t + 0.25
            for b in list(self.bridges.values()):
                if b.rec.answered_at is None and b.rec.ended_at is None and t > b.ring_deadline:
                    try:
                        b.ring_timeout()
                    except Exception:  # not a reason to stop every other call
                        log.exception("ring timeout failed", extra=b.log_extra)
        if t >= self.next_queue_tick:
            self.next_queue_tick = t + QUEUE_TICK_S
            for b in list(self.bridges.values()):
                try:
                    if b.announcer is not None and b.announcer.done:
                        b.announcement_over()
                    elif b.prompt_retry is not None:
                        b.retry_prompt(t)
                except Exception:  # one caller's prompt is not every call's trouble
                    log.exception("prompt tick failed", extra=b.log_extra)
            try:
                wall = time.time()
                self.apply_queue(self.queues.refresh(wall) + self.queues.tick(wall))
            except Exception:
                log.exception("queue tick failed")
        if t >= self.next_commands:
            self.next_commands = t + COMMANDS_S
            if not self.stopping:
                for o in cmdspool.take(self.spool.root, self.settings.worker_id):
                    try:
                        self.originate(o)
                    except Exception:  # one command's trouble is not every call's
                        log.exception("click-to-call failed", extra={"command_id": o.id})
                        cmdspool.report(self.spool.root, o.id, "failed", reason="worker_error")
        if t >= self.next_quality:
            # RTCP statistics of the calls up, so the ended event has them even when a leg's
            # media is gone before its hang-up is reported.
            self.next_quality = t + QUALITY_SAMPLE_S
            for b in list(self.bridges.values()):
                if b.rec.answered_at is not None and b.rec.ended_at is None:
                    try:
                        b.sample_quality()
                    except Exception:
                        log.exception("quality sample failed", extra=b.log_extra)

    def spool_closed(self, t: float, force: bool = False) -> None:
        """Spool the CDRs of calls whose recordings pjmedia has closed (a few ms after the
        hang-up), or that waited too long (then the CDR says whether a usable file exists)."""
        waiting = []
        for b, give_up in self.closing:
            try:
                if force or t >= give_up or b.recordings_closed():
                    b.spool_cdr()
                else:
                    waiting.append((b, give_up))
            except Exception:
                log.exception("spooling the CDR failed", extra=b.log_extra)
        self.closing = waiting

    def run(self, should_stop: Callable[[], bool]) -> None:
        while not should_stop():
            self.poll()
        self.shutdown()

    def shutdown(self) -> None:
        self.stopping = True
        if self.ep is None:
            return
        self.ep.hangupAllCalls()
        deadline = time.monotonic() + 3
        while self.bridges and time.monotonic() < deadline:
            self.poll()
        for b in list(self.bridges.values()):
            if b.finished:
                continue
            if b.finalize():
                b.spool_cdr()
            else:
                self.closing.append((b, time.monotonic() + CLOSE_RECORDINGS_S))
        self.bridges.clear()
        self.finished.clear()
        while self.closing and time.monotonic() < deadline + 3:
            self.ep.libHandleEvents(10)  # the bridge clock closes the recorders meanwhile
            self.spool_closed(time.monotonic())
        self.spool_closed(time.monotonic(), force=True)
        self.writer.close()
        self.events.close()
        self.queue_log.close()
        self.acc = None
        self.acc_srtp = None
        self.silence = None
        self.music = None
        gc.collect()
        self.ep.libDestroy()
        self.ep = None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="ProBox pjsua2 media worker")
    ap.add_argument("--sip-host", default=os.environ.get("PROBOX_WORKER_HOST", "127.0.0.1"))
    ap.add_argument("--sip-port", type=int, default=int(os.environ.get("PROBOX_WORKER_PORT", "5070")))
    ap.add_argument("--proxy", default=os.environ.get("PROBOX_PROXY", "127.0.0.1:5060"))
    ap.add_argument("--spool", default=os.environ.get("PROBOX_SPOOL", "var/spool"))
    ap.add_argument("--edge-id", default=os.environ.get("PROBOX_EDGE_ID", "edge-local"))
    ap.add_argument("--worker-id", default=os.environ.get("PROBOX_WORKER_ID", "w1"))
    ap.add_argument("--ring-timeout", type=float, default=float(os.environ.get("PROBOX_RING_TIMEOUT", "30")))
    ap.add_argument("--rtp-port", type=int, default=int(os.environ.get("PROBOX_RTP_PORT", "0")))
    ap.add_argument("--rtp-port-range", type=int, default=int(os.environ.get("PROBOX_RTP_PORT_RANGE", "0")))
    ap.add_argument("--pj-log-level", type=int, default=int(os.environ.get("PROBOX_PJ_LOG_LEVEL", "1")))
    ap.add_argument("--sip-rcvbuf", type=int, default=int(os.environ.get("PROBOX_WORKER_SIP_RCVBUF", str(4 << 20))))
    ap.add_argument(
        "--rt-clock-priority",
        type=int,
        default=int(os.environ.get("PROBOX_WORKER_RT_CLOCK_PRIORITY", "0")),
        help="SCHED_FIFO priority of the bridge clock thread (0 = off)",
    )
    ap.add_argument(
        "--clock-cpu",
        type=int,
        default=int(os.environ.get("PROBOX_WORKER_CLOCK_CPU", "-1")),
        help="pin the bridge clock thread to this CPU (-1 = any)",
    )
    ap.add_argument(
        "--signing-key",
        default=os.environ.get("PROBOX_SIGNING_KEY", "var/signing.key"),
        help="the edge's signing key file (created 0600 if missing; Kamailio reads the same file)",
    )
    ap.add_argument(
        "--trusted-sources",
        default=os.environ.get("PROBOX_WORKER_TRUSTED", ""),
        help="comma-separated ip, ip:port or networks SIP is accepted from (default: the --proxy address)",
    )
    ap.add_argument(
        "--rtp-host",
        default=os.environ.get("PROBOX_WORKER_RTP_HOST", ""),
        help="address for RTP and in SDP, e.g. the public one (default: --sip-host)",
    )
    ap.add_argument(
        "--allow-public-sip",
        action="store_true",
        default=os.environ.get("PROBOX_WORKER_PUBLIC_SIP", "") == "1",
        help="allow --sip-host to be a public address",
    )
    ap.add_argument(
        "--music-on-hold",
        default=os.environ.get("PROBOX_MUSIC_ON_HOLD", "var/music-on-hold.wav"),
        help="8 kHz mono 16-bit WAV looped to a held call's other party (written with the product's "
        "music if missing; 'off': silence)",
    )
    ap.add_argument(
        "--snapshot",
        default=os.environ.get("PROBOX_SNAPSHOT", ""),
        help="the edge's snapshot file (the agent writes it): the tenants' call-center queues ('' = none)",
    )
    ap.add_argument(
        "--prompts",
        default=os.environ.get("PROBOX_PROMPTS", "var/prompts"),
        help="folder of the queues' spoken prompts (made with espeak-ng and sox if missing; 'off': none)",
    )
    ap.add_argument(
        "--no-srtp",
        action="store_true",
        default=os.environ.get("PROBOX_WORKER_SRTP", "1") == "0",
        help="refuse SRTP offers and offer none (default: SRTP for the phones that offer it)",
    )
    a = ap.parse_args(argv)
    problem = bind_problem(a.sip_host, a.allow_public_sip)
    if problem:
        ap.error(problem)
    settings = WorkerSettings(
        sip_host=a.sip_host,
        sip_port=a.sip_port,
        proxy=a.proxy,
        spool=Path(a.spool),
        edge_id=a.edge_id,
        worker_id=a.worker_id,
        ring_timeout_s=a.ring_timeout,
        rtp_port=a.rtp_port,
        rtp_port_range=a.rtp_port_range,
        log_level=a.pj_log_level,
        sip_rcvbuf=a.sip_rcvbuf,
        rt_clock_priority=a.rt_clock_priority,
        clock_cpu=a.clock_cpu,
        signing_key=Path(a.signing_key),
        trusted_sources=tuple(x.strip() for x in a.trusted_sources.split(",") if x.strip()),
        rtp_host=a.rtp_host,
        srtp=not a.no_srtp,
        music_on_hold=None if a.music_on_hold in ("", "off") else Path(a.music_on_hold),
        snapshot=Path(a.snapshot) if a.snapshot else None,
        prompts=None if a.prompts in ("", "off") else Path(a.prompts),
    )
    try:
        edgesig.parse_sources(settings.trusted)
    except ValueError as exc:
        ap.error(f"--trusted-sources / --proxy: {exc}")
    logs.setup("probox-worker", edge_id=settings.edge_id, worker_id=settings.worker_id)
    stop = {"now": False}

    def on_signal(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker = Worker(settings)
    worker.start()
    worker.run(lambda: stop["now"])
    log.info("worker stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
