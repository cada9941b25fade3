"""Sending webhook deliveries from the SQS FIFO queue: the ``WebhookDelivery`` function of
template.yaml (``app.deliver_webhooks``), and the local stack's poller (``infra/webhook_poller.py``)
which calls the same ``handle`` with the same event shape.

powertools batch processing (``SqsFifoPartialProcessor``, ``skip_group_on_error``) answers
the records that failed (``batchItemFailures``), so SQS deletes the others. A record fails
when its receiver did not answer 2xx and attempts remain: the message is made visible again
after the backoff (``ChangeMessageVisibility``: 10 s, 20 s, 40 s... at most 1 hour), and,
FIFO, the webhook's later deliveries wait behind it (the other webhooks do not). Every
attempt is signed with a fresh timestamp; after ``max_attempts`` the delivery is failed
and the message dropped. The delivery log records each attempt.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from control_plane.core import clock, crypto, settings, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.webhooks import sender
from control_plane.webhooks import service as webhooks
from control_plane.webhooks import store as webhooks_store
from pbx_core import webhooksig

MAX_BACKOFF_S = 3600


class RetryLater(Exception):
    """The receiver did not take the delivery; try again after ``delay_s``."""

    def __init__(self, delay_s: int) -> None:
        super().__init__(f"retry in {delay_s} s")
        self.delay_s = delay_s


def backoff(attempt: int) -> int:
    """Seconds before attempt ``attempt + 1``: the base, doubled per attempt, at most 1 hour."""
    base = settings.webhook_delivery().backoff_s
    return int(min(MAX_BACKOFF_S, base * 2 ** max(0, attempt - 1)))


def deliver(record: SQSRecord) -> str:
    """One delivery attempt; "succeeded", "failed", "cancelled", or RetryLater."""
    msg = json.loads(record.body)
    tenant_id, webhook_id, sk, payload = msg["tenant_id"], msg["webhook_id"], msg["sk"], msg["payload"]
    # attempts made, not receives: a message skipped behind a failed one was received, not sent
    logged = webhooks_store.get_delivery(tenant_id, sk)
    attempt = int(logged.get("attempts", 0)) + 1 if logged else int(record.attributes.approximate_receive_count or 1)
    now = clock.now()
    log = {"tenant_id": tenant_id, "webhook_id": webhook_id, "event_id": payload.get("id"), "attempt": attempt}
    if isinstance(payload.get("data"), dict) and payload["data"].get("call_id"):
        log["call_id"] = payload["data"]["call_id"]
    hook = webhooks_store.get(tenant_id, webhook_id)
    if hook is None or (not hook.enabled and payload.get("type") != webhooks.PING):
        webhooks_store.update_delivery(tenant_id, sk, {"status": "cancelled", "next_attempt_at": None})
        logger.info("webhook delivery cancelled (webhook deleted or off)", extra=log)
        return "cancelled"
    cfg = settings.webhook_delivery()
    secret = crypto.decrypt(tenant_id, webhooks_store.secret_context(webhook_id), hook.secret)
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = {
        webhooksig.HEADER: webhooksig.header(secret, int(now.timestamp()), body),
        webhooksig.EVENT_ID_HEADER: str(payload["id"]),
        webhooksig.EVENT_TYPE_HEADER: str(payload["type"]),
        webhooksig.DELIVERY_HEADER: sk.rsplit("#", 1)[-1],
    }
    outcome = sender.send(
        hook.url, body, headers, timeout_s=cfg.timeout_s, allow_private=settings.webhooks_allow_private()
    )
    changes: dict[str, Any] = {
        "attempts": attempt,
        "last_status": outcome.status or 0,
        "last_error": outcome.error or None,
        "last_attempt_at": store.ts(now),
        "duration_ms": outcome.duration_ms,
        "next_attempt_at": None,
    }
    log.update(status=outcome.status, duration_ms=outcome.duration_ms)
    if outcome.ok:
        webhooks_store.update_delivery(tenant_id, sk, {**changes, "status": "succeeded"})
        count("WebhookDelivered")
        logger.info("webhook delivered", extra=log)
        return "succeeded"
    if attempt >= cfg.max_attempts:
        webhooks_store.update_delivery(tenant_id, sk, {**changes, "status": "failed"})
        count("WebhookFailed")
        logger.warning("webhook delivery failed for good", extra={**log, "error": outcome.error})
        return "failed"
    delay = backoff(attempt)
    changes.update(status="retrying", next_attempt_at=store.ts(now + timedelta(seconds=delay)))
    webhooks_store.update_delivery(tenant_id, sk, changes)
    count("WebhookRetry")
    logger.info("webhook delivery will be retried", extra={**log, "error": outcome.error, "delay_s": delay})
    raise RetryLater(delay)


def handle(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """The SQS batch: deliver each record, answer the failed ones (partial batch response)."""
    heads: dict[str, tuple[str, int | None]] = {}  # group -> (its first failed message, backoff)

    def record_handler(record: SQSRecord) -> str:
        group = record.attributes.message_group_id or ""
        try:
            return deliver(record)
        except RetryLater as exc:
            heads.setdefault(group, (record.message_id, exc.delay_s))
            raise
        except Exception:
            heads.setdefault(group, (record.message_id, None))  # the queue's visibility timeout
            raise

    processor = SqsFifoPartialProcessor(skip_group_on_error=True)
    # A batch whose records all wait for a retry is not an error of the function: answer
    # them as failed (partial response) rather than failing the invocation.
    processor.raise_on_entire_batch_failure = False
    response: dict[str, Any] = dict(process_partial_response(event, record_handler, processor, context))
    failed = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
    visibility: list[tuple[str, int]] = []
    for r in event.get("Records", []):
        group = r.get("attributes", {}).get("MessageGroupId") or ""
        if r["messageId"] not in failed or group not in heads:
            continue
        head, delay = heads[group]
        if r["messageId"] != head:
            # skipped behind the failed one: visible at once, yet not received before it
            # (FIFO: a group waits while one of its messages is in flight)
            visibility.append((r["receiptHandle"], 0))
        elif delay is not None:
            visibility.append((r["receiptHandle"], delay))
    _postpone(visibility)
    return response


def _postpone(receipts: list[tuple[str, int]]) -> None:
    """Set the visibility of failed messages: the backoff for the one that failed, 0 for the
    later ones of its webhook that were skipped (not the queue's visibility timeout)."""
    queue_url = settings.webhook_queue_url()
    if not receipts or queue_url is None:
        return
    client = webhooks.sqs()
    for start in range(0, len(receipts), 10):
        chunk = receipts[start : start + 10]
        entries = [
            {"Id": str(n), "ReceiptHandle": handle, "VisibilityTimeout": max(0, delay)}
            for n, (handle, delay) in enumerate(chunk)
        ]
        try:
            client.change_message_visibility_batch(QueueUrl=queue_url, Entries=entries)
        except Exception:  # the queue's visibility timeout applies instead: later, not lost
            logger.exception("webhook backoff not set")
