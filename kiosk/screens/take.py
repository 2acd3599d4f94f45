"""Taking a ticket: confirm the service, choose priority or green channel if entitled, issue.

Issuing has a screen of its own: the first tap on "confirm" replaces the confirm button with
"issuing, one moment", so a second tap has nothing to press, and the request (with its one
idempotency key) is retried there until the server answers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from hall_server.client import ApiError
from kiosk.messages import localized, windows_line
from kiosk.screens.base import UNEXPECTED, KioskScreen
from kiosk.ticketing import TicketRequest
from kiosk.widgets.keypad import LETTERS_AND_DIGITS, Keypad

log = logging.getLogger(__name__)


class ConfirmScreen(KioskScreen):
    TITLE_KEY = "confirm.title"

    def __init__(self, service: Mapping[str, Any]) -> None:
        super().__init__()
        self.service = service
        self.windows: list[Mapping[str, Any]] | None = service.get("windows")
        self.problem = ""

    def on_mount(self) -> None:
        if self.windows is None:
            self.load_windows()

    @work(exclusive=True, exit_on_error=False)
    async def load_windows(self) -> None:
        """Where the service is handled, shown when it arrives; confirming does not wait for it."""
        client = self.kiosk.client
        try:
            detail = await self.kiosk.reach(lambda: client.get_service(int(self.service["id"])))
        except ApiError:
            return
        self.windows = detail.get("windows") or []
        self.say("confirm-where", self.t("confirm.where", where=windows_line(self.windows, self.lang)))

    def service_label(self) -> str:
        return localized(self.service, "name", self.lang)

    def compose_body(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.t("confirm.service", name=self.service_label()), id="confirm-service")
            where = windows_line(self.windows, self.lang) if self.windows else ""
            yield Static(self.t("confirm.where", where=where) if where else "", id="confirm-where")
            yield Static(self.problem, id="confirm-message", classes="problem")
            yield Button(self.t("confirm.normal"), id="confirm-normal", classes="primary")
            with Horizontal(id="confirm-special"):
                yield Button(self.t("confirm.priority"), id="confirm-priority")
                yield Button(self.t("confirm.green"), id="confirm-green")

    def request(self, priority: str = "normal") -> TicketRequest:
        return TicketRequest(int(self.service["id"]), self.service_label(), priority)

    @on(Button.Pressed, "#confirm-normal")
    def _normal(self) -> None:
        self.start_ticket(self.request())

    @on(Button.Pressed, "#confirm-priority")
    def _priority(self) -> None:
        def chosen(priority: str | None) -> None:
            if priority is not None:
                self.start_ticket(self.request(priority))

        self.app.push_screen(PriorityScreen(), callback=chosen)

    @on(Button.Pressed, "#confirm-green")
    def _green(self) -> None:
        self.app.push_screen(GreenCodeScreen(self.service))

    def ticket_problem(self, message: str) -> None:
        self.problem = message
        self.say("confirm-message", message)


class PriorityScreen(KioskScreen):
    """Priority is on trust: the applicant confirms they (or the person with them) qualify."""

    TITLE_KEY = "priority.title"

    def compose_body(self) -> ComposeResult:
        with Vertical(id="priority"):
            yield Static(self.t("priority.text"), id="priority-text")
            yield Button(self.t("priority.yes"), id="priority-yes", classes="primary")
            yield Button(self.t("priority.no"), id="priority-no")

    @on(Button.Pressed, "#priority-yes")
    def _yes(self) -> None:
        self.dismiss("priority")

    @on(Button.Pressed, "#priority-no")
    def _no(self) -> None:
        self.dismiss("normal")

    def go_back(self) -> None:
        self.dismiss(None)


class GreenCodeScreen(KioskScreen):
    """The green channel (绿色通道) needs the code the center gave the applicant: scanned or typed."""

    TITLE_KEY = "green.title"

    def __init__(self, service: Mapping[str, Any]) -> None:
        super().__init__()
        self.service = service
        self.code = ""
        self.problem = ""

    def compose_body(self) -> ComposeResult:
        with Vertical(id="green"):
            yield Static(self.t("green.text"), id="green-text")
            with Horizontal(id="green-row"):
                yield Input(self.code, placeholder=self.t("green.placeholder"), id="green-code")
                yield Button(self.t("green.submit"), id="green-submit", classes="primary")
            yield Static(self.problem, id="green-message", classes="problem")
            yield Keypad("#green-code", self.lang, LETTERS_AND_DIGITS, id="keypad")

    def on_mount(self) -> None:
        self.query_one("#green-code", Input).focus()

    @on(Input.Changed, "#green-code")
    def _typed(self, event: Input.Changed) -> None:
        """Keep what is typed; the applicant correcting the code no longer needs the last error."""
        if event.value == self.code:
            return  # the field redrawn with what it held (a language switch), not typed
        self.code = event.value
        if self.problem:
            self.ticket_problem("")

    def accept_scan(self, code: str) -> None:
        self.query_one("#green-code", Input).value = code
        self.code = code
        self._submit()

    @on(Input.Submitted, "#green-code")
    @on(Button.Pressed, "#green-submit")
    def _submit(self) -> None:
        code = self.code.strip().upper()
        if not code:
            self.ticket_problem(self.t("green.empty"))
            return
        self.start_ticket(TicketRequest(int(self.service["id"]), localized(self.service, "name", self.lang),
                                        "green", green_code=code))

    def ticket_problem(self, message: str) -> None:
        self.problem = message
        self.say("green-message", message)


class IssuingScreen(KioskScreen):
    """Issues one ticket, retrying with the same key; on a refusal it shows the server's polite
    reason (closed, today's tickets gone, code needed) and goes back with it."""

    TITLE_KEY = "ticket.title"

    def __init__(self, request: TicketRequest) -> None:
        super().__init__()
        self.request = request
        self.problem: ApiError | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="issuing"):
            yield Static(self.request.service_name, id="issue-service")
            if self.problem is None:
                yield Static(self.t("issue.working"), id="issue-message")
            else:
                yield Static(self.t("issue.failed_title"), id="issue-failed")
                yield Static(self.problem.message(self.lang), id="issue-message", classes="problem")
                yield Button(self.t("top.back"), id="issue-back", classes="primary")

    def on_mount(self) -> None:
        self.issue()

    @work(exclusive=True, exit_on_error=False)
    async def issue(self) -> None:
        from kiosk.screens.ticket import TicketScreen

        req, client = self.request, self.kiosk.client
        try:
            ticket = await self.kiosk.reach(
                lambda: client.issue_ticket(req.service_id, req.priority, idempotency_key=req.idempotency_key,
                                            green_code=req.green_code),
                on_retry=lambda: self.say("issue-message", self.t("net.retrying_ticket")),
            )
        except ApiError as err:
            self.problem = err
        except Exception:
            log.exception("issuing a ticket failed")
            self.problem = UNEXPECTED
        if self.problem is not None:
            self.refresh(recompose=True)
            return
        self.app.switch_screen(TicketScreen(ticket, req))

    @on(Button.Pressed, "#issue-back")
    def go_back(self) -> None:
        self.dismiss(self.problem.message(self.lang) if self.problem else None)
