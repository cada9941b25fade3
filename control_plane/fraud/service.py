"""The fraud guard at CDR ingest, the tenant's fraud settings, the fraud state of each
extension, and the lift of a hold.

``observe`` runs right after new CDRs are stored (``cdrs.service``): for the outside calls
among them it reads the states of their extensions and the tenant's (one batch read) and
the settings, lets ``pbx_core.fraud`` learn and judge, and writes the states back in one
transaction, conditional on each state's ``rev`` (a concurrent ingest makes it read again).
A decision stronger than the extension's current state goes into the same transaction: a
``security.fraud`` event with the reasons in words and, for throttle and suspend, a
``FraudHoldItem`` with the tenant's snapshot version bumped, so the edges refuse the
extension's outside calls (``pbx_core.routing.held``) while its internal calls go on. The
tenant's admins get the alert by e-mail (SES) after the commit. Nothing here ever fails an
ingest: an error is logged and counted, the CDR stays stored.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, replace
from datetime import UTC, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import boto3

from control_plane.core import auth, clock, settings, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.events import store as events_store
from control_plane.extensions import store as extensions_store
from control_plane.fraud import store as fraud_store
from control_plane.fraud.schemas import (
    FraudDecisionOut,
    FraudReasonOut,
    FraudSettingsIn,
    FraudSettingsOut,
    FraudStateList,
    FraudStateOut,
    LearnedOut,
)
from control_plane.fraud.store import FraudHoldItem, FraudSettingsItem, FraudStateItem
from control_plane.tenants import store as tenants_store
from control_plane.users import store as users_store
from pbx_core import defaults, fraud
from pbx_core.errors import Conflict, NotFound, ValidationError

ATTEMPTS = 4
EVENT_TYPE = "security.fraud"


# --- settings -------------------------------------------------------------------------------
def settings_of(item: FraudSettingsItem | None) -> fraud.Settings:
    doc = fraud_store.settings_doc(item)
    known = {k: v for k, v in doc.items() if k in fraud.Settings.__dataclass_fields__}
    return replace(fraud.Settings(), **known)


def _settings_out(s: fraud.Settings) -> FraudSettingsOut:
    return FraudSettingsOut(**asdict(s))


def get_settings(tenant_id: str) -> FraudSettingsOut:
    return _settings_out(settings_of(fraud_store.get_settings(tenant_id)))


def update_settings(tenant_id: str, req: FraudSettingsIn) -> FraudSettingsOut:
    item = fraud_store.get_settings(tenant_id)
    current = settings_of(item)
    changes = {k: v for k, v in req.model_dump().items() if v is not None}
    new = replace(current, **changes)
    if new.action_score < new.alert_score:
        raise ValidationError(
            "action_score must not be below alert_score", fields={"action_score": "at least alert_score"}
        )
    rev = int(item.rev or 0) if item is not None else 0
    saved = fraud_store.settings_item(tenant_id, asdict(new), rev=rev + 1, now=store.ts(clock.now()))
    cond = FraudSettingsItem.pk.does_not_exist() if item is None else FraudSettingsItem.rev == rev
    changed = Conflict("fraud settings changed meanwhile, retry")
    store.commit([store.Op(lambda tx: tx.save(saved, condition=cond), lambda: changed)], bump=False)
    logger.info("fraud settings changed", extra={"tenant_id": tenant_id, "fields": sorted(changes)})
    return _settings_out(new)


# --- ingest ---------------------------------------------------------------------------------
def _zone(tenant_id: str) -> tzinfo:
    tenant = tenants_store.get(tenant_id)
    name = (tenant.time_zone if tenant is not None else "") or defaults.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def observe(tenant_id: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Learn from and judge the outside calls of newly stored CDRs; the decisions made
    (also as events). Never raises: the CDRs are stored whatever happens here."""
    if not any(d.get("direction") == "outbound" for d in docs):
        return []  # internal and inbound calls cost the guard nothing
    try:
        decisions = _observe(tenant_id, docs)
    except Exception:
        logger.exception("fraud guard failed", extra={"tenant_id": tenant_id})
        count("FraudGuardError")
        return []
    for d in decisions:
        _mail(tenant_id, d)
    return decisions


