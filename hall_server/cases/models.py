"""Cases (办件) as stored, their steps, their departments, and each hall's working-day calendar.

A case's steps are appended, never changed: the case row holds only where it stands now
(status, deadline), and every move that brought it there is a ``CaseStep`` with its time and
who made it. The applicant's identity is stored whole (a department needs it) and masked
wherever it is shown (``cases/views.py``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hall_server.catalog.models import Department, Service
from hall_server.db import Base, UTCDateTime


class CaseCounter(Base):
    """The last case number given in one hall and year: numbers run 2026000001, 2026000002…"""

    __tablename__ = "case_counters"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("hall_id", "case_number", name="uq_case_number"),
        UniqueConstraint("registered_by_token_id", "idempotency_key", name="uq_case_idempotency"),
        # The back office's lists and the overdue sweep: open cases of a hall by deadline.
        Index("ix_cases_hall_status_deadline", "hall_id", "status", "deadline"),
        Index("ix_cases_window", "window_id", "status"),
        Index("ix_cases_hall_newest", "hall_id", "id"),  # a hall's cases newest first, however long its history
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"))
    case_number: Mapped[str] = mapped_column(String(20))
    case_type: Mapped[str] = mapped_column(String(12))  # immediate promised supplement joint returned urgent
    # awaiting_materials (补办件 before the last item) | in_progress | in_review (退回件 being decided)
    # | finished | returned
    status: Mapped[str] = mapped_column(String(20))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)  # the lead (责任部门)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True, index=True)
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    registered_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("access_tokens.id"), nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    channel: Mapped[str] = mapped_column(String(12), default="window")  # window | mail | online
    # The applicant (申请人): a person or a company; stored whole, shown masked.
    applicant_kind: Mapped[str] = mapped_column(String(10), default="person")
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_id_number: Mapped[str] = mapped_column(String(30), default="")  # ID number or credit code
    applicant_phone: Mapped[str] = mapped_column(String(20), default="")
    subject: Mapped[str] = mapped_column(String(20), default="")  # 联办件: what the lead is chosen by
    materials_received: Mapped[list] = mapped_column(JSON, default=list)
    missing_materials: Mapped[list] = mapped_column(JSON, default=list)  # 一次性告知: fixed at registration
    reason: Mapped[str] = mapped_column(Text, default="")  # 退回件: why
    urgent_note: Mapped[str] = mapped_column(Text, default="")  # 急办件通知单's words
    promised_days: Mapped[int] = mapped_column(Integer, default=0)
    accepted_on: Mapped[date] = mapped_column(Date)
    clock_started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    finished_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # finished or returned
    status_token: Mapped[str] = mapped_column(String(64), unique=True)
    check_code: Mapped[str] = mapped_column(String(8), default="")
    review_status: Mapped[str] = mapped_column(String(12), default="")  # "" | requested | upheld | overturned
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    service: Mapped[Service] = relationship(lazy="selectin")
    department: Mapped[Department] = relationship(lazy="selectin")
    departments: Mapped[list[CaseDepartment]] = relationship(
        back_populates="case", order_by="CaseDepartment.id", lazy="selectin")
    steps: Mapped[list[CaseStep]] = relationship(order_by="CaseStep.id", lazy="selectin")


class CaseDepartment(Base):
    """One department of a joint case (联办件): the lead or a co-department, each with its own
    promised limit and its own sign-off. A case of one department has none of these rows."""

    __tablename__ = "case_departments"
    __table_args__ = (UniqueConstraint("case_id", "department_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    role: Mapped[str] = mapped_column(String(4))  # lead | co
    promised_days: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    signed_off_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    case: Mapped[Case] = relationship(back_populates="departments")
    department: Mapped[Department] = relationship(lazy="selectin")


class CaseStep(Base):
    """One step of a case, appended and never changed: received, materials_completed, sent (to a
    co-department), signed_off, extended, finished, returned, review_requested, review_decided."""

    __tablename__ = "case_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    on_day: Mapped[date] = mapped_column(Date)  # the hall's date the step counts for (a back-entered receipt)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class CalendarDay(Base):
    """A day of a hall that differs from Monday to Friday: a holiday on a weekday, or a weekend
    day worked (调休上班)."""

    __tablename__ = "calendar_days"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(40), default="")


class CalendarYear(Base):
    """A year whose official schedule a hall has: seeded from the library or entered by 督查科."""

    __tablename__ = "calendar_years"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # library | office
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
