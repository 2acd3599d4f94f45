"""Catalog endpoints: the public guide (halls, services, windows) and the admin's management."""

from __future__ import annotations

import secrets
from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse
from sqlalchemy import select

from hall_server.auth.models import Role
from hall_server.auth.service import Actor, create_user, issue_device_token
from hall_server.catalog import manage
from hall_server.catalog.models import Department, Hall, Service, Window
from hall_server.catalog.upload import CATALOG_BODY, catalog_text
from hall_server.context import Context
from hall_server.deps import get_actor, get_ctx, public_read
from hall_server.errors import HallError
from hall_server.schemas import (
    DeviceIn,
    DeviceOut,
    GreenPassIn,
    HallPatch,
    PathId,
    ServicePatch,
    UserIn,
    WindowPatch,
)
from hall_server.tickets.models import GreenPass
from hall_server.tickets.queries import business_date
from hall_server.tickets.views import hall_board

router = APIRouter(prefix="/api/v1", tags=["catalog"])
admin = APIRouter(prefix="/api/v1/admin", tags=["admin"])


def _hall(s, hall_id: int) -> Hall:
    hall = s.get(Hall, hall_id)
    if hall is None:
        raise HallError("hall_not_found", 404)
    return hall


def hall_json(h: Hall) -> dict:
    return {"id": h.id, "key": h.key, "name": h.name, "name_en": h.name_en, "address": h.address,
            "timezone": h.timezone, "hours": h.hours, "lunch": h.lunch, "notice": h.notice, "notice_en": h.notice_en}


def service_json(s: Service, full: bool = False) -> dict:
    out = {"id": s.id, "code": s.code, "name": s.name, "name_en": s.name_en, "prefix": s.series,
           "department_id": s.department_id, "category": s.category, "theme": s.theme,
           "promised_days": s.promised_days, "legal_days": s.legal_days, "active": s.active}
    if full:
        out |= {"department_name": s.department.name, "department_name_en": s.department.name_en,
                "guide": s.guide, "guide_en": s.guide_en, "legal_basis": s.legal_basis, "materials": s.materials,
                "fees": s.fees, "procedure": s.procedure, "daily_cap": s.daily_cap,
                "windows": [{"id": w.id, "number": w.number, "name": w.name, "location": w.location,
                             "location_en": w.location_en} for w in s.windows if w.active]}
    return out


def window_json(w: Window) -> dict:
    return {"id": w.id, "number": w.number, "name": w.name, "name_en": w.name_en, "location": w.location,
            "location_en": w.location_en, "area": w.area, "department_id": w.department_id, "state": w.state,
            "pause_reason": w.pause_reason, "service_ids": [s.id for s in w.services if s.active], "active": w.active}


@router.get("/halls", operation_id="list_halls", dependencies=[Depends(public_read)])
def list_halls(ctx: Context = Depends(get_ctx)) -> list[dict]:
    return ctx.read(lambda s, now: [hall_json(h) for h in s.scalars(select(Hall).order_by(Hall.id))])


@router.get("/halls/{hall_id}", operation_id="get_hall", dependencies=[Depends(public_read)])
def get_hall(hall_id: PathId, ctx: Context = Depends(get_ctx)) -> dict:
    return ctx.read(lambda s, now: hall_json(_hall(s, hall_id)))


@router.get("/halls/{hall_id}/departments", operation_id="list_departments", dependencies=[Depends(public_read)])
def list_departments(hall_id: PathId, ctx: Context = Depends(get_ctx)) -> list[dict]:
    def read(s, now):
        _hall(s, hall_id)
        q = select(Department).where(Department.hall_id == hall_id, Department.active.is_(True)).order_by(Department.id)
        return [{"id": d.id, "code": d.code, "name": d.name, "name_en": d.name_en} for d in s.scalars(q)]

    return ctx.read(read)


@router.get("/halls/{hall_id}/services", operation_id="list_services", dependencies=[Depends(public_read)])
def list_services(hall_id: PathId, ctx: Context = Depends(get_ctx)) -> list[dict]:
    """The hall's active services, each with id, code, name and ticket prefix."""

    def read(s, now):
        _hall(s, hall_id)
        q = select(Service).where(Service.hall_id == hall_id, Service.active.is_(True)).order_by(Service.id)
        return [service_json(x) for x in s.scalars(q)]

    return ctx.read(read)


@router.get("/services/{service_id}", operation_id="get_service", dependencies=[Depends(public_read)])
def get_service(service_id: PathId, ctx: Context = Depends(get_ctx)) -> dict:
    """One service item with everything the guide shows (九公开): materials, fees, procedure, windows."""

    def read(s, now):
        svc = s.get(Service, service_id)
        if svc is None or not svc.active:
            raise HallError("service_not_found", 404)
        return service_json(svc, full=True)

    return ctx.read(read)


@router.get("/halls/{hall_id}/windows", operation_id="list_windows", dependencies=[Depends(public_read)])
def list_windows(hall_id: PathId, ctx: Context = Depends(get_ctx)) -> list[dict]:
    """The hall's windows in service (retired ones are kept for their history, not listed)."""

    def read(s, now):
        _hall(s, hall_id)
        q = select(Window).where(Window.hall_id == hall_id, Window.active.is_(True)).order_by(Window.number)
        return [window_json(w) for w in s.scalars(q)]

    return ctx.read(read)


