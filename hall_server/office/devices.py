"""The admin's devices page: tokens for kiosks, device buses and boards (issue, list, revoke),
with when each was last seen and the health its devices last reported."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from hall_server.auth import accounts
from hall_server.auth.models import Role
from hall_server.auth.service import issue_device_token
from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.devices.models import DeviceHealth
from hall_server.errors import HallError
from hall_server.office.render import render, text
from hall_server.office.scope import hall_of
from hall_server.office.session import Office, check_form, page_for

router = APIRouter(prefix="/office/devices", include_in_schema=False)
admin_page = page_for()
KINDS = [r.value for r in accounts.DEVICE_ROLES]


def _page(request: Request, ctx: Context, office: Office, hall: int | None, **extra) -> HTMLResponse:
    hall_id, choices = hall_of(ctx, office, hall)

    def load(s, now):
        health = list(s.scalars(select(DeviceHealth).where(DeviceHealth.hall_id == hall_id)
                                .order_by(DeviceHealth.device)))
        return accounts.device_tokens(s, hall_id), health

    tokens, health = ctx.read(load)
    return render(request, "devices.html", office, hall_id=hall_id, halls=choices, tokens=tokens, health=health,
                  kinds=KINDS, status=extra.pop("status", 200), **extra)


@router.get("", response_class=HTMLResponse)
def devices_page(request: Request, hall: int | None = None, office: Office = Depends(admin_page),
                 ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    return _page(request, ctx, office, hall)


@router.post("")
def issue_post(request: Request, hall: int = Form(), name: str = Form(max_length=80), kind: str = Form(),
               csrf: str = Form(""), office: Office = Depends(admin_page), ctx: Context = Depends(get_ctx)) -> Response:
    """A new token, shown on this page once; only its hash is kept."""
    check_form(request, office, csrf)
    hall_id, _ = hall_of(ctx, office, hall)
    if kind not in KINDS or not name.strip():
        raise HallError("invalid_request", 422, detail="kind or name")
    token = ctx.write(lambda s, now: issue_device_token(s, now, Role(kind), hall_id, name.strip()))
    return _page(request, ctx, office, hall_id, new_token=token, new_name=name.strip(), status=201)


@router.post("/{token_id}/revoke")
def revoke_post(request: Request, token_id: int, hall: int = Form(), csrf: str = Form(""),
                office: Office = Depends(admin_page), ctx: Context = Depends(get_ctx)) -> Response:
    """A lost or stolen device stops at once: its token is refused and its event streams close."""
    check_form(request, office, csrf)
    hall_id, _ = hall_of(ctx, office, hall)
    ctx.write(lambda s, now: accounts.revoke_device(s, token_id, hall_id))
    ctx.forget_tokens([token_id])
    name = next((t.name for t in ctx.read(lambda s, now: accounts.device_tokens(s, hall_id)) if t.id == token_id), "")
    return _page(request, ctx, office, hall_id, notice=text(office.lang, "device_revoked", name=name))
