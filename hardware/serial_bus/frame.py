"""The FF 68 frame of the hall's RS-485 bus, modelled on Chinese hall hardware.

    FF 68 LEN LEN 68 ADDR FUNC DATA... CHK 16

LEN counts ADDR, FUNC and DATA and is sent twice; CHK is the sum of ADDR, FUNC and DATA modulo
256. The parser is a pure function of the bytes it is fed: it keeps a small buffer, skips garbage,
rejects frames whose checksum or end byte is wrong and resumes scanning one byte after a rejected
start, so noise on the line never costs a valid frame that follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

PREAMBLE = 0xFF
START = 0x68
END = 0x16
HEADER_SIZE = 5  # FF 68 LEN LEN 68
MIN_LEN = 2  # ADDR + FUNC
MAX_DATA = 255 - MIN_LEN
FIRST_ADDR, LAST_ADDR = 1, 254  # 0 and 255 are reserved, never on the wire


@dataclass(frozen=True, slots=True)
class Frame:
    """One checked frame: who (the window's address), what (the function code) and its data."""

    addr: int
    func: int
    data: bytes = b""


def checksum(body: bytes | bytearray) -> int:
    return sum(body) & 0xFF


def encode_frame(addr: int, func: int, data: bytes = b"") -> bytes:
    """The bytes of one frame; refuses what a device could not parse rather than sending it."""
    if not FIRST_ADDR <= addr <= LAST_ADDR:
        raise ValueError(f"address {addr} outside {FIRST_ADDR}..{LAST_ADDR}")
    if not 0 <= func <= 0xFF:
        raise ValueError(f"function code {func} is not one byte")
    if len(data) > MAX_DATA:
        raise ValueError(f"{len(data)} data bytes; a frame carries at most {MAX_DATA}")
    body = bytes([addr, func]) + bytes(data)
    size = len(body)
    return bytes([PREAMBLE, START, size, size, START]) + body + bytes([checksum(body), END])


NEED_MORE = -1
NO_FRAME = 0


def match_frame(buf: bytes | bytearray, i: int) -> int:
    """At ``buf[i]``: the length of the valid frame starting there, ``NO_FRAME`` if none can start
    there, or ``NEED_MORE`` if the bytes so far are a valid beginning.

    Shared with the LED parser, which must step over FF 68 frames on a shared line.
    """
    avail = len(buf) - i
    expected_head = (PREAMBLE, START)
    for k, byte in enumerate(expected_head):
        if avail <= k:
            return NEED_MORE
        if buf[i + k] != byte:
            return NO_FRAME
    if avail < 3:
        return NEED_MORE
    size = buf[i + 2]
    if size < MIN_LEN:
        return NO_FRAME
    if avail < 4:
        return NEED_MORE
    if buf[i + 3] != size:
        return NO_FRAME
    if avail < 5:
        return NEED_MORE
    if buf[i + 4] != START:
        return NO_FRAME
    if avail < 6:
        return NEED_MORE
    if not FIRST_ADDR <= buf[i + 5] <= LAST_ADDR:
        return NO_FRAME
    total = HEADER_SIZE + size + 2
    if avail < total:
        return NEED_MORE
    body_end = i + HEADER_SIZE + size
    if buf[body_end] != checksum(buf[i + HEADER_SIZE : body_end]) or buf[body_end + 1] != END:
        return NO_FRAME
    return total


class FrameParser:
    """Bytes in, checked frames out, whatever the reads' boundaries (split or merged)."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        self._buf += data
        return self._scan(final=False)

    def line_idle(self) -> list[Frame]:
        """The line fell silent: what is still held is no frame's beginning, since a device sends a
        frame without pauses. Rescan it as garbage (a false start may hide real frames behind it)
        and empty the buffer."""
        frames = self._scan(final=True)
        self._buf.clear()
        return frames

    @property
    def pending(self) -> int:
        """Bytes held while waiting to know whether they start a frame."""
        return len(self._buf)

    def _scan(self, *, final: bool) -> list[Frame]:
        buf = self._buf
        frames: list[Frame] = []
        i = 0
        while True:
            j = buf.find(PREAMBLE, i)
            if j < 0:
                i = len(buf)
                break
            size = match_frame(buf, j)
            if size == NEED_MORE and not final:
                i = j
                break
            if size > 0:
                frames.append(Frame(buf[j + 5], buf[j + 6], bytes(buf[j + 7 : j + size - 2])))
                i = j + size
            else:
                i = j + 1
        del buf[:i]
        return frames
