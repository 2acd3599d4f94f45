"""The admin's accounts pages: list, create, disable or enable, reset a password, bind staff to windows."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from hall_server.auth import accounts
from hall_server.auth.models import Role
from hall_server.auth.service import create_user
from hall_server.catalog.models import Window
from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.errors import HallError
from hall_server.office.render import render, text
from hall_server.office.scope import hall_of
from hall_server.office.session import Office, check_form, page_for

router = APIRouter(prefix="/office/users", include_in_schema=False)
admin_page = page_for()  # the admin only
ROLES = [r.value for r in accounts.PERSON_ROLES]


def _list(request: Request, ctx: Context, office: Office, hall: int | None, **extra) -> HTMLResponse:
    hall_id, choices = hall_of(ctx, office, hall)
    users = ctx.read(lambda s, now: [
        (u, len(accounts.bound_windows(s, u.id))) for u in accounts.users_of(s, hall_id)])
    return render(request, "users.html", office, hall_id=hall_id, halls=choices, users=users, roles=ROLES,
                  status=extra.pop("status", 200), **extra)


@router.get("", response_class=HTMLResponse)
def users_page(request: Request, hall: int | None = None, office: Office = Depends(admin_page),
               ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    return _list(request, ctx, office, hall)


@router.post("")
def create_user_post(request: Request, hall: int = Form(), username: str = Form(max_length=80),
                     display_name: str = Form("", max_length=80), role: str = Form(),
                     password: str = Form(max_length=200), card_id: str = Form("", max_length=80),
                     csrf: str = Form(""), office: Office = Depends(admin_page),
                     ctx: Context = Depends(get_ctx)) -> Response:
    check_form(request, office, csrf)
    hall_id, _ = hall_of(ctx, office, hall)
    username = username.strip()
    try:
        if role not in ROLES or not username:
            raise HallError("invalid_request", 422, detail="role")
        ctx.write(lambda s, now: create_user(
            s, username, password, Role(role), None if role == Role.ADMIN and office.hall_id is None else hall_id,
            display_name.strip(), card_id.strip() or None),
            conflict=HallError("invalid_request", 409, detail="taken"))
    except HallError as err:
        message = text(office.lang, "username_taken") if err.status == 409 else _message(office, err)
        return _list(request, ctx, office, hall_id, error=message, form={
            "username": username, "display_name": display_name, "role": role, "card_id": card_id}, status=err.status)
    return _list(request, ctx, office, hall_id, notice=text(office.lang, "user_created", name=username), status=201)


def _message(office: Office, err: HallError) -> str:
    return err.message_en if office.lang == "en" else err.message_zh


def _user_page(request: Request, ctx: Context, office: Office, user_id: int, **extra) -> HTMLResponse:
    def load(s, now):
        user = accounts.user_of(s, user_id, office.hall_id)
        windows = list(s.scalars(select(Window).where(Window.hall_id == user.hall_id).order_by(Window.number))) \
            if user.hall_id is not None else []
        return user, windows, set(accounts.bound_windows(s, user.id))

    user, windows, bound = ctx.read(load)
    return render(request, "user.html", office, user=user, windows=windows, bound=bound,
                  status=extra.pop("status", 200), **extra)


@router.get("/{user_id}", response_class=HTMLResponse)
def user_page(request: Request, user_id: int, office: Office = Depends(admin_page),
              ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    return _user_page(request, ctx, office, user_id)


@router.post("/{user_id}")
async def user_save(request: Request, user_id: int, office: Office = Depends(admin_page),
                    ctx: Context = Depends(get_ctx)) -> Response:
    """Name, staff card and the windows the member may sign in to."""
    form = await request.form()
    check_form(request, office, str(form.get("csrf", "")))
    try:
        window_ids = [int(w) for w in form.getlist("windows")]
    except ValueError:
        raise HallError("invalid_request", 422, detail="windows") from None
    name = str(form.get("display_name", "")).strip()[:80]
    card = str(form.get("card_id", "")).strip()[:80] or None

    def work(s, now):
        user = accounts.user_of(s, user_id, office.hall_id)
        user.display_name = name or user.username
        user.card_id = card
        accounts.bind_windows(s, user, window_ids)
        return user.username

    try:
        await ctx.write_async(work, conflict=HallError("invalid_request", 409, detail="card"))
    except HallError as err:
        message = text(office.lang, "username_taken") if err.status == 409 else _message(office, err)
        return _user_page(request, ctx, office, user_id, error=message, status=err.status)
    return _user_page(request, ctx, office, user_id, notice=text(office.lang, "saved"))


@router.post("/{user_id}/active")
def user_active(request: Request, user_id: int, active: bool = Form(), csrf: str = Form(""),
                office: Office = Depends(admin_page), ctx: Context = Depends(get_ctx)) -> Response:
    check_form(request, office, csrf)
    if user_id == office.user_id and not active:
        raise HallError("forbidden", 403)  # an admin cannot lock themself out

    def work(s, now):
        user = accounts.user_of(s, user_id, office.hall_id)
        return user.username, accounts.set_active(s, now, user, active, office.actor)

    name, revoked = ctx.write(work)
    ctx.forget_tokens(revoked)
    return _user_page(request, ctx, office, user_id,
                      notice=text(office.lang, "user_enabled" if active else "user_disabled", name=name))


@router.post("/{user_id}/password")
def user_password(request: Request, user_id: int, password: str = Form(max_length=200), csrf: str = Form(""),
                  office: Office = Depends(admin_page), ctx: Context = Depends(get_ctx)) -> Response:
    check_form(request, office, csrf)

    def work(s, now):
        user = accounts.user_of(s, user_id, office.hall_id)
        return user.username, accounts.reset_password(s, now, user, password)

    try:
        name, revoked = ctx.write(work)
    except HallError as err:
        return _user_page(request, ctx, office, user_id, error=_message(office, err), status=err.status)
    ctx.forget_tokens(revoked)
    if user_id == office.user_id:  # one's own sessions ended too: sign in with the new password
        return RedirectResponse("/office/login", status_code=303)
    return _user_page(request, ctx, office, user_id, notice=text(office.lang, "password_reset_done", name=name))
