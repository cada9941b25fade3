"""The KEMI script against a recording fake KSR: what it answers, relays and strips."""

from __future__ import annotations

import os
import re
import time
import types
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pbx_core import edgesig, routing, sipauth
from pbx_core.snapshot import BlockRule, ExtensionConfig, NumberConfig, Snapshot, TenantConfig, TrunkConfig, build
from tests.unit.conftest import TEST_SIGNING_KEY
from tests.unit.fake_ksr import FakeKSR, FixedCache, Message, use

pytestmark = pytest.mark.unit

A, B = "tenant-a.test", "tenant-b.test"


def _tenant(tid: str, domain: str, numbers: list[str], **kw: Any) -> TenantConfig:
    exts = {n: ExtensionConfig(n, sipauth.ha1(n, domain, f"pw-{n}"), f"Ext {n}") for n in numbers}
    return TenantConfig(id=tid, domain=domain, extensions=exts, **kw)


SNAP = build(
    7,
    [
        _tenant("ta", A, ["100", "101"], max_concurrent_calls=2),
        _tenant("tb", B, ["200"]),
        _tenant("tc", "suspended.test", ["300"], status="suspended"),
    ],
)


Fixed = FixedCache


def run(kemi: types.ModuleType, msg: Message, snap: Snapshot | None = SNAP, **results: Any) -> FakeKSR:
    k = use(kemi, FakeKSR(msg, **results))
    router = kemi.ProBoxRouter(Fixed(snap))
    assert router.ksr_request_route(None) == 1
    return k


def register(user: str = "100", domain: str = A) -> Message:
    return Message(method="REGISTER", ruri_user="", ruri_domain=domain, to_user=user, to_domain=domain, from_user=user)


def invite(caller: str = "100", callee: str = "101", domain: str = A, callee_domain: str | None = None) -> Message:
    return Message(
        method="INVITE",
        from_user=caller,
        from_domain=domain,
        ruri_user=callee,
        ruri_domain=callee_domain or domain,
        to_user=callee,
        to_domain=callee_domain or domain,
        headers=[("X-PBX-Tenant", "tb"), ("x-pbx-caller", "999")],
    )


def reason(k: FakeKSR) -> str | None:
    assert k.reply is not None
    return k.reply.header(routing.REASON_HEADER)


def refused(k: FakeKSR) -> tuple[int, str | None]:
    """An unauthenticated request's refusal: its code, and the reason the edge logged (the
    answer itself carries none, issue 14)."""
    assert k.reply is not None and reason(k) is None, k.reply
    m = re.search(r'"reason":"([a-z_]+)"', k.log_text())
    return k.reply.code, m.group(1) if m else None


def signed_decision(k: FakeKSR) -> dict[str, str]:
    """The decision headers the script added for the worker, checked as the worker checks
    them (pbx_core.edgesig, the test key); fails unless they are signed for this Call-ID."""
    added = [h.split(": ", 1) for h in k.appended_headers]
    values = {name.lower(): [v for n, v in added if n.lower() == name.lower()] for name, _ in added}
    [sig] = values.pop(edgesig.HDR_SIG.lower())
    verdict = edgesig.verify(TEST_SIGNING_KEY, k.msg.call_id, sig, lambda n: values.get(n, []), int(time.time()))
    assert isinstance(verdict, edgesig.Verified), verdict
    return verdict.values


# --- REGISTER -----------------------------------------------------------------------------


def outside_view(k: FakeKSR) -> tuple[Any, ...]:
    """What the requester sees: the challenge (realm, flags) or the final answer with
    every header the edge added."""
    if k.challenges:
        return ("challenge", *k.challenges)
    assert k.reply is not None
    return ("reply", k.reply.code, k.reply.reason, tuple(k.reply.headers))


@pytest.mark.parametrize(
    ("user", "domain", "slug"),
    [
        ("100", "nowhere.test", "unknown_domain"),
        ("999", A, "unknown_user"),
        ("300", "suspended.test", "tenant_suspended"),
    ],
)
def test_register_of_an_account_that_cannot_be_used_looks_like_a_wrong_password(
    kemi: types.ModuleType, user: str, domain: str, slug: str
) -> None:
    """Issue 14: unknown domain, unknown user and suspended tenant are challenged like a
    real account, then refused like a wrong password, without a reason on the wire."""
    real = {rc: outside_view(run(kemi, register("100", A), pv_auth_check=rc)) for rc in (-5, -4, -2)}
    for rc, expected in real.items():
        k = run(kemi, register(user, domain), pv_auth_check=rc)
        seen = outside_view(k)
        assert seen == (expected if domain == A else (expected[0], (domain, expected[1][1])) if rc != -2 else expected)
        assert k.saved == []
        if rc == -2:
            assert seen == ("reply", 403, "Forbidden", ()) and slug in k.log_text()
    # the decoy is checked against an HA1 no password gives
    k = run(kemi, register(user, domain), pv_auth_check=-2)
    assert k.auth_checks[0][1] not in {e.ha1 for t in SNAP.tenants.values() for e in t.extensions.values()}


def test_register_without_credentials_is_challenged_in_the_tenant_realm(kemi: types.ModuleType) -> None:
    k = run(kemi, register("100", A), pv_auth_check=-5)
    assert k.replies == []  # auth_challenge sends the 401 itself
    assert k.challenges == [(A, 1)]
    realm, ha1, flags, checks = k.auth_checks[0]
    assert (realm, ha1, flags, checks) == (A, SNAP.tenants["ta"].extensions["100"].ha1, 1, 1)
    assert k.saved == []


def test_register_stale_nonce_is_challenged_with_stale(kemi: types.ModuleType) -> None:
    k = run(kemi, register("100", A), pv_auth_check=-4)
    assert k.challenges == [(A, 1 | 16)]


@pytest.mark.parametrize("rc", [-2, -8])
def test_register_wrong_password_is_403_never_saved(kemi: types.ModuleType, rc: int) -> None:
    k = run(kemi, register("100", A), pv_auth_check=rc)
    assert (k.reply.code, reason(k)) == (403, None)  # type: ignore[union-attr]
    assert "bad_credentials" in k.log_text()
    assert k.saved == [] and k.challenges == []


def test_register_with_good_credentials_saves_the_normalised_aor(kemi: types.ModuleType) -> None:
    k = run(kemi, register("100", "Tenant-A.TEST"), pv_auth_check=1)
    assert k.consumed
    assert k.saved == [("location", 0, "sip:100@tenant-a.test")]
    assert k.replies == []  # registrar.save() answers 200 itself


def test_register_before_any_snapshot_is_503(kemi: types.ModuleType) -> None:
    k = run(kemi, register(), snap=None)
    assert (k.reply.code, reason(k)) == (503, None)  # type: ignore[union-attr]
    assert "no_config" in k.log_text()


# --- INVITE from a phone ------------------------------------------------------------------


def test_invite_without_credentials_gets_407_challenge(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), pv_auth_check=-5)
    assert k.challenges == [(A, 1)] and k.relayed == []


