"""Working days (工作日): the official schedule of holidays and adjusted working days (调休).

A hall keeps its own calendar (the ``calendar_days`` table): the days that differ from Monday to
Friday, and the years whose schedule has been entered. It is seeded from ``chinesecalendar`` for
the years the State Council has published; 督查科 enter the next year's schedule when it is
published (usually in November). A day of a year not entered counts Monday to Friday, and any
deadline resting on it is *provisional* until the year is entered.

Everything here is pure: the server loads a :class:`WorkingCalendar` from its table; deadlines,
days overdue, the 3-working-day limit of a returned case and the hall's opening days all use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar


def official_working_day(day: date) -> bool:
    """A working day by the library's copy of the official schedule; Monday to Friday for a year
    it does not know (the hall's own calendar, where there is one, has the last word)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year not published in the library yet
        return day.weekday() < 5


def official_year(year: int) -> dict[date, tuple[bool, str]] | None:
    """The published schedule of ``year`` as the days that differ from Monday to Friday, each with
    whether it is worked and its name (国庆节, 调休上班); None when the library does not know the year."""
    first = date(year, 1, 1)
    try:
        chinese_calendar.is_workday(first)
    except NotImplementedError:
        return None
    days: dict[date, tuple[bool, str]] = {}
    day = first
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        if working != (day.weekday() < 5):
            _holiday, name = chinese_calendar.get_holiday_detail(day)
            days[day] = (working, _holiday_name(name) if not working else "调休上班")
        day += timedelta(days=1)
    return days


_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节", "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _holiday_name(name: str | None) -> str:
    return _NAMES.get(name or "", name or "休息日")


@dataclass(frozen=True)
class Deadline:
    """A deadline and whether it rests on a year whose schedule has not been entered."""

    day: date
    provisional: bool


@dataclass(frozen=True)
class WorkingCalendar:
    """A hall's calendar: ``changes`` maps each day that differs from Monday to Friday to whether
    it is worked; ``entered`` holds the years whose official schedule is in the table."""

    changes: Mapping[date, bool] = field(default_factory=dict)
    entered: frozenset[int] = frozenset()

    @classmethod
    def official(cls, years: Iterable[int]) -> WorkingCalendar:
        """The library's schedule for ``years`` (those it knows), as a hall seeded from it has."""
        changes: dict[date, bool] = {}
        entered = set()
        for year in years:
            days = official_year(year)
            if days is not None:
                entered.add(year)
                changes.update({d: worked for d, (worked, _name) in days.items()})
        return cls(changes, frozenset(entered))

    def is_working_day(self, day: date) -> bool:
        worked = self.changes.get(day)
        return worked if worked is not None else day.weekday() < 5

    def provisional(self, day: date) -> bool:
        """True when ``day``'s year has not been entered: it is counted Monday to Friday."""
        return day.year not in self.entered

    def add_working_days(self, accepted: date, n: int) -> Deadline:
        """The N-th working day after ``accepted`` (the day of acceptance is not counted; RULES §12).
        N = 0 is the same day (即办件). Provisional when any day counted lies in a year not entered."""
        day, provisional = accepted, False
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            provisional = provisional or self.provisional(day)
            if self.is_working_day(day):
                counted += 1
        return Deadline(day, provisional)

    def working_days_late(self, deadline: date, until: date) -> int:
        """Days overdue: working days after ``deadline`` up to and including ``until`` (RULES §12)."""
        late, day = 0, deadline
        while day < until:
            day += timedelta(days=1)
            late += self.is_working_day(day)
        return late

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after it)."""
        return self.working_days_late(start, end)
