"""Everything wrong with a catalog, at once, each with its line: what 业务科 corrects before importing.

A catalog with five mistakes is refused once, with all five, each as its YAML line, the field's
path and a message in Chinese and English (``第12行 halls[0].services[0].category: 必填``).
Importing one at a time cost an import per mistake. Pydantic checks each field's shape; the
checks across items (a department or service named but not listed, a code used twice, hours
that do not make sense) are made here on the plain data, so they are found even when shapes
are wrong elsewhere. Lines come from the YAML node tree (``loader.compose``).

``check_catalog`` is what the back office's import page and the API both call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import ValidationError

from hall_server.catalog.loader import AliasRefused, compose, construct
from hall_server.catalog.schema import SPAN, TIME, CatalogFile
from hall_server.errors import HallError
from hall_server.messages import CATALOG_PROBLEMS

Loc = tuple[str | int, ...]
SHOWN_IN_MESSAGE = 3  # problems written out in the error's message; the body lists them all


@dataclass(frozen=True)
class CatalogProblem:
    """One mistake: its line in the YAML (1-based; None when it is not in the file), the field's
    path (``halls[0].services[3].category``; "" for the whole file), and what to do, in both languages."""

    line: int | None
    path: str
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        """``第12行 halls[0].services[0].category: 必填`` / ``line 12 halls[0].services[0].category: required``."""
        message = self.zh if lang == "zh" else self.en
        where = (f"第{self.line}行" if lang == "zh" else f"line {self.line}") if self.line is not None else ""
        where = " ".join(part for part in (where, self.path) if part)
        return f"{where}: {message}" if where else message

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class CatalogRejected(HallError):
    """A catalog not imported (422 ``catalog_invalid``), carrying every problem found; the body lists them."""

    def __init__(self, problems: Sequence[CatalogProblem]) -> None:
        self.problems = list(problems)
        shown = self.problems[:SHOWN_IN_MESSAGE]
        more = len(self.problems) - len(shown)
        detail = ";".join(p.text("zh") for p in shown) + (f";另有{more}处" if more else "")
        detail_en = "; ".join(p.text("en") for p in shown) + (f"; and {more} more" if more else "")
        super().__init__("catalog_invalid", 422, count=len(self.problems), detail=detail, detail_en=detail_en)

    def body(self) -> dict:
        body = super().body()
        body["error"]["problems"] = [p.as_json() for p in self.problems]
        return body


def path_text(loc: Loc) -> str:
    """``("halls", 0, "services", 3, "code")`` -> ``halls[0].services[3].code``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _say(kind: str, **values: object) -> tuple[str, str]:
    entry = CATALOG_PROBLEMS[kind]
    return entry["zh"].format(**values), entry["en"].format(**values)


