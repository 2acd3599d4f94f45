"""Finding a CJK font for drawing Chinese with Pillow (image-only printers and the preview).

Debian's fonts-wqy-microhei is what scripts/system-packages.sh installs; Noto CJK and WenQuanYi
Zen Hei are accepted too. ``HALL_CJK_FONT`` points at any other TrueType/OpenType file.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


def cjk_font_path() -> Path | None:
    """The first CJK font that exists, or None when the machine has none."""
    configured = os.environ.get("HALL_CJK_FONT")
    for candidate in ((configured,) if configured else ()) + CJK_FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    return None


class NoCjkFontError(RuntimeError):
    """Raised when Chinese must be drawn but no CJK font is installed."""


@lru_cache(maxsize=64)
def cjk_font(size_px: int) -> ImageFont.FreeTypeFont:
    """A CJK font at ``size_px`` pixels; raises NoCjkFontError naming the package to install."""
    path = cjk_font_path()
    if path is None:
        raise NoCjkFontError(
            "no CJK font found: install fonts-wqy-microhei (scripts/system-packages.sh) or set HALL_CJK_FONT"
        )
    return ImageFont.truetype(str(path), size_px)
