"""The DynamoDB single table (PynamoDB): the base item, the connection, write transactions,
generic reads, and the snapshot versions. The layout of the table is in ``core.keys``; each
domain's ``store.py`` holds its item classes and their reads and writes.

Every change that alters a tenant's part of an edge snapshot bumps that tenant's version
(``snap_version`` of its registry row ``TENANTS``/``<tenant_id>``) in the same transaction
(``commit(..., bump=tenant_id)``). An edge's snapshot version is derived from the versions
of the tenants it serves (``edges.service.current_version``), so a change of one tenant
changes the version of the edges serving it only, and a reader that reads the versions
before the data never labels old data with a new version.

References inside a tenant (extension -> branch, DID -> trunk, DID -> extension, extension
-> caller-id DID, device/user/block rule -> extension) keep a ``refs`` counter on the
target, changed in the same transaction as the reference (``ref``, ``ref_changes``): a
referenced item cannot be deleted (409) and a reference to a missing item fails (400).
Mutable items carry ``rev``; updates are conditional on it (409 when changed meanwhile)
and set only the changed attributes, so counters maintained by other writers survive.
No GSI: every read is a strongly consistent key lookup or query.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

import boto3
from botocore.exceptions import ClientError
from pynamodb.attributes import DiscriminatorAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from control_plane.core import cache, keys, settings
from pbx_core.cdr import iso
from pbx_core.errors import Conflict, NotFound, PbxError, ValidationError

CONDITION_FAILED = "ConditionalCheckFailed"
TRANSACTION_CONFLICT = "TransactionConflict"
_TX_ATTEMPTS = 5
BATCH_WRITE = 25  # DynamoDB BatchWriteItem limit
BATCH_GET = 100  # DynamoDB BatchGetItem limit


# --- models ----------------------------------------------------------------------------
class Item(Model):
    """Base of every item in the table. Table name, endpoint and region: see configure()."""

    class Meta:
        table_name = "probox"
        region: str | None = "ap-southeast-1"
        host: str | None = None

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()


ItemT = TypeVar("ItemT", bound=Item)


class TenantRefItem(Item, discriminator="tenant_ref"):
    """A tenant's row in the registry: lists tenants without a scan, and holds the tenant's
    snapshot version (bumped by every change of its snapshot data)."""

    tenant_id = UnicodeAttribute()
    snap_version = NumberAttribute(default=0)


class CounterItem(Item, discriminator="counter"):
    value = NumberAttribute(default=0)


class ClaimItem(Item, discriminator="claim"):
    """A name unique across the service and owned by one tenant or user (a DID, an e-mail):
    ``core.keys.did_claim``, ``core.keys.email_claim``."""

    tenant_id = UnicodeAttribute(default="")
    owner = UnicodeAttribute(default="")


def _models() -> list[type[Item]]:
    """Every item class defined so far (the domains' stores subclass ``Item``)."""
    out: list[type[Item]] = []
    todo: list[type[Item]] = [Item]
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out


# --- configuration (lazy, no I/O at import) --------------------------------------------
_configured: settings.AwsSettings | None = None
_connection: Connection | None = None


def configure(force: bool = False) -> None:
    """Point the models at the table/endpoint/region of the current settings.

    Called by every store function; does nothing while the settings are unchanged.
    ``force`` drops cached connections (tests that start a new moto mock).
    """
    global _configured, _connection
    current = settings.aws()
    if not force and current == _configured:
        return
    Item.Meta.table_name = current.table
    Item.Meta.host = current.endpoint_url
    Item.Meta.region = current.region
    models = _models()
    for model in models:
        model._connection = None
    # One botocore client for every model and for transactions: PynamoDB would otherwise
    # build one per model class (~0.1 s each on a cold start). All models share pk/sk.
    # A model class defined after this runs builds its own connection from Item.Meta.
    shared = Item._get_connection()
    for model in models:
        model._connection = shared
    _connection = shared.connection
    _configured = current


def connection() -> Connection:
    configure()
    assert _connection is not None
    return _connection


def client() -> Any:
    """The botocore DynamoDB client PynamoDB already holds (bulk reads and writes: no
    second client to build, no model objects)."""
    return connection().client


def reset() -> None:
    """Forget cached connections and items read recently (``core.cache``); the next call
    configures from the settings again."""
    global _configured, _connection
    cache.clear_all()
    _configured = None
    _connection = None
    for model in _models():
        model._connection = None


def create_table(wait: bool = True) -> bool:
    """Create the table (PAY_PER_REQUEST, TTL on ``ttl``) if missing. True when created."""
    s = settings.aws()
    ddb = boto3.client("dynamodb", region_name=s.region, endpoint_url=s.endpoint_url)
    try:
        ddb.create_table(
            TableName=s.table,
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
    except ddb.exceptions.ResourceInUseException:
        return False
    if wait:
        ddb.get_waiter("table_exists").wait(TableName=s.table, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    ddb.update_time_to_live(TableName=s.table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"})
    return True


def ts(now: datetime) -> str:
    return iso(now)


# --- write transactions ------------------------------------------------------------------
def _reasons(exc: TransactWriteError) -> list[str | None]:
    if exc.cause_response_code != "TransactionCanceledException":
        raise exc
    return [r.code if r is not None else None for r in exc.cancellation_reasons]


def transact(build: Callable[[TransactWrite], None]) -> list[str | None] | None:
    """Run a write transaction; None when committed, else the cancellation reason codes.

    Retries when DynamoDB cancels it for a conflict with a concurrent transaction (every
    snapshot change touches a version counter, so concurrent changes do collide).
    """
    for attempt in range(_TX_ATTEMPTS):
        try:
            with TransactWrite(connection=connection()) as tx:
                build(tx)
            return None
        except TransactWriteError as exc:
            codes = _reasons(exc)
            if TRANSACTION_CONFLICT in codes and attempt + 1 < _TX_ATTEMPTS:
                time.sleep(random.uniform(0.01, 0.05) * (2**attempt))  # jitter, not crypto
                continue
            return codes
    raise AssertionError("unreachable")


def _bump_version(tx: TransactWrite) -> None:
    """The table-wide counter: part of every edge's version (changes every edge's ETag)."""
    tx.update(
        CounterItem(keys.VERSION_PK, keys.VERSION_SK),
        actions=[CounterItem.value.add(1), CounterItem.kind.set(CounterItem)],
    )


def bump_tenant(tx: TransactWrite, tenant_id: str) -> None:
    """The tenant's snapshot version: only the edges serving it see a new version."""
    tx.update(
        TenantRefItem(keys.REGISTRY_PK, tenant_id),
        actions=[TenantRefItem.snap_version.add(1)],
        condition=TenantRefItem.pk.exists(),  # never resurrect a deleted tenant's row
    )


@dataclass
class Op:
    """One action of a write transaction and the error to raise if its condition fails."""

    apply: Callable[[TransactWrite], None]
    error: Callable[[], PbxError] | None = None


def commit(ops: Sequence[Op], *, bump: bool | str = True) -> None:
    """Run ``ops`` (plus a snapshot version bump) as one transaction.

    ``bump``: a tenant id bumps that tenant's snapshot version (the edges serving it get a
    new one; the ops must not write the tenant's registry row themselves); ``False`` bumps
    nothing (the change is not in any snapshot); ``True`` bumps the table-wide counter,
    which changes every edge's version (correct for any change, but not minimal).
    When DynamoDB cancels it, the first op whose condition failed raises its error.
    """

    sent: list[tuple[int, int]] = []  # (kind order, op index; len(ops) = the bump) per action

    def build(tx: TransactWrite) -> None:
        sent.clear()  # a retried transaction is built again
        for index, op in enumerate(ops):
            op.apply(_recorder(tx, sent, index))
        if isinstance(bump, str):
            bump_tenant(_recorder(tx, sent, len(ops)), bump)
        elif bump:
            _bump_version(_recorder(tx, sent, len(ops)))

    codes = transact(build)
    if codes is None:
        return
    # PynamoDB sends condition checks, then deletes, puts and updates, each in call order;
    # DynamoDB's reasons come in that order, so map them back to the ops that made them.
    order = [index for _, index in sorted(sent, key=lambda s: s[0])]
    failed = [index for index, code in zip(order, codes, strict=False) if code == CONDITION_FAILED]
    for index in sorted(failed):
        error = ops[index].error if index < len(ops) else None
        if error is not None:
            raise error()
    if isinstance(bump, str) and len(ops) in failed:
        raise NotFound("tenant not found")
    raise RuntimeError(f"transaction cancelled: {codes}")


_TX_KIND_ORDER = {"condition_check": 0, "delete": 1, "save": 2, "update": 3}  # PynamoDB's send order


def _recorder(tx: TransactWrite, sent: list[tuple[int, int]], index: int) -> TransactWrite:
    return cast(TransactWrite, _Recorder(tx, sent, index))


class _Recorder:
    """A TransactWrite stand-in that notes the kind of each action an op adds (see commit)."""

    def __init__(self, tx: TransactWrite, sent: list[tuple[int, int]], index: int) -> None:
        self._tx, self._sent, self._index = tx, sent, index

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._tx, name)
        if name in _TX_KIND_ORDER:
            self._sent.append((_TX_KIND_ORDER[name], self._index))
        return method


def put_new(item: Item, error: Callable[[], PbxError]) -> Op:
    cls = type(item)
    return Op(lambda tx: tx.save(item, condition=cls.pk.does_not_exist()), error)


def patch(
    cls: type[Item],
    pk: str,
    sk: str,
    changes: dict[str, Any],
    *,
    rev: int | None,
    error: Callable[[], PbxError],
    condition: Condition | None = None,
) -> Op:
    """Set only the given attributes (None removes one) and bump ``rev`` when expected."""
    actions: list[Any] = []
    for name, value in changes.items():
        attr = getattr(cls, name)
        actions.append(attr.remove() if value is None else attr.set(value))
    cond: Condition = cls.pk.exists()
    if rev is not None:
        actions.append(cls.rev.add(1))  # type: ignore[attr-defined]
        cond = cond & (cls.rev == rev)  # type: ignore[attr-defined]
    if condition is not None:
        cond = cond & condition
    return Op(lambda tx: tx.update(cls(pk, sk), actions=actions, condition=cond), error)


def remove(cls: type[Item], pk: str, sk: str, *, error: Callable[[], PbxError], unreferenced: bool = False) -> Op:
    cond: Condition = cls.pk.exists()
    if unreferenced:
        refs = cls.refs  # type: ignore[attr-defined]
        cond = cond & ((refs == 0) | refs.does_not_exist())
    return Op(lambda tx: tx.delete(cls(pk, sk), condition=cond), error)


def check(cls: type[Item], pk: str, sk: str, condition: Condition, error: Callable[[], PbxError]) -> Op:
    """A condition on another item that the transaction's writes depend on (nothing written)."""
    return Op(lambda tx: tx.condition_check(cls, pk, sk, condition=condition), error)


def release(cls: type[Item], pk: str, sk: str) -> Op:
    """Delete an item whatever its state (claims that belong to a deleted owner)."""
    return Op(lambda tx: tx.delete(cls(pk, sk)), None)


def save_changes(
    item: Item,
    changes: dict[str, Any],
    *,
    what: str,
    bump: bool | str,
    now: datetime,
    ops: Sequence[Op] = (),
) -> None:
    """Set ``changes`` (and ``updated_at``) on ``item`` as it was read: 409 "<what> changed
    meanwhile" when someone changed it since (its ``rev``); ``ops`` in the same transaction."""
    changes = {**changes, "updated_at": ts(now)}
    rev = int(item.rev or 0)  # type: ignore[attr-defined]
    changed = Conflict(f"{what} changed meanwhile, retry")
    commit([patch(type(item), item.pk, item.sk, changes, rev=rev, error=lambda: changed), *ops], bump=bump)


def delete_unreferenced(
    item: ItemT,
    *,
    what: str,
    in_use: Callable[[ItemT], PbxError],
    bump: bool | str,
    ops: Sequence[Op] = (),
) -> None:
    """Delete an item nothing refers to (``refs`` 0), with ``ops`` in the same transaction.
    Refused: 404 "<what> not found" if it is gone meanwhile, else ``in_use(item as it is now)``."""
    cls, pk, sk = type(item), item.pk, item.sk

    def refused() -> PbxError:
        fresh = get_item(cls, pk, sk)
        return NotFound(f"{what} not found") if fresh is None else in_use(fresh)

    commit([remove(cls, pk, sk, error=refused, unreferenced=True), *ops], bump=bump)


def ref(cls: type[Item], tenant_id: str, sk: str, delta: int, field: str) -> Op:
    """Count a reference to (or release one from) an item of the tenant; it must exist."""
    target = sk.split("#", 1)[1]
    refs = cls.refs  # type: ignore[attr-defined]

    def missing() -> PbxError:
        return ValidationError(f"{field} {target} does not exist", fields={field: "not found"})

    return Op(
        lambda tx: tx.update(cls(keys.tenant_pk(tenant_id), sk), actions=[refs.add(delta)], condition=cls.pk.exists()),
        missing,
    )


def ref_changes(cls: type[Item], tenant_id: str, field: str, old_sk: str | None, new_sk: str | None) -> list[Op]:
    """Reference bookkeeping for a field whose target changes from ``old_sk`` to ``new_sk``."""
    if old_sk == new_sk:
        return []
    ops = []
    if new_sk:
        ops.append(ref(cls, tenant_id, new_sk, 1, field))
    if old_sk:
        ops.append(ref(cls, tenant_id, old_sk, -1, field))
    return ops


# --- generic reads -----------------------------------------------------------------------
def get_item(cls: type[ItemT], pk: str, sk: str) -> ItemT | None:
    configure()
    try:
        return cls.get(pk, sk, consistent_read=True)
    except DoesNotExist:
        return None


def get_child(tenant_id: str, cls: type[ItemT], sk: str) -> ItemT | None:
    return get_item(cls, keys.tenant_pk(tenant_id), sk)


def list_scope(pk: str, cls: type[ItemT], prefix: str) -> list[ItemT]:
    configure()
    return list(cls.query(pk, cls.sk.startswith(prefix), consistent_read=True))


def list_children(tenant_id: str, cls: type[ItemT], prefix: str) -> list[ItemT]:
    return list_scope(keys.tenant_pk(tenant_id), cls, prefix)


def partition(pk: str, classes: Iterable[type[Item]]) -> list[Item]:
    """The items of ``classes`` in one partition, from one consistent paginated query
    (items of other kinds in it are skipped without being decoded)."""
    by_kind = {Item.kind.get_discriminator(c): c for c in classes}
    return [
        by_kind[raw["kind"]["S"]].from_raw_data(raw) for raw in query_raw(pk) if raw.get("kind", {}).get("S") in by_kind
    ]


def query_raw(
    pk: str, *, projection: str | None = None, names: dict[str, str] | None = None
) -> Iterator[dict[str, Any]]:
    """Every raw item of one partition: the low-level client's paginated Query (no model
    objects: building them costs ~20x the query itself for bulk reads)."""
    args: dict[str, Any] = {
        "TableName": settings.aws().table,
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": "pk", **(names or {})},
        "ExpressionAttributeValues": {":pk": {"S": pk}},
        "ConsistentRead": True,
    }
    if projection:
        args["ProjectionExpression"] = projection
    for page in client().get_paginator("query").paginate(**args):
        yield from page.get("Items", [])


def batch_write_raw(requests: list[dict[str, Any]], *, workers: int = 1) -> None:
    """BatchWriteItem (``PutRequest``/``DeleteRequest`` entries, any number) with retries of
    what DynamoDB did not process (throttling). ``workers`` > 1 sends that many batches at
    once (bulk imports: a BatchWriteItem waits ~10-25 ms for DynamoDB, so 300,000 items one
    batch at a time would take minutes; botocore clients are thread-safe)."""
    table = settings.aws().table
    db = client()

    def write(pending: list[dict[str, Any]]) -> None:
        for attempt in range(10):
            resp = db.batch_write_item(RequestItems={table: pending})
            pending = resp.get("UnprocessedItems", {}).get(table, [])
            if not pending:
                return
            time.sleep(min(2.0, 0.05 * 2**attempt))
        raise RuntimeError(f"{len(pending)} items were not written after retries")

    batches = [requests[start : start + BATCH_WRITE] for start in range(0, len(requests), BATCH_WRITE)]
    if workers <= 1 or len(batches) <= 1:
        for batch in batches:
            write(batch)
        return
    with ThreadPoolExecutor(max_workers=min(workers, len(batches))) as pool:
        for done in [pool.submit(write, batch) for batch in batches]:
            done.result()  # the first failure is raised (after every batch was tried)


def batch_get_raw(keys_: list[dict[str, Any]], *, attributes: Sequence[str] = ()) -> list[dict[str, Any]]:
    """BatchGetItem (strongly consistent) of raw keys (unique, any number), with retries of
    what DynamoDB did not process; the items found, in no particular order. ``attributes``:
    only these (and the keys) are returned, not whole items."""
    table = settings.aws().table
    found: list[dict[str, Any]] = []
    projection: dict[str, Any] = {}
    if attributes:
        names = {f"#a{i}": name for i, name in enumerate(dict.fromkeys(["pk", "sk", *attributes]))}
        projection = {"ProjectionExpression": ", ".join(names), "ExpressionAttributeNames": names}
    for start in range(0, len(keys_), BATCH_GET):
        request: dict[str, Any] = {"Keys": keys_[start : start + BATCH_GET], "ConsistentRead": True, **projection}
        for attempt in range(10):
            resp = client().batch_get_item(RequestItems={table: request})
            found += resp.get("Responses", {}).get(table, [])
            left = resp.get("UnprocessedKeys", {}).get(table)
            if not left or not left.get("Keys"):
                break
            request = left
            time.sleep(min(2.0, 0.05 * 2**attempt))
        else:
            raise RuntimeError("items were not read after retries")
    return found


def delete_partition(pk: str, keep: Callable[[dict[str, Any]], bool] | None = None) -> int:
    """Delete every item of a partition (but those ``keep`` keeps); how many were deleted."""
    doomed = [
        {"pk": raw["pk"], "sk": raw["sk"]}
        for raw in query_raw(pk, projection="#pk, sk")
        if keep is None or not keep(raw)
    ]
    batch_write_raw([{"DeleteRequest": {"Key": k}} for k in doomed])
    return len(doomed)


def delete_if_owned(pk: str, sk: str, tenant_id: str) -> bool:
    """Delete an item only if its ``tenant_id`` is ``tenant_id`` (claims: another tenant's
    claim of the same name stays). False when it was not the tenant's (or is gone)."""
    try:
        client().delete_item(
            TableName=settings.aws().table,
            Key={"pk": {"S": pk}, "sk": {"S": sk}},
            ConditionExpression="tenant_id = :t",
            ExpressionAttributeValues={":t": {"S": tenant_id}},
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


def put_raw(items: Iterable[Item]) -> None:
    """Write model items by batch (no conditions: for items known to be new, e.g. an import
    into a tenant created by the same job), serialized as PynamoDB would save them."""
    batch_write_raw([{"PutRequest": {"Item": _raw(item)}} for item in items])


def _raw(item: Item) -> dict[str, Any]:
    raw: dict[str, Any] = item.serialize()
    return raw


# --- snapshot versions -----------------------------------------------------------------
def global_version() -> int:
    """The table-wide counter (``commit(bump=True)``; 0 when nothing ever bumped it)."""
    item = get_item(CounterItem, keys.VERSION_PK, keys.VERSION_SK)
    return int(item.value) if item is not None else 0


def bump_version() -> None:
    """Give every edge a new snapshot version (tools, migrations)."""
    commit([], bump=True)


def bump_tenant_version(tenant_id: str) -> None:
    """Give the edges serving ``tenant_id`` a new snapshot version (tools, migrations)."""
    commit([], bump=tenant_id)


def tenant_versions(tenant_ids: Sequence[str] | None) -> dict[str, int]:
    """Snapshot versions of existing tenants: of ``tenant_ids``, or of all (None).

    One query of the registry partition for all tenants, else batch reads of their rows;
    tenants that do not exist (any more) are absent from the answer.
    """
    configure()
    rows: Iterable[TenantRefItem]
    if tenant_ids is None:
        rows = TenantRefItem.query(keys.REGISTRY_PK, consistent_read=True)
    else:
        wanted = [(keys.REGISTRY_PK, t) for t in dict.fromkeys(tenant_ids)]
        rows = TenantRefItem.batch_get(wanted, consistent_read=True) if wanted else ()
    return {r.tenant_id: int(r.snap_version or 0) for r in rows}


def list_tenant_ids(*, limit: int | None = None, after: str | None = None) -> list[str]:
    """Tenant ids in id order (the registry partition), ``after`` one, at most ``limit``."""
    configure()
    kwargs: dict[str, Any] = {"consistent_read": True}
    if after:
        kwargs["range_key_condition"] = TenantRefItem.sk > after
    out: list[str] = []
    for item in TenantRefItem.query(keys.REGISTRY_PK, **kwargs):
        out.append(item.tenant_id)
        if limit is not None and len(out) >= limit:
            break
    return out
