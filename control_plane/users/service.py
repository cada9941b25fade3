"""Users, roles, login sessions and API keys; and who is calling.

Roles: ``provider_admin`` (users of the provider scope), ``tenant_admin``, ``supervisor``
and ``agent`` (users of one tenant; an agent may be tied to an extension). Login with
e-mail and password (scrypt) returns a JWT bound to a session that logout ends; failed
logins are throttled per e-mail (429). API keys (``pbx_<id>_<secret>``, shown once, stored
as SHA-256) let integrations call the API with a tenant role.

``resolve`` turns a bearer token into the caller: JWT signature and expiry
(``core.auth``), then login tokens need their session, edge tokens their edge with the same
token generation, and ``pbx_...`` API keys their stored hash. The app's authorizer and
every view use it (API Gateway caches authorizer answers).
"""

from __future__ import annotations

import ipaddress
import secrets
import time
from datetime import UTC, datetime
from typing import Any

import pyotp

from control_plane.core import auth, clock, crypto, ids, settings, store
from control_plane.core.errors import TooManyRequests
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.core.schemas import given, parse
from control_plane.edges import store as edges_store
from control_plane.extensions import store as ext_store
from control_plane.users import passwords
from control_plane.users import store as users_store
from control_plane.users.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyList,
    ApiKeyOut,
    IssuedTokenList,
    IssuedTokenOut,
    LoginIn,
    LoginOut,
    MeOut,
    TotpStartOut,
    UserCreate,
    UserList,
    UserOut,
    UserUpdate,
)
from control_plane.users.store import ApiKeyItem, UserItem
from pbx_core.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationError

SESSION_TTL_S = 8 * 3600
# Login throttling (15-minute windows). An attacker cannot lock the real user out: its
# guesses fill the counters of its own addresses, and the account's own counter applies
# only to networks the user never logged in from (``known_networks``).
LOGIN_MAX_FAILURES = 5  # per e-mail and source address
LOGIN_MAX_FAILURES_SOURCE = 20  # per source address, any e-mail (one address spraying many accounts)
LOGIN_MAX_FAILURES_ACCOUNT = 20  # per e-mail, from networks it never logged in from (a botnet)
LOGIN_WINDOW_S = 15 * 60
KNOWN_NETWORKS = 20  # kept per user, newest first
KNOWN_NETWORK_DAYS = 90
API_KEY_PREFIX = "pbx_"
TOTP_ISSUER = "ProBox"
PROVIDER_SCOPE = "PROVIDER"  # the crypto scope of provider users' secrets


class OtpRequired(Unauthorized):
    """The password was right, but the user's TOTP code is needed too (401)."""

    code = "otp_required"


def _now_ms() -> int:
    return int(time.time() * 1000)


def public(u: UserItem) -> UserOut:
    return UserOut(
        id=u.user_id,
        email=u.email,
        name=u.name or "",
        role=u.role,  # type: ignore[arg-type]  # written from Role only
        extension=u.extension or "",
        status=u.status,  # type: ignore[arg-type]  # active | disabled
        tenant_id=u.tenant_id or None,
        totp_enabled=bool(u.totp_enabled),
        created_at=u.created_at,
        updated_at=u.updated_at,
    )


def _roles_for(tenant_id: str | None) -> tuple[str, ...]:
    return auth.TENANT_ROLES if tenant_id else (auth.PROVIDER_ADMIN,)


def _check_role(tenant_id: str | None, role: str) -> None:
    if role not in _roles_for(tenant_id):
        allowed = ", ".join(_roles_for(tenant_id))
        raise ValidationError(f"role must be one of {allowed} here", fields={"role": f"one of {allowed}"})


def require(tenant_id: str | None, user_id: str) -> UserItem:
    ids.check_id(user_id, "usr", "user")
    found = users_store.get(tenant_id, user_id)
    if found is None:
        raise NotFound("user not found")
    return found


def _bump(tenant_id: str | None, in_snapshot: bool) -> str | bool:
    """A tenant user with an extension is in the edge snapshot (``user_extensions``: a
    contact's owner rings there first): its changes bump the tenant's snapshot version."""
    return tenant_id if tenant_id and in_snapshot else False


