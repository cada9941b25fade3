"""Tokens: missing/garbage/expired -> 401 from the authorizer, wrong role -> 403."""

from __future__ import annotations

import time

import jwt
import pytest

from control_plane.core import auth

from .conftest import JWT_SECRET, Api, provider_token

pytestmark = pytest.mark.aws

PROTECTED = [
    ("POST", "/v1/tenants"),
    ("GET", "/v1/tenants/t_0123456789abcdef"),
    ("POST", "/v1/edges"),
    ("GET", "/v1/extensions"),
    ("POST", "/v1/extensions"),
    ("GET", "/v1/extensions/100"),
    ("POST", "/v1/extensions/100/provisioning"),
    ("GET", "/edge/v1/snapshot"),
    ("POST", "/edge/v1/cdrs"),
    ("GET", "/v1/cdrs"),
    ("GET", "/v1/cdrs/abc"),
]
# The authorizer's own answer: proves it ran (the views' second check words it differently).
AUTHORIZER_MESSAGE = "missing, invalid or expired token"


def expired_token() -> str:
    return auth.mint(JWT_SECRET, auth.PROVIDER_ADMIN, now=time.time() - 7200, ttl_s=60)


def bad_tokens() -> dict[str, str]:
    return {
        "garbage": "not-a-jwt",
        "expired": expired_token(),
        "other_secret": auth.mint("another-secret-of-at-least-32-characters!!", auth.PROVIDER_ADMIN),
        "alg_none": jwt.encode({"sub": "x", "role": "provider_admin", "iss": "probox", "exp": 2**31}, None, "none"),
        "wrong_issuer": jwt.encode(
            {"sub": "x", "role": "provider_admin", "iss": "other", "iat": 0, "exp": 2**31}, JWT_SECRET, "HS256"
        ),
        "unknown_role": jwt.encode(
            {"sub": "x", "role": "root", "iss": "probox", "iat": 0, "exp": 2**31}, JWT_SECRET, "HS256"
        ),
        "tenant_admin_without_tenant": jwt.encode(
            {"sub": "x", "role": "tenant_admin", "iss": "probox", "iat": 0, "exp": 2**31}, JWT_SECRET, "HS256"
        ),
    }


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_missing_token_is_401(api: Api, method: str, path: str) -> None:
    r = api.request(method, path, body={})
    assert r.status == 401


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_bad_tokens_are_401_from_the_authorizer(api: Api, method: str, path: str) -> None:
    for name, token in bad_tokens().items():
        r = api.request(method, path, token=token, body={})
        assert r.status == 401, (name, r.text)
        assert r.json["error"]["code"] == "unauthorized"
        assert r.json["error"]["message"] == AUTHORIZER_MESSAGE, name


def test_not_bearer_scheme_is_401(api: Api) -> None:
    r = api.get("/v1/extensions", headers={"Authorization": f"Basic {provider_token()}"})
    assert r.status == 401


def test_wrong_role_is_403(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    cases = [
        (admin, "POST", "/v1/tenants", {"name": "x", "domain": "x.probox.vn"}),
        (admin, "POST", "/v1/edges", {"id": "e2"}),
        (admin, "POST", f"/v1/tenants/{tid}/admin-tokens", None),
        (admin, "GET", "/edge/v1/snapshot", None),
        (admin, "POST", "/edge/v1/cdrs", {}),
        (edge, "GET", "/v1/extensions", None),
        (edge, "POST", "/v1/tenants", {"name": "x", "domain": "x.probox.vn"}),
        (edge, "GET", f"/v1/tenants/{tid}", None),
        (provider_token(), "GET", "/v1/extensions", None),
        (provider_token(), "POST", "/v1/extensions", {"number": "100"}),
        (provider_token(), "GET", "/v1/cdrs", None),
        (provider_token(), "GET", "/edge/v1/snapshot", None),
    ]
    for token, method, path, body in cases:
        r = api.request(method, path, token=token, body=body)
        assert r.status == 403, (method, path, r.text)
        assert r.json["error"]["code"] == "forbidden"


def test_health_needs_no_token(api: Api) -> None:
    r = api.get("/v1/health")
    assert r.status == 200
    assert r.json == {"ok": True}


def test_mint_and_verify_roundtrip() -> None:
    token = auth.mint(JWT_SECRET, auth.TENANT_ADMIN, tenant_id="t_0123456789abcdef")
    p = auth.verify(JWT_SECRET, token)
    assert (p.role, p.tenant_id, p.edge_id) == ("tenant_admin", "t_0123456789abcdef", None)
    edge = auth.verify(JWT_SECRET, auth.mint(JWT_SECRET, auth.EDGE, edge_id="e1"))
    assert (edge.role, edge.edge_id, edge.tenant_id) == ("edge", "e1", None)
    with pytest.raises(ValueError):
        auth.mint(JWT_SECRET, auth.TENANT_ADMIN)
    with pytest.raises(ValueError):
        auth.mint(JWT_SECRET, "root")
