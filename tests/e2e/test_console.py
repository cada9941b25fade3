"""The web console in a real browser: login and language, the provisioning QR (never the
password), call search with playback and Excel export, what each role may open, tenant
isolation, the provider's pages."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import BULK_CALLS, PAGE_SIZE, Seed, Session, zbar

pytestmark = pytest.mark.e2e

DESK_PAGES = ["Màn hình tổng đài viên", "Danh bạ", "Phiếu yêu cầu"]
LIVE = "Cuộc gọi trực tiếp"
CALL_CENTER = ["Bảng theo dõi", "Hàng đợi"]  # supervisors and admins (issue 16)
TENANT_PAGES_ADMIN = [
    "Tổng quan", "Cuộc gọi", *DESK_PAGES, LIVE, *CALL_CENTER, "Máy nhánh", "Chi nhánh", "Số điện thoại", "Trung kế SIP",
    "Chặn số", "Bảo mật", "Điện thoại bàn", "Người dùng và vai trò", "Khóa API", "Webhook", "Cài đặt",
]  # fmt: skip
TENANT_PAGES_SUPERVISOR = [
    "Tổng quan", "Cuộc gọi", *DESK_PAGES, LIVE, *CALL_CENTER, "Máy nhánh", "Chi nhánh", "Số điện thoại", "Chặn số",
    "Bảo mật",
]  # fmt: skip
TENANT_PAGES_AGENT = ["Tổng quan", "Cuộc gọi", *DESK_PAGES, LIVE, "Máy nhánh", "Chi nhánh", "Số điện thoại"]
ADMIN_ONLY = ["trunks", "devices", "users", "api-keys", "webhooks", "settings", "tenants", "plans", "edges"]


def nav_texts(s: Session) -> list[str]:
    return [t.strip() for t in s.page.locator("nav.side a").all_inner_texts()]


def rows(s: Session) -> list[str]:
    """The data-key (call id, extension number...) of each row of the page's table."""
    return [k for k in s.page.locator("tbody tr").evaluate_all("rs => rs.map(r => r.dataset.key)") if k]


def redeem(seed: Seed, url: str) -> httpx.Response:
    """Redeem a one-time provisioning link as a phone does (the method the API documents)."""
    doc = httpx.get(seed.stack.cfg.api_url + "/v1/openapi.json", timeout=15).json()
    method = "POST" if "post" in doc["paths"]["/provision/{token}"] else "GET"
    return httpx.request(method, url, timeout=15)


def assert_clean(s: Session, *refusals: int) -> None:
    """No script error and no CSP refusal in the browser's console (the listed HTTP refusals,
    which the browser logs as failed loads, are what the test provoked)."""
    expected = tuple(f"status of {n} " for n in refusals)
    errors = [e for e in s.console_errors if not any(x in e for x in expected)]
    assert not errors, errors


