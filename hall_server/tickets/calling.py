"""What a window does: sign in, call next, recall, skip, hold, call back, transfer, finish, pause.

Every ticket move goes through ``hall_queue.states.next_status``, so an illegal move is
refused the same way from the soft caller, a physical keypad or the API. Staff act only on
the window they signed in to; a bus device acts for the staff member signed in at a window.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, true, update
from sqlalchemy.orm import Session

from hall_queue.policy import CallPolicy, Candidate, Priority, choose_next
from hall_queue.states import AT_WINDOW, IllegalTransition, TicketAction, TicketStatus, next_status
from hall_server.auth.models import Role, User
from hall_server.auth.service import Actor
from hall_server.catalog.models import Service, Window, window_services
from hall_server.errors import HallError
from hall_server.events.outbox import emit
from hall_server.messages import ACTION_NAMES, STATUS_NAMES
from hall_server.tickets.models import Ticket
from hall_server.tickets.queries import business_date, ticket_payload

CANDIDATES_PER_CLASS = 5
CLAIM_ATTEMPTS = 50


def load_window(session: Session, window_id: int, *, lock: bool = True) -> Window:
    q = select(Window).where(Window.id == window_id)
    if lock:
        q = q.with_for_update()
    window = session.scalar(q)
    if window is None:
        raise HallError("window_not_found", 404)
    return window


def check_window_actor(window: Window, actor: Actor) -> int:
    """The staff member the action is recorded for; refuses anyone else's window."""
    if actor.role == Role.BUS:
        actor.require_hall(window.hall_id)
        if window.staff_id is None:
            raise HallError("window_not_signed_in", 409)
        return window.staff_id
    if actor.role not in (Role.STAFF, Role.ADMIN, Role.SUPERVISION):
        raise HallError("forbidden", 403)
    actor.require_hall(window.hall_id)
    if window.staff_id is None:
        raise HallError("window_not_signed_in", 409)
    if actor.role == Role.STAFF and window.staff_id != actor.user_id:
        raise HallError("not_your_window", 403)
    return window.staff_id


def _move(ticket: Ticket, action: TicketAction) -> None:
    try:
        ticket.status = next_status(TicketStatus(ticket.status), action).value
    except IllegalTransition as exc:
        zh, en = STATUS_NAMES[exc.status.value]
        azh, aen = ACTION_NAMES[action.value]
        raise HallError("illegal_transition", 409, state=zh, state_en=en, action=azh, action_en=aen) from None


def window_payload(window: Window) -> dict:
    return {
        "id": window.id, "number": window.number, "name": window.name, "location": window.location,
        "area": window.area, "state": window.state, "pause_reason": window.pause_reason,
        "current_ticket_id": window.current_ticket_id,
    }


def _emit_ticket(session: Session, now: datetime, kind: str, ticket: Ticket, window: Window | None) -> None:
    payload = {"ticket": ticket_payload(ticket, window)}
    if window is not None:
        payload["window"] = window_payload(window)
    emit(session, ticket.hall_id, kind, now, payload)


def _finish_current(session: Session, now: datetime, window: Window) -> None:
    """Calling the next applicant ends the service of the one at the window."""
    if window.current_ticket_id is None:
        return
    current = session.get(Ticket, window.current_ticket_id, with_for_update=True)
    window.current_ticket_id = None
    if current is not None and current.status in {s.value for s in AT_WINDOW}:
        _move(current, TicketAction.FINISH)
        current.finished_at = now
        window.last_finished_ticket_id = current.id
        _emit_ticket(session, now, "ticket.finished", current, window)


def _current(session: Session, window: Window, ticket_id: int | None) -> Ticket:
    """The ticket an action is about: the one named, which must be this window's, or the current one."""
    if ticket_id is None:
        if window.current_ticket_id is None:
            raise HallError("no_current_ticket", 409)
        ticket_id = window.current_ticket_id
    ticket = session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None or ticket.hall_id != window.hall_id:
        raise HallError("ticket_not_found", 404)
    if ticket.window_id != window.id:
        raise HallError("ticket_not_at_window", 409)
    return ticket


