"""One service item as the hall publishes it (九公开): what it is, case type and time limit,
documents, fees and their basis, procedure, and exactly which windows to go to.

"Take a ticket for this" issues a regular ticket in one touch: the applicant has just read which
service it is. Priority and green-channel tickets go through the confirmation screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hall_server.client import ApiError
from kiosk.flow.effects import Effect, LoadService
from kiosk.flow.view import Choice, Group, Lines, Part, Text
from kiosk.flow.visit import Screen, Visit
from kiosk.messages import MESSAGES, localized, text
from kiosk.ticketing import TicketRequest


def item_sections(detail: Mapping[str, Any], lang: str) -> list[tuple[str, str, list[str]]]:
    """(id, heading, lines) of the published item, in the order the hall's paper guide uses."""
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
                note = (f"({m['note']})" if lang == "zh" else f" ({m['note']})") if m.get("note") else ""
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
        ("item-what", t("item.what"), about),
        ("item-case-type", t("item.case_type"), category),
        ("item-materials", t("item.materials"), materials or [t("item.no_materials")]),
        ("item-fees", t("item.fees"), fees or [t("item.free")]),
        ("item-procedure", t("item.procedure"), [" → ".join(detail["procedure"])] if detail.get("procedure") else []),
        ("item-where", t("item.where"), windows or [t("item.no_window")]),
    ]


class ItemScreen(Screen):
    kind = "item"
    TITLE_KEY = "guide.title"

    def __init__(self, service: Mapping[str, Any]) -> None:
        super().__init__()
        self.service = service
        self.detail: Mapping[str, Any] | None = None
        self.problem: ApiError | None = None

    def opened(self, v: Visit) -> None:
        v.request(LoadService(self.sid, int(self.service["id"])))

    def parts(self, v: Visit) -> list[Part]:
        parts: list[Part] = [Text("item-name", localized(self.service, "name", v.lang), "heading", "head")]
        if self.detail is None:
            message = self.problem.message(v.lang) if self.problem else v.t("item.loading")
            parts.append(Text("item-loading", message, "problem" if self.problem else "body"))
        else:
            parts += [Lines(pid, heading, tuple(lines)) for pid, heading, lines in item_sections(self.detail, v.lang)
                      if lines]
        parts.append(Group("item-actions", (Choice("item-take", v.t("item.take"), role="primary"),
                                            Choice("item-special", v.t("item.take_special"))), area="foot"))
        return parts

    def touch(self, v: Visit, choice: str) -> None:
        from kiosk.flow.take import ConfirmScreen, IssuingScreen

        if choice == "item-take":
            v.push(IssuingScreen(TicketRequest(int(self.service["id"]), localized(self.service, "name", v.lang))))
        elif choice == "item-special":
            v.push(ConfirmScreen(self.service))

    def arrived(self, v: Visit, effect: Effect, result: object) -> None:
        assert isinstance(result, Mapping)
        self.detail, self.problem = result, None

    def refused(self, v: Visit, effect: Effect, err: ApiError) -> None:
        self.problem = err
