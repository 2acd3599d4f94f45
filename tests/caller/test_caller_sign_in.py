"""Signing in by staff card (a reader on a real serial URL, or typed) and coming back after a lost connection."""

from __future__ import annotations

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


async def test_the_caller_shows_it_is_reconnecting_and_catches_up(hall, kiosk):
    for _ in range(2):
        await kiosk.issue_ticket(hall.hall.services["GS-1"])
    proxy = await CuttableProxy("127.0.0.1", int(hall.url.rsplit(":", 1)[1])).start()
    try:
        app = make_caller(hall)
        app.client = HallClient(proxy.url)  # everything the caller says goes through the cuttable line
        async with app.run_test(size=SIZE) as pilot:
            await until(lambda: app.located.is_set())
            await pilot.click("#username")
            await pilot.press(*hall.hall.staff[1], "enter", *hall.hall.password, "enter")
            screen = await ready(app)
            await proxy.cut()
            await until(lambda: not screen.connected)
            assert shown(app, "#connection") == "正在重新连接…"
            async with HallClient(hall.url, hall.hall.bus_token) as keypad:  # the keypad still works meanwhile
                await keypad.call_next(hall.hall.windows[1])
            await proxy.restore()
            await until(lambda: screen.connected)
            await says(app, "#current", "A001")
            assert shown(app, "#connection") == "已连接"
            await says(app, "#waiting", "共 1 人等候")
    finally:
        await proxy.close()
