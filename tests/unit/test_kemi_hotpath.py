"""The KEMI script's hot path (issue #6, bench 1): what it saves per request must not change
what it does. Same fake KSR as test_kemi_routing; here the fake also counts KSR calls."""

from __future__ import annotations

import collections
import json
import os
import time
import types
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from edge_node import kamailio_config as kc
from pbx_core import edgesig, firewall, routing, sipauth
from pbx_core.snapshot import ExtensionConfig, Snapshot, TenantConfig, TrunkConfig, build
from tests.unit.fake_ksr import FakeKSR, FixedCache, Message, use

pytestmark = pytest.mark.unit

A = "tenant-a.test"


def _tenant(tid: str, domain: str, numbers: list[str], **kw: Any) -> TenantConfig:
    exts = {n: ExtensionConfig(n, sipauth.ha1(n, domain, f"pw-{n}"), f"Ext {n}") for n in numbers}
    return TenantConfig(id=tid, domain=domain, extensions=exts, **kw)


SNAP = build(7, [_tenant("ta", A, ["100", "101"])])


Fixed = FixedCache


class Counting(types.ModuleType):
    """Wraps a FakeKSR: every call through ``KSR.<api>.<fn>`` or ``KSR.<fn>`` is counted
    (``calls``), with its first argument for ``pv.*`` reads (``pv_reads``)."""

    def __init__(self, fake: FakeKSR) -> None:
        super().__init__("KSR")
        self.fake = fake
        self.calls: collections.Counter[str] = collections.Counter()
        self.pv_reads: list[str] = []

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.fake, name)
        if callable(target):
            return self._wrap(name, target)
        outer = self

        class Api:
            def __getattr__(self, fn: str) -> Any:
                return outer._wrap(f"{name}.{fn}", getattr(target, fn))

        return Api()

    def _wrap(self, label: str, fn: Any) -> Any:
        def call(*args: Any) -> Any:
            self.calls[label] += 1
            if label.startswith("pv.get"):
                self.pv_reads.append(args[0])
            return fn(*args)

        return call


class CountingSigner:
    """The router's signer (the edge key), counting its signatures."""

    def __init__(self) -> None:
        self.signed: list[str] = []

    def sign(self, call_id: str, items: Any) -> str:
        self.signed.append(call_id)
        return edgesig.sign(bytes(32), call_id, items, 1_800_000_000)


