"""业务科's catalog pages: departments, services with every 九公开 field, windows and what each
serves, and the whole catalog as YAML (export, check, import with every problem at once).

A page changes the hall's catalog the way an imported file does: the hall is exported, the one
item changed, and the result imported in the same transaction (``edit_catalog``). So the same
checks, the same retiring of what was left out and the same events to the running kiosks and
boards serve both; nothing here re-states a rule of the catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from hall_server.auth.models import Role
from hall_server.auth.service import Actor
from hall_server.catalog.io import dump_yaml, export_hall
from hall_server.catalog.manage import (
    check_catalog,
    export_catalog_yaml,
    import_catalog_yaml,
    set_service_active,
    set_window_active,
)
from hall_server.catalog.models import Hall, Service, Window
from hall_server.catalog.problems import CatalogProblem, CatalogRejected
from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.errors import HallError
from hall_server.office import catalog_forms as forms
from hall_server.office.render import render, text
from hall_server.office.scope import hall_of, halls
from hall_server.office.session import Office, check_form, page_for

router = APIRouter(prefix="/office/catalog", include_in_schema=False)
business_page = page_for(Role.BUSINESS)
NEW = "new"


def edit_catalog(session: Session, now: datetime, actor: Actor, hall_id: int, change: Callable[[dict], None]) -> None:
    """Change one hall's catalog entry and import it: every check and event of an import applies."""
    hall = session.get(Hall, hall_id)
    if hall is None:
        raise HallError("hall_not_found", 404)
    entry = export_hall(hall)
    change(entry)
    import_catalog_yaml(session, now, actor, dump_yaml([entry]))


def _problems(err: CatalogRejected, lang: str, strip: str = "") -> list[str]:
    """A page's problems without the generated file's line numbers (the person typed no file)."""
    out = []
    for p in err.problems:
        path = p.path.split(strip, 1)[-1].lstrip(".") if strip and strip in p.path else p.path
        out.append(CatalogProblem(None, path, p.zh, p.en).text(lang))
    return out


def _replace(items: list[dict], key: str, old: Any, new: dict) -> None:
    """Put ``new`` where the item with ``key == old`` was (or at the end for a new one)."""
    for i, item in enumerate(items):
        if old != NEW and str(item[key]) == str(old):
            items[i] = new
            return
    items.append(new)


# --- the catalog's overview -----------------------------------------------------------------

def _overview(request: Request, ctx: Context, office: Office, hall: int | None, **extra) -> HTMLResponse:
    hall_id, choices = hall_of(ctx, office, hall)

    def load(s, now):
        h = s.get(Hall, hall_id)
        depts = {d.id: d for d in h.departments}
        services = [(x, [w.number for w in x.windows if w.active]) for x in h.services]
        windows = [(w, [x.code for x in w.services if x.active]) for w in h.windows]
        return h, depts, services, windows

    h, depts, services, windows = ctx.read(load)
    return render(request, "catalog.html", office, hall=h, hall_id=hall_id, halls=choices, depts=depts,
                  services=services, windows=windows, status=extra.pop("status", 200), **extra)


