"""The six case types and their rules, in the center's words (RULES.md §2 and §12).

Pure functions over plain values: the registering and progress code asks these what a case of a
type needs, where its clock starts, when it is due and which department leads it; the rules are
tested here without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hall_queue.working_days import Deadline, WorkingCalendar

RETURN_DECISION_DAYS = 3  # 退回件: complex ones decided within 3 working days at most
DUE_SOON_DAYS = 2  # working days: what "due soon" means on the window's and the office's lists


class CaseType(StrEnum):
    IMMEDIATE = "immediate"  # 即办件: finished on the spot or the same day
    PROMISED = "promised"  # 承诺件: within the item's promised working days
    SUPPLEMENT = "supplement"  # 补办件: received; the clock starts when the last missing item arrives
    JOINT = "joint"  # 联办件: two or more departments, one leads
    RETURNED = "returned"  # 退回件: returned with a reason, on the spot or within 3 working days
    URGENT = "urgent"  # 急办件: designated by the center only, straight to the lead window


class CaseStatus(StrEnum):
    AWAITING_MATERIALS = "awaiting_materials"  # 补办件 before the last item
    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"  # 退回件 still being decided (complex: within 3 working days)
    FINISHED = "finished"
    RETURNED = "returned"


OPEN = (CaseStatus.AWAITING_MATERIALS, CaseStatus.IN_PROGRESS, CaseStatus.IN_REVIEW)


class Subject(StrEnum):
    """What a joint case is about: RULES §2 fixes its lead department (责任部门) by this."""

    CONSTRUCTION = "construction"  # 基本建设、房地产 → 计委 (later 发改委)
    RENOVATION = "renovation"  # 技术改造 → 经贸委
    UTILITIES = "utilities"  # 公用事业 → 建设局
    INDIVIDUAL = "individual"  # 个体工商户 → 工商局
    OTHER = "other"  # 其他 → the last approving department


# A department leads by its name: the old and the present names of the same office.
LEAD_BY_SUBJECT: dict[Subject, tuple[str, ...]] = {
    Subject.CONSTRUCTION: ("发展和改革", "发改", "计划委员会", "计委"),
    Subject.RENOVATION: ("经济贸易", "经贸", "经济和信息化", "工业和信息化"),
    Subject.UTILITIES: ("住房和城乡建设", "建设局", "建设委员会"),
    Subject.INDIVIDUAL: ("工商", "市场监督管理"),
}


@dataclass(frozen=True)
class Participant:
    department_id: int
    name: str


def lead_department(subject: Subject, participants: Sequence[Participant]) -> Participant:
    """The lead department of a joint case: the one the subject names, if it takes part;
    otherwise the last approving department (the last in the order of approval)."""
    if not participants:
        raise ValueError("a joint case needs its departments")
    for keyword in LEAD_BY_SUBJECT.get(subject, ()):
        for p in participants:
            if keyword in p.name:
                return p
    return participants[-1]


def materials_missing(required: Sequence[dict], received: Sequence[str]) -> list[str]:
    """The item's materials (主件 and 附件) not among those received, in the item's order."""
    got = {name.strip() for name in received}
    return [m["name"] for m in required if m.get("name") and m["name"] not in got]


def first_status(case_type: CaseType, *, decided_now: bool = True) -> CaseStatus:
    """Where a case stands as it is registered."""
    if case_type is CaseType.SUPPLEMENT:
        return CaseStatus.AWAITING_MATERIALS
    if case_type is CaseType.RETURNED:
        return CaseStatus.RETURNED if decided_now else CaseStatus.IN_REVIEW
    return CaseStatus.IN_PROGRESS


def deadline_for(case_type: CaseType, calendar: WorkingCalendar, accepted: date, promised_days: int,
                 *, materials_complete_on: date | None = None) -> Deadline | None:
    """When a case is due (RULES §12: the N-th working day after its start, the start not counted).

    即办件 the same day; 承诺件, 联办件 and 急办件 the item's promised days after acceptance; 补办件
    counts from the day its materials are complete (None until then); a 退回件 being decided is
    due within 3 working days.
    """
    if case_type is CaseType.IMMEDIATE:
        return Deadline(accepted, calendar.provisional(accepted))
    if case_type is CaseType.SUPPLEMENT:
        if materials_complete_on is None:
            return None
        return calendar.add_working_days(materials_complete_on, promised_days)
    if case_type is CaseType.RETURNED:
        return calendar.add_working_days(accepted, RETURN_DECISION_DAYS)
    return calendar.add_working_days(accepted, promised_days)


def days_overdue(calendar: WorkingCalendar, deadline: date | None, finished_on: date | None, today: date) -> int:
    """Working days after the deadline up to the day it finished, or today while open (RULES §12)."""
    if deadline is None:
        return 0
    return calendar.working_days_late(deadline, finished_on or today)


def due_soon_until(calendar: WorkingCalendar, today: date) -> date:
    """The last day "due soon" reaches: DUE_SOON_DAYS working days after today."""
    return calendar.add_working_days(today, DUE_SOON_DAYS).day


def due_soon(calendar: WorkingCalendar, deadline: date | None, today: date) -> bool:
    """Due today or within DUE_SOON_DAYS working days, and not yet late (the lists' "due soon" too)."""
    return deadline is not None and today <= deadline <= due_soon_until(calendar, today)
