"""The hall's cases as 业务科 and 督查科 look for them: by type, status, department, window, and
the ones overdue or due soon: open cases soonest deadline first, any other list newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, nulls_last, select
from sqlalchemy.orm import Session

from hall_queue.working_days import WorkingCalendar
from hall_server.cases import rules
from hall_server.cases.models import Case, CaseDepartment


@dataclass(frozen=True)
class CaseFilter:
    case_type: str | None = None
    status: str | None = None
    department_id: int | None = None
    window_id: int | None = None
    due: str | None = None  # overdue | soon | open
    limit: int = 100
    offset: int = 0  # the next page starts after the cases shown


def list_cases(session: Session, hall_id: int, f: CaseFilter, calendar: WorkingCalendar, today: date) -> list[Case]:
    q = select(Case).where(Case.hall_id == hall_id)
    if f.case_type:
        q = q.where(Case.case_type == f.case_type)
    if f.status:
        q = q.where(Case.status == f.status)
    if f.department_id:  # its own cases, and the joint ones it takes part in (one probe of their unique index)
        joint = exists().where(CaseDepartment.case_id == Case.id, CaseDepartment.department_id == f.department_id)
        q = q.where((Case.department_id == f.department_id) | joint)
    if f.window_id:
        q = q.where(Case.window_id == f.window_id)
    if f.due:
        q = q.where(Case.status.in_([s.value for s in rules.OPEN]))
    if f.due == "overdue":
        q = q.where(Case.deadline < today)
    elif f.due == "soon":
        # rules.due_soon as a range, which the index on (hall, status, deadline) serves
        q = q.where(Case.deadline >= today, Case.deadline <= rules.due_soon_until(calendar, today))
    # Open cases by deadline (what is due first); any other list newest first, so a long history
    # is never sorted whole (ix_cases_hall_newest) and the list opens on this week's cases.
    if f.due or f.status in [s.value for s in rules.OPEN]:
        q = q.order_by(nulls_last(Case.deadline.asc()), Case.id.desc())
    else:
        q = q.order_by(Case.id.desc())
    q = q.offset(f.offset).limit(f.limit)
    return list(session.scalars(q))
