"""Clear text on the internet (issue 13 item 8): SIP over TLS on the edge and SRTP for the
phones that offer it, end to end with real peers on loopback: Kamailio with its TLS
listener and a self-signed certificate (as in local mode), a real pjsua2 worker, baresip
phones (one over TLS with SRTP, plain UDP ones), baresip as a carrier behind a TLS trunk.

A raw socket on ``lo`` plays the wire tap: what the tests assert is what an eavesdropper on
the path would or would not get. The TLS phone's digest exchange and SDP cross only as TLS
records; its audio is SRTP (its tone cannot be recovered from the packets, while the plain
phone's can); the worker answered its RTP/SAVP offer with RTP/SAVP and a=crypto, and the
SDES keys of the worker's own offers never go to a phone over UDP. Calls still reach the
TLS phone (over the connection it registered on), are recorded with clear audio, and a
TLS trunk works only with a carrier whose certificate the edge trusts.

SIPp cannot be the TLS peer here: Debian 12's sip-tester is built without OpenSSL, and its
source package cannot be fetched on these machines to build one with TLS."""

from __future__ import annotations

import socket
import ssl
import time
import warnings
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from edge_node import tls_cert
from infra.procs import LOCALHOST, free_port
from pbx_core.snapshot import NumberConfig, TrunkConfig
from tests.harness.kamailio import EdgeNode, edge_node, snapshot, tenant
from tests.integration.capture import LoopbackCapture, Packet, rtp_payload, ulaw_decode
from tests.integration.checks import assert_tone
from tests.integration.phones import Phone, active_seconds, read_channels, tone_power

pytestmark = pytest.mark.integration

A, B = "acme.test", "beta.test"
PW = {"101": "acme-secret-101", "102": "acme-secret-102", "103": "acme-secret-103"}
PW_B = {"201": "beta-secret-201"}
TLS_HZ, UDP_HZ, OTHER_HZ, CARRIER_HZ = 440.0, 1000.0, 700.0, 850.0
DID, DID_B = "02873001234", "02473005678"
RETRY = "callee refused opportunistic SRTP"  # the worker's log line when it offers RTP/SAVP again
DIALLED = "0912345678"  # a mobile number: the carrier's baresip answers calls to it


@dataclass
class Peers:
    carrier_port: int  # the trusted carrier's baresip: UDP/TCP here, TLS on port + 1
    rogue_port: int  # a carrier whose certificate nobody signed
    carrier_pem: Path
    rogue_pem: Path
    edge_cert: Path


def _pem(info: tls_cert.CertInfo, out: Path) -> Path:
    """baresip's sip_certificate: the certificate and its key in one file."""
    out.write_bytes(info.cert.read_bytes() + info.key.read_bytes())
    out.chmod(0o600)
    return out


@pytest.fixture(scope="module")
def peers(tmp_path_factory: pytest.TempPathFactory) -> Peers:
    d = tmp_path_factory.mktemp("certs")
    ca = tls_cert.make(d / "ca.crt", d / "ca.key", ["ca.probox.test"], ca=True)
    carrier = tls_cert.make(
        d / "carrier.crt", d / "carrier.key", [LOCALHOST], issuer=tls_cert.load_issuer(ca.cert, ca.key)
    )
    rogue = tls_cert.make(d / "rogue.crt", d / "rogue.key", [LOCALHOST])  # self-signed
    edge = tls_cert.ensure(d / "edge.crt", d / "edge.key", [LOCALHOST])  # as make run does
    return Peers(
        free_port(span=2), free_port(span=2), _pem(carrier, d / "carrier.pem"), _pem(rogue, d / "rogue.pem"), edge.cert
    )


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory, peers: Peers) -> Iterator[EdgeNode]:
    d = peers.edge_cert.parent
    trunk = TrunkConfig("tlsco", "Carrier over TLS", LOCALHOST, peers.carrier_port + 1, transport="tls")
    rogue = TrunkConfig("rogue", "Untrusted carrier", LOCALHOST, peers.rogue_port + 1, transport="tls")
    acme = tenant(
        "acme",
        A,
        PW,
        default_caller_id=DID,
        trunks={"tlsco": trunk},
        numbers={DID: NumberConfig(DID, "fixed", "tlsco", "101")},
    )
    beta = tenant(
        "beta",
        B,
        PW_B,
        default_caller_id=DID_B,
        trunks={"rogue": rogue},
        numbers={DID_B: NumberConfig(DID_B, "fixed", "rogue", "201")},
    )
    with edge_node(
        tmp_path_factory.mktemp("tls"),
        snapshot(1, [acme, beta]),
        ring_timeout=10.0,
        tls_certificate=peers.edge_cert,
        tls_private_key=d / "edge.key",
        tls_port=free_port(),
        tls_ca_list=d / "ca.crt",  # the CA that signed the trusted carrier's certificate
    ) as n:
        yield n


