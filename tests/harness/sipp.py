"""Run SIPp scenarios (tests/integration/sipp/*.xml) against a Kamailio under test.

Scenario files may hold ``{{NAME}}`` placeholders (e.g. the final code a UAC expects);
``params`` fills them and the rendered copy goes into the run's folder. Per-call values
(users, passwords, numbers) come from an ``-inf`` CSV (fields ``[field0]``...).

Every run has its own folder with the rendered scenario, the CSV, SIPp's output
(``sipp.log``), the unexpected-message trace (``errors.log``) and the full message trace
(``messages.log``), which ``SippResult`` parses so tests can assert on what was received.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from infra.procs import LOCALHOST, ManagedProcess, free_port, tail

SCENARIOS = Path(__file__).resolve().parents[1] / "integration" / "sipp"
SIPP = shutil.which("sipp") or "/usr/bin/sipp"

_PLACEHOLDER = re.compile(r"\{\{([A-Z_][A-Z0-9_]*)\}\}")
_counter = itertools.count(1)


def render_scenario(name: str, out_dir: Path, params: Mapping[str, str | int] | None = None) -> Path:
    """Copy ``SCENARIOS/name`` into ``out_dir`` with ``{{NAME}}`` placeholders filled."""
    text = (SCENARIOS / name).read_text(encoding="utf-8")
    values = {k: str(v) for k, v in (params or {}).items()}

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            raise KeyError(f"scenario {name}: no value for {{{{{m.group(1)}}}}}")
        return values[m.group(1)]

    out = out_dir / name
    out.write_text(_PLACEHOLDER.sub(sub, text), encoding="utf-8")
    return out


def write_inf(path: Path, rows: Sequence[Sequence[str]], order: str = "SEQUENTIAL") -> Path:
    """An injection CSV: first line the order, then one ``;``-separated row per call."""
    lines = [order] + [";".join(str(c) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class SippResult:
    returncode: int
    argv: list[str]
    run_dir: Path
    log: str = ""
    errors: str = ""
    messages: str = ""
    _parsed: list[tuple[str, str]] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def _messages(self) -> list[tuple[str, str]]:
        """(direction "received"/"sent", SIP text) from SIPp's -trace_msg log."""
        if self._parsed is None:
            parsed: list[tuple[str, str]] = []
            for block in re.split(r"^-{10,}.*$", self.messages, flags=re.M):
                m = re.match(r"\s*\S+ message (received|sent)[^\n]*\n", block)
                if m:
                    parsed.append((m.group(1), block[m.end() :].strip("\r\n ")))
            self._parsed = parsed
        return self._parsed

    def received(self) -> list[str]:
        return [text for d, text in self._messages() if d == "received"]

    def sent(self) -> list[str]:
        return [text for d, text in self._messages() if d == "sent"]

    def received_codes(self) -> list[int]:
        """Status codes of the responses received, in order."""
        return [int(t.split()[1]) for t in self.received() if t.startswith("SIP/2.0 ")]

    def received_requests(self, method: str) -> list[str]:
        return [t for t in self.received() if t.startswith(method + " ")]

    def describe(self) -> str:
        """Everything useful for an assertion message."""
        return (
            f"sipp rc={self.returncode} in {self.run_dir}\n{' '.join(self.argv)}\n"
            f"--- errors ---\n{self.errors[-3000:]}\n--- output ---\n{self.log[-2000:]}\n"
            f"--- messages ---\n{self.messages[-5000:]}"
        )


def header(message: str, name: str) -> list[str]:
    """Values of header ``name`` (case-insensitive) in a SIP message text."""
    out = []
    for line in message.splitlines()[1:]:
        if not line.strip():
            break
        k, sep, v = line.partition(":")
        if sep and k.strip().lower() == name.lower():
            out.append(v.strip())
    return out


