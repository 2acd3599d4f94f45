"""On-screen keys for a kiosk without a keyboard: pinyin initials, ticket numbers, codes.

The keys type into an Input of the screen (``target``, a selector: of the Inputs it matches, the
one touched last, else the first) and never take the focus, so a keyboard-mode scanner can
still type into the focused Input at any moment.

A key types when the app hands it the tap, not when a message about the tap arrives later.
Textual delivers a Button's click and its ``Pressed`` through the queues of the key, its row
and the keypad, each drained by its own task, while a touch on an Input moves the focus at once.
Taps faster than those queues drained (50 ms apart on a busy kiosk PC, or through the browser)
came out in another order ("A1Q2" as "12QA"), and the number's last letters landed in the
check-code field touched after them (``AJ002`` then ``PEE`` gave ``A`` | ``J002PEE``). The app
hands out taps and focus changes one at a time, in the order they happened, so typing there
keeps that order.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input

from kiosk.messages import text

LETTERS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
LETTERS_AND_DIGITS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")


class Key(Button):
    """A key that types each tap as the app hands it over (see the module's docstring), however
    fast they come: a Button would also ignore a second tap within its 0.2 s press effect."""

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.Click) and not self.disabled and self.display:
            keypad = next((a for a in self.ancestors if isinstance(a, Keypad)), None)
            if keypad is not None:
                keypad.tap(self)
        return super().post_message(message)

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        event.prevent_default()  # typed already, in post_message; no Button.Pressed to type again
        self.add_class("-active")  # the press effect: the finger sees the key go down
        self.set_timer(self.active_effect_duration, lambda: self.remove_class("-active"))


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
        self.watch(self.screen, "focused", self._focus_moved)  # called as the focus moves: in tap order

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

    def tap(self, key: Key) -> None:
        """Type ``key`` into the target field now."""
        field = self._field if self._field is not None and self._field.is_attached \
            else self.screen.query(self.target).first(Input)
        name = (key.id or "").removeprefix("key-")
        if name == "delete":
            field.value = field.value[:-1]
        elif name == "clear":
            field.value = ""
        else:
            field.value += name.lower() if self.rows is LETTERS else name
        field.cursor_position = len(field.value)