def _observe(tenant_id: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    zone = _zone(tenant_id)
    calls: list[tuple[str, str, fraud.Call]] = []
    for doc in docs:
        call = fraud.call_from_cdr(doc, zone)
        caller = str(doc.get("caller") or "")
        if call is not None and caller.isdigit() and len(caller) <= 6:
            calls.append((caller, str(doc.get("call_id") or ""), call))
    if not calls:
        return []
    calls.sort(key=lambda c: c[2].at)
    for _ in range(ATTEMPTS):
        result = _judge_and_save(tenant_id, calls)
        if result is not None:
            return result
        count("FraudStateRetry")
    raise RuntimeError("fraud state kept changing meanwhile")


def _judge_and_save(tenant_id: str, calls: list[tuple[str, str, fraud.Call]]) -> list[dict[str, Any]] | None:
    """One attempt: read, judge, write. None when a state changed meanwhile (retry)."""
    exts = sorted({c[0] for c in calls})
    states = fraud_store.states(tenant_id, ["", *exts])
    rules = settings_of(fraud_store.get_settings(tenant_id))
    tenant_state = states.get("") or fraud_store.new_state(tenant_id, "")
    tenant_base = fraud.Baseline.from_dict(json.loads(tenant_state.baseline))
    tenant_usage = fraud.Usage.from_dict(json.loads(tenant_state.usage))
    now = clock.now()
    at = int(now.timestamp())
    held = (
        {h.extension: h for h in fraud_store.list_holds(tenant_id)}
        if any(states.get(e) is not None and states[e].state in (fraud.THROTTLE, fraud.SUSPEND) for e in exts)
        else {}
    )
    touched: dict[str, tuple[FraudStateItem, fraud.Baseline, fraud.Usage]] = {}
    decisions: list[dict[str, Any]] = []
    for ext, call_id, call in calls:
        if ext not in touched:
            item = states.get(ext) or fraud_store.new_state(tenant_id, ext)
            base = fraud.Baseline.from_dict(json.loads(item.baseline))
            touched[ext] = (item, base, fraud.Usage.from_dict(json.loads(item.usage)))
        item, base, usage = touched[ext]
        usage = usage.add(call)
        tenant_usage = tenant_usage.add(call)
        assessment = fraud.assess(call, base, tenant_base, usage, tenant_usage, rules)
        weight = fraud.learning_weight(assessment, rules)
        if weight > 0:
            base = fraud.learn(base, call, weight)
            tenant_base = fraud.learn(tenant_base, call, weight)
        touched[ext] = (item, base, usage)
        item.score = assessment.score
        action = fraud.decide(assessment, rules)
        current = _current_state(item, held.get(ext), at)
        if action == fraud.NONE or not fraud.stronger(action, current):
            continue
        until = at + 60 * rules.throttle_minutes if action == fraud.THROTTLE else 0
        decision = _decision(ext, call_id, action, assessment, at, until, rules)
        item.state = action
        item.decision = json.dumps(decision, separators=(",", ":"), sort_keys=True)
        decisions.append(decision)
    ops: list[store.Op] = []
    for item, base, usage in touched.values():
        item.baseline = json.dumps(base.to_dict(), separators=(",", ":"))
        item.usage = json.dumps(usage.to_dict(), separators=(",", ":"))
        ops.append(fraud_store.save_state(item))
    tenant_state.baseline = json.dumps(tenant_base.to_dict(), separators=(",", ":"))
    tenant_state.usage = json.dumps(tenant_usage.to_dict(), separators=(",", ":"))
    ops.append(fraud_store.save_state(tenant_state))
    bump = False
    for order, d in enumerate(decisions):
        ops.append(_put(events_store.new(tenant_id, EVENT_TYPE, d, now, order=f"{order:03d}")))
        if d["action"] in (fraud.THROTTLE, fraud.SUSPEND):
            hold = fraud_store.hold(
                tenant_id, d["extension"], action=d["action"], since=at, until=d["held_until"] or 0, text=d["text"]
            )
            ops.append(_put(hold))
            bump = True
    codes = store.transact(functools.partial(_build, ops=ops, bump_tenant=tenant_id if bump else None))
    if codes is not None:
        if store.CONDITION_FAILED in codes or store.TRANSACTION_CONFLICT in codes:
            return None  # read again
        raise RuntimeError(f"fraud state write cancelled: {codes}")
    for d in decisions:
        extra = {"tenant_id": tenant_id, "extension": d["extension"], "action": d["action"]}
        logger.info("fraud decision", extra=extra)
        count("FraudDecision")
    return decisions


def _build(tx: Any, ops: list[store.Op], bump_tenant: str | None) -> None:
    for op in ops:
        op.apply(tx)
    if bump_tenant:
        store.bump_tenant(tx, bump_tenant)


def _put(item: store.Item) -> store.Op:
    return store.Op(lambda tx: tx.save(item), None)


def _delete(item: store.Item) -> store.Op:
    return store.Op(lambda tx: tx.delete(item), None)


def _current_state(item: FraudStateItem, hold: FraudHoldItem | None, now: int) -> str:
    """The strongest decision in force: a pause that ended is over."""
    state = item.state or "ok"
    if state == fraud.THROTTLE and (hold is None or 0 < int(hold.until or 0) <= now):
        return "ok"
    return state if state in (fraud.ALERT, fraud.THROTTLE, fraud.SUSPEND) else "ok"


def _decision(
    ext: str, call_id: str, action: str, a: fraud.Assessment, at: int, until: int, rules: fraud.Settings
) -> dict[str, Any]:
    reasons = sorted(a.reasons, key=lambda r: -r.points)
    return {
        "extension": ext,
        "action": action,
        "score": a.score,
        "at": at,
        "call_id": call_id,
        "held_until": until or None,
        "reasons": [
            {"code": r.code, "points": r.points, "text": r.text("en"), "text_vi": r.text("vi")} for r in reasons
        ],
        "text": fraud.explain(ext, action, reasons, "en", minutes=rules.throttle_minutes),
        "text_vi": fraud.explain(ext, action, reasons, "vi", minutes=rules.throttle_minutes),
    }


# --- alert e-mails ----------------------------------------------------------------------------
def admin_emails(tenant_id: str) -> list[str]:
    return sorted(
        u.email for u in users_store.list_all(tenant_id) if u.role == auth.TENANT_ADMIN and u.status == "active"
    )


_SUBJECTS = {
    fraud.ALERT: ("Máy nhánh {ext}: cuộc gọi ra ngoài bất thường", "Extension {ext}: unusual outside calls"),
    fraud.THROTTLE: ("Máy nhánh {ext}: tạm dừng gọi ra ngoài", "Extension {ext}: outside calls paused"),
    fraud.SUSPEND: ("Máy nhánh {ext}: đã khóa gọi ra ngoài", "Extension {ext}: outside calls suspended"),
}


def _mail(tenant_id: str, d: dict[str, Any]) -> None:
    """E-mail a decision to the tenant's admins (a failure is logged, never raised)."""
    try:
        to = admin_emails(tenant_id)
        if not to:
            logger.info("fraud alert: no tenant admin with an e-mail", extra={"tenant_id": tenant_id})
            return
        vi, en = (s.format(ext=d["extension"]) for s in _SUBJECTS[d["action"]])
        lines = [
            d["text_vi"],
            "",
            *(f"- {r['text_vi']} ({r['points']})" for r in d["reasons"]),
            "",
            "---",
            "",
            d["text"],
            "",
            *(f"- {r['text']} ({r['points']})" for r in d["reasons"]),
            "",
            f"Score / điểm: {d['score']}. Call / cuộc gọi: {d['call_id']}.",
        ]
        s = settings.aws()
        ses = boto3.client("ses", region_name=s.region, endpoint_url=s.endpoint_url)
        ses.send_email(
            Source=settings.alert_sender(),
            Destination={"ToAddresses": to[:50]},
            Message={
                "Subject": {"Data": f"[ProBox] {vi} / {en}", "Charset": "UTF-8"},
                "Body": {"Text": {"Data": "\n".join(lines), "Charset": "UTF-8"}},
            },
        )
        count("FraudAlertMailed")
    except Exception:
        logger.exception("fraud alert e-mail failed", extra={"tenant_id": tenant_id})
        count("FraudAlertMailFailed")


# --- reads and the lift -----------------------------------------------------------------------
def _public(ext: str, item: FraudStateItem | None, hold: FraudHoldItem | None, now: int, today: int) -> FraudStateOut:
    base = fraud.Baseline.from_dict(json.loads(item.baseline)) if item is not None else fraud.Baseline()
    usage = fraud.Usage.from_dict(json.loads(item.usage)) if item is not None else fraud.Usage()
    in_force = fraud_store.holds_in_force([hold], now) if hold is not None else {}
    state = _current_state(item, hold, now) if item is not None else "ok"
    raw = json.loads(item.decision) if item is not None and item.decision else {}
    last = None
    if raw:
        last = FraudDecisionOut(
            action=raw["action"],
            score=int(raw["score"]),
            at=int(raw["at"]),
            call_id=str(raw.get("call_id", "")),
            reasons=[FraudReasonOut(**r) for r in raw.get("reasons", [])],
            text=str(raw.get("text", "")),
            text_vi=str(raw.get("text_vi", "")),
        )
    mean, _ = base.talk_mean_sd()
    total = sum(base.kinds.values())
    return FraudStateOut(
        extension=ext,
        state=state,  # type: ignore[arg-type]  # ok | alert | throttle | suspend
        outside_calls_held=ext in in_force,
        held_until=int(hold.until) if hold is not None and ext in in_force and int(hold.until or 0) > 0 else None,
        score=int(item.score or 0) if item is not None else 0,
        today_minutes=round(usage.day_minutes if usage.day >= today else 0.0, 1),
        last_decision=last,
        learned=LearnedOut(
            calls=round(base.calls, 1),
            weeks=round(base.span_weeks, 1),
            ready=base.mature,
            usual_hours=fraud.usual_hours(base),
            destinations={k: round(v / total, 3) for k, v in sorted(base.kinds.items())} if total else {},
            average_talk_s=round(mean, 1),
            average_daily_minutes=round(base.daily_mean, 1),
            networks=sorted(n for n in base.networks if base.knows_network(n)),
            user_agents=sorted(a for a in base.agents if base.knows_agent(a)),
        ),
    )


def _today(tenant_id: str) -> int:
    return clock.now().astimezone(_zone(tenant_id)).toordinal()


def list_states(tenant_id: str) -> FraudStateList:
    now, today = int(clock.now().timestamp()), _today(tenant_id)
    holds = {h.extension: h for h in fraud_store.list_holds(tenant_id)}
    items = {s.extension: s for s in fraud_store.list_states(tenant_id)}
    exts = sorted(set(items) | set(holds), key=lambda e: (len(e), e))
    return FraudStateList(items=[_public(e, items.get(e), holds.get(e), now, today) for e in exts], next=None)


def _require_extension(tenant_id: str, number: str) -> None:
    if extensions_store.get(tenant_id, number) is None:
        raise NotFound("extension not found")


def get_state(tenant_id: str, number: str) -> FraudStateOut:
    _require_extension(tenant_id, number)
    now, today = int(clock.now().timestamp()), _today(tenant_id)
    return _public(
        number, fraud_store.get_state(tenant_id, number), fraud_store.get_hold(tenant_id, number), now, today
    )


def lift(tenant_id: str, number: str, *, by: str) -> FraudStateOut:
    """A tenant admin gives the extension its outside calls back: the hold goes (the edges
    get it with the snapshot), the state is ok again and the last hour's calls are
    forgotten (they would raise the same alarm at the next call)."""
    _require_extension(tenant_id, number)
    now = clock.now()
    at, today = int(now.timestamp()), _today(tenant_id)
    for _ in range(ATTEMPTS):
        item = fraud_store.get_state(tenant_id, number)
        hold = fraud_store.get_hold(tenant_id, number)
        if (item is None or (item.state or "ok") == "ok") and hold is None:
            return _public(number, item, None, at, today)
        ops: list[store.Op] = []
        if item is not None:
            usage = fraud.Usage.from_dict(json.loads(item.usage))
            item.usage = json.dumps(replace(usage, recent=()).to_dict(), separators=(",", ":"))
            item.state = "ok"
            ops.append(fraud_store.save_state(item))
        if hold is not None:
            ops.append(_delete(hold))
        data = {
            "extension": number,
            "action": "lifted",
            "by": by,
            "text": f"An admin gave extension {number} its outside calls back.",
            "text_vi": f"Quản trị viên đã mở lại gọi ra ngoài cho máy nhánh {number}.",
        }
        ops.append(_put(events_store.new(tenant_id, EVENT_TYPE, data, now)))
        bump = tenant_id if hold is not None else None
        codes = store.transact(functools.partial(_build, ops=ops, bump_tenant=bump))
        if codes is None:
            logger.info("fraud hold lifted", extra={"tenant_id": tenant_id, "extension": number})
            return _public(number, item, None, at, today)
        if store.CONDITION_FAILED not in codes and store.TRANSACTION_CONFLICT not in codes:
            raise RuntimeError(f"fraud lift cancelled: {codes}")
    raise Conflict("the extension's fraud state changed meanwhile, retry")
