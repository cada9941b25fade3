"""The changes ProBox's local runs make to moto (issues 18, 17 and 15): a DynamoDB
transaction backs up the items it touches, not the whole table; an item's 400 KB check adds
its attributes' sizes once, not once per attribute; a Query of the table reads its
partition, not the whole table; moto forgets the model objects nothing uses any more.

moto 5's ``transact_write_items`` deep-copies every table a transaction names, once per
action of it, so that it can roll back on a failed condition. ProBox keeps everything in
one table, so each CDR ingest copied every tenant's CDRs, recordings and settings three
times: a busy local day slowed the stack down call by call (3.6 CDRs/s at the start of a
10-minute run, ~1/s at its end, 19.5 GB of memory). Here a transaction remembers each item
before its first write and puts those back on a rollback: the same all-or-nothing result,
at a cost that does not grow with the table.

moto 5's ``Item`` puts each attribute into a dict that re-adds the size of every attribute
already there before accepting the next one (its 400 KB check): building an item costs the
square of its attribute count. A contact item has ~13 attributes, so a 100,000-row contact
import spent most of its time there (bench 6). Here the item adds its attributes' sizes once
and refuses the same items (the total only grows, so checking it at the end is the same
test).

moto 5's ``Table.query`` (without an index) sorts every item of the table, then keeps the
queried partition's: each Query cost as much as the whole table held. The live events'
ingest queries small partitions (a call's state, a tenant's browser connections) many times
a second, so the local stack slowed down as CDRs and events piled up (bench 7: moto at ~3 ms
of CPU per event). Here such a Query starts from the partition's own items (the same items
in the same order: moto then sorts them by range key); Queries of an index are moto's.

moto 5's ``BaseModel.__new__`` appends every model object it ever makes to its class's
``instances_tracked`` list (for its dashboard and its reset), and nothing takes them out: every
DynamoDB ``Item`` a Query deep-copies and projects for its answer, every item a transaction
or condition builds, every S3 key object of an overwritten or deleted upload stayed in memory
for the life of the server. A ``GET /v1/cdrs`` of 200 calls kept ~470 KB; the soak's moto grew
by ~250 KB per call, most of it this (issue 18). Here the lists hold weak references: the
dashboard and the reset still see every object that is alive, and the rest is freed.

This module patches classes of moto, a global change: it is the one place that does, it
does so only when ``install()`` is called (by ``infra.moto_server``, the contacts benchmark
and the tests), and it checks that the methods it replaces are still the ones it was written
against.
"""

from __future__ import annotations

import copy
import inspect
import itertools
import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

_INSTALLED = {"done": False}
_EXPECTED = "original_table_state[table_name] = copy.deepcopy("  # what moto 5.x does
_EXPECTED_ITEM = "self.attrs[key] = DynamoType(value)"  # moto 5.x's Item.__init__
_EXPECTED_QUERY = "isinstance(item, Item) and item.hash_key == hash_key"  # moto 5.x's Table.query
_EXPECTED_TRACKED = "cls.instances_tracked.append(instance)"  # moto 5.x's BaseModel.__new__
_PARTITION = threading.local()  # (table, its queried partition's items) during one Query
ITEM_SIZE_LIMIT = 405_000  # moto's figure ("between 409 and 410 KB" measured, 400 KB official)


def install(*, query: bool = True) -> None:
    """Replace moto's DynamoDB ``transact_write_items``, ``Item.__init__``, (``query``)
    ``Table.query``, and ``BaseModel.__new__`` (idempotent; the first call decides ``query``)."""
    if _INSTALLED["done"]:
        return
    from moto.core.common_models import BaseModel
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import Table

    source = inspect.getsource(DynamoDBBackend.transact_write_items)
    if _EXPECTED not in source:  # moto changed: re-check the patch before trusting it
        raise RuntimeError("moto's transact_write_items changed; review infra/moto_patch.py")
    if _EXPECTED_ITEM not in inspect.getsource(Item.__init__):
        raise RuntimeError("moto's Item.__init__ changed; review infra/moto_patch.py")
    if query and _EXPECTED_QUERY not in inspect.getsource(Table.query):
        raise RuntimeError("moto's Table.query changed; review infra/moto_patch.py")
    if _EXPECTED_TRACKED not in inspect.getsource(BaseModel.__new__):
        raise RuntimeError("moto's BaseModel.__new__ changed; review infra/moto_patch.py")
    BaseModel.__new__ = staticmethod(_tracked_weakly)  # type: ignore[method-assign]
    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    Item.__init__ = _item_init  # type: ignore[method-assign]
    if query:
        Table.query, Table.all_items = _partition_query(Table.query, Table.all_items)  # type: ignore[method-assign]
    _INSTALLED["done"] = True


