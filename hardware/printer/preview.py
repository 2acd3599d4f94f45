"""A ticket preview: the ESC/POS bytes a printer would receive, drawn as the paper would look.

Two pure steps: ``render_escpos_ops`` interprets the bytes into render ops (text lines that keep
their decoded text, raster pictures, QR codes, feeds, cuts), and ``draw_ops`` paints the ops with
Pillow. Tests read the text from the ops and the QR code from the picture; a person looks at the
PNG. Unknown commands are skipped by their known length (see ``escpos_commands``).

What is interpreted: text in the printer's Chinese mode (GB18030, GBK or UTF-8; ``FS &`` / ``FS .``
switch it for printers that start in single-byte mode) and single-byte code pages (``ESC t``);
``ESC @ ! E G - a M 2 3 d J``, ``GS ! B``, ``HT LF FF CR``; pictures by ``GS v 0``, ``ESC *``
and ``GS ( L`` / ``GS 8 L`` (store + print); QR codes by ``GS ( k`` (drawn with the qrcode
package from the stored data); cuts by ``GS V`` and ``ESC i`` / ``ESC m``. Skipped: barcodes,
downloaded and NV images, page mode, upside-down and rotation, margins, user-defined characters.

Geometry: one dot per pixel; font A is 12x24 (full-width 24x24), font B 9x17; the default line
spacing is 30 dots and ``ESC 3 n`` sets it to n dots; a line is as tall as its tallest content
or the line spacing, whichever is more.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from hardware.printer.escpos_commands import Command, iter_commands
from hardware.printer.fonts import NoCjkFontError, cjk_font
from hardware.printer.profile import DEFAULT_PROFILE, PrinterProfile
from hardware.printer.ticket import TicketSlip, ticket_bytes

DEFAULT_LINE_SPACING = 30
MAX_PAGE_DOTS = 40_000  # a runaway stream (feeds in a loop) stops here instead of eating memory
FONTS = {0: (12, 24), 1: (9, 17)}  # font number -> (half-width cell, height)
CODE_PAGES = {0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 16: "cp1252", 17: "cp866",
              18: "cp852", 19: "cp858"}
QR_EC = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M,
         50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}
ALIGNS = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


@dataclass(frozen=True)
class TextRun:
    """Characters printed in one style; ``cells`` are their unscaled widths in dots."""

    text: str
    cells: tuple[int, ...]
    cell_height: int
    width_scale: int = 1
    height_scale: int = 1
    bold: bool = False
    underline: int = 0
    invert: bool = False

    @property
    def width(self) -> int:
        return sum(self.cells) * self.width_scale

    @property
    def height(self) -> int:
        return self.cell_height * self.height_scale


@dataclass(frozen=True)
class ImageRun:
    """A column-format picture (``ESC *``) sitting in a line like a large character."""

    image: Image.Image = field(compare=False)

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


@dataclass(frozen=True)
class LineOp:
    """One printed line."""

    runs: tuple[TextRun | ImageRun, ...]
    align: str
    spacing: int

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs if isinstance(run, TextRun))

    @property
    def width(self) -> int:
        return sum(run.width for run in self.runs)

    @property
    def height(self) -> int:
        return max([self.spacing] + [run.height for run in self.runs])


@dataclass(frozen=True)
class RasterOp:
    """A picture printed on its own (``GS v 0``, ``GS ( L``); ``image`` is mode "1", black = ink."""

    image: Image.Image = field(compare=False)
    align: str
    command: str

    @property
    def height(self) -> int:
        return self.image.height


@dataclass(frozen=True)
class QrOp:
    """A QR code the printer draws itself (``GS ( k``), from its stored data."""

    data: bytes
    module_dots: int
    align: str
    image: Image.Image = field(compare=False)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    @property
    def height(self) -> int:
        return self.image.height


@dataclass(frozen=True)
class FeedOp:
    dots: int

    @property
    def height(self) -> int:
        return self.dots


@dataclass(frozen=True)
class CutOp:
    partial: bool

    @property
    def height(self) -> int:
        return 12


RenderOp = LineOp | RasterOp | QrOp | FeedOp | CutOp


def ops_text(ops: Sequence[RenderOp]) -> list[str]:
    """The decoded text of every printed line, in order (what a test or a log can read)."""
    return [op.text for op in ops if isinstance(op, LineOp) and op.text.strip()]


def _bits_image(width: int, height: int, bits: bytes) -> Image.Image:
    """A mode "1" picture from row-major MSB-first bits where 1 is ink (black)."""
    row_bytes = (width + 7) // 8
    inverted = bytes(255 - b for b in bits[: row_bytes * height])
    return Image.frombytes("1", (row_bytes * 8, height), inverted).crop((0, 0, width, height))


def _column_image(mode: int, columns: int, data: bytes) -> Image.Image:
    """``ESC *`` data: each column is 1 (8-dot) or 3 (24-dot) bytes top to bottom, MSB first.
    Single-density modes print each column two dots wide; 8-dot modes three dots tall."""
    per_column = 3 if mode in (32, 33) else 1
    rows = per_column * 8
    stripe = Image.frombytes("1", (rows, columns), bytes(255 - b for b in data[: columns * per_column]))
    stripe = stripe.transpose(Image.Transpose.TRANSPOSE)  # columns become x, bits become y
    width = columns * (2 if mode in (0, 32) else 1)
    height = rows * (1 if per_column == 3 else 3)
    return stripe.resize((width, height), Image.Resampling.NEAREST) if (width, height) != stripe.size else stripe


class _Interpreter:
    """The printer's state while reading a stream; ``ops`` is what it printed."""

    def __init__(self, width_dots: int, encoding: str, chinese_mode: bool) -> None:
        self.width_dots = width_dots
        self.encoding = encoding
        self.chinese_default = chinese_mode
        self.ops: list[RenderOp] = []
        self.page_dots = 0
        self.graphics: RasterOp | None = None
        self.qr_data = b""
        self.qr_module = 3
        self.qr_ec = qrcode.constants.ERROR_CORRECT_L
        self.reset()

    def reset(self) -> None:
        self.align = "left"
        self.bold = False
        self.underline = 0
        self.invert = False
        self.font = 0
        self.width_scale = 1
        self.height_scale = 1
        self.spacing = DEFAULT_LINE_SPACING
        self.chinese = self.chinese_default
        self.code_page = "cp437"
        self.runs: list[TextRun | ImageRun] = []
        self.line_align = "left"

    # -- output ----------------------------------------------------------------------------
    def emit(self, op: RenderOp) -> None:
        if self.page_dots < MAX_PAGE_DOTS:
            self.ops.append(op)
            self.page_dots += op.height

    def line_width(self) -> int:
        return sum(run.width for run in self.runs)

    def flush_line(self, force: bool = True) -> None:
        """Print the line buffer (LF prints an empty line too; ``force=False`` only if not empty)."""
        if self.runs or force:
            self.emit(LineOp(tuple(self.runs), self.line_align if self.runs else self.align, self.spacing))
        self.runs = []

    def add_run(self, run: TextRun | ImageRun) -> None:
        if not self.runs:
            self.line_align = self.align
        self.runs.append(run)

    # -- text ------------------------------------------------------------------------------
    def characters(self, raw: bytes) -> list[tuple[str, bool]]:
        """Decode text bytes into (character, full-width) pairs the way the printer would."""
        if not self.chinese:
            return [(bytes((b,)).decode(self.code_page, errors="replace"), False) for b in raw]
        if self.encoding == "utf-8":
            return [(c, unicodedata.east_asian_width(c) in "WF")
                    for c in raw.decode("utf-8", errors="replace")]
        chars: list[tuple[str, bool]] = []
        i = 0
        while i < len(raw):
            b = raw[i]
            if b < 0x80:
                chars.append((chr(b), False))
                i += 1
                continue
            size = 4 if i + 1 < len(raw) and 0x30 <= raw[i + 1] <= 0x39 else 2
            char = raw[i:i + size].decode(self.encoding, errors="replace")
            chars.append((char if len(char) == 1 else "\ufffd", True))  # one cell per code, as printed
            i += size
        return chars

    def text(self, raw: bytes) -> None:
        half, height = FONTS[self.font]
        style = dict(cell_height=height, width_scale=self.width_scale, height_scale=self.height_scale,
                     bold=self.bold, underline=self.underline, invert=self.invert)
        text, cells = "", []
        for char, wide in self.characters(raw):
            cell = half * 2 if wide else half
            if self.runs or text:
                used = self.line_width() + (sum(cells) * self.width_scale)
                if used + cell * self.width_scale > self.width_dots:  # the printer wraps
                    if text:
                        self.add_run(TextRun(text, tuple(cells), **style))
                    text, cells = "", []
                    self.flush_line()
            text += char
            cells.append(cell)
        if text:
            self.add_run(TextRun(text, tuple(cells), **style))

    def tab(self) -> None:
        stop = 8 * FONTS[self.font][0] * self.width_scale
        used = self.line_width()
        target = (used // stop + 1) * stop
        if target <= self.width_dots:
            self.add_run(TextRun(" ", (target - used,), FONTS[self.font][1]))

    # -- pictures --------------------------------------------------------------------------
    def raster(self, image: Image.Image, command: str) -> None:
        self.flush_line(force=False)
        if image.width > self.width_dots:
            image = image.crop((0, 0, self.width_dots, image.height))
        if image.width and image.height:
            self.emit(RasterOp(image, self.align, command))

    def qr_print(self) -> None:
        self.flush_line(force=False)
        if not self.qr_data:
            return
        code = qrcode.QRCode(error_correction=self.qr_ec, box_size=self.qr_module, border=0)
        try:
            code.add_data(self.qr_data)
            code.make(fit=True)
        except (ValueError, qrcode.exceptions.DataOverflowError):
            return  # a printer prints nothing for data it cannot encode
        image = code.make_image().get_image().convert("1")
        if image.width <= self.width_dots:
            self.emit(QrOp(self.qr_data, self.qr_module, self.align, image))

    def qr_command(self, command: Command) -> None:
        data = command.payload
        if len(data) < 2 or data[0] != 49:  # cn 49: QR code (48 is PDF417)
            return
        fn, rest = data[1], data[2:]
        if fn == 67 and rest:
            self.qr_module = min(16, max(1, rest[0]))
        elif fn == 69 and rest:
            self.qr_ec = QR_EC.get(rest[0], QR_EC.get(rest[0] + 48, self.qr_ec))
        elif fn == 80 and rest:
            self.qr_data = rest[1:]
        elif fn == 81:
            self.qr_print()

    def graphics_command(self, payload: bytes) -> None:
        """``GS ( L`` / ``GS 8 L``: fn 112 stores a raster picture, fn 50 prints it."""
        if len(payload) < 2:
            return
        fn = payload[1]
        if fn in (112, 0x70) and len(payload) >= 10:
            bx, by = payload[3], payload[4]
            width, height = payload[6] | payload[7] << 8, payload[8] | payload[9] << 8
            image = _bits_image(width, height, payload[10:]) if width and height else None
            if image is not None and len(payload[10:]) >= ((width + 7) // 8) * height:
                image = image.resize((width * (2 if bx == 2 else 1), height * (2 if by == 2 else 1)))
                self.graphics = RasterOp(image, self.align, "GS ( L")
        elif fn in (50, 2) and self.graphics is not None:
            self.raster(self.graphics.image, "GS ( L")

    # -- dispatch --------------------------------------------------------------------------
    def run(self, command: Command) -> None:
        """Apply one command; one branch per command keeps the supported subset easy to audit."""
        name, args = command.name, command.args
        arg = args[0] if args else 0
        if name == "text":
            self.text(command.payload)
        elif name in ("LF", "FF"):
            self.flush_line()
        elif name == "HT":
            self.tab()
        elif name == "ESC @":
            self.runs = []
            self.reset()
        elif name == "ESC !":
            self.font = arg & 1
            self.bold = bool(arg & 0x08)
            self.height_scale = 2 if arg & 0x10 else 1
            self.width_scale = 2 if arg & 0x20 else 1
            self.underline = 1 if arg & 0x80 else 0
        elif name in ("ESC E", "ESC G"):
            self.bold = bool(arg & 1)
        elif name == "ESC -":
            self.underline = arg % 48 if arg >= 48 else min(arg, 2)
        elif name == "ESC a":
            self.align = ALIGNS.get(arg, self.align)
        elif name == "ESC M":
            self.font = 1 if arg in (1, 49) else 0
        elif name == "ESC 2":
            self.spacing = DEFAULT_LINE_SPACING
        elif name == "ESC 3":
            self.spacing = arg
        elif name == "ESC t":
            self.code_page = CODE_PAGES.get(arg, "cp437")
        elif name == "ESC d":
            self.flush_line(force=False)
            self.emit(FeedOp(arg * self.spacing))
        elif name == "ESC J":
            self.flush_line(force=False)
            self.emit(FeedOp(arg))
        elif name in ("ESC i", "ESC m"):
            self.flush_line(force=False)
            self.emit(CutOp(partial=name == "ESC m"))
        elif name == "GS V":
            self.flush_line(force=False)
            self.emit(CutOp(partial=arg in (1, 49, 66, 98, 104)))
        elif name == "GS !":
            self.width_scale = (arg >> 4 & 7) + 1
            self.height_scale = (arg & 7) + 1
        elif name == "GS B":
            self.invert = bool(arg & 1)
        elif name == "FS &":
            self.chinese = True
        elif name == "FS .":
            self.chinese = False
        elif name == "ESC *":
            self.esc_star(command)
        elif name == "GS v 0":
            mode = arg & 3
            width, height = (args[1] | args[2] << 8) * 8, args[3] | args[4] << 8
            if width and height:
                image = _bits_image(width, height, command.payload)
                if mode:
                    image = image.resize((width * (2 if mode & 1 else 1), height * (2 if mode & 2 else 1)))
                self.raster(image, "GS v 0")
        elif name in ("GS ( L", "GS 8 L"):
            self.graphics_command(command.payload)
        elif name == "GS ( k":
            self.qr_command(command)

    def esc_star(self, command: Command) -> None:
        mode, columns = command.args[0], command.args[1] | command.args[2] << 8
        if mode in (0, 1, 32, 33) and columns:
            run = ImageRun(_column_image(mode, columns, command.payload))
            if self.runs and self.line_width() + run.width > self.width_dots:
                self.flush_line()
            self.add_run(run)


def render_escpos_ops(
    data: bytes, width_dots: int = 576, *, encoding: str = "gb18030", chinese_mode: bool = True
) -> list[RenderOp]:
    """Interpret ``data`` as a printer with ``width_dots`` of paper would.

    ``encoding`` is what the printer's Chinese mode decodes (gb18030, gbk or utf-8);
    ``chinese_mode`` says whether it starts (and resets) in Chinese mode, as most Chinese
    printers do, or needs ``FS &`` first. Never raises on malformed input.
    """
    interpreter = _Interpreter(width_dots, encoding, chinese_mode)
    for command in iter_commands(data):
        interpreter.run(command)
    interpreter.flush_line(force=False)
    return interpreter.ops


# -- drawing ---------------------------------------------------------------------------------
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return cjk_font(size)
    except NoCjkFontError:
        return ImageFont.load_default(size)


def _draw_glyph(char: str, cell: int, height: int, bold: bool, ink: int, paper: int) -> Image.Image:
    """One character in its cell like a printer's fixed-pitch font: glyphs wider than the cell
    (the CJK font's proportional Latin) are squeezed to fit instead of overlapping."""
    font = _font(max(6, height - 4))  # leaves room for descenders inside the cell
    width = max(cell, math.ceil(font.getlength(char)) + (1 if bold else 0))
    glyph = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(glyph)
    left = (width - font.getlength(char) - (1 if bold else 0)) / 2
    for shift in (0, 1) if bold else (0,):
        draw.text((left + shift, 0), char, font=font, fill=ink)
    return glyph if width == cell else glyph.resize((cell, height), Image.Resampling.LANCZOS)


def _draw_run(run: TextRun) -> Image.Image:
    """A text run at 1x, then scaled by whole dots like the printer's character enlargement."""
    width, height = max(1, sum(run.cells)), run.cell_height
    ink, paper = (255, 0) if run.invert else (0, 255)
    image = Image.new("L", (width, height), paper)
    x = 0
    for char, cell in zip(run.text, run.cells, strict=True):
        if not char.isspace():
            image.paste(_draw_glyph(char, cell, height, run.bold, ink, paper), (x, 0))
        x += cell
    if run.underline:
        ImageDraw.Draw(image).rectangle((0, height - run.underline, width, height - 1), fill=ink)
    if (run.width_scale, run.height_scale) != (1, 1):
        image = image.resize((run.width, run.height), Image.Resampling.NEAREST)
    return image


def _left(align: str, width: int, paper: int) -> int:
    if align == "center":
        return max(0, (paper - width) // 2)
    if align == "right":
        return max(0, paper - width)
    return 0


def draw_ops(ops: Sequence[RenderOp], width_dots: int = 576) -> Image.Image:
    """Paint render ops onto white paper (mode "L"); a cut shows as a dashed grey line."""
    height = max(1, sum(op.height for op in ops))
    page = Image.new("L", (width_dots, height), 255)
    draw = ImageDraw.Draw(page)
    y = 0
    for op in ops:
        if isinstance(op, LineOp):
            content = max([0] + [run.height for run in op.runs])
            x = _left(op.align, op.width, width_dots)
            for run in op.runs:
                picture = _draw_run(run) if isinstance(run, TextRun) else run.image.convert("L")
                page.paste(picture, (x, y + content - run.height))
                x += run.width
        elif isinstance(op, RasterOp | QrOp):
            page.paste(op.image.convert("L"), (_left(op.align, op.image.width, width_dots), y))
        elif isinstance(op, CutOp):
            for x in range(0, width_dots, 16):
                draw.line((x, y + 6, x + 8, y + 6), fill=128)
        y += op.height
    return page


def render_escpos(
    data: bytes, width_dots: int = 576, *, encoding: str = "gb18030", chinese_mode: bool = True
) -> Image.Image:
    """The picture of the paper that ``data`` would print."""
    return draw_ops(render_escpos_ops(data, width_dots, encoding=encoding, chinese_mode=chinese_mode),
                    width_dots)


def profile_decoding(profile: PrinterProfile) -> dict[str, object]:
    """How a printer with ``profile`` decodes text, as keyword arguments for the renderer."""
    return {"encoding": profile.text_encoding, "chinese_mode": not profile.chinese_mode_commands}


def preview_ticket(slip: TicketSlip, path: str | Path, profile: PrinterProfile | None = None) -> Path:
    """Print ``slip`` through the real layout code into bytes, render them, and save a PNG."""
    profile = profile or DEFAULT_PROFILE
    image = render_escpos(ticket_bytes(slip, profile), profile.width_dots, **profile_decoding(profile))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path
