"""Limits on what one client may make the server hold: the size of a request body, and the public
live connections (board streams) open at once.

Both answer in the app's own error body, ``{"error": {code, message_zh, message_en}}``, as any
refused call is, and both count in this process (each ``--workers`` process has its own).
"""

from __future__ import annotations

from collections import Counter

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hall_server.config import Settings
from hall_server.errors import HallError

# The routes that may send more than the usual limit: (method, path) -> the setting that sizes them.
LARGER_BODIES = {("PUT", "/api/v1/admin/catalog"): "catalog_body_bytes",
                 ("POST", "/office/catalog/yaml"): "catalog_body_bytes"}  # the back office's import page


def _too_large(limit: int) -> JSONResponse:
    error = HallError("body_too_large", 413, limit=f"{limit / 1_000_000:g} MB")
    return JSONResponse(error.body(), status_code=413)


class BodyLimit:
    """ASGI middleware refusing a request body over the limit with 413, while it streams in.

    A declared Content-Length over the limit is refused before any of the body is read; a body
    sent without one (chunked) or longer than declared is counted as it arrives and refused at
    the first chunk past the limit. The app is then told the client went away, so nothing more
    is read into memory; the server discards the rest of the body as it arrives.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def limit(self, scope: Scope) -> int:
        larger = LARGER_BODIES.get((scope["method"], scope["path"]))
        return getattr(self.settings, larger or "max_body_bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return

        received = 0
        refused = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await _too_large(limit)(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_refused(message: Message) -> None:
            nonlocal started
            if refused:  # the 413 has been sent: the app's answer to a cut-off body is dropped
                return
            started = True
            await send(message)

        await self.app(scope, counted_receive, send_unless_refused)


class PublicSockets:
    """Counts the public live connections (the board view of the event stream, a TV's
    ``/board/live``) open per client address and in all, and refuses one more past either cap
    (429, before the upgrade): one address opening hundreds of sockets used up the server's
    file descriptors, and health, issuing and board reads all failed until they closed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.open = Counter()

    def take(self, address: str) -> None:
        """Count one more connection from ``address``; HallError 429 when a cap is reached."""
        if (self.open[address] >= self.settings.public_sockets_per_address
                or self.open.total() >= self.settings.public_sockets):
            raise HallError("connections_full", 429)
        self.open[address] += 1

    def give_back(self, address: str) -> None:
        self.open[address] -= 1
        if self.open[address] <= 0:
            del self.open[address]
