"""Signed webhooks per tenant (B2): the tenant admin's CRUD, and handing events to the
delivery queue (``enqueue``; ``delivery`` sends them).

A webhook is an https URL, the event kinds it wants (``["*"]``: all) and a secret shown once
(``whsec_...``), with which every delivery is signed (``pbx_core.webhooksig``). Each event
a webhook wants becomes one delivery: an item of the delivery log (pending) and a message on
the SQS FIFO queue, in the message group of that webhook, so that one webhook's deliveries
are sent in event order and a failing receiver holds up only its own.
"""

from __future__ import annotations

import functools
import json
import secrets
from datetime import datetime
from typing import Any

import boto3

from control_plane.core import clock, crypto, ids, settings, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.core.schemas import given, parse
from control_plane.events import store as events_store
from control_plane.events.store import EventItem
from control_plane.webhooks import sender
from control_plane.webhooks import store as webhooks_store
from control_plane.webhooks.schemas import (
    DeliveryList,
    DeliveryOut,
    PingOut,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
    WebhookOut,
    WebhookSecretOut,
    WebhookUpdate,
)
from control_plane.webhooks.store import WebhookItem
from pbx_core.cdr import iso
from pbx_core.errors import Conflict, NotFound, ValidationError

MAX_WEBHOOKS = 10
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
CURSOR = "webhook-delivery-cursor"
PING = "webhook.ping"
SQS_BATCH = 10


def public(h: WebhookItem) -> WebhookOut:
    return WebhookOut(
        id=h.webhook_id,
        url=h.url,
        events=[str(e) for e in h.events],
        description=h.description or "",
        enabled=bool(h.enabled),
        created_at=h.created_at,
        updated_at=h.updated_at,
    )


def _check_url(url: str) -> None:
    reason = sender.check_url(url, allow_private=settings.webhooks_allow_private())
    if reason is not None:
        raise ValidationError(f"url: {reason}", fields={"url": reason})


def _events(kinds: list[str]) -> list[str]:
    unique = list(dict.fromkeys(kinds))
    return ["*"] if "*" in unique else unique


