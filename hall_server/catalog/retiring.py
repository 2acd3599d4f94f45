"""Retired, not deleted: a service, window or department taken out of the hall keeps its history.

Its row stays (``active`` false), so its tickets, ratings and statistics still name it. Retired,
it is listed by neither the guide, the kiosk, the boards nor the callers; no ticket is issued
for it, no one signs in to it, nothing is transferred to it. Named again (a later import, or
PATCH ``{"active": true}``) it comes back as it was, with its history.

Two retirements are refused, with what to do, rather than done halfway:
- a window with staff signed in: they are serving applicants there. They sign out (or 督查科
  signs them out), then the window is retired. (Retiring it at their sign-out instead would
  have the catalog say one thing and the hall another until then, with nobody told.)
- a service with people waiting for it today: they hold its tickets, and once the windows no
  longer list it nobody would call them. It is retired once they are served, or after closing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hall_server.auth.models import User
from hall_server.catalog.changes import catalog_changed
from hall_server.catalog.models import Hall, Service, Window
from hall_server.errors import HallError
from hall_server.tickets.models import Ticket
from hall_server.tickets.queries import business_date


def window_refusal(session: Session, window: Window) -> HallError | None:
    """Why ``window`` cannot be retired now, or None. Read with the window's row locked, so nobody
    signs in between (sign-in locks it too, and then finds it retired)."""
    if window.staff_id is None:
        return None
    holder = session.get(User, window.staff_id)
    return HallError("window_staffed", 409, window=window.number, name=holder.display_name if holder else "")


def service_refusal(session: Session, now: datetime, service: Service, hall: Hall) -> HallError | None:
    """Why ``service`` cannot be retired now (people waiting for it today), or None."""
    waiting = session.scalar(select(func.count()).where(
        Ticket.hall_id == hall.id, Ticket.business_date == business_date(hall, now),
        Ticket.status == "waiting", Ticket.service_id == service.id))
    if not waiting:
        return None
    return HallError("service_still_waiting", 409, name=service.name, name_en=service.name_en or service.name,
                     waiting=waiting)


def set_active(session: Session, now: datetime, item: Service | Window, active: bool) -> None:
    """Retire a service or window (``active`` False) or bring it back (True), and tell the hall's
    screens. HallError 409 when it cannot be retired now. A window must have been read with its
    row locked (``with_for_update``)."""
    if item.active == active:
        return
    if not active:
        refusal = (service_refusal(session, now, item, item.hall) if isinstance(item, Service)
                   else window_refusal(session, item))
        if refusal is not None:
            raise refusal
    item.active = active
    if isinstance(item, Service):
        catalog_changed(session, now, item.hall_id, "service", service_id=item.id, active=active)
    else:
        catalog_changed(session, now, item.hall_id, "window", window_id=item.id, active=active)