class Lines:
    """Where each field of the document is: a path followed through the node tree to its line."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root

    def walk(self, loc: Loc) -> tuple[list[str | int], yaml.Node | None, yaml.Node | None]:
        """The part of ``loc`` found in the document, the deepest node reached and the key node naming it."""
        node, key_node, found = self.root, None, []
        for part in loc:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                pair = next(((k, v) for k, v in node.value if k.value == part), None)
                if pair is None:
                    break
                key_node, node = pair
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                break
            found.append(part)
        return found, node, key_node

    def line(self, loc: Loc, *, of_key: bool = False) -> int | None:
        """The line of the field at ``loc``; for a field left out, the line of the item that lacks it."""
        found, node, key_node = self.walk(loc)
        if node is None:
            return None
        if of_key and key_node is not None and len(found) == len(loc):
            node = key_node
        return node.start_mark.line + 1


def problem(lines: Lines, loc: Loc, kind: str, *, of_key: bool = False, **values: object) -> CatalogProblem:
    zh, en = _say(kind, **values)
    return CatalogProblem(lines.line(loc, of_key=of_key), path_text(loc), zh, en)


# --- the shape of each field (pydantic) --------------------------------------------------------

PATTERN_KINDS = {"series": "series", "key": "key", "kind": "kind", "open": "time", "close": "time", "lunch": "span"}
TYPE_KINDS = {
    "string_type": "text", "int_type": "whole_number", "int_parsing": "whole_number",
    "int_from_float": "whole_number", "decimal_type": "number", "decimal_parsing": "number",
    "list_type": "list", "model_type": "mapping", "model_attributes_type": "mapping", "dict_type": "mapping",
    "bool_type": "yes_no", "bool_parsing": "yes_no", "string_too_short": "empty",
}
INTERNAL = re.compile(r"^(str|int|float|bool|none|list|dict)$|[\[\]-]")  # pydantic's own steps in a location


def _shape_problem(lines: Lines, error: dict[str, Any]) -> CatalogProblem:
    loc: Loc = tuple(p for p in error["loc"] if isinstance(p, int) or not INTERNAL.search(p))
    kind, ctx = error["type"], error.get("ctx") or {}
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return problem(lines, loc, "missing")
    if kind == "extra_forbidden":
        return problem(lines, loc, "extra_forbidden", of_key=True, field=field)
    if kind == "string_type" and field in PATTERN_KINDS:  # a time written as a number, a list for a span
        return problem(lines, loc, PATTERN_KINDS[field])
    if kind in TYPE_KINDS:
        return problem(lines, loc, TYPE_KINDS[kind])
    if kind in ("greater_than_equal", "greater_than"):
        return problem(lines, loc, "at_least", limit=ctx.get("ge", ctx.get("gt")))
    if kind == "string_too_long":
        return problem(lines, loc, "too_long", limit=ctx.get("max_length"))
    if kind == "enum":  # pydantic's "'a', 'b' or 'c'": the choices as written in the file
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        zh, _ = _say("one_of", choices="、".join(choices))
        _, en = _say("one_of", choices=", ".join(choices))
        return CatalogProblem(lines.line(loc), path_text(loc), zh, en)
    if kind == "string_pattern_mismatch" and field in PATTERN_KINDS:
        return problem(lines, loc, PATTERN_KINDS[field])
    return problem(lines, loc, "other", detail=error.get("msg", kind))


# --- across items --------------------------------------------------------------------------

def _items(data: object, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mappings listed under ``key`` of ``data``, with their index; anything else is a shape problem."""
    items = data.get(key) if isinstance(data, dict) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _once_each(lines: Lines, where: Loc, items: list[tuple[int, dict[str, Any]]], field: str) -> list[CatalogProblem]:
    """Codes (and window numbers, hall keys) name one item each: a second use is a problem at its line."""
    first: dict[object, int] = {}
    found = []
    for i, item in items:
        value = item.get(field)
        if value is None or isinstance(value, dict | list):
            continue
        if value in first:
            found.append(problem(lines, (*where, i, field), "used_twice", value=value,
                                 first=lines.line((*where, first[value], field))))
        else:
            first[value] = i
    return found


def _time(value: object, pattern: str = TIME) -> bool:
    return isinstance(value, str) and re.match(pattern, value) is not None


def hours_problem(hours: str, lunch: str | None) -> str | None:
    """What is wrong with opening hours (``"09:00-17:00"``) and a lunch break (``"12:00-13:00"``
    or None), as a key of ``CATALOG_PROBLEMS``: "time", "open_after_close", "lunch_outside"; or
    None. "00:00-00:00" without lunch is open around the clock. The hall settings use it too."""
    try:
        opens, closes = (time.fromisoformat(t) for t in hours.split("-"))
        start, end = (time.fromisoformat(t) for t in lunch.split("-")) if lunch else (None, None)
    except ValueError:
        return "time"
    if opens > closes or (opens == closes and (lunch or opens != time(0))):
        return "open_after_close"
    if start is not None and not opens <= start < end <= closes:
        return "lunch_outside"
    return None


def _hours(lines: Lines, at: Loc, hours: object) -> list[CatalogProblem]:
    """Hours that the hall could not open by: closing before opening, lunch outside the day."""
    if not isinstance(hours, dict):
        return []
    o, c, lunch = hours.get("open", "09:00"), hours.get("close", "17:00"), hours.get("lunch")
    if isinstance(lunch, list) and len(lunch) == 2:
        lunch = "-".join(str(x) for x in lunch)
    if not (_time(o) and _time(c)) or (lunch not in (None, "") and not _time(lunch, SPAN)):
        return []  # a shape problem, reported by pydantic
    kind = hours_problem(f"{o}-{c}", lunch or None)
    if kind is None:
        return []
    return [problem(lines, (*at, "hours", "lunch" if kind == "lunch_outside" else "close"), kind)]


