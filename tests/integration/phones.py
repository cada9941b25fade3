"""baresip as a real SIP phone for the integration tests, driven over its ctrl_tcp module.

Each phone plays a tone file as its microphone and dumps what it hears (the decoded
stream) with the sndfile module, so a test can check which tone crossed which way.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import shutil
import socket
import tempfile
import threading
import time
import wave
from array import array
from pathlib import Path
from typing import Any

from infra.procs import ManagedProcess, free_port, free_port_block, tail
from infra.tones import make_tone

MODULES = "/usr/lib/baresip/modules"


def read_channels(path: Path) -> tuple[list[array[int]], int]:
    """Samples per channel of a 16-bit WAV, and its sample rate."""
    with wave.open(str(path), "rb") as w:
        ch, rate = w.getnchannels(), w.getframerate()
        assert w.getsampwidth() == 2, "expected 16-bit PCM"
        data = array("h")
        data.frombytes(w.readframes(w.getnframes()))
    return [data[i::ch] for i in range(ch)], rate


def tone_power(samples: array[int], rate: int, freq: float) -> float:
    """Goertzel power of ``freq`` relative to the signal's total power (0..1)."""
    n = len(samples)
    if n == 0:
        return 0.0
    k = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    energy = 0.0
    for x in samples:
        s0 = x + k * s1 - s2
        s2, s1 = s1, s0
        energy += x * x
    power = s1 * s1 + s2 * s2 - k * s1 * s2
    return (2 * power / n) / energy if energy else 0.0


def active_seconds(samples: array[int], rate: int, threshold: int = 500) -> float:
    """Seconds of 20 ms frames whose peak exceeds ``threshold`` (i.e. not silence)."""
    frame = rate // 50
    active = sum(
        1 for i in range(0, len(samples) - frame + 1, frame) if max(map(abs, samples[i : i + frame])) > threshold
    )
    return active * 0.02


def _netstring(obj: dict[str, Any]) -> bytes:
    b = json.dumps(obj).encode()
    return str(len(b)).encode() + b":" + b + b","


