"""The hall's working-day calendar (工作日历): which years' official schedules are entered and from
where, a year's holidays and adjusted working days (调休上班), and 督查科's form for the next year's
schedule when the State Council publishes it (usually in November).

A year not entered counts Monday to Friday, and a deadline resting on it is provisional (暂定):
entering the year is what makes later deadlines firm. Saved through ``set_calendar_days``, the one
rule of what may be entered; then this process's cached calendar of the hall is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from hall_server.auth.models import Role, User
from hall_server.cases.calendar import DayEntry, set_calendar_days, year_days
from hall_server.cases.models import CalendarDay, CalendarYear
from hall_server.catalog.models import Hall
from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.errors import HallError
from hall_server.office.render import render, text
from hall_server.office.scope import hall_of
from hall_server.office.session import Office, check_form, page_for
from hall_server.tickets.queries import business_date

router = APIRouter(prefix="/office/calendar", include_in_schema=False)
read_page = page_for(Role.BUSINESS, Role.SUPERVISION, Role.LEADER)
edit_page = page_for(Role.SUPERVISION)  # and the admin
FIRST_YEAR, LAST_YEAR = 2000, 2100
OFF_WORDS = ("休", "休息", "放假", "off")
WORK_WORDS = ("班", "上班", "work")
LONGEST_RANGE = 31  # days in one line: a holiday is never longer
_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:~|～|至|到|--|—)\s*{_DATE})?\s+(\S+)(?:\s+(.+))?$")


@dataclass(frozen=True)
class YearRow:
    year: int
    source: str  # library | office
    entered_at: datetime
    entered_by: str
    days: int


class Unreadable(Exception):
    """Lines of the form that are not a day (or range), 休 or 班, and a name: every one at once."""

    def __init__(self, lines: list[tuple[int, str, str]]) -> None:
        self.lines = lines  # (line number, line, message key)


def _day(y: str, m: str, d: str) -> date:
    return date(int(y), int(m), int(d))


def parse_schedule(typed: str) -> list[DayEntry]:
    """``2027-01-01 休 元旦`` or ``2027-02-07 班 调休上班`` per line; a range ``2027-02-10~2027-02-16 休 春节``
    gives its days that change (a holiday's weekdays, a worked range's weekend days)."""
    entries: list[DayEntry] = []
    bad: list[tuple[int, str, str]] = []
    for n, raw in enumerate(typed.splitlines(), 1):
        line = raw.replace("\u3000", " ").strip()
        if not line or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if m is None:
            bad.append((n, line, "cal_line_format"))
            continue
        word, name = m.group(7), (m.group(8) or "").strip()
        if word not in OFF_WORDS + WORK_WORDS:
            bad.append((n, line, "cal_line_kind"))
            continue
        working = word in WORK_WORDS
        try:
            first = _day(*m.group(1, 2, 3))
            last = _day(*m.group(4, 5, 6)) if m.group(4) else first
        except ValueError:
            bad.append((n, line, "cal_line_date"))
            continue
        if last < first or (last - first).days >= LONGEST_RANGE:
            bad.append((n, line, "cal_line_range"))
            continue
        name = name or ("调休上班" if working else "")
        if last == first:  # one day as written: set_calendar_days says if it changes nothing
            entries.append(DayEntry(first, working, name))
            continue
        day = first
        while day <= last:
            if working == (day.weekday() >= 5):  # the days of the range that differ from Monday to Friday
                entries.append(DayEntry(day, working, name))
            day += timedelta(days=1)
    if bad:
        raise Unreadable(bad)
    return entries


def schedule_text(days: list[CalendarDay]) -> str:
    """A year's days as the form writes them, one per line, to correct and enter again."""
    return "\n".join(f"{d.day.isoformat()} {'班' if d.working else '休'} {d.name}".rstrip() for d in days)


