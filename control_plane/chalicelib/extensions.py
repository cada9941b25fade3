"""Extensions (SIP users) of one tenant.

The SIP password is generated here, stored as HA1 (for the edge) and encrypted (for
provisioning; ``crypto``: KMS envelope in AWS, Fernet locally), and never returned by these
functions nor logged. Rotation replaces both and marks the extension's devices for
re-provisioning.

Numbers must stay reachable as the edge routes (``dialplan``): not an emergency number,
not a feature code, not another extension's short number, and a short number (branch
prefix + number) that reaches nothing else. These checks read the tenant's extensions and
branches before the write; two admins racing could still create a clash (as with branch
prefixes), which the edge resolves in favour of the exact extension number.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib import clock, crypto, dialplan, schemas, store, tenants
from chalicelib.log import logger
from pbx_core import sipauth, validate
from pbx_core.errors import Conflict, LimitExceeded, NotFound, PbxError, ValidationError


def secret_context(number: str) -> str:
    return f"ext/{number}"


def public(e: store.ExtensionItem) -> dict[str, Any]:
    return {
        "number": e.number,
        "display_name": e.display_name,
        "branch_id": e.branch_id or "",
        "pickup_group": e.pickup_group or "",
        "outbound": e.outbound or "national",
        "caller_id": e.caller_id or "",
        "created_at": e.created_at,
        "updated_at": e.updated_at or e.created_at,
        "password_rotated_at": e.password_rotated_at,
    }


def _opt_sk(make: Any, value: str | None) -> str | None:
    return make(value) if value else None


def create_extension(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    req = schemas.parse(schemas.ExtensionCreate, body, "invalid extension")
    tenant = tenants.require_tenant(tenant_id)
    number = req.number
    check_reachable(tenant_id, number, req.branch_id, new=True)
    password = sipauth.generate_password()
    now = store.ts(clock.now())
    ext = store.ExtensionItem(
        store.tenant_pk(tenant_id),
        store.ext_sk(number),
        tenant_id=tenant_id,
        number=number,
        display_name=req.display_name,
        status="active",
        branch_id=req.branch_id,
        pickup_group=req.pickup_group,
        outbound=req.outbound,
        caller_id=req.caller_id,
        ha1=sipauth.ha1(number, tenant.domain, password),
        secret=crypto.encrypt(tenant_id, secret_context(number), password),
        refs=0,
        rev=0,
        created_at=now,
        updated_at=now,
        password_rotated_at=now,
    )

    count = store.Op(
        lambda tx: tx.update(
            store.TenantItem(store.tenant_pk(tenant_id), store.TENANT_SK),
            actions=[store.TenantItem.ext_count.add(1)],
            condition=(
                store.TenantItem.pk.exists()
                & (store.TenantItem.status == "active")
                & (store.TenantItem.ext_count < store.TenantItem.max_extensions)
            ),
        ),
        _limit_error(tenant_id),
    )
    store.commit(
        [
            store.put_new(
                ext, lambda: Conflict(f"extension {number} already exists", fields={"number": "already exists"})
            ),
            count,
            *store.ref_changes(tenant_id, "branch_id", None, _opt_sk(store.branch_sk, req.branch_id)),
            *store.ref_changes(tenant_id, "caller_id", None, _opt_sk(store.number_sk, req.caller_id)),
        ],
        bump=tenant_id,
    )
    logger.info("extension created", extra={"number": number})
    return public(ext)


def number_plan(tenant_id: str) -> dialplan.NumberPlan:
    """The tenant's extensions and branches, as the dial plan checks need them."""
    exts = store.list_children(tenant_id, store.ExtensionItem, "EXT#")
    branches = store.list_children(tenant_id, store.BranchItem, "BR#")
    return dialplan.NumberPlan.of(
        ((e.number, e.branch_id or "") for e in exts),
        (dialplan.Branch(b.branch_id, b.name, b.prefix) for b in branches),
    )


def check_reachable(tenant_id: str, number: str, branch_id: str, *, new: bool) -> None:
    """409 when ``number`` in ``branch_id`` would make an extension unreachable."""
    clash = dialplan.extension_clash(number_plan(tenant_id), number, branch_id, new=new)
    if clash is not None:
        raise Conflict(clash.message, fields={clash.field: clash.message})


def _limit_error(tenant_id: str) -> Any:
    def error() -> PbxError:
        fresh = tenants.require_tenant(tenant_id)
        if fresh.status != "active":
            return Conflict("the tenant is suspended", fields={"tenant": "suspended"})
        limit = int(fresh.max_extensions)
        return LimitExceeded(f"plan {fresh.plan} allows {limit} extensions", fields={"number": "plan limit reached"})

    return error


def valid_number(number: str) -> bool:
    try:
        validate.extension_number(number)
    except ValidationError:
        return False
    return True


def require_extension(tenant_id: str, number: str) -> store.ExtensionItem:
    ext = store.get_child(tenant_id, store.ExtensionItem, store.ext_sk(number)) if valid_number(number) else None
    if ext is None:
        raise NotFound(f"extension {number} not found")
    assert isinstance(ext, store.ExtensionItem)
    return ext


