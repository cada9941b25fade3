"""Write the contact routes of contacts made before routes existed (once, after deploying
routing by owner), or repair them: ``python -m control_plane.contact_routes.backfill
[tenant_id ...]`` (no id: every tenant). Each tenant's edges then re-read its whole list."""

from __future__ import annotations

import argparse
import json

from control_plane.contact_routes import service
from control_plane.core import store


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("tenant_ids", nargs="*", help="tenants to rebuild (default: every tenant)")
    a = ap.parse_args(argv)
    for tenant_id in a.tenant_ids or store.list_tenant_ids():
        print(json.dumps({"tenant_id": tenant_id, **service.rebuild(tenant_id)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
