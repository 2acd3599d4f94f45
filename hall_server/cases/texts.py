"""Text messages (短信告知) a case sends its applicant: when materials are needed, when it is
finished, when it is returned. Queued in the case's own transaction (``notify/outbox.py``), so a
message is sent only for a step that happened, and retried until it is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hall_server.cases.models import Case
from hall_server.catalog.models import Hall, Window
from hall_server.notify.outbox import queue_text
from hall_server.web.status_page import status_url


def text_applicant(session: Session, now: datetime, case: Case, kind: str | None, base_url: str) -> None:
    """Queue the applicant's text of ``kind`` (none for a 即办件 finished while they wait)."""
    if kind is None or not case.applicant_phone or (kind == "finished" and case.case_type == "immediate"):
        return
    window = session.get(Window, case.window_id) if case.window_id else None
    hall = session.get(Hall, case.hall_id)
    place = (window.location or f"{window.number}号窗口") if window else f"{case.department.name}窗口"
    queue_text(session, now, hall_id=case.hall_id, case_id=case.id, phone=case.applicant_phone, kind=kind, values={
        "hall": hall.name, "item": case.service.name, "case_no": case.case_number,
        "materials": list(case.missing_materials), "reason": case.reason, "place": place,
        "status_url": status_url(base_url, case.status_token),
    })
