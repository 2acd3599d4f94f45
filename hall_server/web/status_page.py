"""``/s/{status_token}``: what the QR code on a ticket opens on the applicant's phone.

One static page; its script reads the token from the address, asks the public status API,
refreshes every few seconds while waiting, and offers the four rating levels once finished.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
PAGE = (Path(__file__).parent / "status.html").read_text(encoding="utf-8")


def status_url(base_url: str, token: str) -> str:
    """The address a ticket's or a case's QR code opens: ``{public base URL}/s/{status_token}``."""
    return f"{base_url.rstrip('/')}/s/{token}"


@router.get("/s/{status_token}", response_class=HTMLResponse)
def status_page(status_token: str) -> HTMLResponse:
    return HTMLResponse(PAGE, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