def tls_port(node: EdgeNode) -> int:
    return node.kamailio.settings.tls_port


@pytest.fixture
def phones(node: EdgeNode, tmp_path: Path) -> Iterator[list[Phone]]:
    started: list[Phone] = []
    yield started
    for p in started:
        p.stop()


def tls_phone(node: EdgeNode, phones: list[Phone], tmp: Path, mediaenc: str = "srtp-mand") -> Phone:
    p = Phone(tmp, "101", A, PW["101"], (LOCALHOST, tls_port(node)), TLS_HZ, transport="tls", mediaenc=mediaenc)
    phones.append(p)
    return p.start()


def udp_phone(node: EdgeNode, phones: list[Phone], tmp: Path, user: str = "102", hz: float = UDP_HZ) -> Phone:
    domain, pw = (B, PW_B[user]) if user in PW_B else (A, PW[user])
    p = Phone(tmp, user, domain, pw, node.target, hz)
    phones.append(p)
    return p.start()


def carrier_phone(phones: list[Phone], tmp: Path, port: int, pem: Path) -> Phone:
    """A carrier's line: baresip answering calls to DIALLED, serving TLS on ``port`` + 1
    (where the trunk points) with the certificate in ``pem``; it registers nowhere."""
    p = Phone(tmp, DIALLED, LOCALHOST, "", (LOCALHOST, 9), CARRIER_HZ, register=False, certificate=pem, sip_port=port)
    phones.append(p)
    return p.start()


def sip_texts(packets: list[Packet], call_id: str = "") -> list[str]:
    """SIP messages in the captured UDP payloads (of one Call-ID)."""
    out = []
    for p in packets:
        if p.proto != "udp" or not p.payload[:12].strip():
            continue
        text = p.payload.decode("utf-8", "replace")
        if text.startswith(("SIP/2.0 ", "INVITE ", "ACK ", "BYE ", "UPDATE ", "REGISTER ")) and call_id in text:
            out.append(text)
    return out


def audio_of(packets: list[Packet], *, sport: range | None = None, dport: range | None = None) -> array[int]:
    """What a tap assuming G.711 µ-law hears in the RTP packets from/to these ports (the
    first 160 bytes of each payload: 20 ms; an SRTP payload is 160 bytes plus its tag)."""
    out = array("h")
    for p in packets:
        if (
            p.proto != "udp"
            or (sport is not None and p.sport not in sport)
            or (dport is not None and p.dport not in dport)
        ):
            continue
        rtp = rtp_payload(p.payload)
        if rtp is not None and rtp[0] == 0 and len(rtp[1]) >= 160:
            out.extend(ulaw_decode(rtp[1][:160]))
    return out


def tone_share(samples: array[int], hz: float, rate: int = 8000) -> float:
    """Share of the 250 ms windows in which ``hz`` dominates (> half of the power)."""
    win = rate // 4
    windows = [samples[i : i + win] for i in range(0, len(samples) - win + 1, win)]
    assert len(windows) >= 8, f"only {len(windows)} windows of captured audio"
    return sum(tone_power(w, rate, hz) > 0.5 for w in windows) / len(windows)


def heard(phone: Phone, want: float, other: float) -> None:
    (samples,), rate = read_channels(phone.heard())
    assert active_seconds(samples, rate) > 2.0, f"{phone.user} heard too little"
    assert_tone(samples, rate, want, other, f"{phone.user} heard")


