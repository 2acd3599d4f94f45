"""A case notice as an A5 PDF, one page per copy (联), typeset by Typst (``notice.typ`` beside this).

Typst rather than ReportLab: it reads every CJK font that ``hardware.printer.fonts`` accepts,
including the OpenType/CFF Noto CJK collections that ReportLab cannot embed; it breaks Chinese
lines by the CJK rules (no 。 at the start of a line); and the page design lives in a template a
person can edit without touching Python. The notice goes in as JSON (``sys.inputs``), so no
applicant's text is ever read as markup. The font is embedded as a subset with its Unicode map,
so the PDF's text can be searched and copied.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import qrcode
import typst
from qrcode.image.svg import SvgPathImage

from hall_server.cases.notice import Notice
from hardware.printer.fonts import NoCjkFontError, cjk_font_path

TEMPLATE = Path(__file__).with_name("notice.typ")

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def typst_font(path: Path) -> tuple[str, str]:
    """(folder, family) of the CJK font file, as Typst names it: Typst takes folders, not files,
    and a collection (.ttc) holds several families, of which the first is the proportional one."""
    folder = str(path.parent)
    faces = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[folder]).fonts()
    ours = sorted((face for face in faces if face.path and Path(face.path) == path), key=lambda face: face.index)
    if not ours:
        raise NoCjkFontError(f"Typst cannot read the CJK font {path}; install fonts-wqy-microhei or set HALL_CJK_FONT")
    return folder, ours[0].family


def qr_svg(url: str) -> str:
    """The status QR code as SVG, so it stays sharp at any print resolution."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(image_factory=SvgPathImage).to_string(encoding="unicode")


def notice_data(notice: Notice, font_family: str) -> dict[str, Any]:
    """What the template reads: every string already final, so the template only lays out."""
    return {
        "fonts": [font_family],
        "hall_name": notice.hall_name,
        "title": notice.title,
        "case_number": notice.case_number,
        "copies": [copy.name for copy in notice.copies],
        "fields": [{"label": field.label, "value": field.value} for field in notice.fields],
        "sections": [{"heading": s.heading, "items": list(s.item_lines)} for s in notice.sections],
        "notes": list(notice.notes),
        "scan_hint": notice.scan_hint,
        "closing": notice.closing,
        "issued_on": notice.issued_on,
        "qr_svg": qr_svg(notice.status_url),
    }


def notice_pdf(notice: Notice) -> bytes:
    """The notice as an A5 PDF: one page per copy, each headed by the title and the copy's name.

    Raises NoCjkFontError when no CJK font is installed: a notice of empty boxes helps nobody.
    """
    path = cjk_font_path()
    if path is None:
        raise NoCjkFontError("no CJK font found: install fonts-wqy-microhei (scripts/system-packages.sh)")
    folder, family = typst_font(path)
    data = json.dumps(notice_data(notice, family), ensure_ascii=False)
    pdf, warnings = typst.compile_with_warnings(str(TEMPLATE), font_paths=[folder], sys_inputs={"notice": data})
    for warning in warnings:
        if "font" in warning.message:
            raise NoCjkFontError(f"Typst could not use the CJK font {family!r}: {warning.message}")
        log.warning("notice PDF %s: %s", notice.case_number, warning.message)
    assert isinstance(pdf, bytes)
    return pdf
