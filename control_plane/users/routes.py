"""HTTP routes of users: login and logout, who am I, users of a scope (the provider's or a
tenant's), and a tenant's API keys."""

from __future__ import annotations

from control_plane.core import auth
from control_plane.core.api import ADMIN, ANY_USER, PROVIDER, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN
from control_plane.users import service
from control_plane.users.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyList,
    IssuedTokenList,
    LoginIn,
    LoginOut,
    MeOut,
    RevokedOut,
    TotpCodeIn,
    TotpStartOut,
    UserCreate,
    UserList,
    UserOut,
    UserUpdate,
)
from pbx_core.errors import Forbidden

routes = Routes(__name__)
USER_ADMINS = (auth.PROVIDER_ADMIN, auth.TENANT_ADMIN)
USER_ID = {"user_id": ID_PATTERN}


@routes.route(
    "POST", "/v1/auth/login", summary="Log in with e-mail and password; a JWT bound to a session", tag="auth",
    roles=None, body=LoginIn, response=LoginOut, errors=(401, 429), no_store=True,
)  # fmt: skip
def login(req: ApiRequest) -> LoginOut:
    return service.login(req.body(LoginIn, "invalid login"), source_ip=req.source_ip)


@routes.route(
    "POST", "/v1/auth/logout", summary="End the login session of this token", tag="auth", roles=ANY_USER, status=204,
    while_suspended=True,
)  # fmt: skip
def logout(req: ApiRequest) -> None:
    service.logout(req.principal(*ANY_USER))


@routes.route("GET", "/v1/users/me", summary="Who am I", tag="users", roles=ANY_USER, response=MeOut)
def me(req: ApiRequest) -> MeOut:
    return service.me(req.principal(*ANY_USER))


def _scope(req: ApiRequest) -> tuple[str | None, auth.Principal]:
    """Users of the caller's scope: the provider's for provider admins, else the tenant's."""
    principal = req.principal(*USER_ADMINS)
    if principal.key_id:
        raise Forbidden("API keys cannot manage users")
    return principal.tenant_id, principal


@routes.route("GET", "/v1/users", summary="List users", tag="users", roles=USER_ADMINS, response=UserList)
def list_users(req: ApiRequest) -> UserList:
    scope, _ = _scope(req)
    return service.list_all(scope)


@routes.route(
    "POST", "/v1/users", summary="Add a user (login with e-mail and password)", tag="users", roles=USER_ADMINS,
    body=UserCreate, status=201, response=UserOut,
)  # fmt: skip
def create_user(req: ApiRequest) -> UserOut:
    scope, _ = _scope(req)
    return service.create(scope, req.body(UserCreate, "invalid user"))


@routes.route(
    "GET", "/v1/users/{user_id}", summary="One user", tag="users", roles=USER_ADMINS, response=UserOut,
    patterns=USER_ID,
)  # fmt: skip
def get_user(req: ApiRequest, user_id: str) -> UserOut:
    scope, _ = _scope(req)
    return service.get(scope, user_id)


@routes.route(
    "PATCH", "/v1/users/{user_id}", summary="Change a user (role, password, status, extension)", tag="users",
    roles=USER_ADMINS, body=UserUpdate, response=UserOut, patterns=USER_ID,
)  # fmt: skip
def update_user(req: ApiRequest, user_id: str) -> UserOut:
    scope, principal = _scope(req)
    return service.update(scope, user_id, req.json(), caller_sub=principal.sub)


@routes.route(
    "DELETE", "/v1/users/{user_id}", summary="Delete a user", tag="users", roles=USER_ADMINS, status=204,
    patterns=USER_ID,
)  # fmt: skip
def delete_user(req: ApiRequest, user_id: str) -> None:
    scope, principal = _scope(req)
    service.delete(scope, user_id, caller_sub=principal.sub)


def _key_admin(req: ApiRequest) -> str:
    principal = req.principal(*ADMIN)
    if principal.key_id:
        raise Forbidden("API keys cannot manage API keys")
    return principal.require_tenant()


