"""The touch kiosk of a service hall: guide, take a ticket, rate a service, check status.

``hall kiosk --server URL --kiosk-token T`` runs it full screen in a terminal;
``hall kiosk --web --port P …`` serves the same app to a browser (a touchscreen PC in
kiosk-mode Chromium) through textual-serve, one app process per tab.

The app holds no state of record: the hall server decides everything, and the app only keeps
the hall's catalog and what the current applicant has entered, which an idle minute wipes. The
catalog is read again as soon as the hall's events say 业务科 changed it (new hours, a notice, a
service retired: ``HALL_CHANGES``), and every ten minutes in case the stream was down. Every
network call goes through ``reach``, which waits and retries politely while the server cannot
be reached, so an applicant never sees a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from textual import work
from textual.app import App
from textual.message import Message
from textual.reactive import reactive

from hall_server.client import HALL_CHANGES, ApiError, HallClient, Unreachable
from hardware.printer.device import TicketPrinter, open_printer
from kiosk.config import ConfigError, KioskConfig, load_config, parser
from kiosk.guide_search import ServiceIndex
from kiosk.messages import text
from kiosk.scan import status_token
from kiosk.scanner import ScannerLine
from kiosk.screens.base import KioskScreen
from kiosk.screens.find import FindTicketScreen
from kiosk.screens.home import HomeScreen

log = logging.getLogger(__name__)

T = TypeVar("T")
CATALOG_REFRESH_SECONDS = 600


@dataclass(frozen=True)
class HallInfo:
    """The hall as the kiosk shows it: its name, hours and notice, departments and services."""

    hall: dict[str, Any]
    departments: list[dict[str, Any]]
    services: list[dict[str, Any]]
    index: ServiceIndex

    @property
    def hall_id(self) -> int:
        return int(self.hall["id"])

    def service(self, service_id: int) -> dict[str, Any] | None:
        return next((s for s in self.services if s["id"] == service_id), None)


class Scanned(Message):
    """A code read by the serial QR scanner."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code


