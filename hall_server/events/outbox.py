"""Writing events: queued on the session by the services, stored at commit, in commit order.

Event ids must grow in commit order, or a subscriber that has seen id 11 could miss id 10
committed a moment later. SQLite has one writer at a time, so that holds by itself; on
PostgreSQL a transaction-scoped advisory lock, taken just before the events are inserted and
held until commit, gives the same order. The new id is also sent with NOTIFY (delivered only
after commit) so other server processes wake their subscribers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from hall_server.events.models import Event

EVENT_LOCK = 74110002
CHANNEL = "hall_events"


def emit(session: Session, hall_id: int, kind: str, at: datetime, payload: dict[str, Any]) -> None:
    """Queue an event for this transaction; it is written by :func:`commit`, or dropped on rollback."""
    session.info.setdefault("outbox", []).append({"hall_id": hall_id, "kind": kind, "at": at, "payload": payload})


_INSERT = Event.__table__.insert().returning(Event.__table__.c.id, sort_by_parameter_order=True)
_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
_NOTIFY = text("SELECT pg_notify(:c, :p)")


def commit(session: Session, wake: Callable[[list[dict[str, Any]]], None] | None = None) -> int | None:
    """Commit the transaction with its queued events; then hand them to this process's subscribers.

    ``wake`` gets the committed events as the outbox gives them back (``hub.read_events``), so
    the hub need not read back what it was just given. Returns the id of the last event written,
    or None when there was none.
    """
    events: list[dict[str, Any]] = session.info.pop("outbox", [])
    ids: list[int] = []
    if events:
        conn = session.connection()
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(_LOCK, {"k": EVENT_LOCK})
        ids = [row[0] for row in conn.execute(_INSERT, events)]
        if postgres:
            conn.execute(_NOTIFY, {"c": CHANNEL, "p": str(ids[-1])})
    session.commit()
    if ids and wake is not None:
        wake([{"id": i, "hall_id": e["hall_id"], "kind": e["kind"], "at": e["at"].astimezone(UTC).isoformat(),
               "payload": e["payload"]} for i, e in zip(ids, events, strict=True)])
    return ids[-1] if ids else None