@routes.route("GET", "/v1/api-keys", summary="List API keys", tag="users", roles=ADMIN, response=ApiKeyList)
def list_api_keys(req: ApiRequest) -> ApiKeyList:
    return service.list_keys(_key_admin(req))


@routes.route(
    "POST", "/v1/api-keys", summary="Create an API key (shown once)", tag="users", roles=ADMIN, body=ApiKeyCreate,
    status=201, response=ApiKeyCreated, no_store=True,
)  # fmt: skip
def create_api_key(req: ApiRequest) -> ApiKeyCreated:
    tenant_id = _key_admin(req)
    return service.create_key(tenant_id, req.body(ApiKeyCreate, "invalid API key"))


@routes.route(
    "DELETE", "/v1/api-keys/{key_id}", summary="Revoke an API key", tag="users", roles=ADMIN, status=204,
    patterns={"key_id": ID_PATTERN},
)  # fmt: skip
def delete_api_key(req: ApiRequest, key_id: str) -> None:
    service.delete_key(_key_admin(req), key_id)


# --- the caller's second factor (TOTP) ---------------------------------------------------------
@routes.route(
    "POST", "/v1/users/me/totp", summary="Start enrolling an authenticator app (the secret, shown once)",
    tag="auth", roles=ANY_USER, status=201, response=TotpStartOut, no_store=True, while_suspended=True,
    description="For a logged-in user (not an API key or an issued token). Add `otpauth_uri` to the app (a QR "
    "code), then confirm with a code: from then on a login needs `otp` too.",
)  # fmt: skip
def start_totp(req: ApiRequest) -> TotpStartOut:
    return service.totp_start(req.principal(*ANY_USER))


@routes.route(
    "POST", "/v1/users/me/totp/confirm", summary="Turn the second factor on with a code from the app",
    tag="auth", roles=ANY_USER, body=TotpCodeIn, status=204, while_suspended=True,
)  # fmt: skip
def confirm_totp(req: ApiRequest) -> None:
    principal = req.principal(*ANY_USER)
    service.totp_confirm(principal, req.body(TotpCodeIn, "invalid code").code)


@routes.route(
    "POST", "/v1/users/me/totp/disable", summary="Turn the second factor off (needs a current code)",
    tag="auth", roles=ANY_USER, body=TotpCodeIn, status=204, while_suspended=True,
)  # fmt: skip
def disable_totp(req: ApiRequest) -> None:
    principal = req.principal(*ANY_USER)
    service.totp_disable(principal, req.body(TotpCodeIn, "invalid code").code)


# --- issued tokens (revocable) ------------------------------------------------------------------
@routes.route(
    "GET", "/v1/tokens", summary="Tokens issued by the provider and operators that are still valid",
    tag="auth", roles=PROVIDER, response=IssuedTokenList, no_store=True,
    description="Tenant-admin tokens and provider tokens (login sessions and edge tokens are revoked by logout, "
    "user changes and token rotation). The tokens themselves are never shown again.",
)  # fmt: skip
def list_tokens(req: ApiRequest) -> IssuedTokenList:
    req.principal(*PROVIDER)
    return service.list_issued()


@routes.route(
    "DELETE", "/v1/tokens/{token_id}", summary="Revoke an issued token (it stops working at once)", tag="auth",
    roles=PROVIDER, status=204, patterns={"token_id": r"^[0-9a-f]{24}$"},
)  # fmt: skip
def revoke_token(req: ApiRequest, token_id: str) -> None:
    req.principal(*PROVIDER)
    service.revoke_issued(token_id)


@routes.route(
    "POST", "/v1/tokens/revoke-all", summary="Revoke every issued token, the caller's too", tag="auth",
    roles=PROVIDER, response=RevokedOut,
    description="For a leak: every tenant-admin and provider token stops working; issue a new provider token "
    "with `python -m infra.provider_token` (docs/deploy.md).",
)  # fmt: skip
def revoke_all_tokens(req: ApiRequest) -> RevokedOut:
    req.principal(*PROVIDER)
    return RevokedOut(revoked=service.revoke_all_issued())