def create(tenant_id: str | None, req: UserCreate) -> UserOut:
    _check_role(tenant_id, req.role)
    if req.extension and not tenant_id:
        raise ValidationError("provider users have no extension", fields={"extension": "not allowed"})
    user_id = ids.new_id("usr")
    now = store.ts(clock.now())
    user = users_store.item(
        tenant_id,
        user_id,
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
        store.put_new(user, lambda: Conflict("user id collision, retry")),
        store.put_new(
            users_store.email_claim(tenant_id, req.email, user_id),
            lambda: Conflict(f"e-mail {req.email} is already in use", fields={"email": "already in use"}),
        ),
    ]
    if tenant_id:
        ops += ext_store.ref_changes(tenant_id, "extension", None, req.extension)
    store.commit(ops, bump=_bump(tenant_id, bool(req.extension)))
    logger.info("user created", extra={"user_id": user_id, "role": req.role})
    return public(user)


def list_all(tenant_id: str | None) -> UserList:
    items = sorted(users_store.list_all(tenant_id), key=lambda u: u.email)
    return UserList(items=[public(u) for u in items], next=None)


def get(tenant_id: str | None, user_id: str) -> UserOut:
    return public(require(tenant_id, user_id))


def update(tenant_id: str | None, user_id: str, body: dict[str, Any], *, caller_sub: str) -> UserOut:
    """A change of the user: 404 for an unknown user before any field error."""
    user = require(tenant_id, user_id)
    req = parse(UserUpdate, body, "invalid user")
    sent = given(req)
    changes: dict[str, Any] = {f: getattr(req, f) for f in sent - {"password"}}
    if "role" in sent:
        _check_role(tenant_id, changes["role"])
    if "extension" in sent and req.extension and not tenant_id:
        raise ValidationError("provider users have no extension", fields={"extension": "not allowed"})
    if user_id == caller_sub and (changes.get("role", user.role) != user.role or changes.get("status") == "disabled"):
        raise Conflict("you cannot demote or disable yourself", fields={"role": "own account"})
    if "password" in sent:
        assert req.password is not None
        changes["password_hash"] = passwords.hash_password(req.password)
    if "password" in sent or changes.get("status") == "disabled":
        changes["tokens_valid_after"] = _now_ms()  # ends every open session
    if changes.pop("totp_reset", None):
        changes.update(totp_enabled=False, totp_secret=None)
    if not changes:
        return public(user)
    ops: list[store.Op] = []
    if "extension" in sent and tenant_id:
        ops += ext_store.ref_changes(tenant_id, "extension", user.extension, req.extension)
    # the snapshot's user_extensions: a user's extension, or whether it counts (active)
    snap = bool(user.extension or changes.get("extension")) and bool({"extension", "status"} & set(changes))
    store.save_changes(user, changes, what="user", bump=_bump(tenant_id, snap), now=clock.now(), ops=ops)
    logger.info("user updated", extra={"user_id": user_id, "fields": sorted(sent)})
    return public(require(tenant_id, user_id))


def delete(tenant_id: str | None, user_id: str, *, caller_sub: str) -> None:
    user = require(tenant_id, user_id)
    if user_id == caller_sub:
        raise Conflict("you cannot delete yourself", fields={"id": "own account"})
    ops = [
        store.remove(UserItem, user.pk, user.sk, error=lambda: NotFound("user not found")),
        users_store.release_email(user.email),
    ]
    if tenant_id:
        ops += ext_store.ref_changes(tenant_id, "extension", user.extension, None)
    store.commit(ops, bump=_bump(tenant_id, bool(user.extension)))
    logger.info("user deleted", extra={"user_id": user_id})


# --- login / logout ------------------------------------------------------------------------
def network(source_ip: str) -> str:
    """The network a login comes from: /24 of IPv4, /64 of IPv6 (an office's addresses)."""
    try:
        addr = ipaddress.ip_address(source_ip)
    except ValueError:
        return source_ip[:64]
    prefix = 24 if addr.version == 4 else 64
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))


def _known(user: UserItem, net: str, now: int) -> bool:
    cutoff = now - KNOWN_NETWORK_DAYS * 86400
    for entry in user.known_networks or []:
        name, _, seen = str(entry).rpartition("|")
        if name == net and seen.isdigit() and int(seen) >= cutoff:
            return True
    return False


def _remember(user: UserItem, net: str, now: int) -> None:
    cutoff = now - KNOWN_NETWORK_DAYS * 86400
    kept = [net + f"|{now}"]
    for entry in user.known_networks or []:
        name, _, seen = str(entry).rpartition("|")
        if name != net and seen.isdigit() and int(seen) >= cutoff and len(kept) < KNOWN_NETWORKS:
            kept.append(str(entry))
    users_store.set_known_networks(user.tenant_id or None, user.user_id, kept)


