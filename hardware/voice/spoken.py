"""Ticket and window numbers as they should be heard.

A ticket number is read digit by digit ("A001" -> "A 零 零 一"): espeak reads "A001" as a
quantity or mumbles it, and applicants listen for the digits printed on their ticket. A window
number is a number ("12" -> "十二"), as staff and signs say it.
"""

from __future__ import annotations

DIGITS_ZH = "零一二三四五六七八九"
UNITS_ZH = ("", "十", "百", "千")


def chinese_numeral(n: int) -> str:
    """0..9999 the way it is said: 10 十, 12 十二, 20 二十, 105 一百零五, 110 一百一十."""
    if not 0 <= n <= 9999:
        raise ValueError(f"{n} is outside 0..9999")
    if n == 0:
        return DIGITS_ZH[0]
    digits = [int(d) for d in str(n)]
    out: list[str] = []
    zero_pending = False
    for position, d in enumerate(digits):
        unit = UNITS_ZH[len(digits) - 1 - position]
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append(DIGITS_ZH[0])
            zero_pending = False
        out.append(DIGITS_ZH[d] + unit)
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def spell(text: str, lang: str) -> str:
    """Each letter and digit on its own: "A001" -> "A 零 零 一" (zh) or "A, 0, 0, 1" (en: without the
    commas espeak reads a lone "A" as the article)."""
    tokens = []
    for ch in text.upper():
        if ch.isdigit() and ch.isascii():
            tokens.append(DIGITS_ZH[int(ch)] if lang == "zh" else ch)
        elif ch.isalnum():
            tokens.append(ch)
    return (" " if lang == "zh" else ", ").join(tokens)


def spoken_ticket(number: str, lang: str = "zh") -> str:
    return spell(number, lang)


def spoken_window(window: str, lang: str = "zh") -> str:
    window = window.strip()
    if window.isascii() and window.isdigit():
        return chinese_numeral(int(window)) if lang == "zh" else str(int(window))
    return spell(window, lang) if window.isascii() else window
