"""One applicant's visit to the kiosk: the screens they opened, and what each touch does.

A ``Visit`` is plain, synchronous state: ``touch``, ``type`` and ``scanned`` change it and may
queue effects (``kiosk/flow/effects.py``); the kiosk's core runs those and hands the answers back
(``arrived``, ``refused``, ``retrying``). ``view()`` draws the screen on top as a ``ScreenView``
for either face. Language, 大字 and 语音引导 belong to the visit, so they hold on every screen
until the applicant is done or the kiosk is left alone (``idle_reset``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import ClassVar

from hall_server.client import ApiError
from kiosk.flow.effects import Effect, Speak
from kiosk.flow.hall import HallInfo
from kiosk.flow.view import Choice, Field, Group, Lines, Part, ScreenView, Text
from kiosk.messages import MESSAGES, text

# What a screen shows when something fails that is nobody's fault the applicant could fix.
UNEXPECTED = ApiError(0, "unexpected", MESSAGES["error.unexpected"]["zh"], MESSAGES["error.unexpected"]["en"])

LETTERS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
LETTERS_AND_DIGITS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")


class Screen:
    """One screen of the flow. Subclasses say what it shows (``parts``) and what a touch does."""

    kind: ClassVar[str] = ""
    TITLE_KEY: ClassVar[str] = "app.title"
    SHOW_BACK: ClassVar[bool] = True
    SHOW_HOME: ClassVar[bool] = True
    FIELDS: ClassVar[tuple[str, ...]] = ()  # the fields the on-screen keys type into, first by default

    def __init__(self) -> None:
        self.sid = 0  # given by the visit when the screen opens
        self.values: dict[str, str] = dict.fromkeys(self.FIELDS, "")
        self.active_field: str | None = self.FIELDS[0] if self.FIELDS else None

    # -- what it shows -------------------------------------------------------------------------
    def title(self, v: Visit) -> str:
        return v.t(self.TITLE_KEY)

    def parts(self, v: Visit) -> list[Part]:
        return []

    def speech(self, v: Visit, parts: Sequence[Part]) -> str:
        """The title, the texts that matter and the choices, in reading order."""
        said = [self.title(v)]
        for part in parts:
            if isinstance(part, Text) and part.role in ("title", "heading", "body", "problem", "printed") and part.text:
                said.append(part.text)
            elif isinstance(part, Lines):
                said.extend(line for line in (part.heading, *part.lines) if line)
            elif isinstance(part, Group) and part.id != "keypad" and len(part.choices) <= 12:
                if part.heading:
                    said.append(part.heading)
                said.extend(c.label + (f",{c.hint}" if c.hint else "") for c in part.choices)
        return "。".join(s.replace("\n", ",").strip() for s in said if s.strip())

    # -- what touches do -----------------------------------------------------------------------
    def opened(self, v: Visit) -> None:
        """The screen has just opened: ask for what it needs."""

    def tick(self, v: Visit) -> bool:
        """Every few seconds while on top (a status is asked for again); True: draw it again."""
        return False

    def touch(self, v: Visit, choice: str) -> None:
        """A choice of this screen was touched (the top bar's are the visit's)."""

    def typed(self, v: Visit, field: str, value: str, enter: bool) -> None:
        """Text typed into ``field`` (its whole value); ``enter``: the applicant (or a scanner) pressed Enter."""
        if field in self.values:
            self.active_field = field  # the on-screen keys type here now
            if value != self.values[field]:
                self.values[field] = value
                self.edited(v, field)
            if enter:
                self.submit(v, field)

    def edited(self, v: Visit, field: str) -> None:
        """A field's value changed."""

    def submit(self, v: Visit, field: str) -> None:
        """Enter in ``field``."""

    def scanned(self, v: Visit, code: str) -> bool:
        """A serial scanner read ``code``; True if this screen took it."""
        return False

    def back(self, v: Visit) -> None:
        v.pop()

    # -- answers from the server ----------------------------------------------------------------
    def arrived(self, v: Visit, effect: Effect, result: object) -> None:
        """What ``effect`` asked for arrived."""

    def refused(self, v: Visit, effect: Effect, err: ApiError) -> None:
        """The server said no (or something failed that no retry mends)."""

    def retrying(self, v: Visit, effect: Effect) -> None:
        """The server cannot be reached; the core tries again with the same request."""

    def hall_changed(self, v: Visit) -> None:
        """The hall's catalog arrived or changed."""

    # -- the on-screen keys --------------------------------------------------------------------
    def keypad(self, v: Visit, rows: Sequence[str] = LETTERS_AND_DIGITS) -> Group:
        keys = [Choice(f"key-{ch}", ch, role="key") for row in rows for ch in row]
        keys += [Choice("key-delete", v.t("keypad.delete"), role="key"),
                 Choice("key-clear", v.t("keypad.clear"), role="key")]
        sizes = tuple(len(row) for row in rows[:-1]) + (len(rows[-1]) + 2,)
        return Group("keypad", tuple(keys), rows=sizes)

    def key(self, v: Visit, choice: str, lower: bool = False) -> bool:
        """Type the key ``choice`` into the active field; False if ``choice`` is not a key."""
        if not choice.startswith("key-") or self.active_field is None:
            return False
        name, field = choice.removeprefix("key-"), self.active_field
        value = self.values.get(field, "")
        if name == "delete":
            value = value[:-1]
        elif name == "clear":
            value = ""
        elif len(name) == 1:
            value += name.lower() if lower else name
        else:
            return False
        self.values[field] = value
        self.edited(v, field)
        return True

    def field(self, v: Visit, field_id: str, placeholder_key: str, *, focus: bool = False,
              max_length: int = 64) -> Field:
        return Field(field_id, self.values.get(field_id, ""), v.t(placeholder_key), focus=focus,
                     max_length=max_length)


