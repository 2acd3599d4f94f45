"""Cases (办件) over a long history: what registering, finishing, looking up and listing cases cost,
and how that grows with the cases the hall has registered before.

The scratch database holds the demo county hall (kunshan). Its history of cases is written
straight into the database, as the cases code leaves it: each case row in its present state, its
steps (received, materials completed, sent to a co-department, signed off, extended, finished,
returned, review requested and decided), a joint case's departments, the applicant's texts
(sent), and the case's one rating for 4 in 10 finished cases. A hall registers ``--per-year``
cases (RULES §1: about 40,000 a year), spread over the working days of the hall's calendar, 09:00
to 17:00, up to the last working day before today. Of a hundred cases about 17 are 即办件 (finished
the same day, 2 in a hundred the next), 80 承诺件 on the item's promised working days, and the rest
补办件, 联办件 (2 or 3 departments), 退回件 (most on the spot, some decided within 3 working days,
a few reviewed) and 急办件. 97 in a hundred finish within their deadline, most of the rest a few
working days late, 1 in 200 up to 40 days late: the open and overdue cases are the recent ones,
whatever the length of the history. Not written: the tickets that brought the applicants (the
tickets' history is bench/stats.py's; these cases have no ``ticket_id``) and the ``case.changed``
events.

The history grows backwards from yesterday (``--cases``: each size is reached by adding older
days), so the open cases stay the same while the finished ones multiply; each size is measured,
from a real ``hall serve`` process signed in as 业务科: ``register_case`` (a 承诺件 that came by mail,
with its idempotency key), ``finish_case`` (of the cases just registered), ``lookup_status`` of a
case's token (a random case of the history), the API's list of the hall's cases ``?due=overdue``,
``?due=soon`` and ``?case_type=joint``, the two lists a window's caller reads after each event of
the hall (its open cases and its department's open joint ones, as the window's staff member; the
window with the most open cases), and the back office's page ``/office/cases`` (as it opens, and
with ``due=overdue``). Each time is the median of ``--repeat`` runs after one not counted. What
each list shows is checked against the history written (the same cases in the same order, the
page's rows too; a case's status by its token): a mismatch is reported and the run exits 1.

    python -m bench.cases [--database sqlite|postgresql|both] [--cases 3500,40000,200000]
                          [--per-year 40000] [--repeat 20] [--explain] [--pg-url URL] [--smoke]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import event, select, text

from hall_queue.working_days import WorkingCalendar
from hall_server.auth.models import User
from hall_server.auth.service import login
from hall_server.cases.calendar import load_calendar
from hall_server.cases.listing import CaseFilter, list_cases
from hall_server.cases.models import Case, CaseCounter, CaseDepartment, CaseStep
from hall_server.cases.rules import due_soon_until
from hall_server.cases.texts import status_url
from hall_server.catalog.models import Department, Hall, Service, Window
from hall_server.client import HallClient
from hall_server.db import Database
from hall_server.demo_cases import RETURN_REASONS, fake_applicant
from hall_server.demo_data import load_demo
from hall_server.evaluation.models import Rating
from hall_server.notify.messages import compose
from hall_server.notify.models import TextMessage
from hall_server.tickets.issuing import new_check_code

BENCH_HALL = "kunshan"  # the demo county hall
API_LIMIT = 100  # the API list's default
CHUNK = 5000  # rows per INSERT batch
PUBLIC_URL = "http://127.0.0.1:8000"  # the server's default public base URL, in the texts' links
OPEN = ("awaiting_materials", "in_progress", "in_review")


@dataclass(frozen=True)
class Sizes:
    cases: tuple[int, ...]  # history sizes, growing: each reached by adding older days
    per_year: int
    repeat: int


FULL = Sizes((3_500, 40_000, 200_000), 40_000, 20)
SMOKE = Sizes((200, 800), 40_000, 1)  # does every part still run? (the test suite's)


# --- the history --------------------------------------------------------------------------

class Item(NamedTuple):
    id: int
    name: str
    department_id: int
    promised_days: int
    materials: tuple[str, ...]


class Seat(NamedTuple):
    id: int
    number: int
    location: str
    staff_id: int | None


@dataclass
class Shape:
    """The bench hall as the history needs it."""

    hall_id: int
    hall_name: str
    timezone: str
    items: dict[str, list[Item]]  # by category: immediate, promised, joint
    weights: dict[str, list[float]]
    seats: dict[int, list[Seat]]  # department id -> its windows
    departments: dict[int, str]
    business_id: int
    seat_of: dict[int, Seat] = field(default_factory=dict)  # window id -> its seat
    item_of: dict[int, Item] = field(default_factory=dict)  # service id -> its item

    def __post_init__(self) -> None:
        self.seat_of = {s.id: s for ss in self.seats.values() for s in ss}
        self.item_of = {i.id: i for ii in self.items.values() for i in ii}


class Written(NamedTuple):
    """A case as written, all the checks need of it."""

    id: int
    case_number: str
    case_type: str
    status: str
    deadline: date | None
    status_token: str
    window_id: int | None
    department_id: int  # the lead
    parts: frozenset[int]  # a joint case's departments


def shape_of(db: Database, hall_id: int, business: str) -> Shape:
    with db.read_session() as s:
        hall = s.get(Hall, hall_id)
        items: dict[str, list[Item]] = {}
        for x in s.scalars(select(Service).where(Service.hall_id == hall_id, Service.active).order_by(Service.id)):
            items.setdefault(x.category, []).append(Item(
                x.id, x.name, x.department_id, x.promised_days, tuple(m["name"] for m in x.materials if m.get("name"))))
        seats: dict[int, list[Seat]] = {}
        for w in s.scalars(select(Window).where(Window.hall_id == hall_id).order_by(Window.number)):
            seats.setdefault(w.department_id, []).append(Seat(w.id, w.number, w.location, w.staff_id))
        departments = {d.id: d.name for d in s.scalars(select(Department).where(Department.hall_id == hall_id))}
        business_id = s.scalar(select(User.id).where(User.username == business))
    rng = random.Random(2)
    items = {k: [i for i in v if i.department_id in seats] for k, v in items.items()}  # registered at a window
    weights = {k: [rng.paretovariate(1.2) for _ in v] for k, v in items.items()}  # a few items draw most cases
    return Shape(hall_id, hall.name, hall.timezone, items, weights, seats, departments, business_id)


def seat_staff(db: Database, hall_id: int) -> dict[int, str]:
    """The demo account of each window at it, signed in: each window's access token. Made as a
    sign-in makes it after the password's check, which is left out (argon2, on purpose slow, 40
    times would be most of a smoke run)."""
    tokens = {}
    with db.writing() as s:
        hall = s.get(Hall, hall_id)
        for w in s.scalars(select(Window).where(Window.hall_id == hall_id)):
            user = s.scalar(select(User).where(User.username == f"{hall.key}-w{w.number:02d}"))
            w.staff_id = user.id
            tokens[w.id], _ = login(s, datetime.now(UTC), user)
        s.commit()
    return tokens


def history_calendar(db: Database, hall_id: int, first_year: int) -> WorkingCalendar:
    """The hall's calendar (seeded from 2025), and the library's schedule for the years before it:
    the deadlines of cases registered then were counted on it."""
    with db.read_session() as s:
        hall = load_calendar(s, hall_id)
    older = WorkingCalendar.official(range(first_year, min(hall.entered, default=first_year)))
    return WorkingCalendar({**older.changes, **hall.changes}, older.entered | hall.entered)


@dataclass
class Plan:
    """The history's working days, newest first, with their cases' ids and numbers fixed in the order
    of registration, so that the days can be written newest first and still number as the hall did."""

    days: list[date]
    counts: list[int]
    first_ids: list[int]
    first_numbers: list[int]  # the day's first case number within its year
    per_year: Counter[int]  # cases of each year: the counters' last numbers

    def days_for(self, size: int) -> int:
        """How many of the newest days hold at least ``size`` cases."""
        total = 0
        for n, count in enumerate(self.counts, 1):
            total += count
            if total >= size:
                return n
        return len(self.counts)


def plan(calendar: WorkingCalendar, today: date, total: int, per_year: int, seed: int) -> Plan:
    year_days = sum(calendar.is_working_day(today - timedelta(days=n)) for n in range(1, 366))
    per_day = per_year / year_days
    rng = random.Random(seed)
    days: list[date] = []
    counts: list[int] = []
    day, have = today, 0
    while have < total:
        day -= timedelta(days=1)
        if not calendar.is_working_day(day):
            continue
        count = min(max(1, round(rng.gauss(per_day, per_day * 0.2))), total - have)
        days.append(day)
        counts.append(count)
        have += count
    first_ids, first_numbers = [0] * len(days), [0] * len(days)
    per_year_count: Counter[int] = Counter()
    next_id = 1
    for i in reversed(range(len(days))):  # oldest first: the order the hall registered them in
        first_ids[i], first_numbers[i] = next_id, per_year_count[days[i].year] + 1
        next_id += counts[i]
        per_year_count[days[i].year] += counts[i]
    return Plan(days, counts, first_ids, first_numbers, per_year_count)


class Day:
    """One day's cases and everything they left, up to ``today`` (not included)."""

    def __init__(self, shape: Shape, calendar: WorkingCalendar, day: date, today: date, rng: random.Random) -> None:
        self.shape, self.calendar, self.day, self.today, self.rng = shape, calendar, day, today, rng
        self.zone = ZoneInfo(shape.timezone)
        self.cases: list[dict] = []
        self.steps: list[dict] = []
        self.departments: list[dict] = []
        self.ratings: list[dict] = []
        self.texts: list[dict] = []
        self.written: list[Written] = []

    def at(self, day: date, after: datetime | None = None) -> datetime:
        """A moment of office hours on ``day``; within two hours after ``after`` if that is the same day."""
        opens = datetime.combine(day, clock_time(9), self.zone).astimezone(UTC)
        if after is None or after < opens:
            return opens + timedelta(seconds=self.rng.uniform(0, 8 * 3600))
        return after + timedelta(seconds=self.rng.uniform(60, 2 * 3600))

    def add(self, day: date, n: int) -> date:
        return self.calendar.add_working_days(day, n).day

    def finish_day(self, start: date, deadline: date, promised: int) -> date:
        """97 in a hundred within the deadline; most of the rest a few working days late, now and then many."""
        r = self.rng.random()
        if r < 0.97:
            return self.add(start, self.rng.randint(1, promised)) if promised else start
        return self.add(deadline, self.rng.randint(1, 5) if r < 0.995 else self.rng.randint(6, 40))

    def item(self, category: str) -> Item:
        items = self.shape.items.get(category) or self.shape.items["promised"]
        weights = self.shape.weights.get(category) or self.shape.weights["promised"]
        return self.rng.choices(items, weights)[0]

    def case(self, case_id: int, number: str) -> None:
        rng, d = self.rng, self.day
        r = rng.random()
        case_type = ("immediate" if r < 0.17 else "promised" if r < 0.97 else "supplement" if r < 0.985
                     else "joint" if r < 0.995 else "returned" if r < 0.999 else "urgent")
        item = self.item({"immediate": "immediate", "joint": "joint"}.get(case_type, "promised"))
        if case_type == "returned":
            item = self.item(rng.choice(("immediate", "promised", "promised")))
        seat = rng.choice(self.shape.seats[item.department_id])
        by_mail = case_type != "urgent" and rng.random() < 0.05  # 业务科 enter what came by mail or online
        actor = self.shape.business_id if by_mail or case_type == "urgent" else seat.staff_id
        applicant = fake_applicant(rng)
        received = self.at(d)
        lead = item.department_id
        c: dict[str, Any] = {
            "id": case_id, "hall_id": self.shape.hall_id, "case_number": number, "case_type": case_type,
            "service_id": item.id, "department_id": lead, "window_id": None if by_mail else seat.id,
            "ticket_id": None, "registered_by": actor, "registered_by_token_id": None, "idempotency_key": None,
            "channel": rng.choice(("mail", "online")) if by_mail else "window",
            "applicant_kind": applicant["kind"], "applicant_name": applicant["name"],
            "applicant_id_number": applicant["id_number"], "applicant_phone": applicant["phone"], "subject": "",
            "materials_received": list(item.materials), "missing_materials": [], "reason": "",
            "urgent_note": "市重点项目,请当日优先办理" if case_type == "urgent" else "",
            "promised_days": item.promised_days, "accepted_on": d, "clock_started_on": d, "deadline": None,
            "deadline_provisional": False, "finished_on": None, "status_token": secrets.token_urlsafe(24),
            "check_code": new_check_code(), "review_status": "", "created_at": received, "status": "in_progress",
        }
        self.step(c, "received", received, actor, lead, case_type=case_type, window_id=c["window_id"],
                  missing=c["missing_materials"])
        last = received
        if case_type == "immediate":
            c["deadline"] = d
            done = d if rng.random() < 0.98 else self.add(d, 1)
            last = self.finish(c, done, actor, last, rated=0.3)
        elif case_type == "returned":
            last = self.returned(c, actor, last)
        elif case_type == "joint":
            last = self.joint(c, item, actor, last)
        else:
            start = d
            if case_type == "supplement":
                keep = rng.randint(0, max(len(item.materials) - 1, 0))
                c["materials_received"], c["missing_materials"] = list(item.materials[:keep]), \
                    list(item.materials[keep:]) or ["其他补充材料"]
                self.steps[-1]["detail"]["missing"] = c["missing_materials"]
                self.text(c, "materials_needed", received)
                start = self.add(d, rng.randint(1, 8))
                if start >= self.today:
                    c["status"], c["clock_started_on"] = "awaiting_materials", None
                    return self.keep(c)
                c["clock_started_on"] = start
                last = self.step(c, "materials_completed", self.at(start), actor, lead,
                                 deadline=self.add(start, item.promised_days).isoformat())
            c["deadline"] = self.add(start, item.promised_days)
            if rng.random() < 0.01:  # extended by 业务科, with its reason
                extended_on = self.add(start, 1)
                if extended_on < self.today:
                    before, c["deadline"] = c["deadline"], self.add(c["deadline"], 5)
                    last = self.step(c, "extended", self.at(extended_on, last), self.shape.business_id, None,
                                     days=5, reason="需现场勘验", before=before.isoformat(),
                                     after=c["deadline"].isoformat())
            done = max(self.finish_day(start, c["deadline"], item.promised_days), last.astimezone(self.zone).date())
            last = self.finish(c, done, actor, last, rated=0.4)
        c["deadline_provisional"] = bool(c["deadline"] and c["deadline"].year not in self.calendar.entered)
        self.keep(c)

    def finish(self, c: dict, done: date, actor: int | None, last: datetime, rated: float) -> datetime:
        """Finished on ``done``, unless that is today or later: then still open."""
        if done >= self.today:
            return last
        at = self.at(done, last)
        c["status"], c["finished_on"] = "finished", done
        self.step(c, "finished", at, actor, c["department_id"], note="")
        if c["case_type"] != "immediate":
            self.text(c, "finished", at)
        if self.rng.random() < rated:
            self.rate(c, at)
        return at

    def returned(self, c: dict, actor: int | None, last: datetime) -> datetime:
        """Most on the spot; some decided within 3 working days; a few reviewed by 业务科 and upheld."""
        rng, d = self.rng, self.day
        c["materials_received"] = []
        decided = d
        if rng.random() < 0.3:
            c["deadline"] = self.add(d, 3)
            decided = self.add(d, rng.randint(1, 3))
            if decided >= self.today:
                c["status"] = "in_review"
                return last
        c["status"], c["finished_on"], c["reason"] = "returned", decided, rng.choice(RETURN_REASONS)
        last = self.step(c, "returned", self.at(decided, last), actor, c["department_id"], reason=c["reason"])
        self.text(c, "returned", last)
        asked = self.add(decided, rng.randint(1, 5))
        if rng.random() < 0.1 and (answered := self.add(asked, rng.randint(1, 3))) < self.today:
            business = self.shape.business_id
            last = self.step(c, "review_requested", self.at(asked, last), business, None, note="申请人申请复核")
            last = self.step(c, "review_decided", self.at(answered, last), business, None, decision="upheld",
                             note="退回理由成立")
            c["review_status"] = "upheld"
        return last

    def joint(self, c: dict, item: Item, actor: int | None, last: datetime) -> datetime:
        """The item's department and one or two others; each signs off, the lead last, then it finishes."""
        rng, d = self.rng, self.day
        others = [x for x in self.shape.seats if x != item.department_id]
        parts = [item.department_id] + rng.sample(others, k=rng.randint(1, 2))
        lead = parts[-1]  # 其他: the last approving department
        c["department_id"], c["subject"] = lead, "other"
        self.steps[-1]["department_id"] = lead  # received by the lead
        c["deadline"] = self.add(d, item.promised_days)
        received = last
        for dept in parts:
            self.departments.append({
                "case_id": c["id"], "department_id": dept, "role": "lead" if dept == lead else "co",
                "promised_days": item.promised_days, "deadline": c["deadline"], "notified_at": received,
                "signed_off_at": None, "signed_off_by": None})
            if dept != lead:
                last = self.step(c, "sent", received, actor, dept, department=self.shape.departments[dept])
        mine = self.departments[-len(parts):]
        done = self.finish_day(d, c["deadline"], item.promised_days)
        for part in sorted(mine, key=lambda p: p["role"] == "lead"):  # the co-departments first
            on = done if part["role"] == "lead" else self.add(d, rng.randint(1, max(1, item.promised_days)))
            on = min(on, done)
            if on >= self.today:
                continue
            at = self.at(on, last)
            part["signed_off_at"], part["signed_off_by"] = at, self.shape.seats[part["department_id"]][0].staff_id
            last = self.step(c, "signed_off", at, part["signed_off_by"], part["department_id"])
        if all(p["signed_off_at"] for p in mine):
            last = self.finish(c, done, actor, last, rated=0.4)
        return last

    def step(self, c: dict, kind: str, at: datetime, actor: int | None, department_id: int | None,
             **detail: object) -> datetime:
        self.steps.append({"case_id": c["id"], "kind": kind, "at": at, "on_day": at.astimezone(self.zone).date(),
                           "actor_id": actor, "department_id": department_id, "detail": detail})
        return at

    def text(self, c: dict, kind: str, at: datetime) -> None:
        """As ``texts.text_applicant`` queues it, and sent a few seconds later."""
        if not c["applicant_phone"]:
            return
        seat = self.shape.seat_of.get(c["window_id"])
        department = self.shape.departments[c["department_id"]]
        place = (seat.location or f"{seat.number}号窗口") if seat else f"{department}窗口"
        item = self.shape.item_of[c["service_id"]]
        words = compose(kind, {"hall": self.shape.hall_name, "item": item.name, "case_no": c["case_number"],
                               "materials": c["missing_materials"], "reason": c["reason"], "place": place,
                               "status_url": status_url(PUBLIC_URL, c["status_token"])})
        self.texts.append({"hall_id": c["hall_id"], "case_id": c["id"], "phone": c["applicant_phone"], "kind": kind,
                           "text": words, "status": "sent", "attempts": 1,
                           "next_attempt_at": at + timedelta(seconds=30), "last_error": "", "created_at": at,
                           "sent_at": at + timedelta(seconds=2), "provider_id": ""})

    def rate(self, c: dict, at: datetime) -> None:
        """The case's one rating, by its notice's QR (一事一评)."""
        rng = self.rng
        level = rng.choices(("good", "fairly_good", "average", "poor"), (85, 10, 4, 1))[0]
        seat = self.shape.seat_of.get(c["window_id"])
        staff = seat.staff_id if seat else None
        self.ratings.append({"ticket_id": None, "case_id": c["id"], "hall_id": c["hall_id"],
                             "window_id": c["window_id"], "department_id": c["department_id"], "staff_id": staff,
                             "level": level, "channel": "qr", "reasons": ["slow"] if level == "poor" else [],
                             "comment": "", "created_at": at + timedelta(minutes=rng.uniform(5, 600))})

    def keep(self, c: dict) -> None:
        self.cases.append(c)
        parts = frozenset(p["department_id"] for p in self.departments if p["case_id"] == c["id"])
        self.written.append(Written(c["id"], c["case_number"], c["case_type"], c["status"], c["deadline"],
                                    c["status_token"], c["window_id"], c["department_id"], parts))


