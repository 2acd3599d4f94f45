"""Browsing the hall's services: by department, by theme (个人 / 企业), or by search.

The same screen serves the guide (touching a service opens its item, 九公开) and taking a
ticket (touching a service asks to confirm), so an applicant finds a service the same way
whichever button brought them here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from kiosk.messages import localized
from kiosk.screens.base import KioskScreen
from kiosk.widgets.keypad import Keypad

THEMES = ("all", "personal", "enterprise")


class GuideScreen(KioskScreen):
    def __init__(self, purpose: Literal["guide", "ticket"]) -> None:
        super().__init__()
        self.purpose = purpose
        self.search_text = ""
        self.department_id: int | None = None
        self.theme = "all"
        self.keyboard = False

    def title_text(self) -> str:
        return self.t("guide.title" if self.purpose == "guide" else "take.title")

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="guide"):
            with VerticalScroll(id="filters"):
                yield Static(self.t("guide.by_theme"), classes="filter-heading")
                for theme in THEMES:
                    yield Button(self.t(f"theme.{theme}"), id=f"theme-{theme}",
                                 classes="filter -selected" if theme == self.theme else "filter")
                yield Static(self.t("guide.by_department"), classes="filter-heading")
                yield Button(self.t("guide.all_departments"), id="dept-all",
                             classes="filter -selected" if self.department_id is None else "filter")
                for dept in self.hall.departments:
                    selected = " -selected" if dept["id"] == self.department_id else ""
                    yield Button(localized(dept, "name", self.lang), id=f"dept-{dept['id']}",
                                 classes="filter" + selected)
            with Vertical(id="catalog"):
                with Horizontal(id="search-row"):
                    yield Input(self.search_text, placeholder=self.t("guide.search"), id="search")
                    yield Button(self.t("guide.keyboard"), id="toggle-keys",
                                 classes="-selected" if self.keyboard else "")
                if self.keyboard:
                    yield Keypad("#search", self.lang, id="keypad")
                found = self.matching()
                yield Static(self.t("guide.count", count=len(found)) if found else self.t("guide.none_found"),
                             id="result-count")
                with VerticalScroll(id="results"):
                    yield from self.service_buttons(found)

    def matching(self) -> list[Mapping[str, Any]]:
        return [svc for svc in self.hall.index.search(self.search_text)
                if (self.department_id is None or svc["department_id"] == self.department_id)
                and (self.theme == "all" or svc.get("theme") == self.theme)]

    def service_buttons(self, services: list[Mapping[str, Any]]) -> list[Button]:
        departments = {d["id"]: d for d in self.hall.departments}
        buttons = []
        for svc in services:
            dept = departments.get(svc["department_id"], {})
            label = f"{localized(svc, 'name', self.lang)}\n{localized(dept, 'name', self.lang)}"
            buttons.append(Button(label, id=f"svc-{svc['id']}", classes="service"))
        return buttons

    def hall_loaded(self) -> None:
        self.refresh(recompose=True)

    @on(Input.Changed, "#search")
    async def _search(self, event: Input.Changed) -> None:
        self.search_text = event.value
        found = self.matching()
        self.say("result-count", self.t("guide.count", count=len(found)) if found else self.t("guide.none_found"))
        results = self.query_one("#results", VerticalScroll)
        await results.remove_children()
        await results.mount_all(self.service_buttons(found))
        results.scroll_home(animate=False)

    @on(Button.Pressed, "#toggle-keys")
    def _toggle_keyboard(self) -> None:
        self.keyboard = not self.keyboard
        self.refresh(recompose=True)

    @on(Button.Pressed, ".filter")
    def _filter(self, event: Button.Pressed) -> None:
        kind, _, value = (event.button.id or "").partition("-")
        if kind == "theme":
            self.theme = value
        else:
            self.department_id = None if value == "all" else int(value)
        self.refresh(recompose=True)

    @on(Button.Pressed, ".service")
    def _choose(self, event: Button.Pressed) -> None:
        from kiosk.screens.item import ServiceItemScreen
        from kiosk.screens.take import ConfirmScreen

        service = self.hall.service(int((event.button.id or "").removeprefix("svc-")))
        if service is None:
            return
        if self.purpose == "guide":
            self.app.push_screen(ServiceItemScreen(service))
        else:
            self.app.push_screen(ConfirmScreen(service))
