"""Statistics for 督查科, the leaders and 业务科: a day's or a week's figures per service, window,
staff member and day, with charts drawn on the server and the same tables as XLSX."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from hall_server.auth.models import Role
from hall_server.catalog.models import Hall
from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.errors import HallError
from hall_server.office.render import render, text
from hall_server.office.scope import hall_of
from hall_server.office.session import Office, page_for
from hall_server.statistics.charts import bar_chart
from hall_server.statistics.period import SPANS, Period
from hall_server.statistics.queries import LEVELS, Figures, Line, figures
from hall_server.statistics.tables import histograms, tables, value
from hall_server.statistics.xlsx import workbook
from hall_server.tickets.queries import business_date

router = APIRouter(prefix="/office", include_in_schema=False)
stats_page = page_for(Role.SUPERVISION, Role.LEADER, Role.BUSINESS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BadDay(Exception):
    """The day asked for is not a date: the page says so in words, not as a request error."""


def line_label(lang: str, table: str, line: Line) -> str:
    """How a line is named: a service by name, a window by number and name, a person by name and user name."""
    name = line.name if lang == "zh" else line.name_en
    if table == "window":
        return f"{line.code} {name}"
    if table == "staff":
        return f"{name} ({line.code})"
    return name


def _figures(ctx: Context, office: Office, hall: int | None, day: str | None, span: str):
    """The hall, its choices, the period asked for (today's by default) and its figures."""
    hall_id, choices = hall_of(ctx, office, hall)
    if span not in SPANS:
        raise HallError("invalid_request", 422, detail="span")

    def load(s, now):
        found = s.get(Hall, hall_id)
        if found is None:
            raise HallError("hall_not_found", 404)
        try:
            chosen = date.fromisoformat(day) if day else business_date(found, now)
            period = Period.ending(chosen, span, found.timezone)
        except (ValueError, OverflowError):  # not a date, or a week before the year 1
            raise BadDay from None
        return found.name, figures(s.connection(), hall_id, period)

    name, found = ctx.read(load)
    return hall_id, choices, name, found


def charts(lang: str, f: Figures) -> list[Markup]:
    def t(key: str) -> str:
        return text(lang, key)

    drawn = [bar_chart(t(f"histogram_{h.key}") + f" ({t('minutes')})", h.buckets, [(t("tickets"), h.counts)],
                       chart_id=f"chart-{h.key}") for h in histograms(f)]
    drawn.append(bar_chart(t("ratings_title"), [t(f"rating_{level}") for level in LEVELS],
                           [(t("ratings_title"), [f.total.ratings[level] for level in LEVELS])],
                           chart_id="chart-ratings"))
    if len(f.by_day) > 1:
        drawn.append(bar_chart(t("chart_days"), [line.key.strftime("%m-%d") for line in f.by_day],
                               [(t("issued"), [line.issued for line in f.by_day]),
                                (t("served"), [line.served for line in f.by_day])], chart_id="chart-days"))
    return drawn


@router.get("/stats", response_class=HTMLResponse)
def stats(request: Request, hall: int | None = None, day: str | None = None, span: str = "day",
          office: Office = Depends(stats_page), ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    try:
        hall_id, choices, _, f = _figures(ctx, office, hall, day, span)
    except BadDay:
        return render(request, "message.html", office, status=422, text=text(office.lang, "bad_day"))
    return render(request, "stats.html", office, hall_id=hall_id, halls=choices, f=f, span=span,
                  tables=tables(f), charts=charts(office.lang, f), value=value,
                  label=lambda table, line: line_label(office.lang, table, line))


@router.get("/stats.xlsx")
def stats_xlsx(request: Request, hall: int | None = None, day: str | None = None, span: str = "day",
               office: Office = Depends(stats_page), ctx: Context = Depends(get_ctx)) -> Response:
    """The page's tables as a workbook: headings in Chinese with English beside."""
    try:
        hall_id, _, name, f = _figures(ctx, office, hall, day, span)
    except BadDay:
        return render(request, "message.html", office, status=422, text=text(office.lang, "bad_day"))

    def heading(key: str) -> str:
        return f"{text('zh', key)} {text('en', key)}"

    body = workbook(f, name, heading, lambda table, line: line_label("zh", table, line))
    filename = f"hall-{hall_id}-{span}-{f.period.last.isoformat()}.xlsx"
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
