"""What the soft caller looks like (SVG snapshots; the hall's clock is frozen, so the timers are fixed)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from hall_server.client import HallClient
from hall_server.clock import Clock
from tests.caller.support import make_caller, ready, sign_in
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
    """Window 1 mid-morning: one missed, one held, one finished and rated, one being served, two waiting."""
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
