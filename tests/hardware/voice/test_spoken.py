"""How numbers are read out: ticket numbers digit by digit, window numbers as numbers."""

from __future__ import annotations

import pytest

from hardware.voice.spoken import chinese_numeral, spoken_ticket, spoken_window


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (0, "零"),
        (3, "三"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1005, "一千零五"),
        (2030, "二千零三十"),
        (9999, "九千九百九十九"),
    ],
)
def test_window_numbers_as_they_are_said(n: int, said: str) -> None:
    assert chinese_numeral(n) == said


def test_ticket_numbers_digit_by_digit() -> None:
    assert spoken_ticket("A001") == "A 零 零 一"
    assert spoken_ticket("b120") == "B 一 二 零"
    assert spoken_ticket("A-001", "en") == "A, 0, 0, 1"


def test_windows() -> None:
    assert spoken_window("3") == "三"
    assert spoken_window("12") == "十二"
    assert spoken_window("12", "en") == "12"
    assert spoken_window("A3") == "A 三"
    assert spoken_window("综合") == "综合"
