"""Read models: a ticket's public status, a window's desk view, and the hall's current state.

The status view is all an applicant's token reveals: that one ticket, nothing personal.
The hall view lets a board or caller that opens mid-day show the present at once, then
follow events from ``last_event_id``.
"""

from __future__ import annotations

import hmac
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hall_queue.numbering import format_number, parse_number
from hall_server.catalog.models import Hall, Service, Window, window_services
from hall_server.errors import HallError
from hall_server.evaluation.models import Rating
from hall_server.events.models import Event
from hall_server.tickets.models import Ticket
from hall_server.tickets.queries import business_date, opening_hours, ticket_payload, wait_for
from hall_server.tickets.tallies import waiting_by_service

RECENT_CALLS = 12
# A window that calls on without starting parks each applicant who never came: its desk shows the
# held tickets and the latest no-shows, not a day's worth.
PARKED_SHOWN = 50
CALL_KINDS = ("ticket.called", "ticket.recalled", "ticket.called_back")


def ticket_status(session: Session, status_token: str) -> dict | None:
    """The ticket's status, or None when the token is no ticket's (it may be a case's)."""
    ticket = session.scalar(select(Ticket).where(Ticket.status_token == status_token))
    return status_of(session, ticket) | {"kind": "ticket"} if ticket is not None else None


def find_by_number(session: Session, now: datetime, hall: Hall, number: str, code: str) -> dict:
    """Today's ticket with this number and check code (when the QR no longer scans), with its token."""
    parsed = parse_number(number)
    if parsed is None:
        raise HallError("ticket_not_found", 404)
    ticket = session.scalar(select(Ticket).where(
        Ticket.hall_id == hall.id, Ticket.business_date == business_date(hall, now),
        Ticket.number == format_number(*parsed)))
    if ticket is None or not hmac.compare_digest(ticket.check_code.encode(), code.strip().upper().encode()):
        raise HallError("ticket_not_found", 404)
    return status_of(session, ticket) | {"status_token": ticket.status_token}


def status_of(session: Session, ticket: Ticket) -> dict:
    wait = wait_for(session, ticket)
    window = ticket.window
    rated = session.scalar(select(Rating.level).where(Rating.ticket_id == ticket.id))
    hall = session.get(Hall, ticket.hall_id)
    return {
        "number": ticket.number,
        "status": ticket.status,
        "priority": ticket.priority,
        "hall_name": hall.name,
        "service_name": ticket.service.name,
        "service_name_en": ticket.service.name_en,
        "issued_at": ticket.issued_at.isoformat(),
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
        "finished_at": ticket.finished_at.isoformat() if ticket.finished_at else None,
        "waiting_ahead": wait.waiting_ahead,
        "estimated_wait_seconds": wait.estimated_wait_seconds,
        "window_number": window.number if window else None,
        "window_location": window.location if window else None,
        "window_location_en": window.location_en if window else None,
        "can_rate": ticket.status == "finished" and rated is None,
        "rating": rated,
        "where_to_go": [
            {"number": w.number, "location": w.location, "location_en": w.location_en}
            for w in ticket.service.windows
        ],
    }


