"""F2 (calls to and from the public network through carrier trunks), S4 (Vietnam only,
1900 opt-in, emergency always) and F10 (block lists), end to end: Kamailio + the KEMI
script + a real pjsua2 media worker, SIPp as the phones and as the carrier (its SBC that
receives our calls and checks Request-URI, caller id and digest; its registrar; its
side that delivers calls to our DIDs)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from infra.procs import LOCALHOST, free_port
from pbx_core.snapshot import BlockRule, NumberConfig, OutboundPolicy, TrunkConfig
from tests.harness.kamailio import EdgeNode, edge_node, snapshot, tenant
from tests.harness.sipp import SippResult, SippRun, call_id, header, register_phone, run_sipp, start_sipp

pytestmark = pytest.mark.integration

A = "acme.test"
PW = {"100": "acme-secret-100", "101": "acme-secret-101", "102": "acme-secret-102", "109": "acme-secret-109"}
DID_MAIN = "02873001234"  # fixed line on the IP trunk
DID_SALES = "02473005678"  # fixed line on the registration trunk
DID_FREE = "18001234"  # toll-free on the IP trunk
DID_PREMIUM = "19005678"  # premium-rate on the IP trunk
TRUNK_USER, TRUNK_PASSWORD = "acme-vnpt", "carrier-Secret-77"


@dataclass
class Carrier:
    sbc_port: int  # IP trunk: receives our calls
    inbound_port: int  # IP trunk: the address it delivers calls from
    registrar_port: int  # registration trunk: registrar and SBC


def _snap(c: Carrier, held: dict[str, dict[str, str | int]] | None = None, **policy: bool):  # type: ignore[no-untyped-def]
    acme = tenant(
        "acme",
        A,
        PW,
        max_calls=10,
        default_caller_id=DID_MAIN,
        ext_settings={"101": {"caller_id": DID_SALES}, "109": {"outbound": "internal_only"}, **(held or {})},  # type: ignore[dict-item]
        outbound_policy=OutboundPolicy(**policy),
        trunks={
            "viettel": TrunkConfig(
                "viettel", "Viettel IP", LOCALHOST, c.sbc_port, ips=(f"{LOCALHOST}:{c.inbound_port}",)
            ),
            "vnpt": TrunkConfig(
                "vnpt",
                "VNPT reg",
                LOCALHOST,
                c.registrar_port,
                auth="register",
                username=TRUNK_USER,
                password=TRUNK_PASSWORD,
            ),
        },
        numbers={
            DID_MAIN: NumberConfig(DID_MAIN, "fixed", "viettel", "101"),
            DID_FREE: NumberConfig(DID_FREE, "tollfree", "viettel", "102"),
            DID_PREMIUM: NumberConfig(DID_PREMIUM, "premium", "viettel", "101"),
            DID_SALES: NumberConfig(DID_SALES, "fixed", "vnpt", "102"),
        },
        blocklist=(
            BlockRule("0987*", "out"),  # a whole range, the whole tenant
            BlockRule("0909000111", "out", extension="100"),  # one number, one extension
            BlockRule("0911222333", "in"),  # a nuisance caller
            BlockRule("0933444555", "in", extension="102"),  # only towards 102
        ),
    )
    return snapshot(1, [acme])


@pytest.fixture(scope="module")
def carrier() -> Carrier:
    return Carrier(free_port(), free_port(), free_port())


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory, carrier: Carrier) -> Iterator[EdgeNode]:
    with edge_node(
        tmp_path_factory.mktemp("trunks"),
        _snap(carrier),
        ring_timeout=10.0,
        reg_timer_interval=1,
        trunk_sync_interval=1,
    ) as n:
        yield n


@pytest.fixture
def background(tmp_path: Path) -> Iterator[list[SippRun]]:
    runs: list[SippRun] = []
    yield runs
    for r in runs:
        r.stop()


def start(node: EdgeNode, runs: list[SippRun], tmp: Path, scenario: str, port: int, **kw: object) -> SippRun:
    run = start_sipp(scenario, node.target, tmp, local_port=port, **kw)  # type: ignore[arg-type]
    runs.append(run)
    time.sleep(0.3)
    return run


def phone_call(node: EdgeNode, tmp: Path, caller: str, dialled: str, final: int | None = None) -> SippResult:
    row = [[caller, A, PW[caller], dialled, A]]
    if final is None:
        params: dict[str, str | int] = {"HOLD_MS": 1000, "PRELOADED_ROUTE": ""}
        return run_sipp("uac_call_auth.xml", node.target, tmp, rows=row, params=params, timeout_s=20)
    return run_sipp("phone_call_fail.xml", node.target, tmp, rows=row, params={"FINAL": final}, timeout_s=20)


def uri_of(value: str) -> str:
    """The URI of a From/To header value (with or without <>, without parameters)."""
    if "<" in value:
        return value.split("<", 1)[1].split(">", 1)[0]
    return value.split(";", 1)[0].strip()


def rejected_by_edge(node: EdgeNode, tmp: Path, caller: str, dialled: str, code: int, slug: str) -> None:
    r = run_sipp(
        "uac_invite_auth.xml", node.target, tmp, rows=[[caller, A, PW[caller], dialled, A]], params={"FINAL": code}
    )
    assert r.ok, node.why(r)
    assert header(r.received()[-1], "X-PBX-Reason") == [slug], r.received()[-1]


# --- F2 out ---------------------------------------------------------------------------


def test_outbound_call_leaves_through_the_trunk_with_the_tenants_did(
    node: EdgeNode, carrier: Carrier, background: list[SippRun], tmp_path: Path
) -> None:
    sbc = start(node, background, tmp_path, "carrier_uas.xml", carrier.sbc_port)
    r = phone_call(node, tmp_path, "100", "+84912345678")
    s = sbc.result()
    assert r.ok and s.ok, node.why(r, s)
    invite = s.received_requests("INVITE")[0]
    # national format towards the carrier, the tenant's default DID as caller id
    assert invite.startswith(f"INVITE sip:0912345678@{LOCALHOST}:{carrier.sbc_port} SIP/2.0"), invite
    assert uri_of(header(invite, "From")[0]) == f"sip:{DID_MAIN}@{LOCALHOST}:{carrier.sbc_port}"
    assert header(invite, "P-Asserted-Identity") == [f"<sip:{DID_MAIN}@{LOCALHOST}:{carrier.sbc_port}>"]
    assert uri_of(header(invite, "To")[0]) == f"sip:0912345678@{LOCALHOST}:{carrier.sbc_port}"
    for m in s.received():
        assert "x-pbx-" not in m.lower() and A not in m, m  # nothing internal leaks to the carrier
    assert s.received_requests("ACK") and s.received_requests("BYE")
    cdr = node.wait_cdr(call_id(r))
    assert (cdr["direction"], cdr["caller"], cdr["callee"], cdr["disposition"]) == (
        "outbound",
        "100",
        "0912345678",
        "answered",
    )
    # the CDR keeps what was dialled, the trunk and the DID shown (issue 5 fields)
    assert (cdr["dialled"], cdr["did"]) == ("+84912345678", DID_MAIN) and cdr["trunk_id"]
    assert cdr["billable_s"] >= 1  # external talk time is billed per started second
    assert node.wait_calls("acme", 0) == 0


def test_registration_trunk_registers_and_answers_the_carriers_challenge(
    node: EdgeNode, carrier: Carrier, background: list[SippRun], tmp_path: Path
) -> None:
    """The edge registers the trunk with its carrier (digest checked by the registrar),
    then an outbound call through it is challenged (401) and answered once with the
    trunk's credentials; the ACK and BYE that follow use the raised CSeq."""
    registrar = start(
        node,
        background,
        tmp_path,
        "carrier_registrar.xml",
        carrier.registrar_port,
        params={"USER": TRUNK_USER, "PASSWORD": TRUNK_PASSWORD, "EXPIRES": 300},
    )
    reg = registrar.result(wait=30)
    assert reg.ok, node.why(reg)
    register = reg.received_requests("REGISTER")[-1]
    assert register.startswith(f"REGISTER sip:{LOCALHOST}:{carrier.registrar_port} SIP/2.0")
    assert f"<sip:acme.vnpt@{LOCALHOST}:{node.port}>" in header(register, "Contact")[0]
    deadline = time.monotonic() + 10
    while "flags: 20" not in (info := node.kamailio.kamcmd("uac.reg_info", "l_uuid", "acme.vnpt")):
        assert time.monotonic() < deadline, info  # 4 registered + 16 initialized
        time.sleep(0.2)

    sbc = start(
        node,
        background,
        tmp_path,
        "carrier_uas_auth.xml",
        carrier.registrar_port,
        params={"USER": TRUNK_USER, "PASSWORD": TRUNK_PASSWORD},
    )
    r = phone_call(node, tmp_path, "101", "0976543210")  # 101 shows the VNPT DID
    s = sbc.result()
    assert r.ok and s.ok, node.why(r, s)
    first, second = s.received_requests("INVITE")
    assert header(second, "Authorization"), second
    assert uri_of(header(second, "From")[0]) == f"sip:{DID_SALES}@{LOCALHOST}:{carrier.registrar_port}"
    cseq = int(header(second, "CSeq")[0].split()[0])
    assert cseq == int(header(first, "CSeq")[0].split()[0]) + 1
    assert int(header(s.received_requests("ACK")[-1], "CSeq")[0].split()[0]) == cseq
    assert int(header(s.received_requests("BYE")[0], "CSeq")[0].split()[0]) > cseq
    assert node.wait_cdr(call_id(r))["disposition"] == "answered"
    assert node.wait_calls("acme", 0) == 0


