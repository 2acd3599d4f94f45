"""The page a ticket's or a case notice's QR code opens, in headless Chromium: progress while waiting,
then the rating, once."""

import json
from datetime import timedelta
from pathlib import Path

from hall_server.client import HallClient
from tests.browser import chromium_page
from tests.hall_server.cases.support import GS1_MATERIALS, PERSON, serving
from tests.hall_server.test_security import FORBIDDEN

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


# --- a case's notice (办件通知书): the same page, drawn for a case ---------------------------------


async def case_page(page, hall, case: dict) -> None:
    await page.goto(hall.url + "/s/" + case["status_token"])
    await page.wait_for_function(f"document.getElementById('number').textContent === {case['case_number']!r}")


async def test_a_supplement_case_waiting_lists_every_missing_item_and_when_its_time_starts(hall, staff_client):
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-1"], "supplement", PERSON, window_id=hall.hall.windows[1],
                                     materials_received=GS1_MATERIALS[:1])
    async with chromium_page(390, 844) as page:
        await case_page(page, hall, case)
        assert await page.inner_text("#label") == "办件编号"
        assert await page.inner_text("#state") == "待补齐材料"
        shown = await page.inner_text("#case")
        assert "补办件" in shown and "企业设立登记" in shown and "市场监督管理局" in shown and "张*" in shown
        assert "张三" not in await page.inner_text("body")
        assert await page.locator("#missing li").all_inner_texts() == ["公司章程", "股东身份证明复印件"]
        assert "办理时限自材料全部补齐之日起计算" in await page.inner_text("#missing")
        assert "办理时限" in shown and "自材料全部补齐之日起计算" in shown
        assert "受理日期" in shown and "2026年11月25日(星期三)" in shown
        assert await page.locator("#steps li").all_inner_texts() == ["2026年11月25日 10:00\n已受理"]
        assert await page.is_hidden("#rate")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"status-page-case-{hall.ctx.db.dialect}.png"), full_page=True)
        await page.click("#lang")
        assert await page.inner_text("#state") == "Waiting for materials"
        assert "the time limit starts on the day all the materials are complete" in (
            await page.inner_text("#missing")).lower()
        assert await page.locator("#steps li").all_inner_texts() == ["25 Nov 2026, 10:00\nReceived"]


async def test_a_finished_case_shows_its_steps_and_is_rated_once(hall, staff_client):
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-1"], "supplement", PERSON, window_id=hall.hall.windows[1],
                                     materials_received=GS1_MATERIALS[:1])
    hall.clock.advance(timedelta(days=1, hours=4, minutes=30))  # Thursday 14:30 in the hall
    staff = await staff_client(1)
    await staff.complete_materials(case["id"], "2026-11-26")
    hall.clock.advance(timedelta(days=1))  # Friday
    staff = await staff_client(1)
    await staff.finish_case(case["id"])
    async with chromium_page(390, 844) as page, chromium_page(390, 844) as stale:
        await case_page(page, hall, case)
        await case_page(stale, hall, case)  # the same QR opened twice: on two phones, or in two tabs
        assert await page.inner_text("#state") == "已办结"
        assert await page.locator("#steps li").all_inner_texts() == [
            "2026年11月25日 10:00\n已受理", "2026年11月26日 14:30\n材料已补齐", "2026年11月27日 14:30\n已办结"]
        shown = await page.inner_text("#case")
        assert "2026年12月1日(星期二)" in shown  # the promise: three working days after the 26th
        assert "2026年11月27日(星期五)" in shown and "逾期" not in shown and await page.is_hidden("#missing")
        assert await page.locator("#rate button").all_inner_texts() == ["好", "较好", "一般", "较差"]
        assert "每件办件评价一次" in await page.inner_text("#rate-title")
        await page.click("button[data-level='fairly_good']")
        await page.wait_for_selector("#rate", state="hidden")
        assert "您的评价:较好" in await page.inner_text("#detail")
        await page.screenshot(path=str(ARTIFACTS / f"status-page-case-rated-{hall.ctx.db.dialect}.png"), full_page=True)
        # the other page still offers the levels; the server refuses a second rating, and the page says so kindly
        await stale.click("button[data-level='poor']")
        await stale.wait_for_selector("#message:not([hidden])")
        await stale.wait_for_selector("#rate", state="hidden")
        said = await stale.inner_text("#message")
        assert "这件办件已经评价过了" in said and "感谢您的评价" in said
        assert not any(phrase in said for phrase in FORBIDDEN)
        assert "您的评价:较好" in await stale.inner_text("#detail")
    async with HallClient(hall.url) as phone:
        assert (await phone.lookup_status(case["status_token"]))["rating"] == "fairly_good"


