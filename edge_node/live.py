"""Live call events on the edge (issue 15): the media worker writes them, the agent posts them.

**Writing** (``EventWriter``, in the media worker): each change of a call becomes a
``pbx_core.events.CallEvent`` (``build_event``) queued to a thread of its own, which appends
it as one JSON line to ``<spool>/events/<writer>-<pid>-<start>-<n>.jsonl.open``. The pjsua
event thread only queues (no disk, no network: S7); a line is written whole with one
``write`` and not fsynced (like the call journals, events must survive the worker process
dying, not the machine: they are the live view, the CDR stays the record). A file is closed
by renaming it to ``.jsonl`` when it passes ``max_bytes`` or the writer stops.

**Posting** (``EventShipper``, a thread of the edge agent): reads every events file from its
offset (complete lines only), posts up to ``MAX_BATCH`` events per ``POST /edge/v1/events``
after a ``window_s`` window (so a burst goes in one post and one event waits ~100 ms; counted
from the start of the previous post when events came while it was out), and
keeps its offsets in ``events/offsets.json`` (renamed into place after each answered post):
after an agent restart it goes on where it stopped. A 5xx, a timeout or no answer: the same
events again after a backoff (``0.5 * 2**n`` s, at most ``max_backoff_s``; their ids make a
repeat harmless). ``refused`` results are logged and dropped; a ``400`` batch (a producer's
bug) is logged, kept in ``events/rejected.jsonl`` and skipped. A file read to its end is
deleted once closed (or once its writer process is gone). Every ``heartbeat_s`` a post
carries the ``edge`` block (alone if there are no events). The thread is its own: events are
never behind the CDR and recording backlog of ``edge_node.delivery``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from edge_node.spool import owner_alive, process_start_time, write_atomic
from pbx_core import cdr as cdrmod
from pbx_core import events as ev
from pbx_core.bridge import BridgeRecord
from pbx_core.routing import KIND_INBOUND, KIND_OUTBOUND

log = logging.getLogger("probox.events")

OPEN_SUFFIX = ".jsonl.open"
DONE_SUFFIX = ".jsonl"
OFFSETS = "offsets.json"
REJECTED = "rejected.jsonl"
MAX_BODY = 400 * 1024  # the control plane takes 512 KiB


def new_event_id() -> str:
    return uuid.uuid4().hex


# --- building events ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RtpCounters:
    """What pjsua2's RTCP statistics of one leg say (``Call.getStreamStat``), in plain numbers."""

    rx_packets: int
    tx_packets: int
    rx_lost: int
    jitter_us: float  # interarrival jitter of what we receive (last value)
    rtt_us: float | None  # RTCP round trip (None: no receiver report yet)


def quality_of(c: RtpCounters, *, talk_s: float, one_way_after_s: float = 4.0) -> ev.Quality:
    """B3 quality of a leg: loss, jitter and round trip as RTCP gave them, an E-model MOS,
    and ``one_way_audio`` when, ``one_way_after_s`` into the conversation, we send audio to
    the phone and have received not one packet from it."""
    expected = c.rx_packets + c.rx_lost
    loss_pct = 100.0 * c.rx_lost / expected if expected else 0.0
    jitter_ms = round(max(0.0, c.jitter_us) / 1000, 2)
    rtt_ms = round(c.rtt_us / 1000, 2) if c.rtt_us is not None else None
    mos = ev.mos_estimate(rtt_ms=rtt_ms or 0.0, jitter_ms=jitter_ms, loss_pct=loss_pct) if c.rx_packets else None
    one_way = talk_s >= one_way_after_s and c.tx_packets > 0 and c.rx_packets == 0
    return ev.Quality(
        packets_lost=max(0, c.rx_lost), jitter_ms=jitter_ms, rtt_ms=rtt_ms, mos=mos, one_way_audio=one_way
    )


