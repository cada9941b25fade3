"""Real Kamailio + KEMI script with SIPp as phones and as media workers.

Checks the trust boundary (dispatcher set 1 matched on IP *and* port), the headers the
workers receive, the worker leg's From rewrite (uac, restored in the dialog), per-tenant
call counting with the dialog module, relay abuse through forged Route sets, and worker
failover.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from infra.procs import LOCALHOST, free_port, pids_matching, send_udp
from tests.harness.kamailio import KamailioProcess, snapshot, start_kamailio, tenant, write_snapshot
from tests.harness.sipp import SippResult, SippRun, header, run_sipp, start_sipp

pytestmark = pytest.mark.integration

A, B = "tenant-a.test", "tenant-b.test"
PW = {"100": "a-secret-100", "101": "a-secret-101"}


@dataclass
class Edge:
    kamailio: KamailioProcess
    port: int
    tmp: Path
    workers: list[int]  # worker ports (dispatcher set 1)
    background: list[SippRun]

    @property
    def target(self) -> tuple[str, int]:
        return (LOCALHOST, self.port)

    def why(self, *results: SippResult) -> str:
        return "\n".join(r.describe() for r in results) + "\n--- kamailio ---\n" + self.kamailio.tail(80)

    def start(self, scenario: str, **kw: object) -> SippRun:
        run = start_sipp(scenario, self.target, self.tmp, **kw)  # type: ignore[arg-type]
        self.background.append(run)
        time.sleep(0.3)  # let SIPp bind its port
        return run

    def wait_calls(self, tenant_id: str, n: int, timeout: float = 3.0) -> int:
        """Poll the tenant's dialog count until it is ``n`` (or the timeout); the count."""
        deadline = time.monotonic() + timeout
        while (count := self.calls(tenant_id)) != n and time.monotonic() < deadline:
            time.sleep(0.05)
        return count

    def calls(self, tenant_id: str) -> int:
        out = self.kamailio.kamcmd("dlg.profile_get_size", "tenant_calls", tenant_id)
        m = re.search(r"\d+", out)
        assert m, out
        return int(m.group())


@contextlib.contextmanager
def running_edge(tmp_path: Path, *, max_calls: int = 10, workers: int = 1, dead_workers: int = 0) -> Iterator[Edge]:
    snap = tmp_path / "edge" / "snapshot.json"
    write_snapshot(snap, snapshot(1, [tenant("ta", A, PW, max_calls=max_calls), tenant("tb", B, {"200": "b-200"})]))
    live = [free_port() for _ in range(workers)]
    dead = [free_port() for _ in range(dead_workers)]
    k, port = start_kamailio(tmp_path, snap, [(LOCALHOST, p) for p in dead + live])
    edge = Edge(k, port, tmp_path, live, [])
    try:
        yield edge
    finally:
        for run in edge.background:
            run.stop()
        k.stop()
        assert pids_matching(str(k.cfg_path)) == [], "kamailio processes left running"
        for run in edge.background:
            assert not run.proc.alive()


@pytest.fixture
def edge(tmp_path: Path) -> Iterator[Edge]:
    with running_edge(tmp_path) as e:
        yield e


def phone_call(
    edge: Edge, callee: str = "101", hold_ms: int = 300, outbound_proxy: bool = False, **kw: object
) -> SippRun:
    preloaded = f"Route: <sip:{LOCALHOST}:{edge.port};lr>\n      " if outbound_proxy else ""
    params = {"HOLD_MS": hold_ms, "PRELOADED_ROUTE": preloaded}
    return edge.start("uac_call_auth.xml", rows=[["100", A, PW["100"], callee, A]], params=params, **kw)


