"""What only the events table remembers of a ticket: its transfers, and its first call when it was
called more than once.

A ticket row keeps its last service, window and call. A transfer changes the service and the
window and, when the ticket is called again, the call time; a no-show put back in line or called
back, or a held ticket called back, is called again too. For those tickets (a few in a hundred)
the events give the service it was issued for, the first call (the end of its first wait, and
the window and person who made it) and, for each transfer, the service and window it left.

Events have no index by time; a hall's ids grow in commit order and their moments with them,
so the period's ids are found by bisection on ``ix_events_hall_order`` (a few dozen index
steps), and the period's events are read from that id range only: the cost does not grow with
the months of history before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, func, select

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
_AGAIN = select(E.c.id, E.c.kind, E.c.at, E.c.payload).where(*_IN_PERIOD, E.c.kind.in_(AGAIN))
# Their issues and calls are found in one pass over the period's issues and calls, reading only
# each one's ticket id, then fetched by id. (Filtering by ticket id in SQL read the period once per
# chunk of ids on SQLite, and on PostgreSQL could be planned as a nested loop: minutes for a day.)
_STARTS = select(E.c.id, E.c.payload[("ticket", "id")].as_integer().label("ticket")).where(
    *_IN_PERIOD, E.c.kind.in_(("ticket.issued", "ticket.called")))
_BY_ID = select(E.c.id, E.c.kind, E.c.at, E.c.payload).where(OneOf(E.c.id, "ids"))
CHUNK = 5000  # event ids fetched at a time (SQLite binds each one)


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
    from_service: int | None  # None: its issue fell outside the period read
    to_service: int
    window_id: int | None  # the window it left
    staff_id: int | None  # who sent it on (the actor recorded on the event)


@dataclass
class Revisits:
    """Tickets called more than once, as their events tell."""

    issued_at: dict[int, datetime] = field(default_factory=dict)
    issued_for: dict[int, int] = field(default_factory=dict)  # ticket -> the service it was issued for
    first_call: dict[int, Call] = field(default_factory=dict)
    transfers: list[Transfer] = field(default_factory=list)


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
    rows = conn.execute(_AGAIN, key).all()
    tickets = {row.payload["ticket"]["id"] for row in rows}
    if tickets:
        wanted = [event for event, ticket in conn.execute(_STARTS, key).all() if ticket in tickets]
        for i in range(0, len(wanted), CHUNK):
            rows += conn.execute(_BY_ID, {"ids": wanted[i:i + CHUNK]}).all()
    service: dict[int, int | None] = {}
    for row in sorted(rows, key=lambda r: r.id):
        ticket, window = row.payload["ticket"], row.payload.get("window") or {}
        tid = ticket["id"]
        if row.kind == "ticket.issued":
            found.issued_at[tid] = row.at
            found.issued_for[tid] = service[tid] = ticket["service_id"]
        elif row.kind == "ticket.called" and tid not in found.first_call:
            found.first_call[tid] = Call(row.at, ticket["service_id"], window.get("id"), row.payload.get("actor_id"))
        elif row.kind == "ticket.transferred":
            found.transfers.append(Transfer(tid, service.get(tid), ticket["service_id"], window.get("id"),
                                            row.payload.get("actor_id")))
            service[tid] = ticket["service_id"]
    return found
