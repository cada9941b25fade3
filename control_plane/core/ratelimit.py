"""Request rate limits of the API, per tenant and per caller, shared by every Lambda instance.

A fixed window (``PROBOX_RATE_LIMIT_WINDOW_S``, default 60 s) per tenant (the provider's
users share the scope ``PROVIDER``) is one item of the table, ``RATE#<scope>`` /
``<window start>``, holding the scope's count and one count per caller (user, token
subject or API key). Each authenticated request is one conditional UpdateItem that adds 1
to both while both are below their limits (``PROBOX_RATE_LIMIT_TENANT``,
``PROBOX_RATE_LIMIT_PRINCIPAL``; 0 turns a limit off); a refused request counts nothing
and answers 429 ``rate_limited`` with ``Retry-After`` = the seconds to the window's end.
The item expires by TTL a minute after its window.

A fixed window lets a caller send up to twice the limit across a window boundary; that is
the price of one write per request. API Gateway's stage throttling (template.yaml) bounds
the whole API in front of this. Edge nodes are not limited here (their polls and CDR
uploads are bounded by the agent, and a backlog after an outage must drain), public routes
neither (login has its own per-e-mail throttle). When the table cannot be reached the
request goes through: the limiter must not turn a DynamoDB hiccup into an outage.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from control_plane.core import auth, keys, settings, store
from control_plane.core.errors import RateLimited
from control_plane.core.log import logger
from control_plane.core.metrics import count

PROVIDER_SCOPE = "PROVIDER"
TTL_SLACK_S = 60  # a window's item expires this long after the window


def _member(sub: str) -> str:
    """A short fixed-size attribute name for the caller (subjects may be long e-mails)."""
    return hashlib.sha256(sub.encode()).hexdigest()[:16]


def check(*, tenant_id: str | None, role: str, sub: str, now: datetime) -> None:
    """Count this request; RateLimited when the tenant or the caller is over its limit."""
    limits = settings.rate_limits()
    if not limits.enabled or not role or role == auth.EDGE:
        return
    scope = tenant_id or PROVIDER_SCOPE
    epoch = int(now.timestamp())
    start = epoch - epoch % limits.window_s
    try:
        allowed = hit(
            scope,
            _member(sub or role),
            window_start=start,
            window_s=limits.window_s,
            scope_limit=limits.tenant,
            member_limit=limits.principal,
        )
    except Exception:  # fail open, loudly
        logger.exception("rate limiter unavailable; request let through")
        count("RateLimiterError")
        return
    if allowed:
        return
    retry = max(1, start + limits.window_s - epoch)
    count("RateLimited")
    raise RateLimited(
        f"too many requests: at most {limits.tenant or 'unlimited'} per tenant and "
        f"{limits.principal or 'unlimited'} per caller every {limits.window_s} s; retry in {retry} s",
        retry_after_s=retry,
    )


def hit(scope: str, member: str, *, window_start: int, window_s: int, scope_limit: int, member_limit: int) -> bool:
    """Count one request of ``member`` (a caller) in ``scope``'s (a tenant's) fixed window.

    One conditional UpdateItem: both counters go up only while both are under their limits
    (0 = no limit); False when a limit is reached (nothing counted). The item expires
    (TTL) a minute after its window.
    """
    names = {"#kind": "kind", "#ttl": "ttl"}
    values: dict[str, Any] = {
        ":one": {"N": "1"},
        ":kind": {"S": "rate"},
        ":ttl": {"N": str(window_start + window_s + TTL_SLACK_S)},
    }
    adds: list[str] = []
    conds: list[str] = []
    for alias, attr, limit in (("#n", "n", scope_limit), ("#m", f"m#{member}", member_limit)):
        if limit <= 0:
            continue
        names[alias] = attr
        values[f":{alias[1:]}max"] = {"N": str(limit)}
        adds.append(f"{alias} :one")
        conds.append(f"(attribute_not_exists({alias}) OR {alias} < :{alias[1:]}max)")
    if not adds:
        return True
    try:
        store.client().update_item(
            TableName=settings.aws().table,
            Key={"pk": {"S": keys.rate_pk(scope)}, "sk": {"S": str(window_start)}},
            UpdateExpression="SET #kind = :kind, #ttl = :ttl ADD " + ", ".join(adds),
            ConditionExpression=" AND ".join(conds),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True
