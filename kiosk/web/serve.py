"""``hall kiosk --web``: the kiosk served to a browser (a touchscreen PC in kiosk-mode Chromium)
through textual-serve, one app process per tab, on the hall's own page.

textual-serve's page asks fonts.googleapis.com for its font; a hall's network is often closed to
the internet, so the kiosk passes its own page (``templates/app_index.html``): the same terminal,
with the monospace font textual-serve ships served from the kiosk PC itself, Chinese from the
PC's own fonts, and the page's few words from the kiosk's message catalog.

Large text (大字模式) is a larger font on that page: a terminal's cells cannot grow from inside
the app, so the app asks the page (``text_size_url``, through textual-serve's ``open_url``
message) and the page sets its terminal's font size and refits it; the app is resized to fewer,
larger cells in the same process and keeps the applicant's place.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from kiosk.config import KioskConfig
from kiosk.messages import text

TEMPLATES = Path(__file__).with_name("templates")
LARGE_TEXT_SCALE = 1.5  # the page's font in large-text mode, against its normal size


def text_size_url(large: bool) -> str:
    """What the app "opens" to have the page change its font (the page's script answers it)."""
    return f"hall-kiosk:text-size/{'large' if large else 'normal'}"


class KioskServer(Server):
    """textual-serve on the kiosk's page: nothing it loads comes from off the machine."""

    def __init__(self, command: str, *, lang: str, **kwargs) -> None:
        super().__init__(command, templates_path=TEMPLATES, **kwargs)
        self.lang = lang

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        env = aiohttp_jinja2.get_env(app)
        env.globals.update(zh=lambda key: text(key, "zh"), en=lambda key: text(key, "en"),
                           lang="zh-CN" if self.lang == "zh" else "en", large_text_scale=LARGE_TEXT_SCALE)
        return app


def terminal_argv(argv: list[str]) -> list[str]:
    """The options for one app process behind textual-serve: the same, without the web ones."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--web" or arg.startswith(("--host=", "--port=", "--public-url=")):
            continue
        elif arg in ("--host", "--port", "--public-url"):
            skip = True
        else:
            out.append(arg)
    return out


def serve_web(config: KioskConfig, argv: list[str]) -> int:
    command = shlex.join([sys.executable, "-m", "kiosk.app", *terminal_argv(argv)])
    host = config.web_host
    public = config.web_public_url or f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{config.web_port}"
    KioskServer(command, lang=config.language, host=host, port=config.web_port,
                title=text("app.title", config.language), public_url=public).serve()
    return 0
