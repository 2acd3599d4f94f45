"""The touch kiosk in a terminal: the flow's screens (``kiosk/flow``) drawn with Textual.

``hall kiosk --server URL --kiosk-token T`` runs it full screen in a terminal; ``hall kiosk --web``
serves the same flow as a touch page instead (``kiosk/web``). This face only draws the flow's
``ScreenView`` and hands it the touches: it decides nothing about where a touch leads.

A change of the visit that keeps the screen's shape (a typed letter, a selected rating, the
printer's answer) updates the widgets in place, so the field being typed into keeps its cursor;
a new screen is composed afresh.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from textual import events, on
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from hall_server.client import HallClient
from hardware.printer.device import TicketPrinter
from hardware.voice.guide import Guide
from kiosk.config import ConfigError, KioskConfig, load_config, parser
from kiosk.core import KioskCore
from kiosk.flow.hall import HallInfo
from kiosk.flow.view import Choice, Field, Group, Lines, Part, Qr, ScreenView, Text
from kiosk.messages import text
from kiosk.widgets.big_number import BigNumber
from kiosk.widgets.qr import QrCode

SIDE_FIRST = ("guide",)  # screens whose side column (the filters) reads before the main one


def shape(view: ScreenView) -> tuple:
    """What must be composed afresh when it changes; anything else (words, a text's role, a
    choice selected, a field's value) is updated in place."""
    parts = tuple((type(p).__name__, p.id, isinstance(p, Text) and p.role == "number", p.area, getattr(p, "data", ""),
                   tuple(c.id for c in p.choices) if isinstance(p, Group) else ()) for p in view.parts)
    return view.screen, view.kind, tuple(c.id for c in view.top), parts


def label(choice: Choice) -> str:
    return f"{choice.label}\n{choice.hint}" if choice.hint else choice.label


class Key(Button):
    """An on-screen key: it types on the tap itself, in the order the taps came, however fast.

    A Button ignores a second press within its 0.2 s press effect, and its ``Pressed`` travels
    through the queues of the key, its row and the keypad, each drained by its own task, while a
    touch on a field moves the focus at once: taps faster than those queues drain (50 ms apart on
    a busy kiosk PC) came out in another order ("A1Q2" as "12QA") or landed in the field touched
    after them. The app hands out taps one at a time, in the order they happened, and the screen
    tells the flow of a new field as the focus moves (``FlowScreen._focus_moved``), so typing on
    the tap keeps that order."""

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.Click) and not self.disabled and self.display and isinstance(self.screen,
                                                                                                    FlowScreen):
            self.screen.touch(self.id or "")
        return super().post_message(message)

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        event.prevent_default()  # touched already, in post_message
        self.add_class("-active")
        self.set_timer(self.active_effect_duration, lambda: self.remove_class("-active"))


