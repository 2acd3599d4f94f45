"""A period's figures per service, window, staff member and day, and for the whole hall.

What counts where (the definitions a supervisor reads beside the tables):
- **issued** (取号): tickets taken, under the service chosen at the kiosk, even if later transferred.
- **served** (办结): tickets whose service ended 办结, under the service, window and staff member
  that finished it; a no-show called back and served counts here, once.
- **no-shows** (未到): tickets called whose applicant never came and was not served later
  (status ``no_show``), under the window and staff member that called them.
- **transfers** (转出/转入): each transfer, out of the service, window and staff member (the
  person who pressed it) it left, into the service it was sent to.
- **waiting time** (等候时长): from taking the ticket to its first call, under the service it
  waited for and the window and staff member that called it.
- **service time** (办理时长): from the call that ended in 办结 to 办结 (call to finish, like the
  wait estimate's pace: many windows never press 开始办理).
- **ratings** (评价): the ratings of the period's tickets, by level, under the service, window
  and staff member rated.

The database finds the period's tickets by the index on hall and business date, counts them by
day, service, window, staff member and status, gathers each group's durations in one value (the
medians are exact, so every duration is needed, but not a row per ticket) and counts the ratings;
the few tickets called more than once are read one by one and completed from their events
(``history.py``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Float, String, and_, bindparam, case, cast, func, select

from hall_server.auth.models import User
from hall_server.catalog.models import Service, Window
from hall_server.db import OneOf
from hall_server.evaluation.models import Rating, RatingLevel
from hall_server.statistics.distribution import SERVICE_EDGES, WAIT_EDGES, Summary, histogram, summary
from hall_server.statistics.history import CHUNK, revisits
from hall_server.statistics.period import Period
from hall_server.tickets.models import Ticket

SERVED = "finished"
NO_SHOW = "no_show"  # TicketStatus.NO_SHOW: called, never came (migration 0007 renamed "skipped")
LEVELS = tuple(level.value for level in RatingLevel)  # good, fairly_good, average, poor

T, R = Ticket.__table__, Rating.__table__
_PERIOD = and_(T.c.hall_id == bindparam("hall_id"), T.c.business_date >= bindparam("first"),
               T.c.business_date <= bindparam("last"))


def _seconds(dialect: str, a, b):
    """Seconds from ``a`` to ``b``, in the database."""
    if dialect == "postgresql":
        # date_part is a float already; extract computes a numeric (a third of a week's query) to be cast
        return func.date_part("epoch", b - a, type_=Float)
    # To the millisecond: julianday arithmetic leaves 1199.99999 for 20 minutes.
    return func.round((func.julianday(b) - func.julianday(a)) * 86400.0, 3)


def _wait(dialect: str):
    """Issue to (last) call, in seconds; NULL for a ticket never called."""
    return _seconds(dialect, T.c.issued_at, T.c.called_at)


def _gathered(dialect: str, seconds):
    """Every value of a group in one column, NULLs left out: PostgreSQL's array, SQLite's text "1.5,20.0"."""
    if dialect == "postgresql":
        return func.array_agg(seconds).filter(seconds.is_not(None))
    return func.group_concat(seconds)


def _values(gathered: list[float] | str | None) -> list[float]:
    if gathered is None:
        return []
    return list(map(float, gathered.split(","))) if isinstance(gathered, str) else gathered


def _groups(dialect: str):
    """The period's tickets counted by day, service, window, staff member and status, with each called
    ticket's wait (issue to its call) and service (call to 办结), in seconds, gathered per group: a
    few thousand rows for a month, not one per ticket."""
    keys = (T.c.business_date, T.c.service_id, T.c.window_id, T.c.staff_id, T.c.status)
    service = case((T.c.status == SERVED, _seconds(dialect, T.c.called_at, T.c.finished_at)))
    return select(*keys, func.count().label("n"), _gathered(dialect, _wait(dialect)).label("waits"),
                  _gathered(dialect, service).label("services")).where(_PERIOD).group_by(*keys)


def _called_again(dialect: str):
    """The tickets named (called more than once): their group, their issue, and their wait as text, as
    their group gathers it (SQLite's list is text), so that it is the very number the group holds.
    By id only: with the period's bounds too, SQLite would read the whole period to find them."""
    return select(T.c.id, T.c.business_date, T.c.service_id, T.c.window_id, T.c.staff_id, T.c.status,
                  T.c.issued_at, cast(_wait(dialect), String).label("wait")) \
        .where(OneOf(T.c.id, "tickets"), T.c.called_at.is_not(None))


_GROUPS = {d: _groups(d) for d in ("postgresql", "sqlite")}
_CALLED_AGAIN = {d: _called_again(d) for d in ("postgresql", "sqlite")}
_RATINGS = (
    select(T.c.business_date, T.c.service_id, R.c.window_id, R.c.staff_id, R.c.level, func.count().label("n"))
    .join_from(R, T, T.c.id == R.c.ticket_id).where(_PERIOD)
    .group_by(T.c.business_date, T.c.service_id, R.c.window_id, R.c.staff_id, R.c.level)
)


@dataclass
class Line:
    """One row of a table: a service, a window, a staff member, a day, or the whole hall."""

    key: Any
    name: str = ""
    name_en: str = ""
    code: str = ""  # a service's code, a window's number, a staff member's user name
    issued: int = 0
    served: int = 0
    no_shows: int = 0
    transfers_out: int = 0
    transfers_in: int = 0
    waits: list[float] = field(default_factory=list, repr=False)  # seconds
    services: list[float] = field(default_factory=list, repr=False)  # seconds
    ratings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @cached_property
    def wait(self) -> Summary:
        return summary(self.waits)

    @cached_property
    def service(self) -> Summary:
        return summary(self.services)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())