def test_phone_call_reaches_a_worker_with_the_edges_headers_only(edge: Edge) -> None:
    worker = edge.start("uas.xml", local_port=edge.workers[0], extra=["-aa"])
    call = phone_call(edge, hold_ms=2500)
    active = edge.wait_calls("ta", 1)
    r, w = call.result(), worker.result()
    assert r.ok and w.ok, edge.why(r, w)
    assert r.received_codes()[0] == 407  # a phone with forged worker headers is still a phone
    assert active == 1
    assert edge.wait_calls("ta", 0) == 0  # the BYE ended the dialog
    invite = w.received_requests("INVITE")[0]
    assert header(invite, "X-PBX-Tenant") == ["ta"]
    assert header(invite, "X-PBX-Caller") == ["100"]
    assert header(invite, "X-PBX-Callee") == ["101"]
    assert header(invite, "X-PBX-Kind") == ["internal"]
    assert "forged" not in invite and "999" not in invite
    assert header(invite, "Proxy-Authorization") == []  # consumed by the edge
    assert header(invite, "Record-Route"), invite
    assert w.received_requests("ACK") and w.received_requests("BYE")  # through the edge


def test_phone_with_an_outbound_proxy_route_in_dialog(edge: Edge) -> None:
    """ACK/BYE carrying Route: <edge;lr> in front of the edge's Record-Route loop once
    through the edge and still reach the worker."""
    worker = edge.start("uas.xml", local_port=edge.workers[0], extra=["-aa"])
    r, w = phone_call(edge, outbound_proxy=True).result(), worker.result()
    assert r.ok and w.ok, edge.why(r, w)
    assert w.received_requests("ACK") and w.received_requests("BYE")
    assert edge.wait_calls("ta", 0) == 0


def test_tenant_call_limit_counts_active_calls(tmp_path: Path) -> None:
    with running_edge(tmp_path, max_calls=1) as edge:
        worker = edge.start("uas.xml", local_port=edge.workers[0], extra=["-aa"])
        first = phone_call(edge, hold_ms=3000)
        assert edge.wait_calls("ta", 1) == 1, edge.why()
        second = run_sipp(
            "uac_invite_auth.xml", edge.target, edge.tmp, rows=[["101", A, PW["101"], "100", A]], params={"FINAL": 503}
        )
        assert second.ok, edge.why(second)
        final = next(m for m in second.received() if m.startswith("SIP/2.0 503"))
        assert "Concurrent call limit reached" in final.splitlines()[0]
        assert header(final, "X-PBX-Reason") == ["call_limit"]
        r, w = first.result(), worker.result()
        assert r.ok and w.ok, edge.why(r, w)
        assert edge.wait_calls("ta", 0) == 0


def test_worker_leg_reaches_the_registered_phone_as_the_caller(edge: Edge) -> None:
    phone_port = free_port()
    reg = run_sipp(
        "register.xml",
        edge.target,
        edge.tmp,
        rows=[["101", A, PW["101"]]],
        params={"FINAL": 200, "EXPIRES": 600},
        local_port=phone_port,
    )
    assert reg.ok, edge.why(reg)
    phone = edge.start("uas.xml", local_port=phone_port)
    leg = run_sipp(
        "uac_worker_call.xml",
        edge.target,
        edge.tmp,
        rows=[["101", A, "ta", "100"]],
        params={"HOLD_MS": 300},
        local_port=edge.workers[0],
    )
    p = phone.result()
    assert leg.ok and p.ok, edge.why(leg, p)
    assert 407 not in leg.received_codes()  # a worker is trusted (no auth)
    invite = p.received_requests("INVITE")[0]
    assert invite.startswith(f"INVITE sip:101@127.0.0.1:{phone_port}")
    assert header(invite, "From")[0].startswith('"Ext 100" <sip:100@tenant-a.test>;tag=')
    for request in p.received():
        assert "x-pbx-" not in request.lower(), request  # never shown to a phone
    bye = p.received_requests("BYE")[0]
    assert "<sip:100@tenant-a.test>" in header(bye, "From")[0]  # uac keeps the rewrite in the dialog
    ok = next(m for m in leg.received() if m.startswith("SIP/2.0 200"))
    worker_from = f'"ProBox worker" <sip:worker@127.0.0.1:{edge.workers[0]}>'
    assert header(ok, "From")[0].startswith(worker_from)  # restored towards the worker
    assert header(ok, "X-PBX-Tenant") == []  # the phone's forged header was dropped


