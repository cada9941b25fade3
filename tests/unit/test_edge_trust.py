"""The pure decisions behind the edge's trust boundary (issue 13): the edge's signature on
its decisions (pbx_core.edgesig), reading headers as SIP parsers do (pbx_core.sipmsg),
the worker's checks of a Refer-To and of its own bind address, the edge key file, and
what the configuration may put into SIP headers (pbx_core.routing)."""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from edge_node import signing_key
from pbx_core import bridge, edgesig, numbers, routing, sipmsg
from pbx_core.snapshot import ExtensionConfig, NumberConfig, TenantConfig, TrunkConfig, build

pytestmark = pytest.mark.unit

KEY = bytes(range(32))
NOW = 1_800_000_000
DECISION = [("X-PBX-Tenant", "ta"), ("X-PBX-Caller", "101"), ("X-PBX-Callee", "102"), ("X-PBX-Kind", "internal")]


def _lookup(headers: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    return lambda name: [v for k, v in headers if k.lower() == name]


# --- the signature ------------------------------------------------------------------------


def test_a_signed_decision_verifies_and_gives_only_the_signed_headers() -> None:
    sig = edgesig.sign(KEY, "call-1@edge", DECISION, NOW)
    assert sig.startswith(f"1.{NOW}.x-pbx-tenant~x-pbx-caller~x-pbx-callee~x-pbx-kind.")
    headers = [*DECISION, ("X-PBX-Trunk", "added-later")]
    verdict = edgesig.verify(KEY, "call-1@edge", sig, _lookup(headers), NOW + 5)
    assert isinstance(verdict, edgesig.Verified)
    assert verdict.values == {k.lower(): v for k, v in DECISION}  # X-PBX-Trunk is not in it


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"call_id": "call-2@edge"}, "bad_mac"),  # the same headers replayed on another call
        ({"key": bytes(32)}, "bad_mac"),  # another edge's key
        ({"now": NOW + edgesig.REPLAY_WINDOW_S + 1}, "stale"),
        ({"now": NOW - edgesig.REPLAY_WINDOW_S - 1}, "stale"),
        ({"headers": [("X-PBX-Tenant", "tb"), *DECISION[1:]]}, "bad_mac"),  # a value changed
        ({"headers": [*DECISION, ("X-PBX-Tenant", "tb")]}, "ambiguous"),  # a second value
        ({"headers": DECISION[1:]}, "ambiguous"),  # a signed header missing
        ({"sig": ""}, "unsigned"),
        ({"sig": "1.x.y.z"}, "malformed"),
        ({"sig": "2.1.a.b"}, "malformed"),
    ],
)
def test_anything_but_the_edges_own_decision_is_refused(change: dict, why: str) -> None:  # type: ignore[type-arg]
    sig = change.get("sig", edgesig.sign(KEY, "call-1@edge", DECISION, NOW))
    verdict = edgesig.verify(
        change.get("key", KEY),
        change.get("call_id", "call-1@edge"),
        sig,
        _lookup(change.get("headers", DECISION)),
        change.get("now", NOW),
    )
    assert verdict == why


def test_values_that_could_not_be_read_back_are_never_signed() -> None:
    with pytest.raises(ValueError):
        edgesig.sign(KEY, "c", [("X-PBX-Caller", "1\r\nX-PBX-Tenant: tb")], NOW)
    with pytest.raises(ValueError):
        edgesig.sign(KEY, "c", [("X PBX", "1")], NOW)


def test_a_signature_is_acted_on_once() -> None:
    seen = edgesig.SeenSignatures(window=60, limit=3)
    assert seen.first_time("a", NOW) and not seen.first_time("a", NOW + 1)
    assert seen.first_time("a", NOW + 121)  # long after its window it is stale anyway
    for s in "bcde":
        assert seen.first_time(s, NOW + 122)
    assert len(seen._seen) <= 3  # bounded


