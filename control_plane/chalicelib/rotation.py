"""SIP password rotation (S3): every password older than its tenant's policy (default 12
months) is replaced; the extension's devices are marked for re-provisioning.

``rotate_due`` is the whole job; the app's scheduled function only calls it, so tests and
operators can run it directly with any ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib import extensions, store
from chalicelib.log import logger
from chalicelib.metrics import count
from pbx_core.cdr import parse_iso
from pbx_core.errors import PbxError


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
    result = RotationResult()
    for tenant_id in store.list_tenant_ids():
        tenant = store.get_tenant(tenant_id)
        if tenant is None:
            continue
        cutoff = months_before(now, int(tenant.password_rotation_months or 12))
        for ext in store.list_extensions(tenant_id):
            if parse_iso(ext.password_rotated_at) > cutoff:
                continue
            try:
                result.devices_marked += extensions.rotate_password(
                    tenant_id, ext.number, now=now, domain=tenant.domain
                )
                result.rotated += 1
            except PbxError as exc:  # changed meanwhile: the next run rotates it
                result.failed += 1
                logger.warning(
                    "rotation skipped", extra={"tenant_id": tenant_id, "number": ext.number, "why": exc.code}
                )
    count("PasswordsRotated", result.rotated)
    logger.info("password rotation run", extra=result.to_dict())
    return result
