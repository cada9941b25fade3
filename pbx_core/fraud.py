"""The toll-fraud guard that learns (issue 14 item 5, S3): per extension and per tenant,
what outside calling normally looks like, learned from CDRs, and how far a new call
pattern is from it. Pure: the control plane (control_plane/fraud) keeps the state in the
table and asks these functions what it means.

What is learned (a ``Baseline``, with a half-life of ``HALF_LIFE_S``: a month-old habit
weighs half of today's):

* outside calls per hour of the week (168 slots, in the tenant's time zone);
* the destination mix: mobile, fixed, 1800, 1900, international (``pbx_core.numbers``);
* call lengths (mean and spread of talk time) and outside minutes per active day;
* the source networks (/24, /64) and the phone software (User-Agent without its
  version) of the calls, when the CDR carries them.

A call that does not look like the baseline scores points (``assess``), each with a
``Reason`` an admin reads in English or Vietnamese (``explain``). Fixed caps stand beside
the learning and do not need any history: calls per minute, concurrent outside calls and
outside minutes a day, per extension and per tenant. The tenant's ``Settings`` turn the
score into a decision (``decide``): nothing, alert, throttle (outside calls paused for a
while) or suspend (until an admin lifts it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from pbx_core import numbers
from pbx_core.firewall import network_of

HOUR = 3600
DAY = 86400
WEEK = 7 * DAY
SLOTS = 168  # hours of a week, Monday 00:00 first
HALF_LIFE_S = 28 * DAY
RECENT_S = 3600  # the window a new pattern is judged in
MAX_RECENT = 200
MAX_NETWORKS = 16
MAX_AGENTS = 8
MATURE_CALLS = 20.0  # a baseline is used once it saw this many calls...
MATURE_WEEKS = 2.0  # ... over this many weeks
RARE_PER_WEEK = 0.1  # an hour slot with fewer outside calls a week than this is "unusual"
KNOWN_WEIGHT = 0.5  # a network or User-Agent seen at least this much (decayed) is known
OTHER = "other"
KINDS = (numbers.MOBILE, numbers.FIXED, numbers.TOLLFREE, numbers.PREMIUM, numbers.INTERNATIONAL, OTHER)

# Decisions, in order of strength.
NONE = "none"
ALERT = "alert"
THROTTLE = "throttle"
SUSPEND = "suspend"
POLICIES = (ALERT, THROTTLE, SUSPEND)
_STRENGTH = {NONE: 0, ALERT: 1, THROTTLE: 2, SUSPEND: 3}

# Reason codes (stable: the API and the events carry them).
ODD_HOUR = "odd_hour"
BURST = "burst"
NEW_NETWORK = "new_network"
NEW_AGENT = "new_user_agent"
PREMIUM = "premium_destination"
INTERNATIONAL = "international_destination"
MIX_SHIFT = "destination_mix"
MINUTES_JUMP = "minutes_jump"
LONG_CALL = "long_call"
CAP_RATE = "cap_calls_per_minute"
CAP_CONCURRENT = "cap_concurrent_extension"
CAP_CONCURRENT_TENANT = "cap_concurrent_tenant"
CAP_MINUTES = "cap_daily_minutes_extension"
CAP_MINUTES_TENANT = "cap_daily_minutes_tenant"
CAPS = (CAP_RATE, CAP_CONCURRENT, CAP_CONCURRENT_TENANT, CAP_MINUTES, CAP_MINUTES_TENANT)
CAP_POINTS = 100


@dataclass(frozen=True)
class Settings:
    """A tenant's fraud policy: the score that alerts, the score that acts, what acting
    means, and the fixed caps (0 = no cap)."""

    policy: str = SUSPEND  # alert | throttle | suspend
    alert_score: int = 40
    action_score: int = 60
    throttle_minutes: int = 30
    calls_per_minute: int = 6  # per extension
    concurrent_per_extension: int = 4
    concurrent_per_tenant: int = 30
    daily_minutes_per_extension: int = 600
    daily_minutes_per_tenant: int = 6000


@dataclass(frozen=True)
class Call:
    """An outside call as the guard sees it (``call_from_cdr``)."""

    at: int  # started, unix seconds
    end: int
    slot: int  # hour of the week in the tenant's time zone, 0 = Monday 00:00-01:00
    day: int  # the local date's ordinal
    kind: str  # one of KINDS
    talk_s: int
    network: str = ""  # /24 or /64 of the phone's address; "" = unknown
    agent: str = ""  # phone software without its version; "" = unknown


def agent_family(user_agent: str) -> str:
    """A User-Agent without versions (a firmware upgrade is not a new phone):
    ``Yealink SIP-T46U 66.86.0.15`` -> ``yealink sip-t46u``."""
    words = re.split(r"[\s/;()]+", user_agent.strip().lower())
    kept = [w for w in words if w and not re.fullmatch(r"v?[0-9][0-9a-z.\-_]*|rv?[0-9.]+", w)]
    return " ".join(kept[:3])[:60]


def _epoch(value: str) -> datetime:
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def call_from_cdr(cdr: Mapping[str, Any], zone: tzinfo) -> Call | None:
    """The outside call of a CDR (None: not an outside call placed by an extension)."""
    if cdr.get("direction") != "outbound":
        return None
    try:
        start, end = _epoch(str(cdr["started_at"])), _epoch(str(cdr["ended_at"]))
    except (KeyError, ValueError):
        return None
    number = numbers.parse(str(cdr.get("callee") or ""))
    kind = number.kind if number is not None and number.kind in KINDS else OTHER
    if number is not None and number.kind == numbers.EMERGENCY:
        return None  # emergency calls are never held against anyone
    local = start.astimezone(zone)
    talk = int(cdr.get("billable_s") or 0) or math.ceil(float(cdr.get("duration_s") or 0))
    source = str(cdr.get("source_ip") or "")
    return Call(
        at=int(start.timestamp()),
        end=max(int(end.timestamp()), int(start.timestamp())),
        slot=local.weekday() * 24 + local.hour,
        day=local.toordinal(),
        kind=kind,
        talk_s=max(0, talk),
        network=network_of(source) if source else "",
        agent=agent_family(str(cdr.get("user_agent") or "")),
    )


# --- what is learned ----------------------------------------------------------------------
@dataclass(frozen=True)
class Baseline:
    updated_at: int = 0
    span_weeks: float = 0.0  # weeks of observation (decayed like the counts)
    calls: float = 0.0
    slots: tuple[float, ...] = (0.0,) * SLOTS
    kinds: Mapping[str, float] = field(default_factory=dict)
    talk_n: float = 0.0
    talk_sum: float = 0.0
    talk_sq: float = 0.0
    day: int = 0  # the day being counted
    day_minutes: float = 0.0
    daily_mean: float = 0.0  # outside minutes of an active day (moving average)
    daily_days: float = 0.0
    networks: Mapping[str, float] = field(default_factory=dict)
    agents: Mapping[str, float] = field(default_factory=dict)

    @property
    def mature(self) -> bool:
        return self.calls >= MATURE_CALLS and self.span_weeks >= MATURE_WEEKS

    def per_week(self, slot: int) -> float:
        """Outside calls a week in ``slot``, smoothed with the next hours (an hour late
        or early is ordinary)."""
        span = max(self.span_weeks, 1.0)
        s = self.slots
        return (0.25 * s[(slot - 1) % SLOTS] + 0.5 * s[slot] + 0.25 * s[(slot + 1) % SLOTS]) / span * 2

    def share(self, kind: str) -> float:
        total = sum(self.kinds.values())
        return float(self.kinds.get(kind, 0.0)) / total if total > 0 else 0.0

    def talk_mean_sd(self) -> tuple[float, float]:
        if self.talk_n <= 0:
            return 0.0, 0.0
        mean = self.talk_sum / self.talk_n
        return mean, math.sqrt(max(0.0, self.talk_sq / self.talk_n - mean * mean))

    def knows_network(self, network: str) -> bool:
        return self.networks.get(network, 0.0) >= KNOWN_WEIGHT

    def knows_agent(self, agent: str) -> bool:
        return self.agents.get(agent, 0.0) >= KNOWN_WEIGHT

    def to_dict(self) -> dict[str, Any]:
        return {
            "u": self.updated_at,
            "w": round(self.span_weeks, 4),
            "c": round(self.calls, 4),
            "s": [round(x, 4) for x in self.slots],
            "k": {k: round(v, 4) for k, v in self.kinds.items()},
            "t": [round(self.talk_n, 4), round(self.talk_sum, 2), round(self.talk_sq, 1)],
            "d": [self.day, round(self.day_minutes, 2), round(self.daily_mean, 3), round(self.daily_days, 3)],
            "n": {k: round(v, 4) for k, v in self.networks.items()},
            "a": {k: round(v, 4) for k, v in self.agents.items()},
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> Baseline:
        if not raw:
            return cls()
        slots = tuple(float(x) for x in raw.get("s", ()))
        t = [*raw.get("t", ()), 0, 0, 0]
        d = [*raw.get("d", ()), 0, 0, 0, 0]
        return cls(
            updated_at=int(raw.get("u", 0)),
            span_weeks=float(raw.get("w", 0)),
            calls=float(raw.get("c", 0)),
            slots=slots if len(slots) == SLOTS else (0.0,) * SLOTS,
            kinds={str(k): float(v) for k, v in dict(raw.get("k", {})).items()},
            talk_n=float(t[0]),
            talk_sum=float(t[1]),
            talk_sq=float(t[2]),
            day=int(d[0]),
            day_minutes=float(d[1]),
            daily_mean=float(d[2]),
            daily_days=float(d[3]),
            networks={str(k): float(v) for k, v in dict(raw.get("n", {})).items()},
            agents={str(k): float(v) for k, v in dict(raw.get("a", {})).items()},
        )


def _factor(dt: float) -> float:
    return float(0.5 ** (max(0.0, dt) / HALF_LIFE_S))


def _top(weights: Mapping[str, float], limit: int) -> dict[str, float]:
    kept = sorted(weights.items(), key=lambda kv: -kv[1])[:limit]
    return {k: v for k, v in kept if v >= 0.01}


def learn(b: Baseline, call: Call, weight: float = 1.0) -> Baseline:
    """The baseline with ``call`` learned with ``weight`` (``learning_weight``; time moves
    to the call; older calls, arriving late, count with the weight they have now)."""
    if b.updated_at == 0:
        b = replace(b, updated_at=call.at)
    dt = call.at - b.updated_at
    f = _factor(dt)
    w = weight * (1.0 if dt >= 0 else _factor(-dt))  # a late call weighs what it weighs today
    now = max(call.at, b.updated_at)
    slots = [x * f for x in b.slots]
    slots[call.slot] += w
    kinds = {k: v * f for k, v in b.kinds.items()}
    kinds[call.kind] = kinds.get(call.kind, 0.0) + w
    networks = {k: v * f for k, v in b.networks.items()}
    if call.network:
        networks[call.network] = networks.get(call.network, 0.0) + w
    agents = {k: v * f for k, v in b.agents.items()}
    if call.agent:
        agents[call.agent] = agents.get(call.agent, 0.0) + w
    day, day_minutes, daily_mean, daily_days = b.day, b.day_minutes, b.daily_mean, b.daily_days
    if call.day > day:
        if day and day_minutes > 0:  # the day that ended was an active day
            daily_days = daily_days * _factor((call.day - day) * DAY) + 1
            alpha = max(0.05, 1.0 / daily_days)
            daily_mean = daily_mean + alpha * (day_minutes - daily_mean)
        day, day_minutes = call.day, 0.0
    if call.day == day:
        day_minutes += weight * call.talk_s / 60.0
    return Baseline(
        updated_at=now,
        span_weeks=b.span_weeks * f + max(0, dt) / WEEK,
        calls=b.calls * f + w,
        slots=tuple(slots),
        kinds=kinds,
        talk_n=b.talk_n * f + w,
        talk_sum=b.talk_sum * f + w * call.talk_s,
        talk_sq=b.talk_sq * f + w * call.talk_s * call.talk_s,
        day=day,
        day_minutes=day_minutes,
        daily_mean=daily_mean,
        daily_days=daily_days,
        networks=_top(networks, MAX_NETWORKS),
        agents=_top(agents, MAX_AGENTS),
    )


# --- what is happening now ----------------------------------------------------------------
@dataclass(frozen=True)
class Usage:
    """Recent outside calls (the last ``RECENT_S``) and today's outside minutes, every call
    counted, suspicious ones too (the baseline learns only the ordinary ones)."""

    day: int = 0
    day_minutes: float = 0.0
    recent: tuple[tuple[int, int, str, int, str, str], ...] = ()  # at, end, kind, talk, network, agent

    def add(self, call: Call) -> Usage:
        horizon = max([call.at, *(r[0] for r in self.recent)]) - RECENT_S
        recent = tuple(r for r in self.recent if r[0] >= horizon)
        recent = (*recent, (call.at, call.end, call.kind, call.talk_s, call.network, call.agent))[-MAX_RECENT:]
        day, minutes = self.day, self.day_minutes
        if call.day > day:
            day, minutes = call.day, 0.0
        if call.day == day:
            minutes += call.talk_s / 60.0
        return Usage(day=day, day_minutes=minutes, recent=tuple(sorted(recent)))

    def window(self, at: int) -> list[tuple[int, int, str, int, str, str]]:
        return [r for r in self.recent if at - RECENT_S <= r[0] <= at]

    def overlapping(self, start: int, end: int) -> int:
        return sum(1 for r in self.recent if r[0] < max(end, start + 1) and r[1] > start)

    def to_dict(self) -> dict[str, Any]:
        return {"d": self.day, "m": round(self.day_minutes, 2), "r": [list(r) for r in self.recent]}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> Usage:
        if not raw:
            return cls()
        recent = tuple(
            (int(r[0]), int(r[1]), str(r[2]), int(r[3]), str(r[4]), str(r[5]))
            for r in raw.get("r", ())
            if isinstance(r, list) and len(r) == 6
        )
        return cls(day=int(raw.get("d", 0)), day_minutes=float(raw.get("m", 0)), recent=recent)


@dataclass(frozen=True)
class Reason:
    code: str
    points: int
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return explain_reason(self, lang)


@dataclass(frozen=True)
class Assessment:
    score: int
    reasons: tuple[Reason, ...]

    @property
    def capped(self) -> bool:
        return any(r.code in CAPS for r in self.reasons)


def _reference(ext: Baseline, tenant: Baseline) -> Baseline | None:
    """What a call is compared with: the extension's own habits once learned, else the
    company's; None while neither has enough history (only the caps and 1900 apply)."""
    if ext.mature:
        return ext
    return tenant if tenant.mature else None