def test_key_file_format() -> None:
    text = edgesig.new_key_text()
    assert len(edgesig.parse_key(text)) == edgesig.KEY_BYTES and text != edgesig.new_key_text()
    for bad in ("", "zz" * 32, "ab" * 16):
        with pytest.raises(ValueError):
            edgesig.parse_key(bad)


def test_the_signature_travels_unescaped_in_a_refer_to() -> None:
    target = "0912345678@a.test"
    headers = (("X-PBX-Tenant", "ta"), ("X-PBX-Kind", "transfer"), ("X-PBX-Caller", "1%23"))
    sig = edgesig.sign(KEY, "c", [(edgesig.REFER_TO, target), *headers], NOW)
    value = edgesig.refer_to_uri(target, headers, sig)
    assert value.startswith("<sip:0912345678@a.test?X-PBX-Tenant=ta&") and value.endswith(f"&X-PBX-Sig={sig}>")
    ref = edgesig.read_refer_to(value)
    assert ref.target == target and ref.all("x-pbx-caller") == ["1%23"]
    assert isinstance(edgesig.verify(KEY, "c", ref.all("x-pbx-sig")[0], ref.all, NOW), edgesig.Verified)
    assert edgesig.uri_header_value("a b&c=d") == "a%20b%26c%3Dd" and edgesig.uri_header_value("t_1.x") == "t_1.x"


def test_trusted_sources() -> None:
    allowed = edgesig.parse_sources(["127.0.0.1:5060", "10.0.0.0/8", "[::1]:5060"])
    assert edgesig.source_allowed("127.0.0.1:5060", allowed)
    assert not edgesig.source_allowed("127.0.0.1:5061", allowed)  # the edge's port only
    assert not edgesig.source_allowed("127.0.0.2:5060", allowed)
    assert edgesig.source_allowed("10.1.2.3:40000", allowed)
    assert edgesig.source_allowed("[::1]:5060", allowed)
    assert not edgesig.source_allowed("junk", allowed)
    with pytest.raises(ValueError):
        edgesig.parse_sources(["", " "])
    with pytest.raises(ValueError):
        edgesig.parse_sources(["edge.example:5060"])


# --- reading headers as SIP parsers do ----------------------------------------------------


def test_folded_lines_are_no_headers() -> None:
    msg = (
        "INVITE sip:102@a.test SIP/2.0\r\n"
        "Subject: hello\r\n"
        " X-PBX-Trunk: forged\r\n"
        "X-PBX-Tenant : ta\r\n"
        "\tX-PBX-DID: 0299\r\n"
        "i: abc@h\r\n"
        "x-pbx-caller:101\r\n"
        "no colon here\r\n"
        "\r\n"
        "X-PBX-Branch: in the body\r\n"
    )
    head = sipmsg.parse_head(msg)
    assert head.request_uri == "sip:102@a.test"
    assert head.get("subject") == "hello X-PBX-Trunk: forged"
    assert head.all("X-PBX-Trunk") == [] and head.all("x-pbx-did") == [] and head.all("x-pbx-branch") == []
    assert head.get("x-pbx-tenant") == "ta X-PBX-DID: 0299" and head.get("X-PBX-Caller") == "101"
    assert head.get("call-id") == head.get("i") == "abc@h"
    assert sipmsg.parse_head("SIP/2.0 200 OK\r\nr: <sip:1@a>\r\n\r\n").get("Refer-To") == "<sip:1@a>"


# --- the worker: a Refer-To, its bind address ----------------------------------------------


def _call(chain: tuple[str, ...] = ()) -> bridge.BridgeRecord:
    setup = bridge.CallSetup("ta", "101", "102", "internal", True, "a.test")
    at = datetime(2026, 1, 1, tzinfo=UTC)
    rec = bridge.BridgeRecord(setup, "leg-1@w", at).answered(at)
    for e in chain:
        rec = rec.with_event(e)
    return rec


