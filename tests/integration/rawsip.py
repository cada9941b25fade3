"""SIP on a bare UDP socket, for the attack tests: a phone that can say what no real phone
would (a forged From in a REFER, a folded header, an INVITE straight to a worker from
another loopback address), and a carrier's SBC that answers every call and remembers what
it received.

Self-contained on purpose (its own message parser, digest and G.711 code): it plays the
attacker, so it must not share the code under test. Everything binds loopback addresses
only; ``stop()`` closes the sockets and ends the threads.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import random
import socket
import struct
import threading
import time
import uuid
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from infra.procs import free_port, free_port_block

# ---------------------------------------------------------------------------------------
# messages


@dataclass
class Msg:
    """A parsed SIP message (headers unfolded, as RFC 3261 says)."""

    first: str
    headers: list[tuple[str, str]]
    body: str
    src: tuple[str, int] = ("", 0)

    @property
    def is_response(self) -> bool:
        return self.first.startswith("SIP/2.0 ")

    @property
    def code(self) -> int:
        return int(self.first.split()[1]) if self.is_response else 0

    @property
    def method(self) -> str:
        return self.cseq[1] if self.is_response else self.first.split()[0]

    @property
    def cseq(self) -> tuple[int, str]:
        num, _, method = self.header("CSeq").partition(" ")
        return int(num or 0), method.strip()

    @property
    def call_id(self) -> str:
        return self.header("Call-ID") or self.header("i")

    def header(self, name: str) -> str:
        values = self.all(name)
        return values[0] if values else ""

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def text(self) -> str:
        return "\r\n".join([self.first, *(f"{k}: {v}" for k, v in self.headers)]) + "\r\n\r\n" + self.body


def parse(data: bytes, src: tuple[str, int] = ("", 0)) -> Msg:
    text = data.decode("utf-8", errors="replace")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:  # folded: continues the previous value
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip())
            continue
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.strip(), value.strip()))
    return Msg(lines[0], headers, body, src)


def tag_of(value: str) -> str:
    for part in value.split(";")[1:]:
        k, _, v = part.partition("=")
        if k.strip().lower() == "tag":
            return v.strip()
    return ""


def uri_of(value: str) -> str:
    if "<" in value:
        return value.split("<", 1)[1].split(">", 1)[0]
    return value.split(";", 1)[0].strip()


def hostport(uri: str) -> tuple[str, int]:
    rest = uri.split(":", 1)[1] if uri.startswith("sip:") else uri
    rest = rest.split("@", 1)[-1].split(";", 1)[0].split(">", 1)[0]
    host, _, port = rest.partition(":")
    return host, int(port or 5060)


def _token() -> str:
    return uuid.uuid4().hex[:12]


# ---------------------------------------------------------------------------------------
# G.711 mu-law (the attacker's RTP)


def _ulaw(sample: int) -> int:
    sign = 0x80 if sample < 0 else 0
    s = min(abs(sample), 32635) + 0x84
    exponent = 7
    mask = 0x4000
    while not s & mask and exponent > 0:
        exponent -= 1
        mask >>= 1
    mantissa = (s >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def _unulaw(byte: int) -> int:
    u = ~byte & 0xFF
    t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4)
    return (0x84 - t) if u & 0x80 else (t - 0x84)


ULAW_DECODE = [_unulaw(b) for b in range(256)]


def tone_frames(freq: float, rate: int = 8000, frame: int = 160) -> list[bytes]:
    """One second of a sine as 20 ms PCMU payloads (repeats seamlessly for whole Hz)."""
    samples = [int(10000 * math.sin(2 * math.pi * freq * i / rate)) for i in range(rate)]
    data = bytes(_ulaw(s) for s in samples)
    return [data[i : i + frame] for i in range(0, rate, frame)]


# ---------------------------------------------------------------------------------------
# endpoints


class Endpoint:
    """A UDP SIP endpoint: a reader thread files responses and hands requests to
    ``on_request`` (which may answer them)."""

    def __init__(self, ip: str = "127.0.0.1", port: int | None = None) -> None:
        self.ip = ip
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((ip, port or free_port(host=ip)))
        self.port = int(self.sock.getsockname()[1])
        self.received: list[Msg] = []
        self.sent: list[str] = []
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data, addr = self.sock.recvfrom(65535)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data.strip():
                continue  # keepalive
            msg = parse(data, addr)
            with self._cond:
                self.received.append(msg)
                self._cond.notify_all()
            if not msg.is_response:
                try:
                    self.on_request(msg)
                except Exception:  # noqa: S110 - a test helper keeps reading
                    pass

    def on_request(self, msg: Msg) -> None:
        self.reply(msg, 200, "OK")

    def send(self, text: str, dst: tuple[str, int]) -> None:
        self.sent.append(text)
        self.sock.sendto(text.encode(), dst)

    def reply(self, req: Msg, code: int, reason: str, extra: Iterable[str] = (), body: str = "", tag: str = "") -> None:
        to = req.header("To")
        if tag and not tag_of(to):
            to += f";tag={tag}"
        lines = [f"SIP/2.0 {code} {reason}"]
        lines += [f"Via: {v}" for v in req.all("Via")]
        lines += [f"From: {req.header('From')}", f"To: {to}", f"Call-ID: {req.call_id}", f"CSeq: {req.header('CSeq')}"]
        lines += list(extra)
        lines.append(f"Content-Length: {len(body.encode())}")
        self.send("\r\n".join(lines) + "\r\n\r\n" + body, req.src)

    def wait(self, pred: Callable[[Msg], bool], timeout: float, resend: Callable[[], None] | None = None) -> Msg | None:
        """The first received message matching ``pred``; ``resend`` every 0.5 s meanwhile
        (UDP retransmission)."""
        deadline = time.monotonic() + timeout
        next_resend = time.monotonic() + 0.5
        with self._cond:
            while True:
                for m in self.received:
                    if pred(m):
                        return m
                now = time.monotonic()
                if now >= deadline:
                    return None
                if resend is not None and now >= next_resend:
                    resend()
                    next_resend = now + 0.5
                self._cond.wait(min(deadline, next_resend) - now)

    def requests(self, method: str) -> list[Msg]:
        with self._cond:
            return [m for m in self.received if not m.is_response and m.method == method]

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self.sock.close()
        self._reader.join(timeout=2)


@dataclass
class Dialog:
    call_id: str
    local_tag: str
    from_hdr: str
    to_hdr: str  # with the remote tag once established
    remote_target: str = ""
    route: list[str] = field(default_factory=list)
    cseq: int = 1
    remote_rtp: tuple[str, int] | None = None
    final: Msg | None = None  # the final answer to the INVITE


def _sdp(ip: str, port: int) -> str:
    return (
        f"v=0\r\no=attacker 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
        f"m=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n"
    )


def _remote_rtp(body: str) -> tuple[str, int] | None:
    ip, port = "", 0
    for line in body.splitlines():
        if line.startswith("c=IN IP4 "):
            ip = line.split()[-1]
        elif line.startswith("m=audio "):
            port = int(line.split()[1])
    return (ip, port) if ip and port else None


def _digest(user: str, password: str, method: str, uri: str, challenge: str) -> str:
    params: dict[str, str] = {}
    for part in challenge.split(" ", 1)[1].split(","):
        k, _, v = part.strip().partition("=")
        params[k.strip().lower()] = v.strip().strip('"')
    realm, nonce = params["realm"], params["nonce"]
    ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
    ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
    fields = f'username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", algorithm=MD5'
    if "auth" in params.get("qop", "").split(","):
        cnonce, nc = _token(), "00000001"
        resp = hashlib.md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
        fields += f', qop=auth, nc={nc}, cnonce="{cnonce}"'
    else:
        resp = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()
    if "opaque" in params:
        fields += f', opaque="{params["opaque"]}"'
    return f'Digest {fields}, response="{resp}"'


class RawPhone(Endpoint):
    """A phone that authenticates its INVITE, answers NOTIFY/OPTIONS/BYE inside its calls,
    sends a tone as PCMU and keeps the RTP it receives (``heard``)."""

    def __init__(
        self, user: str, domain: str, password: str, edge: tuple[str, int], ip: str = "127.0.0.1", tone: float = 440.0
    ) -> None:
        super().__init__(ip)
        self.user, self.domain, self.password, self.edge = user, domain, password, edge
        rtp = free_port_block(2, host=ip)
        self.rtp_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp_sock.bind((ip, rtp))
        self.rtp_port = rtp
        self.frames = tone_frames(tone)
        self.heard: list[tuple[float, bytes]] = []  # (monotonic time, PCMU payload)
        self.byes: list[Msg] = []
        self._rtp_dst: tuple[str, int] | None = None
        self._rtp_threads = [threading.Thread(target=f, daemon=True) for f in (self._rtp_send, self._rtp_recv)]
        for t in self._rtp_threads:
            t.start()

    # -- requests inside the dialog are answered --------------------------------------

    def on_request(self, msg: Msg) -> None:
        if msg.method == "ACK":
            return
        if msg.method == "BYE":
            self.byes.append(msg)
            self._rtp_dst = None
        self.reply(msg, 200, "OK")

    def _via(self) -> str:
        return f"Via: SIP/2.0/UDP {self.ip}:{self.port};branch=z9hG4bK{_token()};rport"

    # -- a call ---------------------------------------------------------------------------

    def call(self, dialled: str, *, extra: Iterable[str] = (), timeout: float = 10.0) -> Dialog:
        """INVITE ``dialled`` through the edge (answering its 407); the dialog, established
        (``final`` 200, ACKed, RTP flowing) or not (``final`` the refusal)."""
        ruri = f"sip:{dialled}@{self.domain}"
        dlg = Dialog(
            call_id=f"{_token()}@{self.ip}",
            local_tag=_token(),
            from_hdr=f"<sip:{self.user}@{self.domain}>",
            to_hdr=f"<{ruri}>",
        )
        extra = list(extra)
        auth: list[str] = []
        for cseq in (1, 2):
            branch = f"z9hG4bK{_token()}"
            text = self._invite(dlg, ruri, branch, cseq, [*auth, *extra])
            self.send(text, self.edge)
            final = self.wait(
                lambda m, c=cseq: (
                    m.is_response and m.call_id == dlg.call_id and m.cseq == (c, "INVITE") and m.code >= 200
                ),
                timeout,
                resend=lambda t=text: self.send(t, self.edge),
            )
            if final is None:
                raise TimeoutError(f"no final answer to the INVITE of {self.user}")
            if final.code >= 300:
                self._ack_negative(dlg, ruri, branch, cseq, final)
            if final.code == 407 and cseq == 1:
                auth = [
                    "Proxy-Authorization: "
                    + _digest(self.user, self.password, "INVITE", ruri, final.header("Proxy-Authenticate"))
                ]
                continue
            dlg.final = final
            dlg.cseq = cseq
            break
        final = dlg.final
        assert final is not None
        if final.code == 200:
            dlg.to_hdr = final.header("To")
            dlg.remote_target = uri_of(final.header("Contact"))
            dlg.route = list(reversed([r.strip() for h in final.all("Record-Route") for r in h.split(",")]))
            dlg.remote_rtp = _remote_rtp(final.body)
            self.send(self._in_dialog_text(dlg, "ACK", [], "", cseq=dlg.cseq), self._next_hop(dlg))
            self._rtp_dst = dlg.remote_rtp
        return dlg

    def _invite(self, dlg: Dialog, ruri: str, branch: str, cseq: int, extra: list[str]) -> str:
        body = _sdp(self.ip, self.rtp_port)
        lines = [
            f"INVITE {ruri} SIP/2.0",
            f"Via: SIP/2.0/UDP {self.ip}:{self.port};branch={branch};rport",
            "Max-Forwards: 70",
            f"From: {dlg.from_hdr};tag={dlg.local_tag}",
            f"To: {dlg.to_hdr}",
            f"Call-ID: {dlg.call_id}",
            f"CSeq: {cseq} INVITE",
            f"Contact: <sip:{self.user}@{self.ip}:{self.port}>",
            *extra,
            "Content-Type: application/sdp",
            f"Content-Length: {len(body.encode())}",
        ]
        return "\r\n".join(lines) + "\r\n\r\n" + body

    def _ack_negative(self, dlg: Dialog, ruri: str, branch: str, cseq: int, final: Msg) -> None:
        lines = [
            f"ACK {ruri} SIP/2.0",
            f"Via: SIP/2.0/UDP {self.ip}:{self.port};branch={branch};rport",
            "Max-Forwards: 70",
            f"From: {dlg.from_hdr};tag={dlg.local_tag}",
            f"To: {final.header('To')}",
            f"Call-ID: {dlg.call_id}",
            f"CSeq: {cseq} ACK",
            "Content-Length: 0",
        ]
        self.send("\r\n".join(lines) + "\r\n\r\n", self.edge)

    def _next_hop(self, dlg: Dialog) -> tuple[str, int]:
        return hostport(uri_of(dlg.route[0])) if dlg.route else hostport(dlg.remote_target)

    def _in_dialog_text(
        self,
        dlg: Dialog,
        method: str,
        extra: Iterable[str],
        body: str,
        *,
        cseq: int,
        from_hdr: str | None = None,
        to_hdr: str | None = None,
    ) -> str:
        lines = [
            f"{method} {dlg.remote_target} SIP/2.0",
            self._via(),
            *(f"Route: {r}" for r in dlg.route),
            "Max-Forwards: 70",
            f"From: {from_hdr or dlg.from_hdr};tag={dlg.local_tag}",
            f"To: {to_hdr or dlg.to_hdr}",
            f"Call-ID: {dlg.call_id}",
            f"CSeq: {cseq} {method}",
            f"Contact: <sip:{self.user}@{self.ip}:{self.port}>",
            *extra,
            f"Content-Length: {len(body.encode())}",
        ]
        return "\r\n".join(lines) + "\r\n\r\n" + body

    def request(
        self,
        dlg: Dialog,
        method: str,
        extra: Iterable[str] = (),
        *,
        from_hdr: str | None = None,
        to_hdr: str | None = None,
        timeout: float = 8.0,
    ) -> Msg | None:
        """A request inside ``dlg`` (From/To may be forged, keeping the tags); its final
        answer, or None."""
        dlg.cseq += 1
        cseq = dlg.cseq
        text = self._in_dialog_text(dlg, method, extra, "", cseq=cseq, from_hdr=from_hdr, to_hdr=to_hdr)
        self.send(text, self._next_hop(dlg))
        return self.wait(
            lambda m: m.is_response and m.call_id == dlg.call_id and m.cseq == (cseq, method) and m.code >= 200,
            timeout,
            resend=lambda: self.send(text, self._next_hop(dlg)),
        )

    def refer(self, dlg: Dialog, refer_to: str, **kw: object) -> Msg | None:
        return self.request(dlg, "REFER", [f"Refer-To: {refer_to}", f"Referred-By: {dlg.from_hdr}"], **kw)  # type: ignore[arg-type]

    def hangup(self, dlg: Dialog) -> Msg | None:
        self._rtp_dst = None
        return self.request(dlg, "BYE")

    # -- RTP ------------------------------------------------------------------------------

    def _rtp_send(self) -> None:
        seq, ts, ssrc = random.randrange(1 << 16), random.randrange(1 << 32), random.randrange(1 << 32)
        i = 0
        next_t = time.monotonic()
        while not self._stop.is_set():
            dst = self._rtp_dst
            if dst is not None:
                pkt = struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + self.frames[i % 50]
                with contextlib.suppress(OSError):
                    self.rtp_sock.sendto(pkt, dst)
                seq, ts, i = seq + 1, ts + 160, i + 1
            next_t += 0.02
            time.sleep(max(0.0, next_t - time.monotonic()))

    def _rtp_recv(self) -> None:
        self.rtp_sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data, _ = self.rtp_sock.recvfrom(2048)
            except TimeoutError:
                continue
            except OSError:
                return
            if len(data) > 12 and data[1] & 0x7F == 0:
                self.heard.append((time.monotonic(), data[12:]))

    def heard_since(self, t: float) -> array[int]:
        """The decoded audio received since monotonic time ``t``."""
        out = array("h")
        for when, payload in list(self.heard):
            if when >= t:
                out.extend(ULAW_DECODE[b] for b in payload)
        return out

    def stop(self) -> None:
        self._rtp_dst = None
        super().stop()
        with contextlib.suppress(OSError):
            self.rtp_sock.close()
        for t in self._rtp_threads:
            t.join(timeout=2)


class RawCarrier(Endpoint):
    """A carrier's SBC: answers every INVITE 200 with PCMU SDP (no RTP), BYE 200; what it
    received is in ``received`` / ``requests("INVITE")``."""

    def on_request(self, msg: Msg) -> None:
        if msg.method == "ACK":
            return
        if msg.method == "INVITE":
            self.reply(
                msg,
                200,
                "OK",
                [
                    f"Contact: <sip:carrier@{self.ip}:{self.port}>",
                    *(f"Record-Route: {r}" for r in msg.all("Record-Route")),
                    "Content-Type: application/sdp",
                ],
                _sdp(self.ip, 9),
                tag=self._tag(msg.call_id),
            )
            return
        self.reply(msg, 200, "OK")

    def _tag(self, call_id: str) -> str:
        return f"c{abs(hash(call_id)) % 10**8}"

    def bye_all(self) -> None:
        """Hang up every call it answered that got no BYE yet (as the callee: the route
        set is the INVITE's Record-Route, in order)."""
        ended = {m.call_id for m in self.requests("BYE")}
        for inv in self.invites():
            if inv.call_id in ended:
                continue
            route = [r.strip() for h in inv.all("Record-Route") for r in h.split(",")]
            target = uri_of(inv.header("Contact"))
            lines = [
                f"BYE {target} SIP/2.0",
                f"Via: SIP/2.0/UDP {self.ip}:{self.port};branch=z9hG4bK{_token()};rport",
                *(f"Route: {r}" for r in route),
                "Max-Forwards: 70",
                f"From: {inv.header('To')};tag={self._tag(inv.call_id)}",
                f"To: {inv.header('From')}",
                f"Call-ID: {inv.call_id}",
                "CSeq: 900 BYE",
                "Content-Length: 0",
            ]
            self.send("\r\n".join(lines) + "\r\n\r\n", hostport(uri_of(route[0])) if route else hostport(target))
        time.sleep(0.3)

    def invites(self) -> list[Msg]:
        """Distinct INVITEs (retransmissions once)."""
        seen: set[tuple[str, int]] = set()
        out = []
        for m in self.requests("INVITE"):
            key = (m.call_id, m.cseq[0])
            if key not in seen:
                seen.add(key)
                out.append(m)
        return out


def send_once(
    text: str, dst: tuple[str, int], src_ip: str, timeout: float = 3.0, until: int = 200
) -> tuple[list[Msg], Endpoint]:
    """Send one request from ``src_ip`` and collect the answers until a final one (>=
    ``until``) or the timeout; the endpoint stays open (the caller stops it)."""
    ep = Endpoint(src_ip)
    text = text.replace("{lport}", str(ep.port)).replace("{lip}", src_ip)
    ep.send(text, dst)
    ep.wait(lambda m: m.is_response and m.code >= until, timeout)
    with ep._cond:
        return [m for m in ep.received if m.is_response], ep
