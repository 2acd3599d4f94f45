"""The back office in a real browser: each role signs in and does its main task, offline."""

from __future__ import annotations

import httpx
import pytest

from tests.browser import chromium_page
from tests.test_offline import offline

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)]


async def sign_in(page, hall, username: str, path: str = "/office/") -> None:
    await page.goto(f"{hall.url}{path}")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", hall.hall.password)
    await page.click("button[type=submit].primary")
    await page.wait_for_load_state()


async def test_the_admin_creates_a_staff_account_and_issues_a_kiosk_token(hall):
    async with chromium_page(1280, 900) as page, offline(page) as asked:
        await sign_in(page, hall, "admin", "/office/users")
        assert "账号管理" in await page.locator("h1").inner_text()
        form = page.locator("#new-user")
        await form.locator("input[name=username]").fill("chenjing")
        await form.locator("input[name=display_name]").fill("陈静")
        await form.locator("select[name=role]").select_option("staff")
        await form.locator("input[name=password]").fill("12345678")
        await form.locator("button").click()
        assert "密码太短" in await page.locator(".error").inner_text()
        form = page.locator("#new-user")
        await form.locator("input[name=password]").fill("counter-seven-2026")
        await form.locator("button").click()
        assert "已建立" in await page.locator(".notice").inner_text()
        assert await page.locator('tr[data-username="chenjing"]').count() == 1

        await page.click("nav.menu >> text=设备管理")
        await page.fill("#new-device input[name=name]", "一楼自助终端")
        await page.locator("#new-device select[name=kind]").select_option("kiosk")
        await page.click("#new-device button")
        assert len(await page.locator("#new-token").inner_text()) >= 30
        page.once("dialog", lambda d: d.accept())
        await page.locator('tr[data-name="一楼自助终端"] button').click()
        await page.wait_for_load_state()
        assert "已吊销" in await page.locator('tr[data-name="一楼自助终端"]').inner_text()
    assert asked == [], f"asked outside the hall's network: {asked}"


async def test_a_leader_is_kept_out_of_the_admins_pages_and_can_switch_to_english(hall):
    async with chromium_page(1280, 900) as page:
        await sign_in(page, hall, "leader")
        assert await page.locator("nav.menu >> text=账号管理").count() == 0
        response = await page.goto(f"{hall.url}/office/users")
        assert response.status == 403
        assert "不属于您的岗位" in await page.content()
        await page.click("#switch-lang")
        await page.wait_for_load_state()
        assert "belongs to another role" in await page.content()
        await page.click("#sign-out")
        await page.wait_for_load_state()
        assert page.url.endswith("/office/login")


async def test_business_raises_a_services_cap_and_changes_the_hours_in_pages(hall):
    async with chromium_page(1280, 900) as page, offline(page) as asked:
        await sign_in(page, hall, "business", "/office/catalog")
        await page.click('#services tr[data-code="SW-1"] a')
        await page.fill("#service-form input[name=daily_cap]", "80")
        await page.fill("#service-form textarea[name=materials]",
                        "发票领用申请表 | 主件 | 1\n经办人身份证 | 附件 | 1 | 核对原件")
        await page.click("#service-form button.primary")
        await page.wait_for_load_state()
        assert "已保存" in await page.locator(".notice").inner_text()
        assert "80" in await page.locator('#services tr[data-code="SW-1"]').inner_text()

        await page.click("nav.menu >> text=大厅设置")
        await page.check("#settings-form input[name=always]")
        await page.fill("#settings-form input[name=lunch]", "")
        await page.click("#settings-form button.primary")
        await page.wait_for_load_state()
        assert "已保存" in await page.locator(".notice").inner_text()
    assert asked == [], f"asked outside the hall's network: {asked}"
    assert httpx.get(f"{hall.url}/api/v1/halls/1").json()["hours"] == "00:00-00:00"