# --- S4 -----------------------------------------------------------------------------


@pytest.mark.parametrize("dialled", ["+14155550100", "0033123456789"])
def test_international_is_refused_by_default(node: EdgeNode, tmp_path: Path, dialled: str) -> None:
    rejected_by_edge(node, tmp_path, "100", dialled, 403, "international_blocked")


def test_premium_1900_is_refused_without_the_tenants_opt_in(node: EdgeNode, tmp_path: Path) -> None:
    rejected_by_edge(node, tmp_path, "100", "19001234", 403, "premium_blocked")


def test_premium_1900_goes_out_once_the_tenant_opted_in(
    node: EdgeNode, carrier: Carrier, background: list[SippRun], tmp_path: Path
) -> None:
    node.write(_snap(carrier, premium_1900=True))  # as the edge agent does: a new snapshot
    try:
        sbc = start(node, background, tmp_path, "carrier_uas.xml", carrier.sbc_port)
        r = phone_call(node, tmp_path, "100", "1900.1234")
        s = sbc.result()
        assert r.ok and s.ok, node.why(r, s)
        assert s.received_requests("INVITE")[0].startswith("INVITE sip:19001234@")
        rejected_by_edge(node, tmp_path, "100", "+14155550100", 403, "international_blocked")  # still
    finally:
        node.write(_snap(carrier))


