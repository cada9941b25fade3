"""DynamoDB single table (PynamoDB): item layout and every read/write of the control plane.

Tenant-scoped functions take ``tenant_id`` as their first argument and build every key from
it, so a caller cannot reach another tenant's rows by passing an id from a request.

Layout (``pk`` / ``sk``, all strings; ``kind`` is the PynamoDB discriminator):

| item | pk | sk |
|---|---|---|
| plan | ``PLAN`` | ``<name>`` |
| tenant | ``T#<tenant_id>`` | ``META`` |
| extension, branch, device | ``T#<tenant_id>`` | ``EXT#<n>``, ``BR#<id>``, ``DEV#<id>`` |
| trunk, DID, block rule | ``T#<tenant_id>`` | ``TRUNK#<id>``, ``NUM#<did>``, ``BLK#<id>`` |
| user / API key of a tenant | ``T#<tenant_id>`` | ``USER#<id>`` / ``KEY#<id>`` |
| provider user / API key | ``PROVIDER`` | ``USER#<id>`` / ``KEY#<id>`` |
| tenant registry (to list tenants without a scan; the tenant's snapshot version) | ``TENANTS`` | ``<tenant_id>`` |
| edge registry | ``EDGES`` | ``<edge_id>`` |
| unique claims | ``DOMAIN#<domain>``, ``DID#<did>``, ``EMAIL#<email>`` | same word |
| table-wide snapshot counter (``bump=True``) / plan seed marker | ``META`` | ``VERSION`` / ``PLANS_SEEDED`` |
| one-time provisioning token (SHA-256 of it) | ``PROV#<sha256>`` | ``PROV`` |
| per-device provisioning token (SHA-256) | ``DEVTOK#<sha256>`` | ``DEVTOK`` |
| API key lookup (SHA-256 of the key) | ``APIKEY#<sha256>`` | ``APIKEY`` |
| login session / login throttle | ``SESSION#<sid>`` / ``THROTTLE#<email>`` | ``SESSION`` / ``LOGIN`` |
| API rate-limit window of a tenant (or ``PROVIDER``) | ``RATE#<tenant_id>`` | ``<window start, epoch s>`` |
| edge node | ``EDGE#<edge_id>`` | ``META`` |
| CDR (newest first by sk) | ``T#<tenant_id>#CDR`` | ``<started_at>#<call_id>`` |
| CDR id guard (idempotency) | ``T#<tenant_id>#CDRID`` | ``<call_id>`` |
| stored recording (oldest first by sk; usage = sum of bytes) | ``T#<tenant_id>#REC`` | ``<started_at>#<call_id>`` |
| tenant event (newest first by sk) | ``T#<tenant_id>#EVENT`` | ``<created_at>#<event_id>`` |
| powertools idempotency records (CDR ingest) | ``IDEMPOTENCY#cdr`` | ``<function>#<hash>`` |
| tenant job (export/import/delete; survives deletion, TTL 30 days) | ``JOBS#<tenant_id>`` | ``<job_id>`` |

Every change that alters a tenant's part of an edge snapshot bumps that tenant's version
(``snap_version`` of its registry row ``TENANTS``/``<tenant_id>``) in the same transaction
(``commit(..., bump=tenant_id)``). An edge's snapshot version is derived from the versions
of the tenants it serves (``edges.current_version``), so a change of one tenant changes the
version of the edges serving it only, and a reader that reads the versions before the data
never labels old data with a new version.

References inside a tenant (extension -> branch, DID -> trunk,
DID -> extension, extension -> caller-id DID, device/user/block rule -> extension) keep a
``refs`` counter on the target, changed in the same transaction as the reference: a
referenced item cannot be deleted (409) and a reference to a missing item fails (400).
Mutable items carry ``rev``; updates are conditional on it (409 when changed meanwhile)
and set only the changed attributes, so counters maintained by other writers survive.
No GSI: every read is a strongly consistent key lookup or query.

Recording usage: the tenant item's ``recording_usage_bytes`` always equals the sum of the
``bytes`` of its ``T#<id>#REC`` items, because every write of one changes the other in the
same transaction (ingest puts the recording item and adds its bytes; a deletion removes
it and subtracts them). Those transactions are conditional on the usage and quota the
caller read (optimistic), so the level they set and the threshold events they write are
exact under concurrency; ``UsageStale`` tells the caller to read again and retry.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError
from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib import settings
from pbx_core.cdr import iso
from pbx_core.errors import Conflict, NotFound, PbxError, ValidationError

CONDITION_FAILED = "ConditionalCheckFailed"
TRANSACTION_CONFLICT = "TransactionConflict"
_TX_ATTEMPTS = 5


# --- keys ------------------------------------------------------------------------------
def tenant_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}"


def scope_pk(tenant_id: str | None) -> str:
    """Partition of users and API keys: a tenant's, or the provider's."""
    return tenant_pk(tenant_id) if tenant_id else PROVIDER_PK


def ext_sk(number: str) -> str:
    return f"EXT#{number}"


def branch_sk(branch_id: str) -> str:
    return f"BR#{branch_id}"


def device_sk(device_id: str) -> str:
    return f"DEV#{device_id}"


def trunk_sk(trunk_id: str) -> str:
    return f"TRUNK#{trunk_id}"


def number_sk(number: str) -> str:
    return f"NUM#{number}"


def block_sk(rule_id: str) -> str:
    return f"BLK#{rule_id}"


def user_sk(user_id: str) -> str:
    return f"USER#{user_id}"


def key_sk(key_id: str) -> str:
    return f"KEY#{key_id}"


def cdr_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#CDR"


def cdr_id_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#CDRID"


def rec_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#REC"


def event_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#EVENT"


TENANT_SK = "META"
REGISTRY_PK = "TENANTS"
EDGE_REGISTRY_PK = "EDGES"
PROVIDER_PK = "PROVIDER"
PLAN_PK = "PLAN"
VERSION_PK, VERSION_SK = "META", "VERSION"
SEEDED_SK = "PLANS_SEEDED"
IDEMPOTENCY_PK = "IDEMPOTENCY#cdr"


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


class PlanItem(Item, discriminator="plan"):
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    max_extensions = NumberAttribute()
    max_concurrent_calls = NumberAttribute()
    recording_quota_bytes = NumberAttribute()
    features = ListAttribute(of=UnicodeAttribute, default=list)
    tenant_count = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class TenantItem(Item, discriminator="tenant"):
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    domain = UnicodeAttribute()
    status = UnicodeAttribute(default="active")
    plan = UnicodeAttribute()
    max_concurrent_calls = NumberAttribute()
    max_extensions = NumberAttribute()
    record_calls = BooleanAttribute(default=True)
    recording_retention_days = NumberAttribute(default=365)
    recording_quota_bytes = NumberAttribute(default=0)
    time_zone = UnicodeAttribute(default="Asia/Ho_Chi_Minh")
    outbound_international = BooleanAttribute(default=False)
    outbound_premium_1900 = BooleanAttribute(default=False)
    default_caller_id = UnicodeAttribute(default="")
    password_rotation_months = NumberAttribute(default=12)
    ext_count = NumberAttribute(default=0)
    # Recording quota (F7): bytes stored, the last level reached, and what "full" does.
    recording_usage_bytes = NumberAttribute(default=0)
    recording_level = UnicodeAttribute(default="ok")
    recording_on_full = UnicodeAttribute(default="delete_oldest")
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class TenantRefItem(Item, discriminator="tenant_ref"):
    tenant_id = UnicodeAttribute()
    snap_version = NumberAttribute(default=0)  # bumped by every change of the tenant's snapshot data


class DomainItem(Item, discriminator="domain"):
    tenant_id = UnicodeAttribute()


class ClaimItem(Item, discriminator="claim"):
    """A unique name owned by one tenant or user (DID, e-mail)."""

    tenant_id = UnicodeAttribute(default="")
    owner = UnicodeAttribute(default="")


class ExtensionItem(Item, discriminator="extension"):
    tenant_id = UnicodeAttribute()
    number = UnicodeAttribute()
    display_name = UnicodeAttribute(default="")
    status = UnicodeAttribute(default="active")
    branch_id = UnicodeAttribute(default="")
    pickup_group = UnicodeAttribute(default="")
    outbound = UnicodeAttribute(default="national")
    caller_id = UnicodeAttribute(default="")
    ha1 = UnicodeAttribute()
    secret = UnicodeAttribute()  # ciphertext of the SIP password (crypto.encrypt: KMS or Fernet)
    refs = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute(null=True)
    password_rotated_at = UnicodeAttribute()


class BranchItem(Item, discriminator="branch"):
    tenant_id = UnicodeAttribute()
    branch_id = UnicodeAttribute()
    name = UnicodeAttribute()
    prefix = UnicodeAttribute()
    refs = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class DeviceItem(Item, discriminator="device"):
    tenant_id = UnicodeAttribute()
    device_id = UnicodeAttribute()
    extension = UnicodeAttribute()
    vendor = UnicodeAttribute()
    model = UnicodeAttribute()
    mac = UnicodeAttribute()
    label = UnicodeAttribute(default="")
    token_hash = UnicodeAttribute(null=True)
    needs_reprovision = BooleanAttribute(default=False)
    provisioned_at = UnicodeAttribute(null=True)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class TrunkItem(Item, discriminator="trunk"):
    tenant_id = UnicodeAttribute()
    trunk_id = UnicodeAttribute()
    name = UnicodeAttribute()
    host = UnicodeAttribute()
    port = NumberAttribute(default=5060)
    transport = UnicodeAttribute(default="udp")
    auth = UnicodeAttribute(default="ip")
    username = UnicodeAttribute(default="")
    secret = UnicodeAttribute(null=True)  # ciphertext of the carrier password (crypto.encrypt)
    ips = ListAttribute(of=UnicodeAttribute, default=list)
    channels = NumberAttribute(default=30)
    codecs = ListAttribute(of=UnicodeAttribute, default=list)
    refs = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class NumberItem(Item, discriminator="number"):
    tenant_id = UnicodeAttribute()
    number = UnicodeAttribute()
    number_kind = UnicodeAttribute()
    trunk_id = UnicodeAttribute()
    route_to = UnicodeAttribute(default="")
    label = UnicodeAttribute(default="")
    refs = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class BlockItem(Item, discriminator="block"):
    tenant_id = UnicodeAttribute()
    rule_id = UnicodeAttribute()
    pattern = UnicodeAttribute()
    direction = UnicodeAttribute(default="both")
    extension = UnicodeAttribute(default="")
    note = UnicodeAttribute(default="")
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class UserItem(Item, discriminator="user"):
    tenant_id = UnicodeAttribute(default="")  # "" = a provider user
    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute(default="")
    role = UnicodeAttribute()
    extension = UnicodeAttribute(default="")
    status = UnicodeAttribute(default="active")
    password_hash = UnicodeAttribute()
    tokens_valid_after = NumberAttribute(default=0)  # epoch ms: login sessions issued before are void
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class ApiKeyItem(Item, discriminator="api_key"):
    tenant_id = UnicodeAttribute(default="")
    key_id = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    prefix = UnicodeAttribute()
    key_hash = UnicodeAttribute()
    created_at = UnicodeAttribute()


class ApiKeyRefItem(Item, discriminator="api_key_ref"):
    tenant_id = UnicodeAttribute(default="")
    key_id = UnicodeAttribute()
    role = UnicodeAttribute()


class SessionItem(Item, discriminator="session"):
    tenant_id = UnicodeAttribute(default="")
    user_id = UnicodeAttribute()
    issued_at = NumberAttribute(default=0)  # epoch ms
    expires_at = NumberAttribute()
    ttl = TTLAttribute(null=True)


class ThrottleItem(Item, discriminator="throttle"):
    failures = NumberAttribute(default=0)
    window_ends = NumberAttribute(default=0)
    ttl = TTLAttribute(null=True)


class CounterItem(Item, discriminator="counter"):
    value = NumberAttribute(default=0)


class RateItem(Item, discriminator="rate"):
    """One fixed rate-limit window: ``n`` requests of the scope, plus one ``m#<hash>``
    counter per caller (dynamic attributes, written with the low-level client)."""

    n = NumberAttribute(default=0)
    ttl = TTLAttribute(null=True)


class ProvisioningItem(Item, discriminator="provisioning"):
    tenant_id = UnicodeAttribute()
    number = UnicodeAttribute()
    expires_at = NumberAttribute()  # epoch seconds, checked on use
    ttl = TTLAttribute(null=True)  # DynamoDB removes stale tokens (lazily, hence expires_at)
    created_at = UnicodeAttribute()


class DeviceTokenItem(Item, discriminator="device_token"):
    tenant_id = UnicodeAttribute()
    device_id = UnicodeAttribute()


class EdgeItem(Item, discriminator="edge"):
    edge_id = UnicodeAttribute()
    tenants = ListAttribute(of=UnicodeAttribute, null=True)  # None = every tenant
    token_gen = NumberAttribute(default=1)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute(null=True)
    # The snapshot this edge was last told about: fingerprint of its tenants' versions and
    # the version number given to it (edges.current_version). Not covered by rev.
    snap_fp = UnicodeAttribute(null=True)
    snap_version = NumberAttribute(null=True)


class EdgeRefItem(Item, discriminator="edge_ref"):
    edge_id = UnicodeAttribute()


class CdrItem(Item, discriminator="cdr"):
    tenant_id = UnicodeAttribute()
    call_id = UnicodeAttribute()
    started_at = UnicodeAttribute()
    caller = UnicodeAttribute(null=True)
    callee = UnicodeAttribute(null=True)
    direction = UnicodeAttribute(null=True)
    disposition = UnicodeAttribute(null=True)
    doc = UnicodeAttribute()  # the pbx_core.cdr dict as JSON
    # Set when the recording was deleted (quota / retention); reads then clear recording_key.
    rec_deleted = UnicodeAttribute(null=True)
    rec_deleted_at = UnicodeAttribute(null=True)


class CdrIdItem(Item, discriminator="cdr_id"):
    sort_key = UnicodeAttribute()  # sk of the CdrItem


class RecordingItem(Item, discriminator="recording"):
    """A recording the tenant stores (one per CDR with a recording_key); sk = the CDR's sk."""

    tenant_id = UnicodeAttribute()
    call_id = UnicodeAttribute()
    key = UnicodeAttribute()
    size = NumberAttribute(default=0)
    format = UnicodeAttribute(default="")
    started_at = UnicodeAttribute()


