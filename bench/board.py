"""Call latency: from a ``call_next`` request to the call on 50 boards and 40 LED screens.

The hall server runs in its own process (the test hall, its clock frozen at an open Wednesday
10:00, so the bench runs at any hour); the boards run in a few other processes, each board a
WebSocket client of the live view (``/board/live``), as a TV on the wall runs it: the server
computes the board's view once (display/web/live.py) and sends it to every board, which notes
the calls newer than any it has shown. The windows' LED screens are simulated devices on a
socket:// line (their real bytes) driven by a real ``hall bus`` process, which shows each call
from the event stream. Two scenarios, on the same hall (windows 10..49, service BK-1):
- spread: 5 windows call within the same 100 ms (one every 25 ms), round after round; target:
  p99 under 100 ms from a request to the call on every board and on its LED screen;
- burst: all 40 windows call at the same moment; target: every board shows every call of the
  burst within 1 s of the burst's first request.
A sample is the time from just before one window's request is sent to the moment one board has
received the first view that shows that call, or its LED has received the frame; times come from
the host's monotonic clock, which all processes share.

    python -m bench.board [--postgres | --database-url EMPTY_DB] [--boards 50] [--rounds 10] [--no-leds] [--smoke]

``--rounds N`` runs 3N rounds of the spread (5 samples a board each), then N bursts. Every call
must show once on every board and on its own window's LED screen: a call missing anywhere (or a
call-next that called nobody), or shown twice, is reported, and the run exits 1. Also reported:
request -> its answer (the server's write), and, on Linux, the CPU each part spent per round of
each scenario (from /proc; PostgreSQL's backends of the bench's database), less what it spends
idle. The bench's own client sends the calls as bare HTTP/1.1 requests on kept-alive
connections (see ``_Caller``) and collects its garbage between rounds, not during one: the
client's own costs are not the hall's time. ``hall bench`` runs the
same through :func:`measure` and prints :func:`rows` in its table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import multiprocessing as mp
import os
import re
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TARGET_P99_MS = 100.0  # spread: 5 windows within 100 ms
TARGET_ALL_MS = 1000.0  # burst: every board shows every call of 40 windows calling at once
SPREAD_WINDOWS, SPREAD_MS = 5, 100.0
LED_CALL = re.compile(r"请(.+?)号到")  # the LED's call text: 请B001号到12号窗口
FIRST_WINDOW = 10
ROOT = Path(__file__).resolve().parents[1]
# --smoke (and `hall bench --smoke`): that every part runs, in a few seconds; no figures to keep
SMOKE = {"boards": 3, "board_processes": 1, "windows": 5, "rounds": 2, "pause": 0.2}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(database_url: str, port: int) -> None:
    """The hall server process: the seeded test hall, its clock frozen at an open moment."""
    import uvicorn

    from hall_server.app import create_app
    from hall_server.clock import Clock
    from hall_server.config import Settings
    from hall_server.serve import KEEP_ALIVE_SECONDS
    from tests.harness import OPEN_MOMENT

    clock = Clock()
    clock.set(OPEN_MOMENT)
    settings = Settings(database_url=database_url, public_base_url=f"http://127.0.0.1:{port}",
                        public_rate="1000000/minute", login_rate="1000000/minute")
    app = create_app(settings, clock=clock, migrate=False)
    # As `hall serve` runs it: no per-message compression, a keep-alive longer than the clients'.
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", ws_ping_interval=None,
                ws_per_message_deflate=False, timeout_keep_alive=KEEP_ALIVE_SECONDS)


def _boards(url: str, hall_id: int, first: int, count: int, ready, stop, out) -> None:
    """A process holding ``count`` boards; sends back (board, number, recall, ns) for every call shown."""
    asyncio.run(_run_boards(url, hall_id, first, count, ready, stop, out))


async def _run_boards(url: str, hall_id: int, first: int, count: int, ready, stop, out) -> None:
    import orjson
    import websockets

    arrivals: list[tuple[int, str, bool, int]] = []
    connected: set[int] = set()
    live = url.replace("http", "ws", 1) + f"/board/live?hall={hall_id}"

    async def board(index: int) -> None:
        shown = 0  # the newest call (its event id) this board has shown, as board.js keeps it
        async with websockets.connect(live, compression=None, max_size=None) as ws:
            async for text in ws:
                msg = orjson.loads(text)
                if msg["type"] != "view":
                    continue
                now = time.monotonic_ns()
                calls = msg["view"]["calls"]
                if index in connected:
                    arrivals.extend((index, c["number"], c["recalled"], now) for c in calls if c["event_id"] > shown)
                connected.add(index)
                shown = max([shown, *(c["event_id"] for c in calls)])

    tasks = [asyncio.create_task(board(first + i)) for i in range(count)]
    while len(connected) < count:
        if failed := [t for t in tasks if t.done()]:
            raise RuntimeError(f"a board could not follow the live view: {failed[0].exception()!r}")
        await asyncio.sleep(0.05)
    gc.freeze()  # as a long-running part does once started: start-up objects out of full collections
    ready.set()
    await asyncio.to_thread(stop.wait)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    out.put(arrivals)


async def _open_windows(url: str, hall, windows: list[int], tickets: int) -> dict[int, str]:
    """Issue the tickets to be called and sign the windows in: window number -> staff token."""
    from hall_server.client import HallClient

    async with HallClient(url, hall.kiosk_token) as kiosk:
        for _ in range(tickets):
            await kiosk.issue_ticket(hall.services["BK-1"])
    tokens = {}
    for n in windows:  # one at a time: a password check (argon2) is meant to be slow
        async with HallClient(url) as client:
            tokens[n] = (await client.login(hall.staff[n], hall.password))["access_token"]
            await client.sign_in_window(hall.windows[n])
    return tokens


class _Caller:
    """One window's caller as the bench sends it: a kept-alive HTTP/1.1 connection and a bare request.

    In the hall each window's caller is its own PC. Here one process sends the calls of all 40,
    and through httpx that costs about 1 ms of CPU a request, which the server's two cores would
    share with the hall: a bare request costs a twentieth of it, so the figures are the hall's.
    """

    def __init__(self, url: str, token: str) -> None:
        self.host, port = url.removeprefix("http://").split(":")
        self.port = int(port)
        self.token = token
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def call_next(self, window_id: int) -> dict | None:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f"POST /api/v1/windows/{window_id}/call-next HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                     f"Authorization: Bearer {self.token}\r\nContent-Length: 0\r\n\r\n".encode())
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body = await reader.readexactly(length) if length else b""
        if status == 204:
            return None
        if status != 200:
            raise RuntimeError(f"call-next answered {status}: {body[:200]!r}")
        return json.loads(body)

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


@dataclass
class _Calls:
    """What one scenario's windows called: ticket number -> (window, ns just before its request,
    ns when it was answered); the numbers each round called; the requests that called nobody."""

    sent: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    called: list[list[str]] = field(default_factory=list)
    unanswered: list[int] = field(default_factory=list)  # the windows whose call-next found no ticket


async def _call_rounds(url: str, hall, tokens: dict[int, str], rounds: int, pause: float, spread: bool) -> _Calls:
    """Windows call, ``rounds`` times: all at once, or (``spread``) SPREAD_WINDOWS of them, taking
    turns, one every SPREAD_MS / SPREAD_WINDOWS ms."""
    staff = {n: _Caller(url, token) for n, token in tokens.items()}
    order = list(staff)
    calls = _Calls()
    try:
        async def call(n: int, delay: float) -> str | None:
            await asyncio.sleep(delay)
            t0 = time.monotonic_ns()
            ticket = await staff[n].call_next(hall.windows[n])
            if ticket is None:
                calls.unanswered.append(n)
                return None
            calls.sent[ticket["number"]] = (n, t0, time.monotonic_ns())
            return ticket["number"]

        gc.freeze()  # the set-up's objects: out of the bench's own collections
        for r in range(rounds):
            gc.collect()  # the bench's own garbage, collected between rounds, not during one
            if spread:
                step = SPREAD_MS / 1000 / SPREAD_WINDOWS
                group = [(order[(r * SPREAD_WINDOWS + i) % len(order)], i * step) for i in range(SPREAD_WINDOWS)]
            else:
                group = [(n, 0.0) for n in order]
            numbers = await asyncio.gather(*(call(n, delay) for n, delay in group))
            calls.called.append([number for number in numbers if number])
            await asyncio.sleep(pause)
    finally:
        for caller in staff.values():
            caller.close()
    return calls


def _cpu_ms(pids: list[int]) -> dict[int, float]:
    """CPU time (user + system) each process has used so far, in ms; none where /proc has none."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    return used


