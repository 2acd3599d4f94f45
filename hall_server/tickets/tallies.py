"""The queue's counts, kept beside the tickets in the same transaction.

A morning can leave tens of thousands of tickets waiting; counting them on every ticket issued
made each new ticket slower than the last. Instead every move into or out of "waiting", and
every finished service, adds to one row per hall, day, service and class (``queue_tallies``),
in the transaction that moves the ticket: issuing, calling and the wait estimate read a few of
these rows, whatever the length of the queue. ``recount`` rebuilds them from the tickets (the
property test compares the two after any sequence of moves).

The additions are gathered on the session and written as it commits, in one order: two windows
calling at once on PostgreSQL would otherwise lock the same rows in opposite orders (one
finishing an applicant of the service the other is calling from) and deadlock.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, bindparam, case, delete, event, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hall_server.tickets.models import QueueTally, Ticket

Q, T = QueueTally.__table__, Ticket.__table__


def _add(dialect_insert):
    stmt = dialect_insert(Q).values(
        hall_id=bindparam("hall_id"), business_date=bindparam("day"), service_id=bindparam("service_id"),
        priority=bindparam("priority"), waiting=bindparam("waiting"), finished=bindparam("finished"),
        service_seconds=bindparam("seconds"))
    return stmt.on_conflict_do_update(
        index_elements=[Q.c.hall_id, Q.c.business_date, Q.c.service_id, Q.c.priority],
        set_={"waiting": Q.c.waiting + stmt.excluded.waiting, "finished": Q.c.finished + stmt.excluded.finished,
              "service_seconds": Q.c.service_seconds + stmt.excluded.service_seconds})


_ADD = {"postgresql": _add(postgresql.insert), "sqlite": _add(sqlite.insert)}
_BY_SERVICE = select(Q.c.service_id, func.sum(Q.c.waiting)).where(
    Q.c.hall_id == bindparam("hall_id"), Q.c.business_date == bindparam("day")).group_by(Q.c.service_id)


def tally(session: Session, ticket, *, waiting: int = 0, finished: int = 0, seconds: float = 0.0) -> None:
    """Add to the counts of ``ticket``'s hall, day, service and class (anything with those attributes),
    when the session commits."""
    key = (ticket.hall_id, ticket.business_date, ticket.service_id, ticket.priority)
    pending = session.info.setdefault("tallies", {})
    w, f, s = pending.get(key, (0, 0, 0.0))
    pending[key] = (w + waiting, f + finished, s + seconds)


def finished_service(session: Session, ticket, now: datetime) -> None:
    """A service ended: its call-to-finish time joins the day's pace (a ticket never called adds nothing)."""
    if ticket.called_at is not None:
        tally(session, ticket, finished=1, seconds=(now - ticket.called_at).total_seconds())


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """Write the session's gathered additions, in key order (see the module's docstring)."""
    pending = session.info.pop("tallies", None)
    if pending:
        conn = session.connection()
        conn.execute(_ADD[conn.dialect.name], [
            {"hall_id": h, "day": d, "service_id": s, "priority": p, "waiting": w, "finished": f, "seconds": sec}
            for (h, d, s, p), (w, f, sec) in sorted(pending.items())])


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop("tallies", None)


def waiting_by_service(conn: Connection, hall_id: int, day: date) -> dict[int, int]:
    """Tickets waiting today in the hall, by service (boards, desks)."""
    return {s: int(n or 0) for s, n in conn.execute(_BY_SERVICE, {"hall_id": hall_id, "day": day})}


def recount(conn: Connection, hall_id: int, day: date) -> None:
    """Rebuild a day's counts from its tickets (a repair tool; tests compare it with the kept counts)."""
    seconds = (func.extract("epoch", T.c.finished_at - T.c.called_at) if conn.dialect.name == "postgresql"
               else (func.julianday(T.c.finished_at) - func.julianday(T.c.called_at)) * 86400.0)
    done = (T.c.status == "finished") & T.c.called_at.is_not(None)
    conn.execute(delete(Q).where(Q.c.hall_id == hall_id, Q.c.business_date == day))
    conn.execute(insert(Q).from_select(
        ["hall_id", "business_date", "service_id", "priority", "waiting", "finished", "service_seconds"],
        select(T.c.hall_id, T.c.business_date, T.c.service_id, T.c.priority,
               func.sum(case((T.c.status == "waiting", 1), else_=0)), func.sum(case((done, 1), else_=0)),
               func.coalesce(func.sum(case((done, seconds))), 0.0))
        .where(T.c.hall_id == hall_id, T.c.business_date == day)
        .group_by(T.c.hall_id, T.c.business_date, T.c.service_id, T.c.priority)))