# --- login and language -----------------------------------------------------------------------
def test_login_in_vietnamese_by_default_english_one_click_away(seed: Seed, open_session: Any) -> None:
    s: Session = open_session()
    page = s.page
    page.goto(seed.url)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập ProBox")
    expect(page.get_by_label("Mật khẩu")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to ProBox")
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()

    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập ProBox")

    # a wrong password: refused, in Vietnamese, and the password field is emptied
    page.get_by_label("E-mail").fill(seed.admin_a.email)
    page.get_by_label("Mật khẩu").fill("not-the-password-1")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("E-mail hoặc mật khẩu không đúng")
    expect(page.get_by_label("Mật khẩu")).to_have_value("")

    page.get_by_label("Mật khẩu").fill(seed.admin_a.password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng quan")
    assert nav_texts(s) == TENANT_PAGES_ADMIN
    expect(page.locator("header")).to_contain_text("Quản trị viên")
    expect(page.locator(".card").first).to_contain_text("Cuộc gọi hôm nay")
    # the token lives in this tab's sessionStorage only
    assert page.evaluate("() => sessionStorage.getItem('probox.token')")
    assert page.evaluate("() => localStorage.getItem('probox.token')") is None

    # one click: every visible text changes, the choice is kept in the browser
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert nav_texts(s)[:9] == [
        "Dashboard", "Calls", "Agent screen", "Contacts", "Tickets", "Live calls", "Wallboard", "Queues", "Extensions",
    ]  # fmt: skip
    expect(page.locator("header")).to_contain_text("Administrator")
    expect(page.locator(".card").first).to_contain_text("Calls today")
    assert page.evaluate("() => localStorage.getItem('probox.lang')") == "en"
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to ProBox")
    expect(page.get_by_role("status")).to_contain_text("You have logged out")
    assert page.evaluate("() => sessionStorage.getItem('probox.token')") is None
    assert "POST /v1/auth/logout" in s.api_paths()
    assert_clean(s, 401)  # the wrong password


def test_a_user_with_the_second_factor_logs_in_with_its_code(seed: Seed, open_session: Any) -> None:
    import pyotp

    user = seed.stack.create_user(seed.a, "totp@demo.probox.test", "supervisor")
    token = seed.token(user)
    with httpx.Client(base_url=seed.stack.cfg.api_url, headers={"Authorization": f"Bearer {token}"}) as api:
        secret = api.post("/v1/users/me/totp").raise_for_status().json()["secret"]
        totp = pyotp.TOTP(secret)
        api.post("/v1/users/me/totp/confirm", json={"code": totp.now()}).raise_for_status()
    s: Session = open_session()
    page = s.page
    page.goto(seed.url)
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Mật khẩu").fill(user.password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("cần mã xác thực 6 số")
    code = page.get_by_label("Mã xác thực 6 số")
    expect(code).to_be_visible()
    expect(page.get_by_label("Mật khẩu")).to_have_value(user.password)  # kept for the second step
    code.fill(totp.at(time.time() + 30))  # the next step: the confirmation used this one
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng quan")
    assert_clean(s, 401)

    # the user lost its phone: an administrator turns the second factor off
    admin: Session = open_session(seed.admin_a)
    admin.goto("users")
    row = admin.page.locator(f"tbody tr[data-key='{user.email}']")
    expect(row).to_contain_text("Đang bật")
    row.get_by_role("button", name="Tắt xác thực 2 bước").click()
    row.get_by_role("button", name=f"Xác nhận tắt xác thực 2 bước của {user.email}").click()
    expect(row).to_contain_text("Chưa bật")
    login = httpx.post(
        f"{seed.stack.cfg.api_url}/v1/auth/login", json={"email": user.email, "password": user.password}, timeout=15
    )
    assert login.status_code == 200, login.text
    assert_clean(admin)


def test_dashboard_counts_todays_calls_and_shows_quota_levels(seed: Seed, open_session: Any) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    s: Session = open_session(seed.admin_a)
    page = s.goto("dashboard")
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()  # the tenant's zone
    headers = {"Authorization": f"Bearer {seed.a.admin_token}"}
    answer = httpx.get(f"{seed.stack.cfg.api_url}/v1/cdrs", params={"from": today, "limit": 200}, headers=headers)
    expected = len(answer.raise_for_status().json()["items"])
    assert expected >= 1  # the call seeded 30 s before the stack started, unless that was yesterday
    calls = page.locator(".card").first
    expect(calls.locator(".big")).to_have_text(str(expected))
    expect(page.get_by_role("meter", name="Dung lượng ghi âm")).to_be_visible()
    expect(page.locator(".card").nth(1)).to_contain_text("80%, 90% và 100%")
    expect(page.get_by_role("heading", name="Sự kiện gần đây")).to_be_visible()
    assert_clean(s)


# --- extensions: the QR, never the password ----------------------------------------------------
def test_admin_creates_an_extension_and_sees_its_qr_never_its_password(
    seed: Seed, open_session: Any, tmp_path: Path
) -> None:
    s: Session = open_session(seed.admin_a)
    page = s.goto("extensions")
    page.get_by_role("button", name="Thêm máy nhánh").click()
    form = page.locator("form").filter(has=page.get_by_label("Số máy nhánh"))
    form.get_by_label("Số máy nhánh").fill("150")
    form.get_by_label("Tên hiển thị").fill("Lễ tân")
    form.get_by_label("Nhóm nhận cuộc gọi").fill("letan")
    form.get_by_label("Quyền gọi ra").select_option("internal_only")
    form.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status").filter(has_text="Đã thêm máy nhánh")).to_be_visible()
    row = page.locator("tbody tr[data-key='150']")
    expect(row).to_contain_text("Lễ tân")
    expect(row).to_contain_text("Chỉ gọi nội bộ")

    # change its pickup group and outbound rights
    row.get_by_role("button", name="Sửa 150").click()
    edit = page.locator("section.panel").filter(has_text="Sửa máy nhánh 150")
    edit.get_by_label("Nhóm nhận cuộc gọi").fill("office")
    edit.get_by_label("Quyền gọi ra").select_option("national")
    edit.get_by_role("button", name="Lưu").click()
    expect(row).to_contain_text("office")
    expect(row).to_contain_text("Gọi trong nước")

    with page.expect_response(re.compile(r"/v1/extensions/150/provisioning$")) as answer:
        row.get_by_role("button", name="Mã QR cài đặt 150").click()
    link = answer.value.json()
    qr = page.get_by_role("img", name="Mã QR cài đặt máy nhánh 150")
    expect(qr).to_be_visible()
    png = tmp_path / "qr.png"
    qr.screenshot(path=str(png))
    assert zbar(png) == link["qr_payload"]  # the code is the one-time link, nothing else

    # The phone redeems the link (here: the test) and gets the password, once.
    creds = redeem(seed, link["qr_payload"])
    assert creds.status_code == 200, creds.text
    password = creds.json()["sip_password"]
    assert len(password) >= 16
    assert redeem(seed, link["qr_payload"]).status_code == 404  # used

    # Rotate: a new password exists, the console still never has it.
    row.get_by_role("button", name="Đổi mật khẩu").click()
    row.get_by_role("button", name="Xác nhận đổi mật khẩu 150").click()
    expect(page.get_by_role("status").filter(has_text="Đã đổi mật khẩu của máy nhánh 150")).to_be_visible()

    html = page.content()
    storage = page.evaluate("() => JSON.stringify({...sessionStorage, ...localStorage})")
    assert password not in html
    assert password not in storage
    assert password not in s.bodies()
    assert "sip_password" not in s.bodies()
    assert not any("/provision/" in r for r in s.requests), "the page itself never redeems a link"
    assert_clean(s)


# --- calls: search, play, export ----------------------------------------------------------------
def test_calls_search_filters_and_pages(seed: Seed, open_session: Any) -> None:
    s: Session = open_session(seed.admin_a)
    page = s.goto("calls")
    expect(page.locator("tbody tr").first).to_be_visible()

    # by number (caller or callee)
    page.get_by_label("Số điện thoại").fill(seed.inbound.caller)
    page.get_by_role("button", name="Tìm cuộc gọi").click()
    s.expect_rows([seed.inbound.call_id])
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Gọi đến")
    expect(row).to_contain_text("Đã trả lời")
    expect(row).to_contain_text("1:05")
    assert "number=0901234567" in page.url  # the filter is in the address

    # by extension and result
    page.get_by_role("button", name="Xóa bộ lọc").click()
    page.get_by_label("Máy nhánh").fill("101")
    page.get_by_label("Kết quả").select_option("no_answer")
    page.get_by_role("button", name="Tìm cuộc gọi").click()
    s.expect_rows(["e2e-missed-1"])

    # by direction
    page.get_by_role("button", name="Xóa bộ lọc").click()
    page.get_by_label("Hướng", exact=True).select_option("outbound")
    page.get_by_role("button", name="Tìm cuộc gọi").click()
    s.expect_rows(["e2e-out-1"])

    # by time range (the tenant's local time): only the calls of two days ago
    bulk = [c for c in seed.calls_a if c.call_id.startswith("e2e-bulk-")]
    first, last = bulk[0].started, bulk[-1].started
    local = "%Y-%m-%dT%H:%M"
    from datetime import timedelta, timezone

    vn = timezone(timedelta(hours=7))
    page.get_by_role("button", name="Xóa bộ lọc").click()
    page.get_by_label("Từ thời điểm").fill(first.astimezone(vn).strftime(local))
    page.get_by_label("Đến trước thời điểm").fill((last + timedelta(minutes=1)).astimezone(vn).strftime(local))
    page.get_by_role("button", name="Tìm cuộc gọi").click()
    newest = [c.call_id for c in reversed(bulk)]  # newest first
    s.expect_rows(newest[:PAGE_SIZE])
    expect(page.get_by_role("button", name="Trang sau")).to_be_enabled()
    expect(page.get_by_role("button", name="Trang trước")).to_be_disabled()
    first_page = rows(s)
    assert all(k.startswith("e2e-bulk-") for k in first_page)
    page.get_by_role("button", name="Trang sau").click()
    s.expect_rows(newest[PAGE_SIZE:])
    assert len(newest) == BULK_CALLS
    expect(page.get_by_role("status").filter(has_text="Trang 2")).to_be_visible()
    page.get_by_role("button", name="Trang trước").click()
    s.expect_rows(first_page)
    assert_clean(s)


def test_a_recording_plays_in_the_page(seed: Seed, open_session: Any) -> None:
    s: Session = open_session(seed.admin_a)
    page = s.goto("calls?extension=101&disposition=answered")
    row = page.locator(f"tbody tr[data-key='{seed.recorded.call_id}']")
    row.get_by_role("button", name="Nghe").click()
    audio = page.locator("audio")
    expect(audio).to_have_attribute("data-call-id", seed.recorded.call_id)
    page.wait_for_function("() => document.querySelector('audio').readyState >= 1", timeout=15_000)
    duration = audio.evaluate("a => a.duration")
    assert abs(duration - seed.recording_s) <= 1.0, (duration, seed.recording_s)
    # it really decodes: play a little and see the clock move
    audio.evaluate("a => { a.muted = true; return a.play(); }")
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.2", timeout=15_000)
    assert_clean(s)  # the CSP lets the object store's audio in


def test_excel_export_of_the_same_filter_downloads(seed: Seed, open_session: Any, tmp_path: Path) -> None:
    s: Session = open_session(seed.admin_a, lang="en")
    page = s.goto(f"calls?number={seed.inbound.caller}")
    s.expect_rows([seed.inbound.call_id])
    with page.expect_response(re.compile(r"/v1/cdrs/export\.xlsx")) as answer:
        page.get_by_role("button", name="Export these calls to Excel").click()
    assert "number=0901234567" in answer.value.url and "lang=en" in answer.value.url
    link = page.get_by_role("link", name=re.compile(r"^Download "))
    expect(page.get_by_role("status").filter(has_text="The Excel file is ready: 1 calls")).to_be_visible()
    with page.expect_download() as dl:
        link.click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.suffix == ".xlsx"
    ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    table = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    header, data = table[0], [r for r in table[1:] if any(v is not None for v in r)]
    assert len(data) == 1, data
    record = dict(zip(header, data[0], strict=False))
    assert seed.inbound.call_id in record.values(), record
    assert seed.inbound.caller in record.values(), record
    assert_clean(s)


# --- roles ---------------------------------------------------------------------------------------
def test_a_supervisor_cannot_open_admin_pages(seed: Seed, open_session: Any) -> None:
    s: Session = open_session(seed.supervisor_a)
    page = s.goto("dashboard")
    assert nav_texts(s) == TENANT_PAGES_SUPERVISOR
    for path in ADMIN_ONLY:
        s.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Không có quyền truy cập")
        expect(page.locator(".page")).to_have_count(0)
    called = s.api_paths()
    for forbidden in ("/v1/trunks", "/v1/devices", "/v1/users", "/v1/api-keys", "/v1/edges"):
        assert not any(c.split(" ", 1)[1] == forbidden for c in called), (forbidden, called)
    assert not any(c.startswith("PATCH ") for c in called), called

    # what it may open offers no change
    s.goto("extensions")
    expect(page.locator("tbody tr").first).to_be_visible()
    expect(page.get_by_role("button", name="Thêm máy nhánh")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Mã QR cài đặt"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Sửa"))).to_have_count(0)
    s.goto("blocklist")
    expect(page.get_by_role("button", name="Thêm quy tắc chặn")).to_have_count(0)
    s.goto("calls")
    expect(page.get_by_role("button", name="Xuất Excel theo bộ lọc này")).to_be_visible()  # supervisors export
    s.expect_count(PAGE_SIZE)  # every call of the tenant, paged
    assert_clean(s)


