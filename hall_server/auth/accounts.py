"""The hall's accounts and device tokens as an admin manages them: create, list, disable, reset,
bind staff to windows, revoke devices.

Nothing is deleted: a disabled account or a revoked token keeps its rows, because tickets,
ratings and the monthly assessment name the people and devices that acted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from hall_server.auth.models import AccessToken, Role, User, staff_windows
from hall_server.auth.passwords import hash_password
from hall_server.auth.service import Actor
from hall_server.catalog.models import Window
from hall_server.errors import HallError

PERSON_ROLES = (Role.STAFF, Role.BUSINESS, Role.SUPERVISION, Role.LEADER, Role.ADMIN)
DEVICE_ROLES = (Role.KIOSK, Role.BUS, Role.DISPLAY)
MIN_PASSWORD = 10
# The passwords every guesser tries first, whatever their length.
COMMON = frozenset({
    "1234567890", "12345678910", "0123456789", "qwertyuiop", "1qaz2wsx3edc", "password123", "password1234",
    "passw0rd123", "admin12345", "admin123456", "administrator", "iloveyou123", "abc1234567", "a123456789",
    "woaini1314", "1q2w3e4r5t", "qwerty12345", "zxcvbnm123", "aa12345678", "abcd123456",
})


def password_problem(password: str, username: str = "") -> str | None:
    """Why a password is too weak (a message key), or None when it will do.

    At least ten characters, not only digits, not the account's name, not a well-known one;
    under sixteen characters it mixes letters with digits or signs. A long passphrase of
    letters alone is fine: length beats rules.
    """
    low = password.lower()
    if len(password) < MIN_PASSWORD:
        return "password_too_short"
    if password.isdigit() or low in COMMON or (username and username.lower() in low):
        return "password_guessable"
    has_letter = any(c.isalpha() for c in password)
    has_other = any(not c.isalpha() for c in password)
    if len(password) < 16 and not (has_letter and has_other):
        return "password_guessable"
    return None


def check_password_policy(password: str, username: str = "") -> None:
    if (problem := password_problem(password, username)) is not None:
        raise HallError(problem, 422, min=MIN_PASSWORD)


def users_of(session: Session, hall_id: int | None) -> list[User]:
    """The people's accounts of a hall (all halls' when ``hall_id`` is None), by role then name."""
    q = select(User)
    if hall_id is not None:
        q = q.where(User.hall_id == hall_id)
    return list(session.scalars(q.order_by(User.role, User.username)))


def user_of(session: Session, user_id: int, hall_id: int | None) -> User:
    """One account, refused when it belongs to another hall than the one managed."""
    user = session.get(User, user_id)
    if user is None or (hall_id is not None and user.hall_id != hall_id):
        raise HallError("user_not_found", 404)
    return user


def revoke_sessions(session: Session, user_id: int) -> list[int]:
    """End every sign-in of an account (caller, office); the revoked tokens' ids."""
    ids = list(session.scalars(select(AccessToken.id).where(
        AccessToken.user_id == user_id, AccessToken.revoked.is_(False))))
    if ids:
        session.execute(update(AccessToken).where(AccessToken.id.in_(ids)).values(revoked=True))
    return ids


def set_active(session: Session, now: datetime, user: User, active: bool, by: Actor) -> list[int]:
    """Disable or enable an account. Disabling signs it out everywhere, its windows too (as 督查科 or
    an admin signs out a forgotten window, so the boards hear it); the revoked tokens' ids."""
    from hall_server.tickets.calling import sign_out  # calling asks this module who may sign in where

    user.active = active
    if active:
        return []
    for window in session.scalars(select(Window).where(Window.staff_id == user.id).with_for_update()):
        sign_out(session, now, window, by)
    return revoke_sessions(session, user.id)


def reset_password(session: Session, now: datetime, user: User, password: str) -> list[int]:
    """A new password set by the admin; the account's open sessions end (the old password may be known)."""
    check_password_policy(password, user.username)
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    return revoke_sessions(session, user.id)


def bound_windows(session: Session, user_id: int) -> list[int]:
    return list(session.scalars(select(staff_windows.c.window_id).where(staff_windows.c.user_id == user_id)
                                .order_by(staff_windows.c.window_id)))


def bind_windows(session: Session, user: User, window_ids: list[int]) -> None:
    """The windows a staff member may sign in to: only windows of the member's hall."""
    if window_ids:
        found = set(session.scalars(select(Window.id).where(Window.id.in_(window_ids),
                                                            Window.hall_id == user.hall_id)))
        if found != set(window_ids):
            raise HallError("window_not_found", 404)
    session.execute(delete(staff_windows).where(staff_windows.c.user_id == user.id))
    if window_ids:
        session.execute(insert(staff_windows), [{"user_id": user.id, "window_id": w} for w in sorted(set(window_ids))])


def may_sign_in_to(session: Session, user_id: int, window_id: int) -> bool:
    """A staff member bound to windows may sign in only to those; one bound to none, to any."""
    bound = bound_windows(session, user_id)
    return not bound or window_id in bound


@dataclass(frozen=True)
class DeviceToken:
    id: int
    name: str
    role: str
    created_at: datetime
    last_seen_at: datetime | None
    revoked: bool


def device_tokens(session: Session, hall_id: int) -> list[DeviceToken]:
    rows = session.execute(select(AccessToken).where(
        AccessToken.hall_id == hall_id, AccessToken.user_id.is_(None),
        AccessToken.role.in_([r.value for r in DEVICE_ROLES])).order_by(AccessToken.revoked, AccessToken.name))
    return [DeviceToken(t.id, t.name, t.role, t.created_at, t.last_seen_at, t.revoked) for (t,) in rows]


def revoke_device(session: Session, token_id: int, hall_id: int) -> None:
    token = session.get(AccessToken, token_id)
    if token is None or token.hall_id != hall_id or token.user_id is not None:
        raise HallError("device_not_found", 404)
    token.revoked = True


def touch_device(session: Session, token_id: int, now: datetime) -> None:
    """Note that a device was seen (at most once a minute per device and process, see Context.actor)."""
    session.execute(update(AccessToken).where(AccessToken.id == token_id).values(last_seen_at=now))
