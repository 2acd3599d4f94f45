"""A text message to an applicant, as queued, sent or given up (the outbox of the text gateway)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hall_server.db import Base, UTCDateTime

QUEUED, SENT, FAILED = "queued", "sent", "failed"


class TextMessage(Base):
    __tablename__ = "text_messages"
    # The sender's one question, "which queued texts are due now?", is one range of this index.
    __table_args__ = (Index("ix_text_messages_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True, index=True)
    phone: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))  # materials_needed | finished | returned | ...
    text: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10))  # queued | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    provider_id: Mapped[str] = mapped_column(String(100), default="")  # the gateway's message id
