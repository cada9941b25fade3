"""DynamoDB single table (PynamoDB): item layout and every read/write of the control plane.

Tenant-scoped functions take ``tenant_id`` as their first argument and build every key from
it, so a caller cannot reach another tenant's rows by passing an id from a request.

Layout (``pk`` / ``sk``, all strings; ``kind`` is the PynamoDB discriminator):

| item | pk | sk |
|---|---|---|
| tenant | ``T#<tenant_id>`` | ``META`` |
| extension | ``T#<tenant_id>`` | ``EXT#<number>`` |
| tenant registry (to list tenants without a scan) | ``TENANTS`` | ``<tenant_id>`` |
| domain claim (unique SIP domain) | ``DOMAIN#<domain>`` | ``DOMAIN`` |
| snapshot version counter | ``META`` | ``VERSION`` |
| provisioning token (SHA-256 of it) | ``PROV#<sha256>`` | ``PROV`` |
| edge node | ``EDGE#<edge_id>`` | ``META`` |
| CDR (newest first by sk) | ``T#<tenant_id>#CDR`` | ``<started_at>#<call_id>`` |
| CDR id guard (idempotency) | ``T#<tenant_id>#CDRID`` | ``<call_id>`` |

Every change that alters the edge snapshot bumps the version counter in the same
transaction, so a snapshot reader that reads the version before the data never labels old
data with a new version. No GSI: every read is a strongly consistent key lookup or query.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib import settings
from pbx_core.cdr import iso
from pbx_core.errors import Conflict, LimitExceeded, NotFound

CONDITION_FAILED = "ConditionalCheckFailed"
TRANSACTION_CONFLICT = "TransactionConflict"
_TX_ATTEMPTS = 5


# --- keys ------------------------------------------------------------------------------
def tenant_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}"


def ext_sk(number: str) -> str:
    return f"EXT#{number}"


def cdr_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#CDR"


def cdr_id_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#CDRID"


TENANT_SK = "META"
REGISTRY_PK = "TENANTS"
VERSION_PK, VERSION_SK = "META", "VERSION"


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


class TenantItem(Item, discriminator="tenant"):
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    domain = UnicodeAttribute()
    status = UnicodeAttribute(default="active")
    plan = UnicodeAttribute()
    max_concurrent_calls = NumberAttribute()
    max_extensions = NumberAttribute()
    record_calls = BooleanAttribute(default=True)
    ext_count = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class TenantRefItem(Item, discriminator="tenant_ref"):
    tenant_id = UnicodeAttribute()


class DomainItem(Item, discriminator="domain"):
    tenant_id = UnicodeAttribute()


class ExtensionItem(Item, discriminator="extension"):
    tenant_id = UnicodeAttribute()
    number = UnicodeAttribute()
    display_name = UnicodeAttribute(default="")
    status = UnicodeAttribute(default="active")
    ha1 = UnicodeAttribute()
    secret = UnicodeAttribute()  # Fernet ciphertext of the SIP password (crypto.encrypt)
    created_at = UnicodeAttribute()
    password_rotated_at = UnicodeAttribute()


class CounterItem(Item, discriminator="counter"):
    value = NumberAttribute(default=0)


class ProvisioningItem(Item, discriminator="provisioning"):
    tenant_id = UnicodeAttribute()
    number = UnicodeAttribute()
    expires_at = NumberAttribute()  # epoch seconds, checked on use
    ttl = TTLAttribute(null=True)  # DynamoDB removes stale tokens (lazily, hence expires_at)
    created_at = UnicodeAttribute()


class EdgeItem(Item, discriminator="edge"):
    edge_id = UnicodeAttribute()
    created_at = UnicodeAttribute()


class CdrItem(Item, discriminator="cdr"):
    tenant_id = UnicodeAttribute()
    call_id = UnicodeAttribute()
    started_at = UnicodeAttribute()
    doc = UnicodeAttribute()  # the pbx_core.cdr dict as JSON


class CdrIdItem(Item, discriminator="cdr_id"):
    sort_key = UnicodeAttribute()  # sk of the CdrItem


MODELS: tuple[type[Item], ...] = (
    Item,
    TenantItem,
    TenantRefItem,
    DomainItem,
    ExtensionItem,
    CounterItem,
    ProvisioningItem,
    EdgeItem,
    CdrItem,
    CdrIdItem,
)


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
    tx.update(
        CounterItem(VERSION_PK, VERSION_SK),
        actions=[CounterItem.value.add(1), CounterItem.kind.set(CounterItem)],
    )


# --- snapshot version ------------------------------------------------------------------
def snapshot_version() -> int:
    configure()
    try:
        item = CounterItem.get(VERSION_PK, VERSION_SK, consistent_read=True)
    except DoesNotExist:
        return 0
    return int(item.value)


# --- tenants ---------------------------------------------------------------------------
def create_tenant(
    tenant_id: str,
    *,
    name: str,
    domain: str,
    plan: str,
    max_concurrent_calls: int,
    max_extensions: int,
    now: datetime,
) -> TenantItem:
    """Create a tenant and claim its SIP domain atomically. Conflict when the domain is taken."""
    ts = iso(now)
    tenant = TenantItem(
        tenant_pk(tenant_id),
        TENANT_SK,
        tenant_id=tenant_id,
        name=name,
        domain=domain,
        status="active",
        plan=plan,
        max_concurrent_calls=max_concurrent_calls,
        max_extensions=max_extensions,
        record_calls=True,
        ext_count=0,
        created_at=ts,
        updated_at=ts,
    )

    def build(tx: TransactWrite) -> None:
        tx.save(tenant, condition=TenantItem.pk.does_not_exist())
        tx.save(DomainItem(f"DOMAIN#{domain}", "DOMAIN", tenant_id=tenant_id), condition=DomainItem.pk.does_not_exist())
        tx.save(TenantRefItem(REGISTRY_PK, tenant_id, tenant_id=tenant_id), condition=TenantRefItem.pk.does_not_exist())
        _bump_version(tx)

    codes = _transact(build)
    if codes is not None:
        if codes[1] == CONDITION_FAILED:
            raise Conflict(f"domain {domain} is already in use", fields={"domain": "already in use"})
        if codes[0] == CONDITION_FAILED or codes[2] == CONDITION_FAILED:
            raise Conflict("tenant id collision, retry")
        raise RuntimeError(f"tenant create cancelled: {codes}")
    return tenant


def get_tenant(tenant_id: str) -> TenantItem | None:
    configure()
    try:
        return TenantItem.get(tenant_pk(tenant_id), TENANT_SK, consistent_read=True)
    except DoesNotExist:
        return None


def tenant_exists(tenant_id: str) -> bool:
    return get_tenant(tenant_id) is not None


def list_tenant_ids() -> list[str]:
    configure()
    return [ref.tenant_id for ref in TenantRefItem.query(REGISTRY_PK, consistent_read=True)]


def tenant_config(tenant_id: str) -> tuple[TenantItem | None, list[ExtensionItem]]:
    """The tenant and its extensions in one consistent query (for the edge snapshot)."""
    configure()
    tenant: TenantItem | None = None
    exts: list[ExtensionItem] = []
    for item in Item.query(tenant_pk(tenant_id), consistent_read=True):
        if isinstance(item, TenantItem):
            tenant = item
        elif isinstance(item, ExtensionItem):
            exts.append(item)
    return tenant, exts


# --- extensions ------------------------------------------------------------------------
def create_extension(
    tenant_id: str,
    *,
    number: str,
    display_name: str,
    ha1: str,
    secret: str,
    now: datetime,
) -> ExtensionItem:
    """Add an extension within the tenant's plan: Conflict if it exists, LimitExceeded if full."""
    tenant = get_tenant(tenant_id)
    if tenant is None:
        raise NotFound("tenant not found")
    ts = iso(now)
    ext = ExtensionItem(
        tenant_pk(tenant_id),
        ext_sk(number),
        tenant_id=tenant_id,
        number=number,
        display_name=display_name,
        status="active",
        ha1=ha1,
        secret=secret,
        created_at=ts,
        password_rotated_at=ts,
    )
    template = TenantItem(tenant_pk(tenant_id), TENANT_SK)

    def build(tx: TransactWrite) -> None:
        tx.save(ext, condition=ExtensionItem.pk.does_not_exist())
        tx.update(
            template,
            actions=[TenantItem.ext_count.add(1)],
            condition=(
                TenantItem.pk.exists()
                & (TenantItem.status == "active")
                & (TenantItem.ext_count < TenantItem.max_extensions)
            ),
        )
        _bump_version(tx)

    codes = _transact(build)
    if codes is not None:
        if codes[0] == CONDITION_FAILED:
            raise Conflict(f"extension {number} already exists", fields={"number": "already exists"})
        if codes[1] == CONDITION_FAILED:
            fresh = get_tenant(tenant_id)
            if fresh is None or fresh.status != "active":
                raise NotFound("tenant not found")
            limit = int(fresh.max_extensions)
            raise LimitExceeded(f"plan {fresh.plan} allows {limit} extensions", fields={"number": "plan limit reached"})
        raise RuntimeError(f"extension create cancelled: {codes}")
    return ext


