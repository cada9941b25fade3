"""Edge items (``EDGE#<edge_id>`` / ``META``) and the edge registry (``EDGES`` / ``<edge_id>``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition

from control_plane.core import cache, keys, store
from pbx_core.errors import Conflict, NotFound, PbxError


class EdgeItem(store.Item, discriminator="edge"):
    edge_id = UnicodeAttribute()
    tenants = ListAttribute(of=UnicodeAttribute, null=True)  # None = every tenant
    token_gen = NumberAttribute(default=1)  # access tokens of another generation are refused
    # Issue 13: the edge's credential (exchanged for 1-hour access tokens), SHA-256 only; a
    # rotation the edge asked for is pending until the new credential is first used, so an
    # edge that crashes before saving it keeps working with the old one.
    secret_hash = UnicodeAttribute(null=True)
    next_secret_hash = UnicodeAttribute(null=True)
    credential_at = UnicodeAttribute(null=True)
    seal_key = UnicodeAttribute(null=True)  # X25519 public key: trunk passwords are sealed to it
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute(null=True)
    # The snapshot this edge was last told about: fingerprint of its tenants' versions and
    # the version number given to it (edges.service.current_version). Not covered by rev.
    snap_fp = UnicodeAttribute(null=True)
    snap_version = NumberAttribute(null=True)


class EdgeRefItem(store.Item, discriminator="edge_ref"):
    edge_id = UnicodeAttribute()


def item(edge_id: str, **fields: Any) -> EdgeItem:
    return EdgeItem(*keys.edge(edge_id), edge_id=edge_id, **fields)


def create(edge: EdgeItem) -> None:
    edge_id = edge.edge_id

    def taken() -> PbxError:
        return Conflict(f"edge {edge_id} already exists", fields={"id": "already exists"})

    # no bump: an edge's version derives from its own tenants (edges.service.current_version)
    with _changing(edge_id):
        store.commit(
            [
                store.put_new(edge, taken),
                store.put_new(EdgeRefItem(keys.EDGE_REGISTRY_PK, edge_id, edge_id=edge_id), taken),
            ],
            bump=False,
        )


def get(edge_id: str) -> EdgeItem | None:
    return store.get_item(EdgeItem, *keys.edge(edge_id))


# Every request of an edge reads its item to check the token's generation (the authorizer,
# then the view) and a post of events reads it again for the tenants served: three reads
# per post, ~75 events, several posts a second. The item as read in the last RECENT_S
# seconds serves them all. So a credential rotated, an edge deleted or its tenants changed by
# another process (another Lambda instance) are refused there at most RECENT_S later; this
# process forgets the edge at once when it changes it (create, patch, delete below).
RECENT_S = 2.0
_recent: cache.Recent[str, EdgeItem] = cache.Recent(ttl_s=RECENT_S, max_items=512)


def get_recent(edge_id: str) -> EdgeItem | None:
    """The edge's item as read less than ``RECENT_S`` ago (for checking tokens and tenants
    only: treat it as read-only, it is shared)."""
    return _recent.get(edge_id, lambda: get(edge_id))


@contextmanager
def _changing(edge_id: str) -> Iterator[None]:
    """Forget the edge once the change is written (or failed): forgotten before, a request
    meanwhile could keep the old item again."""
    try:
        yield
    finally:
        _recent.forget(edge_id)


def list_all() -> list[EdgeItem]:
    store.configure()
    ids = [r.edge_id for r in EdgeRefItem.query(keys.EDGE_REGISTRY_PK, consistent_read=True)]
    if not ids:
        return []
    found = {e.edge_id: e for e in EdgeItem.batch_get([keys.edge(i) for i in ids], consistent_read=True)}
    return [found[i] for i in ids if i in found]


def patch(edge_id: str, changes: dict[str, Any], *, rev: int | None) -> None:
    with _changing(edge_id):
        store.commit(
            [
                store.patch(
                    EdgeItem,
                    *keys.edge(edge_id),
                    changes,
                    rev=rev,
                    error=lambda: Conflict(f"edge {edge_id} changed meanwhile, retry"),
                )
            ],
            bump=False,  # the edge's fingerprint covers its tenant set; tokens are not in snapshots
        )


def delete(edge_id: str) -> None:
    with _changing(edge_id):
        store.commit(
            [
                store.remove(EdgeItem, *keys.edge(edge_id), error=lambda: NotFound(f"edge {edge_id} not found")),
                store.release(EdgeRefItem, keys.EDGE_REGISTRY_PK, edge_id),
            ],
            bump=False,
        )


def set_snapshot(edge_id: str, *, fingerprint: str, version: int, expected: int | None) -> bool:
    """Record the version given to the edge's current fingerprint, if nobody else did
    meanwhile (conditional on the version read). False when the condition failed."""
    store.configure()
    current = EdgeItem.snap_version
    cond: Condition = EdgeItem.pk.exists() & (current.does_not_exist() if expected is None else (current == expected))
    try:
        EdgeItem(*keys.edge(edge_id)).update(
            actions=[EdgeItem.snap_fp.set(fingerprint), current.set(version)], condition=cond
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True
