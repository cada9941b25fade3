"""Users, roles, login sessions and API keys.

Roles: ``provider_admin`` (users of the provider scope), ``tenant_admin``, ``supervisor``
and ``agent`` (users of one tenant; an agent may be tied to an extension). Login with
e-mail and password (scrypt) returns a JWT bound to a session that logout ends; failed
logins are throttled per e-mail (429). API keys (``pbx_<id>_<secret>``, shown once, stored
as SHA-256) let integrations call the API with a tenant role.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from typing import Any

from chalicelib import auth, clock, common, passwords, schemas, settings, store
from chalicelib.errors import TooManyRequests
from chalicelib.log import logger
from chalicelib.metrics import count
from pbx_core.errors import Conflict, NotFound, Unauthorized, ValidationError

SESSION_TTL_S = 8 * 3600
LOGIN_MAX_FAILURES = 5  # per e-mail and source address
LOGIN_MAX_FAILURES_ANY_SOURCE = 50  # per e-mail from anywhere (distributed guessing)
LOGIN_WINDOW_S = 15 * 60
API_KEY_PREFIX = "pbx_"


def _now_ms() -> int:
    return int(time.time() * 1000)


def public(u: store.UserItem) -> dict[str, Any]:
    return {
        "id": u.user_id,
        "email": u.email,
        "name": u.name or "",
        "role": u.role,
        "extension": u.extension or "",
        "status": u.status,
        "tenant_id": u.tenant_id or None,
        "created_at": u.created_at,
        "updated_at": u.updated_at,
    }


def _roles_for(tenant_id: str | None) -> tuple[str, ...]:
    return auth.TENANT_ROLES if tenant_id else (auth.PROVIDER_ADMIN,)


def _check_role(tenant_id: str | None, role: str) -> None:
    if role not in _roles_for(tenant_id):
        allowed = ", ".join(_roles_for(tenant_id))
        raise ValidationError(f"role must be one of {allowed} here", fields={"role": f"one of {allowed}"})


def _ext_sk(number: str | None) -> str | None:
    return store.ext_sk(number) if number else None


def require(tenant_id: str | None, user_id: str) -> store.UserItem:
    common.check_id(user_id, "usr", "user")
    item = store.get_item(store.UserItem, store.scope_pk(tenant_id), store.user_sk(user_id))
    if item is None:
        raise NotFound("user not found")
    assert isinstance(item, store.UserItem)
    return item


def create(tenant_id: str | None, body: dict[str, Any]) -> dict[str, Any]:
    req = schemas.parse(schemas.UserCreate, body, "invalid user")
    _check_role(tenant_id, req.role)
    if req.extension and not tenant_id:
        raise ValidationError("provider users have no extension", fields={"extension": "not allowed"})
    user_id = common.new_id("usr")
    now = store.ts(clock.now())
    item = store.UserItem(
        store.scope_pk(tenant_id),
        store.user_sk(user_id),
        tenant_id=tenant_id or "",
        user_id=user_id,
        email=req.email,
        name=req.name,
        role=req.role,
        extension=req.extension,
        status="active",
        password_hash=passwords.hash_password(req.password),
        tokens_valid_after=0,
        rev=0,
        created_at=now,
        updated_at=now,
    )
    ops = [
        store.put_new(item, lambda: Conflict("user id collision, retry")),
        store.put_new(
            store.ClaimItem(f"EMAIL#{req.email}", "EMAIL", tenant_id=tenant_id or "", owner=user_id),
            lambda: Conflict(f"e-mail {req.email} is already in use", fields={"email": "already in use"}),
        ),
    ]
    if tenant_id:
        ops += store.ref_changes(tenant_id, "extension", None, _ext_sk(req.extension))
    store.commit(ops, bump=False)
    logger.info("user created", extra={"user_id": user_id, "role": req.role})
    return public(item)


def list_all(tenant_id: str | None) -> dict[str, Any]:
    items: list[store.UserItem] = store.list_scope(store.scope_pk(tenant_id), store.UserItem, "USER#")
    return common.page([public(u) for u in sorted(items, key=lambda u: u.email)])


def get(tenant_id: str | None, user_id: str) -> dict[str, Any]:
    return public(require(tenant_id, user_id))


def update(tenant_id: str | None, user_id: str, body: dict[str, Any], *, caller_sub: str) -> dict[str, Any]:
    item = require(tenant_id, user_id)
    req = schemas.parse(schemas.UserUpdate, body, "invalid user")
    sent = schemas.given(req)
    changes: dict[str, Any] = {f: getattr(req, f) for f in sent - {"password"}}
    if "role" in sent:
        _check_role(tenant_id, changes["role"])
    if "extension" in sent and req.extension and not tenant_id:
        raise ValidationError("provider users have no extension", fields={"extension": "not allowed"})
    if user_id == caller_sub and (changes.get("role", item.role) != item.role or changes.get("status") == "disabled"):
        raise Conflict("you cannot demote or disable yourself", fields={"role": "own account"})
    if "password" in sent:
        assert req.password is not None
        changes["password_hash"] = passwords.hash_password(req.password)
    if "password" in sent or changes.get("status") == "disabled":
        changes["tokens_valid_after"] = _now_ms()  # ends every open session
    if not changes:
        return public(item)
    ops: list[store.Op] = []
    if "extension" in sent and tenant_id:
        ops += store.ref_changes(tenant_id, "extension", _ext_sk(item.extension), _ext_sk(req.extension))
    changes["updated_at"] = store.ts(clock.now())
    store.commit(
        [
            store.patch(
                store.UserItem,
                store.scope_pk(tenant_id),
                store.user_sk(user_id),
                changes,
                rev=int(item.rev or 0),
                error=lambda: Conflict("user changed meanwhile, retry"),
            ),
            *ops,
        ],
        bump=False,
    )
    logger.info("user updated", extra={"user_id": user_id, "fields": sorted(sent)})
    return public(require(tenant_id, user_id))


def delete(tenant_id: str | None, user_id: str, *, caller_sub: str) -> None:
    item = require(tenant_id, user_id)
    if user_id == caller_sub:
        raise Conflict("you cannot delete yourself", fields={"id": "own account"})
    ops = [
        store.remove(
            store.UserItem, store.scope_pk(tenant_id), store.user_sk(user_id), error=lambda: NotFound("user not found")
        ),
        store.release(store.ClaimItem, f"EMAIL#{item.email}", "EMAIL"),
    ]
    if tenant_id:
        ops += store.ref_changes(tenant_id, "extension", _ext_sk(item.extension), None)
    store.commit(ops, bump=False)
    logger.info("user deleted", extra={"user_id": user_id})


# --- login / logout ------------------------------------------------------------------------
def login(body: dict[str, Any], *, source_ip: str = "") -> dict[str, Any]:
    """A session token for a correct e-mail and password.

    Failed attempts are counted per (e-mail, source address), so a guesser elsewhere does
    not lock the real user out, and per e-mail with a higher bar against guessing from
    many addresses; either limit answers 429 until the 15-minute window ends.
    """
    req = schemas.parse(schemas.LoginIn, body, "invalid login")
    email = req.email.strip().lower()
    now = int(time.time())
    keys = ((f"{email}|{source_ip[:64]}", LOGIN_MAX_FAILURES), (email, LOGIN_MAX_FAILURES_ANY_SOURCE))
    if any(store.login_failures(key, now_epoch=now) >= limit for key, limit in keys):
        count("LoginThrottled")
        raise TooManyRequests("too many failed logins; try again later", retry_after_s=LOGIN_WINDOW_S)
    claim = store.email_claim(email) if len(email) <= 254 else None
    user = (
        store.get_item(store.UserItem, store.scope_pk(claim.tenant_id or None), store.user_sk(claim.owner))
        if claim
        else None
    )
    ok = passwords.verify_password(req.password, user.password_hash if user else passwords.dummy_hash())
    if user is None or not ok or user.status != "active":
        for key, _ in keys:
            store.add_login_failure(key, now_epoch=now, window_s=LOGIN_WINDOW_S)
        count("LoginFailed")
        logger.info("login failed")
        raise Unauthorized("wrong e-mail or password")
    store.clear_login_failures(keys[0][0])
    sid = secrets.token_urlsafe(18)
    expires = now + SESSION_TTL_S
    store.put_session(
        sid, tenant_id=user.tenant_id or None, user_id=user.user_id, issued_at=_now_ms(), expires_at=expires
    )
    token = auth.mint(
        settings.jwt_secret(),
        user.role,
        tenant_id=user.tenant_id or None,
        sub=user.user_id,
        sid=sid,
        ttl_s=SESSION_TTL_S,
        now=now,
    )
    count("LoginSucceeded")
    logger.info("login", extra={"user_id": user.user_id, "tenant_id": user.tenant_id or None})
    return {
        "token": token,
        "expires_at": store.ts(datetime.fromtimestamp(expires, UTC)),
        "user": public(user),
    }


def logout(principal: auth.Principal) -> None:
    if not principal.sid:
        raise ValidationError(
            "this token has no login session (issued tokens expire; API keys are deleted)",
            fields={"authorization": "not a login token"},
        )
    store.delete_session(principal.sid)
    logger.info("logout", extra={"user_id": principal.sub})


def check_session(principal: auth.Principal) -> None:
    """A login token is valid while its session exists and its user is active."""
    assert principal.sid
    session = store.get_session(principal.sid)
    if session is None or session.user_id != principal.sub or int(session.expires_at) <= time.time():
        raise Unauthorized("session ended")
    user = store.get_item(store.UserItem, store.scope_pk(principal.tenant_id), store.user_sk(principal.sub))
    if (
        user is None
        or user.status != "active"
        or user.role != principal.role
        or int(session.issued_at or 0) <= int(user.tokens_valid_after or 0)
    ):
        raise Unauthorized("session ended")


def me(principal: auth.Principal) -> dict[str, Any]:
    user = None
    if principal.sid:
        item = store.get_item(store.UserItem, store.scope_pk(principal.tenant_id), store.user_sk(principal.sub))
        user = public(item) if item else None
    return {"sub": principal.sub, "role": principal.role, "tenant_id": principal.tenant_id, "user": user}


def agent_extension(principal: auth.Principal) -> str:
    """The extension an agent is tied to ("" when none): agents see only its calls."""
    if not principal.sid:
        return ""
    user = store.get_item(store.UserItem, store.scope_pk(principal.tenant_id), store.user_sk(principal.sub))
    return str(user.extension or "") if user else ""


# --- API keys ------------------------------------------------------------------------------
def key_public(k: store.ApiKeyItem) -> dict[str, Any]:
    return {"id": k.key_id, "name": k.name, "role": k.role, "prefix": k.prefix, "created_at": k.created_at}


def create_key(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    req = schemas.parse(schemas.ApiKeyCreate, body, "invalid API key")
    key_id = common.new_id("key")
    secret = f"{API_KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    key_hash = common.sha256(secret)
    item = store.ApiKeyItem(
        store.tenant_pk(tenant_id),
        store.key_sk(key_id),
        tenant_id=tenant_id,
        key_id=key_id,
        name=req.name,
        role=req.role,
        prefix=secret[:16],
        key_hash=key_hash,
        created_at=store.ts(clock.now()),
    )
    store.commit(
        [
            store.put_new(item, lambda: Conflict("key id collision, retry")),
            store.put_new(
                store.ApiKeyRefItem(f"APIKEY#{key_hash}", "APIKEY", tenant_id=tenant_id, key_id=key_id, role=req.role),
                lambda: Conflict("key collision, retry"),
            ),
        ],
        bump=False,
    )
    logger.info("api key created", extra={"key_id": key_id, "role": req.role})
    return {**key_public(item), "key": secret}


def list_keys(tenant_id: str) -> dict[str, Any]:
    items: list[store.ApiKeyItem] = store.list_children(tenant_id, store.ApiKeyItem, "KEY#")
    return common.page([key_public(k) for k in sorted(items, key=lambda k: k.created_at)])


def delete_key(tenant_id: str, key_id: str) -> None:
    common.check_id(key_id, "key", "API key")
    item = store.get_child(tenant_id, store.ApiKeyItem, store.key_sk(key_id))
    if item is None:
        raise NotFound("API key not found")
    store.commit(
        [
            store.remove(
                store.ApiKeyItem,
                store.tenant_pk(tenant_id),
                store.key_sk(key_id),
                error=lambda: NotFound("API key not found"),
            ),
            store.release(store.ApiKeyRefItem, f"APIKEY#{item.key_hash}", "APIKEY"),
        ],
        bump=False,
    )
    logger.info("api key deleted", extra={"key_id": key_id})


def principal_for_key(key: str) -> auth.Principal:
    if len(key) > 200:
        raise Unauthorized("invalid API key")
    ref = store.api_key_ref(common.sha256(key))
    if ref is None or ref.role not in auth.TENANT_ROLES or not ref.tenant_id:
        raise Unauthorized("invalid API key")
    return auth.Principal(sub=f"key:{ref.key_id}", role=ref.role, tenant_id=ref.tenant_id, key_id=ref.key_id)
