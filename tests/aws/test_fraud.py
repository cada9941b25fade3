"""The toll-fraud guard in the control plane (issue 14 item 5): baselines learned at CDR
ingest, a leaked account's night suspended within seconds of calls (the snapshot refuses
its outside calls, the admins get an e-mail, the event says why), ordinary office weeks
raise nothing, settings per tenant, the lift, and nothing of it crosses tenants."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from pbx_core import fraud as fraudmod
from pbx_core import routing
from pbx_core import snapshot as snapmod
from tests.harness.fraud_traffic import leaked_night, office_days

from .conftest import Api

pytestmark = pytest.mark.aws

REGION = "ap-southeast-1"
HISTORY_START = date(2026, 9, 28)  # a Monday
WEEKS = 3  # moto copies the whole table per transaction: a short history keeps the test quick
NIGHT = date(2026, 10, 20)  # the Tuesday after: 03:02 local time


@pytest.fixture
def ses(api: Api) -> Any:
    """moto's SES with the alert sender verified (a deployment verifies its domain)."""
    boto3.client("ses", region_name=REGION).verify_domain_identity(Domain="probox.vn")
    return ses_backends[DEFAULT_ACCOUNT_ID][REGION]


def company(api: Api, domain: str, extensions: tuple[str, ...] = ("101", "102", "103")) -> tuple[str, str, str]:
    """A tenant with extensions and an admin user with an e-mail: (tenant, admin token, e-mail)."""
    tid, admin = api.tenant(domain)
    for ext in extensions:
        api.extension(admin, ext)
    email = f"admin@{domain}"
    user = {"email": email, "name": "Chi Lan", "role": "tenant_admin", "password": "Correct-horse-42!"}
    r = api.post("/v1/users", token=admin, body=user)
    assert r.status == 201, r.text
    return tid, admin, email


def post_batches(api: Api, edge: str, docs: list[dict[str, Any]]) -> None:
    for start in range(0, len(docs), 50):
        r = api.post("/edge/v1/cdrs/batch", token=edge, body={"cdrs": docs[start : start + 50]})
        assert r.status == 200, r.text
        assert {x["status"] for x in r.json["results"]} == {"created"}, r.text


def history(tenant_id: str, extensions: list[str], *, seed: int = 1) -> list[dict[str, Any]]:
    docs = office_days(tenant_id, extensions, HISTORY_START, WEEKS * 7, seed=seed, mean_calls=3, customers=6)
    return sorted(docs, key=lambda d: d["started_at"])


def snapshot_ext(api: Api, edge: str, tenant_id: str, ext: str) -> dict[str, Any]:
    r = api.get("/edge/v1/snapshot", token=edge)
    assert r.status == 200, r.text
    tenant = next(t for t in r.json["tenants"] if t["id"] == tenant_id)
    found: dict[str, Any] = next(e for e in tenant["extensions"] if e["number"] == ext)
    return found


def fraud_events(api: Api, token: str) -> Iterator[dict[str, Any]]:
    items = api.get("/v1/events?limit=200", token=token).json["items"]
    return (e for e in items if e["type"] == "security.fraud")


