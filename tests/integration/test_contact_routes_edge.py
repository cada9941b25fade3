"""Issue 17 item 4 on the real stack (moto, chalice local, the edge agent): a contact created
with an owner shows up in the edge's ``contact-routes.sqlite`` within a few seconds, the
owner's extension in the snapshot's ``user_extensions``; the VIP tag and its removal follow.
The worker's side (ringing the owner, VIP first in a queue) reads the same file."""

from __future__ import annotations

import time
from typing import Any

import pytest

from edge_node import contact_routes
from infra.local_stack import Stack, Tenant

pytestmark = pytest.mark.integration

WITHIN_S = 8.0  # the agent reads the changes every 2 s


def _wait(predicate: Any, what: str) -> float:
    """Seconds until ``predicate()`` holds."""
    start = time.monotonic()
    while time.monotonic() - start < WITHIN_S:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"{what} not within {WITHIN_S} s")


def test_a_contact_with_an_owner_reaches_the_edge_file(stack: Stack, demo: Tenant) -> None:
    routes = contact_routes.ContactRoutes(contact_routes.path_beside(stack.cfg.snapshot_path))
    with stack.api(demo.admin_token) as api:
        r = api.post(
            "/v1/users",
            json={"email": "owner@demo.probox.test", "role": "agent", "password": "a-long-enough-password",
                  "extension": "102"},
        )  # fmt: skip
        assert r.status_code == 201, r.text
        owner = r.json()["id"]
        stack.wait_snapshot(
            lambda s: any(t["id"] == demo.id and t.get("user_extensions", {}).get(owner) == "102" for t in s["tenants"])
        )
        r = api.post("/v1/contacts", json={"name": "Khách của Lan", "numbers": ["0912777001"], "owner": owner})
        assert r.status_code == 201, r.text
        cid = r.json()["id"]
        took = _wait(
            lambda: routes.lookup(demo.id, "0912777001") == contact_routes.ContactRoute(owner, False), "the owner"
        )
        print(f"contact route on the edge after {took:.1f} s")
        r = api.patch(f"/v1/contacts/{cid}", json={"owner": "", "tags": ["VIP"]})
        assert r.status_code == 200, r.text
        _wait(lambda: routes.lookup(demo.id, "0912777001") == contact_routes.ContactRoute("", True), "the VIP")
        assert api.delete(f"/v1/contacts/{cid}").status_code == 204
        _wait(lambda: routes.lookup(demo.id, "0912777001") is None, "the removal")
    routes.close()
