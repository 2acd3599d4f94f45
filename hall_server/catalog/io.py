"""Importing and exporting the catalog: YAML in, upserted by stable keys, YAML out.

Keys are the hall's ``key``, a department's and a service's ``code`` and a window's number,
so importing the same file twice changes nothing, and an edited file updates in place.
Nothing is deleted by an import: a service left out is marked inactive (its tickets remain).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hall_server.catalog.models import Department, Hall, Service, Window
from hall_server.catalog.schema import CatalogFile, HallSpec
from hall_server.errors import HallError

DEMO_CATALOG = Path(__file__).with_name("demo_catalog.yaml")


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader without anchors and aliases (``&name``, ``*name``, ``<<: *name``): a catalog
    needs none, and a few kilobytes of nested aliases expand to millions of elements (a "billion
    laughs" document). Refused at the first one, before anything is built."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed in a catalog; "
                "write each value out in full", event.start_mark)
        return super().compose_node(parent, index)


def parse_catalog(text: str) -> CatalogFile:
    try:
        return CatalogFile.model_validate(yaml.load(text, Loader=_NoAliasLoader))
    except yaml.YAMLError as exc:
        raise HallError("catalog_invalid", 422, detail=f"YAML: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise HallError("catalog_invalid", 422, detail=f"{where}: {first['msg']}") from None


def _upsert_hall(session: Session, spec: HallSpec) -> Hall:
    hall = session.scalar(select(Hall).where(Hall.key == spec.key)) or Hall(key=spec.key)
    hall.name, hall.name_en, hall.address, hall.timezone = spec.name, spec.name_en, spec.address, spec.timezone
    hall.hours = f"{spec.hours.open}-{spec.hours.close}"
    hall.lunch = "-".join(spec.hours.lunch) if spec.hours.lunch else None
    hall.notice, hall.notice_en = spec.notice, spec.notice_en
    session.add(hall)
    session.flush()

    depts = {d.code: d for d in session.scalars(select(Department).where(Department.hall_id == hall.id))}
    for d in spec.departments:
        row = depts.get(d.code) or Department(hall_id=hall.id, code=d.code)
        row.name, row.name_en = d.name, d.name_en
        session.add(row)
        depts[d.code] = row
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
        if code not in listed:
            row.active = False
    session.flush()

    windows = {w.number: w for w in session.scalars(select(Window).where(Window.hall_id == hall.id))}
    for w in spec.windows:
        row = windows.get(w.number) or Window(hall_id=hall.id, number=w.number)
        row.name, row.name_en, row.location, row.location_en, row.area = (
            w.name, w.name_en, w.location, w.location_en, w.area)
        row.department_id = depts[w.department].id
        row.services = [services[c] for c in w.services]
        session.add(row)
    session.flush()
    return hall


def import_catalog(session: Session, catalog: CatalogFile) -> list[Hall]:
    return [_upsert_hall(session, spec) for spec in catalog.halls]


def export_hall(hall: Hall) -> dict:
    depts = {d.id: d.code for d in hall.departments}
    spec = HallSpec(
        key=hall.key, name=hall.name, name_en=hall.name_en, address=hall.address, timezone=hall.timezone,
        hours={"open": hall.hours.split("-")[0], "close": hall.hours.split("-")[1],
               "lunch": hall.lunch.split("-") if hall.lunch else None},
        notice=hall.notice, notice_en=hall.notice_en,
        departments=[{"code": d.code, "name": d.name, "name_en": d.name_en} for d in hall.departments],
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
             "services": [s.code for s in w.services]}
            for w in hall.windows
        ],
    )
    return spec.model_dump(mode="json")


def dump_yaml(halls: list[dict]) -> str:
    return yaml.safe_dump({"halls": halls}, allow_unicode=True, sort_keys=False)
