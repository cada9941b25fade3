"""The edge configuration snapshot: what the control plane sends to an edge node.

It carries only what the edge needs to route calls on its own when the control plane is
unreachable (S7): tenants, their domains, limits and extensions with HA1 digests. It never
carries a SIP password or an encrypted secret.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pbx_core.errors import ValidationError

SCHEMA = 1


@dataclass(frozen=True)
class ExtensionConfig:
    number: str
    ha1: str
    display_name: str = ""


@dataclass(frozen=True)
class TenantConfig:
    id: str
    domain: str
    status: str = "active"
    max_concurrent_calls: int = 10
    record_calls: bool = True
    extensions: dict[str, ExtensionConfig] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Snapshot:
    version: int
    tenants: dict[str, TenantConfig] = field(default_factory=dict)
    edge_id: str = ""
    # Indexes built once per parse: the call path looks tenants up by SIP domain.
    by_domain: dict[str, TenantConfig] = field(default_factory=dict, compare=False, repr=False)

    def tenant_for_domain(self, domain: str) -> TenantConfig | None:
        return self.by_domain.get(domain.lower())

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "version": self.version,
            "edge_id": self.edge_id,
            "tenants": [
                {
                    "id": t.id,
                    "domain": t.domain,
                    "status": t.status,
                    "max_concurrent_calls": t.max_concurrent_calls,
                    "record_calls": t.record_calls,
                    "extensions": [
                        {"number": e.number, "ha1": e.ha1, "display_name": e.display_name}
                        for e in sorted(t.extensions.values(), key=lambda e: e.number)
                    ],
                }
                for t in sorted(self.tenants.values(), key=lambda t: t.id)
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))


def build(version: int, tenants: list[TenantConfig], edge_id: str = "") -> Snapshot:
    return Snapshot(
        version=version,
        tenants={t.id: t for t in tenants},
        edge_id=edge_id,
        by_domain={t.domain.lower(): t for t in tenants},
    )


def _req(d: dict[str, Any], key: str, typ: type) -> Any:
    v = d.get(key)
    if not isinstance(v, typ) or (isinstance(v, bool) and typ is not bool):
        raise ValidationError(f"snapshot: {key!r} must be {typ.__name__}", fields={key: typ.__name__})
    return v


def from_dict(raw: object) -> Snapshot:
    if not isinstance(raw, dict):
        raise ValidationError("snapshot must be a JSON object")
    if raw.get("schema") != SCHEMA:
        raise ValidationError(f"snapshot schema {raw.get('schema')!r} is not {SCHEMA}")
    tenants: list[TenantConfig] = []
    for t in _req(raw, "tenants", list):
        if not isinstance(t, dict):
            raise ValidationError("snapshot: tenant must be an object")
        exts: dict[str, ExtensionConfig] = {}
        for e in _req(t, "extensions", list):
            if not isinstance(e, dict):
                raise ValidationError("snapshot: extension must be an object")
            ext = ExtensionConfig(
                number=_req(e, "number", str),
                ha1=_req(e, "ha1", str),
                display_name=str(e.get("display_name", "")),
            )
            exts[ext.number] = ext
        tenants.append(
            TenantConfig(
                id=_req(t, "id", str),
                domain=_req(t, "domain", str).lower(),
                status=_req(t, "status", str),
                max_concurrent_calls=_req(t, "max_concurrent_calls", int),
                record_calls=bool(t.get("record_calls", True)),
                extensions=exts,
            )
        )
    return build(_req(raw, "version", int), tenants, str(raw.get("edge_id", "")))


def from_json(text: str | bytes) -> Snapshot:
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ValidationError(f"snapshot is not JSON: {exc}") from exc
    return from_dict(raw)


EMPTY = build(0, [])
