"""Hall settings and catalog changes are events of the hall, written with the change, and the boards
follow them at once: the TVs' live view and the terminal board (the kiosk's side is
tests/kiosk/test_hall_changes.py). On both databases: the events go through each one's hub."""

from __future__ import annotations

import asyncio
import contextlib

import orjson
import pytest
import websockets

from display.feed import follow
from hall_server.catalog.changes import CATALOG_CHANGED, HALL_UPDATED
from hall_server.client import HALL_CHANGES, ApiError, HallClient
from tests.display.support import until


@pytest.fixture
async def business(hall):
    async with HallClient(hall.url) as client:
        await client.login(hall.hall.business, hall.hall.password)
        yield client


def test_the_terminals_know_every_kind_the_server_sends():
    assert {HALL_UPDATED, CATALOG_CHANGED} == HALL_CHANGES


async def test_a_settings_change_is_an_event_of_the_hall_and_a_refused_one_is_not(hall, business, kiosk):
    h = hall.hall.hall_id
    start = (await kiosk.hall_board(h))["last_event_id"]
    await business.update_hall(h, hours="08:30-17:30", notice="新公告", recall_limit=3)  # recall_limit unchanged
    for wrong, said in (({"hours": "17:00-09:00"}, "开门时间应早于关门时间"),
                        ({"lunch": "18:00-19:00"}, "午休应在开放时间之内")):
        with pytest.raises(ApiError) as exc:
            await business.update_hall(h, **wrong)
        assert exc.value.status == 422 and exc.value.message_zh.startswith(f"开放时间有误:{said}")
    events = await business.list_events(start, h)
    assert [(e["kind"], e["payload"]) for e in events] == [(HALL_UPDATED, {"fields": ["hours", "notice"]})]
    assert (await kiosk.get_hall(h))["hours"] == "08:30-17:30"


class TV:
    """A TV following ``/board/live``: the latest view it was sent."""

    def __init__(self, url: str, hall_id: int) -> None:
        self.url = url.replace("http", "ws", 1) + f"/board/live?hall={hall_id}"
        self.view: dict | None = None
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async with websockets.connect(self.url) as ws:
            async for text in ws:
                msg = orjson.loads(text)
                if msg["type"] == "view":
                    self.view = msg["view"]

    async def close(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.task


async def test_a_tv_shows_a_new_notice_and_loses_a_retired_window_at_once(hall, business):
    h = hall.hall
    tv = TV(hall.url, h.hall_id)
    try:
        await until(lambda: tv.view is not None)
        assert tv.view["notice"] == "请携带身份证件原件办理业务。" and 3 in tv.view["closed"]
        await business.update_hall(h.hall_id, notice="今天下午三点后暂停受理税务业务。")
        await until(lambda: tv.view["notice"] == "今天下午三点后暂停受理税务业务。")
        await business.update_window(h.windows[3], active=False)
        await until(lambda: 3 not in tv.view["closed"])
        await business.update_window(h.windows[3], active=True)
        await until(lambda: 3 in tv.view["closed"])
    finally:
        await tv.close()


async def test_the_terminal_board_follows_a_change_of_notice(hall, business):
    h = hall.hall
    notices: list[str] = []

    async def board() -> None:
        async with HallClient(hall.url) as client:
            async for update in follow(client, h.hall_id):
                notices.append(update.state.notice)

    task = asyncio.create_task(board())
    try:
        await until(lambda: notices)
        await business.update_hall(h.hall_id, notice="大厅空调检修,请谅解。")
        await until(lambda: notices[-1] == "大厅空调检修,请谅解。")
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
