"""Carrier trunks: which sources are a trunk's, and the carriers' registrations.

Source matching: an INVITE from one of a trunk's addresses (``routing.trunk_sources``) may
be a carrier's call (IP-authenticated, no digest). ``TrunkSources`` remembers the answer
per source address for the snapshot it was computed with.

Registrations: the rtimer process (``ksr_trunk_sync`` of the entry module) keeps uac_reg's
records equal to the snapshot's registration trunks, through jsonrpcs RPC commands
(``uac.reg_add`` / ``uac.reg_remove`` / ``uac.reg_unregister``); the records it added are
the caller's ``registrations`` dict (that process's state, held by the router).
"""

from __future__ import annotations

import json
from typing import Protocol

import KSR  # provided by app_python3; a fake in unit tests

from kemi_scripts.common import log
from pbx_core import routing
from pbx_core.snapshot import Snapshot

MAX_REMEMBERED_SOURCES = 4096  # bounded: many sources only cost the lookups again


class Source(Protocol):
    """Where a request comes from (``common.Req``)."""

    @property
    def si(self) -> str: ...

    @property
    def sp(self) -> int: ...


class TrunkSources:
    """Is a request's source one of a trunk's addresses? Remembered per snapshot (one
    per Kamailio process): phones send from few addresses, and routing.trunk_sources
    parses the address."""

    __slots__ = ("memo", "snapshot")

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None  # the snapshot ``memo`` was computed with
        self.memo: dict[tuple[str, int], bool] = {}  # (ip, port) -> from a trunk's address?

    def from_trunk_address(self, snap: Snapshot, req: Source) -> bool:
        memo = self.memo
        if self.snapshot is not snap:
            memo = self.memo = {}
            self.snapshot = snap
        key = (req.si, req.sp)
        found = memo.get(key)
        if found is None:
            if len(memo) >= MAX_REMEMBERED_SOURCES:
                memo.clear()
            found = memo[key] = bool(routing.trunk_sources(snap, *key))
        return found


def rpc(method: str, params: list[str | int]) -> tuple[int, str]:
    """A Kamailio RPC command through jsonrpcs (the code and the JSON body of its answer)."""
    KSR.jsonrpcs.exec(json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": 1}))
    code = KSR.pv.get("$jsonrpl(code)")
    body = KSR.pv.gete("$jsonrpl(body)")
    return (int(code) if code is not None else 0), str(body)


def sync_registrations(registrations: dict[str, routing.Registration], wanted_list: list[routing.Registration]) -> None:
    """Make uac_reg's records (``registrations``: those added so far, updated here) the
    ``wanted_list``; a failed add is retried at the next sync."""
    wanted = {r.uuid: r for r in wanted_list}
    for uuid in sorted(set(registrations) - set(wanted)):
        rpc("uac.reg_unregister", ["l_uuid", uuid])
        rpc("uac.reg_remove", [uuid])
        del registrations[uuid]
        log("info", "trunk_registration_removed", uuid=uuid)
    for uuid, reg in wanted.items():
        if registrations.get(uuid) == reg:
            continue
        if uuid in registrations:
            rpc("uac.reg_remove", [uuid])
            del registrations[uuid]
        params: list[str | int] = [
            *(reg.uuid, reg.username, reg.domain, reg.username, reg.domain, ""),  # l_*, r_*, any realm
            *(reg.username, reg.password, ".", reg.proxy, reg.expires, 0, 0, ".", "."),
        ]
        code, body = rpc("uac.reg_add", params)
        if code == 200:
            registrations[uuid] = reg
            log("info", "trunk_registration_added", uuid=uuid, registrar=reg.domain, user=reg.username)
        else:
            log("error", "trunk_registration_failed", uuid=uuid, code=code, detail=body[:300])
