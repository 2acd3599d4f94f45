"""A stateful property test of cases (办件) against a real database, SQLite and PostgreSQL.

Hypothesis registers cases of every type (by window staff at a window, by 业务科: urgent ones,
back-entered ones, joint ones with 税务局 and a random subject), lets hours and days pass (into 2027,
a year the hall's calendar does not have until 督查科 enter it), and makes random moves on random
cases by random people (the case's own staff, another department's, 业务科, 督查科, a leader, the
admin): materials completed on random dates, sign-offs, finish, return, 复核 asked and decided,
extensions, notices printed, ratings of the case and of the ticket that brought it. It calls the
service functions the API calls, with ``Actor`` objects as ``test_window_machine`` does.

Every move's outcome is predicted from the rules (who may, in which status, with what input) and
compared: refused, done, or a retry answered without a change. A refused move must change nothing.
After every step the rules a center relies on are checked over every case:

- the record: steps are only appended (earlier ones keep their id, kind, time, day, actor, detail),
  step times never go backwards, a step never counts for a day before acceptance or after it was
  written; what a case was registered as (number, type, dates, applicant, item) never changes; a
  department's sign-off, once given, stays;
- status and fields: the status and 复核 status are what the steps say; waiting for materials ⇔ an
  open 补办件 with no clock start (and then no deadline); in progress ⇒ a deadline and a clock
  start; in review (退回件 being decided) ⇒ a 退回件; finished or returned ⇔ a finished_on, not
  before acceptance; a returned case has its reason; only an urgent case has an urgent note, and
  only 业务科 or an admin registered it; a joint case has one lead row, the lead the subject names
  (or 业务科 chose), a co-department notified at once, and is finished only once every department
  signed off, each department's row keeping the limit it was given at acceptance; a case of one
  department has no department rows;
- the deadline is what the pure rules say from the recorded dates: ``rules.deadline_for`` from the
  case's clock start (acceptance; the day its materials were complete; the day a 复核 overturned its
  return), then ``add_working_days`` for each extension since, on the calendar of the moment each
  was set, and counted again (from the start, with the extensions since) on the calendar of the
  moment 督查科 entered a year it reaches into (a ``deadline_recounted`` step, with the dates
  before and after); ``deadline_provisional`` is what that calendar said;
- what the window and office see (``case_payload``, on the hall's current calendar):
  ``days_overdue`` equals ``rules.days_overdue`` and a plain count of the working days after the
  deadline up to and including the day it finished or was returned (today while open); ``overdue``
  is exactly ``days_overdue > 0`` (the code's rule: so an open case whose deadline was Friday is not
  overdue on Saturday or Sunday, and is on Monday); ``due_soon`` only for open cases;
  ``open_past_day`` only for an open 即办件 after its day;
- case numbers: unique, and per hall and year of acceptance exactly 1..N with the year's counter at N;
- ratings: at most one per case, counting a rating of the ticket that brought it; the case's rating
  shown is that one; a case is rated only when finished or returned.

It found, and now guards: a 补办件 told only the missing items the window named rather than all of
them (一次性告知), and a 补办件 returned before its materials came whose clock an overturned 复核
started without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import delete, func, select, update

from hall_queue.working_days import WorkingCalendar
from hall_server.auth.models import Role, User
from hall_server.auth.service import Actor, login, resolve_with_expiry
from hall_server.cases import progress, rules
from hall_server.cases.calendar import DayEntry, load_calendar, set_calendar_days
from hall_server.cases.models import CalendarDay, CalendarYear, Case, CaseCounter, CaseDepartment, CaseStep
from hall_server.cases.register import Registration, register_case
from hall_server.cases.rules import CaseStatus, CaseType, Subject
from hall_server.cases.views import case_payload, case_rating
from hall_server.catalog.models import Department, Hall, Window
from hall_server.clock import Clock
from hall_server.db import Database
from hall_server.errors import HallError
from hall_server.evaluation.models import Rating, RatingLevel
from hall_server.evaluation.service import rate_case, rate_ticket
from hall_server.events.models import Event
from hall_server.events.outbox import commit
from hall_server.notify.models import TextMessage
from hall_server.tickets import calling
from hall_server.tickets.issuing import issue_ticket
from hall_server.tickets.models import QueueTally, Ticket
from tests.hall_server.cases.support import COMPANY, GS1_MATERIALS, PERSON
from tests.harness import OPEN_MOMENT, seed_hall

TZ = ZoneInfo("Asia/Shanghai")  # the test hall's
BASE_URL = "http://hall.test"
WINDOWS = (1, 2, 3)
WINDOW_DEPT = {1: "GS", 2: "GS", 3: "SW"}
WINDOW_SERVICES = {1: ("GS-1", "GS-2"), 2: ("GS-1",), 3: ("SW-1",)}
KIOSK_SERVICE = {1: "GS-1", 2: "GS-1", 3: "SW-1"}  # what the applicant at each window came for
SERVICE_DEPT = {"GS-1": "GS", "GS-2": "GS", "SW-1": "SW"}
LISTED = {"GS-1": GS1_MATERIALS, "GS-2": [], "SW-1": []}
PEOPLE = ("staff1", "staff2", "staff3", "business", "supervisor", "leader", "admin")
CENTER = ("business", "admin")  # 业务科 and the admin: back entry, urgent cases, 复核
BAD_PERSON = {**PERSON, "id_number": "110105194912310021"}  # a wrong check digit
OPEN = {s.value for s in rules.OPEN}
# 督查科 enter 2027 (not in the library): candidates for its holidays and 调休 Saturdays, and a slip (a
# Monday marked worked) that is refused.
YEAR_2027 = ((date(2027, 1, 1), False), (date(2027, 1, 4), False), (date(2027, 1, 5), False),
             (date(2027, 1, 9), True), (date(2027, 2, 6), True), (date(2027, 2, 8), False),
             (date(2027, 2, 9), False))
SLIP = (date(2027, 1, 11), True)

# who tries a move, as the case sees them: "own" is a staff member of one of its departments, "other" one of
# a department it does not concern; the case's own staff and 业务科 most often, so that cases move
movers = st.sampled_from(("own", "own", "own", "business", "admin", "other", "supervisor", "leader"))
reviewers = st.sampled_from(("business", "business", "admin", "own", "supervisor", "leader"))
extenders = st.sampled_from(("supervisor", "supervisor", "business", "admin", "own", "leader"))
reasons = st.sampled_from(["主件《设立登记申请书》未提供", "现场核查不符合条件", "", "   "])
notes = st.sampled_from(["材料已齐,应予受理", "维持原决定", ""])


@dataclass
class Shared:
    """Made once per database: the hall, its people, departments and the calendar it was seeded with."""

    url: str
    hall_id: int
    services: dict[str, int]
    windows: dict[int, int]
    departments: dict[str, int]
    actors: dict[str, Actor]
    base_calendar: WorkingCalendar


FLAWS = ("applicant", "window", "future", "staff_back", "reason", "note", "unknown_material", "incomplete",
         "nothing_missing", "told_in_part", "department", "alone", "role", "ticket", "staff_lead", "urgent_by_staff")


@st.composite
def registrations(draw):
    """What a window or 业务科 sends to register a case: right as the type needs, or with one flaw."""
    who = draw(st.sampled_from(("staff1", "staff1", "staff2", "staff3", "business", "business", "admin")))
    case_type = draw(st.sampled_from([t for t in CaseType if t is not CaseType.URGENT or who in CENTER]))
    own = int(who[-1]) if who.startswith("staff") else None
    service = draw(st.sampled_from(WINDOW_SERVICES[own] if own else ("GS-1", "GS-1", "GS-1", "GS-2", "SW-1")))
    received, missing = None, []
    if service == "GS-1":
        if case_type is CaseType.SUPPLEMENT:
            received = draw(st.lists(st.sampled_from(GS1_MATERIALS), unique=True, max_size=2))
        else:
            received = draw(st.sampled_from([GS1_MATERIALS, None]))
    elif case_type is CaseType.SUPPLEMENT:
        missing = ["补充说明"]
    r = SimpleNamespace(
        who=who, case_type=case_type, window=own if own else draw(st.sampled_from([None, None, None, 1, 3])),
        service=service, received=received, missing=missing,
        back=None if own else draw(st.sampled_from([None, None, 0, 1, 3, 9, 30, 60])),
        reason=draw(st.sampled_from(["主件《设立登记申请书》未提供", "现场核查不符合条件"])),
        decided_now=draw(st.booleans()), subject=draw(st.sampled_from(list(Subject))),
        departments=draw(st.sampled_from([["GS"], ["GS", "BK"]] if service == "SW-1" else [["SW"], ["SW", "BK"]])),
        lead=draw(st.sampled_from([None, None, None, "SW", "GS"])) if who in CENTER else None,
        urgent_note="市重点项目,当日办理", applicant=draw(st.sampled_from([PERSON, PERSON, COMPANY])),
        ticket=draw(st.sampled_from([None, "current"])), ticket_pick=0, keyed=draw(st.booleans()),
    )
    flaw = draw(st.sampled_from((None,) * 24 + FLAWS))
    if flaw == "applicant":
        r.applicant = BAD_PERSON
    elif flaw == "window":  # another window, or another department's
        r.window = draw(st.sampled_from([1, 2, 3]))
    elif flaw == "future":
        r.back = -1
    elif flaw == "staff_back":
        r.back = draw(st.sampled_from([0, 2]))  # the day itself is no back entry
    elif flaw == "reason":
        r.reason = draw(st.sampled_from(["", "  "]))
    elif flaw == "note":
        r.urgent_note = " "
    elif flaw == "unknown_material":
        r.received = ["营业执照"]
    elif flaw == "incomplete":
        r.received = GS1_MATERIALS[:2]
    elif flaw == "nothing_missing":
        r.received, r.missing = (GS1_MATERIALS, []) if service == "GS-1" else (None, [" "])
    elif flaw == "told_in_part":  # told one missing item of several
        r.received, r.missing = [GS1_MATERIALS[0]], draw(st.sampled_from([["公司章程"], ["补充说明"]]))
    elif flaw == "department":
        r.departments = draw(st.sampled_from([[], ["GS"], ["SW"], ["SW", "nowhere"]]))
    elif flaw == "alone":
        r.departments = []
    elif flaw == "role":
        r.who = draw(st.sampled_from(["supervisor", "leader"]))
    elif flaw == "ticket":
        r.ticket, r.ticket_pick = "any", draw(st.integers(0, 50))
    elif flaw == "staff_lead":
        r.lead = "SW"
    elif flaw == "urgent_by_staff":
        r.case_type = CaseType.URGENT
    return r


class CaseMachine(RuleBasedStateMachine):
    shared: Shared

    # ---- setting up -------------------------------------------------------------------------------

    @initialize()
    def open_hall(self):
        """Each example starts on the same Wednesday morning with no cases, tickets or 2027."""
        sh = CaseMachine.shared
        self.clock = Clock()
        self.clock.set(OPEN_MOMENT)
        self.db = Database(sh.url)
        with self.db.writing() as s:
            for model in (Rating, TextMessage, CaseStep, CaseDepartment, Case, CaseCounter):
                s.execute(delete(model))
            s.execute(update(Window).values(current_ticket_id=None, last_finished_ticket_id=None, state="closed",
                                            staff_id=None))
            s.execute(delete(QueueTally))
            s.execute(delete(Ticket))
            s.execute(delete(CalendarDay).where(CalendarDay.day >= date(2027, 1, 1)))
            s.execute(delete(CalendarYear).where(CalendarYear.year >= 2027))
            for n in WINDOWS:
                calling.sign_in(s, self.clock.now(), calling.load_window(s, sh.windows[n]), sh.actors[f"staff{n}"])
            commit(s)
        # the calendar in force for steps after a step id: entering a year adds a version
        self.calendars: list[tuple[int, WorkingCalendar]] = [(0, sh.base_calendar)]
        self.seen: dict[int, dict] = {}  # what each case was registered as, its steps and sign-offs so far
        self.registered: dict[int, SimpleNamespace] = {}  # the machine's own memory of each registration
        self.keyed: list[tuple[str, Registration, int]] = []
        self.keys = 0

    def teardown(self):
        if hasattr(self, "db"):
            self.db.dispose()

    # ---- helpers -----------------------------------------------------------------------------------

    def _today(self) -> date:
        return self.clock.now().astimezone(TZ).date()

    def _calendar(self, step_id: int) -> WorkingCalendar:
        cal = self.calendars[0][1]
        for after, version in self.calendars:
            if step_id > after:
                cal = version
        return cal

    def _fingerprint(self):
        """Everything a case move or a registration may touch."""
        with self.db.read_session() as s:
            rows = [s.execute(select(t).order_by(*t.primary_key.columns)).all() for t in (
                Case.__table__, CaseStep.__table__, CaseDepartment.__table__, CaseCounter.__table__,
                Rating.__table__, CalendarDay.__table__, CalendarYear.__table__)]
            rows.append(s.execute(select(TextMessage.id, TextMessage.case_id, TextMessage.kind)
                                  .order_by(TextMessage.id)).all())
            rows.append(s.execute(select(Ticket.id, Ticket.status, Ticket.window_id, Ticket.target_window_id)
                                  .order_by(Ticket.id)).all())
            rows.append(s.execute(select(Window.id, Window.staff_id, Window.state, Window.current_ticket_id)
                                  .order_by(Window.id)).all())
            rows.append(s.scalar(select(func.count()).select_from(Event)))
            return rows

    def _write(self, fn, expect: str | None = None, what: str = ""):
        """Run a service call in a write transaction. ``expect``: "done" (something changed), "same" (a
        retry answered with nothing changed), "refused", or None (any). A refusal changes nothing."""
        before = self._fingerprint()
        result, refused = None, None
        with self.db.writing() as s:
            try:
                result = fn(s, self.clock.now())
                commit(s)
            except HallError as exc:
                refused = exc.code
                s.rollback()
        after = self._fingerprint()
        if refused is not None:
            assert after == before, f"{what}: refused ({refused}) but something changed"
        if expect == "refused":
            assert refused is not None, f"{what}: not refused"
        elif expect == "done":
            assert refused is None, f"{what}: refused ({refused})"
            assert after != before, f"{what}: accepted but nothing recorded"
        elif expect == "same":
            assert refused is None, f"{what}: a retry refused ({refused})"
            assert after == before, f"{what}: a retry changed something"
        return result, refused

    def _own_department(self, who: str) -> int | None:
        """The department of the window a staff member is signed in at."""
        if not who.startswith("staff"):
            return None
        sh = CaseMachine.shared
        with self.db.read_session() as s:
            return s.scalar(select(Window.department_id).where(Window.staff_id == sh.actors[who].user_id))

    def _may_move(self, who: str, case, department_id: int | None = None) -> bool:
        """业务科 and the admin move any case; staff only their lead department's (a joint case's
        co-department: only its own part, ``department_id``)."""
        if who in CENTER:
            return True
        if not who.startswith("staff"):
            return False
        own = self._own_department(who)
        return own is not None and own == (department_id or case.department_id)

    def _resolve(self, who: str, c, pick: int) -> str:
        """"own": staff at a window of one of the case's departments (业务科 where none has a window);
        "other": staff of a department the case does not concern (a leader where there is none)."""
        sh = CaseMachine.shared
        mine = [c.department_id] + [d.department_id for d in c.parts if d.department_id != c.department_id]
        if who == "own":
            code = next(k for k, v in sh.departments.items() if v == mine[pick % len(mine)])
            staff = [f"staff{n}" for n in WINDOWS if WINDOW_DEPT[n] == code]
            return staff[pick // 2 % len(staff)] if staff else "business"
        if who == "other":
            return next((f"staff{n}" for n in WINDOWS if sh.departments[WINDOW_DEPT[n]] not in mine), "leader")
        return who

    def _view(self, pick: int, aim: bool = False, case_id: int | None = None, **wanted):
        """A case as it stands before a move, as plain values: with ``aim``, one of those matching
        ``wanted`` (e.g. status="returned") when there is one, so that long paths are walked too."""
        with self.db.read_session() as s:
            q = select(Case.id).order_by(Case.id)
            ids = list(s.scalars(q))
            if aim:
                for field, value in wanted.items():
                    q = q.where(getattr(Case, field).in_(value if isinstance(value, tuple) else (value,)))
                ids = list(s.scalars(q)) or ids
            case = s.get(Case, case_id or ids[pick % len(ids)])
            return SimpleNamespace(
                id=case.id, status=case.status, case_type=case.case_type, department_id=case.department_id,
                parts=[SimpleNamespace(department_id=d.department_id, role=d.role, signed=d.signed_off_at is not None)
                       for d in case.departments],
                steps=[SimpleNamespace(kind=x.kind, at=x.at, detail=dict(x.detail)) for x in case.steps],
                review_status=case.review_status, accepted_on=case.accepted_on,
                clock_started_on=case.clock_started_on, deadline=case.deadline,
                rated=case_rating(s, case) is not None,
            )

    def _move(self, case_id: int, act, expect: str, what: str):
        sh = CaseMachine.shared

        def fn(s, now):
            case = progress.load_case(s, case_id)
            return act(s, now, case, load_calendar(s, sh.hall_id))

        return self._write(fn, expect, what)

    # ---- the hall around the cases ------------------------------------------------------------------

    @rule(hours=st.integers(1, 30))
    def hours_pass(self, hours):
        self.clock.advance(timedelta(hours=hours))

    @rule(days=st.sampled_from([1, 1, 2, 3, 5, 8, 20]))
    def days_pass(self, days):
        self.clock.advance(timedelta(days=days))

    @rule(minutes=st.integers(1, 15))
    def minutes_pass(self, minutes):
        self.clock.advance(timedelta(minutes=minutes))

    @rule(n=st.sampled_from(WINDOWS))
    def applicant_served(self, n):
        """An applicant takes a ticket at the kiosk and is called and served at window ``n``."""
        sh = CaseMachine.shared
        staff = sh.actors[f"staff{n}"]
        self._write(lambda s, now: issue_ticket(s, now, hall_id=sh.hall_id, service_id=sh.services[KIOSK_SERVICE[n]]))
        self._write(lambda s, now: calling.call_next(s, now, sh.windows[n], staff))
        self._write(lambda s, now: calling.start(s, now, calling.load_window(s, sh.windows[n]), staff))

    @rule(n=st.sampled_from(WINDOWS))
    def ticket_finished(self, n):
        sh = CaseMachine.shared
        self._write(lambda s, now: calling.finish(s, now, calling.load_window(s, sh.windows[n]),
                                                  sh.actors[f"staff{n}"]))

    @rule(n=st.sampled_from(WINDOWS))
    def staff_leave_or_return(self, n):
        """Staff sign out of their window, or back in: signed out, they move no case."""
        sh = CaseMachine.shared
        staff = sh.actors[f"staff{n}"]
        if self._own_department(f"staff{n}") is None:
            self._write(lambda s, now: calling.sign_in(s, now, calling.load_window(s, sh.windows[n]), staff))
        else:
            self._write(lambda s, now: calling.sign_out(s, now, calling.load_window(s, sh.windows[n]), staff))

    @rule(pick=st.integers(0, 50), level=st.sampled_from(list(RatingLevel)))
    def ticket_rated(self, pick, level):
        """The window's pad (or the ticket's QR) rates a finished ticket, once."""
        with self.db.read_session() as s:
            tickets = s.execute(select(Ticket.id).where(Ticket.status == "finished").order_by(Ticket.id)).all()
            if not tickets:
                return
            tid = tickets[pick % len(tickets)].id
            rated = s.scalar(select(Rating.id).where(Rating.ticket_id == tid)) is not None
        self._write(lambda s, now: rate_ticket(s, now, s.get(Ticket, tid), level, "pad"),
                    "refused" if rated else "done", "rate a ticket")

    @precondition(lambda self: self._today() >= date(2026, 12, 1) and len(self.calendars) < 3)
    @rule(days=st.sets(st.sampled_from(YEAR_2027), min_size=1, max_size=5), slip=st.sampled_from([False] * 4 + [True]))
    def year_entered(self, days, slip):
        """督查科 enter 2027's schedule; a slip (a Monday marked worked) is refused whole."""
        sh = CaseMachine.shared
        entries = [DayEntry(d, w, "元旦" if not w else "调休上班") for d, w in sorted(days) + ([SLIP] if slip else [])]
        with self.db.read_session() as s:
            last_step = s.scalar(select(func.coalesce(func.max(CaseStep.id), 0)))
        _, refused = self._write(lambda s, now: set_calendar_days(s, now, sh.hall_id, 2027, entries,
                                                                 sh.actors["supervisor"].user_id),
                                 "refused" if slip else "done", "enter 2027")
        if refused is None:
            base = sh.base_calendar
            self.calendars.append((last_step, WorkingCalendar(
                {**base.changes, **{d: w for d, w in days}}, base.entered | {2027})))

    # ---- registering ---------------------------------------------------------------------------------

    def _expected_registration(self, r: SimpleNamespace, reg: Registration, ticket) -> tuple[bool, list[str], int]:
        """Whether the rules admit this registration; the missing materials it records and its lead."""
        sh = CaseMachine.shared
        today, center, staff = self._today(), r.who in CENTER, r.who.startswith("staff")
        ok = r.who in CENTER or staff
        ok &= reg.case_type is not CaseType.URGENT or center
        if reg.accepted_on is not None and reg.accepted_on != today:
            ok &= center and reg.accepted_on < today
        ok &= reg.lead_department_id is None or center
        ok &= reg.case_type is not CaseType.URGENT or bool(reg.urgent_note.strip())
        ok &= not (reg.case_type is CaseType.RETURNED and reg.decided_now and not reg.reason.strip())
        listed = LISTED[r.service]
        missing = [m.strip() for m in reg.missing_materials if m.strip()]
        if reg.materials_received is not None:
            ok &= all(m in listed for m in reg.materials_received)
            computed = [m for m in listed if m not in reg.materials_received]  # 一次性告知: all at once
            missing = computed + [m for m in missing if m not in computed]
        if reg.case_type is CaseType.SUPPLEMENT:
            ok &= bool(missing)
        else:
            ok &= not missing or reg.case_type is CaseType.RETURNED
            missing = []
        if r.window is None:
            ok &= not staff
        else:
            ok &= not staff or self._own_department(r.who) is not None and r.window == int(r.who[-1])
            ok &= WINDOW_DEPT[r.window] == SERVICE_DEPT[r.service] or r.service in WINDOW_SERVICES[r.window]
        if ticket is not None and r.window is not None:
            ok &= ticket.window_id == sh.windows[r.window] and ticket.business_date == today
        ok &= r.applicant is not BAD_PERSON
        lead = sh.departments[SERVICE_DEPT[r.service]]
        if reg.case_type is CaseType.JOINT:
            ids = [lead] + [d for d in reg.departments if d != lead]
            ok &= all(i in sh.departments.values() for i in ids) and len(ids) >= 2
            if reg.lead_department_id is not None:
                ok &= reg.lead_department_id in ids
                lead = reg.lead_department_id
            elif reg.subject is Subject.INDIVIDUAL and sh.departments["GS"] in ids:
                lead = sh.departments["GS"]  # 个体工商户 → 工商 (市场监督管理局)
            else:
                lead = ids[-1]  # the last approving department
        return ok, missing, lead

    @rule(r=registrations())
    def register(self, r):
        sh = CaseMachine.shared
        today = self._today()
        with self.db.read_session() as s:
            ticket = None
            if r.ticket == "current":
                w = s.get(Window, sh.windows[r.window or 1])
                ticket = s.get(Ticket, w.current_ticket_id) if w.current_ticket_id else None
            elif r.ticket == "any":
                ids = list(s.scalars(select(Ticket.id).order_by(Ticket.id)))
                ticket = s.get(Ticket, ids[r.ticket_pick % len(ids)]) if ids else None
            ticket = SimpleNamespace(id=ticket.id, window_id=ticket.window_id,
                                     business_date=ticket.business_date) if ticket else None
        self.keys += 1
        dept = sh.departments
        reg = Registration(
            service_id=sh.services[r.service], case_type=r.case_type, applicant_name=r.applicant["name"],
            applicant_kind=r.applicant["kind"], id_number=r.applicant["id_number"], phone=r.applicant["phone"],
            ticket_id=ticket.id if ticket else None, window_id=sh.windows[r.window] if r.window else None,
            accepted_on=today - timedelta(days=r.back) if r.back is not None else None,
            channel="mail" if r.back else "window",
            materials_received=list(r.received) if r.received is not None and r.service == "GS-1" else None,
            missing_materials=list(r.missing), reason=r.reason, decided_now=r.decided_now, subject=r.subject,
            departments=[dept.get(c, 999_999) for c in r.departments],
            lead_department_id=dept[r.lead] if r.lead else None,
            urgent_note=r.urgent_note, idempotency_key=f"reg-{self.keys}" if r.keyed else None,
        )
        ok, missing, lead = self._expected_registration(r, reg, ticket)
        actor = sh.actors[r.who]
        with self.db.read_session() as s:
            year = (reg.accepted_on or today).year
            last = s.scalar(select(CaseCounter.last_number).where(CaseCounter.year == year)) or 0
        made, refused = self._write(
            lambda s, now: register_case(s, now, actor, reg, lambda h: load_calendar(s, h), BASE_URL).id,
            "done" if ok else "refused", f"register {r.case_type.value} by {r.who}")
        if refused is not None:
            return
        self.registered[made] = SimpleNamespace(decided_now=reg.decided_now, lead=lead)
        if reg.idempotency_key:
            self.keyed.append((r.who, reg, made))
        with self.db.read_session() as s:
            case = s.get(Case, made)
            accepted = reg.accepted_on or today
            assert case.case_number == f"{year}{last + 1:06d}", case.case_number
            assert case.accepted_on == accepted and case.department_id == lead
            assert case.status == rules.first_status(r.case_type, decided_now=reg.decided_now).value
            assert list(case.missing_materials) == missing
            if r.case_type is CaseType.SUPPLEMENT and reg.materials_received is not None:
                assert set(LISTED[r.service]) - set(reg.materials_received) <= set(case.missing_materials), \
                    ("not every missing item told at once", reg.materials_received, case.missing_materials)
            assert case.registered_by == actor.user_id
            kinds = [x.kind for x in case.steps]
            co = [d for d in case.departments if d.role == "co"]
            assert kinds == ["received"] + ["sent"] * len(co) + (
                ["returned"] if case.status == CaseStatus.RETURNED else []), kinds
            if r.case_type is CaseType.URGENT:  # straight to the lead window, ahead of its queue when open
                assert case.window_id is not None
                t = s.get(Ticket, case.ticket_id) if case.ticket_id else None
                assert t is None or (t.priority == "urgent" and t.target_window_id == case.window_id)

    @precondition(lambda self: self.keyed)
    @rule(pick=st.integers(0, 50))
    def registration_retried(self, pick):
        """The same registration sent again with its key (a lost answer) is the one case, unchanged."""
        who, reg, made = self.keyed[pick % len(self.keyed)]
        actor = CaseMachine.shared.actors[who]
        again, _ = self._write(lambda s, now: register_case(s, now, actor, reg, lambda h: load_calendar(s, h),
                                                            BASE_URL).id, "same", "registration retried")
        assert again == made

    # ---- moving cases: each move's outcome predicted from the rules -----------------------------------

    def _complete(self, c, who: str, back: int) -> None:
        """补办件: the last missing item arrived ``back`` days ago (-1: tomorrow, refused)."""
        on = self._today() - timedelta(days=back)
        if not self._may_move(who, c):
            expect = "refused"
        elif c.status == CaseStatus.IN_PROGRESS and c.clock_started_on == on \
                and c.steps[-1].kind == "materials_completed":
            expect = "same"  # a retry after a lost answer
        elif c.status != CaseStatus.AWAITING_MATERIALS or not c.accepted_on <= on <= self._today():
            expect = "refused"
        else:
            expect = "done"
        actor = CaseMachine.shared.actors[who]
        self._move(c.id, lambda s, now, case, cal: progress.complete_materials(s, now, actor, case, on, cal),
                   expect, f"materials completed by {who} on {on}")

    def _sign(self, c, who: str, part: str | None) -> None:
        """A department's part of a joint case: its own staff, or 业务科 naming it."""
        sh = CaseMachine.shared
        dept = sh.departments[part] if part else (self._own_department(who) if who.startswith("staff") else None)
        row = next((d for d in c.parts if d.department_id == dept), None)
        waiting = any(d.role == "co" and not d.signed for d in c.parts)
        if c.case_type != CaseType.JOINT or row is None or not self._may_move(who, c, dept):
            expect = "refused"
        elif row.signed:
            expect = "same"  # a retry, even of the sign-off that finished the case
        elif c.status != CaseStatus.IN_PROGRESS or (row.role == "lead" and waiting):
            expect = "refused"  # the lead signs last
        else:
            expect = "done"
        actor = sh.actors[who]
        self._move(c.id, lambda s, now, case, cal: progress.sign_off(
            s, now, actor, case, sh.departments[part] if part else None, BASE_URL), expect, f"sign-off by {who}")

    def _finish(self, c, who: str) -> None:
        if not self._may_move(who, c):
            expect = "refused"
        elif c.status == CaseStatus.FINISHED:
            expect = "same"
        elif c.status != CaseStatus.IN_PROGRESS:
            expect = "refused"
        elif c.case_type == CaseType.JOINT:  # the lead's sign-off, once every co-department has signed
            waiting = any(d.role == "co" and not d.signed for d in c.parts)
            expect = "refused" if waiting or not self._may_move(who, c, c.department_id) else "done"
        else:
            expect = "done"
        actor = CaseMachine.shared.actors[who]
        self._move(c.id, lambda s, now, case, cal: progress.finish_case(s, now, actor, case, BASE_URL, "办结"),
                   expect, f"finish by {who}")

    def _return(self, c, who: str, reason: str) -> None:
        if not self._may_move(who, c) or not reason.strip():
            expect = "refused"
        elif c.status == CaseStatus.RETURNED:
            expect = "same"
        else:
            expect = "done" if c.status in OPEN else "refused"
        actor = CaseMachine.shared.actors[who]
        self._move(c.id, lambda s, now, case, cal: progress.return_case(s, now, actor, case, reason, BASE_URL),
                   expect, f"return by {who}")

    def _ask_review(self, c, who: str) -> None:
        """The applicant brings the 退回件通知书 to 业务科."""
        if who not in CENTER or c.status != CaseStatus.RETURNED:
            expect = "refused"
        else:
            expect = {"": "done", "requested": "same"}.get(c.review_status, "refused")
        actor = CaseMachine.shared.actors[who]
        self._move(c.id, lambda s, now, case, cal: progress.request_review(s, now, actor, case, "持通知书申请复核"),
                   expect, f"review asked through {who}")

    def _decide(self, c, who: str, overturned: bool, note: str) -> None:
        decision = "overturned" if overturned else "upheld"
        if who not in CENTER:
            expect = "refused"
        elif c.review_status == decision and c.steps[-1].kind == "review_decided":
            expect = "same"
        elif c.review_status != "requested" or not note.strip():
            expect = "refused"
        else:
            expect = "done"
        actor = CaseMachine.shared.actors[who]
        self._move(c.id, lambda s, now, case, cal: progress.decide_review(s, now, actor, case, overturned, note, cal),
                   expect, f"review {decision} by {who}")

    def _extend(self, c, who: str, days: int, reason: str) -> None:
        """No arbitrary extension: 业务科 or 督查科 only, with the reason recorded, 1 to 60 working days."""
        last = c.steps[-1]
        if who not in ("business", "supervisor", "admin") or c.status != CaseStatus.IN_PROGRESS \
                or not reason.strip() or not 1 <= days <= 60:
            expect = "refused"
        elif last.kind == "extended" and last.detail.get("days") == days and last.detail.get("reason") == reason \
                and self.clock.now() - last.at < progress.RETRY_WINDOW:
            expect = "same"  # the same extension sent again within ten minutes: granted once
        else:
            expect = "done"
        actor = CaseMachine.shared.actors[who]
        self._move(c.id, lambda s, now, case, cal: progress.extend_case(s, now, actor, case, days, reason, cal),
                   expect, f"extend {days} by {who}")

    def _print(self, c, who: str, copies: int) -> None:
        actor = CaseMachine.shared.actors[who]
        self._move(c.id, lambda s, now, case, cal: progress.notice_printed(s, now, actor, case, copies),
                   "done" if self._may_move(who, c) else "refused", f"notice printed by {who}")

    def _rate(self, c, level: RatingLevel) -> None:
        """一事一评: by the case's QR once it is finished or returned, unless it (or its ticket) was rated."""
        ok = c.status in (CaseStatus.FINISHED, CaseStatus.RETURNED) and not c.rated
        self._move(c.id, lambda s, now, case, cal: rate_case(s, now, case, level, "qr"),
                   "done" if ok else "refused", "rate a case")

    @precondition(lambda self: self.registered)
    @rule(pick=st.integers(0, 50), choices=st.lists(st.integers(0, 59), min_size=1, max_size=5),
          level=st.sampled_from(list(RatingLevel)))
    def case_moves_on(self, pick, choices, level):
        """The next moves a case is waiting for, by whoever should make them: how cases travel their whole
        path (materials, sign-offs, 办结, 退回, 复核, extension, rating) within a few dozen steps."""
        case_id = self._view(pick, True, status=("awaiting_materials", "in_progress", "in_review", "returned")).id
        for choice in choices:
            self._next_move(self._view(0, case_id=case_id), choice, level)

    def _next_move(self, c, choice: int, level: RatingLevel) -> None:
        sh = CaseMachine.shared
        own = self._resolve("own", c, choice)
        if c.status == CaseStatus.AWAITING_MATERIALS:
            if choice % 4 == 0:
                self._return(c, own, "补办材料逾期未交")
            else:
                self._complete(c, own, choice % 3)
        elif c.status == CaseStatus.IN_REVIEW:
            self._return(c, own, "现场核查不符合条件")
        elif c.status == CaseStatus.IN_PROGRESS:
            waiting = [d.department_id for d in c.parts if not d.signed and d.role == "co"]
            if choice % 6 == 0:
                self._extend(c, ("supervisor", "business")[choice % 2], 1 + choice % 3, "需要现场勘验,经分管领导批准")
            elif choice % 6 == 1:
                self._return(c, own, "现场核查不符合条件")
            elif waiting:
                dept = waiting[choice % len(waiting)]
                code = next(k for k, v in sh.departments.items() if v == dept)
                self._sign(c, self._resolve("own", SimpleNamespace(department_id=dept, parts=[]), choice), code)
            else:
                lead = SimpleNamespace(department_id=c.department_id, parts=[])
                self._finish(c, self._resolve("own", lead, choice))
        elif c.status == CaseStatus.RETURNED and c.review_status in ("", "requested") and choice % 3:
            if c.review_status == "":
                self._ask_review(c, "business")
            else:
                self._decide(c, ("business", "admin")[choice % 2], choice % 2 == 0, "经复核,退回理由不成立")
        else:
            self._rate(c, level)

    @precondition(lambda self: self.registered)
    @rule(pick=st.integers(0, 50), aim=st.booleans(), who=movers, back=st.sampled_from([0, 0, 1, 2, 4, 10, -1]))
    def materials_completed(self, pick, aim, who, back):
        c = self._view(pick, aim, status="awaiting_materials")
        self._complete(c, self._resolve(who, c, pick), back)

    @precondition(lambda self: self.registered)
    @rule(pick=st.integers(0, 50), aim=st.booleans(), who=movers, part=st.sampled_from([None, None, "GS", "SW", "BK"]))
    def signed_off(self, pick, aim, who, part):
        c = self._view(pick, aim, case_type="joint", status="in_progress")
        self._sign(c, self._resolve(who, c, pick), part)

    @precondition(lambda self: self.registered)
    @rule(pick=st.integers(0, 50), aim=st.booleans(), who=movers)
    def finished(self, pick, aim, who):
        c = self._view(pick, aim, status="in_progress")
        self._finish(c, self._resolve(who, c, pick))

    @precondition(lambda self: self.registered)
    @rule(pick=st.integers(0, 50), aim=st.booleans(), who=movers, reason=reasons)
    def returned(self, pick, aim, who, reason):
        c = self._view(pick, aim, status=("in_progress", "awaiting_materials", "in_review"))
        self._return(c, self._resolve(who, c, pick), reason)

    @precondition(lambda self: self.registered)
    @rule(pick=st.integers(0, 50), aim=st.booleans(), who=reviewers)
    def review_requested(self, pick, aim, who):
        c = self._view(pick, aim, status="returned")
        self._ask_review(c, self._resolve(who, c, pick))

    @precondition(lambda self: self.registered)
    @rule(pick=st.integers(0, 50), aim=st.booleans(), who=reviewers, overturned=st.booleans(), note=notes)
    def review_decided(self, pick, aim, who, overturned, note):
        c = self._view(pick, aim, review_status="requested")
        self._decide(c, self._resolve(who, c, pick), overturned, note)

    @precondition(lambda self: self.registered)
    @rule(pick=st.integers(0, 50), aim=st.booleans(), who=extenders, days=st.sampled_from([1, 2, 5, 0, 61]),
          reason=st.sampled_from(["需要现场勘验,经分管领导批准", "需要现场勘验,经分管领导批准", " "]))
    def extended(self, pick, aim, who, days, reason):
        c = self._view(pick, aim, status="in_progress")
        self._extend(c, self._resolve(who, c, pick), days, reason)

    @precondition(lambda self: self.registered)
    @rule(pick=st.integers(0, 50), who=movers, copies=st.integers(1, 4))
    def notice_printed(self, pick, who, copies):
        c = self._view(pick)
        self._print(c, self._resolve(who, c, pick), copies)

    @precondition(lambda self: self.registered)
    @rule(pick=st.integers(0, 50), aim=st.booleans(), level=st.sampled_from(list(RatingLevel)))
    def case_rated(self, pick, aim, level):
        self._rate(self._view(pick, aim, status=("finished", "returned")), level)

    # ---- the rules after every step --------------------------------------------------------------------

    def _expected_deadline(self, case: Case) -> tuple[object, date | None, bool]:
        """The clock start, deadline and its 暂定 flag the pure rules give from the recorded steps."""
        kind = CaseType(case.case_type)
        start, deadline, extra = None, None, 0
        in_review = kind is CaseType.RETURNED and not self.registered[case.id].decided_now
        for x in case.steps:
            cal = self._calendar(x.id)
            if x.kind in ("received", "materials_completed", "review_decided"):
                extra = 0  # extensions count from the clock's latest start
            if x.kind == "returned":
                in_review = False
            if x.kind == "received":
                if kind is not CaseType.SUPPLEMENT:
                    start = case.accepted_on
                if kind is CaseType.SUPPLEMENT or (kind is CaseType.RETURNED and self.registered[case.id].decided_now):
                    deadline = None
                else:
                    deadline = rules.deadline_for(kind, cal, case.accepted_on, case.promised_days)
            elif x.kind == "materials_completed":
                start = x.on_day
                deadline = rules.deadline_for(CaseType.SUPPLEMENT, cal, case.accepted_on, case.promised_days,
                                              materials_complete_on=x.on_day)
                assert x.detail["deadline"] == deadline.day.isoformat()
            elif x.kind == "review_decided" and x.detail["decision"] == "overturned":
                if kind is CaseType.SUPPLEMENT and not any(y.kind == "materials_completed" for y in case.steps):
                    start, deadline = None, None  # back to waiting for its materials
                else:
                    start = x.on_day  # taken up again: the item's promised days from the decision
                    deadline = cal.add_working_days(x.on_day, case.promised_days)
            elif x.kind == "extended":
                assert deadline is not None and x.detail["before"] == deadline.day.isoformat()
                longer = cal.add_working_days(deadline.day, x.detail["days"])
                assert x.detail["after"] == longer.day.isoformat()
                deadline = type(longer)(longer.day, deadline.provisional or longer.provisional)
                extra += x.detail["days"]
            elif x.kind == "deadline_recounted":  # its year entered: counted again on the new calendar
                assert deadline is not None and x.detail["before"] == deadline.day.isoformat()
                if in_review:
                    deadline = rules.deadline_for(CaseType.RETURNED, cal, case.accepted_on, case.promised_days)
                elif kind is CaseType.IMMEDIATE:
                    deadline = rules.deadline_for(kind, cal, case.accepted_on, 0)
                else:
                    deadline = cal.add_working_days(start, case.promised_days)
                if extra:
                    longer = cal.add_working_days(deadline.day, extra)
                    deadline = type(longer)(longer.day, deadline.provisional or longer.provisional)
                assert x.detail["after"] == deadline.day.isoformat()
        return start, deadline.day if deadline else None, bool(deadline and deadline.provisional)

    def _status_by_steps(self, case: Case) -> tuple[str, str]:
        status, review = None, ""
        for x in case.steps:
            if x.kind == "received":
                status = rules.first_status(CaseType(case.case_type), decided_now=True).value
                if case.case_type == CaseType.RETURNED:
                    status = CaseStatus.IN_REVIEW.value  # until its "returned" step
            elif x.kind == "materials_completed":
                status = CaseStatus.IN_PROGRESS.value
            elif x.kind in ("finished", "returned"):
                status = x.kind
                if x.kind == "returned":
                    review = ""  # a new return may be reviewed again
            elif x.kind == "review_requested":
                review = "requested"
            elif x.kind == "review_decided":
                review = x.detail["decision"]
                if review == "overturned":
                    waiting = case.case_type == CaseType.SUPPLEMENT and not any(
                        y.kind == "materials_completed" for y in case.steps)
                    status = (CaseStatus.AWAITING_MATERIALS if waiting else CaseStatus.IN_PROGRESS).value
        return status, review

    def _check_record(self, case: Case) -> None:
        """Steps only appended; what a case was registered as never changes; a sign-off stays."""
        steps = [(x.id, x.kind, x.at, x.on_day, x.actor_id, x.department_id, x.detail) for x in case.steps]
        fixed = (case.case_number, case.case_type, case.service_id, case.accepted_on, case.registered_by,
                 case.applicant_name, case.applicant_id_number, case.promised_days, list(case.missing_materials),
                 list(case.materials_received), case.status_token, case.created_at, case.subject)
        parts = {d.id: (d.department_id, d.role, d.promised_days, d.notified_at) for d in case.departments}
        signed = {d.id: d.signed_off_at for d in case.departments if d.signed_off_at is not None}
        seen = self.seen.get(case.id)
        if seen is not None:
            assert steps[:len(seen["steps"])] == seen["steps"], "an earlier step changed or went"
            assert fixed == seen["fixed"], "what the case was registered as changed"
            assert parts == seen["parts"], "a department row changed"
            assert all(signed.get(k) == v for k, v in seen["signed"].items()), "a sign-off changed"
        self.seen[case.id] = {"steps": steps, "fixed": fixed, "parts": parts, "signed": signed}
        assert steps and steps[0][1] == "received" and [k for _, k, *_ in steps].count("received") == 1
        for (i, _, at, *_), (j, _, later, *_) in zip(steps, steps[1:], strict=False):
            assert i < j and at <= later, "a step's time went backwards"
        for _, kind, at, on_day, *_ in steps:
            assert case.accepted_on <= on_day <= at.astimezone(TZ).date(), (kind, on_day)

    def _check_case(self, s, case: Case, calendar: WorkingCalendar, today: date, ratings: list[Rating]) -> None:
        sh = CaseMachine.shared
        self._check_record(case)
        status, kind = case.status, case.case_type
        open_ = status in OPEN
        assert (status, case.review_status) == self._status_by_steps(case), (status, case.review_status)
        # status and fields
        if status == CaseStatus.AWAITING_MATERIALS:
            assert kind == CaseType.SUPPLEMENT and case.deadline is None and case.clock_started_on is None
        if open_ and case.clock_started_on is None:
            assert status == CaseStatus.AWAITING_MATERIALS
        if status == CaseStatus.IN_PROGRESS:
            assert case.deadline is not None and case.clock_started_on is not None
        if status == CaseStatus.IN_REVIEW:
            assert kind == CaseType.RETURNED and case.deadline is not None
        assert (case.finished_on is not None) == (not open_), (status, case.finished_on)
        if case.finished_on is not None:
            assert case.finished_on >= case.accepted_on
        if status == CaseStatus.RETURNED:
            assert case.reason.strip(), "a returned case without its reason"
        if kind == CaseType.URGENT:
            assert s.get(User, case.registered_by).role in CENTER and case.urgent_note.strip()
        else:
            assert case.urgent_note == ""
        if kind == CaseType.SUPPLEMENT:
            assert case.missing_materials, "a 补办件 lists what is missing"
            if status in (CaseStatus.IN_PROGRESS, CaseStatus.FINISHED):
                assert any(x.kind == "materials_completed" for x in case.steps), "a 补办件 running, materials missing"
        # joint cases: one lead, the subject's; finished only when every department signed
        lead_rows = [d for d in case.departments if d.role == "lead"]
        if kind == CaseType.JOINT:
            assert len(case.departments) >= 2 and len(lead_rows) == 1
            assert lead_rows[0].department_id == case.department_id == self.registered[case.id].lead
            sent = {x.department_id for x in case.steps if x.kind == "sent"}
            assert sent == {d.department_id for d in case.departments if d.role == "co"}, "a co-department not told"
            for d in case.departments:
                own = rules.deadline_for(CaseType.JOINT, self._calendar(case.steps[0].id), case.accepted_on,
                                         case.promised_days)
                assert d.deadline == own.day and d.promised_days == case.promised_days
                signs = [x for x in case.steps if x.kind == "signed_off" and x.department_id == d.department_id]
                assert len(signs) == (d.signed_off_at is not None), "a sign-off without its one step"
            if status == CaseStatus.FINISHED:
                assert all(d.signed_off_at is not None for d in case.departments), "finished before every sign-off"
        else:
            assert case.departments == []
        # the deadline from the recorded dates, on the calendar of the moment it was set
        start, deadline, provisional = self._expected_deadline(case)
        assert case.clock_started_on == start, (case.clock_started_on, start)
        assert case.deadline == deadline, (kind, status, case.deadline, deadline)
        assert case.deadline_provisional == provisional, (case.deadline, case.deadline_provisional)
        # what the window and the office see
        shown = case_payload(s, case, calendar, today, BASE_URL)
        until = today if open_ else case.finished_on
        by_count = 0 if case.deadline is None else sum(
            calendar.is_working_day(case.deadline + timedelta(days=i))
            for i in range(1, (until - case.deadline).days + 1))
        assert shown["days_overdue"] == rules.days_overdue(calendar, case.deadline, None if open_ else case.finished_on,
                                                           today) == by_count
        assert shown["overdue"] == (by_count > 0)
        if shown["overdue"]:
            assert case.deadline < until
        if open_ and case.deadline is not None and case.deadline < today and calendar.is_working_day(today):
            assert shown["overdue"], "open, past its deadline on a working day, and not overdue"
        assert not shown["due_soon"] or open_
        assert shown["open_past_day"] == (open_ and kind == CaseType.IMMEDIATE and today > case.accepted_on)
        # one rating, counting the ticket's
        mine = [r for r in ratings if r.case_id == case.id or (case.ticket_id and r.ticket_id == case.ticket_id)]
        assert len(mine) <= 1, "a case rated twice"
        assert shown["rating"] == (mine[0].level if mine else None)
        for r in mine:
            if r.case_id == case.id:
                assert s.scalar(select(func.count()).where(CaseStep.case_id == case.id, CaseStep.at <= r.created_at,
                                                           CaseStep.kind.in_(("finished", "returned")))), \
                    "rated before it was finished or returned"
        assert case.hall_id == sh.hall_id

    @invariant()
    def rules_of_cases(self):
        if not hasattr(self, "db"):
            return
        sh = CaseMachine.shared
        today = self._today()
        with self.db.read_session() as s:
            calendar = load_calendar(s, sh.hall_id)
            assert calendar == self.calendars[-1][1], "the hall's calendar is not what was entered"
            ratings = list(s.scalars(select(Rating)))
            cases = list(s.scalars(select(Case).order_by(Case.id)))
            for case in cases:
                self._check_case(s, case, calendar, today, ratings)
            # numbers: unique, and 1..N in each year of acceptance, the counter at N
            by_year: dict[int, list[str]] = {}
            for case in cases:
                by_year.setdefault(case.accepted_on.year, []).append(case.case_number)
            counters = dict(s.execute(select(CaseCounter.year, CaseCounter.last_number)
                                      .where(CaseCounter.hall_id == sh.hall_id)).all())
            for year, numbers in by_year.items():
                assert sorted(numbers) == [f"{year}{n:06d}" for n in range(1, len(numbers) + 1)], numbers
                assert counters.get(year) == len(numbers)
            assert all(n == len(by_year.get(y, [])) for y, n in counters.items()), counters
            assert len({r.case_id for r in ratings if r.case_id}) == len([r for r in ratings if r.case_id])