def write_days(db: Database, shape: Shape, calendar: WorkingCalendar, history: Plan, indexes: range,
               today: date, seed: int) -> list[Written]:
    """Write the planned days ``indexes`` (newest first), one transaction each; the cases written."""
    tables = ((Case.__table__, "cases"), (CaseStep.__table__, "steps"), (CaseDepartment.__table__, "departments"),
              (Rating.__table__, "ratings"), (TextMessage.__table__, "texts"))
    written: list[Written] = []
    for i in indexes:
        day = history.days[i]
        d = Day(shape, calendar, day, today, random.Random(seed * 1_000_003 + day.toordinal()))
        for n in range(history.counts[i]):
            d.case(history.first_ids[i] + n, f"{day.year}{history.first_numbers[i] + n:06d}")
        with db.writing() as s:
            conn = s.connection()
            for table, name in tables:
                rows = getattr(d, name)
                for start in range(0, len(rows), CHUNK):
                    conn.execute(table.insert(), rows[start:start + CHUNK])
            s.commit()
        written += d.written
    if not db.is_sqlite:
        with db.writer.connect() as conn:  # the explicit ids left the sequence behind
            conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))"))
            conn.commit()
        with db.writer.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")  # as autovacuum would after so many rows
    return written


def write_counters(db: Database, hall_id: int, history: Plan) -> None:
    """Each year's last case number, as registering left it: new cases number on from there."""
    with db.writing() as s:
        for year, count in history.per_year.items():
            s.merge(CaseCounter(hall_id=hall_id, year=year, last_number=count))
        s.commit()


