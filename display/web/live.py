"""The TVs' live view: the board model runs once per (hall, filter), on the server, in Python.

Every TV showing the same hall with the same filter is sent the same message, encoded once per
change, so the page (board.js) only draws: there is no second model in JavaScript. A
``Caster`` starts when the first TV of its (hall, filter) connects: it subscribes to the hall in
the event hub, reads the board snapshot (what ``GET /api/v1/halls/{id}/board`` answers) and from
then on moves the board on with ``board_model.apply_all`` for each batch of new events. It
stops when the last TV leaves. A TV that connects, or reconnects after any outage, is sent the
current view at once, so it never misses a call: the view holds every call at a window and the
recent calls, each with its event id, and the page flashes only those newer than it has shown.

Messages, as JSON text:
- ``{"type": "view", "scope": {"area", "windows"}, "view": board_model.view(...)}`` on connect
  and after each change (without ``last_event_id``: a TV draws nothing of it, and an event
  elsewhere in the hall is no reason to send every TV of an area a new view);
- ``{"type": "clock", "now": ISO time}`` on connect and when idle: the hall's time, so the TV's
  clock is right even where its own is not;
- ``{"type": "missing"}`` when there is no such hall; the socket is closed after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from display.board_model import BoardFilter, BoardState, apply_all, from_snapshot, view
from hall_server.catalog.changes import CATALOG_CHANGED, HALL_UPDATED
from hall_server.catalog.routes import get_board
from hall_server.context import Context
from hall_server.errors import HallError
from hall_server.events.hub import read_events

log = logging.getLogger(__name__)

PING_SECONDS = 10.0  # an idle TV is sent the time this often (it also tells a dead link apart)
RETRY_SECONDS = (0.5, 5.0)  # a caster whose database read failed tries again, backing off to this
READ_LIMIT = 500  # events read from the database at a time, when the hub's memory no longer reaches back
MISSING = '{"type": "missing"}'
# A filter is public input: only digits, commas, dashes and spaces, window numbers of at most 4 digits.
WINDOWS_TEXT = re.compile(r"[\d,\- ]{0,200}")
MAX_AREA = 50


def parse_filter(area: str | None, windows: str | None) -> BoardFilter | None:
    """The board filter a TV asks for (as ``/board?area=&windows=``), or None when it is malformed.

    Bounded, as anyone may ask: ``windows=1-999999999`` must not make a set of a billion numbers.
    """
    if len(area or "") > MAX_AREA or not WINDOWS_TEXT.fullmatch(windows or ""):
        return None
    if any(len(n) > 4 for n in re.findall(r"\d+", windows or "")):
        return None
    try:
        return BoardFilter.parse(area, windows)
    except ValueError:  # "1-2-3", "-5"
        return None


@dataclass(eq=False)
class Watcher:
    """One TV's connection: woken when there is a new view, and every few seconds (to ping)."""

    ready: asyncio.Event = field(default_factory=asyncio.Event)
    gone: bool = False


