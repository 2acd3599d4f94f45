"""Importing and exporting the catalog: YAML in, upserted by stable keys, YAML out.

Keys are the hall's ``key``, a department's and a service's ``code`` and a window's number,
so importing the same file twice changes nothing, and an edited file updates in place.
Nothing is deleted by an import: a department, service or window left out is retired
(``retiring.py``: its history stays) and comes back when a later import names it again. An
import that cannot retire something (a window still staffed, a service people wait for) is
refused whole, with those problems listed like the file's own. Each hall imported is told to
its screens (``changes.catalog_changed``) in the same transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from hall_server.cases.calendar import seed_calendar
from hall_server.catalog.changes import catalog_changed
from hall_server.catalog.loader import compose
from hall_server.catalog.models import Department, Hall, Service, Window
from hall_server.catalog.problems import CatalogProblem, CatalogRejected, Lines, Loc, path_text, read_catalog
from hall_server.catalog.retiring import service_refusal, window_refusal
from hall_server.catalog.schema import CatalogFile, HallSpec
from hall_server.errors import HallError

DEMO_CATALOG = Path(__file__).with_name("demo_catalog.yaml")


def parse_catalog(text: str) -> CatalogFile:
    """The catalog in ``text``; ``problems.CatalogRejected`` (422) listing every problem when there are any."""
    return read_catalog(text)


def _upsert_hall(session: Session, now: datetime | None,
                 spec: HallSpec) -> tuple[Hall, list[tuple[str, HallError]]]:
    """The hall as ``spec`` says, and what could not be retired (the list it is under, and why)."""
    refused: list[tuple[str, HallError]] = []
    hall = session.scalar(select(Hall).where(Hall.key == spec.key)) or Hall(key=spec.key)
    hall.name, hall.name_en, hall.address, hall.timezone = spec.name, spec.name_en, spec.address, spec.timezone
    hall.hours = f"{spec.hours.open}-{spec.hours.close}"
    hall.lunch = spec.hours.lunch
    hall.notice, hall.notice_en = spec.notice, spec.notice_en
    session.add(hall)
    session.flush()
    seed_calendar(session, hall.id, now)  # a new hall's working days, from the library

    depts = {d.code: d for d in session.scalars(select(Department).where(Department.hall_id == hall.id))}
    for d in spec.departments:
        row = depts.get(d.code) or Department(hall_id=hall.id, code=d.code)
        row.name, row.name_en, row.active = d.name, d.name_en, True
        session.add(row)
        depts[d.code] = row
    listed = {d.code for d in spec.departments}
    for code, row in depts.items():
        if code not in listed:
            row.active = False
    session.flush()

    services = {s.code: s for s in session.scalars(select(Service).where(Service.hall_id == hall.id))}
    for s in spec.services:
        row = services.get(s.code) or Service(hall_id=hall.id, code=s.code)
        data = s.model_dump(mode="json", exclude={"code", "department"})
        for k, v in data.items():
            setattr(row, k, v)
        row.department_id = depts[s.department].id
        row.active = True
        session.add(row)
        services[s.code] = row
    listed = {s.code for s in spec.services}
    for code, row in services.items():
        if code not in listed and row.active:
            if (refusal := service_refusal(session, now or datetime.now(UTC), row, hall)) is not None:
                refused.append(("services", refusal))
            row.active = False
    session.flush()

    # Locked: a window is retired only with nobody signed in, and sign-in locks the row too.
    windows = {w.number: w for w in session.scalars(
        select(Window).where(Window.hall_id == hall.id).with_for_update())}
    for w in spec.windows:
        row = windows.get(w.number) or Window(hall_id=hall.id, number=w.number)
        row.name, row.name_en, row.location, row.location_en, row.area = (
            w.name, w.name_en, w.location, w.location_en, w.area)
        row.department_id = depts[w.department].id
        row.services = [services[c] for c in w.services]
        row.active = True
        session.add(row)
    listed = {w.number for w in spec.windows}
    for number, row in windows.items():
        if number not in listed and row.active:
            if (refusal := window_refusal(session, row)) is not None:
                refused.append(("windows", refusal))
            row.active = False
    session.flush()
    if now is not None:
        catalog_changed(session, now, hall.id, "import")
    return hall, refused


def import_catalog(session: Session, catalog: CatalogFile, now: datetime | None = None, *,
                   lines: Lines | None = None) -> list[Hall]:
    """Upsert every hall of ``catalog`` in this transaction; ``CatalogRejected`` (and nothing kept,
    once the caller rolls back) when something left out cannot be retired now. ``now``, the
    transaction's time, also tells the halls' running screens (None: a seed before any screen
    runs, as ``hall demo-data`` and the tests' hall). ``lines`` (of the text it was read from)
    lets the problems name their line."""
    halls: list[Hall] = []
    problems: list[CatalogProblem] = []
    for i, spec in enumerate(catalog.halls):
        hall, refused = _upsert_hall(session, now, spec)
        halls.append(hall)
        for where, error in refused:
            loc: Loc = ("halls", i, where)
            problems.append(CatalogProblem(lines.line(loc, of_key=True) if lines else None, path_text(loc),
                                           error.message_zh, error.message_en))
    if problems:
        raise CatalogRejected(problems)
    return halls


def import_catalog_text(session: Session, now: datetime, text: str) -> list[Hall]:
    """Check ``text`` and import it; ``CatalogRejected`` listing every problem, each with its line."""
    catalog = read_catalog(text)
    return import_catalog(session, catalog, now, lines=Lines(compose(text)))


def export_hall(hall: Hall) -> dict:
    """The hall as its catalog says it, retired items left out (they are kept in the database)."""
    depts = {d.id: d.code for d in hall.departments}
    spec = HallSpec(
        key=hall.key, name=hall.name, name_en=hall.name_en, address=hall.address, timezone=hall.timezone,
        hours={"open": hall.hours.split("-")[0], "close": hall.hours.split("-")[1], "lunch": hall.lunch},
        notice=hall.notice, notice_en=hall.notice_en,
        departments=[{"code": d.code, "name": d.name, "name_en": d.name_en} for d in hall.departments if d.active],
        services=[
            {"code": s.code, "name": s.name, "name_en": s.name_en, "department": depts[s.department_id],
             "category": s.category, "theme": s.theme, "legal_days": s.legal_days, "promised_days": s.promised_days,
             "series": s.series, "daily_cap": s.daily_cap, "avg_service_minutes": s.avg_service_minutes,
             "guide": s.guide, "guide_en": s.guide_en, "legal_basis": s.legal_basis, "materials": s.materials,
             "fees": s.fees, "procedure": s.procedure}
            for s in hall.services if s.active
        ],
        windows=[
            {"number": w.number, "name": w.name, "name_en": w.name_en, "location": w.location,
             "location_en": w.location_en, "area": w.area, "department": depts[w.department_id],
             "services": [s.code for s in w.services if s.active]}
            for w in hall.windows if w.active
        ],
    )
    return spec.model_dump(mode="json")


def dump_yaml(halls: list[dict]) -> str:
    return yaml.safe_dump({"halls": halls}, allow_unicode=True, sort_keys=False)
