"""Bench 11: callers waiting in a call-center queue with music, per media worker (issue 16:
">= 500 on one worker with < 0.1 % loss, the same criterion as bridged calls").

    .venv/bin/python -m bench.run --only queue-media [--smoke]

The local stack (moto, ``chalice local``, the edge agent, Kamailio with the KEMI script, one
pjsua2 media worker) on free loopback ports. Through the API: a CC-10 tenant whose concurrent
call limit the provider raised to 10,000, a queue (number 600, one member, 102, paused: no
agent is ever free; ``join_empty`` so callers still join; an announcement every 30 s; a
max wait far above the hold time). SIPp, authenticated as 101, dials 600 with G.711 A-law
RTP (``call_rtp.xml``, ``rtp_stream``): the worker answers at once and every waiting caller's
conference port is fed by the worker's one looping music player, with the spoken position
every 30 s (one short player per caller meanwhile). A step of n callers sets them up at
``SETUP_RATE`` (30) calls/s and holds each for the ramp + ``hold_s``, so all n wait together for
``hold_s``. The RTP the callers receive is captured and analysed as in bench 2
(``bench.media.Capture``, one stream in four, most of the plateau): loss and jitter p99 at
the receivers, the SIPp senders' rate, and ``bench.media.meets_rtp`` as the criterion, the
same as for bridged calls. The captured payload bytes (the first 10 of each packet, A-law)
show whether the callers hear something: a packet is audible when its peak is above
-44 dBFS, a stream has music when at least half its packets are. CPU per process over the
plateau, and the worker's per thread (``clock`` = the conference bridge, ``media`` = the
RTP ioqueue, the Python event thread).

References in the same run: the idle worker (stack up, no call) and, after the stack is
stopped, bench 2's bridged-call ladder (``bench.media.ladder``, 1 worker, recording on) at the
reference steps: a bridged call carries two RTP streams each way and two recorders, a
waiting caller one stream each way, so the worker CPU ratio per caller shows what a waiting
caller costs against a bridged call.
"""

from __future__ import annotations

import contextlib
import json
import math
import struct
import time
from pathlib import Path
from typing import Any

from bench import media
from bench.common import TICKS, CpuMeter, Procs, Sipp
from bench.media import TCPDUMP, Capture, make_audio, meets_rtp, port_blocks
from bench.rtpstats import PTIME_S
from infra.local_stack import Stack, StackConfig, Tenant
from infra.procs import LOCALHOST

BUDGET_CALLERS = 500  # issue 16: waiting callers with music on one worker
SETUP_RATE = 30  # calls/s while a step ramps (the stack's edge has pike's flood limit at 300 requests/s)
QUEUE_NUMBER = "600"
AGENT = "102"
ANNOUNCE_EVERY_S = 30
# RTP ports per waiting caller: one leg (RTP + RTCP), x2 spare as bench 2 (pjsua hands the
# range out round robin; a range nearly full makes new calls try ports still in use)
RTP_PORTS_PER_CALLER = 4
AUDIBLE_PEAK = 200  # of 32,768 (-44 dBFS): a packet whose sampled payload peaks above is not silence
MUSIC_STREAM_PCT = 50.0  # a stream "has music" when at least this share of its packets is audible


def _alaw(b: int) -> int:
    """G.711 A-law byte to 16-bit linear (ITU-T G.711, as alaw2linear)."""
    b ^= 0x55
    t = (b & 0x0F) << 4
    seg = (b & 0x70) >> 4
    if seg == 0:
        t += 8
    elif seg == 1:
        t += 0x108
    else:
        t = (t + 0x108) << (seg - 1)
    return t if b & 0x80 else -t


ALAW = [_alaw(b) for b in range(256)]


