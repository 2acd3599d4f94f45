"""Home: the hall's name, the date and time, opening hours and notice, and four large targets.

Every other screen returns here, by the home button or after an idle minute.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Button, Static

from kiosk.messages import localized
from kiosk.screens.base import KioskScreen
from kiosk.widgets.clock import HallClock

TILES = (("go-guide", "home.guide"), ("go-take", "home.take"), ("go-rate", "home.rate"),
         ("go-status", "home.status"))


ALWAYS_OPEN = "00:00-00:00"  # the hall's hours when it never closes (hall_queue.hours)


class HomeScreen(KioskScreen):
    SHOW_BACK = False
    SHOW_HOME = False

    def compose_body(self) -> ComposeResult:
        info = self.kiosk.hall
        hall = info.hall if info else {}
        with Vertical(id="home-head"):
            yield Static(localized(hall, "name", self.lang), id="hall-name")
            yield HallClock(self.lang, hall.get("timezone") or "Asia/Shanghai", id="clock")
            if hall.get("hours") == ALWAYS_OPEN:
                yield Static(self.t("home.hours_always"), id="hours")
            elif hall.get("hours"):
                lunch = self.t("home.lunch", lunch=hall["lunch"]) if hall.get("lunch") else ""
                yield Static(self.t("home.hours", hours=hall["hours"]) + lunch, id="hours")
            notice = localized(hall, "notice", self.lang)
            if notice:
                yield Static(self.t("home.notice", notice=notice), id="notice")
        yield Static(self.t("home.welcome"), id="welcome")
        with Grid(id="tiles"):
            for tile_id, key in TILES:
                yield Button(f"{self.t(key)}\n{self.t(key + '_hint')}", id=tile_id, classes="tile")

    def hall_loaded(self) -> None:
        self.refresh(recompose=True)

    @on(Button.Pressed, ".tile")
    def _open(self, event: Button.Pressed) -> None:
        from kiosk.screens.find import FindTicketScreen
        from kiosk.screens.guide import GuideScreen

        if self.kiosk.hall is None:
            self.say("welcome", self.t("net.not_ready"))
            return
        screens = {
            "go-guide": lambda: GuideScreen("guide"),
            "go-take": lambda: GuideScreen("ticket"),
            "go-rate": lambda: FindTicketScreen("rate"),
            "go-status": lambda: FindTicketScreen("status"),
        }
        self.app.push_screen(screens[event.button.id or ""]())
