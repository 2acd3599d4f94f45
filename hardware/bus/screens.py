"""What a window's LED screen, keypad display and rating pad show, drawn from the window's state.

Pure functions of :class:`~hardware.bus.state.WindowState`, so a repaint draws exactly what the
last change drew: an LED frame has no checksum, and a screen that missed or garbled one is put
right by the next repaint without anyone having to remember what it should show.
"""

from __future__ import annotations

from hardware.bus.messages import message as bus_message
from hardware.bus.state import WindowState
from hardware.serial_bus.devices import GB18030_TEXT_MAX, KEYPAD_DISPLAY_WIDTH, DisplayMode
from hardware.serial_bus.led import MAX_TEXT, encode_led, is_clean_text
from hardware.serial_bus.messages import message as device_message

LED_STATIC_CHARS = 8  # a window strip shows about eight characters; longer lines scroll

KeypadScreen = tuple[str, DisplayMode]


def _fits(text: str, limit: int) -> bool:
    return is_clean_text(text) and len(text.encode("gb18030")) <= limit


def led_text(w: WindowState, lang: str = "zh") -> str:
    """The line for the window's screen: its call, its service in progress, a pause, or a welcome."""
    if w.state != "open":
        reason = " ".join(w.pause_reason.split())
        if w.state == "paused" and reason and reason != bus_message("pause_reason", lang):
            text = bus_message("led_paused_reason", lang, window=w.number, reason=reason)
            if _fits(text, MAX_TEXT):
                return text
        return device_message("led_paused", lang, window=w.number)
    if w.current is None:
        return device_message("led_idle", lang, window=w.number)
    key = "led_call" if w.current.status == "called" else "led_serving"
    return device_message(key, lang, number=w.current.number, window=w.number)


def led_frame(number: int, text: str) -> bytes:
    """The screen's frame; a line longer than the strip scrolls."""
    return encode_led(number, text, scroll=len(text) > LED_STATIC_CHARS)


def keypad_screen(w: WindowState, waiting: int) -> KeypadScreen:
    """The ticket at the window, else how many wait for it; dashes while paused or closed."""
    if w.state != "open":
        return bus_message("keypad_closed"), DisplayMode.TEXT
    if w.current is not None:
        return w.current.number[:KEYPAD_DISPLAY_WIDTH], DisplayMode.NUMBER
    return str(min(waiting, 10**KEYPAD_DISPLAY_WIDTH - 1)), DisplayMode.WAITING


def keypad_notice(key: str, **values: object) -> KeypadScreen:
    """A short form from the catalog, cut to the display and to what it can show."""
    text = bus_message(key, **values).encode("ascii", "replace").decode("ascii")
    return text[:KEYPAD_DISPLAY_WIDTH], DisplayMode.TEXT


def pad_prompt_text(w: WindowState, lang: str = "zh") -> str:
    """The rating pad's line under 请您对本次服务进行评价: the window, and who served when known."""
    if w.staff_name:
        text = bus_message("pad_prompt_staff", lang, window=w.number, staff=w.staff_name)
        if _fits(text, GB18030_TEXT_MAX):
            return text
    return bus_message("pad_prompt", lang, window=w.number)
