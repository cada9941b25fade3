"""RTP packet loss and jitter from a loopback capture (tcpdump -w, snaplen 64).

Streams are told apart by (source address and port, destination address and port, SSRC):
SIPp receives every call's RTP on one port, and the media worker can send two of its
streams with the same SSRC (legal: an SSRC is unique within its RTP session only); keyed
by destination port and SSRC alone, two such streams read as one lossy stream.

Loss per stream = packets missing between the first and the last sequence number seen
(extended for wrap-around). Jitter: for each packet after the first of its stream, the
transit-time variation against the previous one, |(R_j - R_i) - (S_j - S_i)| in ms (S = RTP
timestamp / 8000, R = capture time), as in RFC 3550's jitter estimator before smoothing.
``classify`` maps a destination port to a group ("at_worker": what the senders put on the
wire; "at_receiver": what the worker sent). The worker re-clocks the audio (jitter buffer
and 20 ms bridge ticks), so the jitter at the receivers is the jitter the worker adds; the
senders' own jitter does not pass through.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import percentile

CLOCK = 8000.0  # G.711
PTIME_S = 0.020  # every sender here (SIPp rtp_stream, the worker) sends 20 ms packets


@dataclass
class _Stream:
    first_seq: int = -1
    last_ext: int = -1
    count: int = 0
    first_r: float = 0.0
    prev_r: float = 0.0
    prev_s: float = 0.0
    ts_base: int = 0
    ts_cycles: int = 0
    prev_ts: int = 0


@dataclass
class GroupStats:
    streams: int = 0
    packets: int = 0
    expected: int = 0
    deltas_ms: list[float] = field(default_factory=list)
    intervals: int = 0  # packets after the first of their stream
    span_s: float = 0.0  # capture time from each stream's first packet to its last, summed

    @property
    def rate_pct(self) -> float | None:
        """Packets per second against one per PTIME_S, over the streams' time on the wire:
        below 100 when a sender fell behind (SIPp starved of CPU sends late, not less)."""
        return 100.0 * self.intervals * PTIME_S / self.span_s if self.span_s > 0 else None

    @property
    def loss_pct(self) -> float | None:
        return 100.0 * (self.expected - self.packets) / self.expected if self.expected else None

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "streams": self.streams,
            "packets": self.packets,
            "loss_pct": None if self.loss_pct is None else round(max(self.loss_pct, 0.0), 4),
            "jitter_p50_ms": _round(percentile(self.deltas_ms, 50)),
            "jitter_p99_ms": _round(percentile(self.deltas_ms, 99)),
            "rate_pct": None if self.rate_pct is None else round(self.rate_pct, 2),
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def analyse(pcap: Path, classify: Callable[[int], str | None], payload_type: int = 8) -> dict[str, GroupStats]:
    data = pcap.read_bytes()
    if len(data) < 24:
        return {}
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    l2 = {1: 14, 113: 16, 276: 20, 0: 4}.get(linktype, 14)
    rec = struct.Struct(endian + "IIII")
    streams: dict[tuple[bytes, int, int, int], _Stream] = {}
    groups: dict[str, GroupStats] = {}
    off = 24
    n = len(data)
    div = 1e9 if nano else 1e6
    while off + 16 <= n:
        ts_sec, ts_frac, incl, _orig = rec.unpack_from(data, off)
        off += 16
        pkt = data[off : off + incl]
        off += incl
        ip = l2
        if len(pkt) < ip + 20 or pkt[ip] >> 4 != 4 or pkt[ip + 9] != 17:
            continue
        udp = ip + (pkt[ip] & 0x0F) * 4
        if len(pkt) < udp + 8 + 12:
            continue
        sport = (pkt[udp] << 8) | pkt[udp + 1]
        dport = (pkt[udp + 2] << 8) | pkt[udp + 3]
        group = classify(dport)
        if group is None:
            continue
        rtp = udp + 8
        if pkt[rtp] >> 6 != 2 or (pkt[rtp + 1] & 0x7F) != payload_type:
            continue
        seq, ts, ssrc = struct.unpack_from("!HII", pkt, rtp + 2)
        r = ts_sec + ts_frac / div
        key = (pkt[ip + 12 : ip + 20], sport, dport, ssrc)
        st = streams.get(key)
        g = groups.setdefault(group, GroupStats())
        if st is None:
            st = streams[key] = _Stream(first_seq=seq, last_ext=seq, count=1, first_r=r, prev_r=r, prev_ts=ts)
            st.ts_base = ts
            st.prev_s = 0.0
            g.streams += 1
            continue
        # extended sequence number (wrap-around)
        last16 = st.last_ext & 0xFFFF
        diff = (seq - last16 + 0x8000) % 0x10000 - 0x8000
        ext = st.last_ext + diff
        if ext > st.last_ext:
            st.last_ext = ext
        st.count += 1
        if ts < st.prev_ts and st.prev_ts - ts > 0x80000000:
            st.ts_cycles += 1
        st.prev_ts = ts
        s = (ts + st.ts_cycles * 0x100000000 - st.ts_base) / CLOCK
        g.deltas_ms.append(abs((r - st.prev_r) - (s - st.prev_s)) * 1000.0)
        st.prev_r, st.prev_s = r, s
    for (_addrs, _sport, dport, _ssrc), st in streams.items():
        group = classify(dport)
        if group is None:
            continue
        g = groups[group]
        g.packets += st.count
        g.intervals += st.count - 1
        g.span_s += st.prev_r - st.first_r
        g.expected += st.last_ext - st.first_seq + 1
    return groups
