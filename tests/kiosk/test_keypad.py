"""The on-screen keypad under fast fingers: every tap lands, in order, in the field touched before
it, and an error goes away as soon as the applicant types to correct it.

A pilot's ``click`` waits for the app to be idle before each event, so it never meets taps
that come faster than the app drains them; ``burst`` hands the app a finger's presses and
releases the way its terminal driver does, all at once, as a busy kiosk PC (or the browser
kiosk) receives taps 50 ms apart.
"""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot

from tests.kiosk.conftest import SIZE, ready, screen_text, tap, wait_for_screen, wait_for_text


def burst(pilot: Pilot, *selectors: str) -> None:
    """A finger down and up on the middle of each widget, in order, without waiting in between."""
    app = pilot.app
    for selector in selectors:
        region = app.screen.query_one(selector).region
        x, y = region.x + region.width // 2, region.y + region.height // 2
        for kind in (events.MouseDown, events.MouseUp):
            app.post_message(kind(None, x, y, 0, 0, 1, False, False, False, x, y))


def keys(typed: str) -> list[str]:
    return [f"#key-{key}" for key in typed]


async def test_fast_taps_type_the_number_and_the_code_in_order_into_their_fields(make_kiosk, hall, kiosk) -> None:
    ticket = await kiosk.issue_ticket(hall.hall.services["GS-1"])  # A001
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-status")
        await tap(pilot, "#find-number")
        burst(pilot, *keys("A001"), "#find-code", *keys(ticket["check_code"]))
        await pilot.pause(0.3)
        assert app.screen.query_one("#find-number").value == "A001"
        assert app.screen.query_one("#find-code").value == ticket["check_code"]
        await tap(pilot, "#find-submit")
        await wait_for_screen(pilot, "StatusScreen")
        assert "A001号 · 企业设立登记" in screen_text(app)


async def test_fast_taps_across_the_keypads_rows_keep_their_order(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-status")
        await tap(pilot, "#find-code")
        burst(pilot, *keys("A1Q2Z3EE00"), "#key-delete", *keys("7"))
        await pilot.pause(0.3)
        assert app.screen.query_one("#find-code").value == "A1Q2Z3EE07"
        assert app.screen.query_one("#find-number").value == ""


async def test_the_lookup_error_goes_when_the_applicant_types_again(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-status")
        await tap(pilot, "#find-submit")
        assert "请输入票号(如 A001)和二维码旁的核对码" in screen_text(app)
        await tap(pilot, "#key-A")
        assert "请输入票号(如 A001)" not in screen_text(app)
        await tap(pilot, "#find-submit")  # still no code: told again, and again gone on the next key
        assert "请输入票号(如 A001)和二维码旁的核对码" in screen_text(app)
        await tap(pilot, "#key-delete")
        assert "请输入票号(如 A001)" not in screen_text(app)


async def test_the_green_code_error_goes_when_the_applicant_types_again(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
        await tap(pilot, "#confirm-green")
        await wait_for_screen(pilot, "GreenCodeScreen")
        await tap(pilot, "#green-submit")
        await wait_for_text(pilot, "请先扫描或输入通道码。")
        await tap(pilot, "#key-G")
        assert "请先扫描或输入通道码" not in screen_text(app)
        assert app.screen.query_one("#green-code").value == "G"
