"""The media worker's call-center queues (issue 16): one ``pbx_core.acd.Acd`` per tenant,
configured from the edge's snapshot file (the agent writes it; reloaded here when it
changes, so a new queue, a member or an agent's login/pause reaches the line within the
agent's sync interval), and the queue log written to the spool's ``queue-events`` folder
(the edge agent posts it to ``POST /edge/v1/queue-events``).

The engine decides; ``media_worker`` carries the decisions out (rings agents, cancels,
overflows, dials callbacks). This module only keeps the engines and routes their ``Log``
actions to the writer, so the worker sees the actions it must act on.

Every queue caller of an edge goes to the same worker (kemi_scripts.invite, dispatcher's
first live worker): one line per queue, one place deciding its offers. An agent's calls on
another worker are not seen here; an offer to an agent busy there is answered busy by the
phone (or rings as a second call) and counts as not answered (see docs/call-center.md).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from edge_node import live
from pbx_core import acd
from pbx_core import snapshot as snapmod
from pbx_core.errors import ValidationError
from pbx_core.snapshot import TenantConfig

log = logging.getLogger("probox.worker.queues")


class QueueRunner:
    def __init__(self, snapshot_path: Path | None, writer: live.EventWriter | None, seed: int = 0) -> None:
        self.path = snapshot_path
        self.writer = writer
        self.seed = seed
        self.engines: dict[str, acd.Acd] = {}
        self.tenants: dict[str, TenantConfig] = {}
        self._stamp: tuple[int, int] | None = None

    def refresh(self, now: float) -> list[tuple[str, acd.Action]]:
        """Reload the snapshot if its file changed; the engines' actions (overflows of a
        removed queue, offers to an agent who just logged in...) for the worker."""
        if self.path is None:
            return []
        try:
            st = os.stat(self.path)
        except OSError:
            return []
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp == self._stamp:
            return []
        try:
            snap = snapmod.from_json(self.path.read_bytes())
        except (OSError, ValidationError) as exc:
            log.error("snapshot unreadable, queues keep the last one: %s", exc)
            return []
        self._stamp = stamp
        return self.configure(snap.tenants.values(), now)

    def configure(self, tenants: Iterable[TenantConfig], now: float) -> list[tuple[str, acd.Action]]:
        out: list[tuple[str, acd.Action]] = []
        seen = set()
        for t in tenants:
            seen.add(t.id)
            self.tenants[t.id] = t
            engine = self.engines.get(t.id)
            if engine is None:
                if t.queues:  # the engine starts from the snapshot's statuses, without events
                    self.engines[t.id] = acd.Acd(t.id, t.queues, t.agents, seed=self.seed)
                continue
            out += [(t.id, a) for a in self.run(t.id, engine.configure(t.queues, t.agents, now))]
        for tid in [t for t in self.tenants if t not in seen]:  # a tenant that left this edge
            self.tenants.pop(tid, None)
            engine = self.engines.get(tid)
            if engine is not None:
                out += [(tid, a) for a in self.run(tid, engine.configure({}, {}, now))]
        return out

    def engine(self, tenant_id: str) -> acd.Acd | None:
        return self.engines.get(tenant_id)

    def run(self, tenant_id: str, actions: list[acd.Action]) -> list[acd.Action]:
        """Write the ``Log`` actions to the queue log; the rest is for the worker."""
        rest: list[acd.Action] = []
        for a in actions:
            if isinstance(a, acd.Log):
                if self.writer is not None:
                    self.writer.emit(a.event)
                log.info(
                    "queue event",
                    extra={
                        "tenant_id": tenant_id,
                        "queue_id": a.event.queue_id,
                        "call_id": a.event.call_id,
                        "kind": a.event.kind,
                        "agent": a.event.agent,
                    },
                )
            else:
                rest.append(a)
        return rest

    def tick(self, now: float) -> list[tuple[str, acd.Action]]:
        out: list[tuple[str, acd.Action]] = []
        for tid, engine in self.engines.items():
            out += [(tid, a) for a in self.run(tid, engine.tick(now))]
        return out

    def is_member(self, tenant_id: str, extension: str) -> bool:
        t = self.tenants.get(tenant_id)
        return t is not None and any(m.extension == extension for q in t.queues.values() for m in q.members)