def test_an_agent_sees_only_its_own_calls(seed: Seed, open_session: Any) -> None:
    s: Session = open_session(seed.agent_a)
    page = s.goto("calls")
    assert nav_texts(s) == TENANT_PAGES_AGENT
    expect(page.get_by_role("status").filter(has_text="cuộc gọi của máy nhánh của mình")).to_be_visible()
    own = sorted((c for c in seed.calls_a if "101" in (c.caller, c.callee)), key=lambda c: c.started, reverse=True)
    s.expect_rows([c.call_id for c in own])
    for row in page.locator("tbody tr").all():
        caller, callee = row.locator("td").nth(1).inner_text(), row.locator("td").nth(2).inner_text()
        assert "101" in (caller, callee)
    expect(page.get_by_role("button", name="Xuất Excel theo bộ lọc này")).to_have_count(0)
    # asking for another extension's calls still shows only its own (the API forces its extension)
    s.goto("calls?extension=105")
    s.expect_rows([c.call_id for c in own])
    for path in ("blocklist", "users", "settings", "trunks"):
        s.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Không có quyền truy cập")
    # it may still play its own call's recording
    s.goto("calls?extension=101&disposition=answered")
    page.locator(f"tbody tr[data-key='{seed.recorded.call_id}']").get_by_role("button", name="Nghe").click()
    page.wait_for_function("() => document.querySelector('audio') && document.querySelector('audio').readyState >= 1")
    assert_clean(s)


