"""linphonec (Debian's linphone-cli) as a real SIP phone, for the steps baresip 1.0 cannot
do (attended transfer). It is driven through its command line on stdin; what it says
(with -S, its state messages) is read from its log."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from infra.procs import free_port, free_port_block, tail
from infra.tones import make_tone


class Linphone:
    def __init__(
        self, workdir: Path, user: str, domain: str, password: str, proxy: tuple[str, int], tone: float
    ) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix=f"lp{user}-", dir="/tmp"))
        self.workdir = workdir
        self.user, self.domain, self.password, self.proxy = user, domain, password, proxy
        self.sip_port = free_port()
        self.rtp = rtp = free_port_block(10)
        self.tone = make_tone(self.dir / "tone.wav", tone)
        self.rc = self.dir / "linphonerc"
        # Files instead of a sound card (the machine has none); PCMU only, like the phones.
        self.rc.write_text(
            f"""[sip]
sip_port={self.sip_port}
sip_tcp_port=-1
sip_tls_port=-1
bind_address=127.0.0.1
guess_hostname=0
register_only_when_network_is_up=0
inc_timeout=60
[rtp]
audio_rtp_port={rtp}-{rtp + 9}
[net]
mtu=1300
[sound]
echocancellation=0
[audio_codec_0]
mime=PCMU
rate=8000
channels=1
enabled=1
[audio_codec_1]
mime=opus
rate=48000
channels=2
enabled=0
[misc]
enable_basic_to_client_group_chat_room_migration=0
[auth_info_0]
username={user}
passwd={password}
domain={domain}
"""
        )
        self.log_path = self.dir / "linphonec.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Linphone:
        # Without its database folder the core never reaches "On" and answers calls 503.
        (self.dir / ".local" / "share" / "linphone").mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        env = {**os.environ, "HOME": str(self.dir)}
        self.proc = subprocess.Popen(
            ["linphonec", "-c", str(self.rc), "-S", "-d", "5", "-l", str(self.dir / "debug.log")],
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=self.dir,
            start_new_session=True,
        )
        log.close()
        self.command("soundcard use files")
        # linphonec 5.1 ignores the ports of the rc file it was given: set them here.
        self.command(f"ports sip {self.sip_port}")
        self.command("autoanswer enable")
        # The password is in the rc file's auth_info (linphonec echoes its commands into
        # its console log).
        self.command(f"register sip:{self.user}@{self.domain} sip:{self.proxy[0]}:{self.proxy[1]}")
        return self

    def command(self, line: str) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def output(self) -> str:
        """What linphonec printed (its console messages)."""
        return self.log_path.read_text(errors="replace")

    def registered(self, timeout: float = 15.0) -> None:
        """The registration outcome is only in liblinphone's own log."""
        dbg = self.dir / "debug.log"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = dbg.read_text(errors="replace") if dbg.exists() else ""
            if "to [LinphoneRegistrationOk]" in text:
                return
            if "to [LinphoneRegistrationFailed]" in text:
                raise AssertionError(f"linphonec {self.user}: registration failed")
            time.sleep(0.1)
        raise TimeoutError(f"linphonec {self.user}: not registered in {timeout}s")

    def debug_log(self) -> str:
        """liblinphone's own log (state changes the console does not print)."""
        dbg = self.dir / "debug.log"
        return dbg.read_text(errors="replace") if dbg.exists() else ""

    def wait_for(self, pattern: str, timeout: float = 10.0, since: int = 0, *, debug: bool = False) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                break
            m = re.search(pattern, (self.debug_log() if debug else self.output())[since:])
            if m:
                return m
            time.sleep(0.1)
        raise TimeoutError(f"linphonec {self.user}: no {pattern!r} in {timeout}s\n{tail(self.log_path, 40)}")

    def mark(self) -> int:
        return len(self.output())

    def stop(self) -> None:
        p = self.proc
        if p is not None and p.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                self.command("quit")
            try:
                p.wait(timeout=3)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=5)
        if p is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.workdir.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.log_path, self.workdir / f"linphonec-{self.user}-{self.domain}.log")
            dbg = self.dir / "debug.log"
            if dbg.exists():
                shutil.copy(dbg, self.workdir / f"linphonec-{self.user}-{self.domain}.debug.log")
        shutil.rmtree(self.dir, ignore_errors=True)
