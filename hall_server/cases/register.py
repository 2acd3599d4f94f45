"""Registering a case (受理): at the window from the ticket being served, or by 业务科 for a case
that came by mail or online, or designated urgent by the center.

One transaction: the case, its number, its first step, its departments (联办件: the co-departments
are notified at once, each with its own limit), an urgent case's ticket straight to the lead
window, and the applicant's text message. A retried request with the same idempotency key gets
the case registered the first time.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hall_queue.policy import Priority
from hall_queue.working_days import WorkingCalendar
from hall_server.auth.models import Role
from hall_server.auth.service import Actor
from hall_server.cases import rules
from hall_server.cases.identity import check_applicant
from hall_server.cases.models import Case, CaseCounter, CaseDepartment, CaseStep
from hall_server.cases.rules import CaseStatus, CaseType, Participant, Subject
from hall_server.cases.texts import text_applicant
from hall_server.catalog.models import Department, Hall, Service, Window
from hall_server.errors import HallError
from hall_server.events.outbox import emit
from hall_server.tickets.issuing import issue_ticket, new_check_code
from hall_server.tickets.models import Ticket
from hall_server.tickets.queries import business_date

CENTER = (Role.BUSINESS, Role.ADMIN)  # 业务科: back-entry, urgent designation, the lead of a joint case


@dataclass
class Registration:
    """What the window (or 业务科) says about a new case; see ``schemas.CaseIn`` for each field."""

    service_id: int
    case_type: CaseType
    applicant_name: str
    applicant_kind: str = "person"
    id_number: str = ""
    phone: str = ""
    ticket_id: int | None = None
    window_id: int | None = None
    accepted_on: date | None = None
    channel: str = "window"
    materials_received: list[str] | None = None
    missing_materials: list[str] = field(default_factory=list)
    reason: str = ""
    decided_now: bool = True
    subject: Subject = Subject.OTHER
    departments: list[int] = field(default_factory=list)
    lead_department_id: int | None = None
    urgent_note: str = ""
    idempotency_key: str | None = None


def _next_number(session: Session, hall_id: int, year: int) -> str:
    """The hall's next case number of the year; the counter row's lock keeps numbers unique and gap-free
    (the year's first case makes the row; two at once both find it made)."""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
    session.execute(insert(CaseCounter).values(hall_id=hall_id, year=year, last_number=0).on_conflict_do_nothing())
    counter = session.get(CaseCounter, (hall_id, year), with_for_update=True, populate_existing=True)
    counter.last_number += 1
    return f"{year}{counter.last_number:06d}"


def step(session: Session, case: Case, kind: str, now: datetime, on_day: date, actor_id: int | None,
         department_id: int | None = None, **detail: object) -> CaseStep:
    """Append one step to a case's record: never changed afterwards."""
    s = CaseStep(case_id=case.id, kind=kind, at=now, on_day=on_day, actor_id=actor_id,
                 department_id=department_id, detail=detail)
    case.steps.append(s)
    return s


def _window_for(session: Session, actor: Actor, reg: Registration, service: Service) -> Window | None:
    """The window registering: staff only at the window they are signed in at, for its items."""
    if reg.window_id is None:
        if actor.role == Role.STAFF:
            raise HallError("case_window_required", 422)
        return None
    window = session.get(Window, reg.window_id)
    if window is None or window.hall_id != service.hall_id:
        raise HallError("window_not_found", 404)
    if actor.role == Role.STAFF and window.staff_id != actor.user_id:
        raise HallError("case_window_not_yours", 403)
    if window.department_id != service.department_id and service not in window.services:
        raise HallError("case_service_not_at_window", 409)
    return window


def _ticket_for(session: Session, reg: Registration, window: Window | None, hall: Hall, now: datetime) -> int | None:
    """The ticket that brought the applicant: one this window called today."""
    if reg.ticket_id is None:
        return None
    ticket = session.get(Ticket, reg.ticket_id)
    if ticket is None or ticket.hall_id != hall.id:
        raise HallError("ticket_not_found", 404)
    if window is not None and (ticket.window_id != window.id or ticket.business_date != business_date(hall, now)):
        raise HallError("case_ticket_not_at_window", 409)
    return ticket.id


def _participants(session: Session, reg: Registration, service: Service) -> list[Department]:
    """A joint case's departments in the order of approval: the item's own first, then the others."""
    ids = [service.department_id] + [d for d in reg.departments if d != service.department_id]
    depts = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(ids)))}
    if any(i not in depts or depts[i].hall_id != service.hall_id or not depts[i].active for i in ids):
        raise HallError("case_department_not_found", 404)
    if len(ids) < 2:
        raise HallError("case_joint_needs_departments", 422)
    return [depts[i] for i in ids]


