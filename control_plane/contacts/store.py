"""Contact items and what hangs off them (layout: ``core.keys``).

Single contacts are written in transactions (the contact, its number items, its name-index
item together); imports write the same items by batch, built raw by ``raw_items`` (no model
objects: ~20x cheaper) after checking which numbers are taken with batch reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute

from control_plane.contact_routes import store as routes_store
from control_plane.contacts import names
from control_plane.core import keys, settings, store
from pbx_core import contact_routes
from pbx_core.contact_routes import Route
from pbx_core.errors import Conflict, NotFound, PbxError

BATCH_GET = 100  # DynamoDB BatchGetItem limit


class ContactItem(store.Item, discriminator="contact"):
    tenant_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    name = UnicodeAttribute(default="")
    nkey = UnicodeAttribute(default="")  # names.name_key(name): its index item's key
    company = UnicodeAttribute(default="")
    email = UnicodeAttribute(default="")
    owner = UnicodeAttribute(default="")  # a user id of the tenant, "" = nobody's
    numbers = ListAttribute(of=UnicodeAttribute, default=list)
    numtext = UnicodeAttribute(default="")  # the numbers, space-separated (partial number search)
    dncch = ListAttribute(of=UnicodeAttribute, default=list)  # channels on its do-not-call list
    tags = ListAttribute(of=UnicodeAttribute, default=list)
    segments = ListAttribute(of=UnicodeAttribute, default=list)
    doc = UnicodeAttribute(default="{}")  # notes, consent, dnc, custom, source (JSON)
    calls = NumberAttribute(default=0)
    last_call_at = UnicodeAttribute(null=True)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class NumberItem(store.Item, discriminator="contact_number"):
    """``T#<t>#CNUM#<number>`` / ``CNUM``: which contact has the number."""

    tenant_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()


class NameItem(store.Item, discriminator="contact_name"):
    """``T#<t>#CNAME#<shard>`` / ``<name key>#<contact_id>``: the name index."""

    tenant_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    owner = UnicodeAttribute(default="")
    nm = UnicodeAttribute(default="")  # the whole folded name (other words of a search)


class CallItem(store.Item, discriminator="contact_call"):
    """``T#<t>#CCALL#<contact_id>`` / ``<started_at>#<call_id>``: a call of the contact."""

    tenant_id = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    call_id = UnicodeAttribute()
    started_at = UnicodeAttribute()
    doc = UnicodeAttribute()  # direction, disposition, duration_s, extension, number, recording


class DncItem(store.Item, discriminator="dnc"):
    """``T#<t>#DNC`` / ``<number>``: a number on the national do-not-call list."""

    tenant_id = UnicodeAttribute()
    source = UnicodeAttribute(default="")
    added_at = UnicodeAttribute()


class ImportItem(store.Item, discriminator="contact_import"):
    tenant_id = UnicodeAttribute()
    import_id = UnicodeAttribute()
    status = UnicodeAttribute()
    doc = UnicodeAttribute()  # everything else (JSON): see importer.Import
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    ttl = TTLAttribute(null=True)


class SettingsItem(store.Item, discriminator="contact_settings"):
    tenant_id = UnicodeAttribute()
    number_visibility = UnicodeAttribute(default="masked")  # what agents see: full | masked
    rev = NumberAttribute(default=0)
    updated_at = UnicodeAttribute(default="")


def strs(value: Any) -> list[str]:
    """A list attribute's values (PynamoDB types them as attributes)."""
    return [str(v) for v in value or []]


def doc(item: ContactItem) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(item.doc or "{}")
    return value


# --- reads ---------------------------------------------------------------------------------
def get(tenant_id: str, contact_id: str) -> ContactItem | None:
    return store.get_item(ContactItem, keys.contact_pk(tenant_id), contact_id)


def owner_of(tenant_id: str, number: str) -> str | None:
    """The contact id that has ``number`` (one GetItem), or None."""
    item = store.get_item(NumberItem, *keys.contact_number(tenant_id, number))
    return item.contact_id if item is not None else None


