"""Fan-out of committed events to this process's subscribers, in id order, bounded.

One reader task reads new outbox rows after a wake-up (from a commit in this process, a
PostgreSQL NOTIFY from another process, or a periodic safety poll) and puts them into each
subscriber's bounded queue. A subscriber that falls behind by more than its queue is marked
``overflowed``: its connection tells the client to resync from the outbox (by last id) rather
than letting the server's memory grow.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from hall_server.db import Database
from hall_server.events.models import Event
from hall_server.events.outbox import CHANNEL

log = logging.getLogger(__name__)

SUBSCRIBER_BUFFER = 1000
SAFETY_POLL_SECONDS = 2.0
READ_BATCH = 500


@dataclass(frozen=True)
class Delivery:
    """An event as every subscriber sends it: encoded to JSON once, not once per subscriber."""

    id: int
    hall_id: int
    text: str  # the event object's JSON


RESYNC = Delivery(-1, -1, "")


def delivery(event: dict[str, Any]) -> Delivery:
    return Delivery(event["id"], event["hall_id"], json.dumps(event, ensure_ascii=False))


def frame(items: list[Delivery]) -> str:
    """One WebSocket message for events in id order: ``event`` for one, ``events`` for several.

    When 40 windows call at once, a board gets one message with the 40 calls, not 40 messages:
    the server sends (and the board parses) a fiftieth as much per board.
    """
    if len(items) == 1:
        return '{"type": "event", "event": ' + items[0].text + "}"
    return '{"type": "events", "events": [' + ", ".join(i.text for i in items) + "]}"


@dataclass(eq=False)
class Subscriber:
    hall_id: int | None
    queue: asyncio.Queue[Delivery] = field(default_factory=lambda: asyncio.Queue(SUBSCRIBER_BUFFER))
    overflowed: bool = False

    def offer(self, item: Delivery) -> None:
        if self.overflowed:
            return
        if self.hall_id is not None and item.hall_id != self.hall_id:
            return
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True
            # Make room for the word that tells the client to resync from the outbox.
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            self.queue.put_nowait(RESYNC)


def read_events(db: Database, after: int, hall_id: int | None = None, limit: int = READ_BATCH) -> list[dict[str, Any]]:
    """Committed events after ``after`` in id order (the catch-up path and the hub's reader)."""
    t = Event.__table__
    q = select(t.c.id, t.c.hall_id, t.c.kind, t.c.at, t.c.payload).where(t.c.id > after)
    if hall_id is not None:
        q = q.where(t.c.hall_id == hall_id)
    with db.reader.connect() as conn:  # Core rows: the hot path needs no ORM objects
        rows = conn.execute(q.order_by(t.c.id).limit(limit)).all()
    return [{"id": i, "hall_id": h, "kind": k, "at": at.isoformat(), "payload": p} for i, h, k, at, p in rows]


def last_event_id(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.coalesce(func.max(Event.id), 0))) or 0


class Hub:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.subscribers: set[Subscriber] = set()
        self.last_id = 0
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.last_id = await asyncio.to_thread(last_event_id, self.db)
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

    def wake_threadsafe(self, _event_id: int = 0) -> None:
        """Called after a commit, from whichever thread committed."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def subscribe(self, hall_id: int | None) -> Subscriber:
        sub = Subscriber(hall_id)
        self.subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self.subscribers.discard(sub)

    async def _reader(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                while True:
                    batch = await asyncio.to_thread(read_events, self.db, self.last_id)
                    for ev in batch:
                        item = delivery(ev)
                        for sub in list(self.subscribers):
                            sub.offer(item)
                        self.last_id = ev["id"]
                    if len(batch) < READ_BATCH:
                        break
            except Exception:  # the database may be restarting; the next wake or poll retries
                log.exception("event reader failed; will retry")
                await asyncio.sleep(0.5)
                self._wake.set()

    async def _safety_poll(self) -> None:
        while True:
            await asyncio.sleep(SAFETY_POLL_SECONDS)
            self._wake.set()

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
                    async for _ in conn.notifies():
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("LISTEN connection lost; reconnecting in %.1fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)


WakeFn = Callable[[int], None]
