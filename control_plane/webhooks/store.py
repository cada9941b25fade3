"""Webhook items (``T#<tenant_id>`` / ``WH#<id>``) and their delivery log
(``T#<tenant_id>#WHDLV`` / ``<webhook_id>#<created_at>#<seq>#<delivery_id>``, kept 30 days).

A webhook's signing secret is stored sealed (``core.crypto``, owner ``webhook/<id>``): the
sender needs it in clear to sign, so it cannot be a hash; it is shown only when created or
rotated. Deliveries are raw items (one written per event and webhook, updated per attempt).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from pynamodb.attributes import BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute

from control_plane.core import keys, settings, store
from pbx_core.errors import Conflict, NotFound, PbxError

DELIVERY_KEPT_S = 30 * 86400
DELIVERY_FIELDS = (
    "webhook_id", "delivery_id", "event_id", "event_type", "status", "attempts", "last_status", "last_error",
    "last_attempt_at", "next_attempt_at", "duration_ms", "created_at", "seq",
)  # fmt: skip
_NUMBERS = frozenset({"attempts", "last_status", "duration_ms", "seq"})


class WebhookItem(store.Item, discriminator="webhook"):
    tenant_id = UnicodeAttribute()
    webhook_id = UnicodeAttribute()
    url = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    events = ListAttribute(of=UnicodeAttribute)  # event kinds, or ["*"]
    enabled = BooleanAttribute(default=True)
    secret = UnicodeAttribute()  # sealed (core.crypto), never answered
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


def secret_context(webhook_id: str) -> str:
    return f"webhook/{webhook_id}"


def item(tenant_id: str, webhook_id: str, **fields: Any) -> WebhookItem:
    return WebhookItem(
        keys.tenant_pk(tenant_id), keys.webhook_sk(webhook_id), tenant_id=tenant_id, webhook_id=webhook_id, **fields
    )


def get(tenant_id: str, webhook_id: str) -> WebhookItem | None:
    return store.get_child(tenant_id, WebhookItem, keys.webhook_sk(webhook_id))


def list_all(tenant_id: str) -> list[WebhookItem]:
    return store.list_children(tenant_id, WebhookItem, keys.WEBHOOK_PREFIX)


def create(hook: WebhookItem, *, limit: int) -> None:
    """Save a new webhook unless the tenant has ``limit`` already (checked before, not atomic:
    two admins racing may end one over; the limit is a guard against mistakes)."""
    if len(list_all(hook.tenant_id)) >= limit:
        raise Conflict(f"a tenant has at most {limit} webhooks", fields={"url": "too many webhooks"})

    def taken() -> PbxError:
        return Conflict("webhook id taken, retry")

    store.commit([store.put_new(hook, taken)], bump=False)  # webhooks are not in edge snapshots


def save(hook: WebhookItem, changes: dict[str, Any], *, now: Any) -> None:
    store.save_changes(hook, changes, what="webhook", bump=False, now=now)


def delete(hook: WebhookItem) -> None:
    store.commit(
        [store.remove(WebhookItem, hook.pk, hook.sk, error=lambda: NotFound(f"webhook {hook.webhook_id} not found"))],
        bump=False,
    )


# --- deliveries -------------------------------------------------------------------------------
def delivery_sk(webhook_id: str, created_at: str, seq: int | None, delivery_id: str) -> str:
    """Newest first by time, then by the event's number (events of one instant)."""
    return f"{webhook_id}#{created_at}#{seq or 0:012d}#{delivery_id}"


def _attr(name: str, value: Any) -> dict[str, str]:
    return {"N": str(int(value))} if name in _NUMBERS else {"S": str(value)}


def put_deliveries(tenant_id: str, deliveries: list[dict[str, Any]], *, now_epoch: int) -> None:
    """New deliveries (pending), each a dict of DELIVERY_FIELDS with its ``sk``."""
    pk = keys.webhook_delivery_pk(tenant_id)
    requests = []
    for d in deliveries:
        raw: dict[str, Any] = {"pk": {"S": pk}, "sk": {"S": d["sk"]}, "kind": {"S": "webhook_delivery"}}
        raw.update({name: _attr(name, d[name]) for name in DELIVERY_FIELDS if d.get(name) not in (None, "")})
        raw["ttl"] = {"N": str(now_epoch + DELIVERY_KEPT_S)}
        requests.append({"PutRequest": {"Item": raw}})
    store.batch_write_raw(requests)


def update_delivery(tenant_id: str, sk: str, changes: dict[str, Any]) -> None:
    """Set the outcome of an attempt on a delivery that exists (None removes a field)."""
    sets, removes = [], []
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    for n, (name, value) in enumerate(changes.items()):
        names[f"#f{n}"] = name
        if value is None:
            removes.append(f"#f{n}")
        else:
            sets.append(f"#f{n} = :v{n}")
            values[f":v{n}"] = _attr(name, value)
    expr = ("SET " + ", ".join(sets) if sets else "") + (" REMOVE " + ", ".join(removes) if removes else "")
    args: dict[str, Any] = {
        "TableName": settings.aws().table,
        "Key": {"pk": {"S": keys.webhook_delivery_pk(tenant_id)}, "sk": {"S": sk}},
        "UpdateExpression": expr.strip(),
        "ExpressionAttributeNames": {**names, "#pk": "pk"},
        "ConditionExpression": "attribute_exists(#pk)",
    }
    if values:
        args["ExpressionAttributeValues"] = values
    try:
        store.client().update_item(**args)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise  # (a delivery past its 30 days, or of an offboarded tenant: nothing to record)


def _decode(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"sk": raw["sk"]["S"]}
    for name in DELIVERY_FIELDS:
        if name in raw:
            out[name] = int(raw[name]["N"]) if "N" in raw[name] else raw[name]["S"]
    return out


def deliveries(
    tenant_id: str, webhook_id: str, *, limit: int, after_sk: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One webhook's deliveries, newest first: the page and the sk to continue after."""
    prefix = f"{webhook_id}#"
    values: dict[str, Any] = {":pk": {"S": keys.webhook_delivery_pk(tenant_id)}, ":lo": {"S": prefix}}
    if after_sk:
        cond = "pk = :pk AND sk BETWEEN :lo AND :hi"  # inclusive: the cursor's own item is dropped below
        values[":hi"] = {"S": after_sk}
    else:
        cond = "pk = :pk AND begins_with(sk, :lo)"
    resp = store.client().query(
        TableName=settings.aws().table,
        KeyConditionExpression=cond,
        ExpressionAttributeValues=values,
        ScanIndexForward=False,
        ConsistentRead=True,
        Limit=limit + 2,
    )
    items = [_decode(raw) for raw in resp.get("Items", []) if raw["sk"]["S"] != after_sk]
    if len(items) > limit:
        return items[:limit], items[limit - 1]["sk"]
    return items, None


def get_delivery(tenant_id: str, sk: str) -> dict[str, Any] | None:
    resp = store.client().get_item(
        TableName=settings.aws().table,
        Key={"pk": {"S": keys.webhook_delivery_pk(tenant_id)}, "sk": {"S": sk}},
        ConsistentRead=True,
    )
    item = resp.get("Item")
    return _decode(item) if item else None
