"""The kiosk in a browser, as on a touchscreen PC running kiosk-mode Chromium: `hall kiosk --web`
serves it through textual-serve, headless Chromium taps 取号, a service and confirm, and the
hall server has issued the ticket. A screenshot is kept in artifacts/ for a person to look at.

The terminal is drawn on a canvas, so the test learns where to tap the way a person would: it
lays the same screen out at the browser's terminal size (the same app, the same server, run
headless here) and taps the middle of the button there. What the browser shows is read from
the terminal output the page receives.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from hall_server.client import HallClient
from tests.browser import chromium_page
from tests.harness import RunningHall
from tests.kiosk.conftest import issued_count, ready, tap, wait_for_screen
from tests.kiosk.relay import free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "artifacts"
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07]*\x07|\x1b[@-Z\\-_]")

# Remembers the terminal's size (sent by textual-serve's page) and everything the app writes.
WATCH_TERMINAL = """
(() => {
  const Native = window.WebSocket;
  window.__kiosk = {cols: 0, rows: 0, chunks: []};
  window.WebSocket = function (url, protocols) {
    const ws = new Native(url, protocols);
    const size = new URL(url).searchParams;
    window.__kiosk.cols = +size.get("width"); window.__kiosk.rows = +size.get("height");
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      try { const m = JSON.parse(data); if (m[0] === "resize") {
        window.__kiosk.cols = m[1].width; window.__kiosk.rows = m[1].height; } } catch (e) {}
      return send(data);
    };
    ws.addEventListener("message", (e) => {
      if (typeof e.data !== "string") window.__kiosk.chunks.push(new TextDecoder().decode(e.data));
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
})();
"""


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"hall kiosk --web exited: {process.stdout.read() if process.stdout else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("hall kiosk --web did not start listening")


async def page_text(page) -> str:
    chunks = await page.evaluate("window.__kiosk.chunks.join('')")
    return ANSI.sub("", chunks)


async def wait_for_new_text(page, seen: int, *words: str, seconds: float = 30) -> None:
    """Wait until what the page received after its first ``seen`` chunks shows every one of ``words``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        chunks = await page.evaluate("window.__kiosk.chunks")
        if all(w in ANSI.sub("", "".join(chunks[seen:])) for w in words):
            return
        if loop.time() > deadline:
            raise AssertionError(f"the browser never showed {words!r}")
        await asyncio.sleep(0.1)


async def wait_for_page_text(page, words: str, seconds: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while words not in await page_text(page):
        if loop.time() > deadline:
            raise AssertionError(f"the browser never showed {words!r}")
        await asyncio.sleep(0.1)


@contextlib.contextmanager
def web_kiosk(hall: RunningHall, tmp_path: Path) -> Iterator[int]:
    """``hall kiosk --web`` for the test hall, printing to PNG previews; yields its port."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "kiosk.app", "--web", "--port", str(port), "--server", hall.url,
               "--kiosk-token", hall.hall.kiosk_token, "--printer", "preview", "--printer-target", str(tmp_path)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        wait_for_port(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@dataclass(frozen=True)
class Terminal:
    """The terminal on the page: its size in cells (as the page last told the app) and where it is drawn."""

    cols: int
    rows: int
    box: dict[str, float]

    @property
    def cell(self) -> tuple[float, float]:
        """A glyph cell's width and height on the screen, in CSS pixels."""
        return self.box["width"] / self.cols, self.box["height"] / self.rows

    def middle_of(self, widget) -> tuple[float, float]:
        """Where on the page the middle of a widget of an app laid out at this size is."""
        region = widget.region
        cell_w, cell_h = self.cell
        return (self.box["x"] + (region.x + region.width / 2) * cell_w,
                self.box["y"] + (region.y + region.height / 2) * cell_h)


async def terminal(page) -> Terminal:
    cols, rows = await page.evaluate("[window.__kiosk.cols, window.__kiosk.rows]")
    return Terminal(cols, rows, await page.locator(".xterm-screen").bounding_box())


async def test_the_kiosk_in_chromium_issues_a_ticket(hall: RunningHall, make_kiosk, tmp_path: Path) -> None:
    with web_kiosk(hall, tmp_path) as port:
        async with chromium_page(1280, 800) as page:
            await page.add_init_script(WATCH_TERMINAL)
            await page.goto(f"http://127.0.0.1:{port}/")
            await wait_for_page_text(page, "测试行政服务中心")
            screen = await terminal(page)

            # The same screens at the browser's size, to find where each button is.
            layout = make_kiosk()
            async with layout.run_test(size=(screen.cols, screen.rows)) as pilot:

                async def touch(selector: str) -> None:
                    await page.mouse.click(*screen.middle_of(layout.screen.query_one(selector)))

                await ready(pilot)
                await touch("#go-take")
                await wait_for_page_text(page, "取号:请选择要办理的业务")
                await tap(pilot, "#go-take")
                await touch(f"#svc-{hall.hall.services['GS-2']}")
                await wait_for_page_text(page, "请确认您要办理的业务")
                await tap(pilot, f"#svc-{hall.hall.services['GS-2']}")
                await wait_for_screen(pilot, "ConfirmScreen")
                await touch("#confirm-normal")
                await wait_for_page_text(page, "取号成功")
                await wait_for_page_text(page, "请取走您的票据。")
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"kiosk-web-ticket-{hall.database_url.split(':')[0]}.png"
            await page.screenshot(path=str(shot))
    assert await issued_count(hall) == 1
    async with HallClient(hall.url, hall.hall.kiosk_token) as client:
        events = await client.list_events(0, hall.hall.hall_id)
    issued = [e["payload"]["ticket"] for e in events if e["kind"] == "ticket.issued"]
    assert [(t["number"], t["service_name"]) for t in issued] == [("A001", "个体工商户登记")]
    # The QR code as the browser drew it scans (a phone held to the screen gets the ticket's status).
    (scanned,) = [code.text for code in zxingcpp.read_barcodes(Image.open(shot))]
    async with HallClient(hall.url) as public:
        assert (await public.lookup_status(scanned.rsplit("/s/", 1)[1]))["number"] == "A001"


async def test_large_text_in_the_browser_is_a_larger_font_where_the_applicant_was(
        hall: RunningHall, make_kiosk, tmp_path: Path) -> None:
    """大字模式 in the browser makes every glyph half as large again (fewer, larger cells), in the same
    app process: the applicant stays on the screen they were on; 标准字体 gives the normal size back."""
    with web_kiosk(hall, tmp_path) as port:
        async with chromium_page(1280, 1024) as page:
            await page.add_init_script(WATCH_TERMINAL)
            await page.goto(f"http://127.0.0.1:{port}/")
            await wait_for_page_text(page, "测试行政服务中心")
            normal = await terminal(page)
            layout = make_kiosk()
            async with layout.run_test(size=(normal.cols, normal.rows)) as pilot:
                await ready(pilot)
                await page.mouse.click(*normal.middle_of(layout.screen.query_one("#go-take")))
                await wait_for_page_text(page, "取号:请选择要办理的业务")
                await tap(pilot, "#go-take")
                seen = len(await page.evaluate("window.__kiosk.chunks"))
                await page.mouse.click(*normal.middle_of(layout.screen.query_one("#top-large")))
            await page.wait_for_function(f"window.__kiosk.cols < {normal.cols}", timeout=15000)
            await wait_for_new_text(page, seen, "标准字体", "取号:请选择要办理的业务")  # same place, now large
            large = await terminal(page)
            assert large.cell[0] >= 1.4 * normal.cell[0] and large.cell[1] >= 1.4 * normal.cell[1], (normal, large)
            assert large.cols <= normal.cols / 1.4
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "kiosk-web-large-text.png"))

            layout = make_kiosk(large_text=True)
            async with layout.run_test(size=(large.cols, large.rows)) as pilot:
                await ready(pilot)
                await tap(pilot, "#go-take")
                await page.mouse.click(*large.middle_of(layout.screen.query_one("#top-large")))
            await page.wait_for_function(f"window.__kiosk.cols === {normal.cols}", timeout=15000)
            assert (await terminal(page)).cell == normal.cell
