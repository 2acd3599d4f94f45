"""The staff card reader (考勤刷卡器) for sign-in and attendance.

On the window's RS-485 bus the reader speaks FF 68 frames (``devices.CardSwipe``, function 0x30)
at the window's address. A stand-alone reader on its own USB-serial port (the common EM4100 /
Mifare desk readers) sends the card number as one line instead; some wrap it in STX (02) and
ETX (03). This module parses that line form.
"""

from __future__ import annotations

from hardware.serial_bus.devices import CARD_ID_MAX, CardSwipe
from hardware.serial_bus.lines import LineSplitter

STX, ETX = b"\x02", b"\x03"


def decode_card_line(line: bytes, addr: int | None = None) -> CardSwipe | None:
    card = line.strip().strip(STX + ETX).strip()
    if not 1 <= len(card) <= CARD_ID_MAX or not card.isalnum():
        return None
    return CardSwipe(addr, card.decode("ascii"))


class CardLineParser:
    """Bytes from a stand-alone reader in, swipes out; ``addr`` is the window it sits at, if any."""

    def __init__(self, addr: int | None = None) -> None:
        self._addr = addr
        self._lines = LineSplitter(max_length=128)

    def feed(self, data: bytes) -> list[CardSwipe]:
        return [swipe for line in self._lines.feed(data) if (swipe := decode_card_line(line, self._addr))]


def card_line(card_id: str) -> bytes:
    """What a stand-alone reader sends for ``card_id`` (used by the simulator)."""
    if decode_card_line(card_id.encode("ascii", "replace")) is None:
        raise ValueError(f"a card id is 1..{CARD_ID_MAX} ASCII letters and digits")
    return card_id.encode("ascii") + b"\r\n"
