"""Issuing a ticket: the number comes from a counter row bumped inside the issuing transaction.

The upsert ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` takes the counter row's lock, so
two kiosks issuing in the same series wait for each other and never share a number; the
daily cap and the idempotency key are checked under that same lock.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hall_queue.estimate import WaitEstimate
from hall_queue.numbering import format_number
from hall_queue.policy import Priority
from hall_server.catalog.models import Hall, Service
from hall_server.errors import HallError
from hall_server.events.outbox import emit
from hall_server.tickets.models import GreenPass, Ticket, TicketCounter
from hall_server.tickets.queries import local_now, opening_hours, ticket_payload, wait_for

CHECK_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L look-alikes


def new_check_code() -> str:
    """Four random characters printed beside the QR; random per ticket, never derived from its id."""
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(4))


@dataclass(frozen=True)
class IssuedTicket:
    ticket: Ticket
    wait: WaitEstimate
    replayed: bool  # True when an idempotent retry returned the ticket issued before


def _bump_counter(session: Session, hall_id: int, series: str, day) -> int:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(TicketCounter).values(hall_id=hall_id, series=series, business_date=day, last_number=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["hall_id", "series", "business_date"],
        set_={"last_number": TicketCounter.last_number + 1},
    ).returning(TicketCounter.last_number)
    return session.execute(stmt).scalar_one()


def _replay(session: Session, issuer_token_id: int | None, key: str | None, service_id: int) -> IssuedTicket | None:
    if not key or issuer_token_id is None:
        return None
    ticket = session.scalar(
        select(Ticket).where(Ticket.issuer_token_id == issuer_token_id, Ticket.idempotency_key == key)
    )
    if ticket is None:
        return None
    if ticket.service_id != service_id:
        raise HallError("idempotency_conflict", 409)
    return IssuedTicket(ticket, wait_for(session, ticket), replayed=True)


def _check_priority(session: Session, hall: Hall, priority: Priority, green_code: str | None, day) -> None:
    if priority == Priority.URGENT:
        # 急办件 are designated by the center, not chosen at a kiosk.
        raise HallError("urgent_not_allowed", 403)
    if priority == Priority.GREEN:
        ok = green_code and session.scalar(
            select(GreenPass.id).where(
                GreenPass.hall_id == hall.id, GreenPass.code == green_code.strip(), GreenPass.valid_until >= day
            )
        )
        if not ok:
            raise HallError("green_code_required", 403)


def issue_ticket(
    session: Session, now: datetime, *, hall_id: int, service_id: int, priority: Priority = Priority.NORMAL,
    idempotency_key: str | None = None, issuer_token_id: int | None = None, green_code: str | None = None,
    allow_urgent: bool = False,
) -> IssuedTicket:
    replay = _replay(session, issuer_token_id, idempotency_key, service_id)
    if replay:
        return replay
    service = session.get(Service, service_id)
    if service is None or service.hall_id != hall_id or not service.active:
        raise HallError("service_not_found", 404)
    hall = service.hall
    if not service.windows:
        raise HallError("service_not_served", 409)
    hours = opening_hours(hall)
    local = local_now(hall, now)
    if not hours.is_open(local):
        next_open = f"{hours.next_opening(local):%m-%d %H:%M}"
        raise HallError("hall_closed", 409, hours=hours.describe(), next_open=next_open)
    day = local.date()
    if not (allow_urgent and priority == Priority.URGENT):
        _check_priority(session, hall, priority, green_code, day)

    sequence = _bump_counter(session, hall.id, service.series, day)
    replay = _replay(session, issuer_token_id, idempotency_key, service_id)  # a twin that won the lock
    if replay:
        session.rollback()
        return replay
    # The series' sequence counts every ticket of the series today, so the service's own count can
    # reach its cap only once the sequence has: below that, skip the count.
    if sequence > service.daily_cap and session.scalar(
        select(func.count()).where(
            Ticket.hall_id == hall.id, Ticket.business_date == day, Ticket.service_id == service.id
        )
    ) >= service.daily_cap:
        session.rollback()
        raise HallError("daily_cap_reached", 409, next_open=f"{hours.open:%H:%M}")

    ticket = Ticket(
        hall_id=hall.id, service_id=service.id, business_date=day, series=service.series, sequence=sequence,
        number=format_number(service.series, sequence), priority=priority.value, status="waiting",
        status_token=secrets.token_urlsafe(24), check_code=new_check_code(), issuer_token_id=issuer_token_id,
        idempotency_key=idempotency_key, issued_at=now, arrived_at=now,
    )
    ticket.service = service
    session.add(ticket)
    session.flush()
    wait = wait_for(session, ticket)
    emit(session, hall.id, "ticket.issued", now, {
        "ticket": ticket_payload(ticket), "waiting_ahead": wait.waiting_ahead,
        "estimated_wait_seconds": wait.estimated_wait_seconds,
    })
    return IssuedTicket(ticket, wait, replayed=False)