# --- what the lists should show -----------------------------------------------------------

def _by_deadline(w: Written) -> tuple:
    """Open cases' order: soonest deadline first, none last, then the newest case first."""
    return (w.deadline is None, w.deadline or date.min, -w.id)


def expected(cases: dict[int, Written], calendar: WorkingCalendar, today: date, **f: Any) -> list[Written]:
    """The cases ``list_cases`` should return for the filter ``f``, in its order, from the history written."""
    soon = due_soon_until(calendar, today)
    due, department = f.get("due"), f.get("department_id")
    found = [w for w in cases.values() if
             (not f.get("case_type") or w.case_type == f["case_type"]) and
             (not department or w.department_id == department or department in w.parts) and
             (not f.get("window_id") or w.window_id == f["window_id"]) and
             (not due or w.status in OPEN) and
             (due != "overdue" or (w.deadline is not None and w.deadline < today)) and
             (due != "soon" or (w.deadline is not None and today <= w.deadline <= soon))]
    if due or f.get("status") in OPEN:
        return sorted(found, key=_by_deadline)
    return sorted(found, key=lambda w: -w.id)  # any other list: the newest first


# --- measuring ----------------------------------------------------------------------------

@dataclass
class Point:
    """One history: its size, what it holds, and each measure's seconds."""

    days: int
    cases: int
    first_day: date
    open: int
    overdue: int
    soon: int
    joint: int
    build_seconds: float
    times: dict[str, list[float]] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


