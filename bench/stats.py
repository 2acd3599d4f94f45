"""Statistics over a long history: what the figures of a day, a week and a month cost, and how
that grows with the days of history before them and with the tickets of a day.

The scratch database holds the demo county hall (kunshan: 80 services, 40 windows, a staff
member at each). Its history is written straight into the database, one day per transaction,
as the real write path leaves it: tickets in their final state, the events issuing and the
windows write (their payloads made by the same ``ticket_payload`` and ``window_payload``),
ratings and their events, the day's counters and queue tallies; event ids in the order of their
moments, as commits give them. A day: the hall opens 09:00-17:00 (every day of the history is
a working day), tickets are issued across the day for services chosen with a few popular ones;
of each hundred, about 86 are called and served (10 recalled once, 60 started), 7 never come
(过号), 4 come late and are called back or put back in line, 2 are transferred to another
service, 1 is cancelled; the late and the transferred are served in the end, and 40% of all
served are rated.

For each tickets-a-day size the history grows (``--days 7,30,90``) and each time is measured on
its last day: the figures (``statistics.queries.figures``, in-process) of that day, of the week
ending on it, and of the 30 days ending on it (the monthly assessment's read; the page offers a
day or a week); then, from a real ``hall serve`` process signed in as 督查科, the page
``/office/stats`` of the day and of the week, and the week's XLSX. Each time is the median of
``--repeat`` runs after one run not counted. The figures' totals are checked against the
history written (a wrong count is reported, and the run exits 1).

    python -m bench.stats [--database sqlite|postgresql|both] [--per-day 1000,5000] [--days 7,30,90]
                          [--repeat 3] [--pg-url URL] [--smoke]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, select, text, update

from hall_queue.numbering import format_number
from hall_server.auth.models import AccessToken
from hall_server.catalog.models import Hall, Service, Window
from hall_server.db import Database
from hall_server.demo_data import load_demo
from hall_server.evaluation.models import Rating
from hall_server.events.models import Event
from hall_server.events.outbox import ticket_of
from hall_server.statistics.period import Period
from hall_server.statistics.queries import figures
from hall_server.tickets.calling import window_payload
from hall_server.tickets.issuing import new_check_code
from hall_server.tickets.models import Ticket, TicketCounter
from hall_server.tickets.queries import ticket_payload
from hall_server.tickets.tallies import recount

BENCH_HALL = "kunshan"  # the demo county hall: 80 services, 40 windows
MONTH = 30  # days of the monthly assessment's read
CHUNK = 5000  # rows per INSERT batch
OPEN, CLOSE = clock_time(9), clock_time(17)
M = timedelta(minutes=1)


@dataclass(frozen=True)
class Sizes:
    per_day: tuple[int, ...]  # tickets a day, one scratch database each
    days: tuple[int, ...]  # history lengths, growing; each measured on its last day
    repeat: int


FULL = Sizes((1000, 5000), (7, 30, 90), 3)
SMOKE = Sizes((40,), (7, 30), 1)  # does every part still run? (the test suite's)


# --- the history --------------------------------------------------------------------------

@dataclass
class Shape:
    """The bench hall as the history needs it."""

    hall_id: int
    timezone: str
    kiosk_token_id: int
    services: list[SimpleNamespace]  # id, name, series; only services some window serves
    weights: list[float]
    windows: dict[int, list[SimpleNamespace]]  # service id -> windows serving it (window_payload's fields too)


@dataclass
class Written:
    """What one day of history holds: the bench checks the figures against it."""

    issued: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    rated: int = 0
    waited: int = 0  # tickets called at least once: each has one wait
    events: int = 0

    def __iadd__(self, other: Written) -> Written:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def shape_of(db: Database, hall_id: int) -> Shape:
    with db.read_session() as s:
        hall = s.get(Hall, hall_id)
        kiosk = s.scalar(select(AccessToken.id).where(AccessToken.hall_id == hall_id, AccessToken.role == "kiosk"))
        windows: dict[int, list[SimpleNamespace]] = {}
        for w in s.scalars(select(Window).where(Window.hall_id == hall_id).order_by(Window.number)):
            seat = SimpleNamespace(id=w.id, number=w.number, name=w.name, location=w.location, area=w.area,
                                   state="open", pause_reason="", current_ticket_id=None, staff_id=w.staff_id,
                                   department_id=w.department_id)
            for service in w.services:
                windows.setdefault(service.id, []).append(seat)
        services = [SimpleNamespace(id=x.id, name=x.name, series=x.series)
                    for x in s.scalars(select(Service).where(Service.hall_id == hall_id).order_by(Service.id))
                    if x.id in windows]
    rng = random.Random(1)
    weights = [rng.paretovariate(1.2) for _ in services]  # a few services draw most of the hall
    return Shape(hall_id, hall.timezone, kiosk, services, weights, windows)


def seat_staff(db: Database, hall_id: int) -> None:
    """A staff member at every window (the demo account made for it), as on any working day."""
    from hall_server.auth.models import User

    with db.writing() as s:
        hall = s.get(Hall, hall_id)
        for w in s.scalars(select(Window).where(Window.hall_id == hall_id)):
            user = s.scalar(select(User.id).where(User.username == f"{hall.key}-w{w.number:02d}"))
            w.staff_id, w.state = user, "open"
        s.commit()


class Day:
    """One day's rows: tickets, events (ids in the order of their moments), ratings."""

    def __init__(self, shape: Shape, day: date, rng: random.Random) -> None:
        self.shape, self.day, self.rng = shape, day, rng
        self.tickets: list[SimpleNamespace] = []
        self.events: list[dict] = []
        self.ratings: list[dict] = []
        self.numbers: Counter[str] = Counter()
        self.written = Written()

    def event(self, kind: str, at: datetime, payload: dict) -> None:
        self.events.append({"hall_id": self.shape.hall_id, "kind": kind, "at": at, "payload": payload,
                            "ticket_id": ticket_of(payload)})  # as ``outbox.emit`` queues it

    def ticket_event(self, kind: str, at: datetime, ticket: SimpleNamespace, window: SimpleNamespace) -> None:
        """As ``calling._emit_ticket`` writes it."""
        self.event(kind, at, {"ticket": ticket_payload(ticket, window, service_name=ticket.service_name),
                              "window": window_payload(window), "actor_id": window.staff_id})

    def issue(self, ticket_id: int, at: datetime) -> SimpleNamespace:
        service = self.rng.choices(self.shape.services, self.shape.weights)[0]
        self.numbers[service.series] += 1
        n = self.numbers[service.series]
        r = self.rng.random()
        t = SimpleNamespace(
            id=ticket_id, hall_id=self.shape.hall_id, service_id=service.id, service_name=service.name,
            business_date=self.day, series=service.series, sequence=n, number=format_number(service.series, n),
            priority="priority" if r < 0.03 else "green" if r < 0.035 else "normal", status="waiting",
            status_token=secrets.token_urlsafe(24), check_code=new_check_code(),
            issuer_token_id=self.shape.kiosk_token_id, idempotency_key=secrets.token_hex(8), issued_at=at,
            arrived_at=at, called_at=None, started_at=None, finished_at=None, window_id=None, staff_id=None,
            target_window_id=None, recall_count=0, note="")
        self.tickets.append(t)
        self.written.issued += 1
        self.event("ticket.issued", at, {"ticket": ticket_payload(t, service_name=t.service_name),
                                         "waiting_ahead": self.rng.randrange(40),
                                         "estimated_wait_seconds": self.rng.randrange(60, 3600)})
        return t

    def call(self, t: SimpleNamespace, at: datetime, window: SimpleNamespace | None = None,
             kind: str = "ticket.called") -> SimpleNamespace:
        window = window or self.rng.choice(self.shape.windows[t.service_id])
        if t.called_at is None:
            self.written.waited += 1
        t.status, t.called_at, t.window_id, t.staff_id = "called", at, window.id, window.staff_id
        window.current_ticket_id = t.id
        if kind == "ticket.called_back":
            t.recall_count = 0
        self.ticket_event(kind, at, t, window)
        return window

    def leave(self, t: SimpleNamespace, window: SimpleNamespace, status: str, kind: str, at: datetime) -> None:
        t.status = status
        window.current_ticket_id = None
        self.ticket_event(kind, at, t, window)

    def serve(self, t: SimpleNamespace, window: SimpleNamespace, at: datetime) -> None:
        """Recalled now and then, started more often than not, finished; perhaps rated."""
        rng = self.rng
        if rng.random() < 0.1:
            at += M
            t.recall_count += 1
            self.ticket_event("ticket.recalled", at, t, window)
        if rng.random() < 0.6:
            at += timedelta(seconds=rng.uniform(20, 90))
            t.status, t.started_at = "serving", at
            self.ticket_event("ticket.started", at, t, window)
        at += timedelta(seconds=60 + rng.expovariate(1 / 360))
        t.finished_at = at
        self.leave(t, window, "finished", "ticket.finished", at)
        self.written.served += 1
        if rng.random() < 0.4:
            self.rate(t, window, at + timedelta(seconds=rng.uniform(10, 180)))

    def rate(self, t: SimpleNamespace, window: SimpleNamespace, at: datetime) -> None:
        """As ``evaluation.service.rate_ticket`` writes it."""
        rng = self.rng
        level = rng.choices(("good", "fairly_good", "average", "poor"), (85, 10, 4, 1))[0]
        channel = rng.choices(("pad", "qr", "kiosk"), (6, 3, 1))[0]
        self.ratings.append({"ticket_id": t.id, "hall_id": t.hall_id, "window_id": t.window_id,
                             "department_id": window.department_id, "staff_id": t.staff_id, "level": level,
                             "channel": channel, "reasons": ["slow"] if level == "poor" else [], "comment": "",
                             "created_at": at})
        self.event("rating.submitted", at, {"ticket_id": t.id, "number": t.number, "window_id": t.window_id,
                                            "window_number": window.number, "level": level, "channel": channel})
        self.written.rated += 1

    def ticket(self, t: SimpleNamespace) -> None:
        """Everything that happens to one ticket after its issue."""
        rng = self.rng
        at = t.issued_at + timedelta(seconds=30 + min(rng.expovariate(1 / 720), 7200))
        window = self.call(t, at)
        r = rng.random()
        if r < 0.86:
            self.serve(t, window, at)
        elif r < 0.93:  # 过号: never came
            self.leave(t, window, "no_show", "ticket.skipped", at + timedelta(seconds=rng.uniform(60, 240)))
            self.written.no_shows += 1
        elif r < 0.96:  # came late: called back at that window, or held and called back
            held = r >= 0.95
            at += timedelta(seconds=rng.uniform(60, 240))
            self.leave(t, window, "held" if held else "no_show", "ticket.held" if held else "ticket.skipped", at)
            at += timedelta(seconds=rng.uniform(300, 1800))
            self.call(t, at, window, kind="ticket.called_back")
            self.serve(t, window, at)
        elif r < 0.97:  # came late: put back in line in the old place, called again
            at += timedelta(seconds=rng.uniform(60, 240))
            self.leave(t, window, "no_show", "ticket.skipped", at)
            at += timedelta(seconds=rng.uniform(300, 1800))
            t.status, t.window_id = "waiting", None
            self.ticket_event("ticket.requeued", at, t, window)
            at += timedelta(seconds=rng.uniform(60, 900))
            self.serve(t, self.call(t, at), at)
        elif r < 0.99:  # transferred to another service, called there
            at += timedelta(seconds=rng.uniform(60, 300))
            t.status, t.started_at = "serving", at
            self.ticket_event("ticket.started", at, t, window)
            at += timedelta(seconds=rng.uniform(60, 600))
            to = rng.choice([s for s in self.shape.services if s.id != t.service_id])
            t.service_id, t.service_name, t.note = to.id, to.name, "需先办理前置事项"
            t.status, t.window_id = "waiting", None
            window.current_ticket_id = None
            self.ticket_event("ticket.transferred", at, t, window)
            self.written.transfers += 1
            at += timedelta(seconds=30 + rng.expovariate(1 / 600))
            self.serve(t, self.call(t, at), at)
        else:  # cancelled at the window
            self.leave(t, window, "cancelled", "ticket.cancelled", at + timedelta(seconds=rng.uniform(30, 120)))

    def windows(self, first: datetime, last: datetime) -> None:
        """Each window signed in before the first ticket, paused once, signed out after the last event."""
        seats = {w.id: w for ws in self.shape.windows.values() for w in ws}
        for w in seats.values():
            self.event("window.signed_in", first - 10 * M, {"window": window_payload(w), "actor_id": w.staff_id,
                                                            "staff_name": f"{w.number}号窗口"})
            pause = first + timedelta(seconds=self.rng.uniform(3600, 6 * 3600))
            w.state, w.pause_reason = "paused", "临时外出"
            self.event("window.paused", pause, {"window": window_payload(w), "actor_id": w.staff_id})
            w.state, w.pause_reason = "open", ""
            self.event("window.resumed", pause + 10 * M, {"window": window_payload(w), "actor_id": w.staff_id})
            w.state = "closed"
            self.event("window.signed_out", last + 5 * M, {"window": window_payload(w), "actor_id": w.staff_id})
            w.state = "open"


