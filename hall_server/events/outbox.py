"""Writing events: queued on the session by the services, stored at commit, in commit order per hall.

A subscriber follows one hall and resumes after the last event id it saw in that hall, so a
hall's event ids must grow in commit order, or a board that has seen id 11 could miss id 10
committed a moment later. SQLite has one writer at a time, so that holds by itself. On
PostgreSQL a transaction-scoped advisory lock per hall, taken just before the events are
inserted and held until commit, gives the same order within the hall, while the halls of a city
server never wait for each other. The same statement NOTIFYs the hall's id (delivered only
after commit), so other server processes read the hall's new events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from hall_server.events.models import Event

EVENT_LOCK = 74110002  # the first key of the two-key advisory lock; the second is the hall
CHANNEL = "hall_events"


def emit(session: Session, hall_id: int, kind: str, at: datetime, payload: dict[str, Any]) -> None:
    """Queue an event for this transaction; it is written by :func:`commit`, or dropped on rollback."""
    session.info.setdefault("outbox", []).append(
        {"hall_id": hall_id, "kind": kind, "at": at, "payload": payload, "ticket_id": ticket_of(payload)})


def ticket_of(payload: dict[str, Any]) -> int | None:
    """The ticket an event is about (``payload["ticket"]["id"]``, or a rating's ``payload["ticket_id"]``),
    stored in a column of its own so that a ticket's events are found without reading payloads."""
    ticket = payload.get("ticket")
    return ticket.get("id") if isinstance(ticket, dict) else payload.get("ticket_id")


_INSERT = Event.__table__.insert().returning(Event.__table__.c.id, sort_by_parameter_order=True)
_LOCK_AND_NOTIFY = text("SELECT pg_advisory_xact_lock(:k, :hall), pg_notify(:c, CAST(:hall AS text))")


def commit(session: Session, committed: Callable[[list[dict[str, Any]]], None] | None = None) -> None:
    """Commit the transaction with its queued events; then hand them to ``committed``, as stored.

    Called inside the write transaction's turn, so on SQLite the hand-overs come in commit order.
    """
    events: list[dict[str, Any]] = session.info.pop("outbox", [])
    halls = {e["hall_id"] for e in events}
    ids: list[int] = []
    if events:
        conn = session.connection()
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            for hall in sorted(halls):  # in one order, so two transactions never wait for each other crosswise
                conn.execute(_LOCK_AND_NOTIFY, {"k": EVENT_LOCK, "hall": hall, "c": CHANNEL})
        ids = [row[0] for row in conn.execute(_INSERT, events)]
    session.commit()
    if ids and committed is not None:
        committed([{"id": i, "hall_id": e["hall_id"], "kind": e["kind"], "at": e["at"].astimezone(UTC).isoformat(),
                    "payload": e["payload"]} for i, e in zip(ids, events, strict=True)])
