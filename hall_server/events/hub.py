"""Fan-out of committed events to this process's subscribers: per hall, in id order, bounded.

Each hall has its own log of its latest ``LOG_SIZE`` events, encoded once. How new events get
there depends on who can write:
- PostgreSQL (several processes, several halls committing side by side): a hall's ids grow in
  commit order (outbox.py), so after a commit in this process, a NOTIFY from another or the
  periodic safety poll, one reader task reads each named hall's outbox rows after the last id
  it has of that hall.
- SQLite (one writer at a time): ids grow in commit order across all halls, so one cursor
  (``through``: every event up to it is in the logs) covers them. This process's commits hand
  their events over in commit order (outbox.commit runs inside the write turn); when they
  follow straight on from ``through``, nothing can lie between and they go into the logs as
  they are. Otherwise (a tool wrote between) the reader reads everything after ``through``.
A hall's new events wake that hall's subscribers. A subscriber only remembers the last id it sent:
it takes what follows from the log, as one message built once for all the subscribers at the
same place (``frame_after``). Nothing is buffered per subscriber, so a slow one costs no
memory; one that has fallen behind the log catches up from the outbox, the same way a board
that reconnects does.
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

from hall_server.catalog.models import Hall
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
    """A live connection: the hall it follows, the token it opened with (None: the public board
    view), and the wake-up the hub gives it."""

    hall_id: int
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
_LAST_BY_HALL = select(Hall.id, select(func.max(_T.c.id)).where(_T.c.hall_id == Hall.id).scalar_subquery())


def read_events(db: Database, after: int, hall_id: int | None = None, limit: int = READ_BATCH) -> list[dict[str, Any]]:
    """Committed events after ``after`` in id order (the catch-up path and the hub's reader).

    Resuming is only exact within one hall (ids grow in commit order per hall); without a hall
    (an administrator's audit read) it is a plain list.
    """
    with db.reader.connect() as conn:  # Core rows: the hot path needs no ORM objects
        rows = conn.execute(_READ[hall_id is not None], {"after": after, "hall_id": hall_id, "limit": limit}).all()
    return [{"id": i, "hall_id": h, "kind": k, "at": at.isoformat(), "payload": p} for i, h, k, at, p in rows]


def last_event_ids(db: Database) -> dict[int, int]:
    """Every hall's last event id (0 for a hall without events): one index step per hall."""
    with db.reader.connect() as conn:
        return {hall: last or 0 for hall, last in conn.execute(_LAST_BY_HALL)}


@dataclass(eq=False)
class HallLog:
    """One hall's latest events, and who follows them in this process."""

    last_id: int  # the hall's last event this process has read
    log_from: int  # the log holds every event of the hall after this id
    log: list[Delivery] = field(default_factory=list)
    subscribers: set[Subscriber] = field(default_factory=set)
    frames: dict[tuple[int, bool], tuple[str, int]] = field(default_factory=dict)


class Hub:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Halls created after this process started begin at 0: all their events came after.
        self.halls: dict[int, HallLog] = {}
        self._dirty: set[int] = set()  # halls with new events to read (PostgreSQL)
        self._poll = False  # read every hall (the safety poll, a lost LISTEN connection)
        self.through = 0  # SQLite: every event up to this id is in the logs
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        for hall, last in (await asyncio.to_thread(last_event_ids, self.db)).items():
            self.halls[hall] = HallLog(last, last)
            self.through = max(self.through, last)
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

    def _hall(self, hall_id: int) -> HallLog:
        if (h := self.halls.get(hall_id)) is None:
            h = self.halls[hall_id] = HallLog(0, 0)
        return h

    def last_id(self, hall_id: int) -> int:
        """The last event of the hall this process has read (where a new stream "now" starts)."""
        return self._hall(hall_id).last_id

    def committed_threadsafe(self, events: list[dict[str, Any]]) -> None:
        """``outbox.commit`` hands over a commit's events, from the thread that committed."""
        if self._loop is None or self._loop.is_closed():
            return
        if self.db.is_sqlite:
            self._loop.call_soon_threadsafe(self._handed, events)
        else:
            self._loop.call_soon_threadsafe(self._read_soon, {e["hall_id"] for e in events})

    def _handed(self, events: list[dict[str, Any]]) -> None:
        """SQLite: this process's commit, in commit order; straight into the logs when nothing lies between."""
        if events[0]["id"] != self.through + 1 or events[-1]["id"] - events[0]["id"] != len(events) - 1:
            self._read_all_soon()  # another writer's events (a tool), or ones this hub has not read yet
            return
        self._take(events)

    def _take(self, events: list[dict[str, Any]]) -> None:
        """Events of any halls, in id order, with nothing missing before them: into each hall's log."""
        by_hall: dict[int, list[Delivery]] = {}
        for ev in events:
            by_hall.setdefault(ev["hall_id"], []).append(delivery(ev))
        for hall_id, deliveries in by_hall.items():
            self.append(hall_id, deliveries)
        self.through = max(self.through, events[-1]["id"])

    def _read_soon(self, halls: set[int]) -> None:
        self._dirty |= halls
        self._wake.set()

    def subscribe(self, hall_id: int, token_id: int | None = None) -> Subscriber:
        sub = Subscriber(hall_id, token_id)
        self._hall(hall_id).subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self._hall(sub.hall_id).subscribers.discard(sub)

    def revoke_threadsafe(self, token_id: int) -> None:
        """A token was revoked (logout): the streams it opened in this process end now, and their
        clients' reconnect is refused. Callable from any thread, as the logout route runs in one."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._revoke, token_id)

    def _revoke(self, token_id: int) -> None:
        for sub in self._all_subscribers():
            if sub.token_id == token_id:
                sub.gone = True
                sub.ready.set()

    def _all_subscribers(self) -> list[Subscriber]:
        return [sub for h in self.halls.values() for sub in h.subscribers]

    def append(self, hall_id: int, deliveries: list[Delivery]) -> None:
        """New events of one hall, in id order: kept in its log, and its subscribers woken.

        Events the log already has are passed over (a poll and a wake-up may read the same rows).
        """
        h = self._hall(hall_id)
        deliveries = [d for d in deliveries if d.id > h.last_id]
        if not deliveries:
            return
        h.log.extend(deliveries)
        h.last_id = deliveries[-1].id
        if len(h.log) > 2 * LOG_SIZE:  # trimmed now and then, not on every event
            h.log_from = h.log[-LOG_SIZE - 1].id
            del h.log[:-LOG_SIZE]
        h.frames.clear()
        for sub in h.subscribers:
            sub.ready.set()

    def frame_after(self, sent: int, hall_id: int, for_board: bool = False) -> tuple[str, int] | None:
        """The next message for a subscriber of ``hall_id`` that has sent up to ``sent``, and the last id in it.

        ("", sent) when there is nothing new; BEHIND when the log no longer holds what follows
        ``sent`` (read it from the outbox). Built once for all the subscribers at the same place.
        """
        h = self._hall(hall_id)
        if sent < h.log_from:
            return BEHIND
        key = (sent, for_board)
        if key not in h.frames:
            items = h.log[bisect_right(h.log, sent, key=attrgetter("id")):][:FRAME_EVENTS]
            h.frames[key] = (frame(items, for_board) if items else "", items[-1].id if items else sent)
        return h.frames[key]

    def events_after(self, hall_id: int, after: int) -> list[dict[str, Any]] | None:
        """The hall's events after ``after`` from the log, oldest first; None when the log no
        longer reaches back that far (read them with :func:`read_events`)."""
        h = self._hall(hall_id)
        if after < h.log_from:
            return None
        return [d.event for d in h.log[bisect_right(h.log, after, key=attrgetter("id")):]]

    def wake_all(self) -> None:
        for sub in self._all_subscribers():
            sub.ready.set()

    async def _reader(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            halls, self._dirty = (set(self.halls) | self._dirty if self._poll else self._dirty), set()
            self._poll = False
            try:
                if self.db.is_sqlite:  # one cursor for every hall (see the module's docstring)
                    while batch := await asyncio.to_thread(read_events, self.db, self.through):
                        self._take(batch)
                        if len(batch) < READ_BATCH:
                            break
                else:
                    for hall_id in sorted(halls):
                        while True:
                            last = self._hall(hall_id).last_id
                            batch = await asyncio.to_thread(read_events, self.db, last, hall_id)
                            self.append(hall_id, [delivery(ev) for ev in batch])
                            if len(batch) < READ_BATCH:
                                break
            except Exception:  # the database may be restarting; read every hall again shortly
                log.exception("event reader failed; will retry")
                await asyncio.sleep(0.5)
                self._poll = True
                self._wake.set()

    def _read_all_soon(self) -> None:
        self._poll = True
        self._wake.set()

    async def _safety_poll(self) -> None:
        """Read now and then even without a wake-up, and let idle subscribers send their pings."""
        while True:
            await asyncio.sleep(SAFETY_POLL_SECONDS)
            self._read_all_soon()
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
                    self._read_all_soon()  # notifications sent while we were away are gone: re-read
                    async for note in conn.notifies():  # the payload: a hall with new events
                        if note.payload.isdigit() and int(note.payload) in self.halls:
                            self._read_soon({int(note.payload)})
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("LISTEN connection lost; reconnecting in %.1fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
