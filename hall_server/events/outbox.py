"""Writing events: queued on the session by the services, stored at commit, in commit order.

Event ids must grow in commit order, or a subscriber that has seen id 11 could miss id 10
committed a moment later. SQLite has one writer at a time, so that holds by itself; on
PostgreSQL a transaction-scoped advisory lock, taken just before the events are inserted and
held until commit, gives the same order. The new id is also sent with NOTIFY (delivered only
after commit) so other server processes wake their subscribers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from hall_server.events.models import Event

EVENT_LOCK = 74110002
CHANNEL = "hall_events"


def emit(session: Session, hall_id: int, kind: str, at: datetime, payload: dict[str, Any]) -> None:
    """Queue an event for this transaction; it is written by :func:`commit`, or dropped on rollback."""
    session.info.setdefault("outbox", []).append(Event(hall_id=hall_id, kind=kind, at=at, payload=payload))


def commit(session: Session, wake: Callable[[int], None] | None = None) -> list[Event]:
    """Commit the transaction with its queued events; then wake this process's subscribers."""
    events: list[Event] = session.info.pop("outbox", [])
    if events:
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": EVENT_LOCK})
        session.add_all(events)
        session.flush()
        if postgres:
            session.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": str(events[-1].id)})
    session.commit()
    if events and wake is not None:
        wake(events[-1].id)
    return events


def event_json(e: Event) -> dict[str, Any]:
    return {"id": e.id, "hall_id": e.hall_id, "kind": e.kind, "at": e.at.isoformat(), "payload": e.payload}
