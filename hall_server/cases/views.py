"""What a case shows: to the window and the office (``case_payload``), and to whoever holds its QR
(``case_status``). The applicant's ID number and phone are masked in both; the public view also
masks the name and leaves out the materials and the staff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hall_queue.working_days import WorkingCalendar
from hall_server.cases import rules
from hall_server.cases.models import Case
from hall_server.catalog.models import Hall, Window
from hall_server.errors import HallError
from hall_server.evaluation.models import Rating
from hall_server.web.status_page import status_url

TYPE_NAMES = {
    "immediate": ("即办件", "Immediate"), "promised": ("承诺件", "Promised"), "supplement": ("补办件", "Supplement"),
    "joint": ("联办件", "Joint"), "returned": ("退回件", "Returned"), "urgent": ("急办件", "Urgent"),
}
STATUS_NAMES = {
    "awaiting_materials": ("待补齐材料", "Waiting for materials"), "in_progress": ("办理中", "In progress"),
    "in_review": ("审查中", "Under review"), "finished": ("已办结", "Finished"), "returned": ("已退回", "Returned"),
}
STEP_NAMES = {
    "received": ("已受理", "Received"), "materials_completed": ("材料已补齐", "Materials complete"),
    "sent": ("已送协办部门", "Sent to a co-department"), "signed_off": ("部门已办结", "Department signed off"),
    "extended": ("经批准延期", "Extended with approval"), "finished": ("已办结", "Finished"),
    "returned": ("已退回", "Returned"), "review_requested": ("已申请复核", "Review requested"),
    "review_decided": ("复核已决定", "Review decided"), "notice_printed": ("已打印通知书", "Notice printed"),
    "deadline_recounted": ("按公布的节假日安排确定期限", "Deadline set by the published holidays"),
}


def mask_id(number: str) -> str:
    """``320583199001011234`` → ``3205**********1234``: enough for the applicant to know it is theirs."""
    n = number.strip()
    if len(n) <= 8:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]


def mask_phone(phone: str) -> str:
    p = phone.strip()
    if len(p) < 7:
        return "*" * len(p)
    return p[:3] + "*" * (len(p) - 7) + p[-4:]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳明华 → 欧***; a company keeps its name (it is public in its licence)."""
    n = name.strip()
    return n[:1] + "*" * (len(n) - 1) if n else n


def case_rating(session: Session, case: Case) -> Rating | None:
    """The case's one rating: given for the case, or at the window for the ticket that brought it."""
    clause = Rating.case_id == case.id
    if case.ticket_id is not None:
        clause = or_(clause, Rating.ticket_id == case.ticket_id)
    return session.scalars(select(Rating).where(clause).order_by(Rating.id)).first()


def _iso(d: date | datetime | None) -> str | None:
    return d.isoformat() if d is not None else None


def _steps(case: Case) -> list[dict]:
    return [{"kind": s.kind, "name_zh": STEP_NAMES.get(s.kind, (s.kind, s.kind))[0],
             "name_en": STEP_NAMES.get(s.kind, (s.kind, s.kind))[1], "at": s.at.isoformat(),
             "on_day": s.on_day.isoformat(), "department_id": s.department_id} for s in case.steps]


def timing(case: Case, calendar: WorkingCalendar, today: date) -> dict:
    """Days overdue, due soon, and the 即办件 still open after its day: what 督查科 watches."""
    open_ = case.status in rules.OPEN
    overdue = rules.days_overdue(calendar, case.deadline, case.finished_on if not open_ else None, today)
    return {
        "days_overdue": overdue, "overdue": overdue > 0,
        "due_soon": open_ and rules.due_soon(calendar, case.deadline, today),
        "open_past_day": open_ and case.case_type == "immediate" and today > case.accepted_on,
    }


def case_payload(session: Session, case: Case, calendar: WorkingCalendar, today: date, base_url: str) -> dict:
    """A case as the window, the office and the notice see it."""
    return case_payloads(session, [case], calendar, today, base_url)[0]


def case_payloads(session: Session, cases: list[Case], calendar: WorkingCalendar, today: date,
                  base_url: str) -> list[dict]:
    """Cases as the window, the office and the notice see them; their windows and ratings read once
    for the list (every caller re-reads its window's list when a case moves)."""
    windows = {c.window_id for c in cases if c.window_id}
    numbers = dict(session.execute(select(Window.id, Window.number).where(Window.id.in_(windows))).tuples().all())
    by_case: dict[int, Rating] = {}
    by_ticket: dict[int, Rating] = {}
    tickets = [c.ticket_id for c in cases if c.ticket_id]
    clause = Rating.case_id.in_([c.id for c in cases])
    if tickets:
        clause = or_(clause, Rating.ticket_id.in_(tickets))
    for r in session.scalars(select(Rating).where(clause).order_by(Rating.id.desc())):  # the first rating wins
        if r.case_id is not None:
            by_case[r.case_id] = r
        if r.ticket_id is not None:
            by_ticket[r.ticket_id] = r
    return [_payload(c, calendar, today, status_url(base_url, c.status_token), numbers.get(c.window_id),
                     by_case.get(c.id) or by_ticket.get(c.ticket_id)) for c in cases]


