"""The strip at the top of every screen: where you are, the way home, language and text size.

The buttons post ordinary Button.Pressed messages; ``KioskScreen`` answers them, so every
screen gets the same way back without repeating it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from kiosk.messages import text


class TopBar(Horizontal):
    def __init__(self, title: str, lang: str, large: bool, *, back: bool = True, home: bool = True) -> None:
        super().__init__(id="topbar")
        self.title, self.lang, self.large, self.back, self.home = title, lang, large, back, home

    def compose(self) -> ComposeResult:
        if self.back:
            yield Button(text("top.back", self.lang), id="top-back", classes="nav")
        if self.home:
            yield Button(text("top.home", self.lang), id="top-home", classes="nav")
        yield Static(self.title, id="top-title")
        yield Button(text("top.large_off" if self.large else "top.large_on", self.lang), id="top-large",
                     classes="switch")
        yield Button(text("top.language", self.lang), id="top-lang", classes="switch")


class ConnectionNotice(Static):
    """Says so politely while the server cannot be reached; hidden otherwise."""

    def __init__(self, lang: str) -> None:
        super().__init__("", id="connection")
        self.lang = lang

    def on_mount(self) -> None:
        self.watch(self.app, "online", self._show)

    def _show(self, online: bool | None) -> None:
        self.display = online is not True
        self.update(text("net.connecting" if online is None else "net.retrying", self.lang))
