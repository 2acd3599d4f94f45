"""A rating ties the applicant's word to the ticket, window, department and staff member.

The monthly assessment (a later capability) reads these rows. A case is rated once (一事一评):
by its own status token (``case_id``), or at the window for the ticket that brought it, and a
rating given one way is the case's rating the other way too (``evaluation/service.py``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hall_server.db import Base, UTCDateTime


class RatingLevel(StrEnum):
    GOOD = "good"  # 好
    FAIRLY_GOOD = "fairly_good"  # 较好
    AVERAGE = "average"  # 一般
    POOR = "poor"  # 较差


class Rating(Base):
    __tablename__ = "ratings"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), unique=True, nullable=True)  # 一次一评
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), unique=True, nullable=True)  # 一事一评
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True, index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    level: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(12))  # qr | kiosk | pad
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
