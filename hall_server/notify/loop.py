"""The server's sending loop: a thread that sends the due texts every few seconds.

A thread, not a task of the event loop: sending waits on the gateway and on the database, and
the event loop serves the hall. Every server process runs one; on PostgreSQL their claims skip
each other's texts (outbox.send_due), on SQLite the one process's loop is alone.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from hall_server.context import Context
from hall_server.notify.outbox import send_due
from hall_server.notify.senders import TextSender, sender_from_settings

SEND_EVERY = 5.0  # seconds between looks for due texts when there were none
log = logging.getLogger(__name__)


class SendingLoop:
    """Sends due texts one at a time until none is due, then waits SEND_EVERY; ``stop`` ends it
    between two texts (at most one gateway call's wait)."""

    def __init__(self, ctx: Context, sender: TextSender) -> None:
        self.ctx, self.sender = ctx, sender
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="text-sender", daemon=True)

    def start(self) -> SendingLoop:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        if close := getattr(self.sender, "close", None):
            close()

    async def aclose(self) -> None:
        """:meth:`stop` from the server's lifespan, without blocking its event loop."""
        await asyncio.to_thread(self.stop)

    def _run(self) -> None:
        failing = False
        while not self._stop.is_set():
            try:
                tried = send_due(self.ctx, self.sender, limit=1)
                failing = False
            except Exception:  # the database away or busy: tried again next turn, said once
                tried = 0
                if not failing:
                    log.warning("sending texts failed; trying again every %s s", SEND_EVERY, exc_info=True)
                failing = True
            if not tried:
                self._stop.wait(SEND_EVERY)


def start_sending(ctx: Context) -> SendingLoop:
    """The loop for the server's settings (``HALL_SMS_*``), started; stopped with the server."""
    return SendingLoop(ctx, sender_from_settings(ctx.settings)).start()