def test_an_extension_the_fraud_guard_holds_calls_colleagues_but_not_out(
    node: EdgeNode, carrier: Carrier, background: list[SippRun], tmp_path: Path
) -> None:
    """Issue 14 item 5: the control plane suspended 100's outside calls (a snapshot hold,
    tests/aws/test_fraud.py); the edge refuses them, its internal call rings 102, and a
    pause ends on the edge's own clock."""
    node.write(_snap(carrier, held={"100": {"outbound_hold": "suspend"}}))
    try:
        rejected_by_edge(node, tmp_path, "100", "0912345678", 403, "fraud_hold")
        rejected_by_edge(node, tmp_path, "100", "19001234", 403, "fraud_hold")
        port = registered(node, tmp_path, "102")
        try:
            phone = start(node, background, tmp_path, "uas.xml", port)
            r = phone_call(node, tmp_path, "100", "102")
            p = phone.result()
            assert r.ok and p.ok, node.why(r, p)
            assert p.received_requests("INVITE")[0].startswith("INVITE sip:102@")
        finally:
            unregister(node, tmp_path, "102", port)
        ended = int(time.time()) - 1  # a pause that is over: the call goes out again
        node.write(_snap(carrier, held={"100": {"outbound_hold": "throttle", "outbound_hold_until": ended}}))
        sbc = start(node, background, tmp_path, "carrier_uas.xml", carrier.sbc_port)
        r = phone_call(node, tmp_path, "100", "0912345678")
        s = sbc.result()
        assert r.ok and s.ok, node.why(r, s)
    finally:
        node.write(_snap(carrier))


