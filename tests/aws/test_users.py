"""Users and roles: login (scrypt), sessions and logout, throttling, API keys, role limits."""

from __future__ import annotations

import boto3
import pytest

from .conftest import Api, cdr_doc, provider_token

pytestmark = pytest.mark.aws

PASSWORD = "a-long-login-password"


def user(api: Api, token: str, email: str, role: str, **extra: object) -> dict[str, object]:
    r = api.post("/v1/users", token=token, body={"email": email, "role": role, "password": PASSWORD, **extra})
    assert r.status == 201, r.text
    doc: dict[str, object] = r.json
    return doc


def login(api: Api, email: str, password: str = PASSWORD) -> str:
    r = api.post("/v1/auth/login", body={"email": email, "password": password})
    assert r.status == 200, r.text
    return str(r.json["token"])


def test_login_logout_and_me(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    u = user(api, admin, "Lan@Acme.VN", "tenant_admin", name="Lan")
    assert u["email"] == "lan@acme.vn" and "password" not in u and "password_hash" not in u
    r = api.post("/v1/auth/login", body={"email": "lan@acme.vn", "password": PASSWORD})
    assert r.status == 200 and r.json["user"]["id"] == u["id"]
    assert r.headers["cache-control"] == "no-store"
    token = r.json["token"]
    me = api.get("/v1/users/me", token=token).json
    assert (me["role"], me["tenant_id"], me["user"]["email"]) == ("tenant_admin", tid, "lan@acme.vn")
    assert api.post("/v1/extensions", token=token, body={"number": "101"}).status == 201
    assert api.post("/v1/auth/logout", token=token).status == 204
    assert api.get("/v1/extensions", token=token).status == 401
    assert api.post("/v1/auth/logout", token=admin).status == 400  # an issued token has no session
    rows = boto3.client("dynamodb").scan(TableName="probox-test")["Items"]
    assert PASSWORD not in repr(rows) and "scrypt$" in repr(rows)


def test_wrong_password_and_throttle(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    user(api, admin, "lan@acme.vn", "supervisor")
    for _ in range(5):
        r = api.post("/v1/auth/login", body={"email": "lan@acme.vn", "password": "wrong-password"})
        assert r.status == 401 and r.json["error"]["message"] == "wrong e-mail or password"
    unknown = api.post("/v1/auth/login", body={"email": "nobody@acme.vn", "password": "x"})
    assert unknown.status == 401 and unknown.json["error"]["message"] == "wrong e-mail or password"
    r = api.post("/v1/auth/login", body={"email": "lan@acme.vn", "password": PASSWORD})
    assert r.status == 429 and int(r.headers["retry-after"]) > 0
    assert api.post("/v1/auth/login", body={"email": "lan@acme.vn"}).status == 400


def test_password_change_and_disable_end_sessions(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    u = user(api, admin, "lan@acme.vn", "supervisor")
    token = login(api, "lan@acme.vn")
    assert api.get("/v1/extensions", token=token).status == 200
    r = api.request("PATCH", f"/v1/users/{u['id']}", token=admin, body={"password": "another-long-password"})
    assert r.status == 200
    assert api.get("/v1/extensions", token=token).status == 401
    token = login(api, "lan@acme.vn", "another-long-password")
    api.request("PATCH", f"/v1/users/{u['id']}", token=admin, body={"status": "disabled"})
    assert api.get("/v1/extensions", token=token).status == 401
    assert api.post("/v1/auth/login", body={"email": "lan@acme.vn", "password": "another-long-password"}).status == 401


def test_roles(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    api.extension(admin, "101")
    api.extension(admin, "102")
    user(api, admin, "sup@acme.vn", "supervisor")
    user(api, admin, "agent@acme.vn", "agent", extension="101")
    user(api, admin, "free@acme.vn", "agent")
    for call, caller, callee in (("c1", "101", "102"), ("c2", "102", "0901234567")):
        api.post(
            "/edge/v1/cdrs",
            token=edge,
            body=cdr_doc(tid, call, "2025-11-01T08:00:00.000Z", caller=caller, callee=callee),
        )
    sup, agent, free = login(api, "sup@acme.vn"), login(api, "agent@acme.vn"), login(api, "free@acme.vn")
    assert api.get("/v1/blocklist", token=sup).status == 200
    assert api.post("/v1/extensions", token=sup, body={"number": "103"}).status == 403
    assert api.get("/v1/trunks", token=sup).status == 403
    assert api.get("/v1/users", token=sup).status == 403
    assert len(api.get("/v1/cdrs", token=sup).json["items"]) == 2
    # An agent sees the calls of its own extension only, whatever it asks for.
    assert [c["call_id"] for c in api.get("/v1/cdrs", token=agent).json["items"]] == ["c1"]
    assert api.get("/v1/cdrs?extension=102", token=agent).json["items"] == [
        c for c in api.get("/v1/cdrs?extension=101", token=sup).json["items"]
    ]
    assert api.get("/v1/cdrs/c2", token=agent).status == 404
    assert api.get("/v1/cdrs/c1", token=agent).status == 200
    assert api.get("/v1/cdrs/export", token=agent).status == 403
    assert api.get("/v1/cdrs", token=free).status == 403
    assert api.get("/v1/blocklist", token=agent).status == 403
    # Role limits per scope.
    r = api.post("/v1/users", token=admin, body={"email": "p@acme.vn", "role": "provider_admin", "password": PASSWORD})
    assert r.status == 400 and "role" in r.json["error"]["fields"]
    assert (
        api.post("/v1/users", token=admin, body={"email": "SUP@acme.vn", "role": "agent", "password": PASSWORD}).status
        == 409
    )
    short = api.post("/v1/users", token=admin, body={"email": "s@acme.vn", "role": "agent", "password": "short"})
    assert short.status == 400 and "password" in short.json["error"]["fields"]


def test_provider_users(api: Api) -> None:
    r = api.post(
        "/v1/users",
        token=provider_token(),
        body={"email": "ops@probox.vn", "role": "provider_admin", "password": PASSWORD},
    )
    assert r.status == 201 and r.json["tenant_id"] is None
    bad = api.post(
        "/v1/users", token=provider_token(), body={"email": "x@probox.vn", "role": "tenant_admin", "password": PASSWORD}
    )
    assert bad.status == 400
    token = login(api, "ops@probox.vn")
    assert api.post("/v1/tenants", token=token, body={"name": "A", "domain": "a.probox.vn"}).status == 201
    assert [u["email"] for u in api.get("/v1/users", token=token).json["items"]] == ["ops@probox.vn"]
    me = r.json["id"]
    assert api.delete(f"/v1/users/{me}", token=token).status == 409  # not yourself
    assert api.request("PATCH", f"/v1/users/{me}", token=token, body={"status": "disabled"}).status == 409


def test_api_keys(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    r = api.post("/v1/api-keys", token=admin, body={"name": "CRM", "role": "supervisor"})
    assert r.status == 201 and r.json["key"].startswith("pbx_key_")
    key, key_id = r.json["key"], r.json["id"]
    listed = api.get("/v1/api-keys", token=admin)
    assert [k["id"] for k in listed.json["items"]] == [key_id] and key.encode() not in listed.raw
    assert r.json["prefix"] == key[:16]
    assert api.get("/v1/extensions", token=key).status == 200
    assert api.post("/v1/extensions", token=key, body={"number": "101"}).status == 403  # supervisor
    # issue 13: a key is an agent's unless the admin says otherwise, and it expires
    default = api.post("/v1/api-keys", token=admin, body={"name": "plain"}).json
    assert default["role"] == "agent" and default["expires_at"] is not None
    assert api.post("/v1/extensions", token=default["key"], body={"number": "101"}).status == 403
    admin_key = api.post("/v1/api-keys", token=admin, body={"name": "ops", "role": "tenant_admin"}).json["key"]
    assert api.post("/v1/extensions", token=admin_key, body={"number": "101"}).status == 201
    assert api.post("/v1/api-keys", token=admin_key, body={"name": "child"}).status == 403
    assert api.get("/v1/users", token=admin_key).status == 403
    assert api.delete(f"/v1/api-keys/{key_id}", token=admin).status == 204
    assert api.get("/v1/extensions", token=key).status == 401
    assert api.get("/v1/extensions", token="pbx_key_000000000000_forged").status == 401
    assert api.post("/v1/api-keys", token=admin, body={"name": "x", "role": "provider_admin"}).status == 400


def test_throttle_is_per_source_address(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from control_plane.users import service as users

    _, admin = api.tenant("acme.probox.vn")
    user(api, admin, "lan@acme.vn", "supervisor")
    calls: list[str] = []
    real = users.login

    def from_elsewhere(body: object, *, source_ip: str = "") -> object:
        calls.append(source_ip)
        return real(body, source_ip="198.51.100.7" if len(calls) <= 5 else source_ip)

    monkeypatch.setattr(users, "login", from_elsewhere)
    for _ in range(5):  # a guesser elsewhere
        assert api.post("/v1/auth/login", body={"email": "lan@acme.vn", "password": "guess-guess"}).status == 401
    assert api.post("/v1/auth/login", body={"email": "lan@acme.vn", "password": PASSWORD}).status == 200