@router.get("/halls/{hall_id}/board", operation_id="hall_board", dependencies=[Depends(public_read)])
def get_board(hall_id: PathId, ctx: Context = Depends(get_ctx)) -> dict:
    """The hall now, for a board or caller that opens mid-day; follow events after ``last_event_id``."""
    return ctx.read(lambda s, now: hall_board(s, now, _hall(s, hall_id)))


# --- admin ---------------------------------------------------------------------------------

@admin.get("/catalog", operation_id="export_catalog", response_class=PlainTextResponse)
def export_catalog(hall_id: PathId | None = None, ctx: Context = Depends(get_ctx),
                   actor: Actor = Depends(get_actor)) -> str:
    """The catalog as YAML, ready to edit and import again: one hall (a hall's 业务科 gets its own
    without naming it), or every hall for an administrator of no one hall."""
    return ctx.read(lambda s, now: manage.export_catalog_yaml(s, actor, hall_id))


@admin.put("/catalog", operation_id="import_catalog", openapi_extra=CATALOG_BODY)
async def import_catalog_route(request: Request, ctx: Context = Depends(get_ctx),
                               actor: Actor = Depends(get_actor)) -> dict:
    """Import a catalog: the YAML itself (``Content-Type: application/yaml``, ``text/yaml`` or
    ``text/plain``), or JSON ``{"yaml": "…"}``. Every mistake comes back at once in one 422, each
    with its line (``error.problems``: line, path, zh, en); services, windows and departments
    left out are retired, not deleted (docs/CATALOG.md)."""
    actor.require(Role.BUSINESS)
    text = await catalog_text(request)

    def work(s, now):
        return {"halls": [hall_json(h) for h in manage.import_catalog_yaml(s, now, actor, text)]}

    return await ctx.write_async(work)


@admin.patch("/halls/{hall_id}", operation_id="update_hall")
def update_hall(hall_id: PathId, body: HallPatch, ctx: Context = Depends(get_ctx),
                actor: Actor = Depends(get_actor)) -> dict:
    """Hours, lunch ("12:00-13:00", as in the catalog), notices, queue rules; running kiosks and
    boards show the change at once."""
    return ctx.write(lambda s, now: hall_json(manage.update_hall_settings(s, now, actor, hall_id, body)))


@admin.patch("/services/{service_id}", operation_id="update_service")
def update_service(service_id: PathId, body: ServicePatch, ctx: Context = Depends(get_ctx),
                   actor: Actor = Depends(get_actor)) -> dict:
    """Change a service; ``{"active": false}`` retires it (409 while people wait for it today), true brings it back."""
    return ctx.write(lambda s, now: service_json(manage.update_service(s, now, actor, service_id, body), full=True))


@admin.patch("/windows/{window_id}", operation_id="update_window")
def update_window(window_id: PathId, body: WindowPatch, ctx: Context = Depends(get_ctx),
                  actor: Actor = Depends(get_actor)) -> dict:
    """Change a window; ``{"active": false}`` retires it (409 while staff are signed in), true brings it back."""
    return ctx.write(lambda s, now: window_json(manage.update_window(s, now, actor, window_id, body)))


@admin.post("/halls/{hall_id}/devices", operation_id="create_device_token", response_model=DeviceOut, status_code=201)
def create_device(hall_id: PathId, body: DeviceIn, ctx: Context = Depends(get_ctx),
                  actor: Actor = Depends(get_actor)) -> DeviceOut:
    """A token for a kiosk, a device bus or a board of this hall; shown once, stored hashed."""
    actor.require(Role.ADMIN)

    def work(s, now):
        _hall(s, hall_id)
        token = issue_device_token(s, now, Role(body.role), hall_id, body.name)
        return DeviceOut(token=token, role=body.role, hall_id=hall_id, name=body.name)

    return ctx.write(work)


@admin.post("/users", operation_id="create_user", status_code=201)
def create_user_route(body: UserIn, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)) -> dict:
    actor.require(Role.ADMIN)

    def work(s, now):
        if body.hall_id is not None:
            _hall(s, body.hall_id)
        u = create_user(s, body.username, body.password, Role(body.role), body.hall_id, body.display_name,
                        body.card_id)
        return {"id": u.id, "username": u.username, "role": u.role, "hall_id": u.hall_id}

    return ctx.write(work, conflict=HallError("invalid_request", 409, detail="username or card already exists"))


@admin.post("/halls/{hall_id}/green-passes", operation_id="create_green_pass", status_code=201)
def create_green_pass(hall_id: PathId, body: GreenPassIn, ctx: Context = Depends(get_ctx),
                      actor: Actor = Depends(get_actor)) -> dict:
    """A green-channel code (绿色通道) for a qualifying project; the kiosk asks for it."""
    actor.require(Role.BUSINESS, Role.SUPERVISION)

    def work(s, now):
        hall = _hall(s, hall_id)
        actor.require_hall(hall.id)
        code = "G" + secrets.token_hex(4).upper()
        until = business_date(hall, now) + timedelta(days=body.valid_days)
        s.add(GreenPass(hall_id=hall.id, code=code, label=body.label, valid_until=until))
        return {"code": code, "label": body.label, "valid_until": until.isoformat()}

    return ctx.write(work)