def test_invite_cross_tenant_is_403(kemi: types.ModuleType) -> None:
    k = run(kemi, invite("100", "200", A, callee_domain=B), pv_auth_check=1)
    assert (k.reply.code, reason(k)) == (403, "cross_tenant")  # type: ignore[union-attr]
    assert k.relayed == [] and not k.dlg_managed


def test_invite_unknown_extension_is_404(kemi: types.ModuleType) -> None:
    k = run(kemi, invite("100", "555"), pv_auth_check=1)
    assert (k.reply.code, reason(k)) == (404, "no_such_number")  # type: ignore[union-attr]


def test_invite_over_the_tenant_limit_is_503_with_reason(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), pv_auth_check=1, profile_size=2)
    assert k.reply.code == 503  # type: ignore[union-attr]
    assert k.reply.reason == "Concurrent call limit reached"  # type: ignore[union-attr]
    assert reason(k) == "call_limit"
    assert k.relayed == [] and k.profiles == []


def test_invite_from_phone_wrong_password_is_403(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), pv_auth_check=-2)
    assert (k.reply.code, reason(k)) == (403, None)  # type: ignore[union-attr]


def test_invite_from_unknown_caller_looks_like_a_real_one(kemi: types.ModuleType) -> None:
    for rc in (-5, -2):
        known, unknown = (
            run(kemi, invite("100", "101"), pv_auth_check=rc),
            run(kemi, invite("999", "101"), pv_auth_check=rc),
        )
        assert outside_view(unknown) == outside_view(known)
        assert unknown.relayed == []


def test_invite_to_worker_applies_the_decision(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), pv_auth_check=1, profile_size=1)
    assert k.replies == []
    assert k.consumed and k.dlg_managed
    assert k.profiles == [("tenant_calls", "ta")]
    assert k.ds_selects == [(1, 4)]
    assert k.record_routed and k.failure_route == "ksr_failure_worker"
    assert k.relayed == [{"dst": "sip:127.0.0.1:5070;transport=udp", "ruri_changed": False}]
    assert k.appended_headers[:-1] == [
        "X-PBX-Tenant: ta",
        "X-PBX-Caller: 100",
        "X-PBX-Callee: 101",
        "X-PBX-Kind: internal",
        "X-PBX-Record: 1",
        "X-PBX-Domain: tenant-a.test",
        "X-PBX-Dialled: 101",
        "X-PBX-Source: 127.0.0.1",  # where the phone called from (CDR, toll-fraud guard)
    ]
    assert k.hdr_appends == 1  # one block, signed: the worker acts on nothing else
    assert signed_decision(k) == {h.split(": ")[0].lower(): h.split(": ")[1] for h in k.appended_headers[:-1]}
    assert k.dlg_properties == ["ka-dst"]  # keepalive to the worker: a dead one ends the call
    assert k.rport_forced


def test_phone_supplied_trusted_headers_are_stripped(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), pv_auth_check=1)
    assert set(routing.TRUSTED_HEADERS) <= set(k.removed_headers)
    # the only X-PBX-Tenant that goes out is the edge's own
    assert [h for h in k.appended_headers if h.startswith("X-PBX-Tenant")] == ["X-PBX-Tenant: ta"]


def test_trusted_headers_are_stripped_from_every_phone_request(kemi: types.ModuleType) -> None:
    msg = register("100", A)
    msg.headers = [("x-pbx-record", "0")]
    k = run(kemi, msg, pv_auth_check=-5)
    assert set(routing.TRUSTED_HEADERS) <= set(k.removed_headers)


def test_no_worker_available_is_503(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), pv_auth_check=1, ds_select=False)
    assert (k.reply.code, reason(k)) == (503, "no_worker")  # type: ignore[union-attr]
    assert not k.dlg_managed and k.profiles == []


def test_invite_before_any_snapshot_is_503(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), snap=None)
    assert refused(k) == (503, "no_config")


# --- INVITE from a worker (callee leg) ----------------------------------------------------


def worker_invite(tenant: str = "ta", callee: str = "101", domain: str = A, caller: str = "100") -> Message:
    return Message(
        method="INVITE",
        from_user="worker",
        from_domain="127.0.0.1",
        ruri_user=callee,
        ruri_domain=domain,
        src_port=5070,
        headers=[("X-PBX-Tenant", tenant), ("X-PBX-Caller", caller), ("X-PBX-Kind", "leg")],
    )


def test_worker_leg_is_looked_up_and_from_rewritten(kemi: types.ModuleType) -> None:
    k = run(kemi, worker_invite(), from_worker=True)
    assert k.replies == [] and k.auth_checks == []
    assert k.lookups == [("location", "sip:101@tenant-a.test")]
    assert k.from_replaced == ('"Ext 100"', "sip:100@tenant-a.test")
    assert k.record_routed and len(k.relayed) == 1
    assert set(routing.TRUSTED_HEADERS) <= set(k.removed_headers)  # not shown to the phone
    assert k.reply_route == "ksr_reply_from_phone"


def test_replies_from_phones_lose_trusted_headers(kemi: types.ModuleType) -> None:
    k = use(kemi, FakeKSR(Message(method="INVITE", headers=[("X-PBX-Tenant", "tb")])))
    assert kemi.ProBoxRouter(Fixed(SNAP)).ksr_reply_from_phone(None) == 1
    assert set(routing.TRUSTED_HEADERS) <= set(k.removed_headers)


def test_worker_leg_to_an_unregistered_phone_is_480(kemi: types.ModuleType) -> None:
    k = run(kemi, worker_invite(), from_worker=True, lookup=-1)
    assert (k.reply.code, reason(k)) == (480, "not_registered")  # type: ignore[union-attr]
    assert k.relayed == []


def test_worker_leg_outside_its_tenant_is_403(kemi: types.ModuleType) -> None:
    k = run(kemi, worker_invite(tenant="ta", callee="200", domain=B), from_worker=True)
    assert (k.reply.code, reason(k)) == (403, "cross_tenant")  # type: ignore[union-attr]


def test_worker_leg_without_tenant_header_is_403(kemi: types.ModuleType) -> None:
    msg = worker_invite()
    msg.headers = []
    k = run(kemi, msg, from_worker=True)
    assert (k.reply.code, reason(k)) == (403, "cross_tenant")  # type: ignore[union-attr]


def test_phone_forging_worker_headers_is_treated_as_a_phone(kemi: types.ModuleType) -> None:
    msg = worker_invite(callee="101")
    msg.from_user, msg.from_domain = "100", A
    k = run(kemi, msg, from_worker=False, pv_auth_check=-5)
    assert k.challenges == [(A, 1)] and k.replies == []
    assert k.lookups == [] and k.from_replaced is None
    assert set(routing.TRUSTED_HEADERS) <= set(k.removed_headers)


# --- in-dialog, CANCEL, ACK, OPTIONS, other methods -----------------------------------------


def bye(from_worker_src: bool = False, ruri_domain: str = "127.0.0.1:5070") -> Message:
    return Message(method="BYE", to_tag="t1", src_port=5070 if from_worker_src else 5062, ruri_domain=ruri_domain)


