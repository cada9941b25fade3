"""Extensions (SIP users) of one tenant.

The SIP password is generated here, stored as HA1 (for the edge) and encrypted (for
provisioning; ``core.crypto``: KMS envelope in AWS, Fernet locally), and never returned by
these functions nor logged. Rotation replaces both and marks the extension's devices for
re-provisioning; ``rotate_due`` (scheduled daily) rotates every password older than its
tenant's policy (S3, default 12 months).

Numbers must stay reachable as the edge routes (``pbx_core.dialplan``): not an emergency
number, not a feature code, not another extension's short number, and a short number
(branch prefix + number) that reaches nothing else. These checks read the tenant's
extensions and branches before the write; two admins racing could still create a clash (as
with branch prefixes), which the edge resolves in favour of the exact extension number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from control_plane.agents.store import AgentItem
from control_plane.branches import store as branches_store
from control_plane.core import clock, crypto, keys, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.core.schemas import given, parse
from control_plane.devices import store as devices_store
from control_plane.devices.store import DeviceItem
from control_plane.dids import store as numbers_store
from control_plane.extensions import store as ext_store
from control_plane.extensions.schemas import ExtensionCreate, ExtensionList, ExtensionOut, ExtensionUpdate
from control_plane.extensions.store import ExtensionItem
from control_plane.queues import store as queues_store
from control_plane.tenants import service as tenants
from control_plane.tenants import store as tenants_store
from control_plane.tenants.store import TenantItem
from pbx_core import defaults, dialplan, sipauth, validate
from pbx_core.cdr import parse_iso
from pbx_core.errors import Conflict, LimitExceeded, NotFound, PbxError, ValidationError

MAX_DEVICES_MARKED = 90  # a transaction holds 100 actions; more devices per extension is absurd


def public(e: ExtensionItem) -> ExtensionOut:
    return ExtensionOut(
        number=e.number,
        display_name=e.display_name,
        branch_id=e.branch_id or "",
        pickup_group=e.pickup_group or "",
        outbound=e.outbound or defaults.OUTBOUND,  # type: ignore[arg-type]  # written from Outbound only
        caller_id=e.caller_id or "",
        created_at=e.created_at,
        updated_at=e.updated_at or e.created_at,
        password_rotated_at=e.password_rotated_at,
    )


def create(tenant_id: str, req: ExtensionCreate) -> ExtensionOut:
    tenant = tenants.require(tenant_id)
    number = req.number
    check_reachable(tenant_id, number, req.branch_id, new=True)
    check_queues(tenant_id, number, req.branch_id, new=True)
    password = sipauth.generate_password()
    now = store.ts(clock.now())
    ext = ext_store.item(
        tenant_id,
        number,
        display_name=req.display_name,
        status="active",
        branch_id=req.branch_id,
        pickup_group=req.pickup_group,
        outbound=req.outbound,
        caller_id=req.caller_id,
        ha1=sipauth.ha1(number, tenant.domain, password),
        secret=crypto.encrypt(tenant_id, ext_store.secret_context(number), password),
        refs=0,
        rev=0,
        created_at=now,
        updated_at=now,
        password_rotated_at=now,
    )
    under_limit = (TenantItem.status == "active") & (TenantItem.ext_count < TenantItem.max_extensions)
    store.commit(
        [
            store.put_new(
                ext, lambda: Conflict(f"extension {number} already exists", fields={"number": "already exists"})
            ),
            tenants_store.count_extensions(tenant_id, 1, error=_limit_error(tenant_id), condition=under_limit),
            *branches_store.ref_changes(tenant_id, "branch_id", None, req.branch_id),
            *numbers_store.ref_changes(tenant_id, "caller_id", None, req.caller_id),
        ],
        bump=tenant_id,
    )
    logger.info("extension created", extra={"number": number})
    return public(ext)


def check_reachable(tenant_id: str, number: str, branch_id: str, *, new: bool) -> None:
    """409 when ``number`` in ``branch_id`` would make an extension unreachable."""
    clash = dialplan.extension_clash(ext_store.number_plan(tenant_id), number, branch_id, new=new)
    if clash is not None:
        raise Conflict(clash.message, fields={clash.field: clash.message})


def check_queues(tenant_id: str, number: str, branch_id: str, *, new: bool) -> None:
    """409 when ``number`` (if ``new``) or its short number in ``branch_id`` is a queue's number
    (issue 16: a queue's number is a short number of the dial plan too)."""
    queues = {q.number: q for q in queues_store.list_all(tenant_id)}
    if new and number in queues:
        name = queues[number].name
        raise Conflict(f"{number} is the number of queue {name!r}", fields={"number": "a queue's number"})
    branch = branches_store.get(tenant_id, branch_id) if branch_id and queues else None
    if branch is not None and branch.prefix + number in queues:
        short = branch.prefix + number
        raise Conflict(
            f"prefix {branch.prefix} + extension {number} = {short} is the number of queue {queues[short].name!r}",
            fields={"branch_id": "a queue's number"},
        )


def _limit_error(tenant_id: str) -> Any:
    def error() -> PbxError:
        fresh = tenants.require(tenant_id)
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


def require(tenant_id: str, number: str) -> ExtensionItem:
    ext = ext_store.get(tenant_id, number) if valid_number(number) else None
    if ext is None:
        raise NotFound(f"extension {number} not found")
    return ext


def get(tenant_id: str, number: str) -> ExtensionOut:
    return public(require(tenant_id, number))


def list_all(tenant_id: str) -> ExtensionList:
    items = sorted(ext_store.list_all(tenant_id), key=lambda e: e.number)
    return ExtensionList(items=[public(e) for e in items], next=None)


def update(tenant_id: str, number: str, body: dict[str, Any]) -> ExtensionOut:
    """A change of the extension: 404 for an unknown extension before any field error."""
    ext = require(tenant_id, number)
    req = parse(ExtensionUpdate, body, "invalid extension")
    sent = given(req)
    changes: dict[str, Any] = {f: getattr(req, f) for f in sent}
    if not changes:
        return public(ext)
    if "branch_id" in sent and req.branch_id and req.branch_id != ext.branch_id:
        check_reachable(tenant_id, number, req.branch_id, new=False)
        check_queues(tenant_id, number, req.branch_id, new=False)
    ops: list[store.Op] = []
    if "branch_id" in sent:
        ops += branches_store.ref_changes(tenant_id, "branch_id", ext.branch_id, req.branch_id)
    if "caller_id" in sent:
        ops += numbers_store.ref_changes(tenant_id, "caller_id", ext.caller_id, req.caller_id)
    store.save_changes(ext, changes, what=f"extension {number}", bump=tenant_id, now=clock.now(), ops=ops)
    logger.info("extension updated", extra={"number": number, "fields": sorted(sent)})
    return public(require(tenant_id, number))


def delete(tenant_id: str, number: str) -> None:
    ext = require(tenant_id, number)

    def in_use(fresh: ExtensionItem) -> Conflict:
        return Conflict(
            f"extension {number} is still used by {int(fresh.refs)} device(s), number(s), user(s), block rule(s) "
            "or queue(s)",
            fields={"number": "in use"},
        )

    store.delete_unreferenced(
        ext,
        what=f"extension {number}",
        in_use=in_use,
        bump=tenant_id,
        ops=[
            tenants_store.count_extensions(tenant_id, -1, error=tenants_store.not_found),
            *branches_store.ref_changes(tenant_id, "branch_id", ext.branch_id, None),
            *numbers_store.ref_changes(tenant_id, "caller_id", ext.caller_id, None),
            store.release(AgentItem, keys.tenant_pk(tenant_id), keys.agent_sk(number)),  # its agent status
        ],
    )
    logger.info("extension deleted", extra={"number": number})


def sip_password(tenant_id: str, ext: ExtensionItem) -> str:
    """The clear SIP password, for provisioning payloads only."""
    return crypto.decrypt(tenant_id, ext_store.secret_context(ext.number), ext.secret)


def rotate_password(tenant_id: str, number: str, *, now: datetime | None = None, domain: str | None = None) -> int:
    """A new SIP password now: HA1 and secret replaced, the extension's devices marked for
    re-provisioning (same transaction). Returns how many devices were marked."""
    ext = require(tenant_id, number)
    if domain is None:
        domain = tenants.require(tenant_id).domain
    when = store.ts(now or clock.now())
    password = sipauth.generate_password()
    devices = [d for d in devices_store.list_all(tenant_id) if d.extension == number]
    ops = [
        store.patch(
            ExtensionItem,
            keys.tenant_pk(tenant_id),
            keys.ext_sk(number),
            {
                "ha1": sipauth.ha1(number, domain, password),
                "secret": crypto.encrypt(tenant_id, ext_store.secret_context(number), password),
                "password_rotated_at": when,
                "updated_at": when,
            },
            rev=int(ext.rev or 0),
            error=lambda: Conflict(f"extension {number} changed meanwhile, retry"),
        )
    ]
    for d in devices[:MAX_DEVICES_MARKED]:
        ops.append(
            store.patch(
                DeviceItem,
                d.pk,
                d.sk,
                # the phone fetches the new password once, within a renewed validity
                {
                    "needs_reprovision": True,
                    "token_expires_at": devices_store.token_expiry(now or clock.now()),
                    "updated_at": when,
                },
                rev=None,
                error=lambda: Conflict("a device changed meanwhile, retry"),
            )
        )
    store.commit(ops, bump=tenant_id)
    logger.info("sip password rotated", extra={"tenant_id": tenant_id, "number": number, "devices": len(devices)})
    return len(devices)


# --- scheduled rotation (S3) -----------------------------------------------------------------
@dataclass
class RotationResult:
    rotated: int = 0
    devices_marked: int = 0
    failed: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"rotated": self.rotated, "devices_marked": self.devices_marked, "failed": self.failed}


