"""Ticket and window endpoints: issue, status lookup, and everything a window does."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Query, Request, Response

from hall_server.auth.models import Role
from hall_server.auth.service import Actor
from hall_server.cases.views import case_status_by_token
from hall_server.catalog.models import Hall, Window
from hall_server.context import Context
from hall_server.deps import client_address, get_actor, get_ctx
from hall_server.errors import HallError
from hall_server.schemas import (
    IssueIn,
    PathId,
    PauseIn,
    TicketOut,
    TicketRef,
    TicketRequired,
    TransferIn,
    WindowOut,
    WindowTicketOut,
)
from hall_server.tickets import calling
from hall_server.tickets.calling import load_window, window_payload
from hall_server.tickets.issuing import IssuedTicket, issue_ticket
from hall_server.tickets.queries import ticket_payload
from hall_server.tickets.views import find_by_number, ticket_status, window_desk
from hall_server.web.status_page import status_url

router = APIRouter(prefix="/api/v1", tags=["tickets"])


def check_ticket_rate(ctx: Context, request: Request, what: str, ticket: str) -> None:
    """Public requests about one ticket: limited per ticket and address (each phone polls its own
    ticket), and per address only as a ceiling for a whole hall behind one address."""
    address = client_address(request)
    ctx.check_rate(ctx.settings.public_rate, what, address, ticket)
    ctx.check_rate(ctx.settings.public_address_rate, "tickets", address)


@router.post("/tickets", operation_id="issue_ticket", response_model=TicketOut, status_code=201)
async def issue(body: IssueIn, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)) -> TicketOut:
    """Take a ticket for a service (kiosk device token). The same idempotency key gives the same ticket."""
    actor.require(Role.KIOSK, Role.BUSINESS, Role.SUPERVISION)
    if actor.hall_id is None:
        raise HallError("forbidden", 403)

    def work(s, now) -> IssuedTicket:
        return issue_ticket(
            s, now, hall_id=actor.hall_id, service_id=body.service_id, priority=body.priority,
            idempotency_key=body.idempotency_key, issuer_token_id=actor.token_id, green_code=body.green_code,
            allow_urgent=actor.role in (Role.BUSINESS, Role.SUPERVISION, Role.ADMIN),
            working_day=ctx.calendars.get(s, actor.hall_id).is_working_day,
        )

    r = await ctx.write_async(work, conflict=HallError("idempotency_conflict", 409))
    t = r.ticket
    return TicketOut(
        id=t.id, number=t.number, status=t.status, priority=t.priority, service_id=t.service_id,
        service_name=r.service_name, hall_id=t.hall_id, status_token=t.status_token,
        status_url=status_url(ctx.settings.public_base_url, t.status_token), check_code=t.check_code,
        waiting_ahead=r.wait.waiting_ahead, estimated_wait_seconds=r.wait.estimated_wait_seconds,
        issued_at=t.issued_at.isoformat(),
        where_to_go=r.where_to_go,
    )


@router.get("/status/{status_token}", operation_id="lookup_status")
def lookup_status(status_token: str, request: Request, ctx: Context = Depends(get_ctx)) -> dict:
    """Public: what one ticket's or case's token may reveal. A ticket: its own state, people ahead,
    where to go. A case (``"kind": "case"``): its type, steps, deadline and rating, no identity."""
    check_ticket_rate(ctx, request, "status", status_token)
    if not (8 <= len(status_token) <= 64):
        raise HallError("ticket_not_found", 404)
    return ctx.read(lambda s, now: ticket_status(s, status_token) or case_status_by_token(
        s, status_token, lambda hall_id: ctx.calendars.get(s, hall_id), now))


@router.get("/halls/{hall_id}/tickets/lookup", operation_id="lookup_ticket")
def lookup_ticket(hall_id: PathId, request: Request, number: str = Query(min_length=1, max_length=12),
                  code: str = Query(min_length=1, max_length=8), ctx: Context = Depends(get_ctx)) -> dict:
    """Public: today's ticket by its number and the check code printed beside the QR (with its token)."""
    check_ticket_rate(ctx, request, "lookup", f"{hall_id}:{number.strip().upper()}")
    ctx.check_rate(ctx.settings.ticket_lookup_rate, "lookup-number", str(hall_id), number.strip().upper())

    def read(s, now) -> dict:
        hall = s.get(Hall, hall_id)
        if hall is None:
            raise HallError("hall_not_found", 404)
        return find_by_number(s, now, hall, number, code)

    return ctx.read(read)


# --- at the window -------------------------------------------------------------------------

async def _on_window(ctx: Context, window_id: int, act: Callable[..., object]) -> object:
    return await ctx.write_async(lambda s, now: act(s, now, load_window(s, window_id)))


async def _ticket_action(ctx: Context, actor: Actor, window_id: int, fn: Callable, **kw) -> dict:
    def act(s, now, w: Window) -> dict:
        return ticket_payload(fn(s, now, w, actor, **kw), w)

    return await _on_window(ctx, window_id, act)


