"""Every part reads its message catalog the same way: Chinese first, Chinese when a language is missing."""

import pytest

from hall_queue.text import catalog_text

CATALOG = {"called": {"zh": "请{number}号到{window}号窗口", "en": "Ticket {number}, please go to window {window}"}}


def test_a_message_is_filled_in_the_language_asked_for():
    assert catalog_text(CATALOG, "called", number="A001", window=3) == "请A001号到3号窗口"
    assert catalog_text(CATALOG, "called", "en", number="A001", window=3) == "Ticket A001, please go to window 3"


def test_a_language_the_catalog_lacks_falls_back_to_chinese():
    assert catalog_text(CATALOG, "called", "ug", number="A001", window=3) == "请A001号到3号窗口"


def test_an_unknown_key_is_a_programming_error_not_a_blank_screen():
    with pytest.raises(KeyError):
        catalog_text(CATALOG, "no_such_message")
