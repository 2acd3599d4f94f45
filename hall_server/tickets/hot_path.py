"""Call-next answered without FastAPI's per-request machinery, for a window whose token is known.

When 40 windows call at once, the server's one event loop takes every request in turn, and
FastAPI's routing, dependency solving and response validation cost more of it than the call
itself: about 2 ms a request on a slow machine, 80 ms of the burst before the last window's
call is even queued. This ASGI middleware answers ``POST /api/v1/windows/{id}/call-next``
itself in the common case (a bearer token already in the token cache) by running the route's
own endpoint (``tickets.routes.call_next``), and sends its answer or its refusal as the app
does. Everything else (an unknown or missing token, a malformed id, any other path) goes on
to FastAPI unchanged, which also keeps documenting the route.
"""

from __future__ import annotations

import re

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from hall_server.errors import HallError
from hall_server.schemas import MAX_ID

_CALL_NEXT = re.compile(r"/api/v1/windows/([1-9][0-9]{0,9})/call-next")


class CallNextHotPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not (m := _CALL_NEXT.fullmatch(scope["path"])):
            return await self.app(scope, receive, send)
        window_id = int(m.group(1))
        ctx = scope["app"].state.ctx if "app" in scope else None
        token = _bearer(scope)
        actor = ctx.cached_actor(token) if ctx is not None and token and window_id <= MAX_ID else None
        if actor is None:  # the rare and the wrong: FastAPI's way, with its checks and error bodies
            return await self.app(scope, receive, send)
        from hall_server.tickets.routes import call_next

        try:
            answer = await call_next(window_id, ctx, actor)
        except HallError as refusal:
            return await _send(send, refusal.status, orjson.dumps(refusal.body()))
        if isinstance(answer, dict):
            return await _send(send, 200, orjson.dumps(answer))
        return await _send(send, answer.status_code, b"")  # 204: no one is waiting


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


async def _send(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-length", str(len(body)).encode())]
    if body:
        headers.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
