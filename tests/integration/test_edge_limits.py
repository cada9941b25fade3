"""F11: the concurrent-call limit of the tenant's plan counts every active call (internal,
outbound and inbound), refuses the call over the limit with 503 and a reason, returns to
zero after hang-ups and after a worker crash, and holds across two edge nodes serving one
tenant (Kamailio DMQ replication of the dialog profiles)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.procs import LOCALHOST, free_port
from pbx_core.snapshot import NumberConfig, TrunkConfig
from tests.harness.kamailio import EdgeNode, edge_node, snapshot, tenant
from tests.harness.sipp import SippRun, header, register_phone, run_sipp, start_sipp

pytestmark = pytest.mark.integration

A = "acme.test"
PW = {"100": "acme-secret-100", "101": "acme-secret-101", "102": "acme-secret-102", "103": "acme-secret-103"}
DID = "02873001234"


def _snap(sbc_port: int, carrier_port: int, limit: int = 2):  # type: ignore[no-untyped-def]
    acme = tenant(
        "acme",
        A,
        PW,
        max_calls=limit,
        default_caller_id=DID,
        trunks={"vt": TrunkConfig("vt", "Viettel", LOCALHOST, sbc_port, ips=(f"{LOCALHOST}:{carrier_port}",))},
        numbers={DID: NumberConfig(DID, "fixed", "vt", "103")},
    )
    return snapshot(1, [acme])


class Calls:
    """Background SIPp runs of a test, stopped at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.runs: list[SippRun] = []

    def start(self, node: EdgeNode, scenario: str, **kw: object) -> SippRun:
        run = start_sipp(scenario, node.target, self.tmp, **kw)  # type: ignore[arg-type]
        self.runs.append(run)
        time.sleep(0.3)
        return run

    def phone(self, node: EdgeNode, user: str) -> SippRun:
        port = free_port()
        r = register_phone(node.target, self.tmp, user, A, PW[user], port)
        assert r.ok, node.why(r)
        return self.start(node, "uas.xml", local_port=port, timeout_s=120)

    def call(self, node: EdgeNode, caller: str, dialled: str, hold_ms: int) -> SippRun:
        return self.start(
            node,
            "uac_call_auth.xml",
            rows=[[caller, A, PW[caller], dialled, A]],
            params={"HOLD_MS": hold_ms, "PRELOADED_ROUTE": ""},
            timeout_s=hold_ms / 1000 + 30,
        )

    def stop(self) -> None:
        for r in self.runs:
            r.stop()


@pytest.fixture
def calls(tmp_path: Path) -> Iterator[Calls]:
    c = Calls(tmp_path)
    try:
        yield c
    finally:
        c.stop()


def refused(node: EdgeNode, tmp: Path, caller: str, dialled: str) -> None:
    r = run_sipp(
        "uac_invite_auth.xml", node.target, tmp, rows=[[caller, A, PW[caller], dialled, A]], params={"FINAL": 503}
    )
    assert r.ok, node.why(r)
    final = r.received()[-1]
    assert final.startswith("SIP/2.0 503 Concurrent call limit reached"), final
    assert header(final, "X-PBX-Reason") == ["call_limit"]


def test_limit_counts_internal_outbound_and_inbound_calls(tmp_path: Path, calls: Calls) -> None:
    sbc_port, carrier_port = free_port(), free_port()
    with edge_node(tmp_path, _snap(sbc_port, carrier_port)) as node:
        callee = calls.phone(node, "101")
        sbc = calls.start(node, "carrier_uas.xml", local_port=sbc_port, timeout_s=60)
        internal = calls.call(node, "100", "101", hold_ms=6000)
        outbound = calls.call(node, "102", "0912345678", hold_ms=6000)
        assert node.wait_calls("acme", 2, timeout=10) == 2, node.why()
        refused(node, tmp_path, "103", "100")  # a third internal call
        refused(node, tmp_path, "103", "0987654321")  # a third outbound call
        inbound = run_sipp(  # a third, inbound call: the carrier hears 503 too
            "carrier_uac_reject.xml",
            node.target,
            tmp_path,
            rows=[[DID, "0912345678"]],
            params={"FINAL": 503},
            local_port=carrier_port,
        )
        assert inbound.ok, node.why(inbound)
        assert header(inbound.received()[-1], "X-PBX-Reason") == ["call_limit"]
        for run in (internal, outbound, callee, sbc):
            r = run.result()
            assert r.ok, node.why(r)
        assert node.wait_calls("acme", 0) == 0
        # and once the calls are over, the tenant may call again
        callee2 = calls.phone(node, "101")
        again = calls.call(node, "103", "101", hold_ms=300)
        assert again.result().ok and callee2.result().ok, node.why()
        assert node.wait_calls("acme", 0) == 0


