"""Items of live calls, their event log, WebSocket connections and tickets (core/keys.py).

The hot path (an edge posting events) uses the low-level DynamoDB client and costs a few
requests per batch whatever its size: one counter update per tenant and batch, one batch
read of the events' id guards and calls' states, batch writes for the rest
(``record_many``). Items carry ``kind`` like every PynamoDB item of the table, and ``ttl``
(epoch seconds) so that DynamoDB removes what is old; reads also skip what has expired but
is not removed yet.

| item | pk / sk | what |
|---|---|---|
| counter | ``T#<t>#LIVE`` / ``SEQ`` | the tenant's last event number (``value``) |
| live call | ``T#<t>#LIVE`` / ``CALL#<call_id>`` | the call as its newest event shows it, ``seq``, ``state`` |
| event | ``T#<t>#LIVEEV`` / ``<seq>`` | the event (``doc``) and the call after it (``call``), kept 1 h |
| event id guard | ``T#<t>#LIVEID`` / ``<event id>`` | one per event id (idempotency) and its number, 1 day |
| connection | ``T#<t>#WS`` / ``<connection id>`` | who is connected: role, user, session, extension (agents) |
| connection ref | ``WSCONN#<id>`` / ``WSCONN`` | the connection's tenant (disconnect and messages know only the id) |
| ticket | ``WSTICKET#<sha256>`` / ``WSTICKET`` | a one-time, 60-second ticket to open a connection |

An ended call stays an hour as a tombstone (state ``ended``), so that a late, older event of
it does not bring it back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from control_plane.core import keys, settings, store

SEQ_SK = "SEQ"
CALL_PREFIX = "CALL#"
EVENT_RETAIN_S = 3600  # events a reconnecting browser can be given again
GUARD_S = 86400  # an event id is stored once within a day
TOMBSTONE_S = 3600  # an ended call stays this long, so that a late older event does not revive it
LIVE_CALL_MAX_S = 12 * 3600  # a call without any event for this long is not shown (edge lost)
SEQ_DIGITS = 12
RECOVER_AFTER_S = 30  # a half-stored event is stored again by a post this much later


def _table() -> str:
    return settings.aws().table


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int | float) -> dict[str, str]:
    return {"N": str(value)}


def seq_sk(seq: int) -> str:
    return f"{seq:0{SEQ_DIGITS}d}"


# --- event numbers ----------------------------------------------------------------------------
def allocate(tenant_id: str, count: int) -> int:
    """Reserve ``count`` event numbers of the tenant; the last one (the block ends there)."""
    resp = store.client().update_item(
        TableName=_table(),
        Key={"pk": _s(keys.live_pk(tenant_id)), "sk": _s(SEQ_SK)},
        UpdateExpression="ADD #v :n SET #k = :k",
        ExpressionAttributeNames={"#v": "value", "#k": "kind"},
        ExpressionAttributeValues={":n": _n(count), ":k": _s("counter")},
        ReturnValues="UPDATED_NEW",
    )
    return int(resp["Attributes"]["value"]["N"])


def current_seq(tenant_id: str) -> int:
    resp = store.client().get_item(
        TableName=_table(),
        Key={"pk": _s(keys.live_pk(tenant_id)), "sk": _s(SEQ_SK)},
        ConsistentRead=True,
        ProjectionExpression="#v",
        ExpressionAttributeNames={"#v": "value"},
    )
    item = resp.get("Item")
    return int(item["value"]["N"]) if item else 0


# --- events -------------------------------------------------------------------------------
@dataclass(frozen=True)
class NewEvent:
    """One event to store as number ``seq``, with the call's state after it."""

    seq: int
    event_id: str
    call_id: str
    state: str
    event_doc: dict[str, Any]
    call_doc: dict[str, Any] | None


@dataclass(frozen=True)
class Stored:
    status: str  # created | duplicate
    seq: int | None  # the event's number (a recovered event keeps its first one)


