"""Ticket numbers as people read them: the series prefix and at least three digits (A001)."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^([A-Z])(\d{3,})$")


def format_number(prefix: str, sequence: int) -> str:
    """``format_number("A", 7) == "A007"``; past 999 the number simply grows (A1000)."""
    if sequence < 1:
        raise ValueError("ticket sequence numbers start at 1")
    return f"{prefix}{sequence:03d}"


def parse_number(text: str) -> tuple[str, int] | None:
    """The prefix and sequence of a number typed by a person (" a7 " reads as A007), or None."""
    cleaned = text.strip().upper().replace(" ", "")
    m = re.match(r"^([A-Z])(\d{1,})$", cleaned)
    if not m or int(m.group(2)) < 1:
        return None
    return m.group(1), int(m.group(2))


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))
