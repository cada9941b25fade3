"""S1 for every tenant route: tenant B reaches none of tenant A's data.

The route list comes from the OpenAPI registry, so a new tenant route without a case here
fails ``test_every_tenant_route_is_covered``. Foreign ids are 404 (never 403), lists and
searches are empty, references to A's ids from B's writes are "not found", and A's data
is unchanged afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from control_plane.app import API

from .conftest import Api, cdr_doc, edge_upload, provider_token
from .cross_tenant_desk import (
    DESK_COLLECTIONS,
    DESK_LISTS,
    DESK_READS,
    Desk,
    build_desk,
    check_desk_isolation,
    desk_item_paths,
)

pytestmark = pytest.mark.aws

TENANT_ROLES = {"tenant_admin", "supervisor", "agent"}


@dataclass
class World:
    a: str
    admin_a: str
    b: str
    admin_b: str
    branch: str
    trunk: str
    did: str
    rule: str
    device: str
    user: str
    key_id: str
    key: str
    call_id: str
    edge: str
    job: str
    report: str
    csv_report: str
    webhook: str
    webhook_secret: str
    desk: Desk  # contacts, custom fields, tickets (cross_tenant_desk)
    ban: str  # a firewall hold of one of A's accounts (security)
    queue: str  # a call-center queue of A with 101 as its member (issue 16)
    queue_report: str  # A's queue and agent report (Excel in S3)


def build_world(api: Api) -> World:
    a, admin_a = api.tenant("a.probox.vn", plan="CC-10")  # call-center plans: queues (issue 16)
    b, admin_b = api.tenant("b.probox.vn", plan="CC-10")
    branch = api.post("/v1/branches", token=admin_a, body={"name": "HQ", "prefix": "8"}).json["id"]
    api.extension(admin_a, "101", "A reception")
    assert api.request("PATCH", "/v1/extensions/101", token=admin_a, body={"branch_id": branch}).status == 200
    trunk = api.post(
        "/v1/trunks",
        token=admin_a,
        body={
            "name": "VNPT",
            "host": "sip.vnpt.vn",
            "auth": "register",
            "username": "acct",
            "password": "trunk-pass-A",
        },
    ).json["id"]
    api.assign(a, "02838221234")
    did = api.post("/v1/numbers", token=admin_a, body={"number": "02838221234", "trunk_id": trunk, "route_to": "101"})
    assert did.status == 201, did.text
    rule = api.post("/v1/blocklist", token=admin_a, body={"pattern": "0900000000", "direction": "in"}).json["id"]
    device = api.post(
        "/v1/devices",
        token=admin_a,
        body={"extension": "101", "vendor": "yealink", "model": "T54W", "mac": "001565aabbcc"},
    ).json["id"]
    user = api.post(
        "/v1/users",
        token=admin_a,
        body={"email": "agent@a.vn", "role": "agent", "password": "agent-password-A", "extension": "101"},
    ).json["id"]
    key = api.post("/v1/api-keys", token=admin_a, body={"name": "CRM"}).json
    edge = api.edge()
    recorded = cdr_doc(a, "call-a", "2025-11-01T08:00:00.000Z", **edge_upload(edge, "call-a", b"R" * 1000))
    assert api.post("/edge/v1/cdrs", token=edge, body=recorded).status == 201
    job = api.post(f"/v1/tenants/{a}/export", token=admin_a)
    assert job.status == 202 and job.json["status"] == "done", job.text
    report = api.post("/v1/cdrs/export.xlsx", token=admin_a)
    assert report.status == 201 and report.json["rows"] == 1, report.text
    csv_report = api.post("/v1/cdrs/export.csv", token=admin_a)
    assert csv_report.status == 201 and csv_report.json["rows"] == 1, csv_report.text
    webhook = api.post("/v1/webhooks", token=admin_a, body={"url": "https://hooks.a.vn/probox"})
    assert webhook.status == 201, webhook.text
    live = {"events": [live_event(a, "call-a-live")]}
    assert api.post("/edge/v1/events", token=edge, body=live).json["results"][0]["status"] == "created"
    held = {"kind": "hold", "source": "198.51.100.20", "at": 1, "until": 2**40, "tenant_id": a,
            "reason": "auth_failures", "account": f"{a}/101", "network": "198.51.100.0/24"}  # fmt: skip
    assert api.post("/edge/v1/security-events", token=edge, body={"events": [held]}).json["results"][0]["status"] == (
        "stored"
    )
    ban = api.get("/v1/security/bans", token=admin_a).json["items"][0]["id"]
    queue = api.post("/v1/queues", token=admin_a, body={"name": "A sales", "number": "600",
                                                          "members": [{"extension": "101"}]})  # fmt: skip
    assert queue.status == 201, queue.text
    paused = api.request("PUT", "/v1/agents/101/status", token=admin_a, body={"status": "paused", "reason": "A"})
    assert paused.status == 200, paused.text
    queue_report = api.post("/v1/queues/report.xlsx?from=2020-01-01&to=2020-01-02", token=admin_a)
    assert queue_report.status == 201, queue_report.text
    return World(
        a=a,
        admin_a=admin_a,
        b=b,
        admin_b=admin_b,
        branch=branch,
        trunk=trunk,
        did="02838221234",
        rule=rule,
        device=device,
        user=user,
        key_id=key["id"],
        key=key["key"],
        call_id="call-a",
        edge=edge,
        job=job.json["id"],
        report=report.json["id"],
        csv_report=csv_report.json["id"],
        webhook=webhook.json["id"],
        webhook_secret=webhook.json["secret"],
        desk=build_desk(api, admin_a, "call-a"),
        ban=ban,
        queue=queue.json["id"],
        queue_report=queue_report.json["id"],
    )


def live_event(tenant_id: str, call_id: str) -> dict[str, Any]:
    """A call ringing now, as an edge posts it (pbx_core.events)."""
    t = "2025-11-01T08:00:00.000Z"
    leg = {"id": "a", "from": "101", "to": "102", "direction": "internal"}
    return {"id": f"{call_id}-ring", "kind": "call.ringing", "tenant_id": tenant_id, "call_id": call_id,
            "occurred_at": t, "started_at": t, "legs": [leg]}  # fmt: skip


def item_paths(w: World) -> dict[tuple[str, str], tuple[str, Any]]:
    """(method, route) -> (A's concrete path, a valid body) for every tenant item route."""
    return {
        ("GET", "/v1/tenants/{tenant_id}"): (f"/v1/tenants/{w.a}", None),
        ("PATCH", "/v1/tenants/{tenant_id}"): (f"/v1/tenants/{w.a}", {"time_zone": "Asia/Bangkok"}),
        ("GET", "/v1/branches/{branch_id}"): (f"/v1/branches/{w.branch}", None),
        ("PATCH", "/v1/branches/{branch_id}"): (f"/v1/branches/{w.branch}", {"name": "stolen"}),
        ("DELETE", "/v1/branches/{branch_id}"): (f"/v1/branches/{w.branch}", None),
        ("GET", "/v1/extensions/{number}"): ("/v1/extensions/101", None),
        ("PATCH", "/v1/extensions/{number}"): ("/v1/extensions/101", {"display_name": "stolen"}),
        ("DELETE", "/v1/extensions/{number}"): ("/v1/extensions/101", None),
        ("POST", "/v1/extensions/{number}/provisioning"): ("/v1/extensions/101/provisioning", None),
        ("POST", "/v1/extensions/{number}/rotate-password"): ("/v1/extensions/101/rotate-password", None),
        ("GET", "/v1/devices/{device_id}"): (f"/v1/devices/{w.device}", None),
        ("PATCH", "/v1/devices/{device_id}"): (f"/v1/devices/{w.device}", {"label": "stolen"}),
        ("DELETE", "/v1/devices/{device_id}"): (f"/v1/devices/{w.device}", None),
        ("POST", "/v1/devices/{device_id}/provisioning"): (f"/v1/devices/{w.device}/provisioning", None),
        ("POST", "/v1/devices/{device_id}/config-key"): (f"/v1/devices/{w.device}/config-key", None),
        ("GET", "/v1/trunks/{trunk_id}"): (f"/v1/trunks/{w.trunk}", None),
        ("PATCH", "/v1/trunks/{trunk_id}"): (f"/v1/trunks/{w.trunk}", {"name": "stolen"}),
        ("DELETE", "/v1/trunks/{trunk_id}"): (f"/v1/trunks/{w.trunk}", None),
        ("GET", "/v1/numbers/{number}"): (f"/v1/numbers/{w.did}", None),
        ("PATCH", "/v1/numbers/{number}"): (f"/v1/numbers/{w.did}", {"label": "stolen"}),
        ("DELETE", "/v1/numbers/{number}"): (f"/v1/numbers/{w.did}", None),
        ("GET", "/v1/blocklist/{rule_id}"): (f"/v1/blocklist/{w.rule}", None),
        ("PATCH", "/v1/blocklist/{rule_id}"): (f"/v1/blocklist/{w.rule}", {"note": "stolen"}),
        ("DELETE", "/v1/blocklist/{rule_id}"): (f"/v1/blocklist/{w.rule}", None),
        ("GET", "/v1/users/{user_id}"): (f"/v1/users/{w.user}", None),
        ("PATCH", "/v1/users/{user_id}"): (f"/v1/users/{w.user}", {"name": "stolen"}),
        ("DELETE", "/v1/users/{user_id}"): (f"/v1/users/{w.user}", None),
        ("DELETE", "/v1/api-keys/{key_id}"): (f"/v1/api-keys/{w.key_id}", None),
        ("GET", "/v1/cdrs/{call_id}"): (f"/v1/cdrs/{w.call_id}", None),
        ("GET", "/v1/cdrs/{call_id}/recording"): (f"/v1/cdrs/{w.call_id}/recording", None),
        ("GET", "/v1/cdrs/export.xlsx/{report_id}"): (f"/v1/cdrs/export.xlsx/{w.report}", None),
        ("GET", "/v1/cdrs/export.csv/{report_id}"): (f"/v1/cdrs/export.csv/{w.csv_report}", None),
        ("POST", "/v1/tenants/{tenant_id}/export"): (f"/v1/tenants/{w.a}/export", None),
        ("GET", "/v1/tenants/{tenant_id}/jobs"): (f"/v1/tenants/{w.a}/jobs", None),
        ("GET", "/v1/tenants/{tenant_id}/jobs/{job_id}"): (f"/v1/tenants/{w.a}/jobs/{w.job}", None),
        ("GET", "/v1/webhooks/{webhook_id}"): (f"/v1/webhooks/{w.webhook}", None),
        ("PATCH", "/v1/webhooks/{webhook_id}"): (f"/v1/webhooks/{w.webhook}", {"url": "https://evil.b.vn/x"}),
        ("DELETE", "/v1/webhooks/{webhook_id}"): (f"/v1/webhooks/{w.webhook}", None),
        ("DELETE", "/v1/security/bans/{ban_id}"): (f"/v1/security/bans/{w.ban}", None),
        ("GET", "/v1/fraud/extensions/{number}"): ("/v1/fraud/extensions/101", None),
        ("POST", "/v1/fraud/extensions/{number}/lift"): ("/v1/fraud/extensions/101/lift", None),
        ("POST", "/v1/webhooks/{webhook_id}/rotate-secret"): (f"/v1/webhooks/{w.webhook}/rotate-secret", None),
        ("POST", "/v1/webhooks/{webhook_id}/ping"): (f"/v1/webhooks/{w.webhook}/ping", None),
        ("GET", "/v1/webhooks/{webhook_id}/deliveries"): (f"/v1/webhooks/{w.webhook}/deliveries", None),
        ("GET", "/v1/queues/{queue_id}"): (f"/v1/queues/{w.queue}", None),
        ("PATCH", "/v1/queues/{queue_id}"): (f"/v1/queues/{w.queue}", {"name": "stolen"}),
        ("DELETE", "/v1/queues/{queue_id}"): (f"/v1/queues/{w.queue}", None),
        ("GET", "/v1/queues/{queue_id}/events"): (f"/v1/queues/{w.queue}/events", None),
        ("PUT", "/v1/queues/{queue_id}/prompts/{name}"): (
            f"/v1/queues/{w.queue}/prompts/welcome",
            {"language": "vi", "content_base64": "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA="},
        ),
        ("DELETE", "/v1/queues/{queue_id}/prompts/{name}"): (f"/v1/queues/{w.queue}/prompts/welcome", None),
        ("GET", "/v1/queues/report.xlsx/{report_id}"): (f"/v1/queues/report.xlsx/{w.queue_report}", None),
        ("PUT", "/v1/agents/{extension}/status"): ("/v1/agents/101/status", {"status": "ready"}),
        **desk_item_paths(w.desk, w.call_id),
    }


# Collection routes: what B's call must (not) show or do with A's ids.
COLLECTIONS = {
    ("GET", "/v1/tenants"),
    ("GET", "/v1/branches"),
    ("POST", "/v1/branches"),
    ("GET", "/v1/extensions"),
    ("POST", "/v1/extensions"),
    ("GET", "/v1/devices"),
    ("POST", "/v1/devices"),
    ("GET", "/v1/trunks"),
    ("POST", "/v1/trunks"),
    ("GET", "/v1/numbers"),
    ("POST", "/v1/numbers"),
    ("GET", "/v1/assigned-numbers"),
    ("GET", "/v1/blocklist"),
    ("POST", "/v1/blocklist"),
    ("GET", "/v1/users"),
    ("POST", "/v1/users"),
    ("GET", "/v1/api-keys"),
    ("POST", "/v1/api-keys"),
    ("GET", "/v1/cdrs"),
    ("GET", "/v1/cdrs/export"),
    ("POST", "/v1/cdrs/export.xlsx"),
    ("POST", "/v1/cdrs/export.csv"),
    ("GET", "/v1/recordings/usage"),
    ("GET", "/v1/events"),
    ("GET", "/v1/webhooks"),
    ("GET", "/v1/security/bans"),
    # the caller's own company's fraud settings and states (tests/aws/test_fraud.py)
    ("GET", "/v1/fraud/settings"),
    ("PATCH", "/v1/fraud/settings"),
    ("GET", "/v1/fraud/extensions"),
    ("POST", "/v1/webhooks"),
    # live calls: the caller's tenant only (its WebSocket: tests/aws/test_live.py)
    ("GET", "/v1/calls/live"),
    ("POST", "/v1/live/tickets"),
    ("GET", "/v1/users/me"),
    ("GET", "/v1/plans"),
    ("GET", "/v1/plans/{name}"),
    ("POST", "/v1/auth/logout"),
    # the caller's own second factor: no id to aim at another tenant's
    ("POST", "/v1/users/me/totp"),
    ("POST", "/v1/users/me/totp/confirm"),
    ("POST", "/v1/users/me/totp/disable"),
    # call-center queues, their event log and agents (issue 16)
    ("GET", "/v1/queues"),
    ("POST", "/v1/queues"),
    ("GET", "/v1/queue-events"),
    ("POST", "/v1/queues/report.xlsx"),  # B's own events (tests/aws/test_queue_reports.py)
    ("GET", "/v1/queues/stats"),
    ("GET", "/v1/agents"),
    # the caller's own agent status: no id to aim at another tenant's
    ("GET", "/v1/agents/me"),
    ("PUT", "/v1/agents/me/status"),
    # the caller's own tenant's pause reasons
    ("GET", "/v1/agents/pause-reasons"),
    ("PUT", "/v1/agents/pause-reasons"),
} | DESK_COLLECTIONS


def tenant_routes() -> set[tuple[str, str]]:
    return {(op.method, op.path) for op in API.operations() if op.roles and set(op.roles) & TENANT_ROLES}


def test_every_tenant_route_is_covered(api: Api) -> None:
    w = build_world(api)
    covered = set(item_paths(w)) | COLLECTIONS
    missing = tenant_routes() - covered
    assert not missing, f"add cross-tenant cases for {sorted(missing)}"


def snapshot_of_a(api: Api, w: World) -> dict[str, Any]:
    """Everything A can read, to compare before and after B's attempts."""
    paths = [
        f"/v1/tenants/{w.a}",
        "/v1/branches",
        "/v1/extensions",
        "/v1/devices",
        "/v1/trunks",
        "/v1/numbers",
        "/v1/assigned-numbers",
        "/v1/blocklist",
        "/v1/users",
        "/v1/api-keys",
        "/v1/cdrs",
        "/v1/webhooks",
        "/v1/security/bans",
        "/v1/queues",
        "/v1/queue-events",
        "/v1/agents",
        *DESK_READS,
    ]
    out = {}
    for p in paths:
        r = api.get(p, token=w.admin_a)
        assert r.status == 200, (p, r.text)
        out[p] = r.json
    return out


def test_foreign_ids_are_404_and_change_nothing(api: Api) -> None:
    w = build_world(api)
    before = snapshot_of_a(api, w)
    for (method, route), (path, body) in sorted(item_paths(w).items()):
        r = api.request(method, path, token=w.admin_b, body=body)
        assert r.status == 404, (method, route, r.status, r.text)
        assert r.json["error"]["code"] == "not_found", (method, route)
    # B's API key and B's supervisor get the same answers as B's admin.
    key_b = api.post("/v1/api-keys", token=w.admin_b, body={"name": "B CRM", "role": "supervisor"}).json["key"]
    for path in (
        "/v1/extensions/101",
        f"/v1/branches/{w.branch}",
        f"/v1/numbers/{w.did}",
        f"/v1/cdrs/{w.call_id}",
        f"/v1/cdrs/{w.call_id}/recording",
    ):
        assert api.get(path, token=key_b).status == 404, path
    assert snapshot_of_a(api, w) == before
    # A's job id under B's own tenant is not found either.
    assert api.get(f"/v1/tenants/{w.b}/jobs/{w.job}", token=w.admin_b).status == 404
    assert [j["id"] for j in api.get(f"/v1/tenants/{w.a}/jobs", token=w.admin_a).json["items"]] == [w.job]
    # A's own credentials still work for A.
    assert api.get("/v1/extensions/101", token=w.key).status == 200


def test_lists_and_searches_show_nothing_of_a(api: Api) -> None:
    w = build_world(api)
    for path in (
        "/v1/branches",
        "/v1/extensions",
        "/v1/devices",
        "/v1/trunks",
        "/v1/numbers",
        "/v1/assigned-numbers",
        "/v1/blocklist",
        "/v1/users",
        "/v1/api-keys",
        "/v1/cdrs",
        "/v1/cdrs?extension=101",
        "/v1/cdrs?number=100&from=2025-01-01T00:00:00Z",
        "/v1/blocklist?extension=101",
        "/v1/events",
        "/v1/webhooks",
        "/v1/security/bans",
        "/v1/fraud/extensions",
        "/v1/queues",
        "/v1/queue-events",
        "/v1/agents",
        *DESK_LISTS,
    ):
        r = api.get(path, token=w.admin_b)
        assert r.status == 200, (path, r.text)
        assert r.json == {"items": [], "next": None}, path
    live_b = api.get("/v1/calls/live", token=w.admin_b).json
    assert live_b["calls"] == [] and live_b["seq"] == 0
    assert [c["call_id"] for c in api.get("/v1/calls/live", token=w.admin_a).json["calls"]] == ["call-a-live"]
    check_desk_isolation(api, w.desk, w.admin_b, w.admin_a)
    tenants = api.get("/v1/tenants", token=w.admin_b).json["items"]
    assert [t["id"] for t in tenants] == [w.b]
    export = api.get("/v1/cdrs/export", token=w.admin_b)
    assert export.status == 200 and w.call_id not in export.text
    xlsx = api.post("/v1/cdrs/export.xlsx", token=w.admin_b)
    assert xlsx.status == 201 and xlsx.json["rows"] == 0, xlsx.text
    assert f"/tenants/{w.b}/reports/" in xlsx.json["url"]
    assert api.get(f"/v1/cdrs/export.xlsx/{xlsx.json['id']}", token=w.admin_a).status == 404
    to_s3 = api.post("/v1/cdrs/export.csv", token=w.admin_b)
    assert to_s3.status == 201 and to_s3.json["rows"] == 0, to_s3.text
    assert f"/tenants/{w.b}/reports/" in to_s3.json["url"]
    assert api.get(f"/v1/cdrs/export.csv/{to_s3.json['id']}", token=w.admin_a).status == 404
    assert api.get(f"/v1/cdrs/export.csv/{w.csv_report}", token=w.admin_a).status == 200
    # A's recording bytes count for A only; A's own link works, B's is 404 above.
    assert api.get("/v1/recordings/usage", token=w.admin_b).json["usage_bytes"] == 0
    assert api.get("/v1/recordings/usage", token=w.admin_a).json["usage_bytes"] == 1000
    assert api.get(f"/v1/cdrs/{w.call_id}/recording", token=w.admin_a).status == 200
    me = api.get("/v1/users/me", token=w.admin_b).json
    assert me["tenant_id"] == w.b
    # A cursor issued to A is refused for B.
    api.post("/edge/v1/cdrs", token=w.edge, body=cdr_doc(w.a, "call-a2", "2025-11-02T08:00:00.000Z"))
    cursor = api.get("/v1/cdrs?limit=1", token=w.admin_a).json["next"]
    assert cursor
    assert api.get(f"/v1/cdrs?limit=1&cursor={cursor}", token=w.admin_b).status == 400


def test_writes_cannot_reference_a(api: Api) -> None:
    w = build_world(api)
    cases = [
        ("/v1/extensions", {"number": "201", "branch_id": w.branch}, "branch_id"),
        ("/v1/extensions", {"number": "202", "caller_id": w.did}, "caller_id"),
        ("/v1/devices", {"extension": "101", "vendor": "fanvil", "model": "X4", "mac": "0c383e000001"}, "extension"),
        ("/v1/blocklist", {"pattern": "0911111111", "extension": "101"}, "extension"),
        (
            "/v1/users",
            {"email": "x@b.vn", "role": "agent", "password": "long-enough-pass", "extension": "101"},
            "extension",
        ),
        ("/v1/queues", {"name": "B", "number": "600", "members": [{"extension": "101"}]}, "members"),
        ("/v1/queues", {"name": "B", "number": "600", "overflow": "extension:101"}, "overflow"),
        ("/v1/queues", {"name": "B", "number": "600", "overflow": f"queue:{w.queue}"}, "overflow"),
    ]
    for path, body, field in cases:
        r = api.post(path, token=w.admin_b, body=body)
        assert r.status == 400, (path, r.text)
        assert r.json["error"]["fields"] == {field: "not found"}, (path, r.json)
    api.extension(w.admin_b, "101")
    api.assign(w.b, "0901234567")
    r = api.post("/v1/numbers", token=w.admin_b, body={"number": "0901234567", "trunk_id": w.trunk, "route_to": "101"})
    assert r.status == 400 and r.json["error"]["fields"] == {"trunk_id": "not found"}
    # A's DID cannot be taken by B (one owner per number across the service; only the
    # provider assigns numbers).
    trunk_b = api.post(
        "/v1/trunks", token=w.admin_b, body={"name": "B", "host": "sip.b.vn", "ips": ["203.0.113.5"]}
    ).json["id"]
    r = api.post("/v1/numbers", token=w.admin_b, body={"number": w.did, "trunk_id": trunk_b})
    assert r.status == 403 and r.json["error"]["code"] == "number_not_assigned", r.text
    # The edge snapshot keeps each tenant's data under its own tenant.
    snap = api.get("/edge/v1/snapshot", token=w.edge).json
    by_id = {t["id"]: t for t in snap["tenants"]}
    assert [n["number"] for n in by_id[w.a]["numbers"]] == [w.did]
    assert by_id[w.b]["numbers"] == [] and by_id[w.b]["branches"] == []
    assert [t["id"] for t in by_id[w.b]["trunks"]] == [trunk_b]


def test_queues_agents_and_their_log_stay_in_their_tenant(api: Api) -> None:
    """Issue 16: B cannot see or set A's agents; an edge posts queue events only for the
    tenants it serves; A's queues and agent statuses reach A's part of the snapshot only."""
    w = build_world(api)
    api.extension(w.admin_b, "101")
    r = api.request("PUT", "/v1/agents/101/status", token=w.admin_b, body={"status": "ready"})
    assert r.status == 200 and r.json["status"] == "ready"  # B's own 101
    by_ext = {a["extension"]: a for a in api.get("/v1/agents", token=w.admin_a).json["items"]}
    assert by_ext["101"]["status"] == "paused" and by_ext["101"]["reason"] == "A"  # A's is untouched
    edge_b = api.edge("edge-b", [w.b])
    event = {"at": 1_764_547_200.0, "tenant_id": w.a, "queue_id": w.queue, "kind": "enter", "call_id": "x"}
    own = {**event, "tenant_id": w.b, "queue_id": ""} | {"kind": "login", "agent": "101", "call_id": ""}
    r = api.post("/edge/v1/queue-events", token=edge_b, body={"events": [event, own]})
    assert r.status == 200, r.text
    assert [(x["status"], x["code"]) for x in r.json["results"]] == [("error", "forbidden"), ("created", None)]
    assert api.get(f"/v1/queues/{w.queue}/events", token=w.admin_a).json["items"] == []
    assert [e["kind"] for e in api.get("/v1/queue-events", token=w.admin_a).json["items"]] == ["login", "pause"]
    assert [e["tenant_id"] for e in api.get("/v1/queue-events", token=w.admin_b).json["items"]] == [w.b, w.b]
    snap = api.get("/edge/v1/snapshot", token=w.edge).json
    by_id = {t["id"]: t for t in snap["tenants"]}
    assert [q["id"] for q in by_id[w.a]["queues"]] == [w.queue] and by_id[w.b]["queues"] == []
    assert [(a["extension"], a["status"]) for a in by_id[w.a]["agents"]] == [("101", "paused")]
    assert [(a["extension"], a["status"]) for a in by_id[w.b]["agents"]] == [("101", "ready")]
    assert [t["id"] for t in api.get("/edge/v1/snapshot", token=edge_b).json["tenants"]] == [w.b]
    reasons = {"reasons": ["A only"]}
    assert api.request("PUT", "/v1/agents/pause-reasons", token=w.admin_a, body=reasons).status == 200
    assert api.get("/v1/agents/pause-reasons", token=w.admin_b).json == {"reasons": []}
    period = "from=2025-12-01T00:00:00Z&to=2025-12-02T00:00:00Z"
    stats_b = api.get(f"/v1/queues/stats?{period}", token=w.admin_b).json
    assert stats_b["queues"] == [] and [x["extension"] for x in stats_b["agents"]] == ["101"]
    assert stats_b["agents"][0]["state"] == "ready"  # B's own 101 (logged in within the period)
    stats_a = api.get(f"/v1/queues/stats?{period}", token=w.admin_a).json
    assert [x["queue_id"] for x in stats_a["queues"]] == [w.queue] and stats_a["events"] == 0


def test_no_route_returns_a_secret(api: Api) -> None:
    """Apart from the provisioning answers, no body holds a SIP, trunk, user or key secret."""
    w = build_world(api)
    sip_password = api.password(w.admin_a, "101")["sip_password"]
    provisioning_bodies = list(api.bodies[-2:])
    start = len(api.bodies)
    for op in API.operations():
        if op.method != "GET" or op.path.startswith("/provision"):
            continue
        path = op.path
        concrete = {
            "{tenant_id}": w.a,
            "{branch_id}": w.branch,
            "{number}": w.did if op.path.startswith("/v1/numbers") else "101",
            "{device_id}": w.device,
            "{trunk_id}": w.trunk,
            "{rule_id}": w.rule,
            "{user_id}": w.user,
            "{call_id}": w.call_id,
            "{job_id}": w.job,
            "{report_id}": w.csv_report if "/export.csv/" in op.path else w.report,
            "{name}": "PBX-10",
            "{edge_id}": "edge-1",
            "{webhook_id}": w.webhook,
            "{contact_id}": w.desk.contact,
            "{import_id}": w.desk.imp,
            "{ticket_id}": w.desk.ticket,
            "{key}": w.desk.field,
            "{queue_id}": w.queue,
            "{extension}": "101",
        }
        for k, v in concrete.items():
            path = path.replace(k, v)
        token = w.edge if op.tag == "edge" else provider_token() if op.roles == ("provider_admin",) else w.admin_a
        api.get(path, token=token)
    answers = api.bodies[start:]
    assert len(answers) > 20
    secrets = [sip_password, "trunk-pass-A", "agent-password-A", w.key, "scrypt$", w.webhook_secret]
    for body in answers:
        for s in secrets:
            if s == "trunk-pass-A" and b'"schema"' in body:
                continue  # the edge snapshot carries the carrier password by design
            assert s.encode() not in body, s
        assert b"gAAAA" not in body  # no Fernet ciphertext either
    assert any(sip_password.encode() in b for b in provisioning_bodies)
