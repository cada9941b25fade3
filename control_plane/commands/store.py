"""Commands and the edges' inboxes (low-level DynamoDB; ``core.keys.command``,
``core.keys.edge_inbox_pk``). A command is one item whose ``doc`` (JSON) is what the edge
gets; ``state``, ``edge_id``, ``call_id`` and ``reason`` change as it runs, each change
conditional on the state before it. Items carry ``ttl``: DynamoDB removes them a day later."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from control_plane.core import keys, settings, store

KEEP_S = 86400


def _table() -> str:
    return settings.aws().table


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int | float) -> dict[str, str]:
    return {"N": str(value)}


class OnceTaken(Exception):
    """The once-a-day guard of an advertising call is taken (another call today)."""


def create(doc: dict[str, Any], edge_ids: list[str], now_s: float, *, once_key: str | None = None) -> bool:
    """Store a new command and an entry in each edge's inbox; False when the id exists
    (a repeated request). ``once_key``: a guard item taken in the same transaction (an
    advertising call's person and day); ``OnceTaken`` when it exists."""
    pk, sk = keys.command(doc["id"])
    ttl = _n(int(now_s) + KEEP_S)
    items: list[dict[str, Any]] = [
        {
            "Put": {
                "TableName": _table(),
                "Item": {
                    "pk": _s(pk), "sk": _s(sk), "kind": _s("command"), "tenant_id": _s(doc["tenant_id"]),
                    "created_by": _s(doc["created_by"]), "doc": _s(json.dumps(doc)), "state": _s("pending"),
                    "expires": _n(doc["expires_s"]), "ttl": ttl,
                },
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
    ]  # fmt: skip
    for edge_id in edge_ids:
        item = {"pk": _s(keys.edge_inbox_pk(edge_id)), "sk": _s(doc["id"]), "kind": _s("edge_command"), "ttl": ttl}
        items.append({"Put": {"TableName": _table(), "Item": item}})
    if once_key is not None:
        pk, sk = keys.advertising_once(once_key)
        guard = {"pk": _s(pk), "sk": _s(sk), "kind": _s("advertising_once"), "command_id": _s(doc["id"]),
                 "ttl": _n(int(now_s) + 2 * KEEP_S)}  # fmt: skip
        items.append({"Put": {"TableName": _table(), "Item": guard, "ConditionExpression": "attribute_not_exists(pk)"}})
    try:
        store.client().transact_write_items(TransactItems=items)
    except ClientError as e:
        reasons = e.response.get("CancellationReasons") or []
        if reasons and reasons[0].get("Code") == store.CONDITION_FAILED:
            return False
        if once_key is not None and reasons and reasons[-1].get("Code") == store.CONDITION_FAILED:
            raise OnceTaken(once_key) from e
        raise
    return True


def _view(raw: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(raw["doc"]["S"])
    doc["state"] = raw["state"]["S"]
    doc["edge_id"] = raw.get("edge_id", {}).get("S", "")
    doc["call_id"] = raw.get("call_id", {}).get("S", "")
    doc["reason"] = raw.get("reason", {}).get("S", "")
    doc["created_by"] = raw["created_by"]["S"]
    return doc


def get(command_id: str) -> dict[str, Any] | None:
    pk, sk = keys.command(command_id)
    resp = store.client().get_item(TableName=_table(), Key={"pk": _s(pk), "sk": _s(sk)}, ConsistentRead=True)
    raw = resp.get("Item")
    return _view(raw) if raw else None


def inbox(edge_id: str, limit: int = 50) -> list[str]:
    """The command ids in an edge's inbox, oldest first."""
    resp = store.client().query(
        TableName=_table(),
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": _s(keys.edge_inbox_pk(edge_id))},
        ConsistentRead=True,
        Limit=limit,
    )
    return [str(i["sk"]["S"]) for i in resp.get("Items", [])]


def get_many(command_ids: list[str]) -> list[dict[str, Any]]:
    if not command_ids:
        return []
    wanted = [keys.command(i) for i in command_ids]
    resp = store.client().batch_get_item(
        RequestItems={_table(): {"Keys": [{"pk": _s(pk), "sk": _s(sk)} for pk, sk in wanted], "ConsistentRead": True}}
    )
    found = {raw["pk"]["S"]: _view(raw) for raw in resp.get("Responses", {}).get(_table(), [])}
    return [found[pk] for pk, _ in wanted if pk in found]


def drop_from_inbox(edge_id: str, command_id: str) -> None:
    store.client().delete_item(TableName=_table(), Key={"pk": _s(keys.edge_inbox_pk(edge_id)), "sk": _s(command_id)})


def claim(command_id: str, edge_id: str, now_s: float) -> bool:
    """Pending and not expired -> claimed by ``edge_id``; False when not (read it to see why)."""
    pk, sk = keys.command(command_id)
    try:
        store.client().update_item(
            TableName=_table(),
            Key={"pk": _s(pk), "sk": _s(sk)},
            UpdateExpression="SET #st = :claimed, edge_id = :e",
            ConditionExpression="#st = :pending AND expires > :now",
            ExpressionAttributeNames={"#st": "state"},
            ExpressionAttributeValues={
                ":claimed": _s("claimed"), ":pending": _s("pending"), ":e": _s(edge_id), ":now": _n(now_s),
            },
        )  # fmt: skip
    except ClientError as e:
        if e.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def report(command_id: str, edge_id: str, state: str, call_id: str, reason: str, allowed_from: list[str]) -> bool:
    """The claiming edge's progress; False when the command is not in one of ``allowed_from``."""
    pk, sk = keys.command(command_id)
    names = {"#st": "state"}
    values: dict[str, Any] = {":new": _s(state), ":e": _s(edge_id), ":c": _s(call_id), ":r": _s(reason)}
    olds = []
    for i, old in enumerate(allowed_from):
        values[f":o{i}"] = _s(old)
        olds.append(f":o{i}")
    try:
        store.client().update_item(
            TableName=_table(),
            Key={"pk": _s(pk), "sk": _s(sk)},
            UpdateExpression="SET #st = :new, call_id = :c, reason = :r",
            ConditionExpression=f"edge_id = :e AND #st IN ({', '.join(olds)})",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
    except ClientError as e:
        if e.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True
