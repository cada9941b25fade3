"""Signed webhooks: CRUD (secret shown once), URLs that would reach the provider's own
network refused (when saved and, resolved, when sent), deliveries from the SQS FIFO queue
(moto) through the same handler as the Lambda, signed (HMAC-SHA256 over timestamp and body),
in order per webhook, retried with backoff after a 500, a replay refused by a receiver that
checks as docs/webhooks say, and the delivery log."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest

from control_plane.webhooks import sender
from infra.webhook_poller import poll_once
from pbx_core import events as ev
from pbx_core import webhooksig

from .conftest import Api, cdr_doc, provider_token
from .test_live import event, make_edge, post

pytestmark = pytest.mark.aws

QUEUE = "probox-test-webhooks.fifo"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Receiver:
    """A tenant's receiver: answers the statuses it is told to (then 200), records everything."""

    url: str = ""
    got: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(r.body) for r in self.got]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            rec.got.append(Received({k.lower(): v for k, v in self.headers.items()}, body, time.time()))
            status = rec.answers.pop(0) if rec.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/probox?x=1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield rec
    server.shutdown()
    server.server_close()


@pytest.fixture
def queue(api: Api, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The FIFO delivery queue in moto; private receivers allowed (the receiver is on loopback)."""
    sqs = boto3.client("sqs", region_name="ap-southeast-1")
    url = sqs.create_queue(
        QueueName=QUEUE,
        Attributes={"FifoQueue": "true", "VisibilityTimeout": "30", "ContentBasedDeduplication": "false"},
    )["QueueUrl"]
    monkeypatch.setenv("PROBOX_WEBHOOK_QUEUE_URL", url)
    monkeypatch.setenv("PROBOX_WEBHOOKS_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("PROBOX_WEBHOOK_BACKOFF_S", "1")
    return sqs


def run_deliveries(sqs: Any, *, rounds: int = 5) -> list[tuple[int, int]]:
    """Run the delivery function over what the queue holds now (as the Lambda trigger would)."""
    from control_plane import app

    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    out = []
    for _ in range(rounds):
        received, failed = poll_once(sqs, url, app.deliver_webhooks)
        if received == 0:
            break
        out.append((received, failed))
    return out


def add_webhook(api: Api, admin: str, url: str, events: list[str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"url": url, "description": "CRM"}
    if events is not None:
        body["events"] = events
    r = api.post("/v1/webhooks", token=admin, body=body)
    assert r.status == 201, r.text
    assert r.headers["cache-control"] == "no-store"
    doc: dict[str, Any] = r.json
    return doc


def deliveries(api: Api, admin: str, webhook_id: str) -> list[dict[str, Any]]:
    r = api.get(f"/v1/webhooks/{webhook_id}/deliveries", token=admin)
    assert r.status == 200, r.text
    items: list[dict[str, Any]] = r.json["items"]
    return items


def test_crud_shows_the_secret_once(api: Api, queue: Any) -> None:
    _tid, admin = api.tenant("acme.probox.vn")
    hook = add_webhook(api, admin, "https://hooks.acme.vn/probox", ["call.ringing", "call.ended"])
    assert hook["secret"].startswith("whsec_") and len(hook["secret"]) > 40
    assert hook["events"] == ["call.ringing", "call.ended"] and hook["enabled"] is True
    one = api.get(f"/v1/webhooks/{hook['id']}", token=admin).json
    assert "secret" not in one and hook["secret"] not in json.dumps(api.get("/v1/webhooks", token=admin).json)
    r = api.request("PATCH", f"/v1/webhooks/{hook['id']}", token=admin, body={"events": ["*"], "enabled": False})
    assert r.status == 200 and r.json["events"] == ["*"] and r.json["enabled"] is False
    rotated = api.post(f"/v1/webhooks/{hook['id']}/rotate-secret", token=admin)
    assert rotated.status == 201 and rotated.json["secret"] != hook["secret"]
    assert api.get("/v1/webhooks", token=admin).json["items"][0]["id"] == hook["id"]
    assert api.delete(f"/v1/webhooks/{hook['id']}", token=admin).status == 204
    assert api.get(f"/v1/webhooks/{hook['id']}", token=admin).status == 404
    assert api.get("/v1/webhooks/wh_000000000000", token=admin).status == 404
    assert api.get("/v1/webhooks/nonsense", token=admin).status in (400, 404)
    # admins only
    supervisor_key = api.post("/v1/api-keys", token=admin, body={"name": "s", "role": "supervisor"}).json["key"]
    assert api.get("/v1/webhooks", token=supervisor_key).status == 403
    assert api.get("/v1/webhooks", token=provider_token()).status == 403


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.acme.vn/x", "https"),
        ("https://127.0.0.1/x", "loopback"),
        ("https://localhost:8443/x", "local name"),
        ("https://10.1.2.3/x", "private"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://[::1]/x", "loopback"),
        ("https://2130706433/x", "qualified"),
        ("https://user:pw@hooks.acme.vn/x", "user"),
        ("ftp://hooks.acme.vn/x", "https"),
    ],
)
def test_urls_into_the_providers_network_are_refused(
    api: Api, monkeypatch: pytest.MonkeyPatch, url: str, reason: str
) -> None:
    monkeypatch.delenv("PROBOX_WEBHOOKS_ALLOW_PRIVATE", raising=False)
    _, admin = api.tenant("acme.probox.vn")
    r = api.post("/v1/webhooks", token=admin, body={"url": url})
    assert r.status == 400, r.text
    assert reason in r.json["error"]["fields"]["url"], r.json


def test_a_name_resolving_to_a_private_address_is_refused_when_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name was public when saved; at send time it resolves to loopback."""
    connected: list[Any] = []
    monkeypatch.setattr(sender.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("127.0.0.1", 443))])
    monkeypatch.setattr(sender.socket, "create_connection", lambda *a, **k: connected.append(a))
    out = sender.send("https://hooks.acme.vn/x", b"{}", {}, timeout_s=2, allow_private=False)
    assert not out.ok and out.status is None and "loopback" in out.error
    assert connected == []