def _year(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR else None


def _page(request: Request, ctx: Context, office: Office, hall: int | None, year: int | None,
          typed: dict[str, str] | None = None, **extra) -> HTMLResponse:
    hall_id, choices = hall_of(ctx, office, hall)

    def load(s: Session, now: datetime):
        found = s.get(Hall, hall_id)
        if found is None:
            raise HallError("hall_not_found", 404)
        today = business_date(found, now)
        counts = Counter(d.year for d in s.scalars(select(CalendarDay.day).where(CalendarDay.hall_id == hall_id)))
        entries = list(s.scalars(select(CalendarYear).where(CalendarYear.hall_id == hall_id)
                                 .order_by(CalendarYear.year)))
        people = {u.id: u.display_name or u.username for u in s.scalars(
            select(User).where(User.id.in_({e.entered_by for e in entries if e.entered_by})))}
        years = [YearRow(e.year, e.source, e.entered_at, people.get(e.entered_by, ""), counts.get(e.year, 0))
                 for e in entries]
        shown = year or today.year
        _entry, days = year_days(s, hall_id, shown)
        entered = {e.year for e in entries}
        # The form's year: the one asked for, else the first of this year and the next not entered yet.
        target = year or next((y for y in (today.year, today.year + 1) if y not in entered), today.year + 1)
        _t, target_days = year_days(s, hall_id, target)
        return found.timezone, today, years, shown, days, target, schedule_text(target_days), entered

    zone, today, years, shown, days, target, prefill, entered = ctx.read(load)
    missing = [y for y in (today.year, today.year + 1) if y not in entered]  # the years deadlines reach now
    form = typed or {"year": str(target), "schedule": prefill}
    return render(request, "calendar.html", office, hall_id=hall_id, halls=choices, zone=zone, years=years,
                  shown=shown, days=days, shown_entered=shown in entered, missing=missing, form=form,
                  may_edit=office.may(Role.SUPERVISION), status=extra.pop("status", 200), **extra)


@router.get("", response_class=HTMLResponse)
def calendar_page(request: Request, hall: int | None = None, year: str = "", office: Office = Depends(read_page),
                  ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    return _page(request, ctx, office, hall, _year(year))


@router.post("")
def calendar_post(request: Request, hall: int = Form(), year: str = Form(""),
                  schedule: str = Form("", max_length=20_000), csrf: str = Form(""),
                  office: Office = Depends(edit_page), ctx: Context = Depends(get_ctx)) -> Response:
    """Enter a year's schedule, replacing what the hall had for that year; refusals shown with the text kept."""
    check_form(request, office, csrf)
    hall_id, _ = hall_of(ctx, office, hall)
    typed = {"year": year, "schedule": schedule}
    chosen = _year(year)
    if chosen is None:
        return _page(request, ctx, office, hall_id, None, typed, status=422,
                     problems=[text(office.lang, "cal_year_bad", first=FIRST_YEAR, last=LAST_YEAR)])
    try:
        entries = parse_schedule(schedule)
    except Unreadable as exc:
        problems = [text(office.lang, "cal_line_problem", n=n, line=line, why=text(office.lang, key))
                    for n, line, key in exc.lines]
        return _page(request, ctx, office, hall_id, chosen, typed, status=422, problems=problems)
    if not entries:
        return _page(request, ctx, office, hall_id, chosen, typed, status=422,
                     problems=[text(office.lang, "cal_empty")])
    try:
        ctx.write(lambda s, now: set_calendar_days(s, now, hall_id, chosen, entries, office.user_id))
    except HallError as err:
        return _page(request, ctx, office, hall_id, chosen, typed, status=err.status,
                     problems=[err.message_en if office.lang == "en" else err.message_zh])
    ctx.calendars.forget(hall_id)  # this process counts with the new year at once; others within seconds
    return _page(request, ctx, office, hall_id, chosen, notice=text(office.lang, "cal_saved", year=chosen,
                                                                     n=len(entries)))
