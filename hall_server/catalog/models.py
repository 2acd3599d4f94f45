"""Halls, departments, service items and windows as stored.

Structured details of an item (materials, fees, procedure) are JSON columns: they are read as
a whole by the guide and edited as a whole by 业务科, never queried piece by piece.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hall_server.db import Base

window_services = Table(
    "window_services",
    Base.metadata,
    Column("window_id", ForeignKey("windows.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
)


class Hall(Base):
    __tablename__ = "halls"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    timezone: Mapped[str] = mapped_column(String(60), default="Asia/Shanghai")
    hours: Mapped[str] = mapped_column(String(20), default="09:00-17:00")  # "00:00-00:00": always open
    lunch: Mapped[str | None] = mapped_column(String(20), nullable=True)
    notice: Mapped[str] = mapped_column(Text, default="")
    notice_en: Mapped[str] = mapped_column(Text, default="")
    # Call policy (see hall_queue.policy): priority calls in a row, and the longest normal wait.
    priority_run: Mapped[int] = mapped_column(Integer, default=2)
    max_wait_minutes: Mapped[int] = mapped_column(Integer, default=30)
    recall_limit: Mapped[int] = mapped_column(Integer, default=3)

    departments: Mapped[list[Department]] = relationship(back_populates="hall", order_by="Department.id")
    services: Mapped[list[Service]] = relationship(back_populates="hall", order_by="Service.id")
    windows: Mapped[list[Window]] = relationship(back_populates="hall", order_by="Window.number")


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)  # False: retired, kept for history
    hall: Mapped[Hall] = relationship(back_populates="departments")


class Service(Base):
    """A service item (事项) as the guide shows it (九公开) and as tickets are taken for it."""

    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(20))  # immediate | promised | joint | reported
    theme: Mapped[str] = mapped_column(String(20), default="personal")  # personal | enterprise
    legal_days: Mapped[int] = mapped_column(Integer, default=0)
    promised_days: Mapped[int] = mapped_column(Integer, default=0)
    series: Mapped[str] = mapped_column(String(1))  # ticket prefix
    daily_cap: Mapped[int] = mapped_column(Integer, default=500)
    avg_service_minutes: Mapped[int] = mapped_column(Integer, default=10)
    guide: Mapped[str] = mapped_column(Text, default="")
    guide_en: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[list] = mapped_column(JSON, default=list)
    fees: Mapped[list] = mapped_column(JSON, default=list)
    procedure: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)

    hall: Mapped[Hall] = relationship(back_populates="services")
    department: Mapped[Department] = relationship()
    windows: Mapped[list[Window]] = relationship(secondary=window_services, back_populates="services")


class Window(Base):
    """A counter window and its live state: who is signed in, paused or not, whom it serves."""

    __tablename__ = "windows"
    __table_args__ = (UniqueConstraint("hall_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    location_en: Mapped[str] = mapped_column(String(200), default="")
    area: Mapped[str] = mapped_column(String(60), default="")
    active: Mapped[bool] = mapped_column(default=True)  # False: retired, kept for history
    # Live state
    state: Mapped[str] = mapped_column(String(10), default="closed")  # closed | open | paused
    pause_reason: Mapped[str] = mapped_column(String(200), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    current_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", use_alter=True), nullable=True)
    last_finished_ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", use_alter=True), nullable=True
    )
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)

    hall: Mapped[Hall] = relationship(back_populates="windows", lazy="selectin")  # calls read its policy
    department: Mapped[Department] = relationship()
    services: Mapped[list[Service]] = relationship(
        secondary=window_services, back_populates="windows", order_by="Service.id"
    )