def test_a_leaked_accounts_night_is_suspended_within_seconds_and_the_admin_is_told(api: Api, ses: Any) -> None:
    a, admin, email = company(api, "a.probox.vn")
    edge = api.edge("edge-1", tenants=[a])
    post_batches(api, edge, history(a, ["101", "102"]))
    learned = api.get("/v1/fraud/extensions/101", token=admin).json
    assert learned["state"] == "ok" and learned["learned"]["ready"], learned
    assert "Monday 09:00" in learned["learned"]["usual_hours"] and "Sunday" not in learned["learned"]["usual_hours"]
    assert learned["learned"]["networks"] == ["203.113.10.0/24"]
    assert list(fraud_events(api, admin)) == []

    night = leaked_night(a, "101", NIGHT)  # one call every 5 s from 03:02, each CDR posted as its call ends
    suspended_at = None
    for i, doc in enumerate(night):
        t0 = time.perf_counter()
        r = api.post("/edge/v1/cdrs", token=edge, body=doc)
        assert r.status == 201, r.text
        ingest_ms = (time.perf_counter() - t0) * 1000
        state = api.get("/v1/fraud/extensions/101", token=admin).json
        if state["outside_calls_held"]:
            suspended_at = i
            break
    assert suspended_at is not None and suspended_at <= 3, suspended_at
    assert suspended_at * 5 < 60  # the call that tripped it started within the burst's first minute
    print(
        f"suspended at CDR {suspended_at + 1} (call started {suspended_at * 5} s into the burst); "
        f"ingest {ingest_ms:.0f} ms"
    )
    assert state["state"] == "suspend" and state["held_until"] is None
    decision = state["last_decision"]
    codes = {r["code"] for r in decision["reasons"]}
    assert {"odd_hour", "new_network"} <= codes, decision
    assert "03:00" in decision["text"] and "45.134.26.0/24" in decision["text"]
    assert decision["text_vi"].startswith("Máy nhánh 101 bị khóa gọi ra ngoài")

    # The edges refuse its outside calls; its internal calls and the other extensions go on.
    held = snapshot_ext(api, edge, a, "101")
    assert (held["outbound_hold"], held["outbound"], held["outbound_hold_until"]) == ("suspend", "internal_only", 0)
    assert snapshot_ext(api, edge, a, "102")["outbound_hold"] == ""
    snap = snapmod.from_dict(api.get("/edge/v1/snapshot", token=edge).json)
    tenant = snap.tenants[a]
    now = int(time.time())
    assert routing.invite_from_phone(snap, tenant, "101", "0912345678", tenant.domain, 0, now) in (
        routing.FRAUD_HOLD,
        routing.OUTBOUND_NOT_ALLOWED,
    )
    assert isinstance(routing.invite_from_phone(snap, tenant, "101", "102", tenant.domain, 0, now), routing.ToWorker)

    # The security event says why, in words; the admin got it by e-mail.
    events = list(fraud_events(api, admin))
    assert [e["data"]["action"] for e in events] == ["suspend", "alert"], events  # newest first
    assert events[0]["data"]["extension"] == "101" and "03:00" in events[0]["data"]["text"]
    mails = [m for m in ses.sent_messages if email in m.destinations["ToAddresses"]]
    assert mails, ses.sent_messages
    last = mails[-1]
    assert "101" in last.subject and "suspended" in last.subject
    assert "45.134.26.0/24" in last.body and "bị khóa gọi ra ngoài" in last.body
    assert last.source == "ProBox <alerts@probox.vn>"

    # Only an admin lifts it; then the edges get the extension's outside calls back.
    sup = api.post("/v1/api-keys", token=admin, body={"name": "wallboard", "role": "supervisor"}).json["key"]
    assert api.post("/v1/fraud/extensions/101/lift", token=sup).status == 403
    lifted = api.post("/v1/fraud/extensions/101/lift", token=admin)
    assert lifted.status == 200 and lifted.json["state"] == "ok" and not lifted.json["outside_calls_held"]
    back = snapshot_ext(api, edge, a, "101")
    assert (back["outbound_hold"], back["outbound"]) == ("", "national")
    assert next(fraud_events(api, admin))["data"]["action"] == "lifted"


def test_ordinary_office_weeks_suspend_nobody(api: Api, ses: Any) -> None:
    a, admin, _ = company(api, "a.probox.vn", ("101", "102", "103"))
    edge = api.edge("edge-1", tenants=[a])
    docs = history(a, ["101", "102", "103"], seed=7)
    t0 = time.perf_counter()
    post_batches(api, edge, docs)
    print(f"{len(docs)} CDRs in {time.perf_counter() - t0:.1f} s (batches of 50, fraud guard included)")
    states = api.get("/v1/fraud/extensions", token=admin).json["items"]
    assert [s["extension"] for s in states] == ["101", "102", "103"]
    assert {s["state"] for s in states} == {"ok"} and not any(s["outside_calls_held"] for s in states)
    assert all(s["learned"]["ready"] for s in states)
    assert list(fraud_events(api, admin)) == []
    assert ses.sent_messages == []
    snap = api.get("/edge/v1/snapshot", token=edge).json
    assert all(e["outbound_hold"] == "" for t in snap["tenants"] for e in t["extensions"])