def record_many(tenant_id: str, events: list[NewEvent], *, now: float) -> list[Stored]:
    """Store events once per event id, in their order, in a handful of requests whatever the
    batch's size (no transactions: they cost ~20x a write in moto, and one per event in
    DynamoDB; no conditional put per event or call: one round trip each):

    1. one consistent BatchGetItem of the events' id guards and of their calls' states (an id
       already taken is a duplicate; the stored state's number decides what replaces it);
    2. the guards of the new ids, with the event's number (batch writes);
    3. each call's state from its newest event of the batch unless a newer one is stored,
       and the events, keyed by their numbers (batch writes). One request after another:
       requests of a batch sent in parallel were slower on the shared 2-core machine
       (moto, chalice local and the rest competing for the cores).

    An event whose guard exists but whose event item is missing or whose call's state is
    older than it (the function stopped in between), taken at least ``RECOVER_AFTER_S`` and
    less than ``EVENT_RETAIN_S`` before, is stored again under its first number when posted
    again (the same keys: it overwrites what was half written), so a retried post loses
    nothing. Between step 1 and step 2 two posts of
    the same id at the same instant could both store it (an edge posts one batch at a time and
    retries only after an answer or a timeout); then it is in the log twice and pushed twice
    under two numbers, the same event: it leaves its call as it was.
    """
    epoch = int(now)
    guard_keys = {e.event_id: _key(keys.live_id_pk(tenant_id), e.event_id) for e in events}
    call_keys = {e.call_id: _key(keys.live_pk(tenant_id), CALL_PREFIX + e.call_id) for e in events}
    # the numbers only: a call's state carries its whole call (~1 KB), which the read would
    # otherwise return for every call of the batch that is under way
    found = store.batch_get_raw([*guard_keys.values(), *call_keys.values()], attributes=("seq", "at"))
    guards = {raw["sk"]["S"]: raw for raw in found if raw["pk"]["S"] == keys.live_id_pk(tenant_id)}
    call_seqs = {
        raw["sk"]["S"].removeprefix(CALL_PREFIX): int(raw["seq"]["N"])
        for raw in found
        if raw["pk"]["S"] == keys.live_pk(tenant_id)
    }
    calls = {e.event_id: e.call_id for e in events}
    unfinished = _unfinished(tenant_id, list(guards.values()), calls, call_seqs, epoch)
    fresh: list[NewEvent] = []
    claimed: list[NewEvent] = []
    out: list[Stored] = []
    seen: set[str] = set()
    for e in events:
        if e.event_id in seen:  # twice in one batch: the first one counts
            out.append(Stored("duplicate", None))
            continue
        seen.add(e.event_id)
        if e.event_id not in guards:
            claimed.append(e)
            fresh.append(e)
            out.append(Stored("created", e.seq))
            continue
        first = unfinished.get(e.event_id)
        if first is None:
            out.append(Stored("duplicate", None))
            continue
        fresh.append(NewEvent(first, e.event_id, e.call_id, e.state, e.event_doc, e.call_doc))
        out.append(Stored("created", first))
    if fresh:
        store.batch_write_raw([{"PutRequest": {"Item": _guard(tenant_id, e, epoch)}} for e in claimed])
        _write(tenant_id, fresh, epoch, call_seqs)
    return out


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": _s(pk), "sk": _s(sk)}


def _guard(tenant_id: str, e: NewEvent, epoch: int) -> dict[str, Any]:
    return {
        "pk": _s(keys.live_id_pk(tenant_id)),
        "sk": _s(e.event_id),
        "kind": _s("live_event_id"),
        "seq": _n(e.seq),
        "at": _n(epoch),
        "ttl": _n(epoch + GUARD_S),
    }


def _unfinished(
    tenant_id: str, guards: list[dict[str, Any]], calls: dict[str, str], call_seqs: dict[str, int], epoch: int
) -> dict[str, int]:
    """event id -> first number, of the events whose storing stopped half-way long enough ago:
    a guard, but no event item or its call's state older than it (``calls``: event id -> call
    id, ``call_seqs``: the stored states' numbers). One batch read, and only for guards old
    enough (repeats are rare)."""
    due = {
        raw["sk"]["S"]: int(raw["seq"]["N"])
        for raw in guards
        if RECOVER_AFTER_S <= epoch - int(raw["at"]["N"]) < EVENT_RETAIN_S
    }
    if not due:
        return {}
    event_pk = keys.live_event_pk(tenant_id)
    stored = {
        int(raw["seq"]["N"])
        for raw in store.batch_get_raw(
            [_key(event_pk, seq_sk(s)) for s in sorted(set(due.values()))], attributes=("seq",)
        )
    }
    return {
        event_id: seq for event_id, seq in due.items() if seq not in stored or call_seqs.get(calls[event_id], 0) < seq
    }


