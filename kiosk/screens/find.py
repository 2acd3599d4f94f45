"""Finding the applicant's ticket, for rating or for its status: scan the QR code, or type the
ticket number and the check code printed beside it (today's tickets only: numbers restart
every day).

The QR code holds the status URL; a keyboard-mode scanner types it into the focused field and
presses Enter, a serial scanner's code arrives through ``accept_scan``.
"""

from __future__ import annotations

import logging
from typing import Literal

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from hall_server.client import ApiError
from kiosk.scan import check_code, status_token, ticket_number
from kiosk.screens.base import KioskScreen
from kiosk.widgets.keypad import LETTERS_AND_DIGITS, Keypad

log = logging.getLogger(__name__)

Purpose = Literal["rate", "status"]


class FindTicketScreen(KioskScreen):
    def __init__(self, purpose: Purpose, scanned: str | None = None) -> None:
        super().__init__()
        self.purpose = purpose
        self.scanned = scanned
        self.number = ""
        self.code = ""
        self.message = ""

    def title_text(self) -> str:
        return self.t("find.rate_title" if self.purpose == "rate" else "find.status_title")

    def compose_body(self) -> ComposeResult:
        with Vertical(id="find"):
            yield Static(self.t("find.scan"), id="find-scan-text")
            yield Input(placeholder=self.t("find.scan_placeholder"), id="find-scan")
            yield Static(self.t("find.or_number"), id="find-or")
            with Horizontal(id="find-row"):
                yield Input(self.number, placeholder=self.t("find.number_placeholder"), id="find-number")
                yield Input(self.code, placeholder=self.t("find.code_placeholder"), id="find-code")
                yield Button(self.t("find.submit"), id="find-submit", classes="primary")
            yield Static(self.message, id="find-message", classes="problem")
            yield Keypad("#find-number, #find-code", self.lang, LETTERS_AND_DIGITS, id="keypad")

    def on_mount(self) -> None:
        self.query_one("#find-scan", Input).focus()
        if self.scanned:
            self.accept_scan(self.scanned)

    def tell(self, message: str) -> None:
        self.message = message
        self.say("find-message", message)

    # -- scanning ---------------------------------------------------------------------------
    def accept_scan(self, code: str) -> None:
        token = status_token(code)
        if token is None:
            self.tell(self.t("find.unreadable"))
            return
        self.find(token)

    @on(Input.Submitted, "#find-scan")
    def _scanned(self, event: Input.Submitted) -> None:
        event.input.value = ""
        self.accept_scan(event.value)

    # -- number and check code ----------------------------------------------------------------
    @on(Input.Changed, "#find-number, #find-code")
    def _typed(self, event: Input.Changed) -> None:
        """Keep what is typed; the applicant correcting it no longer needs the last error."""
        before = self.number if event.input.id == "find-number" else self.code
        if event.value == before:
            return  # the field redrawn with what it held (a language switch), not typed
        if event.input.id == "find-number":
            self.number = event.value
        else:
            self.code = event.value
        if self.message:
            self.tell("")

    @on(Input.Submitted, "#find-number, #find-code")
    @on(Button.Pressed, "#find-submit")
    def _by_number(self) -> None:
        for typed in (self.number, self.code):  # a keyboard-mode scanner typed into the wrong field
            if "/s/" in typed:
                self.accept_scan(typed)
                return
        number, code = ticket_number(self.number), check_code(self.code)
        if number is None or code is None:
            self.tell(self.t("find.need_number"))
            return
        self.find(None, number, code)

    @work(exclusive=True, exit_on_error=False)
    async def find(self, token: str | None, number: str | None = None, code: str | None = None) -> None:
        from kiosk.screens.rating import RatingScreen
        from kiosk.screens.status import StatusScreen

        self.tell(self.t("find.looking"))
        client, hall_id = self.kiosk.client, self.hall.hall_id
        try:
            if token is None:
                assert number is not None and code is not None
                status = await self.kiosk.reach(lambda: client.lookup_ticket(hall_id, number, code))
                token = str(status["status_token"])
            else:
                status = await self.kiosk.reach(lambda: client.lookup_status(token))
        except ApiError as err:
            self.tell(err.message(self.lang))
            return
        except Exception:
            log.exception("looking up a ticket failed")
            self.tell(self.t("error.unexpected"))
            return
        screen = RatingScreen(token, status) if self.purpose == "rate" else StatusScreen(token, status)
        self.app.switch_screen(screen)
