"""Secrets sealed to one edge node (issue 13, item 4): the control plane puts a carrier
password into an edge's snapshot so that only that edge can read it.

Each edge has an X25519 key pair; the private key stays in a 0600 file on the edge
(``edge_node.seal_key``), the public key is registered with the control plane. Sealing is
an anonymous sealed box built from ``cryptography``'s primitives: a fresh ephemeral X25519
key per secret, HKDF-SHA256 over the shared secret and both public keys, and
ChaCha20-Poly1305 with the secret's place (tenant and trunk) as associated data, so a
sealed value moved to another trunk or tenant in the snapshot does not open there.

Text form: ``seal1:`` + base64url(ephemeral public key (32 bytes) || ciphertext).
"""

from __future__ import annotations

import base64

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pbx_core.errors import ValidationError

PREFIX = "seal1:"
_INFO = b"probox-seal-v1"
_NONCE = b"\x00" * 12  # the key is fresh for every message (ephemeral sender key)


def new_private_key() -> bytes:
    """32 random bytes: an X25519 private key."""
    return X25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def public_key(private: bytes) -> str:
    """The public key of ``private``, base64url without padding (what the edge registers)."""
    raw = (
        X25519PrivateKey.from_private_bytes(private)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return _b64(raw)


def parse_public_key(text: str) -> bytes:
    """The 32 raw bytes of a registered public key; ValidationError if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ValidationError("not a public key", fields={"public_key": "base64url X25519 key"}) from exc
    if len(raw) != 32 or raw == b"\x00" * 32:
        raise ValidationError("not a public key", fields={"public_key": "32-byte X25519 key"})
    return raw


def seal(public: str, plaintext: str, context: str) -> str:
    """``plaintext`` sealed to the holder of ``public``'s private key, bound to ``context``."""
    recipient = X25519PublicKey.from_public_bytes(parse_public_key(public))
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = _key(eph.exchange(recipient), eph_pub, parse_public_key(public))
    ct = ChaCha20Poly1305(key).encrypt(_NONCE, plaintext.encode(), context.encode())
    return PREFIX + _b64(eph_pub + ct)


def open_sealed(private: bytes, sealed: str, context: str) -> str:
    """The plaintext of ``sealed``; ValueError if it was not sealed to this key and context."""
    if not sealed.startswith(PREFIX):
        raise ValueError("not a sealed value")
    body = sealed[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError("not a sealed value") from exc
    if len(raw) < 32 + 16:
        raise ValueError("not a sealed value")
    eph_pub, ct = raw[:32], raw[32:]
    me = X25519PrivateKey.from_private_bytes(private)
    my_pub = me.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = _key(me.exchange(X25519PublicKey.from_public_bytes(eph_pub)), eph_pub, my_pub)
    try:
        return ChaCha20Poly1305(key).decrypt(_NONCE, ct, context.encode()).decode()
    except InvalidTag as exc:
        raise ValueError("sealed to another key or another place") from exc


def trunk_context(tenant_id: str, trunk_id: str) -> str:
    """Where a carrier password belongs (the associated data of its seal)."""
    return f"trunk-password:{tenant_id}:{trunk_id}"


def _key(shared: bytes, eph_pub: bytes, recipient_pub: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO + eph_pub + recipient_pub).derive(shared)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
