"""The soft caller's words: Chinese and English for every message, none of the phrases a hall never says."""

from __future__ import annotations

from pathlib import Path

import pytest

from caller.messages import MESSAGES, duration
from tests.display.support import FORBIDDEN, catalog_problems

CALLER = Path(__file__).resolve().parents[2] / "caller"


def test_the_catalog_is_complete_and_polite():
    assert catalog_problems(MESSAGES) == []


def test_no_forbidden_phrase_in_any_caller_file():
    for path in CALLER.rglob("*"):
        if path.suffix in (".py", ".tcss"):
            assert not [p for p in FORBIDDEN if p in path.read_text(encoding="utf-8")], path


@pytest.mark.parametrize(("seconds", "shown"), [(0, "00:00"), (65, "01:05"), (3599, "59:59"), (3600, "1:00:00"),
                                                (-3, "00:00")])
def test_durations_read_as_a_clock(seconds, shown):
    assert duration(seconds) == shown