def music_levels(pcap: Path, ranges: list[tuple[int, int]], payload_type: int = 8) -> dict[str, Any]:
    """What the callers heard, from the payload bytes of a capture (snaplen 64: the first 10
    bytes of each packet): per stream (source port, destination port, SSRC) the share of
    audible packets; overall the RMS level in dBFS."""
    data = pcap.read_bytes() if pcap.exists() else b""
    if len(data) < 24:
        return {"streams": 0, "packets": 0}
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    l2 = {1: 14, 113: 16, 276: 20, 0: 4}.get(linktype, 14)
    rec = struct.Struct(endian + "IIII")
    # stream -> [packets, audible, current inaudible run, longest inaudible run, packets before it ended]
    per: dict[tuple[int, int, int], list[int]] = {}
    sq = 0.0
    samples = 0
    off = 24
    while off + 16 <= len(data):
        _s, _f, incl, _o = rec.unpack_from(data, off)
        off += 16
        pkt = data[off : off + incl]
        off += incl
        if len(pkt) < l2 + 20 or pkt[l2] >> 4 != 4 or pkt[l2 + 9] != 17:
            continue
        udp = l2 + (pkt[l2] & 0x0F) * 4
        rtp = udp + 8
        if len(pkt) < rtp + 12:
            continue
        sport, dport = struct.unpack_from("!HH", pkt, udp)
        if not any(a <= dport <= b for a, b in ranges):
            continue
        if pkt[rtp] >> 6 != 2 or (pkt[rtp + 1] & 0x7F) != payload_type:
            continue
        ssrc = struct.unpack_from("!I", pkt, rtp + 8)[0]
        body = pkt[rtp + 12 + 4 * (pkt[rtp] & 0x0F) :]
        if not body:
            continue
        vals = [ALAW[x] for x in body]
        peak = max(abs(v) for v in vals)
        sq += sum(v * v for v in vals)
        samples += len(vals)
        st = per.setdefault((sport, dport, ssrc), [0, 0, 0, 0, 0])
        st[0] += 1
        if peak >= AUDIBLE_PEAK:
            st[1] += 1
            st[2] = 0
        else:
            st[2] += 1
            if st[2] > st[3]:
                st[3], st[4] = st[2], st[0]
    packets = sum(s[0] for s in per.values())
    audible = sum(s[1] for s in per.values())
    with_music = sum(1 for s in per.values() if s[0] and 100.0 * s[1] / s[0] >= MUSIC_STREAM_PCT)
    rms = (sq / samples) ** 0.5 if samples else 0.0
    worst = sorted(per.items(), key=lambda kv: -kv[1][3])[:3]
    return {
        "streams": len(per),
        "packets": packets,
        "audible_pct": round(100.0 * audible / packets, 2) if packets else None,
        "streams_with_music": with_music,
        "rms_dbfs": round(20 * math.log10(rms / 32768.0), 1) if rms > 0 else None,
        "music_present": bool(per) and with_music == len(per),
        # the longest stretches without sound (20 ms packets): a prompt's pauses are short; a
        # caller left in silence (music not reconnected) shows as seconds here
        "longest_silence_s": round(worst[0][1][3] * PTIME_S, 2) if worst else None,
        "worst_streams": [
            {
                "worker_port": k[0],
                "packets": v[0],
                "audible_pct": round(100.0 * v[1] / v[0], 1),
                "longest_silence_s": round(v[3] * PTIME_S, 2),
                "silence_ended_at_s": round(v[4] * PTIME_S, 2),  # from the stream's first captured packet
            }
            for k, v in worst
        ],
    }


class MusicCapture(Capture):
    """bench 2's capture, and what the receivers heard (the payload) before it is deleted."""

    music: dict[str, Any]

    def analyse(self) -> tuple[dict[str, Any], int | None]:
        self.stop()
        self.music = music_levels(self.path, self.ranges["at_receiver"][0])
        return super().analyse()


def thread_ticks(pid: int) -> dict[str, int]:
    """CPU ticks of a process' threads, summed by thread name (``clock``, ``media``...)."""
    out: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                comm = (task / "comm").read_text().strip()
                f = (task / "stat").read_text().rsplit(")", 1)[1].split()
                out[comm] = out.get(comm, 0) + int(f[11]) + int(f[12])
            except (OSError, ValueError, IndexError):
                continue
    return out


def thread_pct(before: dict[str, int], after: dict[str, int], seconds: float) -> dict[str, float]:
    return {
        k: round(100.0 * (v - before.get(k, 0)) / TICKS / max(seconds, 1e-6), 1)
        for k, v in sorted(after.items())
        if v - before.get(k, 0) > 0
    }


