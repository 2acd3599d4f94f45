"""What a window does: sign in, call next, recall, skip, hold, call back, transfer, finish, pause.

Every ticket move goes through ``hall_queue.states.next_status``, so an illegal move is
refused the same way from the soft caller, a physical keypad or the API. Staff act only on
the window they signed in to; a bus device acts for the staff member signed in at a window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from types import SimpleNamespace

from sqlalchemy import Integer, Row, String, bindparam, cast, func, or_, select, union_all
from sqlalchemy.orm import Session

from hall_queue.policy import CallPolicy, Candidate, Priority, choose_next
from hall_queue.states import AT_WINDOW, IllegalTransition, TicketAction, TicketStatus, next_status
from hall_server.auth.models import Role, User
from hall_server.auth.service import Actor
from hall_server.catalog.models import Hall, Service, Window, window_services
from hall_server.db import OneOf
from hall_server.errors import HallError
from hall_server.events.outbox import emit
from hall_server.messages import ACTION_NAMES, STATUS_NAMES
from hall_server.tickets.models import Ticket
from hall_server.tickets.queries import local_now, ticket_payload

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


def _emit_ticket(session: Session, now: datetime, kind: str, ticket, window) -> dict:
    """Emit a ticket's event with its window; returns the ticket as the boards see it.

    ``ticket`` and ``window`` are ORM objects or rows (a row names its ``service_name``).
    """
    shown = ticket_payload(ticket, window, service_name=getattr(ticket, "service_name", None))
    payload = {"ticket": shown}
    if window is not None:
        payload["window"] = window_payload(window)
    emit(session, ticket.hall_id, kind, now, payload)
    return shown


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


# --- call next: the hottest window action, in prebuilt Core statements (see issuing.py) -------
#
# When 40 windows call at once, the writer hands their calls over together (writer.Batched) and
# they run as one pass: the windows are locked and read in one statement, the applicants at them
# finished in one, the oldest waiting tickets read in one, the hall's policy applied in Python
# window after window (each later window sees what the earlier ones took), then one claim and
# one seating statement. Five round trips for the lot instead of five per window: on PostgreSQL
# each round trip also gives up the GIL, and getting it back while the server is busy is what
# made a burst slow. The result is what the same calls one after another would give (a
# property test checks this); a window calling alone is a pass of one.

T, S, H, W, WS = Ticket.__table__, Service.__table__, Hall.__table__, Window.__table__, window_services
_WINDOWS = (
    select(W.c.id, W.c.hall_id, W.c.number, W.c.name, W.c.location, W.c.area, W.c.state, W.c.pause_reason,
           W.c.staff_id, W.c.current_ticket_id, W.c.priority_streak, H.c.timezone, H.c.priority_run,
           H.c.max_wait_minutes,
           select(func.aggregate_strings(cast(WS.c.service_id, String), ","))
           .where(WS.c.window_id == W.c.id).scalar_subquery().label("services"))
    .join_from(W, H, W.c.hall_id == H.c.id).where(OneOf(W.c.id, "window_ids"))
    .order_by(W.c.id).with_for_update(of=W)  # in id order: two passes never lock each other's windows crosswise
)
# A ticket as events show it, returned by the statement that moves it (one round trip, not two).
_SHOWN = (T.c.id, T.c.hall_id, T.c.number, T.c.status, T.c.priority, T.c.service_id, T.c.series, T.c.window_id,
          T.c.target_window_id, T.c.recall_count, T.c.arrived_at, T.c.called_at,
          select(S.c.name).where(S.c.id == T.c.service_id).scalar_subquery().label("service_name"))
(_FINISHED,) = {next_status(s, TicketAction.FINISH).value for s in AT_WINDOW}  # from any of them: finished
# Calling the next applicant ends the service of the one at the window, if they are still there.
_FINISH = T.update().where(
    OneOf(T.c.id, "ticket_ids"), or_(*(T.c.status == s.value for s in AT_WINDOW)),
).values(status=_FINISHED, finished_at=bindparam("now")).returning(*_SHOWN)


def _oldest(priority: Priority, *, alone: bool, excluding: bool = False):
    """The oldest waiting tickets of one class, in arrival order (ix_ticket_call_order).

    ``alone``: for one window (its services, tickets sent to it), the first CANDIDATES_PER_CLASS;
    else for a pass (the services of all its windows, tickets sent to any of them), the first ``limit``.
    """
    if alone:
        served = T.c.service_id.in_(select(WS.c.service_id).where(WS.c.window_id == bindparam("window_id")))
        sent = T.c.target_window_id == bindparam("window_id")
        limit = CANDIDATES_PER_CLASS
    else:
        served = OneOf(T.c.service_id, "service_ids")
        sent = OneOf(T.c.target_window_id, "window_ids")
        limit = bindparam("limit")
    q = select(T.c.id, T.c.priority, T.c.arrived_at, T.c.service_id, T.c.target_window_id).where(
        T.c.hall_id == bindparam("hall_id"), T.c.business_date == bindparam("day"), T.c.status == "waiting",
        T.c.priority == priority.value, served, T.c.target_window_id.is_(None) | sent,
    )
    if excluding:
        q = q.where(~OneOf(T.c.id, "tried"))
    return select(q.order_by(T.c.arrived_at, T.c.id).limit(limit).subquery())


# The few oldest of each class are all the policy needs; "tried" are tickets not to take again.
_POOL = union_all(*(_oldest(p, alone=False) for p in Priority))
_CANDIDATES = {excluding: union_all(*(_oldest(p, alone=True, excluding=excluding) for p in Priority))
               for excluding in (False, True)}


# Seating the windows, then claiming their chosen tickets, those that still wait: the claim
# takes each ticket's window and staff from the window seated with it. A ticket another server
# process is claiming right now is skipped (PostgreSQL's SKIP LOCKED; SQLite has one writer
# anyway); its window chooses again and is seated again. The tickets are locked first, once, in
# a WITH: as a subquery of the UPDATE, PostgreSQL may run the locking scan again for every row it
# looks at (75 ms for 40 tickets, seen on a freshly filled table). Both statements have one shape
# for any number of windows: an UPDATE with a CASE per window, as before, had a new shape for
# every size of pass, and compiling one took 30-60 ms on a slow machine.
_SEAT = W.update().where(W.c.id == bindparam("window_id")).values(
    current_ticket_id=bindparam("current"), priority_streak=bindparam("streak"),
    last_finished_ticket_id=func.coalesce(bindparam("finished", type_=Integer), W.c.last_finished_ticket_id))
_FREE = (select(T.c.id).where(OneOf(T.c.id, "ticket_ids"), T.c.status == "waiting")
         .with_for_update(skip_locked=True).cte("free"))
_CLAIM = (T.update().where(T.c.id == _FREE.c.id, W.c.current_ticket_id == T.c.id)
          .values(status="called", called_at=bindparam("now"), recall_count=0, window_id=W.c.id,
                  staff_id=W.c.staff_id).returning(*_SHOWN))


def _seat_and_claim(conn, calls: list[_Call], now: datetime) -> None:
    """Seat the windows with the tickets they chose (or none), and claim those tickets: ``called`` each."""
    if not calls:
        return
    conn.execute(_SEAT, [{"window_id": c.window.id, "current": c.chosen,
                          "streak": c.streak if c.chosen is not None else c.window.priority_streak,
                          "finished": c.finished.id if c.finished else None} for c in calls])
    chosen = [c.chosen for c in calls if c.chosen is not None]
    if chosen:
        claimed = {r.id: r for r in conn.execute(_CLAIM, {"ticket_ids": chosen, "now": now})}
        for c in calls:
            c.called = claimed.get(c.chosen)


@dataclass
class _Call:
    """One window's call in a pass, as it goes."""

    window: SimpleNamespace
    services: frozenset[int]
    policy: CallPolicy
    day: date
    streak: int
    finished: Row | None = None
    chosen: int | None = None  # the ticket chosen, to be claimed
    called: Row | None = None  # the ticket claimed


