"""Taking a ticket at the kiosk, against a real hall server: what the applicant sees, what the
server records, and that no tap, double tap or retry ever gives two tickets."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from textual.widgets import Button

from hall_server.client import HallClient
from kiosk.flow.take import ConfirmScreen
from tests.kiosk.conftest import SIZE, issued_count, ready, screen_text, tap, wait_for_screen, wait_for_text


async def test_home_shows_the_hall_its_time_hours_and_notice(make_kiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        shown = screen_text(app)
        for words in ("测试行政服务中心", "2026年11月25日 星期三 10:00", "开放时间:工作日 09:00-17:00",
                      "午休 12:00-13:00", "请携带身份证件原件办理业务。", "办事指南", "取  号", "评  价", "查  询"):
            assert words in shown


async def test_a_hall_open_around_the_clock_says_so(make_kiosk, hall) -> None:
    from sqlalchemy import update

    from hall_server.catalog.models import Hall

    def always_open(session, _now) -> None:
        session.execute(update(Hall).where(Hall.id == hall.hall.hall_id).values(hours="00:00-00:00", lunch=None))

    await asyncio.to_thread(hall.ctx.write, always_open)
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        shown = screen_text(app)
    assert "开放时间:全天24小时" in shown and "00:00-00:00" not in shown


async def test_taking_a_ticket_shows_it_and_the_server_issued_it(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
        await wait_for_text(pilot, "办理窗口:1号窗口 一楼A区1号窗口")
        await tap(pilot, "#confirm-normal")
        await wait_for_screen(pilot, "TicketScreen")
        await wait_for_text(pilot, "请取走您的票据。")
        shown = screen_text(app)
        assert "您的号码\nA001" in shown
        assert "前面暂无等候,请留意叫号" in shown
        assert "一楼A区1号窗口" in shown
        ticket = app.visit.screen.ticket
    async with HallClient(hall.url) as public:
        status = await public.lookup_status(ticket["status_token"])
    assert (status["number"], status["status"], status["service_name"]) == ("A001", "waiting", "企业设立登记")


async def test_people_ahead_and_wait_are_shown_for_a_later_ticket(make_kiosk, hall, kiosk, staff_client) -> None:
    await staff_client(1)  # a window serving the service is open: the wait can be told
    for _ in range(2):
        await kiosk.issue_ticket(hall.hall.services["GS-1"])
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
        await tap(pilot, "#confirm-normal")
        await wait_for_screen(pilot, "TicketScreen")
        shown = screen_text(app)
    assert "您的号码\nA003" in shown
    assert "前面还有 2 人等候" in shown
    assert "预计等候约" in shown


async def test_two_taps_on_confirm_issue_one_ticket(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await tap(pilot, f"#svc-{hall.hall.services['GS-2']}")
        button = app.screen.query_one("#confirm-normal")
        finger = (button.region.x + 3, button.region.y + 1)
        await pilot.click(offset=finger)
        await pilot.click(offset=finger)  # the same spot again, as a trembling or impatient finger does
        await wait_for_screen(pilot, "TicketScreen")
        await pilot.click(offset=finger)
        await pilot.pause(0.3)
        assert "您的号码\nA001" in screen_text(app)
    assert await issued_count(hall) == 1


async def test_presses_queued_before_the_screen_changes_issue_one_ticket(make_kiosk, hall) -> None:
    """A held finger or a bouncing touch panel: several presses arrive before any is handled."""
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await tap(pilot, f"#svc-{hall.hall.services['GS-2']}")
        assert isinstance(app.visit.screen, ConfirmScreen)
        button = app.screen.query_one("#confirm-normal", Button)
        for _ in range(3):
            button.post_message(Button.Pressed(button))
        await wait_for_screen(pilot, "TicketScreen")
        await pilot.pause(0.3)
    assert await issued_count(hall) == 1


async def test_priority_ticket_asks_to_confirm_eligibility(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
        await tap(pilot, "#confirm-priority")
        await wait_for_text(pilot, "老年人、残疾人、孕妇等有需要的群众", "符合条件,取优先号")
        await tap(pilot, "#priority-yes")
        await wait_for_screen(pilot, "TicketScreen")
        assert "优先" in screen_text(app)
        token = app.visit.screen.ticket["status_token"]
    async with HallClient(hall.url) as public:
        assert (await public.lookup_status(token))["priority"] == "priority"


async def test_green_channel_needs_the_centers_code(make_kiosk, hall, business) -> None:
    green = await business.create_green_pass(hall.hall.hall_id, "重点项目")
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
        await tap(pilot, "#confirm-green")
        await wait_for_screen(pilot, "GreenCodeScreen")
        await tap(pilot, "#green-submit")
        assert "请先扫描或输入通道码。" in screen_text(app)
        for key in "G0000000":  # a code the center never gave
            await tap(pilot, f"#key-{key}")
        await tap(pilot, "#green-submit")
        await wait_for_text(pilot, "绿色通道需要中心发放的通道码")
        await tap(pilot, "#issue-back")
        await wait_for_screen(pilot, "GreenCodeScreen")
        assert "绿色通道需要中心发放的通道码" in screen_text(app)
        await tap(pilot, "#key-clear")
        for key in green["code"]:
            await tap(pilot, f"#key-{key}")
        await tap(pilot, "#green-submit")
        await wait_for_screen(pilot, "TicketScreen")
        assert "绿色通道" in screen_text(app)
        token = app.visit.screen.ticket["status_token"]
    async with HallClient(hall.url) as public:
        assert (await public.lookup_status(token))["priority"] == "green"
    assert await issued_count(hall) == 1


async def test_outside_opening_hours_the_server_says_when_to_come_back(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        hall.clock.advance(timedelta(hours=8))  # 18:00
        await tap(pilot, "#go-take")
        await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
        await tap(pilot, "#confirm-normal")
        await wait_for_text(pilot, "现在不是取号时间", "请于")
        await tap(pilot, "#issue-back")
        await wait_for_screen(pilot, "ConfirmScreen")
        assert "现在不是取号时间" in screen_text(app)
    assert await issued_count(hall) == 0


async def test_at_the_daily_cap_the_applicant_is_told_when_to_come_back(make_kiosk, hall, kiosk) -> None:
    for _ in range(3):  # SW-1 issues 3 a day
        await kiosk.issue_ticket(hall.hall.services["SW-1"])
    app = make_kiosk(language="en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await tap(pilot, f"#svc-{hall.hall.services['SW-1']}")
        await tap(pilot, "#confirm-normal")
        await wait_for_text(pilot, "Today's tickets for this service have all been taken", "come back")
    assert await issued_count(hall) == 3