class Phone:
    """One baresip process with one account."""

    def __init__(
        self,
        workdir: Path,
        user: str,
        domain: str,
        password: str,
        proxy: tuple[str, int],
        tone: float,
        answermode: str = "auto",  # "manual": incoming calls ring until accepted
        source: Path | None = None,  # what the microphone plays (8 kHz mono WAV); default: the tone
        *,
        transport: str = "udp",  # "tls": registers and calls over TLS (proxy = the edge's TLS port)
        mediaenc: str = "",  # "srtp" (SDES offered in RTP/AVP), "srtp-mand" (RTP/SAVP) or "" (plain RTP)
        register: bool = True,  # False: no REGISTER, answers calls to <user> (a carrier's line)
        certificate: Path | None = None,  # PEM with the key: baresip serves TLS on sip_port + 1 with it
        sip_port: int | None = None,  # default: a free pair (baresip also listens for TLS on port + 1)
    ) -> None:
        # baresip cuts long paths (its sndfile dumps then lose their .wav name): keep the
        # phone's folder short, under /tmp, and remove it at stop().
        self.dir = Path(tempfile.mkdtemp(prefix=f"bs{user}-", dir="/tmp"))
        self.workdir = workdir
        self.user, self.domain, self.password, self.proxy = user, domain, password, proxy
        self.sip_port = sip_port or free_port(span=2)  # baresip also listens for TLS on port + 1
        self.ctrl_port = free_port()
        rtp = free_port_block(20)
        self.rtp_ports = range(rtp, rtp + 20)
        self.transport = transport
        self.snd_dir = self.dir / "heard"
        self.snd_dir.mkdir(exist_ok=True)
        tone_file = source if source is not None else make_tone(self.dir / "tone.wav", tone)
        (self.dir / "config").write_text(
            f"""poll_method epoll
sip_listen 127.0.0.1:{self.sip_port}
net_interface 127.0.0.1
audio_source aufile,{tone_file}
audio_player aufile,/dev/null
audio_alert aufile,/dev/null
rtp_ports {rtp}-{rtp + 19}
module_path {MODULES}
module g711.so
module aufile.so
module sndfile.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{self.ctrl_port}
snd_path {self.snd_dir}
"""
            + ("module srtp.so\n" if mediaenc else "")
            + (f"sip_certificate {certificate}\n" if certificate else "")
        )
        tp = ";transport=tls" if transport == "tls" else ""
        params = [f"answermode={answermode}", "audio_codecs=PCMU,PCMA"]
        if register:
            params = [f"auth_pass={password}", f'outbound="sip:{proxy[0]}:{proxy[1]}{tp}"', "regint=600", *params]
        else:
            params.insert(0, "regint=0")
        if mediaenc:
            params.append(f"mediaenc={mediaenc}")
        (self.dir / "accounts").write_text(f"<sip:{user}@{domain}{tp}>;" + ";".join(params) + "\n")
        self.proc = ManagedProcess(f"baresip-{user}", ["baresip", "-f", str(self.dir)], self.dir / "baresip.log")
        self.events: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._sock: socket.socket | None = None
        self._reader: threading.Thread | None = None
        self._token = 0

    def start(self) -> Phone:
        self.proc.start()

        def connect() -> bool:
            self._sock = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=1)
            return True

        self.proc.wait_until(connect, timeout=15, what="accepting ctrl_tcp")
        assert self._sock is not None
        self._sock.settimeout(None)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        # Prove the connection reaches baresip's ctrl_tcp (something else on the port
        # would accept it and stay silent, and every wait for an event would time out).
        token = self.command("reginfo")
        with self._cond:
            if not self._cond.wait_for(
                lambda: any(e.get("response") and e.get("token") == token for e in self.events), timeout=10
            ):
                raise TimeoutError(
                    f"{self.user}: no answer on ctrl_tcp port {self.ctrl_port}\n" + tail(self.proc.log_path, 25)
                )
        return self

    def _read(self) -> None:
        buf = b""
        sock = self._sock
        assert sock is not None
        while True:
            try:
                chunk = sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buf += chunk
            while True:
                m = re.match(rb"(\d+):", buf)
                if not m or len(buf) < m.end() + int(m.group(1)) + 1:
                    break
                n = int(m.group(1))
                body = buf[m.end() : m.end() + n]
                buf = buf[m.end() + n + 1 :]
                try:
                    msg = json.loads(body)
                except ValueError:
                    continue
                msg["_t"] = time.monotonic()
                with self._cond:
                    self.events.append(msg)
                    self._cond.notify_all()

    def command(self, command: str, params: str = "") -> str:
        """Send a command; its token (baresip's response carries it)."""
        assert self._sock is not None
        self._token += 1
        token = str(self._token)
        self._sock.sendall(_netstring({"command": command, "params": params, "token": token}))
        return token

    def wait_event(self, *types: str, timeout: float = 10.0, since: int = 0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for ev in self.events[since:]:
                    if ev.get("event") and ev.get("type") in types:
                        return ev
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [e.get("type") for e in self.events if e.get("event")]
                    raise TimeoutError(
                        f"{self.user}@{self.domain}: none of {types} within {timeout}s; events {seen}\n"
                        + tail(self.proc.log_path, 25)
                    )
                self._cond.wait(left)

    def mark(self) -> int:
        with self._cond:
            return len(self.events)

    def wait_registered(self, timeout: float = 10.0) -> dict[str, Any]:
        """The outcome of the first registration. It can happen before the ctrl_tcp
        connection exists, so baresip's own log line is read as well as its events."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ev in list(self.events):
                if ev.get("type") in ("REGISTER_OK", "REGISTER_FAIL"):
                    return ev
            log = self.proc.log_path.read_text(errors="replace")
            m = re.search(r"\{\d+/(?:UDP|TCP|TLS)/v4\} (\d{3}) ", log) or re.search(r"reg: .*?(\d{3}) ", log)
            if m:
                code = int(m.group(1))
                return {"type": "REGISTER_OK" if code == 200 else "REGISTER_FAIL", "code": code}
            time.sleep(0.1)
        raise TimeoutError(f"{self.user}@{self.domain} not registered in {timeout}s\n" + tail(self.proc.log_path))

    def dial(self, uri: str) -> int:
        m = self.mark()
        self.command("dial", uri)
        return m

    def hangup(self) -> int:
        m = self.mark()
        self.command("hangup")
        return m

    def heard(self) -> Path:
        """The newest dump of what this phone received (decoded audio)."""
        files = sorted(self.snd_dir.glob("dump-*-dec.wav"), key=lambda p: p.stat().st_mtime)
        assert files, f"{self.user} recorded nothing it heard"
        return files[-1]

    def stop(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        self.proc.stop(timeout=3)
        # Keep the phone's log with the test's files; drop the rest.
        with contextlib.suppress(OSError):
            self.workdir.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.proc.log_path, self.workdir / f"baresip-{self.user}-{self.domain}.log")
        shutil.rmtree(self.dir, ignore_errors=True)