def _tv_distance(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    ta, tb = sum(a.values()) or 1.0, sum(b.values()) or 1.0
    return 0.5 * sum(abs(a.get(k, 0.0) / ta - b.get(k, 0.0) / tb) for k in set(a) | set(b))


def assess(
    call: Call,
    ext: Baseline,
    tenant: Baseline,
    usage: Usage,
    tenant_usage: Usage,
    settings: Settings,
) -> Assessment:
    """How far ``call`` (already in ``usage`` and ``tenant_usage``) and the calls of the
    last hour are from the baselines, and which caps they cross."""
    reasons: list[Reason] = []
    ref = _reference(ext, tenant)
    window = usage.window(call.at)
    if ref is not None:
        odd = [r for r in window if ref.per_week(_slot_of(call, r[0])) < RARE_PER_WEEK]
        if odd:
            reasons.append(Reason(ODD_HOUR, min(45, 15 + 10 * (len(odd) - 1)), {"calls": len(odd), "slot": call.slot}))
        usual = ref.per_week(call.slot)
        threshold = max(4, math.ceil(3 * usual + 3))
        if len(window) >= threshold:
            points = min(30, 10 + 5 * (len(window) - threshold))
            reasons.append(Reason(BURST, points, {"calls": len(window), "usual": round(usual, 1)}))
        if len(window) >= 4:
            recent: dict[str, float] = {}
            for r in window:
                recent[r[2]] = recent.get(r[2], 0.0) + 1
            if _tv_distance(recent, ref.kinds) >= 0.5:
                top = max(recent, key=lambda k: recent[k])
                share = round(100 * recent[top] / len(window))
                usual_share = round(100 * ref.share(top))
                reasons.append(Reason(MIX_SHIFT, 10, {"kind": top, "share": share, "usual": usual_share}))
        if ref.daily_days >= 5:
            limit = max(3 * ref.daily_mean, ref.daily_mean + 60)
            if usage.day_minutes > limit:
                reasons.append(
                    Reason(MINUTES_JUMP, 20, {"minutes": round(usage.day_minutes), "usual": round(ref.daily_mean)})
                )
        mean, sd = ref.talk_mean_sd()
        if ref.talk_n >= MATURE_CALLS and call.talk_s > max(mean + 4 * sd, 1200):
            reasons.append(Reason(LONG_CALL, 10, {"minutes": round(call.talk_s / 60), "usual": round(mean / 60, 1)}))
    known = ext if sum(ext.networks.values()) >= 5 else tenant
    if call.network and sum(known.networks.values()) >= 5 and not known.knows_network(call.network):
        reasons.append(Reason(NEW_NETWORK, 20, {"network": call.network}))
    known = ext if sum(ext.agents.values()) >= 5 else tenant
    if call.agent and sum(known.agents.values()) >= 5 and not known.knows_agent(call.agent):
        reasons.append(Reason(NEW_AGENT, 10, {"agent": call.agent}))
    habits = ref if ref is not None else ext
    if call.kind == numbers.PREMIUM and habits.share(numbers.PREMIUM) < 0.02:
        reasons.append(Reason(PREMIUM, 30, {}))
    if call.kind == numbers.INTERNATIONAL and habits.share(numbers.INTERNATIONAL) < 0.02:
        reasons.append(Reason(INTERNATIONAL, 40, {}))
    reasons += _caps(call, usage, tenant_usage, settings)
    return Assessment(sum(r.points for r in reasons), tuple(reasons))


def _slot_of(call: Call, at: int) -> int:
    """The hour-of-week slot of another recent call (``call``'s slot, moved by the time
    between them)."""
    return (call.slot + math.floor((at - (call.at - call.at % HOUR)) / HOUR)) % SLOTS


def _caps(call: Call, usage: Usage, tenant_usage: Usage, s: Settings) -> list[Reason]:
    out: list[Reason] = []
    per_minute = sum(1 for r in usage.recent if call.at - 60 < r[0] <= call.at)
    if s.calls_per_minute and per_minute > s.calls_per_minute:
        out.append(Reason(CAP_RATE, CAP_POINTS, {"calls": per_minute, "cap": s.calls_per_minute}))
    at_once = usage.overlapping(call.at, call.end)
    if s.concurrent_per_extension and at_once > s.concurrent_per_extension:
        out.append(Reason(CAP_CONCURRENT, CAP_POINTS, {"calls": at_once, "cap": s.concurrent_per_extension}))
    tenant_at_once = tenant_usage.overlapping(call.at, call.end)
    if s.concurrent_per_tenant and tenant_at_once > s.concurrent_per_tenant:
        out.append(Reason(CAP_CONCURRENT_TENANT, CAP_POINTS, {"calls": tenant_at_once, "cap": s.concurrent_per_tenant}))
    if s.daily_minutes_per_extension and usage.day_minutes > s.daily_minutes_per_extension:
        out.append(
            Reason(CAP_MINUTES, CAP_POINTS, {"minutes": round(usage.day_minutes), "cap": s.daily_minutes_per_extension})
        )
    if s.daily_minutes_per_tenant and tenant_usage.day_minutes > s.daily_minutes_per_tenant:
        out.append(
            Reason(
                CAP_MINUTES_TENANT,
                CAP_POINTS,
                {"minutes": round(tenant_usage.day_minutes), "cap": s.daily_minutes_per_tenant},
            )
        )
    return out


def decide(a: Assessment, s: Settings) -> str:
    """What the tenant's policy does with an assessment: none, alert, throttle, suspend."""
    if a.capped or a.score >= s.action_score:
        return s.policy if s.policy in POLICIES else SUSPEND
    if a.score >= s.alert_score:
        return ALERT
    return NONE


def stronger(action: str, than: str) -> bool:
    return _STRENGTH.get(action, 0) > _STRENGTH.get(than, 0)


def suspicious(a: Assessment, s: Settings) -> bool:
    """A call the baseline must not learn (an attacker would teach it his habits)."""
    return a.capped or a.score >= s.alert_score


UNUSUAL_WEIGHT = 0.1  # an unusual call below the alert is learned this much


def learning_weight(a: Assessment, s: Settings) -> float:
    """How much a judged call teaches the baseline: an ordinary call fully; an unusual one
    a tenth (a new routine becomes usual over weeks, a night's first calls do not make 03:00
    usual for the next ones); an alarming one not at all."""
    if suspicious(a, s):
        return 0.0
    return 1.0 if a.score == 0 else UNUSUAL_WEIGHT


# --- in words -----------------------------------------------------------------------------
_DAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
}
_KIND_WORDS = {
    "en": {
        numbers.MOBILE: "mobiles",
        numbers.FIXED: "fixed lines",
        numbers.TOLLFREE: "1800 numbers",
        numbers.PREMIUM: "1900 numbers",
        numbers.INTERNATIONAL: "numbers abroad",
        OTHER: "other numbers",
    },
    "vi": {
        numbers.MOBILE: "di động",
        numbers.FIXED: "cố định",
        numbers.TOLLFREE: "đầu số 1800",
        numbers.PREMIUM: "đầu số 1900",
        numbers.INTERNATIONAL: "số nước ngoài",
        OTHER: "số khác",
    },
}
_TEXTS = {
    "en": {
        ODD_HOUR: "{calls} outside call(s) around {day} {hour:02d}:00, when this extension almost never calls out",
        BURST: "{calls} outside calls within an hour, where {usual_words} at this time",
        NEW_NETWORK: "calls came from a network never seen for this extension ({network})",
        NEW_AGENT: "calls came from phone software never seen for this extension ({agent})",
        PREMIUM: "a call to a 1900 premium-rate number, which this extension does not usually call",
        INTERNATIONAL: "a call to a number abroad",
        MIX_SHIFT: "{share}% of the last hour's calls went to {kind_words} (usually {usual}%)",
        MINUTES_JUMP: "{minutes} outside minutes today, where about {usual} a day is usual",
        LONG_CALL: "a {minutes}-minute outside call, where calls usually last {usual} minutes",
        CAP_RATE: "{calls} outside calls in one minute (the limit is {cap})",
        CAP_CONCURRENT: "{calls} outside calls at the same time from this extension (the limit is {cap})",
        CAP_CONCURRENT_TENANT: "{calls} outside calls at the same time in the company (the limit is {cap})",
        CAP_MINUTES: "{minutes} outside minutes today from this extension (the limit is {cap})",
        CAP_MINUTES_TENANT: "{minutes} outside minutes today in the company (the limit is {cap})",
    },
    "vi": {
        ODD_HOUR: "{calls} cuộc gọi ra ngoài vào khoảng {hour:02d}:00 {day}, giờ mà máy nhánh này hầu như không gọi ra",
        BURST: "{calls} cuộc gọi ra ngoài trong một giờ, trong khi giờ này {usual_words}",
        NEW_NETWORK: "cuộc gọi đến từ một mạng chưa từng thấy với máy nhánh này ({network})",
        NEW_AGENT: "cuộc gọi đến từ phần mềm điện thoại chưa từng thấy với máy nhánh này ({agent})",
        PREMIUM: "có cuộc gọi đến đầu số 1900 (cước cao), điều máy nhánh này thường không làm",
        INTERNATIONAL: "có cuộc gọi ra nước ngoài",
        MIX_SHIFT: "{share}% cuộc gọi trong giờ qua là đến {kind_words} (thường là {usual}%)",
        MINUTES_JUMP: "{minutes} phút gọi ra ngoài hôm nay, trong khi mỗi ngày thường khoảng {usual} phút",
        LONG_CALL: "một cuộc gọi ra ngoài dài {minutes} phút, trong khi thường chỉ khoảng {usual} phút",
        CAP_RATE: "{calls} cuộc gọi ra ngoài trong một phút (giới hạn là {cap})",
        CAP_CONCURRENT: "{calls} cuộc gọi ra ngoài cùng lúc từ máy nhánh này (giới hạn là {cap})",
        CAP_CONCURRENT_TENANT: "{calls} cuộc gọi ra ngoài cùng lúc trong công ty (giới hạn là {cap})",
        CAP_MINUTES: "{minutes} phút gọi ra ngoài hôm nay từ máy nhánh này (giới hạn là {cap})",
        CAP_MINUTES_TENANT: "{minutes} phút gọi ra ngoài hôm nay trong công ty (giới hạn là {cap})",
    },
}
_ACTIONS = {
    "en": {
        ALERT: "Extension {ext} looks unusual, its outside calls go on",
        THROTTLE: "Outside calls of extension {ext} are paused for {minutes} minutes",
        SUSPEND: "Outside calls of extension {ext} are suspended until an admin lifts the suspension",
    },
    "vi": {
        ALERT: "Máy nhánh {ext} có dấu hiệu bất thường, vẫn gọi ra ngoài được",
        THROTTLE: "Máy nhánh {ext} tạm dừng gọi ra ngoài trong {minutes} phút",
        SUSPEND: "Máy nhánh {ext} bị khóa gọi ra ngoài cho đến khi quản trị viên mở lại",
    },
}
_ADVICE = {
    "en": "Internal calls still work. If your staff did not make these calls, the SIP password has probably "
    "leaked: rotate it (re-provision the phone) before lifting.",
    "vi": "Gọi nội bộ vẫn hoạt động. Nếu nhân viên của bạn không thực hiện các cuộc gọi này, mật khẩu SIP có thể đã "
    "bị lộ: hãy đổi mật khẩu (cấu hình lại điện thoại) trước khi mở lại.",
}


