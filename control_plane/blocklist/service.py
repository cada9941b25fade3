"""Block lists (F10): numbers or prefixes blocked inbound, outbound or both, for the whole
tenant or one extension. Emergency numbers can never be blocked outbound (S4)."""

from __future__ import annotations

from typing import Any

from control_plane.blocklist import store as block_store
from control_plane.blocklist.schemas import BlockCreate, BlockList, BlockOut, BlockQuery, BlockUpdate
from control_plane.blocklist.store import BlockItem
from control_plane.core import clock, ids, keys, store
from control_plane.core.log import logger
from control_plane.core.schemas import given, parse
from control_plane.extensions import store as ext_store
from control_plane.tenants import service as tenants
from pbx_core import numbers
from pbx_core.errors import Conflict, NotFound, ValidationError


def public(b: BlockItem) -> BlockOut:
    return BlockOut(
        id=b.rule_id,
        pattern=b.pattern,
        direction=b.direction,  # type: ignore[arg-type]  # written from Direction only
        extension=b.extension or "",
        note=b.note or "",
        created_at=b.created_at,
        updated_at=b.updated_at,
    )


def _check(tenant_id: str, pattern: str, direction: str, extension: str, *, except_id: str | None = None) -> None:
    if direction in ("out", "both") and numbers.blocks_emergency(pattern):
        raise ValidationError(
            f"{pattern} would block emergency numbers ({', '.join(sorted(numbers.EMERGENCY_NUMBERS))})",
            fields={"pattern": "emergency numbers cannot be blocked outbound"},
        )
    for other in block_store.list_all(tenant_id):
        if other.rule_id != except_id and (other.pattern, other.direction, other.extension or "") == (
            pattern,
            direction,
            extension,
        ):
            raise Conflict(f"the same rule exists ({other.rule_id})", fields={"pattern": "duplicate rule"})


def require(tenant_id: str, rule_id: str) -> BlockItem:
    ids.check_id(rule_id, "blk", "block rule")
    item = block_store.get(tenant_id, rule_id)
    if item is None:
        raise NotFound("block rule not found")
    return item


def create(tenant_id: str, req: BlockCreate) -> BlockOut:
    tenants.require(tenant_id)
    _check(tenant_id, req.pattern, req.direction, req.extension)
    rule_id = ids.new_id("blk")
    now = store.ts(clock.now())
    item = block_store.item(
        tenant_id,
        rule_id,
        pattern=req.pattern,
        direction=req.direction,
        extension=req.extension,
        note=req.note,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    store.commit(
        [
            store.put_new(item, lambda: Conflict("rule id collision, retry")),
            *ext_store.ref_changes(tenant_id, "extension", None, req.extension),
        ],
        bump=tenant_id,
    )
    logger.info("block rule added", extra={"rule_id": rule_id, "direction": req.direction})
    return public(item)


def list_all(tenant_id: str, query: BlockQuery) -> BlockList:
    items = [
        b
        for b in block_store.list_all(tenant_id)
        if (query.direction is None or b.direction == query.direction)
        and (query.extension is None or (b.extension or "") == query.extension)
    ]
    items.sort(key=lambda b: (b.extension or "", b.pattern, b.direction))
    return BlockList(items=[public(b) for b in items], next=None)


def get(tenant_id: str, rule_id: str) -> BlockOut:
    return public(require(tenant_id, rule_id))


def update(tenant_id: str, rule_id: str, body: dict[str, Any]) -> BlockOut:
    """A change of the rule: 404 for an unknown rule before any field error."""
    item = require(tenant_id, rule_id)
    req = parse(BlockUpdate, body, "invalid block rule")
    sent = given(req)
    changes: dict[str, Any] = {f: getattr(req, f) for f in sent}
    if not changes:
        return public(item)
    _check(
        tenant_id,
        changes.get("pattern", item.pattern),
        changes.get("direction", item.direction),
        changes.get("extension", item.extension or ""),
        except_id=rule_id,
    )
    ops = ext_store.ref_changes(tenant_id, "extension", item.extension, req.extension) if "extension" in sent else []
    store.save_changes(item, changes, what="block rule", bump=tenant_id, now=clock.now(), ops=ops)
    return public(require(tenant_id, rule_id))


def delete(tenant_id: str, rule_id: str) -> None:
    item = require(tenant_id, rule_id)
    store.commit(
        [
            store.remove(
                BlockItem,
                keys.tenant_pk(tenant_id),
                keys.block_sk(rule_id),
                error=lambda: NotFound("block rule not found"),
            ),
            *ext_store.ref_changes(tenant_id, "extension", item.extension, None),
        ],
        bump=tenant_id,
    )
    logger.info("block rule deleted", extra={"rule_id": rule_id})
