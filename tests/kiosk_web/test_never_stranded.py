"""The web kiosk never strands an applicant: a double tap issues one ticket, a server down at start
or cut while issuing gets polite words and retries with the same key (one ticket), a lost answer
after the server committed is one ticket, a printer out of paper leaves the ticket on the screen,
and an idle kiosk goes home and forgets the visit. A terminal's behaviour: once, on SQLite."""

from __future__ import annotations

import asyncio

import pytest

from hardware.printer.device import PrinterConfig, open_printer
from hardware.printer.simulator import SimulatedPrinter
from hardware.printer.status import PrinterHealth
from hardware.serial_bus.simulator import SimScanner
from tests.browser import chromium_page
from tests.conftest import sqlite_only
from tests.kiosk.conftest import attached, issued_count
from tests.kiosk.relay import Relay
from tests.kiosk_web.conftest import ready, screen_text, shows, tap, wait_for_text, web_kiosk

pytestmark = pytest.mark.browser
database_url = sqlite_only()


async def to_confirmation(page, service: int) -> None:
    await tap(page, "go-take")
    await tap(page, f"svc-{service}")
    await shows(page, "confirm")


async def test_a_double_tap_on_confirm_issues_one_ticket(hall, tmp_path) -> None:
    async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path) as kiosk, chromium_page(touch=True) as page:
        await ready(page, kiosk)
        await to_confirmation(page, hall.hall.services["GS-1"])
        # two taps before the page has drawn the next screen: the page sends one, and the server drops
        # a touch aimed at a screen it has already left
        await page.evaluate("""() => { const b = document.querySelector('button[data-choice="confirm-normal"]');
                                       b.click(); b.click(); }""")
        version = await page.get_attribute("#screen", "data-version")
        answer = await page.evaluate("""v => fetch('/touch', {method: 'POST', headers: {'X-Kiosk-Fragment': '1',
            'Content-Type': 'application/x-www-form-urlencoded'}, body: 'touch=confirm-normal&v=' + v})
            .then(r => r.status)""", version)
        assert answer == 200
        await shows(page, "ticket")
        await wait_for_text(page, "A001")
        await asyncio.sleep(0.5)  # a second ticket, had one been asked for, would be issued by now
    assert await issued_count(hall) == 1


async def test_a_server_down_at_start_says_so_and_works_once_back(hall, tmp_path) -> None:
    relay = Relay(hall.url)  # not started: the kiosk's server address is a closed port
    async with web_kiosk(relay.url, hall.hall.kiosk_token, tmp_path) as kiosk, chromium_page(touch=True) as page:
        await page.goto(kiosk.url)
        await shows(page, "home")
        await page.wait_for_selector(".notice")  # connecting…, then: the network is not answering, retrying
        await tap(page, "go-take")
        await wait_for_text(page, "系统正在连接,请稍候片刻再点击。")
        relay.start()
        try:
            await wait_for_text(page, "测试行政服务中心")
            await page.wait_for_selector(".notice", state="detached")
            await to_confirmation(page, hall.hall.services["GS-1"])
            await tap(page, "confirm-normal")
            await wait_for_text(page, "A001")
        finally:
            relay.stop()
    assert await issued_count(hall) == 1


async def test_a_network_cut_while_issuing_is_retried_into_one_ticket(hall, tmp_path) -> None:
    relay = Relay(hall.url).start()
    try:
        async with web_kiosk(relay.url, hall.hall.kiosk_token, tmp_path) as kiosk, chromium_page(touch=True) as page:
            await ready(page, kiosk)
            await to_confirmation(page, hall.hall.services["GS-1"])
            relay.stop()
            await tap(page, "confirm-normal")
            await wait_for_text(page, "网络暂时不通,正在自动重试,请稍候。请放心,只会为您出一张票。")
            relay.start()
            await shows(page, "ticket")
            await wait_for_text(page, "A001")
    finally:
        relay.stop()
    assert await issued_count(hall) == 1


async def test_an_answer_lost_after_the_server_issued_is_one_ticket(hall, tmp_path) -> None:
    relay = Relay(hall.url).start()
    try:
        async with web_kiosk(relay.url, hall.hall.kiosk_token, tmp_path) as kiosk, chromium_page(touch=True) as page:
            await ready(page, kiosk)
            await to_confirmation(page, hall.hall.services["GS-1"])
            relay.lose_responses = 1
            await tap(page, "confirm-normal")
            await shows(page, "ticket")
            await wait_for_text(page, "A001")
    finally:
        relay.stop()
    assert relay.lost == 1
    assert await issued_count(hall) == 1


async def test_paper_out_keeps_the_ticket_on_the_screen_and_asks_for_a_photo(hall, tmp_path) -> None:
    with SimulatedPrinter(health=PrinterHealth.PAPER_OUT) as paper:
        printer = open_printer(PrinterConfig(kind="network", target=f"127.0.0.1:{paper.port}"))
        async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path, printer=printer) as kiosk, \
                chromium_page(touch=True) as page:
            await ready(page, kiosk)
            await to_confirmation(page, hall.hall.services["GS-1"])
            await tap(page, "confirm-normal")
            await wait_for_text(page, "打印机缺纸", "请用手机拍下本页(号码和二维码),或请导办台工作人员协助")
            shown = await screen_text(page)
            assert "A001" in shown and "核对码:" in shown
            assert await page.locator(".qr svg").count() == 1
        assert paper.jobs == []
    assert await issued_count(hall) == 1


async def test_an_idle_kiosk_goes_home_and_forgets_the_visit(hall, tmp_path) -> None:
    async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path, idle_seconds=2.0) as kiosk, \
            chromium_page(touch=True) as page:
        await ready(page, kiosk)
        await tap(page, "top-large")
        await tap(page, "top-lang")
        await tap(page, "go-take")
        await shows(page, "guide")
        await page.tap('input[data-field="search"]')
        await tap(page, "toggle-keys")
        await tap(page, "key-Y")
        # nobody touches the screen: the page goes home by itself, in Chinese and normal text
        await shows(page, "home")
        await wait_for_text(page, "欢迎您")
        assert "large" not in (await page.get_attribute("body", "class") or "")
        await tap(page, "go-take")
        assert await page.input_value('input[data-field="search"]') == ""


async def test_a_serial_scan_opens_the_tickets_status_on_the_page(hall, tmp_path, kiosk) -> None:
    """The kiosk PC's QR scanner (serial) reaches the page in front of the applicant."""
    ticket = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    with SimScanner() as scanner:
        async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path, scanner_url=scanner.url) as web, \
                chromium_page(touch=True) as page:
            await ready(page, web)
            for _ in range(600):
                if web.core.scanner is not None and web.core.scanner.connected.is_set() and attached(scanner):
                    break
                await asyncio.sleep(0.05)
            scanner.scan(ticket["status_url"])
            await shows(page, "status")
            await wait_for_text(page, "A001号 · 企业设立登记", "状态:等候中")
