"""The contacts, tickets and agent-screen pages (issue 17) in a real browser: contacts made by
the seed's calls, a record with its call history, the import wizard's preview with the error
of each row, a missed call's ticket with its SLA timers, callback task and comments, saved
views and exports, the agent screen with masked numbers and a new caller, tenant isolation;
axe-core on the pages' inner states (the pages themselves are in test_console_a11y.py)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Call, Seed, Session, run_axe

pytestmark = pytest.mark.e2e

BLOCKING = ("serious", "critical")


def axe_clean(s: Session, what: str) -> None:
    bad = [
        f"{what}: {v['impact']} {v['id']} {v['help']} {v['nodes']}" for v in run_axe(s.page) if v["impact"] in BLOCKING
    ]
    assert not bad, "\n".join(bad)


def clean(s: Session) -> None:
    assert not [e for e in s.console_errors if "Content Security Policy" not in e and "404" not in e], s.console_errors


def post_call(seed: Seed, call: Call) -> None:
    headers = {"Authorization": f"Bearer {seed.stack.edge_token}"}
    r = httpx.post(seed.stack.cfg.api_url + "/edge/v1/cdrs", json=call.doc(seed.stack.cfg.edge_id), headers=headers)
    assert r.status_code == 201, r.text


def api(seed: Seed, token: str) -> httpx.Client:
    return httpx.Client(base_url=seed.stack.cfg.api_url, headers={"Authorization": f"Bearer {token}"}, timeout=20)


def test_contacts_made_by_calls_a_record_with_its_history_and_search(seed: Seed, open_session: Any) -> None:
    s: Session = open_session(seed.admin_a, bypass_csp=True)
    page = s.goto(f"contacts?q={seed.inbound.caller}")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(seed.inbound.caller)
    expect(rows.first).to_contain_text("Từ cuộc gọi")
    rows.first.get_by_role("link").click()
    s.ready()
    expect(page.get_by_role("heading", name="Thông tin khách hàng")).to_be_visible()
    page.locator(f"section[aria-labelledby='history-title'] tbody tr[data-key='{seed.inbound.call_id}']").wait_for()
    page.get_by_label("Họ tên").fill("Nguyễn Văn Khách")
    page.get_by_label("Nhãn", exact=True).fill("vip, e2e")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu liên hệ.")).to_be_visible()
    axe_clean(s, "contact record")
    s.goto("contacts?q=khach")  # the given name, without its accent
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_contain_text("Nguyễn Văn Khách")
    s.goto("contacts?tag=vip")
    expect(page.locator("tbody tr")).to_have_count(1)
    # another tenant sees none of it
    b: Session = open_session(seed.admin_b)
    b.goto(f"contacts?q={seed.inbound.caller}")
    expect(b.page.locator("main .empty")).to_be_visible()
    assert seed.inbound.caller not in b.bodies()
    clean(s)


def test_import_wizard_shows_each_bad_row_then_imports(seed: Seed, open_session: Any) -> None:
    s: Session = open_session(seed.admin_a, bypass_csp=True)
    page = s.goto("contacts/import")
    content = (
        "Họ tên,Số điện thoại,Công ty,Nhãn\r\n"
        "Trần Thị Mai,0911000001,Công ty A,nhập\r\n"
        "Lê Văn Sai,12345,Công ty B,nhập\r\n"
        "Phạm Minh Tú,+84 911 000 002,,nhập\r\n"
    ).encode()
    page.locator("#import-file").set_input_files(
        files=[{"name": "khach.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator(".import-summary")).to_have_text("3 dòng: 2 hợp lệ, 1 lỗi, 0 trùng.")
    errors = page.locator("table", has=page.locator("caption", has_text="Các dòng lỗi")).locator("tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_have_attribute("data-key", "3-number")
    axe_clean(s, "import preview")
    page.get_by_role("button", name="Nhập 2 dòng hợp lệ").click()
    expect(page.get_by_role("status").filter(has_text="Đã nhập: 2 liên hệ mới")).to_be_visible()
    with api(seed, seed.a.admin_token) as a:
        found = a.get("/v1/contacts/lookup", params={"number": "0911000002"}).json()
        assert found["name"] == "Phạm Minh Tú" and found["tags"] == ["nhập"]
    # and the segment exports to Excel
    s.goto("contacts?tag=nh%E1%BA%ADp")
    page.get_by_role("button", name="Xuất Excel").click()
    link = page.locator("a.download")
    expect(link).to_be_visible()
    got = httpx.get(link.get_attribute("href") or "", timeout=20)
    wb = openpyxl.load_workbook(io.BytesIO(got.content))
    names = sorted(str(r[0]) for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert names == ["Phạm Minh Tú", "Trần Thị Mai"]
    clean(s)


def test_a_missed_call_opens_a_ticket_with_sla_callback_and_comments(seed: Seed, open_session: Any) -> None:
    caller = "0977000001"
    missed = Call(
        seed.a.id, "e2e-desk-missed", caller, "101", datetime.now(UTC) - timedelta(minutes=5), "inbound", "no_answer"
    )
    post_call(seed, missed)
    s: Session = open_session(seed.supervisor_a, bypass_csp=True)
    page = s.goto("tickets?q=cuoc%20goi%20nho")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Cuộc gọi nhỡ")
    row.get_by_role("link").click()
    s.ready()
    expect(page.locator("dd.sla-first .badge")).to_be_visible()
    callback = page.locator("section[aria-labelledby='callback-title']")
    expect(callback).to_contain_text(f"Gọi lại {caller}")
    page.locator("section[aria-labelledby='ticket-calls'] li[data-key='e2e-desk-missed']").wait_for()
    axe_clean(s, "ticket record")
    callback.get_by_role("button", name="Đánh dấu đã gọi lại").click()
    expect(callback).to_contain_text("Đã gọi lại")
    expect(page.locator("dd.sla-first .badge")).to_contain_text("Đạt")  # the callback was the first response
    page.get_by_label("Bình luận mới").fill("Nhờ @admin@demo.probox.test gọi lại vào chiều mai")
    page.get_by_role("button", name="Gửi bình luận").click()
    expect(page.locator("ul.comments li")).to_have_count(1)
    page.get_by_label("Trạng thái").select_option("pending")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu phiếu.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Đồng hồ đang dừng: đang chờ khách.")
    with api(seed, seed.a.admin_token) as a:
        events = a.get("/v1/events").json()["items"]
        assert any(e["type"] == "ticket.mentioned" for e in events)
    # a saved view of pending tickets, and the export of the list
    page = s.goto("tickets")
    page.get_by_label("Trạng thái").select_option("pending")
    page.get_by_label("Tên bộ lọc").fill("Chờ khách e2e")
    page.get_by_role("button", name="Lưu bộ lọc này").click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu bộ lọc Chờ khách e2e.")).to_be_visible()
    view = page.get_by_label("Bộ lọc đã lưu")
    view.select_option(label="Chờ khách e2e")
    page.get_by_label("Trạng thái").select_option("")
    page.get_by_role("button", name="Tìm phiếu").click()
    s.ready()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Xuất Excel").click()
    expect(page.locator("a.download")).to_be_visible()
    clean(s)


def test_the_agent_screen_brings_up_a_caller_with_masked_numbers_or_a_new_contact(
    seed: Seed, open_session: Any
) -> None:
    s: Session = open_session(seed.agent_a, bypass_csp=True)
    page = s.goto(f"agent?number={seed.inbound.caller}")
    numbers = page.get_by_label("Số điện thoại", exact=True)
    expect(numbers).to_have_value("090****567")  # masked for agents (the tenant's default)
    page.locator(f"section[aria-labelledby='history-title'] tbody tr[data-key='{seed.inbound.call_id}']").wait_for()
    expect(page.get_by_role("heading", name="Phiếu đang mở")).to_be_visible()
    axe_clean(s, "agent screen, a known caller")
    assert seed.inbound.caller not in s.bodies()  # never sent to the agent's browser in full
    page = s.goto("agent?number=0988000111")
    expect(page.get_by_role("status").filter(has_text="Chưa có liên hệ nào với số 0988000111")).to_be_visible()
    axe_clean(s, "agent screen, a new caller")
    page.get_by_label("Họ tên").fill("Khách Mới")
    page.get_by_role("button", name="Tạo liên hệ").click()
    expect(page.get_by_role("heading", name="Khách Mới")).to_be_visible()
    expect(page.get_by_label("Số điện thoại", exact=True)).to_have_value("098****111")
    # a ticket from the screen
    page.get_by_label("Tiêu đề").fill("Khách hỏi giá gói cước")
    page.get_by_role("button", name="Tạo phiếu").click()
    expect(page.locator("section[aria-labelledby='open-tickets'] tbody tr")).to_have_count(1)
    clean(s)


def test_the_agent_wraps_up_a_call_and_the_contacts_history_shows_it(seed: Seed, open_session: Any) -> None:
    """CC3: the agent's disposition and notes for its last call with the customer, saved from
    the agent screen; the call history shows them there, on the contact's record and in English."""
    caller = "0977000222"
    wrap = Call(
        seed.a.id, "e2e-wrap-1", caller, "101", datetime.now(UTC) - timedelta(minutes=3), "inbound", "answered", 42.0
    )
    post_call(seed, wrap)
    s: Session = open_session(seed.agent_a, bypass_csp=True)
    page = s.goto(f"agent?number={caller}")
    form = page.locator(f"form[data-call-id='{wrap.call_id}']")
    expect(form).to_be_visible()
    expect(form.get_by_text("Chưa ghi kết quả cho cuộc gọi này.")).to_be_visible()
    axe_clean(s, "agent screen, wrap-up form")
    form.get_by_label("Kết quả", exact=True).select_option("call_back")
    form.get_by_label("Ghi chú cuộc gọi").fill("Khách muốn được gọi lại sau 17 giờ.")
    form.get_by_role("button", name="Lưu kết quả").click()
    expect(form.get_by_role("status").filter(has_text="Đã lưu kết quả cuộc gọi.")).to_be_visible()
    row = page.locator(f"section[aria-labelledby='history-title'] tbody tr[data-key='{wrap.call_id}']")
    expect(row).to_contain_text("Gọi lại")
    expect(row).to_contain_text("Khách muốn được gọi lại sau 17 giờ.")
    axe_clean(s, "agent screen, wrap-up saved")
    with api(seed, seed.a.admin_token) as a:
        w = a.get(f"/v1/calls/{wrap.call_id}/wrapup").json()
        assert (w["disposition"], w["extension"], w["call_stored"]) == ("call_back", "101", True)
        contact = a.get("/v1/contacts/lookup", params={"number": caller}).json()
        assert w["contact_id"] == contact["id"]
        [cdr] = a.get("/v1/cdrs", params={"number": caller}).json()["items"]
        assert cdr["wrapup"]["disposition"] == "call_back"
    # the form shows the saved wrap-up again after a reload
    page = s.goto(f"agent?number={caller}")
    expect(page.get_by_label("Kết quả", exact=True)).to_have_value("call_back")
    # the contact's record (a supervisor) and the English console show it too
    sup: Session = open_session(seed.supervisor_a, lang="en", bypass_csp=True)
    sup.goto(f"contacts/{contact['id']}")
    row = sup.page.locator(f"section[aria-labelledby='history-title'] tbody tr[data-key='{wrap.call_id}']")
    expect(row).to_contain_text("Call back")
    clean(s)
    clean(sup)
