"""On-screen keys for a kiosk without a keyboard: pinyin initials, ticket numbers, codes.

The keys type into an Input of the screen (``target``, a selector: of the Inputs it matches, the
one touched last, else the first) and never take the focus, so a keyboard-mode scanner can
still type into the focused Input at any moment.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input

from kiosk.messages import text

LETTERS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
LETTERS_AND_DIGITS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")


class Key(Button):
    """A key that counts every tap: a Button ignores a second tap within its 0.2 s press effect,
    which would turn a quickly typed "A001" into "A01"."""

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        event.prevent_default()  # not Button's own handler, which drops taps while "-active"
        self.press()


class Keypad(Vertical):
    DEFAULT_CSS = """
    Keypad { height: auto; width: auto; }
    Keypad Horizontal { height: auto; width: auto; }
    Keypad Button { min-width: 5; width: 6; height: 3; margin: 0; }
    Keypad Button.wide { width: 10; }
    """

    def __init__(self, target: str, lang: str, rows: Sequence[str] = LETTERS, **kwargs) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.lang = lang
        self.rows = rows
        self._field: Input | None = None  # the target Input that had the focus last

    def on_mount(self) -> None:
        self.watch(self.screen, "focused", self._focus_moved)

    def _focus_moved(self, focused: Widget | None) -> None:
        if isinstance(focused, Input) and focused in self.screen.query(self.target).results(Input):
            self._field = focused

    def compose(self) -> ComposeResult:
        for i, row in enumerate(self.rows):
            keys = [self._key(ch, f"key-{ch}") for ch in row]
            if i == len(self.rows) - 1:
                keys += [self._key(text("keypad.delete", self.lang), "key-delete", "wide"),
                         self._key(text("keypad.clear", self.lang), "key-clear", "wide")]
            yield Horizontal(*keys)

    @staticmethod
    def _key(label: str, key_id: str, classes: str = "") -> Button:
        button = Key(label, id=key_id, classes=classes)
        button.can_focus = False
        return button

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        field = self._field if self._field is not None and self._field.is_attached \
            else self.screen.query(self.target).first(Input)
        key = (event.button.id or "").removeprefix("key-")
        if key == "delete":
            field.value = field.value[:-1]
        elif key == "clear":
            field.value = ""
        else:
            field.value += key.lower() if self.rows is LETTERS else key
        field.cursor_position = len(field.value)