class _WeakTracked:
    """moto's ``instances_tracked`` with weak references: what moto iterates (its dashboard,
    S3's reset) sees the objects alive; ``append`` is the one method moto calls on it. Keyed
    by a counter, not by the object: some models cannot be hashed; one that cannot be
    weakly referenced is kept as moto kept it."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self._alive: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()
        self._kept: list[Any] = []
        self._next = itertools.count()
        for item in items:
            self.append(item)

    def append(self, item: Any) -> None:
        try:
            self._alive[next(self._next)] = item
        except TypeError:
            self._kept.append(item)

    def __iter__(self) -> Iterator[Any]:
        return itertools.chain(list(self._alive.values()), list(self._kept))

    def __len__(self) -> int:
        return len(self._alive) + len(self._kept)


def _tracked_weakly(cls: Any, *args: Any, **kwargs: Any) -> Any:
    """``BaseModel.__new__`` without keeping the object alive (see the module's docstring)."""
    instance = object.__new__(cls)
    tracked = cls.__dict__.get("instances_tracked")
    if not isinstance(tracked, _WeakTracked):  # the class's own list (moto's reset makes a new one)
        tracked = _WeakTracked(tracked or ())
        cls.instances_tracked = tracked
    tracked.append(instance)
    return instance


def _partition_query(original_query: Any, original_all_items: Any) -> tuple[Any, Any]:
    """``Table.query`` and ``Table.all_items`` that make a Query of the table start from its
    partition's items (see the module's docstring)."""

    def partition_query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name or hash_key is None:
            return original_query(self, hash_key, *args, **kwargs)
        part = self.items.get(hash_key)
        items = list(part.values()) if isinstance(part, dict) else ([] if part is None else [part])
        _PARTITION.current = (self, items)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _PARTITION.current = None

    def all_items(self: Any) -> Any:
        current = getattr(_PARTITION, "current", None)
        if current is not None and current[0] is self:
            return current[1]  # one partition: moto's query sorts them by range key
        return original_all_items(self)

    return partition_query, all_items


@contextmanager
def partition_queries() -> Iterator[None]:
    """The partition Query for a while only (bench 6 compares it with moto's own)."""
    from moto.dynamodb.models.table import Table

    original = Table.query, Table.all_items
    Table.query, Table.all_items = _partition_query(*original)  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.query, Table.all_items = original  # type: ignore[method-assign]


def _item_init(self: Any, hash_key: Any, range_key: Any, attrs: dict[str, Any]) -> None:
    """moto's Item.__init__ with the size check made once (see the module's docstring)."""
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import DynamoType, LimitedSizeDict
    from moto.dynamodb.models.utilities import bytesize

    self.hash_key = hash_key
    self.range_key = range_key
    values = {key: DynamoType(value) for key, value in attrs.items()}
    if sum(bytesize(key) + value.size() for key, value in values.items()) > ITEM_SIZE_LIMIT:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict()  # later single sets (update expressions) keep moto's check
    dict.update(self.attrs, values)


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """moto's transact_write_items with an item-level backup (see the module's docstring);
    everything else (checks, order of evaluation, errors) as moto does it."""
    from moto.dynamodb.comparisons import get_filter_expression as filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )
    from moto.dynamodb.models.dynamo_type import DynamoType

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    backups: dict[tuple[str, str], tuple[Any, Any, Any, Any]] = {}  # key -> (table, hash, range, item copy)

    def backup(table_name: str, key: dict[str, Any]) -> None:
        ident = (table_name, str(dict(sorted(key.items()))))
        if ident in backups:
            return
        table = self.get_table(table_name)
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        current = table.get_item(hash_value, range_value)
        backups[ident] = (table, hash_value, range_value, copy.deepcopy(current))

    def rollback() -> None:
        for table, hash_value, range_value, item in backups.values():
            if item is None:
                table.delete_item(hash_value, range_value)
            elif range_value is not None:
                table.items[hash_value][range_value] = item
            else:
                table.items[hash_value] = item

    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str | None, str | None, dict[str, Any] | None]] = []
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException
        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            names = op.get("ExpressionAttributeNames")
            values = op.get("ExpressionAttributeValues")
            on_failure = op.get("ReturnValuesOnConditionCheckFailure")
            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            check_unicity(table_name, key)
            current = self.get_item(table_name, key)
            if condition_expression is not None:
                condition_op = filter_expression(condition_expression, names, values)
                if not condition_op.expr(current):
                    if on_failure == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)
            if op_type != "ConditionCheck":
                backup(table_name, key)
            if op_type == "Put":
                self.put_item(
                    table_name,
                    op["Item"],
                    condition_expression=condition_expression,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name,
                    key,
                    condition_expression=condition_expression,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    condition_expression=condition_expression,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            rollback()
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))
        except Exception as e:  # moto reports any other failure as the item's reason
            errors.append((type(e).__name__, str(e), original_item))
    if any(code is not None for code, _, _ in errors):
        rollback()
        raise TransactionCanceledException(errors)