def get_extension(tenant_id: str, number: str) -> dict[str, Any]:
    return public(require_extension(tenant_id, number))


def list_extensions(tenant_id: str) -> dict[str, Any]:
    items = sorted(store.list_children(tenant_id, store.ExtensionItem, "EXT#"), key=lambda e: e.number)
    return {"items": [public(e) for e in items], "next": None}


def update_extension(tenant_id: str, number: str, body: dict[str, Any]) -> dict[str, Any]:
    ext = require_extension(tenant_id, number)
    req = schemas.parse(schemas.ExtensionUpdate, body, "invalid extension")
    sent = schemas.given(req)
    changes: dict[str, Any] = {f: getattr(req, f) for f in sent}
    if not changes:
        return public(ext)
    if "branch_id" in sent and req.branch_id and req.branch_id != ext.branch_id:
        check_reachable(tenant_id, number, req.branch_id, new=False)
    ops: list[store.Op] = []
    if "branch_id" in sent:
        ops += store.ref_changes(
            tenant_id, "branch_id", _opt_sk(store.branch_sk, ext.branch_id), _opt_sk(store.branch_sk, req.branch_id)
        )
    if "caller_id" in sent:
        ops += store.ref_changes(
            tenant_id, "caller_id", _opt_sk(store.number_sk, ext.caller_id), _opt_sk(store.number_sk, req.caller_id)
        )
    changes["updated_at"] = store.ts(clock.now())
    store.commit(
        [
            store.patch(
                store.ExtensionItem,
                store.tenant_pk(tenant_id),
                store.ext_sk(number),
                changes,
                rev=int(ext.rev or 0),
                error=lambda: Conflict(f"extension {number} changed meanwhile, retry"),
            ),
            *ops,
        ],
        bump=tenant_id,
    )
    logger.info("extension updated", extra={"number": number, "fields": sorted(sent)})
    return public(require_extension(tenant_id, number))


def delete_extension(tenant_id: str, number: str) -> None:
    ext = require_extension(tenant_id, number)

    def refused() -> PbxError:
        fresh = store.get_child(tenant_id, store.ExtensionItem, store.ext_sk(number))
        if fresh is None:
            return NotFound(f"extension {number} not found")
        return Conflict(
            f"extension {number} is still used by {int(fresh.refs)} device(s), number(s), user(s) or block rule(s)",
            fields={"number": "in use"},
        )

    store.commit(
        [
            store.remove(
                store.ExtensionItem, store.tenant_pk(tenant_id), store.ext_sk(number), error=refused, unreferenced=True
            ),
            store.Op(
                lambda tx: tx.update(
                    store.TenantItem(store.tenant_pk(tenant_id), store.TENANT_SK),
                    actions=[store.TenantItem.ext_count.add(-1)],
                    condition=store.TenantItem.pk.exists(),
                ),
                lambda: NotFound("tenant not found"),
            ),
            *store.ref_changes(tenant_id, "branch_id", _opt_sk(store.branch_sk, ext.branch_id), None),
            *store.ref_changes(tenant_id, "caller_id", _opt_sk(store.number_sk, ext.caller_id), None),
        ],
        bump=tenant_id,
    )
    logger.info("extension deleted", extra={"number": number})


def sip_password(tenant_id: str, ext: store.ExtensionItem) -> str:
    """The clear SIP password, for provisioning payloads only."""
    return crypto.decrypt(tenant_id, secret_context(ext.number), ext.secret)


def rotate_password(tenant_id: str, number: str, *, now: datetime | None = None, domain: str | None = None) -> int:
    """A new SIP password now: HA1 and secret replaced, the extension's devices marked for
    re-provisioning (same transaction). Returns how many devices were marked."""
    ext = require_extension(tenant_id, number)
    if domain is None:
        domain = tenants.require_tenant(tenant_id).domain
    when = store.ts(now or clock.now())
    password = sipauth.generate_password()
    devices = [d for d in store.list_children(tenant_id, store.DeviceItem, "DEV#") if d.extension == number]
    ops = [
        store.patch(
            store.ExtensionItem,
            store.tenant_pk(tenant_id),
            store.ext_sk(number),
            {
                "ha1": sipauth.ha1(number, domain, password),
                "secret": crypto.encrypt(tenant_id, secret_context(number), password),
                "password_rotated_at": when,
                "updated_at": when,
            },
            rev=int(ext.rev or 0),
            error=lambda: Conflict(f"extension {number} changed meanwhile, retry"),
        )
    ]
    for d in devices[:90]:  # a transaction holds 100 actions; more devices per extension is absurd
        ops.append(
            store.patch(
                store.DeviceItem,
                store.tenant_pk(tenant_id),
                store.device_sk(d.device_id),
                {"needs_reprovision": True, "updated_at": when},
                rev=None,
                error=lambda: Conflict("a device changed meanwhile, retry"),
            )
        )
    store.commit(ops, bump=tenant_id)
    logger.info("sip password rotated", extra={"tenant_id": tenant_id, "number": number, "devices": len(devices)})
    return len(devices)