def test_in_dialog_from_phone_to_a_worker_is_relayed(kemi: types.ModuleType) -> None:
    k = run(kemi, bye(), loose_route=1, next_hop_is_worker=True)
    assert k.replies == [] and len(k.relayed) == 1


def test_in_dialog_from_phone_to_anything_else_is_403(kemi: types.ModuleType) -> None:
    k = run(kemi, bye(), loose_route=1, next_hop_is_worker=False)
    assert refused(k) == (403, "not_a_worker_dialog")
    assert k.relayed == []


def test_in_dialog_from_phone_with_outbound_proxy_route_loops_back_to_the_edge(kemi: types.ModuleType) -> None:
    k = run(kemi, bye(), loose_route=1, next_hop_is_worker=False, next_hop_is_edge=True)
    assert k.replies == [] and len(k.relayed) == 1


def test_in_dialog_from_worker_is_relayed_without_trusted_headers(kemi: types.ModuleType) -> None:
    msg = bye(True)
    msg.headers = [("X-PBX-Kind", "leg")]
    k = run(kemi, msg, loose_route=1, from_worker=True)
    assert len(k.relayed) == 1 and k.reply_route == "ksr_reply_from_phone"
    assert set(routing.TRUSTED_HEADERS) <= set(k.removed_headers)


def test_in_dialog_next_hop_by_host_name_is_never_a_worker_and_never_resolved(kemi: types.ModuleType) -> None:
    k = run(kemi, bye(ruri_domain="evil.example"), loose_route=1, next_hop_is_worker=True)
    assert refused(k) == (403, "not_a_worker_dialog")
    assert k.ds_uri_checks == []  # no dispatcher lookup (it would resolve the name)


def test_in_dialog_from_worker_resolves_a_nat_alias(kemi: types.ModuleType) -> None:
    k = run(kemi, bye(True, ruri_domain="evil.example"), loose_route=1, from_worker=True)
    assert k.nat_actions == ["handle_ruri_alias"] and len(k.relayed) == 1
    assert k.ds_uri_checks == []


def test_ack_of_a_negative_reply_is_absorbed_by_tm(kemi: types.ModuleType) -> None:
    k = run(kemi, Message(method="ACK", to_tag="t1"), t_check_trans=0, loose_route=1)
    assert k.replies == [] and k.relayed == []


def test_stray_in_dialog_request_is_404(kemi: types.ModuleType) -> None:
    k = run(kemi, bye(), loose_route=-1)
    assert k.reply.code == 404  # type: ignore[union-attr]


@pytest.mark.parametrize("to_tag", ["", "t1"])
def test_ack_without_transaction_is_never_answered(kemi: types.ModuleType, to_tag: str) -> None:
    k = run(kemi, Message(method="ACK", to_tag=to_tag), loose_route=-1, t_check_trans=-1)
    assert k.replies == [] and k.relayed == []


def test_ack_to_a_forged_route_is_dropped_silently(kemi: types.ModuleType) -> None:
    k = run(kemi, Message(method="ACK", to_tag="t1"), loose_route=1, next_hop_is_worker=False)
    assert k.replies == [] and k.relayed == []


def test_cancel_with_transaction_is_relayed_else_481(kemi: types.ModuleType) -> None:
    k = run(kemi, Message(method="CANCEL"), t_check_trans=1)
    assert len(k.relayed) == 1 and k.replies == []
    k = run(kemi, Message(method="CANCEL"), t_check_trans=-1)
    assert k.reply.code == 481  # type: ignore[union-attr]


def test_options_to_the_server_is_200_even_without_snapshot(kemi: types.ModuleType) -> None:
    k = run(kemi, Message(method="OPTIONS", ruri_user="", ruri_domain="127.0.0.1"), snap=None)
    assert k.reply.code == 200  # type: ignore[union-attr]


@pytest.mark.parametrize("method", ["MESSAGE", "SUBSCRIBE", "PUBLISH", "OPTIONS"])
def test_other_methods_out_of_dialog_are_405(kemi: types.ModuleType, method: str) -> None:
    k = run(kemi, Message(method=method, ruri_user="101"))
    assert refused(k) == (405, "method_not_allowed")


def test_retransmission_is_left_to_tm(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), t_check_trans=0)
    assert k.replies == [] and k.auth_checks == []


def test_malformed_request_is_answered_by_sanity_only(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), sanity=False)
    assert k.replies == [] and k.relayed == []
    assert "malformed_request" in k.log_text()


def test_too_many_hops_is_483(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), maxfwd=False)
    assert k.reply.code == 483  # type: ignore[union-attr]


# --- errors and logging -----------------------------------------------------------------------


def test_exception_answers_500_and_logs_the_call_id(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), pv_auth_check=RuntimeError("boom"))
    assert (k.reply.code, k.reply.reason) == (500, "Internal Server Error")  # type: ignore[union-attr]
    errors = [t for lvl, t in k.logs if lvl == "error"]
    assert errors and "call-1@test" in errors[0] and "boom" in errors[0]


def test_exception_on_ack_is_never_answered(kemi: types.ModuleType) -> None:
    msg = Message(method="ACK", to_tag="t1", ruri_domain="127.0.0.1:5070")
    k = use(kemi, FakeKSR(msg, loose_route=1, next_hop_is_worker=True))

    def broken() -> int:
        raise RuntimeError("relay exploded")

    k.tm.t_relay = broken  # type: ignore[method-assign]
    kemi.ProBoxRouter(Fixed(SNAP)).ksr_request_route(None)
    assert k.replies == []
    assert "relay exploded" in k.log_text()


def test_no_second_reply_after_the_request_was_relayed(kemi: types.ModuleType) -> None:
    k = use(kemi, FakeKSR(invite(), pv_auth_check=1))
    original = k.tm.t_relay

    def relay_then_fail() -> int:
        original()
        raise RuntimeError("late failure")

    k.tm.t_relay = relay_then_fail  # type: ignore[method-assign]
    kemi.ProBoxRouter(Fixed(SNAP)).ksr_request_route(None)
    assert k.replies == []


def test_logs_never_contain_ha1(kemi: types.ModuleType) -> None:
    texts = []
    for rc in (-5, -2, 1):
        texts.append(run(kemi, register("100", A), pv_auth_check=rc).log_text())
        texts.append(run(kemi, invite(), pv_auth_check=rc).log_text())
    ha1 = SNAP.tenants["ta"].extensions["100"].ha1
    assert all(ha1 not in t for t in texts)
    assert any('"tenant_id":"ta"' in t for t in texts)


def test_failure_route_fails_over_only_when_the_worker_never_answered(kemi: types.ModuleType) -> None:
    k = use(kemi, FakeKSR(invite(), t_branch_timeout=1, t_branch_replied=-1, ds_next_dst=1))
    kemi.ProBoxRouter(Fixed(SNAP)).ksr_failure_worker(None)
    assert len(k.relayed) == 1
    k = use(kemi, FakeKSR(invite(), t_branch_timeout=-1, t_branch_replied=1, ds_next_dst=1))
    kemi.ProBoxRouter(Fixed(SNAP)).ksr_failure_worker(None)
    assert k.relayed == []


