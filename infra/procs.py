"""Process management for the local stack and the integration tests: free ports,
managed processes, readiness.

Every process runs in its own process group with stdout+stderr in a log file, and is
stopped by its own pid (SIGTERM to the group, SIGKILL after a grace period), never by
name. ``managed()`` stops it when the ``with`` block ends, also when a test fails.
"""

from __future__ import annotations

import collections
import contextlib
import os
import random
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal

LOCALHOST = "127.0.0.1"


# Ports for test servers come from below the kernel's ephemeral range (32768-60999 by
# default): a port the kernel hands out as a client's source port between our check and
# the server's bind is the classic race of "free port" helpers.
# Single ports and RTP blocks come from separate ranges so a block never swallows a
# port picked (but not yet bound) for a server.
PORT_MIN, PORT_MAX = 20000, 32000
BLOCK_MIN, BLOCK_MAX = 10000, 20000


# The ports free_port handed out lately, in this process. Callers often pick two or three
# ports before starting the process that binds them (a phone's SIP and control ports, a
# stack's SIP, API and moto ports); without this record both picks can be the same free
# port, one bind then fails and the harness talks to the wrong listener (seen in CI: a
# baresip's control connection reached its own SIP TCP listener and heard no events).
# The one piece of process-wide state in the test infrastructure.
_HANDED_OUT: collections.deque[int] = collections.deque(maxlen=512)


def free_port(kind: Literal["udp", "tcp"] = "udp", host: str = LOCALHOST, *, span: int = 1) -> int:
    """A port free right now for both UDP and TCP on ``host``, outside the ephemeral
    range, and not handed out by an earlier call in this process lately; with ``span``,
    the first of that many consecutive such ports (baresip also listens for TLS on its
    SIP port + 1). ``kind`` is kept for callers; both protocols are always checked."""
    for _ in range(500):
        port = random.randrange(PORT_MIN, PORT_MAX - span + 1)
        ports = range(port, port + span)
        if any(p in _HANDED_OUT for p in ports) or not bindable(host, ports):
            continue
        _HANDED_OUT.extend(ports)
        return port
    raise RuntimeError("no free port")


def bindable(host: str, ports: Iterable[int]) -> bool:
    """Every port can be bound right now, for UDP and for TCP."""
    try:
        for p in ports:
            for typ in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                with socket.socket(socket.AF_INET, typ) as s:
                    s.bind((host, p))
    except OSError:
        return False
    return True