def explain_reason(r: Reason, lang: str = "en") -> str:
    lang = lang if lang in _TEXTS else "en"
    values = dict(r.values)
    slot = int(values.get("slot", 0)) % SLOTS
    values.setdefault("day", _DAYS[lang][slot // 24])
    values.setdefault("hour", slot % 24)
    values["kind_words"] = _KIND_WORDS[lang].get(str(values.get("kind", OTHER)), str(values.get("kind", "")))
    usual = float(values.get("usual", 0) or 0)
    if lang == "vi":
        values["usual_words"] = f"thường khoảng {usual:.0f} cuộc" if usual >= 0.5 else "hầu như không có cuộc nào"
    else:
        values["usual_words"] = f"about {usual:.0f} is usual" if usual >= 0.5 else "there are usually none"
    try:
        return _TEXTS[lang][r.code].format(**values)
    except (KeyError, ValueError, IndexError):
        return r.code


def explain(extension: str, action: str, reasons: Iterable[Reason], lang: str = "en", *, minutes: int = 0) -> str:
    """The decision in one paragraph a tenant admin understands."""
    lang = lang if lang in _TEXTS else "en"
    head = _ACTIONS[lang].get(action, _ACTIONS[lang][ALERT]).format(ext=extension, minutes=minutes)
    why = "; ".join(explain_reason(r, lang) for r in sorted(reasons, key=lambda r: -r.points))
    sep = ": " if why else ""
    advice = " " + _ADVICE[lang] if action != NONE else ""
    return f"{head}{sep}{why}.{advice}"


def usual_hours(b: Baseline, lang: str = "en") -> str:
    """The hours an extension usually calls out, in words (e.g. "Monday-Friday 08:00-18:00")."""
    if b.calls <= 0:
        return ""
    by_day: dict[int, tuple[int, int]] = {}
    for slot, weight in enumerate(b.slots):
        if weight / max(b.span_weeks, 1.0) >= RARE_PER_WEEK:
            day, hour = divmod(slot, 24)
            lo, hi = by_day.get(day, (hour, hour))
            by_day[day] = (min(lo, hour), max(hi, hour))
    lang = lang if lang in _DAYS else "en"
    parts = [f"{_DAYS[lang][d]} {lo:02d}:00-{hi + 1:02d}:00" for d, (lo, hi) in sorted(by_day.items())]
    return ", ".join(parts)
