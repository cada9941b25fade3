"""The OpenAPI document covers every Chalice route, is valid OpenAPI 3.1, and is served."""

from __future__ import annotations

from types import ModuleType

import pytest
from openapi_spec_validator import validate

from control_plane.app import API

from .conftest import Api

pytestmark = pytest.mark.aws


def test_every_route_is_documented_and_nothing_else(cp_app: ModuleType) -> None:
    routes = {(m, path) for path, entries in cp_app.app.routes.items() for m in entries}
    documented = {(m.upper(), path) for path, ops in cp_app.API.document()["paths"].items() for m in ops}
    assert routes == documented


def test_document_is_valid_openapi(api: Api) -> None:
    r = api.get("/v1/openapi.json")
    assert r.status == 200
    doc = r.json
    validate(doc)
    assert doc == API.document()
    assert doc["openapi"].startswith("3.1")
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["summary"], (method, path)
            codes = set(op["responses"])
            assert codes & {"200", "201", "202", "204"}, (method, path)  # 202: a job was started
            if op.get("security") != []:
                assert {"401", "403"} <= codes, (method, path)


def test_secret_fields_are_write_only_in_the_document() -> None:
    schemas = API.document()["components"]["schemas"]
    for name, schema in schemas.items():
        if not name.endswith(("Out", "List", "Created")) or name in (
            "ProvisioningOut",
            "ApiKeyCreated",
            "EdgeCreated",
            "TotpStartOut",
            "WebhookCreated",  # the signing secret, shown once (as API keys)
            "WebhookSecretOut",
        ):
            continue
        props = schema.get("properties", {})
        for bad in ("password", "secret", "ha1", "password_hash", "key_hash", "token_hash"):
            assert bad not in props, (name, bad)
