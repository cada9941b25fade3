"""Issue a provider token as an operator: signed with the deployment's JWT secret and
registered in its table, so the provider can list and revoke it (``GET /v1/tokens``,
``DELETE /v1/tokens/{id}``); a token signed with the secret but not registered is refused.

    python -m infra.provider_token [--sub ops-yourname] [--ttl 3600]

Reads the same settings as the API (control_plane/core/settings.py): the table
(``PROBOX_TABLE``, AWS credentials and region, ``AWS_ENDPOINT_URL`` locally) and the secret
(``PROBOX_SECRETS_ID``, or ``PROBOX_JWT_SECRET``). Prints only the token.
"""

from __future__ import annotations

import argparse
import getpass

from control_plane.core import auth
from control_plane.users import service as users

MAX_TTL_S = 7 * 86400


def issue(*, sub: str, ttl_s: int, by: str) -> str:
    return users.issue_token(auth.PROVIDER_ADMIN, tenant_id=None, ttl_s=ttl_s, by=by, sub=sub)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--sub", default=f"ops-{getpass.getuser()}", help="who the token is for (logged, listed)")
    ap.add_argument("--ttl", type=int, default=3600, help=f"seconds (at most {MAX_TTL_S})")
    a = ap.parse_args(argv)
    if not 60 <= a.ttl <= MAX_TTL_S:
        ap.error(f"--ttl must be from 60 to {MAX_TTL_S} seconds")
    print(issue(sub=a.sub, ttl_s=a.ttl, by=f"operator:{getpass.getuser()}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
