"""Who is calling: the bearer token checked against the table where it must be.

JWT signature and expiry (``auth``), then: login tokens need their session, edge tokens
their edge with the same token generation, and ``pbx_...`` API keys their stored hash.
Used by the authorizer and again by every view (API Gateway caches authorizer answers).
"""

from __future__ import annotations

from chalicelib import auth, settings, store, users
from pbx_core.errors import Unauthorized


def resolve(header: str | None) -> auth.Principal:
    token = auth.bearer_token(header)
    if token.startswith(users.API_KEY_PREFIX):
        return users.principal_for_key(token)
    principal = auth.verify(settings.jwt_secret(), token)
    if principal.sid:
        users.check_session(principal)
    if principal.role == auth.EDGE:
        assert principal.edge_id
        edge = store.get_edge(principal.edge_id) if len(principal.edge_id) <= 63 else None
        if edge is None or int(edge.token_gen or 1) != principal.gen:
            raise Unauthorized("edge token revoked")
    return principal
