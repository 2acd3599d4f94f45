"""The one writer of a server process: write work queued, run in groups, committed once per group.

Why a single writer: every write transaction ends in the same place anyway (SQLite has one
write lock per database; on PostgreSQL the event outbox takes one advisory lock per commit), so
32 request threads racing for it only burn CPU waking each other. Here requests hand their
work to one thread, which runs everything waiting as one transaction and commits once (group
commit): a morning rush of 32 kiosks costs one BEGIN, one commit and one wake of the event
hub instead of 32.

Each piece of work runs in its own savepoint when it shares the transaction, so a refusal
(a closed hall, an illegal move) undoes only its own writes and events. A request is answered
only after the commit that holds its writes: an acknowledged ticket is a committed ticket.
Conflicts (a racing twin of an idempotent request, a PostgreSQL deadlock, a failed commit) run
the work again in the next group, up to ``ATTEMPTS`` times, so the client never sees them.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from hall_server.clock import Clock
from hall_server.db import Database
from hall_server.errors import HallError
from hall_server.events.outbox import commit

log = logging.getLogger(__name__)

ATTEMPTS = 4
MAX_GROUP = 64  # pieces of work per transaction: enough for a rush, short enough to answer quickly
Work = Callable[[Session, datetime], Any]


@dataclass(eq=False)
class Job:
    work: Work
    conflict: HallError | None
    future: Future = field(default_factory=Future)
    attempts: int = 0


class _Retry(Exception):
    """Internal: this piece of work met a conflict and should run again after the commit."""


class Writer:
    """Runs write work on one thread, in groups sharing a transaction (see the module's docstring)."""

    def __init__(self, db: Database, clock: Clock, wake: Callable[[int], None] | None = None) -> None:
        self.db = db
        self.clock = clock
        self.wake = wake
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, work: Work, conflict: HallError | None = None) -> Future:
        """Queue ``work(session, now)``; the future holds its result once its transaction has committed."""
        job = Job(work, conflict)
        self._ensure_started()
        self._queue.put(job)
        return job.future

    def close(self) -> None:
        """Finish the work already queued, then stop the thread."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=30)

    def _ensure_started(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="hall-writer", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        retry: list[Job] = []
        while True:
            group = retry
            retry = []
            if not group:
                first = self._queue.get()
                if first is None:
                    return
                group = [first]
            stop = False
            while len(group) < MAX_GROUP:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                group.append(job)
            retry = self._run_group(group)
            if stop:
                for job in retry:
                    job.future.set_exception(HallError("internal_error", 503))
                return

    def _run_group(self, group: list[Job]) -> list[Job]:
        """Run a group in one transaction; settle each job's future; return the jobs to run again."""
        done: list[tuple[Job, Any]] = []
        failed: list[tuple[Job, BaseException]] = []
        again: list[Job] = []
        try:
            with self.db.writing() as session:
                alone = len(group) == 1
                for job in group:
                    try:
                        done.append((job, self._run_job(session, job, alone)))
                    except _Retry:
                        again.append(job)
                    except Exception as exc:  # the job's own refusal; its writes are undone
                        failed.append((job, exc))
                commit(session, self.wake)
        except (OperationalError, DBAPIError) as exc:
            # The transaction or its commit failed (a deadlock, the database restarting): nothing
            # of this group was written, so every job that had succeeded runs again.
            log.warning("write group of %d failed (%s); running it again", len(group), exc.__class__.__name__)
            again.extend(job for job, _ in done)
            done = []
        except Exception as exc:  # not the database's fault: answer every job with it
            failed.extend((job, exc) for job, _ in done)
            done = []
        for job, result in done:
            job.future.set_result(result)
        for job, exc in failed:
            job.future.set_exception(exc)
        retry = []
        for job in again:
            job.attempts += 1
            if job.attempts >= ATTEMPTS:
                job.future.set_exception(job.conflict or HallError("internal_error", 503))
            else:
                retry.append(job)
        return retry

    def _run_job(self, session: Session, job: Job, alone: bool) -> Any:
        outbox: list = session.info.setdefault("outbox", [])
        mark = len(outbox)
        try:
            if alone:  # no one to protect: a failure rolls back the whole (one-job) transaction
                result = job.work(session, self.clock.now())
                session.flush()
            else:
                with session.begin_nested():
                    result = job.work(session, self.clock.now())
            # The next job must not see this one's objects as they were loaded: hot paths write
            # with Core statements that the ORM's identity map would not know about.
            session.expunge_all()
            return result
        except (IntegrityError, OperationalError) as exc:
            del outbox[mark:]
            if alone:
                session.rollback()
            raise _Retry from exc
        except BaseException:
            del outbox[mark:]
            if alone:
                with contextlib.suppress(Exception):
                    session.rollback()
            raise
