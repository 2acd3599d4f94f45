"""The LED window screen (窗口屏): ``01 ADDR [settings] text 07``, text in GB18030.

Settings ride in front of the text as ESC sequences of ASCII digits, so no setting byte can be
mistaken for a frame's start or end. The scroll setting is always sent and always first:

    1B 53 d       scroll: d = '0' static, '1'..'9' scroll left at that speed (slow..fast)
    1B 42 d d     brightness: '01'..'16'

Why resynchronising is safe: GB18030 multi-byte sequences use lead bytes 81..FE and trail bytes
30..39 / 40..FE, so 01 (start), 07 (end) and 1B never occur inside a character, and FF never occurs
at all; the text itself may hold no control characters. A start byte inside a frame therefore
begins a new frame; a frame not beginning ``01 ADDR 1B 53`` is noise (so a stray ``01`` just
before a real frame, taking the real ``01`` for its address, is no frame of its own); and an FF
begins an FF 68 bus frame (which this parser steps over, because keypads and LED screens share
one line). The frame has no checksum (the vendor format has none), so the host refreshes every
screen periodically; a frame whose text is not clean GB18030 is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from hardware.serial_bus.frame import FIRST_ADDR, LAST_ADDR, NEED_MORE, PREAMBLE, match_frame

SOH = 0x01
BEL = 0x07
ESC = 0x1B
SCROLL = ord("S")
BRIGHTNESS = ord("B")
MAX_TEXT = 240  # bytes of GB18030 text after the settings
MAX_BRIGHTNESS = 16
DEFAULT_SCROLL_SPEED = 5


@dataclass(frozen=True, slots=True)
class LedLine:
    """What one window screen is told to show. ``brightness`` None leaves the screen's setting."""

    addr: int
    text: str
    scroll_speed: int = 0
    brightness: int | None = None

    @property
    def scroll(self) -> bool:
        return self.scroll_speed > 0


def is_clean_text(text: str) -> bool:
    """No control characters: devices would take them for framing or settings."""
    return all(" " <= ch != "\x7f" for ch in text)


def _is_text_byte(b: int) -> bool:
    return 0x20 <= b != 0x7F and b != PREAMBLE


def encode_led(
    addr: int,
    text: str,
    *,
    scroll: bool = False,
    brightness: int | None = None,
    scroll_speed: int = DEFAULT_SCROLL_SPEED,
) -> bytes:
    """The bytes that make the screen at ``addr`` show ``text``; an empty text blanks it."""
    if not FIRST_ADDR <= addr <= LAST_ADDR:
        raise ValueError(f"address {addr} outside {FIRST_ADDR}..{LAST_ADDR}")
    if not is_clean_text(text):
        raise ValueError("LED text may not contain control characters")
    if not 1 <= scroll_speed <= 9:
        raise ValueError("scroll speed is 1 (slow) .. 9 (fast)")
    encoded = text.encode("gb18030")
    if len(encoded) > MAX_TEXT:
        raise ValueError(f"LED text is {len(encoded)} bytes in GB18030; at most {MAX_TEXT}")
    settings = bytes([ESC, SCROLL, ord(str(scroll_speed if scroll else 0))])
    if brightness is not None:
        if not 1 <= brightness <= MAX_BRIGHTNESS:
            raise ValueError(f"brightness is 1..{MAX_BRIGHTNESS}")
        settings += bytes([ESC, BRIGHTNESS]) + f"{brightness:02d}".encode("ascii")
    return bytes([SOH, addr]) + settings + encoded + bytes([BEL])


def _decode_body(addr: int, body: bytes) -> LedLine | None:
    """Settings then text, or None when the body is not what an encoder makes.

    The scroll setting must come first (the host always sends it): then a stray ``01`` in front of
    a real line can never pass for a line of its own, since the byte after its supposed address is
    the real line's address or ``1B``, never the ``1B 53`` a line begins with.
    """
    scroll_speed, brightness = 0, None
    if body[:2] != bytes([ESC, SCROLL]):
        return None
    i = 0
    while i < len(body) and body[i] == ESC:
        if body[i + 1 : i + 2] == bytes([SCROLL]) and body[i + 2 : i + 3].isdigit():
            scroll_speed = body[i + 2] - ord("0")
            i += 3
        elif (
            body[i + 1 : i + 2] == bytes([BRIGHTNESS])
            and body[i + 2 : i + 4].isdigit()
            and len(body) >= i + 4
        ):
            brightness = int(body[i + 2 : i + 4])
            if not 1 <= brightness <= MAX_BRIGHTNESS:
                return None
            i += 4
        else:
            return None
    text_bytes = body[i:]
    if len(text_bytes) > MAX_TEXT or not all(_is_text_byte(b) for b in text_bytes):
        return None
    try:
        text = text_bytes.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return LedLine(addr, text, scroll_speed, brightness)


class LedParser:
    """Bytes in, LED lines out; steps over FF 68 frames and drops unclean ones."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[LedLine]:
        self._buf += data
        return self._scan(final=False)

    def line_idle(self) -> list[LedLine]:
        """The line fell silent: whatever is held was cut off, drop it (after rescanning)."""
        lines = self._scan(final=True)
        self._buf.clear()
        return lines

    @property
    def pending(self) -> int:
        return len(self._buf)

    def _scan(self, *, final: bool) -> list[LedLine]:
        buf = self._buf
        lines: list[LedLine] = []
        i = 0
        while i < len(buf):
            b = buf[i]
            if b == PREAMBLE:
                size = match_frame(buf, i)
                if size == NEED_MORE and not final:
                    break
                i += size if size > 0 else 1
                continue
            if b != SOH:
                i += 1
                continue
            end = self._frame_end(buf, i)
            if end == NEED_MORE:
                if final:
                    i += 1
                    continue
                break
            line = _decode_body(buf[i + 1], bytes(buf[i + 2 : end])) if end else None
            if line is None:
                i += 1  # a false start: rescan from the next byte (it may be the real start)
            else:
                lines.append(line)
                i = end + 1
        del buf[:i]
        return lines

    @staticmethod
    def _frame_end(buf: bytearray, start: int) -> int:
        """Index of the 07 that ends the frame starting at ``start``, 0 if none can, or NEED_MORE."""
        if start + 1 >= len(buf):
            return NEED_MORE
        if not FIRST_ADDR <= buf[start + 1] <= LAST_ADDR:
            return 0
        limit = start + 2 + 3 + 4 + MAX_TEXT  # settings and text
        for k in range(start + 2, min(len(buf), limit + 1)):
            c = buf[k]
            if c == BEL:
                return k
            if c in (SOH, PREAMBLE) or (c < 0x20 and c != ESC) or c == 0x7F:
                return 0
        return NEED_MORE if len(buf) <= limit else 0
