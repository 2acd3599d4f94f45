"""A case after registration: materials completed, departments signing off, finished, returned,
reviewed (复核), extended with an authorised reason. Each move checks the case's type and status,
appends its step, and tells the applicant by text where RULES §2 says so.

Who may move a case: 业务科 and admins of its hall; window staff only for their own department's
cases (the department of the window they are signed in at), and for a joint case, only their
own department's sign-off.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hall_queue.working_days import Deadline, WorkingCalendar
from hall_server.auth.models import Role
from hall_server.auth.service import Actor
from hall_server.cases import rules
from hall_server.cases.models import Case
from hall_server.cases.register import changed, step
from hall_server.cases.rules import CaseStatus, CaseType
from hall_server.cases.texts import text_applicant
from hall_server.cases.views import STATUS_NAMES
from hall_server.catalog.models import Hall, Window
from hall_server.errors import HallError
from hall_server.tickets.queries import business_date

RETRY_WINDOW = timedelta(minutes=10)  # an identical extension within it is a retry, not a second one


def load_case(session: Session, case_id: int, *, lock: bool = True) -> Case:
    q = select(Case).where(Case.id == case_id)
    case = session.scalar(q.with_for_update() if lock else q)
    if case is None:
        raise HallError("case_not_found", 404)
    return case


def staff_department(session: Session, actor: Actor) -> int | None:
    """The department of the window a staff member is signed in at (None when at none)."""
    return session.scalar(select(Window.department_id).where(Window.staff_id == actor.user_id).limit(1))


def check_case_actor(session: Session, actor: Actor, case: Case, department_id: int | None = None, *,
                     reading: bool = False) -> None:
    """Refuse anyone but 业务科, an admin, or staff of the case's lead department (of ``department_id``
    for a joint case's part; ``reading``: of any department taking part)."""
    if reading:
        actor.require(Role.STAFF, Role.BUSINESS, Role.SUPERVISION, Role.LEADER)
    else:
        actor.require(Role.STAFF, Role.BUSINESS)
    actor.require_hall(case.hall_id)
    if actor.role == Role.STAFF:
        own = staff_department(session, actor)
        allowed = {department_id or case.department_id}
        if reading:
            allowed |= {d.department_id for d in case.departments}
        if own is None or own not in allowed:
            raise HallError("case_not_yours", 403)


def _today(session: Session, case: Case, now: datetime) -> date:
    return business_date(session.get(Hall, case.hall_id), now)


def _open(case: Case, *statuses: CaseStatus) -> None:
    if case.status not in statuses:
        zh, en = STATUS_NAMES[case.status]
        raise HallError("case_wrong_status", 409, state=zh, state_en=en)


def complete_materials(session: Session, now: datetime, actor: Actor, case: Case, completed_on: date,
                       calendar: WorkingCalendar) -> Case:
    """补办件: the last missing item arrived on ``completed_on``; the clock starts then (RULES §2)."""
    check_case_actor(session, actor, case)
    if case.status == CaseStatus.IN_PROGRESS and case.clock_started_on == completed_on \
            and case.steps and case.steps[-1].kind == "materials_completed":
        return case  # a retry after a lost answer
    _open(case, CaseStatus.AWAITING_MATERIALS)
    today = _today(session, case, now)
    if completed_on > today or completed_on < case.accepted_on:
        raise HallError("case_materials_date", 422, accepted=case.accepted_on.isoformat())
    deadline = rules.deadline_for(CaseType.SUPPLEMENT, calendar, case.accepted_on, case.promised_days,
                                  materials_complete_on=completed_on)
    case.status, case.clock_started_on = CaseStatus.IN_PROGRESS.value, completed_on
    case.deadline, case.deadline_provisional = deadline.day, deadline.provisional
    step(session, case, "materials_completed", now, completed_on, actor.user_id, case.department_id,
         deadline=deadline.day.isoformat())
    changed(session, case, now)
    return case


