"""Snapshots of the screens an applicant sees most, in Chinese and English: home, a guide item,
a ticket and the rating. The hall's answers are fixed (tests/kiosk/fake_hall.py) and so is the
clock, so a changed picture means a changed screen. Regenerate after an intended change with
``pytest tests/kiosk/test_snapshots.py --snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from hall_server.client import HallClient
from hardware.printer.device import PrinterConfig
from kiosk.app import KioskApp
from kiosk.config import KioskConfig
from tests.kiosk import fake_hall
from tests.kiosk.conftest import SIZE, drawn, ready, tap, wait_for_screen, wait_until

FROZEN = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in the hall


async def settle(pilot) -> None:
    """The mouse rests on the title, where nothing lights up under it, and the screen is drawn and idle."""
    await pilot.hover("#top-title")
    await drawn(pilot)


def fake_kiosk(lang: str, tmp_path: Path) -> KioskApp:
    client = HallClient("http://hall.test", "kiosk-token", transport=httpx.MockTransport(fake_hall.handle))
    config = KioskConfig(server="http://hall.test", kiosk_token="kiosk-token", language=lang,
                         printer=PrinterConfig(kind="preview", target=str(tmp_path)))
    return KioskApp(config, client=client, now=lambda: FROZEN)


LANGS = pytest.mark.parametrize("lang", ["zh", "en"])


@LANGS
def test_home(snap_compare, lang: str, tmp_path: Path) -> None:
    async def home(pilot) -> None:
        await ready(pilot)
        await settle(pilot)

    assert snap_compare(fake_kiosk(lang, tmp_path), terminal_size=SIZE, run_before=home)


@LANGS
def test_guide_item(snap_compare, lang: str, tmp_path: Path) -> None:
    async def open_item(pilot) -> None:
        await ready(pilot)
        await tap(pilot, "#go-guide")
        await tap(pilot, "#svc-1")
        await wait_until(pilot, lambda: getattr(pilot.app.visit.screen, "detail", None) is not None, "the item")
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#item-what")), "the item drawn")
        await settle(pilot)

    assert snap_compare(fake_kiosk(lang, tmp_path), terminal_size=SIZE, run_before=open_item)


@LANGS
def test_ticket(snap_compare, lang: str, tmp_path: Path) -> None:
    async def take(pilot) -> None:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await tap(pilot, "#svc-1")
        await tap(pilot, "#confirm-normal")
        await wait_for_screen(pilot, "TicketScreen")
        await wait_until(pilot, lambda: pilot.app.visit.screen.print_result is not None, "the printer")
        await settle(pilot)

    assert snap_compare(fake_kiosk(lang, tmp_path), terminal_size=SIZE, run_before=take)


@LANGS
def test_rating(snap_compare, lang: str, tmp_path: Path) -> None:
    async def rate_poor(pilot) -> None:
        await ready(pilot)
        await tap(pilot, "#go-rate")
        pilot.app.core.scanned(fake_hall.TICKET["status_url"])  # a serial scanner's code
        await wait_for_screen(pilot, "RatingScreen")
        await tap(pilot, "#rate-poor")
        await wait_until(pilot, lambda: any(w.region.area for w in pilot.app.screen.query("#reason-slow")),
                         "the reasons")
        await tap(pilot, "#reason-slow")
        await wait_until(pilot, lambda: pilot.app.screen.query_one("#reason-slow").has_class("-selected"),
                         "the reason chosen")
        await settle(pilot)

    assert snap_compare(fake_kiosk(lang, tmp_path), terminal_size=SIZE, run_before=rate_poor)
