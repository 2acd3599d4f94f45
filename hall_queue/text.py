"""Looking up a message in a part's catalog: one function for every part of the hall.

Each part keeps its own catalog (``MESSAGES = {key: {"zh": ..., "en": ...}}``) next to its code;
they all read it the same way: Simplified Chinese first, Chinese when the language is not in
the catalog, the values filled in.
"""

from __future__ import annotations

from collections.abc import Mapping


def catalog_text(messages: Mapping[str, Mapping[str, str]], key: str, lang: str = "zh", **values: object) -> str:
    """The message ``key`` in ``lang`` (Chinese when the language is unknown), filled in."""
    entry = messages[key]
    template = entry.get(lang) or entry["zh"]
    return template.format(**values) if values else template
