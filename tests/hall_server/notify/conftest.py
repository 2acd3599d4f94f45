"""Fixtures of the text tests: a hall's database without a server (the tests call ``send_due``
themselves, the clock frozen), or a running hall whose own loop sends."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hall_server.clock import Clock
from hall_server.config import Settings
from hall_server.context import Context
from hall_server.db import Database
from hall_server.events.hub import Hub
from hall_server.notify import loop
from tests.harness import TestHall, seed_hall, start_hall


@dataclass
class Texts:
    """The seeded test hall's database and clock."""

    db: Database
    hall: TestHall
    clock: Clock

    def ctx(self, db: Database | None = None, **settings) -> Context:
        """A context as the server's (on ``db``: another process's engines), for calling ``send_due``."""
        db = db or self.db
        return Context(settings=Settings(database_url=db.url, **settings), db=db, clock=self.clock, hub=Hub(db))


@pytest.fixture
def texts(database_url, clock: Clock):
    db = Database(database_url)
    db.migrate()
    seeded = seed_hall(db, clock.now(), bulk_windows=0)
    yield Texts(db, seeded, clock)
    db.dispose()


@pytest.fixture
def sms_env() -> dict[str, str]:
    """HALL_* settings of the running hall's texts (a test module overrides it)."""
    return {}


@pytest.fixture
def hall(database_url, clock, monkeypatch, sms_env):
    """A running hall (as tests/conftest.py's) whose loop looks for due texts every 50 ms."""
    monkeypatch.setattr(loop, "SEND_EVERY", 0.05)
    for key, value in sms_env.items():
        monkeypatch.setenv(key, value)
    running = start_hall(database_url, clock=clock)
    yield running
    running.server.stop()
