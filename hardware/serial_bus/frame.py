"""The FF 68 frame of the hall's RS-485 bus, modelled on Chinese hall hardware.

    FF 68 LEN LEN 68 ADDR FUNC DATA... CHK 16

LEN counts ADDR, FUNC and DATA and is sent twice; CHK is the sum of ADDR, FUNC and DATA modulo
256. Two byte rules keep the start sequence ``FF 68`` out of every frame but at its beginning,
so that a receiver can always tell where a frame begins (docs/DEVICES.md §2):

- LEN is at most 254 (``FE``), never ``FF``;
- every ``FF`` byte in FUNC or DATA is followed on the wire by a stuffed ``00`` that the receiver
  removes; LEN and CHK count the bytes before stuffing. (ADDR is never ``FF``, and a CHK of
  ``FF`` is followed by the end byte ``16``, so neither needs it.)

The parser is a pure function of the bytes it is fed: it keeps a small buffer, skips garbage and
rejects whatever cannot be a frame (LEN copies disagreeing, a bad second ``68`` or address, an
``FF`` inside the frame not followed by ``00``, a bad checksum or end byte), then resumes one
byte after the rejected start. Since a real frame's ``FF 68`` can never lie inside a valid frame,
a false start in the noise can never swallow a real frame that follows it, nor pass for a frame.
"""

from __future__ import annotations

from dataclasses import dataclass

PREAMBLE = 0xFF
START = 0x68
END = 0x16
STUFF = 0x00  # follows every FF of FUNC and DATA on the wire
HEADER_SIZE = 5  # FF 68 LEN LEN 68
MIN_LEN = 2  # ADDR + FUNC
MAX_LEN = 0xFE  # a LEN of FF would put FF 68 inside the header
MAX_DATA = MAX_LEN - MIN_LEN
FIRST_ADDR, LAST_ADDR = 1, 254  # 0 and 255 are reserved, never on the wire

_FF = bytes([PREAMBLE])
_FF_STUFFED = bytes([PREAMBLE, STUFF])


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
    wire = body.replace(_FF, _FF_STUFFED)
    return bytes([PREAMBLE, START, size, size, START]) + wire + bytes([checksum(body), END])


NEED_MORE = -1
NO_FRAME = 0


def match_frame(buf: bytes | bytearray, i: int) -> int:
    """At ``buf[i]``: the length on the wire of the valid frame starting there, ``NO_FRAME`` if
    none can start there, or ``NEED_MORE`` if the bytes so far are a valid beginning.

    Shared with the LED parser, which must step over FF 68 frames on a shared line.
    """
    n = len(buf)
    for k, byte in enumerate((PREAMBLE, START)):
        if i + k >= n:
            return NEED_MORE
        if buf[i + k] != byte:
            return NO_FRAME
    if i + 2 >= n:
        return NEED_MORE
    size = buf[i + 2]
    if not MIN_LEN <= size <= MAX_LEN:
        return NO_FRAME
    if i + 3 >= n:
        return NEED_MORE
    if buf[i + 3] != size:
        return NO_FRAME
    if i + 4 >= n:
        return NEED_MORE
    if buf[i + 4] != START:
        return NO_FRAME
    if i + 5 >= n:
        return NEED_MORE
    if not FIRST_ADDR <= buf[i + 5] <= LAST_ADDR:
        return NO_FRAME
    pos, total = i + 5, 0
    for _ in range(size):  # ADDR FUNC DATA, each FF followed by its stuffed 00
        if pos >= n:
            return NEED_MORE
        byte = buf[pos]
        if byte == PREAMBLE:
            if pos + 1 >= n:
                return NEED_MORE
            if buf[pos + 1] != STUFF:
                return NO_FRAME  # FF then anything else: a new start (or noise), not this frame
            pos += 2
        else:
            pos += 1
        total += byte
    if pos >= n:
        return NEED_MORE
    if buf[pos] != total & 0xFF:
        return NO_FRAME
    if pos + 1 >= n:
        return NEED_MORE
    if buf[pos + 1] != END:
        return NO_FRAME
    return pos + 2 - i


def decode_frame(buf: bytes | bytearray, i: int, size: int) -> Frame:
    """The frame of ``size`` wire bytes at ``buf[i]`` that ``match_frame`` accepted."""
    body = bytes(buf[i + HEADER_SIZE : i + size - 2]).replace(_FF_STUFFED, _FF)
    return Frame(body[0], body[1], body[2:])


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
                frames.append(decode_frame(buf, j, size))
                i = j + size
            else:
                i = j + 1  # drop only the FF: a real frame may begin at the next one
        del buf[:i]
        return frames
