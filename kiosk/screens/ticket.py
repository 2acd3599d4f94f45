"""The ticket just issued: the number large, people ahead, the wait, where to wait, the QR code.

The screen shows the whole ticket before the printer has finished, and keeps showing it when
the printer fails: then it asks the applicant to photograph the screen or ask staff, so a
printer out of paper never costs anyone their place.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from hardware.printer.device import PrintResult
from hardware.printer.ticket import TicketSlip, slip_from_issued
from kiosk.messages import localized, wait_line, windows_line
from kiosk.screens.base import KioskScreen
from kiosk.ticketing import TicketRequest
from kiosk.widgets.big_number import BigNumber
from kiosk.widgets.qr import QrCode

log = logging.getLogger(__name__)


class TicketScreen(KioskScreen):
    TITLE_KEY = "ticket.title"
    SHOW_BACK = False

    def __init__(self, ticket: Mapping[str, Any], request: TicketRequest) -> None:
        super().__init__()
        self.ticket = ticket
        self.request = request
        self.print_result: PrintResult | None = None

    def service_name(self) -> str:
        service = self.hall.service(int(self.ticket["service_id"]))
        return localized(service, "name", self.lang) if service else str(self.ticket["service_name"])

    def compose_body(self) -> ComposeResult:
        ticket = self.ticket
        with Horizontal(id="ticket"):
            with Vertical(id="ticket-info"):
                yield Static(self.service_name(), id="ticket-service")
                yield Static(self.t("ticket.number", number=ticket["number"]), id="ticket-number")
                yield BigNumber(str(ticket["number"]), id="ticket-big")
                if ticket.get("priority") in ("priority", "green"):
                    yield Static(self.t(f"ticket.{ticket['priority']}"), id="ticket-badge")
                ahead = int(ticket["waiting_ahead"])
                yield Static(self.t("ticket.ahead", count=ahead) if ahead else self.t("ticket.next"),
                             id="ticket-ahead")
                if (wait := wait_line(ticket, self.lang)) is not None:
                    yield Static(wait, id="ticket-wait")
                yield Static(self.t("ticket.where", where=windows_line(ticket.get("where_to_go") or [], self.lang)),
                             id="ticket-where")
                said, kind = self.print_status()
                yield Static(said, id="ticket-print", classes=kind)
            with Vertical(id="ticket-qr-box"):
                yield QrCode(str(ticket["status_url"]), id="ticket-qr")
                yield Static(self.t("ticket.scan"), id="ticket-scan")
                if ticket.get("check_code"):
                    yield Static(self.t("ticket.code", code=ticket["check_code"]), id="ticket-code")
        yield Button(self.t("ticket.done"), id="ticket-done", classes="primary")

    def print_status(self) -> tuple[str, str]:
        """What the printer did, in words, and the style class that goes with it."""
        result = self.print_result
        if result is None:
            return self.t("ticket.printing"), ""
        said = result.message_zh if self.lang == "zh" else result.message_en
        if result.printed:
            return said, "printed"
        return f"{said}\n{self.t('ticket.photo')}", "problem"

    def on_mount(self) -> None:
        hall = self.hall.hall
        slip = slip_from_issued(dict(self.ticket), localized(hall, "name", self.lang), lang=self.lang,
                                timezone=hall.get("timezone") or "Asia/Shanghai")
        self.print_ticket(replace(slip, service_name=self.service_name()))

    @work(thread=True, exit_on_error=False)
    def print_ticket(self, slip: TicketSlip) -> None:
        """The printer is slow and blocking: it prints on a thread while the screen already
        shows the ticket; the printer layer never raises, whatever the device does."""
        result = self.kiosk.printer.print_ticket(slip)
        self.app.call_from_thread(self.printed, result)

    def printed(self, result: PrintResult) -> None:
        if not result.printed:
            log.warning("ticket %s not printed: %s %s", self.ticket["number"], result.health, result.detail)
        self.print_result = result
        said, kind = self.print_status()
        for widget in self.query("#ticket-print").results(Static):
            widget.update(said)
            widget.set_classes(kind)

    @on(Button.Pressed, "#ticket-done")
    def _done(self) -> None:
        self.kiosk.go_home()
