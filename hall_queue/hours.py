"""Opening hours of a hall: when tickets may be issued, and when to come back if not.

A hall opens on working days only (weekends and official holidays closed, adjusted working
days open); a hall open around the clock opens every day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from hall_queue.working_days import official_working_day

LOOK_AHEAD_DAYS = 60  # the longest closure looked past for the next opening (Spring Festival is about 9 days)


@dataclass(frozen=True)
class OpeningHours:
    open: time = time(9, 0)
    close: time = time(17, 0)
    lunch: tuple[time, time] | None = None
    working_day: Callable[[date], bool] = field(default=official_working_day, compare=False, repr=False)

    @property
    def around_the_clock(self) -> bool:
        return self.open == self.close and self.lunch is None

    def __post_init__(self) -> None:
        if not self.around_the_clock and self.open >= self.close:
            raise ValueError("opening time must be before closing time")
        if self.lunch and not (self.open <= self.lunch[0] < self.lunch[1] <= self.close):
            raise ValueError("the lunch break must lie within opening hours")

    def is_open(self, local: datetime) -> bool:
        if self.around_the_clock:
            return True
        if not self.working_day(local.date()):
            return False
        t = local.time()
        if not (self.open <= t < self.close):
            return False
        return not (self.lunch and self.lunch[0] <= t < self.lunch[1])

    def next_opening(self, local: datetime) -> datetime:
        """The next moment tickets are issued again, in the same zone as ``local``."""
        if self.is_open(local):
            return local
        t = local.time()
        working = self.working_day(local.date())
        if working and self.lunch and self.lunch[0] <= t < self.lunch[1]:
            return local.replace(hour=self.lunch[1].hour, minute=self.lunch[1].minute, second=0, microsecond=0)
        day = local if working and t < self.open else local + timedelta(days=1)
        for _ in range(LOOK_AHEAD_DAYS):
            if self.working_day(day.date()):
                break
            day += timedelta(days=1)
        return day.replace(hour=self.open.hour, minute=self.open.minute, second=0, microsecond=0)

    def next_day_opening(self, local: datetime) -> datetime:
        """When tickets are issued again after today (a service whose day's tickets are all taken)."""
        return self.next_opening((local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0))

    @classmethod
    def parse(cls, text: str, lunch: str | None = None) -> OpeningHours:
        """``OpeningHours.parse("09:00-17:00", "12:00-13:30")``; "00:00-00:00" means always open."""

        def span(s: str) -> tuple[time, time]:
            a, b = s.split("-")
            return time.fromisoformat(a.strip()), time.fromisoformat(b.strip())

        o, c = span(text)
        return cls(o, c, span(lunch) if lunch else None)

    def describe(self) -> str:
        if self.around_the_clock:
            return "00:00-24:00"
        s = f"{self.open:%H:%M}-{self.close:%H:%M}"
        if self.lunch:
            s += f" (lunch {self.lunch[0]:%H:%M}-{self.lunch[1]:%H:%M})"
        return s