@router.get("", response_class=HTMLResponse)
def catalog_page(request: Request, hall: int | None = None, office: Office = Depends(business_page),
                 ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    return _overview(request, ctx, office, hall)


# --- departments ----------------------------------------------------------------------------

@router.post("/departments")
def department_post(request: Request, hall: int = Form(), old_code: str = Form(NEW), code: str = Form(""),
                    name: str = Form(""), name_en: str = Form(""), retire: str = Form(""), csrf: str = Form(""),
                    office: Office = Depends(business_page), ctx: Context = Depends(get_ctx)) -> Response:
    """Add or rename a department, or retire it (its services and windows must move first)."""
    check_form(request, office, csrf)
    hall_id, _ = hall_of(ctx, office, hall)

    def change(entry: dict) -> None:
        if retire:
            entry["departments"] = [d for d in entry["departments"] if d["code"] != old_code]
        else:
            _replace(entry["departments"], "code", old_code,
                     {"code": code.strip(), "name": name.strip(), "name_en": name_en.strip()})

    return _saved(request, ctx, office, hall_id, change, "departments")


def _saved(request: Request, ctx: Context, office: Office, hall_id: int, change: Callable[[dict], None],
           what: str, retry: Callable[..., HTMLResponse] | None = None) -> HTMLResponse:
    """Apply a page's change; the overview with a notice, or the form again with every problem."""
    try:
        ctx.write(lambda s, now: edit_catalog(s, now, office.actor, hall_id, change))
    except CatalogRejected as err:
        problems = _problems(err, office.lang, strip=f"halls[0].{what}")
        if retry is not None:
            return retry(problems=problems, status=422)
        return _overview(request, ctx, office, hall_id, problems=problems, status=422)
    except HallError as err:
        message = err.message_en if office.lang == "en" else err.message_zh
        if retry is not None:
            return retry(problems=[message], status=err.status)
        return _overview(request, ctx, office, hall_id, problems=[message], status=err.status)
    return _overview(request, ctx, office, hall_id, notice=text(office.lang, "saved"))


# --- services -------------------------------------------------------------------------------

def _service_entry(ctx: Context, hall_id: int, code: str) -> tuple[dict | None, Service | None, list]:
    """The service as its catalog entry (None for a new or a retired one), its row, and the departments."""
    def load(s, now):
        h = s.get(Hall, hall_id)
        entry = export_hall(h)
        found = next((x for x in entry["services"] if x["code"] == code), None)
        row = s.scalar(select(Service).where(Service.hall_id == hall_id, Service.code == code))
        return found, row, entry["departments"]

    return ctx.read(load)


def _service_form(request: Request, ctx: Context, office: Office, hall_id: int, code: str,
                  values: dict | None = None, **extra) -> HTMLResponse:
    entry, row, departments = _service_entry(ctx, hall_id, code)
    if code != NEW and row is None:
        raise HallError("service_not_found", 404)
    values = values or entry or {"code": "", "name": "", "category": "immediate", "theme": "personal",
                                 "series": "", "daily_cap": 200, "avg_service_minutes": 10, "materials": [],
                                 "fees": [], "procedure": []}
    return render(request, "service.html", office, hall_id=hall_id, code=code, s=values, row=row,
                  retired=row is not None and not row.active, departments=departments,
                  materials=forms.materials_text(values.get("materials", [])) if isinstance(
                      values.get("materials"), list) else values.get("materials", ""),
                  fees=forms.fees_text(values.get("fees", [])) if isinstance(values.get("fees"), list) else "",
                  procedure="\n".join(values.get("procedure", [])), status=extra.pop("status", 200), **extra)


async def _posted(request: Request, office: Office, ctx: Context) -> tuple[FormData, int]:
    """A page's posted form, checked (session token, same site), and the hall it is for."""
    form = await request.form()
    check_form(request, office, str(form.get("csrf", "")))
    hall_id, _ = hall_of(ctx, office, forms.number(str(form.get("hall", ""))) or None)
    return form, hall_id


@router.get("/services/{code}", response_class=HTMLResponse)
def service_page(request: Request, code: str, hall: int | None = None, office: Office = Depends(business_page),
                 ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    hall_id, _ = hall_of(ctx, office, hall)
    return _service_form(request, ctx, office, hall_id, code)


@router.post("/services/{code}")
async def service_post(request: Request, code: str, office: Office = Depends(business_page),
                       ctx: Context = Depends(get_ctx)) -> Response:
    """Every 九公开 field of one service, checked by the catalog's rules."""
    form, hall_id = await _posted(request, office, ctx)
    field = forms.reader(form)
    entry = {
        "code": field("code"), "name": field("name"), "name_en": field("name_en"), "department": field("department"),
        "category": field("category"), "theme": field("theme"), "legal_days": forms.number(field("legal_days")),
        "promised_days": forms.number(field("promised_days")), "series": field("series").upper(),
        "daily_cap": forms.number(field("daily_cap")),
        "avg_service_minutes": forms.number(field("avg_service_minutes")),
        "guide": field("guide"), "guide_en": field("guide_en"), "legal_basis": field("legal_basis"),
        "materials": forms.parse_materials(field("materials")), "fees": forms.parse_fees(field("fees")),
        "procedure": forms.parse_lines(field("procedure")),
    }

    def change(catalog: dict) -> None:
        _replace(catalog["services"], "code", code, entry)
        if code != NEW and entry["code"] != code:  # a new code: the windows follow it
            for w in catalog["windows"]:
                w["services"] = [entry["code"] if c == code else c for c in w["services"]]

    def retry(**extra) -> HTMLResponse:
        return _service_form(request, ctx, office, hall_id, code, values=entry, **extra)

    return await run_in_threadpool(_saved, request, ctx, office, hall_id, change, "services", retry)


@router.post("/services/{code}/active")
def service_active(request: Request, code: str, hall: int = Form(), active: bool = Form(), csrf: str = Form(""),
                   office: Office = Depends(business_page), ctx: Context = Depends(get_ctx)) -> Response:
    """Retire a service (history kept; it leaves the kiosk and the guide) or bring it back."""
    check_form(request, office, csrf)
    hall_id, _ = hall_of(ctx, office, hall)
    _, row, _ = _service_entry(ctx, hall_id, code)
    if row is None:
        raise HallError("service_not_found", 404)
    try:
        ctx.write(lambda s, now: set_service_active(s, now, office.actor, row.id, active))
    except HallError as err:
        return _service_form(request, ctx, office, hall_id, code, problems=[_say(office, err)], status=err.status)
    return _service_form(request, ctx, office, hall_id, code, notice=text(office.lang, "saved"))


def _say(office: Office, err: HallError) -> str:
    return err.message_en if office.lang == "en" else err.message_zh


# --- windows --------------------------------------------------------------------------------

def _window_form(request: Request, ctx: Context, office: Office, hall_id: int, number: str,
                 values: dict | None = None, **extra) -> HTMLResponse:
    def load(s, now):
        h = s.get(Hall, hall_id)
        entry = export_hall(h)
        found = next((x for x in entry["windows"] if str(x["number"]) == number), None)
        row = s.scalar(select(Window).where(Window.hall_id == hall_id, Window.number == forms.number(number))) \
            if number.isdigit() else None
        return found, row, entry["departments"], entry["services"]

    entry, row, departments, services = ctx.read(load)
    if number != NEW and row is None:
        raise HallError("window_not_found", 404)
    values = values or entry or {"number": "", "name": "", "services": []}
    return render(request, "window.html", office, hall_id=hall_id, number=number, w=values, row=row,
                  retired=row is not None and not row.active, departments=departments, services=services,
                  status=extra.pop("status", 200), **extra)


@router.get("/windows/{number}", response_class=HTMLResponse)
def window_page(request: Request, number: str, hall: int | None = None, office: Office = Depends(business_page),
                ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    hall_id, _ = hall_of(ctx, office, hall)
    return _window_form(request, ctx, office, hall_id, number)


@router.post("/windows/{number}")
async def window_post(request: Request, number: str, office: Office = Depends(business_page),
                      ctx: Context = Depends(get_ctx)) -> Response:
    """A window's name, place, department and the services it serves."""
    form, hall_id = await _posted(request, office, ctx)
    field = forms.reader(form)
    entry = {"number": forms.number(field("number")), "name": field("name"), "name_en": field("name_en"),
             "location": field("location"), "location_en": field("location_en"), "area": field("area"),
             "department": field("department"), "services": [str(c) for c in form.getlist("services")]}

    def change(catalog: dict) -> None:
        _replace(catalog["windows"], "number", number, entry)

    def retry(**extra) -> HTMLResponse:
        return _window_form(request, ctx, office, hall_id, number, values=entry, **extra)

    return await run_in_threadpool(_saved, request, ctx, office, hall_id, change, "windows", retry)


@router.post("/windows/{number}/active")
def window_active(request: Request, number: int, hall: int = Form(), active: bool = Form(), csrf: str = Form(""),
                  office: Office = Depends(business_page), ctx: Context = Depends(get_ctx)) -> Response:
    """Retire a window (refused while staff are signed in to it) or bring it back."""
    check_form(request, office, csrf)
    hall_id, _ = hall_of(ctx, office, hall)
    row = ctx.read(lambda s, now: s.scalar(select(Window).where(Window.hall_id == hall_id, Window.number == number)))
    if row is None:
        raise HallError("window_not_found", 404)
    try:
        ctx.write(lambda s, now: set_window_active(s, now, office.actor, row.id, active))
    except HallError as err:
        return _window_form(request, ctx, office, hall_id, str(number), problems=[_say(office, err)],
                            status=err.status)
    return _window_form(request, ctx, office, hall_id, str(number), notice=text(office.lang, "saved"))


# --- the whole catalog as YAML --------------------------------------------------------------

def _yaml_hall(ctx: Context, office: Office, hall: int | None) -> tuple[int | None, list[tuple[int, str]]]:
    """The hall the YAML page works on; none yet on a new server, whose first import makes them."""
    if office.hall_id is None and not halls(ctx):
        return None, []
    return hall_of(ctx, office, hall)


@router.get("/yaml", response_class=HTMLResponse)
def yaml_page(request: Request, hall: int | None = None, office: Office = Depends(business_page),
              ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    hall_id, choices = _yaml_hall(ctx, office, hall)
    return render(request, "catalog_yaml.html", office, hall_id=hall_id, halls=choices)


@router.get("/yaml/export", response_class=PlainTextResponse)
def yaml_export(hall: int | None = None, office: Office = Depends(business_page),
                ctx: Context = Depends(get_ctx)) -> PlainTextResponse:
    hall_id, _ = hall_of(ctx, office, hall)
    body = ctx.read(lambda s, now: export_catalog_yaml(s, office.actor, hall_id))
    return PlainTextResponse(body, media_type="application/yaml; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="catalog-hall-{hall_id}.yaml"', "Cache-Control": "no-store"})


@router.post("/yaml", response_class=HTMLResponse)
async def yaml_post(request: Request, office: Office = Depends(business_page),
                    ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    """Check a catalog (every problem with its line) or import it; nothing is kept when it has any."""
    form = await request.form()
    check_form(request, office, str(form.get("csrf", "")))
    hall_id, choices = _yaml_hall(ctx, office, forms.number(str(form.get("hall", ""))) or None)
    upload = form.get("file")
    body = str(form.get("yaml", ""))
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(ctx.settings.catalog_body_bytes + 1)
        if len(raw) > ctx.settings.catalog_body_bytes:
            raise HallError("body_too_large", 413)
        body = raw.decode("utf-8", errors="replace")
    values: dict[str, Any] = {"hall_id": hall_id, "halls": choices, "yaml": body}
    problems = check_catalog(body)
    if problems:
        return render(request, "catalog_yaml.html", office, problems=[p.text(office.lang) for p in problems],
                      status=422, **values)
    if form.get("action") != "import":
        return render(request, "catalog_yaml.html", office, notice=text(office.lang, "yaml_fine"), **values)
    try:
        names = await ctx.write_async(lambda s, now: [h.name for h in import_catalog_yaml(s, now, office.actor, body)])
    except CatalogRejected as err:
        return render(request, "catalog_yaml.html", office, problems=[p.text(office.lang) for p in err.problems],
                      status=422, **values)
    except HallError as err:
        return render(request, "catalog_yaml.html", office, problems=[_say(office, err)], status=err.status, **values)
    notice = text(office.lang, "yaml_imported", halls="、".join(names))
    return render(request, "catalog_yaml.html", office, notice=notice, **values)
