"""What one kiosk screen shows, as plain data: the one thing both faces draw.

The flow (``kiosk/flow``) computes a ``ScreenView`` for the screen on top; the web kiosk renders
it to HTML (``kiosk/web``) and the terminal kiosk to Textual widgets (``kiosk/app.py``). A face
adds nothing of its own but layout: every word, every choice and where a touch leads come from
here, so the two kiosks cannot drift apart.

A touch is named by its choice's ``id`` and goes back to the flow unchanged (``Visit.touch``);
text typed into a field goes back as ``Visit.type(field_id, value)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Where a part goes on the screen. Each face lays the areas out for the screen's kind: the web
# page in a CSS grid (beside each other in landscape, stacked in portrait), the terminal in rows.
Area = Literal["head", "main", "side", "foot"]

# What a text is, so each face styles it the same way.
TextRole = Literal["title", "heading", "body", "note", "problem", "printed", "number", "badge", "clock"]

# What a choice is: its size and colour follow from it.
ChoiceRole = Literal["tile", "primary", "choice", "filter", "service", "rating", "reason", "key", "nav", "switch"]


@dataclass(frozen=True)
class Text:
    id: str
    text: str  # may hold line breaks
    role: TextRole = "body"
    area: Area = "main"


@dataclass(frozen=True)
class Lines:
    """A heading and its lines: one section of an item's 九公开 or of a status."""

    id: str
    heading: str
    lines: tuple[str, ...]
    area: Area = "main"


@dataclass(frozen=True)
class Choice:
    id: str  # the touch's name: "go-take", "svc-12", "rate-good", "key-A", "top-large"
    label: str
    hint: str = ""  # a second, smaller line
    role: ChoiceRole = "choice"
    selected: bool = False


@dataclass(frozen=True)
class Group:
    """Choices that belong together (the home tiles, a filter list, the keypad, the results)."""

    id: str
    choices: tuple[Choice, ...]
    heading: str = ""
    area: Area = "main"
    scroll: bool = False  # more than fits: the face lets it scroll (the guide's results)
    rows: tuple[int, ...] = ()  # a keypad: how many keys in each row, in order


    def key_rows(self) -> list[tuple[Choice, ...]]:
        """A keypad's keys in the rows the flow laid out (``rows``), for either face to draw."""
        out, start = [], 0
        for size in self.rows:
            out.append(self.choices[start:start + size])
            start += size
        return out

@dataclass(frozen=True)
class Field:
    """Where the applicant types (on-screen keys, a keyboard, or a scanner in keyboard mode)."""

    id: str
    value: str
    placeholder: str
    label: str = ""
    max_length: int = 64
    focus: bool = False  # the field a keyboard-mode scanner types into
    area: Area = "main"
    submit: str = ""  # the choice id that Enter in this field stands for ("" : none)


@dataclass(frozen=True)
class Qr:
    id: str
    data: str  # what the code holds: the status URL
    caption: str = ""
    area: Area = "side"


Part = Text | Lines | Group | Field | Qr


@dataclass(frozen=True)
class ScreenView:
    kind: str  # home | guide | item | confirm | priority | green | issuing | ticket | find | status | rate
    title: str
    lang: str
    large: bool
    voice: bool  # spoken guidance is on for this visit
    top: tuple[Choice, ...]  # back, home, 大字, 语音, language: on every screen
    parts: tuple[Part, ...]
    notice: str = ""  # the connection notice ("connecting", "retrying"), empty when online
    speech: str = ""  # what 语音引导 says for this screen, as espeak-ng should be given it
    version: int = 0  # grows with every change of the visit: the web page asks "anything after N?"
    screen: int = 0  # which opening of a screen this is: a new one starts scrolled to the top

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)

    def choices(self) -> list[Choice]:
        """Every choice on the screen, the top bar's first."""
        out = list(self.top)
        for p in self.parts:
            if isinstance(p, Group):
                out.extend(p.choices)
        return out