MEASURES = (  # key, heading
    ("register", "register_case"), ("finish", "finish_case"), ("status", "lookup_status"),
    ("overdue", "list ?due=overdue"), ("soon", "list ?due=soon"), ("joint", "list ?case_type=joint"),
    ("desk", "a window's desk (2 lists)"), ("desks", "every desk at once"),
    ("page", "/office/cases"), ("page_overdue", "/office/cases?due=overdue"),
)
LISTS = (("overdue", {"due": "overdue"}), ("soon", {"due": "soon"}), ("joint", {"case_type": "joint"}))
PAGES = (("page", {}), ("page_overdue", {"due": "overdue"}))


@dataclass(frozen=True)
class Desk:
    """The window whose caller is measured (the one with the most open cases) and its staff member."""

    window_id: int
    department_id: int
    token: str  # its staff member's

    def lists(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """What the caller's desk reads after each event of the hall (caller/desk.py): the window's
        open cases, and its department's open joint ones; window staff see their department's only."""
        return ({"window_id": self.window_id, "due": "open"},
                {"department_id": self.department_id, "case_type": "joint", "due": "open"})


def desks_of(tokens: dict[int, str], shape: Shape, cases: dict[int, Written]) -> list[Desk]:
    """Every window's desk, the one with the most open cases first."""
    open_at = Counter(w.window_id for w in cases.values() if w.status in OPEN and w.window_id)
    seats = sorted(shape.seat_of.values(), key=lambda s: (-open_at[s.id], s.number))
    department = {s.id: d for d, ss in shape.seats.items() for s in ss}
    return [Desk(s.id, department[s.id], tokens[s.id]) for s in seats]


async def timed(repeat: int, fn: Callable[[int], Awaitable[Any]]) -> tuple[list[float], list[Any]]:
    """One run not counted, then ``repeat`` timed runs (``fn`` is given the run's number); the
    seconds and every result."""
    results = [await fn(0)]
    times = []
    for n in range(1, repeat + 1):
        start = time.perf_counter()
        results.append(await fn(n))
        times.append(time.perf_counter() - start)
    return times, results


def _numbers(ws: list[Written]) -> list[str]:
    return [w.case_number for w in ws]


class Measuring:
    """One size's measures against the running server, each checked against the history written."""

    def __init__(self, shape: Shape, point: Point, cases: dict[int, Written], calendar: WorkingCalendar,
                 repeat: int, rng: random.Random) -> None:
        self.shape, self.point, self.cases, self.calendar, self.repeat, self.rng = (
            shape, point, cases, calendar, repeat, rng)

    def today(self) -> date:
        """The server's day as it answers (the hall's time zone)."""
        return datetime.now(ZoneInfo(self.shape.timezone)).date()

    def check(self, what: str, got: list[str], f: dict[str, Any], limit: int) -> None:
        want = _numbers(expected(self.cases, self.calendar, self.today(), **f)[:limit])
        if got != want:
            self.point.wrong.append(f"{what} {f}: {len(got)} cases {got[:3]}…, written {len(want)} {want[:3]}…")

    async def lookups(self, public: HallClient) -> None:
        sample = self.rng.sample(list(self.cases.values()), k=min(self.repeat + 1, len(self.cases)))

        async def lookup(n: int) -> tuple[Written, dict]:
            w = sample[n % len(sample)]
            return w, await public.lookup_status(w.status_token)

        self.point.times["status"], looked = await timed(self.repeat, lookup)
        for w, got in looked:
            if (got.get("kind"), got.get("case_number"), got.get("status")) != ("case", w.case_number, w.status):
                self.point.wrong.append(f"lookup_status of {w.case_number}: {got.get('case_number')} "
                                        f"{got.get('status')}, written {w.status}")

    async def lists(self, api: HallClient) -> None:
        for key, f in LISTS:
            self.point.times[key], found = await timed(self.repeat, lambda n, f=f: api.list_cases(
                self.shape.hall_id, **f))
            self.check("list", [c["case_number"] for c in found[-1]], f, API_LIMIT)

    async def desks(self, staff: list[HallClient], desks: list[Desk]) -> None:
        """The busiest window's desk alone, then every window's at once, as after a ``case.changed``."""
        async def read(client: HallClient, desk: Desk) -> list[list[dict]]:
            return [await client.list_cases(self.shape.hall_id, **f) for f in desk.lists()]

        self.point.times["desk"], found = await timed(self.repeat, lambda n: read(staff[0], desks[0]))
        self.check_desk(desks[0], found[-1])
        self.point.times["desks"], found = await timed(self.repeat, lambda n: asyncio.gather(*(
            read(client, desk) for client, desk in zip(staff, desks, strict=True))))
        for desk, lists in zip(desks, found[-1], strict=True):
            self.check_desk(desk, lists)

    def check_desk(self, desk: Desk, lists: list[list[dict]]) -> None:
        for f, got in zip(desk.lists(), lists, strict=True):  # window staff see their department's only
            self.check("the desk's list", [c["case_number"] for c in got], f | {"department_id": desk.department_id},
                       API_LIMIT)

    async def pages(self, office: httpx.AsyncClient) -> None:
        r = await office.get("/office/cases", params={"hall": self.shape.hall_id})
        if r.status_code == 404:
            self.point.notes.append("/office/cases is not there (404): its measures skipped")
            return
        for key, f in PAGES:
            async def page(n: int, f: dict = f) -> str:
                r = await office.get("/office/cases", params={"hall": self.shape.hall_id, **f})
                r.raise_for_status()
                return r.text

            self.point.times[key], pages = await timed(self.repeat, page)
            self.check("/office/cases", re.findall(r'<tr data-key="([^"]+)"', pages[-1]), f, page_shown())

    async def register_and_finish(self, api: HallClient) -> None:
        """承诺件 as 业务科 enter what came by mail, then finished: afterwards as they were, all finished."""
        items = self.shape.items["promised"]
        item = max(zip(self.shape.weights["promised"], items, strict=True))[1]  # the most asked-for

        async def register(n: int) -> dict:
            return await api.register_case(item.id, "promised", fake_applicant(self.rng),
                                           idempotency_key=uuid.uuid4().hex, channel="mail",
                                           materials_received=list(item.materials))

        self.point.times["register"], registered = await timed(self.repeat, register)
        it = iter(registered)
        self.point.times["finish"], finished = await timed(self.repeat, lambda n: api.finish_case(next(it)["id"]))
        for c in finished:
            if c["status"] != "finished":
                self.point.wrong.append(f"finish_case {c['case_number']}: {c['status']}")
            self.cases[c["id"]] = Written(c["id"], c["case_number"], "promised", c["status"],
                                          date.fromisoformat(c["deadline"]) if c["deadline"] else None,
                                          c["status_token"], None, item.department_id, frozenset())


async def measure_point(url: str, demo: dict, desks: list[Desk], m: Measuring) -> None:
    business = demo["business"]
    async with HallClient(url, timeout=600) as api, HallClient(url, timeout=600) as public, \
            contextlib.AsyncExitStack() as stack, httpx.AsyncClient(base_url=url, timeout=600) as office:
        await api.login(business["username"], business["password"])
        staff = [await stack.enter_async_context(HallClient(url, desk.token, timeout=600)) for desk in desks]
        r = await office.post("/office/login", data={"username": business["username"],
                                                     "password": business["password"], "next": "/office/"})
        if r.status_code != 303:
            raise RuntimeError(f"the office refused {business['username']}: {r.status_code} {r.text[:200]}")
        await m.lookups(public)
        await m.lists(api)
        await m.desks(staff, desks)
        await m.pages(office)
        await m.register_and_finish(api)  # last: the lists above saw the history alone


def page_shown() -> int:
    """How many cases /office/cases shows (its SHOWN); 200 if the page's module is not there."""
    try:
        from hall_server.office.cases import SHOWN
    except ImportError:
        return 200
    return SHOWN


@contextlib.contextmanager
def texts_to(path: Path) -> Iterator[None]:
    """The server's texts to a file of the scratch folder (``HALL_SMS_FILE``), not the working directory."""
    before = os.environ.get("HALL_SMS_FILE")
    os.environ["HALL_SMS_FILE"] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("HALL_SMS_FILE", None)
        else:
            os.environ["HALL_SMS_FILE"] = before


def explain(db: Database, shape: Shape, calendar: WorkingCalendar, today: date, desk: Desk) -> str:
    """Each list's statement as ``list_cases`` sends it, and the database's plan for it."""
    window, joint = desk.lists()
    lists = [(f"?{'&'.join(f'{k}={v}' for k, v in f.items())}", f) for _, f in LISTS]
    lists += [("the desk: its window's open cases", window | {"department_id": desk.department_id}),
              ("the desk: its department's open joint cases", joint),
              ("/office/cases as it opens", {"limit": page_shown() + 1})]
    out = []
    for name, f in lists:
        sent: list[tuple[str, Any]] = []

        def capture(conn, cursor, statement, parameters, context, executemany, sent=sent) -> None:
            if "FROM cases" in statement and not sent:
                sent.append((statement, parameters))

        event.listen(db.reader, "before_cursor_execute", capture)
        try:
            with db.read_session() as s:
                list_cases(s, shape.hall_id, CaseFilter(**({"limit": API_LIMIT} | f)), calendar, today)
        finally:
            event.remove(db.reader, "before_cursor_execute", capture)
        statement, parameters = sent[0]
        with db.reader.connect() as conn:
            prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "
            rows = conn.exec_driver_sql(prefix + statement, parameters).all()
        out.append(f"{name}:\n    " + "\n    ".join(r[-1] if db.is_sqlite else r[0] for r in rows))
    return "\n".join(out)


def run_one(kind: str, sizes: Sizes, pg_admin_url: str, show_plans: bool) -> list[Point]:
    """A scratch database of ``kind``: the history grows backwards to each size, measured each time."""
    from bench.run import scratch_database, serving

    points = []
    with tempfile.TemporaryDirectory(prefix="hall-bench-cases-") as tmp, \
            scratch_database(kind, pg_admin_url, Path(tmp)) as url:
        db = Database(url)
        try:
            db.migrate()
            demo = load_demo(db)
            hall_id = next(h["id"] for h in demo["halls"] if h["key"] == BENCH_HALL)
            tokens = seat_staff(db, hall_id)
            shape = shape_of(db, hall_id, demo["business"]["username"])
            today = datetime.now(ZoneInfo(shape.timezone)).date()
            years = max(sizes.cases) / sizes.per_year
            calendar = history_calendar(db, hall_id, today.year - int(years) - 2)
            history = plan(calendar, today, max(sizes.cases), sizes.per_year, seed=7)
            write_counters(db, hall_id, history)
            cases: dict[int, Written] = {}
            rng = random.Random(11)
            desks: list[Desk] = []
            with texts_to(Path(tmp) / "texts.jsonl"), serving(url, Path(tmp) / "serve.log") as server:
                done = 0
                for size in sizes.cases:
                    upto = history.days_for(size)
                    print(f"{kind}: {size:,} cases, days {done + 1}..{upto} back ...", file=sys.stderr, flush=True)
                    start = time.perf_counter()
                    for w in write_days(db, shape, calendar, history, range(done, upto), today, seed=7):
                        cases[w.id] = w
                    done = upto
                    built = time.perf_counter() - start
                    hall_calendar = _hall_calendar(db, hall_id)
                    chosen = not desks
                    desks = desks or desks_of(tokens, shape, cases)
                    point = Point(upto, len(cases), history.days[upto - 1],
                                  sum(w.status in OPEN for w in cases.values()),
                                  len(expected(cases, hall_calendar, today, due="overdue")),
                                  len(expected(cases, hall_calendar, today, due="soon")),
                                  sum(w.case_type == "joint" for w in cases.values()), built)
                    if chosen:
                        seat = shape.seat_of[desks[0].window_id]
                        busiest = sum(w.window_id == seat.id and w.status in OPEN for w in cases.values())
                        name = shape.departments[desks[0].department_id]
                        point.notes.append(f"the desk: window {seat.number} ({name}), {busiest} open cases; "
                                           f"every desk: the {len(desks)} windows'")
                    m = Measuring(shape, point, cases, hall_calendar, sizes.repeat, rng)
                    asyncio.run(measure_point(server.url, demo, desks, m))
                    if show_plans:
                        point.notes.append("plans:\n" + explain(db, shape, hall_calendar, today, desks[0]))
                    points.append(point)
        finally:
            db.dispose()
    return points


def _hall_calendar(db: Database, hall_id: int) -> WorkingCalendar:
    with db.read_session() as s:
        return load_calendar(s, hall_id)


# --- report -------------------------------------------------------------------------------

def _ms(values: list[float] | None) -> str:
    return f"{statistics.median(values) * 1000:,.1f}" if values else "–"


def table(points: list[Point]) -> str:
    lines = ["| history | cases | open / overdue / due soon | " + " | ".join(h for _, h in MEASURES) + " |",
             "|---|--:|--:|" + "--:|" * len(MEASURES)]
    for p in points:
        lines.append(f"| {p.days:,} working days from {p.first_day} | {p.cases:,} | "
                     f"{p.open} / {p.overdue} / {p.soon} | "
                     + " | ".join(_ms(p.times.get(k)) for k, _ in MEASURES) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog="python -m bench.cases", description=__doc__.split("\n\n")[0])
    p.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--cases", help="history sizes in cases, growing, comma-separated (default 3500,40000,200000)")
    p.add_argument("--per-year", type=int, help="cases the hall registers a year (default 40000)")
    p.add_argument("--repeat", type=int, help="timed runs of each measure (default 20); the median is shown")
    p.add_argument("--explain", action="store_true", help="print each list's query plan at each size")
    p.add_argument("--smoke", action="store_true", help="a tiny history: that every part runs, no figures to keep")
    p.add_argument("--pg-url", default=os.environ.get("HALL_BENCH_PG_URL") or os.environ.get(
        "HALL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to connect to for creating the scratch database")
    a = p.parse_args(argv)
    base = SMOKE if a.smoke else FULL
    sizes = Sizes(tuple(sorted(int(n) for n in a.cases.split(","))) if a.cases else base.cases,
                  a.per_year or base.per_year, a.repeat or base.repeat)
    kinds = ["sqlite", "postgresql"] if a.database == "both" else [a.database]
    results = {kind: run_one(kind, sizes, a.pg_url, a.explain) for kind in kinds}
    from bench.run import machine

    runs = f"{sizes.repeat} runs" if sizes.repeat > 1 else "1 run"
    print(f"`python -m bench.cases {' '.join(argv)}`: milliseconds, median of {runs} after one "
          f"not counted; {sizes.per_year:,} cases a year")
    for kind, points in results.items():
        print(f"\n{'SQLite' if kind == 'sqlite' else 'PostgreSQL'}\n")
        print(table(points))
        print("\nhistory written in (s): " + ", ".join(f"to {p.cases:,} cases {p.build_seconds:.0f}" for p in points))
        for p in points:
            for note in p.notes:
                print(f"\n{p.cases:,} cases: {note}")
    print()
    print(machine())
    wrong = [f"{kind} {p.cases:,} cases: {w}" for kind, points in results.items() for p in points for w in p.wrong]
    if wrong:
        print("\nLISTS WRONG:\n" + "\n".join(wrong), file=sys.stderr)
        return 1
    print("\nevery list, page and status matches the history written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
