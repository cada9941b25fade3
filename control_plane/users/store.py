"""User items (``<scope>`` / ``USER#<id>``: a tenant's partition or ``PROVIDER``), their
e-mail claims, API keys and their lookup by hash, login sessions and login throttles."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import BooleanAttribute, ListAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import DeleteError, UpdateError

from control_plane.core import keys, store


class UserItem(store.Item, discriminator="user"):
    tenant_id = UnicodeAttribute(default="")  # "" = a provider user
    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute(default="")
    role = UnicodeAttribute()
    extension = UnicodeAttribute(default="")
    status = UnicodeAttribute(default="active")
    password_hash = UnicodeAttribute()
    tokens_valid_after = NumberAttribute(default=0)  # epoch ms: login sessions issued before are void
    # TOTP second factor: the secret (core.crypto ciphertext; set at enrolment, used once
    # confirmed), whether it is required, and the last time step used (no replay).
    totp_secret = UnicodeAttribute(null=True)
    totp_enabled = BooleanAttribute(default=False)
    totp_last_step = NumberAttribute(default=0)
    # Networks this user logged in from ("<network>|<epoch s>", newest last): login
    # throttling treats them apart from strangers'.
    known_networks = ListAttribute(of=UnicodeAttribute, default=list)
    rev = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class ApiKeyItem(store.Item, discriminator="api_key"):
    tenant_id = UnicodeAttribute(default="")
    key_id = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    prefix = UnicodeAttribute()
    key_hash = UnicodeAttribute()
    created_at = UnicodeAttribute()
    expires_at = NumberAttribute(null=True)  # epoch s (keys made before expiry existed: none)


class ApiKeyRefItem(store.Item, discriminator="api_key_ref"):
    tenant_id = UnicodeAttribute(default="")
    key_id = UnicodeAttribute()
    role = UnicodeAttribute()
    expires_at = NumberAttribute(null=True)  # epoch s, checked at every request


class SessionItem(store.Item, discriminator="session"):
    tenant_id = UnicodeAttribute(default="")
    user_id = UnicodeAttribute()
    issued_at = NumberAttribute(default=0)  # epoch ms
    expires_at = NumberAttribute()
    ttl = TTLAttribute(null=True)


class IssuedTokenItem(store.Item, discriminator="issued_token"):
    """A token the API issued other than a login session or an edge token (a provider's
    tenant-admin token, an operator's provider token): valid only while this item exists."""

    scope = UnicodeAttribute()  # a tenant id, or "" for the provider
    role = UnicodeAttribute()
    sub = UnicodeAttribute()
    issued_by = UnicodeAttribute(default="")
    issued_at = UnicodeAttribute()
    expires_at = NumberAttribute()  # epoch s
    ttl = TTLAttribute(null=True)


class ThrottleItem(store.Item, discriminator="throttle"):
    failures = NumberAttribute(default=0)
    window_ends = NumberAttribute(default=0)
    ttl = TTLAttribute(null=True)


# --- users ---------------------------------------------------------------------------------------
def item(tenant_id: str | None, user_id: str, **fields: Any) -> UserItem:
    return UserItem(
        keys.scope_pk(tenant_id), keys.user_sk(user_id), tenant_id=tenant_id or "", user_id=user_id, **fields
    )


def get(tenant_id: str | None, user_id: str) -> UserItem | None:
    return store.get_item(UserItem, keys.scope_pk(tenant_id), keys.user_sk(user_id))


def list_all(tenant_id: str | None) -> list[UserItem]:
    return store.list_scope(keys.scope_pk(tenant_id), UserItem, keys.USER_PREFIX)


def email_claim(tenant_id: str | None, email: str, user_id: str) -> store.ClaimItem:
    pk, sk = keys.email_claim(email)
    return store.ClaimItem(pk, sk, tenant_id=tenant_id or "", owner=user_id)


def email_owner(email: str) -> store.ClaimItem | None:
    return store.get_item(store.ClaimItem, *keys.email_claim(email))


def release_email(email: str) -> store.Op:
    return store.release(store.ClaimItem, *keys.email_claim(email))


# --- API keys ------------------------------------------------------------------------------------
def key_item(tenant_id: str, key_id: str, **fields: Any) -> ApiKeyItem:
    return ApiKeyItem(keys.tenant_pk(tenant_id), keys.key_sk(key_id), tenant_id=tenant_id, key_id=key_id, **fields)


def key_ref(tenant_id: str, key_id: str, role: str, key_hash: str, expires_at: int) -> ApiKeyRefItem:
    pk, sk = keys.api_key_ref(key_hash)
    return ApiKeyRefItem(pk, sk, tenant_id=tenant_id, key_id=key_id, role=role, expires_at=expires_at)


def get_key(tenant_id: str, key_id: str) -> ApiKeyItem | None:
    return store.get_child(tenant_id, ApiKeyItem, keys.key_sk(key_id))


def list_keys(tenant_id: str) -> list[ApiKeyItem]:
    return store.list_children(tenant_id, ApiKeyItem, keys.KEY_PREFIX)


def key_by_hash(key_hash: str) -> ApiKeyRefItem | None:
    return store.get_item(ApiKeyRefItem, *keys.api_key_ref(key_hash))


def release_key_ref(key_hash: str) -> store.Op:
    return store.release(ApiKeyRefItem, *keys.api_key_ref(key_hash))


# --- issued tokens ---------------------------------------------------------------------------------
def put_issued(jti: str, **fields: Any) -> None:
    store.configure()
    expires_at = int(fields["expires_at"])
    IssuedTokenItem(keys.ISSUED_TOKENS_PK, jti, ttl=datetime.fromtimestamp(expires_at, UTC), **fields).save(
        condition=IssuedTokenItem.pk.does_not_exist()
    )


def get_issued(jti: str) -> IssuedTokenItem | None:
    return store.get_item(IssuedTokenItem, keys.ISSUED_TOKENS_PK, jti)


def list_issued() -> list[IssuedTokenItem]:
    store.configure()
    return list(IssuedTokenItem.query(keys.ISSUED_TOKENS_PK, consistent_read=True))


def delete_issued(jti: str) -> bool:
    """Revoke one issued token; False when there was none."""
    store.configure()
    try:
        IssuedTokenItem(keys.ISSUED_TOKENS_PK, jti).delete(condition=IssuedTokenItem.pk.exists())
    except DeleteError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def delete_issued_of(tenant_id: str) -> int:
    """Revoke every issued token of a tenant (offboarding); how many there were."""
    return sum(int(delete_issued(t.sk)) for t in list_issued() if t.scope == tenant_id)


# --- the second factor and known networks ------------------------------------------------------------
def use_totp_step(tenant_id: str | None, user_id: str, step: int) -> bool:
    """Record ``step`` as the user's last TOTP step if it is newer than the last one used:
    False for a replayed (or older) code, also under concurrent logins."""
    store.configure()
    last = UserItem.totp_last_step
    try:
        UserItem(keys.scope_pk(tenant_id), keys.user_sk(user_id)).update(
            actions=[last.set(step)],
            condition=UserItem.pk.exists() & (last.does_not_exist() | (last < step)),
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def set_known_networks(tenant_id: str | None, user_id: str, networks: list[str]) -> None:
    store.configure()
    UserItem(keys.scope_pk(tenant_id), keys.user_sk(user_id)).update(
        actions=[UserItem.known_networks.set(networks)],  # type: ignore[arg-type]  # pynamodb types the items as attributes
        condition=UserItem.pk.exists(),
    )


# --- sessions and login throttles ------------------------------------------------------------------
def put_session(sid: str, *, tenant_id: str | None, user_id: str, issued_at: int, expires_at: int) -> None:
    store.configure()
    pk, sk = keys.session(sid)
    SessionItem(
        pk,
        sk,
        tenant_id=tenant_id or "",
        user_id=user_id,
        issued_at=issued_at,
        expires_at=expires_at,
        ttl=datetime.fromtimestamp(expires_at, UTC),
    ).save()


def get_session(sid: str) -> SessionItem | None:
    return store.get_item(SessionItem, *keys.session(sid))


def delete_session(sid: str) -> None:
    store.configure()
    SessionItem(*keys.session(sid)).delete()


def login_failures(key: str, *, now_epoch: int) -> int:
    found = store.get_item(ThrottleItem, *keys.login_throttle(key))
    if found is None or int(found.window_ends) <= now_epoch:
        return 0
    return int(found.failures)


def add_login_failure(key: str, *, now_epoch: int, window_s: int) -> None:
    """Count a failed login; the window starts at the first failure and then expires."""
    pk, sk = keys.login_throttle(key)
    found = store.get_item(ThrottleItem, pk, sk)
    if found is None or int(found.window_ends) <= now_epoch:
        end = now_epoch + window_s
        ThrottleItem(pk, sk, failures=1, window_ends=end, ttl=datetime.fromtimestamp(end, UTC)).save()
        return
    found.update(actions=[ThrottleItem.failures.add(1)])


def clear_login_failures(key: str) -> None:
    store.configure()
    ThrottleItem(*keys.login_throttle(key)).delete()
