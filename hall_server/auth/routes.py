"""Sign-in by password or staff card, sign-out, and who am I."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from limits import parse

from hall_server.auth.models import Role, User
from hall_server.auth.service import STAFF_TOKEN_LIFETIME, Actor, check_password, login, login_by_card, logout
from hall_server.context import Context
from hall_server.deps import bearer, client_address, get_actor, get_ctx
from hall_server.errors import HallError
from hall_server.schemas import CardLoginIn, LoginIn, TokenOut
from hall_server.tickets.calling import load_window

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def _token_out(token: str, user: User) -> TokenOut:
    return TokenOut(access_token=token, role=user.role, user_id=user.id, hall_id=user.hall_id,
                    display_name=user.display_name)


def password_sign_in(ctx: Context, username: str, password: str, address: str, *,
                     lifetime: timedelta = STAFF_TOKEN_LIFETIME, name: str = "",
                     roles: tuple[Role, ...] | None = None) -> tuple[str, User]:
    """Sign in by password, for the API and the back office alike. Wrong passwords count against
    the account (after ``login_failures`` it waits; the rest of the office does not), attempts
    against the address only as a ceiling for a whole office. An account whose role is not in
    ``roles`` (when given) is refused with 403 before any token is made."""
    ctx.check_rate(ctx.settings.login_rate, "login", address)
    account = username.strip().lower()
    failures = parse(ctx.settings.login_failures)
    if not ctx.limiter.test(failures, "login-failed", account):
        raise HallError("account_locked", 429)
    try:
        user = ctx.read(lambda s, now: check_password(s, username, password))
    except HallError:
        ctx.limiter.hit(failures, "login-failed", account)
        raise
    if roles is not None and Role(user.role) not in roles:
        raise HallError("forbidden", 403)
    return ctx.write(lambda s, now: login(s, now, user, lifetime, name))


@router.post("/login", operation_id="login", response_model=TokenOut)
def login_route(body: LoginIn, request: Request, ctx: Context = Depends(get_ctx)) -> TokenOut:
    """Sign in (a staff member's caller, or any account's API use)."""
    return _token_out(*password_sign_in(ctx, body.username, body.password, client_address(request)))


@router.post("/card-login", operation_id="card_login", response_model=TokenOut)
def card_login(body: CardLoginIn, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)) -> TokenOut:
    """A card swiped on a window's reader: the bus device (or the window's caller) vouches for the swipe."""
    actor.require(Role.BUS)

    def work(s, now) -> TokenOut:
        w = load_window(s, body.window_id, lock=False)
        actor.require_hall(w.hall_id)
        if actor.hall_id is None:
            raise HallError("forbidden", 403)
        return _token_out(*login_by_card(s, now, w.hall_id, body.card_id))

    return ctx.write(work)


@router.post("/logout", operation_id="logout", status_code=204)
def logout_route(ctx: Context = Depends(get_ctx), cred: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    if cred is None or not cred.credentials:
        raise HallError("unauthenticated", 401)
    token_id = ctx.write(lambda s, now: logout(s, cred.credentials))
    ctx.actors.pop(cred.credentials, None)
    if token_id is not None:  # its event streams in this process end too
        ctx.hub.revoke_threadsafe(token_id)


@router.get("/me", operation_id="whoami")
def whoami(actor: Actor = Depends(get_actor)) -> dict:
    return {"role": actor.role.value, "hall_id": actor.hall_id, "user_id": actor.user_id}
