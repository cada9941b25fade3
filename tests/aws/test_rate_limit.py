"""API rate limits: per tenant and per caller, in the table (so across Lambda instances),
429 ``rate_limited`` with Retry-After, one conditional write per request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from control_plane.core import auth, clock, keys, ratelimit, store
from control_plane.extensions import store as ext_store

from .conftest import JWT_SECRET, Api, provider_token

pytestmark = pytest.mark.aws

WINDOW_START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)  # a multiple of 60 s since the epoch


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Set the app's clock to WINDOW_START + seconds."""

    def move(seconds: float) -> None:
        moment = WINDOW_START + timedelta(seconds=seconds)
        monkeypatch.setattr(clock, "now", lambda: moment)

    move(0)
    return move


def api_tenant(token: str) -> str:
    tid = auth.verify(JWT_SECRET, token).tenant_id
    assert tid
    return tid


def _limits(monkeypatch: pytest.MonkeyPatch, *, tenant: int, principal: int, window: int = 60) -> None:
    monkeypatch.setenv("PROBOX_RATE_LIMIT_TENANT", str(tenant))
    monkeypatch.setenv("PROBOX_RATE_LIMIT_PRINCIPAL", str(principal))
    monkeypatch.setenv("PROBOX_RATE_LIMIT_WINDOW_S", str(window))


def test_tenant_limit_429_retry_after_other_tenant_unaffected_and_reset(
    api: Api, monkeypatch: pytest.MonkeyPatch, at: Callable[[float], None]
) -> None:
    _, admin_a = api.tenant("a.probox.vn")
    _, admin_b = api.tenant("b.probox.vn")
    _limits(monkeypatch, tenant=5, principal=0)
    at(15)
    assert [api.get("/v1/extensions", token=admin_a).status for _ in range(5)] == [200] * 5
    refused = api.get("/v1/extensions", token=admin_a)
    assert refused.status == 429
    assert refused.json["error"]["code"] == "rate_limited"
    assert refused.headers["retry-after"] == "45"  # the window ends at WINDOW_START + 60
    assert api.post("/v1/extensions", token=admin_a, body={"number": "101"}).status == 429  # writes too
    assert ext_store.get(api_tenant(admin_a), "101") is None  # refused before the view ran
    # another tenant has its own budget
    assert [api.get("/v1/extensions", token=admin_b).status for _ in range(5)] == [200] * 5
    # public routes are not limited
    assert api.get("/v1/health").status == 200
    at(59)
    late = api.get("/v1/extensions", token=admin_a)
    assert late.status == 429 and late.headers["retry-after"] == "1"
    at(60)  # a new window
    assert api.get("/v1/extensions", token=admin_a).status == 200
    assert api.post("/v1/extensions", token=admin_a, body={"number": "101"}).status == 201


def test_per_caller_limit_leaves_the_tenants_other_callers_alone(
    api: Api, monkeypatch: pytest.MonkeyPatch, at: Callable[[float], None]
) -> None:
    _, admin = api.tenant("a.probox.vn")
    key = api.post("/v1/api-keys", token=admin, body={"name": "crm", "role": "supervisor"})
    assert key.status == 201, key.text
    api_key = key.json["key"]
    _limits(monkeypatch, tenant=100, principal=3)
    at(60)  # a fresh window: the setup's requests counted in the first one
    assert [api.get("/v1/extensions", token=admin).status for _ in range(4)] == [200, 200, 200, 429]
    assert [api.get("/v1/extensions", token=api_key).status for _ in range(4)] == [200, 200, 200, 429]
    # the provider is its own scope, with the same per-caller limit
    assert [api.get("/v1/tenants", token=provider_token()).status for _ in range(4)] == [200, 200, 200, 429]


def test_edges_are_not_limited_and_limits_can_be_off(
    api: Api, monkeypatch: pytest.MonkeyPatch, at: Callable[[float], None]
) -> None:
    _, admin = api.tenant("a.probox.vn")
    edge = api.edge()
    _limits(monkeypatch, tenant=2, principal=2)
    assert {api.get("/edge/v1/snapshot", token=edge).status for _ in range(6)} == {200}
    _limits(monkeypatch, tenant=0, principal=0)
    assert {api.get("/v1/extensions", token=admin).status for _ in range(6)} == {200}


def test_one_conditional_write_per_request(api: Api, at: Callable[[float], None]) -> None:
    _, admin = api.tenant("a.probox.vn")
    calls: list[str] = []
    client = store.client()

    def record(model: object, **_: object) -> None:
        calls.append(str(getattr(model, "name", "")))

    client.meta.events.register("before-call.dynamodb.*", record)
    try:
        assert api.get("/v1/extensions", token=admin).status == 200
    finally:
        client.meta.events.unregister("before-call.dynamodb.*", record)
    writes = [c for c in calls if c in ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems")]
    assert writes == ["UpdateItem"], calls  # a read route writes only the rate-limit counter
    rows = list(store.query_raw(keys.rate_pk(api_tenant(admin))))
    assert [(r["sk"]["S"], int(r["n"]["N"])) for r in rows] == [(str(int(WINDOW_START.timestamp())), 1)]
    assert int(rows[0]["ttl"]["N"]) > WINDOW_START.timestamp() + 60


def test_limiter_failure_lets_requests_through(
    api: Api, monkeypatch: pytest.MonkeyPatch, at: Callable[[float], None]
) -> None:
    _, admin = api.tenant("a.probox.vn")
    _limits(monkeypatch, tenant=1, principal=1)

    def broken(*_: object, **__: object) -> bool:
        raise RuntimeError("DynamoDB unavailable")

    monkeypatch.setattr(ratelimit, "hit", broken)
    assert {api.get("/v1/extensions", token=admin).status for _ in range(3)} == {200}


def test_429_is_documented_on_limited_routes(api: Api) -> None:
    doc = api.get("/v1/openapi.json").json
    assert "429" in doc["paths"]["/v1/extensions"]["get"]["responses"]
    assert "429" in doc["paths"]["/v1/tenants"]["post"]["responses"]
    assert "429" not in doc["paths"]["/edge/v1/snapshot"]["get"]["responses"]
