"""Serves the TV board page at ``/board?hall=ID`` (its script and stylesheet), and its live view.

The page opens ``/board/live`` with the same ``hall``, ``area`` and ``windows`` and draws the
views it is sent (display/web/live.py computes them, once for all the TVs that show the same).
Public, as the page is: the TVs on the walls have no token; each address's connections are
rate-limited like every public endpoint, and capped in number, per address and in all
(``hall_server.limits.PublicSockets``). The message catalog is embedded in the page, so the TV
says things in the same words as the terminal board.
"""

from __future__ import annotations

import asyncio
import html
import json
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Query, WebSocket
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from display.messages import catalog
from display.web.live import MISSING, casters, parse_filter
from hall_server.catalog.models import Hall
from hall_server.context import Context
from hall_server.deps import client_address
from hall_server.errors import HallError
from hall_server.schemas import MAX_ID

WEB = Path(__file__).parent
STATIC = {"board.js": "text/javascript; charset=utf-8", "board.css": "text/css; charset=utf-8"}

router = APIRouter(tags=["board"])


def _api_bases(api: str) -> str:
    """The servers the page follows (``?api=http://a:8000,http://b:8000``: a hall with several
    server processes or hosts; the page moves to the next when one stops answering), each only as
    a plain http(s) origin; none: the server that served the page."""
    bases = []
    for one in api.split(",")[:8]:
        parts = urlsplit(one.strip())
        if parts.scheme in ("http", "https") and parts.netloc:
            bases.append(f"{parts.scheme}://{parts.netloc}")
    return ",".join(bases)


@router.get("/board", response_class=HTMLResponse, include_in_schema=False)
def board_page(lang: str = Query("zh", pattern="^(zh|en)$"), api: str = "") -> HTMLResponse:
    """The page; ``hall``, ``area`` and ``windows`` are read by the script from the address."""
    messages = json.dumps(catalog(lang), ensure_ascii=False).replace("</", "<\\/")
    page = (WEB / "board.html").read_text(encoding="utf-8")
    page = page.replace("{{lang}}", "zh-CN" if lang == "zh" else "en")
    page = page.replace("{{api}}", html.escape(_api_bases(api), quote=True))
    page = page.replace("{{title}}", html.escape(catalog(lang)["title"]))
    page = page.replace("{{messages}}", messages)
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


@router.get("/board/static/{name}", include_in_schema=False)
def board_static(name: str) -> FileResponse:
    if name not in STATIC:
        raise HTTPException(404)
    return FileResponse(WEB / name, media_type=STATIC[name], headers={"Cache-Control": "no-cache"})


@router.websocket("/board/live")
async def board_live(websocket: WebSocket, hall: int | None = None, area: str = "", windows: str = "") -> None:
    """The board's view for one TV: at once, then after each change (see display/web/live.py)."""
    ctx: Context = websocket.app.state.ctx
    board_filter = parse_filter(area, windows)
    if board_filter is None or (hall is not None and not 1 <= hall <= MAX_ID):
        await websocket.close(code=1008)  # policy violation: a filter or hall there can be none of
        return
    address = client_address(websocket)
    try:
        ctx.check_rate(ctx.settings.public_rate, "board", address)
        ctx.sockets.take(address)  # public: capped per address and in all
    except HallError as refused:  # answered in HTTP, as any refused call
        await websocket.send_denial_response(JSONResponse(refused.body(), status_code=refused.status))
        return
    try:
        # Read before anything follows the hall: no caster, and no subscription in the hub, for a hall there is none of.
        hall_id = await asyncio.to_thread(ctx.read, lambda s, now: _shown_hall(s, hall))
        await websocket.accept()
        if hall_id is None:  # said in a message: a browser is not shown why a socket was refused
            await websocket.send_text(MISSING)
            await websocket.close()
            return
        await casters(websocket.app).serve(websocket, hall_id, board_filter)
    finally:
        ctx.sockets.give_back(address)


def _shown_hall(session: Session, hall: int | None) -> int | None:
    """The hall a TV shows: the one it names, if there is one; without a name, the first hall."""
    if hall is None:
        return session.scalar(select(Hall.id).order_by(Hall.id).limit(1))
    return hall if session.get(Hall, hall) is not None else None