def build_event(
    rec: BridgeRecord,
    kind: str,
    *,
    at: datetime,
    parties: tuple[str, str],
    quality: tuple[ev.Quality | None, ev.Quality | None] = (None, None),
    leg_trunks: tuple[str, str] = ("", ""),
    edge_id: str,
    worker_id: str,
    by: str = "",
    target: str = "",
    transfer_kind: str = "",
) -> ev.CallEvent:
    """The whole call after ``kind`` happened, as the worker knows it. Leg ``a`` is the
    caller's side (its direction is the call's; an inbound call's trunk), leg ``b`` the
    callee's; ``parties`` are who is on each side now (after transfers and pickups) and
    ``leg_trunks`` the carrier trunks of sides the worker transferred out to a number."""
    s = rec.setup
    direction = s.kind if s.kind in ev.DIRECTIONS else "internal"
    a_trunk = s.trunk_id if direction == KIND_INBOUND else ""
    if leg_trunks[0]:  # the caller's side was transferred out through a trunk
        direction, a_trunk = KIND_OUTBOUND, leg_trunks[0]
    out_trunk = leg_trunks[1] or (s.trunk_id if s.kind == KIND_OUTBOUND else "")
    b_direction = "outbound" if out_trunk else "internal"
    frm, to = parties[0] or "anonymous", parties[1] or s.callee
    legs = (
        ev.Leg("a", frm, to, direction, a_trunk, quality[0]),
        ev.Leg("b", frm, to, b_direction, out_trunk, quality[1]),
    )
    ended = kind in (ev.ENDED, ev.RECORDING_READY)
    disposition = rec.disposition if kind == ev.ENDED else ""
    return ev.CallEvent(
        id=new_event_id(),
        kind=kind,
        tenant_id=s.tenant_id,
        call_id=rec.call_id[: ev.MAX_CALL_ID],
        edge_id=edge_id,
        occurred_at=cdrmod.iso(at),
        started_at=cdrmod.iso(rec.started_at),
        legs=legs,
        answered_at=cdrmod.iso(rec.answered_at) if rec.answered_at else None,
        ended_at=cdrmod.iso(rec.ended_at or at) if ended else None,
        by=by[:64],
        target=target[:64],
        transfer_kind=transfer_kind,
        disposition=disposition,
        hangup_cause=(rec.cause or cdrmod.HANGUP_CAUSES.get(disposition, "")) if disposition else "",
        worker_id=worker_id,
    )


# --- writing -----------------------------------------------------------------------------------
def _file_stem(writer: str, pid: int, start: int | None, n: int) -> str:
    return f"{writer}-{pid}-{start or 0}-{n:06d}"


def _owner(stem: str) -> tuple[int, int | None]:
    """The writer process of an events file, from its name (pid, start time)."""
    parts = stem.rsplit("-", 3)
    if len(parts) != 4:
        return 0, None
    try:
        return int(parts[1]), int(parts[2]) or None
    except ValueError:
        return 0, None


_STOP = object()


class Record(Protocol):
    """What the writer appends: a call event (issue 15) or a queue event (issue 16)."""

    def to_dict(self) -> dict[str, Any]: ...


class EventWriter:
    """Appends events to the spool's events folder on a thread of its own: ``emit`` only
    queues, so the pjsua event thread never waits for the disk."""

    def __init__(self, folder: Path, writer: str, *, max_bytes: int = 4 << 20) -> None:
        self.folder = folder
        self.writer = writer.replace("/", "_")
        self.max_bytes = max_bytes
        self._q: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="event-writer", daemon=True)
        self._fd = -1
        self._path: Path | None = None
        self._size = 0
        self._n = 0
        self.written = 0
        self.failed = 0

    def start(self) -> EventWriter:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._thread.start()
        return self

    def emit(self, event: Record) -> None:
        self._q.put(event)

    def close(self, timeout: float = 5.0) -> None:
        if self._thread.is_alive():
            self._q.put(_STOP)
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            items = [self._q.get()]
            while len(items) < 512:
                try:
                    items.append(self._q.get_nowait())
                except queue.Empty:
                    break
            stop = any(x is _STOP for x in items)
            lines = [x for x in items if x is not _STOP]
            if lines:
                self._write(lines)
            if stop:
                self._finish()
                return

    def _write(self, events: list[Any]) -> None:
        data = b"".join(json.dumps(e.to_dict(), separators=(",", ":")).encode() + b"\n" for e in events)
        try:
            if self._fd < 0 or self._size >= self.max_bytes:
                self._rotate()
            view = memoryview(data)
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
            self._size += len(data)
            self.written += len(events)
        except OSError as exc:
            self.failed += len(events)
            log.error("cannot write call events (spool full?): %s", exc, extra={"lost": len(events)})

    def _rotate(self) -> None:
        self._finish()
        pid = os.getpid()
        self._n += 1
        stem = _file_stem(self.writer, pid, process_start_time(pid), self._n)
        self._path = self.folder / f"{stem}{OPEN_SUFFIX}"
        self._fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        self._size = 0

    def _finish(self) -> None:
        if self._fd < 0 or self._path is None:
            return
        os.close(self._fd)
        self._fd = -1
        done = self._path.with_name(self._path.name[: -len(OPEN_SUFFIX)] + DONE_SUFFIX)
        try:
            os.replace(self._path, done)
        except OSError as exc:
            log.error("cannot close events file: %s", exc)
        self._path = None


