"""What the terminal board looks like (SVG snapshot; the time shown is pinned)."""

from __future__ import annotations

import asyncio

import pytest

from display.app import BoardApp
from display.board_model import BoardFilter
from hall_server.client import HallClient
from hall_server.clock import Clock
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


async def _morning(hall: RunningHall) -> None:
    h = hall.hall
    async with HallClient(hall.url, h.kiosk_token) as kiosk:
        for code in ("GS-1", "GS-2", "SW-1", "BK-1", "BK-1", "BK-1"):
            await kiosk.issue_ticket(h.services[code])
    for n, then in ((1, "start_service"), (3, "recall_ticket"), (10, None), (2, "pause")):
        async with HallClient(hall.url) as staff:
            await staff.login(h.staff[n], h.password)
            await staff.sign_in_window(h.windows[n])
            if then == "pause":
                await staff.pause_window(h.windows[n], "会议")
                continue
            await staff.call_next(h.windows[n])
            if then:
                await getattr(staff, then)(h.windows[n])


def _board(hall: RunningHall, **kw) -> tuple[BoardApp, object]:
    app = BoardApp(hall.url, hall.hall.hall_id, clock=hall.clock.now, clock_text="10:00", scroll_notice=False, **kw)

    async def live(pilot) -> None:
        await until(lambda: app.state is not None and app.connected)

    return app, live


def test_the_whole_hall(quiet_hall, snap_compare):
    asyncio.run(_morning(quiet_hall))
    app, live = _board(quiet_hall)
    assert snap_compare(app, terminal_size=SIZE, run_before=live)


def test_the_board_of_one_floor_in_english(quiet_hall, snap_compare):
    asyncio.run(_morning(quiet_hall))
    app, live = _board(quiet_hall, board_filter=BoardFilter.parse(area="一楼"), lang="en")
    assert snap_compare(app, terminal_size=SIZE, run_before=live)