def build(db: Database, shape: Shape, days: list[date], per_day: int, rng: random.Random) -> Written:
    """Write ``per_day`` tickets for each of ``days`` (in order, after everything already there)."""
    T, E, R = Ticket.__table__, Event.__table__, Rating.__table__
    written = Written()
    zone = ZoneInfo(shape.timezone)
    with db.writing() as s:
        conn = s.connection()
        next_ticket, next_event, next_rating = (
            (conn.scalar(select(func.max(table.c.id))) or 0) + 1 for table in (T, E, R))
    for day in days:
        opens = datetime.combine(day, OPEN, zone).astimezone(UTC)
        span = (datetime.combine(day, CLOSE, zone) - datetime.combine(day, OPEN, zone)).total_seconds() - 1800
        d = Day(shape, day, rng)
        moments = sorted(opens + timedelta(seconds=rng.uniform(0, span)) for _ in range(per_day))
        for i, at in enumerate(moments):
            d.issue(next_ticket + i, at)
        for t in list(d.tickets):
            d.ticket(t)
        d.windows(opens, max(e["at"] for e in d.events))
        d.events.sort(key=lambda e: e["at"])
        for i, e in enumerate(d.events):
            e["id"] = next_event + i
        for i, r in enumerate(d.ratings):
            r["id"] = next_rating + i
        tickets = [{c.name: getattr(t, c.name) for c in T.columns} for t in d.tickets]
        with db.writing() as s:
            conn = s.connection()
            for table, rows in ((T, tickets), (E, d.events), (R, d.ratings)):
                for i in range(0, len(rows), CHUNK):
                    conn.execute(table.insert(), rows[i:i + CHUNK])
            conn.execute(TicketCounter.__table__.insert(), [
                {"hall_id": shape.hall_id, "series": series, "business_date": day, "last_number": n}
                for series, n in d.numbers.items()])
            recount(conn, shape.hall_id, day)
            s.commit()
        next_ticket, next_event, next_rating = (
            next_ticket + len(tickets), next_event + len(d.events), next_rating + len(d.ratings))
        d.written.events = len(d.events)
        written += d.written
    if not db.is_sqlite:
        with db.writer.connect() as conn:
            for table in ("tickets", "events", "ratings"):  # the explicit ids left the sequences behind
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
            conn.commit()
        with db.writer.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")  # as autovacuum would after so many rows
    return written