# --- posting -----------------------------------------------------------------------------------
@dataclass
class _Item:
    stem: str
    end: int  # the file's offset after this event's line
    doc: dict[str, Any]


class EventShipper:
    """The edge agent's event thread: the events folder to ``POST /edge/v1/events`` (or
    another folder to another batch route of the same shape: ``{<field>: [...]}`` answered
    with ``{"results": [...]}``, e.g. the queue events of issue 16)."""

    def __init__(
        self,
        folder: Path,
        *,
        http: Callable[[], httpx.Client],
        health: Callable[[], ev.EdgeHealth] | None = None,
        window_s: float = 0.1,
        heartbeat_s: float = 15.0,
        max_backoff_s: float = 60.0,
        poll_s: float = 0.02,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        route: str = "/edge/v1/events",
        field: str = "events",
    ) -> None:
        self.folder = folder
        self.route, self.field = route, field
        self._http, self._health = http, health
        self.window_s, self.heartbeat_s, self.max_backoff_s, self.poll_s = window_s, heartbeat_s, max_backoff_s, poll_s
        self.clock, self._sleep = clock, sleep
        self.offsets: dict[str, int] = {}
        self.attempts = 0
        self.not_before = 0.0
        self.next_heartbeat = 0.0
        self.posted = 0
        self.refused = 0
        self.rejected = 0
        self._loaded = False

    # offsets ------------------------------------------------------------------------------
    def load_offsets(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            raw = json.loads((self.folder / OFFSETS).read_bytes())
            self.offsets = {str(k): int(v) for k, v in raw.items()}
        except (OSError, ValueError, AttributeError) as exc:
            if not isinstance(exc, FileNotFoundError):
                log.error("events offsets unreadable, starting from the files' beginnings: %s", exc)
            self.offsets = {}
        self._loaded = True

    def _save_offsets(self) -> None:
        write_atomic(self.folder / OFFSETS, json.dumps(self.offsets).encode(), durable=False)

    # reading ------------------------------------------------------------------------------
    def _files(self) -> list[tuple[str, Path, bool]]:
        """(stem, path, closed) of every events file, oldest name first."""
        out = []
        for p in self.folder.iterdir():
            name = p.name
            if name.startswith("."):
                continue
            if name.endswith(OPEN_SUFFIX):
                out.append((name[: -len(OPEN_SUFFIX)], p, False))
            elif name.endswith(DONE_SUFFIX) and name != REJECTED:
                out.append((name[: -len(DONE_SUFFIX)], p, True))
        out.sort(key=lambda x: (x[0], x[2]))
        return out

    def pending(self, limit: int = ev.MAX_BATCH) -> list[_Item]:
        """Up to ``limit`` events not yet posted, in file order (complete lines only); files
        read to their end and closed are removed."""
        items: list[_Item] = []
        size_left = MAX_BODY
        changed = False
        for stem, path, closed in self._files():
            if len(items) >= limit or size_left <= 0:
                break
            offset = self.offsets.get(stem, 0)
            try:
                with path.open("rb") as f:
                    size = os.fstat(f.fileno()).st_size
                    if size > offset:
                        f.seek(offset)
                        data = f.read(min(size - offset, size_left + 4096))
                    else:
                        data = b""
            except FileNotFoundError:
                continue
            pos = offset
            for line in data.splitlines(keepends=True):
                if not line.endswith(b"\n") or len(items) >= limit or size_left - len(line) < 0:
                    break
                pos += len(line)
                try:
                    doc = json.loads(line)
                    if not isinstance(doc, dict):
                        raise ValueError("not an object")
                except ValueError as exc:
                    if self._has(items, stem):  # skipped once the events before it are posted
                        pos -= len(line)
                        break
                    log.error("unreadable event line skipped: %s", exc, extra={"file": path.name})
                    self.offsets[stem] = pos
                    changed = True
                    continue
                items.append(_Item(stem, pos, doc))
                size_left -= len(line)
            if self._has(items, stem):
                continue
            rest = data[pos - offset :]
            read_all = offset + len(data) >= size
            if closed and pos >= size:
                gone = True  # read to its end, and its writer has closed it
            else:
                # A writer that died leaves its file open, maybe with a half line: worthless.
                gone = not closed and read_all and b"\n" not in rest and not owner_alive(*_owner(stem))
            if gone:
                path.unlink(missing_ok=True)
                if self.offsets.pop(stem, None) is not None:
                    changed = True
        if changed:
            self._save_offsets()
        return items

    @staticmethod
    def _has(items: list[_Item], stem: str) -> bool:
        return any(i.stem == stem for i in items)

    # posting ------------------------------------------------------------------------------
    def step(self) -> int:
        """One round: post what is pending (and the heartbeat when due). Returns how many
        events were answered (created, duplicate or refused); 0 when waiting."""
        if not self._loaded:
            self.load_offsets()
        now = self.clock()
        if now < self.not_before:
            return 0
        items = self.pending()
        beat = self._health is not None and now >= self.next_heartbeat
        if not items and not beat:
            return 0
        body: dict[str, Any] = {self.field: [i.doc for i in items]}
        if beat and self._health is not None:
            try:
                body["edge"] = self._health().to_dict()
            except Exception:  # the health report never holds the events back
                log.exception("edge health unavailable")
        try:
            r = self._http().post(self.route, json=body)
        except (httpx.HTTPError, RuntimeError) as exc:
            self._backoff(f"no answer: {exc}", len(items))
            return 0
        if r.status_code == 400 and items:
            self._reject(items, r)
            return len(items)
        if r.status_code != 200:
            self._backoff(f"answered {r.status_code}: {r.text[:200]}", len(items))
            return 0
        try:
            results = r.json()["results"]
        except (ValueError, KeyError, TypeError) as exc:
            self._backoff(f"unreadable answer: {exc}", len(items))
            return 0
        self.attempts, self.not_before = 0, 0.0
        if beat:
            self.next_heartbeat = now + self.heartbeat_s
        for item, result in zip(items, results, strict=False):
            if result.get("status") == "refused":
                self.refused += 1
                log.warning(
                    "event refused by the control plane, dropped",
                    extra={**_ids(item.doc), "code": result.get("code"), "kind": item.doc.get("kind")},
                )
        done = items[: len(results)]  # a shorter answer: the rest again next round
        self._advance(done)
        self.posted += len(done)
        return len(done)

    def _advance(self, items: list[_Item]) -> None:
        if not items:
            return
        for item in items:
            self.offsets[item.stem] = max(self.offsets.get(item.stem, 0), item.end)
        self._save_offsets()

    def _backoff(self, why: str, n: int) -> None:
        self.attempts += 1
        delay = min(self.max_backoff_s, 0.5 * 2.0 ** min(self.attempts - 1, 10))
        self.not_before = self.clock() + delay
        log.warning("events not posted, again in %.1fs: %s", delay, why, extra={"events": n})

    def _reject(self, items: list[_Item], r: httpx.Response) -> None:
        """400: the batch is malformed, nothing was stored, and posting it again changes
        nothing. Kept aside for a person, skipped."""
        try:
            with (self.folder / REJECTED).open("ab") as f:
                for item in items:
                    f.write(json.dumps(item.doc).encode() + b"\n")
        except OSError as exc:
            log.error("cannot keep rejected events: %s", exc)
        self.rejected += len(items)
        log.error(
            "events batch refused as malformed, kept in events/rejected.jsonl",
            extra={**_ids(items[0].doc), "events": len(items), "answer": r.text[:500]},
        )
        self._advance(items)

    def run(self, should_stop: Callable[[], bool]) -> None:
        """The agent's event thread: wait for events, let a window fill, post. Behind a
        backlog (a full batch posted) the next goes at once, without a window.

        The window counts from the start of the previous post when that post carried events:
        what came while it was out has been gathering since, so posts start at least
        ``window_s`` apart and a post that took longer than the window is followed by the
        next at once. (A full window after every post made each event of a steady flow wait
        for the post before it plus 100 ms more: at 100 calls/s on the local stack, ~80
        events per post and a p95 of ~650 ms from the worker to the browser.) Only a round
        that posted nothing waits ``poll_s`` before the next look."""
        caught_up = True
        last_post: float | None = None  # when the previous round that posted events began
        while not should_stop():
            n = 0
            started = self.clock()
            try:
                if caught_up and started >= self.not_before and self._waiting():
                    gathered = started - last_post if last_post is not None else 0.0
                    if gathered < self.window_s:
                        self._sleep(self.window_s - gathered)  # what comes meanwhile goes along
                    started = self.clock()
                n = self.step()
            except Exception:  # never let the events thread die
                log.exception("events round failed")
                self._sleep(1.0)
            last_post = started if n > 0 else None
            caught_up = n < ev.MAX_BATCH
            if n == 0:  # after a post, what came meanwhile is looked at at once (the window)
                self._sleep(self.poll_s)

    def _waiting(self) -> bool:
        """Is there an event not yet posted (cheap: sizes against offsets)?"""
        with contextlib.suppress(OSError):
            for stem, path, _ in self._files():
                if path.stat().st_size > self.offsets.get(stem, 0):
                    return True
        return False


def _ids(doc: dict[str, Any]) -> dict[str, str]:
    return {"tenant_id": str(doc.get("tenant_id", "")), "call_id": str(doc.get("call_id", ""))}


def recording_event(cdr: dict[str, Any], *, edge_id: str, at: datetime) -> ev.CallEvent | None:
    """``recording.ready`` for a call the control plane has just stored with its recording
    (the agent knows it then): the key is the one the control plane derives from the CDR
    (``pbx_core.cdr.recording_key``). None when the CDR names no upload."""
    upload = cdr.get("recording_upload")
    started_raw, tenant_id, call_id = cdr.get("started_at"), cdr.get("tenant_id"), cdr.get("call_id")
    if not isinstance(upload, str) or not isinstance(started_raw, str) or not tenant_id or not call_id:
        return None
    fmt = upload.rsplit(".", 1)[-1]
    started = cdrmod.parse_iso(started_raw)
    direction = cdr.get("direction") if cdr.get("direction") in ev.DIRECTIONS else "internal"
    trunk = str(cdr.get("trunk_id") or "")
    caller, callee = str(cdr.get("caller") or "anonymous")[:64], str(cdr.get("callee") or "unknown")[:64]
    legs = (
        ev.Leg("a", caller, callee, str(direction), trunk if direction == KIND_INBOUND else ""),
        ev.Leg(
            "b",
            caller,
            callee,
            "outbound" if direction == KIND_OUTBOUND else "internal",
            trunk if direction == KIND_OUTBOUND else "",
        ),
    )
    return ev.CallEvent(
        id=new_event_id(),
        kind=ev.RECORDING_READY,
        tenant_id=str(tenant_id),
        call_id=str(call_id)[: ev.MAX_CALL_ID],
        edge_id=edge_id,
        occurred_at=cdrmod.iso(at),
        started_at=cdrmod.iso(started),
        legs=legs,
        answered_at=cdr.get("answered_at") or None,
        ended_at=cdr.get("ended_at") or cdrmod.iso(at),
        recording_key=cdrmod.recording_key(str(tenant_id), str(call_id), started, fmt),
        recording_format=fmt,
        recording_bytes=int(cdr.get("recording_bytes") or 0),
        worker_id=str(cdr.get("worker_id") or ""),
    )
