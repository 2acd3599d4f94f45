"""``hall bench``: how fast the hall server issues, calls and tells the boards, on this machine.

The server runs as a real ``hall serve`` process (its own interpreter, so the benchmark's
clients do not share its GIL) on loopback, on a scratch database loaded with the demo halls:
the county hall's 40 windows and their services, daily caps lifted so that the counters, not
the caps, are what is measured. Clients are httpx async clients, one connection each, like
kiosks and soft callers; the 200 board subscribers are WebSockets in two separate processes.

What is measured, per database:
- issue: POST /tickets latency with 1 kiosk (in turn) and 32 kiosks (all at once), and the
  tickets per second the 32 achieve;
- call next: POST /windows/{id}/call-next latency with 1 window and 32 windows at once;
- delivery: to each of 200 WebSocket subscribers receiving the ``ticket.issued`` event. The
  commit happens between the kiosk sending its request and receiving its 201, so the latency
  from commit lies between "after the 201" (often negative: the boards hear of the ticket
  before the kiosk has its answer) and "after the request" (which includes the issue itself).
  Tickets are issued one by one, paced, so the figure is latency, not a queue.
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
from pathlib import Path

import httpx
from sqlalchemy import select, update

from hall_server.catalog.models import Service, Window
from hall_server.client import tls
from hall_server.db import Database
from hall_server.demo_data import load_demo

ROOT = Path(__file__).resolve().parents[1]
BENCH_HALL = "kunshan"  # the demo county hall: 40 windows
CLIENTS = 32
SUBSCRIBERS = 200
SUBSCRIBER_PROCESSES = 2
EVENT_GAP_SECONDS = 0.05
TARGETS = {
    "issue_1_p99_ms": 20.0,
    "issue_32_rate": 500.0,
    "delivery_p99_ms": 50.0,
}


@dataclass(frozen=True)
class Sizes:
    issue_1: int
    issue_32: int  # total over the 32 kiosks
    events: int
    warmup: int = 10


FULL = Sizes(issue_1=300, issue_32=2016, events=150)
QUICK = Sizes(issue_1=100, issue_32=640, events=40)
SMOKE = Sizes(issue_1=5, issue_32=64, events=3, warmup=2)  # does every part still run? (the test suite's)


@dataclass
class BenchHall:
    hall_id: int
    kiosk_token: str
    staff_password: str
    windows: list[tuple[int, str, int]]  # (window id, staff username, first service id), by window number


@dataclass
class Figures:
    database: str
    issue_1: list[float] = field(default_factory=list)  # seconds per request
    issue_32: list[float] = field(default_factory=list)
    issue_32_rate: float = 0.0  # tickets per second
    call_1: list[float] = field(default_factory=list)
    call_32: list[float] = field(default_factory=list)
    # The commit happens between the kiosk sending its request and receiving the 201, so the time
    # from commit to a subscriber lies between these two figures (seconds, one per delivery).
    delivery_after_answer: list[float] = field(default_factory=list)
    delivery_after_request: list[float] = field(default_factory=list)
    deliveries_expected: int = 0
    # CPU seconds the server process spent per request in the 32-client phases (all its threads):
    # unlike latencies, this hardly moves with the machine's load, and 1 / it bounds one core's rate.
    issue_cpu: float = 0.0
    call_cpu: float = 0.0


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
def serving(database_url: str, log_path: Path) -> Iterator[Server]:
    """``hall serve`` in its own process on a free loopback port."""
    port = _free_port()
    env = dict(os.environ, HALL_PUBLIC_RATE="1000000/minute", HALL_LOGIN_RATE="1000000/minute")
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hall_server.cli", "serve", "--database", database_url, "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"hall serve did not start; see {log_path}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
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


async def measure_issue_and_call(server: Server, hall: BenchHall, sizes: Sizes, figures: Figures) -> None:
    url = server.url
    windows = await _windows(url, hall, CLIENTS)
    try:
        # one kiosk, one window: the latency an applicant and a window feel in a quiet hall
        solo_window, solo_window_id, solo_service = windows[0]
        async with _client(url, hall.kiosk_token) as kiosk:
            for i in range(sizes.warmup + sizes.issue_1):
                _, t = await _issue(kiosk, solo_service)
                if i >= sizes.warmup:
                    figures.issue_1.append(t)
        for i in range(sizes.warmup + sizes.issue_1):
            ticket, t = await _call_next(solo_window, solo_window_id)
            if ticket is not None and i >= sizes.warmup:
                figures.call_1.append(t)

        # 32 kiosks at once, each for the service of "its" window, then 32 windows at once
        kiosks = [_client(url, hall.kiosk_token) for _ in range(CLIENTS)]
        per_kiosk = sizes.issue_32 // CLIENTS

        async def kiosk_run(k: int) -> None:
            for _ in range(per_kiosk):
                _, t = await _issue(kiosks[k], windows[k][2])
                figures.issue_32.append(t)

        start, cpu = time.perf_counter(), server.cpu()
        await asyncio.gather(*(kiosk_run(k) for k in range(CLIENTS)))
        figures.issue_32_rate = len(figures.issue_32) / (time.perf_counter() - start)
        figures.issue_cpu = (server.cpu() - cpu) / len(figures.issue_32)
        for k in kiosks:
            await k.aclose()

        async def window_run(client: httpx.AsyncClient, window_id: int) -> None:
            for _ in range(per_kiosk):
                ticket, t = await _call_next(client, window_id)
                if ticket is None:  # a neighbour serving the same service took the rest
                    return
                figures.call_32.append(t)

        cpu = server.cpu()
        await asyncio.gather(*(window_run(c, wid) for c, wid, _ in windows))
        figures.call_cpu = (server.cpu() - cpu) / max(1, len(figures.call_32))
    finally:
        for c, _, _ in windows:
            await c.aclose()


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


def table(results: list[Figures]) -> str:
    head = "| measure | target | " + " | ".join(f.database for f in results) + " |"
    rule = "|---|---|" + "---|" * len(results)
    rows = [
        ("issue latency, 1 kiosk, median / p99 (ms)", f"p99 < {TARGETS['issue_1_p99_ms']:.0f}",
         [_ms(f.issue_1) for f in results]),
        ("issue latency, 32 kiosks at once, median / p99 (ms)", "", [_ms(f.issue_32) for f in results]),
        ("tickets per second, 32 kiosks", f"≥ {TARGETS['issue_32_rate']:.0f}",
         [f"{f.issue_32_rate:.0f}" for f in results]),
        ("server CPU per issue (ms)", "", [f"{f.issue_cpu * 1000:.1f}" for f in results]),
        ("call-next latency, 1 window, median / p99 (ms)", "", [_ms(f.call_1) for f in results]),
        ("call-next latency, 32 windows at once, median / p99 (ms)", "", [_ms(f.call_32) for f in results]),
        ("server CPU per call-next (ms)", "", [f"{f.call_cpu * 1000:.1f}" for f in results]),
        (f"event delivery to {SUBSCRIBERS} subscribers after the kiosk's request, median / p99 (ms)",
         f"p99 < {TARGETS['delivery_p99_ms']:.0f}", [_ms(f.delivery_after_request) for f in results]),
        ("… after the kiosk's 201, median / p99 (ms)", "", [_ms(f.delivery_after_answer) for f in results]),
        ("events delivered / expected", "all",
         [f"{len(f.delivery_after_request)} / {f.deliveries_expected}" for f in results]),
    ]
    lines = [head, rule] + [f"| {name} | {target} | " + " | ".join(vals) + " |" for name, target, vals in rows]
    return "\n".join(lines)


def run_one(kind: str, sizes: Sizes, pg_admin_url: str) -> Figures:
    figures = Figures(database="SQLite" if kind == "sqlite" else "PostgreSQL")
    with tempfile.TemporaryDirectory(prefix="hall-bench-") as tmp:
        workdir = Path(tmp)
        with scratch_database(kind, pg_admin_url, workdir) as url:
            hall = prepare(url)
            with serving(url, workdir / "serve.log") as server:
                asyncio.run(measure_issue_and_call(server, hall, sizes, figures))
                asyncio.run(measure_delivery(server.url, hall, sizes, figures))
    return figures


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="hall bench", description="Measure the hall server on this machine.")
    p.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="fewer requests (about a third): about two minutes")
    size.add_argument("--smoke", action="store_true", help="a few requests: that every part runs, no figures to keep")
    p.add_argument("--pg-url", default=os.environ.get("HALL_BENCH_PG_URL") or os.environ.get(
        "HALL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to connect to for creating the scratch database")
    p.add_argument("--json", type=Path, help="also write the raw figures (seconds) to this file")
    a = p.parse_args(argv)
    sizes = SMOKE if a.smoke else QUICK if a.quick else FULL
    kinds = ["sqlite", "postgresql"] if a.database == "both" else [a.database]
    results = []
    for kind in kinds:
        print(f"measuring {kind} ...", file=sys.stderr, flush=True)
        results.append(run_one(kind, sizes, a.pg_url))
    print(f"`{' '.join(['hall', 'bench', *argv])}`")
    print()
    print(table(results))
    print()
    print(machine())
    if a.json:
        a.json.write_text(json.dumps([asdict(f) for f in results]))
    missed = [f.database for f in results if len(f.delivery_after_request) < f.deliveries_expected]
    if missed:
        print(f"\nevents lost on the way to subscribers: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
