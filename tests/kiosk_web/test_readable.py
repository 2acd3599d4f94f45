"""Every screen of the web kiosk, reached by touch on a 1920×1080 screen, measured in Chromium in
both text sizes: body text ≥ 24 px and the main choices ≥ 36 px (大字: 1.5× both), the ticket
number ≥ a sixth of the screen's height, every touch target ≥ 80×80 px with room between, every
text's contrast ≥ 4.5:1, and nothing running off the screen or clipped."""

from __future__ import annotations

import pytest

from tests.browser import chromium_page
from tests.conftest import sqlite_only
from tests.kiosk_web.conftest import web_kiosk
from tests.kiosk_web.measure import assert_readable, measure
from tests.kiosk_web.walk import SCREENS, walk

pytestmark = pytest.mark.browser
database_url = sqlite_only()


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
async def test_every_screen_is_readable_and_touchable_at_1920x1080(hall, tmp_path, large: bool) -> None:
    seen: list[str] = []
    problems: list[str] = []

    async def check(name: str) -> None:
        seen.append(name)
        try:
            assert_readable(await measure(page), large)
        except AssertionError as err:
            problems.append(f"{name}: {err}")

    async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path) as kiosk, chromium_page(touch=True) as page:
        await walk(page, kiosk, hall, "zh", large, check)
    assert seen == [name for name, _ in SCREENS]
    assert not problems, "\n".join(problems)
