"""Recording a rating once per ticket, from the QR page, the kiosk or the window's rating pad."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hall_server.cases.models import Case
from hall_server.cases.views import case_rating
from hall_server.catalog.models import Window
from hall_server.errors import HallError
from hall_server.evaluation.models import Rating, RatingLevel
from hall_server.events.outbox import emit
from hall_server.tickets.models import Ticket

POOR_REASONS = ("attitude", "slow", "unclear", "materials", "environment", "other")


def rate_ticket(
    session: Session, now: datetime, ticket: Ticket, level: RatingLevel, channel: str,
    reasons: list[str] | None = None, comment: str = "",
) -> Rating:
    if ticket.status == "no_show":  # called, never came: there was no service to rate
        raise HallError("rating_no_show", 409, number=ticket.number)
    if ticket.status != "finished":
        raise HallError("rating_not_finished", 409)
    if session.scalar(select(Rating.id).where(Rating.ticket_id == ticket.id)) is not None:
        raise HallError("rating_already", 409)
    window = session.get(Window, ticket.window_id) if ticket.window_id else None
    # To the staff member who served: the ticket's, whoever pressed the window's keys.
    rating = Rating(
        ticket_id=ticket.id, hall_id=ticket.hall_id, window_id=ticket.window_id,
        department_id=window.department_id if window else ticket.service.department_id,
        staff_id=ticket.staff_id, level=level.value, channel=channel,
        reasons=[r for r in (reasons or []) if r in POOR_REASONS], comment=comment.strip()[:500], created_at=now,
    )
    session.add(rating)
    session.flush()  # the unique ticket_id makes a racing second rating fail here
    emit(session, ticket.hall_id, "rating.submitted", now, {
        "ticket_id": ticket.id, "number": ticket.number, "window_id": ticket.window_id,
        "window_number": window.number if window else None, "level": level.value, "channel": channel,
    })
    return rating


def rate_case(session: Session, now: datetime, case: Case, level: RatingLevel, channel: str,
              reasons: list[str] | None = None, comment: str = "") -> Rating:
    """一事一评: a case is rated once it is finished (or returned), once, whether at the window for the
    ticket that brought it or by its own QR; the rating names both, so neither can be rated again."""
    if case.status not in ("finished", "returned"):
        raise HallError("rating_case_not_finished", 409)
    if case_rating(session, case) is not None:
        raise HallError("rating_already", 409)  # the page and the kiosk word it for a case
    rating = Rating(
        ticket_id=case.ticket_id, case_id=case.id, hall_id=case.hall_id, window_id=case.window_id,
        department_id=case.department_id, staff_id=case.registered_by, level=level.value, channel=channel,
        reasons=[r for r in (reasons or []) if r in POOR_REASONS], comment=comment.strip()[:500], created_at=now,
    )
    session.add(rating)
    session.flush()
    emit(session, case.hall_id, "rating.submitted", now, {
        "case_id": case.id, "ticket_id": case.ticket_id, "window_id": case.window_id, "level": level.value,
        "channel": channel,
    })
    return rating


def rate_by_token(session: Session, now: datetime, status_token: str, level: RatingLevel, channel: str,
                  reasons: list[str] | None = None, comment: str = "") -> Rating:
    """The token of a ticket or of a case (the QR on a ticket and on a notice open the same page)."""
    ticket = session.scalar(select(Ticket).where(Ticket.status_token == status_token))
    if ticket is not None:
        return rate_ticket(session, now, ticket, level, channel, reasons, comment)
    case = session.scalar(select(Case).where(Case.status_token == status_token))
    if case is None:
        raise HallError("ticket_not_found", 404)
    return rate_case(session, now, case, level, channel, reasons, comment)


def rate_at_window(session: Session, now: datetime, window: Window, level: RatingLevel) -> Rating:
    """The rating pad rates the ticket the window finished last."""
    if window.last_finished_ticket_id is None:
        raise HallError("nothing_to_rate", 409)
    ticket = session.get(Ticket, window.last_finished_ticket_id)
    return rate_ticket(session, now, ticket, level, "pad")
