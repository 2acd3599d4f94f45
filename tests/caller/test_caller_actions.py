"""Every soft-caller action driven by its key, against a real hall server (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from hall_server.client import HallClient
from tests.caller.support import make_caller, press_and_see, ready, says, shown, sign_in
from tests.display.support import until

SIZE = (120, 40)


async def _issue(kiosk: HallClient, hall, *codes: str) -> list[dict]:
    return [await kiosk.issue_ticket(hall.hall.services[c]) for c in codes]


async def test_sign_in_call_recall_start_finish_and_the_rating_prompt(hall, kiosk):
    await _issue(kiosk, hall, "GS-1", "GS-2", "GS-1")
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, hall)
        await ready(app)
        assert "1 号窗口 · 工商登记 · 一楼A区1号窗口" in shown(app, "#window-line")
        assert shown(app, "#window-state") == "服务中"
        assert shown(app, "#staff") == "工作人员:1号"
        assert "共 3 人等候" in shown(app, "#waiting") and "接下来:A001 A002 A003" in shown(app, "#waiting")
        assert "当前没有正在办理的号" in shown(app, "#current")

        await press_and_see(pilot, "f1", "#message", "已呼叫 A001 号。")
        await says(app, "#current", "A001")
        assert "已呼叫,等候群众到窗口" in shown(app, "#current")
        await says(app, "#waiting", "共 2 人等候")

        await press_and_see(pilot, "f2", "#message", "已重呼 A001 号。")
        await says(app, "#current", "已重呼 1 次")
        await press_and_see(pilot, "s", "#message", "A001 号开始办理。")
        await says(app, "#current", "办理中")
        assert "已办理 00:00" in shown(app, "#current")
        hall.clock.advance(timedelta(minutes=3, seconds=5))
        await says(app, "#current", "已办理 03:05")

        await press_and_see(pilot, "f4", "#message", "A001 号已办结。")
        await says(app, "#rating", "请群众在评价器上为 A001 号的办理评价。")
        await says(app, "#today", "已办结 1 件")
        assert "平均办理 03:05" in shown(app, "#today")
        async with HallClient(hall.url, hall.hall.bus_token) as pad:  # the rating pad, through the bus process
            await pad.rate_at_window(hall.hall.windows[1], "good")
        await says(app, "#rating", "A001 号已评价,谢谢。")
        await says(app, "#today", "好 1")
        assert app.screen.query_one("#act-register_case").disabled  # no one at the window to register a case for


async def test_calling_the_next_before_starting_counts_a_no_show_not_a_service(hall, kiosk):
    """F1 again while the applicant is only called: they never came. Not 已办结, no rating asked,
    counted apart, and parked as 过号 in case they come late."""
    await _issue(kiosk, hall, "GS-1", "GS-1")
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, hall)
        screen = await ready(app)
        await says(app, "#today", "过号未到 0 人")
        await press_and_see(pilot, "f1", "#message", "已呼叫 A001 号。")
        assert "群众到后请按 F3 开始办理" in shown(app, "#current")
        await press_and_see(pilot, "f1", "#message", "已呼叫 A002 号。")
        await says(app, "#today", "过号未到 1 人")
        assert "已办结 0 件" in shown(app, "#today")
        await until(lambda: screen.query_one("#parked").option_count == 1)
        assert str(screen.query_one("#parked").get_option_at_index(0).prompt) == "A001  过号  企业设立登记"
        await asyncio.sleep(0.3)  # the events of the call have reached the desk
        assert shown(app, "#rating") == ""  # no one to ask for a rating

        await press_and_see(pilot, "f3", "#message", "A002 号开始办理。")
        await press_and_see(pilot, "f1", "#message", "目前没有等候的群众。")
        await says(app, "#rating", "请群众在评价器上为 A002 号的办理评价。")
        await says(app, "#today", "已办结 1 件")
        assert "过号未到 1 人" in shown(app, "#today")


async def test_skip_hold_call_back_and_requeue(hall, kiosk):
    await _issue(kiosk, hall, "GS-1", "GS-1", "GS-1")
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, hall)
        screen = await ready(app)
        await press_and_see(pilot, "n", "#message", "已呼叫 A001 号。")
        await press_and_see(pilot, "f5", "#message", "A001 号已过号。")
        await until(lambda: screen.query_one("#parked").option_count == 1)
        await press_and_see(pilot, "n", "#message", "已呼叫 A002 号。")
        await press_and_see(pilot, "h", "#message", "A002 号已挂起。")
        parked = screen.query_one("#parked")
        await until(lambda: parked.option_count == 2)
        prompts = [str(parked.get_option_at_index(i).prompt) for i in range(2)]
        assert sorted(prompts) == ["A001  过号  企业设立登记", "A002  挂起  企业设立登记"]

        parked.focus()  # the cursor in the list says which one
        parked.highlighted = prompts.index("A002  挂起  企业设立登记")
        await press_and_see(pilot, "f7", "#message", "已回呼 A002 号。")
        await says(app, "#current", "A002")
        await until(lambda: parked.option_count == 1)

        await press_and_see(pilot, "f8", "#message", "A001 号已重新排队。")  # the only one left: no choice needed
        await until(lambda: parked.option_count == 0)
        await says(app, "#waiting", "接下来:A001 A003")  # back in line by its arrival time


async def test_transfer_to_a_service_and_to_a_window_with_a_note(hall, kiosk, staff_client):
    await _issue(kiosk, hall, "GS-1", "GS-1")
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, hall)
        await ready(app)
        await press_and_see(pilot, "f1", "#message", "已呼叫 A001 号。")
        await pilot.press("t")
        await until(lambda: app.screen.query("#targets"))
        await pilot.press(*["down"] * 4, "enter", "enter")  # 窗口:2 号 工商登记, no note
        await says(app, "#message", "A001 号已转到 2 号窗口。")
        await says(app, "#current", "当前没有正在办理的号")

        await press_and_see(pilot, "f1", "#message", "已呼叫 A002 号。")
        await pilot.press("f9")
        await until(lambda: app.screen.query("#targets"))
        await pilot.press("down", "enter")  # 业务:个体工商户登记(A)
        await pilot.press(*"请补材料", "enter")
        await says(app, "#message", "A002 号已转到“个体工商户登记”业务。")
        await says(app, "#waiting", "A  个体工商户登记  1 人")
        w2 = await staff_client(2)
        d2 = await w2.window_desk(hall.hall.windows[2])
        assert [tk["number"] for tk in d2["waiting"]][:1] == ["A001"]
        d1 = await w2.window_desk(hall.hall.windows[1])
        assert "A001" not in [tk["number"] for tk in d1["waiting"]]  # kept for window 2 only
        assert (await w2.call_next(hall.hall.windows[2]))["number"] == "A001"


async def test_the_called_ticket_can_be_transferred_before_the_desk_is_read_again(hall, kiosk):
    """Staff press F1 and T in one breath: the call's answer says who is at the window."""
    await _issue(kiosk, hall, "GS-1")
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, hall)
        await ready(app)
        read_desk = app.client.window_desk

        async def slow_desk(window_id: int) -> dict:
            await asyncio.sleep(3.0)  # a slow network: the desk comes long after the call's answer
            return await read_desk(window_id)

        app.client.window_desk = slow_desk
        await press_and_see(pilot, "f1", "#message", "已呼叫 A001 号。")
        await pilot.press("t")
        await until(lambda: app.screen.query("#targets"))


