"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is skipped where it is not reachable, except when HALL_TEST_PG=required (CI),
where its absence fails the run instead of hiding it.
"""

from __future__ import annotations

import os

import pytest

from hall_server.client import HallClient
from hall_server.clock import Clock
from tests.harness import OPEN_MOMENT, PgDatabases, RunningHall, pg_available, start_hall

_pg: PgDatabases | None = None


def _pg_databases() -> PgDatabases:
    global _pg
    if _pg is None:
        if not pg_available():
            if os.environ.get("HALL_TEST_PG") == "required":
                pytest.fail("PostgreSQL is required (HALL_TEST_PG=required) but not reachable")
            pytest.skip("PostgreSQL not reachable at HALL_TEST_PG_URL")
        _pg = PgDatabases()
    return _pg


def pytest_sessionfinish(session, exitstatus) -> None:
    if _pg is not None:
        _pg.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, empty-or-migrated database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hall.db'}"
        return
    pg = _pg_databases()
    url = pg.fresh()
    yield url
    pg.drop(url)


def sqlite_only():
    """``database_url`` for a folder of terminal tests: a terminal's behaviour (a kiosk's screens,
    a caller's keys, a board's drawing, the bus's bytes) does not depend on the server's database,
    so its tests run once, on SQLite; the server's own tests run on both."""

    @pytest.fixture
    def database_url(tmp_path):
        yield f"sqlite:///{tmp_path / 'hall.db'}"

    return database_url


@pytest.fixture
def clock() -> Clock:
    c = Clock()
    c.set(OPEN_MOMENT)
    return c


@pytest.fixture
def hall(database_url, clock):
    """A running hall server (real HTTP on loopback) with the small test hall seeded."""
    running = start_hall(database_url, clock=clock)
    yield running
    running.server.stop()


@pytest.fixture
async def kiosk(hall: RunningHall):
    async with HallClient(hall.url, hall.hall.kiosk_token) as c:
        yield c


@pytest.fixture
async def staff_client(hall: RunningHall):
    """``await staff_client(window_number)`` -> a client signed in to that window."""
    clients: list[HallClient] = []

    async def make(number: int, sign_in: bool = True) -> HallClient:
        c = HallClient(hall.url)
        clients.append(c)
        await c.login(hall.hall.staff[number], hall.hall.password)
        if sign_in:
            await c.sign_in_window(hall.hall.windows[number])
        return c

    yield make
    for c in clients:
        await c.aclose()
