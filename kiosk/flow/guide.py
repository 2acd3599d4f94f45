"""Browsing the hall's services: by theme (个人 / 企业), by department, or by search in Chinese,
English or pinyin initials (``kiosk/guide_search.py``).

The same screen serves the guide (a service opens its item, 九公开) and taking a ticket (a
service asks to confirm), so an applicant finds a service the same way whichever tile they chose.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from kiosk.flow.view import Choice, Group, Part, Text
from kiosk.flow.visit import LETTERS, Screen, Visit
from kiosk.messages import localized

THEMES = ("all", "personal", "enterprise")
SPOKEN_RESULTS = 8  # the first services read out; more is too long to follow
SHOWN_RESULTS = 100  # services listed at once: a county hall's whole list (the demo's 80); a city hall's
# thousands would make every touch of the guide slow (docs/PERFORMANCE.md); a department or a few
# letters find the rest


class GuideScreen(Screen):
    kind = "guide"
    FIELDS = ("search",)

    def __init__(self, purpose: Literal["guide", "ticket"]) -> None:
        super().__init__()
        self.purpose = purpose
        self.department_id: int | None = None
        self.theme = "all"
        self.keyboard = False

    def title(self, v: Visit) -> str:
        return v.t("guide.title" if self.purpose == "guide" else "take.title")

    def matching(self, v: Visit) -> list[Mapping[str, Any]]:
        assert v.hall is not None
        return [svc for svc in v.hall.index.search(self.values["search"])
                if (self.department_id is None or svc["department_id"] == self.department_id)
                and (self.theme == "all" or svc.get("theme") == self.theme)]

    def parts(self, v: Visit) -> list[Part]:
        if v.hall is None:
            return [Text("result-count", v.t("net.not_ready"))]
        themes = tuple(Choice(f"theme-{t}", v.t(f"theme.{t}"), role="filter", selected=t == self.theme) for t in THEMES)
        departments = (Choice("dept-all", v.t("guide.all_departments"), role="filter",
                              selected=self.department_id is None),
                       *(Choice(f"dept-{d['id']}", localized(d, "name", v.lang), role="filter",
                                selected=d["id"] == self.department_id) for d in v.hall.departments))
        found = self.matching(v)
        names = {d["id"]: d for d in v.hall.departments}
        results = tuple(Choice(f"svc-{s['id']}", localized(s, "name", v.lang),
                               localized(names.get(s["department_id"], {}), "name", v.lang), "service")
                        for s in found[:SHOWN_RESULTS])
        parts: list[Part] = [
            Group("themes", themes, v.t("guide.by_theme"), area="side"),
            Group("departments", departments, v.t("guide.by_department"), area="side", scroll=True),
            self.field(v, "search", "guide.search", focus=True),
            Group("search-actions", (Choice("toggle-keys", v.t("guide.keyboard"), selected=self.keyboard),)),
        ]
        if self.keyboard:
            parts.append(self.keypad(v, LETTERS))
        count = (v.t("guide.none_found") if not found else v.t("guide.count", count=len(found))
                 if len(found) <= SHOWN_RESULTS else v.t("guide.count_more", count=len(found), shown=SHOWN_RESULTS))
        parts.append(Text("result-count", count))
        parts.append(Group("results", results, scroll=True))
        return parts

    def touch(self, v: Visit, choice: str) -> None:
        from kiosk.flow.item import ItemScreen
        from kiosk.flow.take import ConfirmScreen

        if self.key(v, choice, lower=True) or v.hall is None:
            return
        kind, _, value = choice.partition("-")
        if choice == "toggle-keys":
            self.keyboard = not self.keyboard
        elif kind == "theme" and value in THEMES:
            self.theme = value
        elif kind == "dept":
            self.department_id = None if value == "all" else int(value) if value.isdigit() else self.department_id
        elif kind == "svc" and value.isdigit() and (service := v.hall.service(int(value))) is not None:
            v.push(ItemScreen(service) if self.purpose == "guide" else ConfirmScreen(service))

    def speech(self, v: Visit, parts) -> str:
        """The title and how to find a service; the list itself is too long to hear."""
        said = [self.title(v), v.t("guide.spoken")]
        for part in parts:
            if part.id == "result-count" and isinstance(part, Text):
                said.append(part.text)
            elif part.id == "results" and isinstance(part, Group):
                said.extend(c.label for c in part.choices[:SPOKEN_RESULTS])
        return "。".join(said)
