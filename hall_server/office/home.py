"""The office's door: sign in, sign out, the home page with the role's menu, the language."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hall_server.auth.routes import password_sign_in
from hall_server.auth.service import logout
from hall_server.context import Context
from hall_server.deps import client_address, get_ctx
from hall_server.errors import HallError
from hall_server.office.render import render, text
from hall_server.office.session import (
    COOKIE,
    OFFICE_ROLES,
    SESSION_LIFETIME,
    Office,
    check_form,
    language,
    office_session,
    same_site,
)

router = APIRouter(prefix="/office", include_in_schema=False)


def safe_next(url: str) -> str:
    """Only a page of the office itself: a sign-in link cannot send anyone to another site."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/office/"):
        return "/office/"
    return url


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next_url: str = Query("/office/", alias="next")) -> HTMLResponse:
    return render(request, "login.html", None, lang=language(request), next_url=safe_next(next_url))


@router.post("/login")
def login_post(request: Request, username: str = Form(max_length=80), password: str = Form(max_length=200),
               next_url: str = Form("/office/", alias="next"), ctx: Context = Depends(get_ctx)) -> Response:
    same_site(request)
    lang = language(request)
    try:
        token, _user = password_sign_in(ctx, username, password, client_address(request),
                                        lifetime=SESSION_LIFETIME, name="office", roles=OFFICE_ROLES)
    except HallError as err:
        error = text(lang, "staff_use_caller") if err.status == 403 else (
            err.message_en if lang == "en" else err.message_zh)
        return render(request, "login.html", None, lang=lang, status=err.status, next_url=safe_next(next_url),
                      username=username, error=error)
    response = RedirectResponse(safe_next(next_url), status_code=303)
    response.set_cookie(COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()), httponly=True,
                        samesite="strict", secure=ctx.settings.public_base_url.startswith("https:"), path="/office")
    return response


@router.post("/logout")
def logout_post(request: Request, csrf: str = Form(""), office: Office = Depends(office_session),
                ctx: Context = Depends(get_ctx)) -> Response:
    check_form(request, office, csrf)
    token = request.cookies.get(COOKIE, "")
    ctx.write(lambda s, now: logout(s, token))
    ctx.actors.pop(token, None)
    response = RedirectResponse("/office/login", status_code=303)
    response.delete_cookie(COOKIE, path="/office")
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, office: Office = Depends(office_session)) -> HTMLResponse:
    return render(request, "home.html", office)
