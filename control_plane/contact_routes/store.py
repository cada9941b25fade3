"""Route items, the change log and the reset mark of the edges' contact routes (layout:
``core.keys``). Transactions take ``ops`` (the contact's own transaction); imports take
``batch_requests`` (BatchWriteItem entries: the routes first, then the log, so a change the
log shows is already in the routes); reads use the low-level client."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute

from control_plane.core import clock, keys, settings, store
from pbx_core.contact_routes import Route

KEEP_S = 86400  # the change log's life (DynamoDB TTL)
LOG_MAX_IMPORT = 5000  # an import with more route changes marks a reset instead of logging each
BATCH_GET = 100


class RouteItem(store.Item, discriminator="contact_route"):
    """``T#<t>#CROUTE`` / ``<number>``: how a call from the number routes."""

    tenant_id = UnicodeAttribute()
    owner = UnicodeAttribute(default="")
    vip = BooleanAttribute(default=False)


class RouteChangeItem(store.Item, discriminator="contact_route_change"):
    """``T#<t>#CRLOG`` / ``<at µs>#<random>``: a number's route changed (``removed``: it has
    none any more). The edge is told the number's current route, not this copy."""

    tenant_id = UnicodeAttribute()
    number = UnicodeAttribute()
    owner = UnicodeAttribute(default="")
    vip = BooleanAttribute(default=False)
    removed = BooleanAttribute(default=False)
    ttl = TTLAttribute(null=True)


class ResetItem(store.Item, discriminator="contact_routes_reset"):
    """``T#<t>`` / ``CROUTESRESET``: edges whose cursor is older re-read the whole list."""

    tenant_id = UnicodeAttribute()
    at_us = NumberAttribute(default=0)


Change = tuple[str, Route | None]  # (number, its new route or None = removed)


def now_us() -> int:
    return int(clock.now().timestamp() * 1_000_000)


def _log_sk(at_us: int) -> str:
    return keys.contact_route_log_sk(at_us, secrets.token_hex(4))


def _ttl(at_us: int) -> datetime:
    return datetime.fromtimestamp(at_us / 1_000_000 + KEEP_S, UTC)


# --- writes ---------------------------------------------------------------------------------
def _save(item: store.Item) -> store.Op:
    return store.Op(lambda tx: tx.save(item))


def _delete(item: store.Item) -> store.Op:
    return store.Op(lambda tx: tx.delete(item))


def ops(tenant_id: str, changes: Sequence[Change], at_us: int | None = None) -> list[store.Op]:
    """The route items and change-log items of ``changes``, for the contact's transaction."""
    at = at_us if at_us is not None else now_us()
    out: list[store.Op] = []
    for number, route in changes:
        pk = keys.contact_route_pk(tenant_id)
        if route is None:
            gone = RouteItem(pk, number)
            out.append(_delete(gone))
            entry = RouteChangeItem(
                keys.contact_route_log_pk(tenant_id), _log_sk(at), tenant_id=tenant_id, number=number, removed=True,
                ttl=_ttl(at),
            )  # fmt: skip
        else:
            fresh = RouteItem(pk, number, tenant_id=tenant_id, owner=route[0], vip=route[1])
            out.append(_save(fresh))
            entry = RouteChangeItem(
                keys.contact_route_log_pk(tenant_id), _log_sk(at), tenant_id=tenant_id, number=number,
                owner=route[0], vip=route[1], removed=False, ttl=_ttl(at),
            )  # fmt: skip
        out.append(_save(entry))
    return out


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def route_raw(tenant_id: str, number: str, route: Route) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "pk": _s(keys.contact_route_pk(tenant_id)),
        "sk": _s(number),
        "kind": _s("contact_route"),
        "tenant_id": _s(tenant_id),
        "vip": {"BOOL": route[1]},
    }
    if route[0]:
        raw["owner"] = _s(route[0])
    return raw


def log_raw(tenant_id: str, number: str, route: Route | None, at_us: int) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "pk": _s(keys.contact_route_log_pk(tenant_id)),
        "sk": _s(_log_sk(at_us)),
        "kind": _s("contact_route_change"),
        "tenant_id": _s(tenant_id),
        "number": _s(number),
        "vip": {"BOOL": bool(route and route[1])},
        "removed": {"BOOL": route is None},
        "ttl": {"N": str(int(at_us / 1_000_000) + KEEP_S)},
    }
    if route is not None and route[0]:
        raw["owner"] = _s(route[0])
    return raw


def route_requests(tenant_id: str, changes: Sequence[Change]) -> list[dict[str, Any]]:
    """BatchWriteItem entries of the route items of ``changes`` (puts and deletes, no log)."""
    out: list[dict[str, Any]] = []
    for number, route in changes:
        if route is None:
            out.append({"DeleteRequest": {"Key": {"pk": _s(keys.contact_route_pk(tenant_id)), "sk": _s(number)}}})
        else:
            out.append({"PutRequest": {"Item": route_raw(tenant_id, number, route)}})
    return out


