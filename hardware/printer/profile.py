"""What a ticket printer understands, kept as data so a hall can swap printers by configuration.

Chinese thermal printers differ in exactly the ways that break a ticket: which multi-byte
encoding their built-in font expects, whether Chinese mode must be switched on with
``FS &`` / off with ``FS .``, whether they draw QR codes themselves (``GS ( k``), how wide the
paper is and which raster command they know. A printer with no Chinese font at all gets every
line as a picture (``encoding="image"``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Literal

Encoding = Literal["gb18030", "gbk", "utf-8", "image"]
ImageImpl = Literal["bitImageRaster", "bitImageColumn", "graphics"]


@dataclass(frozen=True)
class PrinterProfile:
    """The handful of facts about a printer model that the ticket layout depends on."""

    name: str = "gb18030-80mm"
    encoding: Encoding = "gb18030"
    chinese_mode_commands: bool = False
    native_qr: bool = True
    width_dots: int = 576
    image_impl: ImageImpl = "bitImageRaster"

    def __post_init__(self) -> None:
        if self.encoding not in ("gb18030", "gbk", "utf-8", "image"):
            raise ValueError(f"unknown printer encoding {self.encoding!r}")
        if not 128 <= self.width_dots <= 2048:
            raise ValueError(f"paper width {self.width_dots} dots is not a ticket printer")

    @property
    def prints_text_as_image(self) -> bool:
        """True for printers without a Chinese font: every line goes as a raster picture."""
        return self.encoding == "image"

    @property
    def text_encoding(self) -> str:
        """The byte encoding the printer's own font decodes (GB18030 for image-only printers'
        few ASCII control lines, which never contain Chinese)."""
        return "gb18030" if self.encoding == "image" else self.encoding


PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        # Most Chinese 80 mm kiosk printers: start in Chinese mode, GB18030 font, native QR.
        PrinterProfile("gb18030-80mm", "gb18030", False, True, 576),
        PrinterProfile("gb18030-58mm", "gb18030", False, True, 384),
        # Epson-style firmware with a Chinese font that must be switched on per line.
        PrinterProfile("gb18030-fs-80mm", "gb18030", True, True, 576),
        PrinterProfile("gbk-80mm", "gbk", False, True, 576),
        PrinterProfile("gbk-58mm-rasterqr", "gbk", False, False, 384),
        PrinterProfile("utf8-80mm", "utf-8", False, True, 576),
        # No Chinese font: every line is drawn with Pillow and sent as a raster image.
        PrinterProfile("image-80mm", "image", False, False, 576),
        PrinterProfile("image-58mm", "image", False, False, 384),
        PrinterProfile("image-80mm-column", "image", False, False, 576, "bitImageColumn"),
    )
}

DEFAULT_PROFILE = PROFILES["gb18030-80mm"]


def profile_named(name: str) -> PrinterProfile:
    """A known profile by name; the error lists the choices so a misspelt config is quick to fix."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown printer profile {name!r}; known: {', '.join(sorted(PROFILES))}") from None


def escpos_capabilities(profile: PrinterProfile) -> Any:
    """A python-escpos capability profile that knows the paper width.

    python-escpos needs the width to centre raster images, and without it prints a warning to
    stdout on every image, which would scribble over a Textual kiosk screen. The library's
    profile data is a class attribute shared by every printer, so this copies it per instance.
    """
    from escpos.capabilities import Profile, get_profile_class

    data = copy.deepcopy(get_profile_class("default").profile_data)
    mm = 80 if profile.width_dots > 400 else 58
    data["media"] = {"dpi": 203, "width": {"mm": mm, "pixels": profile.width_dots}}
    caps = Profile(features=data["features"])
    caps.profile_data = data
    return caps
