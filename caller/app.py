"""``hall caller``: the soft caller (软呼叫器) a window's staff use from the keyboard.

The app finds its window in the hall, signs staff in (password, or a card swiped on the
window's reader and vouched for by the device token), then shows the window's desk. The server
is the only writer of state: every action is one API call, every picture comes from
``window_desk``, and the hall's events say when to redraw, also for changes made elsewhere.
Cases (办件) are registered at the desk for the applicant being served; their notices print on the
window's receipt printer (``--printer``, the same options as the kiosk's).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from textual import work
from textual.app import App

from caller.card_reader import CardReader
from caller.messages import t
from caller.sign_in import SignInScreen
from hall_server.client import ApiError, HallClient, Unreachable, add_server_option
from hardware.printer.device import TicketPrinter, add_printer_options, open_printer, printer_from_options

LOCATE_RETRY = (0.5, 5.0)


class CallerApp(App[None]):
    CSS_PATH = "caller.tcss"
    TITLE = "hall caller"

    def __init__(
        self,
        server: str | Iterable[str],
        window_number: int,
        *,
        hall_id: int | None = None,
        lang: str = "zh",
        device_token: str | None = None,
        card_reader_url: str | None = None,
        clock: Callable[[], datetime] | None = None,
        printer: TicketPrinter | None = None,
    ) -> None:
        """``server``: one address or several to fail over (see ``HallClient``); ``clock`` gives "now"
        for the time a ticket has been served and a case's dates (tests pin it); ``printer``: the
        window's receipt printer for case notices (None: the window has none)."""
        super().__init__()
        self.client = HallClient(server)
        self.window_number = window_number
        self.hall_id = hall_id
        self.window_id: int | None = None
        self.window: dict[str, Any] = {}  # the window as listed: its department, its services
        self.hall: dict[str, Any] = {}  # the hall's name and time zone, for the notices
        self.printer = printer
        self.lang = lang
        self.device_token = device_token
        self.card_reader_url = card_reader_url
        self.clock = clock or (lambda: datetime.now(UTC))
        self.user: dict[str, Any] | None = None  # the login answer: user_id, display_name, role
        self.located = asyncio.Event()
        self.card_reader: CardReader | None = None

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def on_mount(self) -> None:
        self.push_screen(SignInScreen())
        self.locate_window()
        if self.card_reader_url:
            self.card_reader = CardReader(
                self.card_reader_url,
                lambda card: self.call_from_thread(self.card_swiped, card),
                on_health=lambda online: self.call_from_thread(self._reader_health, online),
            ).start()

    async def on_unmount(self) -> None:
        if self.card_reader is not None:
            await asyncio.to_thread(self.card_reader.stop)
        await self.client.aclose()

    @work(exclusive=True, group="locate")
    async def locate_window(self) -> None:
        """The hall (default: the first) and this window's id, retried until the server answers."""
        delay = LOCATE_RETRY[0]
        while True:
            try:
                if self.hall_id is None:
                    self.hall_id = (await self.client.list_halls())[0]["id"]
                self.hall = await self.client.get_hall(self.hall_id)
                windows = await self.client.list_windows(self.hall_id)
                break
            except Unreachable:
                self._sign_in_message(self.t("connecting"))
                await asyncio.sleep(delay)
                delay = min(delay * 2, LOCATE_RETRY[1])
            except ApiError as err:
                self._sign_in_message(err.message(self.lang))
                return
        match = [w for w in windows if w["number"] == self.window_number]
        if not match:
            self._sign_in_message(self.t("window_unknown", window=self.window_number))
            return
        self.window_id, self.window = match[0]["id"], match[0]
        self.located.set()
        self._sign_in_message("")

    def _sign_in_message(self, text: str) -> None:
        if isinstance(self.screen, SignInScreen):
            self.screen.say(text)

    def card_swiped(self, card_id: str) -> None:
        """A card on the reader signs its holder in (only while the sign-in screen shows)."""
        if isinstance(self.screen, SignInScreen):
            self.screen.sign_in_by_card(card_id)

    def _reader_health(self, online: bool) -> None:
        if not online:
            self._sign_in_message(self.t("reader_offline"))

    def signed_in(self, login: dict[str, Any]) -> None:
        from caller.desk import DeskScreen

        self.user = login
        self.switch_screen(DeskScreen())

    def signed_out(self, message: str = "") -> None:
        self.user = None
        self.client.token = None
        self.switch_screen(SignInScreen(message))


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hall caller", description="The soft caller for a window's staff.")
    add_server_option(p)
    p.add_argument("--window", type=int, required=True, help="the window NUMBER within the hall")
    p.add_argument("--hall", type=int, default=None, help="hall id (default: the first hall)")
    p.add_argument("--card-reader", default=None, help="serial URL of the staff card reader (e.g. /dev/ttyUSB0)")
    p.add_argument("--device-token", default=None, help="the window's bus device token (needed for card sign-in)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    add_printer_options(p, "the window's receipt printer, for case notices (通知书)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = printer_from_options(args)
    except ValueError as exc:
        print(f"hall caller: printer: {exc}", file=sys.stderr)
        return 2
    app = CallerApp(args.server, args.window, hall_id=args.hall, lang=args.lang, device_token=args.device_token,
                    card_reader_url=args.card_reader,
                    printer=open_printer(config) if config.kind != "none" else None)
    with contextlib.suppress(KeyboardInterrupt):
        app.run()
    return 0
