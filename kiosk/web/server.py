"""``hall kiosk --web``: the kiosk as a full-screen touch page, served by the kiosk PC to its
kiosk-mode browser.

The page is drawn on this side from the flow's ``ScreenView`` (``kiosk/web/render.py``); a touch
is a form post naming the choice, answered with the next screen. A little script
(``static/kiosk.js``) posts without reloading the page and asks ``/changes`` for what happens
without a touch (the ticket arrives, the printer answers, the idle reset). The PC's printer,
scanner and speakers are driven from this process; the hall server is reached only through
the typed client (``kiosk/core.py``).

Each browser gets its own visit, named by an unguessable cookie (one kiosk has one browser; a
technician's second tab must not share an applicant's screen). Visits are few and small: the
oldest is forgotten past ``MAX_VISITS``. Posts are small forms, refused past ``MAX_BODY``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from hardware.printer.fonts import cjk_font_path
from kiosk.core import KioskCore
from kiosk.flow.view import Field
from kiosk.flow.visit import Visit
from kiosk.web.render import STATIC, render_page, render_screen

log = logging.getLogger(__name__)

COOKIE = "hall_kiosk_visit"
MAX_VISITS = 16
MAX_BODY = 4096  # bytes: a touch or a field's text, never more
CHANGES_WAIT = 20.0  # seconds a /changes request waits before answering "nothing new"


class KioskWeb:
    """The web face of one kiosk core."""

    def __init__(self, core: KioskCore) -> None:
        self.core = core
        self.visits: dict[str, Visit] = {}
        self.changed = asyncio.Condition()
        core.listeners.append(self._notify)

    def _notify(self, visit: Visit) -> None:
        async def wake() -> None:
            async with self.changed:
                self.changed.notify_all()

        asyncio.get_running_loop().create_task(wake())

    def visit_of(self, request: Request) -> tuple[str, Visit]:
        key = request.cookies.get(COOKIE, "")
        visit = self.visits.get(key)
        if visit is None:
            key = secrets.token_urlsafe(24)
            visit = self.visits[key] = self.core.new_visit()
            while len(self.visits) > MAX_VISITS:
                oldest = next(iter(self.visits))
                self.core.forget(self.visits.pop(oldest))
        return key, visit

    def answer(self, request: Request, key: str, visit: Visit) -> Response:
        """The next screen: the fragment to the page's script, else (no script) the whole page again."""
        if request.headers.get("x-kiosk-fragment"):
            response: Response = HTMLResponse(render_screen(visit.view()))
        else:
            response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, key, httponly=True, samesite="strict")
        response.headers["Cache-Control"] = "no-store"
        return response

    async def form(self, request: Request) -> dict[str, str] | None:
        if int(request.headers.get("content-length") or 0) > MAX_BODY:
            return None
        body = await request.body()
        if len(body) > MAX_BODY:
            return None
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))

    # -- routes ---------------------------------------------------------------------------------
    async def page(self, request: Request) -> Response:
        key, visit = self.visit_of(request)
        response = HTMLResponse(render_page(visit.view()))
        response.set_cookie(COOKIE, key, httponly=True, samesite="strict")
        response.headers["Cache-Control"] = "no-store"
        return response

    async def post(self, request: Request, act: Callable[[Visit, dict[str, str]], None]) -> Response:
        """A touch or typing: ``act`` on the browser's visit with the posted form, then the next screen."""
        data = await self.form(request)
        if data is None:
            return PlainTextResponse("too large", status_code=413)
        key, visit = self.visit_of(request)
        act(visit, data)
        self.core.after(visit)
        return self.answer(request, key, visit)

    async def touch(self, request: Request) -> Response:
        def touch(visit: Visit, data: dict[str, str]) -> None:
            seen = data.get("v", "")
            visit.touch(data.get("touch", "")[:64], int(seen) if seen.isdigit() else None)

        return await self.post(request, touch)

    async def type(self, request: Request) -> Response:
        def type_(visit: Visit, data: dict[str, str]) -> None:
            field = visit.view().part(data.get("field", ""))
            if isinstance(field, Field):  # a field of this screen, cut to its length
                visit.type(field.id, data.get("value", "")[:field.max_length], enter=data.get("enter") == "1")

        return await self.post(request, type_)

    async def changes(self, request: Request) -> Response:
        """The screen once it has changed after version ``after``; 204 after a while without change."""
        key, visit = self.visit_of(request)
        after = request.query_params.get("after", "")
        after_version = int(after) if after.isdigit() else 0
        try:
            async with self.changed:
                await asyncio.wait_for(self.changed.wait_for(lambda: visit.version > after_version), CHANGES_WAIT)
        except TimeoutError:
            return Response(status_code=204, headers={"Cache-Control": "no-store"})
        response = HTMLResponse(render_screen(visit.view()))
        response.set_cookie(COOKIE, key, httponly=True, samesite="strict")
        response.headers["Cache-Control"] = "no-store"
        return response

    async def font(self, request: Request) -> Response:
        path = cjk_font_path()
        if path is None:
            return PlainTextResponse("no CJK font installed (scripts/system-packages.sh)", status_code=404)
        return FileResponse(path, headers={"Cache-Control": "max-age=86400"})

    def app(self) -> Starlette:
        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            self.core.start()
            try:
                yield
            finally:
                await self.core.close()

        return Starlette(routes=[
            Route("/", self.page),
            Route("/touch", self.touch, methods=["POST"]),
            Route("/type", self.type, methods=["POST"]),
            Route("/changes", self.changes),
            Route("/static/fonts/wqy-microhei.ttc", self.font),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ], lifespan=lifespan)


def serve_web(core: KioskCore, host: str, port: int) -> int:
    """Serve until stopped (Ctrl-C, SIGTERM)."""
    config = uvicorn.Config(KioskWeb(core).app(), host=host, port=port, log_level="warning",
                            limit_concurrency=64, timeout_keep_alive=30, access_log=False)
    uvicorn.Server(config).run()
    return 0