class EventItem(Item, discriminator="event"):
    tenant_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    type = UnicodeAttribute()
    created_at = UnicodeAttribute()
    doc = UnicodeAttribute()  # the event's details as JSON


MODELS: tuple[type[Item], ...] = (
    Item,
    PlanItem,
    TenantItem,
    TenantRefItem,
    DomainItem,
    ClaimItem,
    ExtensionItem,
    BranchItem,
    DeviceItem,
    TrunkItem,
    NumberItem,
    BlockItem,
    UserItem,
    ApiKeyItem,
    ApiKeyRefItem,
    SessionItem,
    ThrottleItem,
    CounterItem,
    RateItem,
    ProvisioningItem,
    DeviceTokenItem,
    EdgeItem,
    EdgeRefItem,
    CdrItem,
    CdrIdItem,
    RecordingItem,
    EventItem,
)
# Targets of references inside a tenant partition, by sort-key prefix.
REF_TARGETS: dict[str, type[ExtensionItem] | type[BranchItem] | type[TrunkItem] | type[NumberItem]] = {
    "EXT#": ExtensionItem,
    "BR#": BranchItem,
    "TRUNK#": TrunkItem,
    "NUM#": NumberItem,
}


# --- configuration (lazy, no I/O at import) --------------------------------------------
_configured: settings.AwsSettings | None = None
_tx_connection: Connection | None = None


