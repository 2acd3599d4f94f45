"""``hall bench``: what the hall server costs, how that grows with the work, and the ceiling beside it.

The server runs as a real ``hall serve`` process (its own interpreter, so the benchmark's
clients do not share its GIL) on loopback, on a scratch database loaded with the demo halls:
the county hall's 40 windows and their services, daily caps lifted so that the counters, not
the caps, are what is measured. Clients are httpx async clients, one connection each, like
kiosks and soft callers. Beside it, in the same run, ``../shared/ceiling/app.py``: the least a
ticket can cost in this stack (one FastAPI endpoint, one SQLite transaction, no rules).

What is measured, per database:
- growth: issue and call-next latency at one kiosk and one window in an empty hall, then again
  with ``WAITING`` tickets waiting for the same service (a morning nobody has called);
- throughput: 32 kiosks at once for one popular service whose queue grows during the run, in
  tickets per second, beside the ceiling's 32 clients; the server's CPU per ticket;
- 32 windows calling at once; delivery of each ticket's event to 200 subscribers;
- PostgreSQL: the same 32 kiosks against ``hall serve --workers 2``, and whether every number
  came out once and without a gap;
- the boards (bench/board.py): 50 TVs and 40 LED screens, 5 windows calling within 100 ms and
  all 40 at once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, select, update

from hall_server.catalog.models import Hall, Service, Window
from hall_server.client import tls
from hall_server.db import Database
from hall_server.demo_data import load_demo
from hall_server.tickets.models import Ticket, TicketCounter

ROOT = Path(__file__).resolve().parents[1]
CEILING = ROOT.parent / "shared" / "ceiling"  # ../shared/ceiling/app.py, beside the project
BENCH_HALL = "kunshan"  # the demo county hall: 40 windows
CLIENTS = 32
SUBSCRIBERS = 200
SUBSCRIBER_PROCESSES = 2
EVENT_GAP_SECONDS = 0.05
GROWTH_LIMIT = 1.3  # issue and call-next p50 with the long queue, at most this times the empty hall's
CEILING_SHARE = 0.8  # tickets per second at 32 kiosks, at least this share of the ceiling's (SQLite)


@dataclass(frozen=True)
class Sizes:
    solo: int  # requests at one kiosk, and calls at one window, per hall state
    issue_32: int  # total over the 32 kiosks
    waiting: int  # tickets waiting for the popular service in the "long queue" state
    events: int
    warmup: int = 20


FULL = Sizes(solo=300, issue_32=2016, waiting=40_000, events=150)
QUICK = Sizes(solo=150, issue_32=1024, waiting=40_000, events=40)
SMOKE = Sizes(solo=5, issue_32=64, waiting=200, events=3, warmup=2)  # does every part still run? (the test suite's)


@dataclass
class BenchHall:
    hall_id: int
    kiosk_token: str
    staff_password: str
    windows: list[tuple[int, str, int]]  # (window id, staff username, first service id), by window number


@dataclass
class Figures:
    database: str
    # seconds per request, at one kiosk / one window: an empty hall, then ``Sizes.waiting`` waiting
    issue_empty: list[float] = field(default_factory=list)
    issue_long: list[float] = field(default_factory=list)
    call_empty: list[float] = field(default_factory=list)
    call_long: list[float] = field(default_factory=list)
    issue_32: list[float] = field(default_factory=list)
    issue_32_rate: float = 0.0  # tickets per second
    ceiling_rate: float = 0.0  # the ceiling's tickets per second, 32 clients, in the same run
    ceiling_1: list[float] = field(default_factory=list)
    call_32: list[float] = field(default_factory=list)
    # The commit happens between the kiosk sending its request and receiving the 201, so the time
    # from commit to a subscriber lies between these two figures (seconds, one per delivery).
    delivery_after_answer: list[float] = field(default_factory=list)
    delivery_after_request: list[float] = field(default_factory=list)
    deliveries_expected: int = 0
    # CPU seconds the server process spent per request in the 32-client phases (all its threads):
    # unlike latencies, this hardly moves with the machine's load, and 1 / it bounds one core's rate.
    issue_cpu: float = 0.0
    ceiling_cpu: float = 0.0
    call_cpu: float = 0.0
    workers_2_rate: float = 0.0  # PostgreSQL, ``hall serve --workers 2``
    workers_2_correct: str = ""


# --- the server under test ----------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    url: str
    pid: int

    def cpu(self) -> float:
        return process_cpu_seconds(self.pid)


@contextlib.contextmanager
def serving(database_url: str, log_path: Path, workers: int = 1) -> Iterator[Server]:
    """``hall serve`` in its own process on a free loopback port."""
    port = _free_port()
    env = dict(os.environ, HALL_PUBLIC_RATE="1000000/minute", HALL_LOGIN_RATE="1000000/minute")
    command = [sys.executable, "-m", "hall_server.cli", "serve", "--database", database_url, "--port", str(port),
               "--workers", str(workers)]
    yield from _process(command, f"http://127.0.0.1:{port}", "/api/v1/health", env, log_path)


@contextlib.contextmanager
def ceiling(log_path: Path) -> Iterator[Server]:
    """``../shared/ceiling/app.py`` under uvicorn, as its docstring says, on a fresh database."""
    port = _free_port()
    env = dict(os.environ, CEILING_DB=str(log_path.with_name("ceiling.db")))
    command = [sys.executable, "-m", "uvicorn", "app:app", "--app-dir", str(CEILING), "--port", str(port),
               "--no-access-log", "--log-level", "warning"]
    yield from _process(command, f"http://127.0.0.1:{port}", "/docs", env, log_path)


def _process(command: list[str], url: str, probe: str, env: dict, log_path: Path) -> Iterator[Server]:
    with log_path.open("ab") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[2:4]} did not start; see {log_path}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(url + probe, timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        yield Server(url, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def prepare(database_url: str) -> BenchHall:
    """Load the demo halls into the scratch database; lift the bench hall's daily caps."""
    db = Database(database_url)
    try:
        db.migrate()
        demo = load_demo(db)
        hall = next(h for h in demo["halls"] if h["key"] == BENCH_HALL)
        kiosk = next(t["token"] for t in demo["kiosk_tokens"] if t["hall_id"] == hall["id"])
        staff = {s["window_id"]: s for s in demo["staff"] if s["hall_id"] == hall["id"]}
        with db.writing() as s:
            s.execute(update(Service).where(Service.hall_id == hall["id"]).values(daily_cap=1_000_000))
            windows = [
                (w.id, staff[w.id]["username"], w.services[0].id)
                for w in s.scalars(select(Window).where(Window.hall_id == hall["id"]).order_by(Window.number))
                if w.services
            ]
            s.commit()
        password = next(iter(staff.values()))["password"]
    finally:
        db.dispose()
    return BenchHall(hall["id"], kiosk, password, windows)