def test_a_workers_503_reaches_the_phone_as_503_with_the_edges_reason(kemi: types.ModuleType) -> None:
    """tm would turn the worker's 503 into a bare 500 (RFC 3261 §16.7)."""
    results = {"reply_code": 503, "reply_reason": "All trunk channels busy", "t_branch_replied": 1}
    k = use(kemi, FakeKSR(invite(), reply_headers={"X-PBX-Reason": "trunk_busy"}, **results))
    kemi.ProBoxRouter(Fixed(SNAP)).ksr_failure_worker(None)
    assert [(r.code, r.reason, r.header("X-PBX-Reason")) for r in k.replies] == [
        (503, "All trunk channels busy", "trunk_busy")
    ]
    k = use(kemi, FakeKSR(invite(), reply_headers={"X-PBX-Reason": "a b\r\nX: y"}, **results))
    kemi.ProBoxRouter(Fixed(SNAP)).ksr_failure_worker(None)
    assert [(r.code, r.header("X-PBX-Reason")) for r in k.replies] == [(503, None)]
    k = use(kemi, FakeKSR(invite(), reply_code=486, t_branch_replied=1))
    kemi.ProBoxRouter(Fixed(SNAP)).ksr_failure_worker(None)
    assert k.replies == []  # any other refusal is the worker's answer, relayed by tm


def test_quote_display(kemi: types.ModuleType) -> None:
    assert kemi.common.quote_display("") == ""
    assert kemi.common.quote_display('Nguyễn "Bé"\r\n') == '"Nguyễn \\"Bé\\""'


# --- snapshot cache -----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def test_snapshot_cache_reloads_at_most_once_per_second(kemi: types.ModuleType, tmp_path: Path) -> None:
    use(kemi, FakeKSR())
    path = tmp_path / "snap.json"
    clock = Clock()
    cache = kemi.common.SnapshotCache(str(path), clock=clock)
    assert cache.get() is None  # no file yet
    _write(path, build(1, [_tenant("ta", A, ["100"])]).to_json())
    assert cache.get() is None  # checked less than a second ago
    clock.t += 1.0
    assert cache.get().version == 1
    _write(path, build(2, [_tenant("ta", A, ["100", "101"])]).to_json())
    clock.t += 0.5
    assert cache.get().version == 1
    clock.t += 0.5
    snap = cache.get()
    assert snap.version == 2 and "101" in snap.tenants["ta"].extensions


def test_snapshot_cache_keeps_the_last_good_one(kemi: types.ModuleType, tmp_path: Path) -> None:
    k = use(kemi, FakeKSR())
    path = tmp_path / "snap.json"
    clock = Clock()
    _write(path, build(3, [_tenant("ta", A, ["100"])]).to_json())
    cache = kemi.common.SnapshotCache(str(path), clock=clock)
    assert cache.get().version == 3
    _write(path, "{not json")
    clock.t += 1
    assert cache.get().version == 3
    _write(path, '{"schema": 99}')
    clock.t += 1
    assert cache.get().version == 3
    path.unlink()
    clock.t += 1
    assert cache.get().version == 3
    errors = [t for lvl, t in k.logs if lvl == "error"]
    assert any("snapshot_invalid" in t for t in errors) and any("snapshot_missing" in t for t in errors)
    _write(path, build(4, [_tenant("ta", A, ["100"])]).to_json())
    clock.t += 1
    assert cache.get().version == 4


