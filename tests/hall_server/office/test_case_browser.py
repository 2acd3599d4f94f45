"""业务科 in a real browser, offline: a 补办件 that came by mail is registered through the form and
shows in the case list with every item still missing."""

from __future__ import annotations

import pytest

from tests.browser import chromium_page
from tests.hall_server.cases.support import PERSON
from tests.hall_server.office.test_office_browser import sign_in
from tests.test_offline import offline

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)]


async def test_business_registers_a_mailed_supplement_case_and_finds_it_in_the_list(hall):
    async with chromium_page(1280, 900) as page, offline(page) as asked:
        await sign_in(page, hall, "business", "/office/cases")
        await page.click("nav.menu >> text=登记办件")
        await page.locator("#item-choice select[name=service]").select_option(str(hall.hall.services["GS-1"]))
        await page.click("#item-choice button")
        await page.wait_for_load_state()
        form = page.locator("#case-form")
        await form.locator("select[name=case_type]").select_option("supplement")
        await form.locator("input[name=name]").fill(PERSON["name"])
        await form.locator("input[name=id_number]").fill(PERSON["id_number"])
        await form.locator("input[name=phone]").fill(PERSON["phone"])
        await form.locator("select[name=channel]").select_option("mail")
        await form.locator("input[name=accepted_on]").fill("2026-11-23")
        await form.locator("input[name=materials][value=设立登记申请书]").check()
        await form.locator("#register").click()
        await page.wait_for_load_state()
        assert "办件已登记" in await page.locator(".notice").inner_text()
        assert await page.locator("#case-missing").inner_text() == "公司章程、股东身份证明复印件"
        assert await page.locator("#case-accepted").inner_text() == "2026-11-23"

        await page.click("nav.menu >> text=办件管理")
        row = page.locator('#cases tr[data-key="2026000001"]')
        assert "补办件" in await row.inner_text()
        assert "待补齐:公司章程、股东身份证明复印件" in await row.locator("[data-column=status]").inner_text()
        assert "待材料补齐后计算" in await row.locator("[data-column=deadline]").inner_text()
        await page.locator("#case-filter select[name=status]").select_option("awaiting_materials")
        await page.click("#case-filter button")
        await page.wait_for_load_state()
        assert await page.locator("#cases tbody tr").count() == 1
    assert asked == [], f"asked outside the hall's network: {asked}"
