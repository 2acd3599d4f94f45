"""The kiosk's QR / barcode scanner in serial mode: one code per line (CR, LF or CR LF).

A scanner in USB keyboard mode needs none of this: it types the code followed by Enter into
the kiosk's focused input, which the kiosk already handles as typed text.
"""

from __future__ import annotations

from dataclasses import dataclass

from hardware.serial_bus.led import is_clean_text
from hardware.serial_bus.lines import LineSplitter


@dataclass(frozen=True, slots=True)
class Scan:
    code: str


def decode_scan(line: bytes) -> Scan | None:
    """UTF-8 as most scanners send it, else GB18030 (scanners set to the Chinese code page)."""
    for encoding in ("utf-8", "gb18030"):
        try:
            code = line.decode(encoding).strip()
        except UnicodeDecodeError:
            continue
        return Scan(code) if code and is_clean_text(code) else None
    return None


class ScanParser:
    def __init__(self) -> None:
        self._lines = LineSplitter()

    def feed(self, data: bytes) -> list[Scan]:
        return [scan for line in self._lines.feed(data) if (scan := decode_scan(line)) is not None]


def scan_line(code: str) -> bytes:
    """What a scanner sends for ``code`` (used by the simulator)."""
    if not code or not is_clean_text(code):
        raise ValueError("a scanned code is non-empty text without control characters")
    return code.encode("utf-8") + b"\r\n"
