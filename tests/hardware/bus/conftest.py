"""A simulated line of window devices (real bytes over socket://) and a bus process driving it from a
real hall server (the ``hall`` fixture: SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from hardware.bus import Bus
from hardware.serial_bus.simulator import SimBus
from tests.conftest import sqlite_only
from tests.harness import RunningHall

database_url = sqlite_only()  # terminal behaviour: once, on SQLite (tests/conftest.py)

WINDOWS = (3, 12, 13)  # 3 serves SW-1 (B); 12 and 13 serve BK-1 (C)


@pytest.fixture
def line() -> Iterator[SimBus]:
    sim = SimBus.windows(WINDOWS)
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def said() -> list[str]:
    return []


@pytest.fixture
async def bus(hall: RunningHall, line: SimBus, said: list[str]) -> AsyncIterator[Bus]:
    b = Bus(line.url, hall.url, hall.hall.bus_token, hall.hall.hall_id, windows=WINDOWS,
            line_backoff=(0.1, 0.5), say=said.append)
    await b.start()
    yield b
    await b.stop()
