"""The board's words: Chinese and English for every message, none of the phrases a hall never says."""

from __future__ import annotations

from pathlib import Path

from display.messages import MESSAGES, catalog, t
from tests.display.support import FORBIDDEN, catalog_problems

DISPLAY = Path(__file__).resolve().parents[2] / "display"


def test_the_catalog_is_complete_and_polite():
    assert catalog_problems(MESSAGES) == []


def test_no_forbidden_phrase_in_any_board_file():
    for path in DISPLAY.rglob("*"):
        if path.suffix in (".py", ".js", ".html", ".css", ".tcss"):
            text = path.read_text(encoding="utf-8")
            assert not [p for p in FORBIDDEN if p in text], path


def test_messages_fall_back_to_chinese():
    assert t("call_line", "fr", number="A001", window=3) == "请 A001 号到 3 号窗口"
    assert catalog("en")["reconnecting"] == "Reconnecting…"
