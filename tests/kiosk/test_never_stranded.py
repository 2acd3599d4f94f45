"""The kiosk never strands an applicant: an idle minute resets it, a server that is down or
slow gets polite words and automatic retries (and never two tickets), and a printer out of
paper still leaves the ticket on the screen."""

from __future__ import annotations

import httpx

from hall_server.client import HallClient
from hardware.printer.device import PrinterConfig, open_printer
from hardware.printer.preview import QrOp, ops_text, render_escpos_ops
from hardware.printer.simulator import SimulatedPrinter
from hardware.printer.status import PrinterHealth
from hardware.serial_bus.simulator import SimScanner
from kiosk.app import KioskApp
from kiosk.widgets.qr import QrCode
from tests.harness import OPEN_MOMENT
from tests.kiosk.conftest import (
    SIZE,
    FakeIdleClock,
    attached,
    idle_checked,
    issued_count,
    kiosk_config,
    ready,
    screen_text,
    tap,
    to_confirmation,
    wait_for_screen,
    wait_for_text,
    wait_until,
)
from tests.kiosk.relay import Relay

# --- idle ----------------------------------------------------------------------------------------


async def test_an_idle_minute_returns_home_and_forgets_what_was_entered(make_kiosk) -> None:
    idle = FakeIdleClock()
    app = make_kiosk(idle_clock=idle, idle_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-guide")
        await tap(pilot, "#toggle-keys")
        await tap(pilot, "#key-F")
        await tap(pilot, "#top-lang")
        await tap(pilot, "#top-large")
        await wait_for_text(pilot, "Service guide")
        idle.advance(59)
        await idle_checked(pilot, idle)
        assert type(app.visit.screen).__name__ == "GuideScreen"
        await tap(pilot, "#key-P")  # a touch starts the minute again
        idle.advance(59)
        await idle_checked(pilot, idle)
        assert type(app.visit.screen).__name__ == "GuideScreen"
        assert app.screen.query_one("#search").value == "fp"
        idle.advance(2)  # now a whole minute untouched: the kiosk's own timer acts
        await wait_for_screen(pilot, "HomeScreen")
        await wait_for_text(pilot, "取  号", "English")  # in Chinese again, offering English
        assert not app.has_class("-large")
        assert not app.screen.query_one("#top-large").has_class("-selected")
        await tap(pilot, "#go-guide")
        assert app.screen.query_one("#search").value == ""
        assert not app.screen.query("#keypad")


async def test_idle_reset_also_leaves_a_half_finished_rating(make_kiosk) -> None:
    idle = FakeIdleClock()
    app = make_kiosk(idle_clock=idle, idle_seconds=5)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-rate")
        await tap(pilot, "#find-number")
        await tap(pilot, "#key-A")
        idle.advance(6)
        await wait_for_screen(pilot, "HomeScreen")
        assert len(app.screen_stack) == 1


# --- the server away -----------------------------------------------------------------------------


async def test_server_down_at_start_then_back(make_kiosk, hall) -> None:
    relay = Relay(hall.url)  # not started: the kiosk's server address is a closed port
    app = make_kiosk(server=relay.url)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_text(pilot, "网络暂时不通,系统正在自动重试,请稍候。")
            await tap(pilot, "#go-take")
            assert "系统正在连接,请稍候片刻再点击。" in screen_text(app)
            assert type(app.visit.screen).__name__ == "HomeScreen"
            relay.start()
            await ready(pilot)
            await wait_for_text(pilot, "测试行政服务中心")
            assert not app.screen.query_one("#connection").display
            await tap(pilot, "#go-take")
            await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
            await tap(pilot, "#confirm-normal")
            await wait_for_screen(pilot, "TicketScreen")
    finally:
        relay.stop()
    assert await issued_count(hall) == 1


async def test_network_cut_while_issuing_retries_into_one_ticket(make_kiosk, hall) -> None:
    relay = Relay(hall.url).start()
    app = make_kiosk(server=relay.url)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await to_confirmation(pilot, hall.hall.services["GS-1"])
            relay.stop()
            await tap(pilot, "#confirm-normal")
            await wait_for_text(pilot, "网络暂时不通,正在自动重试,请稍候。请放心,只会为您出一张票。")
            relay.start()
            await wait_for_screen(pilot, "TicketScreen")
            await wait_until(pilot, lambda: not app.screen.query_one("#connection").display, "the notice to go")
            assert "您的号码\nA001" in screen_text(app)
    finally:
        relay.stop()
    assert await issued_count(hall) == 1


async def test_a_lost_response_is_retried_with_the_same_key_into_one_ticket(make_kiosk, hall) -> None:
    """The server issued the ticket but its answer never arrived: the retry must not issue another."""
    relay = Relay(hall.url).start()
    app = make_kiosk(server=relay.url)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await to_confirmation(pilot, hall.hall.services["GS-1"])
            relay.lose_responses = 1
            await tap(pilot, "#confirm-normal")
            await wait_for_screen(pilot, "TicketScreen")
            assert "您的号码\nA001" in screen_text(app)
    finally:
        relay.stop()
    assert relay.lost == 1
    assert await issued_count(hall) == 1


async def test_a_kiosk_whose_server_stops_answering_issues_through_the_next(make_kiosk, hall) -> None:
    first, second = Relay(hall.url).start(), Relay(hall.url).start()  # two addresses of the hall
    app = make_kiosk(server=(first.url, second.url))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await to_confirmation(pilot, hall.hall.services["GS-1"])
            first.stop()
            await tap(pilot, "#confirm-normal")
            await wait_for_screen(pilot, "TicketScreen")
            assert "您的号码\nA001" in screen_text(app)
            assert app.client.base_url == second.url
    finally:
        first.stop()
        second.stop()
    assert await issued_count(hall) == 1


class BusyOnce(httpx.AsyncBaseTransport):
    """The server's "busy, try again" (503: a deadlock rolled the request back) to the first ticket."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.busy = 1

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.busy and request.method == "POST" and request.url.path.endswith("/tickets"):
            self.busy -= 1
            return httpx.Response(503, json={"error": {"code": "internal_error", "message_zh": "系统繁忙",
                                                       "message_en": "busy"}})
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_busy_server_is_asked_again_with_the_same_key(hall, tmp_path) -> None:
    busy = BusyOnce()
    client = HallClient(hall.url, hall.hall.kiosk_token, transport=busy)
    app = KioskApp(kiosk_config(hall, tmp_path), client=client, now=lambda: OPEN_MOMENT, retry_backoff=(0.05, 0.3))
    async with app.run_test(size=SIZE) as pilot:
        await to_confirmation(pilot, hall.hall.services["GS-1"])
        await tap(pilot, "#confirm-normal")
        await wait_for_screen(pilot, "TicketScreen")
        assert "您的号码\nA001" in screen_text(app)
    assert busy.busy == 0
    assert await issued_count(hall) == 1


# --- the printer ---------------------------------------------------------------------------------


async def test_the_printed_ticket_carries_the_number_and_the_qr_code(make_kiosk, hall) -> None:
    with SimulatedPrinter() as paper:
        printer = open_printer(PrinterConfig(kind="network", target=f"127.0.0.1:{paper.port}"))
        app = make_kiosk(printer=printer)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await tap(pilot, "#go-take")
            await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
            await tap(pilot, "#confirm-normal")
            await wait_for_text(pilot, "请取走您的票据。")
            ticket = app.visit.screen.ticket
        await wait_until(pilot, lambda: len(paper.jobs) == 1, "the printer to receive the job")
        ops = render_escpos_ops(paper.jobs[0])
    printed = "\n".join(ops_text(ops))
    for words in ("测试行政服务中心", "企业设立登记", "A001", "一楼A区1号窗口", ticket["check_code"]):
        assert words in printed, words
    assert [op.text for op in ops if isinstance(op, QrOp)] == [ticket["status_url"]]


async def test_paper_out_still_shows_the_ticket_and_asks_for_a_photo(make_kiosk, hall) -> None:
    with SimulatedPrinter(health=PrinterHealth.PAPER_OUT) as paper:
        printer = open_printer(PrinterConfig(kind="network", target=f"127.0.0.1:{paper.port}"))
        app = make_kiosk(printer=printer)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await tap(pilot, "#go-take")
            await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
            await tap(pilot, "#confirm-normal")
            await wait_for_text(pilot, "打印机缺纸", "请用手机拍下本页(号码和二维码),或请导办台工作人员协助")
            shown = screen_text(app)
            assert "您的号码\nA001" in shown
            assert "核对码:" in shown
            qr = app.screen.query_one(QrCode)
            assert qr.data == app.visit.screen.ticket["status_url"]
        assert paper.jobs == []
    assert await issued_count(hall) == 1


async def test_no_printer_connected_is_said_in_english_too(make_kiosk, hall) -> None:
    app = make_kiosk(language="en", printer=open_printer(PrinterConfig(kind="none")))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await tap(pilot, f"#svc-{hall.hall.services['GS-2']}")
        await tap(pilot, "#confirm-normal")
        await wait_for_text(pilot, "The ticket printer is not connected", "Please take a photo of this screen")
        assert "Your number\nA001" in screen_text(app)


# --- the serial scanner --------------------------------------------------------------------------


async def test_a_serial_scan_on_the_home_screen_opens_the_tickets_status(make_kiosk, hall, kiosk) -> None:
    ticket = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    with SimScanner() as scanner:
        app = make_kiosk(scanner_url=scanner.url)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await wait_until(pilot, lambda: app.core.scanner is not None and app.core.scanner.connected.is_set()
                             and attached(scanner), "the scanner line to open")
            scanner.scan(ticket["status_url"])
            await wait_for_screen(pilot, "StatusScreen")
            await wait_for_text(pilot, "A001号 · 企业设立登记", "状态:等候中")


async def test_a_serial_scan_of_a_green_code_issues_the_green_ticket(make_kiosk, hall, business) -> None:
    green = await business.create_green_pass(hall.hall.hall_id, "重点项目")
    with SimScanner() as scanner:
        app = make_kiosk(scanner_url=scanner.url)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await tap(pilot, "#go-take")
            await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
            await tap(pilot, "#confirm-green")
            await wait_until(pilot, lambda: app.core.scanner is not None and app.core.scanner.connected.is_set()
                             and attached(scanner), "the scanner line to open")
            scanner.scan(green["code"])
            await wait_for_screen(pilot, "TicketScreen")
            token = app.visit.screen.ticket["status_token"]
    async with HallClient(hall.url) as public:
        assert (await public.lookup_status(token))["priority"] == "green"