def test_mod_init_reads_the_environment(
    kemi: types.ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(kemi, FakeKSR())
    path = tmp_path / "snap.json"
    _write(path, build(5, [_tenant("ta", A, ["100"])]).to_json())
    monkeypatch.setenv("PROBOX_SNAPSHOT", str(path))
    router = kemi.mod_init()
    assert router.cache.get().version == 5
    assert router.child_init(1) == 0


# --- trunks, DMQ, NAT, SDP ------------------------------------------------------------------

VT = TrunkConfig("vt", "Viettel", "203.0.113.10", 5060, ips=("203.0.113.10",))
VN = TrunkConfig("vn", "VNPT", "192.0.2.20", 5080, auth="register", username="acme-vnpt", password="pw-vnpt")
DID = "02873001234"
TRUNKED = replace(
    _tenant("ta", A, ["100", "101"], max_concurrent_calls=2),
    default_caller_id=DID,
    trunks={"vt": VT, "vn": VN},
    numbers={DID: NumberConfig(DID, "fixed", "vt", "101")},
    blocklist=(BlockRule("0911222333", "in"),),
)
SNAP_T = build(8, [TRUNKED, _tenant("tb", B, ["200"])])
SDP = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"


def carrier_invite(did: str = DID, caller: str = "0912345678", src: str = "203.0.113.10") -> Message:
    return Message(
        method="INVITE",
        from_user=caller,
        from_domain=src,
        ruri_user=did,
        ruri_domain="198.51.100.1",
        to_user=did,
        to_domain="198.51.100.1",
        src_ip=src,
        src_port=5060,
        headers=[("X-PBX-Tenant", "tb")],
        body=SDP,
        content_type="application/sdp",
    )


def test_carrier_call_to_a_did_goes_to_a_worker_without_auth(kemi: types.ModuleType) -> None:
    k = run(kemi, carrier_invite(), SNAP_T)
    assert k.replies == [] and k.auth_checks == [] and k.challenges == []
    # a call on a trunk takes one of the tenant's calls and one of the trunk's channels
    assert k.profiles == [("tenant_calls", "ta"), ("trunk_calls", "ta/vt")] and k.dlg_properties == ["ka-dst"]
    assert signed_decision(k)["x-pbx-kind"] == "inbound"
    assert "X-PBX-Kind: inbound" in k.appended_headers
    assert "X-PBX-Callee: 101" in k.appended_headers and "X-PBX-Caller: 0912345678" in k.appended_headers
    assert set(routing.TRUSTED_HEADERS) <= set(k.removed_headers)
    assert k.nat_actions == []  # carriers are not NAT-fixed


def test_carrier_call_refusals(kemi: types.ModuleType) -> None:
    k = run(kemi, carrier_invite(did="02899999999"), SNAP_T)
    assert (k.reply.code, reason(k)) == (404, "no_such_number")  # type: ignore[union-attr]
    k = run(kemi, carrier_invite(caller="+84911222333"), SNAP_T)
    assert (k.reply.code, reason(k)) == (603, "blocked")  # type: ignore[union-attr]
    assert k.relayed == [] and k.profiles == []
    k = run(kemi, carrier_invite(), SNAP_T, profile_size=2)
    assert (k.reply.code, reason(k)) == (503, "call_limit")  # type: ignore[union-attr]


def test_invite_from_an_unknown_source_is_a_phone_of_an_unknown_domain(kemi: types.ModuleType) -> None:
    k = run(kemi, carrier_invite(src="198.51.100.99"), SNAP_T)
    assert k.challenges and k.relayed == [] and "unknown_domain" in k.log_text()


def test_carrier_call_with_bad_sdp_is_488(kemi: types.ModuleType) -> None:
    msg = carrier_invite()
    msg.body = "garbage"
    k = run(kemi, msg, SNAP_T)
    assert (k.reply.code, reason(k)) == (488, "bad_sdp")  # type: ignore[union-attr]
    assert k.profiles == []


@pytest.mark.parametrize(
    ("body", "ctype", "ok"),
    [("", "", True), (SDP, "application/sdp", True), ("hello", "text/plain", False), ("v=0", "application/sdp", False)],
)
def test_phone_invite_body_check(kemi: types.ModuleType, body: str, ctype: str, ok: bool) -> None:
    msg = invite()
    msg.body, msg.content_type = body, ctype
    k = run(kemi, msg, pv_auth_check=1)
    if ok:
        assert k.replies == [] and len(k.relayed) == 1
    else:
        assert (k.reply.code, reason(k)) == (488, "bad_sdp")  # type: ignore[union-attr]


def test_phone_invite_behind_nat_gets_a_contact_alias(kemi: types.ModuleType) -> None:
    msg = invite()
    msg.headers.append(("Contact", "<sip:100@192.168.1.5:5060>"))
    k = run(kemi, msg, pv_auth_check=1, nated=True)
    assert k.nat_actions == ["add_contact_alias"] and len(k.relayed) == 1
    k = run(kemi, msg, pv_auth_check=1, nated=False)
    assert k.nat_actions == []


def test_register_behind_nat_saves_the_source_and_flags_it(kemi: types.ModuleType) -> None:
    k = run(kemi, register("100", A), pv_auth_check=1, nated=True)
    assert k.nat_actions == ["fix_nated_register"] and k.bflags == [kemi.register.NAT_BFLAG]
    assert k.saved == [("location", 0, "sip:100@tenant-a.test")]


def test_worker_leg_to_a_number_is_relayed_to_the_trunk(kemi: types.ModuleType) -> None:
    k = run(kemi, worker_invite(callee="0912345678"), SNAP_T, from_worker=True)
    assert k.replies == [] and k.lookups == []
    assert k.ruri == "sip:0912345678@203.0.113.10"
    assert k.relayed == [{"dst": "sip:203.0.113.10:5060;transport=udp", "ruri_changed": False}]
    assert k.from_replaced == ("", f"sip:{DID}@203.0.113.10")
    assert k.to_replaced == ("", "sip:0912345678@203.0.113.10")
    assert f"P-Asserted-Identity: <sip:{DID}@203.0.113.10>" in k.appended_headers
    assert "P-Asserted-Identity" in k.removed_headers
    assert k.avps[kemi.invite.TRUNK_AVP] == "ta/vt"
    assert k.failure_route == "ksr_failure_trunk" and k.reply_route == "ksr_reply_from_trunk"
    # every leg on a trunk counts (the phone's outside call was not counted on its leg)
    assert k.dlg_managed and k.dlg_properties == ["ka-src"]
    assert k.profiles == [("tenant_calls", "ta"), ("trunk_calls", "ta/vt")]
    assert set(routing.TRUSTED_HEADERS) <= set(k.removed_headers)


def test_worker_leg_to_an_international_number_is_refused_again(kemi: types.ModuleType) -> None:
    k = run(kemi, worker_invite(callee="0014155550100"), SNAP_T, from_worker=True)
    assert (k.reply.code, reason(k)) == (403, "international_blocked")  # type: ignore[union-attr]


def failure(kemi: types.ModuleType, trunk_key: str, code: int, **results: Any) -> FakeKSR:
    k = use(kemi, FakeKSR(worker_invite(callee="0912345678"), reply_code=code, **results))
    k.avps[kemi.invite.TRUNK_AVP] = trunk_key
    kemi.ProBoxRouter(Fixed(SNAP_T)).ksr_failure_trunk(None)
    return k


def test_trunk_challenge_is_answered_once_with_the_trunk_credentials(kemi: types.ModuleType) -> None:
    k = failure(kemi, "ta/vn", 407)
    assert k.uac_auth_calls == [("acme-vnpt", "pw-vnpt")]
    assert len(k.relayed) == 1 and k.replies == []
    again = use(kemi, FakeKSR(worker_invite(), reply_code=401))
    again.avps.update(k.avps)  # same transaction: already answered once
    kemi.ProBoxRouter(Fixed(SNAP_T)).ksr_failure_trunk(None)
    assert again.uac_auth_calls == [] and again.relayed == []
    assert (again.reply.code, again.reply.header(routing.REASON_HEADER)) == (503, "trunk_auth_failed")  # type: ignore[union-attr]


def test_trunk_challenge_without_credentials_never_reaches_the_worker(kemi: types.ModuleType) -> None:
    k = failure(kemi, "ta/vt", 401)
    assert k.uac_auth_calls == [] and k.relayed == []
    assert k.reply is not None and k.reply.code == 503


def test_other_trunk_failures_pass_through(kemi: types.ModuleType) -> None:
    k = failure(kemi, "ta/vt", 486)
    assert k.replies == [] and k.relayed == [] and k.uac_auth_calls == []


def test_trunk_sync_adds_changes_and_removes_registrations(kemi: types.ModuleType) -> None:
    import json as _json

    k = use(kemi, FakeKSR())
    holder = Fixed(SNAP_T)
    router = kemi.ProBoxRouter(holder)
    router.ksr_trunk_sync("rtimer")
    calls = [_json.loads(c) for c in k.rpc_calls]
    assert [c["method"] for c in calls] == ["uac.reg_add"]
    assert calls[0]["params"][:9] == ["ta.vn", "acme-vnpt", "192.0.2.20:5080", "acme-vnpt", "192.0.2.20:5080",
                                      "", "acme-vnpt", "pw-vnpt", "."]  # fmt: skip
    assert calls[0]["params"][9:11] == ["sip:192.0.2.20:5080;transport=udp", 600]
    k.rpc_calls.clear()
    router.ksr_trunk_sync("rtimer")
    assert k.rpc_calls == []  # nothing changed
    vn2 = replace(VN, password="rotated")
    holder.snap = build(9, [replace(TRUNKED, trunks={"vt": VT, "vn": vn2})])
    router.ksr_trunk_sync("rtimer")
    assert [_json.loads(c)["method"] for c in k.rpc_calls] == ["uac.reg_remove", "uac.reg_add"]
    k.rpc_calls.clear()
    holder.snap = build(10, [replace(TRUNKED, trunks={"vt": VT})])
    router.ksr_trunk_sync("rtimer")
    assert [_json.loads(c)["method"] for c in k.rpc_calls] == ["uac.reg_unregister", "uac.reg_remove"]
    assert router.registrations == {}


def test_failed_reg_add_is_retried_at_the_next_sync(kemi: types.ModuleType) -> None:
    k = use(kemi, FakeKSR(rpc_code=500))
    router = kemi.ProBoxRouter(Fixed(SNAP_T))
    router.ksr_trunk_sync("rtimer")
    assert router.registrations == {} and "trunk_registration_failed" in k.log_text()


@pytest.mark.parametrize(("results", "handled"), [({"dmq_node": True}, True), ({"from_peer": True}, True), ({}, False)])
def test_kdmq_only_from_peers(kemi: types.ModuleType, results: dict[str, Any], handled: bool) -> None:
    k = run(kemi, Message(method="KDMQ", ruri_user="dialog", ruri_domain="127.0.0.1:5090"), **results)
    assert k.dmq_handled is handled
    if not handled:
        assert refused(k) == (403, "not_a_dmq_node")


def test_kdmq_without_the_dmq_module_is_405(kemi: types.ModuleType) -> None:
    k = run(kemi, Message(method="KDMQ", ruri_user="dialog"), dmq_loaded=False, from_peer=True)
    assert k.reply.code == 405  # type: ignore[union-attr]


def test_replies_from_phones_behind_nat_get_an_alias_but_carriers_do_not(kemi: types.ModuleType) -> None:
    msg = Message(method="INVITE", headers=[("Contact", "<sip:101@192.168.1.7:5060>"), ("X-PBX-Trunk", "x")])
    k = use(kemi, FakeKSR(msg, nated=True))
    router = kemi.ProBoxRouter(Fixed(SNAP_T))
    router.ksr_reply_from_phone(None)
    assert k.nat_actions == ["add_contact_alias"]
    k = use(kemi, FakeKSR(msg, nated=True))
    router.ksr_reply_from_trunk(None)
    assert k.nat_actions == [] and set(routing.TRUSTED_HEADERS) <= set(k.removed_headers)


def test_worker_leg_to_a_phone_is_kept_alive_towards_the_worker(kemi: types.ModuleType) -> None:
    k = run(kemi, worker_invite(), from_worker=True)
    assert k.dlg_managed and k.dlg_properties == ["ka-src"] and k.profiles == []


def test_is_ip_uri(kemi: types.ModuleType) -> None:
    assert kemi.common.is_ip_uri("sip:127.0.0.1:5070;transport=udp")
    assert kemi.common.is_ip_uri("sip:worker@127.0.0.1:5070")
    assert kemi.common.is_ip_uri("sip:[2001:db8::1]:5060")
    assert not kemi.common.is_ip_uri("sip:101@tenant-a.test")
    assert not kemi.common.is_ip_uri("sip:evil.example:5060")


# --- F5 pickup and F3 attended transfer ---------------------------------------------------

PICK = build(
    9,
    [
        TenantConfig(
            id="tp",
            domain="p.test",
            extensions={
                n: ExtensionConfig(n, sipauth.ha1(n, "p.test", "pw"), f"Ext {n}", pickup_group=g)
                for n, g in (("101", "sales"), ("102", "sales"), ("103", "sales"), ("104", "support"))
            },
        ),
        _tenant("ta", A, ["100", "101"]),
    ],
)


def _ring(kemi: types.ModuleType, k: FakeKSR, callee: str, bridge: str, leg: str, port: int = 5070) -> FakeKSR:
    """A worker's callee leg to ``callee`` in tenant tp, recorded in the same htables."""
    msg = Message(
        method="INVITE",
        from_user="worker",
        from_domain="127.0.0.1",
        ruri_user=callee,
        ruri_domain="p.test",
        src_port=port,
        call_id=leg,
        headers=[("X-PBX-Tenant", "tp"), ("X-PBX-Caller", "101"), ("X-PBX-Kind", "leg"), ("X-PBX-Bridge", bridge)],
    )
    k2 = use(kemi, FakeKSR(msg, from_worker=True))
    k2.htables = k.htables
    assert kemi.ProBoxRouter(Fixed(PICK)).ksr_request_route(None) == 1
    assert k2.relayed and k2.avps["$avp(probox_ringing)"] == f"tp/{callee}"
    return k2


def _pickup(kemi: types.ModuleType, tables: dict[str, dict[str, str]], picker: str, dialled: str) -> FakeKSR:
    msg = invite(picker, dialled, "p.test")
    k = use(kemi, FakeKSR(msg, pv_auth_check=1))
    k.htables = tables
    assert kemi.ProBoxRouter(Fixed(PICK)).ksr_request_route(None) == 1
    return k


def test_a_ringing_leg_is_noted_and_forgotten_at_the_final_reply(kemi: types.ModuleType) -> None:
    k = FakeKSR()
    _ring(kemi, k, "102", "bridge-1", "leg-1@w")
    entry = routing.parse_ringing("102", k.htables["ringing"]["tp/102"])
    assert entry is not None and (entry.worker, entry.bridge, entry.leg_call_id) == (
        "sip:127.0.0.1:5070",
        "bridge-1",
        "leg-1@w",
    )
    # a 180 keeps it, the final answer forgets it
    for status, kept in ((180, True), (200, False)):
        r = use(kemi, FakeKSR(Message(method="INVITE", call_id="leg-1@w"), reply_status=status))
        r.htables = k.htables
        r.avps["$avp(probox_ringing)"] = "tp/102"
        kemi.ProBoxRouter(Fixed(PICK)).ksr_reply_from_phone(None)
        assert ("tp/102" in k.htables["ringing"]) is kept


def test_a_final_reply_of_an_older_leg_keeps_a_newer_ringing_entry(kemi: types.ModuleType) -> None:
    k = FakeKSR()
    _ring(kemi, k, "102", "bridge-1", "leg-1@w")
    _ring(kemi, k, "102", "bridge-2", "leg-2@w")
    r = use(kemi, FakeKSR(Message(method="INVITE", call_id="leg-1@w"), reply_status=487))
    r.htables = k.htables
    r.avps["$avp(probox_ringing)"] = "tp/102"
    kemi.ProBoxRouter(Fixed(PICK)).ksr_reply_from_phone(None)
    assert "bridge-2" in k.htables["ringing"]["tp/102"]


def test_group_pickup_goes_to_the_worker_of_the_call_ringing_longest(kemi: types.ModuleType) -> None:
    k = FakeKSR()
    _ring(kemi, k, "103", "bridge-old", "leg-a@w", port=5072)
    _ring(kemi, k, "102", "bridge-new", "leg-b@w", port=5070)
    # make the order certain whatever the clock did
    k.htables["ringing"]["tp/103"] = k.htables["ringing"]["tp/103"].rsplit("|", 1)[0] + "|1"
    p = _pickup(kemi, k.htables, "101", "*8")
    assert p.replies == [] and p.consumed
    assert p.relayed and p.dst_uri == "sip:127.0.0.1:5072"
    assert "X-PBX-Kind: pickup" in p.appended_headers and "X-PBX-Bridge: bridge-old" in p.appended_headers
    assert "X-PBX-Callee: 103" in p.appended_headers and "X-PBX-Caller: 101" in p.appended_headers
    assert p.profiles == []  # the picked-up call is already counted on its caller's leg
    assert p.dlg_managed and p.dlg_properties == ["ka-dst"] and p.record_routed


def test_directed_pickup_and_its_refusals(kemi: types.ModuleType) -> None:
    k = FakeKSR()
    _ring(kemi, k, "102", "bridge-1", "leg-1@w")
    ok = _pickup(kemi, k.htables, "103", "**102")
    assert ok.relayed and "X-PBX-Bridge: bridge-1" in ok.appended_headers
    nothing = _pickup(kemi, k.htables, "103", "**101")  # in the group, but not ringing
    assert (nothing.reply.code, reason(nothing)) == (480, "nothing_to_pick_up")  # type: ignore[union-attr]
    other_group = _pickup(kemi, k.htables, "104", "**102")
    assert (other_group.reply.code, reason(other_group)) == (403, "pickup_not_allowed")  # type: ignore[union-attr]
    group_of_one = _pickup(kemi, k.htables, "104", "*8")
    assert (group_of_one.reply.code, reason(group_of_one)) == (480, "nothing_to_pick_up")  # type: ignore[union-attr]
    assert not other_group.relayed and not group_of_one.relayed


def test_another_tenant_cannot_pick_up(kemi: types.ModuleType) -> None:
    k = FakeKSR()
    _ring(kemi, k, "101", "bridge-1", "leg-1@w")
    # ta's 100 dials *8 and **101: tenant ta has its own 101, which is not ringing
    for dialled in ("*8", "**101"):
        msg = invite("100", dialled, A)
        p = use(kemi, FakeKSR(msg, pv_auth_check=1))
        p.htables = k.htables
        kemi.ProBoxRouter(Fixed(PICK)).ksr_request_route(None)
        assert p.reply is not None and p.reply.code == 403 and not p.relayed, dialled


def test_pickup_without_credentials_is_challenged_first(kemi: types.ModuleType) -> None:
    msg = invite("101", "*8", "p.test")
    k = use(kemi, FakeKSR(msg, pv_auth_check=-5))
    kemi.ProBoxRouter(Fixed(PICK)).ksr_request_route(None)
    assert k.challenges == [("p.test", 1)] and not k.relayed


def _replaces_invite(tenant: str, replaces: str, kind: str = "transfer") -> Message:
    return Message(
        method="INVITE",
        from_user="worker",
        from_domain="127.0.0.1",
        ruri_user="transfer",
        ruri_domain="p.test",
        src_port=5070,
        headers=[("X-PBX-Tenant", tenant), ("X-PBX-Caller", "101"), ("X-PBX-Kind", kind), ("Replaces", replaces)],
    )


def test_transfer_leg_with_replaces_goes_to_the_worker_holding_that_dialog(kemi: types.ModuleType) -> None:
    dialogs = {("consult@b", "ftag", "ttag"): {"probox_w": "sip:127.0.0.1:5072", "probox_t": "tp"}}
    k = run(
        kemi, _replaces_invite("tp", "consult@b;to-tag=ttag;from-tag=ftag"), PICK, from_worker=True, dialogs=dialogs
    )
    assert k.replies == [] and k.dst_uri == "sip:127.0.0.1:5072" and k.record_routed
    assert k.lookups == []  # not looked up in usrloc: it is for a worker, not a phone
    # the worker there checks the decision: signed again for this INVITE, nothing else kept
    assert set(routing.TRUSTED_HEADERS) <= set(k.removed_headers)
    assert signed_decision(k) == {"x-pbx-tenant": "tp", "x-pbx-kind": "transfer", "x-pbx-caller": "101"}
    # the tags in the other order name the same dialog
    k = run(
        kemi, _replaces_invite("tp", "consult@b;to-tag=ftag;from-tag=ttag"), PICK, from_worker=True, dialogs=dialogs
    )
    assert k.dst_uri == "sip:127.0.0.1:5072"


@pytest.mark.parametrize(
    ("tenant", "replaces", "kind"),
    [
        ("ta", "consult@b;to-tag=ttag;from-tag=ftag", "transfer"),  # another tenant's dialog
        ("tp", "nosuch@b;to-tag=ttag;from-tag=ftag", "transfer"),
        ("tp", "consult@b;to-tag=ttag", "transfer"),
        ("tp", "consult@b;to-tag=ttag;from-tag=ftag", "leg"),
    ],
)
def test_replaces_refusals_are_481(kemi: types.ModuleType, tenant: str, replaces: str, kind: str) -> None:
    dialogs = {("consult@b", "ftag", "ttag"): {"probox_w": "sip:127.0.0.1:5072", "probox_t": "tp"}}
    k = run(kemi, _replaces_invite(tenant, replaces, kind), PICK, from_worker=True, dialogs=dialogs)
    assert (k.reply.code, reason(k)) == (481, "no_such_call")  # type: ignore[union-attr]
    assert not k.relayed


def test_calls_remember_their_worker_for_attended_transfer(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), pv_auth_check=1)
    # and the phone's side of the dialog, for its REFERs: 100 called 101
    assert k.dlg_vars == {
        "probox_w": "sip:127.0.0.1:5070;transport=udp",
        "probox_t": "ta",
        "probox_p": routing.Party("100", "100", "101", "101").encode(),
    }
    k = run(kemi, worker_invite(), from_worker=True)
    # the callee 101 sees the caller 100 (From rewritten); its own URI is the To
    assert k.dlg_vars == {
        "probox_w": "sip:127.0.0.1:5070",
        "probox_t": "ta",
        "probox_p": routing.Party("101", "101", "100", "100").encode(),
    }


