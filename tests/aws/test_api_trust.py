"""Issue 13, item 7: tokens that can be taken back, suspension that stops the API, login
throttling an attacker cannot turn into a lockout of the real user, a second factor, and
secrets read at run time. Each test performs the attack through the HTTP API."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import boto3
import pyotp
import pytest

from control_plane.core import auth
from control_plane.core.api import ApiRequest

from .conftest import JWT_SECRET, SECRET_KEY, Api, provider_token

pytestmark = pytest.mark.aws

PASSWORD = "a-long-login-password"


@pytest.fixture
def source(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set the client address the API sees (API Gateway's identity.sourceIp)."""
    where = {"ip": "127.0.0.1"}
    monkeypatch.setattr(ApiRequest, "source_ip", property(lambda self: where["ip"]))

    def move(ip: str) -> None:
        where["ip"] = ip

    yield move


def _user(api: Api, token: str, email: str, role: str) -> str:
    r = api.post("/v1/users", token=token, body={"email": email, "role": role, "password": PASSWORD})
    assert r.status == 201, r.text
    return str(r.json["id"])


def _login(api: Api, email: str, *, otp: str | None = None) -> tuple[int, dict[str, object]]:
    body: dict[str, object] = {"email": email, "password": PASSWORD}
    if otp is not None:
        body["otp"] = otp
    r = api.post("/v1/auth/login", body=body)
    return r.status, r.json


# --- tokens that can be taken back ---------------------------------------------------------
def test_a_tenant_admin_token_the_provider_revokes_stops_working(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    assert api.get("/v1/extensions", token=admin).status == 200
    issued = api.get("/v1/tokens", token=provider_token())
    assert issued.status == 200, issued.text
    [mine] = [t for t in issued.json["items"] if t["tenant_id"] == tid]
    assert mine["role"] == "tenant_admin" and "token" not in mine  # the token itself is never shown again
    assert api.delete(f"/v1/tokens/{mine['id']}", token=provider_token()).status == 204
    assert api.get("/v1/extensions", token=admin).status == 401
    assert all(t["id"] != mine["id"] for t in api.get("/v1/tokens", token=provider_token()).json["items"])


def test_a_token_signed_with_the_secret_but_never_issued_is_refused(api: Api) -> None:
    """An operator's or a thief's offline token (the JWT secret leaked): unknown to the table."""
    forged_provider = auth.mint(JWT_SECRET, auth.PROVIDER_ADMIN, sub="mallory")
    assert api.get("/v1/tenants", token=forged_provider).status == 401
    tid, _ = api.tenant("acme.probox.vn")
    forged_admin = auth.mint(JWT_SECRET, auth.TENANT_ADMIN, tenant_id=tid)
    assert api.get("/v1/extensions", token=forged_admin).status == 401


def test_the_provider_can_end_every_token_it_issued_at_once(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    other = provider_token()
    r = api.post("/v1/tokens/revoke-all", token=other)
    assert r.status == 200 and r.json["revoked"] >= 2, r.text
    assert api.get("/v1/extensions", token=admin).status == 401
    assert api.get("/v1/tenants", token=other).status == 401


# --- suspension stops the API ----------------------------------------------------------------
def test_a_suspended_tenant_reads_and_exports_but_changes_nothing(api: Api, s3: object) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    assert api.post("/v1/extensions", token=admin, body={"number": "101"}).status == 201
    key = api.post("/v1/api-keys", token=admin, body={"name": "crm", "role": "tenant_admin"}).json["key"]
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"status": "suspended"})
    assert r.status == 200 and r.json["status"] == "suspended"
    for token in (admin, key):
        refused = api.post("/v1/extensions", token=token, body={"number": "102"})
        assert refused.status == 403 and refused.json["error"]["code"] == "tenant_suspended", refused.text
        assert api.request("PATCH", "/v1/extensions/101", token=token, body={"display_name": "x"}).status == 403
        assert api.delete("/v1/extensions/101", token=token).status == 403
        assert api.get("/v1/extensions", token=token).status == 200  # its own data stays readable
    assert api.post(f"/v1/tenants/{tid}/export", token=admin).status == 202  # and it can take it away
    assert [e["number"] for e in api.get("/v1/extensions", token=admin).json["items"]] == ["101"]
    back = api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"status": "active"})
    assert back.status == 200
    assert api.post("/v1/extensions", token=admin, body={"number": "102"}).status == 201


# --- login throttling that cannot lock out the real user ---------------------------------------
def test_guessing_from_elsewhere_does_not_lock_the_real_user_out(api: Api, source: Callable[[str], None]) -> None:
    _, admin = api.tenant("acme.probox.vn")
    _user(api, admin, "lan@acme.vn", "tenant_admin")
    source("203.0.113.5")  # the office
    assert _login(api, "lan@acme.vn")[0] == 200
    statuses = []
    for i in range(120):  # a botnet: many addresses, one account
        source(f"198.51.{100 + i // 60}.{i % 60 + 1}")
        statuses.append(api.post("/v1/auth/login", body={"email": "lan@acme.vn", "password": f"guess-{i}"}).status)
    assert set(statuses) <= {401, 429} and 429 in statuses  # the guessing is slowed down...
    source("203.0.113.5")
    assert _login(api, "lan@acme.vn")[0] == 200  # ...and the real user still logs in from the office
    source("198.51.100.1")
    assert api.post("/v1/auth/login", body={"email": "lan@acme.vn", "password": PASSWORD}).status == 429


