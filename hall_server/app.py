"""The FastAPI application: routers, error bodies, and the event hub's lifetime."""

from __future__ import annotations

import gc
import logging
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import DataError

from hall_server.clock import Clock
from hall_server.config import Settings
from hall_server.context import Context
from hall_server.db import Database
from hall_server.errors import HallError
from hall_server.events.hub import Hub
from hall_server.limits import BodyLimit

log = logging.getLogger(__name__)


def create_app(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> FastAPI:
    db = Database(settings.database_url)
    if migrate:
        db.migrate()
    ctx = Context(settings=settings, db=db, clock=clock or Clock(), hub=Hub(db))
    if migrate:
        from hall_server.cases.calendar import seed_all_halls

        ctx.write(seed_all_halls)  # the working-day calendar of each hall, for the years the library knows

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await ctx.hub.start()
        from hall_server.notify.loop import start_sending

        texts = start_sending(ctx)  # texts to applicants (短信告知), sent on a thread of their own
        # Everything loaded so far (modules, routes, compiled statements) lives as long as the
        # server: keep it out of the collector's full passes, which otherwise stall a burst of calls.
        gc.freeze()
        try:
            yield
        finally:
            await texts.aclose()
            await ctx.hub.stop()
            db.dispose()

    # FastAPIOffline: /docs from assets shipped in the package, not a CDN (a hall's network is
    # often closed to the internet: the CDN's Swagger UI was a blank page there). No /redoc: its
    # bundle still fetches a logo from its CDN.
    app = FastAPIOffline(
        redoc_url=None,
        title="Hall server 政务服务大厅", version="1.0",
        description="Tickets, windows, ratings and events of a government service hall.",
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.add_middleware(BodyLimit, settings=settings)

    @app.exception_handler(HallError)
    async def hall_error(request: Request, exc: HallError) -> Response:
        if request.url.path.startswith("/office/"):
            from hall_server.office import error_page

            return error_page(request, exc)
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> Response:
        errs = exc.errors()
        detail = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in errs[:3])
        return await hall_error(_request, HallError("invalid_request", 422, detail=detail))

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    async def out_of_range(_request: Request, exc: Exception) -> JSONResponse:
        # A value the database cannot hold (an id beyond its integer range): the client's mistake.
        return JSONResponse(HallError("invalid_request", 422, detail="value out of range").body(), status_code=422)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return await hall_error(request, HallError("internal_error", 500))

    from hall_server.auth.routes import router as auth_router
    from hall_server.cases.routes import router as cases_router
    from hall_server.catalog.routes import admin
    from hall_server.catalog.routes import router as catalog_router
    from hall_server.devices.routes import router as devices_router
    from hall_server.evaluation.routes import router as rating_router
    from hall_server.events.routes import router as events_router
    from hall_server.tickets.routes import router as tickets_router

    for r in (auth_router, catalog_router, admin, tickets_router, cases_router, rating_router, events_router,
              devices_router):
        app.include_router(r)
    _include_pages(app)

    @app.get("/api/v1/health", operation_id="health", tags=["meta"])
    def health() -> dict:
        return {"ok": True, "database": db.dialect, "process": os.getpid()}  # which worker answered

    return app


def _include_pages(app: FastAPI) -> None:
    """Web pages the hall server serves: the back office, the applicant's status page, the TV board (display/)."""
    from hall_server.office import install as install_office
    from hall_server.web.status_page import router as status_router

    app.include_router(status_router)
    install_office(app)
    try:
        from display.web.routes import router as board_router
    except ModuleNotFoundError:  # a server-only install without the display part
        return
    app.include_router(board_router)
