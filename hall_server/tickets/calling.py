"""What a window does: sign in, call next, recall, skip, hold, call back, transfer, finish, pause.

Every ticket move goes through ``hall_queue.states.next_status``, so an illegal move is
refused the same way from the soft caller, a physical keypad or the API. Staff act only on
the window they signed in to; a bus device acts for the staff member signed in at a window.
Each event of a window's action names who did it (``actor_id``): 督查科 or an admin acting
on someone's window is recorded under their own id, while the ticket (and so its rating)
stays with the staff member signed in there, who serves the applicant.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import Integer, Row, String, bindparam, case, cast, func, select, union_all
from sqlalchemy.orm import Session

from hall_queue.policy import CallPolicy, Candidate, Priority, choose_next
from hall_queue.states import (
    AT_WINDOW,
    IllegalTransition,
    TicketAction,
    TicketStatus,
    after_call_next,
    next_status,
)
from hall_server.auth.accounts import may_sign_in_to
from hall_server.auth.models import Role, User
from hall_server.auth.service import Actor
from hall_server.catalog.models import Hall, Service, Window, window_services
from hall_server.errors import HallError
from hall_server.events.outbox import emit
from hall_server.messages import ACTION_NAMES, STATUS_NAMES
from hall_server.tickets.models import Ticket
from hall_server.tickets.queries import local_now, ticket_payload
from hall_server.tickets.tallies import finished_service, tally

CLAIM_ATTEMPTS = 50  # choices taken by other windows first before this call gives up (only under a storm)


def load_window(session: Session, window_id: int, *, lock: bool = True) -> Window:
    q = select(Window).where(Window.id == window_id)
    if lock:
        q = q.with_for_update()
    window = session.scalar(q)
    if window is None:
        raise HallError("window_not_found", 404)
    return window


def check_window_actor(window: Window, actor: Actor) -> int:
    """Who the action is recorded under; refuses anyone else's window.

    A person is recorded under their own id (staff at their own window, 督查科 or an admin at
    any window of their hall); the device bus under the staff member signed in, for whom it acts.
    """
    if actor.role == Role.BUS:
        actor.require_hall(window.hall_id)
        if window.staff_id is None:
            raise HallError("window_not_signed_in", 409)
        return window.staff_id
    if actor.role not in (Role.STAFF, Role.ADMIN, Role.SUPERVISION) or actor.user_id is None:
        raise HallError("forbidden", 403)
    actor.require_hall(window.hall_id)
    if window.staff_id is None:
        raise HallError("window_not_signed_in", 409)
    if actor.role == Role.STAFF and window.staff_id != actor.user_id:
        raise HallError("not_your_window", 403)
    return actor.user_id


def _move(session: Session, now: datetime, ticket: Ticket, action: TicketAction) -> None:
    """Move a ticket by the state machine, and keep the queue's tallies with it (tallies.py)."""
    before = ticket.status
    try:
        ticket.status = next_status(TicketStatus(before), action).value
    except IllegalTransition as exc:
        zh, en = STATUS_NAMES[exc.status.value]
        azh, aen = ACTION_NAMES[action.value]
        raise HallError("illegal_transition", 409, state=zh, state_en=en, action=azh, action_en=aen) from None
    if before == TicketStatus.WAITING:
        tally(session, ticket, waiting=-1)
    if ticket.status == TicketStatus.WAITING:  # with its service as it is now (a transfer sets it first)
        tally(session, ticket, waiting=1)
    if ticket.status == TicketStatus.FINISHED:
        finished_service(session, ticket, now)


def window_payload(window: Window) -> dict:
    return {
        "id": window.id, "number": window.number, "name": window.name, "location": window.location,
        "area": window.area, "state": window.state, "pause_reason": window.pause_reason,
        "current_ticket_id": window.current_ticket_id,
    }


def _emit_ticket(session: Session, now: datetime, kind: str, ticket, window, actor_id: int) -> dict:
    """Emit a ticket's event with its window and who acted; returns the ticket as the boards see it.

    ``ticket`` and ``window`` are ORM objects or rows (a row names its ``service_name``).
    """
    shown = ticket_payload(ticket, window, service_name=getattr(ticket, "service_name", None))
    payload = {"ticket": shown, "window": window_payload(window), "actor_id": actor_id}
    emit(session, ticket.hall_id, kind, now, payload)
    return shown


