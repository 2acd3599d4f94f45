"""``hall serve`` as a real operating-system process, for the proofs that need more than one server
or a server that can be killed: two processes on one PostgreSQL database, SIGKILL mid-write.

The in-process test server (tests/harness.py) cannot be killed without killing the tests, and
two of them in one interpreter would share the GIL and the module state a second process
never shares. A subprocess runs on the real clock, so the hall it serves is opened around the
clock (:func:`seed_open_hall`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import update

from hall_server.catalog.models import Hall
from hall_server.db import Database
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
    """One ``hall serve --database URL --port P`` process on loopback."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.log_path = log_path
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
             "--port", str(self.port)],
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