def _lead_window(session: Session, service: Service) -> Window | None:
    """Where an urgent case goes straight to: an open window serving the item, else any serving it."""
    windows = [w for w in service.windows if w.active]
    return next((w for w in windows if w.state == "open"), None) or (windows[0] if windows else None)


def _check(actor: Actor, reg: Registration, service: Service, today: date) -> list[str]:
    """The type's rules before anything is written; the missing materials to record."""
    if reg.case_type is CaseType.URGENT and actor.role not in CENTER:
        raise HallError("case_urgent_center_only", 403)
    if reg.accepted_on is not None and reg.accepted_on != today:
        if actor.role not in CENTER:
            raise HallError("case_back_entry_center_only", 403)
        if reg.accepted_on > today:
            raise HallError("case_accepted_in_future", 422)
    if reg.lead_department_id is not None and actor.role not in CENTER:
        raise HallError("case_lead_center_only", 403)
    if reg.case_type is CaseType.URGENT and not reg.urgent_note.strip():
        raise HallError("case_urgent_note_required", 422)
    if reg.case_type is CaseType.RETURNED and reg.decided_now and not reg.reason.strip():
        raise HallError("case_reason_required", 422)
    listed = [m["name"] for m in service.materials if m.get("name")]
    missing = [m.strip() for m in reg.missing_materials if m.strip()]
    if reg.materials_received is not None:
        unknown = [m for m in reg.materials_received if m.strip() not in listed]
        if unknown:
            raise HallError("case_material_unknown", 422, name=unknown[0])
        # 一次性告知: every item not received, and any the window adds, all at once
        computed = rules.materials_missing(service.materials, reg.materials_received)
        missing = computed + [m for m in missing if m not in computed]
    if reg.case_type is CaseType.SUPPLEMENT:
        if not missing:
            raise HallError("case_missing_required", 422)
        return missing
    if missing and reg.case_type is not CaseType.RETURNED:
        raise HallError("case_materials_incomplete", 422, names="、".join(missing))
    return []


