"""A stateful property test of the window services against a real database.

Hypothesis drives random sequences of kiosk and window actions (issue, call next, recall,
skip, put back, hold, call back, transfer, finish, cancel, pause, resume, a rating), by the
window's staff or by 督查科 at their window, through the same service functions the API calls,
and after every step checks the rules a hall relies on: no ticket is at two windows, a window's
current ticket is really there, numbers never repeat, every refused action changed nothing, the
queue's tallies always equal a count of the tickets, call next finishes only a started service
and makes a ticket never started a no-show, a no-show is never rated, and every action is
recorded under whoever did it while the ticket stays with the staff member at the window.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import func, select, update

from hall_queue.policy import Priority
from hall_server.auth.models import Role, User
from hall_server.auth.service import Actor
from hall_server.catalog.models import Hall, Window
from hall_server.clock import Clock
from hall_server.db import Database
from hall_server.errors import HallError
from hall_server.evaluation.models import Rating, RatingLevel
from hall_server.evaluation.service import rate_ticket
from hall_server.events.models import Event
from hall_server.events.outbox import commit
from hall_server.tickets import calling
from hall_server.tickets.issuing import issue_ticket
from hall_server.tickets.models import QueueTally, Ticket
from hall_server.tickets.tallies import recount
from tests.harness import OPEN_MOMENT, seed_hall

WINDOWS = (1, 2, 3)
ACTIONS = {
    "recall": calling.recall, "skip": calling.skip, "hold": calling.hold, "start": calling.start,
    "finish": calling.finish, "cancel": calling.cancel,
}


class HallMachine(RuleBasedStateMachine):
    db: Database

    @initialize()
    def open_hall(self):
        self.clock = Clock()
        self.clock.set(OPEN_MOMENT)
        self.db = Database(HallMachine.url)
        with self.db.writing() as s:
            s.execute(Ticket.__table__.update().values(status="cancelled"))  # a new case, an empty queue
            s.execute(QueueTally.__table__.delete())  # nothing waits, nothing was finished
            s.execute(Window.__table__.update().values(current_ticket_id=None, last_finished_ticket_id=None,
                                                       state="closed", staff_id=None))
            s.commit()
        self.clock.advance(timedelta(days=len(HallMachine.days)))
        HallMachine.days.append(1)
        with self.db.read_session() as s:  # this example's tickets come after these
            self.before = s.scalar(select(func.coalesce(func.max(Ticket.id), 0)))
        self.actors = {}
        with self.db.writing() as s:
            for n in WINDOWS:
                user = s.scalar(select(User).where(User.username == f"staff{n}"))
                actor = Actor(token_id=0, role=Role.STAFF, hall_id=HallMachine.hall.hall_id, user_id=user.id)
                calling.sign_in(s, self.clock.now(), calling.load_window(s, HallMachine.hall.windows[n]), actor)
                self.actors[n] = actor
            supervisor = s.scalar(select(User).where(User.username == HallMachine.hall.supervisor))
            self.supervisor = Actor(token_id=0, role=Role.SUPERVISION, hall_id=HallMachine.hall.hall_id,
                                    user_id=supervisor.id)
            commit(s)

    def teardown(self):
        self.db.dispose()

    def _write(self, fn, *, refused: str | None = None):
        """Run a service call; a refusal must leave the database exactly as it was (``refused``: the
        refusal expected)."""
        before = self._fingerprint()
        with self.db.writing() as s:
            try:
                result = fn(s, self.clock.now())
                commit(s)
                assert refused is None, f"not refused: {refused}"
                return result
            except HallError as exc:
                assert refused in (None, exc.code), exc.code
                s.rollback()
        assert self._fingerprint() == before, "a refused action changed something"
        return None

    def _fingerprint(self):
        with self.db.read_session() as s:
            tickets = s.execute(select(Ticket.id, Ticket.status, Ticket.window_id, Ticket.service_id)
                                .order_by(Ticket.id)).all()
            windows = s.execute(select(Window.id, Window.state, Window.current_ticket_id).order_by(Window.id)).all()
            return (tickets, windows, s.scalar(select(func.count()).select_from(Event)),
                    s.scalar(select(func.count()).select_from(Rating)))

    def _actor(self, n: int, supervised: bool) -> Actor:
        """The window's staff member, or 督查科 acting at their window."""
        return self.supervisor if supervised else self.actors[n]

    def _recorded_under(self, after_event: int, actor: Actor) -> None:
        """The events an action wrote name whoever did it; its tickets stay with the window's staff."""
        with self.db.read_session() as s:
            events = s.scalars(select(Event).where(Event.id > after_event)).all()
            for e in events:
                assert e.payload["actor_id"] == actor.user_id, (e.kind, e.payload.get("actor_id"))
                if e.kind == "ticket.called":
                    t = s.get(Ticket, e.payload["ticket"]["id"])
                    assert t.staff_id == s.get(Window, e.payload["window"]["id"]).staff_id, "not the serving staff's"

    def _last_event(self) -> int:
        with self.db.read_session() as s:
            return s.scalar(select(func.coalesce(func.max(Event.id), 0)))

    def _busy_windows(self) -> list[int]:
        with self.db.read_session() as s:
            ids = set(s.scalars(select(Window.id).where(Window.current_ticket_id.is_not(None))))
        return [n for n in WINDOWS if HallMachine.hall.windows[n] in ids]

    def _waiting(self) -> bool:
        with self.db.read_session() as s:
            return bool(s.scalar(select(func.count()).where(Ticket.status == "waiting")))

    @rule(code=st.sampled_from(["GS-1", "GS-2", "SW-1"]), prio=st.sampled_from([Priority.NORMAL, Priority.PRIORITY]),
          count=st.integers(1, 6))
    def issue(self, code, prio, count):
        svc = HallMachine.hall.services[code]
        for _ in range(count):
            self._write(lambda s, now: issue_ticket(s, now, hall_id=HallMachine.hall.hall_id, service_id=svc,
                                                    priority=prio))

    @precondition(lambda self: self._waiting() or self._busy_windows())
    @rule(n=st.sampled_from(WINDOWS), supervised=st.sampled_from([False, False, True]))
    def call_next(self, n, supervised):
        """Call next ends the ticket at the window: finished if its service started, else a no-show."""
        with self.db.read_session() as s:
            current = s.scalar(select(Window.current_ticket_id).where(Window.id == HallMachine.hall.windows[n]))
            before = s.get(Ticket, current).status if current else None
        actor, first = self._actor(n, supervised), self._last_event()
        done = self._write(lambda s, now: calling.call_next(s, now, HallMachine.hall.windows[n], actor) or "none")
        if done is None:
            return  # refused (a paused window): nothing changed
        self._recorded_under(first, actor)
        if before in ("called", "serving"):
            with self.db.read_session() as s:
                t = s.get(Ticket, current)
                assert t.status == {"called": "no_show", "serving": "finished"}[before], (before, t.status)
                assert (t.finished_at is not None) == (t.status == "finished")

    @precondition(lambda self: self._busy_windows())
    @rule(pick=st.integers(0, 2), action=st.sampled_from(sorted(ACTIONS)),
          supervised=st.sampled_from([False, False, True]))
    def act_on_current(self, pick, action, supervised):
        busy = self._busy_windows()
        n = busy[pick % len(busy)]
        actor, first = self._actor(n, supervised), self._last_event()
        if self._write(lambda s, now: ACTIONS[action](s, now, self._window(s, n), actor)) is not None:
            self._recorded_under(first, actor)

    @rule(pick=st.integers(0, 50), level=st.sampled_from(list(RatingLevel)))
    def rate(self, pick, level):
        """Only a finished service is rated, once; a no-show is refused as one."""
        with self.db.read_session() as s:
            tickets = s.execute(select(Ticket.id, Ticket.status).where(Ticket.id > self.before)
                                .order_by(Ticket.id)).all()
            rated = set(s.scalars(select(Rating.ticket_id)))
        if not tickets:
            return
        tid, status = tickets[pick % len(tickets)]
        expected = {"finished": "rating_already" if tid in rated else None, "no_show": "rating_no_show"}.get(
            status, "rating_not_finished")

        def rate(s, now):
            rating = rate_ticket(s, now, s.get(Ticket, tid), level, "qr")
            assert s.get(User, rating.staff_id).role == "staff"  # to the staff member who served, whoever pressed
            return rating.id

        self._write(rate, refused=expected)

    @rule(n=st.sampled_from(WINDOWS), back=st.booleans(), pick=st.integers(0, 50))
    def parked(self, n, back, pick):
        with self.db.read_session() as s:
            ids = s.scalars(select(Ticket.id).where(Ticket.status.in_(("held", "no_show")),
                                                    Ticket.window_id == HallMachine.hall.windows[n])).all()
        if not ids:
            return
        tid = ids[pick % len(ids)]
        fn = calling.call_back if back else calling.requeue
        self._write(lambda s, now: fn(s, now, self._window(s, n), self.actors[n], tid))

    @precondition(lambda self: self._busy_windows())
    @rule(n=st.sampled_from(WINDOWS), code=st.sampled_from(["GS-1", "SW-1"]))
    def transfer(self, n, code):
        svc = HallMachine.hall.services[code]
        self._write(lambda s, now: calling.transfer(s, now, self._window(s, n), self.actors[n], service_id=svc))

    @rule(n=st.sampled_from(WINDOWS), pause=st.sampled_from([True, False, False]))
    def pause_or_resume(self, n, pause):
        if pause:
            self._write(lambda s, now: calling.pause(s, now, self._window(s, n), self.actors[n], "临时外出"))
        else:
            self._write(lambda s, now: calling.resume(s, now, self._window(s, n), self.actors[n]))

    @rule(minutes=st.integers(1, 40))
    def time_passes(self, minutes):
        self.clock.advance(timedelta(minutes=minutes))

    def _window(self, s, n):
        return calling.load_window(s, HallMachine.hall.windows[n])

    @invariant()
    def rules_of_the_hall(self):
        if not hasattr(self, "db"):
            return
        with self.db.read_session() as s:
            at_window = s.execute(select(Ticket.id, Ticket.window_id).where(Ticket.status.in_(("called", "serving"))))
            places = list(at_window)
            # no ticket at two windows, and no window serving two applicants
            assert len({w for _, w in places}) == len(places)
            for w in s.scalars(select(Window).where(Window.current_ticket_id.is_not(None))):
                t = s.get(Ticket, w.current_ticket_id)
                if t.status in ("called", "serving"):
                    assert t.window_id == w.id
            for tid, wid in places:
                assert s.get(Window, wid).current_ticket_id == tid, "a called ticket its window does not know"
            numbers = s.execute(select(Ticket.business_date, Ticket.number)).all()
            assert len(numbers) == len(set(numbers)), "a number was issued twice on one day"
            waiting_with_window = s.scalar(select(func.count()).where(Ticket.status == "waiting",
                                                                     Ticket.window_id.is_not(None)))
            assert waiting_with_window == 0

    @invariant()
    def tallies_match_the_tickets(self):
        """What issuing and calling read instead of counting: always what a count of the tickets says."""
        if not hasattr(self, "db"):
            return

        def tallies(s):
            rows = s.execute(select(QueueTally.business_date, QueueTally.service_id, QueueTally.priority,
                                    QueueTally.waiting, QueueTally.finished, QueueTally.service_seconds)).all()
            return {r[:3]: (r.waiting, r.finished, round(r.service_seconds, 3))
                    for r in rows if r.waiting or r.finished}

        with self.db.writing() as s:
            kept = tallies(s)
            for day in s.scalars(select(Ticket.business_date).distinct()).all():
                recount(s.connection(), HallMachine.hall.hall_id, day)
            assert kept == tallies(s)
            s.rollback()


def run_machine(url: str, examples: int) -> None:
    db = Database(url)
    db.migrate()
    clock = Clock()
    clock.set(OPEN_MOMENT)
    HallMachine.hall = seed_hall(db, clock.now(), bulk_windows=0)
    with db.writing() as s:
        # Open around the clock: each example starts on a new day (an empty queue), and a replay of it
        # must meet the same hall whatever weekday that is (weekends and holidays close the test hall).
        s.execute(update(Hall).where(Hall.id == HallMachine.hall.hall_id).values(hours="00:00-00:00", lunch=None))
        s.commit()
    HallMachine.url = url
    HallMachine.days = []
    db.dispose()
    HallMachine.TestCase.settings = settings(
        max_examples=examples, stateful_step_count=40, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    HallMachine.TestCase().runTest()


def test_window_rules_hold_under_any_sequence_of_actions(database_url):
    run_machine(database_url, 60 if database_url.startswith("sqlite") else 15)
