"""Printer health from the real-time status bytes a printer answers to ``DLE EOT n``.

Epson's ESC/POS defines four one-byte answers (bits 1 and 4 are always 1, bits 0 and 7 always
0, so a status byte always matches ``0b0xx1xx10``):

* ``n=1`` printer status: bit 3 offline, bit 5 waiting for online recovery.
* ``n=2`` offline cause: bit 2 cover open, bit 3 paper fed by the FEED button, bit 5 printing
  stopped because the paper ran out, bit 6 an error occurred.
* ``n=3`` error cause: bit 2 recoverable (mechanical) error, bit 3 autocutter error,
  bit 5 unrecoverable error, bit 6 automatically recoverable error (e.g. head too hot).
* ``n=4`` roll paper sensor: bits 2+3 paper near its end, bits 5+6 paper end.

The same tables serve the kiosk (decoding) and the simulator (encoding), so what the simulator
answers is exactly what the decoder expects from a real printer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DLE_EOT = b"\x10\x04"
PRINTER_STATUS, OFFLINE_CAUSE, ERROR_CAUSE, PAPER_SENSOR = 1, 2, 3, 4

FIXED_BITS = 0x12  # bits 1 and 4 set
FIXED_MASK = 0x93  # bits 0, 1, 4, 7

OFFLINE_BIT = 0x08  # n=1
COVER_OPEN_BIT = 0x04  # n=2
FEED_BUTTON_BIT = 0x08  # n=2
PAPER_END_STOP_BIT = 0x20  # n=2
ERROR_BIT = 0x40  # n=2
RECOVERABLE_ERROR_BIT = 0x04  # n=3
AUTOCUTTER_ERROR_BIT = 0x08  # n=3
UNRECOVERABLE_ERROR_BIT = 0x20  # n=3
AUTO_RECOVERABLE_ERROR_BIT = 0x40  # n=3
ERROR_CAUSE_BITS = RECOVERABLE_ERROR_BIT | AUTOCUTTER_ERROR_BIT | UNRECOVERABLE_ERROR_BIT | AUTO_RECOVERABLE_ERROR_BIT
PAPER_NEAR_END_BITS = 0x0C  # n=4
PAPER_END_BITS = 0x60  # n=4


class PrinterHealth(StrEnum):
    """What the kiosk and the server need to know about a ticket printer."""

    OK = "ok"
    OFFLINE = "offline"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    UNPLUGGED = "unplugged"
    ERROR = "error"


def status_query(n: int) -> bytes:
    """The bytes of ``DLE EOT n``."""
    return DLE_EOT + bytes((n,))


def is_status_byte(value: int) -> bool:
    """True when the fixed bits are right, so stray bytes on the line are not taken for status."""
    return value & FIXED_MASK == FIXED_BITS


@dataclass(frozen=True)
class StatusReport:
    """The four answers, each None when the printer did not answer that query."""

    printer: int | None
    offline_cause: int | None = None
    error_cause: int | None = None
    paper: int | None = None

    @property
    def paper_near_end(self) -> bool:
        return self.paper is not None and self.paper & PAPER_NEAR_END_BITS == PAPER_NEAR_END_BITS

    def health(self) -> PrinterHealth:
        """Decide one health state; the order is the order in which a person fixes things
        (close the cover before checking the paper)."""
        if self.printer is None:
            return PrinterHealth.OFFLINE  # connected but silent: busy, hung or switched off-line
        cause = self.offline_cause or 0
        paper = self.paper or 0
        if cause & COVER_OPEN_BIT:
            return PrinterHealth.COVER_OPEN
        if cause & PAPER_END_STOP_BIT or paper & PAPER_END_BITS:
            return PrinterHealth.PAPER_OUT
        if cause & ERROR_BIT or (self.error_cause or 0) & ERROR_CAUSE_BITS:
            return PrinterHealth.ERROR
        if self.printer & OFFLINE_BIT:
            return PrinterHealth.OFFLINE
        return PrinterHealth.OK


def status_bytes(health: PrinterHealth, paper_near_end: bool = False) -> dict[int, int]:
    """The answer a printer in ``health`` gives to ``DLE EOT 1..4`` (used by the simulator)."""
    printer = offline = error = paper = FIXED_BITS
    if health is not PrinterHealth.OK:
        printer |= OFFLINE_BIT
    if health is PrinterHealth.COVER_OPEN:
        offline |= COVER_OPEN_BIT
    elif health is PrinterHealth.PAPER_OUT:
        offline |= PAPER_END_STOP_BIT
        paper |= PAPER_END_BITS | PAPER_NEAR_END_BITS
    elif health is PrinterHealth.ERROR:
        offline |= ERROR_BIT
        error |= AUTOCUTTER_ERROR_BIT
    if paper_near_end:
        paper |= PAPER_NEAR_END_BITS
    return {PRINTER_STATUS: printer, OFFLINE_CAUSE: offline, ERROR_CAUSE: error, PAPER_SENSOR: paper}