def _setup_tenant(stack: Stack) -> tuple[Tenant, str]:
    t = stack.create_tenant(
        "Queue Media Co", "qmedia.probox.test", ["101", AGENT], plan="CC-10", max_concurrent_calls=10_000
    )
    stack.create_user(t, f"agent{AGENT}@{t.domain}", "agent", extension=AGENT)
    with stack.api(t.admin_token) as api:
        r = api.post(
            "/v1/queues",
            json={
                "name": "Bench", "number": QUEUE_NUMBER, "strategy": "longest_idle",
                "members": [{"extension": AGENT}], "join_empty": True, "leave_when_empty": False,
                "announce_every_s": ANNOUNCE_EVERY_S, "max_wait_s": 7200, "max_len": 0,
                "retry_s": 0, "wrapup_s": 0, "autopause_after": 0, "rejoin_s": 0, "language": "vi",
            },
        )  # fmt: skip
        if r.status_code != 201:
            raise RuntimeError(f"queue not created: {r.status_code} {r.text}")
        qid = str(r.json()["id"])
        r = api.put(f"/v1/agents/{AGENT}/status", json={"status": "paused", "reason": "bench"})
        if r.status_code != 200:
            raise RuntimeError(f"agent status: {r.status_code} {r.text}")

    def ok(d: dict[str, Any]) -> bool:
        tenant = next((x for x in d["tenants"] if x["id"] == t.id), None)
        agents = {a["extension"]: a["status"] for a in (tenant or {}).get("agents", [])}
        exts = {e["number"] for e in (tenant or {}).get("extensions", [])}
        return bool(tenant and tenant.get("queues")) and agents.get(AGENT) == "paused" and "101" in exts

    stack.wait_snapshot(ok, timeout=30)
    return t, qid


def _queue_events(stack: Stack, t: Tenant, qid: str) -> dict[str, int]:
    """Counts of the queue log's kinds in its newest page (200 events, all steps so far; the
    agent posts them a little later): the callers did enter the queue."""
    counts: dict[str, int] = {}
    with contextlib.suppress(Exception), stack.api(t.admin_token) as api:
        r = api.get(f"/v1/queues/{qid}/events", params={"limit": 200})
        for e in r.json().get("items", []):
            counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    return counts


def meets(step: dict[str, Any]) -> bool:
    """Bench 2's RTP criterion, every caller answered, and music heard on every sampled stream."""
    return bool(step.get("failed") == 0 and meets_rtp(step) and (step.get("music") or {}).get("music_present"))


