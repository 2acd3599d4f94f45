"""The TV board page in headless Chromium against a real hall server: it draws the views the server
computes (display/web/live.py), shows a call made through the API, keeps to its filter, and after a
dropped connection or a restarted server shows every call it missed.

The page's drawing does not depend on the database, so these run on SQLite only; the caster's own
tests (test_board_caster.py) run on both.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hall_server.app import create_app
from hall_server.client import HallClient
from hall_server.serve import ThreadedServer
from tests.browser import chromium_page
from tests.display.support import CuttableProxy

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CONNECTED = "window.hallBoard && window.hallBoard.connected"


async def _text(page, selector: str) -> str:
    return await page.locator(selector).inner_text()


async def _wait(page, expression: str, timeout: float = 15000) -> None:
    await page.wait_for_function(expression, timeout=timeout)


async def _recent(page) -> list[tuple[str, int, bool]]:
    recent = await page.evaluate("window.hallBoard.view.recent")
    return [(r["number"], r["window"], r["recalled"]) for r in recent]


async def test_a_call_made_through_the_api_appears_on_the_tv(hall, kiosk, staff_client):
    h = hall.hall
    await kiosk.issue_ticket(h.services["GS-1"])
    await kiosk.issue_ticket(h.services["BK-1"])
    async with chromium_page() as page:
        await page.goto(f"{hall.url}/board?hall={h.hall_id}")
        await _wait(page, CONNECTED)
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
        assert {"newest", "flash"} <= set((await row.get_attribute("class")).split())  # new to this TV: it flashes
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
    async with chromium_page(1280, 720) as page:
        await page.goto(f"{hall.url}/board?hall={h.hall_id}&area=二楼&lang=en")
        await _wait(page, CONNECTED)
        for n in (1, 3):  # window 1 is downstairs, window 3 upstairs
            await (await staff_client(n)).call_next(h.windows[n])
        await page.locator('#calls li[data-number="B001"]').wait_for(timeout=15000)
        assert await page.locator('#calls li[data-number="A001"]').count() == 0
        assert [r[0] for r in await _recent(page)] == ["B001"]
        assert "Window 3" in await _text(page, "#calls")
        assert "Area: 二楼" in await _text(page, "#scope")
        assert await _text(page, "#hall-name") == "Test Service Center"


async def test_the_tv_page_reconnects_after_its_socket_drops_and_misses_no_call(hall, kiosk, staff_client):
    h = hall.hall
    for _ in range(6):
        await kiosk.issue_ticket(h.services["BK-1"])
    proxy = await CuttableProxy("127.0.0.1", int(hall.url.rsplit(":", 1)[1])).start()
    staff = {n: await staff_client(n) for n in (10, 11, 12)}
    try:
        async with chromium_page() as page:
            await page.goto(f"{proxy.url}/board?hall={h.hall_id}&windows=10-12")
            await _wait(page, CONNECTED)
            assert await _text(page, "#scope") == "窗口:10,11,12"
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
            await _wait(page, "window.hallBoard.connected && window.hallBoard.view.recent.length === 5")
            assert await _recent(page) == [
                ("C003", 12, True), ("C004", 10, False), ("C003", 12, False), ("C002", 11, False), ("C001", 10, False)]
            assert await banner.is_hidden()
            calls = await _text(page, "#calls")
            assert "C004" in calls and "C001" not in calls
            # The recall is the newest call and new to this TV: it flashes now.
            assert "flash" in await page.locator('#calls li[data-number="C003"]').get_attribute("class")
    finally:
        await proxy.close()


async def test_the_tv_page_shows_the_calls_made_while_its_server_was_restarting(hall, kiosk, staff_client):
    """The TV's server goes away; calls go on through another server of the same hall; it comes back."""
    h = hall.hall
    for _ in range(6):
        await kiosk.issue_ticket(h.services["BK-1"])
    staff = {n: await staff_client(n) for n in (10, 11, 12)}
    port = int(hall.url.rsplit(":", 1)[1])
    other = ThreadedServer(create_app(hall.ctx.settings, clock=hall.clock, migrate=False))
    other.start()
    back = None
    try:
        async with chromium_page() as page:
            await page.goto(f"{hall.url}/board?hall={h.hall_id}")
            await _wait(page, CONNECTED)
            await staff[10].call_next(h.windows[10])
            await page.locator('#calls li[data-number="C001"]').wait_for(timeout=15000)
            await asyncio.to_thread(hall.server.stop)
            await _wait(page, "!window.hallBoard.connected")
            for n in (11, 12):
                staff[n].base_url = other.url
                staff[n]._http.base_url = other.url
                await staff[n].call_next(h.windows[n])
            back = ThreadedServer(create_app(hall.ctx.settings, clock=hall.clock, migrate=False), port=port)
            back.start()
            await _wait(page, "window.hallBoard.connected && window.hallBoard.view.recent.length === 3", 30000)
            assert await _recent(page) == [("C003", 12, False), ("C002", 11, False), ("C001", 10, False)]
            assert await page.locator('#calls li[data-number="C003"]').count() == 1
    finally:
        for server in (other, back):
            if server is not None:
                await asyncio.to_thread(server.stop)


async def test_a_tv_given_two_servers_moves_to_the_other_when_its_own_stops(hall, kiosk, staff_client):
    """``/board?api=A,B``: A stops for good; the TV follows B and shows the calls made there."""
    h = hall.hall
    for _ in range(4):
        await kiosk.issue_ticket(h.services["BK-1"])
    staff = {n: await staff_client(n) for n in (10, 11)}
    other = ThreadedServer(create_app(hall.ctx.settings, clock=hall.clock, migrate=False))
    other.start()
    try:
        async with chromium_page() as page:
            await page.goto(f"{hall.url}/board?hall={h.hall_id}&api={hall.url},{other.url}")
            await _wait(page, CONNECTED)
            await staff[10].call_next(h.windows[10])
            await page.locator('#calls li[data-number="C001"]').wait_for(timeout=15000)
            await asyncio.to_thread(hall.server.stop)  # and it never comes back
            async with HallClient(other.url, staff[11].token) as through_b:
                await through_b.call_next(h.windows[11])
            await _wait(page, "window.hallBoard.connected && window.hallBoard.view.recent.length === 2", 30000)
            assert await _recent(page) == [("C002", 11, False), ("C001", 10, False)]
    finally:
        await asyncio.to_thread(other.stop)
