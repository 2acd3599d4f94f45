"""``hall kiosk --web`` as a kiosk PC's autostart runs it: the command serves the touch page at
``http://HOST:PORT/``, and everything the page loads (script, style, the Chinese font) comes from
the kiosk PC itself: a hall's network is often closed to the internet."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium_page
from tests.harness import RunningHall
from tests.kiosk.relay import free_port
from tests.kiosk_web.conftest import shows, tap, wait_for_text

pytestmark = pytest.mark.browser
ROOT = Path(__file__).parents[2]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"hall kiosk --web exited: {process.stdout.read() if process.stdout else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("hall kiosk --web did not start listening")


@contextlib.contextmanager
def web_kiosk_command(hall: RunningHall, folder: Path) -> Iterator[str]:
    """``hall kiosk --web`` for the test hall, printing PNG previews into ``folder``; yields its URL."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "hall_server.cli", "kiosk", "--web", "--host", "127.0.0.1", "--port", str(port),
               "--server", hall.url, "--kiosk-token", hall.hall.kiosk_token, "--printer", "preview",
               "--printer-target", str(folder), "--voice-dir", str(folder / "voice")]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


async def test_the_command_serves_the_touch_page_with_nothing_from_off_the_machine(hall, tmp_path) -> None:
    with web_kiosk_command(hall, tmp_path) as url:
        async with chromium_page(touch=True) as page:
            loaded: list[str] = []
            page.on("request", lambda request: loaded.append(request.url))
            await page.goto(url + "/")
            await shows(page, "home")
            await wait_for_text(page, "测试行政服务中心", "取 号", "大字", "语音引导")
            await page.wait_for_function("document.fonts.status === 'loaded'")
            fonts = await page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
            await tap(page, "go-take")
            await shows(page, "guide")
    assert loaded and all(u.startswith(url) for u in loaded), [u for u in loaded if not u.startswith(url)]
    assert fonts, "the page's font was loaded (the PC's own WenQuanYi, else the file the kiosk serves)"