def log_requests(tenant_id: str, changes: Sequence[Change], at_us: int | None = None) -> list[dict[str, Any]]:
    """BatchWriteItem entries of the change-log items of ``changes`` (an import writes them
    after the route items: a change the log shows is then in the routes)."""
    at = at_us if at_us is not None else now_us()
    return [{"PutRequest": {"Item": log_raw(tenant_id, number, route, at)}} for number, route in changes]


def mark_reset(tenant_id: str, at_us: int | None = None) -> None:
    """Every edge re-reads the tenant's whole list (changes were written without the log)."""
    ResetItem(
        keys.tenant_pk(tenant_id), keys.CONTACT_ROUTES_RESET_SK, tenant_id=tenant_id,
        at_us=at_us if at_us is not None else now_us(),
    ).save()  # fmt: skip


def purge(tenant_id: str) -> int:
    """Offboarding: the tenant's routes and change log (the reset mark is in its partition)."""
    return store.delete_partition(keys.contact_route_pk(tenant_id)) + store.delete_partition(
        keys.contact_route_log_pk(tenant_id)
    )


# --- reads ---------------------------------------------------------------------------------
def reset_at(tenant_id: str) -> int:
    item = store.get_child(tenant_id, ResetItem, keys.CONTACT_ROUTES_RESET_SK)
    return int(item.at_us or 0) if item is not None else 0


def _query(pk: str, *, start_sk: str | None, after_sk: str | None, limit: int) -> Any:
    """One page (at most ``limit`` items) of a partition: sk >= ``start_sk``, or after
    ``after_sk`` (a page's last key)."""
    args: dict[str, Any] = {
        "TableName": settings.aws().table,
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": "pk", "#sk": "sk", "#o": "owner", "#n": "number", "#v": "vip"},
        "ExpressionAttributeValues": {":pk": _s(pk)},
        "ProjectionExpression": "#sk, #o, #n, #v",
        "ConsistentRead": True,
        "Limit": limit,
    }
    if after_sk is not None:
        args["ExclusiveStartKey"] = {"pk": _s(pk), "sk": _s(after_sk)}
    elif start_sk is not None:
        args["KeyConditionExpression"] += " AND #sk >= :start"
        args["ExpressionAttributeValues"][":start"] = _s(start_sk)
    return store.client().query(**args)


def _route(raw: dict[str, Any]) -> Route:
    return raw.get("owner", {}).get("S", ""), bool(raw.get("vip", {}).get("BOOL", False))


def all_routes(tenant_id: str) -> dict[str, Route]:
    """Every route of the tenant (a rebuild)."""
    pk = keys.contact_route_pk(tenant_id)
    return {raw["sk"]["S"]: _route(raw) for raw in store.query_raw(pk, projection="sk, #o, vip", names={"#o": "owner"})}


def routes_page(tenant_id: str, *, after: str | None, limit: int) -> tuple[list[tuple[str, Route]], str | None]:
    """A page of the tenant's routes by number and the number to continue after (None: done)."""
    resp = _query(keys.contact_route_pk(tenant_id), start_sk=None, after_sk=after, limit=limit)
    items = [(raw["sk"]["S"], _route(raw)) for raw in resp.get("Items", [])]
    lek = resp.get("LastEvaluatedKey")
    return items, (str(lek["sk"]["S"]) if lek else None)


def changed_page(tenant_id: str, *, since_us: int, after: str | None, limit: int) -> tuple[list[str], str | None]:
    """A page of the numbers whose route changed at or after ``since_us`` (oldest first; a
    number may come more than once) and the log key to continue after (None: done)."""
    start = keys.contact_route_log_sk(max(0, since_us), "")
    resp = _query(keys.contact_route_log_pk(tenant_id), start_sk=start, after_sk=after, limit=limit)
    numbers = [raw["number"]["S"] for raw in resp.get("Items", []) if "number" in raw]
    lek = resp.get("LastEvaluatedKey")
    return numbers, (str(lek["sk"]["S"]) if lek else None)


def current(tenant_id: str, numbers: Sequence[str]) -> dict[str, Route]:
    """The current routes of ``numbers`` (those that have one): BatchGetItem, 100 at a time."""
    client, table, pk = store.client(), settings.aws().table, keys.contact_route_pk(tenant_id)
    wanted = list(dict.fromkeys(numbers))
    out: dict[str, Route] = {}
    for start in range(0, len(wanted), BATCH_GET):
        request: dict[str, Any] = {
            "Keys": [{"pk": _s(pk), "sk": _s(n)} for n in wanted[start : start + BATCH_GET]],
            "ConsistentRead": True,
            "ProjectionExpression": "sk, #o, vip",
            "ExpressionAttributeNames": {"#o": "owner"},
        }
        pending: dict[str, Any] = {table: request}
        for _ in range(10):
            resp = client.batch_get_item(RequestItems=pending)
            for raw in resp.get("Responses", {}).get(table, []):
                out[raw["sk"]["S"]] = _route(raw)
            pending = resp.get("UnprocessedKeys") or {}
            if not pending:
                break
    return out
