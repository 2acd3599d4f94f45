"""Today's hall, live, for 督查科, the leaders and 业务科: queues, windows and the day's counts.

The page draws the present once; its live part then asks ``/office/hall/live`` every few seconds
for the same part rendered again (office.js, ``data-refresh``): no script that knows the figures.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from hall_server.auth.models import Role
from hall_server.catalog.models import Hall
from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.errors import HallError
from hall_server.office.render import render, text
from hall_server.office.scope import hall_of
from hall_server.office.session import Office, page_for
from hall_server.statistics.today import Today, today

router = APIRouter(prefix="/office/hall", include_in_schema=False)
watch_page = page_for(Role.SUPERVISION, Role.LEADER, Role.BUSINESS)
REFRESH_SECONDS = 3


def minutes(lang: str, seconds: int) -> str:
    """A wait as the page says it: whole minutes (under one: "under a minute")."""
    if seconds < 60:
        return text(lang, "under_a_minute")
    return text(lang, "minutes_n", n=seconds // 60)


def _read(ctx: Context, office: Office, hall: int | None) -> tuple[int, list[tuple[int, str]], Today]:
    hall_id, choices = hall_of(ctx, office, hall)

    def load(s, now):
        found = s.get(Hall, hall_id)
        if found is None:
            raise HallError("hall_not_found", 404)
        return today(s, now, found)

    return hall_id, choices, ctx.read(load)


def _values(office: Office, now: Today) -> dict:
    return {"now": now, "refresh": REFRESH_SECONDS, "wait": lambda seconds: minutes(office.lang, seconds)}


@router.get("", response_class=HTMLResponse)
def hall_page(request: Request, hall: int | None = None, office: Office = Depends(watch_page),
              ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    hall_id, choices, now = _read(ctx, office, hall)
    return render(request, "hall_today.html", office, hall_id=hall_id, halls=choices, **_values(office, now))


@router.get("/live", response_class=HTMLResponse)
def hall_live(request: Request, hall: int | None = None, office: Office = Depends(watch_page),
              ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    """The page's live part alone, rendered again (what office.js puts in place)."""
    hall_id, _, now = _read(ctx, office, hall)
    return render(request, "_hall_today_live.html", office, hall_id=hall_id, **_values(office, now))