# --- measuring ----------------------------------------------------------------------------

@dataclass
class Point:
    """One history: its size, and each measure's seconds."""

    per_day: int
    days: int
    tickets: int
    events: int
    build_seconds: float
    times: dict[str, list[float]] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)


MEASURES = (  # key, heading
    ("day", "day: figures"), ("day_page", "day: page"),
    ("week", "week: figures"), ("week_page", "week: page"), ("week_xlsx", "week: XLSX"),
    ("month", f"{MONTH} days: figures"),
)


def timed(repeat: int, fn) -> tuple[list[float], object]:
    """One run not counted, then ``repeat`` timed runs; the seconds and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def check(point: Point, name: str, found, expected: Written) -> None:
    total = found.total
    got = (total.issued, total.served, total.no_shows, total.transfers_out, total.rated, total.wait.count)
    want = (expected.issued, expected.served, expected.no_shows, expected.transfers, expected.rated, expected.waited)
    if got != want:
        point.wrong.append(f"{name}: issued, served, no-shows, transfers, rated, waited {got}, written {want}")


def measure_point(db: Database, office: httpx.Client, shape: Shape, point: Point, last: date,
                  by_day: dict[date, Written], repeat: int) -> None:
    for key, span in (("day", 1), ("week", 7), ("month", MONTH)):
        if span > point.days:
            continue
        period = Period(last - timedelta(days=span - 1), last, shape.timezone)

        def read(period: Period = period):
            with db.read_session() as s:  # as the page reads: one read transaction
                return figures(s.connection(), shape.hall_id, period)

        point.times[key], found = timed(repeat, read)
        expected = Written()
        for d in period.days:
            expected += by_day[d]
        check(point, key, found, expected)
    for key, path in (("day_page", f"/office/stats?hall={shape.hall_id}&day={last}&span=day"),
                      ("week_page", f"/office/stats?hall={shape.hall_id}&day={last}&span=week"),
                      ("week_xlsx", f"/office/stats.xlsx?hall={shape.hall_id}&day={last}&span=week")):
        if key.startswith("week") and point.days < 7:
            continue

        def get(path: str = path) -> httpx.Response:
            r = office.get(path)
            r.raise_for_status()
            return r

        point.times[key], _ = timed(repeat, get)


@contextlib.contextmanager
def signed_in(url: str, username: str, password: str) -> Iterator[httpx.Client]:
    """A back office session (its cookie kept), as a browser holds it."""
    with httpx.Client(base_url=url, follow_redirects=False, timeout=600) as client:
        r = client.post("/office/login", data={"username": username, "password": password, "next": "/office/"})
        if r.status_code != 303:
            raise RuntimeError(f"the office refused {username}: {r.status_code} {r.text[:200]}")
        yield client


def run_one(kind: str, per_day: int, sizes: Sizes, pg_admin_url: str) -> list[Point]:
    """One tickets-a-day size on a scratch database of ``kind``: the history grows, measured at each length."""
    from bench.run import scratch_database, serving

    points = []
    with tempfile.TemporaryDirectory(prefix="hall-bench-stats-") as tmp, \
            scratch_database(kind, pg_admin_url, Path(tmp)) as url:
        db = Database(url)
        try:
            db.migrate()
            demo = load_demo(db)
            hall_id = next(h["id"] for h in demo["halls"] if h["key"] == BENCH_HALL)
            seat_staff(db, hall_id)
            shape = shape_of(db, hall_id)
            today = datetime.now(ZoneInfo(shape.timezone)).date()
            first = today - timedelta(days=max(sizes.days))
            with db.writing() as s:  # the catalog was imported the day before the hall opened
                s.execute(update(Event).where(Event.hall_id == hall_id)
                          .values(at=datetime.combine(first - timedelta(days=1), OPEN, ZoneInfo(shape.timezone))))
                s.commit()
            rng = random.Random(per_day)
            by_day: dict[date, Written] = {}
            tickets = events = 0
            supervisor = demo["supervisor"]
            with serving(url, Path(tmp) / "serve.log") as server, \
                    signed_in(server.url, supervisor["username"], supervisor["password"]) as office:
                for length in sizes.days:
                    days = [first + timedelta(days=n) for n in range(len(by_day), length)]
                    print(f"{kind}: {per_day:,} a day, days {len(by_day) + 1}..{length} ...", file=sys.stderr,
                          flush=True)
                    start = time.perf_counter()
                    for d in days:
                        by_day[d] = build(db, shape, [d], per_day, rng)
                        tickets, events = tickets + by_day[d].issued, events + by_day[d].events
                    point = Point(per_day, length, tickets, events, time.perf_counter() - start)
                    measure_point(db, office, shape, point, days[-1], by_day, sizes.repeat)
                    points.append(point)
        finally:
            db.dispose()
    return points


# --- report -------------------------------------------------------------------------------

def _ms(values: list[float] | None) -> str:
    return f"{statistics.median(values) * 1000:,.0f}" if values else "–"


def table(points: list[Point]) -> str:
    lines = ["| history | tickets | events | " + " | ".join(h for _, h in MEASURES) + " |",
             "|---|--:|--:|" + "--:|" * len(MEASURES)]
    for p in points:
        lines.append(f"| {p.per_day:,} a day × {p.days} days | {p.tickets:,} | {p.events:,} | "
                     + " | ".join(_ms(p.times.get(k)) for k, _ in MEASURES) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog="python -m bench.stats", description=__doc__.split("\n\n")[0])
    p.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--per-day", help="tickets a day, comma-separated (default 1000,5000)")
    p.add_argument("--days", help="history lengths in days, growing, comma-separated (default 7,30,90)")
    p.add_argument("--repeat", type=int, help="timed runs of each measure (default 3); the median is shown")
    p.add_argument("--smoke", action="store_true", help="a tiny history: that every part runs, no figures to keep")
    p.add_argument("--pg-url", default=os.environ.get("HALL_BENCH_PG_URL") or os.environ.get(
        "HALL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to connect to for creating the scratch database")
    a = p.parse_args(argv)
    base = SMOKE if a.smoke else FULL
    sizes = Sizes(tuple(int(n) for n in a.per_day.split(",")) if a.per_day else base.per_day,
                  tuple(sorted(int(n) for n in a.days.split(","))) if a.days else base.days,
                  a.repeat or base.repeat)
    kinds = ["sqlite", "postgresql"] if a.database == "both" else [a.database]
    results = {kind: [point for per_day in sizes.per_day for point in run_one(kind, per_day, sizes, a.pg_url)]
               for kind in kinds}
    from bench.run import machine

    print(f"`python -m bench.stats {' '.join(argv)}`: milliseconds, median of {sizes.repeat} runs")
    for kind, points in results.items():
        print(f"\n{'SQLite' if kind == 'sqlite' else 'PostgreSQL'}\n")
        print(table(points))
        print("\nhistory written in (s): " + ", ".join(
            f"{p.per_day:,} a day to {p.days} days {p.build_seconds:.0f}" for p in points))
    print()
    print(machine())
    wrong = [f"{kind} {p.per_day} a day × {p.days} days, {w}" for kind, points in results.items()
             for p in points for w in p.wrong]
    if wrong:
        print("\nFIGURES WRONG:\n" + "\n".join(wrong), file=sys.stderr)
        return 1
    print("\nthe figures' totals match the history written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