async def test_pause_with_a_reason_refuses_calls_politely_then_resumes(hall, kiosk):
    await _issue(kiosk, hall, "GS-1")
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, hall)
        await ready(app)
        await pilot.press("f10")
        await until(lambda: app.screen.query("#reasons"))
        await pilot.press("down", "down", "enter")  # 会议
        await says(app, "#window-state", "暂停服务:会议")
        assert "F10 恢复" in str(app.screen.query_one("#act-pause").label)
        await press_and_see(pilot, "f1", "#message", "本窗口暂停服务中,请先恢复服务再叫号。")
        await press_and_see(pilot, "p", "#message", "已恢复服务。")
        await says(app, "#window-state", "服务中")

        await pilot.press("p")
        await until(lambda: app.screen.query("#other"))
        await pilot.click("#other")
        await pilot.press("enter")
        await says(app, "#dialog-hint", "请选择或输入暂停原因。")
        await pilot.press(*"培训", "enter")
        await says(app, "#window-state", "暂停服务:培训")


async def test_what_the_state_machine_forbids_is_refused_politely(hall, kiosk):
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, hall)
        await ready(app)
        await press_and_see(pilot, "f2", "#message", "本窗口当前没有正在办理的号,请先叫号。")
        await press_and_see(pilot, "f1", "#message", "目前没有等候的群众。")
        await press_and_see(pilot, "f9", "#message", "本窗口当前没有可转移的号,请先叫号或回呼。")
        await _issue(kiosk, hall, "GS-1")
        await says(app, "#waiting", "共 1 人等候")  # a ticket issued at the kiosk shows at once
        await press_and_see(pilot, "f1", "#message", "已呼叫 A001 号。")
        await press_and_see(pilot, "f4", "#message", "A001 号已办结。")
        await press_and_see(pilot, "f4", "#message", "本窗口当前没有正在办理的号,请先叫号。")
        assert "error" in app.screen.query_one("#message").classes


