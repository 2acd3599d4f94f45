"""What every request handler needs: the database, the clock, the event hub, the settings.

A write request runs its work once, in its own short transaction, and is answered after its
commit (:meth:`Context.write`). On SQLite the writers of this process take turns in arrival
order (``Database.writing``); on PostgreSQL they run side by side, ordered only where they
touch the same rows (a window, a series' counter) and, for events, the same hall.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hall_server.auth.accounts import touch_device
from hall_server.auth.service import Actor, resolve_with_expiry
from hall_server.cases.calendar import CalendarCache
from hall_server.clock import Clock
from hall_server.config import Settings
from hall_server.db import Database
from hall_server.errors import HallError
from hall_server.events.hub import Hub
from hall_server.events.outbox import commit
from hall_server.limits import PublicSockets

T = TypeVar("T")
ACTOR_CACHE_SECONDS = 5.0
log = logging.getLogger(__name__)


@dataclass
class Context:
    settings: Settings
    db: Database
    clock: Clock
    hub: Hub
    limiter: MovingWindowRateLimiter = field(default_factory=lambda: MovingWindowRateLimiter(MemoryStorage()))
    # token -> (actor, until, expires_at): saves a database read on most requests. A token revoked
    # through another server process keeps working here for at most ACTOR_CACHE_SECONDS; logout
    # in this process drops it at once; a token's own expiry is checked on every request.
    actors: dict[str, tuple[Actor, float, datetime | None]] = field(default_factory=dict)
    device_seen: dict[int, float] = field(default_factory=dict)  # token id -> when its last-seen was written
    calendars: CalendarCache = field(default_factory=CalendarCache)  # each hall's working days, briefly kept
    sockets: PublicSockets = field(init=False)  # the public live connections open, per address and in all

    def __post_init__(self) -> None:
        self.sockets = PublicSockets(self.settings)

    def cached_actor(self, token: str) -> Actor | None:
        """The actor behind a token without reading the database, or None when it must be read."""
        hit = self.actors.get(token)
        if hit is None:
            return None
        actor, until, expires_at = hit
        if until <= time.monotonic() or (expires_at is not None and expires_at <= self.clock.now()):
            return None
        return actor

    def actor(self, token: str) -> Actor:
        """The actor behind a token (cached briefly); HallError 401 when it is unknown, expired or revoked."""
        if (actor := self.cached_actor(token)) is not None:
            return actor
        actor, expires_at = self.read(lambda s, now: resolve_with_expiry(s, now, token))
        self._seen(actor)
        if len(self.actors) > 10_000:
            self.actors.clear()
        self.actors[token] = (actor, time.monotonic() + ACTOR_CACHE_SECONDS, expires_at)
        return actor

    def forget_tokens(self, token_ids: list[int]) -> None:
        """Tokens just revoked (an account disabled, a device revoked) are refused by this process at
        once and their event streams end; other processes refuse them within ACTOR_CACHE_SECONDS."""
        gone = set(token_ids)
        for key, (actor, _until, _expires) in list(self.actors.items()):
            if actor.token_id in gone:
                self.actors.pop(key, None)
        for token_id in gone:
            self.hub.revoke_threadsafe(token_id)

    def _seen(self, actor: Actor) -> None:
        """Note a device's last request for the admin's device list: at most once a minute per
        device and process, so a kiosk's steady traffic costs one small write a minute."""
        if actor.user_id is not None:
            return
        mono = time.monotonic()
        if self.device_seen.get(actor.token_id, -1e9) > mono - 60:
            return
        self.device_seen[actor.token_id] = mono
        try:
            self.write(lambda s, now: touch_device(s, actor.token_id, now))
        except HallError:  # busy: the next minute's request notes it
            pass

    def write(self, work: Callable[[Session, datetime], T], *, conflict: HallError | None = None) -> T:
        """Run ``work(session, now)`` once in a transaction, commit it with its events, return its result.

        A refusal (HallError) or any error rolls everything back: nothing half-written. A unique
        constraint the work ran into (a second rating of one ticket, a username taken) is the
        client's ``conflict``; a PostgreSQL deadlock or a lost connection is "busy, try again",
        which terminals do with the same idempotency key.
        """
        try:
            with self.db.writing() as session:
                result = work(session, self.clock.now())
                session.flush()
                commit(session, self.hub.committed_threadsafe)
                return result
        except IntegrityError:
            raise conflict or HallError("internal_error", 503) from None
        except OperationalError as exc:
            log.warning("write failed: %s", exc.__class__.__name__, exc_info=True)
            raise HallError("internal_error", 503) from None

    async def write_async(self, work: Callable[[Session, datetime], T], *, conflict: HallError | None = None) -> T:
        """:meth:`write` from an ``async`` route, on the server's thread pool."""
        return await run_in_threadpool(self.write, work, conflict=conflict)

    def read(self, work: Callable[[Session, datetime], T]) -> T:
        with self.db.read_session() as session:
            return work(session, self.clock.now())

    def check_rate(self, rate: str, *key: str) -> None:
        if not self.limiter.hit(parse(rate), *key):
            raise HallError("rate_limited", 429)
