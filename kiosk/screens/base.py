"""What every kiosk screen shares: the top bar, the connection notice, touch tracking for the
idle reset, and redrawing in the other language without losing what was entered.

A screen keeps what the applicant chose or typed in its own attributes and builds its widgets
from them in ``compose_body``; switching language or text size recomposes the screen from
that state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events, on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Button, Input

from hall_server.client import ApiError
from kiosk.messages import MESSAGES, text
from kiosk.widgets.topbar import ConnectionNotice, TopBar

if TYPE_CHECKING:
    from kiosk.app import HallInfo, KioskApp
    from kiosk.ticketing import TicketRequest

# What a screen shows when something fails that is nobody's fault the applicant could fix.
UNEXPECTED = ApiError(0, "unexpected", MESSAGES["error.unexpected"]["zh"], MESSAGES["error.unexpected"]["en"])


class KioskScreen(Screen):
    AUTO_FOCUS = ""  # a touch screen has no "current button"; screens that read a scanner focus its field
    TITLE_KEY = "app.title"
    SHOW_BACK = True
    SHOW_HOME = True

    @property
    def kiosk(self) -> KioskApp:
        return cast("KioskApp", self.app)

    @property
    def lang(self) -> str:
        return self.kiosk.lang

    @property
    def hall(self) -> HallInfo:
        """The hall's catalog; only screens after home are opened, and home waits for it."""
        info = self.kiosk.hall
        assert info is not None
        return info

    def t(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def title_text(self) -> str:
        return self.t(self.TITLE_KEY)

    def compose(self) -> ComposeResult:
        yield TopBar(self.title_text(), self.lang, self.kiosk.large_text, back=self.SHOW_BACK, home=self.SHOW_HOME)
        yield ConnectionNotice(self.lang)
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def hall_loaded(self) -> None:
        """The catalog arrived (or changed); screens that show it redraw."""

    # -- touches: any of them keeps the screen from going home --------------------------------
    @on(events.MouseDown)
    @on(events.Key)
    @on(Input.Changed)
    @on(Button.Pressed)
    def _touched(self) -> None:
        self.kiosk.touched()

    @on(Button.Pressed, "#top-home")
    def _go_home(self) -> None:
        self.kiosk.go_home(reset_preferences=False)

    @on(Button.Pressed, "#top-back")
    def _go_back(self) -> None:
        self.go_back()

    def go_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    @on(Button.Pressed, "#top-lang")
    def _switch_language(self) -> None:
        self.kiosk.lang = "en" if self.lang == "zh" else "zh"

    @on(Button.Pressed, "#top-large")
    def _switch_text_size(self) -> None:
        self.kiosk.large_text = not self.kiosk.large_text

    # -- taking a ticket: one confirmation, one ticket --------------------------------------
    ticket_request: TicketRequest | None = None

    def start_ticket(self, request: TicketRequest) -> None:
        """Issue ``request`` unless this screen already started one: a second tap (or a held
        finger) while the first is on its way does nothing. The request is forgotten only when
        issuing ends without a ticket, so the applicant can try again."""
        from kiosk.screens.take import IssuingScreen

        if self.ticket_request is not None:
            return
        self.ticket_request = request
        self.app.push_screen(IssuingScreen(request), callback=self._ticket_not_issued)

    def _ticket_not_issued(self, problem: str | None) -> None:
        self.ticket_request = None
        if problem:
            self.ticket_problem(problem)

    def ticket_problem(self, message: str) -> None:
        """Issuing ended without a ticket; ``message`` (already in the applicant's language) says why."""

    def say(self, widget_id: str, message: str) -> None:
        """Put ``message`` in the Static ``widget_id`` if the screen still shows it."""
        from textual.widgets import Static

        for widget in self.query(f"#{widget_id}").results(Static):
            widget.update(message)