def test_tenant_b_admin_never_sees_tenant_a_data(seed: Seed, open_session: Any) -> None:
    s: Session = open_session(seed.admin_b)
    page = s.goto("calls")
    s.expect_rows([c.call_id for c in seed.calls_b])
    s.goto(f"calls?number={seed.inbound.caller}")
    s.expect_rows([])
    expect(page.get_by_text("Không có cuộc gọi nào khớp với bộ lọc.")).to_be_visible()
    s.goto("extensions")
    s.expect_rows(["201", "202"])
    s.goto("users")
    s.expect_rows([seed.admin_b.email])
    s.goto("dashboard")
    expect(page.locator("header")).to_contain_text("Other Co")
    seen = s.bodies()
    assert seed.a.id not in seen
    for c in seed.calls_a:
        assert c.call_id not in seen
    assert seed.admin_a.email not in seen and seed.a.domain not in seen
    assert_clean(s)


def test_a_suspended_tenant_reads_and_exports_and_is_offered_no_change(seed: Seed, open_session: Any) -> None:
    tenant = seed.stack.create_tenant("Công ty Tạm ngưng", "paused.probox.test", ["301"])
    admin = seed.stack.create_user(tenant, "admin@paused.probox.test", "tenant_admin")
    with seed.stack.api() as provider:
        provider.patch(f"/v1/tenants/{tenant.id}", json={"status": "suspended"}).raise_for_status()
    s: Session = open_session(admin)
    page = s.goto("extensions")
    expect(page.get_by_role("status").filter(has_text="đang bị tạm ngưng")).to_be_visible()
    s.expect_rows(["301"])
    expect(page.get_by_role("button", name="Thêm máy nhánh")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^(Sửa|Mã QR|Đổi mật khẩu|Xóa)"))).to_have_count(0)
    assert "Cài đặt" not in nav_texts(s) and "Cuộc gọi" in nav_texts(s)
    s.goto("calls")
    expect(page.get_by_role("button", name="Xuất Excel theo bộ lọc này")).to_be_visible()  # exports stay
    assert_clean(s)


# --- the provider ---------------------------------------------------------------------------------
def test_provider_manages_tenants_plans_and_sees_edges(seed: Seed, open_session: Any) -> None:
    s: Session = open_session(seed.operator)
    page = s.goto("tenants")
    assert nav_texts(s) == ["Khách hàng", "Gói dịch vụ", "Máy chủ biên", "Nhân viên vận hành"]
    expect(page.locator(f"tbody tr[data-key='{seed.a.domain}']")).to_contain_text("Đang hoạt động")
    expect(page.locator(f"tbody tr[data-key='{seed.b.domain}']")).to_be_visible()

    page.get_by_role("button", name="Thêm khách hàng").click()
    page.get_by_label("Tên công ty").fill("Công ty Mới")
    page.get_by_label("Tên miền SIP").fill("moi.probox.test")
    page.get_by_role("button", name="Lưu").click()
    row = page.locator("tbody tr[data-key='moi.probox.test']")
    expect(row).to_contain_text("Đang hoạt động")
    row.get_by_role("button", name="Tạm ngưng").click()
    row.get_by_role("button", name="Xác nhận tạm ngưng Công ty Mới").click()
    expect(row).to_contain_text("Tạm ngưng")
    row.get_by_role("button", name="Kích hoạt lại").click()
    expect(row).to_contain_text("Đang hoạt động")

    s.goto("plans")
    expect(page.locator("tbody tr").first).to_be_visible()
    assert len(rows(s)) >= 6  # the brochure's plans are seeded
    s.goto("edges")
    expect(page.locator(f"tbody tr[data-key='{seed.stack.cfg.edge_id}']")).to_contain_text("Mọi khách hàng")
    for path in ("dashboard", "calls", "extensions", "settings"):
        s.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Không có quyền truy cập")
    assert_clean(s)