def _window_call(w: Row | None, actor: Actor, now: datetime) -> _Call | HallError:
    """The checks a window passes before it may call; a refusal writes nothing."""
    if w is None:
        return HallError("window_not_found", 404)
    try:
        check_window_actor(w, actor)
    except HallError as refusal:
        return refusal
    if w.state == "paused":
        return HallError("window_paused", 409)
    return _Call(
        window=SimpleNamespace(**w._mapping),
        services=frozenset(int(i) for i in (w.services or "").split(",") if i),
        policy=CallPolicy(priority_run=w.priority_run, max_wait=timedelta(minutes=w.max_wait_minutes)),
        day=local_now(w.timezone, now).date(), streak=w.priority_streak,
    )


def _candidates(rows) -> list[Candidate]:
    return [Candidate(r.id, Priority(r.priority), r.arrived_at) for r in rows]


def _from_pool(call: _Call, pool: dict[str, list[Row]], limit: int, taken: set[int]) -> list[Candidate] | None:
    """The window's oldest few of each class from the pass's pool, or None when the pool may not hold them.

    The pool holds the oldest ``limit`` of each class over all the pass's services; a class is
    complete for this window when the pool has all of that class, or CANDIDATES_PER_CLASS of
    them this window may take (anything older would be in the pool too).
    """
    w = call.window.id
    mine = []
    for of_class in pool.values():
        fit = 0
        for r in of_class:
            if r.id not in taken and r.service_id in call.services and r.target_window_id in (None, w):
                mine.append(r)
                fit += 1
                if fit == CANDIDATES_PER_CLASS:
                    break
        else:
            if len(of_class) >= limit:
                return None
    return _candidates(mine)


