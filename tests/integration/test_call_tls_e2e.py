"""The local stack as `make run` starts it, with a phone over TLS and SRTP (issue 13 item 8):
the edge listens for TLS with its self-signed certificate (the one `make run` prints),
baresip registers over TLS with SRTP required and calls a UDP phone; both hear each other,
the CDR is in the API and the recording in S3 holds both parties in clear."""

from __future__ import annotations

import socket
import ssl
import time
from pathlib import Path

import pytest

from edge_node import tls_cert
from infra.local_stack import Stack, Tenant
from tests.integration.checks import assert_tone, recording_channels, wait_cdr
from tests.integration.phones import Phone, active_seconds, read_channels

pytestmark = pytest.mark.integration

TLS_HZ, UDP_HZ = 440.0, 1000.0


def test_stack_serves_tls_with_the_certificate_it_prints(stack: Stack) -> None:
    info = stack.info()
    cert = Path(info["tls_certificate"])
    assert info["sip_tls_port"] == stack.cfg.sip_tls_port
    assert info["tls_fingerprint_sha256"] == tls_cert.read(cert, stack.cfg.tls_key).fingerprint_sha256
    ctx = ssl.create_default_context(cafile=str(cert))  # trusting exactly what was printed
    with socket.create_connection((stack.cfg.host, stack.cfg.sip_tls_port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname=stack.cfg.host) as s:
            assert s.version() in ("TLSv1.2", "TLSv1.3")


def test_tls_srtp_phone_calls_through_the_stack_and_is_recorded(
    stack: Stack, demo: Tenant, phones: list[Phone], tmp_path: Path
) -> None:
    c = stack.cfg
    a = Phone(
        tmp_path,
        "101",
        demo.domain,
        demo.password("101"),
        (c.host, c.sip_tls_port),
        TLS_HZ,
        transport="tls",
        mediaenc="srtp-mand",
    )
    phones.append(a)
    a.start()
    b = Phone(tmp_path, "102", demo.domain, demo.password("102"), (c.host, c.sip_port), UDP_HZ)
    phones.append(b)
    b.start()
    assert a.wait_registered()["type"] == "REGISTER_OK"
    assert b.wait_registered()["type"] == "REGISTER_OK"
    m = a.dial(f"sip:102@{demo.domain}")
    b.wait_event("CALL_ESTABLISHED", timeout=15)
    est = a.wait_event("CALL_ESTABLISHED", timeout=15, since=m)
    time.sleep(4.0)
    h = a.hangup()
    closed = a.wait_event("CALL_CLOSED", timeout=10, since=h)
    b.wait_event("CALL_CLOSED", timeout=10)
    talk_s = closed["_t"] - est["_t"]
    assert "SRTP is Enabled" in a.proc.log_path.read_text(errors="replace")

    (heard_a,), ra = read_channels(a.heard())
    (heard_b,), rb = read_channels(b.heard())
    assert active_seconds(heard_a, ra) > 3.0 and active_seconds(heard_b, rb) > 3.0
    assert_tone(heard_a, ra, UDP_HZ, TLS_HZ, "TLS phone heard")
    assert_tone(heard_b, rb, TLS_HZ, UDP_HZ, "UDP phone heard")

    cdr = wait_cdr(stack, demo, est["id"], timeout=20)
    assert cdr["caller"] == "101" and cdr["callee"] == "102" and cdr["disposition"] == "answered"
    assert abs(cdr["duration_s"] - talk_s) < 1.0
    left, right, rate = recording_channels(stack, cdr["recording_key"], tmp_path)
    assert abs(len(left) / rate - talk_s) < 1.0
    assert_tone(left, rate, TLS_HZ, UDP_HZ, "recording left (the TLS caller)")
    assert_tone(right, rate, UDP_HZ, TLS_HZ, "recording right (the UDP callee)")
