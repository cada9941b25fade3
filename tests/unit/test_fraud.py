"""The toll-fraud guard's decisions (pbx_core.fraud, issue 14 item 5): what it learns from
CDRs, how far a leaked account's night is from an office's habits, the fixed caps, and the
words an admin reads. The control plane's side is tests/aws/test_fraud.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from pbx_core import fraud, routing, snapshot
from pbx_core.fraud import Baseline, Settings, Usage
from tests.harness.fraud_traffic import HCM, cdr, leaked_night, office_days

pytestmark = pytest.mark.unit

NO_CAPS = Settings(
    calls_per_minute=0,
    concurrent_per_extension=0,
    concurrent_per_tenant=0,
    daily_minutes_per_extension=0,
    daily_minutes_per_tenant=0,
)


@dataclass
class Guard:
    """What the control plane keeps, in memory: baselines and usage per extension and the
    tenant's, fed call by call as ingest does."""

    settings: Settings = field(default_factory=Settings)
    base: dict[str, Baseline] = field(default_factory=dict)
    usage: dict[str, Usage] = field(default_factory=dict)
    tenant: Baseline = field(default_factory=Baseline)
    tenant_usage: Usage = field(default_factory=Usage)

    def feed(self, doc: dict[str, Any]) -> tuple[str, fraud.Assessment]:
        call = fraud.call_from_cdr(doc, HCM)
        assert call is not None
        ext = doc["caller"]
        usage = self.usage.get(ext, Usage()).add(call)
        self.tenant_usage = self.tenant_usage.add(call)
        base = self.base.get(ext, Baseline())
        a = fraud.assess(call, base, self.tenant, usage, self.tenant_usage, self.settings)
        weight = fraud.learning_weight(a, self.settings)
        if weight > 0:
            base, self.tenant = fraud.learn(base, call, weight), fraud.learn(self.tenant, call, weight)
        self.base[ext], self.usage[ext] = base, usage
        return fraud.decide(a, self.settings), a


def learned(settings: Settings, extensions: list[str], *, weeks: int = 6, seed: int = 1) -> tuple[Guard, list[str]]:
    g = Guard(settings)
    docs = sorted(office_days("t", extensions, date(2026, 9, 7), weeks * 7, seed=seed), key=lambda d: d["started_at"])
    actions = [g.feed(d)[0] for d in docs]
    return g, actions


def test_an_outside_call_is_read_from_its_cdr_in_the_tenants_time() -> None:
    d = cdr("t", "c1", "101", "0912345678", datetime(2026, 10, 5, 9, 30, tzinfo=HCM), 125, source_ip="203.113.10.7")
    call = fraud.call_from_cdr(d, HCM)
    assert call is not None
    assert (call.slot, call.kind, call.talk_s, call.network) == (9, "mobile", 125, "203.113.10.0/24")  # Monday 09:xx
    assert call.agent == "yealink sip-t46u"  # the firmware version is not a new phone
    assert fraud.call_from_cdr({**d, "callee": "19006600"}, HCM).kind == "premium"  # type: ignore[union-attr]
    assert fraud.call_from_cdr({**d, "direction": "internal"}, HCM) is None
    assert fraud.call_from_cdr({**d, "callee": "113"}, HCM) is None  # emergency calls never count


def test_the_baseline_learns_office_hours_and_forgets_with_time() -> None:
    g, _ = learned(NO_CAPS, ["101"], weeks=4)
    b = g.base["101"]
    assert b.mature and 2.5 <= b.span_weeks <= 4  # four weeks, the older ones weigh less
    assert b.per_week(10) > 1  # Monday 10:00
    assert b.per_week(3) < fraud.RARE_PER_WEEK  # Monday 03:00
    assert "Monday 08:00" in fraud.usual_hours(b) and "Sunday" not in fraud.usual_hours(b)
    assert b.knows_network("203.113.10.0/24") and b.knows_agent("yealink sip-t46u")
    assert b.share("fixed") > b.share("mobile") > b.share("tollfree") > 0 == b.share("premium")
    back = Baseline.from_dict(b.to_dict())
    assert back.per_week(10) == pytest.approx(b.per_week(10), rel=1e-3) and back.mature
    # Eight weeks of silence later, one call: the old habits weigh a quarter.
    eight_weeks = datetime.fromtimestamp(b.updated_at, HCM) + timedelta(weeks=8)
    later = cdr("t", "x", "101", "02838221000", eight_weeks, 60)
    call = fraud.call_from_cdr(later, HCM)
    assert call is not None
    assert fraud.learn(b, call).calls == pytest.approx(b.calls * 0.25 + 1, rel=0.05)