def login(req: LoginIn, *, source_ip: str = "") -> LoginOut:
    """A session token for a correct e-mail and password (and TOTP code, once enabled).

    Failed attempts are counted per (e-mail, source address) and per source address (an
    address spraying many accounts); per e-mail only from networks the user never logged in
    from (a botnet guessing one account), so guessing from elsewhere never locks the user
    out of the networks it uses. Any limit reached answers 429 until its window ends.
    """
    email = req.email.strip().lower()
    now = int(time.time())
    claim = users_store.email_owner(email) if len(email) <= 254 else None
    user = users_store.get(claim.tenant_id or None, claim.owner) if claim else None
    net = network(source_ip)
    throttles = [
        (f"{email}|{source_ip[:64]}", LOGIN_MAX_FAILURES),
        (f"src|{source_ip[:64]}", LOGIN_MAX_FAILURES_SOURCE),
    ]
    if user is None or not _known(user, net, now):
        throttles.append((email, LOGIN_MAX_FAILURES_ACCOUNT))
    if any(users_store.login_failures(key, now_epoch=now) >= limit for key, limit in throttles):
        count("LoginThrottled")
        raise TooManyRequests("too many failed logins; try again later", retry_after_s=LOGIN_WINDOW_S)
    ok = passwords.verify_password(req.password, user.password_hash if user else passwords.dummy_hash())
    if user is None or not ok or user.status != "active":
        _failed(throttles, now)
        raise Unauthorized("wrong e-mail or password")
    if user.totp_enabled:
        if req.otp is None:
            raise OtpRequired("enter the code of your authenticator app", fields={"otp": "required"})
        step = _totp_step(user, req.otp, now)
        if step is None or not users_store.use_totp_step(user.tenant_id or None, user.user_id, step):
            _failed(throttles, now)
            raise Unauthorized("wrong e-mail, password or code")
    users_store.clear_login_failures(throttles[0][0])
    _remember(user, net, now)
    sid = secrets.token_urlsafe(18)
    expires = now + SESSION_TTL_S
    users_store.put_session(
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
    return LoginOut(token=token, expires_at=store.ts(datetime.fromtimestamp(expires, UTC)), user=public(user))


def _failed(throttles: list[tuple[str, int]], now: int) -> None:
    for key, _ in throttles:
        users_store.add_login_failure(key, now_epoch=now, window_s=LOGIN_WINDOW_S)
    count("LoginFailed")
    logger.info("login failed")


# --- the second factor (TOTP, RFC 6238) -------------------------------------------------------
def _totp_context(user_id: str) -> str:
    return f"user/{user_id}/totp"


def _totp(user: UserItem) -> pyotp.TOTP | None:
    if not user.totp_secret:
        return None
    secret = crypto.decrypt(user.tenant_id or PROVIDER_SCOPE, _totp_context(user.user_id), user.totp_secret)
    return pyotp.TOTP(secret)


def _totp_step(user: UserItem, code: str, now: int) -> int | None:
    """The time step ``code`` belongs to (this one or a neighbour: clocks drift), or None."""
    totp = _totp(user)
    if totp is None:
        return None
    step = totp.timecode(datetime.fromtimestamp(now, UTC))
    for offset in (0, -1, 1):
        if secrets.compare_digest(totp.generate_otp(step + offset), code):
            return step + offset
    return None


def _login_user(principal: auth.Principal) -> UserItem:
    """The user behind a login session (the second factor is a person's, not a key's)."""
    user = users_store.get(principal.tenant_id, principal.sub) if principal.sid else None
    if user is None:
        raise Forbidden("only a logged-in user manages its own second factor")
    return user


def totp_start(principal: auth.Principal) -> TotpStartOut:
    """A new secret for the caller's authenticator (replaces an unconfirmed one; an enabled
    factor must be disabled first)."""
    user = _login_user(principal)
    if user.totp_enabled:
        raise Conflict("the second factor is already on: disable it first", fields={"totp": "enabled"})
    secret = pyotp.random_base32()
    sealed = crypto.encrypt(user.tenant_id or PROVIDER_SCOPE, _totp_context(user.user_id), secret)
    store.save_changes(user, {"totp_secret": sealed}, what="user", bump=False, now=clock.now())
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)
    logger.info("totp enrolment started", extra={"user_id": user.user_id})
    return TotpStartOut(secret=secret, otpauth_uri=uri)


def totp_confirm(principal: auth.Principal, code: str) -> None:
    """Turn the second factor on with a first code from the authenticator."""
    user = _login_user(principal)
    now = int(time.time())
    step = _totp_step(user, code, now)
    if user.totp_enabled or step is None:
        raise ValidationError("wrong code", fields={"code": "not the authenticator's current code"})
    changes = {"totp_enabled": True, "totp_last_step": step}
    store.save_changes(user, changes, what="user", bump=False, now=clock.now())
    logger.info("totp enabled", extra={"user_id": user.user_id})


