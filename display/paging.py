"""Lists longer than their panel, shown a page at a time, in turns.

A hall of 16 series and 40 windows has more queues, calls and closed windows than a board's
panels hold, and a cut-off list never shows its end. Each panel keeps a ``Pager``: what it
shows is one page of its list, turned every ``PAGE_SECONDS`` by the board's timer, with "1/3"
beside its heading. How many rows fit depends on the screen, so the drawing code counts them:
the terminal board here, in lines; the TV page in board.js, by measuring its boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from display.messages import t

PAGE_SECONDS = 8.0

Row = TypeVar("Row")


@dataclass
class Pager:
    """Which page of its list a panel shows."""

    page: int = 0
    pages: int = 1

    def show(self, rows: Sequence[Row], room: int, pinned: int = 0) -> list[Row]:
        """The rows of the current page in ``room`` lines: the first ``pinned`` rows on every page
        (the newest call stays in sight), then this page's share of the others."""
        head, rest = list(rows[:pinned]), rows[pinned:]
        per = max(1, room - len(head))
        self.pages = max(1, -(-len(rest) // per))
        if self.page >= self.pages:
            self.page = 0
        return head + list(rest[self.page * per:(self.page + 1) * per])

    def turn(self) -> None:
        self.page = (self.page + 1) % self.pages

    def label(self, lang: str) -> str:
        """"2/3" while the list pages, else nothing."""
        return t("page", lang, page=self.page + 1, pages=self.pages) if self.pages > 1 else ""