def _pids(*needles: str) -> list[int]:
    """Processes whose command line holds every needle (the bus, PostgreSQL's backends)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if all(n in cmd for n in needles):
                    found.append(int(entry.name))
    return found


class _CpuMeter:
    """CPU per round of each part, less its idle rate (the bus and the LED line poll all the time).

    A part is its processes' ids, or a function finding them at each sample (PostgreSQL's backends
    come and go with the server's pool): a process started during the run counts from zero; one
    that ended during it is lost (rare: the pool keeps its connections)."""

    IDLE_SECONDS = 2.0

    def __init__(self, parts: dict[str, list[int] | Callable[[], list[int]]]) -> None:
        self.parts = parts

    def sample(self) -> dict[str, dict[int, float]]:
        return {name: _cpu_ms(pids() if callable(pids) else pids) for name, pids in self.parts.items()}

    @staticmethod
    def _used(a: dict[int, float], b: dict[int, float]) -> float:
        return sum(ms - a.get(pid, 0.0) for pid, ms in b.items())

    def measure(self, run, rounds: int):
        if not Path("/proc/self/stat").exists():
            return run(), {}
        before = self.sample()
        time.sleep(self.IDLE_SECONDS)
        start, t0 = self.sample(), time.monotonic()
        result = run()
        end, seconds = self.sample(), time.monotonic() - t0
        per_round = {}
        for name in self.parts:
            idle_rate = self._used(before[name], start[name]) / self.IDLE_SECONDS
            per_round[name] = max(0.0, (self._used(start[name], end[name]) - idle_rate * seconds) / rounds)
        return result, per_round


def _wait_healthy(url: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the hall server did not start")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class BoardFigures:
    """One run of both scenarios on one database; latencies in seconds, CPU in ms.

    A call counts as missing on every board and on its LED screen when it never arrived there,
    and also when its request called nobody (no ticket: nothing could arrive); ``repeated``
    counts a call that a board or an LED screen showed as new more than once."""

    database: str
    boards: int
    windows: int
    spread_board: list[float] = field(default_factory=list)  # request -> call on a board (each board, each call)
    spread_led: list[float] = field(default_factory=list)  # request -> call on its window's LED screen
    burst_board: list[float] = field(default_factory=list)
    burst_led: list[float] = field(default_factory=list)
    burst_every_board: list[float] = field(default_factory=list)  # per burst: first request -> last board shows all
    answered: list[float] = field(default_factory=list)  # request -> its answer, both scenarios
    calls: int = 0  # requests sent, both scenarios
    unanswered: int = 0  # requests that called nobody
    missing_on_boards: int = 0  # (board, call) pairs never shown
    missing_on_leds: int = 0
    repeated_on_boards: int = 0
    repeated_on_leds: int = 0
    missing_examples: list[str] = field(default_factory=list)  # the first few, as "B012 on board 3"
    cpu: dict[str, float] = field(default_factory=dict)  # per burst of all windows, less idle
    cpu_spread: dict[str, float] = field(default_factory=dict)  # per round of SPREAD_WINDOWS calls, less idle

    @property
    def missed(self) -> int:
        """(board or LED screen, call) pairs that did not show the call exactly once."""
        return self.missing_on_boards + self.missing_on_leds + self.repeated_on_boards + self.repeated_on_leds


MISSING_EXAMPLES = 10


def _scenario_figures(figures: BoardFigures, spread: bool, calls: _Calls, arrivals: list,
                      leds: dict[int, list[tuple[str, int]]] | None) -> None:
    """The samples of one scenario's calls: each board's first view of each call, and its LED."""
    sent = calls.sent
    first_seen: dict[tuple[int, str], int] = {}
    for board, number, recall, ns in arrivals:
        if not recall and number in sent:
            if (board, number) in first_seen:
                figures.repeated_on_boards += 1
            first_seen.setdefault((board, number), ns)
    shown = [(ns - sent[number][1]) / 1e9 for (_, number), ns in first_seen.items()]
    (figures.spread_board if spread else figures.burst_board).extend(shown)
    figures.answered.extend((t1 - t0) / 1e9 for _, t0, t1 in sent.values())
    figures.calls += len(sent) + len(calls.unanswered)
    figures.unanswered += len(calls.unanswered)
    missing = [f"{number} on board {b}" for number in sent for b in range(figures.boards)
               if (b, number) not in first_seen]
    missing += [f"nobody called at window {n}" for n in calls.unanswered]
    figures.missing_on_boards += len(sent) * figures.boards - len(first_seen) + len(calls.unanswered) * figures.boards
    if leds is not None:  # each call on its own window's screen, once
        on_led: dict[str, int] = {}
        for number, (window, t0, _) in sent.items():
            times = [ns for text, ns in leds.get(window, []) if (m := LED_CALL.match(text)) and m.group(1) == number]
            if times:
                on_led[number] = times[0]
                figures.repeated_on_leds += len(times) - 1
                (figures.spread_led if spread else figures.burst_led).append((times[0] - t0) / 1e9)
            else:
                missing.append(f"{number} on the LED screen of window {window}")
        figures.missing_on_leds += len(sent) - len(on_led) + len(calls.unanswered)
    figures.missing_examples += missing[:MISSING_EXAMPLES - len(figures.missing_examples)]
    if not spread:
        for numbers in calls.called:
            start = min((sent[n][1] for n in numbers), default=0)
            last = [first_seen.get((b, n)) for b in range(figures.boards) for n in numbers]
            if numbers and None not in last:
                figures.burst_every_board.append((max(last) - start) / 1e9)


def run(database_url: str, *, boards: int = 50, board_processes: int = 5, windows: int = 40, rounds: int = 10,
        pause: float = 1.0, leds: bool = True) -> BoardFigures:
    """Both scenarios against a hall server on ``database_url`` (an EMPTY database, filled here)."""
    if str(ROOT) not in sys.path:  # the tests' hall (tests/harness.py) is not installed with the package
        sys.path.insert(0, str(ROOT))
    from hall_server.db import Database
    from tests.harness import OPEN_MOMENT, seed_hall

    db = Database(database_url)
    db.migrate()
    hall = seed_hall(db, OPEN_MOMENT)
    figures = BoardFigures("SQLite" if db.dialect == "sqlite" else "PostgreSQL", boards, windows)
    database = db.writer.url.database if db.dialect != "sqlite" else None
    db.dispose()

    ctx = mp.get_context("spawn")
    port = _free_port()
    server_url = f"http://127.0.0.1:{port}"
    server = ctx.Process(target=_serve, args=(database_url, port), name="hall-server", daemon=True)
    server.start()
    workers = []
    stop, out = ctx.Event(), ctx.Queue()
    spread_rounds = 3 * rounds
    try:
        _wait_healthy(server_url)
        per = -(-boards // board_processes)
        for first in range(0, boards, per):
            ready = ctx.Event()
            proc = ctx.Process(target=_boards, args=(server_url, hall.hall_id, first, min(per, boards - first),
                                                     ready, stop, out), name=f"boards-{first}", daemon=True)
            proc.start()
            workers.append((proc, ready))
        for _proc, ready in workers:
            if not ready.wait(120):
                raise RuntimeError("the boards did not connect")
        numbers = list(range(FIRST_WINDOW, FIRST_WINDOW + windows))
        tickets = windows * rounds + SPREAD_WINDOWS * spread_rounds
        tokens = asyncio.run(_open_windows(server_url, hall, numbers, tickets))
        with contextlib.ExitStack() as stack:
            if leds:  # the windows' LED screens, on a simulated line driven by a real `hall bus`
                from bench.bus import Calls, running_bus

                led_calls = Calls()
                stack.enter_context(running_bus(server_url, hall, numbers, led_calls))
            meter = _CpuMeter({
                "server": [server.pid], "boards": [proc.pid for proc, _ in workers],
                "bus": _pids("hall_server.cli", " bus ", server_url), "this process (client, LED line)": [os.getpid()],
                # this database's backends only (the machine's other databases are not the hall's)
                "database": (lambda: _pids("postgres:", f" {database} ")) if database else [],
            })
            spread, figures.cpu_spread = meter.measure(
                lambda: asyncio.run(_call_rounds(server_url, hall, tokens, spread_rounds, pause / 2, spread=True)),
                spread_rounds)
            burst, figures.cpu = meter.measure(
                lambda: asyncio.run(_call_rounds(server_url, hall, tokens, rounds, pause, spread=False)), rounds)
            time.sleep(pause)
        stop.set()
        arrivals = [row for _ in workers for row in out.get(timeout=120)]
    finally:
        stop.set()
        for proc, _ready in workers:
            proc.join(timeout=30)
        server.terminate()
        server.join(timeout=30)
    for is_spread, calls in ((True, spread), (False, burst)):
        _scenario_figures(figures, is_spread, calls, arrivals, led_calls.by_window if leds else None)
    return figures


def measure(kind: str, rounds: int, pg_admin_url: str, **options) -> BoardFigures:
    """For ``hall bench``: both scenarios on a scratch database of ``kind`` ("sqlite" or "postgresql");
    ``options`` as :func:`run` takes them (the smoke run's few boards)."""
    from bench.run import scratch_database

    print(f"measuring boards on {kind} ...", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="hall-bench-") as tmp, \
            scratch_database(kind, pg_admin_url, Path(tmp)) as url:
        return run(url, rounds=rounds, **options)


def _ms(values: list[float]) -> str:
    """Seconds, as "median / p99" in ms."""
    return f"{statistics.median(values) * 1e3:.1f} / {percentile(values, 99) * 1e3:.1f}" if values else "–"


def _every_board(values: list[float]) -> str:
    if not values:
        return "–"
    return (f"{statistics.median(values) * 1e3:.0f} / {percentile(values, 99) * 1e3:.0f} / "
            f"{max(values) * 1e3:.0f}")


def rows(results: list[BoardFigures]) -> list[tuple[str, str, list[str]]]:
    """The board bench's rows for a table with one column per database: (measure, target, values)."""
    f0 = results[0]
    return [
        (f"{SPREAD_WINDOWS} windows within {SPREAD_MS:.0f} ms: request → call on every one of {f0.boards} boards, "
         "median / p99 (ms)", f"p99 < {TARGET_P99_MS:.0f}", [_ms(f.spread_board) for f in results]),
        ("… request → call on its LED screen, median / p99 (ms)", f"p99 < {TARGET_P99_MS:.0f}",
         [_ms(f.spread_led) for f in results]),
        (f"{f0.windows} windows at once: request → call on a board, median / p99 (ms)", "",
         [_ms(f.burst_board) for f in results]),
        ("… first request → every board shows every call, median / p99 / worst burst (ms)",
         f"worst < {TARGET_ALL_MS:.0f}", [_every_board(f.burst_every_board) for f in results]),
        ("… request → call on its LED screen, median / p99 (ms)", "", [_ms(f.burst_led) for f in results]),
        ("call-next request → its answer, median / p99 (ms)", "", [_ms(f.answered) for f in results]),
        (f"server CPU per round of {SPREAD_WINDOWS} calls / per burst of {f0.windows}, with {f0.boards} boards (ms)",
         "", [f"{f.cpu_spread.get('server', 0):.0f} / {f.cpu.get('server', 0):.0f}" if f.cpu else "–"
              for f in results]),
        ("calls missing on a board / on an LED screen", "none",
         [f"{f.missing_on_boards} / {f.missing_on_leds} of {f.calls}" for f in results]),
        ("calls shown twice on a board / on an LED screen", "none",
         [f"{f.repeated_on_boards} / {f.repeated_on_leds}" for f in results]),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.board", description=__doc__.split("\n\n")[0])
    where = p.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="an EMPTY database to fill (default: a new SQLite file)")
    where.add_argument("--postgres", action="store_true",
                       help="a fresh PostgreSQL database, dropped again (created through $HALL_TEST_PG_URL)")
    p.add_argument("--boards", type=int, default=50)
    p.add_argument("--board-processes", type=int, default=5, help="processes the boards are spread over")
    p.add_argument("--windows", type=int, default=40, help="windows calling at once (10, 11, ...; at most 40)")
    p.add_argument("--rounds", type=int, default=10, help="bursts of all windows (and three times as many spreads)")
    p.add_argument("--pause", type=float, default=1.0, help="seconds between bursts")
    p.add_argument("--no-leds", dest="leds", action="store_false",
                   help="without the windows' LED screens (the simulated line and `hall bus`)")
    p.add_argument("--smoke", action="store_true",
                   help="a few boards, windows and rounds: that every part runs, no figures to keep")
    a = p.parse_args(argv)
    if a.smoke:
        for name, value in SMOKE.items():
            setattr(a, name, value)
    if not SPREAD_WINDOWS <= a.windows <= 40:
        p.error(f"the test hall has 40 windows for BK-1 (10..49); at least {SPREAD_WINDOWS}")
    options = {"boards": a.boards, "board_processes": a.board_processes, "windows": a.windows, "rounds": a.rounds,
               "pause": a.pause, "leds": a.leds}
    with tempfile.TemporaryDirectory(prefix="hall-bench-") as tmp:
        if a.database_url:
            f = run(a.database_url, **options)
        else:
            from bench.run import scratch_database

            kind = "postgresql" if a.postgres else "sqlite"
            pg = os.environ.get("HALL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
            with scratch_database(kind, pg, Path(tmp)) as url:
                f = run(url, **options)
    print(f"`python -m bench.board {' '.join(argv if argv is not None else sys.argv[1:])}`: {f.boards} boards, "
          f"{f.windows} windows, {3 * a.rounds} rounds of {SPREAD_WINDOWS} windows within {SPREAD_MS:.0f} ms, "
          f"then {a.rounds} bursts of all {f.windows}, {f.database}")
    print()
    print(f"| measure | target | {f.database} |")
    print("|---|---|---|")
    for name, target, values in rows([f]):
        print(f"| {name} | {target} | {values[0]} |")
    for title, cpu in ((f"CPU per round of {SPREAD_WINDOWS} calls", f.cpu_spread),
                       (f"CPU per burst of {f.windows} calls", f.cpu)):
        if cpu:
            print(f"\n{title}, less idle: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in cpu.items() if ms)
                  + f"; in all {sum(cpu.values()):.0f} ms on {os.cpu_count()} CPUs")
    print(f"\ncalls {f.calls}; " + ("each shown once on every board and its LED screen" if not f.missed else
                                    f"SOME MISSED ({f.missed}): " + "; ".join(f.missing_examples)))
    return 1 if f.missed else 0

if __name__ == "__main__":
    sys.exit(main())
