"""The OpenAPI 3.1 document, generated from the mounted routes (``core.api``) and their
pydantic models: a route cannot exist undocumented (tests/aws checks that every Chalice
route is in the document and the document is valid)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from control_plane.core import schemas

TITLE = "ProBox control plane API"
VERSION = "1.0.0"
REF = "#/components/schemas/{model}"

ERROR_TEXT = {
    304: "Not modified (the ETag matches)",
    400: "Invalid input: `error.fields` names each bad field",
    401: "Missing, invalid, expired or revoked credentials",
    403: "The caller's role may not do this",
    404: "Not found (also another tenant's ids: never 403)",
    409: "Conflict: duplicate, in use, plan limit, or changed meanwhile",
    413: "`export_too_large`: the answer would exceed what one API response may carry; the message names "
    "the route that answers with a download link instead",
    429: "Too many requests: `too_many_requests` (failed logins) or `rate_limited` (the tenant's or the "
    "caller's request budget of the current window); see Retry-After",
}


@dataclass
class Operation:
    method: str
    path: str
    name: str
    summary: str
    tag: str
    roles: tuple[str, ...] | None  # None: no token needed
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    status: int = 200
    response: type[BaseModel] | None = None
    media: str = "application/json"
    errors: tuple[int, ...] = ()
    path_patterns: dict[str, str] = field(default_factory=dict)
    description: str = ""

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


# The tags in the order the document lists them (operations are grouped by tag in viewers).
TAGS = (
    "meta", "auth", "users", "plans", "tenants", "branches", "extensions", "provisioning", "devices", "trunks",
    "numbers", "blocklist", "edges", "edge", "cdrs", "recordings", "events", "live", "webhooks", "contacts", "tickets",
    "security", "fraud", "queues", "agents",
)  # fmt: skip


def _models(operations: Sequence[Operation]) -> list[type[BaseModel]]:
    seen: dict[str, type[BaseModel]] = {"ErrorOut": schemas.ErrorOut}
    for op in operations:
        for m in (op.body, op.response):
            if m is not None:
                seen[m.__name__] = m
    return list(seen.values())


def _query_params(model: type[BaseModel]) -> list[dict[str, Any]]:
    js = model.model_json_schema(by_alias=True, ref_template=REF)
    required = set(js.get("required", []))
    out = []
    for name, schema in js.get("properties", {}).items():
        schema = dict(schema)
        schema.pop("title", None)
        if "anyOf" in schema:  # "X or null": a query string value is never null
            options = [s for s in schema.pop("anyOf") if s.get("type") != "null"]
            schema = {**options[0], **schema} if len(options) == 1 else {"anyOf": options, **schema}
        if schema.get("default", 0) is None:
            schema.pop("default")
        out.append({"name": name, "in": "query", "required": name in required, "schema": schema})
    return out


def document(operations: Sequence[Operation]) -> dict[str, Any]:
    models = _models(operations)
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    components = defs.get("$defs", {})
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        params: list[dict[str, Any]] = [
            {
                "name": p,
                "in": "path",
                "required": True,
                "schema": {"type": "string", **({"pattern": op.path_patterns[p]} if p in op.path_patterns else {})},
            }
            for p in op.path_params
        ]
        if op.query is not None:
            params += _query_params(op.query)
        responses: dict[str, Any] = {}
        ok: dict[str, Any] = {"description": "Success"}
        if op.status != 204:
            if op.media == "application/json":
                schema = {"$ref": REF.format(model=op.response.__name__)} if op.response else {"type": "object"}
            else:
                schema = {"type": "string"}
            ok["content"] = {op.media: {"schema": schema}}
        responses[str(op.status)] = ok
        error_ref = {"application/json": {"schema": {"$ref": REF.format(model="ErrorOut")}}}
        for code in sorted(set(op.errors)):
            entry: dict[str, Any] = {"description": ERROR_TEXT.get(code, "Error")}
            if code != 304:
                entry["content"] = error_ref
            responses[str(code)] = entry
        operation: dict[str, Any] = {
            "operationId": op.name,
            "summary": op.summary,
            "tags": [op.tag],
            "parameters": params,
            "responses": responses,
            "x-roles": list(op.roles) if op.roles is not None else [],
        }
        if op.description:
            operation["description"] = op.description
        if op.roles is None:
            operation["security"] = []
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": REF.format(model=op.body.__name__)}}},
            }
        paths.setdefault(op.path, {})[op.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "Multi-tenant cloud PBX control plane. Tenant routes act on the caller's tenant "
            "(from the token, never from the request). Errors: `{error: {code, message, fields}}`.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A JWT (login, issued token, edge token) or an API key `pbx_...`",
                }
            },
            "schemas": components,
        },
        "tags": [{"name": t} for t in _tags(operations)],
        "paths": paths,
    }


def _tags(operations: Sequence[Operation]) -> list[str]:
    used = {op.tag for op in operations}
    unknown = used - set(TAGS)
    if unknown:
        raise ValueError(f"operation tags missing from openapi.TAGS: {sorted(unknown)}")
    return [t for t in TAGS if t in used]
