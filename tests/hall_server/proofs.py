"""Tools shared by the concurrency and crash proofs: ``hall serve`` as a real process, many
kiosks and windows at once, and what the database and the event log kept.

The in-process test server (tests/harness.py) cannot be killed without killing the tests, and
two of them in one interpreter would share the GIL and the module state a second process
never shares. A subprocess runs on the real clock, so the hall it serves is opened around the
clock (:func:`seed_open_hall`).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import select, update

from hall_server.catalog.models import Hall
from hall_server.client import HallClient
from hall_server.db import Database
from hall_server.tickets.models import Ticket, TicketCounter
from tests.harness import TestHall, seed_hall

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_open_hall(database_url: str) -> TestHall:
    """Migrate, seed the test hall, and open it around the clock (the subprocess uses real time)."""
    db = Database(database_url)
    try:
        db.migrate()
        hall = seed_hall(db, datetime.now(UTC))
        with db.writing() as s:
            s.execute(update(Hall).where(Hall.id == hall.hall_id).values(hours="00:00-00:00", lunch=None))
            s.commit()
    finally:
        db.dispose()
    return hall


class ServeProcess:
    """One ``hall serve --database URL --port P [--workers N]`` process on loopback."""

    def __init__(self, database_url: str, log_path: Path, workers: int = 1) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.workers = workers
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> ServeProcess:
        self.port = free_port()
        env = dict(os.environ, HALL_PUBLIC_RATE="100000/minute", HALL_LOGIN_RATE="100000/minute")
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hall_server.cli", "serve", "--database", self.database_url,
             "--port", str(self.port), "--workers", str(self.workers)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hall serve exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"hall serve did not answer within {timeout}s: {self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no rollback — what a power switch does to the process."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


@dataclass
class Servers:
    """One or more server processes on one database, and the hall seeded in it."""

    urls: list[str]
    hall: TestHall
    database_url: str

    def url_for(self, i: int) -> str:
        return self.urls[i % len(self.urls)]


def db_tickets(database_url: str) -> list[Ticket]:
    db = Database(database_url)
    try:
        with db.read_session() as s:
            return list(s.scalars(select(Ticket).order_by(Ticket.id)))
    finally:
        db.dispose()


def db_counters(database_url: str) -> dict[tuple[str, object], int]:
    """(series, business date) -> the last number the counter row gave out."""
    db = Database(database_url)
    try:
        with db.read_session() as s:
            return {(c.series, c.business_date): c.last_number for c in s.scalars(select(TicketCounter))}
    finally:
        db.dispose()


async def all_events(client: HallClient, hall_id: int, after: int = 0) -> list[dict]:
    """The whole event log after ``after``, page by page, through the API."""
    out: list[dict] = []
    while True:
        page = await client.list_events(after=after, hall_id=hall_id, limit=1000)
        if not page:
            return out
        out += page
        after = page[-1]["id"]


async def issue_many(servers: Servers, count: int, services: tuple[str, ...], clients: int = 32) -> list[dict]:
    """``clients`` kiosks issue ``count`` tickets between them, all at once, spread over the servers."""
    hall = servers.hall
    kiosks = [HallClient(servers.url_for(i), hall.kiosk_token, timeout=60) for i in range(clients)]

    async def kiosk_run(k: int) -> list[dict]:
        return [await kiosks[k].issue_ticket(hall.services[services[j % len(services)]])
                for j in range(k, count, clients)]

    try:
        results = await asyncio.gather(*(kiosk_run(k) for k in range(clients)))
    finally:
        for c in kiosks:
            await c.aclose()
    return [t for r in results for t in r]


async def open_windows(servers: Servers, numbers: range) -> dict[int, HallClient]:
    """Staff log in and sign in to each window; the clients are spread over the servers."""
    hall = servers.hall
    windows: dict[int, HallClient] = {}
    for i, n in enumerate(numbers):
        c = HallClient(servers.url_for(i), timeout=60)
        await c.login(hall.staff[n], hall.password)
        await c.sign_in_window(hall.windows[n])
        windows[n] = c
    return windows


def window_number(hall: TestHall, window_id: int | None) -> int | None:
    return next((n for n, i in hall.windows.items() if i == window_id), None)
