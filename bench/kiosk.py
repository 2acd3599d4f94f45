"""Web kiosk timings: start-up, a touch to the next screen as the applicant sees it, and how the
cost of a touch grows with the hall's catalog.

The hall server runs in its own process (the test hall, its clock frozen at an open Wednesday
10:00, so the bench runs at any hour; see bench/board.py); the web kiosk is the real
``KioskWeb`` served by uvicorn on loopback, and headless Chromium taps it as a finger does.

- start-up: ``import kiosk.web.server`` in a fresh interpreter (what a kiosk PC pays at boot),
  then kiosk started -> the page's home screen showing the hall (its catalog read);
- touch to screen, timed in the page from the tap to the new screen in the document: 取号 ->
  the services, a key of the pinyin keypad -> the results, and 确认取号 -> the ticket on screen
  (the server's issue, the flow, the page) and -> the printer's answer on screen (preview printer);
- growth: the flow and the page's HTML for one touch (the services list, a search keystroke) with
  a catalog of 80, 800 and 8,000 services, in-process: what the kiosk PC's CPU spends per touch.

    python -m bench.kiosk [--tickets 30] [--starts 5] [--services 80,800,8000] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.board import _free_port, _serve, _wait_healthy, percentile
from bench.run import machine

ROOT = Path(__file__).resolve().parents[1]

# Times a touch in the page: from the click to the screen of ``kind`` (or a selector) in the document.
TIMER = """
() => { window.__bench = {t0: 0, want: null, took: null};
new MutationObserver(() => {
  const b = window.__bench;
  if (b.want && b.took === null && document.querySelector(b.want)) b.took = performance.now() - b.t0;
}).observe(document.body, {childList: true, subtree: true, attributes: true}); }
"""


def import_seconds() -> float:
    """``import kiosk.web.server`` in a fresh interpreter, less the interpreter's own start."""
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
        return time.perf_counter() - start

    return min(run("import kiosk.web.server") - run("pass") for _ in range(3))


async def timed_tap(page, choice: str, want: str) -> float:
    """Tap ``choice``; seconds until ``want`` (a selector) is in the page."""
    await page.evaluate("""([choice, want]) => { const b = window.__bench; b.want = want; b.took = null;
        b.t0 = performance.now(); document.querySelector(`button[data-choice="${choice}"]`).click(); }""",
                        [choice, want])
    try:
        await page.wait_for_function("window.__bench.took !== null", timeout=60_000)
    except Exception as exc:
        raise RuntimeError(f"{choice} never showed {want}") from exc
    return await page.evaluate("window.__bench.took") / 1000


async def measure_page(url: str, token: str, service_id: int, folder: Path, tickets: int, starts: int) -> dict:
    from tests.browser import chromium_page
    from tests.kiosk_web.conftest import shows, tap, web_kiosk

    figures: dict[str, list[float]] = {"start": [], "take": [], "key": [], "ticket": [], "printed": []}
    async with chromium_page(touch=True) as page:  # the PC's browser is up already
        for _ in range(starts):
            begin = time.perf_counter()
            async with web_kiosk(url, token, folder) as kiosk:
                while kiosk.core.hall is None:
                    await asyncio.sleep(0.002)
                await page.goto(kiosk.url)
                await page.wait_for_selector('#screen[data-kind="home"] .title')
                figures["start"].append(time.perf_counter() - begin)
    async with web_kiosk(url, token, folder) as kiosk, chromium_page(touch=True) as page:
        while kiosk.core.hall is None:
            await asyncio.sleep(0.01)
        await page.goto(kiosk.url)
        await shows(page, "home")
        await page.evaluate(TIMER)
        for i in range(tickets + 2):  # the first two warm up
            take = await timed_tap(page, "go-take", '#screen[data-kind="guide"]')
            await tap(page, "toggle-keys")
            await page.wait_for_selector('button[data-choice="key-Q"]')
            key = await timed_tap(page, "key-Q", 'input[data-field="search"][value="q"]')
            await tap(page, "key-clear")
            await page.wait_for_selector('input[data-field="search"][value=""]')
            await tap(page, f"svc-{service_id}")
            await shows(page, "confirm")
            ticket = await timed_tap(page, "confirm-normal", '#screen[data-kind="ticket"]')
            await page.evaluate("() => { const b = window.__bench; b.took = null; b.want = '.text.printed'; }")
            await page.wait_for_function("!!document.querySelector('.text.printed')", timeout=60_000)
            await page.wait_for_function("window.__bench.took !== null", timeout=60_000)
            printed = await page.evaluate("window.__bench.took") / 1000
            await tap(page, "ticket-done")
            await shows(page, "home")
            if i >= 2:
                for name, value in (("take", take), ("key", key), ("ticket", ticket), ("printed", printed)):
                    figures[name].append(value)
    return figures