def _write(tenant_id: str, events: list[NewEvent], epoch: int, call_seqs: dict[str, int]) -> None:
    """Each call's newest state (unless ``call_seqs``, the stored states' numbers, has a newer
    one) and the events."""
    newest: dict[str, NewEvent] = {}
    for e in events:
        if e.call_id not in newest or newest[e.call_id].seq < e.seq:
            newest[e.call_id] = e
    items = [_call_item(tenant_id, e, epoch) for e in newest.values() if call_seqs.get(e.call_id, 0) < e.seq]
    for e in events:
        item = {
            "pk": _s(keys.live_event_pk(tenant_id)),
            "sk": _s(seq_sk(e.seq)),
            "kind": _s("live_event"),
            "seq": _n(e.seq),
            "doc": _s(json.dumps(e.event_doc, separators=(",", ":"))),
            "ttl": _n(epoch + EVENT_RETAIN_S),
        }
        if e.call_doc is not None:
            item["call"] = _s(json.dumps(e.call_doc, separators=(",", ":")))
        items.append(item)
    store.batch_write_raw([{"PutRequest": {"Item": item}} for item in items])


def _call_item(tenant_id: str, e: NewEvent, epoch: int) -> dict[str, Any]:
    """The call's state after ``e``."""
    # an ended call's tombstone keeps who took part (call notes: the agent's own call, the CDR
    # may come later)
    ended = {"call_id": e.call_id, **{k: e.event_doc[k] for k in ("legs", "by", "target") if e.event_doc.get(k)}}
    doc = e.call_doc if e.call_doc is not None else ended
    return {
        "pk": _s(keys.live_pk(tenant_id)),
        "sk": _s(CALL_PREFIX + e.call_id),
        "kind": _s("live_call"),
        "seq": _n(e.seq),
        "state": _s(e.state),
        "doc": _s(json.dumps(doc, separators=(",", ":"))),
        "ttl": _n(epoch + (TOMBSTONE_S if e.call_doc is None else LIVE_CALL_MAX_S)),
    }


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    event: dict[str, Any]
    call: dict[str, Any] | None


def events_after(tenant_id: str, after: int, *, limit: int, now: float) -> list[StoredEvent]:
    """The tenant's stored events numbered above ``after``, oldest first (at most ``limit``)."""
    resp = store.client().query(
        TableName=_table(),
        KeyConditionExpression="pk = :pk AND sk > :after",
        ExpressionAttributeValues={":pk": _s(keys.live_event_pk(tenant_id)), ":after": _s(seq_sk(max(0, after)))},
        ConsistentRead=True,
        Limit=limit,
    )
    out: list[StoredEvent] = []
    for raw in resp.get("Items", []):
        if int(raw.get("ttl", {}).get("N", "0")) <= now:
            continue
        call = raw.get("call", {}).get("S")
        out.append(StoredEvent(int(raw["seq"]["N"]), json.loads(raw["doc"]["S"]), json.loads(call) if call else None))
    return out


def live_calls(tenant_id: str, *, now: float) -> list[tuple[int, dict[str, Any]]]:
    """(seq, call) of the tenant's calls that are ringing, talking or held."""
    out: list[tuple[int, dict[str, Any]]] = []
    paginator = store.client().get_paginator("query")
    pages = paginator.paginate(
        TableName=_table(),
        KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues={":pk": _s(keys.live_pk(tenant_id)), ":p": _s(CALL_PREFIX)},
        ConsistentRead=True,
    )
    for page in pages:
        for raw in page.get("Items", []):
            if raw.get("state", {}).get("S") == "ended" or int(raw.get("ttl", {}).get("N", "0")) <= now:
                continue
            out.append((int(raw["seq"]["N"]), json.loads(raw["doc"]["S"])))
    return out


def get_call(tenant_id: str, call_id: str, *, now: float) -> tuple[str, dict[str, Any]] | None:
    """(state, doc) of a call the tenant's edges reported in the last hours (ringing,
    talking, held, or ended within the hour), or None."""
    resp = store.client().get_item(
        TableName=_table(),
        Key={"pk": _s(keys.live_pk(tenant_id)), "sk": _s(CALL_PREFIX + call_id)},
        ConsistentRead=True,
    )
    raw = resp.get("Item")
    if not raw or int(raw.get("ttl", {}).get("N", "0")) <= now:
        return None
    return raw.get("state", {}).get("S", ""), json.loads(raw["doc"]["S"])


# --- connections ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Connection:
    """A browser's WebSocket and who opened it."""

    connection_id: str
    tenant_id: str
    role: str
    sub: str
    sid: str  # the login session ("" for an API key): checked again on every message
    extension: str  # agents: the only extension whose calls it receives
    expires_at: int  # epoch seconds

    def to_item(self) -> dict[str, dict[str, str]]:
        return {
            "pk": _s(keys.ws_pk(self.tenant_id)),
            "sk": _s(self.connection_id),
            "kind": _s("ws_connection"),
            "role": _s(self.role),
            "sub": _s(self.sub),
            "sid": _s(self.sid),
            "extension": _s(self.extension),
            "ttl": _n(self.expires_at),
        }

    @classmethod
    def from_item(cls, tenant_id: str, raw: dict[str, Any]) -> Connection:
        return cls(
            connection_id=raw["sk"]["S"],
            tenant_id=tenant_id,
            role=raw["role"]["S"],
            sub=raw["sub"]["S"],
            sid=raw.get("sid", {}).get("S", ""),
            extension=raw.get("extension", {}).get("S", ""),
            expires_at=int(raw["ttl"]["N"]),
        )