def get_extension(tenant_id: str, number: str) -> ExtensionItem | None:
    configure()
    try:
        return ExtensionItem.get(tenant_pk(tenant_id), ext_sk(number), consistent_read=True)
    except DoesNotExist:
        return None


def list_extensions(tenant_id: str) -> list[ExtensionItem]:
    configure()
    return list(
        ExtensionItem.query(
            tenant_pk(tenant_id),
            ExtensionItem.sk.startswith("EXT#"),
            consistent_read=True,
        )
    )


def delete_extension(tenant_id: str, number: str) -> None:
    configure()
    ext = ExtensionItem(tenant_pk(tenant_id), ext_sk(number))
    template = TenantItem(tenant_pk(tenant_id), TENANT_SK)

    def build(tx: TransactWrite) -> None:
        tx.delete(ext, condition=ExtensionItem.pk.exists())
        tx.update(template, actions=[TenantItem.ext_count.add(-1)], condition=TenantItem.pk.exists())
        _bump_version(tx)

    codes = _transact(build)
    if codes is not None:
        if CONDITION_FAILED in codes[:2]:
            raise NotFound(f"extension {number} not found")
        raise RuntimeError(f"extension delete cancelled: {codes}")


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


# --- edges -----------------------------------------------------------------------------
def create_edge(edge_id: str, *, now: datetime) -> EdgeItem:
    configure()
    edge = EdgeItem(f"EDGE#{edge_id}", "META", edge_id=edge_id, created_at=iso(now))
    try:
        edge.save(condition=EdgeItem.pk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(f"edge {edge_id} already exists", fields={"id": "already exists"}) from exc
        raise
    return edge


# --- CDRs ------------------------------------------------------------------------------
def put_cdr(tenant_id: str, doc: dict[str, Any], *, call_id: str, started_at: str) -> bool:
    """Store a CDR once per (tenant, call id). True when stored, False for a duplicate."""
    configure()
    sort_key = f"{started_at}#{call_id}"
    item = CdrItem(
        cdr_pk(tenant_id),
        sort_key,
        tenant_id=tenant_id,
        call_id=call_id,
        started_at=started_at,
        doc=json.dumps(doc, separators=(",", ":"), sort_keys=True),
    )
    guard = CdrIdItem(cdr_id_pk(tenant_id), call_id, sort_key=sort_key)

    def build(tx: TransactWrite) -> None:
        tx.save(guard, condition=CdrIdItem.pk.does_not_exist())
        tx.save(item, condition=CdrItem.pk.does_not_exist())

    codes = _transact(build)
    if codes is None:
        return True
    if CONDITION_FAILED in codes:
        return False
    raise RuntimeError(f"CDR put cancelled: {codes}")


def _cdr_doc(item: CdrItem) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(item.doc)
    return doc


def get_cdr(tenant_id: str, call_id: str) -> dict[str, Any] | None:
    configure()
    try:
        guard = CdrIdItem.get(cdr_id_pk(tenant_id), call_id, consistent_read=True)
        item = CdrItem.get(cdr_pk(tenant_id), guard.sort_key, consistent_read=True)
    except DoesNotExist:
        return None
    return _cdr_doc(item)


def list_cdrs(tenant_id: str, *, limit: int, after_sk: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first. Returns the page and the sk to continue after (None on the last page)."""
    configure()
    pk = cdr_pk(tenant_id)
    start = {"pk": {"S": pk}, "sk": {"S": after_sk}} if after_sk else None
    items: list[CdrItem] = list(
        CdrItem.query(
            pk,
            consistent_read=True,
            scan_index_forward=False,
            limit=limit + 1,
            last_evaluated_key=start,
        )
    )
    more = len(items) > limit
    page = items[:limit]
    next_sk = page[-1].sk if more and page else None
    return [_cdr_doc(i) for i in page], next_sk
