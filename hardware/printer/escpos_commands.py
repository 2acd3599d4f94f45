"""Splitting an ESC/POS byte stream into commands, knowing how long each one is.

Shared by the preview (which interprets the commands) and the simulated printer (which must
find ``DLE EOT n`` at a command boundary, not inside image data). It never raises: an unknown
``ESC x`` / ``GS x`` / ``FS x`` is taken as two bytes long, and a command whose announced
length runs past the end of the data is reported as incomplete (``read_command`` returns None).

Lengths known (Epson ESC/POS, plus the Chinese ``FS`` commands):

* single bytes: ``LF CR HT FF CAN`` and other controls; runs of bytes >= 0x20 are text.
* ``DLE EOT n`` (n 7/8 take one more byte), ``DLE ENQ n``, ``DLE DC4 fn ...``.
* ``ESC``: fixed-length commands (``! - 2 3 = @ E G J M R a d e t {`` ...), ``ESC *`` column
  images, ``ESC D`` tab stops (NUL-terminated), ``ESC &`` user characters, ``ESC (`` length form.
* ``GS``: fixed-length commands (``! B H L P V W a f h w`` ...), ``GS v 0`` raster images,
  ``GS ( x`` and ``GS 8 L`` length forms, ``GS k`` barcodes, ``GS *`` downloaded images.
* ``FS``: ``& .`` Chinese mode on/off, ``! - C S W p ?`` fixed, ``FS 2`` user character,
  ``FS q`` NV images, ``FS (`` length form.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10


@dataclass(frozen=True)
class Command:
    """One command: ``name`` like ``"ESC a"``, ``"GS v 0"``, ``"text"``; ``args`` are the fixed
    parameter bytes, ``payload`` the variable data (text, image bits, QR data)."""

    name: str
    args: bytes = b""
    payload: bytes = b""


# Parameter byte counts of fixed-length commands, keyed by the byte after the prefix.
ESC_FIXED: dict[int, int] = {
    0x0C: 0, 0x20: 1, 0x21: 1, 0x24: 2, 0x25: 1, 0x2D: 1, 0x32: 0, 0x33: 1, 0x3C: 0, 0x3D: 1,
    0x3F: 1, 0x40: 0, 0x42: 2, 0x43: 1, 0x45: 1, 0x46: 1, 0x47: 1, 0x4A: 1, 0x4B: 1, 0x4C: 0,
    0x4D: 1, 0x52: 1, 0x53: 0, 0x54: 1, 0x55: 1, 0x56: 1, 0x57: 8, 0x5C: 2, 0x61: 1, 0x63: 2,
    0x64: 1, 0x65: 1, 0x69: 0, 0x6D: 0, 0x70: 3, 0x72: 1, 0x74: 1, 0x75: 1, 0x76: 0, 0x7B: 1,
}
GS_FIXED: dict[int, int] = {
    0x21: 1, 0x24: 2, 0x2F: 1, 0x3A: 0, 0x42: 1, 0x45: 1, 0x48: 1, 0x49: 1, 0x4C: 2, 0x50: 2,
    0x54: 1, 0x57: 2, 0x5C: 2, 0x5E: 3, 0x61: 1, 0x62: 1, 0x63: 0, 0x66: 1, 0x68: 1, 0x6A: 1,
    0x72: 1, 0x77: 1, 0x7C: 1,
}
FS_FIXED: dict[int, int] = {
    0x21: 1, 0x26: 0, 0x2D: 1, 0x2E: 0, 0x32: 74, 0x3F: 2, 0x43: 1, 0x53: 2, 0x57: 1, 0x70: 2,
}
DLE_DC4_ARGS: dict[int, int] = {1: 2, 2: 2, 3: 6, 7: 1, 8: 7}


def _name(prefix: str, cmd: int) -> str:
    return f"{prefix} {chr(cmd) if 0x20 < cmd < 0x7F else f'0x{cmd:02X}'}"


def _fixed(data: bytes, pos: int, name: str, nargs: int) -> tuple[Command, int] | None:
    end = pos + nargs
    if end > len(data):
        return None
    return Command(name, data[pos:end]), end


def _sized(data: bytes, pos: int, name: str, args: bytes, size: int) -> tuple[Command, int] | None:
    end = pos + size
    if end > len(data):
        return None
    return Command(name, args, data[pos:end]), end


def _length_form(data: bytes, pos: int, name: str) -> tuple[Command, int] | None:
    """``pL pH`` then that many bytes (``GS ( x``, ``ESC ( x``, ``FS ( x``)."""
    if pos + 2 > len(data):
        return None
    size = data[pos] | data[pos + 1] << 8
    return _sized(data, pos + 2, name, data[pos:pos + 2], size)


def _read_esc(data: bytes, pos: int) -> tuple[Command, int] | None:
    cmd = data[pos]
    pos += 1
    if cmd == 0x2A:  # ESC * m nL nH d1..dk: column bit image
        if pos + 3 > len(data):
            return None
        m, columns = data[pos], data[pos + 1] | data[pos + 2] << 8
        per_column = 3 if m in (32, 33) else 1
        return _sized(data, pos + 3, "ESC *", data[pos:pos + 3], columns * per_column)
    if cmd == 0x44:  # ESC D n1..nk NUL: tab stops, at most 32
        end = data.find(b"\x00", pos, pos + 33)
        if end < 0:
            if len(data) - pos < 33:
                return None
            return Command("ESC D", data[pos:pos + 32]), pos + 32
        return Command("ESC D", data[pos:end]), end + 1
    if cmd == 0x26:  # ESC & y c1 c2 [x d1..d(y*x)]...: user-defined characters
        if pos + 3 > len(data):
            return None
        y, c1, c2 = data[pos], data[pos + 1], data[pos + 2]
        end = pos + 3
        for _ in range(max(0, c2 - c1 + 1)):
            if end >= len(data):
                return None
            end += 1 + y * data[end]
        if end > len(data):
            return None
        return Command("ESC &", data[pos:pos + 3], data[pos + 3:end]), end
    if cmd == 0x28:  # ESC ( x pL pH ...
        if pos >= len(data):
            return None
        return _length_form(data, pos + 1, _name("ESC (", data[pos]))
    return _fixed(data, pos, _name("ESC", cmd), ESC_FIXED.get(cmd, 0))


def _read_gs(data: bytes, pos: int) -> tuple[Command, int] | None:
    cmd = data[pos]
    pos += 1
    if cmd == 0x28:  # GS ( x pL pH ...
        if pos >= len(data):
            return None
        return _length_form(data, pos + 1, _name("GS (", data[pos]))
    if cmd == 0x38:  # GS 8 x p1 p2 p3 p4 ...: extended length form (graphics)
        if pos + 5 > len(data):
            return None
        size = int.from_bytes(data[pos + 1:pos + 5], "little")
        return _sized(data, pos + 5, _name("GS 8", data[pos]), data[pos + 1:pos + 5], size)
    if cmd == 0x76:  # GS v 0 m xL xH yL yH d...: raster bit image
        if pos + 6 > len(data):
            return None
        header = data[pos + 1:pos + 6]
        width_bytes, rows = header[1] | header[2] << 8, header[3] | header[4] << 8
        return _sized(data, pos + 6, "GS v 0", header, width_bytes * rows)
    if cmd == 0x2A:  # GS * x y d...: define downloaded bit image
        if pos + 2 > len(data):
            return None
        return _sized(data, pos + 2, "GS *", data[pos:pos + 2], data[pos] * data[pos + 1] * 8)
    if cmd == 0x56:  # GS V m [n]: cut
        if pos >= len(data):
            return None
        nargs = 2 if data[pos] in (65, 66, 97, 98, 103, 104) else 1
        return _fixed(data, pos, "GS V", nargs)
    if cmd == 0x67:  # GS g 0 m nL nH / GS g 2 m nL nH: maintenance counters
        return _fixed(data, pos, "GS g", 4)
    if cmd == 0x6B:  # GS k m ...: barcode
        if pos >= len(data):
            return None
        m = data[pos]
        if m <= 6:
            end = data.find(b"\x00", pos + 1)
            if end < 0:
                return None
            return Command("GS k", data[pos:pos + 1], data[pos + 1:end]), end + 1
        if 65 <= m <= 78:
            if pos + 2 > len(data):
                return None
            return _sized(data, pos + 2, "GS k", data[pos:pos + 2], data[pos + 1])
        return Command("GS k", data[pos:pos + 1]), pos + 1
    return _fixed(data, pos, _name("GS", cmd), GS_FIXED.get(cmd, 0))


def _read_fs(data: bytes, pos: int) -> tuple[Command, int] | None:
    cmd = data[pos]
    pos += 1
    if cmd == 0x28:  # FS ( x pL pH ...
        if pos >= len(data):
            return None
        return _length_form(data, pos + 1, _name("FS (", data[pos]))
    if cmd == 0x71:  # FS q n [xL xH yL yH d1..dk]...: define NV bit images
        if pos >= len(data):
            return None
        end = pos + 1
        for _ in range(data[pos]):
            if end + 4 > len(data):
                return None
            x, y = data[end] | data[end + 1] << 8, data[end + 2] | data[end + 3] << 8
            end += 4 + x * y * 8
        if end > len(data):
            return None
        return Command("FS q", data[pos:pos + 1], data[pos + 1:end]), end
    return _fixed(data, pos, _name("FS", cmd), FS_FIXED.get(cmd, 0))


def _read_dle(data: bytes, pos: int) -> tuple[Command, int] | None:
    cmd = data[pos]
    if cmd == 0x04:  # DLE EOT n [a]
        if pos + 2 > len(data):
            return None
        return _fixed(data, pos + 1, "DLE EOT", 2 if data[pos + 1] in (7, 8) else 1)
    if cmd == 0x05:  # DLE ENQ n
        return _fixed(data, pos + 1, "DLE ENQ", 1)
    if cmd == 0x14:  # DLE DC4 fn ...
        if pos + 2 > len(data):
            return None
        return _fixed(data, pos + 1, "DLE DC4", 1 + DLE_DC4_ARGS.get(data[pos + 1], 0))
    return Command("control", bytes((DLE,))), pos  # a lone DLE is just a control byte


CONTROL_NAMES = {0x0A: "LF", 0x0D: "CR", 0x09: "HT", 0x0C: "FF", 0x18: "CAN"}
PREFIX_READERS = {ESC: _read_esc, GS: _read_gs, FS: _read_fs, DLE: _read_dle}


def read_command(data: bytes, pos: int = 0) -> tuple[Command, int] | None:
    """The command starting at ``data[pos]`` and the position after it; None if ``data`` ends
    before the command does (``pos`` must be < ``len(data)``)."""
    byte = data[pos]
    if byte >= 0x20:
        end = pos + 1
        while end < len(data) and data[end] >= 0x20:
            end += 1
        return Command("text", payload=data[pos:end]), end
    reader = PREFIX_READERS.get(byte)
    if reader is None:
        return Command(CONTROL_NAMES.get(byte, "control"), bytes((byte,))), pos + 1
    if pos + 1 >= len(data):
        return None
    return reader(data, pos + 1)


def iter_commands(data: bytes) -> Iterator[Command]:
    """Every complete command in ``data``; an unfinished last command is dropped (a printer
    would wait for the rest of it)."""
    pos = 0
    while pos < len(data):
        parsed = read_command(data, pos)
        if parsed is None:
            return
        command, pos = parsed
        yield command
