"""Registering a case through the back office's form, as 业务科 fills it in (shared by the case tests)."""

from __future__ import annotations

import re

from tests.hall_server.cases.support import GS1_MATERIALS, PERSON
from tests.hall_server.office.support import OfficeSession


def form_key(o: OfficeSession, hall, service: str = "GS-1") -> str:
    """The idempotency key of a fresh registration form (opened as a person opens it)."""
    page = o.get(f"/office/cases/new?hall={hall.hall.hall_id}&service={hall.hall.services[service]}")
    assert page.status_code == 200, page.text
    return re.search(r'name="key" value="([0-9a-f]+)"', page.text).group(1)


def case_form(hall, key: str, case_type: str = "promised", service: str = "GS-1",
              materials: list[str] | tuple[str, ...] = tuple(GS1_MATERIALS), applicant: dict | None = None,
              **fields: str | list[str]) -> list[tuple[str, str]]:
    a = applicant or PERSON
    items = [("hall", str(hall.hall.hall_id)), ("service", str(hall.hall.services[service])), ("key", key),
             ("case_type", case_type), ("applicant_kind", a["kind"]), ("name", a["name"]),
             ("id_number", a["id_number"]), ("phone", a["phone"]), ("channel", "mail")]
    items += [("materials", m) for m in materials]
    for name, value in fields.items():
        items += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return items


def register(o: OfficeSession, hall, case_type: str = "promised", **kw) -> int:
    """A case registered through the form; its id (the page it leads to)."""
    r = o.post("/office/cases/new", case_form(hall, form_key(o, hall, kw.get("service", "GS-1")), case_type, **kw))
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    assert location.endswith("?done=registered"), location
    return int(location.split("/office/cases/")[1].split("?")[0])