def call(caller: Phone, callee: Phone, uri: str, talk_s: float = 4.0) -> str:
    """``caller`` dials, ``callee`` answers (auto), they talk, the caller hangs up; the
    caller's Call-ID."""
    m = caller.dial(uri)
    callee.wait_event("CALL_ESTABLISHED", timeout=15)
    est = caller.wait_event("CALL_ESTABLISHED", timeout=15, since=m)
    time.sleep(talk_s)
    h = caller.hangup()
    caller.wait_event("CALL_CLOSED", timeout=10, since=h)
    callee.wait_event("CALL_CLOSED", timeout=10)
    return str(est["id"])


def recording_holds(node: EdgeNode, call_id: str, caller_hz: float, callee_hz: float) -> None:
    """The worker recorded clear audio of both parties (it records after SRTP is removed)."""
    cdr = node.wait_cdr(call_id)
    assert cdr["disposition"] == "answered", cdr
    spool = node.workers[0].spool
    caller_wav, callee_wav = cdr["_local_recordings"]
    (left,), rate = read_channels(spool / "rec" / caller_wav)
    (right,), _ = read_channels(spool / "rec" / callee_wav)
    assert abs(len(left) / rate - cdr["duration_s"]) < 1.0
    assert_tone(left, rate, caller_hz, callee_hz, "recording of the caller")
    assert_tone(right, rate, callee_hz, caller_hz, "recording of the callee")


def test_the_edge_speaks_tls_12_and_up_only_with_its_certificate(node: EdgeNode, peers: Peers) -> None:
    want = tls_cert.read(peers.edge_cert, peers.edge_cert.with_suffix(".key")).fingerprint_sha256
    ctx = ssl.create_default_context(cafile=str(peers.edge_cert))  # the fingerprint a user pins
    with socket.create_connection((LOCALHOST, tls_port(node)), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname=LOCALHOST) as s:
            assert s.version() in ("TLSv1.2", "TLSv1.3")
            der = s.getpeercert(binary_form=True)
            assert der is not None
            got = x509.load_der_x509_certificate(der).fingerprint(hashes.SHA256()).hex().upper()
            assert ":".join(got[i : i + 2] for i in range(0, len(got), 2)) == want
            s.sendall(
                b"OPTIONS sip:"
                + LOCALHOST.encode()
                + b" SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:9;branch=z9hG4bKtls1\r\n"
                b"From: <sip:probe@acme.test>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: tls-probe-1\r\n"
                b"CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
            )
            assert s.recv(4096).startswith(b"SIP/2.0 200 ")
    # TLS 1.2 with a cipher without forward secrecy, and TLS 1.1: refused
    for version, ciphers in ((ssl.TLSVersion.TLSv1_2, "AES128-SHA256"), (ssl.TLSVersion.TLSv1_1, "")):
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.check_hostname, old.verify_mode = False, ssl.CERT_NONE
        old.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        with warnings.catch_warnings():  # asking for TLS 1.1 is the point here
            warnings.simplefilter("ignore", DeprecationWarning)
            old.maximum_version = version
        if ciphers:
            old.set_ciphers(ciphers)
        else:
            old.set_ciphers("DEFAULT:@SECLEVEL=0")
        with socket.create_connection((LOCALHOST, tls_port(node)), timeout=5) as raw:
            with pytest.raises((ssl.SSLError, ConnectionResetError)):
                old.wrap_socket(raw, server_hostname=LOCALHOST).do_handshake()


