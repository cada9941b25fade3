"""Every page of the console, in Vietnamese and in English: axe-core finds no serious or
critical violation, and a screenshot of it is taken (into docs/console with
``make console-screenshots``, else into the test's temporary folder)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from pbx_core import events as ev
from tests.e2e.conftest import Seed, Session, run_axe, screenshot_dir
from tests.e2e.test_console_security import firewall_events, post_security_events

pytestmark = pytest.mark.e2e

LANGS = ("vi", "en")
TENANT_ADMIN_PAGES = (
    "dashboard", "calls", "extensions", "branches", "numbers", "trunks", "blocklist", "devices", "users",
    "api-keys", "settings", "live", "webhooks", "agent", "contacts", "tickets", "security", "queues",
)  # fmt: skip
PROVIDER_PAGES = ("tenants", "plans", "edges", "operators")
BLOCKING = ("serious", "critical")
CALL_CENTER_PAGES = ("wallboard",)  # tenant admins and supervisors (issue 16)


def check(s: Session, name: str, lang: str, out: Path, problems: list[str]) -> None:
    """axe on the page as it is now, then its screenshot."""
    found = run_axe(s.page)
    for v in found:
        if v["impact"] in BLOCKING:
            problems.append(f"{name} [{lang}] {v['impact']} {v['id']}: {v['help']} at {v['nodes']}")
    s.page.screenshot(path=str(out / f"{name}.{lang}.png"), full_page=True)


def live_call(seed: Seed, lang: str, kind: str) -> None:
    """A call of tenant A as its edge reports it (POST /edge/v1/events)."""
    import httpx

    from pbx_core.cdr import iso

    now = iso(datetime.now(UTC))
    legs = (
        ev.Leg("a", "0901234567", "101", "inbound", "", ev.Quality(3, 4.0, 40.0, 4.3, False)),
        ev.Leg("b", "0901234567", "101", "internal", "", ev.Quality(0, 2.0, 10.0, 4.4, True)),
    )
    e = ev.CallEvent(
        id=f"a11y-live-{lang}-{kind}", kind=kind, tenant_id=seed.a.id, call_id=f"a11y-live-{lang}", edge_id="",
        occurred_at=now, started_at=now, legs=legs, answered_at=now,
        ended_at=now if kind == ev.ENDED else None, disposition="answered" if kind == ev.ENDED else "",
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {seed.stack.edge_token}"}
    r = httpx.post(seed.stack.cfg.api_url + "/edge/v1/events", json={"events": [e.to_dict()]}, headers=headers)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_accessible_in_both_languages(seed: Seed, open_session: Any, lang: str, tmp_path: Path) -> None:
    out = screenshot_dir(tmp_path)
    problems: list[str] = []

    anon: Session = open_session(lang=lang, bypass_csp=True)
    anon.page.goto(seed.url)
    anon.ready()
    expect(anon.page.locator("html")).to_have_attribute("lang", lang)
    check(anon, "login", lang, out, problems)

    with seed.stack.api(seed.a.admin_token) as api:  # the webhooks page shows one
        if not api.get("/v1/webhooks").json()["items"]:
            api.post("/v1/webhooks", json={"url": "https://hooks.example.com/probox"}).raise_for_status()
    with seed.stack.api(seed.a.admin_token) as api:  # the tickets page shows one
        if not api.get("/v1/tickets").json()["items"]:
            api.post("/v1/tickets", json={"subject": "Khách hỏi hóa đơn"}).raise_for_status()
    post_security_events(seed, *firewall_events(seed.a.id, f"a11y-{lang}"))  # the security page shows two
    admin: Session = open_session(seed.admin_a, lang=lang, bypass_csp=True)
    for name in (*TENANT_ADMIN_PAGES, *CALL_CENTER_PAGES):
        page = admin.goto(name)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        if name == "calls":  # with a recording in the player
            page.locator(f"tbody tr[data-key='{seed.recorded.call_id}'] button").first.click()
            page.locator("audio").wait_for()
        if name == "extensions":  # with a provisioning QR code
            page.locator("tbody tr[data-key='102'] button").nth(1).click()
            page.locator("svg.qr").wait_for()
        if name == "live":  # a call on it, one leg with one-way audio
            live_call(seed, lang, ev.ANSWERED)
            page.locator(f"tbody tr[data-key='a11y-live-{lang}']").wait_for()
        if name == "webhooks":  # a webhook and its delivery log (the row's second button)
            page.locator("tbody tr button").nth(1).click()
            page.locator("section[aria-labelledby='deliveries-title']").wait_for()
        if name == "agent":  # with a caller's record, history and open tickets (issue 17)
            page = admin.goto(f"agent?number={seed.inbound.caller}")
            page.locator("section[aria-labelledby='history-title'] tbody tr").first.wait_for()
        if name == "security":  # a stranger's ban and a hold the admin may lift
            page.locator("tbody tr").first.wait_for()
        if name == "tickets":  # with a ticket in the list
            page.locator("tbody tr").first.wait_for()
        if name == "api-keys":  # a key as it is shown once
            page.locator("main button.primary").first.click()
            page.locator("form input").first.fill("Wallboard")
            page.locator("form button[type=submit]").click()
            page.locator(".secret-value").wait_for()
        check(admin, name, lang, out, problems)
        if name == "live":
            live_call(seed, lang, ev.ENDED)

    supervisor: Session = open_session(seed.supervisor_a, lang=lang, bypass_csp=True)
    supervisor.goto("users")
    check(supervisor, "forbidden", lang, out, problems)

    agent: Session = open_session(seed.agent_a, lang=lang, bypass_csp=True)
    agent.goto("calls")
    check(agent, "calls-agent", lang, out, problems)

    operator: Session = open_session(seed.operator, lang=lang, bypass_csp=True)
    for name in PROVIDER_PAGES:
        operator.goto(name)
        check(operator, name, lang, out, problems)

    assert not problems, "\n".join(problems)
    for s in (anon, admin, supervisor, agent, operator):
        assert not [e for e in s.console_errors if "Content Security Policy" not in e], s.console_errors
