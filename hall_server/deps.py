"""FastAPI dependencies: the context, and the actor behind a bearer token."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from hall_server.auth.service import Actor
from hall_server.context import Context
from hall_server.errors import HallError

bearer = HTTPBearer(auto_error=False, description="A staff access token (login) or a device token")


async def get_ctx(request: Request) -> Context:
    return request.app.state.ctx


async def get_actor(
    ctx: Context = Depends(get_ctx), cred: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> Actor:
    """Async, so a request with a known token never waits for a worker thread; a new token is read in one."""
    if cred is None or not cred.credentials:
        raise HallError("unauthenticated", 401)
    return ctx.cached_actor(cred.credentials) or await run_in_threadpool(ctx.actor, cred.credentials)


def client_address(request: HTTPConnection) -> str:
    """The address a public endpoint's rate limit counts by (a request or a WebSocket)."""
    return request.client.host if request.client else "unknown"


async def public_read(request: Request, ctx: Context = Depends(get_ctx)) -> None:
    """The public guide and board reads count against the address's public rate, as status lookups
    do: without a limit, one address could keep the server reading the board for nobody."""
    ctx.check_rate(ctx.settings.public_rate, "guide", client_address(request))