def test_worker_leg_to_an_unregistered_phone_is_480(edge: Edge) -> None:
    r = run_sipp(
        "uac_worker_reject.xml",
        edge.target,
        edge.tmp,
        rows=[["101", A, "ta", "100"]],
        params={"FINAL": 480},
        local_port=edge.workers[0],
    )
    assert r.ok, edge.why(r)
    assert header(r.received()[-1], "X-PBX-Reason") == ["not_registered"]


def test_worker_leg_into_another_tenant_is_403(edge: Edge) -> None:
    r = run_sipp(
        "uac_worker_reject.xml",
        edge.target,
        edge.tmp,
        rows=[["200", B, "ta", "100"]],
        params={"FINAL": 403},
        local_port=edge.workers[0],
    )
    assert r.ok, edge.why(r)
    assert header(r.received()[-1], "X-PBX-Reason") == ["cross_tenant"]


def test_same_ip_other_port_is_not_a_worker(edge: Edge) -> None:
    """ds_is_from_list(1) matches the source port too: a phone on the workers' IP that
    sends the workers' headers goes through the phone path (here: unknown From domain)."""
    r = run_sipp(
        "uac_worker_reject.xml",
        edge.target,
        edge.tmp,
        rows=[["101", A, "ta", "100"]],
        params={"FINAL": 407},
        local_port=free_port(),
    )
    assert r.ok, edge.why(r)
    # issue 14: challenged like any phone (the decoy of an unknown domain), no reason told
    assert header(r.received()[-1], "X-PBX-Reason") == []
    assert "unknown_domain" in edge.kamailio.tail(200)


def test_forged_route_set_is_not_relayed(edge: Edge) -> None:
    forged = (
        "INVITE sip:0901234567@127.0.0.1:9 SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:{lport};branch=z9hG4bK-forged1;rport\r\n"
        f"Route: <sip:127.0.0.1:{edge.port};lr>\r\n"
        "Max-Forwards: 70\r\n"
        f"From: <sip:100@{A}>;tag=f1\r\n"
        f"To: <sip:0901234567@{A}>;tag=t1\r\n"
        "Call-ID: forged-1@test\r\n"
        "CSeq: 1 INVITE\r\n"
        "Content-Length: 0\r\n\r\n"
    )
    answer = send_udp(LOCALHOST, edge.port, forged)
    assert answer is not None and answer.startswith(b"SIP/2.0 403"), answer
    assert b"X-PBX-Reason" not in answer  # an unauthenticated request learns nothing (issue 14)
    assert "not_a_worker_dialog" in edge.kamailio.tail(200)


def test_a_dead_worker_is_skipped(tmp_path: Path) -> None:
    with running_edge(tmp_path, workers=1, dead_workers=1) as edge:
        worker = edge.start("uas.xml", local_port=edge.workers[0], extra=["-aa"], calls=2, timeout_s=40)
        for _ in range(2):  # round robin: one of the two calls tries the dead worker first
            r = run_sipp(
                "uac_call_auth.xml",
                edge.target,
                edge.tmp,
                rows=[["100", A, PW["100"], "101", A]],
                params={"HOLD_MS": 100, "PRELOADED_ROUTE": ""},
                timeout_s=20,
            )
            assert r.ok, edge.why(r)
        w = worker.result()
        assert w.ok, edge.why(w)
        assert "worker_timeout_failover" in edge.kamailio.tail(300)
        for invite in w.received_requests("INVITE"):  # the failed-over branch keeps the decision
            assert header(invite, "X-PBX-Tenant") == ["ta"] and header(invite, "Record-Route"), invite
        assert edge.wait_calls("ta", 0) == 0


def test_worker_transfer_leg_replacing_an_unknown_dialog_is_481(edge: Edge) -> None:
    """F3 attended transfer: the edge routes an INVITE with Replaces only to the worker
    holding the named dialog; a dialog it does not know gets 481, not a phone."""
    r = run_sipp(
        "uac_worker_replaces.xml",
        edge.target,
        edge.tmp,
        rows=[["101", A, "ta", "100"]],
        params={"FINAL": 481},
        local_port=edge.workers[0],
    )
    assert r.ok, edge.why(r)
    assert header(r.received()[-1], "X-PBX-Reason") == ["no_such_call"]
