"""Devices page (issue 13 item 5): an encrypted desk phone's config key is shown once, with
its first configuration URL or a new key, and never again."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Seed, Session

MAC = "805ec0aa0001"


def test_the_config_key_is_shown_once_with_the_url_and_again_only_when_renewed(seed: Seed, open_session: Any) -> None:
    s: Session = open_session(seed.admin_a)
    page = s.goto("devices")
    page.get_by_role("button", name="Thêm điện thoại bàn").click()
    form = page.locator("form").filter(has=page.get_by_label("Địa chỉ MAC"))
    form.get_by_label("Máy nhánh").select_option("101")
    form.get_by_label("Hãng và mẫu").select_option("yealink")
    form.get_by_label("Mẫu máy").fill("T46S")
    form.get_by_label("Địa chỉ MAC").fill("80:5E:C0:AA:00:01")
    expect(form.get_by_label("Mã hoá cấu hình")).to_be_checked()  # on by default for Yealink
    form.get_by_role("button", name="Lưu").click()
    row = page.locator(f"tbody tr[data-key='{MAC}']")
    expect(row).to_contain_text("Đã mã hoá")

    with page.expect_response(re.compile(r"/v1/devices/[^/]+/provisioning$")) as answer:
        row.get_by_role("button", name=f"Địa chỉ cấu hình mới {MAC}").click()
    first = answer.value.json()
    key = first["config_key"]
    assert re.fullmatch(r"[A-Za-z0-9]{16}", key)
    shown = page.get_by_role("status").filter(has_text="Nhập khoá cấu hình này vào điện thoại")
    expect(shown).to_contain_text(key)
    expect(shown).to_contain_text("static.auto_provision.aes_key_16.mac")

    # a second URL: the key is not shown again
    with page.expect_response(re.compile(r"/v1/devices/[^/]+/provisioning$")) as again:
        row.get_by_role("button", name=f"Địa chỉ cấu hình mới {MAC}").click()
    assert again.value.json()["config_key"] is None
    expect(page.get_by_role("status").filter(has_text=again.value.json()["absolute_url"])).to_be_visible()
    expect(page.get_by_text(key)).to_have_count(0)

    # a new key, shown once
    with page.expect_response(re.compile(r"/v1/devices/[^/]+/config-key$")) as renewed:
        row.get_by_role("button", name=f"Khoá cấu hình mới {MAC}").click()
    new_key = renewed.value.json()["config_key"]
    assert new_key != key
    expect(page.get_by_role("status").filter(has_text="Nhập khoá cấu hình này vào điện thoại")).to_contain_text(new_key)
    page.reload()
    s.ready()
    expect(page.get_by_text(new_key)).to_have_count(0)