def _emit_window(session: Session, now: datetime, kind: str, window: Window, actor_id: int, **more) -> None:
    emit(session, window.hall_id, kind, now, {"window": window_payload(window), "actor_id": actor_id, **more})


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
    """Staff take a free window (or their own again); a window left signed in elsewhere by the same
    person is closed. Someone else's window is refused: whoever signs in acts for its applicants."""
    if actor.role != Role.STAFF or actor.user_id is None:
        raise HallError("forbidden", 403)
    actor.require_hall(window.hall_id)
    if not window.active:  # retired by 业务科 (catalog/retiring.py): read after its row was locked
        raise HallError("window_retired", 409, window=window.number)
    if not may_sign_in_to(session, actor.user_id, window.id):  # bound by the admin to other windows
        raise HallError("window_not_bound", 403)
    if window.staff_id is not None and window.staff_id != actor.user_id:
        holder = session.get(User, window.staff_id)
        raise HallError("window_occupied", 409, window=window.number, name=holder.display_name if holder else "")
    for other in session.scalars(
        select(Window).where(Window.staff_id == actor.user_id, Window.id != window.id).with_for_update()
    ):
        other.staff_id, other.state = None, "closed"
        _emit_window(session, now, "window.signed_out", other, actor.user_id)
    window.staff_id = actor.user_id
    window.state = "open"
    window.pause_reason = ""
    staff = session.get(User, actor.user_id)
    _emit_window(session, now, "window.signed_in", window, actor.user_id,
                 staff_name=staff.display_name if staff else "")
    return window


def sign_out(session: Session, now: datetime, window: Window, actor: Actor) -> Window:
    by = check_window_actor(window, actor)
    window.staff_id, window.state, window.pause_reason = None, "closed", ""
    _emit_window(session, now, "window.signed_out", window, by)
    return window


def pause(session: Session, now: datetime, window: Window, actor: Actor, reason: str) -> Window:
    by = check_window_actor(window, actor)
    window.state, window.pause_reason = "paused", reason.strip()[:200]
    _emit_window(session, now, "window.paused", window, by)
    return window


def resume(session: Session, now: datetime, window: Window, actor: Actor) -> Window:
    by = check_window_actor(window, actor)
    window.state, window.pause_reason = "open", ""
    _emit_window(session, now, "window.resumed", window, by)
    return window


# --- call next: the hottest window action, in prebuilt Core statements (see issuing.py) -------
#
# One window, one transaction: lock the window's row (its double press waits its turn), end the
# ticket at it (served if its service was started, a no-show if not), read the oldest waiting
# ticket of each class for each of its services (one index step each, however long the queue),
# let the hall's policy choose, and claim the chosen ticket with an update that only succeeds
# while it still waits. On PostgreSQL another window may claim the same ticket at the same
# moment: its update waits for ours to commit and then finds the ticket called, reads again and
# chooses again. SKIP LOCKED on the candidates would be wrong here: the policy must see every
# class's oldest ticket to be fair.

T, S, H, W, WS = Ticket.__table__, Service.__table__, Hall.__table__, Window.__table__, window_services
_WINDOW = (
    select(W.c.id, W.c.hall_id, W.c.number, W.c.name, W.c.location, W.c.area, W.c.state, W.c.pause_reason,
           W.c.staff_id, W.c.current_ticket_id, W.c.priority_streak, H.c.timezone, H.c.priority_run,
           H.c.max_wait_minutes,
           select(func.aggregate_strings(cast(WS.c.service_id, String), ","))
           .where(WS.c.window_id == W.c.id).scalar_subquery().label("services"))
    # FOR NO KEY UPDATE: the window's key never changes, so rows that refer to it need not wait
    .join_from(W, H, W.c.hall_id == H.c.id).where(W.c.id == bindparam("window_id"))
    .with_for_update(of=W, key_share=True)
)
# A ticket as events show it, returned by the statement that moves it (one round trip, not two).
_SHOWN = (T.c.id, T.c.hall_id, T.c.business_date, T.c.number, T.c.status, T.c.priority, T.c.service_id, T.c.series,
          T.c.window_id, T.c.target_window_id, T.c.recall_count, T.c.arrived_at, T.c.called_at,
          select(S.c.name).where(S.c.id == T.c.service_id).scalar_subquery().label("service_name"))
