"""What crosses the loopback interface, as a wire tap would see it: a raw AF_PACKET socket on
``lo`` (root; the tests run as root) read by a thread, keeping the UDP and TCP packets of
the ports a test names. Used to show that a TLS phone's signalling and its SRTP audio are
not readable, while a plain phone's are.

Also: RTP header parsing and G.711 µ-law decoding, to look for a phone's tone in what a tap
captured."""

from __future__ import annotations

import socket
import struct
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # each loopback packet is seen going out and coming in: keep one
ETH_HEADER = 14


@dataclass(frozen=True)
class Packet:
    proto: str  # "udp" | "tcp"
    sport: int
    dport: int
    payload: bytes


class LoopbackCapture:
    """Packets of ``ports`` (source or destination) on ``lo`` between start() and stop()."""

    def __init__(self, ports: Iterable[int]) -> None:
        self.ports = set(ports)
        self.packets: list[Packet] = []
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> LoopbackCapture:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        s.bind(("lo", 0))
        s.settimeout(0.2)
        self._sock = s
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                frame, addr = self._sock.recvfrom(65600)
            except TimeoutError:
                continue
            except OSError:
                return
            if addr[2] == PACKET_OUTGOING:
                continue
            p = parse(frame[ETH_HEADER:])
            if p is not None and (p.sport in self.ports or p.dport in self.ports):
                self.packets.append(p)

    def stop(self) -> list[Packet]:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._sock is not None:
            self._sock.close()
        return list(self.packets)

    def __enter__(self) -> LoopbackCapture:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def parse(ip: bytes) -> Packet | None:
    """A UDP or TCP packet from an IPv4 header on; None for anything else."""
    if len(ip) < 20 or ip[0] >> 4 != 4:
        return None
    ihl = (ip[0] & 0x0F) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    body = ip[ihl:total]
    if ip[9] == 17 and len(body) >= 8:
        sport, dport = struct.unpack("!HH", body[:4])
        return Packet("udp", sport, dport, body[8:])
    if ip[9] == 6 and len(body) >= 20:
        sport, dport = struct.unpack("!HH", body[:4])
        return Packet("tcp", sport, dport, body[(body[12] >> 4) * 4 :])
    return None


def rtp_payload(data: bytes) -> tuple[int, bytes] | None:
    """(payload type, payload) of an RTP packet (also an SRTP one: its header is clear);
    None for anything that is not RTP version 2."""
    if len(data) < 12 or data[0] >> 6 != 2:
        return None
    cc, ext = data[0] & 0x0F, data[0] & 0x10
    start = 12 + 4 * cc
    if ext:
        if len(data) < start + 4:
            return None
        start += 4 + 4 * struct.unpack("!H", data[start + 2 : start + 4])[0]
    return data[1] & 0x7F, data[start:]


def _ulaw(b: int) -> int:
    b = ~b & 0xFF
    sample = (((b & 0x0F) << 3) + 0x84) << ((b >> 4) & 0x07)
    return 0x84 - sample if b & 0x80 else sample - 0x84


_ULAW = [_ulaw(b) for b in range(256)]


def ulaw_decode(data: bytes) -> array[int]:
    """G.711 µ-law bytes as 16-bit samples (what a tap that assumed PCMU would hear)."""
    return array("h", (_ULAW[b] for b in data))