def _refer(frm: str = "102", domain: str = "p.test", to: str = "101", refer_to: str = "<sip:103@p.test>") -> Message:
    return Message(
        method="REFER",
        from_user=frm,
        from_domain=domain,
        to_user=to,
        to_tag="t1",
        ruri_domain="127.0.0.1:5070",
        headers=[("Refer-To", refer_to)],
    )


# 102's side of the call 101 -> 102 in tenant tp, as the edge stored it in the dialog
CALLEE_102 = {"probox_t": "tp", "probox_p": routing.Party("102", "102", "101", "101").encode()}


def signed_refer_to(k: FakeKSR) -> edgesig.ReferTo:
    """The Refer-To the script put in, checked as the worker checks it."""
    [value] = [h.split(": ", 1)[1] for h in k.appended_headers if h.startswith("Refer-To:")]
    ref = edgesig.read_refer_to(value)
    [sig] = ref.all(edgesig.HDR_SIG)
    verdict = edgesig.verify(TEST_SIGNING_KEY, k.msg.call_id, sig, ref.all, int(time.time()))
    assert isinstance(verdict, edgesig.Verified), verdict
    return ref


def test_refer_with_replaces_keeps_it_for_the_worker(kemi: types.ModuleType) -> None:
    msg = _refer(refer_to="<sip:103@p.test?Replaces=c%40b%3Bto-tag%3D1%3Bfrom-tag%3D2>")
    k = run(kemi, msg, PICK, loose_route=1, next_hop_is_worker=True, dialog_vars=CALLEE_102)
    assert k.relayed, k.replies
    assert "Refer-To" in k.removed_headers  # the phone's own never reaches the worker
    ref = signed_refer_to(k)
    assert ref.target == "103@p.test"
    assert [(n, v) for n, v in ref.headers if n != "x-pbx-sig"] == [
        ("replaces", "c%40b%3Bto-tag%3D1%3Bfrom-tag%3D2"),
        ("x-pbx-tenant", "tp"),
        ("x-pbx-kind", "transfer"),
        ("x-pbx-caller", "101"),
    ]


