"""A line reader's events collected for tests, and a simulated bus on a free TCP port."""

from __future__ import annotations

import queue
from collections.abc import Iterator

import pytest

from hardware.serial_bus.simulator import SimBus
from hardware.serial_bus.transport import Health, LineEvent, LineHealth

WAIT = 10.0  # generous: how long a test waits for something that must happen (never a timing claim)


class Events:
    """The callback for a LineReader: keeps every event and lets a test wait for the next of a kind."""

    def __init__(self) -> None:
        self.queue: queue.Queue[LineEvent] = queue.Queue()
        self.seen: list[LineEvent] = []

    def __call__(self, event: LineEvent) -> None:
        self.queue.put(event)

    def next(self, kind: type | tuple[type, ...], timeout: float = WAIT) -> LineEvent:
        while True:
            try:
                event = self.queue.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no {kind} within {timeout} s; saw {self.seen}") from None
            self.seen.append(event)
            if isinstance(event, kind):
                return event

    def health(self, state: Health, timeout: float = WAIT) -> LineHealth:
        while True:
            event = self.next(LineHealth, timeout)
            assert isinstance(event, LineHealth)
            if event.state is state:
                return event

    def drain(self) -> list[LineEvent]:
        while not self.queue.empty():
            self.seen.append(self.queue.get())
        return self.seen


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def bus() -> Iterator[SimBus]:
    sim = SimBus.windows([3, 12])
    sim.start()
    yield sim
    sim.stop()
