"""pbx_core.bridge and pbx_core.cdr: call events in, CDR out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from pbx_core import cdr as cdrmod
from pbx_core import snapshot as snapmod
from pbx_core.bridge import BridgeRecord, CallSetup, setup_from_headers
from pbx_core.errors import ValidationError

pytestmark = pytest.mark.unit

T0 = datetime(2026, 11, 26, 3, 0, 0, tzinfo=UTC)
SETUP = CallSetup(tenant_id="t1", caller="101", callee="102", kind="internal", record=True)


def rec() -> BridgeRecord:
    return BridgeRecord(setup=SETUP, call_id="abc@host", started_at=T0)


def test_answered_call_cdr_times_and_recording() -> None:
    r = rec().answered(T0 + timedelta(seconds=2)).ended(T0 + timedelta(seconds=12.5), 200, "caller")
    c = r.to_cdr(edge_id="e", worker_id="w", recorded=True)
    assert c.disposition == "answered" and c.duration_s == 10.5
    assert c.started_at == "2026-11-26T03:00:00.000Z" and c.answered_at == "2026-11-26T03:00:02.000Z"
    assert c.recording_key == "tenants/t1/recordings/2026/11/26/abc@host.wav"
    assert c.hangup_cause == "normal_clearing" and c.billable_s == 0  # internal calls are free
    assert cdrmod.from_dict(c.to_dict()) == c


@pytest.mark.parametrize(
    ("code", "side", "timed_out", "want"),
    [
        (486, "callee", False, "busy"),
        (480, "callee", False, "unavailable"),
        (404, "callee", False, "unavailable"),
        (603, "callee", False, "rejected"),
        (487, "caller", False, "cancelled"),
        (480, "system", True, "no_answer"),
        (500, "callee", False, "failed"),
    ],
)
def test_unanswered_dispositions(code: int, side: str, timed_out: bool, want: str) -> None:
    c = (
        rec()
        .ended(T0 + timedelta(seconds=5), code, side, timed_out=timed_out)
        .to_cdr(edge_id="e", worker_id="w", recorded=True)
    )
    assert c.disposition == want
    assert c.duration_s == 0 and c.answered_at is None and c.recording_key is None


def test_worker_crash_keeps_answer_and_marks_the_cause() -> None:
    r = rec().answered(T0 + timedelta(seconds=1))
    again = BridgeRecord.from_journal(r.to_journal())
    assert again == r
    c = again.crashed(T0 + timedelta(seconds=4)).to_cdr(edge_id="e", worker_id="w", recorded=True)
    assert c.disposition == "answered" and c.hangup_cause == "worker_crash" and c.duration_s == 3.0
    unanswered = rec().crashed(T0 - timedelta(seconds=9)).to_cdr(edge_id="e", worker_id="w", recorded=False)
    assert unanswered.disposition == "failed" and unanswered.ended_at == unanswered.started_at


def test_billable_seconds_round_up_external_talk() -> None:
    assert cdrmod.billable_seconds("outbound", 61.2) == 62
    assert cdrmod.billable_seconds("outbound", 60.0) == 60
    assert cdrmod.billable_seconds("internal", 300.0) == 0


def test_setup_needs_the_edge_headers() -> None:
    s = setup_from_headers({"x-pbx-tenant": "t1", "X-PBX-Caller": "101", "X-PBX-Callee": "102", "X-PBX-Record": "0"})
    assert s.tenant_id == "t1" and not s.record
    with pytest.raises(ValidationError) as e:
        setup_from_headers({"X-PBX-Caller": "101"})
    assert "X-PBX-Tenant" in e.value.fields


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"disposition": "weird"},
        {"duration_s": -1},
        {"started_at": "yesterday"},
        {"sip_code": "abc"},
        {"recording_bytes": [1]},
    ],
)
def test_cdr_validation_rejects_bad_input(bad: dict) -> None:
    good = rec().ended(T0 + timedelta(seconds=1), 486, "callee").to_cdr(edge_id="", worker_id="", recorded=False)
    raw = {**good.to_dict(), **bad} if bad else {}
    with pytest.raises(ValidationError):
        cdrmod.from_dict(raw)


def test_snapshot_roundtrip_keeps_every_field() -> None:
    t = snapmod.TenantConfig(
        id="t1",
        domain="acme.probox.vn",
        extensions={"101": snapmod.ExtensionConfig("101", "h" * 32, "Lan", branch_id="b1", pickup_group="g")},
        branches={"b1": snapmod.BranchConfig("b1", "HN", "8")},
        trunks={"k1": snapmod.TrunkConfig("k1", "VNPT", "127.0.0.1", ips=("127.0.0.1",))},
        numbers={"02471001234": snapmod.NumberConfig("02471001234", "fixed", "k1", "101")},
        blocklist=(snapmod.BlockRule("1900*", "out"),),
        outbound_policy=snapmod.OutboundPolicy(premium_1900=True),
    )
    snap = snapmod.build(7, [t], "edge-1")
    back = snapmod.from_json(snap.to_json())
    assert back.to_dict() == snap.to_dict()
    assert back.tenant_for_domain("ACME.probox.vn") is not None
    with pytest.raises(ValidationError):
        snapmod.from_json('{"schema": 1, "version": 1, "tenants": [{"id": "x"}]}')
    with pytest.raises(ValidationError):
        snapmod.from_json("not json")


def test_a_transfer_to_an_outside_number_is_a_billed_leg_of_the_cdr() -> None:
    from datetime import UTC, datetime, timedelta

    from pbx_core import cdr as cdrmod
    from pbx_core.bridge import BridgeRecord, CallSetup

    t0 = datetime(2026, 11, 26, 8, 0, 0, tzinfo=UTC)
    rec = BridgeRecord(CallSetup("t1", "101", "102", "internal", True), "c1", t0).answered(t0 + timedelta(seconds=2))
    rec = rec.with_event("transfer:0912345678").external_leg("0912345678", "viettel", t0 + timedelta(seconds=10))
    rec = rec.external_leg_ended("0912345678", t0 + timedelta(seconds=20, milliseconds=300))
    rec = rec.ended(t0 + timedelta(seconds=21), 200, "caller")
    cdr = rec.to_cdr(edge_id="e", worker_id="w", recorded=True)
    assert cdr.legs == (
        cdrmod.CdrLeg("0912345678", "viettel", "2026-11-26T08:00:10.000Z", "2026-11-26T08:00:20.300Z", 11),
    )
    assert cdr.billable_s == 11  # the internal part is free, the outside leg is not
    back = cdrmod.from_dict(cdr.to_dict())
    assert back == cdr
    # a leg still up when the call ends is billed to the end of the call
    open_leg = BridgeRecord(CallSetup("t1", "101", "0900000000", "outbound", True), "c2", t0).answered(t0)
    open_leg = open_leg.external_leg("0911111111", "viettel", t0 + timedelta(seconds=5))
    c2 = open_leg.ended(t0 + timedelta(seconds=9), 200, "callee").to_cdr(edge_id="e", worker_id="w", recorded=False)
    assert [leg.billable_s for leg in c2.legs] == [4] and c2.billable_s == 9 + 4


def test_cdr_legs_are_validated() -> None:
    import pytest as _pytest

    from pbx_core import cdr as cdrmod
    from pbx_core.errors import ValidationError

    base = {
        "tenant_id": "t1",
        "call_id": "c",
        "caller": "101",
        "callee": "102",
        "started_at": "2026-11-26T08:00:00.000Z",
        "answered_at": None,
        "ended_at": "2026-11-26T08:00:01.000Z",
        "duration_s": 0,
        "disposition": "cancelled",
    }
    assert cdrmod.from_dict(base).legs == ()
    for bad in (
        "x",
        [{"number": "1"}],
        [{"number": "1", "trunk_id": "t", "answered_at": "no", "ended_at": "no", "billable_s": 1}],
    ):
        with _pytest.raises(ValidationError):
            cdrmod.from_dict({**base, "legs": bad})


def test_the_journal_keeps_the_chain_and_outside_legs_for_a_crashed_call() -> None:
    from datetime import UTC, datetime, timedelta

    from pbx_core.bridge import BridgeRecord, CallSetup

    t0 = datetime(2026, 11, 26, 8, 0, 0, tzinfo=UTC)
    rec = BridgeRecord(CallSetup("t1", "101", "102", "internal", True), "c1", t0).answered(t0)
    rec = rec.with_event("pickup:103").with_event("transfer:0912345678")
    rec = rec.external_leg("0912345678", "vt", t0 + timedelta(seconds=5))
    back = BridgeRecord.from_journal(rec.to_journal())
    assert back.chain == ("pickup:103", "transfer:0912345678") and back.legs == rec.legs
    cdr = back.crashed(t0 + timedelta(seconds=9)).to_cdr(edge_id="e", worker_id="w", recorded=True)
    assert cdr.hangup_cause == "worker_crash" and cdr.chain == rec.chain
    assert [leg.billable_s for leg in cdr.legs] == [4]
    # journals written before this field existed still load
    old = {k: v for k, v in rec.to_journal().items() if k not in ("chain", "legs")}
    assert BridgeRecord.from_journal(old).chain == ()


def test_cdr_per_leg_quality_round_trips_and_is_optional() -> None:
    """B3: the worker's per-leg quality goes through to_dict/from_dict unchanged; a CDR
    without it (an older edge's) reads with none."""
    r = rec().answered(T0 + timedelta(seconds=2)).ended(T0 + timedelta(seconds=12.5), 200, "caller")
    base = r.to_cdr(edge_id="e", worker_id="w", recorded=False)
    q = (
        cdrmod.CdrQuality("a", "101", packets_lost=2, jitter_ms=3.5, rtt_ms=20.0, mos=4.4),
        cdrmod.CdrQuality("b", "102", jitter_ms=0.0, one_way_audio=True),
    )
    doc = replace(base, quality=q).to_dict()
    assert doc["quality"][0] == {
        "leg": "a",
        "party": "101",
        "packets_lost": 2,
        "jitter_ms": 3.5,
        "rtt_ms": 20.0,
        "mos": 4.4,
        "one_way_audio": False,
    }
    assert cdrmod.from_dict(doc).quality == q
    old = base.to_dict()
    del old["quality"]
    assert cdrmod.from_dict(old).quality == ()
    assert cdrmod.from_dict({**old, "quality": None}).quality == ()
    for bad in ({"leg": ""}, {"leg": "a", "mos": 0.5}, {"leg": "a", "jitter_ms": True}, {"leg": "a", "rtt_ms": "x"}):
        with pytest.raises(ValidationError):
            cdrmod.from_dict({**old, "quality": [bad]})


def test_a_message_left_to_a_queue_is_an_unanswered_call_with_its_recording() -> None:
    """A queue's ``message`` overflow: the caller records a message; nobody answered."""
    r = rec().left_message(T0 + timedelta(seconds=40)).ended(T0 + timedelta(seconds=55), 200, "caller")
    c = r.to_cdr(edge_id="e", worker_id="w", recorded=True)
    assert (c.disposition, c.duration_s, c.answered_at) == ("no_answer", 0, None)
    assert c.recording_key == "tenants/t1/recordings/2026/11/26/abc@host.wav"
    assert c.chain == ("queue_message",)
    assert r.left_message(T0 + timedelta(seconds=50)) is r  # once
    # a worker that dies while the caller speaks still yields it
    back = BridgeRecord.from_journal(rec().left_message(T0 + timedelta(seconds=40)).to_journal())
    assert back.message_at == T0 + timedelta(seconds=40) and back.chain == ("queue_message",)
