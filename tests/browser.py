"""Headless Chromium for the web pages' tests (board, kiosk, QR status page): Debian's /usr/bin/chromium driven by
Playwright, never a downloaded one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"headless Chromium not found at {CHROMIUM} (install it with scripts/system-packages.sh)")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install -e '.[dev]')")


@contextlib.asynccontextmanager
async def chromium_page(width: int = 1920, height: int = 1080, *, touch: bool = False) -> AsyncIterator:
    """A page in a fresh headless Chromium (a TV-sized viewport by default); ``touch``: a touch
    screen, tapped with ``page.tap`` as a finger would."""
    require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = await browser.new_page(viewport={"width": width, "height": height}, has_touch=touch)
            yield page
        finally:
            await browser.close()