def waiting_ladder(work: Path, *, steps: list[int], hold_s: float, idle_s: float = 8.0) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    max_n = max(steps)
    rtp_range = max(400, RTP_PORTS_PER_CALLER * max_n) & ~1
    sipp_ports = 2 * max_n + 16
    worker_base, caller_mp = port_blocks([rtp_range, sipp_ports])
    audio = make_audio(work / "tone-alaw.wav", 10.0)
    stack = Stack(StackConfig.free_ports(work / "stack", rtp_range=rtp_range, rtp_port=worker_base))
    ps = Procs()
    out: dict[str, Any] = {"steps": [], "hold_s": hold_s, "setup_rate": SETUP_RATE}
    steps_out: list[dict[str, Any]] = out["steps"]
    try:
        stack.start()
        t, qid = _setup_tenant(stack)
        worker = stack.procs["worker"]
        kam = stack.procs["kamailio"]
        wpid = worker.pid or 0
        # the idle reference: the whole stack up, the queue configured, no call
        meter = CpuMeter({"worker": wpid, "kamailio": kam.pid or 0})
        th0, t0 = thread_ticks(wpid), time.monotonic()
        meter.start()
        time.sleep(idle_s)
        idle_cpu = meter.stop()
        out["idle"] = {"cpu_pct": idle_cpu, "threads_pct": thread_pct(th0, thread_ticks(wpid), time.monotonic() - t0)}
        print(f"bench11 idle {json.dumps(out['idle'])}")
        worker_ranges = [(worker_base, worker_base + rtp_range - 1)]
        rows = [["101", t.domain, t.password("101"), QUEUE_NUMBER]]
        for n in steps:
            ramp = n / SETUP_RATE
            caller = Sipp(
                "call_rtp.xml",
                (LOCALHOST, stack.cfg.sip_port),
                work / f"step-{n}",
                rows=rows,
                params={"AUDIO": str(audio), "HOLD_MS": int((ramp + hold_s) * 1000)},
                extra=[
                    "-r", str(SETUP_RATE), "-l", str(n), "-m", str(n),
                    "-timeout", f"{int(2 * ramp + hold_s + 40)}s", "-mp", str(caller_mp),
                    "-default_behaviors", "all,-abortunexp",
                ],
            )  # fmt: skip
            caller.start(ps)
            meter = CpuMeter({"worker": wpid, "kamailio": kam.pid or 0, "sipp-caller": caller.proc.pid or 0})
            time.sleep(ramp + 2)
            meter.start()
            th0, t0 = thread_ticks(wpid), time.monotonic()
            plateau = max(hold_s - 4, 1)
            t_end = time.monotonic() + plateau
            cap = None
            if TCPDUMP is not None:
                cap = MusicCapture(
                    ps,
                    work / f"step-{n}.pcap",
                    {
                        "at_worker": (worker_ranges, "dst"),
                        "at_receiver": ([(caller_mp, caller_mp + sipp_ports - 1)], "src"),
                    },
                )
            t_cap_end = time.monotonic() + max(plateau - 2, 1.0)
            while time.monotonic() < t_end:
                time.sleep(1)
                meter.sample()
                if cap is not None and time.monotonic() >= t_cap_end:
                    cap.stop()
            cpu = meter.stop()
            threads = thread_pct(th0, thread_ticks(wpid), time.monotonic() - t0)
            caller.wait(2 * ramp + hold_s + 60)
            time.sleep(3)  # hang-ups: the queue's abandons
            rtp: dict[str, Any] = {}
            drops: int | None = None
            music: dict[str, Any] = {}
            if cap is not None:
                rtp, drops = cap.analyse()
                music = cap.music
            ok, failed = caller.stats().totals()
            step: dict[str, Any] = {
                "callers": n,
                "hold_s": hold_s,
                "successful": ok,
                "failed": failed + max(n - ok - failed, 0),
                "cpu_pct": cpu,
                "worker_threads_pct": threads,
                "rss_mb": {k: round(v, 1) for k, v in meter.peak_rss.items()},
                "rtp": rtp,
                "capture_drops": drops,
                "music": music,
                "queue_log_newest_200": _queue_events(stack, t, qid),
            }
            step["meets"] = meets(step)
            steps_out.append(step)
            print(f"bench11 {json.dumps(step)}")
            if step["failed"] * 100.0 / n > 5.0:
                break  # past the limit: the next steps would only be worse
    finally:
        ps.stop_all()
        stack.stop()
    return out


def bench_queue_media(
    work: Path, *, steps: list[int], hold_s: float, reference_steps: list[int], n_users: int = 1000
) -> dict[str, Any]:
    res = waiting_ladder(work / "waiting", steps=steps, hold_s=hold_s)
    ref: list[dict[str, Any]] = []
    ref_error = ""
    if reference_steps:
        try:  # after the stack is stopped: the two never share the cores
            ref = media.ladder(
                work / "bridged", workers=1, steps=reference_steps, call_s=hold_s, n_users=n_users, capture=True
            )
        except Exception as exc:  # the waiting callers' figures stand without it
            ref_error = repr(exc)
            print(f"bench11 reference FAILED: {exc!r}")
    res["reference_bridged"] = ref
    if ref_error:
        res["reference_error"] = ref_error
    idle_w = ((res.get("idle") or {}).get("cpu_pct") or {}).get("worker")
    by_n = {s["calls"]: s for s in ref}
    for s in res["steps"]:
        w = s["cpu_pct"].get("worker")
        n = s["callers"]
        if w is not None and n:
            s["worker_ms_per_s_per_caller"] = round(10.0 * (w - (idle_w or 0.0)) / n, 3)
        b = by_n.get(n)
        if b is not None:
            bw = sum(v for k, v in b["cpu_pct"].items() if k.startswith("worker"))
            s["bridged_worker_cpu_pct"] = round(bw, 1)
            s["worker_cpu_ratio_vs_bridged"] = round(w / bw, 2) if w is not None and bw else None
            s["bridged_meets"] = bool(media.meets_rtp(b) and b["failed"] == 0)
            s["bridged_loss_pct"] = ((b.get("rtp") or {}).get("at_receiver") or {}).get("loss_pct")
    good = [s["callers"] for s in res["steps"] if s["meets"]]
    res["max_callers"] = max(good) if good else 0
    res["budget_callers"] = BUDGET_CALLERS
    return res
