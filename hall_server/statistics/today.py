"""Today's hall as 督查科 and the leaders watch it: queues, windows, and the day's counts so far.

Read every few seconds by every open "today's hall" page, so every read here is a grouped count
over today's part of an index, whatever the history: the waiting come from the queue's tallies
(``tickets/tallies.py``), the oldest waiting ticket of each service from ``ix_ticket_waiting``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hall_server.auth.models import User
from hall_server.catalog.models import Hall, Service, Window
from hall_server.evaluation.models import Rating
from hall_server.statistics.queries import LEVELS, NO_SHOW, SERVED
from hall_server.tickets.models import Ticket
from hall_server.tickets.queries import business_date
from hall_server.tickets.tallies import waiting_by_service


@dataclass(frozen=True)
class Queue:
    service_id: int
    code: str
    name: str
    name_en: str
    waiting: int
    longest_seconds: int  # since the oldest waiting ticket took its place in line; 0 when none waits


@dataclass(frozen=True)
class Desk:
    """A window now: open, paused (and why) or closed, who is signed in, whom it is serving."""

    id: int
    number: int
    name: str
    location: str
    state: str
    pause_reason: str
    staff: str  # the signed-in staff member's name, "" when closed
    current: str  # the ticket number at the window, "" when none
    current_status: str
    served: int
    no_shows: int


@dataclass
class Today:
    day: date
    now: datetime
    timezone: str
    queues: list[Queue]
    desks: list[Desk]
    issued: int = 0
    served: int = 0
    no_shows: int = 0
    ratings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @property
    def clock(self) -> str:
        """The moment read, as the hall's clocks show it."""
        return self.now.astimezone(ZoneInfo(self.timezone)).strftime("%H:%M:%S")

    @property
    def waiting(self) -> int:
        return sum(q.waiting for q in self.queues)

    @property
    def longest_seconds(self) -> int:
        return max((q.longest_seconds for q in self.queues), default=0)

    def windows_in(self, state: str) -> int:
        return sum(1 for d in self.desks if d.state == state)


def today(session: Session, now: datetime, hall: Hall) -> Today:
    day = business_date(hall, now)
    today_ = (Ticket.hall_id == hall.id) & (Ticket.business_date == day)
    waiting = waiting_by_service(session.connection(), hall.id, day)
    oldest = dict(session.execute(select(Ticket.service_id, func.min(Ticket.arrived_at))
                                  .where(today_, Ticket.status == "waiting").group_by(Ticket.service_id)).all())
    services = session.execute(select(Service.id, Service.code, Service.name, Service.name_en, Service.active)
                               .where(Service.hall_id == hall.id).order_by(Service.code)).all()
    queues = [Queue(s.id, s.code, s.name, s.name_en or s.name, waiting.get(s.id, 0),
                    max(int((now - oldest[s.id]).total_seconds()), 0) if s.id in oldest else 0)
              for s in services if s.active or waiting.get(s.id) or s.id in oldest]
    by_status = dict(session.execute(select(Ticket.status, func.count()).where(today_).group_by(Ticket.status)).all())
    at_window: dict[tuple[int, str], int] = {
        (w, s): n for w, s, n in session.execute(
            select(Ticket.window_id, Ticket.status, func.count())
            .where(today_, Ticket.status.in_((SERVED, NO_SHOW))).group_by(Ticket.window_id, Ticket.status))}
    windows = session.execute(
        select(Window, User.display_name).outerjoin(User, User.id == Window.staff_id)
        .where(Window.hall_id == hall.id, Window.active.is_(True) | (Window.state != "closed"))
        .order_by(Window.number)).all()
    current_ids = [w.current_ticket_id for w, _ in windows if w.current_ticket_id]
    current = {t.id: t for t in session.execute(select(Ticket.id, Ticket.number, Ticket.status)
                                                .where(Ticket.id.in_(current_ids)))} if current_ids else {}
    desks = []
    for w, staff in windows:
        ticket = current.get(w.current_ticket_id)
        here = ticket is not None and ticket.status in ("called", "serving")
        desks.append(Desk(w.id, w.number, w.name, w.location, w.state, w.pause_reason,
                          staff or "" if w.staff_id else "", ticket.number if here else "",
                          ticket.status if here else "", at_window.get((w.id, SERVED), 0),
                          at_window.get((w.id, NO_SHOW), 0)))
    found = Today(day, now, hall.timezone, queues, desks, issued=sum(by_status.values()),
                  served=by_status.get(SERVED, 0), no_shows=by_status.get(NO_SHOW, 0))
    for level, n in session.execute(select(Rating.level, func.count()).join(Ticket, Ticket.id == Rating.ticket_id)
                                    .where(today_).group_by(Rating.level)):
        found.ratings[level] = n
    return found
