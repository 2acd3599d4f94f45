"""Drawing an office page: Jinja2 templates, the page's language, the menu of the role.

Every figure a page shows is computed in Python before the template sees it; templates only
lay it out. The headers forbid framing and any script or style from elsewhere.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from hall_queue.text import catalog_text
from hall_server.auth.models import Role
from hall_server.errors import HallError
from hall_server.office.messages import MESSAGES
from hall_server.office.session import LANG_COOKIE, Office

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
# (path, message key, roles that see it); admin sees every entry.
MENU: list[tuple[str, str, tuple[Role, ...]]] = [
    ("/office/hall", "menu_live", (Role.SUPERVISION, Role.LEADER, Role.BUSINESS)),
    ("/office/stats", "menu_stats", (Role.SUPERVISION, Role.LEADER, Role.BUSINESS)),
    ("/office/cases", "menu_cases", (Role.BUSINESS, Role.SUPERVISION, Role.LEADER)),
    ("/office/cases/new", "menu_case_new", (Role.BUSINESS,)),
    ("/office/calendar", "menu_calendar", (Role.SUPERVISION, Role.BUSINESS, Role.LEADER)),
    ("/office/catalog", "menu_catalog", (Role.BUSINESS,)),
    ("/office/catalog/yaml", "menu_yaml", (Role.BUSINESS,)),
    ("/office/settings", "menu_settings", (Role.BUSINESS,)),
    ("/office/messages", "menu_messages", (Role.BUSINESS, Role.SUPERVISION)),
    ("/office/users", "menu_users", ()),
    ("/office/devices", "menu_devices", ()),
]

env = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def localtime(moment: datetime, zone: str = "Asia/Shanghai") -> str:
    """A stored UTC moment as the hall's clock shows it."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


env.filters["localtime"] = localtime


def menu_of(office: Office) -> list[tuple[str, str]]:
    return [(path, key) for path, key, roles in MENU if office.may(*roles)]


def render(request: Request, name: str, office: Office | None, *, lang: str = "zh", status: int = 200,
           **values: Any) -> HTMLResponse:
    """The template ``name`` in the session's language, with the menu of its role."""
    lang = office.lang if office else lang

    def t(key: str, **kw: object) -> str:
        return text(lang, key, **kw)

    def error_text(err: HallError) -> str:
        return err.message_en if lang == "en" else err.message_zh

    html = env.get_template(name).render(
        t=t, lang=lang, office=office, menu=menu_of(office) if office else [], here=request.url.path,
        error_text=error_text, **values,
    )
    response = HTMLResponse(html, status_code=status, headers=HEADERS)
    if (chosen := request.query_params.get("lang")) in ("zh", "en"):  # ?lang=en keeps English on later pages
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax", path="/office")
    return response


def text(lang: str, key: str, **values: object) -> str:
    return catalog_text(MESSAGES, key, lang, **values)
