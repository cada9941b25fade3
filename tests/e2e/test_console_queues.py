"""Call-center console (issue 16): a tenant admin of a call-center plan creates a queue with its
members and settings on the Queues page, an agent sets its own status (ready, paused with a
reason) on the agent screen, the supervisor view and the edge snapshot follow; both pages pass
axe in Vietnamese and English."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Seed, Session, run_axe

pytestmark = pytest.mark.e2e
BLOCKING = ("serious", "critical")


def no_blocking(s: Session, what: str) -> None:
    found = [v for v in run_axe(s.page) if v["impact"] in BLOCKING]
    assert not found, f"{what}: {found}"


def test_a_queue_is_created_and_an_agent_changes_its_status(seed: Seed, open_session: Any) -> None:
    stack = seed.stack
    cc = stack.create_tenant("Tổng đài CSKH", "cc.probox.test", ["301", "302"], plan="CC-10")
    admin = stack.create_user(cc, "admin@cc.probox.test", "tenant_admin")
    agent = stack.create_user(cc, "agent301@cc.probox.test", "agent", extension="301")

    s: Session = open_session(admin, bypass_csp=True)
    page = s.goto("queues")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hàng đợi")
    page.get_by_role("button", name="Thêm hàng đợi").click()
    page.get_by_label("Tên hàng đợi").fill("Chăm sóc khách hàng")
    page.get_by_label("Số ngắn").fill("600")
    page.get_by_label("Cách phân phối cuộc gọi").select_option("round_robin")
    page.get_by_label("Thành viên").fill("301, 302:1")
    page.get_by_label("Thời gian hoàn tất sau cuộc gọi (giây)").fill("25")
    page.get_by_label("Khi không giữ được cuộc gọi").select_option("extension:302")
    no_blocking(s, "queue form (vi)")
    page.get_by_role("button", name="Lưu").click()
    row = page.locator("div.results tbody tr[data-key='600']")
    expect(row).to_contain_text("Chăm sóc khách hàng")
    expect(row).to_contain_text("301, 302:1")
    expect(row).to_contain_text("Lần lượt xoay vòng")
    expect(row).to_contain_text("Chuyển tới máy nhánh 302")
    with stack.api(cc.admin_token) as api:
        [q] = api.get("/v1/queues").json()["items"]
    assert (q["number"], q["strategy"], q["wrapup_s"], q["overflow"]) == ("600", "round_robin", 25, "extension:302")
    assert q["members"] == [{"extension": "301", "penalty": 0}, {"extension": "302", "penalty": 1}]
    # a number already taken is refused at the form, with the API's reason
    page.get_by_role("button", name="Thêm hàng đợi").click()
    page.get_by_label("Tên hàng đợi").fill("Trùng số")
    page.get_by_label("Số ngắn").fill("301")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("301 is an extension").first).to_be_visible()
    page.get_by_role("button", name="Hủy").click()
    # edit: the members change
    row.get_by_role("button", name="Sửa 600").click()
    page.get_by_label("Thành viên").fill("302")
    page.get_by_role("button", name="Lưu").click()
    expect(row).not_to_contain_text("301")
    no_blocking(s, "queues page (vi)")

    # the agent: logged out, then ready, then paused for lunch
    a: Session = open_session(agent, bypass_csp=True)
    apage = a.goto("agent")
    status = apage.locator("section.agent-status [role=status]")
    expect(status).to_contain_text("Chưa đăng nhập")
    apage.get_by_role("button", name="Sẵn sàng").click()
    expect(status).to_contain_text("Sẵn sàng")
    apage.get_by_label("Lý do tạm nghỉ").fill("Ăn trưa")
    apage.get_by_role("button", name="Tạm nghỉ").click()
    expect(status).to_contain_text("Tạm nghỉ")
    expect(status).to_contain_text("Ăn trưa")
    no_blocking(a, "agent status (vi)")

    with stack.api(cc.admin_token) as api:
        agents = {x["extension"]: x for x in api.get("/v1/agents").json()["items"]}
        kinds = [e["kind"] for e in api.get("/v1/queue-events").json()["items"]]
    assert (agents["301"]["status"], agents["301"]["reason"]) == ("paused", "Ăn trưa")
    assert kinds == ["login", "pause"]
    edge = {"Authorization": f"Bearer {stack.edge_token}"}
    snap = httpx.get(stack.cfg.api_url + "/edge/v1/snapshot", headers=edge, timeout=15).json()
    [tenant] = [t for t in snap["tenants"] if t["id"] == cc.id]
    assert [(x["extension"], x["status"], x["reason"]) for x in tenant["agents"]] == [("301", "paused", "Ăn trưa")]
    assert [x["number"] for x in tenant["queues"]] == ["600"]

    # today's figures come from the queue event log the edge posts
    qid, now = q["id"], time.time()
    events = [
        {"at": now - 60, "tenant_id": cc.id, "queue_id": qid, "kind": "enter", "call_id": "e2e-q1", "position": 1},
        {"at": now - 52, "tenant_id": cc.id, "queue_id": qid, "kind": "answer", "call_id": "e2e-q1", "agent": "302",
         "wait_s": 8.0},
        {"at": now - 30, "tenant_id": cc.id, "queue_id": qid, "kind": "enter", "call_id": "e2e-q2", "position": 1},
    ]  # fmt: skip
    r = httpx.post(stack.cfg.api_url + "/edge/v1/queue-events", headers=edge, json={"events": events}, timeout=15)
    assert [x["status"] for x in r.json()["results"]] == ["created"] * 3, r.text
    # the supervisor's view on the queues page
    page.reload()  # the same address: a reload reads the agents again
    s.ready()
    agent_row = page.locator("section[aria-labelledby='agents-title'] tbody tr[data-key='301']")
    expect(agent_row).to_contain_text("Tạm nghỉ")
    expect(agent_row).to_contain_text("Ăn trưa")
    figures = page.locator("section[aria-labelledby='figures-title'] tbody tr[data-key='600']")
    expect(figures).to_contain_text("Chăm sóc khách hàng")
    cells = figures.locator("td")
    expect(cells.nth(1)).to_have_text("1")  # waiting: e2e-q2
    expect(cells.nth(2)).to_have_text("2")  # calls in
    expect(cells.nth(3)).to_have_text("1")  # answered
    expect(cells.nth(5)).to_have_text("100%")  # answered within 20 s
    expect(cells.nth(6)).to_have_text("8")  # average wait
    no_blocking(s, "queues page with figures and agents (vi)")

    # with the company's list of pause reasons, the agent picks one
    with stack.api(cc.admin_token) as api:
        api.put("/v1/agents/pause-reasons", json={"reasons": ["Họp", "Đào tạo"]}).raise_for_status()
    apage.reload()
    a.ready()
    choice = apage.locator("section.agent-status select[name='reason']")  # once the list has loaded
    expect(choice).to_have_accessible_name("Lý do tạm nghỉ")
    choice.select_option("Đào tạo")
    apage.get_by_role("button", name="Tạm nghỉ").click()
    expect(status).to_contain_text("Đào tạo")
    no_blocking(a, "agent status with reasons (vi)")

    # English
    en: Session = open_session(agent, lang="en", bypass_csp=True)
    epage = en.goto("agent")
    expect(epage.locator("section.agent-status [role=status]")).to_contain_text("Paused")
    epage.get_by_role("button", name="Log out of the queues").click()
    expect(epage.locator("section.agent-status [role=status]")).to_contain_text("Logged out")
    no_blocking(en, "agent status (en)")
    admin_en: Session = open_session(admin, lang="en", bypass_csp=True)
    qpage = admin_en.goto("queues")
    expect(qpage.get_by_role("heading", level=1)).to_have_text("Queues")
    expect(qpage.locator("div.results tbody tr[data-key='600']")).to_contain_text("Round robin")
    no_blocking(admin_en, "queues page (en)")
    for sess in (s, a, en, admin_en):
        # the 409 of the number already taken is the only refusal the browser logs
        errors = [e for e in sess.console_errors if "Content Security Policy" not in e and "status of 409" not in e]
        assert not errors, errors


def _wav(seconds: float, freq: float = 1200.0, rate: int = 8000) -> bytes:
    import io
    import math
    import struct
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        n = int(seconds * rate)
        w.writeframes(
            b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / rate))) for i in range(n))
        )
    return buf.getvalue()


def test_an_admin_uploads_the_queues_own_welcome_and_drops_it(seed: Seed, open_session: Any) -> None:
    stack = seed.stack
    cc = stack.create_tenant("Lời chào Co", "welcome.probox.test", ["401"], plan="CC-10")
    admin = stack.create_user(cc, "admin@welcome.probox.test", "tenant_admin")
    with stack.api(cc.admin_token) as api:
        r = api.post("/v1/queues", json={"name": "Bán hàng", "number": "600", "members": [{"extension": "401"}]})
        assert r.status_code == 201, r.text
        qid = r.json()["id"]
    s: Session = open_session(admin, bypass_csp=True)
    page = s.goto("queues")
    panel = page.locator("section[aria-labelledby='prompts-title']")
    expect(panel.get_by_role("heading", name="Lời nhắc riêng của hàng đợi")).to_be_visible()
    expect(panel.get_by_text("Hàng đợi này đang dùng giọng đọc mặc định.")).to_be_visible()
    # a file that is not a WAV: the API's refusal, nothing stored
    panel.get_by_label("Lời nhắc", exact=True).select_option("welcome")
    panel.get_by_label("Tệp ghi âm (WAV)").set_input_files(
        {"name": "chao.wav", "mimeType": "audio/wav", "buffer": b"ID3 not really a wav" * 20}
    )
    panel.get_by_role("button", name="Tải lên").click()
    expect(panel.get_by_role("alert")).to_be_visible()
    with stack.api(cc.admin_token) as api:
        assert api.get(f"/v1/queues/{qid}").json()["prompts"] == []
    # a real recording: saved, listed with its length
    panel.get_by_label("Tệp ghi âm (WAV)").set_input_files(
        {"name": "chao.wav", "mimeType": "audio/wav", "buffer": _wav(2.5)}
    )
    panel.get_by_role("button", name="Tải lên").click()
    expect(panel.get_by_text('Đã lưu lời nhắc "Lời chào khi vào hàng đợi"')).to_be_visible()
    row = panel.locator("tbody tr[data-key='vi/welcome']")
    expect(row).to_contain_text("Lời chào khi vào hàng đợi")
    expect(row).to_contain_text("2,5")
    no_blocking(s, "queue prompts (vi)")
    with stack.api(cc.admin_token) as api:
        [p] = api.get(f"/v1/queues/{qid}").json()["prompts"]
    assert (p["name"], p["language"], p["seconds"]) == ("welcome", "vi", 2.5)
    en: Session = open_session(admin, lang="en", bypass_csp=True)
    epanel = en.goto("queues").locator("section[aria-labelledby='prompts-title']")
    expect(epanel.locator("tbody tr[data-key='vi/welcome']")).to_contain_text("Welcome on joining the queue")
    no_blocking(en, "queue prompts (en)")
    # dropped: the default voice again
    row.get_by_role("button", name="Dùng lại giọng mặc định").click()
    row.get_by_role("button", name="Xác nhận xoá").click()
    expect(panel.get_by_text("Hàng đợi này đang dùng giọng đọc mặc định.")).to_be_visible()
    with stack.api(cc.admin_token) as api:
        assert api.get(f"/v1/queues/{qid}").json()["prompts"] == []