def put_connection(conn: Connection) -> None:
    ref_pk, ref_sk = keys.ws_connection(conn.connection_id)
    ref = {
        "pk": _s(ref_pk),
        "sk": _s(ref_sk),
        "kind": _s("ws_connection_ref"),
        "tenant_id": _s(conn.tenant_id),
        "ttl": _n(conn.expires_at),
    }
    table = _table()
    puts = [{"Put": {"TableName": table, "Item": conn.to_item()}}, {"Put": {"TableName": table, "Item": ref}}]
    store.client().transact_write_items(TransactItems=puts)


def connection_tenant(connection_id: str) -> str | None:
    pk, sk = keys.ws_connection(connection_id)
    resp = store.client().get_item(TableName=_table(), Key={"pk": _s(pk), "sk": _s(sk)}, ConsistentRead=True)
    item = resp.get("Item")
    return item["tenant_id"]["S"] if item else None


def get_connection(tenant_id: str, connection_id: str) -> Connection | None:
    resp = store.client().get_item(
        TableName=_table(), Key={"pk": _s(keys.ws_pk(tenant_id)), "sk": _s(connection_id)}, ConsistentRead=True
    )
    item = resp.get("Item")
    return Connection.from_item(tenant_id, item) if item else None


def connections(tenant_id: str) -> list[Connection]:
    return [Connection.from_item(tenant_id, raw) for raw in store.query_raw(keys.ws_pk(tenant_id))]


def delete_connection(tenant_id: str, connection_id: str) -> None:
    ref_pk, ref_sk = keys.ws_connection(connection_id)
    table = _table()
    store.client().transact_write_items(
        TransactItems=[
            {"Delete": {"TableName": table, "Key": {"pk": _s(keys.ws_pk(tenant_id)), "sk": _s(connection_id)}}},
            {"Delete": {"TableName": table, "Key": {"pk": _s(ref_pk), "sk": _s(ref_sk)}}},
        ]
    )


# --- tickets -----------------------------------------------------------------------------------
def put_ticket(ticket_hash: str, fields: dict[str, str], *, expires_at: int) -> None:
    pk, sk = keys.ws_ticket(ticket_hash)
    item = {"pk": _s(pk), "sk": _s(sk), "kind": _s("ws_ticket"), "ttl": _n(expires_at)}
    item.update({name: _s(value) for name, value in fields.items()})
    store.client().put_item(TableName=_table(), Item=item, ConditionExpression="attribute_not_exists(pk)")


def redeem_ticket(ticket_hash: str, *, now: float) -> dict[str, str] | None:
    """The ticket's fields, deleting it (once only); None when unknown, used or expired."""
    pk, sk = keys.ws_ticket(ticket_hash)
    try:
        resp = store.client().delete_item(
            TableName=_table(),
            Key={"pk": _s(pk), "sk": _s(sk)},
            ConditionExpression="attribute_exists(pk)",
            ReturnValues="ALL_OLD",
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return None
        raise
    item = resp.get("Attributes") or {}
    if not item or int(item.get("ttl", {}).get("N", "0")) <= now:
        return None
    return {name: value["S"] for name, value in item.items() if "S" in value and name not in ("pk", "sk", "kind")}


# --- edge health -------------------------------------------------------------------------------
def put_edge_health(edge_id: str, fields: dict[str, Any], *, reported_at: str) -> None:
    """What an edge reported with its events (one item per edge, replaced each time)."""
    item: dict[str, Any] = {
        "pk": _s(keys.EDGE_HEALTH_PK),
        "sk": _s(edge_id),
        "kind": _s("edge_health"),
        "reported_at": _s(reported_at),
        "doc": _s(json.dumps(fields, separators=(",", ":"))),
    }
    store.client().put_item(TableName=_table(), Item=item)


def edge_health() -> list[tuple[str, str, dict[str, Any]]]:
    """(edge_id, reported_at, fields) of every edge that reported."""
    return [
        (raw["sk"]["S"], raw["reported_at"]["S"], json.loads(raw["doc"]["S"]))
        for raw in store.query_raw(keys.EDGE_HEALTH_PK)
    ]
