"""The ticket's QR code drawn on screen, so an applicant can photograph or scan it even when
the printer is out of paper.

Two modules share one character cell (upper and lower half blocks), dark on a white ground
with a quiet zone, which phone cameras read from a terminal or a browser alike.
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from rich.text import Text
from textual.widgets import Static

QUIET_ZONE = 2  # modules; phones read 2 reliably on a plain white ground
CELLS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR modules of ``data`` (True = dark), quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_lines(data: str) -> list[str]:
    """``data`` as lines of half-block characters (dark drawn in the foreground colour)."""
    matrix = qr_matrix(data)
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    return ["".join(CELLS[top, bottom] for top, bottom in zip(upper, lower, strict=True))
            for upper, lower in zip(matrix[::2], matrix[1::2], strict=True)]


class QrCode(Static):
    """A QR code of ``data``, black on white whatever the theme (contrast is what scanners need)."""

    DEFAULT_CSS = """
    QrCode { width: auto; height: auto; }
    """

    def __init__(self, data: str, **kwargs) -> None:
        self.data = data
        super().__init__(Text("\n".join(qr_lines(data)), style="#000000 on #ffffff", no_wrap=True), **kwargs)
