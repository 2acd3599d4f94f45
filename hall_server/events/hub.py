"""Fan-out of committed events to this process's subscribers, in id order, bounded.

This process's writer hands over the events it has just committed; when they follow on from the
last event the hub has, they go straight into one shared log of the latest ``LOG_SIZE``
events, encoded once, and the subscribers are woken. Otherwise (another process committed in
between, on PostgreSQL) and after a NOTIFY from another process or a periodic safety poll, one
reader task reads the new outbox rows instead. Each subscriber
only remembers the last id it sent: it takes what follows from the log, as one message that is
built once for all the subscribers at the same place (``frame_after``). Nothing is buffered per
subscriber, so a slow one costs no memory; one that has fallen behind the log catches up from
the outbox, the same way a board that reconnects does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from bisect import bisect_right
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import orjson
from sqlalchemy import bindparam, func, select

from hall_server.db import Database
from hall_server.events.models import Event
from hall_server.events.outbox import CHANNEL

log = logging.getLogger(__name__)

LOG_SIZE = 1000  # events kept in memory for subscribers; one further behind reads the outbox
SAFETY_POLL_SECONDS = 2.0
READ_BATCH = 500
FRAME_EVENTS = 100  # events per message at most


@dataclass(frozen=True)
class Delivery:
    """An event as every subscriber sends it: encoded to JSON once, not once per subscriber."""

    id: int
    hall_id: int
    text: str  # the event object's JSON
    board_text: str  # what a board needs of it (``board_view``), as JSON
    event: dict[str, Any]  # the event itself, for readers inside the server (the board caster)


# What a hall board draws from an event (display/board_model.py and display/web/board.js read
# nothing else): about half of the event. A board asks for it (``/events?view=board``), and in a
# burst of 40 calls each of 50 boards then receives and parses half as much.
BOARD_TICKET = ("id", "number", "status", "service_id", "service_name", "series")
BOARD_WINDOW = ("id", "number", "location", "area", "state", "pause_reason", "current_ticket_id")


def board_view(event: dict[str, Any]) -> dict[str, Any]:
    payload = event.get("payload") or {}
    shown: dict[str, Any] = {}
    for part, keys in (("ticket", BOARD_TICKET), ("window", BOARD_WINDOW)):
        if (of := payload.get(part)) is not None:
            shown[part] = {k: of[k] for k in keys if k in of}
    return {"id": event["id"], "hall_id": event["hall_id"], "kind": event["kind"], "payload": shown}


def delivery(event: dict[str, Any]) -> Delivery:
    # Non-string keys as the outbox's JSON column gives them back: as strings.
    encode = orjson.OPT_NON_STR_KEYS
    return Delivery(event["id"], event["hall_id"], orjson.dumps(event, option=encode).decode(),
                    orjson.dumps(board_view(event), option=encode).decode(), event)


def frame(items: list[Delivery], for_board: bool = False) -> str:
    """One WebSocket message for events in id order: ``event`` for one, ``events`` for several.

    When 40 windows call at once, a board gets one message with the 40 calls, not 40 messages:
    the server sends (and the board parses) a fiftieth as much per board.
    """
    texts = [i.board_text for i in items] if for_board else [i.text for i in items]
    if len(texts) == 1:
        return '{"type": "event", "event": ' + texts[0] + "}"
    return '{"type": "events", "events": [' + ", ".join(texts) + "]}"


@dataclass(eq=False)
class Subscriber:
    """A live connection: the hall it follows (None: all), the token it opened with (None: the
    public board view), and the wake-up the hub gives it."""

    hall_id: int | None
    token_id: int | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    gone: bool = False


BEHIND = None  # frame_after's answer to a subscriber the log no longer reaches


_T = Event.__table__
_COLUMNS = (_T.c.id, _T.c.hall_id, _T.c.kind, _T.c.at, _T.c.payload)
# Built once: the hub reads after every commit, and building the statement cost more than running it.
_READ = {
    by_hall: select(*_COLUMNS).where(_T.c.id > bindparam("after"),
                                     *([_T.c.hall_id == bindparam("hall_id")] if by_hall else []))
    .order_by(_T.c.id).limit(bindparam("limit"))
    for by_hall in (False, True)
}


def read_events(db: Database, after: int, hall_id: int | None = None, limit: int = READ_BATCH) -> list[dict[str, Any]]:
    """Committed events after ``after`` in id order (the catch-up path and the hub's reader)."""
    with db.reader.connect() as conn:  # Core rows: the hot path needs no ORM objects
        rows = conn.execute(_READ[hall_id is not None], {"after": after, "hall_id": hall_id, "limit": limit}).all()
    return [{"id": i, "hall_id": h, "kind": k, "at": at.isoformat(), "payload": p} for i, h, k, at, p in rows]


def last_event_id(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.coalesce(func.max(Event.id), 0))) or 0