@dataclass
class Figures:
    hall_id: int
    period: Period
    total: Line
    by_service: list[Line]
    by_window: list[Line]
    by_staff: list[Line]
    by_day: list[Line]

    @cached_property
    def wait_histogram(self) -> list[int]:
        return histogram(self.total.waits, WAIT_EDGES)

    @cached_property
    def service_histogram(self) -> list[int]:
        return histogram(self.total.services, SERVICE_EDGES)


FIGURES = ("issued", "served", "no_shows", "transfers_out", "transfers_in")
TOTAL = "total"  # the whole hall's one key; None in a dimension is "nobody" and counts in the total only
SERVICE, WINDOW, STAFF, DAY = 1, 2, 3, 4  # dimensions after the total (0), in the order of a row's keys


class _Tally:
    """Figures by dimension and key, gathered in plain dicts from the groups of tickets (a month's
    150,000 tickets are some 6,000 groups). Keys are (total, service, window, staff, day)."""

    def __init__(self) -> None:
        self.counts = {f: [Counter() for _ in range(5)] for f in FIGURES}
        self.waits: list[defaultdict[Any, list[float]]] = [defaultdict(list) for _ in range(5)]
        self.services: list[defaultdict[Any, list[float]]] = [defaultdict(list) for _ in range(5)]
        self.ratings: list[defaultdict[Any, Counter]] = [defaultdict(Counter) for _ in range(5)]

    def count(self, figure: str, keys: tuple, n: int = 1) -> None:
        for store, key in zip(self.counts[figure], keys, strict=False):
            store[key] += n

    @staticmethod
    def put(stores: list[defaultdict[Any, list[float]]], keys: tuple, seconds: list[float]) -> None:
        if seconds:
            for store, key in zip(stores, keys, strict=True):
                store[key].extend(seconds)

    def line(self, dimension: int, key: Any) -> Line:
        rated = self.ratings[dimension].get(key, Counter())
        return Line(key, **{f: self.counts[f][dimension][key] for f in FIGURES},
                    waits=self.waits[dimension].get(key, []), services=self.services[dimension].get(key, []),
                    ratings={level: rated[level] for level in LEVELS})

    def lines(self, dimension: int) -> dict[Any, Line]:
        keys: set[Any] = set()
        for stores in (*self.counts.values(), self.waits, self.services, self.ratings):
            keys.update(stores[dimension])
        keys.discard(None)
        return {key: self.line(dimension, key) for key in keys}


