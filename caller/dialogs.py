"""The questions the desk asks: where to transfer a ticket, why the window pauses, and one line
for a case (the day its materials were complete, why it is returned).

All are keyboard-first: arrow keys and Enter choose, typing adds a note or another reason,
Esc cancels. They answer with a value (or None) and do nothing themselves. (Registering a case
is a form that acts itself: ``caller.case_dialog``.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from caller.messages import PAUSE_REASONS, t


@dataclass(frozen=True)
class TransferTarget:
    label: str  # how the result message names it
    service_id: int | None = None
    window_id: int | None = None
    note: str = ""


class TransferDialog(ModalScreen[TransferTarget | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, number: str, services: list[dict], windows: list[dict], own_window_id: int, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.number = number
        self.targets: dict[str, TransferTarget] = {}
        self.options: list[Option] = []
        for s in services:
            key = f"service-{s['id']}"
            self.targets[key] = TransferTarget(t("target_service", lang, name=s["name"]), service_id=s["id"])
            self.options.append(Option(t("transfer_service", lang, name=s["name"], prefix=s["prefix"]), id=key))
        for w in windows:
            if w["id"] == own_window_id:
                continue
            key = f"window-{w['id']}"
            self.targets[key] = TransferTarget(t("target_window", lang, number=w["number"]), window_id=w["id"])
            self.options.append(Option(t("transfer_window", lang, number=w["number"], name=w["name"]), id=key))
        self.chosen: TransferTarget | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("transfer_title", self.lang, number=self.number), classes="dialog-title")
            yield OptionList(*self.options, id="targets")
            yield Input(placeholder=t("transfer_note", self.lang), id="note")
            yield Static(t("transfer_hint", self.lang), id="dialog-hint")

    @on(OptionList.OptionSelected, "#targets")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.chosen = self.targets[event.option.id]
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def _confirm(self, event: Input.Submitted) -> None:
        if self.chosen is None:
            self.query_one("#dialog-hint", Static).update(t("transfer_choose", self.lang))
            self.query_one("#targets", OptionList).focus()
            return
        self.dismiss(TransferTarget(self.chosen.label, self.chosen.service_id, self.chosen.window_id,
                                    event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class PauseDialog(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("pause_title", self.lang), classes="dialog-title")
            yield OptionList(*(Option(t(key, self.lang), id=key) for key in PAUSE_REASONS), id="reasons")
            yield Input(placeholder=t("pause_other", self.lang), id="other")
            yield Static(t("pause_hint", self.lang), id="dialog-hint")

    @on(OptionList.OptionSelected, "#reasons")
    def _preset(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(t(event.option.id, "zh"))  # the hall board shows the reason: Chinese first

    @on(Input.Submitted, "#other")
    def _other(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#dialog-hint", Static).update(t("pause_reason_required", self.lang))
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskDialog(ModalScreen[str | None]):
    """One line to type: ``check`` answers what to say when the line will not do (None: it will)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, placeholder: str, hint: str, *, value: str = "",
                 check: Callable[[str], str | None] = lambda _: None) -> None:
        super().__init__()
        self.title_text, self.placeholder, self.hint, self.value, self.check = title, placeholder, hint, value, check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="answer")
            yield Static(self.hint, id="dialog-hint")

    @on(Input.Submitted, "#answer")
    def _answer(self, event: Input.Submitted) -> None:
        problem = self.check(event.value.strip())
        if problem:
            self.query_one("#dialog-hint", Static).update(problem)
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
