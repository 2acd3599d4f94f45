"""Device bus latency: from a keypad CALL frame arriving to the LED frame leaving, through a real server.

Three processes, as in a hall: the hall server (the test hall, its clock frozen at an open
Wednesday 10:00), ``hall bus`` (the real command), and this one, which holds the simulated line
(``SimBus`` on socket://: keypads, rating pads, card readers and LED screens of windows 10..49,
speaking the real bytes). A sample is the time from just before the simulator writes a keypad's
CALL frame to the moment it has read the LED frame with the new call for that window; times
come from the host's monotonic clock.

    python -m bench.bus [--postgres | --database-url EMPTY_DB] [--presses 200] [--rounds 5]

Reported: presses one at a time, round robin over the 40 windows; all 40 windows pressing at
once, round after round; and for comparison a soft caller's ``call_next`` (request -> answer,
and request -> the LED frame, which then travels by the event stream). socket:// has no baud
rate, so the bytes a call puts on the line are counted and converted to 9600-baud line time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing as mp
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from bench.board import _free_port, _serve, _wait_healthy, percentile
from hardware.serial_bus.devices import KeypadKey
from hardware.serial_bus.simulator import Change, SimBus, SocketEndpoint

ROOT = Path(__file__).resolve().parents[1]
FIRST_WINDOW, WINDOWS = 10, 40  # the test hall's BK-1 windows
BAUD_BYTE_MS = 10 / 9600 * 1000  # 8N1: ten bits a byte
WAIT = 60.0  # a hang guard, not a target


class CountingEndpoint(SocketEndpoint):
    """The simulator's TCP port, counting the bytes each way."""

    def __init__(self) -> None:
        super().__init__()
        self.from_host = self.to_host = 0

    def start(self, on_bytes: Callable[[bytes], None]) -> str:
        def counted(data: bytes) -> None:
            self.from_host += len(data)
            on_bytes(data)

        return super().start(counted)

    def send(self, data: bytes) -> None:
        self.to_host += len(data)
        super().send(data)


class Calls:
    """New calls on the simulated LED screens, as they read them: per window, (text, ns) in order.
    A repaint of the same call is not a new call."""

    def __init__(self) -> None:
        self.by_window: dict[int, list[tuple[str, int]]] = {}
        self._cond = threading.Condition()

    def __call__(self, change: Change) -> None:
        if change.device == "led" and change.value.startswith("请"):
            with self._cond:
                seen = self.by_window.setdefault(change.addr, [])
                if not seen or seen[-1][0] != change.value:
                    seen.append((change.value, time.monotonic_ns()))
                    self._cond.notify_all()

    def mark(self, windows: Iterable[int]) -> dict[int, int]:
        with self._cond:
            return {n: len(self.by_window.get(n, [])) for n in windows}

    def wait(self, since: dict[int, int]) -> dict[int, int]:
        """For each window, when the first call after ``since`` (from ``mark``) arrived."""
        def arrived() -> bool:
            return all(len(self.by_window.get(n, [])) > k for n, k in since.items())

        with self._cond:
            if not self._cond.wait_for(arrived, WAIT):
                missing = [n for n, k in since.items() if len(self.by_window.get(n, [])) <= k]
                raise RuntimeError(f"no new LED call at windows {missing[:5]} within {WAIT} s")
            return {n: self.by_window[n][k][1] for n, k in since.items()}


async def _prepare(url: str, hall, tickets: int) -> None:
    """Issue the tickets to be called and sign every window in."""
    from hall_server.client import HallClient

    async with HallClient(url, hall.kiosk_token) as kiosk:
        for _ in range(tickets):
            await kiosk.issue_ticket(hall.services["BK-1"])
    for n in range(FIRST_WINDOW, FIRST_WINDOW + WINDOWS):
        async with HallClient(url) as staff:
            await staff.login(hall.staff[n], hall.password)
            await staff.sign_in_window(hall.windows[n])


@contextlib.contextmanager
def running_bus(server_url: str, hall, windows: list[int], calls: Calls, endpoint: SocketEndpoint | None = None,
                refused: list[str] | None = None) -> Iterator[SimBus]:
    """The simulated line of ``windows`` (keypads, pads, readers, LEDs) driven by a real ``hall bus``.

    Yields the line once the bus has painted every LED screen; stops both afterwards, and adds
    the presses the bus reported as refused to ``refused``.
    """
    line = SimBus.windows(windows, endpoint=endpoint or SocketEndpoint(), on_change=calls)
    line.start()
    bus: subprocess.Popen | None = None
    with tempfile.TemporaryDirectory(prefix="hall-bench-bus-") as tmp:
        log = Path(tmp) / "bus.log"
        try:
            with log.open("w") as out:
                bus = subprocess.Popen(
                    [sys.executable, "-m", "hall_server.cli", "bus", "--port", line.url, "--server", server_url,
                     "--hall", str(hall.hall_id), "--windows", f"{windows[0]}-{windows[-1]}"],
                    cwd=ROOT, env=os.environ | {"HALL_BUS_TOKEN": hall.bus_token, "PYTHONPATH": str(ROOT)},
                    stdout=out, stderr=subprocess.STDOUT,
                )
            welcome = {n: f"{n}号窗口 欢迎您" for n in windows}
            if not line.wait_until(lambda: all(line.leds[n].text == welcome[n] for n in windows), WAIT):
                raise RuntimeError(f"the bus did not paint the screens; its log:\n{log.read_text()}")
            time.sleep(1.0)  # let the start-up repaint finish its paced round
            yield line
        finally:
            if bus is not None:
                bus.send_signal(signal.SIGTERM)
                bus.wait(30)
            line.stop()
            if refused is not None and log.exists():
                refused += [row for row in log.read_text().splitlines() if "未执行" in row]


