"""Encryption of stored secrets (SIP passwords, carrier trunk passwords).

Every ciphertext names its scheme in a prefix, so old and new ones decrypt side by side:

| prefix | scheme | written when |
|---|---|---|
| ``kms1:`` | envelope encryption with AWS KMS | ``PROBOX_KMS_KEY_ID`` is set (AWS) |
| ``fer1:`` | Fernet with ``PROBOX_SECRET_KEY`` | no KMS key configured (local runs, tests) |
| none | Fernet, as written before the prefixes existed | never (read only) |

Each ciphertext is bound to its owner: the tenant id and a context such as ``ext/101``.
KMS: a 256-bit data key from ``GenerateDataKey`` under the encryption context
``{"tenant_id": <id>, "purpose": "stored-secret"}``; the secret is sealed with AES-256-GCM
under it, with the owner as associated data, and stored as
``kms1:<wrapped data key>:<nonce + ciphertext + tag>`` (base64url). KMS refuses to unwrap
the data key under any other tenant id, and GCM refuses the ciphertext for any other
owner, so a ciphertext copied onto another tenant's or another row's item does not
decrypt. Fernet: the owner is inside the token and checked after decryption.

Data keys are cached in the process, as the AWS Encryption SDK's caching does: one data
key of a tenant seals at most ``MAX_MESSAGES`` secrets within ``MAX_AGE_S``, and an
unwrapped data key is reused for ``MAX_AGE_S``. A snapshot with many trunk passwords
then costs one KMS Decrypt per tenant, not one per secret. Both caches are keyed by the
tenant id too, so a cached key never skips KMS's encryption-context check.

Plaintexts, data keys and ciphertexts are never logged.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from control_plane.core import settings
from control_plane.core.settings import ConfigError

KMS_PREFIX = "kms1:"
FERNET_PREFIX = "fer1:"
PURPOSE = "stored-secret"
NONCE_BYTES = 12
MAX_AGE_S = 300.0
MAX_MESSAGES = 1000  # per cached data key (random 96-bit nonces allow far more)
MAX_UNWRAPPED = 1024  # unwrapped data keys kept (LRU)


class SecretCorrupt(RuntimeError):
    """A stored secret does not decrypt for its owner (server-side problem)."""


# --- scheme of a stored ciphertext ---------------------------------------------------------
def scheme(token: str) -> str:
    """``kms1``, ``fer1`` or ``fernet`` (unprefixed, older)."""
    if token.startswith(KMS_PREFIX):
        return "kms1"
    if token.startswith(FERNET_PREFIX):
        return "fer1"
    return "fernet"


def encrypt(tenant_id: str, context: str, plaintext: str) -> str:
    """Seal ``plaintext`` for its owner: with KMS when a key is configured, else Fernet."""
    key_id = settings.kms_key_id()
    if key_id:
        return _kms_encrypt(key_id, tenant_id, context, plaintext)
    doc = json.dumps({"t": tenant_id, "c": context, "v": plaintext}, separators=(",", ":"))
    return FERNET_PREFIX + _fernet().encrypt(doc.encode()).decode()


def decrypt(tenant_id: str, context: str, token: str) -> str:
    """The plaintext of a ciphertext of any scheme; SecretCorrupt when it is not this owner's."""
    if token.startswith(KMS_PREFIX):
        return _kms_decrypt(tenant_id, context, token[len(KMS_PREFIX) :])
    return _fernet_decrypt(tenant_id, context, token.removeprefix(FERNET_PREFIX))


# --- Fernet (settings key) --------------------------------------------------------------------
def _fernet() -> Fernet:
    try:
        return Fernet(settings.secret_key().encode())
    except (ValueError, TypeError) as exc:
        raise ConfigError("PROBOX_SECRET_KEY is not a valid Fernet key (Fernet.generate_key())") from exc


def _fernet_decrypt(tenant_id: str, context: str, token: str) -> str:
    try:
        doc = json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError) as exc:
        raise SecretCorrupt(f"stored secret of {tenant_id}/{context} does not decrypt") from exc
    if not isinstance(doc, dict) or doc.get("t") != tenant_id or doc.get("c") != context:
        raise SecretCorrupt(f"stored secret of {tenant_id}/{context} belongs to another owner")
    value = doc.get("v")
    if not isinstance(value, str):
        raise SecretCorrupt(f"stored secret of {tenant_id}/{context} is malformed")
    return value


# --- KMS envelope ------------------------------------------------------------------------------
@dataclass
class _DataKey:
    plain: bytes
    wrapped: bytes
    created: float
    uses: int = 0