def register_case(session: Session, now: datetime, actor: Actor, reg: Registration,
                  calendar_of: Callable[[int], WorkingCalendar], base_url: str) -> Case:
    actor.require(Role.STAFF, Role.BUSINESS)
    if reg.idempotency_key:
        done = session.scalar(select(Case).where(Case.registered_by_token_id == actor.token_id,
                                                 Case.idempotency_key == reg.idempotency_key))
        if done is not None:
            if done.service_id != reg.service_id:
                raise HallError("idempotency_conflict", 409)
            return done
    service = session.get(Service, reg.service_id)
    if service is None or not service.active:
        raise HallError("service_not_found", 404)
    actor.require_hall(service.hall_id)
    hall = session.get(Hall, service.hall_id)
    today = business_date(hall, now)
    calendar = calendar_of(hall.id)
    missing = _check(actor, reg, service, today)
    window = _window_for(session, actor, reg, service)
    ticket_id = _ticket_for(session, reg, window, hall, now)
    kind, id_number, phone = reg.applicant_kind, *check_applicant(reg.applicant_kind, reg.id_number, reg.phone)
    accepted = reg.accepted_on or today

    lead_id = service.department_id
    participants: list[Department] = []
    if reg.case_type is CaseType.JOINT:
        participants = _participants(session, reg, service)
        if reg.lead_department_id is not None:
            if reg.lead_department_id not in [d.id for d in participants]:
                raise HallError("case_department_not_found", 404)
            lead_id = reg.lead_department_id
        else:
            named = [Participant(d.id, d.name) for d in participants]
            lead_id = rules.lead_department(reg.subject, named).department_id

    status = rules.first_status(reg.case_type, decided_now=reg.decided_now)
    deadline = None if status is CaseStatus.RETURNED else rules.deadline_for(
        reg.case_type, calendar, accepted, service.promised_days)
    case = Case(
        hall_id=hall.id, case_number=_next_number(session, hall.id, accepted.year), case_type=reg.case_type.value,
        status=status.value, service_id=service.id, department_id=lead_id,
        window_id=window.id if window else None, ticket_id=ticket_id, registered_by=actor.user_id,
        registered_by_token_id=actor.token_id, idempotency_key=reg.idempotency_key,
        channel=reg.channel if reg.accepted_on is None or reg.channel != "window" else "mail",
        applicant_kind=kind, applicant_name=reg.applicant_name.strip(), applicant_id_number=id_number,
        applicant_phone=phone, subject=reg.subject.value if reg.case_type is CaseType.JOINT else "",
        materials_received=[m.strip() for m in reg.materials_received or []], missing_materials=missing,
        reason=reg.reason.strip() if reg.case_type is CaseType.RETURNED else "",
        urgent_note=reg.urgent_note.strip() if reg.case_type is CaseType.URGENT else "",
        promised_days=service.promised_days,
        accepted_on=accepted, clock_started_on=None if status is CaseStatus.AWAITING_MATERIALS else accepted,
        deadline=deadline.day if deadline else None, deadline_provisional=bool(deadline and deadline.provisional),
        finished_on=accepted if status is CaseStatus.RETURNED else None,
        status_token=secrets.token_urlsafe(24), check_code=new_check_code(), review_status="", created_at=now,
    )
    session.add(case)
    session.flush()
    step(session, case, "received", now, accepted, actor.user_id, lead_id, case_type=case.case_type,
         window_id=case.window_id, missing=missing)
    for dept in participants:
        _join(session, case, dept, lead_id, calendar, accepted, now, actor.user_id)
    if status is CaseStatus.RETURNED:
        step(session, case, "returned", now, accepted, actor.user_id, lead_id, reason=case.reason)
    if reg.case_type is CaseType.URGENT:
        _send_straight_to_window(session, now, actor, case, service, calendar)
    text_applicant(session, now, case, {CaseStatus.AWAITING_MATERIALS: "materials_needed",
                                        CaseStatus.RETURNED: "returned"}.get(status), base_url)
    changed(session, case, now)
    session.flush()
    return case


def _join(session: Session, case: Case, dept: Department, lead_id: int, calendar: WorkingCalendar,
          accepted: date, now: datetime, actor_id: int | None) -> None:
    """A department of a joint case: notified at once (the lead notifies the others), with its own
    limit: its own item's promised days where it has the same kind of item, else the case's."""
    days = case.promised_days
    own = rules.deadline_for(CaseType.JOINT, calendar, accepted, days)
    session.add(CaseDepartment(case_id=case.id, department_id=dept.id, role="lead" if dept.id == lead_id else "co",
                               promised_days=days, deadline=own.day if own else None, notified_at=now))
    if dept.id != lead_id:
        step(session, case, "sent", now, accepted, actor_id, dept.id, department=dept.name)


def _send_straight_to_window(session: Session, now: datetime, actor: Actor, case: Case, service: Service,
                             calendar: WorkingCalendar) -> None:
    """急办件 go straight to the lead window: an urgent ticket for it, called ahead of its queue. Out of
    hours there is no queue to jump; the case waits on the window's list with its notice."""
    window = _lead_window(session, service)
    if window is None:
        return
    case.window_id = case.window_id or window.id
    try:
        issued = issue_ticket(session, now, hall_id=case.hall_id, service_id=service.id, priority=Priority.URGENT,
                              idempotency_key=f"case-{case.id}", issuer_token_id=actor.token_id, allow_urgent=True,
                              working_day=calendar.is_working_day)
    except HallError as error:
        if error.code in ("hall_closed", "daily_cap_reached"):
            return
        raise
    session.execute(update(Ticket).where(Ticket.id == issued.ticket.id).values(target_window_id=case.window_id))
    case.ticket_id = issued.ticket.id


def changed(session: Session, case: Case, now: datetime) -> None:
    """Tell the hall's screens a case moved; no identity goes on the event stream."""
    emit(session, case.hall_id, "case.changed", now, {
        "case_id": case.id, "case_number": case.case_number, "case_type": case.case_type, "status": case.status,
        "window_id": case.window_id, "department_id": case.department_id,
    })
