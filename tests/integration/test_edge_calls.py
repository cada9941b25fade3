"""F1 extension to extension and F6 branch to branch, end to end: Kamailio + the KEMI
script + a real pjsua2 media worker, with SIPp playing the phones. Each outcome is
checked on the caller's SIP answer, the tenant's call count (back to 0) and the CDR the
worker spools (disposition, direction, SIP code)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.procs import free_port
from pbx_core.snapshot import BranchConfig
from tests.harness.kamailio import EdgeNode, edge_node, snapshot, tenant
from tests.harness.sipp import SippRun, call_id, header, register_phone, run_sipp, start_sipp

pytestmark = pytest.mark.integration

A, B = "acme.test", "other.test"
PW = {"100": "acme-secret-100", "101": "acme-secret-101", "201": "acme-secret-201", "202": "acme-secret-202"}
PW_B = {"101": "other-secret-101"}
RING_TIMEOUT = 4.0


def _snap():  # type: ignore[no-untyped-def]
    acme = tenant(
        "acme",
        A,
        PW,
        branches={"hn": BranchConfig("hn", "Ha Noi", "8"), "sg": BranchConfig("sg", "Sai Gon", "9")},
        ext_settings={"201": {"branch_id": "sg"}, "202": {"branch_id": "sg"}, "100": {"branch_id": "hn"}},
    )
    return snapshot(1, [acme, tenant("other", B, PW_B)])


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EdgeNode]:
    with edge_node(tmp_path_factory.mktemp("calls"), _snap(), ring_timeout=RING_TIMEOUT) as n:
        yield n


class Phones:
    """Registered SIPp phones of one test (background UAS runs stopped at the end)."""

    def __init__(self, node: EdgeNode, tmp: Path) -> None:
        self.node, self.tmp = node, tmp
        self.runs: list[SippRun] = []
        self.registered: list[tuple[str, str, int]] = []

    def register(self, user: str, domain: str = A) -> int:
        port = free_port()
        pw = (PW if domain == A else PW_B)[user]
        r = register_phone(self.node.target, self.tmp, user, domain, pw, port)
        assert r.ok, self.node.why(r)
        self.registered.append((user, domain, port))
        return port

    def answer(self, port: int, scenario: str = "uas.xml", **kw: object) -> SippRun:
        run = start_sipp(scenario, self.node.target, self.tmp, local_port=port, **kw)  # type: ignore[arg-type]
        self.runs.append(run)
        time.sleep(0.3)  # let SIPp bind its port
        return run

    def stop(self) -> None:
        """Stop the phones and remove their registrations (the next test starts clean)."""
        for r in self.runs:
            r.stop()
        for user, domain, port in self.registered:
            pw = (PW if domain == A else PW_B)[user]
            register_phone(self.node.target, self.tmp, user, domain, pw, port, expires=0)


@pytest.fixture
def phones(node: EdgeNode, tmp_path: Path) -> Iterator[Phones]:
    p = Phones(node, tmp_path)
    try:
        yield p
    finally:
        p.stop()


def call(node: EdgeNode, tmp: Path, caller: str, dialled: str, *, final: int | None = None, **kw: object):  # type: ignore[no-untyped-def]
    row = [[caller, A, PW[caller], dialled, A]]
    if final is None:
        return run_sipp(
            "uac_call_auth.xml", node.target, tmp, rows=row, params={"HOLD_MS": 1500, "PRELOADED_ROUTE": ""}, **kw
        )  # type: ignore[arg-type]
    return run_sipp("phone_call_fail.xml", node.target, tmp, rows=row, params={"FINAL": final}, **kw)  # type: ignore[arg-type]


def test_answered_call_rings_then_connects_and_is_billed_as_answered(
    node: EdgeNode, phones: Phones, tmp_path: Path
) -> None:
    port = phones.register("101")
    callee = phones.answer(port)
    r = call(node, tmp_path, "100", "101")
    w = callee.result()
    assert r.ok and w.ok, node.why(r, w)
    codes = r.received_codes()
    assert 180 in codes and codes.index(180) < codes.index(200)  # ringing before the answer
    invite = w.received_requests("INVITE")[0]
    assert header(invite, "From")[0].startswith('"Ext 100" <sip:100@acme.test>')
    cdr = node.wait_cdr(call_id(r))
    assert (cdr["disposition"], cdr["direction"], cdr["caller"], cdr["callee"]) == (
        "answered",
        "internal",
        "100",
        "101",
    )
    assert cdr["sip_code"] == 200 and cdr["duration_s"] > 1.0
    assert node.wait_calls("acme", 0) == 0


def test_busy_callee_gives_486_and_a_busy_cdr(node: EdgeNode, phones: Phones, tmp_path: Path) -> None:
    port = phones.register("101")
    callee = phones.answer(port, "phone_uas_reject.xml", params={"CODE": 486, "REASON": "Busy Here", "RING_MS": 300})
    r = call(node, tmp_path, "100", "101", final=486)
    w = callee.result()
    assert r.ok and w.ok, node.why(r, w)
    cdr = node.wait_cdr(call_id(r))
    assert (cdr["disposition"], cdr["sip_code"], cdr["answered_at"]) == ("busy", 486, None)
    assert node.wait_calls("acme", 0) == 0


def test_declined_call_gives_a_rejected_cdr(node: EdgeNode, phones: Phones, tmp_path: Path) -> None:
    port = phones.register("101")
    callee = phones.answer(port, "phone_uas_reject.xml", params={"CODE": 603, "REASON": "Decline", "RING_MS": 100})
    r = call(node, tmp_path, "100", "101", final=603)
    assert r.ok and callee.result().ok, node.why(r)
    assert node.wait_cdr(call_id(r))["disposition"] == "rejected"


def test_no_answer_ends_after_the_ring_timeout_with_480(node: EdgeNode, phones: Phones, tmp_path: Path) -> None:
    port = phones.register("101")
    callee = phones.answer(port, "phone_uas_noanswer.xml")
    r = call(node, tmp_path, "100", "101", final=480, timeout_s=RING_TIMEOUT + 15)
    w = callee.result()
    assert r.ok and w.ok, node.why(r, w)
    assert w.received_requests("CANCEL"), "the ringing phone was not cancelled"
    cdr = node.wait_cdr(call_id(r))
    assert (cdr["disposition"], cdr["hangup_side"]) == ("no_answer", "system")
    assert node.wait_calls("acme", 0) == 0


def test_unregistered_callee_gives_480_and_unavailable(node: EdgeNode, phones: Phones, tmp_path: Path) -> None:
    r = call(node, tmp_path, "100", "101", final=480)
    assert r.ok, node.why(r)
    cdr = node.wait_cdr(call_id(r))
    assert (cdr["disposition"], cdr["sip_code"]) == ("unavailable", 480)
    assert node.wait_calls("acme", 0) == 0


def test_caller_hangs_up_while_ringing_gives_cancelled(node: EdgeNode, phones: Phones, tmp_path: Path) -> None:
    port = phones.register("101")
    callee = phones.answer(port, "phone_uas_noanswer.xml")
    r = run_sipp(
        "phone_call_cancel.xml",
        node.target,
        tmp_path,
        rows=[["100", A, PW["100"], "101", A]],
        params={"RING_MS": 800},
    )
    w = callee.result()
    assert r.ok and w.ok, node.why(r, w)
    cdr = node.wait_cdr(call_id(r))
    assert (cdr["disposition"], cdr["hangup_side"]) == ("cancelled", "caller")
    assert node.wait_calls("acme", 0) == 0


def test_unknown_extension_is_404_before_any_worker(node: EdgeNode, phones: Phones, tmp_path: Path) -> None:
    r = run_sipp(
        "uac_invite_auth.xml", node.target, tmp_path, rows=[["100", A, PW["100"], "555", A]], params={"FINAL": 404}
    )
    assert r.ok, node.why(r)
    assert header(r.received()[-1], "X-PBX-Reason") == ["no_such_number"]


# --- F6 branch to branch ----------------------------------------------------------------


def test_branch_short_number_reaches_the_extension_of_that_branch(
    node: EdgeNode, phones: Phones, tmp_path: Path
) -> None:
    port = phones.register("201")
    callee = phones.answer(port)
    r = call(node, tmp_path, "100", "9201")  # Sai Gon prefix 9 + 201, from Ha Noi
    w = callee.result()
    assert r.ok and w.ok, node.why(r, w)
    invite = w.received_requests("INVITE")[0]
    assert invite.startswith("INVITE sip:201@")
    cdr = node.wait_cdr(call_id(r))
    assert (cdr["callee"], cdr["direction"], cdr["disposition"]) == ("201", "internal", "answered")


def test_branch_prefix_with_an_extension_of_another_branch_is_404(node: EdgeNode, tmp_path: Path) -> None:
    r = run_sipp(  # 8 = Ha Noi, but 201 is in Sai Gon
        "uac_invite_auth.xml", node.target, tmp_path, rows=[["100", A, PW["100"], "8201", A]], params={"FINAL": 404}
    )
    assert r.ok, node.why(r)


@pytest.mark.parametrize("dialled", ["101@other.test", "9101@other.test"])
def test_another_tenant_is_never_reachable(node: EdgeNode, phones: Phones, tmp_path: Path, dialled: str) -> None:
    port = phones.register("101", B)
    other = phones.answer(port)
    user, domain = dialled.split("@")
    r = run_sipp(
        "uac_invite_auth.xml", node.target, tmp_path, rows=[["100", A, PW["100"], user, domain]], params={"FINAL": 403}
    )
    assert r.ok, node.why(r)
    assert header(r.received()[-1], "X-PBX-Reason") == ["cross_tenant"]
    other.stop()
    assert other.result(wait=5).received_requests("INVITE") == []
