"""A real hall server for tests: a fresh database (SQLite file or a PostgreSQL clone), a small
hall with accounts and device tokens, and uvicorn serving it on a loopback port."""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy import select

from hall_server.app import create_app
from hall_server.auth.models import Role, User
from hall_server.auth.passwords import hash_password
from hall_server.auth.service import issue_device_token
from hall_server.catalog.io import import_catalog, parse_catalog
from hall_server.catalog.models import Service, Window
from hall_server.clock import Clock
from hall_server.config import Settings
from hall_server.context import Context
from hall_server.db import Database
from hall_server.events.outbox import commit
from hall_server.serve import ThreadedServer

PG_URL = os.environ.get("HALL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
TEST_CATALOG = Path(__file__).with_name("test_catalog.yaml")
PASSWORD = "window-pass-123"
# A Wednesday, 10:00 in Shanghai: the hall is open.
OPEN_MOMENT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
BULK_WINDOWS = 40


def pg_available() -> bool:
    try:
        with psycopg.connect(PG_URL, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


class PgDatabases:
    """Fresh PostgreSQL databases cloned from one migrated template (fast: no migration per test)."""

    def __init__(self) -> None:
        self.template = f"hall_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.created: list[str] = []
        self._admin(f'CREATE DATABASE "{self.template}"')
        db = Database(self.url(self.template))
        db.migrate()
        db.dispose()

    def url(self, name: str) -> str:
        return PG_URL.rsplit("/", 1)[0] + "/" + name

    def _admin(self, sql: str) -> None:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(sql)

    def fresh(self) -> str:
        name = f"hall_t_{uuid.uuid4().hex[:10]}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for name in [*self.created, self.template]:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class TestHall:
    """Ids and credentials of the seeded test hall."""

    hall_id: int
    kiosk_token: str
    bus_token: str
    services: dict[str, int]  # code -> id
    windows: dict[int, int]  # window number -> id
    staff: dict[int, str]  # window number -> username
    admin: str = "admin"
    business: str = "business"
    supervisor: str = "supervisor"
    leader: str = "leader"
    password: str = PASSWORD


def seed_hall(db: Database, now: datetime, bulk_windows: int = BULK_WINDOWS) -> TestHall:
    catalog = parse_catalog(TEST_CATALOG.read_text(encoding="utf-8"))
    with db.writing() as s:
        (hall,) = import_catalog(s, catalog)
        bulk = s.scalar(select(Service).where(Service.hall_id == hall.id, Service.code == "BK-1"))
        dept = bulk.department_id
        for n in range(10, 10 + bulk_windows):
            s.add(Window(hall_id=hall.id, department_id=dept, number=n, name="综合窗口", location=f"三楼{n}号窗口",
                         area="三楼", services=[bulk]))
        s.flush()
        pw = hash_password(PASSWORD)
        staff = {}
        windows = {w.number: w.id for w in s.scalars(select(Window).where(Window.hall_id == hall.id))}
        for number in windows:
            name = f"staff{number}"
            s.add(User(username=name, password_hash=pw, role="staff", hall_id=hall.id, display_name=f"{number}号",
                       card_id=f"CARD{number:03d}"))
            staff[number] = name
        for name, role in (("admin", "admin"), ("business", "business"), ("supervisor", "supervision"),
                           ("leader", "leader")):
            s.add(User(username=name, password_hash=pw, role=role, hall_id=None if role == "admin" else hall.id,
                       display_name=name))
        kiosk = issue_device_token(s, now, Role.KIOSK, hall.id, "kiosk 1")
        bus = issue_device_token(s, now, Role.BUS, hall.id, "bus")
        services = {x.code: x.id for x in s.scalars(select(Service).where(Service.hall_id == hall.id))}
        result = TestHall(hall.id, kiosk, bus, services, windows, staff)
        commit(s)
    return result


@dataclass
class RunningHall:
    url: str
    ctx: Context
    clock: Clock
    hall: TestHall
    database_url: str
    server: ThreadedServer = field(repr=False)
    texts: Path = field(repr=False, default=Path("text-messages.jsonl"))  # the applicants' texts (file backend)


def start_hall(database_url: str, *, clock: Clock | None = None) -> RunningHall:
    clock = clock or Clock()
    db = Database(database_url)
    db.migrate()
    hall = seed_hall(db, clock.now())
    db.dispose()
    # never the working directory; a test may name its own file (HALL_SMS_FILE)
    texts = Path(os.environ.get("HALL_SMS_FILE")
                 or Path(tempfile.mkdtemp(prefix="hall-texts-")) / "text-messages.jsonl")
    settings = Settings(database_url=database_url, public_base_url="http://hall.test", public_rate="100000/minute",
                        login_rate="100000/minute", ticket_lookup_rate="100000/minute", sms_file=str(texts))
    app = create_app(settings, clock=clock, migrate=False)
    server = ThreadedServer(app)
    url = server.start()
    settings.public_base_url = url
    return RunningHall(url, app.state.ctx, clock, hall, database_url, server, texts)
