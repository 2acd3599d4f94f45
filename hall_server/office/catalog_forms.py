"""The catalog's lists as a page's text boxes write them, and back: one line per material, fee or step.

A page edits an item as its catalog entry (the YAML's shape); the catalog's own checks then
judge it (``catalog/problems.py``), so a page and an imported file meet the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

KINDS = {"主件": "main", "main": "main", "附件": "attachment", "attachment": "attachment"}


def materials_text(materials: list[dict[str, Any]]) -> str:
    """``名称 | 主件 | 1 | 备注`` per line."""
    return "\n".join(" | ".join([m["name"], "主件" if m.get("kind") == "main" else "附件", str(m.get("copies", 1)),
                                 m.get("note", "")]).rstrip(" |") for m in materials)


def fees_text(fees: list[dict[str, Any]]) -> str:
    """``名称 | 金额 | 单位 | 依据`` per line."""
    return "\n".join(" | ".join([f["name"], str(f.get("amount", 0)), f.get("unit", "元/件"), f.get("basis", "")])
                     .rstrip(" |") for f in fees)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.replace("｜", "|").split("|")]


def parse_materials(text: str) -> list[dict[str, Any]]:
    """Lines of materials; a kind or count the catalog cannot take is passed on as written, so the
    catalog's check names it (the field and what to write) instead of this function guessing."""
    out = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        cells = _cells(line) + ["", "", ""]
        name, kind, copies, note = cells[0], cells[1] or "主件", cells[2] or "1", "|".join(cells[3:]).strip(" |")
        item: dict[str, Any] = {"name": name, "kind": KINDS.get(kind, kind),
                                "copies": int(copies) if copies.isdigit() else copies}
        if note:
            item["note"] = note
        out.append(item)
    return out


def parse_fees(text: str) -> list[dict[str, Any]]:
    out = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        cells = _cells(line) + ["", "", ""]
        item: dict[str, Any] = {"name": cells[0], "amount": cells[1] or "0", "unit": cells[2] or "元/件"}
        if cells[3]:
            item["basis"] = "|".join(cells[3:]).strip(" |")
        out.append(item)
    return out


def parse_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def reader(form: Mapping[str, Any]) -> Callable[[str], str]:
    """A form's field as typed, without the spaces around it ("" when it was not sent)."""
    return lambda name: str(form.get(name, "")).strip()


def number(value: str) -> int | str:
    """A whole number as typed; anything else passed on for the catalog's check to name."""
    value = value.strip()
    return int(value) if value.isdigit() else value
