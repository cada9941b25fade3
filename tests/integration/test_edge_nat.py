"""NAT: a phone whose Contact, Via and SDP carry an address it cannot be reached at (as
behind a NAT without ALG) still registers, calls and is called, hears and is heard.

The "NAT box" below is a UDP relay between a real baresip phone and the edge. It sends the
phone's SIP from its own "public" port and rewrites the phone's address in the SIP text to
127.0.0.2 (the phone's "private" address: nothing listens there). The edge must therefore
answer to the source (rport), keep the source of the REGISTER (fix_nated_register), alias
the phone's Contact with its source (add_contact_alias / handle_ruri_alias), and the media
worker must send RTP to where the phone's RTP comes from, not to its SDP address (latching).
Everything stays on loopback.
"""

from __future__ import annotations

import re
import select
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.procs import LOCALHOST
from tests.harness.kamailio import EdgeNode, edge_node, snapshot, tenant
from tests.integration.phones import Phone, active_seconds, read_channels, tone_power

pytestmark = pytest.mark.integration

A = "acme.test"
PW = {"101": "acme-secret-101-nat", "102": "acme-secret-102-nat"}
PRIVATE = "127.0.0.2"  # where the phone thinks it is (nothing of it listens there)
NAT_HZ, OTHER_HZ = 440.0, 1000.0


class NatBox:
    """A NAT without ALG, as a UDP relay: the phone uses the box as its outbound proxy;
    the box forwards to the edge from its own "public" port and back to the phone.
    The phone's own address in the SIP text is rewritten to ``PRIVATE``."""

    def __init__(self, edge: tuple[str, int]) -> None:
        self.edge = edge
        self.inner = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.inner.bind((LOCALHOST, 0))  # the phone's "outbound proxy"
        self.outer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.outer.bind((LOCALHOST, 0))  # the NAT's public address
        self.phone: tuple[str, int] | None = None
        self.phone_port = 0
        self.from_edge: list[str] = []
        self.to_edge: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def proxy(self) -> tuple[str, int]:
        return (LOCALHOST, int(self.inner.getsockname()[1]))

    @property
    def public(self) -> tuple[str, int]:
        return (LOCALHOST, int(self.outer.getsockname()[1]))

    def start(self, phone_port: int) -> NatBox:
        self.phone_port = phone_port
        self._thread.start()
        return self

    def outbound(self, text: str) -> str:
        """Phone -> edge: the phone's address becomes its private one (same length, so
        Content-Length stays right); its outbound proxy is the edge itself."""
        text = text.replace(f"{LOCALHOST}:{self.phone_port}", f"{PRIVATE}:{self.phone_port}")
        text = text.replace(f"IN IP4 {LOCALHOST}", f"IN IP4 {PRIVATE}")
        return text.replace(f"{LOCALHOST}:{self.proxy[1]}", f"{self.edge[0]}:{self.edge[1]}")

    def inbound(self, text: str) -> str:
        """Edge -> phone: back to the phone's view (the edge is at the box, so replies
        and in-dialog requests also cross the NAT), and the phone never learns its public
        address from received/rport (it keeps sending the wrong Contact)."""
        text = text.replace(f"{PRIVATE}:{self.phone_port}", f"{LOCALHOST}:{self.phone_port}")
        text = text.replace(f"{self.edge[0]}:{self.edge[1]}", f"{LOCALHOST}:{self.proxy[1]}")
        text = re.sub(r";received=[^;,\s]+", "", text)
        return re.sub(r";rport=\d+", ";rport", text)

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.inner, self.outer], [], [], 0.1)
            for sock in ready:
                data, src = sock.recvfrom(65535)
                text = data.decode("utf-8", "replace")
                if sock is self.inner:
                    self.phone = src
                    out = self.outbound(text)
                    self.to_edge.append(out)
                    self.outer.sendto(out.encode(), self.edge)
                elif self.phone is not None:
                    self.from_edge.append(text)
                    self.inner.sendto(self.inbound(text).encode(), self.phone)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2)
        self.inner.close()
        self.outer.close()


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EdgeNode]:
    snap = snapshot(1, [tenant("acme", A, PW)])
    with edge_node(tmp_path_factory.mktemp("nat"), snap) as n:
        yield n


