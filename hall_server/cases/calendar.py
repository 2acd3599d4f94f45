"""A hall's working-day calendar as stored: seeded from the library, completed by 督查科.

The rows are the days that differ from Monday to Friday (about 25 a year) and the years entered;
``load_calendar`` reads them whole. Issuing a ticket asks the calendar too (is the hall open
today?), so each server process keeps a hall's calendar for ``CACHE_SECONDS``: a year entered in
the back office is seen at once by the process that wrote it and within that time by the others.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hall_queue.working_days import WorkingCalendar, official_year
from hall_server.cases.models import CalendarDay, CalendarYear
from hall_server.catalog.models import Hall
from hall_server.errors import HallError
from hall_server.events.outbox import emit

FIRST_SEEDED_YEAR = 2025  # older years matter to no open case
CACHE_SECONDS = 30.0


def load_calendar(session: Session, hall_id: int) -> WorkingCalendar:
    days = session.execute(select(CalendarDay.day, CalendarDay.working).where(CalendarDay.hall_id == hall_id))
    years = session.scalars(select(CalendarYear.year).where(CalendarYear.hall_id == hall_id))
    return WorkingCalendar({d: w for d, w in days}, frozenset(years))


@dataclass
class CalendarCache:
    """Each hall's calendar for a few seconds, so issuing a ticket does not read it every time."""

    halls: dict[int, tuple[WorkingCalendar, float]] = field(default_factory=dict)

    def get(self, session: Session, hall_id: int) -> WorkingCalendar:
        hit = self.halls.get(hall_id)
        if hit is not None and hit[1] > time.monotonic():
            return hit[0]
        calendar = load_calendar(session, hall_id)
        self.halls[hall_id] = (calendar, time.monotonic() + CACHE_SECONDS)
        return calendar

    def forget(self, hall_id: int) -> None:
        self.halls.pop(hall_id, None)


def _library_years(today: date) -> Iterable[int]:
    return range(FIRST_SEEDED_YEAR, today.year + 2)


def seed_calendar(session: Session, hall_id: int, now: datetime | None = None) -> list[int]:
    """Enter every year the library knows that the hall has not got yet; the years entered."""
    now = now or datetime.now(UTC)
    have = set(session.scalars(select(CalendarYear.year).where(CalendarYear.hall_id == hall_id)))
    added = []
    for year in _library_years(now.date()):
        if year in have or (days := official_year(year)) is None:
            continue
        session.add_all(CalendarDay(hall_id=hall_id, day=d, working=w, name=n) for d, (w, n) in days.items())
        session.add(CalendarYear(hall_id=hall_id, year=year, source="library", entered_at=now))
        added.append(year)
    session.flush()
    return added


def seed_all_halls(session: Session, now: datetime | None = None) -> None:
    for hall_id in session.scalars(select(Hall.id)):
        seed_calendar(session, hall_id, now)


@dataclass(frozen=True)
class DayEntry:
    day: date
    working: bool
    name: str = ""


def set_calendar_days(session: Session, now: datetime, hall_id: int, year: int, entries: list[DayEntry],
                      actor_id: int | None) -> WorkingCalendar:
    """Enter ``year``'s official schedule for a hall, replacing what it had for that year.

    ``entries`` are the days that differ from Monday to Friday: the holidays on weekdays and the
    weekend days worked. A weekday marked working or a weekend day marked not working changes
    nothing and is refused, so a slip shows at once. The open cases whose deadline reaches into
    the year are counted again on it (``progress.recount_deadlines``): a provisional deadline
    becomes the official one.
    """
    from hall_server.cases.progress import recount_deadlines  # progress needs this module first

    for e in entries:
        if e.day.year != year:
            raise HallError("calendar_wrong_year", 422, day=e.day.isoformat(), year=year)
        if e.working == (e.day.weekday() < 5):
            raise HallError("calendar_no_change", 422, day=e.day.isoformat())
    if len({e.day for e in entries}) != len(entries):
        raise HallError("calendar_duplicate_day", 422)
    session.execute(delete(CalendarDay).where(CalendarDay.hall_id == hall_id, CalendarDay.day >= date(year, 1, 1),
                                              CalendarDay.day <= date(year, 12, 31)))
    session.execute(delete(CalendarYear).where(CalendarYear.hall_id == hall_id, CalendarYear.year == year))
    session.add_all(CalendarDay(hall_id=hall_id, day=e.day, working=e.working, name=e.name.strip()[:40])
                    for e in entries)
    session.add(CalendarYear(hall_id=hall_id, year=year, source="office", entered_at=now, entered_by=actor_id))
    session.flush()
    emit(session, hall_id, "calendar.changed", now, {"year": year, "days": len(entries)})
    calendar = load_calendar(session, hall_id)
    recount_deadlines(session, now, hall_id, year, calendar, actor_id)
    return calendar


def year_days(session: Session, hall_id: int, year: int) -> tuple[CalendarYear | None, list[CalendarDay]]:
    """A year's entry and its days, for the back office's calendar page and the API."""
    entry = session.get(CalendarYear, (hall_id, year))
    days = list(session.scalars(select(CalendarDay).where(
        CalendarDay.hall_id == hall_id, CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31),
    ).order_by(CalendarDay.day)))
    return entry, days
