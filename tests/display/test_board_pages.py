"""Boards with more than their panels hold page through it all: on the Kunshan demo hall (16 series,
40 windows, 11 calling, one paused, 28 closed) every series and every window is on the TV and
on the terminal board within a few page turns, each page whole inside its panel, with "1/3"
beside the heading of a list that pages.

The TV's page turns are its timer's: Chromium's clock is run forward instead of waited for.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from display.app import BoardApp
from display.board_model import view
from display.paging import PAGE_SECONDS
from tests.browser import chromium_page
from tests.display.kunshan import Kunshan, morning, start_kunshan
from tests.display.support import until

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
TURNS = 6  # "a few pages": every list is seen whole within this many turns

# What each list shows that is whole inside its panel (not cut by the panel's edge or hidden on another page).
SHOWN = """
() => {
  const inside = (el, box) => { const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1; };
  const main = document.querySelector("main").getBoundingClientRect();
  const shown = (id, key) => {
    const list = document.getElementById(id), box = list && list.getBoundingClientRect();
    if (!list || box.bottom > main.bottom + 1) return [];  // no such list, or the panel itself is cut off
    return Array.from(list.children).filter((el) => inside(el, box)).map(key);
  };
  return {
    groups: shown("groups", (li) => li.querySelector(".prefix").textContent),
    calls: shown("calls", (li) => +li.dataset.window),
    paused: shown("off", (li) => li.className === "paused" ? +li.textContent.match(/\\d+/)[0] : 0).filter(Boolean),
    closed: shown("off", (li) => li.className === "closed" ? +li.textContent : 0).filter(Boolean),
    waitingPage: (document.getElementById("groups-page") || {}).textContent || "",
  };
}
"""


@pytest.fixture
async def kunshan(tmp_path):
    hall, demo = start_kunshan(tmp_path)
    try:
        await morning(hall, demo)
        yield hall
    finally:
        hall.server.stop()


def expected(v: dict, hall: Kunshan) -> dict[str, set]:
    """What the board must show, from the view it is sent: all of it."""
    assert {g["prefix"] for g in v["groups"]} == hall.series  # the view has them all; the page must show them
    assert [p["window"] for p in v["paused"]] == [hall.paused]
    assert len(v["closed"]) == 40 - 12
    return {"groups": hall.series, "calls": {c["window"] for c in v["calls"]},
            "paused": {hall.paused}, "closed": set(v["closed"])}


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
async def test_the_tv_pages_through_every_series_and_every_window(kunshan, size):
    async with chromium_page(*size) as page:
        await page.clock.install()
        await page.goto(f"{kunshan.url}/board?hall={kunshan.hall_id}")
        await page.wait_for_function("window.hallBoard && window.hallBoard.connected", timeout=15000)
        await page.clock.run_for(500)  # the first drawing
        want = expected(await page.evaluate("window.hallBoard.view"), kunshan)
        seen: dict[str, set] = {panel: set() for panel in want}
        first = await page.evaluate(SHOWN)
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"board-pages-{size[0]}.png"))
        assert re.fullmatch(r"1/[2-6]", first["waitingPage"]), first["waitingPage"]  # it pages, and says so
        assert len(first["groups"]) >= 3  # each page a useful share of the queues
        for _ in range(TURNS):
            shown = await page.evaluate(SHOWN)
            for panel in seen:
                seen[panel] |= set(shown[panel])
            await page.clock.run_for(int(PAGE_SECONDS * 1000))
        assert seen == want


def _text(app: BoardApp, selector: str) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(app.query_one(selector, Static).content)
    return console.export_text()


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_terminal_board_pages_through_every_series_and_every_window(kunshan, size):
    app = BoardApp(kunshan.url, kunshan.hall_id, clock=kunshan.clock.now, scroll_notice=False)
    async with app.run_test(size=size) as pilot:
        await until(lambda: app.state is not None and app.connected)
        await pilot.pause()
        want = expected(view(app.state), kunshan)
        assert re.search(r"等候人数  1/[2-6]$", _text(app, "#waiting-title").strip())
        seen: dict[str, set] = {panel: set() for panel in want}
        for _ in range(TURNS):
            app.draw()
            await pilot.pause()
            groups = _text(app, "#groups").splitlines()
            seen["groups"] |= {line.split()[0] for line in groups if line.strip()}
            seen["calls"] |= {int(n) for n in re.findall(r"→ (\d+) 号窗口", _text(app, "#calls"))}
            off = _text(app, "#windows-off")
            paused, _, closed = off.partition("未开放窗口")
            seen["paused"] |= {int(n) for n in re.findall(r"(\d+) 号窗口", paused)}
            seen["closed"] |= {int(n) for line in closed.splitlines()[1:] for n in line.split()}
            assert all(w.region.bottom <= app.screen.region.bottom - 1 for w in app.query("#side > *"))  # nothing cut
            app.turn_pages()
        assert seen == want
