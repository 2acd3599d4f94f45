"""The database: engines, sessions and migrations, for SQLite (embedded) and PostgreSQL.

SQLite gets WAL (readers go on while one writer writes) and ``BEGIN IMMEDIATE`` on write
sessions, so a "read then write" transaction waits for the lock instead of failing with
"database is locked". Read-only requests use a second engine with plain deferred
transactions so they never queue behind writers.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Boolean, DateTime, Engine, all_, any_, bindparam, create_engine, event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    pass


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC; SQLite hands them back naive, so we put the zone back."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class OneOf(ColumnElement[bool]):
    """``column`` is one of the list given as parameter ``name``, in a statement of one shape.

    An expanding ``IN`` renders a new SQL string for every length of the list, and for each new
    string psycopg parses the query again and PostgreSQL plans it again (1-2 ms a statement on
    a slow machine, for a pass of 40 windows). PostgreSQL takes the list as one array instead,
    ``column = ANY(:name)``; SQLite, which has no arrays, gets the expanding ``IN``.
    """

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a comparison: no "= 1" after it on SQLite
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement), ("name", InternalTraversal.dp_string),
                           ("negated", InternalTraversal.dp_boolean)]

    def __init__(self, column: ColumnElement, name: str, negated: bool = False) -> None:
        self.column, self.name, self.negated = column, name, negated

    def _negate(self) -> OneOf:  # ~one_of / not_(one_of): none of them
        return OneOf(self.column, self.name, not self.negated)


@compiles(OneOf)
def _one_of_in(element: OneOf, compiler, **kw) -> str:
    values = bindparam(element.name, expanding=True)
    return compiler.process(element.column.not_in(values) if element.negated else element.column.in_(values), **kw)


@compiles(OneOf, "postgresql")
def _one_of_any(element: OneOf, compiler, **kw) -> str:
    array = bindparam(element.name, type_=ARRAY(element.column.type))
    return compiler.process(element.column != all_(array) if element.negated else element.column == any_(array), **kw)


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and plain paths; use psycopg 3 for PostgreSQL."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    return url


def _sqlite_pragmas(engine: Engine, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")  # durable against a killed process, not a power cut
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class FifoLock:
    """A lock granted in arrival order (threading.Lock makes no promise of fairness).

    Each waiter sleeps on a lock of its own and the holder hands over to the first in line: one
    thread woken per turn, not all of them (a Condition's notify_all woke 32 waiting kiosks'
    threads for every ticket, and the server spent a tenth of its time doing so).
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._line: deque[threading.Lock] = deque()
        self._held = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._guard:
            turn = None
            if self._held:
                turn = threading.Lock()
                turn.acquire()
                self._line.append(turn)
            self._held = True
        if turn is not None:
            turn.acquire()  # released by the holder before us: the lock is ours
        try:
            yield
        finally:
            with self._guard:
                if self._line:
                    self._line.popleft().release()  # still held: handed to the next in line
                else:
                    self._held = False


class Database:
    """A writer engine and a reader engine on one URL, with session helpers."""

    def __init__(self, url: str, *, pool_size: int = 20) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            kw = {"connect_args": {"check_same_thread": False, "timeout": 30}}
            self.writer = create_engine(self.url, pool_size=pool_size, max_overflow=20, **kw)
            self.reader = create_engine(self.url, pool_size=pool_size, max_overflow=20, **kw)
            _sqlite_pragmas(self.writer, immediate=True)
            _sqlite_pragmas(self.reader, immediate=False)
        else:
            self.writer = create_engine(self.url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True)
            self.reader = self.writer
        self._write = sessionmaker(self.writer, expire_on_commit=False)
        self._write_turn = FifoLock() if self.is_sqlite else contextlib.nullcontext
        self._read = sessionmaker(self.reader, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.writer.dialect.name

    def write_session(self) -> Session:
        return self._write()

    def read_session(self) -> Session:
        return self._read()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: committed by the caller (``outbox.commit``), rolled back on error.

        On SQLite the writers of this process queue in arrival order for the single write lock:
        SQLite's own busy handler sleeps and retries, so under load a waiting writer keeps losing
        the lock to newcomers (seconds of wait for one unlucky ticket).
        """
        with self._write_turn(), self._write() as session:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()  # give the connection (and SQLite's lock) back before the next turn

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (creates it on an empty database)."""
        from hall_server.migrations import upgrade

        upgrade(self)

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()


def unpooled_engine(url: str) -> Engine:
    return create_engine(normalise_url(url), poolclass=NullPool)
