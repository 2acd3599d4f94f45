"""The last reported state of each device of a hall (one row per device, upserted)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hall_server.db import Base, UTCDateTime


class DeviceHealth(Base):
    __tablename__ = "device_health"
    __table_args__ = (UniqueConstraint("hall_id", "device"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id", ondelete="CASCADE"), index=True)
    device: Mapped[str] = mapped_column(String(120))  # e.g. "kiosk 1/printer", "bus 1/window 12/keypad"
    kind: Mapped[str] = mapped_column(String(20))  # printer | line | keypad | ratingpad | led | scanner | cardreader
    state: Mapped[str] = mapped_column(String(20))  # ok | offline | paper_out | cover_open | unplugged | ...
    detail: Mapped[str] = mapped_column(String(300), default="")
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
