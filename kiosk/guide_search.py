"""Finding a service by what applicants type: Chinese words, pinyin initials or English.

At a kiosk without a Chinese input method the quickest way to "营业执照" is its pinyin
initials "yyzz", typed on the on-screen letter keys. Each service's keys are computed once
(pypinyin is slow), so a search on every key press stays instant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pypinyin import Style, lazy_pinyin


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _compact(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def pinyin_keys(text: str) -> tuple[str, str]:
    """(initials, full pinyin) of ``text``: "营业执照" -> ("yyzz", "yingyezhizhao").

    Letters and digits that are not Chinese stay as they are, so "A区" gives "aq".
    """
    syllables = lazy_pinyin(text, errors=lambda chars: list(chars))
    initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return _compact("".join(initials)), _compact("".join(syllables))


@dataclass(frozen=True)
class _Entry:
    service: Mapping[str, Any]
    chinese: str  # name and department, for searches in Chinese
    latin: tuple[str, ...]  # initials, full pinyin, English name, code: for searches in letters


class ServiceIndex:
    """The hall's services, ready to be searched as the applicant types."""

    def __init__(self, services: Iterable[Mapping[str, Any]],
                 department_names: Mapping[int, str] | None = None) -> None:
        names = department_names or {}
        self._entries: list[_Entry] = []
        for svc in services:
            name = str(svc.get("name") or "")
            initials, full = pinyin_keys(name)
            self._entries.append(_Entry(
                service=svc,
                chinese=name + " " + names.get(svc.get("department_id"), ""),
                latin=(initials, full, _compact(str(svc.get("name_en") or "")), _compact(str(svc.get("code") or ""))),
            ))

    def search(self, query: str) -> list[Mapping[str, Any]]:
        """Services matching ``query``, best first: a match at the start of the name or its
        initials ranks above one in the middle; otherwise the hall's own order is kept."""
        q = query.strip()
        if not q:
            return [e.service for e in self._entries]
        ranked: list[tuple[int, int, Mapping[str, Any]]] = []
        if any(_is_cjk(ch) for ch in q):
            words = q.split()
            for order, e in enumerate(self._entries):
                if all(w in e.chinese for w in words):
                    ranked.append((0 if e.chinese.startswith(words[0]) else 1, order, e.service))
        else:
            key = _compact(q)
            if not key:
                return []
            for order, e in enumerate(self._entries):
                positions = [field.find(key) for field in e.latin if key in field]
                if positions:
                    ranked.append((0 if 0 in positions else 1, order, e.service))
        ranked.sort(key=lambda item: (item[0], item[1]))
        return [svc for _, _, svc in ranked]