def _new_secret(tenant_id: str, webhook_id: str) -> tuple[str, str]:
    """(the secret, sealed for the table)."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    return secret, crypto.encrypt(tenant_id, webhooks_store.secret_context(webhook_id), secret)


def require(tenant_id: str, webhook_id: str) -> WebhookItem:
    hook = webhooks_store.get(tenant_id, ids.check_id(webhook_id, "wh", "webhook"))
    if hook is None:
        raise NotFound("webhook not found")
    return hook


def create(tenant_id: str, body: dict[str, Any]) -> WebhookCreated:
    req = parse(WebhookCreate, body, "invalid webhook")
    _check_url(req.url)
    webhook_id = ids.new_id("wh")
    secret, sealed = _new_secret(tenant_id, webhook_id)
    now = store.ts(clock.now())
    hook = webhooks_store.item(
        tenant_id,
        webhook_id,
        url=req.url,
        description=req.description,
        events=_events(list(req.events)),
        enabled=req.enabled,
        secret=sealed,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    webhooks_store.create(hook, limit=MAX_WEBHOOKS)
    logger.info("webhook created", extra={"tenant_id": tenant_id, "webhook_id": webhook_id})
    return WebhookCreated(**public(hook).model_dump(), secret=secret)


def list_all(tenant_id: str) -> WebhookList:
    hooks = sorted(webhooks_store.list_all(tenant_id), key=lambda h: (h.created_at, h.webhook_id))
    return WebhookList(items=[public(h) for h in hooks], next=None)


def get(tenant_id: str, webhook_id: str) -> WebhookOut:
    return public(require(tenant_id, webhook_id))


def update(tenant_id: str, webhook_id: str, body: dict[str, Any]) -> WebhookOut:
    hook = require(tenant_id, webhook_id)
    req = parse(WebhookUpdate, body, "invalid webhook")
    changes: dict[str, Any] = {}
    sent = given(req)
    if "url" in sent and req.url is not None:
        _check_url(req.url)
        changes["url"] = req.url
    if "events" in sent and req.events is not None:
        changes["events"] = _events(list(req.events))
    if "description" in sent and req.description is not None:
        changes["description"] = req.description
    if "enabled" in sent and req.enabled is not None:
        changes["enabled"] = req.enabled
    if changes:
        webhooks_store.save(hook, changes, now=clock.now())
        logger.info("webhook changed", extra={"tenant_id": tenant_id, "webhook_id": webhook_id})
    return public(require(tenant_id, webhook_id))


def delete(tenant_id: str, webhook_id: str) -> None:
    webhooks_store.delete(require(tenant_id, webhook_id))
    logger.info("webhook deleted", extra={"tenant_id": tenant_id, "webhook_id": webhook_id})


def rotate_secret(tenant_id: str, webhook_id: str) -> WebhookSecretOut:
    hook = require(tenant_id, webhook_id)
    secret, sealed = _new_secret(tenant_id, webhook_id)
    webhooks_store.save(hook, {"secret": sealed}, now=clock.now())
    logger.info("webhook secret rotated", extra={"tenant_id": tenant_id, "webhook_id": webhook_id})
    return WebhookSecretOut(secret=secret)


# --- the delivery log ------------------------------------------------------------------------
def delivery_public(d: dict[str, Any]) -> DeliveryOut:
    return DeliveryOut(
        id=d["delivery_id"],
        event_id=d["event_id"],
        event_type=d["event_type"],
        seq=d.get("seq"),
        status=d["status"],
        attempts=int(d.get("attempts", 0)),
        last_status=d.get("last_status") or None,
        last_error=d.get("last_error"),
        last_attempt_at=d.get("last_attempt_at"),
        next_attempt_at=d.get("next_attempt_at"),
        duration_ms=d.get("duration_ms"),
        created_at=d["created_at"],
    )


def deliveries(tenant_id: str, webhook_id: str, *, limit: int, cursor: str | None) -> DeliveryList:
    require(tenant_id, webhook_id)
    after = ids.decode_cursor(CURSOR, tenant_id, cursor) if cursor else None
    if after is not None and not after.startswith(f"{webhook_id}#"):
        raise ValidationError("invalid cursor", fields={"cursor": "not a cursor of this webhook"})
    items, next_sk = webhooks_store.deliveries(tenant_id, webhook_id, limit=limit, after_sk=after)
    return DeliveryList(
        items=[delivery_public(d) for d in items],
        next=ids.encode_cursor(CURSOR, tenant_id, next_sk) if next_sk else None,
    )


# --- handing events to the queue ----------------------------------------------------------------
@functools.cache
def _sqs(region: str, endpoint: str | None) -> Any:
    return boto3.client("sqs", region_name=region, endpoint_url=endpoint)


def sqs() -> Any:
    s = settings.aws()
    return _sqs(s.region, s.endpoint_url)


def envelope(tenant_id: str, seq: int | None, event: dict[str, Any]) -> dict[str, Any]:
    """The JSON body a receiver gets: the event's id and kind, when it happened, and the event."""
    return {
        "id": event["id"],
        "type": event["kind"],
        "created_at": event["occurred_at"],
        "tenant_id": tenant_id,
        "seq": seq,
        "data": event,
    }


def feed_envelope(tenant_id: str, event: EventItem) -> dict[str, Any]:
    """The body of a feed event (``events.store.EventItem``: contact.*, ticket.*): the same
    envelope as a call event's; ``seq`` is null (feed events are ordered by time)."""
    return {
        "id": event.event_id,
        "type": event.type,
        "created_at": event.created_at,
        "tenant_id": tenant_id,
        "seq": None,
        "data": events_store.data(event),
    }


def _wants(hook: WebhookItem, kind: str) -> bool:
    """``*`` = every kind; ``contact.*`` / ``ticket.*`` = every kind of that family."""
    wanted = {str(e) for e in hook.events}
    return bool(hook.enabled) and ("*" in wanted or kind in wanted or f"{kind.split('.', 1)[0]}.*" in wanted)