async def _window_action(ctx: Context, actor: Actor, window_id: int, fn: Callable, *args) -> dict:
    return await _on_window(ctx, window_id, lambda s, now, w: window_payload(fn(s, now, w, actor, *args)))


@router.post("/windows/{window_id}/sign-in", operation_id="sign_in_window", response_model=WindowOut)
async def sign_in_window(window_id: PathId, ctx: Context = Depends(get_ctx),
                        actor: Actor = Depends(get_actor)) -> dict:
    return await _window_action(ctx, actor, window_id, calling.sign_in)


@router.post("/windows/{window_id}/sign-out", operation_id="sign_out_window", response_model=WindowOut)
async def sign_out_window(window_id: PathId, ctx: Context = Depends(get_ctx),
                         actor: Actor = Depends(get_actor)) -> dict:
    return await _window_action(ctx, actor, window_id, calling.sign_out)


@router.post("/windows/{window_id}/pause", operation_id="pause_window", response_model=WindowOut)
async def pause_window(window_id: PathId, body: PauseIn, ctx: Context = Depends(get_ctx),
                 actor: Actor = Depends(get_actor)) -> dict:
    return await _window_action(ctx, actor, window_id, calling.pause, body.reason)


@router.post("/windows/{window_id}/resume", operation_id="resume_window", response_model=WindowOut)
async def resume_window(window_id: PathId, ctx: Context = Depends(get_ctx),
                       actor: Actor = Depends(get_actor)) -> dict:
    return await _window_action(ctx, actor, window_id, calling.resume)


@router.post(
    "/windows/{window_id}/call-next", operation_id="call_next", response_model=WindowTicketOut,
    responses={204: {"description": "No one is waiting for this window's services"}},
)
async def call_next(window_id: PathId, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)):
    """End the current ticket (finished if its service was started, else a no-show) and call the next by the
    hall's policy; 204 when no one waits."""
    result = await ctx.write_async(lambda s, now: calling.call_next(s, now, window_id, actor))
    return result if result is not None else Response(status_code=204)


def _ref_route(path: str, op: str, fn: Callable, summary: str) -> None:
    async def handler(window_id: PathId, body: TicketRef | None = None, ctx: Context = Depends(get_ctx),
                actor: Actor = Depends(get_actor)) -> dict:
        return await _ticket_action(ctx, actor, window_id, fn, ticket_id=body.ticket_id if body else None)

    router.add_api_route(f"/windows/{{window_id}}/{path}", handler, methods=["POST"], operation_id=op,
                         response_model=WindowTicketOut, summary=summary)


def _required_route(path: str, op: str, fn: Callable, summary: str) -> None:
    async def handler(window_id: PathId, body: TicketRequired, ctx: Context = Depends(get_ctx),
                actor: Actor = Depends(get_actor)) -> dict:
        return await _ticket_action(ctx, actor, window_id, fn, ticket_id=body.ticket_id)

    router.add_api_route(f"/windows/{{window_id}}/{path}", handler, methods=["POST"], operation_id=op,
                         response_model=WindowTicketOut, summary=summary)


_ref_route("recall", "recall_ticket", calling.recall, "Recall (重呼) the current ticket")
_ref_route("skip", "skip_ticket", calling.skip, "Mark the called applicant as a no-show (过号/未到)")
_ref_route("hold", "hold_ticket", calling.hold, "Hold (挂起) the current ticket")
_ref_route("start", "start_service", calling.start, "Start serving the called applicant")
_ref_route("finish", "finish_service", calling.finish, "Finish the service (办结)")
_ref_route("cancel", "cancel_ticket", calling.cancel, "Cancel a ticket of this window")
_required_route("call-back", "call_back_ticket", calling.call_back, "Call a held or missed ticket back")
_required_route("requeue", "requeue_ticket", calling.requeue, "Put a late applicant (a no-show) back in line")


@router.post("/windows/{window_id}/transfer", operation_id="transfer_ticket", response_model=WindowTicketOut)
async def transfer_ticket(window_id: PathId, body: TransferIn, ctx: Context = Depends(get_ctx),
                    actor: Actor = Depends(get_actor)) -> dict:
    """Send a ticket to another service or window; it keeps its place by original arrival time."""
    return await _ticket_action(ctx, actor, window_id, calling.transfer, ticket_id=body.ticket_id,
                          service_id=body.service_id, to_window_id=body.window_id, note=body.note)


@router.get("/windows/{window_id}/desk", operation_id="window_desk")
def get_window_desk(window_id: PathId, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)) -> dict:
    """The window's state, current ticket, waiting list, held and missed tickets, and today's figures."""

    def read(s, now) -> dict:
        w = load_window(s, window_id, lock=False)
        actor.require(Role.STAFF, Role.BUS, Role.SUPERVISION, Role.BUSINESS)
        actor.require_hall(w.hall_id)
        return window_desk(s, now, w)

    return ctx.read(read)