def test_tls_srtp_phone_calls_a_udp_phone_and_a_tap_gets_nothing(
    node: EdgeNode, phones: list[Phone], tmp_path: Path
) -> None:
    tap = LoopbackCapture([])  # ports filled in once the phones exist
    secure = tls_phone(node, phones, tmp_path)
    plain = udp_phone(node, phones, tmp_path)
    worker_port = node.workers[0].port
    tap.ports = {tls_port(node), node.port, worker_port, plain.sip_port, secure.sip_port, secure.sip_port + 1}
    tap.ports |= {*secure.rtp_ports, *plain.rtp_ports}
    tap.start()
    try:
        assert secure.wait_registered()["type"] == "REGISTER_OK"
        assert plain.wait_registered()["type"] == "REGISTER_OK"
        contact = node.kamailio.kamcmd("ul.lookup", "location", f"101@{A}")
        assert "tls:" in contact and "transport=tls" in contact, contact  # registered over TLS
        call_id = call(secure, plain, f"sip:102@{A}")
    finally:
        packets = tap.stop()
    heard(secure, UDP_HZ, TLS_HZ)
    heard(plain, TLS_HZ, UDP_HZ)
    recording_holds(node, call_id, TLS_HZ, UDP_HZ)
    assert "SRTP is Enabled" in secure.proc.log_path.read_text(errors="replace")

    # signalling of the TLS phone: only TLS records on its connection, no SIP in clear
    tls_bytes = b"".join(p.payload for p in packets if p.proto == "tcp" and tls_port(node) in (p.sport, p.dport))
    assert len(tls_bytes) > 2000, "no TLS traffic captured"
    for clear in (b"SIP/2.0", b"Digest", b"REGISTER", b"INVITE", b"a=crypto"):
        assert clear not in tls_bytes, clear
    # and the phone itself sent no SIP in clear (the edge's hop to its worker is loopback)
    assert not [p for p in packets if p.proto == "udp" and p.sport in (secure.sip_port, secure.sip_port + 1)]

    # the worker's leg to the TLS phone is SRTP: offer and answer RTP/SAVP with SDES keys
    to_worker = [t for t in sip_texts(packets, call_id) if t.startswith("INVITE ")]
    assert to_worker and "RTP/SAVP" in to_worker[0] and "a=crypto:" in to_worker[0], to_worker[:1]
    answer = [t for t in sip_texts(packets, call_id) if t.startswith("SIP/2.0 200") and "m=audio" in t]
    assert answer and "RTP/SAVP" in answer[0] and "a=crypto:" in answer[0], answer[:1]
    # the UDP phone's leg: plain RTP, and no SDES key was sent to it in clear
    to_plain = [
        p.payload.decode("utf-8", "replace")
        for p in packets
        if p.proto == "udp" and p.dport == plain.sip_port and p.payload.startswith(b"INVITE ")
    ]
    assert to_plain and all("a=crypto" not in t and "RTP/AVP" in t for t in to_plain), to_plain[:1]

    # the audio: the plain phone's tone is in its packets; the TLS phone's packets (both
    # ways) give a tap noise
    assert tone_share(audio_of(packets, sport=plain.rtp_ports), UDP_HZ) > 0.8
    assert tone_share(audio_of(packets, dport=plain.rtp_ports), TLS_HZ) > 0.8
    assert tone_share(audio_of(packets, sport=secure.rtp_ports), TLS_HZ) < 0.05
    assert tone_share(audio_of(packets, dport=secure.rtp_ports), UDP_HZ) < 0.05
    assert node.wait_calls("acme", 0) == 0


@pytest.mark.parametrize("mediaenc", ["srtp-mand", "srtp"])
def test_a_udp_phone_calls_the_tls_phone_over_its_own_connection(
    node: EdgeNode, phones: list[Phone], tmp_path: Path, mediaenc: str
) -> None:
    """The callee leg reuses the TLS connection the phone registered on (its listening
    port serves no TLS: baresip has no certificate), and gets SRTP: the worker offers it
    (RTP/AVP + a=crypto), and the edge lets the keys through only because this leg is TLS.
    A phone that requires SRTP refuses that offer (488) and gets an RTP/SAVP one."""
    secure = tls_phone(node, phones, tmp_path, mediaenc)
    plain = udp_phone(node, phones, tmp_path)
    assert secure.wait_registered()["type"] == "REGISTER_OK"
    assert plain.wait_registered()["type"] == "REGISTER_OK"
    retries = node.workers[0].log_path.read_text(errors="replace").count(RETRY)
    with LoopbackCapture([*secure.rtp_ports, *plain.rtp_ports, node.workers[0].port]) as tap:
        call_id = call(plain, secure, f"sip:101@{A}")
    packets = tap.packets
    # a phone that requires SRTP refused the opportunistic offer and got an RTP/SAVP one
    retried = node.workers[0].log_path.read_text(errors="replace").count(RETRY) - retries
    assert retried == (1 if mediaenc == "srtp-mand" else 0)
    heard(secure, UDP_HZ, TLS_HZ)
    heard(plain, TLS_HZ, UDP_HZ)
    recording_holds(node, call_id, UDP_HZ, TLS_HZ)
    assert "SRTP is Enabled" in secure.proc.log_path.read_text(errors="replace")
    offers = [t for t in sip_texts(packets) if t.startswith("INVITE ") and "X-PBX-Kind: leg" in t]
    assert offers and "a=crypto:" in offers[0], "the worker did not offer SRTP"
    assert tone_share(audio_of(packets, sport=secure.rtp_ports), TLS_HZ) < 0.05
    assert tone_share(audio_of(packets, dport=secure.rtp_ports), UDP_HZ) < 0.05
    assert node.wait_calls("acme", 0) == 0


