"""Reads shared by issuing, calling and status: who waits, how fast a service goes, business dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, case, func, select
from sqlalchemy.orm import Session

from hall_queue.estimate import WaitEstimate, estimate_wait, people_ahead
from hall_queue.hours import OpeningHours
from hall_queue.policy import Priority
from hall_server.catalog.models import Hall, Service, Window, window_services
from hall_server.tickets.models import Ticket

AVERAGE_SAMPLE_MIN = 3  # finished tickets today before today's pace replaces the catalog's


def local_now(timezone: str, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(timezone))


def business_date(hall: Hall, now: datetime) -> date:
    return local_now(hall.timezone, now).date()


def opening_hours(hall: Hall) -> OpeningHours:
    return OpeningHours.parse(hall.hours, hall.lunch)


# The wait estimate runs on every issue and every status lookup: prebuilt Core statements.
T, S, W, WS = Ticket.__table__, Service.__table__, Window.__table__, window_services
_EARLIER = (T.c.arrived_at < bindparam("arrived_at")) | (
    (T.c.arrived_at == bindparam("arrived_at")) & (T.c.id < bindparam("id")))
_AHEAD = select(T.c.priority, func.count(), func.sum(case((_EARLIER, 1), else_=0))).where(
    T.c.hall_id == bindparam("hall_id"), T.c.business_date == bindparam("day"),
    T.c.service_id == bindparam("service_id"), T.c.status == "waiting", T.c.id != bindparam("id"),
).group_by(T.c.priority)
_PACE = select(T.c.called_at, T.c.finished_at).where(
    T.c.hall_id == bindparam("hall_id"), T.c.business_date == bindparam("day"),
    T.c.service_id == bindparam("service_id"), T.c.status == "finished", T.c.called_at.is_not(None),
).order_by(T.c.finished_at.desc()).limit(20)
_CATALOG_PACE = select(S.c.avg_service_minutes).where(S.c.id == bindparam("service_id"))
_OPEN_WINDOWS = select(func.count()).select_from(W.join(WS, WS.c.window_id == W.c.id)).where(
    WS.c.service_id == bindparam("service_id"), W.c.state == "open")


def average_service_seconds(conn: Connection, hall_id: int, service_id: int, day: date,
                            catalog_minutes: float | None = None) -> float:
    """Today's mean time from call to finish for the service, or the catalog's figure."""
    rows = conn.execute(_PACE, {"hall_id": hall_id, "service_id": service_id, "day": day}).all()
    if len(rows) >= AVERAGE_SAMPLE_MIN:
        return sum((f - c).total_seconds() for c, f in rows) / len(rows)
    if catalog_minutes is None:
        catalog_minutes = conn.execute(_CATALOG_PACE, {"service_id": service_id}).scalar_one()
    return catalog_minutes * 60.0


def wait_for(conn: Connection | Session, ticket, *, open_windows: int | None = None,
             catalog_minutes: float | None = None) -> WaitEstimate:
    """People ahead of a waiting ticket, and the estimated wait; zero once it has been called.

    ``ticket`` is anything with the ticket's columns as attributes (an ORM ticket or a row).
    A caller that has just read the service's open windows and catalog pace passes them, and
    saves two round trips.
    """
    if ticket.status != "waiting":
        return WaitEstimate(0, 0)
    if isinstance(conn, Session):
        conn = conn.connection()
    key = {"hall_id": ticket.hall_id, "day": ticket.business_date, "service_id": ticket.service_id}
    rows = conn.execute(_AHEAD, key | {"id": ticket.id, "arrived_at": ticket.arrived_at}).all()
    counts = {Priority(p): n for p, n, _ in rows if p != ticket.priority}
    earlier = next((int(e or 0) for p, _, e in rows if p == ticket.priority), 0)
    ahead = people_ahead(Priority(ticket.priority), counts, earlier)
    pace = average_service_seconds(conn, ticket.hall_id, ticket.service_id, ticket.business_date, catalog_minutes)
    if open_windows is None:
        open_windows = conn.execute(_OPEN_WINDOWS, {"service_id": ticket.service_id}).scalar_one()
    return estimate_wait(ahead, pace, open_windows)


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