def _timezone(lines: Lines, at: Loc, zone: object) -> list[CatalogProblem]:
    if not isinstance(zone, str):
        return []
    try:
        ZoneInfo(zone)
    except (ValueError, KeyError, OSError):
        return [problem(lines, (*at, "timezone"), "timezone", value=zone)]
    return []


def _hall(lines: Lines, at: Loc, hall: dict[str, Any]) -> list[CatalogProblem]:
    found = _hours(lines, at, hall.get("hours")) + _timezone(lines, at, hall.get("timezone"))
    departments = list(_items(hall, "departments"))
    services = list(_items(hall, "services"))
    windows = list(_items(hall, "windows"))
    found += _once_each(lines, (*at, "departments"), departments, "code")
    found += _once_each(lines, (*at, "services"), services, "code")
    found += _once_each(lines, (*at, "windows"), windows, "number")
    department_codes = {d.get("code") for _, d in departments}
    service_codes = {s.get("code") for _, s in services}
    for kind, items in (("services", services), ("windows", windows)):
        for i, item in items:
            code = item.get("department")
            if isinstance(code, str) and code not in department_codes:
                found.append(problem(lines, (*at, kind, i, "department"), "unknown_department", code=code))
    for i, window in windows:
        named = window.get("services")
        for j, code in enumerate(named if isinstance(named, list) else []):
            if isinstance(code, str) and code not in service_codes:
                found.append(problem(lines, (*at, "windows", i, "services", j), "unknown_service", code=code))
    return found


def _keys_twice(node: yaml.Node | None, lines: Lines) -> list[CatalogProblem]:
    """A field written twice in one item: YAML keeps the last silently, so the first would be lost."""
    found: list[CatalogProblem] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, v in n.value:
                if k.value in seen:
                    zh, en = _say("key_twice", field=k.value, first=seen[k.value])
                    found.append(CatalogProblem(k.start_mark.line + 1, "", zh, en))
                else:
                    seen[k.value] = k.start_mark.line + 1
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return found


def _yaml_problem(exc: yaml.YAMLError) -> CatalogProblem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    if isinstance(exc, AliasRefused):
        zh, en = _say("aliases")
    else:
        detail = " ".join(x for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x) or str(exc)
        zh, en = _say("yaml", detail=detail)
    return CatalogProblem(line, "", zh, en)


def examine(text: str) -> tuple[CatalogFile | None, list[CatalogProblem]]:
    """The catalog read from ``text`` and every problem in it; the catalog only when there is none."""
    try:
        root = compose(text)
        data = construct(root)
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(exc)]
    lines = Lines(root)
    if data is None:
        zh, en = _say("empty_file")
        return None, [CatalogProblem(None, "", zh, en)]
    found = _keys_twice(root, lines)
    halls = list(_items(data, "halls"))
    found += _once_each(lines, ("halls",), halls, "key")
    for i, hall in halls:
        found += _hall(lines, ("halls", i), hall)
    catalog = None
    try:
        catalog = CatalogFile.model_validate(data)
    except ValidationError as exc:
        found += [_shape_problem(lines, e) for e in exc.errors()]
    found.sort(key=lambda p: (p.line is None, p.line or 0))
    return (catalog if not found else None), found


def check_catalog(text: str) -> list[CatalogProblem]:
    """Every problem in a catalog's YAML, in line order; an empty list when it can be imported.

    (Importing may still meet a problem of the hall as it is: a window to retire with staff
    signed in, a service to retire with people waiting; see ``io.import_catalog``.)
    """
    return examine(text)[1]


def read_catalog(text: str) -> CatalogFile:
    """The catalog in ``text``; :class:`CatalogRejected` with every problem when there are any."""
    catalog, found = examine(text)
    if found or catalog is None:
        raise CatalogRejected(found)
    return catalog
