"""Event endpoints: a catch-up list over HTTP and the live WebSocket stream.

The WebSocket protocol: connect to ``/api/v1/events?hall_id=H&after=N``; the server sends
every event after N (from the outbox), then live ones, each once and in id order, as JSON
``{"type": "event", "event": {...}}``, or, when several are ready at once (a burst of calls, a
catch-up), ``{"type": "events", "events": [{...}, ...]}`` in id order. ``{"type": "ping",
"last_id": N}`` comes when the stream has been idle for a while. A client that falls behind
(a slow link) is not cut off: it is sent what follows from the outbox. Without ``after`` the
stream starts at the present. ``&view=board`` sends each event as a hall board needs it
(``hub.board_view``: the ticket's and the window's fields a board draws), about half the bytes.

Who may listen: the board view shows only what the hall's boards show anyone in the hall, so it
needs no token (the TVs on the walls have none); its connections are rate-limited per address,
and the number open at once is capped per address and in all (``limits.PublicSockets``).
The whole events (staff names, ratings, device states) need a bearer token of the hall, sent in
the ``Authorization`` header, as for every other call; a hall's account that names no hall
follows its own. A refused stream is answered in HTTP,
before the upgrade, as any refused call is: 401, 403 or 429 with ``{"error": {code,
message_zh, message_en}}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from fastapi import APIRouter, Depends, Query, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from hall_server.auth.service import Actor, Role
from hall_server.catalog.models import Hall
from hall_server.context import Context
from hall_server.deps import client_address, get_actor, get_ctx
from hall_server.errors import HallError
from hall_server.events.hub import BEHIND, FRAME_EVENTS, Subscriber, delivery, frame, read_events
from hall_server.schemas import MAX_ID, EventOut

router = APIRouter(prefix="/api/v1", tags=["events"])
PING_SECONDS = 10.0


@router.get("/events", operation_id="list_events", response_model=list[EventOut])
def list_events(
    after: int = Query(0, ge=0, le=2**63 - 1), hall_id: int | None = Query(None, ge=1, le=MAX_ID),
    limit: int = Query(500, ge=1, le=1000), ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor),
) -> list[dict]:
    """Committed events after ``after``, oldest first (catch-up after a reconnect). Needs a token of the hall."""
    return read_events(ctx.db, after, followed_hall(actor, hall_id), limit)


def followed_hall(actor: Actor, hall_id: int | None) -> int | None:
    """The hall whose events ``actor`` is sent: anyone signed in to a hall, person or device,
    follows that hall's events (asking for none names their own); only an administrator, or an
    account of no one hall, reads another hall's, or lists every hall's at once (None)."""
    if hall_id is None:
        return None if actor.role == Role.ADMIN else actor.hall_id
    actor.require_hall(hall_id)
    return hall_id


async def _existing_hall(ctx: Context, hall_id: int | None) -> int:
    """A stream follows one hall that exists: event order (and so resuming) is kept per hall."""
    if hall_id is None:
        raise HallError("invalid_request", 422, detail="hall_id: a stream follows one hall")
    if hall_id not in ctx.hub.halls and not await asyncio.to_thread(ctx.read, lambda s, now: s.get(Hall, hall_id)):
        raise HallError("hall_not_found", 404)
    return hall_id


async def _listener(websocket: WebSocket, ctx: Context, hall_id: int | None,
                    for_board: bool) -> tuple[int | None, int | None]:
    """The hall this stream follows (as :func:`followed_hall`) and the token it is opened with
    (None for a board view opened without one: public, rate-limited and capped per address; a
    kiosk's board view carries its token and counts against none of these, so a hall's kiosks
    behind one address are not taken for a crowd of TVs). Raises HallError when the stream may
    not be opened."""
    scheme, _, token = websocket.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        if for_board:
            ctx.check_rate(ctx.settings.public_rate, "events", client_address(websocket))
            return hall_id, None
        raise HallError("unauthenticated", 401)
    actor = ctx.cached_actor(token) or await run_in_threadpool(ctx.actor, token)
    return followed_hall(actor, hall_id), actor.token_id


@router.websocket("/events")
async def events_stream(websocket: WebSocket, hall_id: int | None = None, after: int | None = None,
                        view: str | None = None) -> None:
    ctx: Context = websocket.app.state.ctx
    if ((hall_id is not None and not 1 <= hall_id <= MAX_ID) or (after is not None and not 0 <= after < 2**63)
            or view not in (None, "board")):
        await websocket.close(code=1008)  # policy violation: ids out of range, or a view there is none of
        return
    for_board = view == "board"
    address = client_address(websocket)
    try:
        hall_id, token_id = await _listener(websocket, ctx, hall_id, for_board)
        hall_id = await _existing_hall(ctx, hall_id)
        public = for_board and token_id is None
        if public:
            ctx.sockets.take(address)  # public: capped per address and in all
    except HallError as refused:  # answered in HTTP, as any refused call
        await websocket.send_denial_response(JSONResponse(refused.body(), status_code=refused.status))
        return
    try:
        await _stream(websocket, ctx, hall_id, token_id, after, for_board)
    finally:
        if public:
            ctx.sockets.give_back(address)


async def _stream(websocket: WebSocket, ctx: Context, hall_id: int, token_id: int | None, after: int | None,
                  for_board: bool) -> None:
    """Send the hall's events after ``after`` (or from now), then live ones, until the client goes."""
    hub = ctx.hub
    await websocket.accept()
    sub = hub.subscribe(hall_id, token_id)  # before anything is read, so nothing falls between
    sent = hub.last_id(hall_id) if after is None else after
    # Watch the socket too: a board that closes its connection is let go at once, not at the next ping.
    watch = asyncio.create_task(_watch(websocket, sub))
    idle_since = time.monotonic()
    try:
        while not sub.gone:
            sub.ready.clear()
            nxt = hub.frame_after(sent, hall_id, for_board)
            if nxt is BEHIND:  # further back than the hub's log (a catch-up, a slow board): from the outbox
                batch = await asyncio.to_thread(read_events, ctx.db, sent, hall_id, FRAME_EVENTS)
                if batch:
                    await websocket.send_text(frame([delivery(ev) for ev in batch], for_board))
                    sent, idle_since = batch[-1]["id"], time.monotonic()
                else:
                    sent = max(sent, hub.halls[hall_id].log_from)
                continue
            text, last = nxt
            sent = last
            if text:
                await websocket.send_text(text)
                idle_since = time.monotonic()
                continue
            if time.monotonic() - idle_since >= PING_SECONDS:  # the hub wakes everyone every few seconds
                await websocket.send_json({"type": "ping", "last_id": sent})
                idle_since = time.monotonic()
            await sub.ready.wait()
    except (WebSocketDisconnect, RuntimeError, OSError):  # the client went away mid-send
        pass
    finally:
        watch.cancel()
        hub.unsubscribe(sub)
        with contextlib.suppress(Exception):
            await websocket.close()


async def _watch(websocket: WebSocket, sub: Subscriber) -> None:
    """Mark the subscriber gone (and wake it) when its client disconnects; clients send nothing else."""
    try:
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    except Exception:  # the socket is already closed
        pass
    sub.gone = True
    sub.ready.set()
