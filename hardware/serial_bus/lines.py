"""Line framing shared by the QR scanner and the stand-alone card reader: CR, LF or CR LF ends a line.

A CR LF split across two reads must not give an empty second line, so empty lines are skipped;
a line that never ends (noise, a wrong baud rate) is dropped at ``max_length`` instead of growing.
"""

from __future__ import annotations

CR, LF = 0x0D, 0x0A


class LineSplitter:
    def __init__(self, max_length: int = 4096) -> None:
        self._buf = bytearray()
        self._max = max_length
        self._overflow = False  # dropping the rest of an overlong line

    def feed(self, data: bytes) -> list[bytes]:
        lines: list[bytes] = []
        for b in data:
            if b in (CR, LF):
                if self._buf and not self._overflow:
                    lines.append(bytes(self._buf))
                self._buf.clear()
                self._overflow = False
            elif len(self._buf) >= self._max:
                self._buf.clear()
                self._overflow = True
            elif not self._overflow:
                self._buf.append(b)
        return lines