def test_worker_crash_releases_its_calls_and_live_calls_survive_the_keepalive(tmp_path: Path, calls: Calls) -> None:
    """Two workers, one call on each; kill -9 of one worker in the middle of its call: the
    edge's in-dialog keepalive (OPTIONS every 30 s, Kamailio's minimum) finds it dead and
    ends that call (both phones get a BYE, the count drops to 1), while the call on the live
    worker answers the same keepalives and goes on."""
    with edge_node(tmp_path, _snap(free_port(), free_port()), workers=2, dialog_ka_timer=2) as node:
        callee1, callee2 = calls.phone(node, "101"), calls.phone(node, "102")
        caller1 = calls.call(node, "100", "101", hold_ms=120_000)
        assert node.wait_calls("acme", 1, timeout=10) == 1, node.why()
        caller2 = calls.call(node, "103", "102", hold_ms=120_000)
        assert node.wait_calls("acme", 2, timeout=10) == 2, node.why()
        time.sleep(1.0)
        call1 = call_id_of(caller1)
        carrier_of_1 = [w for w in node.workers if call1 in w.log_path.read_text()]
        assert len(carrier_of_1) == 1, node.why()
        survivor = next(w for w in node.workers if w is not carrier_of_1[0])
        assert call_id_of(caller2) in survivor.log_path.read_text(), "both calls on one worker"
        carrier_of_1[0].kill9()
        t0 = time.monotonic()
        assert node.wait_calls("acme", 1, timeout=75) == 1, node.why()
        print(f"count released {time.monotonic() - t0:.1f} s after the worker crash")
        for run in (caller1, callee1):
            run.stop()
            assert run.result(wait=5).received_requests("BYE"), node.why(run.result(wait=1))
        time.sleep(3.0)
        assert node.calls("acme") == 1  # the live worker's call is still up after >30 s
        for run in (caller2, callee2):
            run.stop()
            assert not run.result(wait=5).received_requests("BYE"), "the live call was ended"


def call_id_of(run: SippRun) -> str:
    """The Call-ID of a running UAC (from its message trace)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if run.messages_path.exists():
            for line in run.messages_path.read_text(errors="replace").splitlines():
                if line.lower().startswith("call-id:"):
                    return line.split(":", 1)[1].strip()
        time.sleep(0.1)
    raise AssertionError(f"no Call-ID in {run.messages_path}")


def test_limit_holds_across_two_edge_nodes_with_dmq(tmp_path: Path, calls: Calls) -> None:
    """Two Kamailio nodes (each with its own worker) serve one tenant with a limit of 2
    and replicate their dialog profiles over DMQ: one call through A and one through B
    fill the limit on both; a third call is refused by either node; after the hang-ups
    both count 0."""
    port_a, port_b = free_port(), free_port()
    snap = _snap(free_port(), free_port())
    with (
        edge_node(tmp_path, snap, name="edge-a", port=port_a, dmq_peers=[(LOCALHOST, port_b)]) as a,
        edge_node(tmp_path, snap, name="edge-b", port=port_b, dmq_peers=[(LOCALHOST, port_a)]) as b,
    ):
        wait_dmq_peers(a, b)
        callee_a, callee_b = calls.phone(a, "101"), calls.phone(b, "102")
        via_a = calls.call(a, "100", "101", hold_ms=8000)
        assert a.wait_calls("acme", 1, timeout=10) == 1, a.why()
        assert b.wait_calls("acme", 1) == 1, b.why()  # B counts A's call
        via_b = calls.call(b, "103", "102", hold_ms=8000)
        assert b.wait_calls("acme", 2, timeout=10) == 2, b.why()
        assert a.wait_calls("acme", 2) == 2, a.why()  # and A counts B's
        refused(a, tmp_path, "103", "100")
        refused(b, tmp_path, "100", "103")
        for run, node in ((via_a, a), (via_b, b), (callee_a, a), (callee_b, b)):
            r = run.result()
            assert r.ok, node.why(r)
        assert a.wait_calls("acme", 0) == 0 and b.wait_calls("acme", 0) == 0, a.why() + b.why()


def wait_dmq_peers(*nodes: EdgeNode, timeout: float = 20.0) -> None:
    """Until every node lists every other one as an active DMQ node."""
    deadline = time.monotonic() + timeout
    for node in nodes:
        others = [f"port: {n.port}" for n in nodes if n is not node]
        while True:
            out = node.kamailio.kamcmd("dmq.list_nodes")
            if all(o in out for o in others) and out.count("status: active") >= len(nodes):
                break
            assert time.monotonic() < deadline, out
            time.sleep(0.3)
