"""Event endpoints: a catch-up list over HTTP and the live WebSocket stream.

The WebSocket protocol: connect to ``/api/v1/events?hall_id=H&after=N``; the server sends
every event after N (from the outbox), then live ones, each once and in id order, as JSON
``{"type": "event", "event": {...}}``, or, when several are ready at once (a burst of calls, a
catch-up), ``{"type": "events", "events": [{...}, ...]}`` in id order. ``{"type": "ping",
"last_id": N}`` comes every few seconds when idle. ``{"type": "resync"}`` means the client fell
too far behind: reconnect with the last id you saw. Without ``after`` the stream starts at the
present.
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, Depends, Query, WebSocket, WebSocketDisconnect

from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.events.hub import READ_BATCH, RESYNC, delivery, frame, read_events
from hall_server.schemas import MAX_ID, EventOut

router = APIRouter(prefix="/api/v1", tags=["events"])
PING_SECONDS = 10.0
FRAME_EVENTS = 100  # events per message at most


@router.get("/events", operation_id="list_events", response_model=list[EventOut])
def list_events(
    after: int = Query(0, ge=0, le=2**63 - 1), hall_id: int | None = Query(None, ge=1, le=MAX_ID),
    limit: int = Query(500, ge=1, le=1000), ctx: Context = Depends(get_ctx),
) -> list[dict]:
    """Committed events after ``after``, oldest first (catch-up after a reconnect)."""
    return read_events(ctx.db, after, hall_id, limit)


@router.websocket("/events")
async def events_stream(websocket: WebSocket, hall_id: int | None = None, after: int | None = None) -> None:
    ctx: Context = websocket.app.state.ctx
    hub = ctx.hub
    if (hall_id is not None and not 1 <= hall_id <= MAX_ID) or (after is not None and not 0 <= after < 2**63):
        await websocket.close(code=1008)  # policy violation: ids out of range
        return
    await websocket.accept()
    sub = hub.subscribe(hall_id)  # subscribe before replaying, so nothing falls between
    sent = hub.last_id if after is None else after
    try:
        if after is not None:
            while True:
                batch = await asyncio.to_thread(read_events, ctx.db, sent, hall_id)
                for start in range(0, len(batch), FRAME_EVENTS):
                    chunk = [delivery(ev) for ev in batch[start:start + FRAME_EVENTS]]
                    await websocket.send_text(frame(chunk))
                    sent = chunk[-1].id
                if len(batch) < READ_BATCH:
                    break
        # Watch the socket too: a board that closes its connection is let go at once, not at the next ping.
        gone = asyncio.create_task(websocket.receive())
        getter: asyncio.Task | None = None
        try:
            while True:
                getter = getter or asyncio.create_task(sub.queue.get())
                done, _ = await asyncio.wait({getter, gone}, timeout=PING_SECONDS,
                                             return_when=asyncio.FIRST_COMPLETED)
                if gone in done:
                    return
                if getter not in done:
                    await websocket.send_json({"type": "ping", "last_id": sent})
                    continue
                items, getter = [getter.result()], None
                while len(items) < FRAME_EVENTS and not sub.queue.empty():  # all that is ready: one message
                    items.append(sub.queue.get_nowait())
                resync = RESYNC in items
                items = [i for i in items if i is not RESYNC and i.id > sent]  # not those sent by the replay
                if items:
                    await websocket.send_text(frame(items))
                    sent = items[-1].id
                if resync:
                    await websocket.send_json({"type": "resync", "last_id": sent})
                    await websocket.close(code=4000)
                    return
        finally:
            gone.cancel()
            if getter is not None:
                getter.cancel()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        hub.unsubscribe(sub)
        with contextlib.suppress(Exception):
            await websocket.close()
