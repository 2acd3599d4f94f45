"""Kiosk timings: how long the kiosk takes to start, and from the touch on "confirm" to the
ticket on the screen and printed, through the real hall server and a printer.

The hall server runs in its own process (the test hall, its clock frozen at an open Wednesday
10:00, so the bench runs at any hour; see bench/board.py); the kiosk is the real app driven
headless by Textual's pilot, as the tests drive it, with the same clicks a finger makes.

- start-up: ``import kiosk.app`` in a fresh interpreter (what a kiosk PC pays once at boot),
  then app created -> home screen showing the hall's catalog (each start a new app);
- touch to ticket: the click on "确认取号" -> the ticket screen showing the number (the server's
  issue plus the screen), and -> the printer's answer, with the preview printer (the job drawn
  to a PNG, as ``hall ticket-preview`` does) and with the simulated network printer (the real
  ESC/POS bytes and status queries over TCP, as to a printer on port 9100).

    python -m bench.kiosk [--tickets 30] [--starts 10] [--postgres]
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
from collections.abc import Callable
from pathlib import Path

from bench.board import _free_port, _serve, _wait_healthy, percentile
from bench.run import machine

ROOT = Path(__file__).resolve().parents[1]
SIZE = (110, 36)
POLL = 0.002  # seconds between looks at the screen; the figures are this coarse


async def _until(pilot, condition: Callable[[], bool], limit: float = 60.0) -> float:
    """Wait for ``condition``; the perf_counter time it was first seen true."""
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("the kiosk did not get there in time")
        await asyncio.sleep(POLL)  # not pilot.pause(), which first waits for every widget to go idle
    return time.perf_counter()


def import_seconds() -> float:
    """``import kiosk.app`` in a fresh interpreter, minus the interpreter's own start."""
    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
        return time.perf_counter() - start

    return min(run("import kiosk.app") for _ in range(3)) - min(run("pass") for _ in range(3))


def _kiosk(url: str, token: str, printer):  # imported late: a spawned server process needs none of it
    from hardware.printer.device import open_printer
    from kiosk.app import KioskApp
    from kiosk.config import KioskConfig
    from tests.harness import OPEN_MOMENT

    config = KioskConfig(server=url, kiosk_token=token, printer=printer)
    return KioskApp(config, printer=open_printer(printer), now=lambda: OPEN_MOMENT)


def _home_ready(app) -> bool:
    """The home screen shows the hall (its catalog has arrived and the screen is redrawn)."""
    names = app.screen.query("#hall-name")
    return app.hall is not None and bool(names) and str(names.first().render()) != ""


async def measure_start(url: str, token: str, printer, starts: int) -> list[float]:
    times = []
    for _ in range(starts):
        begin = time.perf_counter()
        app = _kiosk(url, token, printer)
        async with app.run_test(size=SIZE) as pilot:
            ready = await _until(pilot, lambda app=app: _home_ready(app))
        times.append(ready - begin)
    return times


async def measure_tickets(url: str, token: str, service_id: int, printer,
                          tickets: int) -> tuple[list, list, list]:
    from textual.widgets import Button

    shown, printed, server = [], [], []
    app = _kiosk(url, token, printer)
    issue = app.client.issue_ticket

    async def timed_issue(*args, **kwargs):  # the server's share: the issue request's round trip
        start = time.perf_counter()
        try:
            return await issue(*args, **kwargs)
        finally:
            server.append(time.perf_counter() - start)

    app.client.issue_ticket = timed_issue
    async with app.run_test(size=SIZE) as pilot:
        async def touch(selector: str) -> None:  # untimed steps: wait until the button is laid out
            await _until(pilot, lambda: any(w.region.area for w in app.screen.query(selector)))
            await pilot.pause()
            await pilot.click(selector)

        for _ in range(tickets + 2):  # the first two warm up
            await _until(pilot, lambda: _home_ready(app))
            await touch("#go-take")
            await touch(f"#svc-{service_id}")
            await _until(pilot, lambda: any(w.region.area for w in app.screen.query("#confirm-normal")))
            await pilot.pause()
            button = app.screen.query_one("#confirm-normal", Button)
            touched_at = time.perf_counter()
            button.press()  # what the touch's Click does, without the pilot's waiting around it
            on_screen = await _until(pilot, lambda: type(app.screen).__name__ == "TicketScreen")
            done = await _until(pilot, lambda: app.screen.print_result is not None)
            if not app.screen.print_result.printed:
                raise RuntimeError(f"the printer failed: {app.screen.print_result}")
            shown.append(on_screen - touched_at)
            printed.append(done - touched_at)
            await touch("#ticket-done")
            await _until(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
    return shown[2:], printed[2:], server[2:]


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} / {percentile(values, 95) * 1000:.0f}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.kiosk", description=__doc__.split("\n\n")[0])
    p.add_argument("--tickets", type=int, default=30, help="tickets per printer")
    p.add_argument("--starts", type=int, default=10, help="kiosk starts to time")
    p.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database ($HALL_TEST_PG_URL)")
    a = p.parse_args(argv)

    from hall_server.db import Database
    from hardware.printer.device import PrinterConfig
    from hardware.printer.simulator import SimulatedPrinter
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
        preview = PrinterConfig(kind="preview", target=str(Path(tmp.name) / "tickets"))
        imported = import_seconds()
        starts = asyncio.run(measure_start(server_url, hall.kiosk_token, preview, a.starts))
        rows = []
        service = hall.services["GS-1"]
        rows.append(("preview printer (PNG)",
                     *asyncio.run(measure_tickets(server_url, hall.kiosk_token, service, preview, a.tickets))))
        with SimulatedPrinter() as paper:
            network = PrinterConfig(kind="network", target=f"127.0.0.1:{paper.port}")
            rows.append(("simulated network printer (ESC/POS over TCP)",
                         *asyncio.run(measure_tickets(server_url, hall.kiosk_token, service, network, a.tickets))))
    finally:
        server.terminate()
        server.join(timeout=30)
        tmp.cleanup()
        if pg is not None:
            pg.close()

    database = "PostgreSQL" if a.postgres else "SQLite"
    print(f"`python -m bench.kiosk {' '.join(argv or [])}`".replace(" `", "`"))
    print()
    print(f"| measure ({database}) | median / p95 (ms) |")
    print("|---|---|")
    print(f"| `import kiosk.app` in a fresh interpreter | {imported * 1000:.0f} |")
    print(f"| app created -> home screen with the hall's catalog ({a.starts} starts) | {_ms(starts)} |")
    for name, shown, printed, server in rows:
        print(f"| touch on confirm -> ticket on screen, {name}, {len(shown)} tickets | {_ms(shown)} |")
        print(f"| … of which the issue request's round trip to the server | {_ms(server)} |")
        print(f"| touch on confirm -> printer done, {name} | {_ms(printed)} |")
    print()
    print(f"Machine: {machine()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