class FlowScreen(Screen):
    AUTO_FOCUS = ""  # a touch screen has no "current button"; the scanner's field is focused below

    def __init__(self, view: ScreenView) -> None:
        super().__init__()
        self.view = view
        self.shape = shape(view)

    @property
    def kiosk(self) -> KioskApp:
        assert isinstance(self.app, KioskApp)
        return self.app

    # -- drawing --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        view = self.view
        with Horizontal(id="topbar"):
            for choice in view.top:
                if choice.role == "nav":
                    yield self.button(choice)
            yield Static(view.title, id="top-title")
            for choice in view.top:
                if choice.role != "nav":
                    yield self.button(choice)
        notice = Static(view.notice, id="connection")
        notice.display = bool(view.notice)
        yield notice
        with Vertical(id=f"screen-{view.kind}", classes="screen"):
            yield from self.area("head", Vertical)
            with Horizontal(id="area-body"):
                areas = [("main", VerticalScroll), ("side", Vertical)]
                for name, container in reversed(areas) if view.kind in SIDE_FIRST else areas:
                    yield from self.area(name, container)
            yield from self.area("foot", Horizontal)

    def area(self, name: str, container: type[Widget]) -> Iterable[Widget]:
        parts = [p for p in self.view.parts if p.area == name]
        if parts:
            yield container(*(w for p in parts for w in self.widgets(p)), id=f"area-{name}")

    def widgets(self, part: Part) -> Iterable[Widget]:
        if isinstance(part, Text):
            if part.role == "number":
                yield Vertical(Static(part.text, id=part.id, classes="number"), BigNumber(part.text, id="ticket-big"),
                               classes="number-box")
            else:
                yield Static(part.text, id=part.id, classes=part.role, markup=False)
        elif isinstance(part, Lines):  # the heading bold, its lines indented under it
            heading = Static(part.heading, classes="lines-heading", markup=False)
            heading.display = bool(part.heading)
            body = Static("\n".join(part.lines), classes="lines-body", markup=False)
            body.set_class(bool(part.heading), "-under-heading")
            yield Vertical(heading, body, id=part.id, classes="lines")
        elif isinstance(part, Field):
            yield Input(part.value, placeholder=part.placeholder, id=part.id, max_length=part.max_length)
        elif isinstance(part, Qr):
            yield Vertical(QrCode(part.data, id=part.id), Static(part.caption, id=f"{part.id}-caption"),
                           classes="qr-box")
        elif isinstance(part, Group):
            yield self.group(part)

    def group(self, group: Group) -> Widget:
        children: list[Widget] = [Static(group.heading, classes="group-heading")] if group.heading else []
        if group.rows:
            children += [Horizontal(*(self.button(c) for c in row), classes="keys") for row in group.key_rows()]
        else:
            children += [self.button(c) for c in group.choices]
        container = VerticalScroll if group.scroll else Vertical
        return container(*children, id=group.id, classes="group")

    @staticmethod
    def button(choice: Choice) -> Button:
        classes = f"{choice.role}{' -selected' if choice.selected else ''}"
        if choice.role == "key":
            key = Key(choice.label, id=choice.id, classes=classes)
            key.can_focus = False
            return key
        return Button(label(choice), id=choice.id, classes=classes)

    def on_mount(self) -> None:
        # told as the focus moves, not by a message that taps on the keys can overtake
        self.watch(self, "focused", self._focus_moved, init=False)
        self.focus_field()

    def focus_field(self, chosen: str | None = None) -> None:
        """The field the applicant chose (``chosen``, still there after a recompose) has the focus,
        else the one a keyboard-mode scanner types into."""
        if isinstance(self.focused, Input):
            return
        wanted = [chosen] if chosen else []
        wanted += [part.id for part in self.view.parts if isinstance(part, Field) and part.focus]
        for field_id in wanted:
            for field in self.query(f"#{field_id}").results(Input):
                field.focus()
                return

    async def show(self, view: ScreenView) -> None:
        """Draw ``view``: in place when its shape is the one on screen, else composed afresh."""
        before, self.view = self.view, view
        if shape(view) != self.shape:
            chosen = self.focused.id if isinstance(self.focused, Input) and view.screen == before.screen else None
            self.shape = shape(view)
            await self.recompose()
            self.focus_field(chosen)
            return
        if view.title != before.title:
            self.query_one("#top-title", Static).update(view.title)
        notice = self.query_one("#connection", Static)
        notice.update(view.notice)
        notice.display = bool(view.notice)
        for choice in view.choices():
            for button in self.query(f"#{choice.id}").results(Button):
                button.label = choice.label if isinstance(button, Key) else label(choice)
                button.set_class(choice.selected, "-selected")
        for part in view.parts:
            if isinstance(part, Text):
                for static in self.query(f"#{part.id}").results(Static):
                    static.update(part.text)
                    if part.role != "number":
                        static.set_classes(part.role)
            elif isinstance(part, Lines):
                for heading in self.query(f"#{part.id} > .lines-heading").results(Static):
                    heading.update(part.heading)
                    heading.display = bool(part.heading)
                for body in self.query(f"#{part.id} > .lines-body").results(Static):
                    body.update("\n".join(part.lines))
                    body.set_class(bool(part.heading), "-under-heading")
            elif isinstance(part, Field):
                for field in self.query(f"#{part.id}").results(Input):
                    if field.value != part.value:
                        with field.prevent(Input.Changed):  # the flow's own value: nothing typed
                            field.value = part.value
                        field.cursor_position = len(part.value)
                    field.placeholder = part.placeholder
            elif isinstance(part, Qr):
                for caption in self.query(f"#{part.id}-caption").results(Static):
                    caption.update(part.caption)

    # -- touches --------------------------------------------------------------------------------
    def touch(self, choice: str) -> None:
        self.kiosk.touch(choice, self.view.version)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if not isinstance(event.button, Key):
            self.touch(event.button.id or "")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self.kiosk.type(event.input.id or "", event.value)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        self.kiosk.type(event.input.id or "", event.value, enter=True)

    def _focus_moved(self, focused: Widget | None) -> None:
        """The on-screen keys type into the field touched last: the flow is told at once, before
        any tap that came after the touch."""
        if isinstance(focused, Input) and focused.id and focused.is_attached:
            field = self.view.part(focused.id)
            if isinstance(field, Field):
                self.kiosk.focus_field(field.id)

    @on(events.MouseDown)
    @on(events.Key)
    def _touched(self) -> None:
        self.kiosk.visit.touched()


