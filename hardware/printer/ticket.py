"""The queue ticket as the applicant holds it: what it says, and how it goes to any ESC/POS printer.

``layout_ticket`` speaks only through python-escpos calls (``hw``, ``set``, ``_raw``, ``image``,
``qr``, ``cut``), so the same code prints on ``Usb``, ``Serial``, ``Network``, ``File`` and the
``Dummy`` that the preview and the device code use to assemble a job.

Text is never sent through python-escpos's ``text()``: it picks GB18030 only for strings with
ideographs and falls back to single-byte code pages otherwise, so a line of full-width
punctuation prints as "?". Each line is encoded here in the profile's encoding and sent raw,
or drawn with Pillow when the printer has no Chinese font (or cannot encode a rare character).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image, ImageDraw

from hardware.printer.fonts import cjk_font
from hardware.printer.messages import message
from hardware.printer.profile import PrinterProfile, escpos_capabilities

FS_CHINESE_ON = b"\x1c\x26"  # FS &
FS_CHINESE_OFF = b"\x1c\x2e"  # FS .
BASE_DOTS = 24  # height of font A; a half-width character is 12 dots wide, a full-width one 24
LINE_GAP = 6  # dots between lines drawn as images, like the printer's default line spacing
MAX_NUMBER_SCALE = 5


@dataclass(frozen=True)
class TicketSlip:
    """Everything printed on one ticket. ``issued_at`` must be timezone-aware; it is printed in
    ``timezone`` (the hall's zone), whatever zone it arrives in."""

    hall_name: str
    service_name: str
    number: str
    waiting_ahead: int
    estimated_wait_seconds: int | None  # None: no window serving the service is open yet
    issued_at: datetime
    where: str
    status_url: str
    lang: str = "zh"
    timezone: str = "Asia/Shanghai"
    check_code: str = ""  # printed beside the QR: number + code find the ticket if the QR won't scan

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("TicketSlip.issued_at must be timezone-aware")


@dataclass(frozen=True)
class TicketLine:
    """One line of ticket text; ``scale`` multiplies width and height like ``GS !``."""

    text: str
    scale: int = 1
    bold: bool = False


def number_scale(number: str, width_dots: int) -> int:
    """The largest character size (up to 5x) at which the ticket number fits comfortably."""
    fit = int(width_dots * 0.8) // (12 * max(1, len(number)))
    return max(1, min(MAX_NUMBER_SCALE, fit))


def qr_module_dots(width_dots: int) -> int:
    """QR module size: big enough for a phone at arm's length, small enough to fit 58 mm paper."""
    return max(3, min(8, width_dots // 72))


def ticket_lines(slip: TicketSlip, profile: PrinterProfile) -> tuple[list[TicketLine], list[TicketLine]]:
    """The lines above and below the QR code."""
    lang = slip.lang
    separator = TicketLine("-" * (profile.width_dots // 12))
    if slip.waiting_ahead > 0:
        ahead = message("ticket.waiting_ahead", lang, count=slip.waiting_ahead)
    else:
        ahead = message("ticket.nobody_ahead", lang)
    issued = slip.issued_at.astimezone(ZoneInfo(slip.timezone)).strftime("%Y-%m-%d %H:%M")
    top = [
        TicketLine(slip.hall_name, bold=True),
        TicketLine(slip.service_name, scale=2, bold=True),
        separator,
        TicketLine(message("ticket.your_number", lang)),
        TicketLine(slip.number, scale=number_scale(slip.number, profile.width_dots), bold=True),
        TicketLine(ahead, bold=True),
    ]
    if slip.estimated_wait_seconds is None:
        top.append(TicketLine(message("ticket.no_window_open", lang)))
    elif slip.estimated_wait_seconds > 0:
        minutes = math.ceil(slip.estimated_wait_seconds / 60)
        top.append(TicketLine(message("ticket.estimated_wait", lang, minutes=minutes)))
    top += [
        TicketLine(message("ticket.where", lang, where=slip.where)),
        TicketLine(message("ticket.issued_at", lang, time=issued)),
        separator,
    ]
    bottom = [TicketLine(message("ticket.scan_for_status", lang))]
    if slip.check_code:
        bottom.append(TicketLine(message("ticket.check_code", lang, code=slip.check_code), bold=True))
    bottom.append(TicketLine(message("ticket.keep_ticket", lang), bold=True))
    return top, bottom


BREAK_AFTER = " ，。、；：！？,.;:!?"


def wrap(text: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy line breaking that prefers to break after a space or punctuation in the second
    half of the line (so "……票据，" / "留意……" rather than mid-phrase); Chinese may otherwise
    break between any two characters."""
    lines: list[str] = []
    current = ""
    for char in text:
        if not current or measure(current + char) <= max_width:
            current += char
            continue
        cut = max(current.rfind(mark) for mark in BREAK_AFTER) + 1
        if cut <= len(current) // 2:
            cut = len(current)
        lines.append(current[:cut].rstrip())
        current = (current[cut:] + char).lstrip()
    if current or not lines:
        lines.append(current)
    return lines


def encode_line(text: str, profile: PrinterProfile) -> bytes | None:
    """The bytes the printer's own font prints as ``text``; None when it cannot (image profile,
    or a character outside the encoding), so the caller draws the line instead."""
    if profile.prints_text_as_image:
        return None
    try:
        data = text.encode(profile.text_encoding)
    except UnicodeEncodeError:
        return None
    if profile.chinese_mode_commands and not text.isascii():
        data = FS_CHINESE_ON + data + FS_CHINESE_OFF
    return data


def printer_text_width(text: str) -> int:
    """Width in dots of ``text`` in the printer's font A: multi-byte characters are full width."""
    return sum(12 if ord(c) < 0x80 else 24 for c in text)


def draw_lines(lines: Sequence[TicketLine], width_dots: int, align: str = "center") -> Image.Image:
    """The lines drawn with the CJK font, centred (or flush ``left``), as a 1-bit picture as wide
    as the paper."""
    rows: list[tuple[str, TicketLine]] = []
    for line in lines:
        font = cjk_font(BASE_DOTS * line.scale)
        for part in wrap(line.text, width_dots, font.getlength):
            rows.append((part, line))
    height = sum(BASE_DOTS * line.scale + LINE_GAP for _, line in rows)
    canvas = Image.new("L", (width_dots, max(1, height)), 255)
    draw = ImageDraw.Draw(canvas)
    y = 0
    for part, line in rows:
        font = cjk_font(BASE_DOTS * line.scale)
        x = (width_dots - font.getlength(part)) / 2 if align == "center" else 0
        # Bold the way a printer emphasises: the same glyphs again, shifted by a dot or more.
        for shift in range(1 + (max(1, line.scale // 2) if line.bold else 0)):
            draw.text((x + shift, y + LINE_GAP // 2), part, font=font, fill=0)
        y += BASE_DOTS * line.scale + LINE_GAP
    return canvas.point(lambda v: 0 if v < 128 else 255, mode="1")


def print_text_lines(printer, lines: Sequence[TicketLine], profile: PrinterProfile, align: str = "center") -> None:
    """The lines in the printer's own font at its current alignment; a line the font cannot
    encode goes as a picture laid out by ``align``."""
    for line in lines:
        printer.set(bold=line.bold, custom_size=True, width=line.scale, height=line.scale)
        for part in wrap(line.text, profile.width_dots / line.scale, printer_text_width):
            data = encode_line(part, profile)
            if data is None:
                printer.image(draw_lines([TicketLine(part, line.scale, line.bold)], profile.width_dots, align),
                              impl=profile.image_impl)
            else:
                printer._raw(data + b"\n")
    printer.set(bold=False, custom_size=True, width=1, height=1)


def print_lines(printer, lines: Sequence[TicketLine], profile: PrinterProfile, align: str | None = None) -> None:
    """The lines as printer text, or as one picture where the printer has no Chinese font.
    ``align`` ("center" or "left") is set first when given; otherwise the printer's current
    alignment stays and pictures are centred, as on the ticket."""
    if align is not None:
        printer.set(align=align)
    align = align or "center"
    if profile.prints_text_as_image:
        printer.image(draw_lines(lines, profile.width_dots, align), impl=profile.image_impl)
    else:
        print_text_lines(printer, lines, profile, align)


def fit_paper(printer, profile: PrinterProfile) -> None:
    """Replace the printer's python-escpos capability profile when it does not know the paper
    width, because raster centring depends on it."""
    media = printer.profile.profile_data.get("media", {}).get("width", {})
    if media.get("pixels") != profile.width_dots:
        printer.profile = escpos_capabilities(profile)


def print_qr(printer, url: str, profile: PrinterProfile) -> None:
    """``url`` as a QR code: the printer's own (``GS ( k``, placed by the printer's current
    alignment) or a centred picture."""
    module = qr_module_dots(profile.width_dots)
    if profile.native_qr:
        printer.qr(url, ec=QR_ECLEVEL_M, size=module, native=True)
        printer._raw(b"\n")
    else:
        printer.qr(url, ec=QR_ECLEVEL_M, size=module, native=False,
                   image_arguments={"impl": profile.image_impl, "center": True})


def layout_ticket(printer, slip: TicketSlip, profile: PrinterProfile) -> None:
    """Issue the python-escpos calls that print ``slip`` on ``printer``."""
    fit_paper(printer, profile)
    top, bottom = ticket_lines(slip, profile)
    printer.hw("INIT")
    printer.set(align="center")
    print_lines(printer, top, profile)
    print_qr(printer, slip.status_url, profile)
    print_lines(printer, bottom, profile)
    printer.cut()


def ticket_bytes(slip: TicketSlip, profile: PrinterProfile) -> bytes:
    """The whole job for ``slip``, assembled on a python-escpos Dummy so it can be sent in one
    write (and previewed byte for byte)."""
    dummy = Dummy(profile=escpos_capabilities(profile))
    layout_ticket(dummy, slip, profile)
    return dummy.output


def slip_from_issued(ticket: dict, hall_name: str, *, lang: str = "zh", timezone: str = "Asia/Shanghai") -> TicketSlip:
    """The slip for a ticket as the server's ``issue_ticket`` returned it (kiosk and preview alike)."""
    places = ticket.get("where_to_go") or []
    key = "location" if lang == "zh" else "location_en"
    where = "、".join((p.get(key) or p.get("location") or f"{p['number']}") for p in places)
    return TicketSlip(
        hall_name=hall_name, service_name=ticket["service_name"], number=ticket["number"],
        waiting_ahead=ticket["waiting_ahead"], estimated_wait_seconds=ticket["estimated_wait_seconds"],
        issued_at=datetime.fromisoformat(ticket["issued_at"]), where=where, status_url=ticket["status_url"],
        lang=lang, timezone=timezone, check_code=ticket.get("check_code", ""),
    )
