"""Signing in by staff card (a reader on a real serial URL, or typed) and coming back after a lost connection."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from caller.app import CallerApp
from hall_server.client import HallClient
from hardware.serial_bus.simulator import SimCardLineReader
from tests.caller.support import make_caller, ready, says, shown
from tests.display.support import CuttableProxy, until

SIZE = (120, 40)


async def test_a_card_swiped_on_the_reader_signs_in(hall):
    with SimCardLineReader() as reader:  # a stand-alone reader on socket://, speaking its real line format
        app = make_caller(hall, card_reader_url=reader.url, device_token=hall.hall.bus_token)
        async with app.run_test(size=SIZE):
            await until(lambda: app.located.is_set() and app.card_reader.online)
            reader.swipe("CARD001")
            await ready(app)
            assert shown(app, "#staff") == "工作人员:1号"
            assert shown(app, "#window-state") == "服务中"


async def test_a_typed_card_number_signs_in_and_an_unknown_card_is_refused(hall):
    app = make_caller(hall, device_token=hall.hall.bus_token)
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: app.located.is_set())
        await pilot.click("#card")
        await pilot.press(*"NOSUCHCARD", "enter")
        await says(app, "#sign-in-message", "这张卡尚未登记,请使用密码登录或联系管理员登记工作卡。")
        assert type(app.screen).__name__ == "SignInScreen"
        app.screen.query_one("#card").value = ""
        await pilot.click("#card")
        await pilot.press(*"CARD001", "enter")
        await ready(app)


async def test_card_sign_in_without_a_device_token_says_what_to_do(hall):
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: app.located.is_set())
        await pilot.click("#card")
        await pilot.press(*"CARD001", "enter")
        await says(app, "#sign-in-message", "刷卡登录需要本窗口的设备令牌")


async def test_an_unknown_window_number_is_explained(hall):
    app = make_caller(hall, window=99)
    async with app.run_test(size=SIZE):
        await says(app, "#sign-in-message", "没有找到 99 号窗口")


@contextlib.asynccontextmanager
async def cut_off_after_sign_in(hall) -> AsyncIterator[tuple[CallerApp, CuttableProxy]]:
    """Window 1's caller, signed in through a line that is then cut: everything it says to the
    server goes through the proxy."""
    proxy = await CuttableProxy("127.0.0.1", int(hall.url.rsplit(":", 1)[1])).start()
    try:
        app = make_caller(hall)
        app.client = HallClient(proxy.url)
        async with app.run_test(size=SIZE) as pilot:
            await until(lambda: app.located.is_set())
            await pilot.click("#username")
            await pilot.press(*hall.hall.staff[1], "enter", *hall.hall.password, "enter")
            screen = await ready(app)
            await proxy.cut()
            await until(lambda: not screen.connected)
            yield app, proxy
    finally:
        await proxy.close()


async def test_the_caller_shows_it_is_reconnecting_and_catches_up(hall, kiosk):
    for _ in range(2):
        await kiosk.issue_ticket(hall.hall.services["GS-1"])
    async with cut_off_after_sign_in(hall) as (app, proxy):
        assert shown(app, "#connection") == "正在重新连接…"
        async with HallClient(hall.url, hall.hall.bus_token) as keypad:  # the keypad still works meanwhile
            await keypad.call_next(hall.hall.windows[1])
        await proxy.restore()
        await until(lambda: app.screen.connected)
        await says(app, "#current", "A001")
        assert shown(app, "#connection") == "已连接"
        await says(app, "#waiting", "共 1 人等候")


async def test_a_caller_signed_out_elsewhere_while_cut_off_returns_to_sign_in_not_to_reconnecting(hall):
    async with cut_off_after_sign_in(hall) as (app, proxy):
        async with HallClient(hall.url, app.client.token) as same_token:  # e.g. an administrator revoked it
            await same_token.logout()
        await proxy.restore()  # the event stream's reconnect is refused: 401, never to be retried
        await says(app, "#sign-in-message", "请先登录")
        assert type(app.screen).__name__ == "SignInScreen"
