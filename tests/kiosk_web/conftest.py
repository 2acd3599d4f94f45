"""The web kiosk as it runs on a kiosk PC: ``KioskWeb`` served by uvicorn on loopback (the code
``hall kiosk --web`` runs), reaching a real hall server, driven by headless Chromium with taps.

The kiosk runs in the test's own event loop, so a test can hand it a printer that has run out of
paper or a relay that cuts the network; spoken guidance is written to a folder the test reads.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from hardware.printer.device import PrinterConfig, TicketPrinter
from hardware.voice.guide import Guide
from kiosk.config import KioskConfig
from kiosk.core import KioskCore
from kiosk.web.server import KioskWeb
from tests.kiosk.relay import free_port

PATIENCE = 30_000  # ms a step may take before the test gives up (a hang, not a timing check)


@dataclass
class WebKiosk:
    url: str
    core: KioskCore
    guide: Guide
    tickets: Path  # the preview printer's PNG tickets


@contextlib.asynccontextmanager
async def web_kiosk(server: str, token: str, folder: Path, *, printer: TicketPrinter | None = None,
                    **config: object) -> AsyncIterator[WebKiosk]:
    """A web kiosk for the hall at ``server`` (one address or several), until the block ends."""
    tickets = folder / "tickets"
    settings = KioskConfig(server=server, kiosk_token=token,
                           printer=PrinterConfig(kind="preview", target=str(tickets)), **config)  # type: ignore[arg-type]
    guide = Guide(folder / "voice", play=False)
    core = KioskCore(settings, printer=printer, guide=guide, retry_backoff=(0.05, 0.3))
    port = free_port()
    server_ = uvicorn.Server(uvicorn.Config(KioskWeb(core).app(), host="127.0.0.1", port=port, log_level="warning",
                                            lifespan="on"))
    task = asyncio.create_task(server_.serve())
    while not server_.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield WebKiosk(f"http://127.0.0.1:{port}", core, guide, tickets)
    finally:
        server_.should_exit = True
        await task


async def shows(page, kind: str) -> None:
    """Wait until the page shows the flow's screen ``kind`` (home, guide, confirm, ticket…)."""
    await page.wait_for_selector(f'#screen[data-kind="{kind}"]', timeout=PATIENCE)


async def tap(page, choice: str) -> None:
    """A finger on the choice ``choice`` (the flow's id: go-take, svc-3, confirm-normal, key-A…)."""
    await page.tap(f'button[data-choice="{choice}"]', timeout=PATIENCE)


async def tap_keys(page, typed: str) -> None:
    """Type ``typed`` on the on-screen keys, one tap a key, as an applicant without a keyboard does."""
    for ch in typed.upper():
        await tap(page, f"key-{ch}")


async def type_number_and_code(page, number: str, code: str) -> None:
    """On the find screen: touch the number's field and type it on the keys, then the check code's."""
    await page.tap('input[data-field="find-number"]')
    await tap_keys(page, number)
    await page.tap('input[data-field="find-code"]')
    await tap_keys(page, code)


async def screen_text(page) -> str:
    return await page.inner_text("#screen")


async def wait_for_text(page, *words: str) -> None:
    """Wait until every one of ``words`` is on the screen."""
    await page.wait_for_function(
        "words => words.every(w => (document.querySelector('#screen')?.innerText || '').includes(w))",
        arg=list(words), timeout=PATIENCE)


async def ready(page, kiosk: WebKiosk) -> None:
    """Open the kiosk's page and wait until it has its hall (the home tiles answer)."""
    for _ in range(300):
        if kiosk.core.hall is not None:
            break
        await asyncio.sleep(0.05)
    await page.goto(kiosk.url)
    await shows(page, "home")
    await wait_for_text(page, kiosk.core.hall.hall["name"] if kiosk.core.hall else "")