def sign_off(session: Session, now: datetime, actor: Actor, case: Case, department_id: int | None,
             base_url: str) -> Case:
    """One department of a joint case finishes its part; the case finishes when all have."""
    if case.case_type != CaseType.JOINT or not case.departments:
        raise HallError("case_not_joint", 409)
    dept_id = department_id or (staff_department(session, actor) if actor.role == Role.STAFF else None)
    part = next((d for d in case.departments if d.department_id == dept_id), None)
    if part is None:
        raise HallError("case_department_not_found", 404)
    check_case_actor(session, actor, case, part.department_id)
    if part.signed_off_at is not None:
        return case  # a retried sign-off changes nothing (the last one's case is finished by now)
    _open(case, CaseStatus.IN_PROGRESS)
    waiting = [d.department.name for d in case.departments if d.role == "co" and d.signed_off_at is None]
    if part.role == "lead" and waiting:  # the lead signs last: its sign-off finishes the case
        raise HallError("case_joint_waiting", 409, names="、".join(waiting))
    part.signed_off_at, part.signed_off_by = now, actor.user_id
    step(session, case, "signed_off", now, _today(session, case, now), actor.user_id, part.department_id)
    if all(d.signed_off_at is not None for d in case.departments):
        _finish(session, now, actor, case, base_url)
    else:
        changed(session, case, now)
    return case


def finish_case(session: Session, now: datetime, actor: Actor, case: Case, base_url: str, note: str = "") -> Case:
    """办结. A joint case finishes through its departments' sign-offs: finishing it signs the lead's
    part and is refused while a co-department has not signed."""
    check_case_actor(session, actor, case)
    if case.status == CaseStatus.FINISHED:
        return case  # a retry after a lost answer
    _open(case, CaseStatus.IN_PROGRESS)
    if case.case_type == CaseType.JOINT and case.departments:
        waiting = [d.department.name for d in case.departments if d.role == "co" and d.signed_off_at is None]
        if waiting:
            raise HallError("case_joint_waiting", 409, names="、".join(waiting))
        return sign_off(session, now, actor, case, case.department_id, base_url)
    _finish(session, now, actor, case, base_url, note)
    return case


def _finish(session: Session, now: datetime, actor: Actor, case: Case, base_url: str, note: str = "") -> None:
    case.status, case.finished_on = CaseStatus.FINISHED.value, _today(session, case, now)
    step(session, case, "finished", now, case.finished_on, actor.user_id, case.department_id, note=note.strip()[:300])
    text_applicant(session, now, case, "finished", base_url)
    changed(session, case, now)


def return_case(session: Session, now: datetime, actor: Actor, case: Case, reason: str, base_url: str) -> Case:
    """退回: with its reason, on the spot or after review (a 退回件 decided within 3 working days);
    the applicant may ask 业务科 for review with the notice."""
    check_case_actor(session, actor, case)
    if not reason.strip():
        raise HallError("case_reason_required", 422)
    if case.status == CaseStatus.RETURNED:
        return case
    _open(case, *rules.OPEN)
    case.status, case.reason, case.finished_on = CaseStatus.RETURNED.value, reason.strip(), _today(session, case, now)
    case.review_status = ""  # a new return may be reviewed again (the earlier review stays in the steps)
    step(session, case, "returned", now, case.finished_on, actor.user_id, case.department_id, reason=case.reason)
    text_applicant(session, now, case, "returned", base_url)
    changed(session, case, now)
    return case


def request_review(session: Session, now: datetime, actor: Actor, case: Case, note: str) -> Case:
    """The applicant brings the 退回件通知书 to 业务科 and asks for review (复核)."""
    actor.require(Role.BUSINESS)
    actor.require_hall(case.hall_id)
    _open(case, CaseStatus.RETURNED)
    if case.review_status == "requested":
        return case
    if case.review_status:
        raise HallError("case_review_done", 409)
    case.review_status = "requested"
    step(session, case, "review_requested", now, _today(session, case, now), actor.user_id, None, note=note.strip())
    changed(session, case, now)
    return case


def decide_review(session: Session, now: datetime, actor: Actor, case: Case, overturned: bool, note: str,
                  calendar: WorkingCalendar) -> Case:
    """业务科's decision: upheld (the return stands) or overturned (the case is taken up again, due the
    item's promised days after the decision)."""
    actor.require(Role.BUSINESS)
    actor.require_hall(case.hall_id)
    if case.review_status == ("overturned" if overturned else "upheld") and case.steps[-1].kind == "review_decided":
        return case  # a retry after a lost answer
    if case.review_status != "requested":
        raise HallError("case_review_not_requested", 409)
    if not note.strip():
        raise HallError("case_reason_required", 422)
    today = _today(session, case, now)
    case.review_status = "overturned" if overturned else "upheld"
    step(session, case, "review_decided", now, today, actor.user_id, None, decision=case.review_status,
         note=note.strip())
    if overturned and _waiting_for_materials(case):  # a 补办件's clock starts only with its materials
        case.status, case.finished_on, case.clock_started_on = CaseStatus.AWAITING_MATERIALS.value, None, None
        case.deadline, case.deadline_provisional = None, False
    elif overturned:
        deadline = calendar.add_working_days(today, case.promised_days)
        case.status, case.finished_on, case.clock_started_on = CaseStatus.IN_PROGRESS.value, None, today
        case.deadline, case.deadline_provisional = deadline.day, deadline.provisional
    changed(session, case, now)
    return case


