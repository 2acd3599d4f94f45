"""Devices report their health; supervisors, boards and callers read it.

A report that changes a device's state is an event (``device.health``), so a supervisor's
screen learns at once that a kiosk printer is out of paper; a repeated report only
refreshes ``updated_at``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import Field
from sqlalchemy import select

from hall_server.auth.models import Role
from hall_server.auth.service import Actor
from hall_server.catalog.models import Window
from hall_server.context import Context
from hall_server.deps import get_actor, get_ctx
from hall_server.devices.models import DeviceHealth
from hall_server.errors import HallError
from hall_server.events.outbox import emit
from hall_server.schemas import Body, DbId, PathId

router = APIRouter(prefix="/api/v1", tags=["devices"])


class HealthIn(Body):
    device: str = Field(min_length=1, max_length=120)
    kind: str = Field(pattern="^(printer|line|keypad|ratingpad|led|scanner|cardreader)$")
    state: str = Field(pattern="^[a-z_]{2,20}$")
    detail: str = Field(default="", max_length=300)
    window_id: DbId | None = None


def _json(d: DeviceHealth) -> dict:
    return {"device": d.device, "kind": d.kind, "state": d.state, "detail": d.detail, "window_id": d.window_id,
            "updated_at": d.updated_at.isoformat()}


@router.post("/devices/health", operation_id="report_device_health")
def report_health(body: HealthIn, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)) -> dict:
    """A kiosk or the device bus reports one device's state (hall taken from the device token)."""
    actor.require(Role.KIOSK, Role.BUS, Role.DISPLAY)
    if actor.hall_id is None:
        raise HallError("forbidden", 403)

    def work(s, now) -> dict:
        if body.window_id is not None:
            w = s.get(Window, body.window_id)
            if w is None or w.hall_id != actor.hall_id:
                raise HallError("window_not_found", 404)
        row = s.scalar(select(DeviceHealth).where(DeviceHealth.hall_id == actor.hall_id,
                                                  DeviceHealth.device == body.device))
        changed = row is None or row.state != body.state
        row = row or DeviceHealth(hall_id=actor.hall_id, device=body.device)
        row.kind, row.state, row.detail, row.window_id, row.updated_at = (
            body.kind, body.state, body.detail, body.window_id, now)
        s.add(row)
        s.flush()
        if changed:
            emit(s, actor.hall_id, "device.health", now, {"device": _json(row)})
        return _json(row)

    return ctx.write(work)


@router.get("/halls/{hall_id}/devices/health", operation_id="list_device_health")
def list_health(hall_id: PathId, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)) -> list[dict]:
    actor.require(Role.SUPERVISION, Role.BUSINESS, Role.STAFF, Role.DISPLAY, Role.BUS, Role.KIOSK)
    actor.require_hall(hall_id)
    return ctx.read(lambda s, now: [_json(d) for d in s.scalars(
        select(DeviceHealth).where(DeviceHealth.hall_id == hall_id).order_by(DeviceHealth.device))])
