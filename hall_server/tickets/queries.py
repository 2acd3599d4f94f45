"""Reads shared by issuing, calling and status: who waits, how fast a service goes, business dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Integer, bindparam, func, select
from sqlalchemy.orm import Session

from hall_queue.estimate import WaitEstimate, estimate_wait, people_ahead
from hall_queue.hours import OpeningHours
from hall_queue.policy import Priority
from hall_server.catalog.models import Hall, Service, Window, window_services
from hall_server.tickets.models import QueueTally, Ticket

AVERAGE_SAMPLE_MIN = 3  # finished tickets today before today's pace replaces the catalog's


def local_now(timezone: str, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(timezone))


def business_date(hall: Hall, now: datetime) -> date:
    return local_now(hall.timezone, now).date()


def opening_hours(hall: Hall) -> OpeningHours:
    return OpeningHours.parse(hall.hours, hall.lunch)


# The wait estimate runs on every issue and every status lookup: one statement, built once, of
# a bounded number of index steps however long the queue (the counts come from queue_tallies).
T, S, W, WS, Q = Ticket.__table__, Service.__table__, Window.__table__, window_services, QueueTally.__table__
_RIVAL = window_services.alias("rival")
# The services of the windows serving this one (and itself): their tickets compete for those windows.
_RIVALS = (select(_RIVAL.c.service_id).select_from(WS.join(_RIVAL, _RIVAL.c.window_id == WS.c.window_id))
           .where(WS.c.service_id == bindparam("service_id"))
           .union(select(bindparam("service_id", type_=Integer)))).cte("rivals")
_TODAY = (Q.c.hall_id == bindparam("hall_id")) & (Q.c.business_date == bindparam("day"))
AHEAD_CAP = 1000  # the status page counts its own class ahead up to this many ("1000 ahead" at most)
_EARLIER = (T.c.arrived_at < bindparam("arrived_at")) | (
    (T.c.arrived_at == bindparam("arrived_at")) & (T.c.id < bindparam("id")))


def _estimate_statement(count_earlier: bool):
    """One row: open windows serving the service, tickets waiting by class among its rivals, the
    day's pace and the catalog's; with ``count_earlier``, its own class ahead of a ticket (capped)."""
    columns = [
        select(func.count(func.distinct(W.c.id))).select_from(WS.join(W, W.c.id == WS.c.window_id))
        .where(WS.c.service_id == bindparam("service_id"), W.c.state == "open").scalar_subquery().label("open"),
        *(select(func.coalesce(func.sum(Q.c.waiting), 0))
          .where(_TODAY, Q.c.priority == p.value, Q.c.service_id.in_(select(_RIVALS.c.service_id)))
          .scalar_subquery().label(p.value) for p in Priority),
        select(func.coalesce(func.sum(Q.c.finished), 0)).where(_TODAY, Q.c.service_id == bindparam("service_id"))
        .scalar_subquery().label("finished"),
        select(func.coalesce(func.sum(Q.c.service_seconds), 0.0))
        .where(_TODAY, Q.c.service_id == bindparam("service_id")).scalar_subquery().label("seconds"),
        select(S.c.avg_service_minutes).where(S.c.id == bindparam("service_id")).scalar_subquery().label("minutes"),
    ]
    if count_earlier:
        columns.append(select(func.count()).select_from(select(T.c.id).where(
            T.c.hall_id == bindparam("hall_id"), T.c.business_date == bindparam("day"), T.c.status == "waiting",
            T.c.service_id.in_(select(_RIVALS.c.service_id)), T.c.priority == bindparam("priority"), _EARLIER,
        ).limit(AHEAD_CAP).subquery()).scalar_subquery().label("earlier"))
    return select(*columns)


_ESTIMATE = {count_earlier: _estimate_statement(count_earlier) for count_earlier in (False, True)}


def wait_for(conn: Connection | Session, ticket, *, new: bool = False) -> WaitEstimate:
    """People ahead of a waiting ticket, and the estimated wait; zero once it has been called.

    Ahead of it stand the tickets of its class that came earlier and every ticket of a stronger
    class, for any service of the windows that serve its own (they call from all of them). The
    wait is those people in rounds of the open windows serving its service, at today's pace for
    the service (the catalog's until a few are done); with no such window open there is no wait
    to promise (None). ``new``: the ticket is being issued in this transaction, so every ticket
    of its class already waiting is earlier (nothing to count).
    """
    if ticket.status != "waiting":
        return WaitEstimate(0, 0)
    if isinstance(conn, Session):
        conn = conn.connection()
    row = conn.execute(_ESTIMATE[not new], {
        "hall_id": ticket.hall_id, "day": ticket.business_date, "service_id": ticket.service_id,
        "priority": ticket.priority, "arrived_at": ticket.arrived_at, "id": ticket.id}).one()
    mine = Priority(ticket.priority)
    counts = {p: int(row._mapping[p.value]) for p in Priority}
    earlier = counts[mine] if new else row.earlier  # a new ticket's own tally is written as it commits
    pace = row.seconds / row.finished if row.finished >= AVERAGE_SAMPLE_MIN else row.minutes * 60.0
    return estimate_wait(people_ahead(mine, counts, earlier), pace, row.open)


def ticket_payload(ticket, window: Window | None = None, *, service_name: str | None = None) -> dict:
    """What boards, callers and the bus need to know of a ticket. Never the status token.

    ``ticket`` is an ORM ticket, or a row with the ticket's columns (then give ``service_name``).
    """
    window = window if window is not None else getattr(ticket, "window", None)
    return {
        "id": ticket.id,
        "number": ticket.number,
        "status": ticket.status,
        "priority": ticket.priority,
        "service_id": ticket.service_id,
        "service_name": service_name if service_name is not None else ticket.service.name,
        "series": ticket.series,
        "window_id": window.id if window else None,
        "window_number": window.number if window else None,
        "window_location": window.location if window else None,
        "area": window.area if window else None,
        "target_window_id": ticket.target_window_id,
        "recall_count": ticket.recall_count,
        "arrived_at": ticket.arrived_at.isoformat(),
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
    }


def minutes_since(now: datetime, then: datetime | None) -> float:
    return (now - then) / timedelta(minutes=1) if then else 0.0