class SippRun:
    """One SIPp process (foreground via ``run_sipp`` or background via ``start_sipp``)."""

    def __init__(
        self,
        scenario: str,
        target: tuple[str, int],
        work_dir: Path,
        *,
        rows: Sequence[Sequence[str]] | None = None,
        params: Mapping[str, str | int] | None = None,
        local_port: int | None = None,
        calls: int = 1,
        timeout_s: float = 15.0,
        extra: Sequence[str] = (),
    ) -> None:
        self.run_dir = work_dir / f"sipp-{next(_counter):03d}-{Path(scenario).stem}"
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.local_port = local_port or free_port("udp")
        xml = render_scenario(scenario, self.run_dir, params)
        self.messages_path = self.run_dir / "messages.log"
        self.errors_path = self.run_dir / "errors.log"
        self.argv = [
            SIPP,
            f"{target[0]}:{target[1]}",
            "-sf", str(xml),
            "-i", LOCALHOST,
            "-p", str(self.local_port),
            "-m", str(calls),
            "-timeout", f"{int(timeout_s)}s",
            "-timeout_error",
            "-nostdin",
            "-trace_msg", "-message_file", str(self.messages_path),
            "-trace_err", "-error_file", str(self.errors_path),
        ]  # fmt: skip
        if rows is not None:
            self.argv += ["-inf", str(write_inf(self.run_dir / "calls.csv", rows))]
        self.argv += list(extra)
        self.timeout_s = timeout_s
        self.proc = ManagedProcess(
            f"sipp-{Path(scenario).stem}", self.argv, self.run_dir / "sipp.log", cwd=self.run_dir
        )

    def start(self) -> SippRun:
        self.proc.start()
        return self

    def result(self, wait: float | None = None) -> SippResult:
        """Wait for SIPp to end (killing it after ``wait``, default timeout + 10 s)."""
        try:
            rc = self.proc.wait(timeout=wait if wait is not None else self.timeout_s + 10)
        except subprocess.TimeoutExpired:
            self.proc.stop()
            rc = -999
        return SippResult(
            returncode=rc,
            argv=self.argv,
            run_dir=self.run_dir,
            log=tail(self.proc.log_path, 200),
            errors=_read(self.errors_path),
            messages=_read(self.messages_path),
        )

    def stop(self) -> None:
        self.proc.stop()


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def run_sipp(
    scenario: str,
    target: tuple[str, int],
    work_dir: Path,
    *,
    rows: Sequence[Sequence[str]] | None = None,
    params: Mapping[str, str | int] | None = None,
    local_port: int | None = None,
    calls: int = 1,
    timeout_s: float = 15.0,
    extra: Sequence[str] = (),
) -> SippResult:
    """Run a scenario to its end; the process is always gone when this returns."""
    run = start_sipp(
        scenario,
        target,
        work_dir,
        rows=rows,
        params=params,
        local_port=local_port,
        calls=calls,
        timeout_s=timeout_s,
        extra=extra,
    )
    try:
        return run.result()
    finally:
        run.stop()


def start_sipp(
    scenario: str,
    target: tuple[str, int],
    work_dir: Path,
    *,
    rows: Sequence[Sequence[str]] | None = None,
    params: Mapping[str, str | int] | None = None,
    local_port: int | None = None,
    calls: int = 1,
    timeout_s: float = 30.0,
    extra: Sequence[str] = (),
) -> SippRun:
    """Start a scenario in the background (a UAS); call ``.result()`` later and make sure
    ``.stop()`` runs at teardown."""
    run = SippRun(
        scenario,
        target,
        work_dir,
        rows=rows,
        params=params,
        local_port=local_port,
        calls=calls,
        timeout_s=timeout_s,
        extra=extra,
    )
    return run.start()


# ---------------------------------------------------------------------------------------
# phones


def register_phone(
    target: tuple[str, int],
    work_dir: Path,
    user: str,
    domain: str,
    password: str,
    port: int,
    *,
    expires: int = 600,
    final: int = 200,
) -> SippResult:
    """Register ``user@domain`` with digest auth from ``127.0.0.1:port`` (then start a
    UAS scenario on that port to play the phone)."""
    return run_sipp(
        "register.xml",
        target,
        work_dir,
        rows=[[user, domain, password]],
        params={"FINAL": final, "EXPIRES": expires},
        local_port=port,
    )


def call_id(result: SippResult) -> str:
    """The Call-ID of the first request SIPp sent (the caller's leg)."""
    sent = result.sent()
    assert sent, result.describe()
    values = header(sent[0], "Call-ID")
    assert values, sent[0]
    return values[0]
