"""What every request handler needs: the database, the clock, the event hub, the settings.

Write handlers go through :meth:`Context.write` (or ``write_async``): the process's one writer
runs the work in a transaction, commits it with its events, wakes subscribers and retries the
rare conflicts (a racing twin of an idempotent request, a PostgreSQL deadlock) so the client
never sees them.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.orm import Session

from hall_server.auth.service import Actor, resolve_with_expiry
from hall_server.clock import Clock
from hall_server.config import Settings
from hall_server.db import Database
from hall_server.errors import HallError
from hall_server.events.hub import Hub
from hall_server.writer import Writer

T = TypeVar("T")
ACTOR_CACHE_SECONDS = 5.0
ACTOR_STALE_SECONDS = 60.0
log = logging.getLogger(__name__)


@dataclass
class Context:
    settings: Settings
    db: Database
    clock: Clock
    hub: Hub
    limiter: MovingWindowRateLimiter = field(default_factory=lambda: MovingWindowRateLimiter(MemoryStorage()))
    # token -> (actor, until, expires_at): saves a database read on every request. A token revoked
    # by another server process keeps working here for at most about ACTOR_CACHE_SECONDS; logout
    # here drops it at once; a token's own expiry is checked on every request.
    actors: dict[str, tuple[Actor, float, datetime | None]] = field(default_factory=dict)
    writer: Writer = field(init=False)
    _renewing: set[str] = field(default_factory=set)
    _renewer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="hall-actors"))

    def __post_init__(self) -> None:
        self.writer = Writer(self.db, self.clock, self.hub.wake_threadsafe)

    def cached_actor(self, token: str) -> Actor | None:
        """The actor behind a token without reading the database, or None when it must be read.

        An entry past ACTOR_CACHE_SECONDS is still served (up to ACTOR_STALE_SECONDS) while one
        background read renews it: otherwise every window's token would lapse in the same second
        and 40 calls would each wait for a read.
        """
        hit = self.actors.get(token)
        if hit is None:
            return None
        actor, until, expires_at = hit
        if expires_at is not None and expires_at <= self.clock.now():
            return None
        now = time.monotonic()
        if until > now:
            return actor
        if until + ACTOR_STALE_SECONDS < now:
            return None
        if token not in self._renewing:
            self._renewing.add(token)
            self._renewer.submit(self._renew, token)
        return actor

    def _renew(self, token: str) -> None:
        try:
            self._load_actor(token)
        except HallError:  # revoked or expired meanwhile: the next request is refused
            self.actors.pop(token, None)
        except Exception:  # the database is away: the stale entry lapses by itself
            log.warning("could not renew a cached token", exc_info=True)
        finally:
            self._renewing.discard(token)

    def actor(self, token: str) -> Actor:
        return self.cached_actor(token) or self._load_actor(token)

    def _load_actor(self, token: str) -> Actor:
        actor, expires_at = self.read(lambda s, now: resolve_with_expiry(s, now, token))
        if len(self.actors) > 10_000:
            self.actors.clear()
        # Spread over a second, so tokens read together are not all renewed together.
        until = time.monotonic() + ACTOR_CACHE_SECONDS + random.random()
        self.actors[token] = (actor, until, expires_at)
        return actor

    def write(self, work: Callable[[Session, datetime], T], *, conflict: HallError | None = None) -> T:
        """Run ``work(session, now)`` on the writer (:mod:`hall_server.writer`) and wait for its commit.

        For threads (sync routes, tools, tests); an ``async`` route awaits :meth:`write_async`.
        An IntegrityError is a racing twin (same idempotency key, second rating): the writer runs
        ``work`` again so it finds what the twin wrote; if it persists, ``conflict`` is raised.
        """
        return self.writer.submit(work, conflict).result()

    async def write_async(self, work: Callable[[Session, datetime], T], *, conflict: HallError | None = None) -> T:
        return await asyncio.wrap_future(self.writer.submit(work, conflict))

    def read(self, work: Callable[[Session, datetime], T]) -> T:
        with self.db.read_session() as session:
            return work(session, self.clock.now())

    def check_rate(self, rate: str, *key: str) -> None:
        if not self.limiter.hit(parse(rate), *key):
            raise HallError("rate_limited", 429)