def figures(conn: Connection, hall_id: int, period: Period) -> Figures:
    """Everything the statistics page, its XLSX and the assessment read of the period.

    The database counts and gathers, per group of tickets, the durations (for exact medians), and
    groups the ratings; only the few tickets called more than once are read one by one.
    """
    key = {"hall_id": hall_id, "first": period.first, "last": period.last}
    dialect = conn.dialect.name
    again = revisits(conn, hall_id, period)
    groups = {(r.business_date, r.service_id, r.window_id, r.staff_id, r.status): (r.n, _values(r.waits),
                                                                                  _values(r.services))
              for r in conn.execute(_GROUPS[dialect], key)}
    dates: dict[int, date] = {}
    first_waits: list[tuple[tuple, float]] = []
    for i in range(0, len(again.tickets), CHUNK):
        for t in conn.execute(_CALLED_AGAIN[dialect], key | {"tickets": again.tickets[i:i + CHUNK]}):
            if not period.first <= t.business_date <= period.last:  # a ticket of another day, met in the margin
                continue
            dates[t.id] = t.business_date
            if (first := again.first_call.get(t.id)) is None:
                continue
            # It waited until its first call, under that call's service, window and person, not until
            # its last: its group gives back the wait it holds for it.
            groups[(t.business_date, t.service_id, t.window_id, t.staff_id, t.status)][1].remove(float(t.wait))
            first_waits.append(((TOTAL, first.service_id, first.window_id, first.staff_id, t.business_date),
                                (first.at - t.issued_at).total_seconds()))
    tally = _Tally()
    for (day, service, window, staff, status), (n, waits, services) in groups.items():
        keys = (TOTAL, service, window, staff, day)
        tally.count("issued", (TOTAL, service, None, None, day), n)
        if status == SERVED:
            tally.count("served", keys, n)
        elif status == NO_SHOW:
            tally.count("no_shows", keys, n)
        tally.put(tally.waits, keys, waits)
        tally.put(tally.services, keys, services)
    for keys, seconds in first_waits:
        tally.put(tally.waits, keys, [seconds])
    final: dict[int, int] = {}
    for moved in again.transfers:
        if moved.ticket_id not in dates:  # a ticket of another day, met in the margin
            continue
        tally.count("transfers_out", (TOTAL, moved.from_service, moved.window_id, moved.staff_id,
                                      dates[moved.ticket_id]))
        tally.count("transfers_in", (TOTAL, moved.to_service))
        final[moved.ticket_id] = moved.to_service
    issued = tally.counts["issued"][SERVICE]
    for ticket, now_for in final.items():  # issued for the service chosen at the kiosk, not the one it ended in
        if (first_for := again.issued_for.get(ticket)) is not None and first_for != now_for:
            issued[now_for] -= 1
            issued[first_for] += 1
    for r in conn.execute(_RATINGS, key):
        for store, k in zip(tally.ratings, (TOTAL, r.service_id, r.window_id, r.staff_id, r.business_date),
                            strict=True):
            store[k][r.level] += r.n
    services, windows, staff, days = (tally.lines(d) for d in (SERVICE, WINDOW, STAFF, DAY))
    for d in period.days:
        days.setdefault(d, Line(d))
    _name(conn, services, windows, staff, days)
    return Figures(
        hall_id, period, tally.line(0, TOTAL),
        by_service=sorted(services.values(), key=lambda line: (line.code, line.key)),
        by_window=sorted(windows.values(), key=lambda line: (int(line.code or 0), line.key)),
        by_staff=sorted(staff.values(), key=lambda line: (line.name, line.code)),
        by_day=[days[d] for d in sorted(days)],
    )


def _name(conn: Connection, services: dict, windows: dict, staff: dict, days: dict) -> None:
    """Names, codes and numbers for the lines (retired services and windows keep theirs)."""
    if services:
        for s in conn.execute(select(Service.id, Service.code, Service.name, Service.name_en)
                              .where(Service.id.in_(list(services)))):
            services[s.id].code, services[s.id].name, services[s.id].name_en = s.code, s.name, s.name_en or s.name
    if windows:
        for w in conn.execute(select(Window.id, Window.number, Window.name, Window.name_en)
                              .where(Window.id.in_(list(windows)))):
            windows[w.id].code, windows[w.id].name, windows[w.id].name_en = str(w.number), w.name, w.name_en or w.name
    if staff:
        for u in conn.execute(select(User.id, User.username, User.display_name).where(User.id.in_(list(staff)))):
            staff[u.id].code, staff[u.id].name = u.username, u.display_name or u.username
            staff[u.id].name_en = staff[u.id].name
    for d, line in days.items():
        line.code = line.name = line.name_en = d.isoformat()
