"""Queue items (``T#<tenant_id>`` / ``QUEUE#<id>``); ``refs`` counts the numbers (DIDs)
routed to the queue and the other queues that overflow to it. Members are stored as JSON
(``[{"extension", "penalty"}]``); each member extension's ``refs`` counts the queue."""

from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from control_plane.core import keys, store
from pbx_core import snapshot


class QueueItem(store.Item, discriminator="queue"):
    tenant_id = UnicodeAttribute()
    queue_id = UnicodeAttribute()
    name = UnicodeAttribute()
    number = UnicodeAttribute()
    strategy = UnicodeAttribute(default="ringall")
    members = UnicodeAttribute(default="[]")  # JSON list of {"extension", "penalty"}
    ring_timeout_s = NumberAttribute(default=15)
    retry_s = NumberAttribute(default=2)
    max_wait_s = NumberAttribute(default=300)
    max_len = NumberAttribute(default=0)
    overflow = UnicodeAttribute(default="")
    wrapup_s = NumberAttribute(default=10)
    autopause_after = NumberAttribute(default=3)
    widen_after_s = NumberAttribute(default=30)
    service_level_s = NumberAttribute(default=20)
    join_empty = BooleanAttribute(default=False)
    leave_when_empty = BooleanAttribute(default=True)
    announce_every_s = NumberAttribute(default=30)
    callback = BooleanAttribute(default=True)
    rejoin_s = NumberAttribute(default=60)
    language = UnicodeAttribute(default="vi")
    # the tenant's own prompts: JSON {"<lang>/<name>": {"sha256", "seconds", "bytes", "uploaded_at"}}
    prompts = UnicodeAttribute(default="{}")
    refs = NumberAttribute(default=0)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


INTS = (
    "ring_timeout_s",
    "retry_s",
    "max_wait_s",
    "max_len",
    "wrapup_s",
    "autopause_after",
    "widen_after_s",
    "service_level_s",
    "announce_every_s",
    "rejoin_s",
)
BOOLS = ("join_empty", "leave_when_empty", "callback")


def item(tenant_id: str, queue_id: str, **fields: Any) -> QueueItem:
    pk, sk = keys.tenant_pk(tenant_id), keys.queue_sk(queue_id)
    return QueueItem(pk, sk, tenant_id=tenant_id, queue_id=queue_id, **fields)


def get(tenant_id: str, queue_id: str) -> QueueItem | None:
    return store.get_child(tenant_id, QueueItem, keys.queue_sk(queue_id))


def list_all(tenant_id: str) -> list[QueueItem]:
    return store.list_children(tenant_id, QueueItem, keys.QUEUE_PREFIX)


def by_number(tenant_id: str, number: str) -> QueueItem | None:
    return next((q for q in list_all(tenant_id) if q.number == number), None)


def members(q: QueueItem) -> list[tuple[str, int]]:
    """(extension, penalty) of each member, in the order the admin gave them."""
    return [(str(m["extension"]), int(m.get("penalty", 0))) for m in json.loads(q.members or "[]")]


def dump_members(pairs: list[tuple[str, int]]) -> str:
    return json.dumps([{"extension": e, "penalty": p} for e, p in pairs], separators=(",", ":"))


def prompts(q: QueueItem) -> dict[str, dict[str, Any]]:
    """The tenant's own prompts of the queue by "<lang>/<name>"."""
    value: dict[str, dict[str, Any]] = json.loads(q.prompts or "{}")
    return value


def prompt_key(tenant_id: str, queue_id: str, language: str, name: str, sha256: str) -> str:
    """The S3 key of an uploaded prompt (under the tenant's prefix; the hash in the name, so
    a new recording never overwrites the one an edge may be fetching)."""
    return f"tenants/{tenant_id}/prompts/{queue_id}/{language}/{name}-{sha256[:16]}.wav"


def config(q: QueueItem) -> snapshot.QueueConfig:
    """The queue as the edge snapshot carries it."""
    return snapshot.QueueConfig(
        id=q.queue_id,
        name=q.name,
        number=q.number,
        strategy=q.strategy,
        members=tuple(snapshot.QueueMember(extension=e, penalty=p) for e, p in members(q)),
        overflow=q.overflow or "",
        language=q.language or "vi",
        prompts=tuple(sorted((k, str(v["sha256"])) for k, v in prompts(q).items())),
        **settings(q),
    )


def settings(q: QueueItem) -> dict[str, Any]:
    """The numeric and yes/no settings of a queue, as plain ints and bools."""
    return {**{k: int(getattr(q, k)) for k in INTS}, **{k: bool(getattr(q, k)) for k in BOOLS}}


def ref(tenant_id: str, queue_id: str, delta: int, field: str) -> store.Op:
    return store.ref(QueueItem, tenant_id, keys.queue_sk(queue_id), delta, field)


def ref_changes(tenant_id: str, field: str, old: str | None, new: str | None) -> list[store.Op]:
    """Count a reference moving from queue id ``old`` to ``new`` ("" or None: none)."""
    return store.ref_changes(
        QueueItem, tenant_id, field, keys.queue_sk(old) if old else None, keys.queue_sk(new) if new else None
    )