def totp_disable(principal: auth.Principal, code: str) -> None:
    user = _login_user(principal)
    step = _totp_step(user, code, int(time.time())) if user.totp_enabled else None
    if step is None or not users_store.use_totp_step(user.tenant_id or None, user.user_id, step):
        raise ValidationError("wrong code", fields={"code": "not the authenticator's current code"})
    fresh = require(user.tenant_id or None, user.user_id)
    store.save_changes(fresh, {"totp_enabled": False, "totp_secret": None}, what="user", bump=False, now=clock.now())
    logger.info("totp disabled", extra={"user_id": user.user_id})


def logout(principal: auth.Principal) -> None:
    if not principal.sid:
        raise ValidationError(
            "this token has no login session (issued tokens expire; API keys are deleted)",
            fields={"authorization": "not a login token"},
        )
    users_store.delete_session(principal.sid)
    logger.info("logout", extra={"user_id": principal.sub})


def check_session(principal: auth.Principal) -> None:
    """A login token is valid while its session exists and its user is active."""
    assert principal.sid
    session = users_store.get_session(principal.sid)
    if session is None or session.user_id != principal.sub or int(session.expires_at) <= time.time():
        raise Unauthorized("session ended")
    user = users_store.get(principal.tenant_id, principal.sub)
    if (
        user is None
        or user.status != "active"
        or user.role != principal.role
        or int(session.issued_at or 0) <= int(user.tokens_valid_after or 0)
    ):
        raise Unauthorized("session ended")


def me(principal: auth.Principal) -> MeOut:
    user = users_store.get(principal.tenant_id, principal.sub) if principal.sid else None
    return MeOut(
        sub=principal.sub, role=principal.role, tenant_id=principal.tenant_id, user=public(user) if user else None
    )


def agent_extension(principal: auth.Principal) -> str:
    """The extension an agent is tied to ("" when none): agents see only its calls."""
    if not principal.sid:
        return ""
    user = users_store.get(principal.tenant_id, principal.sub)
    return str(user.extension or "") if user else ""


# --- API keys ------------------------------------------------------------------------------
# Keys made before keys expired (issue 13) end on this date, 90 days after the release that
# brought expiry: the authorizer may only read, so it cannot stamp an end on first use, and
# ending them at created_at + 90 days would cut live integrations off without warning.
API_KEY_LEGACY_END = int(datetime(2027, 3, 5, tzinfo=UTC).timestamp())


def key_public(k: ApiKeyItem) -> ApiKeyOut:
    expires = store.ts(datetime.fromtimestamp(int(k.expires_at or API_KEY_LEGACY_END), UTC))
    return ApiKeyOut(
        id=k.key_id,
        name=k.name,
        role=k.role,  # type: ignore[arg-type]  # written from TenantRole only
        prefix=k.prefix,
        created_at=k.created_at,
        expires_at=expires,
    )


def create_key(tenant_id: str, req: ApiKeyCreate) -> ApiKeyCreated:
    key_id = ids.new_id("key")
    secret = f"{API_KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    key_hash = ids.sha256(secret)
    now = clock.now()
    expires_at = int(now.timestamp()) + req.expires_in_days * 86400
    key = users_store.key_item(
        tenant_id,
        key_id,
        name=req.name,
        role=req.role,
        prefix=secret[:16],
        key_hash=key_hash,
        created_at=store.ts(now),
        expires_at=expires_at,
    )
    ref = users_store.key_ref(tenant_id, key_id, req.role, key_hash, expires_at)
    store.commit(
        [
            store.put_new(key, lambda: Conflict("key id collision, retry")),
            store.put_new(ref, lambda: Conflict("key collision, retry")),
        ],
        bump=False,
    )
    logger.info("api key created", extra={"key_id": key_id, "role": req.role})
    return ApiKeyCreated(**key_public(key).model_dump(), key=secret)


def list_keys(tenant_id: str) -> ApiKeyList:
    items = sorted(users_store.list_keys(tenant_id), key=lambda k: k.created_at)
    return ApiKeyList(items=[key_public(k) for k in items], next=None)