def configure(force: bool = False) -> None:
    """Point the models at the table/endpoint/region of the current settings.

    Called by every store function; does nothing while the settings are unchanged.
    ``force`` drops cached connections (tests that start a new moto mock).
    """
    global _configured, _tx_connection
    current = settings.aws()
    if not force and current == _configured:
        return
    Item.Meta.table_name = current.table
    Item.Meta.host = current.endpoint_url
    Item.Meta.region = current.region
    for model in MODELS:
        model._connection = None
    # One botocore client for every model and for transactions: PynamoDB would otherwise
    # build one per model class (~0.1 s each on a cold start). All models share pk/sk.
    shared = Item._get_connection()
    for model in MODELS:
        model._connection = shared
    _tx_connection = shared.connection
    _configured = current


def _conn() -> Connection:
    configure()
    assert _tx_connection is not None
    return _tx_connection


def reset() -> None:
    """Forget cached connections; the next call configures from the settings again."""
    global _configured, _tx_connection
    _configured = None
    _tx_connection = None
    for model in MODELS:
        model._connection = None


def create_table(wait: bool = True) -> bool:
    """Create the table (PAY_PER_REQUEST, TTL on ``ttl``) if missing. True when created."""
    s = settings.aws()
    client = boto3.client("dynamodb", region_name=s.region, endpoint_url=s.endpoint_url)
    try:
        client.create_table(
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
    except client.exceptions.ResourceInUseException:
        return False
    if wait:
        client.get_waiter("table_exists").wait(TableName=s.table, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    client.update_time_to_live(TableName=s.table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"})
    return True


# --- helpers ---------------------------------------------------------------------------
def _reasons(exc: TransactWriteError) -> list[str | None]:
    if exc.cause_response_code != "TransactionCanceledException":
        raise exc
    return [r.code if r is not None else None for r in exc.cancellation_reasons]


def _transact(build: Callable[[TransactWrite], None]) -> list[str | None] | None:
    """Run a write transaction; None when committed, else the cancellation reason codes.

    Retries when DynamoDB cancels it for a conflict with a concurrent transaction (every
    snapshot change touches the version counter, so concurrent changes do collide).
    """
    for attempt in range(_TX_ATTEMPTS):
        try:
            with TransactWrite(connection=_conn()) as tx:
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
        CounterItem(VERSION_PK, VERSION_SK),
        actions=[CounterItem.value.add(1), CounterItem.kind.set(CounterItem)],
    )


def _bump_tenant(tx: TransactWrite, tenant_id: str) -> None:
    """The tenant's snapshot version: only the edges serving it see a new version."""
    tx.update(
        TenantRefItem(REGISTRY_PK, tenant_id),
        actions=[TenantRefItem.snap_version.add(1)],
        condition=TenantRefItem.pk.exists(),  # never resurrect a deleted tenant's row
    )


# --- generic transactional operations ------------------------------------------------------
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

    def build(tx: TransactWrite) -> None:
        for op in ops:
            op.apply(tx)
        if isinstance(bump, str):
            _bump_tenant(tx, bump)
        elif bump:
            _bump_version(tx)

    codes = _transact(build)
    if codes is None:
        return
    for op, code in zip(ops, codes, strict=False):
        if code == CONDITION_FAILED and op.error is not None:
            raise op.error()
    if isinstance(bump, str) and len(codes) > len(ops) and codes[len(ops)] == CONDITION_FAILED:
        raise NotFound("tenant not found")
    raise RuntimeError(f"transaction cancelled: {codes}")


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


def release(cls: type[Item], pk: str, sk: str) -> Op:
    """Delete an item whatever its state (claims that belong to a deleted owner)."""
    return Op(lambda tx: tx.delete(cls(pk, sk)), None)


def ref(tenant_id: str, sk: str, delta: int, field: str) -> Op:
    """Count a reference to (or release one from) an item of the tenant; it must exist."""
    cls = next(c for prefix, c in REF_TARGETS.items() if sk.startswith(prefix))
    target = sk.split("#", 1)[1]

    def missing() -> PbxError:
        return ValidationError(f"{field} {target} does not exist", fields={field: "not found"})

    return Op(
        lambda tx: tx.update(cls(tenant_pk(tenant_id), sk), actions=[cls.refs.add(delta)], condition=cls.pk.exists()),
        missing,
    )


def ref_changes(tenant_id: str, field: str, old_sk: str | None, new_sk: str | None) -> list[Op]:
    """Reference bookkeeping for a field whose target changes from ``old_sk`` to ``new_sk``."""
    if old_sk == new_sk:
        return []
    ops = []
    if new_sk:
        ops.append(ref(tenant_id, new_sk, 1, field))
    if old_sk:
        ops.append(ref(tenant_id, old_sk, -1, field))
    return ops


def get_item(cls: type[Any], pk: str, sk: str) -> Any:
    configure()
    try:
        return cls.get(pk, sk, consistent_read=True)
    except DoesNotExist:
        return None


def get_child(tenant_id: str, cls: type[Any], sk: str) -> Any:
    return get_item(cls, tenant_pk(tenant_id), sk)


def list_children(tenant_id: str, cls: type[Any], prefix: str) -> list[Any]:
    configure()
    return list(cls.query(tenant_pk(tenant_id), cls.sk.startswith(prefix), consistent_read=True))


def list_scope(pk: str, cls: type[Any], prefix: str) -> list[Any]:
    configure()
    return list(cls.query(pk, cls.sk.startswith(prefix), consistent_read=True))


def tenant_items(tenant_id: str) -> list[Item]:
    """Everything in the tenant's partition in one consistent query (snapshot, checks)."""
    configure()
    return list(Item.query(tenant_pk(tenant_id), consistent_read=True))


def ts(now: datetime) -> str:
    return iso(now)


# --- snapshot versions -----------------------------------------------------------------
def global_version() -> int:
    """The table-wide counter (``commit(bump=True)``; 0 when nothing ever bumped it)."""
    configure()
    try:
        item = CounterItem.get(VERSION_PK, VERSION_SK, consistent_read=True)
    except DoesNotExist:
        return 0
    return int(item.value)


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
        rows = TenantRefItem.query(REGISTRY_PK, consistent_read=True)
    else:
        keys = [(REGISTRY_PK, t) for t in dict.fromkeys(tenant_ids)]
        rows = TenantRefItem.batch_get(keys, consistent_read=True) if keys else ()
    return {r.tenant_id: int(r.snap_version or 0) for r in rows}


def set_edge_snapshot(edge_id: str, *, fingerprint: str, version: int, expected: int | None) -> bool:
    """Record the version given to the edge's current fingerprint, if nobody else did
    meanwhile (conditional on the version read). False when the condition failed."""
    configure()
    current = EdgeItem.snap_version
    cond: Condition = EdgeItem.pk.exists() & (current.does_not_exist() if expected is None else (current == expected))
    try:
        EdgeItem(f"EDGE#{edge_id}", "META").update(
            actions=[EdgeItem.snap_fp.set(fingerprint), current.set(version)], condition=cond
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


# --- API rate limits ---------------------------------------------------------------------
RATE_TTL_SLACK_S = 60


def rate_pk(scope: str) -> str:
    return f"RATE#{scope}"


def rate_hit(scope: str, member: str, *, window_start: int, window_s: int, scope_limit: int, member_limit: int) -> bool:
    """Count one request of ``member`` (a caller) in ``scope``'s (a tenant's) fixed window.

    One conditional UpdateItem: both counters go up only while both are under their limits
    (0 = no limit); False when a limit is reached (nothing counted). The item expires
    (TTL) a minute after its window.
    """
    names = {"#kind": "kind", "#ttl": "ttl"}
    values: dict[str, Any] = {
        ":one": {"N": "1"},
        ":kind": {"S": "rate"},
        ":ttl": {"N": str(window_start + window_s + RATE_TTL_SLACK_S)},
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
        _client().update_item(
            TableName=settings.aws().table,
            Key={"pk": {"S": rate_pk(scope)}, "sk": {"S": str(window_start)}},
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


# --- plans -----------------------------------------------------------------------------
def plans_seeded() -> bool:
    return get_item(CounterItem, VERSION_PK, SEEDED_SK) is not None


def mark_plans_seeded() -> None:
    configure()
    CounterItem(VERSION_PK, SEEDED_SK, value=1).save()


def get_plan(name: str) -> PlanItem | None:
    item: PlanItem | None = get_item(PlanItem, PLAN_PK, name)
    return item


def list_plans() -> list[PlanItem]:
    configure()
    return list(PlanItem.query(PLAN_PK, consistent_read=True))


def put_plan_if_missing(item: PlanItem) -> bool:
    configure()
    try:
        item.save(condition=PlanItem.pk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def plan_ref(name: str, delta: int) -> Op:
    def missing() -> PbxError:
        return ValidationError(f"plan {name} does not exist", fields={"plan": "not found"})

    return Op(
        lambda tx: tx.update(
            PlanItem(PLAN_PK, name), actions=[PlanItem.tenant_count.add(delta)], condition=PlanItem.pk.exists()
        ),
        missing,
    )


# --- tenants ---------------------------------------------------------------------------
def create_tenant(tenant: TenantItem) -> None:
    """Create a tenant, claim its SIP domain and count it on its plan, atomically.

    Its registry row appears with snapshot version 1: edges serving every tenant see a new
    tenant set, edges with a list do not see it at all.
    """
    domain = tenant.domain
    commit(
        [
            put_new(tenant, lambda: Conflict("tenant id collision, retry")),
            put_new(
                DomainItem(f"DOMAIN#{domain}", "DOMAIN", tenant_id=tenant.tenant_id),
                lambda: Conflict(f"domain {domain} is already in use", fields={"domain": "already in use"}),
            ),
            put_new(
                TenantRefItem(REGISTRY_PK, tenant.tenant_id, tenant_id=tenant.tenant_id, snap_version=1),
                lambda: Conflict("tenant id collision, retry"),
            ),
            plan_ref(tenant.plan, 1),
        ],
        bump=False,
    )


def get_tenant(tenant_id: str) -> TenantItem | None:
    item: TenantItem | None = get_item(TenantItem, tenant_pk(tenant_id), TENANT_SK)
    return item


def tenant_exists(tenant_id: str) -> bool:
    return get_tenant(tenant_id) is not None


def list_tenant_ids(*, limit: int | None = None, after: str | None = None) -> list[str]:
    configure()
    kwargs: dict[str, Any] = {"consistent_read": True}
    if after:
        kwargs["range_key_condition"] = TenantRefItem.sk > after
    refs = TenantRefItem.query(REGISTRY_PK, **kwargs)
    out: list[str] = []
    for item in refs:
        out.append(item.tenant_id)
        if limit is not None and len(out) >= limit:
            break
    return out


def get_tenants(tenant_ids: Sequence[str]) -> list[TenantItem]:
    configure()
    keys = [(tenant_pk(t), TENANT_SK) for t in tenant_ids]
    found = {t.tenant_id: t for t in TenantItem.batch_get(keys, consistent_read=True)}
    return [found[t] for t in tenant_ids if t in found]


# --- provisioning tokens ---------------------------------------------------------------
def put_provisioning(tenant_id: str, number: str, *, token_hash: str, expires_at: int, now: datetime) -> None:
    configure()
    item = ProvisioningItem(
        f"PROV#{token_hash}",
        "PROV",
        tenant_id=tenant_id,
        number=number,
        expires_at=expires_at,
        ttl=datetime.fromtimestamp(expires_at, UTC),
        created_at=iso(now),
    )
    item.save(condition=ProvisioningItem.pk.does_not_exist())


def take_provisioning(token_hash: str, *, now_epoch: float) -> tuple[str, str] | None:
    """Consume a provisioning token: (tenant_id, number) the first time, None afterwards.

    Not tenant-scoped: the token itself is the credential (an unguessable 256-bit value).
    The conditional delete makes it single-use even under concurrent redemption.
    """
    configure()
    try:
        item = ProvisioningItem.get(f"PROV#{token_hash}", "PROV", consistent_read=True)
    except DoesNotExist:
        return None
    try:
        item.delete(condition=ProvisioningItem.pk.exists())
    except DeleteError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return None
        raise
    if int(item.expires_at) <= now_epoch:
        return None
    return item.tenant_id, item.number


def device_token(token_hash: str) -> DeviceTokenItem | None:
    item: DeviceTokenItem | None = get_item(DeviceTokenItem, f"DEVTOK#{token_hash}", "DEVTOK")
    return item


# --- users, keys, sessions -------------------------------------------------------------------
def email_claim(email: str) -> ClaimItem | None:
    item: ClaimItem | None = get_item(ClaimItem, f"EMAIL#{email}", "EMAIL")
    return item


def api_key_ref(key_hash: str) -> ApiKeyRefItem | None:
    item: ApiKeyRefItem | None = get_item(ApiKeyRefItem, f"APIKEY#{key_hash}", "APIKEY")
    return item


def put_session(sid: str, *, tenant_id: str | None, user_id: str, issued_at: int, expires_at: int) -> None:
    configure()
    SessionItem(
        f"SESSION#{sid}",
        "SESSION",
        tenant_id=tenant_id or "",
        user_id=user_id,
        issued_at=issued_at,
        expires_at=expires_at,
        ttl=datetime.fromtimestamp(expires_at, UTC),
    ).save()


def get_session(sid: str) -> SessionItem | None:
    item: SessionItem | None = get_item(SessionItem, f"SESSION#{sid}", "SESSION")
    return item


def delete_session(sid: str) -> None:
    configure()
    SessionItem(f"SESSION#{sid}", "SESSION").delete()


def login_failures(email: str, *, now_epoch: int) -> int:
    item: ThrottleItem | None = get_item(ThrottleItem, f"THROTTLE#{email}", "LOGIN")
    if item is None or int(item.window_ends) <= now_epoch:
        return 0
    return int(item.failures)


def add_login_failure(email: str, *, now_epoch: int, window_s: int) -> None:
    """Count a failed login; the window starts at the first failure and then expires."""
    configure()
    pk, sk = f"THROTTLE#{email}", "LOGIN"
    item: ThrottleItem | None = get_item(ThrottleItem, pk, sk)
    if item is None or int(item.window_ends) <= now_epoch:
        end = now_epoch + window_s
        ThrottleItem(pk, sk, failures=1, window_ends=end, ttl=datetime.fromtimestamp(end, UTC)).save()
        return
    item.update(actions=[ThrottleItem.failures.add(1)])


def clear_login_failures(email: str) -> None:
    configure()
    ThrottleItem(f"THROTTLE#{email}", "LOGIN").delete()


# --- edges -----------------------------------------------------------------------------
def create_edge(edge: EdgeItem) -> None:
    edge_id = edge.edge_id

    def taken() -> PbxError:
        return Conflict(f"edge {edge_id} already exists", fields={"id": "already exists"})

    # no bump: an edge's version derives from its own tenants (edges.current_version)
    commit([put_new(edge, taken), put_new(EdgeRefItem(EDGE_REGISTRY_PK, edge_id, edge_id=edge_id), taken)], bump=False)


def get_edge(edge_id: str) -> EdgeItem | None:
    item: EdgeItem | None = get_item(EdgeItem, f"EDGE#{edge_id}", "META")
    return item


def list_edges() -> list[EdgeItem]:
    configure()
    ids = [r.edge_id for r in EdgeRefItem.query(EDGE_REGISTRY_PK, consistent_read=True)]
    if not ids:
        return []
    found = {e.edge_id: e for e in EdgeItem.batch_get([(f"EDGE#{i}", "META") for i in ids], consistent_read=True)}
    return [found[i] for i in ids if i in found]


def delete_edge(edge_id: str) -> None:
    commit(
        [
            remove(EdgeItem, f"EDGE#{edge_id}", "META", error=lambda: NotFound(f"edge {edge_id} not found")),
            release(EdgeRefItem, EDGE_REGISTRY_PK, edge_id),
        ],
        bump=False,
    )


# --- CDRs ------------------------------------------------------------------------------
class UsageStale(Exception):
    """The tenant's recording usage or quota changed since it was read: read again, retry."""


@dataclass
class UsageUpdate:
    """A change of a tenant's recording usage, conditional on the values it was computed from."""

    tenant_id: str
    expected_usage: int
    expected_quota: int
    delta: int
    level: str
    events: list[EventItem]
    bump: bool  # the edge's record_calls flips: bump the snapshot version too


def _apply_usage(tx: TransactWrite, u: UsageUpdate) -> None:
    usage = TenantItem.recording_usage_bytes
    same: Condition = usage == u.expected_usage
    if u.expected_usage == 0:
        same = same | usage.does_not_exist()
    quota: Condition = TenantItem.recording_quota_bytes == u.expected_quota
    if u.expected_quota == 0:
        quota = quota | TenantItem.recording_quota_bytes.does_not_exist()
    tx.update(
        TenantItem(tenant_pk(u.tenant_id), TENANT_SK),
        actions=[usage.set(u.expected_usage + u.delta), TenantItem.recording_level.set(u.level)],
        condition=TenantItem.pk.exists() & same & quota,
    )
    for event in u.events:
        tx.save(event, condition=EventItem.pk.does_not_exist())
    if u.bump:
        _bump_tenant(tx, u.tenant_id)


def put_cdr(
    tenant_id: str,
    doc: dict[str, Any],
    *,
    call_id: str,
    started_at: str,
    recording: RecordingItem | None = None,
    usage: UsageUpdate | None = None,
) -> bool:
    """Store a CDR once per (tenant, call id). True when stored, False for a duplicate.

    With ``recording`` the recording item is stored in the same transaction, and with
    ``usage`` the tenant's usage, level and events change in it too (UsageStale when the
    tenant changed meanwhile: nothing was stored).
    """
    configure()
    sort_key = f"{started_at}#{call_id}"
    item = CdrItem(
        cdr_pk(tenant_id),
        sort_key,
        tenant_id=tenant_id,
        call_id=call_id,
        started_at=started_at,
        caller=str(doc.get("caller") or ""),
        callee=str(doc.get("callee") or ""),
        direction=str(doc.get("direction") or ""),
        disposition=str(doc.get("disposition") or ""),
        doc=json.dumps(doc, separators=(",", ":"), sort_keys=True),
    )
    guard = CdrIdItem(cdr_id_pk(tenant_id), call_id, sort_key=sort_key)
    if recording is not None:
        recording.pk, recording.sk = rec_pk(tenant_id), sort_key

    def build(tx: TransactWrite) -> None:
        tx.save(guard, condition=CdrIdItem.pk.does_not_exist())
        tx.save(item, condition=CdrItem.pk.does_not_exist())
        if recording is not None:
            tx.save(recording, condition=RecordingItem.pk.does_not_exist())
        if usage is not None:
            _apply_usage(tx, usage)

    codes = _transact(build)
    if codes is None:
        return True
    if codes[0] == CONDITION_FAILED or codes[1] == CONDITION_FAILED:
        return False
    if CONDITION_FAILED in codes:
        raise UsageStale(tenant_id)
    raise RuntimeError(f"CDR put cancelled: {codes}")


def _overlay(doc: dict[str, Any], deleted: str | None, deleted_at: str | None) -> dict[str, Any]:
    """The stored CDR as the API shows it: a deleted recording has no key any more."""
    doc["recording_deleted"] = deleted or None
    doc["recording_deleted_at"] = deleted_at or None
    if deleted:
        doc["recording_key"] = None
    return doc


def _cdr_doc(item: CdrItem) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(item.doc)
    return _overlay(doc, item.rec_deleted, item.rec_deleted_at)


def get_cdr(tenant_id: str, call_id: str) -> dict[str, Any] | None:
    configure()
    try:
        guard = CdrIdItem.get(cdr_id_pk(tenant_id), call_id, consistent_read=True)
        item = CdrItem.get(cdr_pk(tenant_id), guard.sort_key, consistent_read=True)
    except DoesNotExist:
        return None
    return _cdr_doc(item)


# --- recordings and events ------------------------------------------------------------------
def list_recordings(
    tenant_id: str, *, before: str | None = None, limit: int = 25, after_sk: str | None = None
) -> list[RecordingItem]:
    """The tenant's stored recordings, oldest first; ``before``: sort keys below it only."""
    configure()
    kwargs: dict[str, Any] = {"consistent_read": True, "scan_index_forward": True, "limit": limit}
    if before and after_sk:
        kwargs["range_key_condition"] = RecordingItem.sk.between(after_sk, before)
    elif before:
        kwargs["range_key_condition"] = RecordingItem.sk < before
    elif after_sk:
        kwargs["range_key_condition"] = RecordingItem.sk > after_sk
    out = [
        r
        for r in RecordingItem.query(rec_pk(tenant_id), **kwargs)
        if (after_sk is None or r.sk > after_sk) and (before is None or r.sk < before)
    ]
    return out[:limit]


def delete_recordings(
    tenant_id: str, recs: Sequence[RecordingItem], *, reason: str, at: str, usage: UsageUpdate
) -> None:
    """Forget ``recs`` (their objects are already gone): each recording item is deleted, its
    CDR marked ``reason``, and the usage changes, in one transaction. UsageStale when the
    tenant or one of the recordings changed meanwhile (nothing was written)."""
    configure()

    def build(tx: TransactWrite) -> None:
        for rec in recs:
            tx.delete(RecordingItem(rec_pk(tenant_id), rec.sk), condition=RecordingItem.pk.exists())
            tx.update(
                CdrItem(cdr_pk(tenant_id), rec.sk),
                actions=[CdrItem.rec_deleted.set(reason), CdrItem.rec_deleted_at.set(at)],
                condition=CdrItem.pk.exists(),
            )
        _apply_usage(tx, usage)

    codes = _transact(build)
    if codes is None:
        return
    if CONDITION_FAILED in codes:
        raise UsageStale(tenant_id)
    raise RuntimeError(f"recording delete cancelled: {codes}")


def get_recordings(tenant_id: str, sort_keys: Sequence[str]) -> list[RecordingItem]:
    configure()
    keys = [(rec_pk(tenant_id), sk) for sk in sort_keys]
    return list(RecordingItem.batch_get(keys, consistent_read=True)) if keys else []


def update_usage(usage: UsageUpdate) -> None:
    """Only the level (and its events) of a tenant whose usage did not change."""
    codes = _transact(lambda tx: _apply_usage(tx, usage))
    if codes is None:
        return
    if CONDITION_FAILED in codes:
        raise UsageStale(usage.tenant_id)
    raise RuntimeError(f"usage update cancelled: {codes}")


def list_events(tenant_id: str, *, limit: int, after_sk: str | None) -> tuple[list[EventItem], str | None]:
    """Newest first: the page and the sk to continue after (None on the last page)."""
    configure()
    kwargs: dict[str, Any] = {"consistent_read": True, "scan_index_forward": False, "limit": limit + 1}
    if after_sk:
        kwargs["range_key_condition"] = EventItem.sk < after_sk
    items = list(EventItem.query(event_pk(tenant_id), **kwargs))
    if len(items) > limit:
        return items[:limit], items[limit - 1].sk
    return items, None


@dataclass(frozen=True)
class CdrFilter:
    """Search criteria; times are sort-key bounds (UTC ISO, inclusive start, exclusive end)."""

    start: str | None = None
    end: str | None = None
    extension: str | None = None  # caller or callee
    number: str | None = None  # caller or callee (exact)
    direction: str | None = None
    disposition: str | None = None


MAX_CDR_SCAN = 2000  # items one search request may read before it returns a short page


def _cdr_query_args(tenant_id: str, flt: CdrFilter) -> dict[str, Any]:
    """Low-level Query arguments (expressions) for a CDR search, newest first."""
    names = {"#pk": "pk", "#doc": "doc", "#sk": "sk", "#rd": "rec_deleted", "#rda": "rec_deleted_at"}
    values: dict[str, Any] = {":pk": {"S": cdr_pk(tenant_id)}}
    key_expr = "#pk = :pk"
    if flt.start and flt.end:
        key_expr += " AND #sk BETWEEN :s AND :e"
        values[":s"], values[":e"] = {"S": flt.start}, {"S": flt.end}
    elif flt.start:
        key_expr += " AND #sk >= :s"
        values[":s"] = {"S": flt.start}
    elif flt.end:
        key_expr += " AND #sk < :e"
        values[":e"] = {"S": flt.end}
    filters: list[str] = []
    for i, party in enumerate((flt.extension, flt.number)):
        if party:
            names["#caller"], names["#callee"] = "caller", "callee"
            values[f":p{i}"] = {"S": party}
            filters.append(f"(#caller = :p{i} OR #callee = :p{i})")
    for name in ("direction", "disposition"):
        value = getattr(flt, name)
        if value:
            names[f"#{name}"] = name
            values[f":{name}"] = {"S": value}
            filters.append(f"#{name} = :{name}")
    args: dict[str, Any] = {
        "TableName": settings.aws().table,
        "KeyConditionExpression": key_expr,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "ProjectionExpression": "#sk, #doc, #rd, #rda",
        "ScanIndexForward": False,
        "ConsistentRead": True,
    }
    if filters:
        args["FilterExpression"] = " AND ".join(filters)
    return args


def _client() -> Any:
    """The botocore DynamoDB client PynamoDB already holds (no second client to build)."""
    return _conn().client


def list_cdrs(
    tenant_id: str, *, limit: int, after_sk: str | None, flt: CdrFilter | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first: the page and the sk to continue after (None on the last page).

    Read with the low-level client (raw items, no model objects). Filters other than the
    time range are applied by DynamoDB after reading; one request reads at most
    ``MAX_CDR_SCAN`` items and may then return a short (even empty) page with a cursor.
    """
    args = _cdr_query_args(tenant_id, flt or CdrFilter())
    client = _client()
    filtered = "FilterExpression" in args
    args["Limit"] = min(MAX_CDR_SCAN, max(limit + 1, 100)) if filtered else limit + 1
    start = {"pk": {"S": cdr_pk(tenant_id)}, "sk": {"S": after_sk}} if after_sk else None
    raws: list[dict[str, Any]] = []
    scanned = 0
    while True:
        resp = client.query(**args, **({"ExclusiveStartKey": start} if start else {}))
        scanned += int(resp.get("ScannedCount", 0))
        for raw in resp.get("Items", []):
            if len(raws) == limit:
                return [_raw_doc(r) for r in raws], raws[-1]["sk"]["S"]
            raws.append(raw)
        lek = resp.get("LastEvaluatedKey")
        if not lek:
            return [_raw_doc(r) for r in raws], None
        if scanned >= MAX_CDR_SCAN:
            return [_raw_doc(r) for r in raws], str(lek["sk"]["S"])
        start = lek


def _raw_doc(raw: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(raw["doc"]["S"])
    return _overlay(doc, raw.get("rec_deleted", {}).get("S"), raw.get("rec_deleted_at", {}).get("S"))


def iter_cdr_docs(tenant_id: str, flt: CdrFilter, *, max_items: int) -> Iterator[dict[str, Any]]:
    """Bulk read for exports: the low-level client's paginator, raw pages, no model objects."""
    args = _cdr_query_args(tenant_id, flt)
    count = 0
    for page in _client().get_paginator("query").paginate(**args):
        for raw in page.get("Items", []):
            yield _raw_doc(raw)
            count += 1
            if count >= max_items:
                return


# --- compatibility shortcuts (tests and tools) ------------------------------------------------
def get_extension(tenant_id: str, number: str) -> ExtensionItem | None:
    item: ExtensionItem | None = get_child(tenant_id, ExtensionItem, ext_sk(number))
    return item


def list_extensions(tenant_id: str) -> list[ExtensionItem]:
    items: list[ExtensionItem] = list_children(tenant_id, ExtensionItem, "EXT#")
    return items