def sign_in(session: Session, now: datetime, window: Window, actor: Actor) -> Window:
    """Staff take a window; a window left signed in elsewhere by the same person is closed."""
    if actor.role != Role.STAFF or actor.user_id is None:
        raise HallError("forbidden", 403)
    actor.require_hall(window.hall_id)
    for other in session.scalars(
        select(Window).where(Window.staff_id == actor.user_id, Window.id != window.id).with_for_update()
    ):
        other.staff_id, other.state = None, "closed"
        emit(session, other.hall_id, "window.signed_out", now, {"window": window_payload(other)})
    window.staff_id = actor.user_id
    window.state = "open"
    window.pause_reason = ""
    staff = session.get(User, actor.user_id)
    emit(session, window.hall_id, "window.signed_in", now, {
        "window": window_payload(window), "staff_name": staff.display_name if staff else "",
    })
    return window


def sign_out(session: Session, now: datetime, window: Window, actor: Actor) -> Window:
    check_window_actor(window, actor)
    window.staff_id, window.state, window.pause_reason = None, "closed", ""
    emit(session, window.hall_id, "window.signed_out", now, {"window": window_payload(window)})
    return window


def pause(session: Session, now: datetime, window: Window, actor: Actor, reason: str) -> Window:
    check_window_actor(window, actor)
    window.state, window.pause_reason = "paused", reason.strip()[:200]
    emit(session, window.hall_id, "window.paused", now, {"window": window_payload(window)})
    return window


def resume(session: Session, now: datetime, window: Window, actor: Actor) -> Window:
    check_window_actor(window, actor)
    window.state, window.pause_reason = "open", ""
    emit(session, window.hall_id, "window.resumed", now, {"window": window_payload(window)})
    return window


def _candidates(session: Session, window: Window, day, exclude: set[int]) -> list[Candidate]:
    """The oldest few waiting tickets of each class among the window's services."""
    served = select(window_services.c.service_id).where(window_services.c.window_id == window.id)
    ranked = (
        select(
            Ticket.id, Ticket.priority, Ticket.arrived_at,
            func.row_number().over(partition_by=Ticket.priority, order_by=(Ticket.arrived_at, Ticket.id)).label("rk"),
        )
        .where(
            Ticket.hall_id == window.hall_id, Ticket.business_date == day, Ticket.status == "waiting",
            Ticket.service_id.in_(served),
            (Ticket.target_window_id.is_(None)) | (Ticket.target_window_id == window.id),
            Ticket.id.not_in(exclude) if exclude else true(),
        )
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.id, ranked.c.priority, ranked.c.arrived_at).where(ranked.c.rk <= CANDIDATES_PER_CLASS)
    ).all()
    return [Candidate(i, Priority(p), a) for i, p, a in rows]


def call_next(session: Session, now: datetime, window: Window, actor: Actor) -> Ticket | None:
    """Finish the current applicant and claim the next by the hall's call policy, or None."""
    staff_id = check_window_actor(window, actor)
    if window.state == "paused":
        raise HallError("window_paused", 409)
    _finish_current(session, now, window)
    hall = window.hall
    policy = CallPolicy(priority_run=hall.priority_run, max_wait=timedelta(minutes=hall.max_wait_minutes))
    day = business_date(hall, now)
    tried: set[int] = set()
    for _ in range(CLAIM_ATTEMPTS):
        choice = choose_next(_candidates(session, window, day, tried), policy, window.priority_streak, now)
        if choice is None:
            return None
        # Claim: lock the chosen ticket, skipping it if another window is claiming it right now
        # (PostgreSQL SKIP LOCKED; SQLite has one writer anyway), then check it still waits.
        locked = session.scalar(
            select(Ticket.id).where(Ticket.id == choice.ticket_id, Ticket.status == "waiting")
            .with_for_update(skip_locked=True)
        )
        claimed = locked is not None and session.execute(
            update(Ticket).where(Ticket.id == choice.ticket_id, Ticket.status == "waiting")
            .values(status="called", window_id=window.id, staff_id=staff_id, called_at=now, recall_count=0)
            .execution_options(synchronize_session=False)
        ).rowcount == 1
        if claimed:
            ticket = session.get(Ticket, choice.ticket_id, populate_existing=True)
            window.current_ticket_id = ticket.id
            window.priority_streak = choice.priority_streak
            _emit_ticket(session, now, "ticket.called", ticket, window)
            return ticket
        tried.add(choice.ticket_id)
    return None