def test_internal_only_extension_cannot_call_out(node: EdgeNode, tmp_path: Path) -> None:
    rejected_by_edge(node, tmp_path, "109", "0912345678", 403, "outbound_not_allowed")


def test_emergency_is_always_allowed_even_for_internal_only(
    node: EdgeNode, carrier: Carrier, background: list[SippRun], tmp_path: Path
) -> None:
    sbc = start(node, background, tmp_path, "carrier_uas.xml", carrier.sbc_port)
    r = phone_call(node, tmp_path, "109", "115")
    s = sbc.result()
    assert r.ok and s.ok, node.why(r, s)
    assert s.received_requests("INVITE")[0].startswith(f"INVITE sip:115@{LOCALHOST}:{carrier.sbc_port}")


def test_tollfree_1800_goes_out(node: EdgeNode, carrier: Carrier, background: list[SippRun], tmp_path: Path) -> None:
    sbc = start(node, background, tmp_path, "carrier_uas.xml", carrier.sbc_port)
    r = phone_call(node, tmp_path, "100", "1800-5555")
    s = sbc.result()
    assert r.ok and s.ok, node.why(r, s)
    assert s.received_requests("INVITE")[0].startswith("INVITE sip:18005555@")


# --- F10 outbound -------------------------------------------------------------------------


def test_outbound_blocked_prefix_for_the_tenant(node: EdgeNode, tmp_path: Path) -> None:
    rejected_by_edge(node, tmp_path, "102", "+84987123456", 403, "blocked")


def test_outbound_blocked_number_for_one_extension_only(
    node: EdgeNode, carrier: Carrier, background: list[SippRun], tmp_path: Path
) -> None:
    rejected_by_edge(node, tmp_path, "100", "0909000111", 403, "blocked")
    sbc = start(node, background, tmp_path, "carrier_uas.xml", carrier.sbc_port)
    r = phone_call(node, tmp_path, "102", "0909000111")  # another extension may
    assert r.ok and sbc.result().ok, node.why(r)


# --- F2 in ----------------------------------------------------------------------------


def carrier_call(node: EdgeNode, carrier: Carrier, tmp: Path, did: str, caller: str, final: int | None = None,
                 port: int | None = None) -> SippResult:  # fmt: skip
    row = [[did, caller]]
    src = port or carrier.inbound_port
    if final is None:
        return run_sipp("carrier_uac.xml", node.target, tmp, rows=row, params={"HOLD_MS": 1000}, local_port=src)
    return run_sipp("carrier_uac_reject.xml", node.target, tmp, rows=row, params={"FINAL": final}, local_port=src)


def registered(node: EdgeNode, tmp: Path, user: str) -> int:
    port = free_port()
    r = register_phone(node.target, tmp, user, A, PW[user], port)
    assert r.ok, node.why(r)
    return port


