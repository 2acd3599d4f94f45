"""The server's one writer: work that shares a transaction is kept or undone one piece at a time.

A refused ticket (a closed hall, a rule broken half-way) must take back its own writes and its
own events, and nothing of the kiosks that shared its transaction; a conflict is run again,
never answered twice; and nobody is answered before the commit that holds their writes.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from hall_server import writer as writer_module
from hall_server.auth.models import Role, User
from hall_server.auth.service import Actor
from hall_server.catalog.models import Window
from hall_server.clock import Clock
from hall_server.db import Database
from hall_server.errors import HallError
from hall_server.events.hub import read_events
from hall_server.events.models import Event
from hall_server.tickets import calling
from hall_server.tickets.issuing import issue_ticket
from hall_server.tickets.models import Ticket
from hall_server.writer import ATTEMPTS, Batched, Writer
from tests import harness
from tests.harness import OPEN_MOMENT, seed_hall


@pytest.fixture
def seeded(database_url):
    db = Database(database_url)
    db.migrate()
    hall = seed_hall(db, OPEN_MOMENT)
    clock = Clock()
    clock.set(OPEN_MOMENT)
    wakes: list[list[dict]] = []
    writer = Writer(db, clock, wakes.append)
    yield db, hall, writer, wakes
    writer.close()
    db.dispose()


def counts(db: Database) -> tuple[int, int]:
    with db.read_session() as s:
        return s.scalar(select(func.count()).select_from(Ticket)), s.scalar(select(func.count()).select_from(Event))


def held_group(writer: Writer, jobs: list) -> list[Future]:
    """Submit ``jobs`` while the writer is busy, so they all run in the same transaction."""
    busy, release = threading.Event(), threading.Event()

    def block(_s, _now) -> None:
        busy.set()
        release.wait(10)

    first = writer.submit(block)
    assert busy.wait(10)
    futures = [writer.submit(job) for job in jobs]
    release.set()
    first.result(10)
    return futures


def issue(hall: harness.TestHall, refuse_after_writing: bool = False):
    def work(s, now):
        issued = issue_ticket(s, now, hall_id=hall.hall_id, service_id=hall.services["BK-1"])
        if refuse_after_writing:
            raise HallError("service_not_served", 409)
        return issued.ticket.number

    return work


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(refusals=st.lists(st.booleans(), min_size=1, max_size=12))
def test_a_refusal_takes_back_only_its_own_ticket_and_events(seeded, refusals):
    db, hall, writer, _ = seeded
    tickets_before, events_before = counts(db)
    futures = held_group(writer, [issue(hall, refused) for refused in refusals])
    answers = []
    for refused, f in zip(refusals, futures, strict=True):
        if refused:
            with pytest.raises(HallError):
                f.result(10)
        else:
            answers.append(f.result(10))
    kept = refusals.count(False)
    assert counts(db) == (tickets_before + kept, events_before + kept)
    assert len(set(answers)) == kept  # each kept kiosk has its own number
    with db.read_session() as s:
        numbers = set(s.scalars(select(Ticket.number)))
    assert set(answers) <= numbers


def test_a_conflict_is_run_again_and_answered_once(seeded):
    db, hall, writer, _ = seeded
    tickets_before, _ = counts(db)
    tries = []

    def flaky(s, now):
        tries.append(1)
        number = issue(hall)(s, now)
        if len(tries) == 1:  # a deadlock the first time: its ticket must not survive
            raise OperationalError("deadlock detected", {}, Exception("deadlock"))
        return number

    futures = held_group(writer, [issue(hall), flaky, issue(hall)])
    numbers = [f.result(10) for f in futures]
    assert len(tries) == 2
    assert len(set(numbers)) == 3
    assert counts(db)[0] == tickets_before + 3


def test_a_conflict_that_persists_is_answered_with_the_conflict_error(seeded):
    _, _, writer, _ = seeded
    tries = []

    def twin(_s, _now):
        tries.append(1)
        raise IntegrityError("insert", {}, Exception("unique"))

    future = writer.submit(twin, HallError("idempotency_conflict", 409))
    with pytest.raises(HallError) as refused:
        future.result(10)
    assert refused.value.code == "idempotency_conflict"
    assert len(tries) == ATTEMPTS


def test_subscribers_are_handed_each_commit_s_events_once_as_the_outbox_keeps_them(seeded):
    db, hall, writer, wakes = seeded
    with db.read_session() as s:
        before = s.scalar(select(func.max(Event.id))) or 0
    wakes.clear()
    futures = held_group(writer, [issue(hall) for _ in range(5)])
    for f in futures:
        f.result(10)
    kept = read_events(db, before)
    assert len(kept) == 5
    assert wakes == [kept]  # the blocking job wrote nothing; the group of five, one hand-over, the same events


# --- Batched work: windows that call at the same moment are served in one pass -----------------


def sign_in(writer: Writer, db: Database, hall: harness.TestHall, numbers) -> dict[int, Actor]:
    """Staff of these windows signed in; their actors by window number."""
    with db.read_session() as s:
        users = {u.username: u.id for u in s.scalars(select(User))}
    actors = {n: Actor(token_id=0, role=Role.STAFF, hall_id=hall.hall_id, user_id=users[hall.staff[n]])
              for n in numbers}
    for n, actor in actors.items():
        writer.submit(lambda s, now, n=n, actor=actor: calling.sign_in(
            s, now, calling.load_window(s, hall.windows[n]), actor)).result(10)
    return actors


def call(hall: harness.TestHall, actors: dict[int, Actor], n: int) -> Batched:
    return Batched(calling.call_next_many, n, (hall.windows[n], actors[n]))


def waiting(writer: Writer, hall: harness.TestHall, code: str, count: int) -> list[str]:
    return [writer.submit(lambda s, now: issue_ticket(s, now, hall_id=hall.hall_id, service_id=hall.services[code])
                          .ticket.number).result(10) for _ in range(count)]


def test_forty_windows_calling_at_once_take_the_oldest_forty_in_one_commit(seeded):
    db, hall, writer, wakes = seeded
    windows = list(range(10, 50))  # the bulk windows, all serving BK-1
    actors = sign_in(writer, db, hall, windows)
    numbers = waiting(writer, hall, "BK-1", 45)
    wakes.clear()
    called = [f.result(10)["number"] for f in held_group(writer, [call(hall, actors, n) for n in windows])]
    assert called == numbers[:40]  # in the order the windows asked, each its own applicant
    assert len(wakes) == 1
    again = [f.result(10)["number"] for f in held_group(writer, [call(hall, actors, n) for n in windows[:5]])]
    assert again == numbers[40:]  # the next pass finishes those at the windows and calls the rest
    with db.read_session() as s:
        finished = s.scalars(select(Ticket.number).where(Ticket.status == "finished").order_by(Ticket.id)).all()
        kinds = s.scalars(select(Event.kind).order_by(Event.id.desc()).limit(10)).all()[::-1]
    assert finished == numbers[:5]
    assert kinds == ["ticket.finished", "ticket.called"] * 5  # each window's finish, then its call


def test_a_window_whose_service_lies_beyond_the_pass_s_oldest_still_gets_its_applicant(seeded):
    db, hall, writer, _ = seeded
    actors = sign_in(writer, db, hall, [1, 2, 3])
    business = waiting(writer, hall, "GS-1", 12)  # windows 1 and 2 serve GS-1
    (tax,) = waiting(writer, hall, "SW-1", 1)  # only window 3 serves SW-1, and it came last
    called = [f.result(10) for f in held_group(writer, [call(hall, actors, n) for n in (1, 3, 2)])]
    assert [c["number"] for c in called] == [business[0], tax, business[1]]


def test_a_refused_window_in_a_pass_is_told_why_and_the_others_call(seeded):
    db, hall, writer, _ = seeded
    actors = sign_in(writer, db, hall, [1, 2])
    waiting(writer, hall, "GS-1", 3)
    writer.submit(lambda s, now: calling.pause(s, now, calling.load_window(s, hall.windows[2]), actors[2], "开会")
                  ).result(10)
    intruder = Batched(calling.call_next_many, 3, (hall.windows[3], actors[1]))  # window 3 is not theirs
    first, paused, refused = held_group(writer, [call(hall, actors, 1), call(hall, actors, 2), intruder])
    assert first.result(10)["window_number"] == 1
    for future, code in ((paused, "window_paused"), (refused, "window_not_signed_in")):
        with pytest.raises(HallError) as why:
            future.result(10)
        assert why.value.code == code
    with db.read_session() as s:
        assert s.scalar(select(func.count()).where(Ticket.status == "called")) == 1


def test_a_window_pressing_twice_calls_twice_in_order(seeded):
    db, hall, writer, _ = seeded
    actors = sign_in(writer, db, hall, [1])
    numbers = waiting(writer, hall, "GS-1", 2)
    first, second = held_group(writer, [call(hall, actors, 1), call(hall, actors, 1)])
    assert [first.result(10)["number"], second.result(10)["number"]] == numbers
    with db.read_session() as s:
        assert s.scalar(select(Ticket.status).where(Ticket.number == numbers[0])) == "finished"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_ticket_another_server_is_claiming_is_left_to_it_and_its_window_takes_the_oldest_left(seeded):
    """Another server process holds the oldest ticket's row lock (it is claiming it right now):
    the pass skips it, window 11 keeps the ticket it chose, and window 10 chooses again and is
    seated with the oldest one left, which names that window."""
    db, hall, writer, _ = seeded
    actors = sign_in(writer, db, hall, [10, 11])
    numbers = waiting(writer, hall, "BK-1", 3)
    with psycopg.connect(db.url.replace("postgresql+psycopg", "postgresql")) as other:
        other.execute("SELECT id FROM tickets WHERE number = %s FOR UPDATE", (numbers[0],))
        called = [f.result(10) for f in held_group(writer, [call(hall, actors, 10), call(hall, actors, 11)])]
    assert [c["number"] for c in called] == [numbers[2], numbers[1]]
    with db.read_session() as s:
        seated = dict(s.execute(select(Window.number, Window.current_ticket_id)).tuples().all())
        rows = {t.number: t for t in s.scalars(select(Ticket))}
    assert rows[numbers[0]].status == "waiting" and rows[numbers[0]].window_id is None
    for n, ticket in zip((10, 11), called, strict=True):
        assert seated[n] == ticket["id"]
        assert rows[ticket["number"]].window_id == hall.windows[n]
        assert rows[ticket["number"]].status == "called"


def test_calls_arriving_a_moment_apart_are_gathered_into_one_pass(seeded, monkeypatch):
    """The first call of a burst waits for the others while they keep coming: one commit, one wake."""
    monkeypatch.setattr(writer_module, "GATHER_QUIET", 0.5)  # generous, so a slow machine keeps the gaps short
    monkeypatch.setattr(writer_module, "GATHER_MAX", 5.0)
    db, hall, writer, wakes = seeded
    actors = sign_in(writer, db, hall, [10, 11, 12, 13])
    numbers = waiting(writer, hall, "BK-1", 4)
    wakes.clear()
    futures = []
    for n in (10, 11, 12, 13):
        futures.append(writer.submit(call(hall, actors, n)))
        time.sleep(0.05)  # each a moment after the last, as the event loop hands them over
    assert [f.result(10)["number"] for f in futures] == numbers
    assert len(wakes) == 1
