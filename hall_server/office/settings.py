"""业务科's hall settings page: opening hours, the lunch break, the notices, the queue's rules.

Saved through ``catalog.manage.update_hall_settings``, which sends the change to the hall's
running kiosks and boards in the same transaction.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from hall_server.auth.models import Role
from hall_server.catalog.manage import update_hall_settings
from hall_server.catalog.models import Hall
from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.errors import HallError
from hall_server.office.render import render, text
from hall_server.office.scope import hall_of
from hall_server.office.session import Office, check_form, page_for
from hall_server.schemas import HallPatch

router = APIRouter(prefix="/office/settings", include_in_schema=False)
business_page = page_for(Role.BUSINESS)
AROUND_THE_CLOCK = "00:00-00:00"


def _page(request: Request, ctx: Context, office: Office, hall: int | None, values: dict | None = None,
          **extra) -> HTMLResponse:
    hall_id, choices = hall_of(ctx, office, hall)
    h = ctx.read(lambda s, now: s.get(Hall, hall_id))
    if values is None:
        opening, closing = h.hours.split("-")
        values = {"open": opening, "close": closing, "always": h.hours == AROUND_THE_CLOCK, "lunch": h.lunch or "",
                  "notice": h.notice, "notice_en": h.notice_en, "priority_run": h.priority_run,
                  "max_wait_minutes": h.max_wait_minutes, "recall_limit": h.recall_limit}
    return render(request, "settings.html", office, hall_id=hall_id, halls=choices, hall=h, v=values,
                  status=extra.pop("status", 200), **extra)


@router.get("", response_class=HTMLResponse)
def settings_page(request: Request, hall: int | None = None, office: Office = Depends(business_page),
                  ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    return _page(request, ctx, office, hall)


@router.post("")
def settings_post(request: Request, hall: int = Form(), open_at: str = Form("", alias="open"),
                  close_at: str = Form("", alias="close"), always: str = Form(""), lunch: str = Form(""),
                  notice: str = Form(""), notice_en: str = Form(""), priority_run: str = Form(""),
                  max_wait_minutes: str = Form(""), recall_limit: str = Form(""), csrf: str = Form(""),
                  office: Office = Depends(business_page), ctx: Context = Depends(get_ctx)) -> Response:
    check_form(request, office, csrf)
    hall_id, _ = hall_of(ctx, office, hall)
    values = {"open": open_at.strip(), "close": close_at.strip(), "always": bool(always), "lunch": lunch.strip(),
              "notice": notice.strip(), "notice_en": notice_en.strip(), "priority_run": priority_run.strip(),
              "max_wait_minutes": max_wait_minutes.strip(), "recall_limit": recall_limit.strip()}
    try:
        patch = HallPatch(
            hours=AROUND_THE_CLOCK if values["always"] else f"{values['open']}-{values['close']}",
            lunch=values["lunch"] or None, notice=values["notice"], notice_en=values["notice_en"],
            priority_run=values["priority_run"], max_wait_minutes=values["max_wait_minutes"],
            recall_limit=values["recall_limit"])
    except ValidationError as exc:
        fields = ", ".join(text(office.lang, f"setting_{e['loc'][0]}") for e in exc.errors())
        return _page(request, ctx, office, hall_id, values, status=422,
                     problems=[text(office.lang, "settings_invalid", fields=fields)])
    try:
        ctx.write(lambda s, now: update_hall_settings(s, now, office.actor, hall_id, patch))
    except HallError as err:
        return _page(request, ctx, office, hall_id, values, status=err.status,
                     problems=[err.message_en if office.lang == "en" else err.message_zh])
    return _page(request, ctx, office, hall_id, notice=text(office.lang, "settings_saved"))
