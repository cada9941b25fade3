"""Security events from the edges (ingest), the bans that concern a tenant (list), and the
lift of a ban of the tenant's own source (a held account, or one of its learned networks).

A lift is a snapshot change (``bump`` of the tenant): the edges get it in the tenant's
``lifted_bans`` and remove the ban and its strikes (kemi_scripts/firewall.py). Events with
no tenant (a scanner, a flood, an imported block list, a stranger asking for a domain that
does not exist) are the provider's: logged here, not stored per tenant.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError as PydanticError

from control_plane.core import clock, store
from control_plane.core.log import logger
from control_plane.edges import service as edges
from control_plane.events import store as events_store
from control_plane.security import store as ban_store
from control_plane.security.schemas import (
    BanList,
    BanOut,
    BanQuery,
    SecurityBatchOut,
    SecurityEventIn,
    SecurityResult,
)
from control_plane.security.store import BanItem
from pbx_core.errors import Forbidden, NotFound

RECENT_S = 7 * 86400  # bans listed after they ended


def public(b: BanItem, now: int) -> BanOut:
    return BanOut(
        id=b.ban_id,
        kind=b.ban_kind,  # type: ignore[arg-type]  # written from SecurityEventIn.kind only
        source=b.source,
        network=b.network or "",
        account=b.account or "",
        reason=b.reason,
        evidence=b.evidence or "",
        text=b.text or "",
        strike=int(b.strike),
        since=int(b.since),
        until=int(b.until),
        active=b.lifted_at is None and int(b.until) > now,
        liftable=bool(b.own),
        lifted_at=int(b.lifted_at) if b.lifted_at is not None else None,
        lifted_by=b.lifted_by,
    )


def ingest(raws: list[Any], *, edge_id: str) -> SecurityBatchOut:
    """Store each event of the batch for its tenant (one refused event never fails the others)."""
    results: list[SecurityResult] = []
    for raw in raws[:500]:
        try:
            ev = SecurityEventIn.model_validate(raw)
        except PydanticError:
            results.append(SecurityResult(status="error", code="validation_failed"))
            continue
        if not ev.tenant_id:
            logger.info("security event (provider)", extra={"kind": ev.kind, "source": ev.source, "edge": edge_id})
            results.append(SecurityResult(status="provider_only"))
            continue
        if not edges.serves(edge_id, ev.tenant_id):
            results.append(SecurityResult(status="error", code="tenant_not_served"))
            continue
        _store(ev, edge_id)
        results.append(SecurityResult(status="stored"))
    return SecurityBatchOut(results=results)


def _store(ev: SecurityEventIn, edge_id: str) -> None:
    now = clock.now()
    data = ev.model_dump(exclude={"tenant_id"})
    data["edge_id"] = edge_id
    ops = [_save(events_store.new(ev.tenant_id, f"security.{ev.kind}", data, now))]
    if ev.kind in ("ban", "hold"):
        key = ev.source if ev.kind == "ban" else f"h:{ev.account}@{ev.network}"  # the edge's fwban key
        ban = ban_store.item(
            ev.tenant_id,
            key,
            ban_kind=ev.kind,
            source=ev.source,
            network=ev.network,
            account=ev.account,
            reason=ev.reason,
            evidence=ev.evidence,
            text=ev.text,
            strike=ev.strike,
            since=ev.at,
            until=ev.until,
            own=ev.kind == "hold" or ev.learned,
            edge_id=edge_id,
        )
        ops.append(_save(ban))  # a repeat replaces it (a new strike)
    store.commit(ops, bump=False)
    logger.info("security event", extra={"kind": ev.kind, "reason": ev.reason, "edge": edge_id})


def _save(item: store.Item) -> store.Op:
    def apply(tx: Any) -> None:
        tx.save(item)

    return store.Op(apply)


def list_all(tenant_id: str, query: BanQuery) -> BanList:
    now = int(clock.now().timestamp())
    out = [public(b, now) for b in ban_store.list_all(tenant_id) if int(b.until) > now - RECENT_S]
    if query.active is not None:
        out = [b for b in out if b.active == query.active]
    out.sort(key=lambda b: (-b.since, b.id))
    return BanList(items=out, next=None)


def lift(tenant_id: str, ban_id: str, *, by: str) -> BanOut:
    """Lift a ban of the tenant's own source (403 ``not_own_source`` for any other)."""
    if not ban_id.startswith("ban_") or len(ban_id) > 40:
        raise NotFound("ban not found")
    b = ban_store.get(tenant_id, ban_id)
    if b is None:
        raise NotFound("ban not found")
    if not b.own:
        raise NotOwnSource(
            "only bans of your own networks and holds of your accounts can be lifted here; ask your provider"
        )
    now = clock.now()
    at = int(now.timestamp())
    if b.lifted_at is None:
        store.commit(
            [
                store.patch(
                    BanItem,
                    b.pk,
                    b.sk,
                    {"lifted_at": at, "lifted_by": by},
                    rev=None,
                    error=lambda: NotFound("ban not found"),
                )
            ],
            bump=tenant_id,
        )
        b.lifted_at, b.lifted_by = at, by
        logger.info("ban lifted", extra={"ban_id": ban_id, "kind": b.ban_kind})
    return public(b, at)


class NotOwnSource(Forbidden):
    code = "not_own_source"