def run(
    kemi: types.ModuleType,
    msg: Message,
    snap: Snapshot | None = SNAP,
    signer: CountingSigner | None = None,
    learned: bool = True,
    **results: Any,
) -> Counting:
    fake = FakeKSR(msg, **results)
    if learned:  # the source's network was learned today (the firewall writes nothing)
        today = str(int(time.time()) // 86400)
        fake.htables["fwlearn"] = {f"ta/100@{firewall.network_of(msg.src_ip)}": today}
    k = Counting(fake)
    use(kemi, k)  # type: ignore[arg-type]
    assert kemi.ProBoxRouter(Fixed(snap), signer or CountingSigner()).ksr_request_route(None) == 1
    return k


def register(headers: list[tuple[str, str]] | None = None) -> Message:
    return Message(
        method="REGISTER",
        ruri_user="",
        ruri_domain=A,
        to_user="100",
        to_domain=A,
        from_user="100",
        headers=[("Contact", "<sip:100@127.0.0.1:5062>"), ("Expires", "600"), *(headers or [])],
    )


# --- the JSON log line ----------------------------------------------------------------------


def _reference(event: str, edge_id: str, **fields: Any) -> str:
    record: dict[str, Any] = {"event": event, "edge_id": edge_id}
    record.update({k: v for k, v in fields.items() if v is not None and v != ""})
    return json.dumps(record, separators=(",", ":"), default=str, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    "fields",
    [
        {"call_id": "a@b", "method": "REGISTER", "src": "127.0.0.1:5062", "aor": "100@x", "expires": "600"},
        {"caller": 'Nguyễn "Văn" A\\', "callee": "1\r\n2\x00\t\x7f", "active": 0, "nat": True},
        {"skipped": None, "empty": "", "zero": 0, "false": False, "ratio": 0.5, "nan": float("nan")},
        {"list": ["x", 1], "dict": {"k": "v"}, "obj": Path("/tmp/x"), "big": 10**30, "neg": -3},
    ],
)
def test_log_line_is_exactly_what_json_dumps_gives(kemi: types.ModuleType, fields: dict[str, Any]) -> None:
    k = use(kemi, FakeKSR())
    kemi.common.log("info", "registered", **fields)
    assert k.logs == [("info", _reference("registered", kemi.common.EDGE_ID, **fields))]
    json.loads(k.logs[0][1])  # and it is one valid JSON object


def test_log_levels(kemi: types.ModuleType) -> None:
    k = use(kemi, FakeKSR())
    kemi.common.log("error", "e")
    kemi.common.log("warn", "w")
    kemi.common.log("info", "i")
    assert [lvl for lvl, _ in k.logs] == ["error", "warn", "info"]


def test_header_values_lose_control_characters_only(kemi: types.ModuleType) -> None:
    for value in ["abc", "a\r\nX-PBX-Tenant: tb", "x\x7fy\x00z\x1f", "Nguyễn Văn A\t", " ~"]:
        expected = "".join(c for c in value if c >= " " and c != "\x7f")
        assert kemi.common.header_value(value) == expected


# --- trusted headers: one look at the message instead of a removal per name ------------


def test_request_without_trusted_headers_costs_no_removals(kemi: types.ModuleType) -> None:
    k = run(kemi, register(), pv_auth_check=-5)
    assert k.fake.challenges == [(A, 1)]
    assert k.calls["hdr.remove"] == 1 and k.fake.removed_headers == ["Route"]


@pytest.mark.parametrize("name", ["X-PBX-Tenant", "x-pbx-tenant", "X-Pbx-Bridge", "X-PBX-DID"])
def test_any_trusted_header_in_any_case_strips_them_all(kemi: types.ModuleType, name: str) -> None:
    k = run(kemi, register([(name, "tb")]), pv_auth_check=-5)
    assert set(routing.TRUSTED_HEADERS) <= set(k.fake.removed_headers)


def test_unreadable_message_strips_them_all(kemi: types.ModuleType) -> None:
    """app_python3 raises when the message is not UTF-8: no shortcut then."""
    fake = FakeKSR(register())
    read = fake.pv.gete

    def gete(name: str) -> Any:
        if name == "$mb":
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
        return read(name)

    fake.pv.gete = gete  # type: ignore[method-assign]
    use(kemi, fake)
    kemi.ProBoxRouter(Fixed(SNAP)).ksr_request_route(None)
    assert fake.challenges == [(A, 1)]
    assert set(routing.TRUSTED_HEADERS) <= set(fake.removed_headers)


def test_every_trusted_header_shares_the_prefix_the_shortcut_looks_for(kemi: types.ModuleType) -> None:
    assert kemi.common._TRUSTED_PREFIX == "x-pbx-"
    assert all(h.lower().startswith(kemi.common._TRUSTED_PREFIX) for h in routing.TRUSTED_HEADERS)
    assert kemi.common._shared_prefix(["X-PBX-A", "Y-B"]) == "" and kemi.common._shared_prefix([]) == ""


# --- values read once, and only when needed ----------------------------------------------


def test_a_challenge_reads_no_call_id_and_the_source_address_once(kemi: types.ModuleType) -> None:
    k = run(kemi, register(), pv_auth_check=-5)
    assert not {"$ci", "$sp"} & set(k.pv_reads)
    assert k.pv_reads.count("$rm") == 1 and k.pv_reads.count("$si") == 1  # $si: the firewall's ban check


def test_a_logged_request_reads_call_id_and_source_once(kemi: types.ModuleType) -> None:
    k = run(kemi, register(), pv_auth_check=1)
    line = json.loads(k.fake.log_text())
    assert (line["event"], line["call_id"], line["src"], line["aor"]) == (
        "registered",
        "call-1@test",
        "127.0.0.1:5062",
        "100@tenant-a.test",
    )
    assert [k.pv_reads.count(v) for v in ("$ci", "$si", "$sp")] == [1, 1, 1]


def test_exception_before_the_call_id_was_read_still_logs_it(kemi: types.ModuleType) -> None:
    k = run(kemi, register(), pv_auth_check=RuntimeError("boom"))
    assert k.fake.replies[-1].code == 500
    assert "call-1@test" in k.fake.log_text() and "boom" in k.fake.log_text()


# --- trunk source lookups: remembered per snapshot -----------------------------------------


def invite(src: str = "127.0.0.1") -> Message:
    return Message(method="INVITE", from_user="100", from_domain=A, ruri_user="101", ruri_domain=A, src_ip=src)


def test_phone_invite_does_not_read_what_only_carriers_need(kemi: types.ModuleType) -> None:
    k = run(kemi, invite(), pv_auth_check=-5)
    assert k.fake.challenges == [(A, 1)]
    assert "$tU" not in k.pv_reads  # only the trunk path reads the To user of an INVITE


def test_trunk_lookup_follows_a_new_snapshot(kemi: types.ModuleType) -> None:
    carrier = replace(invite("203.0.113.10"), from_domain="203.0.113.10", to_user="0287300")
    k = use(kemi, FakeKSR(carrier))
    router = kemi.ProBoxRouter(Fixed(SNAP))
    router.ksr_request_route(None)
    assert "decoy_challenged" in k.log_text() and "trunk_invite_rejected" not in k.log_text()  # a phone
    assert router.trunk_sources.memo == {("203.0.113.10", 5062): False}
    # the same address becomes a carrier's: the next INVITE from it is a carrier's call
    trunk = TrunkConfig("vt", "Viettel", "203.0.113.10", 5062, ips=("203.0.113.10",))
    router.cache = Fixed(build(8, [replace(_tenant("ta", A, ["100", "101"]), trunks={"vt": trunk})]))
    k = use(kemi, FakeKSR(carrier))
    router.ksr_request_route(None)
    assert "trunk_invite_rejected" in k.log_text() and k.challenges == []
    assert router.trunk_sources.memo == {("203.0.113.10", 5062): True}


def test_trunk_lookup_memory_is_bounded(kemi: types.ModuleType) -> None:
    use(kemi, FakeKSR())
    router = kemi.ProBoxRouter(Fixed(SNAP))
    for port in range(5000):
        req = types.SimpleNamespace(si="198.51.100.7", sp=port)
        assert router.trunk_sources.from_trunk_address(SNAP, req) is False
    assert 0 < len(router.trunk_sources.memo) <= 4096


def test_is_ip_uri_is_memoised_and_still_right(kemi: types.ModuleType) -> None:
    kemi.common.is_ip_uri.cache_clear()
    for _ in range(3):
        assert kemi.common.is_ip_uri("sip:127.0.0.1:5070;transport=udp")
        assert not kemi.common.is_ip_uri("sip:evil.example:5070")
    assert kemi.common.is_ip_uri.cache_info().hits == 4


# --- what the defences of issue 13 cost per request ----------------------------------------
# KSR calls counted with the fake; each is a C round trip in Kamailio. Before issue 13: a
# REGISTER 14 (challenge) / 21 (saved), a phone's INVITE to a worker 43 (one hdr.append
# per decision header). The signature made that one header block (fewer calls), and costs
# one HMAC in Python (pbx_core.edgesig, ~5 us) on INVITEs to workers only.


# The firewall (issue 14) adds to every request that is not a worker's: the source address,
# the ban table, pike; to initial ones the User-Agent; to an authentication the account's
# hold and whether its network is learned (written once a day). So 4 calls more for a
# challenge, 5 for an authenticated request (which read the source address anyway for its
# log line): bench/edge.py measures what that costs.


def test_register_costs_what_it_did_plus_the_firewall_and_signs_nothing(kemi: types.ModuleType) -> None:
    signer = CountingSigner()
    assert sum(run(kemi, register(), signer=signer, pv_auth_check=-5).calls.values()) == 14 + 4
    assert sum(run(kemi, register(), signer=signer, pv_auth_check=1).calls.values()) == 21 + 5
    # the first success from a network of the day writes it (replicated with DMQ): 2 calls
    assert sum(run(kemi, register(), signer=signer, learned=False, pv_auth_check=1).calls.values()) == 21 + 7
    assert signer.signed == []  # no crypto on the REGISTER path


def test_an_invite_to_a_worker_is_signed_once_in_one_header_block(kemi: types.ModuleType) -> None:
    signer = CountingSigner()
    k = run(kemi, invite(), signer=signer, pv_auth_check=1)
    assert k.fake.relayed and signer.signed == ["call-1@test"]
    assert k.calls["hdr.append"] == 1
    assert sum(k.calls.values()) == 39 + 5, k.calls  # 43 before: the decision headers one by one; +5 firewall
    # the dialog keeps the phone's identity for its REFERs: one dialog variable more
    assert k.calls["dialog.var_sets"] == 3


def test_a_challenged_invite_signs_nothing(kemi: types.ModuleType) -> None:
    signer = CountingSigner()
    run(kemi, invite(), signer=signer, pv_auth_check=-5)
    assert signer.signed == []


# --- Kamailio's command line ------------------------------------------------------------------


def test_command_line_uses_the_constant_time_memory_manager(tmp_path: Path) -> None:
    argv = kc.command(tmp_path / "k.cfg", shm_mb=1024, pkg_mb=16, pid_file=tmp_path / "k.pid")
    assert argv[:3] == ["/usr/sbin/kamailio", "-x", "tlsf"]
    cfg, pid = str(tmp_path / "k.cfg"), str(tmp_path / "k.pid")
    assert argv[3:] == ["-f", cfg, "-DD", "-E", "-m", "1024", "-M", "16", "-P", pid]
    with pytest.raises(ValueError):
        kc.command(tmp_path / "k.cfg", shm_mb=0)


def test_bench_runs_both_configurations_with_the_same_command_line() -> None:
    text = (Path(__file__).resolve().parents[2] / "bench" / "edge.py").read_text(encoding="utf-8")
    assert "argv = kc.command(" in text and text.count("kc.command(") == 1


@pytest.mark.skipif(not os.path.exists("/usr/sbin/kamailio"), reason="no kamailio")
def test_kamailio_knows_the_memory_manager() -> None:
    import subprocess

    out = subprocess.run(["/usr/sbin/kamailio", "-v"], capture_output=True, text=True, check=False).stdout
    assert "TLSF_MALLOC" in out


def test_a_network_learned_today_is_read_from_the_table_once_per_process(kemi: types.ModuleType) -> None:
    """Firewall.learned: the first authentication of the day reads (and writes) the shared
    table; the next ones from the same account and network read nothing; a new day reads
    again, and another network is its own entry."""
    fake = use(kemi, FakeKSR(register()))
    reads: list[str] = []
    get = fake.htable.sht_get

    def counting(table: str, key: str) -> Any:
        if table == kemi.firewall.LEARN_TABLE:
            reads.append(key)
        return get(table, key)

    fake.htable.sht_get = counting  # type: ignore[method-assign]
    now = [1_800_000_000.0]
    fw = kemi.firewall.Firewall(wall=lambda: now[0])
    req = types.SimpleNamespace(si="127.0.0.1")
    for _ in range(3):
        fw.learned(req, "ta/100")
    assert reads == ["ta/100@127.0.0.0/24"]
    assert fake.htables["fwlearn"]["ta/100@127.0.0.0/24"] == str(int(now[0]) // 86400)
    now[0] += 86400
    fw.learned(req, "ta/100")
    fw.learned(types.SimpleNamespace(si="127.0.9.1"), "ta/100")
    assert reads == ["ta/100@127.0.0.0/24", "ta/100@127.0.0.0/24", "ta/100@127.0.9.0/24"]
    assert fake.htables["fwlearn"]["ta/100@127.0.0.0/24"] == str(int(now[0]) // 86400)