# Calling the next applicant ends the ticket at the window, if it is still there, by the state
# machine: {"called": "no_show", "serving": "finished"}. Only a finished service has a finish time.
_LEFT = {s.value: after_call_next(s).value for s in AT_WINDOW}
_SERVED = [s for s, after in _LEFT.items() if after == TicketStatus.FINISHED]
_LEAVE = T.update().where(T.c.id == bindparam("ticket_id"), T.c.status.in_(list(_LEFT))).values(
    status=case(_LEFT, value=T.c.status),
    finished_at=case((T.c.status.in_(_SERVED), bindparam("now", type_=T.c.finished_at.type)),
                     else_=T.c.finished_at),
).returning(*_SHOWN)
_CLAIM = T.update().where(T.c.id == bindparam("ticket_id"), T.c.status == "waiting").values(
    status="called", called_at=bindparam("now"), recall_count=0, window_id=bindparam("window_id"),
    staff_id=bindparam("staff_id")).returning(*_SHOWN)
_SEAT = W.update().where(W.c.id == bindparam("window_id")).values(
    current_ticket_id=bindparam("current"), priority_streak=bindparam("streak"),
    last_finished_ticket_id=func.coalesce(bindparam("finished", type_=Integer), W.c.last_finished_ticket_id))


@functools.cache
def _candidates(services: int):
    """The oldest waiting ticket of each class for each of ``services`` services (bound as s0, s1, …).

    One ``LIMIT 1`` per service and class walks ``ix_ticket_waiting`` one step: a window serving a
    quiet service is not slowed by a long queue for a busy one. Built once per number of services.
    """
    def oldest(i: int, priority: Priority):
        return select(select(T.c.id, T.c.priority, T.c.arrived_at).where(
            T.c.hall_id == bindparam("hall_id"), T.c.business_date == bindparam("day"), T.c.status == "waiting",
            T.c.service_id == bindparam(f"s{i}"), T.c.priority == priority.value,
            T.c.target_window_id.is_(None) | (T.c.target_window_id == bindparam("window_id")),
        ).order_by(T.c.arrived_at, T.c.id).limit(1).subquery())

    return union_all(*(oldest(i, p) for i in range(services) for p in Priority))


def _may_call(w: Row | None, actor: Actor) -> int:
    """The checks a window passes before it may call (a refusal writes nothing); who the call is recorded under."""
    if w is None:
        raise HallError("window_not_found", 404)
    by = check_window_actor(w, actor)
    if w.state == "paused":
        raise HallError("window_paused", 409)
    return by


def call_next(session: Session, now: datetime, window_id: int, actor: Actor) -> dict | None:
    """End the ticket at the window (finished if its service was started, else a no-show) and call the
    next by the hall's policy.

    Returns the called ticket as the boards see it (``ticket_payload``), or None when no one waits.
    The called ticket is the signed-in staff member's, who serves it, whoever pressed.
    """
    conn = session.connection()
    w = conn.execute(_WINDOW, {"window_id": window_id}).first()
    by = _may_call(w, actor)
    window = SimpleNamespace(**w._mapping)
    left = finished = None
    if window.current_ticket_id is not None:
        left = conn.execute(_LEAVE, {"ticket_id": window.current_ticket_id, "now": now}).first()
        if left is not None and left.status == TicketStatus.FINISHED:
            finished = left
            finished_service(session, finished, now)
    services = sorted(int(i) for i in (window.services or "").split(",") if i)
    policy = CallPolicy(priority_run=window.priority_run, max_wait=timedelta(minutes=window.max_wait_minutes))
    key = {"hall_id": window.hall_id, "day": local_now(window.timezone, now).date(), "window_id": window.id,
           **{f"s{i}": service for i, service in enumerate(services)}}
    called, streak = None, window.priority_streak
    for _ in range(CLAIM_ATTEMPTS if services else 0):
        rows = conn.execute(_candidates(len(services)), key)
        choice = choose_next([Candidate(r.id, Priority(r.priority), r.arrived_at) for r in rows], policy,
                             window.priority_streak, now)
        if choice is None:
            break
        called = conn.execute(_CLAIM, {"ticket_id": choice.ticket_id, "now": now, "window_id": window.id,
                                       "staff_id": window.staff_id}).first()
        if called is not None:  # else another window took it a moment ago: choose again
            streak = choice.priority_streak
            tally(session, called, waiting=-1)
            break
    conn.execute(_SEAT, {"window_id": window.id, "current": called.id if called else None, "streak": streak,
                         "finished": finished.id if finished else None})
    window.current_ticket_id = None
    if left is not None:
        _emit_ticket(session, now, "ticket.finished" if finished else "ticket.skipped", left, window, by)
    if called is None:
        return None
    window.current_ticket_id = called.id
    return _emit_ticket(session, now, "ticket.called", called, window, by)