_lock = threading.Lock()
_sealing: dict[tuple[str, str], _DataKey] = {}  # (key id, tenant) -> data key in use
_unwrapped: OrderedDict[tuple[bytes, str], tuple[bytes, float]] = OrderedDict()
_clients: dict[tuple[str, str | None], Any] = {}


def reset() -> None:
    """Forget cached data keys and clients (tests; a changed key or endpoint)."""
    with _lock:
        _sealing.clear()
        _unwrapped.clear()
        _clients.clear()


def _kms() -> Any:
    s = settings.aws()
    where = (s.region, s.endpoint_url)
    with _lock:
        client = _clients.get(where)
    if client is None:
        import boto3  # lazily: only the functions that touch secrets pay for it

        client = boto3.client("kms", region_name=s.region, endpoint_url=s.endpoint_url)
        with _lock:
            _clients[where] = client
    return client


def _encryption_context(tenant_id: str) -> dict[str, str]:
    return {"tenant_id": tenant_id, "purpose": PURPOSE}


def _aad(tenant_id: str, context: str) -> bytes:
    return json.dumps([tenant_id, context], separators=(",", ":")).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sealing_key(key_id: str, tenant_id: str) -> _DataKey:
    now = time.monotonic()
    with _lock:
        cached = _sealing.get((key_id, tenant_id))
        if cached is not None and now - cached.created < MAX_AGE_S and cached.uses < MAX_MESSAGES:
            cached.uses += 1
            return cached
    resp = _kms().generate_data_key(KeyId=key_id, KeySpec="AES_256", EncryptionContext=_encryption_context(tenant_id))
    fresh = _DataKey(plain=bytes(resp["Plaintext"]), wrapped=bytes(resp["CiphertextBlob"]), created=now, uses=1)
    with _lock:
        _sealing[(key_id, tenant_id)] = fresh
        _remember(fresh.wrapped, tenant_id, fresh.plain, now)
    return fresh


def _remember(wrapped: bytes, tenant_id: str, plain: bytes, now: float) -> None:
    """Keep an unwrapped data key (caller holds the lock)."""
    _unwrapped[(wrapped, tenant_id)] = (plain, now)
    _unwrapped.move_to_end((wrapped, tenant_id))
    while len(_unwrapped) > MAX_UNWRAPPED:
        _unwrapped.popitem(last=False)


def _kms_encrypt(key_id: str, tenant_id: str, context: str, plaintext: str) -> str:
    key = _sealing_key(key_id, tenant_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key.plain).encrypt(nonce, plaintext.encode(), _aad(tenant_id, context))
    return f"{KMS_PREFIX}{_b64(key.wrapped)}:{_b64(nonce + sealed)}"


def _unwrap(tenant_id: str, context: str, wrapped: bytes) -> bytes:
    now = time.monotonic()
    with _lock:
        hit = _unwrapped.get((wrapped, tenant_id))
        if hit is not None and now - hit[1] < MAX_AGE_S:
            _unwrapped.move_to_end((wrapped, tenant_id))
            return hit[0]
    client = _kms()
    try:
        resp = client.decrypt(CiphertextBlob=wrapped, EncryptionContext=_encryption_context(tenant_id))
    except client.exceptions.InvalidCiphertextException as exc:
        # Wrong tenant (encryption context) or a damaged blob; never the caller's fault.
        raise SecretCorrupt(f"stored secret of {tenant_id}/{context} does not decrypt for this tenant") from exc
    plain = bytes(resp["Plaintext"])
    with _lock:
        _remember(wrapped, tenant_id, plain, now)
    return plain


def _kms_decrypt(tenant_id: str, context: str, body: str) -> str:
    wrapped_b64, sep, sealed_b64 = body.partition(":")
    try:
        wrapped, sealed = _unb64(wrapped_b64), _unb64(sealed_b64)
    except (binascii.Error, ValueError) as exc:
        raise SecretCorrupt(f"stored secret of {tenant_id}/{context} is malformed") from exc
    if not sep or not wrapped or len(sealed) <= NONCE_BYTES:
        raise SecretCorrupt(f"stored secret of {tenant_id}/{context} is malformed")
    plain_key = _unwrap(tenant_id, context, wrapped)
    try:
        clear = AESGCM(plain_key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _aad(tenant_id, context))
    except InvalidTag as exc:
        raise SecretCorrupt(f"stored secret of {tenant_id}/{context} belongs to another owner") from exc
    return clear.decode()