def _signed_refer(target: str = "103@a.test", tenant: str = "ta", call_id: str = "leg-1@w", key: bytes = KEY) -> str:
    headers = (("X-PBX-Tenant", tenant), ("X-PBX-Kind", "transfer"), ("X-PBX-Caller", "101"))
    sig = edgesig.sign(key, call_id, [(edgesig.REFER_TO, target), *headers], NOW)
    return edgesig.refer_to_uri(target, headers, sig)


@pytest.mark.parametrize(
    ("refer_to", "chain", "why"),
    [
        (_signed_refer(), (), ""),
        (_signed_refer(), ("transfer:105", "transfer_failed:105") * 4, ""),
        (_signed_refer(), ("transfer:105",) * 3 + ("attended_transfer:103",) * 2, "too_many_transfers"),
        ("<sip:201@b.test?X-PBX-Tenant=tb&X-PBX-Kind=transfer>", (), "bad_signature:unsigned"),
        (_signed_refer(tenant="tb"), (), "other_tenant"),  # signed, but for another tenant's call
        (_signed_refer("201@b.test"), (), "other_tenant"),  # another tenant's domain
        (_signed_refer(call_id="other@w"), (), "bad_signature:bad_mac"),  # another call's
        (_signed_refer(key=bytes(32)), (), "bad_signature:bad_mac"),
        (_signed_refer().replace("sip:103@", "sip:0912345678@"), (), "bad_signature:bad_mac"),
    ],
)
def test_the_worker_dials_only_the_refer_to_its_edge_signed_for_the_call(
    refer_to: str, chain: tuple[str, ...], why: str
) -> None:
    assert bridge.refer_refusal(_call(chain), "a.test", KEY, "leg-1@w", refer_to, NOW) == why


def test_transfer_cap() -> None:
    assert bridge.MAX_TRANSFERS_PER_CALL == 5
    assert _call(("transfer:1", "pickup:2", "replaced_by:3")).transfers == 1


@pytest.mark.parametrize(
    ("host", "public", "ok"),
    [
        ("127.0.0.1", False, True),
        ("10.0.0.5", False, True),
        ("192.168.1.2", False, True),
        ("::1", False, True),
        ("203.0.113.10", False, True),  # TEST-NET: not global
        ("8.8.8.8", False, False),
        ("8.8.8.8", True, True),
        ("0.0.0.0", True, False),
        ("edge.example", False, False),
    ],
)
def test_workers_keep_sip_off_public_addresses(host: str, public: bool, ok: bool) -> None:
    from edge_node.media_worker import bind_problem

    assert (bind_problem(host, public) is None) is ok


# --- the edge key file ------------------------------------------------------------------------


