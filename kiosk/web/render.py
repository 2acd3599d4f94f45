"""The web kiosk's HTML: one ``ScreenView`` drawn as a full-screen touch page.

The flow decides every word and every choice (``kiosk/flow/view.py``); this module only lays
them out. ``render_page`` is the whole document a kiosk-mode Chromium opens; ``render_screen``
is the one element (``#screen``) that the page's script swaps in after each touch or change, so
the two always draw a screen the same way. Every choice is a real submit button in a real form,
so the kiosk still works (one page load a touch) when its script does not run.
"""

from __future__ import annotations

import functools
from pathlib import Path

import qrcode
import qrcode.constants
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from kiosk.flow.view import Group, Part, ScreenView, Text

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
AREAS = ("head", "main", "side", "foot")

# Line icons (24×24, drawn in the text's colour) beside the labels an applicant looks for first.
ICONS = {
    "top-back": '<path d="M15 5l-7 7 7 7"/>',
    "top-home": '<path d="M4 11l8-7 8 7"/><path d="M6 10v10h12V10"/><path d="M10 20v-6h4v6"/>',
    "top-large": '<path d="M3 19l5-14 5 14M5 14h6"/><path d="M15 19l3-8 3 8M16 16.5h4"/>',
    "top-voice": '<path d="M4 9h4l5-4v14l-5-4H4z"/><path d="M16.5 8.5a5 5 0 010 7M19 6a8.5 8.5 0 010 12"/>',
    "top-lang": '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18"/>',
    "go-guide": '<path d="M4 5h6a2 2 0 012 2v13a2 2 0 00-2-2H4z"/><path d="M20 5h-6a2 2 0 00-2 2v13a2 2 0 012-2h6z"/>',
    "go-take": '<path d="M4 6h16v4a2 2 0 000 4v4H4v-4a2 2 0 000-4z"/><path d="M9 10h6M9 14h6"/>',
    "go-rate": '<path d="M12 3l2.7 5.6 6.1.8-4.5 4.2 1.1 6.1L12 16.8 6.6 19.7l1.1-6.1-4.5-4.2 6.1-.8z"/>',
    "go-status": '<circle cx="10.5" cy="10.5" r="6"/><path d="M15 15l5.5 5.5"/>',
    "rate-good": '<circle cx="12" cy="12" r="9"/><path d="M7.5 13.5c2.5 3.5 6.5 3.5 9 0M9 9.5v.5M15 9.5v.5"/>',
    "rate-fairly_good": '<circle cx="12" cy="12" r="9"/><path d="M8.5 14.5c2 1.8 5 1.8 7 0M9 9.5v.5M15 9.5v.5"/>',
    "rate-average": '<circle cx="12" cy="12" r="9"/><path d="M8.5 15h7M9 9.5v.5M15 9.5v.5"/>',
    "rate-poor": '<circle cx="12" cy="12" r="9"/><path d="M8 16.5c2.5-2.8 5.5-2.8 8 0M9 9.5v.5M15 9.5v.5"/>',
}
# Screens whose on-screen keys stand beside the fields in landscape (below them in portrait):
# the guide keeps its keys under the search field, where the results follow.
KEYS_BESIDE = ("find", "green")


def _icon(choice_id: str) -> Markup:
    body = ICONS.get(choice_id)
    if not body:
        return Markup("")
    return Markup('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" '
                  'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">' + body + "</svg>")


@functools.lru_cache(maxsize=64)
def qr_svg(data: str) -> Markup:
    """The code as an inline SVG (dark modules on white, a 4-module quiet zone) that scales crisply
    to whatever size the page gives it: no image file, nothing fetched."""
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    path = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    return Markup(
        f'<svg class="qr-svg" viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


def _kind(part: Part) -> str:
    return type(part).__name__.lower()


def _group_role(group: Group) -> str:
    """A group is styled by what its choices are (tiles, keys, a filter list…)."""
    roles = {c.role for c in group.choices}
    if len(roles) == 1:
        return next(iter(roles))
    if "key" in roles:
        return "key"
    return "actions" if "primary" in roles else "mixed"


def _has_keypad(view: ScreenView) -> bool:
    return any(isinstance(p, Group) and p.rows for p in view.parts)


def _title_shown(view: ScreenView) -> bool:
    """The top bar's title, unless the screen already shows the same words as its big title."""
    return not any(isinstance(p, Text) and p.role == "title" and p.text == view.title for p in view.parts)


def _areas(view: ScreenView) -> dict[str, list[Part]]:
    out: dict[str, list[Part]] = {a: [] for a in (*AREAS, "keys")}
    for part in view.parts:
        keys = view.kind in KEYS_BESIDE and isinstance(part, Group) and bool(part.rows) and part.area == "main"
        out.setdefault("keys" if keys else part.area, []).append(part)
    return out


def _screen_classes(view: ScreenView) -> str:
    areas = _areas(view)
    names = ["screen", f"kind-{view.kind}", f"lang-{view.lang}"]
    names += [f"has-{a}" for a in (*AREAS, "keys") if areas[a]]
    if view.large:
        names.append("large")
    if view.notice:
        names.append("has-notice")
    return " ".join(names)


def _body_classes(view: ScreenView) -> str:
    return f"kiosk kind-{view.kind}" + (" large" if view.large else "")


def html_lang(lang: str) -> str:
    return "zh-CN" if lang.startswith("zh") else lang


_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
_env.globals.update(icon=_icon, qr_svg=qr_svg, kind=_kind, group_role=_group_role)


def _context(view: ScreenView) -> dict:
    return {"view": view, "areas": _areas(view), "screen_classes": _screen_classes(view),
            "body_classes": _body_classes(view), "html_lang": html_lang(view.lang),
            "title_shown": _title_shown(view), "has_keypad": _has_keypad(view)}


def render_screen(view: ScreenView) -> str:
    """The ``#screen`` element alone: what the page's script puts in place of the old one."""
    return _env.get_template("screen.html").render(_context(view))


def render_page(view: ScreenView, *, asset_prefix: str = "/static") -> str:
    """The whole document: head, local stylesheet, font and script, and the screen."""
    return _env.get_template("kiosk.html").render(_context(view), asset_prefix=asset_prefix.rstrip("/"))