def test_settings_per_tenant_and_a_throttle_that_ends_by_itself(api: Api, ses: Any) -> None:
    a, admin, _ = company(api, "a.probox.vn", ("101",))
    edge = api.edge("edge-1", tenants=[a])
    defaults = api.get("/v1/fraud/settings", token=admin).json
    assert defaults["policy"] == "suspend" and defaults["action_score"] > defaults["alert_score"]
    bad = api.request("PATCH", "/v1/fraud/settings", token=admin, body={"alert_score": 90, "action_score": 50})
    assert bad.status == 400 and "action_score" in bad.json["error"]["fields"]
    assert api.request("PATCH", "/v1/fraud/settings", token=admin, body={"policy": "block"}).status == 400
    r = api.request(
        "PATCH",
        "/v1/fraud/settings",
        token=admin,
        body={"policy": "throttle", "throttle_minutes": 15, "calls_per_minute": 3},
    )
    assert r.status == 200 and r.json["policy"] == "throttle" and r.json["calls_per_minute"] == 3, r.text
    sup = api.post("/v1/api-keys", token=admin, body={"name": "wall", "role": "supervisor"}).json["key"]
    assert api.get("/v1/fraud/settings", token=sup).json["policy"] == "throttle"
    assert api.request("PATCH", "/v1/fraud/settings", token=sup, body={"policy": "alert"}).status == 403
    # No history at all: four calls in a minute cross the cap (3) and the extension is paused.
    burst = leaked_night(a, "101", NIGHT, calls=4, premium_every=0)
    post_batches(api, edge, burst)
    state = api.get("/v1/fraud/extensions/101", token=admin).json
    assert state["state"] == "throttle" and state["outside_calls_held"], state
    assert state["held_until"] and 14 * 60 <= state["held_until"] - time.time() <= 15 * 60
    assert any(r["code"] == fraudmod.CAP_RATE for r in state["last_decision"]["reasons"])
    ext = snapshot_ext(api, edge, a, "101")
    assert ext["outbound_hold"] == "throttle" and ext["outbound"] == "national"
    assert ext["outbound_hold_until"] == state["held_until"]  # the edge ends the pause on its own clock


def test_another_tenant_neither_reads_nor_lifts_its_fraud_state(api: Api, ses: Any) -> None:
    a, admin_a, _ = company(api, "a.probox.vn", ("101",))
    b, admin_b, email_b = company(api, "b.probox.vn", ("102",))
    edge = api.edge("edge-1", tenants=[a])
    post_batches(api, edge, leaked_night(a, "101", NIGHT, calls=8))
    assert api.get("/v1/fraud/extensions/101", token=admin_a).json["outside_calls_held"]
    assert api.get("/v1/fraud/extensions/101", token=admin_b).status == 404
    assert api.post("/v1/fraud/extensions/101/lift", token=admin_b).status == 404
    assert api.get("/v1/fraud/extensions", token=admin_b).json == {"items": [], "next": None}
    assert api.request("PATCH", "/v1/fraud/settings", token=admin_b, body={"policy": "alert"}).status == 200
    assert api.get("/v1/fraud/settings", token=admin_a).json["policy"] == "suspend"
    assert api.get("/v1/fraud/extensions/101", token=admin_a).json["outside_calls_held"]  # unchanged
    assert list(fraud_events(api, admin_b)) == []
    assert not any(email_b in m.destinations["ToAddresses"] for m in ses.sent_messages)
    # An edge that does not serve B cannot post B's calls to trip B's guard either.
    r = api.post("/edge/v1/cdrs/batch", token=edge, body={"cdrs": leaked_night(b, "102", NIGHT, calls=2)})
    assert {x["code"] for x in r.json["results"]} == {"forbidden"}, r.text