@pytest.fixture
def phones(node: EdgeNode) -> Iterator[tuple[Phone, Phone, NatBox]]:
    """101 behind the NAT box, 102 on the edge directly; both baresip. Their folder has a
    short path: baresip's sndfile truncates long dump paths (and drops the .wav)."""
    work = Path(tempfile.mkdtemp(prefix="pbxnat-"))
    box = NatBox(node.target)
    nat = Phone(work, "101", A, PW["101"], box.proxy, NAT_HZ)
    other = Phone(work, "102", A, PW["102"], node.target, OTHER_HZ)
    box.start(nat.sip_port)
    try:
        nat.start()
        other.start()
        yield nat, other, box
    finally:
        nat.stop()
        other.stop()
        box.stop()
        shutil.rmtree(work, ignore_errors=True)


def _assert_heard(phone: Phone, want: float, other: float) -> None:
    """Most half-second windows of what ``phone`` heard are the other side's tone (the
    moment the worker latches on the NAT phone's RTP source may glitch one window)."""
    (samples,), rate = read_channels(phone.heard())
    assert active_seconds(samples, rate) > 1.5, f"{phone.user} heard too little"
    half = rate // 2
    windows = [samples[i : i + half] for i in range(0, len(samples) - half + 1, half)]
    good = [tone_power(w, rate, want) > 0.5 and tone_power(w, rate, other) < 0.05 for w in windows]
    assert sum(good) >= 0.7 * len(good), f"{phone.user} heard {want} Hz in {sum(good)} of {len(good)} windows"


def test_phone_behind_nat_registers_with_its_source_address(
    node: EdgeNode, phones: tuple[Phone, Phone, NatBox]
) -> None:
    nat, _other, box = phones
    assert nat.wait_registered()["type"] == "REGISTER_OK"
    register = next(m for m in box.to_edge if m.startswith("REGISTER"))
    assert f"@{PRIVATE}:{nat.sip_port}" in register  # the wrong Contact really went out
    ul = node.kamailio.kamcmd("ul.lookup", "location", "101@acme.test")
    assert f"sip:{LOCALHOST}:{box.public[1]}" in ul, ul  # received = the NAT's public side


def test_nat_phone_calls_out_and_both_sides_hear_each_other(
    node: EdgeNode, phones: tuple[Phone, Phone, NatBox]
) -> None:
    nat, other, box = phones
    assert nat.wait_registered()["type"] == "REGISTER_OK"
    assert other.wait_registered()["type"] == "REGISTER_OK"
    m = nat.dial(f"sip:102@{A}")
    other.wait_event("CALL_ESTABLISHED", timeout=15)
    nat.wait_event("CALL_ESTABLISHED", timeout=15, since=m)
    time.sleep(3.0)
    h = other.hangup()  # the worker's BYE must find the NAT phone through the alias
    other.wait_event("CALL_CLOSED", timeout=10, since=h)
    nat.wait_event("CALL_CLOSED", timeout=10, since=m)
    assert any(t.startswith("BYE ") for t in box.from_edge), "the BYE did not reach the NAT phone"
    _assert_heard(nat, OTHER_HZ, NAT_HZ)
    _assert_heard(other, NAT_HZ, OTHER_HZ)
    assert node.wait_calls("acme", 0) == 0


def test_nat_phone_is_called_and_both_sides_hear_each_other(
    node: EdgeNode, phones: tuple[Phone, Phone, NatBox]
) -> None:
    nat, other, box = phones
    assert nat.wait_registered()["type"] == "REGISTER_OK"
    assert other.wait_registered()["type"] == "REGISTER_OK"
    m = other.dial(f"sip:101@{A}")
    nat.wait_event("CALL_ESTABLISHED", timeout=15)
    other.wait_event("CALL_ESTABLISHED", timeout=15, since=m)
    time.sleep(3.0)
    h = nat.hangup()
    nat.wait_event("CALL_CLOSED", timeout=10, since=h)
    other.wait_event("CALL_CLOSED", timeout=10, since=m)
    answer = next((t for t in box.to_edge if t.startswith("SIP/2.0 200") and "INVITE" in t), "")
    assert answer, [t.splitlines()[0] for t in box.to_edge]
    assert f"{PRIVATE}:{nat.sip_port}" in answer  # its 200 OK had the wrong Contact too
    _assert_heard(nat, OTHER_HZ, NAT_HZ)
    _assert_heard(other, NAT_HZ, OTHER_HZ)
    assert node.wait_calls("acme", 0) == 0
