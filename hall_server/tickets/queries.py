"""Reads shared by issuing, calling and status: who waits, how fast a service goes, business dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from hall_queue.estimate import WaitEstimate, estimate_wait, people_ahead
from hall_queue.hours import OpeningHours
from hall_queue.policy import Priority
from hall_server.catalog.models import Hall, Service, Window, window_services
from hall_server.tickets.models import Ticket

AVERAGE_SAMPLE_MIN = 3  # finished tickets today before today's pace replaces the catalog's


def local_now(hall: Hall, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(hall.timezone))


def business_date(hall: Hall, now: datetime) -> date:
    return local_now(hall, now).date()


def opening_hours(hall: Hall) -> OpeningHours:
    return OpeningHours.parse(hall.hours, hall.lunch)


def average_service_seconds(session: Session, service: Service, day: date) -> float:
    """Today's mean time from call to finish for the service, or the catalog's figure."""
    rows = session.execute(
        select(Ticket.called_at, Ticket.finished_at).where(
            Ticket.hall_id == service.hall_id, Ticket.business_date == day, Ticket.service_id == service.id,
            Ticket.status == "finished", Ticket.called_at.is_not(None),
        ).order_by(Ticket.finished_at.desc()).limit(20)
    ).all()
    if len(rows) >= AVERAGE_SAMPLE_MIN:
        return sum((f - c).total_seconds() for c, f in rows) / len(rows)
    return service.avg_service_minutes * 60.0


def open_windows_for(session: Session, service_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Window).join(window_services, window_services.c.window_id == Window.id)
        .where(window_services.c.service_id == service_id, Window.state == "open")
    ) or 0


def wait_for(session: Session, ticket: Ticket) -> WaitEstimate:
    """People ahead of a waiting ticket, and the estimated wait; zero once it has been called."""
    if ticket.status != "waiting":
        return WaitEstimate(0, 0)
    earlier_than_mine = (Ticket.arrived_at < ticket.arrived_at) | (
        (Ticket.arrived_at == ticket.arrived_at) & (Ticket.id < ticket.id))
    rows = session.execute(
        select(Ticket.priority, func.count(), func.sum(case((earlier_than_mine, 1), else_=0))).where(
            Ticket.hall_id == ticket.hall_id, Ticket.business_date == ticket.business_date,
            Ticket.service_id == ticket.service_id, Ticket.status == "waiting", Ticket.id != ticket.id,
        ).group_by(Ticket.priority)
    ).all()
    counts = {Priority(p): n for p, n, _ in rows if p != ticket.priority}
    earlier = next((int(e or 0) for p, _, e in rows if p == ticket.priority), 0)
    ahead = people_ahead(Priority(ticket.priority), counts, earlier)
    service = ticket.service
    pace = average_service_seconds(session, service, ticket.business_date)
    return estimate_wait(ahead, pace, open_windows_for(session, service.id))


def ticket_payload(ticket: Ticket, window: Window | None = None) -> dict:
    """What boards, callers and the bus need to know of a ticket. Never the status token."""
    window = window if window is not None else ticket.window
    return {
        "id": ticket.id,
        "number": ticket.number,
        "status": ticket.status,
        "priority": ticket.priority,
        "service_id": ticket.service_id,
        "service_name": ticket.service.name,
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
