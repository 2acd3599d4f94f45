"""Telling running screens that the hall or its catalog changed, in the transaction of the change.

A kiosk kept the hours it started with until it was restarted. Now every change 业务科 makes
is an event in the hall's stream, written with the change itself (``events.outbox``): kiosks
and boards that follow the hall read the hall again when they see one, and one that was cut off
sees it when it resumes. Neither event carries a ``ticket`` or a ``window`` part, so the
callers and the device bus, which act on those, pass them by.

The kinds are the ones ``hall_server.client.HALL_CHANGES`` names for the terminals.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hall_server.events.outbox import emit

HALL_UPDATED = "hall.updated"  # hours, lunch, notices, queue rules (PATCH /admin/halls/{id})
CATALOG_CHANGED = "catalog.changed"  # an import; a service or window changed, retired or back


def hall_updated(session: Session, now: datetime, hall_id: int, fields: list[str]) -> None:
    emit(session, hall_id, HALL_UPDATED, now, {"fields": sorted(fields)})


def catalog_changed(session: Session, now: datetime, hall_id: int, change: str, **about: object) -> None:
    """``change``: "import", "service" or "window"; ``about`` names what (service_id=, window_id=, active=)."""
    emit(session, hall_id, CATALOG_CHANGED, now, {"change": change, **about})