def _claim_alone(conn, call: _Call, now: datetime, tried: list[int]) -> None:
    """Read this window's own candidates, seat it and claim one, choosing again when another takes it first."""
    for _ in range(CLAIM_ATTEMPTS):
        key = {"hall_id": call.window.hall_id, "day": call.day, "window_id": call.window.id}
        rows = conn.execute(_CANDIDATES[bool(tried)], key | ({"tried": tried} if tried else {}))
        choice = choose_next(_candidates(rows), call.policy, call.window.priority_streak, now)
        call.chosen, call.streak = (choice.ticket_id, choice.priority_streak) if choice else (None, call.streak)
        _seat_and_claim(conn, [call], now)
        if choice is None or call.called is not None:
            return
        tried.append(choice.ticket_id)
    call.chosen = None  # every choice taken by others: no one called, and the seat says so
    _seat_and_claim(conn, [call], now)


def call_next_many(session: Session, now: datetime, requests: list[tuple[int, Actor]]) -> list[dict | None | HallError]:
    """Several windows (distinct) call the next applicant, in this order, as one pass.

    For each: finish the applicant at the window, claim the next by the hall's call policy, and
    return the called ticket as the boards see it (``ticket_payload``), None when no one waits,
    or the refusal (a HallError, nothing written for that window).
    """
    conn = session.connection()
    ids = [window_id for window_id, _ in requests]
    assert len(set(ids)) == len(ids), "a window calls once per pass"
    rows = {r.id: r for r in conn.execute(_WINDOWS, {"window_ids": ids})}
    outcomes = [_window_call(rows.get(window_id), actor, now) for window_id, actor in requests]
    calls = [c for c in outcomes if isinstance(c, _Call)]

    at_windows = [c.window.current_ticket_id for c in calls if c.window.current_ticket_id is not None]
    if at_windows:
        finished = {r.id: r for r in conn.execute(_FINISH, {"ticket_ids": at_windows, "now": now})}
        for c in calls:
            c.finished = finished.get(c.window.current_ticket_id)

    taken: set[int] = set()  # chosen or claimed in this pass
    for (hall_id, day), group in groupby(sorted(calls, key=lambda c: (c.window.hall_id, c.day)),
                                         key=lambda c: (c.window.hall_id, c.day)):
        group = list(group)
        services = sorted(set().union(*(c.services for c in group)))
        limit = CANDIDATES_PER_CLASS + len(group)  # enough for every window even after the others took theirs
        pool: dict[str, list[Row]] = {}
        if services:
            for r in conn.execute(_POOL, {"hall_id": hall_id, "day": day, "service_ids": services, "limit": limit,
                                          "window_ids": [c.window.id for c in group]}):
                pool.setdefault(r.priority, []).append(r)
            for of_class in pool.values():  # a UNION promises no order: arrival order, as each part read it
                of_class.sort(key=lambda r: (r.arrived_at, r.id))
        for c in group:  # in the order asked: each window sees what the earlier ones took
            candidates = _from_pool(c, pool, limit, taken)
            if candidates is None:  # its oldest may lie beyond the pool: read its own
                _claim_alone(conn, c, now, sorted(taken))  # not the tickets chosen for windows before it
                if c.called is not None:
                    taken.add(c.called.id)
                continue
            choice = choose_next(candidates, c.policy, c.window.priority_streak, now)
            if choice is not None:
                c.chosen, c.streak = choice.ticket_id, choice.priority_streak
                taken.add(choice.ticket_id)

    _seat_and_claim(conn, [c for c in calls if c.called is None], now)  # all but those that read their own
    for c in calls:
        if c.chosen is not None and c.called is None:  # another server process took it first
            _claim_alone(conn, c, now, [c.chosen])
    results: list[dict | None | HallError] = []
    for outcome in outcomes:
        if not isinstance(outcome, _Call):
            results.append(outcome)
            continue
        window = outcome.window
        window.current_ticket_id = None
        if outcome.finished is not None:
            _emit_ticket(session, now, "ticket.finished", outcome.finished, window)
        if outcome.called is None:
            results.append(None)
            continue
        window.current_ticket_id = outcome.called.id
        results.append(_emit_ticket(session, now, "ticket.called", outcome.called, window))
    return results


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
