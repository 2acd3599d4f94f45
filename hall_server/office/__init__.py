"""The back office at ``/office/``: pages for the admin, 业务科, 督查科 and the center's leaders.

Server-rendered (Jinja2), a session cookie with CSRF-protected forms, every asset local.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from hall_server.errors import HallError
from hall_server.office.render import render, text
from hall_server.office.session import PageForbidden, SignInNeeded, language


def install(app: FastAPI) -> None:
    from hall_server.office import (
        calendar,
        cases,
        catalog,
        devices,
        hall_today,
        home,
        settings,
        stats,
        text_messages,
        users,
    )

    for module in (home, users, devices, catalog, settings, hall_today, stats, text_messages, cases, calendar):
        app.include_router(module.router)
    app.mount("/office/static", StaticFiles(directory=Path(__file__).with_name("static")), name="office-static")

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(_request: Request, exc: SignInNeeded) -> Response:
        return RedirectResponse(f"/office/login?next={quote(exc.next_url)}", status_code=303)

    @app.exception_handler(PageForbidden)
    async def forbidden(request: Request, exc: PageForbidden) -> Response:
        return render(request, "message.html", exc.office, status=403, text=text(exc.office.lang, "forbidden_page"))


def error_page(request: Request, err: HallError) -> Response:
    """A refusal on an office page, as a page (the API's refusals stay JSON)."""
    lang = language(request)
    return render(request, "message.html", None, lang=lang, status=err.status,
                  text=err.message_en if lang == "en" else err.message_zh)