class KioskApp(App[None]):
    CSS_PATH = "kiosk.tcss"
    ENABLE_COMMAND_PALETTE = False  # a public kiosk: nothing to open but what the flow offers

    def __init__(self, config: KioskConfig, *, client: HallClient | None = None, printer: TicketPrinter | None = None,
                 guide: Guide | None = None, now: Callable[[], datetime] | None = None,
                 idle_clock: Callable[[], float] = time.monotonic,
                 retry_backoff: tuple[float, float] = (0.3, 3.0)) -> None:
        super().__init__()
        self.config = config
        self.core = KioskCore(config, client=client, printer=printer, guide=guide, now=now, idle_clock=idle_clock,
                              retry_backoff=retry_backoff)
        self.visit = self.core.new_visit()
        self.core.listeners.append(lambda visit: self.call_next(self.redraw))
        self.title = text("app.title", config.language)
        self._drawn = 0

    @property
    def hall(self) -> HallInfo | None:
        return self.core.hall

    @property
    def client(self) -> HallClient:
        return self.core.client

    @property
    def printer(self) -> TicketPrinter:
        return self.core.printer

    def get_default_screen(self) -> FlowScreen:
        return FlowScreen(self.visit.view())

    def on_mount(self) -> None:
        self.apply_text_size()
        self.core.start()

    async def on_unmount(self) -> None:
        await self.core.close()

    def touch(self, choice: str, seen: int | None = None) -> None:
        self.visit.touch(choice, seen)
        self.core.after(self.visit)

    def type(self, field: str, value: str, enter: bool = False) -> None:
        self.visit.type(field, value, enter)
        self.core.after(self.visit)

    def focus_field(self, field: str) -> None:
        """The applicant touched ``field``: the on-screen keys type there now. Its value is the
        flow's (keys typed just before may not be drawn yet)."""
        values = self.visit.screen.values
        if field in values:
            self.type(field, values[field])

    async def redraw(self) -> None:
        view = self.visit.view()
        if view.version <= self._drawn or not isinstance(self.screen, FlowScreen):
            return
        self._drawn = view.version
        self.apply_text_size()
        await self.screen.show(view)

    def apply_text_size(self) -> None:
        """Large text: bold letters, light on dark for the highest contrast, and taller targets (a
        terminal cannot grow its font; the web kiosk does)."""
        self.theme = "textual-dark" if self.visit.large else "textual-light"
        self.set_class(self.visit.large, "-large")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args: argparse.Namespace = parser().parse_args(argv)
    try:
        config = load_config(args)
    except ConfigError as exc:
        print(f"hall kiosk: {exc}", file=sys.stderr)
        return 2
    guide = Guide(config.voice_dir)
    if args.web:
        from kiosk.web.server import serve_web

        return serve_web(KioskCore(config, guide=guide), config.web_host, config.web_port)
    KioskApp(config, guide=guide).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