class Caster:
    """One (hall, filter): the board kept by the board model, and its view encoded once per change."""

    def __init__(self, ctx: Context, hall_id: int, board_filter: BoardFilter) -> None:
        self.ctx = ctx
        self.hall_id = hall_id
        self.filter = board_filter
        self.watchers: set[Watcher] = set()
        self.message = ""  # the latest view message; "" until the snapshot is read
        self.version = 0  # how many view messages were encoded: one per change, however many TVs watch
        self.missing = False
        self._scope = {"area": board_filter.area,
                       "windows": sorted(board_filter.windows) if board_filter.windows else None}
        self._state: BoardState | None = None
        self._shown: dict[str, Any] | None = None
        self._day: date | None = None
        self._task = asyncio.create_task(self._run(), name=f"board-caster-{hall_id}")

    def stop(self) -> None:
        self._task.cancel()

    async def _run(self) -> None:
        hub = self.ctx.hub
        sub = hub.subscribe(self.hall_id)  # before the snapshot is read, so no event falls between
        delay = RETRY_SECONDS[0]
        try:
            while True:
                try:
                    if self._state is None or self._day != self._today():
                        await self._start()  # and again on a new business day: numbers and queues start afresh
                    else:
                        await self._catch_up(self._state)
                except HallError as refused:
                    if refused.status != 404:
                        raise
                    self.missing = True
                    self._wake()
                    return
                except Exception:  # the database may be restarting: the TVs keep the last view meanwhile
                    log.warning("board caster for hall %s could not read; will retry", self.hall_id, exc_info=True)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RETRY_SECONDS[1])
                    continue
                delay = RETRY_SECONDS[0]
                self._wake()  # a new view or not: an idle TV may be due a ping
                await sub.ready.wait()
                sub.ready.clear()
        finally:
            hub.unsubscribe(sub)

    def _today(self) -> date | None:
        if self._state is None:
            return None
        return self.ctx.clock.now().astimezone(ZoneInfo(self._state.timezone)).date()

    async def _start(self) -> None:
        snapshot = await asyncio.to_thread(get_board, self.hall_id, self.ctx)
        state = from_snapshot(snapshot, self.filter)
        self._day = datetime.fromisoformat(snapshot["now"]).astimezone(ZoneInfo(state.timezone)).date()
        self._show(state)

    async def _catch_up(self, state: BoardState) -> None:
        """The hall's new events, from the hub's memory or, when it no longer reaches back, the database.

        When the hall or its catalog changed (a notice, a window retired), the board is read again."""
        while True:
            events = self.ctx.hub.events_after(self.hall_id, state.last_event_id)
            behind = events is None
            if events is None:
                events = await asyncio.to_thread(read_events, self.ctx.db, state.last_event_id, self.hall_id,
                                                 READ_LIMIT)
            if any(e["kind"] in (HALL_UPDATED, CATALOG_CHANGED) for e in events):
                await self._start()
                return
            state = apply_all(state, events)
            if not behind or len(events) < READ_LIMIT:
                break
        self._show(state)

    def _show(self, state: BoardState) -> None:
        """Encode the view for every TV, if it changed."""
        if state is self._state:  # no new event (the hub's periodic wake-up): nothing to compute
            return
        self._state = state
        shown = view(state)
        del shown["last_event_id"]
        if shown == self._shown:
            return
        self._shown = shown
        self.message = orjson.dumps({"type": "view", "scope": self._scope, "view": shown}).decode()
        self.version += 1
        self._wake()

    def _wake(self) -> None:
        for watcher in self.watchers:
            watcher.ready.set()


class Casters:
    """This server process's casters, by (hall, filter), each alive while some TV watches it."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.by_key: dict[tuple[int, BoardFilter], Caster] = {}

    def join(self, hall_id: int, board_filter: BoardFilter) -> tuple[Caster, Watcher]:
        caster = self.by_key.get((hall_id, board_filter))
        if caster is None:
            caster = self.by_key[hall_id, board_filter] = Caster(self.ctx, hall_id, board_filter)
        watcher = Watcher()
        caster.watchers.add(watcher)
        return caster, watcher

    def leave(self, caster: Caster, watcher: Watcher) -> None:
        caster.watchers.discard(watcher)
        key = (caster.hall_id, caster.filter)
        if not caster.watchers and self.by_key.get(key) is caster:
            del self.by_key[key]
            caster.stop()

    async def serve(self, websocket: WebSocket, hall_id: int, board_filter: BoardFilter) -> None:
        """Send one accepted TV connection the current view, then each new one, until it goes."""
        caster, watcher = self.join(hall_id, board_filter)
        listening = asyncio.create_task(_until_closed(websocket, watcher))
        sent, idle_since = 0, time.monotonic()
        try:
            await websocket.send_text(self._clock())
            while not watcher.gone:
                watcher.ready.clear()
                if caster.version != sent:  # only the latest view: a slow TV skips those it had no time for
                    sent = caster.version
                    await websocket.send_text(caster.message)
                    idle_since = time.monotonic()
                elif caster.missing:
                    await websocket.send_text(MISSING)
                    break
                elif time.monotonic() - idle_since >= PING_SECONDS:
                    await websocket.send_text(self._clock())
                    idle_since = time.monotonic()
                else:
                    await watcher.ready.wait()
        except (WebSocketDisconnect, RuntimeError, OSError):  # the TV went away mid-send
            pass
        finally:
            listening.cancel()
            self.leave(caster, watcher)
            with contextlib.suppress(Exception):
                await websocket.close()

    def _clock(self) -> str:
        return orjson.dumps({"type": "clock", "now": self.ctx.clock.now().isoformat()}).decode()


async def _until_closed(websocket: WebSocket, watcher: Watcher) -> None:
    """Mark the watcher gone (and wake it) when its TV disconnects; TVs send nothing else."""
    with contextlib.suppress(Exception):  # the socket may be closed already
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    watcher.gone = True
    watcher.ready.set()


def casters(app: FastAPI) -> Casters:
    """The app's casters, made when its first TV connects."""
    found = getattr(app.state, "board_casters", None)
    if found is None:
        found = app.state.board_casters = Casters(app.state.ctx)
    return found
