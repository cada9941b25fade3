"""The local stack's stand-in for the Lambda event source mapping of the webhook queue: it
receives batches from the SQS FIFO queue (moto's, in ``make run``), calls the same handler
AWS calls (``app.deliver_webhooks``, an SQS event of up to 10 records), and deletes the
records the handler did not report as failed (partial batch response), as Lambda does.

    python -m infra.webhook_poller --queue-url http://127.0.0.1:5000/123456789012/probox-webhooks.fifo

The environment is the control plane's (table, endpoint, secrets). ``poll_once`` is also
what the tests use to run deliveries.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
BATCH = 10


def lambda_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The event Lambda gives a function for a batch of SQS messages."""
    records = []
    for m in messages:
        attrs = m.get("Attributes", {})
        records.append(
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {
                    "ApproximateReceiveCount": attrs.get("ApproximateReceiveCount", "1"),
                    "SentTimestamp": attrs.get("SentTimestamp", "0"),
                    "SenderId": attrs.get("SenderId", "local"),
                    "ApproximateFirstReceiveTimestamp": attrs.get("ApproximateFirstReceiveTimestamp", "0"),
                    "MessageGroupId": attrs.get("MessageGroupId", ""),
                    "MessageDeduplicationId": attrs.get("MessageDeduplicationId", ""),
                    "SequenceNumber": attrs.get("SequenceNumber", "0"),
                },
                "messageAttributes": {},
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": queue_arn.split(":")[3] if queue_arn.count(":") >= 5 else "",
            }
        )
    return {"Records": records}


def poll_once(sqs: Any, queue_url: str, handler: Handler, *, wait_s: int = 0, queue_arn: str = "") -> tuple[int, int]:
    """One receive and one handler call: (messages received, messages failed)."""
    resp = sqs.receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=BATCH,
        WaitTimeSeconds=wait_s,
        AttributeNames=["All"],
        MessageSystemAttributeNames=["All"],
    )
    messages = resp.get("Messages", [])
    if not messages:
        return 0, 0
    event = lambda_event(messages, queue_arn or f"arn:aws:sqs:local:000000000000:{queue_url.rsplit('/', 1)[-1]}")
    result = handler(event, None)
    failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
    done = [m for m in messages if m["MessageId"] not in failed]
    for start in range(0, len(done), BATCH):
        entries = [{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(done[start : start + 10])]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
    return len(messages), len(failed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queue-url", required=True)
    ap.add_argument("--idle-wait", type=float, default=0.2, help="seconds between empty receives")
    a = ap.parse_args(argv)
    import boto3

    from control_plane import app

    sqs = boto3.client("sqs")
    stop = {"now": False}

    def on_signal(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(json.dumps({"msg": "webhook poller started", "queue_url": a.queue_url}), flush=True)
    while not stop["now"]:
        try:
            received, _failed = poll_once(sqs, a.queue_url, app.deliver_webhooks)
        except Exception as exc:  # keep polling: moto restarting, a handler bug logged by it
            print(json.dumps({"msg": "poll failed", "error": str(exc)}), file=sys.stderr, flush=True)
            received = 0
            time.sleep(1)
        if received == 0:
            time.sleep(a.idle_wait)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