class Hub:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.subscribers: set[Subscriber] = set()
        self.last_id = 0
        self.log: list[Delivery] = []  # the latest events, in id order
        self.log_from = 0  # the log holds every event after this id
        self._frames: dict[tuple[int, int | None, bool], tuple[str, int] | None] = {}
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.last_id = self.log_from = await asyncio.to_thread(last_event_id, self.db)
        self._tasks.append(asyncio.create_task(self._reader(), name="hub-reader"))
        self._tasks.append(asyncio.create_task(self._safety_poll(), name="hub-poll"))
        if self.db.dialect == "postgresql":
            self._tasks.append(asyncio.create_task(self._listen(), name="hub-listen"))

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        self._tasks.clear()

    def wake_threadsafe(self, committed: list[dict[str, Any]]) -> None:
        """Called after a commit with its events (``outbox.commit``), from whichever thread committed."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._committed, committed)

    def _committed(self, events: list[dict[str, Any]]) -> None:
        """This process's committed events: straight to the log when nothing can lie between.

        Event ids grow in commit order (see outbox.py), so events that start right after the
        last one the hub has, with no gap among them, leave nothing unseen. A gap (another
        process's events, or ids a rolled-back transaction used up) is filled from the outbox.
        """
        if events and events[0]["id"] == self.last_id + 1 and events[-1]["id"] - events[0]["id"] == len(events) - 1:
            self.append([delivery(ev) for ev in events])
        elif events and events[-1]["id"] > self.last_id:
            self._wake.set()

    def subscribe(self, hall_id: int | None, token_id: int | None = None) -> Subscriber:
        sub = Subscriber(hall_id, token_id)
        self.subscribers.add(sub)
        return sub

    def revoke_threadsafe(self, token_id: int) -> None:
        """A token was revoked (logout): the streams it opened in this process end now, and their
        clients' reconnect is refused. Callable from any thread, as the logout route runs in one."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._revoke, token_id)

    def _revoke(self, token_id: int) -> None:
        for sub in self.subscribers:
            if sub.token_id == token_id:
                sub.gone = True
                sub.ready.set()

    def unsubscribe(self, sub: Subscriber) -> None:
        self.subscribers.discard(sub)

    def append(self, deliveries: list[Delivery]) -> None:
        """New events, in id order: kept in the log, and every subscriber woken.

        Events the log already has are passed over: the reader may have read from the outbox
        what the writer has just handed over, or the other way round.
        """
        if deliveries and deliveries[0].id <= self.last_id:
            deliveries = [d for d in deliveries if d.id > self.last_id]
        if not deliveries:
            return
        self.log.extend(deliveries)
        self.last_id = deliveries[-1].id
        if len(self.log) > 2 * LOG_SIZE:  # trimmed now and then, not on every event
            self.log_from = self.log[-LOG_SIZE - 1].id
            del self.log[:-LOG_SIZE]
        self._frames.clear()
        for sub in self.subscribers:
            sub.ready.set()

    def frame_after(self, sent: int, hall_id: int | None, for_board: bool = False) -> tuple[str, int] | None:
        """The next message for a subscriber that has sent up to ``sent``, and the last id in it.

        ("", sent) when there is nothing new; BEHIND when the log no longer holds what follows
        ``sent`` (read it from the outbox). Built once for all the subscribers at the same place.
        """
        if sent < self.log_from:
            return BEHIND
        key = (sent, hall_id, for_board)
        if key not in self._frames:
            scanned = self.log[bisect_right(self.log, sent, key=attrgetter("id")):]
            items = [d for d in scanned if hall_id is None or d.hall_id == hall_id]
            if len(items) > FRAME_EVENTS:
                items = items[:FRAME_EVENTS]
                scanned = items
            # Other halls' events are passed over too: the next look starts after them.
            self._frames[key] = (frame(items, for_board) if items else "", scanned[-1].id if scanned else sent)
        return self._frames[key]

    def events_after(self, hall_id: int, after: int) -> list[dict[str, Any]] | None:
        """The hall's events after ``after`` from the log, oldest first; None when the log no
        longer reaches back that far (read them with :func:`read_events`)."""
        if after < self.log_from:
            return None
        return [d.event for d in self.log[bisect_right(self.log, after, key=attrgetter("id")):]
                if d.hall_id == hall_id]

    def wake_all(self) -> None:
        for sub in self.subscribers:
            sub.ready.set()

    async def _reader(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                while True:
                    batch = await asyncio.to_thread(read_events, self.db, self.last_id)
                    if batch:
                        self.append([delivery(ev) for ev in batch])
                    if len(batch) < READ_BATCH:
                        break
            except Exception:  # the database may be restarting; the next wake or poll retries
                log.exception("event reader failed; will retry")
                await asyncio.sleep(0.5)
                self._wake.set()

    async def _safety_poll(self) -> None:
        """Read now and then even without a wake-up, and let idle subscribers send their pings."""
        while True:
            await asyncio.sleep(SAFETY_POLL_SECONDS)
            self._wake.set()
            self.wake_all()

    async def _listen(self) -> None:
        """PostgreSQL LISTEN on its own autocommit connection: other processes' commits wake us."""
        import psycopg

        url = self.db.writer.url.set(drivername="postgresql").render_as_string(hide_password=False)
        backoff = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    backoff = 0.5
                    self._wake.set()  # notifications sent while we were away are gone: re-read
                    async for note in conn.notifies():
                        if not note.payload.isdigit() or int(note.payload) > self.last_id:  # not our own
                            self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("LISTEN connection lost; reconnecting in %.1fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)

