"""What only the events table remembers of a ticket: its transfers, and its first call when it was
called more than once.

A ticket row keeps its last service, window and call. A transfer changes the service and the
window and, when the ticket is called again, the call time; a no-show put back in line or called
back, or a held ticket called back, is called again too. For those tickets (a few in a hundred)
the events give the first call (the end of its first wait, the window and person who made it,
and the service it was issued for: a ticket is transferred only from a window, so it is first
called for the service it was issued for) and, for each transfer, the service and window it left.

Events have no index by time; a hall's ids grow in commit order and their moments with them,
so the period's ids are found by bisection on ``ix_events_hall_order`` (a few dozen index
steps). The period's transfers, put-backs and call-backs are read from that id range through
``ix_events_hall_kind``, and the first calls of the tickets they name through
``ix_events_ticket``: nothing else of the period is read, nor anything of the months before it,
and only the few fields needed are taken from the payloads, by the database. (Until migration
0008 every issue and call of the period was read and its payload parsed for its ticket: half the
time of a week's figures.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, case, func, select

from hall_server.db import OneOf
from hall_server.events.models import Event
from hall_server.statistics.period import Period

E = Event.__table__
# An event's moment is read when its transaction starts, its id given at commit: moments may run a
# little out of id order. The id range is widened by this much on both sides, then cut by moment.
MARGIN = timedelta(minutes=10)
AGAIN = ("ticket.transferred", "ticket.requeued", "ticket.called_back")  # the ticket is (or may be) called again

# Two subqueries: SQLite finds a lone min() or max() in one index step, both at once by reading them all.
_BOUNDS = select(*(select(f(E.c.id)).where(E.c.hall_id == bindparam("hall_id")).scalar_subquery()
                   for f in (func.min, func.max)))
_PROBE = select(E.c.at).where(E.c.hall_id == bindparam("hall_id"), E.c.id >= bindparam("from_id")) \
    .order_by(E.c.id).limit(1)
_IN_PERIOD = (E.c.hall_id == bindparam("hall_id"), E.c.id >= bindparam("low"), E.c.id < bindparam("high"),
              E.c.at >= bindparam("start", type_=E.c.at.type), E.c.at < bindparam("end", type_=E.c.at.type))
_TRANSFER = "ticket.transferred"


def _number(payload, *path: str):
    """An integer of an event's payload, read by the database."""
    return payload[path if len(path) > 1 else path[0]].as_integer()


def _of_transfer(value):
    return case((E.c.kind == _TRANSFER, value))


# A transfer's ticket names the service it goes to, its window the window it left; a put-back or
# a call-back only names its ticket, and its payload is not read.
_AGAIN = select(E.c.id, E.c.kind, E.c.ticket_id.label("ticket"),
                _of_transfer(_number(E.c.payload, "ticket", "service_id")).label("service"),
                _of_transfer(_number(E.c.payload, "window", "id")).label("window"),
                _of_transfer(_number(E.c.payload, "actor_id")).label("actor")) \
    .where(*_IN_PERIOD, E.c.kind.in_(AGAIN))
# The first call of each ticket named, by ticket; only its payload is read. (No condition on the
# hall, which a ticket's id implies: with one, SQLite walks the hall's every call instead.)
_CALLS = select(E.c.at, E.c.ticket_id, E.c.payload,
                func.row_number().over(partition_by=E.c.ticket_id, order_by=E.c.id).label("nth")) \
    .where(OneOf(E.c.ticket_id, "tickets"), E.c.kind == "ticket.called", *_IN_PERIOD[3:]).subquery()
_FIRST_CALLS = select(_CALLS.c.ticket_id, _CALLS.c.at, _number(_CALLS.c.payload, "ticket", "service_id"),
                      _number(_CALLS.c.payload, "window", "id"), _number(_CALLS.c.payload, "actor_id")) \
    .where(_CALLS.c.nth == 1)
CHUNK = 5000  # tickets asked for at a time (SQLite binds each one)


@dataclass(frozen=True)
class Call:
    """The first call of a ticket: when, for which service, at which window, by whom."""

    at: datetime
    service_id: int
    window_id: int | None
    staff_id: int | None


@dataclass(frozen=True)
class Transfer:
    ticket_id: int
    from_service: int | None  # None: its first call fell outside the period read
    to_service: int
    window_id: int | None  # the window it left
    staff_id: int | None  # who sent it on (the actor recorded on the event)


@dataclass
class Revisits:
    """Tickets called more than once, as their events tell."""

    issued_for: dict[int, int] = field(default_factory=dict)  # ticket -> the service it was issued for
    first_call: dict[int, Call] = field(default_factory=dict)
    transfers: list[Transfer] = field(default_factory=list)
    tickets: list[int] = field(default_factory=list)  # every ticket the period's events say was called again


def id_range(conn: Connection, hall_id: int, start: datetime, end: datetime) -> tuple[int, int] | None:
    """Ids [low, high) holding every event of the hall from ``start`` to ``end`` (and a margin)."""
    low, high = conn.execute(_BOUNDS, {"hall_id": hall_id}).one()
    if low is None:
        return None
    return _first_from(conn, hall_id, start - MARGIN, low, high), _first_from(conn, hall_id, end + MARGIN, low, high)


def _first_from(conn: Connection, hall_id: int, moment: datetime, low: int, high: int) -> int:
    """The least id x in [low, high + 1] whose next event of the hall (id >= x) is at or after ``moment``."""
    high += 1
    while low < high:
        mid = (low + high) // 2
        at = conn.execute(_PROBE, {"hall_id": hall_id, "from_id": mid}).scalar()
        if at is None or at >= moment:
            high = mid
        else:
            low = mid + 1
    return low


def revisits(conn: Connection, hall_id: int, period: Period) -> Revisits:
    """The tickets of the period called more than once (or that may be), from their events."""
    found = Revisits()
    ids = id_range(conn, hall_id, period.start, period.end)
    if ids is None:
        return found
    key = {"hall_id": hall_id, "low": ids[0], "high": ids[1], "start": period.start, "end": period.end}
    again = conn.execute(_AGAIN, key).all()
    found.tickets = sorted({row.ticket for row in again})
    for i in range(0, len(found.tickets), CHUNK):
        for ticket, at, service, window, actor in conn.execute(
                _FIRST_CALLS, key | {"tickets": found.tickets[i:i + CHUNK]}):
            found.first_call[ticket] = Call(at, service, window, actor)
            found.issued_for[ticket] = service
    service_now = dict(found.issued_for)
    for row in sorted(again, key=lambda r: r.id):
        if row.kind == _TRANSFER:
            found.transfers.append(Transfer(row.ticket, service_now.get(row.ticket), row.service, row.window,
                                            row.actor))
            service_now[row.ticket] = row.service
    return found
