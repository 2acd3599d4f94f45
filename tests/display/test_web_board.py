"""The TV board page in headless Chromium: it shows a call made through the API, and comes back by itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from display.board_model import BoardFilter, apply_all, from_snapshot, view
from tests.browser import chromium_page
from tests.display.scenario import first_hour, second_hour
from tests.display.support import CuttableProxy

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
BOARD_JS = Path(__file__).resolve().parents[2] / "display" / "web" / "board.js"


async def _text(page, selector: str) -> str:
    return await page.locator(selector).inner_text()


async def _wait(page, expression: str, timeout: float = 15000) -> None:
    await page.wait_for_function(expression, timeout=timeout)


async def test_a_call_made_through_the_api_appears_on_the_tv(hall, kiosk, staff_client):
    h = hall.hall
    await kiosk.issue_ticket(h.services["GS-1"])
    await kiosk.issue_ticket(h.services["BK-1"])
    async with chromium_page() as page:
        await page.goto(f"{hall.url}/board?hall={h.hall_id}")
        await _wait(page, "window.hallBoard && window.hallBoard.connected")
        assert await _text(page, "#hall-name") == "测试行政服务中心"
        assert (await _text(page, "#clock-time")).startswith("10:0")  # the hall's time (frozen at 10:00 here)
        assert await _text(page, "#clock-date") == "11月25日星期三"
        assert "暂无呼叫" in await _text(page, "#no-calls")
        staff = await staff_client(1)
        await staff.call_next(h.windows[1])
        row = page.locator('#calls li[data-number="A001"]')
        await row.wait_for(timeout=15000)
        text = await row.inner_text()
        assert "A001" in text and "1 号窗口" in text and "一楼A区1号窗口" in text
        assert "newest" in (await row.get_attribute("class"))
        assert "请 A001 号到 1 号窗口" in await _text(page, "#recent")
        groups = await _text(page, "#groups")
        assert "C" in groups and "1 人" in groups  # the BK-1 ticket still waits
        assert await page.locator("#connection").is_hidden()
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "board.png"))


async def test_the_tv_page_in_english_and_limited_to_an_area(hall, kiosk, staff_client):
    h = hall.hall
    await kiosk.issue_ticket(h.services["SW-1"])
    await kiosk.issue_ticket(h.services["GS-1"])
    for n in (1, 3):
        await (await staff_client(n)).call_next(h.windows[n])
    async with chromium_page(1280, 720) as page:
        await page.goto(f"{hall.url}/board?hall={h.hall_id}&area=二楼&lang=en")
        await _wait(page, "window.hallBoard && window.hallBoard.connected")
        await page.locator('#calls li[data-number="B001"]').wait_for(timeout=15000)
        assert await page.locator('#calls li[data-number="A001"]').count() == 0
        assert "Window 3" in await _text(page, "#calls")
        assert "Area: 二楼" in await _text(page, "#scope")
        assert await _text(page, "#hall-name") == "Test Service Center"


async def test_the_tv_page_reconnects_and_misses_no_call(hall, kiosk, staff_client):
    h = hall.hall
    for _ in range(6):
        await kiosk.issue_ticket(h.services["BK-1"])
    proxy = await CuttableProxy("127.0.0.1", int(hall.url.rsplit(":", 1)[1])).start()
    staff = {n: await staff_client(n) for n in (10, 11, 12)}
    try:
        async with chromium_page() as page:
            await page.goto(f"{proxy.url}/board?hall={h.hall_id}")
            await _wait(page, "window.hallBoard && window.hallBoard.connected")
            await staff[10].call_next(h.windows[10])
            await page.locator('#calls li[data-number="C001"]').wait_for(timeout=15000)
            await proxy.cut()
            await _wait(page, "!window.hallBoard.connected")
            banner = page.locator("#connection")
            await banner.wait_for(state="visible", timeout=15000)
            assert await banner.inner_text() == "正在重新连接…"
            for n in (11, 12, 10):  # calls go on while the TV is cut off
                await staff[n].call_next(h.windows[n])
            await staff[12].recall_ticket(h.windows[12])
            await proxy.restore()
            await _wait(page, "window.hallBoard.connected && window.hallBoard.view().recent.length === 5")
            recent = await page.evaluate("window.hallBoard.view().recent")
            assert [(r["number"], r["window"], r["recalled"]) for r in recent] == [
                ("C003", 12, True), ("C004", 10, False), ("C003", 12, False), ("C002", 11, False), ("C001", 10, False)]
            assert await banner.is_hidden()
            assert "C004" in await _text(page, "#calls") and "C001" not in await _text(page, "#calls")
    finally:
        await proxy.close()


async def test_the_page_and_the_python_model_show_the_same(hall, kiosk, staff_client):
    """The board is computed once: board.js follows board_model.py rule for rule."""
    start = await kiosk.hall_board(hall.hall.hall_id)
    staff = await first_hour(hall, kiosk, staff_client)
    middle = await kiosk.hall_board(hall.hall.hall_id)
    await second_hour(hall, staff)
    events = await kiosk.list_events(after=start["last_event_id"], hall_id=hall.hall.hall_id)
    async with chromium_page(800, 600) as page:
        await page.goto("about:blank")
        await page.add_script_tag(content=BOARD_JS.read_text(encoding="utf-8"))
        for area, windows in ((None, None), ("二楼", None), (None, "1,2"), ("一楼", "2-3")):
            flt = BoardFilter.parse(area, windows)
            for snap in (start, middle):
                expected = view(apply_all(from_snapshot(snap, flt), events + events[:5]))
                got = await page.evaluate(
                    """([snap, events, area, windows]) => {
                        const M = window.HallBoardModel;
                        let s = M.fromSnapshot(snap, M.parseFilter(area, windows));
                        for (const e of events) s = M.apply(s, e);
                        return JSON.stringify(M.view(s));
                    }""", [snap, events + events[:5], area, windows])
                assert json.loads(got) == expected, (area, windows)