async def test_changes_made_elsewhere_show_at_once(hall, kiosk, staff_client):
    await _issue(kiosk, hall, "GS-1", "GS-1")
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, hall)
        await ready(app)
        window = hall.hall.windows[1]
        async with HallClient(hall.url, hall.hall.bus_token) as keypad:  # the physical keypad, via the bus
            await keypad.call_next(window)
            await says(app, "#current", "A001")
            await keypad.start_service(window)
            await says(app, "#current", "办理中")
            await keypad.call_next(window)  # finishes A001, calls A002
            await says(app, "#current", "A002")
            await says(app, "#rating", "请群众在评价器上为 A001 号的办理评价。")
        supervisor = HallClient(hall.url)
        try:
            await supervisor.login(hall.hall.supervisor, hall.hall.password)
            await supervisor.pause_window(window, "督查")
            await says(app, "#window-state", "暂停服务:督查")
            await supervisor.resume_window(window)
            await says(app, "#window-state", "服务中")
        finally:
            await supervisor.aclose()
        # The same person signing in at another window closes this one: the caller asks to sign in again.
        other = await staff_client(1, sign_in=False)
        await other.sign_in_window(hall.hall.windows[2])
        await until(lambda: type(app.screen).__name__ == "SignInScreen")
        await says(app, "#sign-in-message", "本窗口已签退或已由其他工作人员登录")


async def test_sign_out_returns_to_sign_in_and_closes_the_window(hall, kiosk):
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, hall)
        await ready(app)
        await pilot.press("f12")
        await until(lambda: type(app.screen).__name__ == "SignInScreen")
        windows = {w["number"]: w for w in await kiosk.list_windows(hall.hall.hall_id)}
        assert windows[1]["state"] == "closed"
        assert app.client.token is None
        # the logout also ended the desk's event stream: its refused reconnect must not say "please sign in first"
        await asyncio.sleep(1.0)
        assert type(app.screen).__name__ == "SignInScreen" and shown(app, "#sign-in-message") == ""


async def test_a_wrong_password_is_refused_politely(hall):
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, hall, password="not-the-password")
        await says(app, "#sign-in-message", "用户名或密码不正确,请核对后重新输入。")
        assert type(app.screen).__name__ == "SignInScreen"
