"""Click-to-call on the edge (issue 17): the agent's command loop and the spool folder that
carries a claimed command to a media worker and its progress back.

The agent polls ``GET /edge/v1/commands`` (its own thread, about every second), claims
each command, adds what its own snapshot says (the tenant's SIP domain, whether calls are
recorded: a tenant the edge no longer serves fails the command) and drops it as a file into
``<spool>/commands/`` (written and renamed, so a worker never reads half of it). Every worker
of the edge shares the spool; one takes the file by renaming it into ``taken/`` (only one
rename succeeds), places the legs and writes its progress as small files into
``<spool>/commands/results/``, which the agent posts in order (``POST .../result``).

Why files: the worker's only loop is pjsua's event thread polling ``libHandleEvents``; a
folder read every 0.2 s costs it nothing, needs no listening socket on the edge (nothing
new to attack), survives an agent restart, and lets any of several workers take the call
(the same way CDRs and live events already travel between the two processes).
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from edge_node.spool import write_atomic
from pbx_core import snapshot as snapmod
from pbx_core.errors import ValidationError

log = logging.getLogger("probox.commands")

COMMAND_ID_RE = re.compile(r"cmd_[0-9a-f]{24}")
_DIAL_RE = re.compile(r"[0-9]{1,24}")
# A command no worker took within this is failed by the agent (no worker running).
UNTAKEN_S = 10.0
REPORT_STATES = ("agent_ringing", "agent_answered", "connected", "failed")


def commands_dir(spool_root: Path) -> Path:
    return spool_root / "commands"


def taken_dir(spool_root: Path) -> Path:
    return spool_root / "commands" / "taken"


def results_dir(spool_root: Path) -> Path:
    return spool_root / "commands" / "results"


def ensure_dirs(spool_root: Path) -> None:
    for d in (commands_dir(spool_root), taken_dir(spool_root), results_dir(spool_root)):
        d.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class Originate:
    """What a worker needs to place a click-to-call: checked when read, never trusted as is."""

    id: str
    tenant_id: str
    domain: str
    extension: str
    target: str
    target_kind: str  # "extension" | "number"
    trunk_id: str
    caller_id: str
    contact_id: str
    record: bool

    @staticmethod
    def from_dict(d: dict[str, Any]) -> Originate:
        def s(k: str) -> str:
            v = d.get(k, "")
            if not isinstance(v, str):
                raise ValidationError(f"command field {k} is not text")
            return v

        o = Originate(
            id=s("id"), tenant_id=s("tenant_id"), domain=s("domain").lower(), extension=s("extension"),
            target=s("target"), target_kind=s("target_kind"), trunk_id=s("trunk_id"), caller_id=s("caller_id"),
            contact_id=s("contact_id"), record=bool(d.get("record", True)),
        )  # fmt: skip
        if not COMMAND_ID_RE.fullmatch(o.id):
            raise ValidationError("bad command id")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", o.tenant_id):
            raise ValidationError("bad tenant id")
        if not re.fullmatch(r"[a-z0-9.-]{1,253}", o.domain):
            raise ValidationError("bad domain")
        if not _DIAL_RE.fullmatch(o.extension) or not _DIAL_RE.fullmatch(o.target):
            raise ValidationError("bad extension or target")
        if o.target_kind not in ("extension", "number"):
            raise ValidationError("bad target kind")
        return o

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "tenant_id": self.tenant_id, "domain": self.domain, "extension": self.extension,
            "target": self.target, "target_kind": self.target_kind, "trunk_id": self.trunk_id,
            "caller_id": self.caller_id, "contact_id": self.contact_id, "record": self.record,
        }  # fmt: skip


# --- the worker's side ------------------------------------------------------------------
def take(spool_root: Path, worker_id: str) -> list[Originate]:
    """Commands waiting in the spool that this worker took (renamed into ``taken/``: of
    several workers only one rename succeeds). A file that does not parse is failed."""
    out = []
    folder = commands_dir(spool_root)
    try:
        names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".json") and not p.name.startswith("."))
    except FileNotFoundError:
        return []
    for name in names:
        mine = taken_dir(spool_root) / f"{name[:-5]}.{worker_id}.json"
        try:
            os.rename(folder / name, mine)
        except OSError:
            continue  # another worker took it
        try:
            out.append(Originate.from_dict(json.loads(mine.read_bytes())))
        except (OSError, ValueError, ValidationError) as exc:
            log.error("unusable command file %s: %s", name, exc)
            command_id = name[:-5]
            if COMMAND_ID_RE.fullmatch(command_id):
                report(spool_root, command_id, "failed", reason="bad_command")
        finally:
            mine.unlink(missing_ok=True)
    return out


def report(spool_root: Path, command_id: str, state: str, *, call_id: str = "", reason: str = "") -> None:
    """A progress report for the agent to post (a few per click: written straight away)."""
    assert state in REPORT_STATES
    doc = {"state": state, "call_id": call_id[:512], "reason": reason[:200]}
    seq = f"{time.time_ns():020d}"
    write_atomic(results_dir(spool_root) / f"{command_id}.{seq}.json", json.dumps(doc).encode(), durable=False)


# --- the agent's side -------------------------------------------------------------------
@dataclass
class CommandLoop:
    """The agent's command thread: poll, claim, hand to a worker, post the results."""

    spool_root: Path
    snapshot_path: Path
    http: Callable[[], httpx.Client]
    interval_s: float = 1.0
    untaken_s: float = UNTAKEN_S
    dropped: dict[str, float] = field(default_factory=dict)  # command id -> when handed over

    def run(self, should_stop: Callable[[], bool]) -> None:
        ensure_dirs(self.spool_root)
        while not should_stop():
            try:
                self.step()
            except Exception:  # never let the loop die
                log.exception("command loop failed")
            time.sleep(self.interval_s)

    def step(self) -> None:
        self.post_results()
        self.fail_untaken(time.monotonic())
        try:
            r = self.http().get("/edge/v1/commands")
        except (httpx.HTTPError, RuntimeError) as exc:
            log.warning("command poll failed: %s", exc)
            return
        if r.status_code != 200:
            log.warning("command poll answered %s", r.status_code)
            return
        for cmd in r.json().get("commands", []):
            command_id = str(cmd.get("id", ""))
            if COMMAND_ID_RE.fullmatch(command_id) and command_id not in self.dropped:
                self.claim(command_id)
        self.post_results()

    def claim(self, command_id: str) -> None:
        try:
            r = self.http().post(f"/edge/v1/commands/{command_id}/claim")
        except (httpx.HTTPError, RuntimeError) as exc:
            log.warning("claim failed: %s", exc, extra={"command_id": command_id})
            return
        if r.status_code != 200:
            log.info("command not claimed (%s)", r.status_code, extra={"command_id": command_id})
            return
        cmd = r.json()
        self.dropped[command_id] = time.monotonic()
        tenant = self._tenant(str(cmd.get("tenant_id", "")))
        if tenant is None:
            report(self.spool_root, command_id, "failed", reason="tenant_not_on_edge")
            return
        try:
            o = Originate.from_dict({**cmd, "domain": tenant.domain, "record": tenant.record_calls})
        except ValidationError as exc:
            log.error("unusable command: %s", exc.message, extra={"command_id": command_id})
            report(self.spool_root, command_id, "failed", reason="bad_command")
            return
        write_atomic(commands_dir(self.spool_root) / f"{command_id}.json", json.dumps(o.to_dict()).encode())
        log.info("command handed to the workers", extra={"command_id": command_id, "tenant_id": o.tenant_id})

    def _tenant(self, tenant_id: str) -> snapmod.TenantConfig | None:
        try:
            snap = snapmod.from_json(self.snapshot_path.read_bytes())
        except (OSError, ValidationError):
            return None
        return snap.tenants.get(tenant_id)

    def fail_untaken(self, t: float) -> None:
        """A command no worker took (none running): failed, so the agent's screen says so."""
        for command_id, since in list(self.dropped.items()):
            if t - since < self.untaken_s:
                continue
            path = commands_dir(self.spool_root) / f"{command_id}.json"
            try:
                os.rename(path, taken_dir(self.spool_root) / f"{command_id}.agent.json")
            except OSError:
                pass  # a worker took it
            else:
                (taken_dir(self.spool_root) / f"{command_id}.agent.json").unlink(missing_ok=True)
                log.error("no worker took the command", extra={"command_id": command_id})
                report(self.spool_root, command_id, "failed", reason="no_worker")
            if t - since > 3600:
                del self.dropped[command_id]

    def post_results(self) -> None:
        """Post the workers' reports in the order they were written; a report the API keeps
        refusing (a state it cannot take any more) is dropped, a network error retried."""
        folder = results_dir(self.spool_root)
        try:
            files = sorted(p for p in folder.iterdir() if p.name.endswith(".json") and not p.name.startswith("."))
        except FileNotFoundError:
            return
        files.sort(key=lambda p: p.name.split(".")[1])
        for path in files:
            command_id = path.name.split(".", 1)[0]
            try:
                body = json.loads(path.read_bytes())
                r = self.http().post(f"/edge/v1/commands/{command_id}/result", json=body)
            except (httpx.HTTPError, RuntimeError) as exc:
                log.warning("command result not posted yet: %s", exc, extra={"command_id": command_id})
                return
            except (OSError, ValueError):
                path.unlink(missing_ok=True)
                continue
            if r.status_code >= 500:
                return
            if r.status_code != 200:
                log.warning("command result refused (%s): %s", r.status_code, r.text[:200])
            else:
                log.info("command result posted", extra={"command_id": command_id, "state": body.get("state")})
            path.unlink(missing_ok=True)
