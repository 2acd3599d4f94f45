"""Rating a service (服务对象评议) and checking a ticket's status, found by its QR code."""

from __future__ import annotations

from hall_server.client import HallClient
from tests.kiosk.conftest import SIZE, ready, screen_text, tap, wait_for_screen, wait_for_text


async def finished_ticket(hall, kiosk, staff_client) -> dict:
    ticket = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    window = await staff_client(1)
    await window.call_next(hall.hall.windows[1])
    await window.finish_service(hall.hall.windows[1])
    return ticket


async def scan_into(pilot, code: str) -> None:
    """A keyboard-mode scanner: it types the code into the focused field and presses Enter."""
    for char in code:
        await pilot.press(char)
    await pilot.press("enter")


async def test_rate_a_finished_ticket_by_scanning_its_qr(make_kiosk, hall, kiosk, staff_client) -> None:
    ticket = await finished_ticket(hall, kiosk, staff_client)
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-rate")
        await wait_for_screen(pilot, "FindScreen")
        await scan_into(pilot, ticket["status_url"])
        await wait_for_screen(pilot, "RatingScreen")
        assert "A001号 · 企业设立登记" in screen_text(app)
        await tap(pilot, "#rate-submit")
        assert "请先点击一个评价等级。" in screen_text(app)
        await tap(pilot, "#rate-poor")
        await wait_for_text(pilot, "请告诉我们哪里做得不好")
        await tap(pilot, "#reason-slow")
        await tap(pilot, "#reason-unclear")
        await tap(pilot, "#reason-unclear")  # changed their mind
        app.screen.query_one("#rate-comment").value = "等得有点久"
        await tap(pilot, "#rate-submit")
        await wait_for_text(pilot, "感谢您的评价")
    async with HallClient(hall.url) as public:
        status = await public.lookup_status(ticket["status_token"])
    assert status["rating"] == "poor"


async def test_a_ticket_is_rated_once_and_the_second_time_says_so(make_kiosk, hall, kiosk, staff_client) -> None:
    ticket = await finished_ticket(hall, kiosk, staff_client)
    await kiosk.submit_rating(ticket["status_token"], "good")
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-rate")
        await scan_into(pilot, ticket["status_token"])  # a bare token, as some scanners are set up
        await wait_for_screen(pilot, "RatingScreen")
        await wait_for_text(pilot, "这张票已经评价过了(好)")
        assert not app.screen.query(".rating")


async def test_rating_refused_by_the_server_shows_its_message(make_kiosk, hall, kiosk, staff_client) -> None:
    """Rated elsewhere (the window's pad) while the applicant stood at the kiosk."""
    ticket = await finished_ticket(hall, kiosk, staff_client)
    app = make_kiosk(language="en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-rate")
        await scan_into(pilot, ticket["status_url"])
        await wait_for_screen(pilot, "RatingScreen")
        await kiosk.submit_rating(ticket["status_token"], "average")
        await tap(pilot, "#rate-good")
        await tap(pilot, "#rate-submit")
        await wait_for_text(pilot, "This ticket has already been rated")


async def test_a_ticket_still_waiting_cannot_be_rated_yet(make_kiosk, hall, kiosk) -> None:
    ticket = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-rate")
        await scan_into(pilot, ticket["status_url"])
        await wait_for_text(pilot, "这张票的业务还没有办结")


async def test_a_no_show_is_told_why_it_cannot_be_rated(make_kiosk, hall, kiosk, staff_client) -> None:
    """Called while away, and the window called the next: no service was given, so nothing to rate."""
    ticket = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    window = await staff_client(1)
    await window.call_next(hall.hall.windows[1])
    await window.call_next(hall.hall.windows[1])  # never started: a no-show
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-rate")
        await scan_into(pilot, ticket["status_url"])
        await wait_for_screen(pilot, "RatingScreen")
        await wait_for_text(pilot, "叫号时您未到窗口(已过号)", "因此无法评价")
        assert not app.screen.query(".rating")
    app = make_kiosk(language="en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-status")
        await scan_into(pilot, ticket["status_url"])
        await wait_for_screen(pilot, "StatusScreen")
        await wait_for_text(pilot, "Status: no-show", "staff will put you back in line")
        assert not app.screen.query("#status-rate")


async def test_a_code_that_is_not_a_ticket_is_explained(make_kiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-status")
        await scan_into(pilot, "6901234567892")  # a product barcode
        await wait_for_text(pilot, "没有识别到本中心票据或通知书上的二维码")
        await scan_into(pilot, "http://hall.test/s/NoSuchTicketToken123")
        await wait_for_text(pilot, "没有找到这张票")


async def test_find_a_ticket_by_number_and_check_code(make_kiosk, hall, kiosk) -> None:
    """For a ticket whose QR code no longer scans: the number and the code printed beside the QR."""
    ticket = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-status")
        await tap(pilot, "#find-submit")
        assert "请输入票号(如 A001)和二维码旁的核对码" in screen_text(app)
        await tap(pilot, "#find-number")
        for key in "A001":
            await tap(pilot, f"#key-{key}")
        await tap(pilot, "#find-code")
        wrong = "2222" if ticket["check_code"] != "2222" else "3333"
        for key in wrong:
            await tap(pilot, f"#key-{key}")
        assert app.screen.query_one("#find-number").value == "A001"
        await tap(pilot, "#find-submit")
        await wait_for_text(pilot, "没有找到这张票")
        await tap(pilot, "#key-clear")
        for key in ticket["check_code"]:
            await tap(pilot, f"#key-{key}")
        await tap(pilot, "#find-submit")
        await wait_for_screen(pilot, "StatusScreen")
        assert "A001号 · 企业设立登记" in screen_text(app)


async def test_status_of_a_waiting_ticket_shows_people_ahead(make_kiosk, hall, kiosk) -> None:
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    ticket = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-status")
        await scan_into(pilot, ticket["status_url"])
        await wait_for_screen(pilot, "StatusScreen")
        shown = screen_text(app)
    assert "A002号 · 企业设立登记" in shown
    assert "状态:等候中" in shown
    assert "前面还有 1 人等候" in shown
    # no window serving it is open yet: no time is promised, and no "no wait" either
    assert "办理该业务的窗口暂未开放" in shown and "预计等候约" not in shown


async def test_status_follows_the_ticket_from_called_to_finished_and_invites_a_rating(
        make_kiosk, hall, kiosk, staff_client) -> None:
    ticket = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    window = await staff_client(1)
    await window.call_next(hall.hall.windows[1])
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-status")
        await scan_into(pilot, ticket["status_url"])
        await wait_for_screen(pilot, "StatusScreen")
        assert "请到 1 号窗口办理:一楼A区1号窗口" in screen_text(app)
        await window.finish_service(hall.hall.windows[1])
        await tap(pilot, "#status-refresh")
        await wait_for_text(pilot, "您的业务已办理完成", "现在评价")
        await tap(pilot, "#status-rate")
        await wait_for_screen(pilot, "RatingScreen")
        await tap(pilot, "#rate-good")
        await tap(pilot, "#rate-submit")
        await wait_for_text(pilot, "感谢您的评价")
    async with HallClient(hall.url) as public:
        assert (await public.lookup_status(ticket["status_token"]))["rating"] == "good"