def batch_get_raw(table_keys: Sequence[tuple[str, str]], projection: str | None = None) -> list[dict[str, Any]]:
    """Raw items of ``table_keys`` (any number; 100 per BatchGetItem, unprocessed ones again)."""
    client, table = store.client(), settings.aws().table
    out: list[dict[str, Any]] = []
    for start in range(0, len(table_keys), BATCH_GET):
        request: dict[str, Any] = {
            "Keys": [{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in table_keys[start : start + BATCH_GET]],
            "ConsistentRead": True,
        }
        if projection:
            request["ProjectionExpression"] = projection
        pending: dict[str, Any] = {table: request}
        for _ in range(10):
            resp = client.batch_get_item(RequestItems=pending)
            out.extend(resp.get("Responses", {}).get(table, []))
            pending = resp.get("UnprocessedKeys") or {}
            if not pending:
                break
    return out


def number_and_dnc(tenant_id: str, number: str) -> tuple[str | None, bool]:
    """(the contact id that has ``number``, whether the number is on the national
    do-not-call list): one BatchGetItem for both."""
    claim = keys.contact_number(tenant_id, number)
    listed = (keys.dnc_pk(tenant_id), number)
    contact_id, on_list = None, False
    for raw in batch_get_raw([claim, listed], "pk, contact_id"):
        if raw["pk"]["S"] == claim[0]:
            contact_id = raw["contact_id"]["S"]
        else:
            on_list = True
    return contact_id, on_list


def get_many(tenant_id: str, contact_ids: Sequence[str]) -> dict[str, ContactItem]:
    pk = keys.contact_pk(tenant_id)
    raws = batch_get_raw([(pk, cid) for cid in dict.fromkeys(contact_ids)])
    return {raw["sk"]["S"]: ContactItem.from_raw_data(raw) for raw in raws}


def owners_of(tenant_id: str, numbers: Iterable[str]) -> dict[str, str]:
    """number -> contact id, for the numbers of ``numbers`` that a contact has."""
    wanted = [keys.contact_number(tenant_id, n) for n in dict.fromkeys(numbers)]
    prefix = len(keys.contact_number(tenant_id, "")[0])
    return {raw["pk"]["S"][prefix:]: raw["contact_id"]["S"] for raw in batch_get_raw(wanted, "pk, contact_id")}


def dnc_listed(tenant_id: str, numbers: Iterable[str]) -> set[str]:
    """The numbers of ``numbers`` on the tenant's national do-not-call list."""
    pk = keys.dnc_pk(tenant_id)
    return {raw["sk"]["S"] for raw in batch_get_raw([(pk, n) for n in dict.fromkeys(numbers)], "sk")}


def query_page(
    pk: str,
    *,
    limit: int,
    after_sk: str | None,
    prefix: str | None = None,
    filters: Sequence[tuple[str, dict[str, Any], dict[str, Any]]] = (),
    newest_first: bool = False,
    max_scan: int = 2000,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of raw items of one partition (sk ``prefix``, DynamoDB ``filters`` as
    (expression, names, values)): the items and the sk to continue after (None at the end).
    One call reads at most ``max_scan`` items and may return a short page with a cursor."""
    names_: dict[str, str] = {"#pk": "pk"}
    values: dict[str, Any] = {":pk": {"S": pk}}
    key_expr = "#pk = :pk"
    if prefix:
        names_["#sk"] = "sk"
        key_expr += " AND begins_with(#sk, :prefix)"
        values[":prefix"] = {"S": prefix}
    args: dict[str, Any] = {
        "TableName": settings.aws().table,
        "KeyConditionExpression": key_expr,
        "ConsistentRead": True,
        "ScanIndexForward": not newest_first,
    }
    if filters:
        args["FilterExpression"] = " AND ".join(f"({expr})" for expr, _, _ in filters)
        for _, n, v in filters:
            names_.update(n)
            values.update(v)
    args["ExpressionAttributeNames"] = names_
    args["ExpressionAttributeValues"] = values
    # a filtered page evaluates up to 500 items per request (small index items: one round trip
    # instead of several; DynamoDB reads at most 1 MB per request anyway)
    args["Limit"] = min(max_scan, max(limit + 1, 500)) if filters else limit + 1
    start = {"pk": {"S": pk}, "sk": {"S": after_sk}} if after_sk else None
    raws: list[dict[str, Any]] = []
    scanned = 0
    client = store.client()
    while True:
        resp = client.query(**args, **({"ExclusiveStartKey": start} if start else {}))
        scanned += int(resp.get("ScannedCount", 0))
        for raw in resp.get("Items", []):
            if len(raws) == limit:
                return raws, raws[-1]["sk"]["S"]
            raws.append(raw)
        lek = resp.get("LastEvaluatedKey")
        if not lek:
            return raws, None
        if scanned >= max_scan:
            return raws, str(lek["sk"]["S"])
        start = lek


def iter_raw(
    pk: str, *, filters: Sequence[tuple[str, dict[str, Any], dict[str, Any]]] = ()
) -> Iterator[dict[str, Any]]:
    """Every raw item of a partition that passes ``filters`` (exports, purges)."""
    names_: dict[str, str] = {"#pk": "pk"}
    values: dict[str, Any] = {":pk": {"S": pk}}
    args: dict[str, Any] = {"TableName": settings.aws().table, "KeyConditionExpression": "#pk = :pk"}
    if filters:
        args["FilterExpression"] = " AND ".join(f"({expr})" for expr, _, _ in filters)
        for _, n, v in filters:
            names_.update(n)
            values.update(v)
    args["ExpressionAttributeNames"] = names_
    args["ExpressionAttributeValues"] = values
    for page in store.client().get_paginator("query").paginate(**args):
        yield from page.get("Items", [])


# --- writes ---------------------------------------------------------------------------------
def name_item(tenant_id: str, contact_id: str, nkey: str, owner: str, name: str) -> NameItem:
    """The name-index item of a contact (``nkey`` = names.name_key(name))."""
    return NameItem(
        keys.contact_name_pk(tenant_id, names.shard(nkey)),
        f"{nkey}#{contact_id}",
        tenant_id=tenant_id,
        contact_id=contact_id,
        owner=owner,
        nm=names.fold(name),
    )


def taken(number: str) -> Conflict:
    return Conflict(f"{number} belongs to another contact", fields={"numbers": f"{number} belongs to another contact"})


def claim_ops(tenant_id: str, contact_id: str, old: Iterable[str], new: Iterable[str]) -> list[store.Op]:
    """Number items to release (``old`` not in ``new``) and to take (409 when another
    contact has one)."""
    old_set, new_set = set(old), set(new)
    ops: list[store.Op] = []
    for number in sorted(old_set - new_set):
        pk, sk = keys.contact_number(tenant_id, number)
        ops.append(_release(NumberItem(pk, sk), contact_id))
    for number in sorted(new_set - old_set):
        pk, sk = keys.contact_number(tenant_id, number)
        item = NumberItem(pk, sk, tenant_id=tenant_id, contact_id=contact_id)
        ops.append(store.put_new(item, _taken_by_other(number)))
    return ops


def _release(item: NumberItem, contact_id: str) -> store.Op:
    cond = (NumberItem.contact_id == contact_id) | NumberItem.pk.does_not_exist()
    return store.Op(lambda tx: tx.delete(item, condition=cond))


def _taken_by_other(number: str) -> Callable[[], PbxError]:
    return lambda: taken(number)


NameState = tuple[str, str, str]  # (name key, owner, name) of a contact; ("", "", "") = none


def name_state(item: ContactItem | None) -> NameState:
    return (item.nkey or "", item.owner or "", item.name or "") if item is not None else ("", "", "")


def name_ops(tenant_id: str, contact_id: str, before: NameState, after: NameState) -> list[store.Op]:
    """The name-index item follows the contact's name key, owner and name."""
    if before == after:
        return []
    ops: list[store.Op] = []
    if before[0] and before[0] != after[0]:
        old = name_item(tenant_id, contact_id, *before)
        ops.append(store.Op(lambda tx: tx.delete(old)))
    if after[0]:
        fresh = name_item(tenant_id, contact_id, *after)
        ops.append(store.Op(lambda tx: tx.save(fresh)))
    return ops


def routes_of(item: ContactItem | None) -> dict[str, Route]:
    """number -> route of a contact as stored (``pbx_core.contact_routes``: owner or VIP)."""
    if item is None:
        return {}
    return contact_routes.routes(strs(item.numbers), item.owner or "", strs(item.tags))


def route_ops(tenant_id: str, before: dict[str, Route], after: dict[str, Route]) -> list[store.Op]:
    """The edges' route items and change-log items that follow a contact's change (same
    transaction as the contact: its owner, tags and numbers)."""
    return routes_store.ops(tenant_id, contact_routes.changes(before, after))


def gone() -> NotFound:
    return NotFound("contact not found")


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _l(values: Sequence[str]) -> dict[str, Any]:
    return {"L": [{"S": v} for v in values]}


_EMPTY: tuple[dict[str, Any], ...] = ({"S": ""}, {"L": []}, {"N": "0"})


def _compact(raw: dict[str, Any]) -> dict[str, Any]:
    """Without the attributes that hold their default (PynamoDB reads them back as the
    default; filters test for a missing owner): smaller items, cheaper bulk writes."""
    return {k: v for k, v in raw.items() if k == "rev" or v not in _EMPTY}  # updates are conditional on rev


def raw_items(tenant_id: str, c: dict[str, Any]) -> list[dict[str, Any]]:
    """The raw items of a new contact (``c``: the ContactItem's attributes), serialized as
    PynamoDB would save them, less the attributes that hold their default: the contact, its
    number items, its name-index item."""
    cid = c["contact_id"]
    contact: dict[str, Any] = {
        "pk": _s(keys.contact_pk(tenant_id)),
        "sk": _s(cid),
        "kind": _s("contact"),
        "tenant_id": _s(tenant_id),
        "contact_id": _s(cid),
        "name": _s(c["name"]),
        "nkey": _s(c["nkey"]),
        "company": _s(c["company"]),
        "email": _s(c["email"]),
        "owner": _s(c["owner"]),
        "numbers": _l(c["numbers"]),
        "numtext": _s(" ".join(c["numbers"])),
        "dncch": _l(c["dncch"]),
        "tags": _l(c["tags"]),
        "segments": _l(c["segments"]),
        "doc": _s(c["doc"]),
        "calls": {"N": "0"},
        "rev": {"N": "0"},
        "created_at": _s(c["created_at"]),
        "updated_at": _s(c["updated_at"]),
    }
    out = [_compact(contact)]
    for number in c["numbers"]:
        pk, sk = keys.contact_number(tenant_id, number)
        out.append(
            {
                "pk": _s(pk),
                "sk": _s(sk),
                "kind": _s("contact_number"),
                "tenant_id": _s(tenant_id),
                "contact_id": _s(cid),
            }
        )
    if c["nkey"]:
        out.append(
            _compact(
                {
                    "pk": _s(keys.contact_name_pk(tenant_id, names.shard(c["nkey"]))),
                    "sk": _s(f"{c['nkey']}#{cid}"),
                    "kind": _s("contact_name"),
                    "tenant_id": _s(tenant_id),
                    "contact_id": _s(cid),
                    "owner": _s(c["owner"]),
                    "nm": _s(names.fold(c["name"])),
                }
            )
        )
    return out


def put_raw(items: Iterable[dict[str, Any]], *, workers: int = 1) -> None:
    store.batch_write_raw([{"PutRequest": {"Item": raw}} for raw in items], workers=workers)


def dnc_raw(tenant_id: str, number: str, source: str, at: str) -> dict[str, Any]:
    return {
        "pk": _s(keys.dnc_pk(tenant_id)),
        "sk": _s(number),
        "kind": _s("dnc"),
        "tenant_id": _s(tenant_id),
        "source": _s(source),
        "added_at": _s(at),
    }


# --- offboarding ------------------------------------------------------------------------------
def purge(tenant_id: str) -> int:
    """Delete every contact item of the tenant and what hangs off them; how many items."""
    doomed: list[dict[str, Any]] = []
    deleted = 0
    for raw in store.query_raw(keys.contact_pk(tenant_id), projection="sk, numbers, nkey", names=None):
        cid = raw["sk"]["S"]
        for n in raw.get("numbers", {}).get("L", []):
            pk, sk = keys.contact_number(tenant_id, n["S"])
            doomed.append({"pk": _s(pk), "sk": _s(sk)})
        nkey = raw.get("nkey", {}).get("S", "")
        if nkey:
            doomed.append({"pk": _s(keys.contact_name_pk(tenant_id, names.shard(nkey))), "sk": _s(f"{nkey}#{cid}")})
        deleted += store.delete_partition(keys.contact_calls_pk(tenant_id, cid))
        deleted += store.delete_partition(keys.contact_tickets_pk(tenant_id, cid))
    store.batch_write_raw([{"DeleteRequest": {"Key": k}} for k in doomed])
    deleted += len(doomed)
    for pk in (keys.contact_pk(tenant_id), keys.dnc_pk(tenant_id), keys.contact_import_pk(tenant_id)):
        deleted += store.delete_partition(pk)
    return deleted + routes_store.purge(tenant_id)  # the edges' contact routes and their log
