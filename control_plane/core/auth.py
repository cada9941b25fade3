"""API tokens: HS256 JWTs with a role and, for tenant users and edges, the subject's id.

Roles: ``provider_admin`` (runs the service), ``tenant_admin``, ``supervisor`` and ``agent``
(one tenant, from the ``tenant_id`` claim only) and ``edge`` (an edge node, ``edge_id``
claim). Login tokens carry a session id (``sid``, revoked by logout); edge tokens a
generation (``gen``, revoked by rotating or deleting the edge). Both are checked against
the table by ``users.service.resolve``; this module is pure. Tokens are never logged.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt

from pbx_core.errors import Forbidden, Unauthorized

PROVIDER_ADMIN = "provider_admin"
TENANT_ADMIN = "tenant_admin"
SUPERVISOR = "supervisor"
AGENT = "agent"
EDGE = "edge"
TENANT_ROLES = (TENANT_ADMIN, SUPERVISOR, AGENT)
ROLES = (PROVIDER_ADMIN, *TENANT_ROLES, EDGE)

ISSUER = "probox"
ALGORITHM = "HS256"
DEFAULT_TTL_S = 3600
TENANT_ADMIN_TTL_S = 12 * 3600
# An edge's access token lives an hour; the edge gets a new one with its credential
# (edges.service.exchange). Tokens issued for longer (the 365-day tokens before issue 13)
# are refused by users.service.resolve.
EDGE_TTL_S = 3600


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    tenant_id: str | None = None
    edge_id: str | None = None
    sid: str | None = None  # login session (revocable)
    gen: int = 1  # edge token generation
    key_id: str | None = None  # set when the caller used an API key
    jti: str | None = None  # the token's id (an issued token must be registered under it)

    def context(self) -> dict[str, str]:
        """Authorizer context: API Gateway accepts only scalar values, so no None."""
        return {
            "sub": self.sub,
            "role": self.role,
            "tenant_id": self.tenant_id or "",
            "edge_id": self.edge_id or "",
        }

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise Forbidden(f"this operation needs the role {' or '.join(roles)}")

    def require_tenant(self, *roles: str) -> str:
        """The caller's tenant: the only source of a tenant id for tenant routes.

        ``roles`` defaults to tenant admins only.
        """
        self.require(*(roles or (TENANT_ADMIN,)))
        assert self.tenant_id  # guaranteed by verify()
        return self.tenant_id

    def require_edge(self) -> str:
        self.require(EDGE)
        assert self.edge_id
        return self.edge_id


def mint(
    secret: str,
    role: str,
    *,
    tenant_id: str | None = None,
    edge_id: str | None = None,
    sub: str | None = None,
    ttl_s: int = DEFAULT_TTL_S,
    now: float | None = None,
    sid: str | None = None,
    gen: int | None = None,
    jti: str | None = None,
) -> str:
    """A signed token. ``tenant_id`` is required for tenant roles, ``edge_id`` for edges."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role in TENANT_ROLES and not tenant_id:
        raise ValueError(f"a {role} token needs tenant_id")
    if role == EDGE and not edge_id:
        raise ValueError("an edge token needs edge_id")
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": sub or edge_id or (f"admin@{tenant_id}" if tenant_id else role),
        "role": role,
        "iat": issued,
        "exp": issued + int(ttl_s),
        "jti": jti or secrets.token_hex(8),
    }
    if role in TENANT_ROLES:
        claims["tenant_id"] = tenant_id
    if role == EDGE:
        claims["edge_id"] = edge_id
        claims["gen"] = int(gen or 1)
    if sid:
        claims["sid"] = sid
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer <jwt>`` header."""
    if not header:
        raise Unauthorized("missing Authorization header")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization must be 'Bearer <token>'")
    return token.strip()


def verify(secret: str, token: str) -> Principal:
    """Check signature, issuer, expiry and claims; raise Unauthorized otherwise."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"], "verify_iat": False},
            leeway=0,
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("invalid token") from exc
    role = claims.get("role")
    sub = claims.get("sub")
    tenant_id = claims.get("tenant_id")
    edge_id = claims.get("edge_id")
    sid = claims.get("sid")
    gen = claims.get("gen", 1)
    jti = claims.get("jti")
    if role not in ROLES or not isinstance(sub, str):
        raise Unauthorized("invalid token")
    if role in TENANT_ROLES and not (isinstance(tenant_id, str) and tenant_id):
        raise Unauthorized("invalid token")
    if role == EDGE and not (isinstance(edge_id, str) and edge_id):
        raise Unauthorized("invalid token")
    if role == EDGE and int(claims["exp"]) - int(claims["iat"]) > EDGE_TTL_S:
        # a long-lived edge token (365 days before issue 13): the edge must use its credential
        raise Unauthorized("edge token too long-lived; exchange the edge's credential for an access token")
    if (sid is not None and not isinstance(sid, str)) or not isinstance(gen, int) or isinstance(gen, bool):
        raise Unauthorized("invalid token")
    if jti is not None and not isinstance(jti, str):
        raise Unauthorized("invalid token")
    return Principal(
        sub=sub,
        role=role,
        tenant_id=tenant_id if role in TENANT_ROLES else None,
        edge_id=edge_id if role == EDGE else None,
        sid=sid,
        gen=gen,
        jti=jti,
    )