def _payload(case: Case, calendar: WorkingCalendar, today: date, status_url: str, window_number: int | None,
             rating: Rating | None) -> dict:
    t_zh, t_en = TYPE_NAMES[case.case_type]
    s_zh, s_en = STATUS_NAMES[case.status]
    return {
        "id": case.id, "case_number": case.case_number, "hall_id": case.hall_id, "case_type": case.case_type,
        "type_name_zh": t_zh, "type_name_en": t_en, "status": case.status, "status_name_zh": s_zh,
        "status_name_en": s_en, "service_id": case.service_id, "service_name": case.service.name,
        "department_id": case.department_id, "department_name": case.department.name,
        "window_id": case.window_id, "window_number": window_number, "ticket_id": case.ticket_id,
        "channel": case.channel,
        "applicant": {"name": case.applicant_name, "kind": case.applicant_kind,
                      "id_number_masked": mask_id(case.applicant_id_number),
                      "phone_masked": mask_phone(case.applicant_phone)},
        "subject": case.subject, "materials_received": list(case.materials_received),
        "missing_materials": list(case.missing_materials), "reason": case.reason, "urgent_note": case.urgent_note,
        "promised_days": case.promised_days, "accepted_on": case.accepted_on.isoformat(),
        "clock_started_on": _iso(case.clock_started_on), "deadline": _iso(case.deadline),
        "deadline_provisional": case.deadline_provisional, "finished_on": _iso(case.finished_on),
        "review_status": case.review_status,
        "departments": [{"department_id": d.department_id, "name": d.department.name, "role": d.role,
                         "promised_days": d.promised_days, "deadline": _iso(d.deadline),
                         "signed_off_at": _iso(d.signed_off_at)} for d in case.departments],
        "steps": _steps(case), "status_token": case.status_token, "status_url": status_url,
        "check_code": case.check_code, "rating": rating.level if rating else None,
        **timing(case, calendar, today),
    }


def case_status(session: Session, case: Case, calendar: WorkingCalendar, today: date) -> dict:
    """What the QR's holder may see: the case's type, steps, deadline and rating; no identity."""
    rating = case_rating(session, case)
    t_zh, t_en = TYPE_NAMES[case.case_type]
    s_zh, s_en = STATUS_NAMES[case.status]
    return {
        "kind": "case", "case_number": case.case_number, "case_type": case.case_type, "type_name_zh": t_zh,
        "type_name_en": t_en, "status": case.status, "status_name_zh": s_zh, "status_name_en": s_en,
        "service_name": case.service.name, "service_name_en": case.service.name_en,
        "department_name": case.department.name, "applicant_name": mask_name(case.applicant_name)
        if case.applicant_kind == "person" else case.applicant_name,
        "accepted_on": case.accepted_on.isoformat(), "deadline": _iso(case.deadline),
        "deadline_provisional": case.deadline_provisional, "finished_on": _iso(case.finished_on),
        "missing_materials": list(case.missing_materials) if case.status == "awaiting_materials" else [],
        "reason": case.reason if case.status == "returned" else "",
        "steps": [{k: s[k] for k in ("kind", "name_zh", "name_en", "at")} for s in _steps(case)],
        "ratable": case.status in ("finished", "returned") and rating is None,
        "rating": rating.level if rating else None,
        "overdue": timing(case, calendar, today)["overdue"],
    }


def case_status_by_token(session: Session, status_token: str, calendar_of: Callable[[int], WorkingCalendar],
                         now: datetime) -> dict:
    """The public view of the case behind a notice's QR; 404 as for a ticket when there is none."""
    case = session.scalar(select(Case).where(Case.status_token == status_token))
    if case is None:
        raise HallError("ticket_not_found", 404)
    hall = session.get(Hall, case.hall_id)
    today = now.astimezone(ZoneInfo(hall.timezone)).date()
    return case_status(session, case, calendar_of(case.hall_id), today) | {
        "hall_name": hall.name, "timezone": hall.timezone, "department_name_en": case.department.name_en}
