"""督查科 in a real browser, offline: today's hall shows a call without reloading (and asks to sign in
again once the session has ended); the statistics page opens and its XLSX downloads with the page's numbers."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from hall_server.auth.service import logout
from tests.browser import chromium_page
from tests.hall_server.office.test_office_browser import sign_in
from tests.test_offline import offline

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)]


async def test_the_supervisor_watches_a_call_arrive_then_downloads_the_days_figures(hall, kiosk, staff_client,
                                                                                    tmp_path):
    first = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w1 = await staff_client(1)
    async with chromium_page(1280, 900) as page, offline(page) as asked:
        await sign_in(page, hall, "supervisor", "/office/hall")
        assert await page.locator("h1").inner_text() == "今日大厅"
        desk = page.locator('#desks tr[data-window="1"] td.current')
        assert await desk.inner_text() == "—"
        assert await page.locator("#today-waiting").inner_text() == "1"
        page_id = await page.evaluate("() => (window.__same_page = Math.random())")

        await w1.call_next(hall.hall.windows[1])  # the applicant is called while the page stays open
        await page.wait_for_function(
            "n => document.querySelector('#desks tr[data-window=\"1\"] td.current').textContent.includes(n)",
            arg=first["number"], timeout=10000)
        assert "已叫号" in await desk.inner_text()
        assert await page.locator("#today-waiting").inner_text() == "0"
        assert await page.evaluate("() => window.__same_page") == page_id  # not reloaded

        token = next(c["value"] for c in await page.context.cookies() if c["name"] == "hall_office")
        hall.ctx.write(lambda s, now: logout(s, token))  # the session ends (signed out elsewhere, expired)
        hall.ctx.actors.pop(token, None)
        await page.wait_for_url(lambda url: "/office/login?next=" in url, timeout=10000)  # the page asks
        await page.fill("input[name=username]", "supervisor")
        await page.fill("input[name=password]", hall.hall.password)
        await page.click("button[type=submit].primary")
        await page.wait_for_url("**/office/hall")

        await w1.finish_service(hall.hall.windows[1])
        await page.click("nav.menu >> text=统计报表")
        await page.wait_for_load_state()
        assert await page.locator("#total-issued").inner_text() == "1"
        assert await page.locator("#total-served").inner_text() == "1"
        assert await page.locator("#chart-wait rect[data-value='1']").count() == 1
        async with page.expect_download() as waiting:
            await page.click("#export-xlsx")
        download = await waiting.value
        saved = tmp_path / download.suggested_filename
        await download.save_as(saved)
    assert asked == [], f"asked outside the hall's network: {asked}"
    assert saved.name == "hall-1-day-2026-11-25.xlsx"
    rows = list(load_workbook(saved)["按事项 By service"].iter_rows(values_only=True))
    assert rows[1][:3] == ("企业设立登记", 1, 1)