def test_deliveries_are_signed_in_order_and_logged(api: Api, queue: Any, receiver: Receiver) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    hook = add_webhook(api, admin, receiver.url)
    only_ended = add_webhook(api, admin, receiver.url.replace("x=1", "x=2"), ["call.ended"])
    edge = make_edge(api, "edge-1", [tid])
    sent = [event(tid, "call-1", k, n) for n, k in enumerate((ev.RINGING, ev.ANSWERED, ev.ENDED), start=1)]
    post(api, edge, *sent)
    run_deliveries(queue)
    assert len(receiver.got) == 4  # three to the first webhook, call.ended to the second
    for r in receiver.got:
        doc = json.loads(r.body)
        assert _signed_by(r, hook["secret"]) != _signed_by(r, only_ended["secret"])  # by exactly one
        assert r.headers["probox-event-id"] == doc["id"] and r.headers["probox-event-type"] == doc["type"]
        assert r.headers["content-type"] == "application/json" and r.headers["probox-delivery-id"].startswith("dlv_")
        assert doc["tenant_id"] == tid and doc["data"]["call_id"] == "call-1"
    # the first webhook got all three, in event order, with increasing seq
    everything = [json.loads(r.body) for r in receiver.got if _signed_by(r, hook["secret"])]
    assert [e["type"] for e in everything] == ["call.ringing", "call.answered", "call.ended"]
    assert [e["seq"] for e in everything] == [1, 2, 3]
    assert [e["id"] for e in everything] == [s["id"] for s in sent]
    assert [e["data"] for e in everything] == [{**s, "edge_id": "edge-1"} for s in sent]
    ended = [json.loads(r.body) for r in receiver.got if _signed_by(r, only_ended["secret"])]
    assert [e["type"] for e in ended] == ["call.ended"]
    log = deliveries(api, admin, hook["id"])
    assert [d["event_type"] for d in log] == ["call.ended", "call.answered", "call.ringing"]  # newest first
    assert all(d["status"] == "succeeded" and d["attempts"] == 1 and d["last_status"] == 200 for d in log)
    assert [d["event_type"] for d in deliveries(api, admin, only_ended["id"])] == ["call.ended"]
    # paging
    page = api.get(f"/v1/webhooks/{hook['id']}/deliveries?limit=2", token=admin).json
    assert len(page["items"]) == 2 and page["next"]
    rest = api.get(f"/v1/webhooks/{hook['id']}/deliveries?limit=2&cursor={page['next']}", token=admin).json
    assert [d["event_type"] for d in rest["items"]] == ["call.ringing"] and rest["next"] is None


