"""Bench 5: the web console's budgets (issue 15): first load <= 1 s on the local stack, its
JavaScript <= 300 KB gzipped.

    .venv/bin/python -m bench.console            # print the figures (JSON)
    .venv/bin/python -m bench.run --only console # the same, written into docs/benchmarks.md

The stack is the one ``make run`` starts minus the SIP edge (moto, ``chalice local``, the
console server), on free loopback ports, stopped by pid at the end. Each load is a new
browser context (no cache, no storage: a first visit) in Debian's Chromium driven by
Playwright: from the navigation's start to (a) the login form drawn and (b), with a login
session, the dashboard drawn with its figures loaded from the API (who am I and the tenant,
then calls today, storage and events: two rounds of API requests after the page's own files).
The bytes are those of web/dist as built (``make web``), gzipped at level 9 as CloudFront or
the console server would send them.
"""

from __future__ import annotations

import gzip
import json
import statistics
import tempfile
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
DIST = REPO / "web" / "dist"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BUDGET_LOAD_MS = 1000.0
BUDGET_JS_GZIP_KB = 300.0
LOADS = 15


def sizes(dist: Path = DIST) -> dict[str, Any]:
    """Raw and gzipped bytes of the build's JavaScript and CSS."""
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist}/index.html is missing: run `make web` first")
    out: dict[str, Any] = {"files": {}}
    for kind in ("js", "css"):
        raw = gz = 0
        for f in sorted((dist / "assets").glob(f"*.{kind}")):
            data = f.read_bytes()
            z = len(gzip.compress(data, compresslevel=9))
            out["files"][f.name] = {"bytes": len(data), "gzip_bytes": z}
            raw, gz = raw + len(data), gz + z
        out[f"{kind}_bytes"], out[f"{kind}_gzip_bytes"] = raw, gz
    return out


def _stats(ms: list[float]) -> dict[str, Any]:
    s = sorted(ms)
    return {
        "runs": len(s),
        "median_ms": round(statistics.median(s), 1),
        "p95_ms": round(s[min(len(s) - 1, round(0.95 * (len(s) - 1)))], 1),
        "max_ms": round(s[-1], 1),
        "min_ms": round(s[0], 1),
    }


def first_loads(loads: int = LOADS) -> dict[str, Any]:
    """Time to the drawn login form and to the drawn dashboard, each in a fresh context."""
    from playwright.sync_api import sync_playwright

    from infra.local_stack import Stack, StackConfig

    with tempfile.TemporaryDirectory(prefix="probox-bench-console-") as tmp:
        stack = Stack(StackConfig.free_ports(Path(tmp)))
        stack.start(edge=False)
        try:
            tenant = stack.create_tenant("Bench Co", "bench.probox.test", ["101", "102"])
            admin = stack.create_user(tenant, "admin@bench.probox.test", "tenant_admin")
            url = stack.cfg.console_url
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                try:
                    login = [_load(browser, url, None) for _ in range(loads + 1)][1:]  # the first warms the servers
                    tokens = [_token(stack.cfg.api_url, admin.email, admin.password) for _ in range(loads)]
                    dash = [_load(browser, url, t) for t in tokens]
                finally:
                    browser.close()
        finally:
            stack.stop()
    return {
        "login_form": _stats([x["drawn_ms"] for x in login]),
        "dashboard": _stats([x["drawn_ms"] for x in dash]),
        "dom_content_loaded": _stats([x["dcl_ms"] for x in login]),
        "requests_login": login[0]["requests"],
        "requests_dashboard": dash[0]["requests"],
        "transferred_bytes_login": login[0]["transferred"],
    }


def _token(api: str, email: str, password: str) -> str:
    r = httpx.post(f"{api}/v1/auth/login", json={"email": email, "password": password}, timeout=15)
    r.raise_for_status()
    token: str = r.json()["token"]
    return token


def _load(browser: Any, url: str, token: str | None) -> dict[str, Any]:
    ctx = browser.new_context()
    try:
        if token:
            ctx.add_init_script(f"sessionStorage.setItem('probox.token', {json.dumps(token)})")
        # The page notes the moment it is drawn itself (a DOM observer), so the figure does not
        # include the harness's polling or its round trips to the browser.
        done = (
            "document.querySelector('main h1')"
            if token is None
            else ("document.querySelector('.card .big') && !document.querySelector('.loading')")
        )
        ctx.add_init_script(
            "new MutationObserver((_, obs) => { if (" + done + ") { window.__drawn = performance.now(); "
            "obs.disconnect(); } }).observe(document, { childList: true, subtree: true });"
        )
        page = ctx.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url + ("#/dashboard" if token else ""))
        page.wait_for_function("() => window.__drawn !== undefined")
        timing: dict[str, float] = page.evaluate(
            """() => {
                const nav = performance.getEntriesByType('navigation')[0];
                const res = performance.getEntriesByType('resource');
                return {
                    drawn: window.__drawn,
                    dcl: nav.domContentLoadedEventEnd,
                    transferred: nav.transferSize + res.reduce((n, r) => n + r.transferSize, 0),
                };
            }"""
        )
        return {
            "drawn_ms": timing["drawn"],
            "dcl_ms": timing["dcl"],
            "transferred": int(timing["transferred"]),
            "requests": len(requests),
        }
    finally:
        ctx.close()


def bench_console(loads: int = LOADS) -> dict[str, Any]:
    size = sizes()
    load = first_loads(loads)
    return {
        **size,
        "loads": load,
        "budget_load_ms": BUDGET_LOAD_MS,
        "budget_js_gzip_kb": BUDGET_JS_GZIP_KB,
        "met": load["dashboard"]["p95_ms"] <= BUDGET_LOAD_MS and size["js_gzip_bytes"] / 1000 <= BUDGET_JS_GZIP_KB,
    }


if __name__ == "__main__":
    print(json.dumps(bench_console(), indent=2))
