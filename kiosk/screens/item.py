"""One service item as the hall publishes it (九公开): what it is, case type and time limit,
documents, fees and their basis, procedure, and exactly which windows to go to.

"Take a ticket for this" issues a regular ticket in one touch: the applicant has just read
which service it is. Priority and green-channel tickets go through the confirmation screen.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from hall_server.client import ApiError
from kiosk.messages import MESSAGES, localized, text
from kiosk.screens.base import UNEXPECTED, KioskScreen
from kiosk.ticketing import TicketRequest

log = logging.getLogger(__name__)


def item_sections(detail: Mapping[str, Any], lang: str) -> list[tuple[str, list[str]]]:
    """(heading, lines) of the published item, in the order the hall's paper guide uses."""
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    about = [line for line in (localized(detail, "guide", lang),) if line]
    about.append(t("item.department", name=localized(detail, "department_name", lang)))
    if detail.get("legal_basis"):
        about.append(t("item.legal_basis", basis=detail["legal_basis"]))
    category = [t("item.category", category=t(f"category.{detail['category']}"))]
    days = int(detail.get("promised_days") or 0)
    category.append(t("item.promised_days", days=days) if days else t("item.same_day"))
    if detail.get("legal_days"):
        category.append(t("item.legal_days", days=detail["legal_days"]))
    materials: list[str] = []
    for kind in ("main", "attachment"):
        chosen = [m for m in detail.get("materials") or [] if m.get("kind") == kind]
        if chosen:
            materials.append(t(f"item.{kind}"))
            for m in chosen:
                note = f"({m['note']})" if m.get("note") else ""
                materials.append(f"  • {m['name']}  {t('item.copies', copies=m.get('copies', 1))}{note}")
    fees: list[str] = []
    for fee in detail.get("fees") or []:
        unit = fee.get("unit") or MESSAGES["item.fee_unit"]["zh"]  # the catalog's default unit, in Chinese
        if unit == MESSAGES["item.fee_unit"]["zh"]:
            unit = t("item.fee_unit")
        fees.append(t("item.fee", name=fee["name"], amount=fee["amount"], unit=unit))
        if fee.get("basis"):
            fees.append("  " + t("item.fee_basis", basis=fee["basis"]))
    windows = [t("item.window", number=w["number"], location=localized(w, "location", lang))
               for w in detail.get("windows") or []]
    return [
        (t("item.what"), about),
        (t("item.case_type"), category),
        (t("item.materials"), materials or [t("item.no_materials")]),
        (t("item.fees"), fees or [t("item.free")]),
        (t("item.procedure"), [" → ".join(detail["procedure"])] if detail.get("procedure") else []),
        (t("item.where"), windows or [t("item.no_window")]),
    ]


class ServiceItemScreen(KioskScreen):
    TITLE_KEY = "guide.title"

    def __init__(self, service: Mapping[str, Any]) -> None:
        super().__init__()
        self.service = service
        self.detail: Mapping[str, Any] | None = None
        self.problem: ApiError | None = None

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        client = self.kiosk.client
        try:
            self.detail = await self.kiosk.reach(lambda: client.get_service(int(self.service["id"])))
        except ApiError as err:
            self.problem = err
        except Exception:
            log.exception("loading a service item failed")
            self.problem = UNEXPECTED
        self.refresh(recompose=True)

    def compose_body(self) -> ComposeResult:
        yield Static(localized(self.service, "name", self.lang), id="item-name")
        if self.detail is None:
            message = self.problem.message(self.lang) if self.problem else self.t("item.loading")
            yield Static(message, id="item-loading")
        else:
            with VerticalScroll(id="item"):
                for heading, lines in item_sections(self.detail, self.lang):
                    if lines:
                        yield Static(heading, classes="item-heading")
                        yield Static("\n".join(lines), classes="item-lines")
        with Horizontal(id="item-actions"):
            yield Button(self.t("item.take"), id="item-take", classes="primary")
            yield Button(self.t("item.take_special"), id="item-special")

    @on(Button.Pressed, "#item-take")
    def _take(self) -> None:
        self.start_ticket(TicketRequest(int(self.service["id"]), localized(self.service, "name", self.lang)))

    @on(Button.Pressed, "#item-special")
    def _special(self) -> None:
        from kiosk.screens.take import ConfirmScreen

        self.app.push_screen(ConfirmScreen(self.service))
