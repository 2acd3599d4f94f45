"""Kiosk tests: the app driven by Textual's pilot against a real hall server (the ``hall`` fixture,
on SQLite and PostgreSQL), a clock frozen at the hall's open Wednesday, and helpers that read the
screen as an applicant would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from hall_server.client import HallClient
from hardware.printer.device import PrinterConfig
from kiosk.app import KioskApp
from kiosk.config import KioskConfig
from tests.conftest import sqlite_only
from tests.harness import OPEN_MOMENT, RunningHall

database_url = sqlite_only()  # terminal behaviour: once, on SQLite (tests/conftest.py)

SIZE = (110, 36)
PATIENCE = 30.0  # seconds a step may take before the test gives up (a hang, not a timing check)


class FakeIdleClock:
    """The idle timer's clock, moved by the test instead of by waiting a minute. It counts how often
    the kiosk read it, so a test can wait for the kiosk's once-a-second idle check to have seen it."""

    def __init__(self) -> None:
        self.seconds = 1000.0
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return self.seconds

    def advance(self, seconds: float) -> None:
        self.seconds += seconds


def screen_text(app: KioskApp) -> str:
    """Everything written on the current screen (labels, texts, buttons, typed input)."""
    parts: list[str] = []
    for widget in app.screen.walk_children(Widget):
        if not widget.display:
            continue
        if isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, Static | Button):
            parts.append(str(widget.render()))
    return "\n".join(parts)


async def wait_until(pilot: Pilot, condition: Callable[[], bool], what: str = "the screen to change") -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PATIENCE
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"gave up waiting for {what}; the screen shows:\n{screen_text(pilot.app)}")
        await pilot.pause(0.05)


async def wait_for_text(pilot: Pilot, *texts: str) -> None:
    await wait_until(pilot, lambda: all(t in screen_text(pilot.app) for t in texts), f"text {texts!r}")


async def drawn(pilot: Pilot) -> None:
    """Wait until the terminal shows the visit as it stands (every change so far drawn)."""
    app = pilot.app
    await wait_until(pilot, lambda: getattr(app.screen, "view", None) is not None
                     and app.screen.view.version == app.visit.version, "the screen to be drawn")
    await pilot.pause()


async def wait_for_screen(pilot: Pilot, name: str) -> None:
    """Wait until the flow's screen on top is ``name`` (a class of kiosk/flow) and the terminal shows it."""
    app = pilot.app
    await wait_until(pilot, lambda: type(app.visit.screen).__name__ == name
                     and getattr(app.screen, "view", None) is not None
                     and app.screen.view.screen == app.visit.screen.sid, f"screen {name}")
    await pilot.pause()


async def idle_checked(pilot: Pilot, idle: FakeIdleClock) -> None:
    """Wait until the kiosk's idle check (kiosk/core.py, each second) has read ``idle`` as it stands
    now and done what it decided: the check reads the clock and acts in one go."""
    reads = idle.reads
    await wait_until(pilot, lambda: idle.reads > reads, "the idle check")
    await pilot.pause()


async def ready(pilot: Pilot) -> None:
    """Wait until the kiosk has loaded its hall and shows the home screen."""
    await wait_until(pilot, lambda: pilot.app.hall is not None, "the hall's catalog")
    await wait_for_screen(pilot, "HomeScreen")


def middle(app: KioskApp, selector: str) -> tuple[int, int] | None:
    """The middle of a widget of the current screen as the terminal shows it, or None while it is
    not there to be seen (a screen just composed is laid out a moment later)."""
    widgets = app.screen.query(selector)
    widget = widgets.first() if widgets else None
    if widget is None or not widget.region.area:
        return None
    region = widget.region
    x, y = region.x + region.width // 2, region.y + region.height // 2
    try:
        under, _ = app.get_widget_at(x, y)
    except NoWidget:
        return None
    return (x, y) if under is widget or widget in under.ancestors else None


async def tap(pilot: Pilot, selector: str) -> None:
    """A finger on the middle of a widget of the current screen, once it can be seen there, and
    the screen drawn again with what the touch did."""
    app = pilot.app
    await wait_until(pilot, lambda: middle(app, selector) is not None, f"{selector} to be seen")
    await pilot.click(offset=middle(app, selector))
    await drawn(pilot)


async def to_confirmation(pilot: Pilot, service_id: int) -> None:
    """From start-up to the confirmation of a service (home → 取号 → the service), ready to confirm."""
    await ready(pilot)
    await tap(pilot, "#go-take")
    await tap(pilot, f"#svc-{service_id}")
    await wait_for_text(pilot, "办理窗口:")


def kiosk_config(hall: RunningHall, tmp_path: Path, **changes) -> KioskConfig:
    values = dict(server=hall.url, kiosk_token=hall.hall.kiosk_token,
                  printer=PrinterConfig(kind="preview", target=str(tmp_path / "tickets")))
    return KioskConfig(**(values | changes))


@pytest.fixture
def make_kiosk(hall: RunningHall, tmp_path: Path):
    """``make_kiosk(**config_changes, printer=…, idle_clock=…)`` -> a KioskApp for the test hall."""

    def make(*, printer=None, idle_clock=None, **changes) -> KioskApp:
        extra = {"idle_clock": idle_clock} if idle_clock is not None else {}
        return KioskApp(kiosk_config(hall, tmp_path, **changes), printer=printer, now=lambda: OPEN_MOMENT,
                        retry_backoff=(0.05, 0.3), **extra)

    return make


@pytest.fixture
async def business(hall: RunningHall):
    """A client signed in as 业务科 (creates green-channel codes)."""
    async with HallClient(hall.url) as client:
        await client.login(hall.hall.business, hall.hall.password)
        yield client


def attached(scanner) -> bool:
    """A SimScanner has accepted the kiosk's connection (a code sent before that goes nowhere)."""
    return bool(scanner.endpoint._clients)


async def issued_count(hall: RunningHall) -> int:
    """How many tickets the server has issued (from its own event log, not the kiosk)."""
    async with HallClient(hall.url, hall.hall.kiosk_token) as client:
        events = await client.list_events(0, hall.hall.hall_id)
    return sum(1 for e in events if e["kind"] == "ticket.issued")
