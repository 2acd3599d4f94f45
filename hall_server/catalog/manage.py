"""What 业务科 does to a hall's catalog and settings, as plain functions of a write transaction.

The admin API (``routes.py``) and the back office's pages (``hall_server/office/``) both call
these, so a rule is kept in one place: who may act on which hall, what is checked, and that
every change reaches the hall's running kiosks and boards as an event in the same transaction
(``changes.py``). Each takes the session and time of the caller's transaction
(``Context.write(lambda s, now: …)``) and the acting account; a refusal is a ``HallError``
(``problems.CatalogRejected`` for a catalog, listing every problem), and the caller's
transaction then rolls everything back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hall_server.auth.models import Role
from hall_server.auth.service import Actor
from hall_server.catalog.changes import catalog_changed, hall_updated
from hall_server.catalog.io import dump_yaml, export_hall, import_catalog_text
from hall_server.catalog.models import Hall, Service, Window
from hall_server.catalog.problems import CatalogProblem, check_catalog, hours_problem
from hall_server.catalog.retiring import set_active
from hall_server.errors import HallError
from hall_server.messages import CATALOG_PROBLEMS
from hall_server.schemas import HallPatch, ServicePatch, WindowPatch

__all__ = ["CatalogProblem", "check_catalog", "export_catalog_yaml", "import_catalog_yaml", "set_service_active",
           "set_window_active", "update_hall_settings", "update_service", "update_window"]


def _hall(session: Session, hall_id: int) -> Hall:
    hall = session.get(Hall, hall_id)
    if hall is None:
        raise HallError("hall_not_found", 404)
    return hall


def import_catalog_yaml(session: Session, now: datetime, actor: Actor, text: str) -> list[Hall]:
    """Import a catalog's YAML (``check_catalog`` first, to show its problems without importing).

    业务科 of one hall imports only that hall's catalog: naming another is refused (403) and
    nothing is kept. Left-out items are retired (``retiring.py``)."""
    actor.require(Role.BUSINESS)
    halls = import_catalog_text(session, now, text)
    for hall in halls:
        actor.require_hall(hall.id)
    return halls


def export_catalog_yaml(session: Session, actor: Actor, hall_id: int | None = None) -> str:
    """The catalog as YAML, ready to edit and import again: one hall (a hall's 业务科 gets its own
    without naming it), or every hall for an administrator of no one hall."""
    actor.require(Role.BUSINESS)
    if hall_id is None:
        hall_id = actor.hall_id
    halls = [_hall(session, hall_id)] if hall_id is not None else list(session.scalars(select(Hall).order_by(Hall.id)))
    for hall in halls:
        actor.require_hall(hall.id)
    return dump_yaml([export_hall(h) for h in halls])


def update_hall_settings(session: Session, now: datetime, actor: Actor, hall_id: int, patch: HallPatch) -> Hall:
    """Change the hall's hours, lunch break ("12:00-13:00"; null or "" for none), notices or queue
    rules; the fields left out of ``patch`` stay. Running kiosks and boards show it at once."""
    actor.require(Role.BUSINESS)
    hall = _hall(session, hall_id)
    actor.require_hall(hall.id)
    changes = patch.model_dump(exclude_unset=True)
    if "lunch" in changes:
        changes["lunch"] = changes["lunch"] or None
    wrong = hours_problem(changes.get("hours", hall.hours), changes.get("lunch", hall.lunch))
    if wrong is not None:  # said as the catalog's check says it
        raise HallError("hours_invalid", 422, problem=CATALOG_PROBLEMS[wrong]["zh"],
                        problem_en=CATALOG_PROBLEMS[wrong]["en"])
    changed = [k for k, v in changes.items() if getattr(hall, k) != v]
    for k in changed:
        setattr(hall, k, changes[k])
    if changed:
        hall_updated(session, now, hall.id, changed)
    return hall


def _service(session: Session, actor: Actor, service_id: int) -> Service:
    actor.require(Role.BUSINESS)
    service = session.get(Service, service_id)
    if service is None:
        raise HallError("service_not_found", 404)
    actor.require_hall(service.hall_id)
    return service


def _window(session: Session, actor: Actor, window_id: int) -> Window:
    actor.require(Role.BUSINESS)
    window = session.scalar(select(Window).where(Window.id == window_id).with_for_update())
    if window is None:
        raise HallError("window_not_found", 404)
    actor.require_hall(window.hall_id)
    return window


def set_service_active(session: Session, now: datetime, actor: Actor, service_id: int, active: bool) -> Service:
    """Retire a service (``active`` False) or bring it back (True); 409 while people wait for it today."""
    service = _service(session, actor, service_id)
    set_active(session, now, service, active)
    return service


def set_window_active(session: Session, now: datetime, actor: Actor, window_id: int, active: bool) -> Window:
    """Retire a window (``active`` False) or bring it back (True); 409 while staff are signed in to it."""
    window = _window(session, actor, window_id)
    set_active(session, now, window, active)
    return window


def update_service(session: Session, now: datetime, actor: Actor, service_id: int, patch: ServicePatch) -> Service:
    """Change a service's fields as ``patch`` says (``active`` retires it or brings it back)."""
    service = _service(session, actor, service_id)
    changes = patch.model_dump(exclude_unset=True)
    active = changes.pop("active", None)
    for k, v in changes.items():
        setattr(service, k, v)
    if active is not None:
        set_active(session, now, service, active)
    if changes:
        catalog_changed(session, now, service.hall_id, "service", service_id=service.id)
    return service


def update_window(session: Session, now: datetime, actor: Actor, window_id: int, patch: WindowPatch) -> Window:
    """Change a window's fields and the services it serves (``active`` retires it or brings it back)."""
    window = _window(session, actor, window_id)
    changes = patch.model_dump(exclude_unset=True)
    active = changes.pop("active", None)
    ids = changes.pop("service_ids", None)
    for k, v in changes.items():
        setattr(window, k, v)
    if ids is not None:
        services = list(session.scalars(select(Service).where(
            Service.id.in_(ids), Service.hall_id == window.hall_id, Service.active.is_(True))))
        if len(services) != len(set(ids)):
            raise HallError("service_not_found", 404)
        window.services = services
    if active is not None:
        set_active(session, now, window, active)
    if changes or ids is not None:
        catalog_changed(session, now, window.hall_id, "window", window_id=window.id)
    return window