def unregister(node: EdgeNode, tmp: Path, user: str, port: int) -> None:
    register_phone(node.target, tmp, user, A, PW[user], port, expires=0)


@pytest.mark.parametrize(
    ("did", "ext"), [(DID_MAIN, "101"), ("+84" + DID_MAIN[1:], "101"), (DID_FREE, "102"), (DID_PREMIUM, "101")]
)
def test_inbound_call_to_a_did_rings_its_extension(
    node: EdgeNode, carrier: Carrier, background: list[SippRun], tmp_path: Path, did: str, ext: str
) -> None:
    port = registered(node, tmp_path, ext)
    try:
        phone = start(node, background, tmp_path, "uas.xml", port)
        r = carrier_call(node, carrier, tmp_path, did, "84912345678")
        p = phone.result()
        assert r.ok and p.ok, node.why(r, p)
        invite = p.received_requests("INVITE")[0]
        assert invite.startswith(f"INVITE sip:{ext}@")
        assert uri_of(header(invite, "From")[0]) == "sip:0912345678@acme.test"  # the caller, national form
        cdr = node.wait_cdr(call_id(r))
        assert (cdr["direction"], cdr["caller"], cdr["callee"], cdr["disposition"]) == (
            "inbound",
            "0912345678",
            ext,
            "answered",
        )
        assert cdr["did"] == (DID_MAIN if did.startswith("+84") else did)  # national form
        assert cdr["trunk_id"] and cdr["dialled"] == cdr["did"]
        assert node.wait_calls("acme", 0) == 0
    finally:
        unregister(node, tmp_path, ext, port)


def test_unknown_did_is_404(node: EdgeNode, carrier: Carrier, tmp_path: Path) -> None:
    r = carrier_call(node, carrier, tmp_path, "02899999999", "0912345678", final=404)
    assert r.ok, node.why(r)
    assert header(r.received()[-1], "X-PBX-Reason") == ["no_such_number"]


def test_a_source_that_is_not_a_known_trunk_is_challenged_as_a_phone(
    node: EdgeNode, carrier: Carrier, tmp_path: Path
) -> None:
    # not a trunk's address: a phone of an unknown domain, challenged like any (issue 14)
    r = carrier_call(node, carrier, tmp_path, DID_MAIN, "0912345678", final=407, port=free_port())
    assert r.ok, node.why(r)
    assert "unknown_domain" in node.kamailio.tail(100)


# --- F10 inbound --------------------------------------------------------------------------


@pytest.mark.parametrize(("did", "caller"), [(DID_MAIN, "0911222333"), (DID_FREE, "+84933444555")])
def test_blocked_caller_is_refused_before_any_phone_rings(
    node: EdgeNode, carrier: Carrier, background: list[SippRun], tmp_path: Path, did: str, caller: str
) -> None:
    ext = "101" if did == DID_MAIN else "102"
    port = registered(node, tmp_path, ext)
    try:
        phone = start(node, background, tmp_path, "uas.xml", port)
        r = carrier_call(node, carrier, tmp_path, did, caller, final=603)
        assert r.ok, node.why(r)
        assert header(r.received()[-1], "X-PBX-Reason") == ["blocked"]
        phone.stop()
        assert phone.result(wait=5).received_requests("INVITE") == []
        assert node.calls("acme") == 0
    finally:
        unregister(node, tmp_path, ext, port)


def test_extension_block_rule_does_not_block_other_extensions(
    node: EdgeNode, carrier: Carrier, background: list[SippRun], tmp_path: Path
) -> None:
    port = registered(node, tmp_path, "101")
    try:
        phone = start(node, background, tmp_path, "uas.xml", port)
        r = carrier_call(node, carrier, tmp_path, DID_MAIN, "0933444555")  # blocked only towards 102
        assert r.ok and phone.result().ok, node.why(r)
    finally:
        unregister(node, tmp_path, "101", port)