def test_blind_refer_is_signed_with_the_dialogs_identity(kemi: types.ModuleType) -> None:
    k = run(kemi, _refer(), PICK, loose_route=1, next_hop_is_worker=True, dialog_vars=CALLEE_102)
    assert k.relayed, k.replies
    ref = signed_refer_to(k)
    assert ref.target == "103@p.test" and ("x-pbx-tenant", "tp") in ref.headers


@pytest.mark.parametrize(
    ("msg", "dialog", "slug"),
    [
        (_refer(domain=A), CALLEE_102, "not_a_party"),  # From: another tenant's domain
        (_refer(frm="104"), CALLEE_102, "not_a_party"),  # From: another extension
        (_refer(to="103"), CALLEE_102, "not_a_party"),  # To: not the other party
        (_refer(), {"probox_t": "tp"}, "transfer_not_allowed"),  # a carrier's dialog: no phone in it
        (_refer(), {}, "transfer_not_allowed"),  # a dialog the edge knows nothing of
        (_refer(refer_to=f"<sip:100@{A}>"), CALLEE_102, "cross_tenant"),
    ],
)
def test_forged_refers_are_refused_and_never_reach_the_worker(
    kemi: types.ModuleType, msg: Message, dialog: dict[str, str], slug: str
) -> None:
    k = run(kemi, msg, PICK, loose_route=1, next_hop_is_worker=True, dialog_vars=dialog)
    # a dialog with a phone the edge authenticated is told why; any other learns nothing
    assert (k.reply.code, reason(k) if "probox_p" in dialog else refused(k)[1]) == (403, slug)  # type: ignore[union-attr]
    assert not k.relayed and not [h for h in k.appended_headers if h.startswith("Refer-To")]


