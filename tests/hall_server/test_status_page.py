"""The page a ticket's QR code opens, in headless Chromium: progress while waiting, then the rating."""

from pathlib import Path

from hall_server.client import HallClient
from tests.browser import chromium_page

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


async def test_the_qr_page_shows_progress_and_takes_one_rating(hall, kiosk, staff_client):
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    url = hall.url + "/s/" + t["status_token"]
    async with chromium_page(390, 844) as page:  # a phone
        await page.goto(url)
        await page.wait_for_function("document.getElementById('number').textContent === 'A001'")
        assert "等候中" in await page.inner_text("#state")
        assert "前面还有 0 人" in await page.inner_text("#detail")
        w = await staff_client(1)
        await w.call_next(hall.hall.windows[1])
        await page.reload()
        await page.wait_for_function("document.getElementById('state').textContent.includes('1号窗口')")
        await w.finish_service(hall.hall.windows[1])
        await page.reload()
        await page.wait_for_selector("#rate:not([hidden])")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"status-page-{hall.ctx.db.dialect}.png"))
        await page.click("button[data-level='good']")
        await page.wait_for_selector("#rate", state="hidden")
        assert "感谢您的评价" in await page.inner_text("#detail")
    async with HallClient(hall.url) as phone:
        assert (await phone.lookup_status(t["status_token"]))["rating"] == "good"


async def test_an_unknown_code_is_told_politely(hall):
    async with chromium_page(390, 844) as page:
        await page.goto(hall.url + "/s/not-a-real-token-xyz")
        await page.wait_for_function("document.getElementById('state').textContent.length > 0")
        assert "重新扫描" in await page.inner_text("#state")


async def test_a_no_show_s_page_says_why_there_is_nothing_to_rate(hall, kiosk, staff_client):
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w = await staff_client(1)
    await w.call_next(hall.hall.windows[1])
    await w.skip_ticket(hall.hall.windows[1])  # 过号: the applicant did not come
    async with chromium_page(390, 844) as page:
        await page.goto(hall.url + "/s/" + t["status_token"])
        await page.wait_for_function("document.getElementById('number').textContent === 'A001'")
        state = await page.inner_text("#state")
        assert "已过号" in state and "叫号时您未到窗口" in state and "不能评价" in state
        assert await page.is_hidden("#rate")
        await page.click("#lang")
        assert "no-show" in await page.inner_text("#state") and "nothing to rate" in await page.inner_text("#state")