def _signed_by(r: Received, secret: str) -> bool:
    try:
        webhooksig.verify(secret, r.headers["probox-signature"], r.body, now=time.time())
    except webhooksig.SignatureError:
        return False
    return True


def test_a_receiver_answering_500_gets_retries_with_backoff(api: Api, queue: Any, receiver: Receiver) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    hook = add_webhook(api, admin, receiver.url)
    edge = make_edge(api, "edge-1", [tid])
    receiver.answers = [500, 503]  # the first two attempts fail
    post(api, edge, event(tid, "call-1", ev.RINGING, 1), event(tid, "call-1", ev.ANSWERED, 2))
    run_deliveries(queue, rounds=1)
    [first] = receiver.got
    assert json.loads(first.body)["type"] == "call.ringing"  # the later event waits behind it (order)
    [answered, ringing] = deliveries(api, admin, hook["id"])
    assert ringing["status"] == "retrying" and ringing["attempts"] == 1 and ringing["last_status"] == 500
    assert ringing["next_attempt_at"] and answered["status"] == "pending"
    time.sleep(1.2)  # PROBOX_WEBHOOK_BACKOFF_S=1: the second attempt after 1 s
    run_deliveries(queue, rounds=1)
    assert len(receiver.got) == 2 and receiver.got[1].headers["probox-event-id"] == first.headers["probox-event-id"]
    time.sleep(2.2)  # then 2 s
    run_deliveries(queue)
    types = [json.loads(r.body)["type"] for r in receiver.got]
    assert types == ["call.ringing", "call.ringing", "call.ringing", "call.answered"]
    # each attempt is signed again: a new timestamp, the same event id
    stamps = [webhooksig.parse(r.headers["probox-signature"])[0] for r in receiver.got[:3]]
    assert stamps == sorted(stamps) and stamps[0] < stamps[2]
    [answered, ringing] = deliveries(api, admin, hook["id"])
    assert (ringing["status"], ringing["attempts"], ringing["last_status"]) == ("succeeded", 3, 200)
    assert (answered["status"], answered["attempts"]) == ("succeeded", 1)