def _send_messages(queue_url: str, messages: list[tuple[str, str, dict[str, Any]]]) -> None:
    """(group, deduplication id, body) on the FIFO queue, 10 per request."""
    client = sqs()
    for start in range(0, len(messages), SQS_BATCH):
        chunk = messages[start : start + SQS_BATCH]
        entries = [
            {
                "Id": str(n),
                "MessageBody": json.dumps(body, separators=(",", ":")),
                "MessageGroupId": group,
                "MessageDeduplicationId": dedup,
            }
            for n, (group, dedup, body) in enumerate(chunk)
        ]
        resp = client.send_message_batch(QueueUrl=queue_url, Entries=entries)
        if resp.get("Failed"):
            raise RuntimeError(f"{len(resp['Failed'])} webhook deliveries were not queued: {resp['Failed'][0]}")


def _queue(tenant_id: str, pairs: list[tuple[WebhookItem, dict[str, Any]]], now: datetime) -> list[dict[str, Any]]:
    """Record and queue one delivery per (webhook, envelope); the deliveries."""
    queue_url = settings.webhook_queue_url()
    if queue_url is None:
        raise Conflict("webhook deliveries are not configured in this deployment (PROBOX_WEBHOOK_QUEUE_URL)")
    created = iso(now)
    deliveries = []
    messages = []
    for hook, payload in pairs:
        delivery_id = ids.new_id("dlv")
        sk = webhooks_store.delivery_sk(hook.webhook_id, created, payload.get("seq"), delivery_id)
        deliveries.append(
            {
                "sk": sk,
                "webhook_id": hook.webhook_id,
                "delivery_id": delivery_id,
                "event_id": payload["id"],
                "event_type": payload["type"],
                "seq": payload.get("seq"),
                "status": "pending",
                "attempts": 0,
                "created_at": created,
            }
        )
        body = {"v": 1, "tenant_id": tenant_id, "webhook_id": hook.webhook_id, "sk": sk, "payload": payload}
        messages.append((f"{tenant_id}.{hook.webhook_id}", delivery_id, body))
    webhooks_store.put_deliveries(tenant_id, deliveries, now_epoch=int(now.timestamp()))
    _send_messages(queue_url, messages)
    return deliveries


def enqueue(tenant_id: str, events: list[tuple[int, dict[str, Any]]], *, now: datetime) -> int:
    """Hand events (seq, event) to the tenant's webhooks that want them; how many deliveries.

    Never raises: the events are stored already and the edge must not post them again, so a
    failure here is logged and counted (``WebhookEnqueueFailed``), not answered.
    """
    return _enqueue(tenant_id, [envelope(tenant_id, seq, e) for seq, e in events], now=now)


def publish(tenant_id: str, events: list[EventItem], *, now: datetime) -> int:
    """Hand feed events, once their transaction is committed, to the tenant's webhooks that
    want them (the same queue, log and signatures as call events); how many deliveries.
    Never raises (logged and counted, as ``enqueue``): the change is stored already."""
    if not events:
        return 0
    return _enqueue(tenant_id, [feed_envelope(tenant_id, e) for e in events], now=now)


def _enqueue(tenant_id: str, payloads: list[dict[str, Any]], *, now: datetime) -> int:
    try:
        hooks = [h for h in webhooks_store.list_all(tenant_id) if h.enabled]
        pairs = [(h, p) for p in payloads for h in hooks if _wants(h, str(p["type"]))]
        if not pairs:
            return 0
        if settings.webhook_queue_url() is None:
            logger.warning("webhooks not sent: no queue configured", extra={"tenant_id": tenant_id})
            return 0
        _queue(tenant_id, pairs, now)
    except Exception:
        logger.exception("webhook deliveries not queued", extra={"tenant_id": tenant_id})
        count("WebhookEnqueueFailed")
        return 0
    count("WebhookQueued", len(pairs))
    return len(pairs)


def ping(tenant_id: str, webhook_id: str) -> PingOut:
    """Queue a ``webhook.ping`` to this webhook (whatever its event filter; also when off)."""
    hook = require(tenant_id, webhook_id)
    now = clock.now()
    event_id = "ping_" + secrets.token_hex(8)
    payload = {
        "id": event_id,
        "type": PING,
        "created_at": iso(now),
        "tenant_id": tenant_id,
        "seq": None,
        "data": {"webhook_id": webhook_id},
    }
    [delivery] = _queue(tenant_id, [(hook, payload)], now)
    return PingOut(delivery_id=delivery["delivery_id"], event_id=event_id)