class Visit:
    def __init__(self, *, lang: str = "zh", large: bool = False, hall: HallInfo | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        from kiosk.flow.home import HomeScreen

        self.default_lang, self.default_large = lang, large
        self.lang, self.large, self.voice = lang, large, False
        self.hall = hall
        self.online: bool | None = None
        self.clock, self.now = clock, now
        self.last_touch = clock()
        self.version = 1
        self.effects: list[Effect] = []
        self._sids = 0
        self.stack: list[Screen] = []
        self._open(HomeScreen())
        self.shown_since = self.version  # the version at which the screen on top appeared
        self._shown_sid = self.screen.sid
        self._spoken: tuple[int, str] | None = None  # (screen, language) last spoken

    def t(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    @property
    def screen(self) -> Screen:
        return self.stack[-1]

    # -- moving between screens (called by screens) ---------------------------------------------
    def _open(self, screen: Screen) -> Screen:
        self._sids += 1
        screen.sid = self._sids
        self.stack.append(screen)
        screen.opened(self)
        return screen

    def push(self, screen: Screen) -> None:
        self._open(screen)

    def replace(self, screen: Screen) -> None:
        """``screen`` takes the place of the one on top (issuing → the ticket; finding → the status)."""
        self.stack.pop()
        self._open(screen)

    def pop(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

    def home(self, *, end_visit: bool = False) -> None:
        """Back to the home screen; ``end_visit`` also forgets language, 大字 and 语音 (the next
        applicant starts afresh)."""
        del self.stack[1:]
        if end_visit:
            self.lang, self.large, self.voice = self.default_lang, self.default_large, False

    def request(self, effect: Effect) -> None:
        self.effects.append(effect)

    def take_effects(self) -> list[Effect]:
        effects, self.effects = self.effects, []
        return effects

    def open_screen(self, sid: int) -> Screen | None:
        return next((s for s in self.stack if s.sid == sid), None)

    # -- what the applicant does -----------------------------------------------------------------
    def touch(self, choice: str, seen: int | None = None) -> None:
        """A touch on ``choice``. ``seen`` is the version the touching page showed: a touch aimed at
        a screen that is no longer there (a double tap, a page that had not caught up) is dropped."""
        self.touched()
        if seen is not None and seen < self.shown_since:
            return
        top = self.screen
        if choice == "top-home" and top.SHOW_HOME:
            self.home()
        elif choice == "top-back" and top.SHOW_BACK:
            top.back(self)
        elif choice == "top-lang":
            self.lang = "en" if self.lang == "zh" else "zh"
        elif choice == "top-large":
            self.large = not self.large
        elif choice == "top-voice":
            self.voice = True
            self._spoken = None  # say this screen again, now
        else:
            top.touch(self, choice)
        self.changed()

    def type(self, field: str, value: str, enter: bool = False) -> None:
        self.touched()
        self.screen.typed(self, field, value, enter)
        self.changed()

    def scanned(self, code: str) -> None:
        """A serial scanner's code: the screen asking for one takes it; elsewhere a ticket's or a
        notice's QR opens its status."""
        from kiosk.flow.find import FindScreen
        from kiosk.scan import status_token

        self.touched()
        if not self.screen.scanned(self, code) and status_token(code) is not None and self.hall is not None:
            self.push(FindScreen("status"))
            self.screen.scanned(self, code)
        self.changed()

    # -- what the core reports -----------------------------------------------------------------
    def arrived(self, effect: Effect, result: object) -> None:
        if (screen := self.open_screen(effect.sid)) is not None:
            screen.arrived(self, effect, result)
            self.changed()

    def refused(self, effect: Effect, err: ApiError) -> None:
        if (screen := self.open_screen(effect.sid)) is not None:
            screen.refused(self, effect, err)
            self.changed()

    def retrying(self, effect: Effect) -> None:
        if (screen := self.open_screen(effect.sid)) is not None:
            screen.retrying(self, effect)
            self.changed()

    def set_hall(self, hall: HallInfo) -> None:
        self.hall = hall
        for screen in self.stack:
            screen.hall_changed(self)
        self.changed()

    def set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.changed()

    def touched(self) -> None:
        """The applicant did something (a touch, a key, a scan): the idle reset waits again."""
        self.last_touch = self.clock()

    def idle_for(self) -> float:
        return self.clock() - self.last_touch

    def idle_reset(self) -> bool:
        """The kiosk was left alone: home, in the kiosk's language and text size, silent. True if
        anything changed."""
        if len(self.stack) == 1 and (self.lang, self.large, self.voice) == (self.default_lang, self.default_large,
                                                                            False):
            return False
        self.home(end_visit=True)
        self.changed()
        return True

    def tick(self) -> None:
        """Every few seconds: the home screen's clock moves, a status is asked for again."""
        if self.screen.tick(self):  # else nothing to draw again (what it asked for runs all the same)
            self.changed()

    def changed(self) -> None:
        """Something may have changed: a new version for the faces, and the new screen spoken."""
        top = self.screen
        if top.sid != self._shown_sid:
            self._shown_sid, self.shown_since = top.sid, self.version + 1
        self.version += 1
        if self.voice and self._spoken != (top.sid, self.lang):
            self._spoken = (top.sid, self.lang)
            self.request(Speak(top.sid, self.view().speech, self.lang))

    # -- drawing ---------------------------------------------------------------------------------
    def top_bar(self) -> tuple[Choice, ...]:
        top = self.screen
        bar = []
        if top.SHOW_BACK:
            bar.append(Choice("top-back", self.t("top.back"), role="nav"))
        if top.SHOW_HOME:
            bar.append(Choice("top-home", self.t("top.home"), role="nav"))
        bar += [Choice("top-large", self.t("top.large"), role="switch", selected=self.large),
                Choice("top-voice", self.t("top.voice"), role="switch", selected=self.voice),
                Choice("top-lang", self.t("top.language"), role="switch")]
        return tuple(bar)

    def notice(self) -> str:
        if self.online is True:
            return ""
        return self.t("net.connecting" if self.online is None else "net.retrying")

    def view(self) -> ScreenView:
        top = self.screen
        parts = tuple(top.parts(self))
        return ScreenView(kind=top.kind, title=top.title(self), lang=self.lang, large=self.large, voice=self.voice,
                          top=self.top_bar(), parts=parts, notice=self.notice(), speech=top.speech(self, parts),
                          version=self.version, screen=top.sid)