def test_a_delivery_fails_after_its_last_attempt(
    api: Api, queue: Any, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROBOX_WEBHOOK_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("PROBOX_WEBHOOK_BACKOFF_S", "0")
    tid, admin = api.tenant("acme.probox.vn")
    hook = add_webhook(api, admin, receiver.url)
    edge = make_edge(api, "edge-1", [tid])
    receiver.answers = [500, 500, 500]
    post(api, edge, event(tid, "call-1", ev.RINGING, 1))
    run_deliveries(queue)
    assert len(receiver.got) == 2
    [d] = deliveries(api, admin, hook["id"])
    assert (d["status"], d["attempts"], d["last_status"], d["last_error"]) == ("failed", 2, 500, "HTTP 500")
    assert run_deliveries(queue) == []  # the message is gone


def test_a_replayed_delivery_is_refused(api: Api, queue: Any, receiver: Receiver) -> None:
    """The receiver checks as docs/webhooks.md says: signature, 5-minute window, event ids."""
    tid, admin = api.tenant("acme.probox.vn")
    hook = add_webhook(api, admin, receiver.url)
    edge = make_edge(api, "edge-1", [tid])
    post(api, edge, event(tid, "call-1", ev.RINGING, 1))
    run_deliveries(queue)
    [got] = receiver.got
    guard = webhooksig.ReplayGuard()
    header, body = got.headers["probox-signature"], got.body
    now = time.time()
    webhooksig.verify(hook["secret"], header, body, now=now)
    assert guard.accept(got.headers["probox-event-id"], now=now)
    # the same request again within the window: signature fine, event id seen -> refused
    webhooksig.verify(hook["secret"], header, body, now=now + 10)
    assert not guard.accept(got.headers["probox-event-id"], now=now + 10)
    # replayed later: the timestamp is outside the tolerance
    with pytest.raises(webhooksig.SignatureError, match="tolerance"):
        webhooksig.verify(hook["secret"], header, body, now=now + webhooksig.TOLERANCE_S + 1)
    # changed body, or another tenant's secret: no
    with pytest.raises(webhooksig.SignatureError, match="match"):
        webhooksig.verify(hook["secret"], header, body.replace(b"call-1", b"call-2"), now=now)
    with pytest.raises(webhooksig.SignatureError):
        webhooksig.verify("whsec_other", header, body, now=now)


def test_off_or_deleted_webhooks_get_nothing_but_a_ping(api: Api, queue: Any, receiver: Receiver) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    hook = add_webhook(api, admin, receiver.url)
    api.request("PATCH", f"/v1/webhooks/{hook['id']}", token=admin, body={"enabled": False})
    edge = make_edge(api, "edge-1", [tid])
    post(api, edge, event(tid, "call-1", ev.RINGING, 1))
    ping = api.post(f"/v1/webhooks/{hook['id']}/ping", token=admin)
    assert ping.status == 202, ping.text
    run_deliveries(queue)
    [got] = receiver.events()
    assert got["type"] == "webhook.ping" and got["id"] == ping.json["event_id"]
    assert webhooksig.verify(
        hook["secret"], receiver.got[0].headers["probox-signature"], receiver.got[0].body, now=time.time()
    )
    # queued, then deleted before it was sent: cancelled
    api.request("PATCH", f"/v1/webhooks/{hook['id']}", token=admin, body={"enabled": True})
    post(api, edge, event(tid, "call-2", ev.RINGING, 2))
    [pending] = [d for d in deliveries(api, admin, hook["id"]) if d["event_type"] == "call.ringing"]
    assert pending["status"] == "pending"
    api.delete(f"/v1/webhooks/{hook['id']}", token=admin)
    run_deliveries(queue)
    assert len(receiver.got) == 1


# --- contact.* and ticket.* (issue 17): feed events on the same delivery path ------------------------------
def _contact(api: Api, token: str, **body: Any) -> dict[str, Any]:
    r = api.post("/v1/contacts", token=token, body=body)
    assert r.status == 201, r.text
    doc: dict[str, Any] = r.json
    return doc


def _ticket(api: Api, token: str, **body: Any) -> dict[str, Any]:
    r = api.post("/v1/tickets", token=token, body={"subject": "Khách hỏi hóa đơn", **body})
    assert r.status == 201, r.text
    doc: dict[str, Any] = r.json
    return doc


def test_contact_and_ticket_events_reach_the_webhooks_that_want_them(api: Api, queue: Any, receiver: Receiver) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    _other, other_admin = api.tenant("globex.probox.vn")
    desk = add_webhook(api, admin, receiver.url, ["contact.*", "ticket.created", "ticket.status_changed"])
    calls_only = add_webhook(api, admin, receiver.url.replace("x=1", "x=2"), ["call.ended"])
    everything = add_webhook(api, admin, receiver.url.replace("x=1", "x=3"))  # "*": every kind, these too
    foreign = add_webhook(api, other_admin, receiver.url.replace("x=1", "x=4"))  # tenant B, "*"
    c = _contact(api, admin, name="Nguyễn Văn An", numbers=["0901234567"], company="Acme")
    r = api.request("PATCH", f"/v1/contacts/{c['id']}", token=admin, body={"email": "an@acme.vn", "tags": ["vip"]})
    assert r.status == 200, r.text
    t = _ticket(api, admin, contact_id=c["id"], priority="high")
    r = api.request("PATCH", f"/v1/tickets/{t['id']}", token=admin, body={"status": "pending"})
    assert r.status == 200, r.text
    c2 = _contact(api, admin, name="Trần Thị Bình", numbers=["0912345678"])
    assert api.delete(f"/v1/contacts/{c2['id']}", token=admin).status == 204
    run_deliveries(queue, rounds=10)

    def got(hook: dict[str, Any]) -> list[dict[str, Any]]:
        return [json.loads(r.body) for r in receiver.got if _signed_by(r, hook["secret"])]

    to_desk = got(desk)
    assert [e["type"] for e in to_desk] == [
        "contact.created", "contact.updated", "ticket.created", "ticket.status_changed", "contact.created",
        "contact.deleted",
    ]  # fmt: skip
    for e in to_desk:
        assert e["tenant_id"] == tid and e["seq"] is None and e["id"].startswith("ev_") and e["created_at"]
    created, updated, t_created, t_status, _, deleted = (e["data"] for e in to_desk)
    assert created == {
        "contact_id": c["id"], "name": "Nguyễn Văn An", "company": "Acme", "email": "", "numbers": ["0901234567"],
        "owner": "", "tags": [], "segments": [], "source": "manual", "dnc": [], "by": created["by"],
    }  # fmt: skip
    assert created["by"]
    assert updated["email"] == "an@acme.vn" and updated["tags"] == ["vip"] and updated["changed"] == ["email", "tags"]
    assert t_created["ticket_id"] == t["id"] and t_created["number"] == t["number"] == 1
    assert (t_created["subject"], t_created["status"], t_created["priority"]) == ("Khách hỏi hóa đơn", "new", "high")
    assert t_created["contact_id"] == c["id"] and t_created["source"] == "contact"
    assert (t_status["ticket_id"], t_status["from"], t_status["to"]) == (t["id"], "new", "pending")
    assert deleted["contact_id"] == c2["id"] and deleted["name"] == "Trần Thị Bình"
    # the receiver's headers name the event; the delivery log has them all
    for r in receiver.got:
        doc = json.loads(r.body)
        assert r.headers["probox-event-id"] == doc["id"] and r.headers["probox-event-type"] == doc["type"]
    assert len(deliveries(api, admin, desk["id"])) == 6
    assert all(d["status"] == "succeeded" for d in deliveries(api, admin, desk["id"]))
    # "*" gets every one of them, ticket.updated included; call.ended only: none
    types = [e["type"] for e in got(everything)]
    assert types.count("ticket.updated") == 1 and "contact.updated" in types and "ticket.created" in types
    assert got(calls_only) == [] and deliveries(api, admin, calls_only["id"]) == []
    # tenant B's webhook never gets tenant A's contacts and tickets
    assert got(foreign) == [] and deliveries(api, other_admin, foreign["id"]) == []
    # and the tenant's own feed has the same events (written in the change's transaction)
    feed = api.get("/v1/events?limit=50", token=admin).json["items"]
    assert {e["id"] for e in to_desk} <= {e["id"] for e in feed}
    assert api.get("/v1/events?limit=50", token=other_admin).json["items"] == []


def test_ticket_comments_mentions_and_assignment_events(api: Api, queue: Any, receiver: Receiver) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    hook = add_webhook(api, admin, receiver.url, ["ticket.*"])
    r = api.post("/v1/users", token=admin, body={"email": "lan@acme.vn", "role": "agent", "password": "x" * 16})
    assert r.status == 201, r.text
    lan = r.json["id"]
    t = _ticket(api, admin)
    r = api.request("PATCH", f"/v1/tickets/{t['id']}", token=admin, body={"assignee": lan})
    assert r.status == 200, r.text
    r = api.post(f"/v1/tickets/{t['id']}/comments", token=admin, body={"body": "Nhờ @lan@acme.vn gọi lại khách"})
    assert r.status == 201, r.text
    _contact(api, admin, name="Không liên quan", numbers=["0987654321"])  # contact.*: not wanted
    run_deliveries(queue, rounds=10)
    events = [json.loads(x.body) for x in receiver.got]
    assert all(_signed_by(x, hook["secret"]) for x in receiver.got)
    kinds = [e["type"] for e in events]
    assert kinds[0] == "ticket.created"
    assert sorted(kinds[1:3]) == ["ticket.assigned", "ticket.updated"]
    assert sorted(kinds[3:]) == ["ticket.commented", "ticket.mentioned", "ticket.status_changed"]
    by_type = {e["type"]: e["data"] for e in events}
    assert by_type["ticket.assigned"]["user_id"] == lan and by_type["ticket.updated"]["assignee"] == lan
    assert by_type["ticket.commented"]["excerpt"] == "Nhờ @lan@acme.vn gọi lại khách"
    assert by_type["ticket.commented"]["mentions"] == [lan] and by_type["ticket.commented"]["internal"] is False
    assert by_type["ticket.mentioned"]["user_id"] == lan
    assert (by_type["ticket.status_changed"]["from"], by_type["ticket.status_changed"]["to"]) == ("new", "open")
    assert all(e["tenant_id"] == tid and e["data"]["ticket_id"] == t["id"] for e in events)


def test_desk_event_kinds_are_validated(api: Api, queue: Any) -> None:
    _tid, admin = api.tenant("acme.probox.vn")
    r = api.post("/v1/webhooks", token=admin, body={"url": "https://hooks.acme.vn/x", "events": ["contact.merged"]})
    assert r.status == 400 and "events" in json.dumps(r.json["error"]["fields"])
    hook = add_webhook(api, admin, "https://hooks.acme.vn/x", ["contact.created", "ticket.*"])
    assert hook["events"] == ["contact.created", "ticket.*"]


def test_a_call_from_a_new_number_sends_contact_and_missed_call_ticket_events(
    api: Api, queue: Any, receiver: Receiver
) -> None:
    """What CDR ingest makes by itself (a contact for an unknown caller, a ticket for a missed
    call) is announced as well, ``by: "system"``."""
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    hook = add_webhook(api, admin, receiver.url, ["contact.created", "ticket.created"])
    edge = api.edge()
    missed = {"direction": "inbound", "caller": "912345678", "callee": "101", "disposition": "no_answer"}
    r = api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "m1", "2025-11-05T02:00:00.000Z", **missed))
    assert r.status == 201, r.text
    run_deliveries(queue, rounds=10)
    events = [json.loads(x.body) for x in receiver.got]
    assert all(_signed_by(x, hook["secret"]) for x in receiver.got)
    assert [e["type"] for e in events] == ["contact.created", "ticket.created"]
    contact, ticket = events[0]["data"], events[1]["data"]
    assert contact["numbers"] == ["0912345678"] and contact["source"] == "call" and contact["by"] == "system"
    assert ticket["source"] == "missed_call" and ticket["contact_id"] == contact["contact_id"]
    assert ticket["by"] == "system"


