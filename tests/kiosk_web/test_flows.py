"""The web kiosk by touch, on both databases: a ticket in three taps with its QR code on the
screen, a rating and a status found by the typed number and check code."""

from __future__ import annotations

import asyncio
import io

import pytest
import zxingcpp
from PIL import Image

from hall_server.client import HallClient
from tests.browser import chromium_page
from tests.kiosk.conftest import issued_count
from tests.kiosk.test_rating_and_status import finished_ticket
from tests.kiosk_web.conftest import (
    ready,
    screen_text,
    shows,
    tap,
    tap_keys,
    type_number_and_code,
    wait_for_text,
    web_kiosk,
)

pytestmark = pytest.mark.browser


async def test_a_ticket_in_three_taps_from_home_with_its_qr_code_on_the_screen(hall, tmp_path) -> None:
    service = hall.hall.services["GS-1"]
    async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path) as kiosk, chromium_page(touch=True) as page:
        await ready(page, kiosk)
        await tap(page, "go-take")  # 1
        await shows(page, "guide")
        button = await page.locator(f'button[data-choice="svc-{service}"]').bounding_box()
        assert button is not None and button["y"] + button["height"] <= 1080, "the service is on the first screen"
        await tap(page, f"svc-{service}")  # 2
        await shows(page, "confirm")
        await tap(page, "confirm-normal")  # 3
        await shows(page, "ticket")
        await wait_for_text(page, "A001", "前面暂无等候")
        await page.wait_for_function("document.fonts.status === 'loaded'")
        shot = Image.open(io.BytesIO(await page.screenshot()))
        shot.save(tmp_path / "ticket.png")
        codes = [c.text for c in zxingcpp.read_barcodes(shot)]
        for _ in range(100):  # the preview printer writes the paper ticket beside the screen
            if list(kiosk.tickets.glob("*.png")):
                break
            await asyncio.sleep(0.05)
        assert list(kiosk.tickets.glob("*.png")), "the ticket was printed"
        await wait_for_text(page, "请取走您的票据")
    assert len(codes) == 1 and codes[0].startswith(f"{hall.url}/s/")
    async with HallClient(hall.url) as public:
        status = await public.lookup_status(codes[0].rsplit("/s/", 1)[1])
    assert (status["number"], status["status"]) == ("A001", "waiting")
    assert await issued_count(hall) == 1


async def test_a_finished_ticket_is_rated_after_typing_its_number_and_check_code(hall, tmp_path, kiosk,
                                                                                  staff_client) -> None:
    ticket = await finished_ticket(hall, kiosk, staff_client)
    async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path) as web, chromium_page(touch=True) as page:
        await ready(page, web)
        await tap(page, "go-rate")
        await shows(page, "find")
        await type_number_and_code(page, ticket["number"], ticket["check_code"])
        await page.wait_for_function("code => document.querySelector('input[data-field=find-code]').value === code",
                                     arg=ticket["check_code"])
        assert await page.input_value('input[data-field="find-number"]') == ticket["number"]
        await tap(page, "find-submit")
        await shows(page, "rate")
        await wait_for_text(page, "A001号 · 企业设立登记", "您对本次服务满意吗")
        await tap(page, "rate-good")
        await tap(page, "rate-submit")
        await wait_for_text(page, "感谢")
    async with HallClient(hall.url) as public:
        assert (await public.lookup_status(ticket["status_token"]))["rating"] == "good"


async def test_a_waiting_tickets_status_by_its_number_and_check_code(hall, tmp_path, kiosk) -> None:
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    second = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path) as web, chromium_page(touch=True) as page:
        await ready(page, web)
        await tap(page, "go-status")
        await shows(page, "find")
        await type_number_and_code(page, second["number"], "ZZZZ")
        await tap(page, "find-submit")
        await wait_for_text(page, "核对码")  # a wrong code is refused politely, and what was typed stays
        assert await page.input_value('input[data-field="find-number"]') == second["number"]
        await page.tap('input[data-field="find-code"]')
        await tap(page, "key-clear")
        await tap_keys(page, second["check_code"])
        await tap(page, "find-submit")
        await shows(page, "status")
        await wait_for_text(page, f"{second['number']}号 · 企业设立登记", "等候中", "前面还有 1 人等候")
        assert "核对码" not in await screen_text(page)


async def test_a_keyboard_mode_scanner_types_the_tickets_qr_into_the_page(hall, tmp_path, kiosk) -> None:
    """Most kiosk scanners are keyboards: they type the QR's address into the focused field and
    press Enter. The find screen has its scan field focused, so the status opens."""
    ticket = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path) as web, chromium_page(touch=True) as page:
        await ready(page, web)
        await tap(page, "go-status")
        await shows(page, "find")
        await page.wait_for_function("document.activeElement?.dataset.field === 'find-scan'")
        await page.keyboard.type(ticket["status_url"], delay=2)
        await page.keyboard.press("Enter")
        await shows(page, "status")
        await wait_for_text(page, "A001号 · 企业设立登记", "状态:等候中")