def delete_key(tenant_id: str, key_id: str) -> None:
    ids.check_id(key_id, "key", "API key")
    key = users_store.get_key(tenant_id, key_id)
    if key is None:
        raise NotFound("API key not found")
    store.commit(
        [
            store.remove(ApiKeyItem, key.pk, key.sk, error=lambda: NotFound("API key not found")),
            users_store.release_key_ref(key.key_hash),
        ],
        bump=False,
    )
    logger.info("api key deleted", extra={"key_id": key_id})


def _check_issued(principal: auth.Principal) -> None:
    """A token that is neither a login session nor an edge's is valid while its record exists
    (a token signed with the secret but never issued, or revoked, is refused)."""
    issued = users_store.get_issued(principal.jti) if principal.jti and len(principal.jti) <= 64 else None
    if (
        issued is None
        or issued.role != principal.role
        or (issued.scope or None) != principal.tenant_id
        or int(issued.expires_at) <= time.time()
    ):
        raise Unauthorized("token revoked or never issued")


def principal_for_key(key: str) -> auth.Principal:
    if len(key) > 200:
        raise Unauthorized("invalid API key")
    ref = users_store.key_by_hash(ids.sha256(key))
    if ref is None or ref.role not in auth.TENANT_ROLES or not ref.tenant_id:
        raise Unauthorized("invalid API key")
    if int(ref.expires_at or API_KEY_LEGACY_END) <= clock.now().timestamp():
        raise Unauthorized("API key expired")
    return auth.Principal(sub=f"key:{ref.key_id}", role=ref.role, tenant_id=ref.tenant_id, key_id=ref.key_id)


# --- issued tokens ---------------------------------------------------------------------------
def issue_token(role: str, *, tenant_id: str | None, ttl_s: int, by: str, sub: str | None = None) -> str:
    """A token of ``role`` that stays valid only while its record exists: the provider's
    tenant-admin tokens and operators' provider tokens. Revocable one by one or all at once."""
    jti = secrets.token_hex(12)
    now = int(time.time())
    token = auth.mint(settings.jwt_secret(), role, tenant_id=tenant_id, sub=sub, ttl_s=ttl_s, now=now, jti=jti)
    claims_sub = sub or (f"admin@{tenant_id}" if tenant_id else role)
    users_store.put_issued(
        jti,
        scope=tenant_id or "",
        role=role,
        sub=claims_sub,
        issued_by=by,
        issued_at=store.ts(datetime.fromtimestamp(now, UTC)),
        expires_at=now + ttl_s,
    )
    logger.info("token issued", extra={"token_id": jti, "role": role, "tenant_id": tenant_id, "by": by})
    return token


def issued_public(t: Any) -> IssuedTokenOut:
    return IssuedTokenOut(
        id=t.sk,
        role=t.role,
        tenant_id=t.scope or None,
        sub=t.sub,
        issued_by=t.issued_by or "",
        issued_at=t.issued_at,
        expires_at=store.ts(datetime.fromtimestamp(int(t.expires_at), UTC)),
    )


def list_issued() -> IssuedTokenList:
    now = time.time()
    live = [t for t in users_store.list_issued() if int(t.expires_at) > now]
    return IssuedTokenList(items=[issued_public(t) for t in sorted(live, key=lambda t: t.issued_at)], next=None)


def revoke_issued(token_id: str) -> None:
    if not (len(token_id) == 24 and all(c in "0123456789abcdef" for c in token_id)) or not users_store.delete_issued(
        token_id
    ):
        raise NotFound("token not found")
    logger.warning("token revoked", extra={"token_id": token_id})


def revoke_all_issued() -> int:
    """Every issued token stops working (the caller's own too: issue a new one)."""
    n = sum(int(users_store.delete_issued(t.sk)) for t in users_store.list_issued())
    logger.warning("every issued token revoked", extra={"count": n})
    return n


# --- who is calling --------------------------------------------------------------------------
def resolve(header: str | None) -> auth.Principal:
    """The caller of ``Authorization: Bearer <jwt or API key>``, checked against the table."""
    token = auth.bearer_token(header)
    if token.startswith(API_KEY_PREFIX):
        return principal_for_key(token)
    principal = auth.verify(settings.jwt_secret(), token)
    if principal.sid:
        check_session(principal)
    elif principal.role != auth.EDGE:
        _check_issued(principal)
    if principal.role == auth.EDGE:
        assert principal.edge_id
        # as read in the last edges.store.RECENT_S seconds: a rotation or deletion made by
        # another process is refused here at most that much later
        edge = edges_store.get_recent(principal.edge_id) if len(principal.edge_id) <= 63 else None
        if edge is None or int(edge.token_gen or 1) != principal.gen:
            raise Unauthorized("edge token revoked")
    return principal
