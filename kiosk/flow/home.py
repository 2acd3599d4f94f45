"""Home: the hall's name, the date and time, opening hours in the applicant's terms, its notice,
and four large targets; 取号 first, since most applicants come for a ticket."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from kiosk.flow.view import Choice, Group, Part, Text
from kiosk.flow.visit import Screen, Visit
from kiosk.messages import date_line, localized

TILES = (("go-take", "home.take"), ("go-guide", "home.guide"), ("go-status", "home.status"),
         ("go-rate", "home.rate"))
ALWAYS_OPEN = "00:00-00:00"  # the hall's hours when it never closes (hall_queue.hours)


def hours_line(hall: dict, v: Visit) -> str:
    """Opening hours as an applicant reads them: a 24-hour hall says so, not "00:00-00:00"."""
    if hall.get("hours") == ALWAYS_OPEN:
        return v.t("home.hours_always")
    if not hall.get("hours"):
        return ""
    lunch = v.t("home.lunch", lunch=hall["lunch"]) if hall.get("lunch") else ""
    return v.t("home.hours", hours=hall["hours"]) + lunch


class HomeScreen(Screen):
    kind = "home"
    SHOW_BACK = False
    SHOW_HOME = False

    def __init__(self) -> None:
        super().__init__()
        self.problem = ""
        self.minute: tuple[int, ...] = ()  # the clock's minute last drawn

    def tick(self, v: Visit) -> bool:
        """The clock shows minutes: drawn again when the minute has changed."""
        now = v.now()
        minute = (now.year, now.month, now.day, now.hour, now.minute)
        if minute == self.minute:
            return False
        self.minute = minute
        return True

    def title(self, v: Visit) -> str:
        return localized(v.hall.hall, "name", v.lang) if v.hall else v.t("app.title")

    def parts(self, v: Visit) -> list[Part]:
        hall = dict(v.hall.hall) if v.hall else {}
        zone = ZoneInfo(v.hall.timezone if v.hall else "Asia/Shanghai")
        parts: list[Part] = [Text("hall-name", self.title(v), "title", "head"),
                             Text("clock", date_line(v.now().astimezone(zone), v.lang), "clock", "head")]
        if hours := hours_line(hall, v):
            parts.append(Text("hours", hours, "body", "head"))
        if notice := localized(hall, "notice", v.lang):
            parts.append(Text("notice", v.t("home.notice", notice=notice), "note", "head"))
        parts.append(Text("welcome", self.problem or v.t("home.welcome"), "problem" if self.problem else "heading"))
        parts.append(Group("tiles", tuple(Choice(tile, v.t(key), v.t(key + "_hint"), "tile") for tile, key in TILES)))
        return parts

    def speech(self, v: Visit, parts) -> str:
        return super().speech(v, [p for p in parts if p.id not in ("clock",)])

    def touch(self, v: Visit, choice: str) -> None:
        from kiosk.flow.find import FindScreen
        from kiosk.flow.guide import GuideScreen

        if choice not in dict(TILES):
            return
        if v.hall is None:
            self.problem = v.t("net.not_ready")
            return
        self.problem = ""
        v.push({"go-guide": lambda: GuideScreen("guide"), "go-take": lambda: GuideScreen("ticket"),
                "go-rate": lambda: FindScreen("rate"), "go-status": lambda: FindScreen("status")}[choice]())

    def hall_changed(self, v: Visit) -> None:
        self.problem = ""
