"""Photographs every screen of the web kiosk, in both languages and both text sizes, for the docs.

    .venv/bin/python -m tests.kiosk_web.gallery [docs/kiosk]

It starts the test hall (SQLite, in a temporary folder) and a web kiosk beside it, walks through
every screen by touch in headless Chromium at 1920×1080 (``walk.py``, the walk the measuring test
takes) and writes half-size PNGs and ``docs/KIOSK.md``, which shows them.
"""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
from pathlib import Path

from PIL import Image

from hall_server.clock import Clock
from tests.browser import chromium_page
from tests.harness import OPEN_MOMENT, start_hall
from tests.kiosk_web.conftest import web_kiosk
from tests.kiosk_web.walk import SCREENS, walk

ROOT = Path(__file__).parents[2]
LANGS = (("zh", "中文"), ("en", "English"))
MODES = ((False, "标准 normal"), (True, "大字 large"))


def name(lang: str, large: bool, screen: str) -> str:
    return f"{lang}-{'large' if large else 'normal'}-{screen}.png"


async def photograph(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for lang, _ in LANGS:
        for large, _ in MODES:
            with tempfile.TemporaryDirectory() as scratch:
                clock = Clock()
                clock.set(OPEN_MOMENT)
                hall = start_hall(f"sqlite:///{scratch}/hall.db", clock=clock)
                try:
                    async with web_kiosk(hall.url, hall.hall.kiosk_token, Path(scratch)) as kiosk, \
                            chromium_page(touch=True) as page:

                        async def shoot(screen: str, lang: str = lang, large: bool = large) -> None:
                            await asyncio.sleep(0.3)  # the press effect of the last tap has faded
                            shot = Image.open(io.BytesIO(await page.screenshot()))
                            half = shot.convert("RGB").resize((960, 540), Image.LANCZOS)
                            half.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
                                folder / name(lang, large, screen), optimize=True)  # a third of the bytes

                        await walk(page, kiosk, hall, lang, large, shoot)
                finally:
                    hall.server.stop()
    write_page(folder)


def write_page(folder: Path) -> None:
    """docs/KIOSK.md: each screen in a row, the four ways it can look side by side."""
    rel = folder.relative_to(ROOT / "docs")
    lines = ["# The web kiosk, screen by screen", "",
             "Every screen of `hall kiosk --web` at 1920×1080, in Chinese and English, in normal and",
             "large text (大字), as an applicant reaches it by touch. Made by",
             "`.venv/bin/python -m tests.kiosk_web.gallery` (the walk `tests/kiosk_web/test_readable.py` measures).",
             "", "| screen | " + " | ".join(f"{lang_name} · {mode_name}" for _, lang_name in LANGS
                                          for _, mode_name in MODES) + " |",
             "|---" * 5 + "|"]
    for screen, title in SCREENS:
        cells = [f"![{screen}]({rel}/{name(lang, large, screen)})" for lang, _ in LANGS for large, _ in MODES]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    (ROOT / "docs" / "KIOSK.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "kiosk"
    asyncio.run(photograph(target.resolve()))
