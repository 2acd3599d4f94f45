"""Tickets and the per-day counters their numbers come from.

Nothing is deleted when a day ends: yesterday's tickets stay for statistics and assessment;
numbers restart because the counter row is keyed by the business date.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hall_server.catalog.models import Service, Window
from hall_server.db import Base, UTCDateTime


class TicketCounter(Base):
    """The last number issued in one hall, series and business day; bumped atomically."""

    __tablename__ = "ticket_counters"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), primary_key=True)
    series: Mapped[str] = mapped_column(String(1), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class QueueTally(Base):
    """Counts of one hall, day, service and class, kept in the same transaction as the tickets.

    Issuing, calling and the wait estimate read these few rows instead of counting today's
    waiting tickets, so their cost does not grow with the queue (see ``tickets/tallies.py``).
    """

    __tablename__ = "queue_tallies"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    priority: Mapped[str] = mapped_column(String(10), primary_key=True)
    waiting: Mapped[int] = mapped_column(Integer, default=0)
    finished: Mapped[int] = mapped_column(Integer, default=0)  # finished after a call: the pace's sample
    service_seconds: Mapped[float] = mapped_column(Float, default=0.0)  # their call-to-finish time, summed


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("hall_id", "business_date", "series", "sequence", name="uq_ticket_number"),
        UniqueConstraint("issuer_token_id", "idempotency_key", name="uq_ticket_idempotency"),
        Index("ix_ticket_window", "window_id", "status"),
        # The oldest waiting ticket of one service and class is the first entry of its range:
        # call next and the status page's count of who is ahead never walk the rest of the queue.
        Index("ix_ticket_waiting", "hall_id", "business_date", "status", "service_id", "priority", "arrived_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    business_date: Mapped[date] = mapped_column(Date)
    series: Mapped[str] = mapped_column(String(1))
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))  # "A001"
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    status_token: Mapped[str] = mapped_column(String(64), unique=True)
    # Printed beside the QR: with the number it finds the ticket when the QR no longer scans.
    check_code: Mapped[str] = mapped_column(String(8), default="")
    issuer_token_id: Mapped[int | None] = mapped_column(ForeignKey("access_tokens.id"), nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # arrived_at: the place in line; kept through transfers and put-backs.
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime())
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    target_window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(300), default="")

    service: Mapped[Service] = relationship(lazy="selectin")  # every ticket shown names its service
    window: Mapped[Window | None] = relationship(foreign_keys=[window_id])


class GreenPass(Base):
    """A green-channel code (绿色通道) the center gives a qualifying applicant or project.

    The kiosk issues a green ticket only with a valid code; the whole green-channel case flow
    (受理表, signatures at each window) builds on this later.
    """

    __tablename__ = "green_passes"
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")  # the project or company
    valid_until: Mapped[date] = mapped_column(Date)