def free_port_block(n: int, host: str = LOCALHOST, start: int = BLOCK_MIN, end: int = BLOCK_MAX) -> int:
    """First port of ``n`` consecutive ports free for UDP right now (RTP ranges)."""
    for _ in range(200):
        base = random.randrange(start, end - n) & ~1
        socks: list[socket.socket] = []
        try:
            for p in range(base, base + n):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                socks.append(s)
                s.bind((host, p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port block")


def tcp_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex((host, port)) == 0


def tail(log: Path | str, n: int = 60) -> str:
    """The last ``n`` lines of a log file (for assertion messages)."""
    try:
        lines = Path(log).read_text(errors="replace").splitlines()
    except OSError:
        return f"(no log at {log})"
    return "\n".join(lines[-n:])


def send_udp(host: str, port: int, data: bytes | str, timeout: float = 1.0, local_port: int = 0) -> bytes | None:
    """Send one datagram from 127.0.0.1 and return the first answer (None if none came).

    ``data`` may contain ``{lport}`` (the local port, for Via/Contact) when it is a str."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((LOCALHOST, local_port))
        lport = s.getsockname()[1]
        payload = data.replace("{lport}", str(lport)).encode() if isinstance(data, str) else data
        s.settimeout(timeout)
        s.sendto(payload, (host, port))
        try:
            answer, _ = s.recvfrom(65535)
        except OSError:
            return None
        return answer


def sip_options(host: str, port: int, timeout: float = 0.5) -> bytes | None:
    """Send one OPTIONS over UDP; the raw response, or None if nothing came back."""
    tag = uuid.uuid4().hex[:10]
    msg = (
        f"OPTIONS sip:{host}:{port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {LOCALHOST}:{{lport}};branch=z9hG4bK{tag};rport\r\n"
        "Max-Forwards: 70\r\n"
        f"From: <sip:probe@{LOCALHOST}>;tag={tag}\r\n"
        f"To: <sip:{host}:{port}>\r\n"
        f"Call-ID: probe-{tag}@{LOCALHOST}\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n\r\n"
    )
    return send_udp(host, port, msg, timeout)


class ProcessFailed(RuntimeError):
    pass


class ManagedProcess:
    """One external process: own process group, output in ``log_path``."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        log_path: Path,
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.argv = [str(a) for a in argv]
        self.log_path = Path(log_path)
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None
        self.returncode: int | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> ManagedProcess:
        if self.proc is not None:
            raise RuntimeError(f"{self.name} already started")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"# {self.name}: {' '.join(self.argv)}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,  # own process group: stop() reaches the children
            )
        return self

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait(self, timeout: float) -> int:
        """Wait for the process to exit by itself; its exit code."""
        if self.proc is None:
            raise RuntimeError(f"{self.name} not started")
        self.returncode = self.proc.wait(timeout=timeout)
        return self.returncode

    def stop(self, timeout: float = 5.0) -> int | None:
        """SIGTERM to the process group, SIGKILL after ``timeout``. Idempotent."""
        p = self.proc
        if p is None:
            return None
        if p.poll() is None:
            self._signal_group(signal.SIGTERM)
            self._signal_group(signal.SIGCONT)  # a paused (SIGSTOP) process must see the TERM
            try:
                p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                p.wait(timeout=timeout)
        # children that outlived the leader (same group) get no second chance
        self._signal_group(signal.SIGKILL)
        self.returncode = p.returncode
        return self.returncode

    def _signal_group(self, sig: int) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)

    def __enter__(self) -> ManagedProcess:
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- readiness -----------------------------------------------------------------------

    def tail(self, n: int = 60) -> str:
        return tail(self.log_path, n)

    def _check_alive(self, what: str) -> None:
        if not self.alive():
            rc = self.proc.returncode if self.proc is not None else None
            raise ProcessFailed(f"{self.name} exited (rc={rc}) while waiting for {what}:\n{self.tail()}")

    def wait_until(self, check: Callable[[], bool], timeout: float = 20.0, what: str = "ready") -> None:
        """Until ``check()`` is true (exceptions count as "not yet")."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive(what)
            try:
                if check():
                    return
            except Exception:  # noqa: S110 - not ready yet
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} not {what} after {timeout}s:\n{self.tail()}")

    def signal(self, sig: int) -> None:
        """Send ``sig`` to the whole process group."""
        self._signal_group(sig)

    def kill9(self) -> None:
        """Crash the process group (failure tests)."""
        self._signal_group(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(5)

    def wait_udp_sip(self, host: str, port: int, timeout: float = 15.0) -> None:
        """Until an OPTIONS over UDP to host:port gets any response."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive(f"SIP on udp {host}:{port}")
            if sip_options(host, port) is not None:
                return
            time.sleep(0.1)
        raise TimeoutError(f"{self.name}: no SIP answer on udp {host}:{port} in {timeout}s:\n{self.tail()}")

    def wait_tcp(self, host: str, port: int, timeout: float = 15.0) -> None:
        """Until a TCP connection to host:port succeeds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive(f"tcp {host}:{port}")
            with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
                return
            time.sleep(0.1)
        raise TimeoutError(f"{self.name}: nothing listening on tcp {host}:{port} in {timeout}s:\n{self.tail()}")


@contextlib.contextmanager
def managed(
    name: str,
    argv: Sequence[str],
    log_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[ManagedProcess]:
    """Start a process and always stop it when the block ends (pytest fixtures: ``yield``
    inside this block)."""
    p = ManagedProcess(name, argv, log_path, env=env, cwd=cwd)
    try:
        p.start()
        yield p
    finally:
        p.stop()


def pids_matching(pattern: str) -> list[int]:
    """``pgrep -f pattern``: pids whose command line contains ``pattern`` (for asserting
    that nothing a test started is left running)."""
    r = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True, check=False)
    return [int(x) for x in r.stdout.split()]
