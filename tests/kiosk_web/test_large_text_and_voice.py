"""大字 and 语音引导 on the web kiosk: large text holds for the whole visit on every screen, and
spoken guidance, once touched, says each screen and the ticket's number through espeak-ng."""

from __future__ import annotations

import array
import asyncio
import wave
from pathlib import Path

import pytest

from hardware.voice.speech import espeak_available
from tests.browser import chromium_page
from tests.conftest import sqlite_only
from tests.kiosk_web.conftest import ready, shows, tap, wait_for_text, web_kiosk

pytestmark = pytest.mark.browser
database_url = sqlite_only()


async def label_size(page, choice: str) -> float:
    """The computed font size (px) of a choice's label."""
    return await page.evaluate(
        """id => parseFloat(getComputedStyle(document.querySelector(`button[data-choice="${id}"] .label`)).fontSize)""",
        choice)


async def test_large_text_is_half_as_large_again_on_every_screen_until_the_visit_ends(hall, tmp_path) -> None:
    async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path) as kiosk, chromium_page(touch=True) as page:
        await ready(page, kiosk)
        normal = await label_size(page, "go-take")
        await tap(page, "top-large")
        await page.wait_for_selector('button[data-choice="top-large"][aria-pressed="true"]')
        large = await label_size(page, "go-take")
        assert large >= 1.5 * normal and large >= 54
        await tap(page, "go-take")
        await shows(page, "guide")
        service = f"svc-{hall.hall.services['GS-1']}"
        assert await label_size(page, service) >= 54
        overflow = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, "large text reflows: nothing runs off the side of the screen"
        await tap(page, service)
        await shows(page, "confirm")
        await tap(page, "confirm-normal")
        await shows(page, "ticket")
        await tap(page, "ticket-done")  # the visit ends: the next applicant starts in normal text
        await shows(page, "home")
        assert await label_size(page, "go-take") == normal


def speech_level(path: Path) -> float:
    """The RMS level of a 16-bit mono WAV: speech, not silence."""
    with wave.open(str(path)) as audio:
        samples = array.array("h", audio.readframes(audio.getnframes()))
    return (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5


async def said(kiosk, count: int) -> list:
    """The sentences the kiosk has spoken, once there are ``count``."""
    for _ in range(600):
        if len(kiosk.guide.produced) >= count:
            return kiosk.guide.produced
        await asyncio.sleep(0.05)
    raise AssertionError(f"the kiosk spoke {len(kiosk.guide.produced)} sentences, not {count}")


async def sentence(kiosk, words: str):
    """The sentence spoken with ``words`` in it, once it has been (a screen passed by quickly, such
    as "issuing", may be said before it or dropped for it)."""
    for _ in range(600):
        found = [s for s in kiosk.guide.produced if words in s.text]
        if found:
            return found[-1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"never said {words!r}: {[s.text for s in kiosk.guide.produced]}")


async def test_spoken_guidance_is_off_until_touched_then_says_each_screen_and_the_ticket(hall, tmp_path) -> None:
    if not espeak_available():
        pytest.skip("espeak-ng is not installed (scripts/system-packages.sh)")
    async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path) as kiosk, chromium_page(touch=True) as page:
        await ready(page, kiosk)
        await tap(page, "go-take")
        await shows(page, "guide")
        assert kiosk.guide.produced == [], "silent until the applicant asks"
        await tap(page, "top-voice")
        first = (await said(kiosk, 1))[0]
        assert first.text.startswith("取号:请选择要办理的业务") and "企业设立登记" in first.text
        assert first.path is not None and speech_level(first.path) > 500
        await tap(page, f"svc-{hall.hall.services['GS-1']}")  # on for the rest of the visit: said unasked
        confirm = (await said(kiosk, 2))[1]
        assert "请确认您要办理的业务" in confirm.text and "确认取号" in confirm.text
        await tap(page, "confirm-normal")
        await shows(page, "ticket")
        await wait_for_text(page, "A001")
        ticket = await sentence(kiosk, "您的号码是")
        assert "A 零 零 一" in ticket.text and "请到以下窗口附近等候叫号" in ticket.text
        kiosk.guide.join(30)
        assert ticket.path is not None and speech_level(ticket.path) > 500