def recall(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int | None = None) -> Ticket:
    check_window_actor(window, actor)
    ticket = _current(session, window, ticket_id)
    _move(ticket, TicketAction.RECALL)
    limit = window.hall.recall_limit
    if ticket.recall_count >= limit:
        raise HallError("recall_limit", 409, limit=limit)
    ticket.recall_count += 1
    _emit_ticket(session, now, "ticket.recalled", ticket, window)
    return ticket


def start(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int | None = None) -> Ticket:
    check_window_actor(window, actor)
    ticket = _current(session, window, ticket_id)
    _move(ticket, TicketAction.START)
    ticket.started_at = now
    _emit_ticket(session, now, "ticket.started", ticket, window)
    return ticket


def finish(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int | None = None) -> Ticket:
    check_window_actor(window, actor)
    ticket = _current(session, window, ticket_id)
    _move(ticket, TicketAction.FINISH)
    ticket.finished_at = now
    window.current_ticket_id = None
    window.last_finished_ticket_id = ticket.id
    _emit_ticket(session, now, "ticket.finished", ticket, window)
    return ticket


def _leave_window(window: Window, ticket: Ticket) -> None:
    if window.current_ticket_id == ticket.id:
        window.current_ticket_id = None


def _stepping_away(action: TicketAction, kind: str, doc: str):
    """A move that takes the ticket away from the window (skip, hold, cancel): one shape, three names."""

    def step(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int | None = None) -> Ticket:
        check_window_actor(window, actor)
        ticket = _current(session, window, ticket_id)
        _move(ticket, action)
        _leave_window(window, ticket)
        _emit_ticket(session, now, kind, ticket, window)
        return ticket

    step.__doc__ = doc
    return step


skip = _stepping_away(TicketAction.SKIP, "ticket.skipped", "过号: the called applicant did not come.")
hold = _stepping_away(TicketAction.HOLD, "ticket.held", "挂起: set aside, to be called back by this window.")
cancel = _stepping_away(TicketAction.CANCEL, "ticket.cancelled", "Cancel a ticket of this window.")


def call_back(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int) -> Ticket:
    """Call a held or missed ticket of this window again; the window must be free."""
    check_window_actor(window, actor)
    if window.state == "paused":
        raise HallError("window_paused", 409)
    ticket = _current(session, window, ticket_id)
    if window.current_ticket_id is not None and window.current_ticket_id != ticket.id:
        busy = session.get(Ticket, window.current_ticket_id)
        if busy is not None and busy.status in {s.value for s in AT_WINDOW}:
            raise HallError("window_busy", 409, number=busy.number)
    _move(ticket, TicketAction.CALL_BACK)
    ticket.called_at, ticket.recall_count = now, 0
    window.current_ticket_id = ticket.id
    _emit_ticket(session, now, "ticket.called_back", ticket, window)
    return ticket


def requeue(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int) -> Ticket:
    """A late applicant is put back in line, keeping the place their arrival time gives them."""
    check_window_actor(window, actor)
    ticket = _current(session, window, ticket_id)
    _move(ticket, TicketAction.REQUEUE)
    ticket.window_id = None
    _emit_ticket(session, now, "ticket.requeued", ticket, window)
    return ticket


def transfer(
    session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int | None = None, *,
    service_id: int | None = None, to_window_id: int | None = None, note: str = "",
) -> Ticket:
    """Send a ticket to another service or window; it keeps its original arrival time."""
    check_window_actor(window, actor)
    if service_id is None and to_window_id is None:
        raise HallError("transfer_target_required", 422)
    ticket = _current(session, window, ticket_id)
    service = session.get(Service, service_id) if service_id is not None else ticket.service
    if service is None or service.hall_id != window.hall_id:
        raise HallError("service_not_found", 404)
    target = None
    if to_window_id is not None:
        target = session.get(Window, to_window_id)
        if target is None or target.hall_id != window.hall_id:
            raise HallError("window_not_found", 404)
        if service.id not in {s.id for s in target.services}:
            raise HallError("transfer_target_mismatch", 409)
    _move(ticket, TicketAction.TRANSFER)
    _leave_window(window, ticket)
    ticket.service_id, ticket.service = service.id, service
    ticket.target_window_id = target.id if target else None
    ticket.window_id = None
    ticket.note = note.strip()[:300]
    _emit_ticket(session, now, "ticket.transferred", ticket, window)
    return ticket
