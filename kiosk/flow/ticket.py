"""The ticket just issued: its number large, people ahead, the wait, where to wait, the QR code
and its check code.

The screen shows the whole ticket before the printer has finished, and keeps showing it when the
printer fails: then it asks the applicant to photograph the screen or ask staff, so a printer
out of paper never costs anyone their place. Spoken guidance says the number digit by digit and
where to wait.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from hardware.printer.device import PrintResult
from hardware.printer.ticket import slip_from_issued
from hardware.voice.spoken import spoken_ticket
from kiosk.flow.effects import Effect, Print
from kiosk.flow.view import Choice, Group, Part, Qr, Text
from kiosk.flow.visit import Screen, Visit
from kiosk.messages import localized, wait_line, windows_line
from kiosk.ticketing import TicketRequest


class TicketScreen(Screen):
    kind = "ticket"
    TITLE_KEY = "ticket.title"
    SHOW_BACK = False

    def __init__(self, ticket: Mapping[str, Any], request: TicketRequest) -> None:
        super().__init__()
        self.ticket = ticket
        self.request = request
        self.print_result: PrintResult | None = None

    def service_name(self, v: Visit) -> str:
        service = v.hall.service(int(self.ticket["service_id"])) if v.hall else None
        return localized(service, "name", v.lang) if service else str(self.ticket["service_name"])

    def opened(self, v: Visit) -> None:
        hall = v.hall.hall if v.hall else {}
        slip = slip_from_issued(dict(self.ticket), localized(hall, "name", v.lang), lang=v.lang,
                                timezone=v.hall.timezone if v.hall else "Asia/Shanghai")
        v.request(Print(self.sid, replace(slip, service_name=self.service_name(v))))

    def arrived(self, v: Visit, effect: Effect, result: object) -> None:
        assert isinstance(result, PrintResult)
        self.print_result = result

    def print_line(self, v: Visit) -> Text:
        """What the printer did, in words."""
        result = self.print_result
        if result is None:
            return Text("ticket-print", v.t("ticket.printing"))
        said = result.message_zh if v.lang == "zh" else result.message_en
        if result.printed:
            return Text("ticket-print", said, "printed")
        return Text("ticket-print", f"{said}\n{v.t('ticket.photo')}", "problem")

    def parts(self, v: Visit) -> list[Part]:
        ticket = self.ticket
        parts: list[Part] = [Text("ticket-service", self.service_name(v), "heading"),
                             Text("ticket-number-label", v.t("ticket.your_number")),
                             Text("ticket-number", str(ticket["number"]), "number")]
        if ticket.get("priority") in ("priority", "green"):
            parts.append(Text("ticket-badge", v.t(f"ticket.{ticket['priority']}"), "badge"))
        ahead = int(ticket["waiting_ahead"])
        parts.append(Text("ticket-ahead", v.t("ticket.ahead", count=ahead) if ahead else v.t("ticket.next")))
        if (wait := wait_line(ticket, v.lang)) is not None:
            parts.append(Text("ticket-wait", wait))
        parts.append(Text("ticket-where", v.t("ticket.where", where=windows_line(ticket.get("where_to_go") or [],
                                                                                   v.lang))))
        parts.append(self.print_line(v))
        parts.append(Qr("ticket-qr", str(ticket["status_url"]), v.t("ticket.scan")))
        if ticket.get("check_code"):
            parts.append(Text("ticket-code", v.t("ticket.code", code=ticket["check_code"]), area="side"))
        parts.append(Group("ticket-actions", (Choice("ticket-done", v.t("ticket.done"), role="primary"),), area="foot"))
        return parts

    def speech(self, v: Visit, parts: Sequence[Part]) -> str:
        """The number as it will be called, digit by digit, then where to wait."""
        said = [v.t("ticket.spoken_number", number=spoken_ticket(str(self.ticket["number"]), v.lang))]
        said += [p.text for p in parts if isinstance(p, Text) and p.id in ("ticket-ahead", "ticket-wait",
                                                                             "ticket-where")]
        return "。".join(s.replace("\n", ",") for s in said)

    def touch(self, v: Visit, choice: str) -> None:
        if choice == "ticket-done":
            v.home(end_visit=True)