def window_desk(session: Session, now: datetime, window: Window) -> dict:
    """Everything a soft caller shows for its window, in one read."""
    hall = window.hall
    last_id = _last_event(session, hall.id)  # first: replaying a little too much is safe, missing is not
    day = business_date(hall, now)
    service_ids = [s.id for s in window.services]
    counts = waiting_by_service(session.connection(), hall.id, day)
    waiting = session.scalars(
        select(Ticket).where(
            Ticket.hall_id == hall.id, Ticket.business_date == day, Ticket.status == "waiting",
            Ticket.service_id.in_(service_ids),
            (Ticket.target_window_id.is_(None)) | (Ticket.target_window_id == window.id),
        ).order_by(Ticket.arrived_at, Ticket.id).limit(50)
    ).all()
    parked = sorted(session.scalars(
        select(Ticket).where(
            Ticket.window_id == window.id, Ticket.business_date == day, Ticket.status.in_(("held", "no_show"))
        ).order_by(Ticket.status != "held", Ticket.called_at.desc()).limit(PARKED_SHOWN)
    ).all(), key=lambda t: t.called_at)
    current = session.get(Ticket, window.current_ticket_id) if window.current_ticket_id else None
    mine = select(Ticket).where(
        Ticket.window_id == window.id, Ticket.business_date == day, Ticket.status == "finished"
    ).subquery()
    served, avg_seconds = session.execute(
        select(func.count(), func.avg(_seconds_between(session, mine.c.called_at, mine.c.finished_at)))
    ).one()
    # Called and never came: counted apart, never as served (they may still be called back).
    no_shows = session.scalar(select(func.count()).where(
        Ticket.window_id == window.id, Ticket.business_date == day, Ticket.status == "no_show"))
    ratings = dict(session.execute(
        select(Rating.level, func.count()).join(Ticket, Ticket.id == Rating.ticket_id)
        .where(Ticket.window_id == window.id, Ticket.business_date == day).group_by(Rating.level)
    ).all())
    oldest = min((t.arrived_at for t in waiting), default=None)  # in arrival order: the first is the oldest
    return {
        "window": {
            "id": window.id, "number": window.number, "name": window.name, "location": window.location,
            "area": window.area, "state": window.state, "pause_reason": window.pause_reason,
            "staff_id": window.staff_id,
        },
        "current": ticket_payload(current, window) | {
            "started_at": current.started_at.isoformat() if current.started_at else None
        } if current else None,
        "services": [
            {"id": s.id, "code": s.code, "name": s.name, "prefix": s.series, "waiting": counts.get(s.id, 0)}
            for s in window.services
        ],
        "waiting": [ticket_payload(t, None) for t in waiting],
        "waiting_count": sum(counts.get(s, 0) for s in service_ids),
        "longest_wait_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "parked": [ticket_payload(t, window) for t in parked],
        "today": {
            "served": served or 0,
            "no_shows": no_shows or 0,
            "average_service_seconds": round(float(avg_seconds or 0)),
            "ratings": {lvl: ratings.get(lvl, 0) for lvl in ("good", "fairly_good", "average", "poor")},
        },
        "last_event_id": last_id,
    }


def _seconds_between(session: Session, a, b):
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", b - a)
    return (func.julianday(b) - func.julianday(a)) * 86400.0


def _last_event(session: Session, hall_id: int) -> int:
    """The hall's last event id: a board or caller resumes its stream after it."""
    return session.scalar(select(func.coalesce(func.max(Event.id), 0)).where(Event.hall_id == hall_id)) or 0


def hall_board(session: Session, now: datetime, hall: Hall) -> dict:
    """The hall as a board shows it now: windows and their calls, queues, recent calls."""
    day = business_date(hall, now)
    last_id = _last_event(session, hall.id)
    counts = waiting_by_service(session.connection(), hall.id, day)
    windows = session.scalars(select(Window).where(Window.hall_id == hall.id, Window.active.is_(True))
                              .order_by(Window.number)).all()
    current_ids = [w.current_ticket_id for w in windows if w.current_ticket_id]
    current = {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(current_ids)))}
    recent = session.scalars(
        select(Event).where(Event.hall_id == hall.id, Event.kind.in_(CALL_KINDS))
        .order_by(Event.id.desc()).limit(RECENT_CALLS)
    ).all()
    served_by: dict[int, list[int]] = {}
    for sid, wid in session.execute(
        select(window_services.c.service_id, window_services.c.window_id)
        .join(Window, Window.id == window_services.c.window_id).where(Window.hall_id == hall.id)
    ):
        served_by.setdefault(sid, []).append(wid)
    services = session.scalars(select(Service).where(Service.hall_id == hall.id, Service.active.is_(True))).all()
    hours = opening_hours(hall)
    return {
        "hall": {"id": hall.id, "name": hall.name, "name_en": hall.name_en, "notice": hall.notice,
                 "notice_en": hall.notice_en, "hours": hours.describe(), "timezone": hall.timezone},
        "now": now.isoformat(),
        "windows": [
            {
                "id": w.id, "number": w.number, "name": w.name, "name_en": w.name_en, "location": w.location,
                "area": w.area, "state": w.state, "pause_reason": w.pause_reason,
                "current": ticket_payload(current[w.current_ticket_id], w)
                if w.current_ticket_id in current and current[w.current_ticket_id].status in ("called", "serving")
                else None,
            }
            for w in windows
        ],
        "queues": [
            {"service_id": s.id, "name": s.name, "name_en": s.name_en, "prefix": s.series,
             "waiting": counts.get(s.id, 0), "window_ids": served_by.get(s.id, [])}
            for s in services
        ],
        "recent_calls": [e.payload["ticket"] | {"event_id": e.id, "kind": e.kind} for e in recent],
        "last_event_id": last_id,
    }
