"""Browser tests of the web console: Debian's Chromium driven by Playwright (Python), against
a real stack started once per session on free loopback ports: moto, ``chalice local`` and
the console server (``infra.console``: the built ``web/dist`` + the API behind it), as
``make run`` starts them minus the SIP edge (CDRs come in through the edge API with the
stack's edge token, one with a real Ogg Opus recording in moto's S3).

Every process is stopped by pid when the session ends, also when a test fails. The browser
is the system's ``/usr/bin/chromium`` (no browser download); ``make web`` builds the
console first (``make test`` does).
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from infra.local_stack import Login, Stack, StackConfig, Tenant
from pbx_core.cdr import iso

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "web" / "dist"
AXE = REPO / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("PROBOX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # root in CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",  # the machine's closed network refuses Google's hosts
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Where the screenshots go: docs/console with `make console-screenshots`, else the test's tmp.
SCREENSHOTS_ENV = "PROBOX_CONSOLE_SCREENSHOTS"
PAGE_SIZE = 25  # web/src/pages/Calls.tsx
BULK_CALLS = 30  # more than one page


@dataclass
class Call:
    """A CDR posted through the edge API."""

    tenant_id: str
    call_id: str
    caller: str
    callee: str
    started: datetime
    direction: str
    disposition: str
    duration_s: float = 0.0
    recording_key: str | None = None
    recording_bytes: int = 0
    recording_upload: str | None = None  # where the edge uploaded it (incoming/<edge_id>/...)
    quality: list[dict[str, Any]] | None = None  # B3, per leg, as the worker writes it

    def doc(self, edge_id: str) -> dict[str, Any]:
        answered = self.disposition == "answered"
        ended = self.started + timedelta(seconds=self.duration_s + (0 if answered else 12))
        return {
            "tenant_id": self.tenant_id,
            "call_id": self.call_id,
            "caller": self.caller,
            "callee": self.callee,
            "started_at": iso(self.started),
            "answered_at": iso(self.started + timedelta(seconds=3)) if answered else None,
            "ended_at": iso(ended),
            "duration_s": self.duration_s,
            "billable_s": int(self.duration_s),
            "disposition": self.disposition,
            "sip_code": {"answered": 200, "busy": 486, "no_answer": 480, "cancelled": 487}.get(self.disposition, 500),
            "hangup_side": "caller",
            "direction": self.direction,
            "edge_id": edge_id,
            "worker_id": "w1",
            "recording_key": self.recording_key,
            "recording_format": "opus" if self.recording_key else None,
            "recording_bytes": self.recording_bytes,
            "recording_upload": self.recording_upload,
            **({"quality": self.quality} if self.quality is not None else {}),
        }


@dataclass
class Seed:
    stack: Stack
    a: Tenant
    b: Tenant
    admin_a: Login
    supervisor_a: Login
    agent_a: Login  # extension 101
    admin_b: Login
    operator: Login
    recorded: Call  # 101 -> 102, answered, with a real Ogg Opus recording
    recording_s: float  # that file's duration
    inbound: Call  # 0901234567 -> 101
    calls_a: list[Call] = field(default_factory=list)
    calls_b: list[Call] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.stack.cfg.console_url

    def token(self, login: Login) -> str:
        r = httpx.post(
            self.stack.cfg.api_url + "/v1/auth/login",
            json={"email": login.email, "password": login.password},
            timeout=15,
        )
        r.raise_for_status()
        token: str = r.json()["token"]
        return token


def ogg_opus_seconds(data: bytes) -> float:
    """Playback length of an Ogg Opus file: last granule position minus pre-skip, at 48 kHz."""
    head = data.find(b"OpusHead")
    if head < 0:
        raise ValueError("not an Ogg Opus file")
    pre_skip = struct.unpack_from("<H", data, head + 10)[0]
    last = data.rfind(b"OggS")
    granule = struct.unpack_from("<q", data, last + 6)[0]
    return (granule - pre_skip) / 48000


def make_recording(tmp: Path, seconds: float = 4.2) -> bytes:
    """A small real recording: a tone (sox) encoded by opusenc, as the edge uploads them."""
    wav, opus = tmp / "tone.wav", tmp / "tone.opus"
    tone = ["synth", str(seconds), "sine", "440", "vol", "0.3"]
    subprocess.run(["sox", "-n", "-r", "48000", "-c", "1", "-b", "16", str(wav), *tone], check=True)
    subprocess.run(["opusenc", "--quiet", "--bitrate", "16", str(wav), str(opus)], check=True)
    return opus.read_bytes()


def _post_calls(stack: Stack, calls: list[Call]) -> None:
    headers = {"Authorization": f"Bearer {stack.edge_token}"}
    with httpx.Client(base_url=stack.cfg.api_url, headers=headers, timeout=15) as edge:
        for c in calls:
            r = edge.post("/edge/v1/cdrs", json=c.doc(stack.cfg.edge_id))
            assert r.status_code == 201, r.text


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seed]:
    if not (DIST / "index.html").is_file():
        pytest.fail("the console is not built: run `make web` (make test does)")
    root = tmp_path_factory.mktemp("console-stack")
    stack = Stack(StackConfig.free_ports(root))
    stack.start(edge=False)
    try:
        yield _seed(stack, root)
    finally:
        stack.stop()


def _seed(stack: Stack, root: Path) -> Seed:
    a = stack.create_tenant("Công ty Demo", "demo.probox.test", ["101", "102", "103", "105", "106"])
    b = stack.create_tenant("Other Co", "other.probox.test", ["201", "202"])
    admin_a = stack.create_user(a, "admin@demo.probox.test", "tenant_admin")
    supervisor_a = stack.create_user(a, "supervisor@demo.probox.test", "supervisor")
    agent_a = stack.create_user(a, "agent101@demo.probox.test", "agent", extension="101")
    admin_b = stack.create_user(b, "admin@other.probox.test", "tenant_admin")
    operator = stack.create_user(None, "operator@probox.test", "provider_admin")

    now = datetime.now(UTC).replace(microsecond=0)
    audio = make_recording(root)
    seconds = ogg_opus_seconds(audio)
    recorded = Call(a.id, "e2e-rec-1", "101", "102", now - timedelta(minutes=20), "internal", "answered", seconds)
    # the control plane moves the edge's upload to this key when it takes the CDR
    recorded.recording_key = f"tenants/{a.id}/recordings/{recorded.started:%Y/%m/%d}/{recorded.call_id}.opus"
    recorded.recording_upload = f"incoming/{stack.cfg.edge_id}/{recorded.call_id}.opus"  # as the edge uploads it
    recorded.recording_bytes = len(audio)
    recorded.quality = [  # B3 on the Calls page (the a11y test's screenshot): one leg heard nothing
        {"leg": "a", "party": "101", "packets_lost": 4, "jitter_ms": 6.2, "rtt_ms": 41.0, "mos": 4.2},
        {
            "leg": "b",
            "party": "102",
            "packets_lost": 0,
            "jitter_ms": 0.0,
            "rtt_ms": None,
            "mos": None,
            "one_way_audio": True,
        },
    ]
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=stack.cfg.aws_endpoint_url,
        region_name=stack.cfg.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.put_object(Bucket=stack.cfg.bucket, Key=recorded.recording_upload, Body=audio, ContentType="audio/ogg")
    inbound = Call(a.id, "e2e-in-1", "0901234567", "101", now - timedelta(minutes=40), "inbound", "answered", 65.0)
    calls_a = [
        recorded,
        inbound,
        Call(a.id, "e2e-missed-1", "102", "101", now - timedelta(minutes=50), "internal", "no_answer"),
        Call(a.id, "e2e-out-1", "103", "0912345678", now - timedelta(minutes=30), "outbound", "busy"),
        Call(a.id, "e2e-now-1", "102", "103", now - timedelta(seconds=30), "internal", "answered", 12.0),
    ]
    two_days = now - timedelta(days=2)
    calls_a += [
        Call(a.id, f"e2e-bulk-{i:02d}", "105", "106", two_days + timedelta(minutes=i), "internal", "answered", 30.0 + i)
        for i in range(BULK_CALLS)
    ]
    calls_b = [Call(b.id, "e2e-b-1", "201", "0987654321", now - timedelta(minutes=10), "outbound", "answered", 33.0)]
    _post_calls(stack, calls_a + calls_b)
    _configure(stack, a)
    return Seed(
        stack=stack,
        a=a,
        b=b,
        admin_a=admin_a,
        supervisor_a=supervisor_a,
        agent_a=agent_a,
        admin_b=admin_b,
        operator=operator,
        recorded=recorded,
        recording_s=seconds,
        inbound=inbound,
        calls_a=calls_a,
        calls_b=calls_b,
    )


def _configure(stack: Stack, tenant: Tenant) -> None:
    """A little of every resource, so that each page has rows to show (and to check)."""
    with stack.api(tenant.admin_token) as api:
        api.post("/v1/branches", json={"name": "Hà Nội", "prefix": "8"}).raise_for_status()
        trunk = api.post(
            "/v1/trunks", json={"name": "Viettel", "host": "sip.carrier.example", "ips": ["203.0.113.10"]}
        ).raise_for_status()
        doc = api.get("/v1/openapi.json").raise_for_status().json()
        if "/v1/tenants/{tenant_id}/numbers" in doc["paths"]:  # the provider assigns numbers first
            with stack.api() as provider:
                assign = {"numbers": ["02873001234"]}
                provider.post(f"/v1/tenants/{tenant.id}/numbers", json=assign).raise_for_status()
        body = {"number": "02873001234", "trunk_id": trunk.json()["id"], "route_to": "101", "label": "Tổng đài"}
        api.post("/v1/numbers", json=body).raise_for_status()
        block = {"pattern": "1900*", "direction": "out", "note": "Đầu số dịch vụ"}
        api.post("/v1/blocklist", json=block).raise_for_status()
        body = {"extension": "102", "vendor": "yealink", "model": "T54W", "mac": "80:5E:C0:12:34:56", "label": "Lễ tân"}
        api.post("/v1/devices", json=body).raise_for_status()
        api.post("/v1/api-keys", json={"name": "CRM", "role": "supervisor"}).raise_for_status()


# --- the browser ------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: infra/setup_debian.sh installs Debian's chromium")
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield b
    finally:
        b.close()


class Session:
    """A browser context (own storage) with what the pages did: responses, CSP refusals, errors."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.context = context
        self.base = base
        self.page = context.new_page()
        self.responses: list[Any] = []
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(f"{r.method} {r.url}"))
        self.page.on("response", lambda r: self.responses.append(r))
        self.page.on("pageerror", lambda e: self.console_errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

    def goto(self, path: str) -> Page:
        """Open #/<path> and wait until the page has loaded what it shows."""
        self.page.goto(f"{self.base}#/{path}")
        self.ready()
        return self.page

    def ready(self) -> None:
        self.page.locator("main h1").first.wait_for()
        self.page.wait_for_function("() => !document.querySelector('.loading, [aria-busy=true]')")

    def expect_rows(self, keys: list[str], timeout_ms: int = 10_000) -> None:
        """Until the page's table shows exactly these rows (data-key), in this order."""
        self.page.wait_for_function(
            """want => {
                if (document.querySelector('[aria-busy=true]')) return false;
                const got = [...document.querySelectorAll('tbody tr')].map(r => r.dataset.key);
                return JSON.stringify(got) === JSON.stringify(want)
                    || (want.length === 0 && !!document.querySelector('main .empty'));
            }""",
            arg=keys,
            timeout=timeout_ms,
        )

    def expect_count(self, n: int, timeout_ms: int = 10_000) -> None:
        self.page.wait_for_function(
            "n => !document.querySelector('[aria-busy=true]') && document.querySelectorAll('tbody tr').length === n",
            arg=n,
            timeout=timeout_ms,
        )

    def api_paths(self) -> list[str]:
        """The API calls the page made (method and path)."""
        out = []
        for r in self.requests:
            method, url = r.split(" ", 1)
            path = httpx.URL(url).path
            if path.startswith("/v1/"):
                out.append(f"{method} {path}")
        return out

    def bodies(self) -> str:
        """Every response body the page received, as text (binary bodies skipped)."""
        texts = []
        for r in self.responses:
            try:
                texts.append(r.body().decode("utf-8", "replace"))
            except Exception:  # noqa: S112 - redirects and aborted requests have no body
                continue
        return "\n".join(texts)


@pytest.fixture
def open_session(browser: Browser, seed: Seed) -> Iterator[Any]:
    """``open_session(login=None, lang="vi", bypass_csp=False)``: a new browser context,
    logged in as ``login`` (its token put in the tab's sessionStorage, as the login form
    does) or at the login page; closed after the test."""
    contexts: list[BrowserContext] = []

    def make(login: Login | None = None, lang: str = "vi", bypass_csp: bool = False) -> Session:
        ctx = browser.new_context(
            viewport={"width": 1280, "height": 860},
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            accept_downloads=True,
            bypass_csp=bypass_csp,
        )
        contexts.append(ctx)
        init = f"localStorage.setItem('probox.lang', {json.dumps(lang)});" if lang != "vi" else ""
        if login is not None:
            token = json.dumps(seed.token(login))
            init += f"if (!sessionStorage.getItem('probox.token')) sessionStorage.setItem('probox.token', {token});"
        if init:
            ctx.add_init_script(init)
        return Session(ctx, seed.url)

    yield make
    for ctx in contexts:
        ctx.close()


def screenshot_dir(tmp_path: Path) -> Path:
    configured = os.environ.get(SCREENSHOTS_ENV)
    out = Path(configured) if configured else tmp_path / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    return out


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of the page as it is now (the page's context must bypass the CSP)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const r = await axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }"""
    )
    return found


def zbar(png: Path) -> str:
    """The text of the QR code in an image (zbarimg from Debian's zbar-tools)."""
    exe = shutil.which("zbarimg")
    if exe is None:
        pytest.fail("zbarimg is missing: infra/setup_debian.sh installs zbar-tools")
    r = subprocess.run([exe, "--quiet", "--raw", str(png)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, f"no QR code found in {png}: {r.stderr}"
    return r.stdout.strip()
