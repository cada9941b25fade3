"""bench.rtpstats tells RTP streams apart the way a receiver does (per source and
destination transport address and SSRC), so two streams that share an SSRC and a SIPp
port are not read as one lossy stream."""

from __future__ import annotations

import struct
from pathlib import Path

from bench import rtpstats
from bench.common import percentile

SIPP_PORT = 11458


def _packet(sport: int, dport: int, seq: int, ts: int, ssrc: int) -> bytes:
    rtp = struct.pack("!BBHII", 0x80, 8, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + b"\xd5" * 20
    udp = struct.pack("!HHHH", sport, dport, 8 + len(rtp), 0) + rtp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, b"\x7f\0\0\1", b"\x7f\0\0\1")
    eth = b"\0" * 12 + b"\x08\x00"
    return eth + ip + udp


def _pcap(path: Path, packets: list[tuple[float, bytes]]) -> Path:
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 64, 1)]
    for t, pkt in sorted(packets, key=lambda x: x[0]):
        sec, usec = int(t), round((t - int(t)) * 1e6)
        out.append(struct.pack("<IIII", sec, usec, min(len(pkt), 64), len(pkt)) + pkt[:64])
    path.write_bytes(b"".join(out))
    return path


def _stream(sport: int, ssrc: int, first_seq: int, n: int, *, t0: float = 100.0, skip: set[int] | None = None,
            late: dict[int, float] | None = None, interval: float = 0.020) -> list[tuple[float, bytes]]:  # fmt: skip
    pkts = []
    for i in range(n):
        if skip and i in skip:
            continue
        t = t0 + i * interval + (late or {}).get(i, 0.0)
        pkts.append((t, _packet(sport, SIPP_PORT, first_seq + i, 1000 + 160 * i, ssrc)))
    return pkts


def test_two_streams_sharing_an_ssrc_and_a_port_are_two_clean_streams(tmp_path: Path) -> None:
    pcap = _pcap(tmp_path / "x.pcap", _stream(20000, 42, 100, 250) + _stream(20002, 42, 30000, 250, t0=100.004))
    g = rtpstats.analyse(pcap, lambda port: "rx" if port == SIPP_PORT else None)["rx"]
    assert g.streams == 2
    assert g.packets == 500
    assert g.loss_pct == 0.0
    assert percentile(g.deltas_ms, 99) < 0.01
    assert g.rate_pct is not None and abs(g.rate_pct - 100.0) < 0.01


def test_a_real_gap_and_a_late_packet_are_counted(tmp_path: Path) -> None:
    pcap = _pcap(tmp_path / "x.pcap", _stream(20000, 7, 5, 200, skip={50, 51}, late={120: 0.005}))
    g = rtpstats.analyse(pcap, lambda port: "rx" if port == SIPP_PORT else None)["rx"]
    d = g.as_dict()
    assert d["streams"] == 1
    assert d["packets"] == 198
    assert d["loss_pct"] == 1.0
    # the late packet shows up twice (late against the one before, early against the next)
    assert d["jitter_p50_ms"] < 0.01
    top = sorted(g.deltas_ms)[-3:]
    assert all(4.9 < x < 5.1 for x in top[1:]) and top[0] < 0.01, top


def test_a_sender_that_falls_behind_shows_in_the_rate_not_as_loss(tmp_path: Path) -> None:
    """SIPp starved of CPU sends every packet, late: no loss, 90 % of the nominal rate."""
    pcap = _pcap(tmp_path / "x.pcap", _stream(20000, 9, 0, 300, interval=0.020 / 0.9))
    d = rtpstats.analyse(pcap, lambda port: "tx")["tx"].as_dict()
    assert d["loss_pct"] == 0.0
    assert d["rate_pct"] is not None and 89.9 < d["rate_pct"] < 90.1