def test_plain_udp_phones_still_talk_in_plain_rtp(node: EdgeNode, phones: list[Phone], tmp_path: Path) -> None:
    """No SRTP towards phones that did not offer it: the worker's offer reaches them without
    keys, and their audio is plain G.711 both ways."""
    a = udp_phone(node, phones, tmp_path, "102", UDP_HZ)
    b = udp_phone(node, phones, tmp_path, "103", OTHER_HZ)
    assert a.wait_registered()["type"] == "REGISTER_OK"
    assert b.wait_registered()["type"] == "REGISTER_OK"
    with LoopbackCapture([a.sip_port, b.sip_port, *a.rtp_ports, *b.rtp_ports]) as tap:
        call_id = call(a, b, f"sip:103@{A}")
    packets = tap.packets
    heard(a, OTHER_HZ, UDP_HZ)
    heard(b, UDP_HZ, OTHER_HZ)
    recording_holds(node, call_id, UDP_HZ, OTHER_HZ)
    invites = [t for t in sip_texts(packets) if t.startswith("INVITE ")]
    assert invites and all("a=crypto" not in t for t in invites), invites
    assert tone_share(audio_of(packets, sport=b.rtp_ports), OTHER_HZ) > 0.8
    assert tone_share(audio_of(packets, dport=b.rtp_ports), UDP_HZ) > 0.8


def test_a_call_out_through_a_tls_trunk(node: EdgeNode, phones: list[Phone], peers: Peers, tmp_path: Path) -> None:
    """The carrier is reached over TLS only (it serves nothing else on that port) and its
    certificate is checked against the edge's CA list."""
    carrier = carrier_phone(phones, tmp_path, peers.carrier_port, peers.carrier_pem)
    plain = udp_phone(node, phones, tmp_path)
    assert plain.wait_registered()["type"] == "REGISTER_OK"
    with LoopbackCapture([peers.carrier_port + 1, *plain.rtp_ports]) as tap:
        call_id = call(plain, carrier, f"sip:{DIALLED}@{A}")
    incoming = next(e for e in carrier.events if e.get("type") in ("CALL_INCOMING", "CALL_ESTABLISHED"))
    assert DID in incoming.get("peeruri", ""), incoming  # the tenant's DID as caller id
    heard(plain, CARRIER_HZ, UDP_HZ)
    heard(carrier, UDP_HZ, CARRIER_HZ)
    recording_holds(node, call_id, UDP_HZ, CARRIER_HZ)
    to_carrier = b"".join(p.payload for p in tap.packets if p.proto == "tcp")
    assert len(to_carrier) > 1000 and b"INVITE" not in to_carrier and DIALLED.encode() not in to_carrier
    assert any('"event":"invite_to_trunk"' in line and "tlsco" in line for line in node.log_text().splitlines())
    assert node.wait_calls("acme", 0) == 0


def test_a_tls_carrier_with_an_untrusted_certificate_gets_no_call(
    node: EdgeNode, phones: list[Phone], peers: Peers, tmp_path: Path
) -> None:
    rogue = carrier_phone(phones, tmp_path, peers.rogue_port, peers.rogue_pem)
    caller = udp_phone(node, phones, tmp_path, "201", UDP_HZ)
    assert caller.wait_registered()["type"] == "REGISTER_OK"
    m = caller.dial(f"sip:{DIALLED}@{B}")
    closed = caller.wait_event("CALL_CLOSED", timeout=20, since=m)
    assert not [e for e in rogue.events if e.get("type") in ("CALL_INCOMING", "CALL_ESTABLISHED")]
    assert "ESTABLISHED" not in [e.get("type") for e in caller.events[m:]], closed
    assert "verify" in node.log_text().lower() or "certificate" in node.log_text().lower()
    assert node.wait_calls("beta", 0) == 0
