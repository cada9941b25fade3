"""Pushing messages to browsers' WebSockets through the API Gateway management API
(``post_to_connection``), the same call in AWS and locally (``infra/live_ws.py`` answers it).

One message per event, in event order on each connection; connections are served in
parallel (a slow browser does not hold up the others). A connection the gateway no longer
knows (410 Gone) is forgotten. Nothing is pushed when ``PROBOX_WS_ENDPOINT`` is unset.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from control_plane.core import settings
from control_plane.core.log import logger
from control_plane.core.metrics import count

MAX_THREADS = 8


@functools.cache
def _client(endpoint: str, region: str, aws_endpoint: str | None) -> Any:
    """The management API client of one endpoint (kept: a warm Lambda reuses its connections)."""
    config = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 2, "mode": "standard"})
    return boto3.client("apigatewaymanagementapi", endpoint_url=endpoint, region_name=region, config=config)


def client() -> Any | None:
    endpoint = settings.ws_endpoint()
    if endpoint is None:
        return None
    s = settings.aws()
    return _client(endpoint, s.region, s.endpoint_url)


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode()


def post(connection_id: str, data: bytes) -> bool:
    """Send one message; False when the connection is gone (or no endpoint is configured)."""
    api = client()
    if api is None:
        return False
    try:
        api.post_to_connection(ConnectionId=connection_id, Data=data)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("GoneException", "410") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 410:
            return False
        raise
    return True


def close(connection_id: str) -> None:
    """Close a connection (best effort: it may be gone already)."""
    api = client()
    if api is None:
        return
    try:
        api.delete_connection(ConnectionId=connection_id)
    except (ClientError, BotoCoreError) as exc:
        logger.info("closing a connection failed", extra={"connection_id": connection_id, "error": str(exc)})


def push(targets: Sequence[tuple[str, list[bytes]]], *, on_gone: Callable[[str], None]) -> tuple[int, int]:
    """Send each connection its messages, in order; ``on_gone(connection_id)`` for those the
    gateway no longer knows. (messages sent, connections gone)."""
    work = [(cid, msgs) for cid, msgs in targets if msgs]
    if not work or client() is None:
        return 0, 0

    def one(target: tuple[str, list[bytes]]) -> tuple[int, bool]:
        cid, msgs = target
        sent = 0
        try:
            for data in msgs:
                if not post(cid, data):
                    return sent, True
                sent += 1
        except (ClientError, BotoCoreError) as exc:  # this browser only; the others go on
            logger.warning("push to a connection failed", extra={"connection_id": cid, "error": str(exc)})
        return sent, False

    if len(work) == 1:
        results = [one(work[0])]
    else:
        with ThreadPoolExecutor(max_workers=min(MAX_THREADS, len(work))) as pool:
            results = list(pool.map(one, work))
    gone = 0
    for (cid, _), (_, is_gone) in zip(work, results, strict=True):
        if is_gone:
            gone += 1
            on_gone(cid)
    sent = sum(n for n, _ in results)
    count("LiveMessagesPushed", sent)
    return sent, gone
