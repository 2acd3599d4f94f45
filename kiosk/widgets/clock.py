"""The hall's date and time, in the hall's own time zone, as a wall clock shows it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.widgets import Static

from kiosk.messages import date_line


class HallClock(Static):
    def __init__(self, lang: str, timezone: str, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.lang = lang
        self.zone = ZoneInfo(timezone)

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        self.update(date_line(self.app.now().astimezone(self.zone), self.lang))
