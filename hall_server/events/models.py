"""The outbox: one row per state change, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hall_server.db import Base, UTCDateTime


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_hall_order", "hall_id", "id"),  # a hall's events in id order
        # The statistics find a period's few events of a kind (transfers, put-backs, call-backs)
        # without reading the rest, and the events of the few tickets they name (statistics/history.py).
        Index("ix_events_hall_kind", "hall_id", "kind", "id"),
        Index("ix_events_ticket", "ticket_id", "kind"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict] = mapped_column(JSON)
    # The ticket the event is about (its payload's ticket, or a rating's ticket_id); set by ``emit``.
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
