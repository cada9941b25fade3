"""What SIP over TLS costs the edge (issue 13 item 8): Kamailio CPU per REGISTER with digest
auth over UDP and over TLS, the KEMI configuration with its TLS listener on.

SIPp cannot be the load here (Debian 12's sip-tester is built without OpenSSL), so an asyncio
client plays ``--phones`` phones, each with its own UDP socket or its own TLS connection
(opened once, as a phone keeps it), each registering in a loop: REGISTER, 401, REGISTER with
credentials (qop=auth), 200. The Python client, not Kamailio, limits the rate; what compares
is Kamailio's CPU per successful registration, with the same client both ways, alternating
UDP and TLS rounds on the same Kamailio. Figures go to stdout as JSON (not into
docs/benchmarks.md, which bench.run generates).

    .venv/bin/python -m bench.edge_tls [--seconds 15] [--phones 50] [--rounds 3] [--work DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import secrets
import ssl
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import CpuMeter, Procs, machine_busy_ticks, median, procs
from bench.edge import DOMAIN, EDGE_ID, KAMAILIO, REPO, SHM_MB, make_snapshot, users, write_snapshot
from edge_node import kamailio_config as kc
from edge_node import signing_key, tls_cert
from infra.procs import LOCALHOST, ManagedProcess, free_port

_NONCE = re.compile(r'nonce="([^"]+)"')


def _md5(s: str) -> str:
    return hashlib.md5(s.encode()).hexdigest()  # SIP digest is MD5


class Phone:
    """One registering phone: builds its requests and reads the answers."""

    def __init__(self, user: str, password: str, transport: str, port: int, edge_port: int) -> None:
        self.user, self.password, self.transport = user, password, transport
        self.port, self.edge_port = port, edge_port
        self.call_id = secrets.token_hex(8) + "@bench"
        self.cseq = 0
        self.ha1 = _md5(f"{user}:{DOMAIN}:{password}")

    def register(self, nonce: str = "") -> bytes:
        self.cseq += 1
        tp = self.transport.upper()
        lines = [
            f"REGISTER sip:{DOMAIN} SIP/2.0",
            f"Via: SIP/2.0/{tp} {LOCALHOST}:{self.port};branch=z9hG4bK{secrets.token_hex(6)};rport",
            "Max-Forwards: 70",
            f"From: <sip:{self.user}@{DOMAIN}>;tag={self.call_id[:8]}",
            f"To: <sip:{self.user}@{DOMAIN}>",
            f"Call-ID: {self.call_id}",
            f"CSeq: {self.cseq} REGISTER",
            f"Contact: <sip:{self.user}@{LOCALHOST}:{self.port};transport={self.transport}>",
            "Expires: 600",
        ]
        if nonce:  # a fresh nonce each time: its first use, nc=1
            nc, cnonce, uri = "00000001", secrets.token_hex(4), f"sip:{DOMAIN}"
            ha2 = _md5(f"REGISTER:{uri}")
            resp = _md5(f"{self.ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            lines.append(
                f'Authorization: Digest username="{self.user}", realm="{DOMAIN}", nonce="{nonce}", uri="{uri}", '
                f'response="{resp}", algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}"'
            )
        lines += ["Content-Length: 0", "", ""]
        return "\r\n".join(lines).encode()


def _status(msg: bytes) -> tuple[int, str]:
    head = msg.decode("utf-8", "replace")
    code = int(head.split(" ", 2)[1]) if head.startswith("SIP/2.0 ") else 0
    m = _NONCE.search(head)
    return code, m.group(1) if m else ""


class Counter:
    def __init__(self) -> None:
        self.ok = 0
        self.failed = 0


async def _tls_phone(phone: Phone, ctx: ssl.SSLContext, stop: float, count: Counter) -> None:
    reader, writer = await asyncio.open_connection(LOCALHOST, phone.edge_port, ssl=ctx)
    try:
        while time.monotonic() < stop:
            writer.write(phone.register())
            code, nonce = _status(await reader.readuntil(b"\r\n\r\n"))
            if code != 401:
                count.failed += 1
                continue
            writer.write(phone.register(nonce))
            code, _ = _status(await reader.readuntil(b"\r\n\r\n"))
            if code == 200:
                count.ok += 1
            else:
                count.failed += 1
    finally:
        writer.close()


class _Udp(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.queue.put_nowait(data)


async def _udp_phone(phone: Phone, stop: float, count: Counter) -> None:
    loop = asyncio.get_running_loop()
    transport, proto = await loop.create_datagram_endpoint(
        _Udp, local_addr=(LOCALHOST, phone.port), remote_addr=(LOCALHOST, phone.edge_port)
    )
    try:
        while time.monotonic() < stop:
            transport.sendto(phone.register())
            code, nonce = _status(await asyncio.wait_for(proto.queue.get(), 5))
            if code != 401:
                count.failed += 1
                continue
            transport.sendto(phone.register(nonce))
            code, _ = _status(await asyncio.wait_for(proto.queue.get(), 5))
            if code == 200:
                count.ok += 1
            else:
                count.failed += 1
    finally:
        transport.close()


async def _load(transport: str, edge: dict[str, int], n: int, seconds: float, meter: CpuMeter) -> dict[str, Any]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    port = edge["tls"] if transport == "tls" else edge["udp"]
    phones = [Phone(u, pw, transport, free_port(), port) for u, pw in users(n)]
    count = Counter()
    warm = time.monotonic() + 2
    stop = warm + seconds
    if transport == "tls":
        tasks = [asyncio.create_task(_tls_phone(p, ctx, stop, count)) for p in phones]
    else:
        tasks = [asyncio.create_task(_udp_phone(p, stop, count)) for p in phones]
    await asyncio.sleep(max(warm - time.monotonic(), 0))
    ok0 = count.ok
    meter.start()
    t0 = time.monotonic()
    await asyncio.sleep(seconds)
    cpu = meter.stop()
    dt = time.monotonic() - t0
    ok = count.ok - ok0
    results = await asyncio.gather(*tasks, return_exceptions=True)
    errors = [repr(r) for r in results if isinstance(r, BaseException)]
    k_cpu = cpu.get("kamailio", 0.0)
    return {
        "transport": transport,
        "registrations_per_s": round(ok / dt, 1),
        "failed": count.failed,
        "errors": errors[:3],
        "kamailio_cpu_pct": k_cpu,
        "kamailio_cpu_us_per_register": round(k_cpu / 100 * 1e6 / max(ok / dt, 1e-9), 1),
        "machine_cpu_pct": cpu.get("machine"),
    }


def start(ps: Procs, work: Path, n_users: int, children: int) -> dict[str, int]:
    snap_path = work / "snapshot.json"
    write_snapshot(snap_path, make_snapshot(n_users))
    cert = tls_cert.ensure(work / "tls" / "edge.crt", work / "tls" / "edge.key", [LOCALHOST])
    udp, tls = free_port(), free_port()
    s = kc.KamailioSettings(
        kemi_script=REPO / "kemi_scripts" / "probox_kemi.py",
        dispatcher_list=work / "dispatcher.list",
        runtime_dir=work / "run",
        listen_host=LOCALHOST,
        sip_port=udp,
        children=children,
        log_stderr=True,
        tls_certificate=cert.cert,
        tls_private_key=cert.key,
        tls_port=tls,
    )
    kc.write_dispatcher_list([(LOCALHOST, free_port())], s.dispatcher_list)
    cfg = kc.write(s, work / "kamailio.cfg")
    signing_key.ensure(work / "signing.key")
    env = {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "LANG": "C.UTF-8",
        "PROBOX_REPO": str(REPO),
        "PROBOX_SNAPSHOT": str(snap_path),
        "PROBOX_EDGE_ID": EDGE_ID,
        "PROBOX_SIGNING_KEY": str(work / "signing.key"),
    }
    argv = kc.command(cfg, shm_mb=SHM_MB, pkg_mb=16, pid_file=s.runtime_dir / "k.pid", kamailio=KAMAILIO)
    p = ps.add(ManagedProcess("kamailio-tls", argv, work / "kamailio.log", env=env))
    p.start()
    p.wait_udp_sip(LOCALHOST, udp, timeout=30)
    return {"udp": udp, "tls": tls, "pgid": p.pid or 0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--phones", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--children", type=int, default=4)
    ap.add_argument("--work", default="")
    a = ap.parse_args(argv)
    work = Path(a.work or tempfile.mkdtemp(prefix="bench-tls-"))
    runs: list[dict[str, Any]] = []
    load0 = os.getloadavg()
    busy0, t0 = machine_busy_ticks(), time.monotonic()
    with procs() as ps:
        edge = start(ps, work, a.phones, a.children)
        for r in range(a.rounds):
            for transport in ("udp", "tls") if r % 2 == 0 else ("tls", "udp"):
                meter = CpuMeter({"kamailio": edge["pgid"]})
                out = asyncio.run(_load(transport, edge, a.phones, a.seconds, meter))
                out["round"] = r + 1
                runs.append(out)
                print(json.dumps(out), flush=True)
    per = {t: median([x["kamailio_cpu_us_per_register"] for x in runs if x["transport"] == t]) for t in ("udp", "tls")}
    rate = {t: median([x["registrations_per_s"] for x in runs if x["transport"] == t]) for t in ("udp", "tls")}
    summary = {
        "phones": a.phones,
        "seconds": a.seconds,
        "children": a.children,
        "median_kamailio_cpu_us_per_register": per,
        "median_registrations_per_s": rate,
        "tls_over_udp_cpu": round(per["tls"] / per["udp"], 2) if per["udp"] and per["tls"] else None,
        "load_average_start_end": [load0, os.getloadavg()],
        "machine_busy_cores": round(
            (machine_busy_ticks() - busy0) / os.sysconf("SC_CLK_TCK") / (time.monotonic() - t0), 2
        ),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