def months_before(now: datetime, months: int) -> datetime:
    """The same day-of-month ``months`` calendar months earlier (clamped to the month's end)."""
    total = now.year * 12 + (now.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    for day in (now.day, 30, 29, 28):
        try:
            return now.replace(year=year, month=month, day=min(now.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def rotate_due(now: datetime) -> RotationResult:
    """Every SIP password older than its tenant's ``password_rotation_months`` gets a new one
    (the daily scheduled function; operators and tests may call it with any ``now``)."""
    result = RotationResult()
    for tenant_id in store.list_tenant_ids():
        tenant = tenants_store.get(tenant_id)
        if tenant is None:
            continue
        cutoff = months_before(now, int(tenant.password_rotation_months or defaults.PASSWORD_ROTATION_MONTHS))
        for ext in ext_store.list_all(tenant_id):
            if parse_iso(ext.password_rotated_at) > cutoff:
                continue
            try:
                result.devices_marked += rotate_password(tenant_id, ext.number, now=now, domain=tenant.domain)
                result.rotated += 1
            except PbxError as exc:  # changed meanwhile: the next run rotates it
                result.failed += 1
                logger.warning(
                    "rotation skipped", extra={"tenant_id": tenant_id, "number": ext.number, "why": exc.code}
                )
    count("PasswordsRotated", result.rotated)
    logger.info("password rotation run", extra=result.to_dict())
    return result
