"""The one writer of a server process: write work queued, run in groups, committed once per group.

Why a single writer: every write transaction ends in the same place anyway (SQLite has one
write lock per database; on PostgreSQL the event outbox takes one advisory lock per commit), so
32 request threads racing for it only burn CPU waking each other. Here requests hand their
work to one thread, which runs everything waiting as one transaction and commits once (group
commit): a morning rush of 32 kiosks costs one BEGIN, one commit and one wake of the event
hub instead of 32.

A refusal (a closed hall, an illegal move) must undo only its own writes and events: the
transaction is rolled back, the refused request answered, and the work before it run again at
once and committed; the work after it goes on in the next group. A request is answered only
after the commit that holds its writes: an acknowledged ticket is a committed ticket.
Conflicts (a racing twin of an idempotent request, a PostgreSQL deadlock, a failed commit) run
the work again, up to ``ATTEMPTS`` times, so the client never sees them.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
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
# Windows calling at the same moment reach the writer a fraction of a millisecond apart, or a
# few when the machine is busy. Once a call is taken, the writer waits for the next while they
# keep coming (each at most GATHER_QUIET after the last, GATHER_MAX in all), so the burst runs
# as one pass, not as a pass of the first call and then another of the rest (which, on a
# 2-CPU machine with 50 boards, made a whole burst 40-50 ms later). A call alone waits
# GATHER_QUIET: 4 ms of a 10-15 ms call.
GATHER_QUIET = 0.004
GATHER_MAX = 0.015
Work = Callable[[Session, datetime], Any]


@dataclass(frozen=True)
class Batched:
    """Work that runs together with its like queued right after it, in one pass.

    ``run(session, now, items)`` does the work of several requests at once (40 windows calling
    together: a few statements instead of a few per window) and returns one outcome per item, in
    order; an outcome that is a HallError is that item's refusal, made before it wrote anything,
    so the others' writes stand. Items with the same ``key`` (one window) never share a pass.
    Called alone, it is a pass of one.
    """

    run: Callable[[Session, datetime, list[Any]], list[Any]]
    key: Hashable
    item: Any

    def __call__(self, session: Session, now: datetime) -> Any:
        (outcome,) = self.run(session, now, [self.item])
        if isinstance(outcome, HallError):
            raise outcome
        return outcome


@dataclass(eq=False)
class Job:
    work: Work
    conflict: HallError | None
    future: Future = field(default_factory=Future)
    attempts: int = 0


class Writer:
    """Runs write work on one thread, in groups sharing a transaction (see the module's docstring)."""

    def __init__(self, db: Database, clock: Clock, wake: Callable[[list[dict]], None] | None = None) -> None:
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

    def queued(self) -> int:
        """Work waiting for the writer, not yet taken into a group."""
        return self._queue.qsize()

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
        pending: deque[Job] = deque()  # jobs put back to run first: the rest of a group cut short
        while True:
            if not pending:
                first = self._queue.get()
                if first is None:
                    return
                pending.append(first)
            stop = False
            gather_until = time.monotonic() + GATHER_MAX
            while len(pending) < MAX_GROUP:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    wait = min(GATHER_QUIET, gather_until - time.monotonic())
                    if not isinstance(pending[-1].work, Batched) or wait <= 0:
                        break
                    try:
                        job = self._queue.get(timeout=wait)
                    except queue.Empty:
                        break
                if job is None:
                    stop = True
                    break
                pending.append(job)
            group = [pending.popleft() for _ in range(min(len(pending), MAX_GROUP))]
            while group:  # a group cut short by a refusal commits the jobs before it at once
                group, later = self._run_group(group)
                pending.extendleft(reversed(later))
            if stop:
                for job in pending:
                    job.future.set_exception(HallError("internal_error", 503))
                return

    def _run_group(self, group: list[Job]) -> tuple[list[Job], list[Job]]:
        """Run ``group`` in one transaction and settle the futures of the jobs it committed.

        Without savepoints (each would cost two more round trips to PostgreSQL per job): when a
        job fails, the whole transaction is rolled back, the job is answered (or kept to run
        again, for a conflict), and the caller runs the jobs before it again at once as their
        own group. Returns (jobs to run again now, jobs to run first in the next group).
        """
        done: list[tuple[Job, Any]] = []
        try:
            with self.db.writing() as session:
                i = 0
                while i < len(group):
                    run = _pass_at(group, i)
                    try:
                        outcomes = _perform(run, session, self.clock.now())
                        session.flush()
                        # The next job must not see this one's objects as they were loaded: hot
                        # paths write with Core statements the ORM's identity map knows nothing of.
                        session.expunge_all()
                    except Exception as exc:
                        session.rollback()
                        session.info.pop("outbox", None)
                        conflict = isinstance(exc, (IntegrityError, OperationalError))
                        again = self._again(run) if conflict else []
                        if not conflict:
                            for job in run:  # the job's own refusal; nothing was kept
                                job.future.set_exception(exc)
                        return group[:i], again + group[i + len(run):]
                    done.extend(zip(run, outcomes, strict=True))
                    i += len(run)
                commit(session, self.wake)
        except DBAPIError as exc:
            # Beginning or committing failed (a deadlock, the database restarting): nothing of
            # this group was written, so all of it runs again.
            log.warning("write group of %d failed (%s); running it again", len(group), exc.__class__.__name__)
            return [], self._again(group)
        except Exception as exc:  # not the database's fault: answer every job with it
            for job in group:
                job.future.set_exception(exc)
            return [], []
        for job, outcome in done:
            if isinstance(outcome, _Refused):
                job.future.set_exception(outcome.error)
            else:
                job.future.set_result(outcome)
        return [], []

    @staticmethod
    def _again(jobs: list[Job]) -> list[Job]:
        """The jobs that may run again after a conflict; the others are answered with it."""
        again = []
        for job in jobs:
            job.attempts += 1
            if job.attempts >= ATTEMPTS:
                job.future.set_exception(job.conflict or HallError("internal_error", 503))
            else:
                again.append(job)
        return again


@dataclass(frozen=True)
class _Refused:
    """A batched item's refusal, answered once its pass's transaction has committed."""

    error: HallError


def _pass_at(group: list[Job], i: int) -> list[Job]:
    """The jobs that run together from ``group[i]``: a Batched job and its like right after it, or one job."""
    first = group[i].work
    if not isinstance(first, Batched):
        return group[i:i + 1]
    keys = {first.key}
    run = [group[i]]
    for job in group[i + 1:]:
        work = job.work
        if not isinstance(work, Batched) or work.run is not first.run or work.key in keys:
            break
        keys.add(work.key)
        run.append(job)
    return run


def _perform(run: list[Job], session: Session, now: datetime) -> list[Any]:
    first = run[0].work
    if not isinstance(first, Batched):
        return [first(session, now)]
    outcomes = first.run(session, now, [job.work.item for job in run])
    return [_Refused(o) if isinstance(o, HallError) else o for o in outcomes]
