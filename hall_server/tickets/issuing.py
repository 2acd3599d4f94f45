"""Issuing a ticket: the number comes from a counter row bumped inside the issuing transaction.

The upsert ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` takes the counter row's lock, so
two kiosks issuing in the same series wait for each other and never share a number. A racing
twin of an idempotent request (a retry reaching another server process, same key) waits on
that lock, then finds the first one's ticket on the unique (issuer, key) constraint and answers
with it. The wait estimate reads the queue's tallies, kept in the same transaction, so a
ticket costs the same with forty thousand waiting as with none.

This is the hottest write of a hall's morning, so it is written with prebuilt Core statements
reading and writing rows, not ORM objects.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hall_queue.estimate import WaitEstimate
from hall_queue.hours import OpeningHours
from hall_queue.numbering import format_number
from hall_queue.policy import Priority
from hall_server.catalog.models import Hall, Service, Window, window_services
from hall_server.errors import HallError
from hall_server.events.outbox import emit
from hall_server.tickets.models import GreenPass, Ticket, TicketCounter
from hall_server.tickets.queries import local_now, ticket_payload, wait_for
from hall_server.tickets.tallies import tally

CHECK_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L look-alikes

T, S, H, W = Ticket.__table__, Service.__table__, Hall.__table__, Window.__table__
_TICKET_COLUMNS = (T.c.id, T.c.hall_id, T.c.service_id, T.c.business_date, T.c.number, T.c.series, T.c.priority,
                   T.c.status, T.c.status_token, T.c.check_code, T.c.issued_at, T.c.arrived_at, T.c.called_at,
                   T.c.window_id, T.c.target_window_id, T.c.recall_count)
_REPLAY = select(*_TICKET_COLUMNS).where(
    T.c.issuer_token_id == bindparam("issuer"), T.c.idempotency_key == bindparam("key"))
# The service, its hall and the windows serving it, in one round trip: a row per window.
_SERVICE = (
    select(S.c.id, S.c.hall_id, S.c.active, S.c.series, S.c.daily_cap, S.c.name, S.c.avg_service_minutes,
           H.c.timezone, H.c.hours, H.c.lunch, W.c.number.label("window_number"), W.c.location, W.c.location_en)
    .select_from(S.join(H, S.c.hall_id == H.c.id)
                 .outerjoin(window_services, window_services.c.service_id == S.c.id)
                 .outerjoin(W, (W.c.id == window_services.c.window_id) & W.c.active))  # retired: not there
    .where(S.c.id == bindparam("service_id")).order_by(W.c.number)
)
_GREEN = select(GreenPass.__table__.c.id).where(
    GreenPass.__table__.c.hall_id == bindparam("hall_id"), GreenPass.__table__.c.code == bindparam("code"),
    GreenPass.__table__.c.valid_until >= bindparam("day"))
_SERVICE_COUNT = select(func.count()).where(
    T.c.hall_id == bindparam("hall_id"), T.c.business_date == bindparam("day"),
    T.c.service_id == bindparam("service_id"))
C = TicketCounter.__table__
_UNBUMP = C.update().where(
    C.c.hall_id == bindparam("c_hall"), C.c.series == bindparam("c_series"), C.c.business_date == bindparam("c_day"),
).values(last_number=C.c.last_number - 1)


def _counter_upsert(insert):
    stmt = insert(C).values(hall_id=bindparam("hall_id"), series=bindparam("series"), business_date=bindparam("day"),
                            last_number=1)
    return stmt.on_conflict_do_update(
        index_elements=[C.c.hall_id, C.c.series, C.c.business_date], set_={"last_number": C.c.last_number + 1},
    ).returning(C.c.last_number)


_BUMP = {"postgresql": _counter_upsert(postgresql.insert), "sqlite": _counter_upsert(sqlite.insert)}


def _ticket_insert(insert):
    """Insert a ticket unless this kiosk already has one for the key (a retry): then nothing comes back."""
    return insert(T).on_conflict_do_nothing(index_elements=[T.c.issuer_token_id, T.c.idempotency_key]).returning(
        T.c.id)


_INSERT = {"postgresql": _ticket_insert(postgresql.insert), "sqlite": _ticket_insert(sqlite.insert)}


WEEKDAYS_ZH = "一二三四五六日"


def _come_back(moment: datetime) -> dict[str, str]:
    """When to come back, with its date, as people read it: 12月7日(星期一)09:00 / Mon 7 Dec 09:00."""
    return {"next_open": f"{moment.month}月{moment.day}日(星期{WEEKDAYS_ZH[moment.weekday()]}){moment:%H:%M}",
            "next_open_en": f"{moment:%a} {moment.day} {moment:%b} {moment:%H:%M}"}


def new_check_code() -> str:
    """Four random characters printed beside the QR; random per ticket, never derived from its id."""
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(4))


@dataclass(frozen=True)
class IssuedTicket:
    """What the kiosk is told: the ticket, where to go, how long to wait."""

    ticket: Any  # the ticket's columns (_TICKET_COLUMNS) as attributes: a row, or the one just written
    service_name: str
    where_to_go: list[dict]
    wait: WaitEstimate
    replayed: bool  # True when an idempotent retry returned the ticket issued before


@dataclass(frozen=True)
class _Service:
    row: Any  # the service and its hall (the first row of _SERVICE)
    where_to_go: list[dict]


def _service(conn: Connection, service_id: int) -> _Service | None:
    rows = conn.execute(_SERVICE, {"service_id": service_id}).all()
    if not rows:
        return None
    served = [r for r in rows if r.window_number is not None]
    return _Service(rows[0], [{"number": r.window_number, "location": r.location, "location_en": r.location_en}
                              for r in served])


def _replay(conn: Connection, issuer_token_id: int | None, key: str | None, service_id: int) -> IssuedTicket | None:
    """The ticket this kiosk was already given for this key, if any (a retry after a lost answer)."""
    if not key or issuer_token_id is None:
        return None
    row = conn.execute(_REPLAY, {"issuer": issuer_token_id, "key": key}).first()
    if row is None:
        return None
    if row.service_id != service_id:
        raise HallError("idempotency_conflict", 409)
    service = _service(conn, service_id)
    wait = wait_for(conn, row)
    return IssuedTicket(row, service.row.name, service.where_to_go, wait, replayed=True)


def _check_priority(conn: Connection, hall_id: int, priority: Priority, green_code: str | None, day: date) -> None:
    if priority == Priority.URGENT:
        # 急办件 are designated by the center, not chosen at a kiosk.
        raise HallError("urgent_not_allowed", 403)
    if priority == Priority.GREEN:
        ok = green_code and conn.execute(
            _GREEN, {"hall_id": hall_id, "code": green_code.strip(), "day": day}).first()
        if not ok:
            raise HallError("green_code_required", 403)


def issue_ticket(
    session: Session, now: datetime, *, hall_id: int, service_id: int, priority: Priority = Priority.NORMAL,
    idempotency_key: str | None = None, issuer_token_id: int | None = None, green_code: str | None = None,
    allow_urgent: bool = False, working_day: Callable[[date], bool] | None = None,
) -> IssuedTicket:
    """Issue one ticket. ``working_day``: the hall's calendar (holidays and 调休), which says whether
    the hall opens today; without it, the library's copy of the official schedule."""
    conn = session.connection()

    def refuse(error: HallError) -> IssuedTicket:
        # A retry is answered with the ticket it already has, even after closing time or the cap;
        # the common case (a new ticket) does not pay for this look-up.
        replay = _replay(conn, issuer_token_id, idempotency_key, service_id)
        if replay:
            return replay
        raise error

    found = _service(conn, service_id)
    if found is None or found.row.hall_id != hall_id or not found.row.active:
        return refuse(HallError("service_not_found", 404))
    service = found.row
    if not found.where_to_go:
        return refuse(HallError("service_not_served", 409))
    hours = OpeningHours.parse(service.hours, service.lunch)
    if working_day is not None:
        hours = replace(hours, working_day=working_day)
    local = local_now(service.timezone, now)
    if not hours.is_open(local):
        return refuse(HallError("hall_closed", 409, hours=hours.describe(), **_come_back(hours.next_opening(local))))
    day = local.date()
    if not (allow_urgent and priority == Priority.URGENT):
        try:
            _check_priority(conn, hall_id, priority, green_code, day)
        except HallError as error:
            return refuse(error)

    counter = {"hall_id": hall_id, "series": service.series, "day": day}
    sequence = conn.execute(_BUMP[conn.dialect.name], counter).scalar_one()
    # The series' sequence counts every ticket of the series today, so the service's own count can
    # reach its cap only once the sequence has: below that, skip the count. A refusal here undoes
    # the bump (the refused transaction is rolled back), so no number is lost.
    if sequence > service.daily_cap and conn.execute(
        _SERVICE_COUNT, {"hall_id": hall_id, "day": day, "service_id": service_id}
    ).scalar_one() >= service.daily_cap:
        return refuse(HallError("daily_cap_reached", 409, **_come_back(hours.next_day_opening(local))))

    ticket = {
        "hall_id": hall_id, "service_id": service_id, "business_date": day, "series": service.series,
        "sequence": sequence, "number": format_number(service.series, sequence), "priority": priority.value,
        "status": "waiting", "status_token": secrets.token_urlsafe(24), "check_code": new_check_code(),
        "issuer_token_id": issuer_token_id, "idempotency_key": idempotency_key, "issued_at": now, "arrived_at": now,
        "called_at": None, "window_id": None, "target_window_id": None, "recall_count": 0, "note": "",
    }
    ticket["id"] = conn.execute(_INSERT[conn.dialect.name], ticket).scalar()
    if ticket["id"] is None:  # a retry: this kiosk has a ticket for the key already; give the number back
        # safe: this transaction holds the counter row's lock since the bump
        conn.execute(_UNBUMP, {"c_hall": hall_id, "c_series": service.series, "c_day": day})
        return refuse(HallError("idempotency_conflict", 409))
    shown = SimpleNamespace(**{c.name: ticket[c.name] for c in _TICKET_COLUMNS})
    tally(session, shown, waiting=1)
    wait = wait_for(conn, shown, new=True)
    emit(session, hall_id, "ticket.issued", now, {
        "ticket": ticket_payload(shown, service_name=service.name), "waiting_ahead": wait.waiting_ahead,
        "estimated_wait_seconds": wait.estimated_wait_seconds,
    })
    return IssuedTicket(shown, service.name, found.where_to_go, wait, replayed=False)
