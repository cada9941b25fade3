"""The console's Security page (issue 14 item 7): the edge firewall's bans and holds that
concern the company, explained in Vietnamese (or English), liftable only for the company's own
sources; the lift reaches the edge's snapshot; another company sees none of them."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Seed, Session

pytestmark = pytest.mark.e2e


def post_security_events(seed: Seed, *events: dict[str, Any]) -> None:
    """As the edge's edge_node.security_events posts what its firewall decided."""
    r = httpx.post(
        seed.stack.cfg.api_url + "/edge/v1/security-events",
        json={"events": list(events)},
        headers={"Authorization": f"Bearer {seed.stack.edge_token}"},
        timeout=15,
    )
    assert r.status_code == 200, r.text
    assert {x["status"] for x in r.json()["results"]} == {"stored"}, r.text


def firewall_events(tenant_id: str, tag: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A stranger's ban and a hold of extension 102 behind the office's network."""
    now = int(time.time())
    stranger = {
        "kind": "ban", "source": f"198.51.100.{len(tag) + 30}", "at": now, "tenant_id": tenant_id,
        "account": f"{tenant_id}/101", "reason": "auth_failures", "strike": 2, "until": now + 600,
        "evidence": f"5 wrong passwords for 101 ({tag})", "text": "Wrong passwords were tried from this address.",
    }  # fmt: skip
    held = {
        "kind": "hold", "source": "203.0.113.20", "at": now, "tenant_id": tenant_id, "subject": f"{tenant_id}/102",
        "account": f"{tenant_id}/102", "network": "203.0.113.0/24", "learned": True, "reason": "auth_failures",
        "strike": 1, "until": now + 3600, "evidence": f"stale password on one phone ({tag})",
        "text": "Wrong passwords were tried from this address.",
    }  # fmt: skip
    return stranger, held


def test_an_admin_reads_why_and_lifts_its_own_hold_and_the_edge_gets_it(seed: Seed, open_session: Any) -> None:
    stranger, held = firewall_events(seed.a.id, "lift")
    post_security_events(seed, stranger, held)
    s: Session = open_session(seed.admin_a)
    page = s.goto("security")
    hold_row = page.locator("tbody tr", has_text="stale password on one phone (lift)")
    ban_row = page.locator("tbody tr", has_text="5 wrong passwords for 101 (lift)")
    expect(hold_row).to_contain_text("Tạm khóa máy nhánh")
    expect(hold_row).to_contain_text("Có người thử sai mật khẩu từ địa chỉ này")  # the reason in Vietnamese
    expect(ban_row).to_contain_text("Chặn địa chỉ")
    expect(ban_row.get_by_role("button", name="Gỡ chặn")).to_have_count(0)  # a stranger: shown, not liftable
    hold_row.get_by_role("button", name="Gỡ chặn").click()
    hold_row.get_by_role("button", name="Xác nhận gỡ chặn").click()
    expect(page.get_by_role("status").filter(has_text="Đã gỡ chặn")).to_be_visible()
    expect(hold_row).to_contain_text("Đã gỡ")
    with seed.stack.api(seed.a.admin_token) as api:
        [mine] = [
            b for b in api.get("/v1/security/bans").json()["items"] if b["kind"] == "hold" and "(lift)" in b["evidence"]
        ]
    assert mine["lifted_at"] is not None and not mine["active"]

    # the lift is in the tenant's snapshot that the edges pull (this stack runs no edge; the
    # firewall's rtimer applying it is tests/integration/test_edge_firewall.py's)
    edge = {"Authorization": f"Bearer {seed.stack.edge_token}"}
    r = httpx.get(seed.stack.cfg.api_url + "/edge/v1/snapshot", headers=edge, timeout=15)
    [tenant] = [t for t in r.json()["tenants"] if t["id"] == seed.a.id]
    keys = [x["key"] for x in tenant["lifted_bans"]]
    assert f"h:{held['account']}@{held['network']}" in keys, keys


def test_a_supervisor_reads_without_lifting_and_another_company_sees_nothing(seed: Seed, open_session: Any) -> None:
    stranger, held = firewall_events(seed.a.id, "iso")
    post_security_events(seed, stranger, held)
    sup: Session = open_session(seed.supervisor_a)
    page = sup.goto("security")
    row = page.locator("tbody tr", has_text="stale password on one phone (iso)")
    expect(row).to_be_visible()
    expect(row.get_by_role("button", name="Gỡ chặn")).to_have_count(0)
    other: Session = open_session(seed.admin_b)
    page_b = other.goto("security")
    expect(page_b.locator("tbody tr", has_text="(iso)")).to_have_count(0)
    expect(page_b.locator("tbody tr", has_text="(lift)")).to_have_count(0)
    agent: Session = open_session(seed.agent_a)
    agent.goto("security")
    expect(agent.page.get_by_role("heading", level=1)).to_have_text("Không có quyền truy cập")


def test_the_page_in_english(seed: Seed, open_session: Any) -> None:
    stranger, held = firewall_events(seed.a.id, "english")
    post_security_events(seed, stranger, held)
    s: Session = open_session(seed.admin_a, lang="en")
    page = s.goto("security")
    row = page.locator("tbody tr", has_text="stale password on one phone (english)")
    expect(row).to_contain_text("Extension held")
    expect(row).to_contain_text("Wrong passwords were tried from this address")
    expect(row.get_by_role("button", name="Lift")).to_be_visible()


def test_enabling_1900_is_not_offered_to_a_tenant_admin(seed: Seed, open_session: Any) -> None:
    """Toll fraud (issue 14): only the provider turns 1900 calls on; the settings page says so
    instead of offering a checkbox the API would refuse (403)."""
    s: Session = open_session(seed.admin_a)
    page = s.goto("settings")
    expect(page.get_by_text("Gọi đầu số 1900: đang tắt")).to_be_visible()
    expect(page.get_by_label("Cho phép gọi đầu số 1900")).to_have_count(0)