class KioskApp(App[None]):
    CSS_PATH = "kiosk.tcss"
    ENABLE_COMMAND_PALETTE = False  # a public kiosk: nothing to open but the four targets

    online: reactive[bool | None] = reactive(None)  # None until the server first answers
    lang: reactive[str] = reactive("zh", init=False)
    large_text: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        config: KioskConfig,
        *,
        client: HallClient | None = None,
        printer: TicketPrinter | None = None,
        now: Callable[[], datetime] | None = None,
        idle_clock: Callable[[], float] = time.monotonic,
        retry_backoff: tuple[float, float] = (0.3, 3.0),
    ) -> None:
        super().__init__()
        self.config = config
        self.client = client or HallClient(config.server, config.kiosk_token, timeout=config.request_timeout)
        self.printer = printer or open_printer(config.printer)
        self.now = now or (lambda: datetime.now(UTC))
        self.idle_clock = idle_clock
        self.retry_backoff = retry_backoff
        self.hall: HallInfo | None = None
        self.following: int | None = None  # the hall whose events the kiosk follows, once it knows it
        self.last_touch = idle_clock()
        self.scanner: ScannerLine | None = None
        self.set_reactive(KioskApp.lang, config.language)
        self.set_reactive(KioskApp.large_text, config.large_text)
        self.title = text("app.title", config.language)

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        self.apply_text_size(self.large_text)
        self.load_hall()
        self.set_interval(1.0, self.reset_when_idle)
        self.set_interval(CATALOG_REFRESH_SECONDS, self.load_hall)
        if self.config.scanner_url:
            self.scanner = ScannerLine(self.config.scanner_url, lambda code: self.post_message(Scanned(code)),
                                       baudrate=self.config.scanner_baudrate).start()

    async def on_unmount(self) -> None:
        if self.scanner is not None:
            self.scanner.stop()
        await self.client.aclose()

    # -- the server ------------------------------------------------------------------------
    async def reach(self, call: Callable[[], Awaitable[T]], on_retry: Callable[[], None] | None = None) -> T:
        """``call()``, again and again while the server cannot be reached (the client tries the
        next address each time) or is busy for a moment (503: it rolled the request back, so
        asking again is safe). Any other ApiError (the server answered: no) goes to the caller;
        cancelling the worker (going home) ends the waiting."""
        delay = self.retry_backoff[0]
        while True:
            try:
                result = await call()
            except (Unreachable, ApiError) as exc:
                if isinstance(exc, ApiError) and exc.status != 503:
                    raise
                log.info("server unreachable or busy, retrying in %.1f s: %s", delay, exc)
                self.online = isinstance(exc, ApiError)  # busy is online; the notice is for a cut network
                if on_retry is not None:
                    on_retry()
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.retry_backoff[1])
                continue
            self.online = True
            return result

    @work(exclusive=True, group="catalog", exit_on_error=False)
    async def load_hall(self) -> None:
        """The hall's catalog, fetched at start, when the hall's events say it changed, and every
        few minutes (new hours, a new or retired service show without restarting the kiosk)."""
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
            self.online = False
            return
        if self.hall is not None and (self.hall.hall, self.hall.departments, self.hall.services) == \
                (hall, departments, services):
            return  # unchanged: no redraw under the applicant's finger
        names = {d["id"]: d["name"] for d in departments}
        self.hall = HallInfo(hall, departments, services, ServiceIndex(services, names))
        for screen in self.screen_stack:
            if isinstance(screen, KioskScreen):
                screen.hall_loaded()
        if self.following != hall_id:
            self.following = hall_id
            self.follow_hall(hall_id)

    @work(exclusive=True, group="events", exit_on_error=False)
    async def follow_hall(self, hall_id: int) -> None:
        """Read the hall again when its events say it changed, and after each (re)connection, which
        may have missed a change. The board view of the stream: public, and about half the bytes."""

        def on_state(state: str) -> None:
            if state == "connected":
                self.load_hall()

        try:
            async for batch in self.client.event_batches(hall_id, view="board", on_state=on_state):
                if any(event["kind"] in HALL_CHANGES for event in batch):
                    self.load_hall()
        except ApiError as err:  # refused for good (the hall is gone): the periodic reload remains
            log.error("the kiosk cannot follow its hall's events: %s", err)

    # -- the applicant's session -------------------------------------------------------------
    def touched(self) -> None:
        self.last_touch = self.idle_clock()

    def reset_when_idle(self) -> None:
        """After ``idle_seconds`` untouched, go home and forget the applicant's choices."""
        if self.idle_clock() - self.last_touch < self.config.idle_seconds:
            return
        if (len(self.screen_stack) > 1 or self.lang != self.config.language
                or self.large_text != self.config.large_text):
            self.go_home()

    def go_home(self, reset_preferences: bool = True) -> None:
        """Back to the home screen; the screens above it (and their workers) are discarded."""
        self.touched()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if reset_preferences:
            self.lang = self.config.language
            self.large_text = self.config.large_text

    def watch_lang(self, lang: str) -> None:
        self.title = text("app.title", lang)
        self._redraw()

    def watch_large_text(self, large: bool) -> None:
        self.apply_text_size(large)
        self._redraw()

    def apply_text_size(self, large: bool) -> None:
        """Large text: bold letters, light on dark for the highest contrast, and in a browser a
        larger font (the page's, asked for here: kiosk/web/serve.py); in a terminal, whose font
        the app cannot grow, taller targets instead."""
        self.theme = "textual-dark" if large else "textual-light"
        self.set_class(large, "-large")
        if self.is_web:
            from kiosk.web.serve import text_size_url

            self.open_url(text_size_url(large), new_tab=False)

    def _redraw(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, KioskScreen):
                screen.refresh(recompose=True)

    def on_scanned(self, message: Scanned) -> None:
        """A serial scan: the screen asking for a code takes it; on any other screen a ticket's
        QR code opens its status."""
        self.touched()
        accept = getattr(self.screen, "accept_scan", None)
        if accept is not None:
            accept(message.code)
            return
        if status_token(message.code) is not None and self.hall is not None:
            self.push_screen(FindTicketScreen("status", scanned=message.code))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args: argparse.Namespace = parser().parse_args(argv)
    try:
        config = load_config(args)
    except ConfigError as exc:
        print(f"hall kiosk: {exc}", file=sys.stderr)
        return 2
    if args.web:
        from kiosk.web.serve import serve_web

        return serve_web(config, argv)
    KioskApp(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