def test_the_signing_key_is_created_once_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "state" / "signing.key"
    keys: list[bytes] = []
    threads = [threading.Thread(target=lambda: keys.append(signing_key.ensure(path))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 32  # concurrent first starts agree
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing_key.ensure(path) == keys[0]
    assert [p.name for p in path.parent.iterdir()] == ["signing.key"]
    path.chmod(0o644)
    with pytest.raises(ValueError):
        signing_key.read(path)
    assert signing_key.main([str(path)]) == 1 and signing_key.main([]) == 2
    os.chmod(path, 0o600)
    assert signing_key.main([str(path)]) == 0


# --- configuration values on their way into SIP headers ----------------------------------------


def test_uri_users_and_hosts_from_the_configuration() -> None:
    assert routing.uri_user("0912345678") == "0912345678" and routing.uri_user("acme-vnpt.1") == "acme-vnpt.1"
    assert routing.uri_user("acme\r\nX-Injected: yes") == "acme%0D%0AX-Injected%3A%20yes"
    assert routing.uri_user('a"<b>@c;d') == "a%22%3Cb%3E%40c%3Bd"
    assert routing.safe_host("203.0.113.10") and routing.safe_host("sbc.viettel.vn") and routing.safe_host("::1")
    for bad in ("sbc.vn\r\nX: y", "a b", "a>b", "", "-x.vn"):
        assert not routing.safe_host(bad)
    assert routing.safe_account("acme-vnpt") and not routing.safe_account('a"b') and not routing.safe_account("a\nb")


def _tenant(**kw: object) -> TenantConfig:
    trunk = TrunkConfig("vt", "Viettel", "203.0.113.10", 5060, channels=2, **kw)  # type: ignore[arg-type]
    ext = {"101": ExtensionConfig("101", "x")}
    return TenantConfig(id="ta", domain="a.test", extensions=ext, trunks={"vt": trunk}, max_concurrent_calls=3)


def test_a_trunk_username_as_caller_id_cannot_add_a_header() -> None:
    tenant = _tenant(username="acme\r\nX-Injected: yes")
    leg = routing.invite_from_worker(build(1, [tenant]), "ta", "0912345678", "a.test", "101")
    assert isinstance(leg, routing.ToTrunk)
    for value in (leg.from_uri, leg.pai, leg.ruri, leg.to_uri):
        assert "\r" not in value and "\n" not in value and " " not in value, value
    assert leg.pai == "<sip:acme%0D%0AX-Injected%3A%20yes@203.0.113.10>"


def test_unsafe_trunk_credentials_and_hosts_never_reach_the_wire() -> None:
    bad_user = _tenant(auth="register", username='u"\r\nX: y', password="p")
    assert routing.trunk_registrations(build(1, [bad_user])) == []
    assert routing.trunk_credentials(build(1, [bad_user]), "ta/vt") is None
    good = _tenant(auth="register", username="acme-vnpt", password='p"\r\n')  # only hashed
    assert [r.username for r in routing.trunk_registrations(build(1, [good]))] == ["acme-vnpt"]
    assert routing.trunk_credentials(build(1, [good]), "ta/vt") == ("acme-vnpt", 'p"\r\n')
    bad_host = TenantConfig(
        id="ta",
        domain="a.test",
        extensions={"101": ExtensionConfig("101", "x")},
        trunks={"vt": TrunkConfig("vt", "V", "sbc.vn>;x=<y", 5060)},
    )
    assert routing.invite_from_worker(build(1, [bad_host]), "ta", "0912345678", "a.test", "101") == routing.NO_TRUNK


# --- every trunk leg counts ----------------------------------------------------------------


def test_trunk_legs_fit_the_plan_and_the_trunks_channels() -> None:
    tenant, mobile = _tenant(), numbers.parse("0912345678")
    emergency = numbers.parse("113")
    assert mobile is not None and emergency is not None
    assert routing.trunk_leg_limits(tenant, "vt", mobile, 2, 1) is None
    assert routing.trunk_leg_limits(tenant, "vt", mobile, 3, 0) == routing.CALL_LIMIT
    assert routing.trunk_leg_limits(tenant, "vt", mobile, 0, 2) == routing.TRUNK_BUSY
    assert routing.trunk_leg_limits(tenant, "vt", emergency, 3, 2) is None  # S4: always


def test_a_carriers_call_takes_a_channel_and_a_phones_outside_call_is_counted_on_its_trunk_leg() -> None:
    tenant = _tenant()
    tenant = replace(tenant, numbers={"02873001234": NumberConfig("02873001234", "fixed", "vt", "101")})
    inbound = routing.Inbound(tenant, tenant.trunks["vt"], tenant.numbers["02873001234"])
    call = routing.invite_from_trunk(inbound, "0912345678", 0, 1)
    assert isinstance(call, routing.ToWorker) and call.counted and call.trunk_key == "ta/vt"
    assert routing.invite_from_trunk(inbound, "0912345678", 0, 2) == routing.TRUNK_BUSY
    snap = build(1, [tenant])
    out = routing.invite_from_phone(snap, tenant, "101", "0912345678", "a.test", 0)
    assert isinstance(out, routing.ToWorker) and not out.counted and out.trunk_key == ""
    internal = routing.invite_from_phone(snap, tenant, "101", "101", "a.test", 0)
    assert internal == routing.SELF_CALL
