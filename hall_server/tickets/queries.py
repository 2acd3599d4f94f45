"""Reads shared by issuing, calling and status: who waits, how fast a service goes, business dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.orm import Session

from hall_queue.estimate import WaitEstimate, estimate_wait, people_ahead
from hall_queue.hours import OpeningHours
from hall_queue.policy import Priority
from hall_server.catalog.models import Hall, Service, Window, window_services
from hall_server.db import OneOf
from hall_server.tickets.models import Ticket
from hall_server.tickets.tallies import pace, waiting_by_class

AVERAGE_SAMPLE_MIN = 3  # finished tickets today before today's pace replaces the catalog's


def local_now(timezone: str, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(timezone))


def business_date(hall: Hall, now: datetime) -> date:
    return local_now(hall.timezone, now).date()


def opening_hours(hall: Hall) -> OpeningHours:
    return OpeningHours.parse(hall.hours, hall.lunch)


# The wait estimate runs on every issue and every status lookup: prebuilt Core statements, each
# a bounded number of index steps however long the queue (the counts come from queue_tallies).
T, S, W, WS = Ticket.__table__, Service.__table__, Window.__table__, window_services
_RIVAL = window_services.alias("rival")
# The windows serving a service, and every service those windows serve: whose tickets compete.
_SERVED = (select(W.c.id, W.c.state, _RIVAL.c.service_id)
           .select_from(WS.join(W, W.c.id == WS.c.window_id).join(_RIVAL, _RIVAL.c.window_id == W.c.id))
           .where(WS.c.service_id == bindparam("service_id")))
AHEAD_CAP = 1000  # the status page counts its own class ahead up to this many ("1000 ahead" at most)
_EARLIER = (T.c.arrived_at < bindparam("arrived_at")) | (
    (T.c.arrived_at == bindparam("arrived_at")) & (T.c.id < bindparam("id")))
_EARLIER_OF_CLASS = select(func.count()).select_from(select(T.c.id).where(
    T.c.hall_id == bindparam("hall_id"), T.c.business_date == bindparam("day"), T.c.status == "waiting",
    OneOf(T.c.service_id, "service_ids"), T.c.priority == bindparam("priority"), _EARLIER,
).limit(AHEAD_CAP).subquery())
_CATALOG_PACE = select(S.c.avg_service_minutes).where(S.c.id == bindparam("service_id"))


def average_service_seconds(conn: Connection, hall_id: int, service_id: int, day: date,
                            catalog_minutes: float | None = None) -> float:
    """Today's mean time from call to finish for the service, or the catalog's figure."""
    n, seconds = pace(conn, hall_id, day, service_id)
    if n >= AVERAGE_SAMPLE_MIN:
        return seconds / n
    if catalog_minutes is None:
        catalog_minutes = conn.execute(_CATALOG_PACE, {"service_id": service_id}).scalar_one()
    return catalog_minutes * 60.0


def wait_for(conn: Connection | Session, ticket, *, new: bool = False,
             catalog_minutes: float | None = None) -> WaitEstimate:
    """People ahead of a waiting ticket, and the estimated wait; zero once it has been called.

    Ahead of it stand the tickets of its class that came earlier and every ticket of a stronger
    class, for any service of the windows that serve its own (they call from all of them). The
    wait is those people in rounds of the open windows serving its service at the service's
    pace; with no such window open there is no wait to promise (None). ``new``: the ticket was
    issued in this transaction, so every ticket of its class already waiting is earlier (no count).
    """
    if ticket.status != "waiting":
        return WaitEstimate(0, 0)
    if isinstance(conn, Session):
        conn = conn.connection()
    served = conn.execute(_SERVED, {"service_id": ticket.service_id}).all()
    open_windows = len({window for window, state, _ in served if state == "open"})
    rivals = sorted({service for *_, service in served} | {ticket.service_id})
    counts = waiting_by_class(conn, ticket.hall_id, ticket.business_date, rivals)
    mine = Priority(ticket.priority)
    if new:
        earlier = counts.get(mine, 0)  # its own tally is written as the transaction commits
    else:
        earlier = conn.execute(_EARLIER_OF_CLASS, {
            "hall_id": ticket.hall_id, "day": ticket.business_date, "service_ids": rivals,
            "priority": ticket.priority, "arrived_at": ticket.arrived_at, "id": ticket.id}).scalar_one()
    ahead = people_ahead(mine, counts, earlier)
    seconds = average_service_seconds(conn, ticket.hall_id, ticket.service_id, ticket.business_date,
                                      catalog_minutes)
    return estimate_wait(ahead, seconds, open_windows)


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