async def test_a_case_whose_ticket_was_rated_at_the_window_shows_that_rating_and_offers_no_second(
        hall, kiosk, staff_client):
    staff = await staff_client(1)
    wid, svc = hall.hall.windows[1], hall.hall.services["GS-2"]
    ticket = await serving(kiosk, staff, wid, svc)
    case = await staff.register_case(svc, "immediate", PERSON, ticket_id=ticket["id"], window_id=wid)
    await staff.finish_case(case["id"])
    await staff.finish_service(wid)
    async with HallClient(hall.url, hall.hall.bus_token) as pad:  # the window's rating pad
        await pad.rate_at_window(wid, "good")
    async with chromium_page(390, 844) as page:
        await case_page(page, hall, case)
        assert "即办件" in await page.inner_text("#case")
        assert "您的评价:好" in await page.inner_text("#detail")
        assert await page.is_hidden("#rate")
        # a rating sent anyway (an old page, a forged tap) is refused: one case, one rating
        status = await page.evaluate("""async token => (await fetch('/api/v1/ratings', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body: JSON.stringify({status_token: token, rating: 'poor'})}
            )).status""", case["status_token"])
        assert status == 409


async def test_a_returned_case_gives_its_reason_and_the_way_to_a_review(hall, staff_client):
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-1"], "returned", PERSON, window_id=hall.hall.windows[1],
                                     reason="主件《设立登记申请书》未提供")
    async with chromium_page(390, 844) as page:
        await case_page(page, hall, case)
        assert await page.inner_text("#state") == "已退回"
        reason = await page.inner_text("#reason")
        assert "主件《设立登记申请书》未提供" in reason
        assert "可持退回件通知书向服务中心业务科申请复核" in reason
        assert "退回日期" in await page.inner_text("#case")
        assert await page.is_visible("#rate")  # a returned case is served too, and may be rated
        await page.click("#lang")
        assert "business section (业务科) for a review (复核)" in await page.inner_text("#reason")


async def test_a_provisional_or_overdue_deadline_is_explained(hall, staff_client):
    """A deadline in a year whose holidays are not published, and one already passed: the answer is
    the server's with those two facts set (the test hall's calendar has every year it reaches)."""
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-1"], "promised", PERSON, window_id=hall.hall.windows[1],
                                     materials_received=GS1_MATERIALS)
    async with HallClient(hall.url) as phone:
        answer = await phone.lookup_status(case["status_token"])
    assert answer["deadline"] == "2026-11-30" and not answer["overdue"]
    answer |= {"deadline_provisional": True, "overdue": True}

    async def fulfil(route) -> None:
        await route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))

    async with chromium_page(390, 844) as page:
        await page.route("**/api/v1/status/*", fulfil)
        await case_page(page, hall, case)
        shown = await page.inner_text("#case")
        assert "2026年11月30日(星期一)" in shown and "暂定" in shown and "逾期" in shown
        assert "暂按周一至周五工作日计算" in await page.inner_text("#provisional")
        overdue = await page.inner_text("#overdue")
        assert "深表歉意" in overdue and "督查科" in overdue
        assert not any(phrase in shown for phrase in FORBIDDEN)
