"""What the soft caller looks like (SVG snapshots; the hall's clock is frozen, so the timers are fixed)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from hall_server.client import HallClient
from hall_server.clock import Clock
from tests.caller.support import make_caller, ready, sign_in
from tests.display.support import until
from tests.harness import OPEN_MOMENT, RunningHall, start_hall

SIZE = (120, 36)


@pytest.fixture
def quiet_hall(tmp_path):
    clock = Clock()
    clock.set(OPEN_MOMENT)
    running = start_hall(f"sqlite:///{tmp_path / 'hall.db'}", clock=clock)
    yield running
    running.server.stop()


async def _busy_window(hall: RunningHall) -> None:
    """Window 1 mid-morning: one missed, one held, one finished and rated, one being served, two waiting;
    two cases open."""
    h, w = hall.hall, hall.hall.windows[1]
    async with HallClient(hall.url, h.kiosk_token) as kiosk, HallClient(hall.url, h.bus_token) as pad, \
            HallClient(hall.url) as staff:
        for code in ("GS-1", "GS-1", "GS-2", "GS-1", "GS-1", "GS-2"):
            await kiosk.issue_ticket(h.services[code])
            hall.clock.advance(timedelta(minutes=1))
        await staff.login(h.staff[1], h.password)
        await staff.sign_in_window(w)
        for act in (staff.skip_ticket, staff.hold_ticket, staff.finish_service):
            await staff.call_next(w)
            hall.clock.advance(timedelta(minutes=4))
            await act(w)
        await pad.rate_at_window(w, "good")
        await staff.call_next(w)
        hall.clock.advance(timedelta(minutes=1))
        await staff.start_service(w)
        hall.clock.advance(timedelta(minutes=2, seconds=30))
        # Two open cases: one waiting for its materials, one immediate and due today.
        await staff.register_case(h.services["GS-1"], "supplement", {"name": "张三"}, window_id=w,
                                  materials_received=["设立登记申请书"])
        await staff.register_case(h.services["GS-2"], "immediate", {"name": "李四"}, window_id=w)


def test_the_desk_of_a_busy_window(quiet_hall, snap_compare):
    asyncio.run(_busy_window(quiet_hall))
    app = make_caller(quiet_hall)

    async def signed_in(pilot) -> None:
        await sign_in(pilot, quiet_hall)
        await ready(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=signed_in)


def test_the_pause_dialog(quiet_hall, snap_compare):
    app = make_caller(quiet_hall)

    async def pausing(pilot) -> None:
        await sign_in(pilot, quiet_hall)
        await ready(app)
        await pilot.press("f10")

    assert snap_compare(app, terminal_size=SIZE, run_before=pausing)


def test_the_case_form(quiet_hall, snap_compare):
    """登记办件 for the ticket being served: a 补办件 with two of GS-1's materials not brought."""
    asyncio.run(_busy_window(quiet_hall))
    app = make_caller(quiet_hall)

    async def registering(pilot) -> None:
        await sign_in(pilot, quiet_hall)
        await ready(app)
        await pilot.press("f11")
        await until(lambda: app.screen.query("#case-form"))
        await pilot.press(*"张三", "enter", *"11010519491231002X", "enter", *"13812345678")
        await pilot.click("#type-supplement")
        app.screen.query_one("#materials").focus()
        await pilot.press("space")

    assert snap_compare(app, terminal_size=SIZE, run_before=registering)