def catalog(services: int) -> object:
    """A hall of ``services`` services over 40 departments, named like a county hall's."""
    from kiosk.flow.hall import HallInfo

    words = ("企业设立登记", "营业执照变更", "居民身份证换领", "不动产登记", "建设工程规划许可", "食品经营许可",
             "社会保障卡补办", "户口迁移", "药品经营许可", "税务登记")
    departments = [{"id": d, "name": f"第{d}局", "name_en": f"Bureau {d}"} for d in range(1, 41)]
    items = [{"id": i, "name": f"{words[i % len(words)]}({i})", "name_en": f"Service {i}", "code": f"S-{i}",
              "department_id": 1 + i % 40, "theme": "personal" if i % 2 else "enterprise"}
             for i in range(1, services + 1)]
    return HallInfo.of({"id": 1, "name": "县政务服务中心", "hours": "09:00-17:00", "timezone": "Asia/Shanghai"},
                       departments, items)


def measure_growth(services: int, repeat: int = 30) -> tuple[float, float, int, int]:
    """Milliseconds of the flow and the page's HTML for 取号 (every service listed) and for a search
    keystroke, and the HTML's kilobytes for each."""
    from kiosk.flow.visit import Visit
    from kiosk.web.render import render_screen

    hall = catalog(services)
    listing, keystroke, sizes = [], [], [0, 0]
    for _ in range(repeat + 1):
        visit = Visit(hall=hall)  # type: ignore[arg-type]
        start = time.perf_counter()
        visit.touch("go-take")
        sizes[0] = len(render_screen(visit.view()).encode())
        listing.append(time.perf_counter() - start)
        visit.touch("toggle-keys")
        start = time.perf_counter()
        visit.type("search", "qy")
        sizes[1] = len(render_screen(visit.view()).encode())
        keystroke.append(time.perf_counter() - start)
    return (statistics.median(listing[1:]) * 1000, statistics.median(keystroke[1:]) * 1000, sizes[0] // 1024,
            sizes[1] // 1024)


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} / {percentile(values, 95) * 1000:.0f}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.kiosk", description=__doc__.split("\n\n")[0])
    p.add_argument("--tickets", type=int, default=30, help="tickets taken by touch")
    p.add_argument("--starts", type=int, default=5, help="kiosk starts to time")
    p.add_argument("--services", default="80,800,8000", help="catalog sizes for the growth table")
    p.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database ($HALL_TEST_PG_URL)")
    a = p.parse_args(argv)

    from hall_server.db import Database
    from tests.harness import OPEN_MOMENT, PgDatabases, seed_hall

    tmp = tempfile.TemporaryDirectory(prefix="hall-bench-kiosk-")
    pg = PgDatabases() if a.postgres else None
    url = pg.fresh() if pg else f"sqlite:///{Path(tmp.name) / 'hall.db'}"
    db = Database(url)
    db.migrate()
    hall = seed_hall(db, OPEN_MOMENT)
    db.dispose()
    port = _free_port()
    server_url = f"http://127.0.0.1:{port}"
    server = mp.get_context("spawn").Process(target=_serve, args=(url, port), name="hall-server")
    server.start()
    try:
        _wait_healthy(server_url)
        imported = import_seconds()
        page = asyncio.run(measure_page(server_url, hall.kiosk_token, hall.services["GS-1"], Path(tmp.name),
                                        a.tickets, a.starts))
    finally:
        server.terminate()
        server.join(timeout=30)
        tmp.cleanup()
        if pg is not None:
            pg.close()
    growth = [(int(n), *measure_growth(int(n))) for n in a.services.split(",")]

    database = "PostgreSQL" if a.postgres else "SQLite"
    print(f"`python -m bench.kiosk {' '.join(argv or [])}`".replace(" `", "`"))
    print()
    print(f"| measure ({database}) | median / p95 (ms) |")
    print("|---|---|")
    print(f"| `import kiosk.web.server` in a fresh interpreter | {imported * 1000:.0f} |")
    print(f"| kiosk started -> home page showing the hall ({a.starts} starts) | {_ms(page['start'])} |")
    print(f"| tap 取号 -> the services on screen | {_ms(page['take'])} |")
    print(f"| tap a pinyin key -> the results on screen | {_ms(page['key'])} |")
    print(f"| tap 确认取号 -> the ticket on screen ({len(page['ticket'])} tickets) | {_ms(page['ticket'])} |")
    print(f"| tap 确认取号 -> the printer's answer on screen (preview printer, PNG) | {_ms(page['printed'])} |")
    print()
    print("| services in the catalog | 取号: flow + HTML (ms) | a search keystroke (ms) "
          "| HTML of the list / of the search (KB) |")
    print("|---|---|---|---|")
    for n, listing, keystroke, list_kb, search_kb in growth:
        print(f"| {n:,} | {listing:.1f} | {keystroke:.1f} | {list_kb} / {search_kb} |")
    print()
    print(f"Machine: {machine()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