@pytest.mark.parametrize("seed", range(1, 11))
def test_ordinary_office_weeks_raise_nothing(seed: int) -> None:
    """Busy and quiet days, late calls, Saturday mornings, long calls, a softphone now and
    then, several addresses of the office's network: no alert, no suspension."""
    _, actions = learned(Settings(), ["101", "102", "103", "104", "105", "106"], seed=seed)
    assert set(actions) == {fraud.NONE}, seed


def test_a_leaked_accounts_night_is_suspended_within_three_calls() -> None:
    g, _ = learned(NO_CAPS, ["101", "102", "103"])  # the learned score alone, no caps
    night = leaked_night("t", "101", date(2026, 10, 20))  # a Tuesday, 03:02, 5 s apart
    decisions = [g.feed(d) for d in night]
    first_suspension = next(i for i, (action, _) in enumerate(decisions) if action == fraud.SUSPEND)
    assert first_suspension <= 2  # the third call, placed 10 s into the burst
    assert decisions[0][0] == fraud.ALERT  # the first call is already unusual
    codes = {r.code for r in decisions[first_suspension][1].reasons}
    assert {fraud.ODD_HOUR, fraud.NEW_NETWORK, fraud.PREMIUM} <= codes
    # Without 1900 numbers in it (mobiles only), a few calls more.
    g2, _ = learned(NO_CAPS, ["101", "102", "103"])
    mobiles = [g2.feed(d)[0] for d in leaked_night("t", "101", date(2026, 10, 20), premium_every=0)]
    assert mobiles.index(fraud.SUSPEND) <= 3
    # Suspicious calls are not learned: the attacker does not teach the baseline 03:00.
    assert g.base["101"].per_week(24 + 3) < fraud.RARE_PER_WEEK


def test_without_networks_and_phone_software_in_the_cdrs_the_night_is_still_suspended() -> None:
    """The edge does not put source_ip/user_agent in CDRs yet: hours, bursts and
    destinations alone suspend the leaked night (no caps)."""
    g = Guard(NO_CAPS)
    history = sorted(office_days("t", ["101", "102", "103"], date(2026, 9, 7), 42), key=lambda d: d["started_at"])
    bare = [{**d, "source_ip": "", "user_agent": ""} for d in history]
    assert {g.feed(d)[0] for d in bare} == {fraud.NONE}
    night = [{**d, "source_ip": "", "user_agent": ""} for d in leaked_night("t", "101", date(2026, 10, 20))]
    assert [g.feed(d)[0] for d in night].index(fraud.SUSPEND) == 2  # the first 1900 call
    g2 = Guard(NO_CAPS)
    for d in bare:
        g2.feed(d)
    mobiles = leaked_night("t", "101", date(2026, 10, 20), premium_every=0)
    actions = [g2.feed({**d, "source_ip": "", "user_agent": ""})[0] for d in mobiles]
    assert actions.index(fraud.SUSPEND) == 3  # 15 s into the burst


def test_the_same_pattern_from_the_office_network_is_less_alarming() -> None:
    g, _ = learned(NO_CAPS, ["101", "102"])
    night = datetime(2026, 10, 20, 21, 0, tzinfo=HCM)
    doc = cdr("t", "late", "101", "02838221001", night, 300)  # the office's network, a fixed line
    action, a = g.feed(doc)
    assert action == fraud.NONE and [r.code for r in a.reasons] == [fraud.ODD_HOUR]