def run_machine(url: str, examples: int) -> None:
    db = Database(url)
    db.migrate()
    clock = Clock()
    clock.set(OPEN_MOMENT)
    hall = seed_hall(db, clock.now(), bulk_windows=0)
    with db.writing() as s:
        # Open around the clock, so an applicant may be served whenever the machine looks (weekends and
        # holidays still close it): the cases' rules do not depend on the hour.
        s.execute(update(Hall).where(Hall.id == hall.hall_id).values(hours="00:00-00:00", lunch=None))
        actors = {}
        for name in PEOPLE:
            user = s.scalar(select(User).where(User.username == name))
            token, _ = login(s, clock.now(), user, lifetime=timedelta(days=3650))
            actors[name] = resolve_with_expiry(s, clock.now(), token)[0]
        departments = {d.code: d.id for d in s.scalars(select(Department).where(Department.hall_id == hall.hall_id))}
        base = load_calendar(s, hall.hall_id)
        commit(s)
    db.dispose()
    assert actors["admin"].role == Role.ADMIN and actors["staff3"].role == Role.STAFF
    assert base == WorkingCalendar.official([2025, 2026]) and 2027 not in base.entered
    CaseMachine.shared = Shared(url, hall.hall_id, hall.services, hall.windows, departments, actors, base)
    CaseMachine.TestCase.settings = settings(
        max_examples=examples, stateful_step_count=40, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    CaseMachine.TestCase().runTest()



def test_case_rules_hold_under_any_sequence_of_moves(database_url):
    run_machine(database_url, 60 if database_url.startswith("sqlite") else 25)