async def _soft_calls(url: str, hall, windows: list[int], calls: Calls) -> tuple[list[float], list[float]]:
    """A soft caller's call_next at each window in turn: request -> answer, request -> LED frame."""
    from hall_server.client import HallClient

    answered, shown = [], []
    for n in windows:
        async with HallClient(url) as staff:
            await staff.login(hall.staff[n], hall.password)
            since = calls.mark([n])
            t0 = time.monotonic_ns()
            await staff.call_next(hall.windows[n])
            t1 = time.monotonic_ns()
        t2 = (await asyncio.to_thread(calls.wait, since))[n]
        answered.append((t1 - t0) / 1e6)
        shown.append((t2 - t0) / 1e6)
    return answered, shown


def _line(label: str, values: list[float]) -> str:
    return (f"  {label:<44} median {statistics.median(values):7.1f} ms   p99 {percentile(values, 99):7.1f} ms"
            f"   max {max(values):7.1f} ms   (n={len(values)})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bus", description=__doc__.split("\n\n")[0])
    where = p.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="an EMPTY database to fill (default: a new SQLite file)")
    where.add_argument("--postgres", action="store_true",
                       help="a fresh PostgreSQL database, dropped again (server at $HALL_TEST_PG_URL)")
    p.add_argument("--presses", type=int, default=200, help="presses one at a time, round robin over 40 windows")
    p.add_argument("--rounds", type=int, default=5, help="rounds of all 40 windows pressing at once")
    p.add_argument("--gap", type=float, default=0.05, help="seconds between presses one at a time")
    a = p.parse_args(argv)

    from hall_server.db import Database
    from tests.harness import OPEN_MOMENT, PgDatabases, seed_hall

    tmp = tempfile.TemporaryDirectory(prefix="hall-bench-bus-")
    pg = PgDatabases() if a.postgres else None
    url = pg.fresh() if pg else a.database_url or f"sqlite:///{Path(tmp.name) / 'hall.db'}"
    db = Database(url)
    db.migrate()
    hall = seed_hall(db, OPEN_MOMENT)
    dialect = db.dialect
    db.dispose()

    windows = list(range(FIRST_WINDOW, FIRST_WINDOW + WINDOWS))
    calls = Calls()
    endpoint = CountingEndpoint()
    refused: list[str] = []
    port = _free_port()
    server_url = f"http://127.0.0.1:{port}"
    server = mp.get_context("spawn").Process(target=_serve, args=(url, port), name="hall-server")
    server.start()
    try:
        _wait_healthy(server_url)
        asyncio.run(_prepare(server_url, hall, a.presses + a.rounds * WINDOWS + WINDOWS + 10))
        with running_bus(server_url, hall, windows, calls, endpoint, refused) as line:
            one_at_a_time: list[float] = []
            bytes_before = endpoint.from_host + endpoint.to_host
            for i in range(a.presses):
                n = windows[i % WINDOWS]
                since = calls.mark([n])
                t0 = time.monotonic_ns()
                line.press(n, KeypadKey.CALL)
                one_at_a_time.append((calls.wait(since)[n] - t0) / 1e6)
                line.wait_until(line.all_acked, WAIT)
                time.sleep(a.gap)
            time.sleep(0.5)  # the last call's keypad, beep and rating-pad frames
            per_call = (endpoint.from_host + endpoint.to_host - bytes_before) / a.presses

            at_once: list[float] = []
            for _ in range(a.rounds):
                since = calls.mark(windows)
                starts = {}
                for n in windows:
                    starts[n] = time.monotonic_ns()
                    line.press(n, KeypadKey.CALL)
                at_once += [(t1 - starts[n]) / 1e6 for n, t1 in calls.wait(since).items()]
                line.wait_until(line.all_acked, WAIT)
                time.sleep(0.5)

            answered, soft_shown = asyncio.run(_soft_calls(server_url, hall, windows, calls))
    finally:
        server.terminate()
        server.join(timeout=30)
        if pg is not None:
            pg.close()
        tmp.cleanup()

    load = os.getloadavg()[0]
    print(f"Device bus: hall bus over socket:// to {WINDOWS} simulated windows, {dialect}, "
          f"{platform.machine()} {os.cpu_count()} cores, load {load:.1f} at the end")
    print(_line("keypad CALL -> LED frame, one at a time", one_at_a_time))
    print(_line(f"keypad CALL -> LED frame, {WINDOWS} windows at once", at_once))
    print(_line("soft caller call_next -> its answer", answered))
    print(_line("soft caller call_next -> LED frame (events)", soft_shown))
    print(f"  bytes on the line per call (both ways, incl. keypad, beep, rating prompt and acks): {per_call:.0f}"
          f" = {per_call * BAUD_BYTE_MS:.0f} ms of a 9600-baud line")
    if refused:
        print(f"  {len(refused)} presses refused, e.g. {refused[0]}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
