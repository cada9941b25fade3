"""pbx_core.routing decisions, without SIP."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from pbx_core import numbers, routing, sipauth
from pbx_core.routing import Challenge, Reject, ToContact, ToTrunk, ToWorker
from pbx_core.snapshot import (
    BlockRule,
    BranchConfig,
    ExtensionConfig,
    NumberConfig,
    OutboundPolicy,
    TenantConfig,
    TrunkConfig,
    build,
)

pytestmark = pytest.mark.unit

A, B = "tenant-a.test", "tenant-b.test"


def _tenant(tid: str, domain: str, numbers: list[str], **kw: Any) -> TenantConfig:
    exts = {n: ExtensionConfig(n, sipauth.ha1(n, domain, "pw"), f"Ext {n}") for n in numbers}
    return TenantConfig(id=tid, domain=domain, extensions=exts, **kw)


TA = _tenant("ta", A, ["100", "101"], max_concurrent_calls=2, record_calls=False)
TB = _tenant("tb", B, ["100", "200"])
TS = _tenant("ts", "suspended.test", ["300"], status="suspended")
SNAP = build(1, [TA, TB, TS])


def test_register_unknown_domain_is_a_decoy_in_the_domain_asked_for() -> None:
    d = routing.register(SNAP, "Nowhere.test", "100")
    assert d == routing.Decoy("nowhere.test", "unknown_domain", "", "100")
    assert routing.decoy_realm('evil"\r\nX: y.test') == "evilxy.test"


def test_register_suspended_tenant_is_a_decoy_in_its_realm() -> None:
    d = routing.register(SNAP, "suspended.test", "300")
    assert d == routing.Decoy("suspended.test", "tenant_suspended", "ts", "300")


def test_register_unknown_user_is_a_decoy_in_the_tenant_realm() -> None:
    d = routing.register(SNAP, A, "999")
    assert d == routing.Decoy(A, "unknown_user", "ta", "999")
    assert routing.BAD_CREDENTIALS == Reject(403, "Forbidden", "bad_credentials")


def test_register_known_user_is_challenged_in_the_tenant_realm() -> None:
    d = routing.register(SNAP, "TENANT-A.test", "100")
    assert isinstance(d, Challenge)
    assert d.realm == A and d.tenant.id == "ta" and d.extension.ha1 == TA.extensions["100"].ha1
    assert d.aor == "100@tenant-a.test"


def test_same_extension_number_in_two_tenants_is_two_users() -> None:
    a, b = routing.register(SNAP, A, "100"), routing.register(SNAP, B, "100")
    assert isinstance(a, Challenge) and isinstance(b, Challenge)
    assert a.extension.ha1 != b.extension.ha1 and a.aor != b.aor


def test_caller_is_the_from_user_of_its_domain() -> None:
    assert isinstance(routing.caller(SNAP, A, "101"), Challenge)
    assert isinstance(routing.caller(SNAP, A, "200"), routing.Decoy)


def test_invite_cross_tenant_is_forbidden_whatever_is_dialled() -> None:
    d = routing.invite_from_phone(SNAP, TA, "100", "200", B, 0)
    assert d == Reject(403, "Forbidden", "cross_tenant")
    # the same number exists in both tenants: still forbidden
    assert routing.invite_from_phone(SNAP, TA, "100", "100", B, 0) == d


def test_invite_unknown_number_and_self_call() -> None:
    assert isinstance(d := routing.invite_from_phone(SNAP, TA, "100", "555", A, 0), Reject) and d.code == 404
    assert isinstance(d := routing.invite_from_phone(SNAP, TA, "100", "100", A, 0), Reject) and d.code == 486


def test_invite_call_limit() -> None:
    assert isinstance(routing.invite_from_phone(SNAP, TA, "100", "101", A, 1), ToWorker)
    d = routing.invite_from_phone(SNAP, TA, "100", "101", A, 2)
    assert d == Reject(503, "Concurrent call limit reached", "call_limit")


def test_invite_to_worker_headers() -> None:
    d = routing.invite_from_phone(SNAP, TA, "100", "101", A, 0)
    assert d == ToWorker(
        "ta",
        {
            routing.HDR_TENANT: "ta",
            routing.HDR_CALLER: "100",
            routing.HDR_CALLEE: "101",
            routing.HDR_KIND: "internal",
            routing.HDR_RECORD: "0",
            routing.HDR_DOMAIN: A,
            routing.HDR_DIALLED: "101",
        },
    )
    assert set(d.headers) <= set(routing.TRUSTED_HEADERS)


def test_invite_dialled_by_ip_stays_in_the_callers_tenant() -> None:
    d = routing.invite_from_phone(SNAP, TA, "100", "101", "127.0.0.1", 0)
    assert isinstance(d, ToWorker) and d.tenant_id == "ta"


def test_worker_leg_to_contact_with_caller_identity() -> None:
    d = routing.invite_from_worker(SNAP, "ta", "101", A, "100")
    assert d == ToContact("ta", "101@tenant-a.test", "sip:100@tenant-a.test", "Ext 100")


def test_worker_leg_external_caller_has_no_display_and_bad_caller_is_ignored() -> None:
    d = routing.invite_from_worker(SNAP, "ta", "101", A, "+84901234567")
    assert isinstance(d, ToContact) and (d.from_uri, d.from_display) == ("sip:+84901234567@tenant-a.test", "")
    for bad in ("", "a b", "x@evil", "1\r\nX: y", "<sip:x>"):
        d = routing.invite_from_worker(SNAP, "ta", "101", A, bad)
        assert isinstance(d, ToContact) and d.from_uri == "" and d.from_display == ""


def test_worker_leg_stays_inside_its_tenant() -> None:
    assert routing.invite_from_worker(SNAP, "ta", "200", B) == Reject(403, "Forbidden", "cross_tenant")
    assert routing.invite_from_worker(SNAP, "nope", "101", A) == Reject(403, "Forbidden", "cross_tenant")
    assert routing.invite_from_worker(SNAP, "", "101", A) == Reject(403, "Forbidden", "cross_tenant")
    assert isinstance(d := routing.invite_from_worker(SNAP, "ta", "555", A), Reject) and d.code == 404


def test_in_dialog_requests_of_phones_only_go_to_workers() -> None:
    assert routing.in_dialog(from_worker=True, next_hop_is_worker=False) is None
    assert routing.in_dialog(from_worker=False, next_hop_is_worker=True) is None
    assert routing.in_dialog(from_worker=False, next_hop_is_worker=False) == routing.NOT_A_WORKER_DIALOG
    # looping back to the edge is checked again on the next pass
    assert routing.in_dialog(from_worker=False, next_hop_is_worker=False, next_hop_is_edge=True) is None


def test_fixed_rejections_have_stable_slugs() -> None:
    assert (routing.NO_CONFIG.code, routing.NO_CONFIG.slug) == (503, "no_config")
    assert (routing.NO_WORKER.code, routing.NO_WORKER.slug) == (503, "no_worker")
    assert (routing.NOT_REGISTERED.code, routing.NOT_REGISTERED.slug) == (480, "not_registered")
    assert routing.METHOD_NOT_ALLOWED.code == 405


# --- dial plan, S4, F10, F2 -------------------------------------------------------------

DID_MAIN, DID_SALES, DID_FREE = "02873001234", "02473005678", "18001234"
VT = TrunkConfig("vt", "Viettel", "203.0.113.10", 5060, ips=("203.0.113.10", "198.51.100.0/28"))
VN = TrunkConfig("vn", "VNPT", "192.0.2.20", 5080, auth="register", username="acme-vnpt", password="pw-vnpt")


def _trunk_tenant(**kw: Any) -> TenantConfig:
    base = _tenant(
        "tc",
        "trunks.test",
        ["100", "101", "109", "201"],
        default_caller_id=DID_MAIN,
        branches={"sg": BranchConfig("sg", "Sai Gon", "9")},
        trunks={"vt": VT, "vn": VN},
        blocklist=(
            BlockRule("0987*", "out"),
            BlockRule("0909000111", "out", "100"),
            BlockRule("0911222333", "in"),
            BlockRule("0933444555", "both", "201"),
            BlockRule("anonymous", "in", "100"),
        ),
    )
    exts = dict(base.extensions)
    exts["101"] = replace(exts["101"], caller_id=DID_SALES)
    exts["109"] = replace(exts["109"], outbound="internal_only")
    exts["201"] = replace(exts["201"], branch_id="sg")
    dids = {
        DID_MAIN: NumberConfig(DID_MAIN, "fixed", "vt", "101"),
        DID_FREE: NumberConfig(DID_FREE, "tollfree", "vt", "100"),
        DID_SALES: NumberConfig(DID_SALES, "fixed", "vn", "201"),
    }
    return replace(base, extensions=exts, numbers=dids, **kw)


TC = _trunk_tenant()
SNAP2 = build(2, [TC, TA])


def _out(dialled: str, caller: str = "100", tenant: TenantConfig = TC, active: int = 0) -> ToWorker | Reject:
    return routing.invite_from_phone(build(3, [tenant]), tenant, caller, dialled, tenant.domain, active)


def test_branch_short_number_reaches_the_branch_extension() -> None:
    d = _out("9201")
    assert isinstance(d, ToWorker) and d.headers[routing.HDR_CALLEE] == "201"
    assert d.headers[routing.HDR_KIND] == "internal"
    assert _out("9100") == routing.NO_SUCH_NUMBER  # 100 is not in Sai Gon
    assert isinstance(_out("201"), ToWorker)  # the plain extension number works too


def test_an_extension_number_wins_over_a_branch_short_number() -> None:
    t = replace(TC, extensions={**TC.extensions, "9201": replace(TC.extensions["100"], number="9201")})
    d = _out("9201", tenant=t)
    assert isinstance(d, ToWorker) and d.headers[routing.HDR_CALLEE] == "9201"


def test_outbound_call_headers() -> None:
    d = _out("+84 912 345 678")
    assert isinstance(d, ToWorker)
    assert d.headers[routing.HDR_KIND] == "outbound"
    assert d.headers[routing.HDR_CALLEE] == "0912345678"  # normalised, national
    assert d.headers[routing.HDR_CALLER] == "100"
    assert d.headers[routing.HDR_DOMAIN] == "trunks.test"


@pytest.mark.parametrize(
    ("dialled", "slug"),
    [("+14155550100", "international_blocked"), ("0033123456789", "international_blocked"),
     ("19001234", "premium_blocked"), ("0987654321", "blocked"), ("0909000111", "blocked"),
     ("12345", "no_such_number"), ("0123", "no_such_number")],
)  # fmt: skip
def test_outbound_refusals(dialled: str, slug: str) -> None:
    d = _out(dialled)
    assert isinstance(d, Reject) and d.slug == slug, d
    assert d.code == (404 if slug == "no_such_number" else 403)


def test_opt_ins_allow_international_and_premium() -> None:
    t = replace(TC, outbound_policy=OutboundPolicy(international=True, premium_1900=True))
    assert isinstance(_out("+14155550100", tenant=t), ToWorker)
    assert isinstance(_out("19001234", tenant=t), ToWorker)


def test_extension_block_rule_applies_to_that_extension_only() -> None:
    assert isinstance(_out("0909000111", caller="101"), ToWorker)
    assert _out("0933444555", caller="201") == routing.BLOCKED_OUT  # "both" includes out
    assert isinstance(_out("0933444555", caller="100"), ToWorker)


def test_internal_only_extension_calls_extensions_and_emergency_only() -> None:
    assert _out("0912345678", caller="109") == routing.OUTBOUND_NOT_ALLOWED
    assert isinstance(_out("101", caller="109"), ToWorker)
    assert isinstance(_out("113", caller="109"), ToWorker)


def test_emergency_is_allowed_whatever_the_blocks_and_the_limit() -> None:
    t = replace(TC, blocklist=(BlockRule("*", "out"),), max_concurrent_calls=1)
    assert _out("0912345678", tenant=t) == routing.BLOCKED_OUT
    d = _out("115", tenant=t, active=5)
    assert isinstance(d, ToWorker) and d.headers[routing.HDR_CALLEE] == "115"
    assert _out("101", tenant=t, active=1) == routing.CALL_LIMIT


def test_emergency_wins_over_an_extension_with_the_same_digits() -> None:
    t = replace(TC, extensions={**TC.extensions, "113": replace(TC.extensions["100"], number="113")})
    d = _out("113", tenant=t)
    assert isinstance(d, ToWorker) and d.headers[routing.HDR_KIND] == "outbound"


def test_no_trunk_is_503() -> None:
    t = replace(TC, trunks={}, numbers={})
    assert _out("0912345678", tenant=t) == routing.NO_TRUNK


def test_calls_to_other_tenants_numbers_by_domain_are_forbidden() -> None:
    d = routing.invite_from_phone(SNAP2, TC, "100", "0912345678", A, 0)
    assert d == routing.CROSS_TENANT


# --- worker legs to the trunk ---------------------------------------------------------------


def test_worker_leg_to_a_number_goes_to_the_trunk_of_the_callers_did() -> None:
    d = routing.invite_from_worker(SNAP2, "tc", "0912345678", "trunks.test", "101")
    assert isinstance(d, ToTrunk)
    assert (d.trunk_id, d.caller_id) == ("vn", DID_SALES)  # 101 shows the VNPT number
    assert d.ruri == "sip:0912345678@192.0.2.20:5080"
    assert d.dst_uri == "sip:192.0.2.20:5080;transport=udp"
    assert d.from_uri == f"sip:{DID_SALES}@192.0.2.20:5080"
    assert d.to_uri == "sip:0912345678@192.0.2.20:5080"
    assert d.pai == f"<sip:{DID_SALES}@192.0.2.20:5080>"
    assert d.trunk_key == "tc/vn"


def test_worker_leg_default_did_and_port_5060_is_implicit() -> None:
    d = routing.invite_from_worker(SNAP2, "tc", "113", "trunks.test", "100")
    assert isinstance(d, ToTrunk)
    assert (d.trunk_id, d.caller_id, d.ruri) == ("vt", DID_MAIN, "sip:113@203.0.113.10")


def test_worker_leg_rechecks_the_outbound_rules() -> None:
    assert (
        routing.invite_from_worker(SNAP2, "tc", "0014155550100", "trunks.test", "100") == routing.INTERNATIONAL_BLOCKED
    )
    assert routing.invite_from_worker(SNAP2, "tc", "0912345678", "trunks.test", "109") == routing.OUTBOUND_NOT_ALLOWED
    assert routing.invite_from_worker(SNAP2, "tc", "0987000000", "trunks.test", "0912345678") == routing.BLOCKED_OUT


def test_worker_leg_to_a_branch_short_number_is_a_contact() -> None:
    d = routing.invite_from_worker(SNAP2, "tc", "9201", "trunks.test", "100")
    assert isinstance(d, ToContact) and d.aor == "201@trunks.test"


def test_outbound_route_fallbacks() -> None:
    ext = TC.extensions["100"]
    assert routing.outbound_route(TC, ext) == routing.OutboundRoute(VT, DID_MAIN)
    t = replace(TC, default_caller_id="0999999999")  # not the tenant's: ignored
    route = routing.outbound_route(t, ext)
    assert route is not None and route.trunk.id == "vn" and route.caller_id == DID_SALES  # first trunk, its DID
    t = replace(TC, default_caller_id="", numbers={})
    route = routing.outbound_route(t, ext)
    assert route is not None and route.caller_id == "acme-vnpt"  # the account of the first trunk
    assert routing.outbound_route(replace(TC, trunks={}), ext) is None


# --- inbound from trunks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ip", "port", "found"),
    [("203.0.113.10", 5060, True), ("203.0.113.10", 6000, True), ("198.51.100.7", 5060, True),
     ("198.51.100.17", 5060, False), ("192.0.2.20", 5080, True), ("192.0.2.20", 5060, False), ("bad", 1, False)],
)  # fmt: skip
def test_trunk_sources(ip: str, port: int, found: bool) -> None:
    assert bool(routing.trunk_sources(SNAP2, ip, port)) is found


def test_inbound_call_to_a_did_goes_to_its_extension() -> None:
    inbound = routing.trunk_caller(SNAP2, "203.0.113.10", 5060, "203.0.113.10", "+842873001234", "x")
    assert isinstance(inbound, routing.Inbound) and inbound.tenant.id == "tc" and inbound.did.number == DID_MAIN
    d = routing.invite_from_trunk(inbound, "912345678", 0)
    assert isinstance(d, ToWorker)
    assert d.headers == {
        routing.HDR_TENANT: "tc",
        routing.HDR_CALLER: "0912345678",
        routing.HDR_CALLEE: "101",
        routing.HDR_KIND: "inbound",
        routing.HDR_RECORD: "1",
        routing.HDR_DOMAIN: "trunks.test",
        routing.HDR_DIALLED: DID_MAIN,
        routing.HDR_TRUNK: inbound.trunk.id,
        routing.HDR_DID: DID_MAIN,
    }


def test_registration_trunk_call_to_our_contact_uses_the_to_did() -> None:
    inbound = routing.trunk_caller(SNAP2, "192.0.2.20", 5080, "carrier.vn", "tc.vn", DID_SALES)
    assert isinstance(inbound, routing.Inbound) and inbound.did.route_to == "201"


def test_inbound_unknown_did_wrong_trunk_and_non_trunks() -> None:
    assert routing.trunk_caller(SNAP2, "203.0.113.10", 5060, "x", "02899999999", "") == routing.NO_SUCH_NUMBER
    # DID_SALES belongs to the VNPT trunk: Viettel cannot deliver it
    assert routing.trunk_caller(SNAP2, "203.0.113.10", 5060, "x", DID_SALES, "") == routing.NO_SUCH_NUMBER
    assert routing.trunk_caller(SNAP2, "10.1.1.1", 5060, "x", DID_MAIN, "") is None  # not a trunk
    # a phone of ours behind the carrier's address is still a phone
    assert routing.trunk_caller(SNAP2, "203.0.113.10", 5060, "trunks.test", DID_MAIN, "") is None


def test_inbound_blocked_limit_and_anonymous() -> None:
    main = routing.Inbound(TC, VT, TC.numbers[DID_MAIN])
    free = routing.Inbound(TC, VT, TC.numbers[DID_FREE])
    assert routing.invite_from_trunk(main, "+84911222333", 0) == routing.BLOCKED_IN
    assert routing.BLOCKED_IN.code == 603
    assert routing.invite_from_trunk(main, "0911222334", 0) != routing.BLOCKED_IN
    assert routing.invite_from_trunk(main, "0912345678", 10) == routing.CALL_LIMIT
    d = routing.invite_from_trunk(main, "anonymous", 0)  # 101 accepts anonymous callers
    assert isinstance(d, ToWorker) and d.headers[routing.HDR_CALLER] == "anonymous"
    assert routing.invite_from_trunk(free, "", 0) == routing.BLOCKED_IN  # 100 does not
    unrouted = routing.Inbound(TC, VT, NumberConfig("02800000000", "fixed", "vt", "555"))
    assert routing.invite_from_trunk(unrouted, "0912345678", 0) == routing.DID_NOT_ROUTED


def test_trunk_registrations_and_credentials() -> None:
    suspended = replace(_trunk_tenant(), id="ts2", domain="s2.test", status="suspended")
    regs = routing.trunk_registrations(build(4, [TC, suspended]))
    assert regs == [
        routing.Registration("tc.vn", "acme-vnpt", "192.0.2.20:5080", "pw-vnpt", "sip:192.0.2.20:5080;transport=udp")
    ]
    assert routing.trunk_credentials(SNAP2, "tc/vn") == ("acme-vnpt", "pw-vnpt")
    assert routing.trunk_credentials(SNAP2, "tc/vt") is None  # IP trunk: nothing to answer with
    assert routing.trunk_credentials(SNAP2, "nope/vn") is None


def test_worker_reads_the_tenant_domain_from_the_edge_headers() -> None:
    from pbx_core import bridge

    d = routing.invite_from_trunk(routing.Inbound(TC, VT, TC.numbers[DID_MAIN]), "0912345678", 0)
    assert isinstance(d, ToWorker)
    setup = bridge.setup_from_headers({k.lower(): v for k, v in d.headers.items()})
    assert (setup.domain, setup.callee, setup.caller, setup.kind) == ("trunks.test", "101", "0912345678", "inbound")
    legacy = {routing.HDR_TENANT: "tc", routing.HDR_CALLER: "100", routing.HDR_CALLEE: "101"}
    assert bridge.setup_from_headers(legacy).domain == ""  # the worker falls back to the R-URI domain


def _refer_snapshot() -> Any:
    from pbx_core import snapshot as snapmod

    E = snapmod.ExtensionConfig
    trunk = snapmod.TrunkConfig("vt", "Viettel", "127.0.0.1", 5090)
    exts = {
        "101": E("101", "x"),
        "102": E("102", "x"),
        "103": E("103", "x"),
        "109": E("109", "x", outbound="internal_only"),
    }
    a = snapmod.TenantConfig(
        id="ta", domain="a.test", extensions=exts, trunks={"vt": trunk}, allow_private_trunk_hosts=True
    )
    b = snapmod.TenantConfig(id="tb", domain="b.test", extensions={"201": E("201", "x")})
    no_trunk = snapmod.TenantConfig(id="tn", domain="n.test", extensions={"101": E("101", "x")})
    off = snapmod.TenantConfig(id="to", domain="o.test", status="suspended", extensions={"101": E("101", "x")})
    return snapmod.build(1, [a, b, no_trunk, off])


def _refer(
    snap: Any,
    party: routing.Party | None,
    target: str,
    domain: str = "a.test",
    *,
    tenant: str = "ta",
    frm: str | None = None,
    fdom: str = "a.test",
    to: str | None = None,
    replaces: str = "",
) -> routing.Transfer | Reject:
    return routing.refer_to(
        snap,
        tenant,
        party,
        from_user=frm if frm is not None else (party.own_user if party else ""),
        from_domain=fdom,
        to_user=to if to is not None else (party.peer_user if party else ""),
        target_user=target,
        target_domain=domain,
        replaces=replaces,
    )


# 101 called 102: 101's side and 102's side of that call
CALLER_101 = routing.Party("101", "101", "102", "102")
CALLEE_102 = routing.Party("102", "102", "101", "101")


def test_blind_transfer_refer_to_carries_the_edge_decision() -> None:
    from pbx_core.routing import OutsideLeg, Transfer, split_sip_uri

    snap = _refer_snapshot()
    assert split_sip_uri('"X" <sip:103@A.test;user=phone?Replaces=abc>') == ("103", "a.test")
    assert split_sip_uri("sip:103") == ("", "103")
    decision = [("X-PBX-Tenant", "ta"), ("X-PBX-Kind", "transfer")]
    assert _refer(snap, CALLEE_102, "103") == Transfer("ta", "103@a.test", (*decision, ("X-PBX-Caller", "101")))
    out = _refer(snap, CALLEE_102, "0912345678", "")
    assert out == Transfer(
        "ta", "0912345678@a.test", (*decision, ("X-PBX-Caller", "101")), OutsideLeg("vt", numbers.parse("0912345678"))
    )
    # a pickup's dialog does not know the other party: no caller is passed on
    assert _refer(snap, routing.Party("103", "103", "*8"), "101") == Transfer("ta", "101@a.test", tuple(decision))
    cross = _refer(snap, CALLEE_102, "101", "b.test")
    assert isinstance(cross, Reject) and cross.code == 403
    junk = _refer(snap, CALLEE_102, "103;evil")
    assert isinstance(junk, Reject) and junk.code == 404
    # refused to the transferor at once: nowhere, not allowed out, no trunk
    nowhere = _refer(snap, CALLEE_102, "199")
    assert isinstance(nowhere, Reject) and nowhere.slug == "no_such_number"
    intl = _refer(snap, CALLER_101, "0044207946000")
    assert isinstance(intl, Reject) and intl.slug == "international_blocked"
    by_internal_only = _refer(snap, routing.Party("109", "109", "102", "102"), "0912345678")
    assert isinstance(by_internal_only, Reject) and by_internal_only.slug == "outbound_not_allowed"
    of_internal_only = _refer(snap, routing.Party("101", "101", "109", "109"), "0912345678")
    assert isinstance(of_internal_only, Reject) and of_internal_only.slug == "outbound_not_allowed"
    trunkless_party = routing.Party("101", "101", "0988000111", "0988000111")
    trunkless = _refer(snap, trunkless_party, "0912345678", "n.test", tenant="tn", fdom="n.test")
    assert isinstance(trunkless, Reject) and trunkless.slug == "no_trunk"


@pytest.mark.parametrize(
    ("party", "kw", "slug"),
    [
        # the From names another tenant: the dialog's tenant decides, the REFER is refused
        (CALLER_101, {"fdom": "b.test"}, "not_a_party"),
        # another extension of the same tenant as the transferor (to escape internal_only)
        (routing.Party("109", "109", "102", "102"), {"frm": "101"}, "not_a_party"),
        # a To that is not the other party of the dialog
        (CALLER_101, {"to": "103"}, "not_a_party"),
        # a dialog without a phone's identity (a carrier's leg, or none recorded)
        (None, {}, "transfer_not_allowed"),
        (routing.Party("", "0912345678", "101", "101"), {}, "transfer_not_allowed"),
        # the dialog's tenant decides: gone, or suspended since the call began
        (CALLER_101, {"tenant": "gone", "fdom": "a.test"}, "cross_tenant"),
        (CALLER_101, {"tenant": "to", "fdom": "o.test"}, "tenant_suspended"),
    ],
)
def test_a_refer_is_judged_by_its_dialog_not_by_what_it_says(
    party: routing.Party | None, kw: dict[str, Any], slug: str
) -> None:
    refused = _refer(_refer_snapshot(), party, "201" if kw.get("fdom") == "b.test" else "0912345678", **kw)
    assert isinstance(refused, Reject) and refused.slug == slug, refused


def test_a_dialogs_party_survives_its_dialog_variable() -> None:
    p = routing.Party("101", "101", 'x"y', "0912345678")
    assert routing.parse_party(p.encode()) == p
    assert routing.parse_party(routing.Party("101", "101", "*8").encode()) == routing.Party("101", "101", "*8", "")
    # a user with the separator (a phone's odd To) cannot be read back: that dialog may
    # not transfer, rather than be read as someone else
    assert routing.parse_party(routing.Party("101", "101", "a|b", "102").encode()) is None
    for junk in ("", "a|b", "a|b|c|d|e"):
        assert routing.parse_party(junk) is None


def test_attended_transfer_refer_to_keeps_replaces_and_routes_by_it() -> None:
    from pbx_core import snapshot as snapmod
    from pbx_core.routing import Reject, Transfer, parse_replaces, refer_replaces

    a = snapmod.TenantConfig(id="ta", domain="a.test", extensions={"101": snapmod.ExtensionConfig("101", "x")})
    b = snapmod.TenantConfig(id="tb", domain="b.test")
    snap = snapmod.build(1, [a, b])
    raw = "<sip:worker-w1@127.0.0.1:5071?Replaces=abc%40h%3Bto-tag%3D12%3Bfrom-tag%3D34>"
    rep = refer_replaces(raw)
    assert rep == "abc%40h%3Bto-tag%3D12%3Bfrom-tag%3D34"
    assert refer_replaces("<sip:103@a.test>") == ""
    party = routing.Party("102", "102", "101", "101")
    # The target of an attended transfer is a Contact: routing is by Replaces alone.
    out = _refer(snap, party, "worker-w1", "127.0.0.1", replaces=rep)
    headers = (("Replaces", rep), ("X-PBX-Tenant", "ta"), ("X-PBX-Kind", "transfer"), ("X-PBX-Caller", "101"))
    assert out == Transfer("ta", "transfer@a.test", headers)
    assert _refer(snap, party, "103", replaces=rep) == Transfer("ta", "103@a.test", headers)
    bad = _refer(snap, party, "103", replaces="x>;evil=<sip:y")
    assert isinstance(bad, Reject) and bad.code == 481
    cross = _refer(snap, party, "103", "b.test", replaces=rep)
    assert isinstance(cross, Reject) and cross.code == 403

    ref = parse_replaces("abc@h;from-tag=34;to-tag=12")
    assert ref is not None and (ref.call_id, ref.to_tag, ref.from_tag) == ("abc@h", "12", "34")
    assert parse_replaces("abc@h;to-tag=12") is None  # both tags are required
    assert parse_replaces(";to-tag=1;from-tag=2") is None
    assert parse_replaces("a b;to-tag=1;from-tag=2") is None


def _pickup_tenant():  # type: ignore[no-untyped-def]
    from pbx_core import snapshot as snapmod

    E = snapmod.ExtensionConfig
    exts = {
        "101": E("101", "x", pickup_group="sales", branch_id="hn"),
        "102": E("102", "x", pickup_group="sales", branch_id="hn"),
        "103": E("103", "x", pickup_group="sales", branch_id="hcm"),
        "104": E("104", "x", pickup_group="support"),
        "105": E("105", "x"),
    }
    branches = {"hn": snapmod.BranchConfig("hn", "HN", "8"), "hcm": snapmod.BranchConfig("hcm", "HCM", "9")}
    return snapmod.TenantConfig(id="tp", domain="p.test", extensions=exts, branches=branches)


def test_group_pickup_offers_only_the_pickers_group() -> None:
    from pbx_core.routing import PICKUP_NOT_ALLOWED, Pickup, pickup

    t = _pickup_tenant()
    p = pickup(t, "101", "*8")
    assert p == Pickup("tp", "101", ("102", "103"), directed=False)
    assert pickup(t, "104", "*8") == Pickup("tp", "104", (), directed=False)  # alone in its group
    assert pickup(t, "105", "*8") == PICKUP_NOT_ALLOWED  # no group, no pickup
    assert pickup(t, "101", "102") is None and pickup(t, "101", "*9") is None and pickup(t, "101", "**") is None


def test_directed_pickup_needs_the_same_group() -> None:
    from pbx_core.routing import NO_SUCH_NUMBER, NOTHING_TO_PICK_UP, PICKUP_NOT_ALLOWED, Pickup, pickup

    t = _pickup_tenant()
    assert pickup(t, "101", "**103") == Pickup("tp", "101", ("103",), directed=True)
    assert pickup(t, "101", "**9103") == Pickup("tp", "101", ("103",), directed=True)  # branch short number
    assert pickup(t, "101", "**104") == PICKUP_NOT_ALLOWED
    assert pickup(t, "101", "**105") == PICKUP_NOT_ALLOWED
    assert pickup(t, "101", "**101") == NOTHING_TO_PICK_UP
    assert pickup(t, "101", "**999") == NO_SUCH_NUMBER
    assert pickup(t, "105", "**101") == PICKUP_NOT_ALLOWED


def test_the_call_ringing_longest_is_picked_up() -> None:
    from pbx_core.routing import Ringing, parse_ringing, pick_ringing, pickup, pickup_headers, ringing_value

    v = ringing_value("sip:127.0.0.1:5070", "key-1", "leg@x", 1000)
    r = parse_ringing("102", v)
    assert r == Ringing("102", "sip:127.0.0.1:5070", "key-1", "leg@x", 1000)
    assert parse_ringing("102", None) is None and parse_ringing("102", "junk") is None
    older = Ringing("103", "sip:127.0.0.1:5072", "key-2", "leg2@x", 900)
    assert pick_ringing([r, older]) == older
    assert pick_ringing([]) is None
    p = pickup(_pickup_tenant(), "101", "*8")
    assert not isinstance(p, type(None)) and hasattr(p, "candidates")
    h = pickup_headers(p, older)  # type: ignore[arg-type]
    assert h == {
        "X-PBX-Tenant": "tp",
        "X-PBX-Caller": "101",
        "X-PBX-Callee": "103",
        "X-PBX-Kind": "pickup",
        "X-PBX-Bridge": "key-2",
    }


# --- call-center queues (issue 16) --------------------------------------------------------


def test_a_queue_number_sends_the_caller_to_a_worker_with_the_queue_signed_in() -> None:
    from pbx_core.snapshot import QueueConfig

    t = replace(TA, queues={"q1": QueueConfig(id="q1", name="Sales", number="600")})
    snap = build(1, [t, TB])
    d = routing.invite_from_phone(snap, t, "100", "600", A, 0)
    assert isinstance(d, ToWorker)
    assert (d.headers[routing.HDR_QUEUE], d.headers[routing.HDR_CALLEE], d.headers[routing.HDR_KIND]) == (
        "q1",
        "600",
        "internal",
    )
    assert routing.HDR_QUEUE in routing.TRUSTED_HEADERS  # signed, and stripped from phones
    assert routing.invite_from_phone(snap, t, "100", "600", A, 2) == routing.CALL_LIMIT
    # Another tenant's queue number is just a number there.
    assert routing.HDR_QUEUE not in getattr(routing.invite_from_phone(snap, TB, "100", "600", B, 0), "headers", {})


def test_a_did_routed_to_a_queue_number_rings_the_queue() -> None:
    from pbx_core.snapshot import QueueConfig

    inbound = routing.trunk_caller(SNAP2, "203.0.113.10", 5060, "203.0.113.10", "+842873001234", "x")
    assert isinstance(inbound, routing.Inbound)
    t = replace(inbound.tenant, queues={"q9": QueueConfig(id="q9", name="Support", number="700")})
    did = replace(inbound.did, route_to="700")
    d = routing.invite_from_trunk(routing.Inbound(t, inbound.trunk, did), "912345678", 0)
    assert isinstance(d, ToWorker)
    assert d.headers[routing.HDR_QUEUE] == "q9" and d.headers[routing.HDR_CALLEE] == "700"
    assert d.headers[routing.HDR_KIND] == "inbound" and d.trunk_key
    # Blocked callers never reach the queue either.
    blocked = replace(t, blocklist=(BlockRule("0912345678", "in"),))
    assert routing.invite_from_trunk(routing.Inbound(blocked, inbound.trunk, did), "912345678", 0) == routing.BLOCKED_IN


def test_agent_codes_go_to_a_worker_uncounted_for_queue_members_only() -> None:
    from pbx_core.snapshot import QueueConfig, QueueMember

    q = QueueConfig(id="q1", name="Sales", number="600", members=(QueueMember("101"),))
    t = replace(TA, queues={"q1": q})
    snap = build(1, [t, TB])
    for code in ("*71", "*72", "*73", "*74"):
        d = routing.invite_from_phone(snap, t, "101", code, A, 5)  # over the call limit: not counted
        assert isinstance(d, ToWorker) and not d.counted and d.headers[routing.HDR_CALLEE] == code
    assert routing.invite_from_phone(snap, t, "100", "*71", A, 0) == routing.NO_SUCH_NUMBER  # not a member


# --- issue 17 item 4: the contact's owner first --------------------------------------------
def test_owner_first_rings_the_owners_extension_unless_the_call_is_for_it_anyway() -> None:
    t = _tenant("t1", "a.test", ["101", "102"], user_extensions={"u_owner": "101", "u_gone": "109", "u_x": ""})
    assert routing.owner_first(t, "u_owner", "102") == "101"
    assert routing.owner_first(t, "u_owner", "101") is None  # the DID rings the owner anyway
    assert routing.owner_first(t, "u_owner", "600", queue_id="q1") == "101"  # then the queue
    assert routing.owner_first(t, "u_owner", "101", queue_id="q1") == "101"
    assert routing.owner_first(t, "u_gone", "102") is None  # extension not in the snapshot
    assert routing.owner_first(t, "u_x", "102") is None  # a user without an extension
    assert routing.owner_first(t, "", "102") is None and routing.owner_first(t, "u_other", "102") is None


def test_the_snapshot_keeps_each_tenants_user_extensions() -> None:
    from pbx_core import snapshot as snapmod

    t = _tenant("t1", "a.test", ["101"], user_extensions={"u1": "101"})
    snap = snapmod.build(1, [t])
    again = snapmod.from_json(snap.to_json())
    assert again.tenants["t1"].user_extensions == {"u1": "101"}
    assert (
        snapmod.from_json(snapmod.build(1, [_tenant("t2", "b.test", ["101"])]).to_json()).tenants["t2"].user_extensions
        == {}
    )


# --- issue 13: a carrier's name is sent to only through the address the edge pinned -----------


def test_a_named_trunk_goes_to_its_pinned_address_and_keeps_its_name_in_the_uris() -> None:
    named = replace(VN, host="sip.vnpt.example", address="198.51.100.7")
    t = replace(TC, trunks={"vt": VT, "vn": named})
    d = routing.invite_from_worker(build(5, [t]), "tc", "0912345678", "trunks.test", "101")
    assert isinstance(d, ToTrunk)
    assert d.dst_uri == "sip:198.51.100.7:5080;transport=udp"  # Kamailio resolves nothing
    assert d.ruri == "sip:0912345678@sip.vnpt.example:5080"  # the carrier sees its own name
    assert d.from_uri == f"sip:{DID_SALES}@sip.vnpt.example:5080"
    regs = routing.trunk_registrations(build(5, [t]))
    assert [(r.domain, r.proxy) for r in regs] == [("sip.vnpt.example:5080", "sip:198.51.100.7:5080;transport=udp")]


def test_a_named_trunk_without_a_pinned_address_carries_no_call() -> None:
    """The name was not resolved by the edge, or resolved to nothing the tenant may use: no
    leg, no REGISTER, no transfer out through it (503 ``trunk_unresolved``)."""
    named = replace(VN, host="sip.vnpt.example", address="")
    t = replace(TC, trunks={"vt": VT, "vn": named})
    snap = build(6, [t])
    assert routing.invite_from_phone(snap, t, "101", "0912345678", t.domain, 0) == routing.TRUNK_UNRESOLVED
    assert routing.invite_from_worker(snap, "tc", "0912345678", "trunks.test", "101") == routing.TRUNK_UNRESOLVED
    assert routing.TRUNK_UNRESOLVED.code == 503
    assert routing.trunk_registrations(snap) == []
    # 100 leaves through the IP trunk (an address literal): unaffected
    assert isinstance(routing.invite_from_worker(snap, "tc", "0912345678", "trunks.test", "100"), ToTrunk)


def test_an_address_literal_host_is_checked_at_the_edge_too() -> None:
    loop = replace(VT, host="127.0.0.1", ips=("127.0.0.1",))
    t = replace(TC, trunks={"vt": loop}, numbers={DID_MAIN: NumberConfig(DID_MAIN, "fixed", "vt", "101")})
    assert routing.trunk_address(t, loop) is None
    assert (
        routing.invite_from_worker(build(7, [t]), "tc", "0912345678", "trunks.test", "100") == routing.TRUNK_UNRESOLVED
    )
    allowed = replace(t, allow_private_trunk_hosts=True)  # the provider's exception for this tenant
    assert routing.trunk_address(allowed, loop) == "127.0.0.1"
    d = routing.invite_from_worker(build(7, [allowed]), "tc", "0912345678", "trunks.test", "100")
    assert isinstance(d, ToTrunk) and d.dst_uri == "sip:127.0.0.1:5060;transport=udp"
    v6 = replace(VT, host="2600:1f18::5", ips=())
    assert routing.trunk_address(TC, v6) == "2600:1f18::5"
    assert routing._dst_uri(v6, "2600:1f18::5") == "sip:[2600:1f18::5]:5060;transport=udp"


def test_a_transfer_out_through_an_unresolved_trunk_is_refused_at_once() -> None:
    snap = _refer_snapshot()
    a = snap.tenants["ta"]
    unresolved = replace(a, trunks={"vt": replace(a.trunks["vt"], host="sip.viettel.example")})
    out = _refer(build(8, [unresolved, snap.tenants["tb"]]), CALLEE_102, "0912345678", "")
    assert out == routing.TRUNK_UNRESOLVED


def test_a_pinned_address_is_a_trunk_source_when_the_trunk_lists_none() -> None:
    named = replace(VT, host="sip.viettel.example", address="198.51.100.9", ips=())
    t = replace(TC, trunks={"vt": named})
    found = routing.trunk_sources(build(9, [t]), "198.51.100.9", 5060)
    assert [(x.id, k.id) for x, k in found] == [("tc", "vt")]
    v6 = replace(TC, trunks={"vt": replace(named, address="2600:1f18::9")})
    assert [k.id for _, k in routing.trunk_sources(build(9, [v6]), "2600:1f18::9", 5060)] == ["vt"]
    # a loopback host the tenant may not use is no carrier source either
    loop = replace(TC, trunks={"vt": replace(VT, host="127.0.0.1", ips=())})
    assert routing.trunk_sources(build(9, [loop]), "127.0.0.1", 5060) == []
