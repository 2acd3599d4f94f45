"""What a scanned or typed code means to the kiosk.

The ticket's QR code holds its status URL, ``…/s/{status_token}``; a scanner in keyboard mode
types it, a serial scanner sends it as a line, and staff sometimes type the bare token. The
ticket number and the short check code printed beside the QR are the fallback for a ticket
whose code no longer scans.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_BARE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # shorter bare codes are product barcodes, not tickets
_NUMBER = re.compile(r"^[A-Z][0-9]{3,5}$")
_CHECK_CODE = re.compile(r"^[A-Z0-9]{3,12}$")


def status_token(scanned: str) -> str | None:
    """The status token in a scanned URL (``…/s/{token}``, any host) or a bare token; None when
    the code is something else (a green-channel code, a product barcode, noise)."""
    code = scanned.strip()
    if "/s/" not in code:
        return code if _BARE_TOKEN.match(code) else None
    path = urlsplit(code).path if "://" in code else code.split("?", 1)[0].split("#", 1)[0]
    token = unquote(path.rsplit("/s/", 1)[1]).strip("/")
    return token if _TOKEN.match(token) else None


def ticket_number(typed: str) -> str | None:
    """A ticket number as printed (``A001``), whatever the case and spacing of the typing."""
    number = "".join(typed.split()).upper()
    return number if _NUMBER.match(number) else None


def check_code(typed: str) -> str | None:
    """The short check code printed beside the QR code, normalised to upper case."""
    code = "".join(typed.split()).upper()
    return code if _CHECK_CODE.match(code) else None
