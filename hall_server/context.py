"""What every request handler needs: the database, the clock, the event hub, the settings.

Write handlers go through :meth:`Context.write`, the one place that opens a transaction,
commits it with its events, wakes subscribers and retries the rare conflicts (a racing twin
of an idempotent request, a PostgreSQL deadlock) so the client never sees them.
"""

from __future__ import annotations

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

from hall_server.auth.service import Actor, resolve_with_expiry
from hall_server.clock import Clock
from hall_server.config import Settings
from hall_server.db import Database
from hall_server.errors import HallError
from hall_server.events.hub import Hub
from hall_server.events.outbox import commit

T = TypeVar("T")
ACTOR_CACHE_SECONDS = 5.0
WRITE_ATTEMPTS = 4


@dataclass
class Context:
    settings: Settings
    db: Database
    clock: Clock
    hub: Hub
    limiter: MovingWindowRateLimiter = field(default_factory=lambda: MovingWindowRateLimiter(MemoryStorage()))
    # token -> (actor, until): saves a database read on every request. A token revoked by another
    # server process keeps working here for at most ACTOR_CACHE_SECONDS; logout here drops it at once.
    actors: dict[str, tuple[Actor, float, datetime | None]] = field(default_factory=dict)

    def actor(self, token: str) -> Actor:
        hit = self.actors.get(token)
        if hit is not None:
            actor, until, expires_at = hit
            if until > time.monotonic() and (expires_at is None or expires_at > self.clock.now()):
                return actor
        actor, expires_at = self.read(lambda s, now: resolve_with_expiry(s, now, token))
        if len(self.actors) > 10_000:
            self.actors.clear()
        self.actors[token] = (actor, time.monotonic() + ACTOR_CACHE_SECONDS, expires_at)
        return actor

    def write(self, work: Callable[[Session, datetime], T], *, conflict: HallError | None = None) -> T:
        """Run ``work`` in a write transaction and commit it with its events.

        An IntegrityError is a racing twin (same idempotency key, second rating): retrying
        lets ``work`` find what the twin wrote; if it persists, ``conflict`` is raised.
        """
        for attempt in range(WRITE_ATTEMPTS):
            with self.db.writing() as session:
                try:
                    result = work(session, self.clock.now())
                    commit(session, self.hub.wake_threadsafe)
                    return result
                except IntegrityError:
                    session.rollback()
                    if attempt == WRITE_ATTEMPTS - 1:
                        raise conflict or HallError("invalid_request", 409, detail="conflict") from None
                except OperationalError as exc:  # deadlock or serialization failure: try again
                    session.rollback()
                    if attempt == WRITE_ATTEMPTS - 1:
                        raise HallError("internal_error", 503) from exc
        raise AssertionError("unreachable")

    def read(self, work: Callable[[Session, datetime], T]) -> T:
        with self.db.read_session() as session:
            return work(session, self.clock.now())

    def check_rate(self, rate: str, *key: str) -> None:
        if not self.limiter.hit(parse(rate), *key):
            raise HallError("rate_limited", 429)