@contextlib.contextmanager
def scratch_database(kind: str, pg_admin_url: str, workdir: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    import psycopg

    name = f"hall_bench_{secrets.token_hex(4)}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- kiosks and windows -------------------------------------------------------------------

def _client(url: str, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(base_url=url, headers=headers, timeout=60, verify=tls(),
                             limits=httpx.Limits(max_connections=1, max_keepalive_connections=1))


async def _issue(client: httpx.AsyncClient, service_id: int) -> tuple[dict, float]:
    start = time.perf_counter()
    r = await client.post("/api/v1/tickets", json={"service_id": service_id, "idempotency_key": secrets.token_hex(8)})
    elapsed = time.perf_counter() - start
    if r.status_code != 201:
        raise RuntimeError(f"issue refused: {r.status_code} {r.text[:200]}")
    return r.json(), elapsed


async def _call_next(client: httpx.AsyncClient, window_id: int) -> tuple[dict | None, float]:
    start = time.perf_counter()
    r = await client.post(f"/api/v1/windows/{window_id}/call-next")
    elapsed = time.perf_counter() - start
    if r.status_code not in (200, 204):
        raise RuntimeError(f"call next refused: {r.status_code} {r.text[:200]}")
    return (r.json() if r.status_code == 200 else None), elapsed


async def _windows(url: str, hall: BenchHall, count: int) -> list[tuple[httpx.AsyncClient, int, int]]:
    """Staff sign in at the first ``count`` windows: (client, window id, first service id)."""

    async def sign_in(window_id: int, username: str, service_id: int):
        c = _client(url)
        r = await c.post("/api/v1/auth/login", json={"username": username, "password": hall.staff_password})
        r.raise_for_status()
        c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        (await c.post(f"/api/v1/windows/{window_id}/sign-in")).raise_for_status()
        return c, window_id, service_id

    return list(await asyncio.gather(*(sign_in(*w) for w in hall.windows[:count])))


async def _solo(url: str, hall: BenchHall, window: tuple[httpx.AsyncClient, int, int], count: int, warmup: int,
                issued: list[float], called: list[float]) -> None:
    """One kiosk issues ``count`` tickets in turn for the window's service; then the window calls as many."""
    client, window_id, service_id = window
    async with _client(url, hall.kiosk_token) as kiosk:
        for i in range(warmup + count):
            _, t = await _issue(kiosk, service_id)
            if i >= warmup:
                issued.append(t)
    for i in range(warmup + count):
        ticket, t = await _call_next(client, window_id)
        if ticket is not None and i >= warmup:
            called.append(t)


async def _issue_32(url: str, token: str, path: str, body: dict, total: int, latencies: list[float]) -> tuple[
        float, list[dict]]:
    """32 clients at once, ``total`` requests between them; tickets per second and the answers."""
    clients = [_client(url, token) for _ in range(CLIENTS)]
    answers: list[dict] = []

    async def run(c: httpx.AsyncClient) -> None:
        for _ in range(total // CLIENTS):
            start = time.perf_counter()
            r = await c.post(path, json=body | {"idempotency_key": secrets.token_hex(8)})
            latencies.append(time.perf_counter() - start)
            if r.status_code not in (200, 201):
                raise RuntimeError(f"issue refused: {r.status_code} {r.text[:200]}")
            answers.append(r.json())

    try:
        start = time.perf_counter()
        await asyncio.gather(*(run(c) for c in clients))
        return len(answers) / (time.perf_counter() - start), answers
    finally:
        for c in clients:
            await c.aclose()


async def measure_hall(server: Server, hall: BenchHall, sizes: Sizes, figures: Figures, database_url: str) -> None:
    """Growth (an empty hall, then a long queue), throughput for one popular service, 32 windows at once."""
    url = server.url
    windows = await _windows(url, hall, CLIENTS)
    popular = windows[0]
    try:
        await _solo(url, hall, popular, sizes.solo, sizes.warmup, figures.issue_empty, figures.call_empty)
        prefill(database_url, hall.hall_id, popular[2], sizes.waiting)
        await _solo(url, hall, popular, sizes.solo, sizes.warmup, figures.issue_long, figures.call_long)

        cpu = server.cpu()
        figures.issue_32_rate, _ = await _issue_32(url, hall.kiosk_token, "/api/v1/tickets",
                                                   {"service_id": popular[2]}, sizes.issue_32, figures.issue_32)
        figures.issue_cpu = (server.cpu() - cpu) / len(figures.issue_32)

        async def window_run(client: httpx.AsyncClient, window_id: int) -> int:
            calls = 0
            for _ in range(sizes.issue_32 // CLIENTS):
                ticket, t = await _call_next(client, window_id)
                calls += 1
                if ticket is not None:  # the latency of a call that called someone
                    figures.call_32.append(t)
            return calls

        cpu = server.cpu()
        calls = sum(await asyncio.gather(*(window_run(c, wid) for c, wid, _ in windows)))
        figures.call_cpu = (server.cpu() - cpu) / calls  # every call, those told no one waits too
    finally:
        for c, _, _ in windows:
            await c.aclose()


async def measure_ceiling(server: Server, sizes: Sizes, figures: Figures) -> None:
    """The ceiling's figures in this run: one client in turn, then 32 at once."""
    async with _client(server.url) as one:
        for i in range(sizes.warmup + sizes.solo):
            start = time.perf_counter()
            (await one.post("/ticket", json={"service_id": 1})).raise_for_status()
            if i >= sizes.warmup:
                figures.ceiling_1.append(time.perf_counter() - start)
    cpu = server.cpu()
    figures.ceiling_rate, answers = await _issue_32(server.url, "", "/ticket", {"service_id": 1}, sizes.issue_32, [])
    figures.ceiling_cpu = (server.cpu() - cpu) / len(answers)


async def measure_two_workers(server: Server, hall: BenchHall, sizes: Sizes, figures: Figures,
                              database_url: str) -> None:
    """32 kiosks against ``hall serve --workers 2``: the rate, and whether each number came out once."""
    service = hall.windows[1][2]
    db = Database(database_url)
    try:
        with db.read_session() as s:
            series = s.get(Service, service).series
            before = s.scalar(select(func.max(TicketCounter.last_number)).where(TicketCounter.series == series)) or 0
        figures.workers_2_rate, answers = await _issue_32(server.url, hall.kiosk_token, "/api/v1/tickets",
                                                          {"service_id": service}, sizes.issue_32, [])
        with db.read_session() as s:
            rows = s.execute(select(Ticket.id, Ticket.sequence).where(
                Ticket.series == series, Ticket.sequence > before, Ticket.hall_id == hall.hall_id)).all()
    finally:
        db.dispose()
    ok = ({r.id for r in rows} == {a["id"] for a in answers} and len(answers) == len(rows)
          and sorted(r.sequence for r in rows) == list(range(before + 1, before + len(rows) + 1)))
    figures.workers_2_correct = (f"{len(answers)} tickets, each number once, no gap" if ok else
                                 f"WRONG: {len(answers)} answers, {len(rows)} new numbers, not consecutive")


def prefill(database_url: str, hall_id: int, service_id: int, count: int) -> None:
    """``count`` more tickets waiting for a service today, written straight into the database as the
    issuing transaction writes them (counter, tickets, tallies), in a few large transactions."""
    from hall_queue.numbering import format_number
    from hall_server.tickets.issuing import new_check_code
    from hall_server.tickets.queries import local_now
    from hall_server.tickets.tallies import recount

    db = Database(database_url)
    try:
        with db.writing() as s:
            service, hall = s.get(Service, service_id), s.get(Hall, hall_id)
            now = datetime.now(UTC)
            day = local_now(hall.timezone, now).date()
            counter = s.get(TicketCounter, (hall_id, service.series, day))
            first = counter.last_number + 1
            counter.last_number += count
            s.flush()
            rows = [{"hall_id": hall_id, "service_id": service_id, "business_date": day, "series": service.series,
                     "sequence": n, "number": format_number(service.series, n), "priority": "normal",
                     "status": "waiting", "status_token": secrets.token_urlsafe(24), "check_code": new_check_code(),
                     "issued_at": now, "arrived_at": now, "recall_count": 0, "note": ""}
                    for n in range(first, first + count)]
            for i in range(0, len(rows), 5000):
                s.execute(Ticket.__table__.insert(), rows[i:i + 5000])
            recount(s.connection(), hall_id, day)
            s.commit()
        if not db.is_sqlite:
            with db.writer.connect() as conn:  # as autovacuum would after so many rows
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
    finally:
        db.dispose()


# --- board subscribers --------------------------------------------------------------------

def _subscriber_process(url: str, hall_id: int, token: str, count: int, expected: int, ready, results) -> None:
    """``count`` WebSocket subscribers to the whole events (with the kiosk's token: only the board
    view is public); reports (ticket id, monotonic arrival) for each issued ticket."""
    import websockets

    bearer = {"Authorization": f"Bearer {token}"}

    async def board(ws_url: str, connected: asyncio.Event, counter: list[int], arrivals: list) -> None:
        async with websockets.connect(ws_url, additional_headers=bearer, max_size=2**22, open_timeout=30) as ws:
            counter[0] += 1
            if counter[0] == count:
                connected.set()
            seen = 0
            while seen < expected:
                msg = json.loads(await ws.recv())
                events = msg["events"] if msg["type"] == "events" else [msg["event"]] if msg["type"] == "event" else []
                arrived = time.monotonic()
                for event in events:
                    if event["kind"] == "ticket.issued":
                        arrivals.append((event["payload"]["ticket"]["id"], arrived))
                        seen += 1

    async def main() -> list:
        ws_url = url.replace("http", "ws", 1) + f"/api/v1/events?hall_id={hall_id}"
        connected, counter, arrivals = asyncio.Event(), [0], []
        tasks = [asyncio.create_task(board(ws_url, connected, counter, arrivals)) for _ in range(count)]
        await asyncio.wait_for(connected.wait(), 60)
        ready.put(count)
        done, pending = await asyncio.wait(tasks, timeout=120)
        for t in pending:
            t.cancel()
        return arrivals

    results.put(asyncio.run(main()))


async def measure_delivery(url: str, hall: BenchHall, sizes: Sizes, figures: Figures) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready, results = ctx.Queue(), ctx.Queue()
    per_process = SUBSCRIBERS // SUBSCRIBER_PROCESSES
    args = (url, hall.hall_id, hall.kiosk_token, per_process, sizes.events, ready, results)
    procs = [ctx.Process(target=_subscriber_process, args=args) for _ in range(SUBSCRIBER_PROCESSES)]
    for p in procs:
        p.start()
    try:
        for _ in procs:
            await asyncio.to_thread(ready.get, True, 90)
        await asyncio.sleep(0.5)  # every subscription is registered on the server
        sent: dict[int, tuple[float, float]] = {}  # ticket id -> (request sent, 201 received)
        service = hall.windows[-1][2]
        async with _client(url, hall.kiosk_token) as kiosk:
            for _ in range(sizes.events):
                start = time.monotonic()
                ticket, _t = await _issue(kiosk, service)
                sent[ticket["id"]] = (start, time.monotonic())
                await asyncio.sleep(EVENT_GAP_SECONDS)
        for _ in procs:
            for ticket_id, arrived in await asyncio.to_thread(results.get, True, 180):
                if ticket_id in sent:
                    figures.delivery_after_request.append(arrived - sent[ticket_id][0])
                    figures.delivery_after_answer.append(arrived - sent[ticket_id][1])
        figures.deliveries_expected = SUBSCRIBERS * sizes.events
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()


# --- report -------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of the values, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank] * 1000


def _ms(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values) * 1000:.1f} / {percentile(values, 99):.1f}"


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
            f"load average {load} (1/5/15 min) at the end of the run")


def _p50(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def _growth(long: list[float], empty: list[float]) -> str:
    return f"{_p50(long) / _p50(empty):.2f}×" if long and empty else "–"


def table(results: list[Figures], sizes: Sizes, boards: list | None = None) -> str:
    head = "| measure | target | " + " | ".join(f.database for f in results) + " |"
    rule = "|---|---|" + "---|" * len(results)
    waiting = f"{sizes.waiting:,}"
    rows = [
        ("issue, 1 kiosk, empty hall, median / p99 (ms)", "", [_ms(f.issue_empty) for f in results]),
        (f"issue, 1 kiosk, {waiting} waiting, median / p99 (ms)", "", [_ms(f.issue_long) for f in results]),
        (f"issue p50, {waiting} waiting / empty hall", f"≤ {GROWTH_LIMIT}×",
         [_growth(f.issue_long, f.issue_empty) for f in results]),
        ("call-next, 1 window, empty hall, median / p99 (ms)", "", [_ms(f.call_empty) for f in results]),
        (f"call-next, 1 window, {waiting} waiting, median / p99 (ms)", "", [_ms(f.call_long) for f in results]),
        (f"call-next p50, {waiting} waiting / empty hall", f"≤ {GROWTH_LIMIT}×",
         [_growth(f.call_long, f.call_empty) for f in results]),
        ("ceiling (../shared/ceiling, SQLite): 1 client, median / p99 (ms)", "", [_ms(f.ceiling_1) for f in results]),
        ("ceiling: tickets per second, 32 clients", "", [f"{f.ceiling_rate:.0f}" for f in results]),
        ("tickets per second, 32 kiosks, one popular service", "", [f"{f.issue_32_rate:.0f}" for f in results]),
        ("… as a share of the ceiling's", f"SQLite ≥ {CEILING_SHARE:.0%}",
         [f"{f.issue_32_rate / f.ceiling_rate:.0%}" if f.ceiling_rate else "–" for f in results]),
        ("issue, 32 kiosks at once, median / p99 (ms)", "", [_ms(f.issue_32) for f in results]),
        ("server CPU per ticket, hall / ceiling (ms)", "",
         [f"{f.issue_cpu * 1000:.2f} / {f.ceiling_cpu * 1000:.2f}" for f in results]),
        ("call-next, 32 windows at once, median / p99 (ms)", "", [_ms(f.call_32) for f in results]),
        ("server CPU per call-next (ms)", "", [f"{f.call_cpu * 1000:.2f}" for f in results]),
        ("tickets per second, 32 kiosks, `hall serve --workers 2`", "reported",
         [f"{f.workers_2_rate:.0f}" if f.workers_2_rate else "– (one process)" for f in results]),
        ("… numbering with two workers", "exact", [f.workers_2_correct or "–" for f in results]),
        (f"event delivery to {SUBSCRIBERS} subscribers after the kiosk's request, median / p99 (ms)", "",
         [_ms(f.delivery_after_request) for f in results]),
        ("… after the kiosk's 201, median / p99 (ms)", "", [_ms(f.delivery_after_answer) for f in results]),
        ("events delivered / expected", "all",
         [f"{len(f.delivery_after_request)} / {f.deliveries_expected}" for f in results]),
    ]
    if boards:
        from bench.board import rows as board_rows

        rows += board_rows(boards)
    lines = [head, rule] + [f"| {name} | {target} | " + " | ".join(vals) + " |" for name, target, vals in rows]
    return "\n".join(lines)


def run_one(kind: str, sizes: Sizes, pg_admin_url: str) -> Figures:
    figures = Figures(database="SQLite" if kind == "sqlite" else "PostgreSQL")
    with tempfile.TemporaryDirectory(prefix="hall-bench-") as tmp:
        workdir = Path(tmp)
        with scratch_database(kind, pg_admin_url, workdir) as url:
            hall = prepare(url)
            with serving(url, workdir / "serve.log") as server:
                asyncio.run(measure_hall(server, hall, sizes, figures, url))
                asyncio.run(measure_delivery(server.url, hall, sizes, figures))
            if (CEILING / "app.py").exists():  # beside the hall, in the same run
                with ceiling(workdir / "ceiling.log") as server:
                    asyncio.run(measure_ceiling(server, sizes, figures))
            else:  # a clone away from ../shared: the hall's own figures still stand; the comparison shows "–"
                print(f"ceiling not found at {CEILING / 'app.py'}: its rows are left out", file=sys.stderr)
            if kind == "postgresql":
                with serving(url, workdir / "serve-2.log", workers=2) as server:
                    asyncio.run(measure_two_workers(server, hall, sizes, figures, url))
    return figures


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="hall bench", description="Measure the hall server on this machine.",
        epilog="The other benches run on their own: python -m bench.board (boards and LED screens), bench.bus "
               "(the device bus), bench.kiosk (the kiosk), bench.stats (the back office's statistics over a long "
               "history); each has --help. Figures and commands: docs/PERFORMANCE.md.")
    p.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="fewer requests: a few minutes")
    size.add_argument("--smoke", action="store_true", help="a few requests: that every part runs, no figures to keep")
    p.add_argument("--boards", type=int, default=None, metavar="ROUNDS",
                   help="bursts of the board bench (bench/board.py) to run too (default 10, smoke 1; 0: skip)")
    p.add_argument("--pg-url", default=os.environ.get("HALL_BENCH_PG_URL") or os.environ.get(
        "HALL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to connect to for creating the scratch database")
    p.add_argument("--json", type=Path, help="also write the raw figures (seconds) to this file")
    a = p.parse_args(argv)
    sizes = SMOKE if a.smoke else QUICK if a.quick else FULL
    kinds = ["sqlite", "postgresql"] if a.database == "both" else [a.database]
    rounds = a.boards if a.boards is not None else (1 if a.smoke else 10)
    from bench.board import SMOKE as BOARD_SMOKE

    small = {k: v for k, v in BOARD_SMOKE.items() if k != "rounds"} if a.smoke else {}
    results, boards = [], []
    for kind in kinds:
        print(f"measuring {kind} ...", file=sys.stderr, flush=True)
        results.append(run_one(kind, sizes, a.pg_url))
        if rounds:
            from bench.board import measure as measure_boards

            boards.append(measure_boards(kind, rounds, a.pg_url, **small))
    print(f"`{' '.join(['hall', 'bench', *argv])}`")
    print()
    print(table(results, sizes, boards))
    print()
    print(machine())
    if a.json:
        a.json.write_text(json.dumps([asdict(f) for f in results], default=str))
    missed = [f.database for f in results if len(f.delivery_after_request) < f.deliveries_expected]
    wrong = [f.database for f in results if f.workers_2_correct.startswith("WRONG")]
    unseen = [b.database for b in boards if b.missed]  # missing, or shown twice
    if missed or wrong or unseen:
        print(f"\nevents lost on the way to subscribers: {missed}; numbering wrong with two workers: {wrong}; "
              f"calls missing or repeated on boards or LED screens: {unseen}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
