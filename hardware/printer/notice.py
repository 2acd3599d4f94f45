"""A case notice (通知书) on a window's receipt printer: one copy (联) per cut.

The layout goes through the same python-escpos calls and helpers as the queue ticket
(``hardware.printer.ticket``): lines encoded raw in the profile's encoding or drawn with the CJK
font, and the status QR code native or as a picture. So every printer profile that prints a
ticket prints a notice, and the preview renderer reads both back the same way.
"""

from __future__ import annotations

from escpos.printer import Dummy

from hall_server.cases.notice import Notice, NoticeCopy
from hardware.printer.profile import PrinterProfile, escpos_capabilities
from hardware.printer.ticket import TicketLine, fit_paper, print_lines, print_qr


def notice_lines(
    notice: Notice, copy: NoticeCopy, profile: PrinterProfile
) -> tuple[list[TicketLine], list[TicketLine], list[TicketLine]]:
    """The copy's head (centred), body (flush left) and foot (centred, below the QR code)."""
    separator = TicketLine("-" * (profile.width_dots // 12))
    head = [
        TicketLine(notice.hall_name, bold=True),
        TicketLine(notice.title, scale=2, bold=True),
        TicketLine(copy.name, bold=True),
        separator,
    ]
    body = [TicketLine(field.line) for field in notice.fields]
    for section in notice.sections:
        body.append(TicketLine(f"{section.heading}：", bold=True))
        body.extend(TicketLine(item) for item in section.item_lines)
    body.extend(TicketLine(note) for note in notice.notes)
    body.append(separator)
    foot = [
        TicketLine(notice.scan_hint, bold=True),
        TicketLine(notice.closing),
        TicketLine(f"{notice.hall_name}  {notice.issued_on}"),
    ]
    return head, body, foot


def layout_notice(printer, notice: Notice, profile: PrinterProfile, copy: str | None = None) -> None:
    """Issue the python-escpos calls that print one copy of ``notice`` (``copy`` by key, name,
    ordinal or holder, see ``Notice.copy``), or every copy when ``copy`` is None; each copy is
    ended by a cut so the window tears them apart and hands each to its holder."""
    fit_paper(printer, profile)
    copies = notice.copies if copy is None else (notice.copy(copy),)
    for each in copies:
        head, body, foot = notice_lines(notice, each, profile)
        printer.hw("INIT")
        print_lines(printer, head, profile, align="center")
        print_lines(printer, body, profile, align="left")
        printer.set(align="center")
        print_qr(printer, notice.status_url, profile)
        print_lines(printer, foot, profile, align="center")
        printer.cut()


def notice_job(notice: Notice, profile: PrinterProfile, copy: str | None = None) -> bytes:
    """The whole job (one copy or all of them), assembled on a python-escpos Dummy so it goes to
    the printer in one write and previews byte for byte, like ``ticket_bytes``."""
    dummy = Dummy(profile=escpos_capabilities(profile))
    layout_notice(dummy, notice, profile, copy)
    return dummy.output