def test_a_saved_wrapup_reaches_the_webhooks_that_want_it(api: Api, queue: Any, receiver: Receiver) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    _other, other_admin = api.tenant("globex.probox.vn")
    hook = add_webhook(api, admin, receiver.url, ["call.wrapped_up"])
    foreign = add_webhook(api, other_admin, receiver.url.replace("x=1", "x=2"))
    edge = api.edge()
    inbound = {"direction": "inbound", "caller": "912345678", "callee": "101"}
    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "c1", "2025-11-05T02:00:00.000Z", **inbound))
    body = {"disposition": "call_back", "notes": "Gọi lại 17h"}
    r = api.request("PUT", "/v1/calls/c1/wrapup", token=admin, body=body)
    assert r.status == 200, r.text
    run_deliveries(queue, rounds=10)
    [got] = receiver.got  # contact.created of the call is not wanted; tenant B gets nothing
    assert _signed_by(got, hook["secret"]) and not _signed_by(got, foreign["secret"])
    doc = json.loads(got.body)
    assert doc["type"] == "call.wrapped_up" and doc["tenant_id"] == tid
    data = doc["data"]
    assert (data["call_id"], data["disposition"], data["notes_excerpt"]) == ("c1", "call_back", "Gọi lại 17h")
    assert data["contact_id"] == r.json["contact_id"] and data["call_stored"] is True and data["extension"] == ""
    feed = api.get("/v1/events", token=admin).json["items"]
    assert doc["id"] in [e["id"] for e in feed]
