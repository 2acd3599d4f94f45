"""Nothing missed: a board cut off while calls go on catches up on every call, in order, none twice."""

from __future__ import annotations

import asyncio

from display.feed import follow
from hall_server.app import create_app
from hall_server.client import HallClient
from hall_server.serve import ThreadedServer
from tests.display.support import CuttableProxy, until

CALL_KINDS = ("ticket.called", "ticket.recalled", "ticket.called_back")
WINDOWS = range(10, 20)


async def _expected_calls(kiosk, hall_id: int, after: int) -> list[tuple[int, tuple[str, str, bool]]]:
    events = await kiosk.list_events(after=after, hall_id=hall_id, limit=1000)
    return [(e["id"], (e["payload"]["ticket"]["number"], str(e["payload"]["window"]["number"]),
                       e["kind"] == "ticket.recalled")) for e in events if e["kind"] in CALL_KINDS]


class Board:
    """A board (the feed through the board model) run as a task, recording each call it would speak."""

    def __init__(self, url: str, hall_id: int) -> None:
        self.client = HallClient(url)
        self.hall_id = hall_id
        self.calls: list[tuple[int, tuple[str, str, bool]]] = []
        self.states: list[str] = []
        self.last_id = 0
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for update in follow(self.client, self.hall_id, on_state=self.states.append):
            self.last_id = update.state.last_event_id
            self.calls.extend((c.event_id, (c.number, c.window, c.recall)) for c in update.calls)

    async def close(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        await self.client.aclose()


async def test_a_board_cut_off_again_and_again_while_windows_call(hall, kiosk, staff_client):
    h = hall.hall
    for _ in range(40):
        await kiosk.issue_ticket(h.services["BK-1"])
    staff = {n: await staff_client(n) for n in WINDOWS}
    proxy = await CuttableProxy("127.0.0.1", int(hall.url.rsplit(":", 1)[1])).start()
    board = Board(proxy.url, h.hall_id)
    try:
        await until(lambda: "connected" in board.states)
        start_id = board.last_id
        for round_ in range(3):
            calling = asyncio.gather(*(staff[n].call_next(h.windows[n]) for n in WINDOWS))
            await asyncio.sleep(0.01 * round_)  # cut at a different point of the stream each round
            await proxy.cut()
            await calling
            await staff[10 + round_].recall_ticket(h.windows[10 + round_])
            await proxy.restore()
            # back on the stream before the next cut
            await until(lambda r=round_: board.states.count("connected") == r + 2, timeout=30)
        final = (await kiosk.hall_board(h.hall_id))["last_event_id"]
        await until(lambda: board.last_id >= final, timeout=30)
    finally:
        await board.close()
        await proxy.close()
    expected = await _expected_calls(kiosk, h.hall_id, start_id)
    assert len(expected) == 33
    assert board.calls == expected  # every call, in order, none twice
    assert board.states.count("reconnecting") >= 3


async def test_a_board_catches_up_after_its_server_restarts_on_the_same_database(hall, kiosk, staff_client):
    """The board's server goes away; calls go on through another server of the same hall; it comes back."""
    h = hall.hall
    for _ in range(12):
        await kiosk.issue_ticket(h.services["BK-1"])
    staff = {n: await staff_client(n) for n in WINDOWS}
    port = int(hall.url.rsplit(":", 1)[1])
    other = ThreadedServer(create_app(hall.ctx.settings, clock=hall.clock, migrate=False))  # a second server
    other.start()
    board = Board(hall.url, h.hall_id)
    back = None
    try:
        await until(lambda: "connected" in board.states)
        start_id = board.last_id
        await staff[10].call_next(h.windows[10])
        await until(lambda: len(board.calls) == 1)
        await asyncio.to_thread(hall.server.stop)
        await until(lambda: board.states[-1] == "reconnecting")
        for n in (11, 12, 13):
            staff[n].base_url = other.url
            staff[n]._http.base_url = other.url
            await staff[n].call_next(h.windows[n])
        await staff[12].recall_ticket(h.windows[12])
        back = ThreadedServer(create_app(hall.ctx.settings, clock=hall.clock, migrate=False), port=port)
        back.start()
        final = (await kiosk.hall_board(h.hall_id))["last_event_id"]
        await until(lambda: board.last_id >= final, timeout=30)
        expected = await _expected_calls(kiosk, h.hall_id, start_id)
    finally:
        await board.close()
        for server in (other, back):
            if server is not None:
                await asyncio.to_thread(server.stop)
    assert board.calls == expected
    assert [c for _, c in board.calls] == [("C001", "10", False), ("C002", "11", False), ("C003", "12", False),
                                           ("C004", "13", False), ("C003", "12", True)]
