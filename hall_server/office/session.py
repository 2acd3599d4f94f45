"""Signing in to the back office: a session cookie, its CSRF token, and who may open which page.

The cookie holds an ordinary access token of the account (hashed in the database, revoked at
sign-out), so the office shares the API's expiry, revocation and per-account lockout. Forms
carry a token derived from the session (HMAC), which a page of another site cannot read; the
cookie is HttpOnly and SameSite=Strict besides.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Depends, Request

from hall_server.auth.models import Role, User
from hall_server.auth.service import Actor
from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.errors import HallError

COOKIE = "hall_office"
LANG_COOKIE = "hall_lang"
SESSION_LIFETIME = timedelta(hours=10)  # a working day; signing in again the next morning
OFFICE_ROLES = (Role.ADMIN, Role.BUSINESS, Role.SUPERVISION, Role.LEADER)


class SignInNeeded(Exception):
    """No valid session: the page answers with the sign-in form (then back to ``next``)."""

    def __init__(self, next_url: str = "/office/") -> None:
        self.next_url = next_url


class PageForbidden(Exception):
    """Signed in, but this page is for another role."""

    def __init__(self, office: Office) -> None:
        self.office = office


@dataclass(frozen=True)
class Office:
    """The signed-in person on an office page: account, role, hall, language, form token."""

    actor: Actor
    user_id: int
    username: str
    display_name: str
    role: Role
    hall_id: int | None  # None: an admin of every hall
    csrf: str
    lang: str

    def may(self, *roles: Role) -> bool:
        return self.role == Role.ADMIN or self.role in roles


def csrf_for(token: str) -> str:
    return hmac.new(token.encode(), b"hall-office-form", hashlib.sha256).hexdigest()[:40]


def language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh"
    return lang if lang in ("zh", "en") else "zh"


def office_session(request: Request, ctx: Context = Depends(get_ctx)) -> Office:
    """The session behind the cookie, or SignInNeeded."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    token = request.cookies.get(COOKIE)
    if not token:
        raise SignInNeeded(here)
    try:
        actor = ctx.actor(token)
    except HallError:
        raise SignInNeeded(here) from None
    if actor.role not in OFFICE_ROLES or actor.user_id is None:
        raise SignInNeeded(here)
    user = ctx.read(lambda s, now: s.get(User, actor.user_id))
    if user is None or not user.active:
        raise SignInNeeded(here)
    return Office(actor=actor, user_id=user.id, username=user.username, display_name=user.display_name,
                  role=actor.role, hall_id=actor.hall_id, csrf=csrf_for(token), lang=language(request))


def page_for(*roles: Role):
    """A dependency: the session, when its role may open the page (admin may open every page)."""

    def guard(office: Office = Depends(office_session)) -> Office:
        if not office.may(*roles):
            raise PageForbidden(office)
        return office

    return guard


def same_site(request: Request) -> None:
    """A form post must come from a page of this site (the Origin browsers send with posts)."""
    origin = request.headers.get("origin")
    if origin and origin.split("://", 1)[-1] != request.headers.get("host", ""):
        raise HallError("forbidden", 403)


def check_form(request: Request, office: Office, csrf: str) -> None:
    """A form post of a signed-in page carries the session's token and comes from this site."""
    same_site(request)
    if not hmac.compare_digest(csrf.encode(), office.csrf.encode()):
        raise HallError("form_expired", 403)