def test_one_address_spraying_many_accounts_is_throttled(api: Api, source: Callable[[str], None]) -> None:
    """One guess per account, many accounts, from one address: each account's own counter
    never fills, the address's does."""
    _, admin = api.tenant("acme.probox.vn")
    _user(api, admin, "lan@acme.vn", "agent")
    source("198.51.100.66")
    statuses = [
        api.post("/v1/auth/login", body={"email": f"staff{n}@acme.vn", "password": "Summer2026!"}).status
        for n in range(40)
    ]
    assert statuses[-1] == 429 and 15 <= statuses.count(401) <= 30
    source("203.0.113.9")
    assert _login(api, "lan@acme.vn")[0] == 200


# --- behind CloudFront: the viewer's address, believed only with CloudFront's origin secret ------
ORIGIN_SECRET = "cloudfront-origin-secret-for-tests-0123456789"


def _via_cloudfront(viewer: str, secret: str | None = ORIGIN_SECRET) -> dict[str, str]:
    """Headers of a request CloudFront forwards (API Gateway's sourceIp stays CloudFront's)."""
    headers = {"CloudFront-Viewer-Address": viewer}
    if secret is not None:
        headers["X-ProBox-Origin-Verify"] = secret
    return headers


def test_a_stranger_behind_the_same_cloudfront_cannot_lock_out_the_real_users(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every console user reaches the API through CloudFront: one address for all of them as
    API Gateway sees it. A stranger spraying logins is throttled by its own address; the real
    user next to it logs in."""
    monkeypatch.setenv("PROBOX_ORIGIN_VERIFY", ORIGIN_SECRET)
    _, admin = api.tenant("acme.probox.vn")
    _user(api, admin, "lan@acme.vn", "agent")
    stranger = _via_cloudfront("198.51.100.66:40001")
    statuses = [
        api.post(
            "/v1/auth/login", body={"email": f"staff{n}@acme.vn", "password": "Summer2026!"}, headers=stranger
        ).status
        for n in range(40)
    ]
    assert statuses[-1] == 429  # the stranger is slowed down...
    r = api.post("/v1/auth/login", body={"email": "lan@acme.vn", "password": PASSWORD},
                 headers=_via_cloudfront("203.0.113.9:51234"))  # fmt: skip
    assert r.status == 200, r.text  # ...and the user at another address is not
    r = api.post("/v1/auth/login", body={"email": "lan@acme.vn", "password": PASSWORD},
                 headers=_via_cloudfront("[2001:db8::7]:443"))  # fmt: skip
    assert r.status == 200, r.text


def test_a_viewer_address_sent_straight_to_the_api_is_not_believed(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sprayer that names a new CloudFront-Viewer-Address in every request, without (or with
    a wrong) origin secret, is counted by the address API Gateway sees, and throttled."""
    monkeypatch.setenv("PROBOX_ORIGIN_VERIFY", ORIGIN_SECRET)
    api.tenant("acme.probox.vn")
    for secret in (None, "guessed-secret"):
        statuses = [
            api.post("/v1/auth/login", body={"email": f"s{n}-{secret}@acme.vn", "password": "x" * 12},
                     headers=_via_cloudfront(f"198.51.100.{n + 1}:5060", secret)).status
            for n in range(40)
        ]  # fmt: skip
        assert statuses[-1] == 429, statuses


def test_viewer_addresses_are_parsed_strictly() -> None:
    from control_plane.core.api import viewer_ip

    assert viewer_ip("198.51.100.10:46532") == "198.51.100.10"
    assert viewer_ip("2001:db8::1:46532") == "2001:db8::1"
    assert viewer_ip("[2001:db8::1]:443") == "2001:db8::1"
    assert viewer_ip("evil.example:80") is None
    assert viewer_ip("") is None


# --- a second factor ---------------------------------------------------------------------------
def test_totp_is_required_once_enabled_and_a_code_works_once(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    _user(api, admin, "lan@acme.vn", "tenant_admin")
    status, doc = _login(api, "lan@acme.vn")
    token = str(doc["token"])
    start = api.post("/v1/users/me/totp", token=token)
    assert start.status == 201, start.text
    secret = start.json["secret"]
    assert start.json["otpauth_uri"].startswith("otpauth://totp/")
    totp = pyotp.TOTP(secret)
    assert api.post("/v1/users/me/totp/confirm", token=token, body={"code": "000000"}).status == 400
    assert api.post("/v1/users/me/totp/confirm", token=token, body={"code": totp.now()}).status == 204
    status, doc = _login(api, "lan@acme.vn")  # the password alone no longer does
    assert status == 401 and doc["error"]["code"] == "otp_required"  # type: ignore[index]
    assert _login(api, "lan@acme.vn", otp="123456" if totp.now() != "123456" else "654321")[0] == 401
    code = totp.at(time.time() + 30)  # the confirmation used this step's code: the next one (clocks drift)
    assert _login(api, "lan@acme.vn", otp=code)[0] == 200
    assert _login(api, "lan@acme.vn", otp=code)[0] == 401  # the same code twice: a replay
    assert api.get("/v1/users/me", token=token).json["user"]["totp_enabled"] is True


# --- secrets read at run time -------------------------------------------------------------------
def test_the_api_reads_its_secrets_from_secrets_manager(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    _, admin = api.tenant("acme.probox.vn")
    arn = boto3.client("secretsmanager").create_secret(
        Name="probox/test/app", SecretString=json.dumps({"jwt_secret": JWT_SECRET, "secret_key": SECRET_KEY})
    )["ARN"]
    monkeypatch.delenv("PROBOX_JWT_SECRET")
    monkeypatch.delenv("PROBOX_SECRET_KEY")
    monkeypatch.setenv("PROBOX_SECRETS_ID", arn)
    assert api.get("/v1/extensions", token=admin).status == 200  # verified with the secret from there
    r = api.post("/v1/extensions", token=admin, body={"number": "101"})  # a SIP password sealed
    assert r.status == 201, r.text
    assert api.password(admin, "101")["sip_password"]