def test_caps_act_without_any_history() -> None:
    g = Guard(Settings(policy=fraud.THROTTLE, calls_per_minute=3, concurrent_per_extension=0))
    start = datetime(2026, 10, 5, 10, 0, tzinfo=HCM)
    actions = [
        g.feed(cdr("t", f"c{i}", "101", "02838221001", start + timedelta(seconds=10 * i), 5))[0] for i in range(5)
    ]
    assert actions == [fraud.NONE, fraud.NONE, fraud.NONE, fraud.THROTTLE, fraud.THROTTLE]
    g = Guard(Settings(concurrent_per_extension=2, calls_per_minute=0))
    actions = [g.feed(cdr("t", f"c{i}", "101", "02838221001", start + timedelta(seconds=i), 600))[0] for i in range(3)]
    assert actions[-1] == fraud.SUSPEND and actions[:2] == [fraud.NONE, fraud.NONE]
    g = Guard(Settings(daily_minutes_per_tenant=30, calls_per_minute=0, concurrent_per_tenant=0))
    docs = [cdr("t", f"m{i}", str(101 + i), "02838221001", start + timedelta(minutes=20 * i), 600) for i in range(4)]
    action, a = [g.feed(d) for d in docs][-1]
    assert action == fraud.SUSPEND and a.reasons[-1].code == fraud.CAP_MINUTES_TENANT
    assert "40 outside minutes today in the company (the limit is 30)" in a.reasons[-1].text()


def test_policies_decide_what_a_score_does() -> None:
    a = fraud.Assessment(70, (fraud.Reason(fraud.PREMIUM, 30), fraud.Reason(fraud.NEW_NETWORK, 40)))
    assert fraud.decide(a, Settings(policy="alert")) == fraud.ALERT
    assert fraud.decide(a, Settings(policy="throttle")) == fraud.THROTTLE
    assert fraud.decide(a, Settings(policy="suspend")) == fraud.SUSPEND
    assert fraud.decide(a, Settings(action_score=80)) == fraud.ALERT
    assert fraud.decide(a, Settings(alert_score=80, action_score=80)) == fraud.NONE
    assert fraud.stronger(fraud.SUSPEND, fraud.ALERT) and not fraud.stronger(fraud.ALERT, fraud.SUSPEND)


def test_a_decision_reads_in_english_and_vietnamese() -> None:
    reasons = [fraud.Reason(fraud.ODD_HOUR, 25, {"calls": 2, "slot": 24 + 3}), fraud.Reason(fraud.PREMIUM, 30)]
    en = fraud.explain("101", fraud.SUSPEND, reasons, "en")
    assert en.startswith("Outside calls of extension 101 are suspended until an admin lifts the suspension: ")
    assert "1900 premium-rate number" in en and "Tuesday 03:00" in en and "Internal calls still work" in en
    vi = fraud.explain("101", fraud.THROTTLE, reasons, "vi", minutes=30)
    assert vi.startswith("Máy nhánh 101 tạm dừng gọi ra ngoài trong 30 phút: ")
    assert "đầu số 1900" in vi and "03:00 Thứ Ba" in vi


def test_a_held_extension_is_refused_outside_calls_and_keeps_its_internal_ones() -> None:
    trunk = snapshot.TrunkConfig(id="tr1", name="VNPT", host="sip.vnpt.vn", address="203.0.113.5")  # pinned
    num = snapshot.NumberConfig(number="02838221234", kind="fixed", trunk_id="tr1", route_to="101")
    exts = {
        "101": snapshot.ExtensionConfig("101", "h", outbound_hold="suspend", outbound="internal_only"),
        "102": snapshot.ExtensionConfig("102", "h", outbound_hold="throttle", outbound_hold_until=2_000),
        "103": snapshot.ExtensionConfig("103", "h"),
    }
    t = snapshot.TenantConfig(
        id="t1", domain="a.vn", extensions=exts, trunks={"tr1": trunk}, numbers={"02838221234": num}
    )
    snap = snapshot.build(1, [t])
    out = routing.invite_from_phone(snap, t, "101", "0912345678", "a.vn", 0, 1_000)
    assert out == routing.FRAUD_HOLD
    assert isinstance(routing.invite_from_phone(snap, t, "101", "103", "a.vn", 0, 1_000), routing.ToWorker)
    assert isinstance(routing.invite_from_phone(snap, t, "101", "113", "a.vn", 0, 1_000), routing.ToWorker)
    assert routing.invite_from_phone(snap, t, "102", "0912345678", "a.vn", 0, 1_000) == routing.FRAUD_HOLD
    assert isinstance(routing.invite_from_phone(snap, t, "102", "0912345678", "a.vn", 0, 2_001), routing.ToWorker)
    assert isinstance(routing.invite_from_phone(snap, t, "103", "0912345678", "a.vn", 0, 1_000), routing.ToWorker)
    back = snapshot.from_json(snap.to_json())
    assert back.tenants["t1"].extensions["102"].outbound_hold_until == 2_000
    assert back.tenants["t1"].extensions["101"].outbound_hold == "suspend"