def _waiting_for_materials(case: Case) -> bool:
    return case.case_type == CaseType.SUPPLEMENT and not any(s.kind == "materials_completed" for s in case.steps)


def extend_case(session: Session, now: datetime, actor: Actor, case: Case, days: int, reason: str,
                calendar: WorkingCalendar) -> Case:
    """No arbitrary extension (RULES §2): only 业务科 or 督查科, with the reason recorded."""
    actor.require(Role.BUSINESS, Role.SUPERVISION)
    actor.require_hall(case.hall_id)
    _open(case, CaseStatus.IN_PROGRESS)
    if not reason.strip():
        raise HallError("case_reason_required", 422)
    if case.deadline is None or not 1 <= days <= 60:
        raise HallError("case_extension_days", 422)
    last = case.steps[-1] if case.steps else None
    if last is not None and last.kind == "extended" and last.detail.get("days") == days \
            and last.detail.get("reason") == reason.strip() and now - last.at < RETRY_WINDOW:
        return case  # the same extension sent again (a lost answer): granted once
    before = case.deadline
    deadline = calendar.add_working_days(before, days)
    case.deadline, case.deadline_provisional = deadline.day, case.deadline_provisional or deadline.provisional
    step(session, case, "extended", now, _today(session, case, now), actor.user_id, None, days=days,
         reason=reason.strip(), before=before.isoformat(), after=deadline.day.isoformat())
    changed(session, case, now)
    return case


def notice_printed(session: Session, now: datetime, actor: Actor, case: Case, copies: int) -> Case:
    """The window printed the notice: recorded, so 督查科 sees the applicant was given it."""
    check_case_actor(session, actor, case)
    step(session, case, "notice_printed", now, _today(session, case, now), actor.user_id, case.department_id,
         copies=copies)
    return case


START_STEPS = ("received", "materials_completed", "review_decided")  # where a case's clock may (re)start


def _counted(case: Case, calendar: WorkingCalendar) -> Deadline:
    """The case's deadline on ``calendar``: from its clock's start (acceptance, its materials, an
    overturned 复核), then every extension granted since."""
    if case.status == CaseStatus.IN_REVIEW:
        base = rules.deadline_for(CaseType.RETURNED, calendar, case.accepted_on, case.promised_days)
    elif case.case_type == CaseType.IMMEDIATE:
        base = rules.deadline_for(CaseType.IMMEDIATE, calendar, case.accepted_on, 0)
    else:
        base = calendar.add_working_days(case.clock_started_on, case.promised_days)
    started = max(i for i, s in enumerate(case.steps) if s.kind in START_STEPS and s.detail.get("decision") != "upheld")
    extra = sum(s.detail["days"] for s in case.steps[started + 1:] if s.kind == "extended")
    if not extra:
        return base
    longer = calendar.add_working_days(base.day, extra)
    return Deadline(longer.day, base.provisional or longer.provisional)


def recount_deadlines(session: Session, now: datetime, hall_id: int, year: int, calendar: WorkingCalendar,
                      actor_id: int | None) -> int:
    """A year's schedule entered: the open cases whose deadline reaches into it are counted again on
    it, so a deadline is provisional only until its year is entered (each change a step, with the
    dates before and after); the number of cases whose deadline changed."""
    found = session.scalars(select(Case).where(
        Case.hall_id == hall_id, Case.status.in_([s.value for s in rules.OPEN]), Case.deadline >= date(year, 1, 1),
    ).order_by(Case.id).with_for_update())
    changed_cases = 0
    for case in found:
        counted = _counted(case, calendar)
        for part in case.departments:
            own = calendar.add_working_days(case.accepted_on, part.promised_days).day
            if part.deadline is not None and part.deadline.year >= year:
                part.deadline = own
        if (counted.day, counted.provisional) == (case.deadline, case.deadline_provisional):
            continue
        step(session, case, "deadline_recounted", now, _today(session, case, now), actor_id, None, year=year,
             before=case.deadline.isoformat(), after=counted.day.isoformat(), provisional=counted.provisional)
        case.deadline, case.deadline_provisional = counted.day, counted.provisional
        changed(session, case, now)
        changed_cases += 1
    return changed_cases
