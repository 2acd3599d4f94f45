"""Sign-in, device tokens and the identity behind a bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from hall_server.auth.models import AccessToken, Role, User
from hall_server.auth.passwords import hash_password, new_token, token_hash, verify_password
from hall_server.errors import HallError

STAFF_TOKEN_LIFETIME = timedelta(hours=14)  # one working day, with margin


@dataclass(frozen=True)
class Actor:
    """Who is calling: a person (user_id set) or a device (user_id None), with role and hall."""

    token_id: int
    role: Role
    hall_id: int | None
    user_id: int | None = None

    def require(self, *roles: Role) -> None:
        if self.role not in roles and self.role != Role.ADMIN:
            raise HallError("forbidden", 403)

    def require_hall(self, hall_id: int) -> None:
        if self.role != Role.ADMIN and self.hall_id is not None and self.hall_id != hall_id:
            raise HallError("forbidden", 403)


def create_user(
    session: Session, username: str, password: str, role: Role, hall_id: int | None = None,
    display_name: str = "", card_id: str | None = None,
) -> User:
    from hall_server.auth.accounts import check_password_policy

    check_password_policy(password, username)
    user = User(
        username=username, password_hash=hash_password(password), role=role.value, hall_id=hall_id,
        display_name=display_name or username, card_id=card_id,
    )
    session.add(user)
    session.flush()
    return user


def _issue(session: Session, now: datetime, role: Role, hall_id: int | None, user_id: int | None,
           name: str = "", lifetime: timedelta | None = None) -> str:
    token = new_token()
    session.add(AccessToken(
        token_hash=token_hash(token), role=role.value, user_id=user_id, hall_id=hall_id, name=name,
        created_at=now, expires_at=now + lifetime if lifetime else None,
    ))
    session.flush()
    return token


def check_password(session: Session, username: str, password: str) -> User:
    """The active user with this name and password, or a refusal.

    A read, apart from the login's write: the hash takes tens of milliseconds by design, and
    the server's one writer must not wait for it.
    """
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None or not verify_password(user.password_hash, password):
        raise HallError("login_failed", 401)
    return user


def login(session: Session, now: datetime, user: User, lifetime: timedelta = STAFF_TOKEN_LIFETIME,
          name: str = "") -> tuple[str, User]:
    """An access token for a user whose password was checked (``check_password``); the sign-in is noted."""
    session.execute(update(User).where(User.id == user.id).values(last_login_at=now))
    return _issue(session, now, Role(user.role), user.hall_id, user.id, name=name, lifetime=lifetime), user


def login_by_card(session: Session, now: datetime, hall_id: int, card_id: str) -> tuple[str, User]:
    """A staff card swiped on a window's reader signs its holder in (the reader's device vouches)."""
    user = session.scalar(select(User).where(User.card_id == card_id, User.active.is_(True)))
    if user is None or user.hall_id != hall_id:
        raise HallError("card_unknown", 401)
    return _issue(session, now, Role(user.role), user.hall_id, user.id, lifetime=STAFF_TOKEN_LIFETIME), user


def issue_device_token(session: Session, now: datetime, role: Role, hall_id: int, name: str) -> str:
    if role not in (Role.KIOSK, Role.BUS, Role.DISPLAY):
        raise HallError("invalid_request", 422, detail="device role must be kiosk, bus or display")
    return _issue(session, now, role, hall_id, None, name=name)


_A = AccessToken.__table__
_TOKEN = select(_A.c.id, _A.c.role, _A.c.hall_id, _A.c.user_id, _A.c.revoked, _A.c.expires_at).where(
    _A.c.token_hash == bindparam("token_hash"))  # prebuilt: every request's token passes here


def resolve_with_expiry(session: Session, now: datetime, token: str) -> tuple[Actor, datetime | None]:
    """The actor behind a bearer token, and when the token expires; refuses unknown or dead tokens."""
    row = session.connection().execute(_TOKEN, {"token_hash": token_hash(token)}).first()
    if row is None or row.revoked or (row.expires_at is not None and row.expires_at <= now):
        raise HallError("unauthenticated", 401)
    return Actor(token_id=row.id, role=Role(row.role), hall_id=row.hall_id, user_id=row.user_id), row.expires_at


def logout(session: Session, token: str) -> int | None:
    """Revoke the token; its id, or None when there is no such token."""
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == token_hash(token)))
    if row is None:
        return None
    row.revoked = True
    return row.id
