"""Serves the TV board page at ``/board?hall=ID`` (and its script and stylesheet).

The page itself fetches the hall's snapshot and follows the event stream from the same origin,
so it needs nothing from the server beyond the public API. The message catalog is embedded in
the page, so the TV says things in the same words as the terminal board.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse

from display.messages import catalog

WEB = Path(__file__).parent
STATIC = {"board.js": "text/javascript; charset=utf-8", "board.css": "text/css; charset=utf-8"}

router = APIRouter(tags=["board"])


def _api_base(api: str) -> str:
    """Another server's address (a board page served elsewhere), only as a plain http(s) origin."""
    if not api:
        return ""
    parts = urlsplit(api)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


@router.get("/board", response_class=HTMLResponse, include_in_schema=False)
def board_page(lang: str = Query("zh", pattern="^(zh|en)$"), api: str = "") -> HTMLResponse:
    """The page; ``hall``, ``area`` and ``windows`` are read by the script from the address."""
    messages = json.dumps(catalog(lang), ensure_ascii=False).replace("</", "<\\/")
    page = (WEB / "board.html").read_text(encoding="utf-8")
    page = page.replace("{{lang}}", "zh-CN" if lang == "zh" else "en")
    page = page.replace("{{api}}", html.escape(_api_base(api), quote=True))
    page = page.replace("{{title}}", html.escape(catalog(lang)["title"]))
    page = page.replace("{{messages}}", messages)
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


@router.get("/board/static/{name}", include_in_schema=False)
def board_static(name: str) -> FileResponse:
    if name not in STATIC:
        raise HTTPException(404)
    return FileResponse(WEB / name, media_type=STATIC[name], headers={"Cache-Control": "no-cache"})
