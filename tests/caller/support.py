"""Driving the soft caller in tests: sign in through the screen, read what a widget shows, wait for it."""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.widgets import Static

from caller.app import CallerApp
from caller.desk import DeskScreen
from caller.sign_in import SignInScreen
from tests.display.support import until
from tests.harness import RunningHall


def make_caller(hall: RunningHall, window: int = 1, **kw) -> CallerApp:
    return CallerApp(hall.url, window, hall_id=hall.hall.hall_id, clock=hall.clock.now, **kw)


def shown(app: CallerApp, selector: str) -> str:
    """The plain text a Static on the current screen shows."""
    try:
        content = app.screen.query_one(selector, Static).content
    except NoMatches:  # another screen (a dialog) is on top
        return ""
    return content.plain if hasattr(content, "plain") else str(content)


def desk(app: CallerApp) -> DeskScreen:
    assert isinstance(app.screen, DeskScreen), type(app.screen)
    return app.screen


async def ready(app: CallerApp) -> DeskScreen:
    """The desk is drawn and following the hall's events."""
    await until(lambda: isinstance(app.screen, DeskScreen) and app.screen.desk is not None and app.screen.connected)
    return app.screen


async def sign_in(pilot: Pilot, hall: RunningHall, window: int = 1, password: str | None = None) -> None:
    app = pilot.app
    await until(lambda: isinstance(app.screen, SignInScreen) and app.located.is_set())
    await pilot.click("#username")
    await pilot.press(*hall.hall.staff[window], "enter", *(password or hall.hall.password), "enter")


async def says(app: CallerApp, selector: str, text: str) -> None:
    """Wait until the widget shows ``text`` (events and reloads arrive asynchronously)."""
    await until(lambda: text in shown(app, selector))


async def press_and_see(pilot: Pilot, key: str, selector: str, text: str) -> None:
    await pilot.press(key)
    await says(pilot.app, selector, text)
