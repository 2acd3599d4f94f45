"""Accounts and tokens. Only hashes are stored: a leaked table opens no window and no kiosk."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from hall_server.db import Base, UTCDateTime

# The windows a staff member may sign in to (bound by the admin). A staff member bound to none
# may sign in to any free window of the hall, as before binding existed.
staff_windows = Table(
    "staff_windows",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("window_id", ForeignKey("windows.id", ondelete="CASCADE"), primary_key=True),
)


class Role(StrEnum):
    STAFF = "staff"  # window staff
    BUSINESS = "business"  # 业务科
    SUPERVISION = "supervision"  # 督查科
    LEADER = "leader"  # the center's leaders: read the hall and its figures
    ADMIN = "admin"
    KIOSK = "kiosk"  # a kiosk device
    BUS = "bus"  # a device bus process (keypads, rating pads, LED screens of a hall)
    DISPLAY = "display"  # a hall board


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("halls.id"), nullable=True)
    card_id: Mapped[str | None] = mapped_column(String(80), unique=True, nullable=True)
    active: Mapped[bool] = mapped_column(default=True)  # False: disabled, cannot sign in; history kept
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AccessToken(Base):
    """A bearer token of a signed-in person (from login) or of a device (issued by an admin)."""

    __tablename__ = "access_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("halls.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(80), default="")  # a device's name
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked: Mapped[bool] = mapped_column(default=False)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # a device's last request
