"""What the hall's voice says, Simplified Chinese first; ``{number}`` and ``{window}`` are filled in
with the spoken forms from ``hardware.voice.spoken``."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "call": {
        "zh": "请{number}号到{window}号窗口办理",
        "en": "Number {number}, please go to window {window}.",
    },
    "recall": {
        "zh": "再次呼叫,请{number}号到{window}号窗口办理",
        "en": "Calling again: number {number}, please go to window {window}.",
    },
}


def template(key: str, lang: str) -> str:
    entry = MESSAGES[key]
    return entry.get(lang, entry["zh"])
