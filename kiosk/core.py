"""The kiosk's core: runs the flow's effects against the hall server, the printer and the voice,
and keeps the hall's catalog current. Both faces (the web page, the terminal) sit on one core.

Every network call goes through ``reach``, which waits and retries politely while the server
cannot be reached (or is busy for a moment: a 503 rolled back, so asking again is safe), with the
same request each time: a ticket is issued under its one idempotency key however often the
network fails. Any other refusal goes to the screen that asked, which says why in the
applicant's words. An answer for a screen that is no longer open is dropped, and its retries stop.

The catalog is read at start, whenever the hall's events say 业务科 changed it (``HALL_CHANGES``:
new hours, a notice, a service retired), and every ten minutes in case the stream was down.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from hall_server.client import HALL_CHANGES, ApiError, HallClient, Unreachable
from hardware.printer.device import TicketPrinter, open_printer
from hardware.voice.guide import Guide
from kiosk.config import KioskConfig
from kiosk.flow.effects import Effect, Find, Issue, LoadService, Print, Rate, Speak
from kiosk.flow.hall import HallInfo
from kiosk.flow.visit import UNEXPECTED, Visit
from kiosk.scanner import ScannerLine

log = logging.getLogger(__name__)

T = TypeVar("T")
CATALOG_REFRESH_SECONDS = 600
TICK_SECONDS = 15.0  # the home clock and an open status move this often


class KioskCore:
    def __init__(self, config: KioskConfig, *, client: HallClient | None = None,
                 printer: TicketPrinter | None = None, guide: Guide | None = None,
                 now: Callable[[], datetime] | None = None, idle_clock: Callable[[], float] = time.monotonic,
                 retry_backoff: tuple[float, float] = (0.3, 3.0)) -> None:
        self.config = config
        self.client = client or HallClient(config.server, config.kiosk_token, timeout=config.request_timeout)
        self.printer = printer or open_printer(config.printer)
        self.guide = guide
        self.now = now or (lambda: datetime.now(UTC))
        self.idle_clock = idle_clock
        self.retry_backoff = retry_backoff
        self.hall: HallInfo | None = None
        self.online: bool | None = None
        self.visits: list[Visit] = []
        self.current: Visit | None = None  # the visit last touched: a serial scanner's codes go there
        self.listeners: list[Callable[[Visit], None]] = []
        self._tasks: dict[asyncio.Task[None], tuple[Visit, Effect]] = {}
        self._background: list[asyncio.Task[None]] = []
        self.scanner: ScannerLine | None = None

    # -- visits -------------------------------------------------------------------------------
    def new_visit(self) -> Visit:
        visit = Visit(lang=self.config.language, large=self.config.large_text, hall=self.hall,
                      clock=self.idle_clock, now=self.now)
        visit.online = self.online
        self.visits.append(visit)
        self.current = self.current or visit
        return visit

    def forget(self, visit: Visit) -> None:
        if visit in self.visits:
            self.visits.remove(visit)
        if self.current is visit:
            self.current = self.visits[-1] if self.visits else None

    def after(self, visit: Visit, touched: bool = True) -> None:
        """The visit changed: start what it asked for, drop what its closed screens asked for, and
        tell the faces."""
        if touched:
            self.current = visit
        open_sids = {s.sid for s in visit.stack}
        for task, (owner, effect) in list(self._tasks.items()):
            if owner is visit and effect.sid not in open_sids and not isinstance(effect, Print):
                task.cancel()  # the screen is gone (home, back, idle): stop retrying for it
        for effect in visit.take_effects():
            if isinstance(effect, Speak):
                if self.guide is not None and effect.text:
                    self.guide.say(effect.text, effect.lang)
                continue
            task = asyncio.get_running_loop().create_task(self._run(visit, effect))
            self._tasks[task] = (visit, effect)
            task.add_done_callback(self._tasks.pop)
        for listener in list(self.listeners):
            listener(visit)

    # -- the server ----------------------------------------------------------------------------
    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            for visit in self.visits:
                visit.set_online(online)
                self.after(visit, touched=False)

    async def reach(self, call: Callable[[], Awaitable[T]], on_retry: Callable[[], None] | None = None) -> T:
        """``call()``, again and again while the server cannot be reached (the client tries the
        next address each time) or is busy for a moment. Any other ApiError goes to the caller."""
        delay = self.retry_backoff[0]
        while True:
            try:
                result = await call()
            except (Unreachable, ApiError) as exc:
                if isinstance(exc, ApiError) and exc.status != 503:
                    self._set_online(True)
                    raise
                log.info("server unreachable or busy, retrying in %.1f s: %s", delay, exc)
                self._set_online(isinstance(exc, ApiError))  # busy is online; the notice is for a cut network
                if on_retry is not None:
                    on_retry()
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.retry_backoff[1])
                continue
            self._set_online(True)
            return result

    async def _run(self, visit: Visit, effect: Effect) -> None:
        def retrying() -> None:
            visit.retrying(effect)
            self.after(visit, touched=False)

        try:
            result = await self._perform(effect, retrying)
        except ApiError as err:
            visit.refused(effect, err)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the kiosk's %s failed", type(effect).__name__)
            visit.refused(effect, UNEXPECTED)
        else:
            visit.arrived(effect, result)
        self.after(visit, touched=False)

    async def _perform(self, effect: Effect, retrying: Callable[[], None]) -> object:
        client = self.client
        if isinstance(effect, Issue):
            req = effect.request
            return await self.reach(lambda: client.issue_ticket(req.service_id, req.priority,
                                                                idempotency_key=req.idempotency_key,
                                                                green_code=req.green_code), retrying)
        if isinstance(effect, Print):  # slow and blocking; the printer layer never raises
            result = await asyncio.to_thread(self.printer.print_ticket, effect.slip)
            if not result.printed:
                log.warning("ticket %s not printed: %s %s", effect.slip.number, result.health, result.detail)
            return result
        if isinstance(effect, LoadService):
            return await self.reach(lambda: client.get_service(effect.service_id), retrying)
        if isinstance(effect, Find):
            if effect.token is not None:
                token = effect.token
                return await self.reach(lambda: client.lookup_status(token), retrying)
            hall_id = self.hall.hall_id if self.hall else 0
            return await self.reach(lambda: client.lookup_ticket(hall_id, effect.number, effect.code), retrying)
        if isinstance(effect, Rate):
            return await self.reach(lambda: client.submit_rating(
                effect.token, effect.rating, reasons=list(effect.reasons), comment=effect.comment, channel="kiosk"),
                retrying)
        raise TypeError(f"no way to run {effect!r}")

    # -- the catalog and the clock --------------------------------------------------------------
    async def load_hall(self) -> None:
        client = self.client
        try:
            hall_id = self.config.hall_id
            if hall_id is None:
                me = await self.reach(lambda: client._call("GET", "/auth/me"))
                hall_id = int(me["hall_id"])
            hall = await self.reach(lambda: client.get_hall(hall_id))
            departments = await self.reach(lambda: client.list_departments(hall_id))
            services = await self.reach(lambda: client.list_services(hall_id))
        except ApiError as err:  # a wrong token or hall id: the technician must fix the config
            log.error("the kiosk cannot load its hall: %s", err)
            self._set_online(False)
            return
        if self.hall is not None and self.hall.same_as(hall, departments, services):
            return  # unchanged: no redraw under the applicant's finger
        self.hall = HallInfo.of(hall, departments, services)
        for visit in self.visits:
            visit.set_hall(self.hall)
            self.after(visit, touched=False)

    async def _catalog(self) -> None:
        """The catalog at start, on the hall's change events (and after each reconnection, which
        may have missed one), and every ten minutes."""
        wake = asyncio.Event()
        await self.load_hall()

        async def follow() -> None:
            while self.hall is None:
                await asyncio.sleep(1)

            def on_state(state: str) -> None:
                if state == "connected":
                    wake.set()

            try:
                async for batch in self.client.event_batches(self.hall.hall_id, view="board", on_state=on_state):
                    if any(event["kind"] in HALL_CHANGES for event in batch):
                        wake.set()
            except ApiError as err:  # refused for good (the hall is gone): the periodic reload remains
                log.error("the kiosk cannot follow its hall's events: %s", err)

        follower = asyncio.create_task(follow())
        try:
            while True:
                try:
                    await asyncio.wait_for(wake.wait(), CATALOG_REFRESH_SECONDS)
                except TimeoutError:
                    pass
                wake.clear()
                await self.load_hall()
        finally:
            follower.cancel()

    async def _clock(self) -> None:
        """The idle reset (each second) and the clock's and an open status's tick."""
        last_tick = self.idle_clock()
        while True:
            await asyncio.sleep(1.0)
            tick = self.idle_clock() - last_tick >= TICK_SECONDS
            if tick:
                last_tick = self.idle_clock()
            for visit in list(self.visits):
                if visit.idle_for() >= self.config.idle_seconds and visit.idle_reset():
                    self.after(visit, touched=False)
                elif tick:
                    visit.tick()
                    self.after(visit, touched=False)

    def start(self) -> None:
        """Begin loading the hall and keeping time (on the running event loop)."""
        self._background = [asyncio.create_task(self._catalog()), asyncio.create_task(self._clock())]
        if self.config.scanner_url:
            loop = asyncio.get_running_loop()
            self.scanner = ScannerLine(self.config.scanner_url,
                                       lambda code: loop.call_soon_threadsafe(self.scanned, code),
                                       baudrate=self.config.scanner_baudrate).start()

    async def close(self) -> None:
        for task in [*self._background, *self._tasks]:
            task.cancel()
        await asyncio.gather(*self._background, *list(self._tasks), return_exceptions=True)
        if self.scanner is not None:
            self.scanner.stop()
        await self.client.aclose()
        if self.guide is not None:
            self.guide.close()

    def scanned(self, code: str) -> None:
        """A serial scanner's code, for the visit on the screen."""
        if self.current is not None:
            self.current.scanned(code)
            self.after(self.current)

