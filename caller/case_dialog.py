"""登记办件: the form a window fills in for the applicant at the counter, sent as one case.

Unlike the desk's questions it acts itself, because what the server refuses (an ID number whose
check digit is wrong, materials missing for a 承诺件) must be shown in the form with everything
typed kept: staff correct the field the cursor is put back on and press F11 again. Every press
until the dialog closes carries the same idempotency key, so pressing again after an answer lost
on the way registers nothing twice. Once registered, the form shows the case number, type and
deadline and prints the notice (通知书); a failed print says why and offers 重打.

A 补办件 lists as missing the unticked materials and any typed under 其他需补齐的材料 (one a line
or separated by 、): an item that lists no materials, or a missing one not on its list, can
still be registered as a 补办件, all the missing items told at once.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from caller.cases import SUBJECTS, WINDOW_CASE_TYPES, deadline_text, print_notice, type_name
from caller.messages import t
from hall_server.client import ApiError, Unreachable

if TYPE_CHECKING:
    from caller.app import CallerApp

# Where the cursor goes back to when the server refuses a field.
FIELD_OF_ERROR = {
    "case_id_number_invalid": "#id-number", "case_credit_code_invalid": "#id-number", "case_phone_invalid": "#phone",
    "case_reason_required": "#reason", "case_missing_required": "#materials",
    "case_materials_incomplete": "#materials", "case_material_unknown": "#materials",
    "case_joint_needs_departments": "#co-departments", "case_department_not_found": "#co-departments",
}

# 其他需补齐的材料: one a line, or several on a line separated by 、
ITEM_SEPARATORS = re.compile(r"[\n、]")


def typed_items(text: str) -> list[str]:
    """The items typed, in order, each once."""
    items: list[str] = []
    for item in (i.strip() for i in ITEM_SEPARATORS.split(text)):
        if item and item not in items:
            items.append(item)
    return items


class RegisterCaseDialog(ModalScreen[dict | None]):
    """Answers with the case registered (its notice printed or not), or None if closed before."""

    app: CallerApp
    BINDINGS = [
        Binding("escape", "close", "Close", show=False),
        Binding("f11,ctrl+s", "register", "Register", show=False),
    ]

    def __init__(self, ticket: dict[str, Any], services: list[dict[str, Any]], service: dict[str, Any],
                 departments: list[dict[str, Any]], lang: str) -> None:
        """``ticket``: the one being served; ``services``: the window's; ``service``: the ticket's
        service in full (its materials); ``departments``: the hall's, for a joint case."""
        super().__init__()
        self.ticket, self.services, self.departments, self.lang = ticket, services, departments, lang
        self.details: dict[int, dict[str, Any]] = {service["id"]: service}  # services read in full
        self.service_id: int = service["id"]
        self.key = uuid.uuid4().hex  # one registration: the same key until the dialog closes
        self.case: dict[str, Any] | None = None
        self.sending = False
        self.printing = False

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    # ---- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        first = self.details[self.service_id]
        chosen_type = first.get("category") if first.get("category") in WINDOW_CASE_TYPES else "promised"
        with Vertical(classes="dialog", id="case-dialog"):
            yield Static(self.t("case_dialog_title", number=self.ticket["number"]), classes="dialog-title")
            with VerticalScroll(id="case-form"):
                yield Static(self.t("case_applicant"), classes="field-title")
                yield RadioSet(RadioButton(self.t("case_person"), value=True, id="kind-person"),
                               RadioButton(self.t("case_company"), id="kind-company"),
                               id="applicant-kind", compact=True)
                with Horizontal(id="applicant-row"):
                    yield Input(placeholder=self.t("case_name_person"), id="applicant-name")
                    yield Input(placeholder=self.t("case_id_person"), id="id-number")
                    yield Input(placeholder=self.t("case_phone"), id="phone")
                yield Static(self.t("case_service"), classes="field-title")
                yield RadioSet(*(RadioButton(s["name"], value=s["id"] == self.service_id, id=f"service-{s['id']}")
                                 for s in self.services), id="service", compact=True)
                yield Static(self.t("case_type"), classes="field-title")
                yield RadioSet(*(RadioButton(type_name(ct, self.lang), value=ct == chosen_type, id=f"type-{ct}")
                                 for ct in WINDOW_CASE_TYPES), id="case-type", compact=True)
                yield Static(self.t("case_materials"), classes="field-title")
                yield SelectionList[str](id="materials", compact=True)
                yield Static("", id="missing")
                with Vertical(id="supplement-part", classes="type-part"):
                    yield TextArea(id="other-missing", placeholder=self.t("case_other_missing"), compact=True,
                                   highlight_cursor_line=False)
                with Vertical(id="returned-part", classes="type-part"):
                    yield Input(placeholder=self.t("case_reason"), id="reason")
                    yield RadioSet(RadioButton(self.t("case_decided_now"), value=True, id="decided-now"),
                                   RadioButton(self.t("case_decided_later"), id="decided-later"), id="decision",
                                   compact=True)
                with Vertical(id="joint-part", classes="type-part"):
                    yield Static(self.t("case_subject"), classes="field-title")
                    yield RadioSet(*(RadioButton(self.t(f"subject_{s}"), value=s == "other", id=f"subject-{s}")
                                     for s in SUBJECTS), id="subject", compact=True)
                    yield Static(self.t("case_co_departments"), classes="field-title")
                    yield SelectionList[int](id="co-departments", compact=True)
            yield Static("", id="case-error")
            with Vertical(id="case-done"):
                yield Static("", id="case-summary")
                yield Static("", id="notice-status")
            with Horizontal(id="case-buttons"):
                yield Button(self.t("case_register_button"), id="case-register", variant="primary", compact=True)
                yield Button(self.t("case_reprint_button"), id="case-reprint", compact=True)
                yield Button(self.t("case_cancel_button"), id="case-close", compact=True)
            yield Static(self.t("case_dialog_hint"), id="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#case-reprint").display = False
        self._fill_service()
        self._show_type()
        self.query_one("#applicant-name", Input).focus()

    # ---- what the form shows ------------------------------------------------------------------

    def _pressed(self, selector: str) -> str | None:
        button = self.query_one(selector, RadioSet).pressed_button
        return button.id if button is not None else None

    def _case_type(self) -> str | None:
        pressed = self._pressed("#case-type")
        return pressed.removeprefix("type-") if pressed else None

    def _materials(self) -> list[dict[str, Any]]:
        return [m for m in self.details[self.service_id].get("materials") or [] if m.get("name")]

    def _missing(self) -> list[str]:
        """补办件: the unticked materials, then any others typed, each once."""
        ticked = set(self.query_one("#materials", SelectionList).selected)
        unticked = [m["name"] for m in self._materials() if m["name"] not in ticked]
        typed = typed_items(self.query_one("#other-missing", TextArea).text)
        return unticked + [m for m in typed if m not in unticked]

    def _fill_service(self) -> None:
        """The chosen item's materials to tick, and the departments that may join it."""
        service = self.details[self.service_id]
        materials = self.query_one("#materials", SelectionList)
        materials.clear_options()
        for m in self._materials():
            kind = self.t("material_main" if m.get("kind") == "main" else "material_attachment")
            prompt = Text.assemble((f"[{kind}] ", "bold" if m.get("kind") == "main" else "dim"), m["name"])
            materials.add_option(Selection(prompt, m["name"]))
        co = self.query_one("#co-departments", SelectionList)
        ticked = set(co.selected)
        co.clear_options()
        for d in self.departments:
            if d["id"] != service.get("department_id"):
                co.add_option(Selection(d["name"], d["id"], d["id"] in ticked))
        for checklist in (materials, co):  # the cursor on the first item: space ticks it straight away
            checklist.highlighted = 0 if checklist.option_count else None
        self._show_missing()

    def _show_type(self) -> None:
        case_type = self._case_type()
        self.query_one("#returned-part").display = case_type == "returned"
        self.query_one("#supplement-part").display = case_type == "supplement"
        self.query_one("#joint-part").display = case_type == "joint"
        self._show_missing()

    def _show_missing(self) -> None:
        """补办件: the unticked items are what the applicant is told to bring, all at once (一次性告知)."""
        names = [m["name"] for m in self._materials()]
        ticked = set(self.query_one("#materials", SelectionList).selected)
        unticked = [n for n in names if n not in ticked]
        case_type = self._case_type()
        if case_type == "supplement":
            missing = self._missing()
            if missing:
                text = self.t("case_missing_supplement", names="、".join(missing))
            else:
                text = self.t("case_missing_none" if names else "case_missing_type")
        elif not names:
            text = self.t("case_no_materials")
        elif case_type != "returned" and unticked:
            text = self.t("case_unticked", names="、".join(unticked))
        else:
            text = ""
        self.query_one("#missing", Static).update(text)

    @on(RadioSet.Changed, "#applicant-kind")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        kind = "company" if event.pressed.id == "kind-company" else "person"
        self.query_one("#applicant-name", Input).placeholder = self.t(f"case_name_{kind}")
        self.query_one("#id-number", Input).placeholder = self.t(f"case_id_{kind}")

    @on(RadioSet.Changed, "#case-type")
    def _type_changed(self) -> None:
        self._show_type()

    @on(SelectionList.SelectedChanged, "#materials")
    @on(TextArea.Changed, "#other-missing")
    def _ticked(self) -> None:
        self._show_missing()

    @on(RadioSet.Changed, "#service")
    def _service_changed(self, event: RadioSet.Changed) -> None:
        self.service_id = int(event.pressed.id.removeprefix("service-"))
        if self.service_id in self.details:
            self._fill_service()
        else:
            self.query_one("#missing", Static).update(self.t("case_materials_loading"))
            self._read_service(self.service_id)

    @work(exclusive=True, group="service")
    async def _read_service(self, service_id: int) -> None:
        try:
            self.details[service_id] = await self.app.client.get_service(service_id)
        except ApiError as err:
            self._say_error(err.message(self.lang))
            return
        except Unreachable:
            self._say_error(self.t("unreachable_action"))
            return
        if service_id == self.service_id:
            self._fill_service()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    # ---- registering --------------------------------------------------------------------------

    def _request(self) -> tuple[str, dict[str, Any], dict[str, Any]] | tuple[str, str]:
        """(case type, applicant, other fields) to send, or (message key, field) of what to fill in first."""
        name = self.query_one("#applicant-name", Input).value.strip()
        if not name:
            return "case_name_required", "#applicant-name"
        case_type = self._case_type()
        if case_type is None:
            return "case_choose_type", "#case-type"
        kind = "company" if self._pressed("#applicant-kind") == "kind-company" else "person"
        applicant = {"name": name, "kind": kind,
                     "id_number": self.query_one("#id-number", Input).value.strip(),
                     "phone": self.query_one("#phone", Input).value.strip()}
        ticked = set(self.query_one("#materials", SelectionList).selected)
        names = [m["name"] for m in self._materials()]
        fields: dict[str, Any] = {"ticket_id": self.ticket["id"], "window_id": self.app.window_id,
                                  "materials_received": [n for n in names if n in ticked]}
        if case_type == "supplement":
            fields["missing_materials"] = self._missing()
        elif case_type == "returned":
            reason = self.query_one("#reason", Input).value.strip()
            if not reason:
                return "case_reason_required", "#reason"
            fields |= {"reason": reason, "decided_now": self._pressed("#decision") != "decided-later"}
        elif case_type == "joint":
            co = list(self.query_one("#co-departments", SelectionList).selected)
            if not co:
                return "case_co_required", "#co-departments"
            fields |= {"subject": (self._pressed("#subject") or "subject-other").removeprefix("subject-"),
                       "departments": co}
        return case_type, applicant, fields

    def action_register(self) -> None:
        if self.case is not None or self.sending:
            return
        request = self._request()
        if len(request) == 2:
            key, field = request
            self._say_error(self.t(key), field)
            return
        self.sending = True
        self.query_one("#case-error", Static).update(self.t("case_sending"))
        self.query_one("#case-error").remove_class("error")
        self._send(*request)

    @work(exclusive=True, group="register")
    async def _send(self, case_type: str, applicant: dict[str, Any], fields: dict[str, Any]) -> None:
        try:
            case = await self.app.client.register_case(self.service_id, case_type, applicant,
                                                       idempotency_key=self.key, **fields)
        except ApiError as err:
            field = FIELD_OF_ERROR.get(err.code)
            if err.code == "case_missing_required" and not self._materials():
                field = "#other-missing"  # nothing to leave unticked: the missing items are typed
            self._say_error(err.message(self.lang), field)
            return
        except Unreachable:  # it may have been registered: the same key again will tell
            self._say_error(self.t("case_unreachable"))
            return
        finally:
            self.sending = False
        self.case = case
        self._registered(case)
        self._print()

    def _say_error(self, text: str, field: str | None = None) -> None:
        """Said under the form, which keeps everything typed; the cursor goes to the field to correct."""
        error = self.query_one("#case-error", Static)
        error.update(text)
        error.add_class("error")
        if field:
            self.query_one(field).focus()

    def _registered(self, case: dict[str, Any]) -> None:
        self.query_one("#case-form").disabled = True
        self.query_one("#case-register").display = False
        self.query_one("#case-error", Static).update("")
        if case.get("deadline") is None and case.get("status") == "awaiting_materials":
            deadline = self.t("case_deadline_from_materials")
        else:
            deadline = self.t("case_deadline", deadline=deadline_text(case, self.lang))
        summary = Text(self.t("case_registered", number=case["case_number"],
                              type=type_name(case["case_type"], self.lang)), "bold")
        if case.get("deadline") is not None or case.get("status") == "awaiting_materials":
            summary.append("\n" + deadline)
        self.query_one("#case-summary", Static).update(summary)
        self.query_one("#case-done").display = True
        close = self.query_one("#case-close", Button)
        close.label = self.t("case_close_button")
        close.focus()
        self.query_one("#dialog-hint", Static).update(self.t("case_done_hint"))

    @work(exclusive=True, group="print")
    async def _print(self) -> None:
        """The notice on the window's printer; on a failure the case stays registered and 重打 is offered."""
        if self.case is None:
            return
        self.printing = True
        status = self.query_one("#notice-status", Static)
        status.update(self.t("notice_printing"))
        reprint = self.query_one("#case-reprint", Button)
        reprint.display = False
        try:
            outcome = await print_notice(self.app, self.case)
        finally:
            self.printing = False
        status.update(outcome.text)
        status.set_class(outcome.retry, "error")
        reprint.display = outcome.retry
        (reprint if outcome.retry else self.query_one("#case-close", Button)).focus()

    @on(Button.Pressed, "#case-register")
    def _register_pressed(self) -> None:
        self.action_register()

    @on(Button.Pressed, "#case-reprint")
    def _reprint_pressed(self) -> None:
        if not self.printing:
            self._print()

    @on(Button.Pressed, "#case-close")
    def _close_pressed(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        """Closed while a print is going out, the print's record would be lost: wait for it."""
        if not self.printing:
            self.dismiss(self.case)