def recall(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int | None = None) -> Ticket:
    by = check_window_actor(window, actor)
    ticket = _current(session, window, ticket_id)
    _move(session, now, ticket, TicketAction.RECALL)
    limit = window.hall.recall_limit
    if ticket.recall_count >= limit:
        raise HallError("recall_limit", 409, limit=limit)
    ticket.recall_count += 1
    _emit_ticket(session, now, "ticket.recalled", ticket, window, by)
    return ticket


def start(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int | None = None) -> Ticket:
    by = check_window_actor(window, actor)
    ticket = _current(session, window, ticket_id)
    _move(session, now, ticket, TicketAction.START)
    ticket.started_at = now
    _emit_ticket(session, now, "ticket.started", ticket, window, by)
    return ticket


def finish(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int | None = None) -> Ticket:
    """办结: the applicant was served (a called ticket too: pressing finish says so)."""
    by = check_window_actor(window, actor)
    ticket = _current(session, window, ticket_id)
    _move(session, now, ticket, TicketAction.FINISH)
    ticket.finished_at = now
    window.current_ticket_id = None
    window.last_finished_ticket_id = ticket.id
    _emit_ticket(session, now, "ticket.finished", ticket, window, by)
    return ticket


def _leave_window(window: Window, ticket: Ticket) -> None:
    if window.current_ticket_id == ticket.id:
        window.current_ticket_id = None


def _stepping_away(action: TicketAction, kind: str, doc: str):
    """A move that takes the ticket away from the window (skip, hold, cancel): one shape, three names."""

    def step(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int | None = None) -> Ticket:
        by = check_window_actor(window, actor)
        ticket = _current(session, window, ticket_id)
        _move(session, now, ticket, action)
        _leave_window(window, ticket)
        _emit_ticket(session, now, kind, ticket, window, by)
        return ticket

    step.__doc__ = doc
    return step


skip = _stepping_away(TicketAction.SKIP, "ticket.skipped", "过号/未到: the called applicant did not come (a no-show).")
hold = _stepping_away(TicketAction.HOLD, "ticket.held", "挂起: set aside, to be called back by this window.")
cancel = _stepping_away(TicketAction.CANCEL, "ticket.cancelled", "Cancel a ticket of this window.")


def call_back(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int) -> Ticket:
    """Call a held or missed ticket of this window again; the window must be free."""
    by = check_window_actor(window, actor)
    if window.state == "paused":
        raise HallError("window_paused", 409)
    ticket = _current(session, window, ticket_id)
    if window.current_ticket_id is not None and window.current_ticket_id != ticket.id:
        busy = session.get(Ticket, window.current_ticket_id)
        if busy is not None and busy.status in {s.value for s in AT_WINDOW}:
            raise HallError("window_busy", 409, number=busy.number)
    _move(session, now, ticket, TicketAction.CALL_BACK)
    ticket.called_at, ticket.recall_count = now, 0
    window.current_ticket_id = ticket.id
    _emit_ticket(session, now, "ticket.called_back", ticket, window, by)
    return ticket


def requeue(session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int) -> Ticket:
    """A late applicant is put back in line, keeping the place their arrival time gives them."""
    by = check_window_actor(window, actor)
    ticket = _current(session, window, ticket_id)
    _move(session, now, ticket, TicketAction.REQUEUE)
    ticket.window_id = None
    _emit_ticket(session, now, "ticket.requeued", ticket, window, by)
    return ticket


def transfer(
    session: Session, now: datetime, window: Window, actor: Actor, ticket_id: int | None = None, *,
    service_id: int | None = None, to_window_id: int | None = None, note: str = "",
) -> Ticket:
    """Send a ticket to another service or window; it keeps its original arrival time."""
    by = check_window_actor(window, actor)
    if service_id is None and to_window_id is None:
        raise HallError("transfer_target_required", 422)
    ticket = _current(session, window, ticket_id)
    service = session.get(Service, service_id) if service_id is not None else ticket.service
    if service is None or service.hall_id != window.hall_id or (service_id is not None and not service.active):
        raise HallError("service_not_found", 404)
    target = None
    if to_window_id is not None:
        target = session.get(Window, to_window_id)
        if target is None or target.hall_id != window.hall_id or not target.active:
            raise HallError("window_not_found", 404)
        if service.id not in {s.id for s in target.services}:
            raise HallError("transfer_target_mismatch", 409)
    ticket.service_id, ticket.service = service.id, service  # first: it waits again in the new service's line
    _move(session, now, ticket, TicketAction.TRANSFER)
    _leave_window(window, ticket)
    ticket.target_window_id = target.id if target else None
    ticket.window_id = None
    ticket.note = note.strip()[:300]
    _emit_ticket(session, now, "ticket.transferred", ticket, window, by)
    return ticket
