"""The TVs' live view (display/web/live.py) against a real hall server, on both databases: the board
model runs once per (hall, filter) whatever the number of TVs, each TV is sent that one encoded
view, casters come and go with their TVs, and a new business day starts the board afresh."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import orjson
import pytest
import websockets

from display.web import live
from display.web.live import parse_filter
from tests.conftest import database_url  # noqa: F401  (server code: both databases, not the folder's SQLite)
from tests.display.support import until


class TV:
    """A TV's connection to ``/board/live``, keeping every message it is sent."""

    def __init__(self, url: str, query: str) -> None:
        self.url = url.replace("http", "ws", 1) + "/board/live?" + query
        self.views: list[str] = []  # the view messages, as sent
        self.others: list[dict] = []
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async with websockets.connect(self.url) as ws:
            async for text in ws:
                msg = orjson.loads(text)
                (self.views if msg["type"] == "view" else self.others).append(text if msg["type"] == "view" else msg)

    @property
    def view(self) -> dict | None:
        return orjson.loads(self.views[-1])["view"] if self.views else None

    def shows(self, number: str) -> bool:
        return self.view is not None and any(c["number"] == number for c in self.view["calls"])

    async def close(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.task


def _casters(hall) -> live.Casters:
    return live.casters(hall.server.server.config.app)


async def test_many_tvs_share_one_view_computed_once_per_change(hall, kiosk, staff_client, monkeypatch):
    computed: list[object] = []  # the board filter of each view computed

    def counting_view(state):
        computed.append(state.filter)
        return real_view(state)

    real_view = live.view
    monkeypatch.setattr(live, "view", counting_view)
    h = hall.hall
    for _ in range(3):
        await kiosk.issue_ticket(h.services["BK-1"])  # served at windows 10.. on 三楼
    await kiosk.issue_ticket(h.services["GS-1"])  # at window 1, 一楼
    staff = {n: await staff_client(n) for n in (1, 10, 11)}
    start = (await kiosk.hall_board(h.hall_id))["last_event_id"]
    whole = [TV(hall.url, f"hall={h.hall_id}") for _ in range(20)]
    upstairs = [TV(hall.url, f"hall={h.hall_id}&area=三楼") for _ in range(20)]
    tvs = whole + upstairs
    try:
        await until(lambda: all(tv.view is not None for tv in tvs))
        casters = _casters(hall)
        assert len(casters.by_key) == 2
        await staff[10].call_next(h.windows[10])
        await until(lambda: all(tv.shows("C001") for tv in tvs))
        await staff[11].call_next(h.windows[11])
        await staff[10].recall_ticket(h.windows[10])
        await until(lambda: all(tv.view["recent"][0]["recalled"] for tv in tvs))
        await staff[1].call_next(h.windows[1])  # downstairs: only the whole hall's TVs are sent a new view
        await until(lambda: all(tv.shows("A001") for tv in whole))
        await asyncio.sleep(0.3)
        assert not any(tv.shows("A001") for tv in upstairs)
        for group in (whole, upstairs):
            caster = casters.by_key[h.hall_id, parse_filter(*(("三楼", "") if group is upstairs else ("", "")))]
            sent = {text for tv in group for text in tv.views}
            assert len(sent) == caster.version  # each view encoded once, every TV sent those very texts
            assert all(tv.views[-1] == caster.message for tv in group)
        # Per filter, a snapshot and at most one view per new event (fewer when they come together): not one per TV.
        events = await kiosk.list_events(after=start, hall_id=h.hall_id)
        assert computed.count(parse_filter("", "")) <= 1 + len(events)
        assert computed.count(parse_filter("三楼", "")) <= 1 + len(events)
        assert len(computed) < len(tvs)
    finally:
        for tv in tvs:
            await tv.close()
    await until(lambda: not _casters(hall).by_key)  # the last TV gone, its caster stops


async def test_a_tv_that_connects_late_is_sent_the_present_and_the_hall_time(hall, kiosk, staff_client):
    h = hall.hall
    await kiosk.issue_ticket(h.services["GS-1"])
    first = TV(hall.url, f"hall={h.hall_id}")
    late = None
    try:
        await until(lambda: first.view is not None)
        await (await staff_client(1)).call_next(h.windows[1])
        await until(lambda: first.shows("A001"))
        late = TV(hall.url, f"hall={h.hall_id}")
        await until(lambda: late.view is not None)
        assert late.views == first.views[-1:]  # the present view, at once, as encoded for the first TV
        assert late.view["calls"][0]["event_id"] == late.view["recent"][0]["event_id"] > 0
        assert late.others[0] == {"type": "clock", "now": hall.clock.now().isoformat()}
    finally:
        for tv in (first, late):
            if tv is not None:
                await tv.close()


async def test_a_new_business_day_starts_the_board_afresh(hall, kiosk):
    h = hall.hall
    await kiosk.issue_ticket(h.services["GS-1"])
    tv = TV(hall.url, f"hall={h.hall_id}")
    try:
        await until(lambda: tv.view is not None and sum(g["waiting"] for g in tv.view["groups"]) == 1)
        hall.clock.set(hall.clock.now() + timedelta(days=1))
        await until(lambda: sum(g["waiting"] for g in tv.view["groups"]) == 0)  # yesterday's ticket waits no more
    finally:
        await tv.close()


async def test_the_hall_a_tv_shows_and_what_it_is_refused(hall):
    first = TV(hall.url, "area=二楼")  # no hall named: the server's first
    await until(lambda: first.view is not None)
    assert first.view["hall"]["name"] == "测试行政服务中心"
    await first.close()
    tv = TV(hall.url, "hall=999999")
    await until(lambda: tv.task.done())
    assert tv.others[-1] == {"type": "missing"} and not tv.views
    for query in ("hall=1&windows=1-999999999", "hall=1&windows=a", "hall=0", "hall=1&area=" + "区" * 51):
        with pytest.raises(websockets.InvalidStatus):
            async with websockets.connect(hall.url.replace("http", "ws", 1) + "/board/live?" + query):
                pass
    await until(lambda: not _casters(hall).by_key)  # none for the hall there is none of, none left behind


def test_a_board_filter_from_the_address_is_bounded():
    assert parse_filter("二楼", "1-3, 7") == live.BoardFilter("二楼", frozenset({1, 2, 3, 7}))
    assert parse_filter("", "") == live.BoardFilter()
    for windows in ("1-99999", "x", "1-2-3", "1" * 201):
        assert parse_filter(None, windows) is None, windows
