"""Block lists (F10): numbers or prefixes blocked inbound, outbound or both, for the whole
tenant or one extension. Emergency numbers can never be blocked outbound (S4)."""

from __future__ import annotations

from typing import Any

from chalicelib import clock, common, schemas, store, tenants, vnphone
from chalicelib.log import logger
from pbx_core.errors import Conflict, NotFound, ValidationError


def public(b: store.BlockItem) -> dict[str, Any]:
    return {
        "id": b.rule_id,
        "pattern": b.pattern,
        "direction": b.direction,
        "extension": b.extension or "",
        "note": b.note or "",
        "created_at": b.created_at,
        "updated_at": b.updated_at,
    }


def _all(tenant_id: str) -> list[store.BlockItem]:
    items: list[store.BlockItem] = store.list_children(tenant_id, store.BlockItem, "BLK#")
    return items


def _check(tenant_id: str, pattern: str, direction: str, extension: str, *, except_id: str | None = None) -> None:
    if direction in ("out", "both") and vnphone.blocks_emergency(pattern):
        raise ValidationError(
            f"{pattern} would block emergency numbers ({', '.join(vnphone.EMERGENCY)})",
            fields={"pattern": "emergency numbers cannot be blocked outbound"},
        )
    for other in _all(tenant_id):
        if other.rule_id != except_id and (other.pattern, other.direction, other.extension or "") == (
            pattern,
            direction,
            extension,
        ):
            raise Conflict(f"the same rule exists ({other.rule_id})", fields={"pattern": "duplicate rule"})


def require(tenant_id: str, rule_id: str) -> store.BlockItem:
    common.check_id(rule_id, "blk", "block rule")
    item = store.get_child(tenant_id, store.BlockItem, store.block_sk(rule_id))
    if item is None:
        raise NotFound("block rule not found")
    assert isinstance(item, store.BlockItem)
    return item


def _ext_sk(number: str | None) -> str | None:
    return store.ext_sk(number) if number else None


def create(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    req = schemas.parse(schemas.BlockCreate, body, "invalid block rule")
    tenants.require_tenant(tenant_id)
    _check(tenant_id, req.pattern, req.direction, req.extension)
    rule_id = common.new_id("blk")
    now = store.ts(clock.now())
    item = store.BlockItem(
        store.tenant_pk(tenant_id),
        store.block_sk(rule_id),
        tenant_id=tenant_id,
        rule_id=rule_id,
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
            *store.ref_changes(tenant_id, "extension", None, _ext_sk(req.extension)),
        ],
        bump=tenant_id,
    )
    logger.info("block rule added", extra={"rule_id": rule_id, "direction": req.direction})
    return public(item)


def list_all(tenant_id: str, query: schemas.BlockQuery) -> dict[str, Any]:
    items = [
        b
        for b in _all(tenant_id)
        if (query.direction is None or b.direction == query.direction)
        and (query.extension is None or (b.extension or "") == query.extension)
    ]
    items.sort(key=lambda b: (b.extension or "", b.pattern, b.direction))
    return common.page([public(b) for b in items])


def get(tenant_id: str, rule_id: str) -> dict[str, Any]:
    return public(require(tenant_id, rule_id))


def update(tenant_id: str, rule_id: str, body: dict[str, Any]) -> dict[str, Any]:
    item = require(tenant_id, rule_id)
    req = schemas.parse(schemas.BlockUpdate, body, "invalid block rule")
    sent = schemas.given(req)
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
    ops = (
        store.ref_changes(tenant_id, "extension", _ext_sk(item.extension), _ext_sk(req.extension))
        if "extension" in sent
        else []
    )
    changes["updated_at"] = store.ts(clock.now())
    store.commit(
        [
            store.patch(
                store.BlockItem,
                store.tenant_pk(tenant_id),
                store.block_sk(rule_id),
                changes,
                rev=int(item.rev or 0),
                error=lambda: Conflict("block rule changed meanwhile, retry"),
            ),
            *ops,
        ],
        bump=tenant_id,
    )
    return public(require(tenant_id, rule_id))


def delete(tenant_id: str, rule_id: str) -> None:
    item = require(tenant_id, rule_id)
    store.commit(
        [
            store.remove(
                store.BlockItem,
                store.tenant_pk(tenant_id),
                store.block_sk(rule_id),
                error=lambda: NotFound("block rule not found"),
            ),
            *store.ref_changes(tenant_id, "extension", _ext_sk(item.extension), None),
        ],
        bump=tenant_id,
    )
    logger.info("block rule deleted", extra={"rule_id": rule_id})