@pytest.mark.parametrize(
    ("sizes", "code", "slug"),
    [({"tenant_calls": 2}, 503, "call_limit"), ({"trunk_calls": 30}, 503, "trunk_busy")],
)
def test_a_transfer_out_that_would_not_fit_is_refused_at_the_refer(
    kemi: types.ModuleType, sizes: dict[str, int], code: int, slug: str
) -> None:
    """The outside leg of a transfer counts like any trunk leg (F11, trunk channels)."""
    dialog = {"probox_t": "ta", "probox_p": routing.Party("101", "101", "100", "100").encode()}
    msg = _refer(frm="101", domain=A, to="100", refer_to=f"<sip:0912345678@{A}>")
    k = run(kemi, msg, SNAP_T, loose_route=1, next_hop_is_worker=True, dialog_vars=dialog, profile_sizes=sizes)
    assert (k.reply.code, reason(k)) == (code, slug)  # type: ignore[union-attr]
    assert not k.relayed
    k = run(kemi, msg, SNAP_T, loose_route=1, next_hop_is_worker=True, dialog_vars=dialog)
    assert k.relayed and signed_refer_to(k).target == f"0912345678@{A}"


@pytest.mark.parametrize(
    ("sizes", "callee", "ok"),
    [
        ({"tenant_calls": 2}, "0912345678", False),
        ({"trunk_calls": 30}, "0912345678", False),
        ({"tenant_calls": 1, "trunk_calls": 29}, "0912345678", True),
        ({"tenant_calls": 2, "trunk_calls": 30}, "113", True),  # emergency: always
    ],
)
def test_worker_legs_to_a_trunk_fit_the_plan_and_the_trunk(
    kemi: types.ModuleType, sizes: dict[str, int], callee: str, ok: bool
) -> None:
    k = run(kemi, worker_invite(callee=callee), SNAP_T, from_worker=True, profile_sizes=sizes)
    assert bool(k.relayed) is ok, k.replies
    if not ok:
        assert k.reply is not None and k.reply.code == 503 and k.profiles == []


def test_a_phones_outside_call_is_counted_on_its_trunk_leg(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(callee="0912345678", domain=A), SNAP_T, pv_auth_check=1)
    assert k.relayed and k.profiles == []  # the worker's leg to the trunk counts it
    assert signed_decision(k)["x-pbx-kind"] == "outbound"


def test_a_carrier_call_over_the_trunks_channels_is_503(kemi: types.ModuleType) -> None:
    k = run(kemi, carrier_invite(), SNAP_T, profile_sizes={"trunk_calls": 30})
    assert (k.reply.code, reason(k)) == (503, "trunk_busy")  # type: ignore[union-attr]


def test_without_the_signing_key_no_call_reaches_a_worker(kemi: types.ModuleType, tmp_path: Path) -> None:
    k = use(kemi, FakeKSR(invite(), pv_auth_check=1))
    router = kemi.ProBoxRouter(Fixed(SNAP), kemi.common.SigningKey(str(tmp_path / "missing.key")))
    router.ksr_request_route(None)
    assert (k.reply.code, reason(k)) == (503, "no_worker")  # type: ignore[union-attr]
    assert not k.relayed and not k.dlg_managed and k.appended_headers == []
    assert "signing_key_missing" in k.log_text()


def test_the_signing_key_is_read_again_once_it_appears(kemi: types.ModuleType, tmp_path: Path) -> None:
    use(kemi, FakeKSR())
    clock = Clock()
    path = tmp_path / "signing.key"
    key = kemi.common.SigningKey(str(path), clock=clock)
    assert key.get() is None
    path.write_text(TEST_SIGNING_KEY.hex())
    assert key.get() is None  # not looked at again within the second
    clock.t += 1
    assert key.get() == TEST_SIGNING_KEY


def test_replies_from_a_trunk_tell_the_worker_which_trunk(kemi: types.ModuleType) -> None:
    msg = Message(method="INVITE", headers=[("X-PBX-Trunk", "forged")])
    k = use(kemi, FakeKSR(msg))
    k.avps["$avp(probox_trunk)"] = "ta/viettel"
    assert kemi.ProBoxRouter(Fixed(SNAP)).ksr_reply_from_trunk(None) == 1
    assert "X-PBX-Trunk" in k.removed_headers  # the carrier's own goes
    assert k.appended_headers == ["X-PBX-Trunk: viettel"]


def test_a_phones_software_goes_to_the_worker_signed_and_cleaned(kemi: types.ModuleType) -> None:
    """The toll-fraud guard learns the phone's software from the CDR: the edge passes the
    User-Agent in the signed decision, without control characters, at most 200 characters."""
    msg = invite()
    msg = replace(msg, user_agent="Yealink SIP-T46U 66.86\x00\r\nX-Evil: 1" + "x" * 300)
    k = run(kemi, msg, pv_auth_check=1, profile_size=1)
    [agent] = [h for h in k.appended_headers if h.startswith("X-PBX-Agent: ")]
    value = agent.split(": ", 1)[1]
    assert value.startswith("Yealink SIP-T46U 66.86") and "\r" not in value and "\n" not in value
    assert len(value) <= 200
    assert signed_decision(k)["x-pbx-agent"] == value
