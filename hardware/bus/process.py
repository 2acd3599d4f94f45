"""The bus process: one shared line of window devices driven from the hall server.

Three streams meet here. The line (``LineReader``, in its own threads) hands over key presses,
ratings, card swipes, unanswered commands and its own health; they cross into asyncio with
``loop.call_soon_threadsafe``. Presses become API calls with the bus token, one window at a
time in the order pressed (a queue and a worker per window, so a slow call at one window never
holds up another). The hall's events (a WebSocket that resumes by itself) move
:class:`HallState`, and every change is drawn on the window's LED screen and keypad display;
a finished service prompts the window's rating pad.

A call this bus made is shown from the server's answer at once and not again when its event
follows (the call's key tells them apart), so a keypad press lights the screen as soon as the
server has answered. The screens are repainted whenever the line comes back and every
``repaint_every`` seconds, paced to leave the line free for key presses; the hall is re-read
from a snapshot at the same rhythm. The line's health and each silent device are reported to
the server as device health.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hall_server.client import ApiError, HallClient, Unreachable, addresses
from hardware.bus.messages import REFUSALS
from hardware.bus.messages import message as bus_message
from hardware.bus.screens import KeypadScreen, keypad_notice, keypad_screen, led_frame, led_text, pad_prompt_text
from hardware.bus.state import Effects, HallState, WindowState
from hardware.serial_bus.devices import (
    CardSwipe,
    DeviceKind,
    DisplayMode,
    KeypadKey,
    KeyPress,
    Nak,
    RatingPress,
    RatingSkipped,
    Status,
    card_result,
    keypad_beep,
    keypad_display,
    kind_of,
    ping,
    rating_idle,
    rating_prompt,
    rating_thanks,
)
from hardware.serial_bus.frame import FIRST_ADDR, LAST_ADDR
from hardware.serial_bus.messages import message as device_message
from hardware.serial_bus.transport import Health, LineEvent, LineHealth, LineReader, NoAnswer

log = logging.getLogger(__name__)

REPAINT_EVERY = 60.0  # seconds; DEVICES.md promises screens a repaint every minute
REPAINT_LINE_SHARE = 0.5  # a repaint uses at most half the line, so presses and acks get through
COUNT_EVERY = 3.0  # waiting counts on idle keypads are redrawn at most this often: each is a frame per window
NOTICE_SECONDS = 4.0  # a refusal stays on the keypad this long, then its usual display returns
RATING_TRIES = 3  # a rating given while the server is unreachable is tried again this often
SERVER_RETRY = (0.5, 10.0)  # first and longest wait between tries to reach the server at start
DEVICE_KINDS = {DeviceKind.KEYPAD: "keypad", DeviceKind.RATING_PAD: "ratingpad", DeviceKind.CARD_READER: "cardreader"}
PLAIN_ACTIONS = {
    KeypadKey.SKIP: "skip_ticket",
    KeypadKey.HOLD: "hold_ticket",
    KeypadKey.START: "start_service",
    KeypadKey.FINISH: "finish_service",
    KeypadKey.RESUME: "resume_window",
}
CALLING_ACTIONS = {KeypadKey.CALL, KeypadKey.RECALL, KeypadKey.CALL_BACK}

WindowEvent = KeyPress | RatingPress | RatingSkipped | CardSwipe


@dataclass(frozen=True, slots=True)
class _Report:
    kind: str
    state: str
    detail: str = ""
    window_id: int | None = None


async def _woken(event: asyncio.Event, timeout: float) -> bool:
    """Wait for ``event`` (cleared again) or ``timeout``; True if woken."""
    try:
        await asyncio.wait_for(event.wait(), timeout)
    except TimeoutError:
        return False
    event.clear()
    return True


class Bus:
    """Drives the window devices on one line for one hall. See the package docstring for use."""

    def __init__(
        self,
        port_url: str,
        server_url: str | Iterable[str],
        token: str,
        hall_id: int,
        *,
        windows: Iterable[int] | None = None,
        lang: str = "zh",
        name: str | None = None,
        repaint_every: float = REPAINT_EVERY,
        rating_scale: int = 4,
        rating_timeout: int = 30,
        silence_timeout: float | None = None,
        line_backoff: tuple[float, float] = (0.2, 5.0),
        baudrate: int = 9600,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.port_url, self.hall_id = port_url, hall_id
        self.server_url = ",".join(addresses(server_url))  # one or several, to fail over; shown on the console
        self.lang = lang
        self.name = name or port_url
        self.line_health = Health.RECONNECTING
        self.state = HallState({}, {}, {})
        self._wanted = sorted(set(windows)) if windows is not None else None
        self._repaint_every = repaint_every
        self._rating = (rating_scale, rating_timeout)
        self._silence_timeout = silence_timeout
        self._line_backoff = line_backoff
        self._baudrate = baudrate
        self._say = say or log.info
        self._client = HallClient(server_url, token)
        self._line: LineReader | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._inbox: asyncio.Queue[LineEvent] = asyncio.Queue()
        self._desks: dict[int, asyncio.Queue[WindowEvent]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._shown_led: dict[int, str] = {}
        self._shown_keypad: dict[int, KeypadScreen] = {}
        self._notices: dict[int, tuple[KeypadScreen, asyncio.TimerHandle]] = {}
        self._devices: dict[tuple[int, DeviceKind], str] = {}
        self._reports: dict[str, _Report] = {}
        self._report_wake = asyncio.Event()
        self._repaint_wake = asyncio.Event()
        self._resync_wake = asyncio.Event()
        self._counts_wake = asyncio.Event()
        self._counts_due: set[int] = set()
        self._events_state = ""

    # ---- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Read the hall (waiting for the server if need be), open the line, follow the events."""
        self._loop = asyncio.get_running_loop()
        try:
            board, health = await self._read_hall()
        except BaseException:  # a wrong token or hall: nothing was started
            await self._client.aclose()
            raise
        hall_numbers = {w["number"] for w in board["windows"]}
        wanted = self._wanted if self._wanted is not None else sorted(hall_numbers)
        numbers = [n for n in wanted if n in hall_numbers and FIRST_ADDR <= n <= LAST_ADDR]
        if missing := [n for n in wanted if n not in numbers]:
            self._say(bus_message("console_unknown_windows", self.lang, numbers=missing))
        self.state = HallState.from_board(board, numbers)
        self._recall_device_health(health)
        keepalive = ping(numbers[0], DeviceKind.KEYPAD) if self._silence_timeout and numbers else None
        self._line = LineReader(
            self.port_url, self._from_line, baudrate=self._baudrate, silence_timeout=self._silence_timeout,
            keepalive=keepalive, backoff=self._line_backoff,
        ).start()
        jobs = (self._dispatch, self._follow_events, self._repaint_loop, self._count_loop, self._resync_loop,
                self._send_reports)
        for job in jobs:
            self._tasks.append(asyncio.create_task(job(), name=f"bus {job.__name__}"))
        self._say(bus_message("console_started", self.lang, port=self.port_url, server=self.server_url,
                              windows=",".join(map(str, numbers))))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for _screen, timer in self._notices.values():
            timer.cancel()
        if self._line is not None:
            await asyncio.to_thread(self._line.stop)
        await self._client.aclose()
        self._say(bus_message("console_stopped", self.lang))

    async def __aenter__(self) -> Bus:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _read_hall(self) -> tuple[dict, list[dict]]:
        """The board snapshot and the devices' last known health, waiting for the server if need be.
        The health read needs the bus token, so a wrong token or hall stops here (ApiError)."""
        delay = SERVER_RETRY[0]
        while True:
            try:
                return (await self._client.hall_board(self.hall_id),
                        await self._client.list_device_health(self.hall_id))
            except Unreachable as exc:
                self._say(bus_message("console_waiting_server", self.lang, server=self.server_url, error=exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, SERVER_RETRY[1])

    def _recall_device_health(self, rows: list[dict]) -> None:
        """Devices the server last heard of as silent are pinged until they answer (then reported ok)."""
        names = {self._device_name(n, kind): (n, kind) for n in self.state.windows for kind in DEVICE_KINDS}
        for row in rows:
            if row["device"] in names:
                self._devices[names[row["device"]]] = row["state"]

    # ---- the line -------------------------------------------------------------------------------

    def _from_line(self, event: LineEvent) -> None:
        """Called from the line's threads: hand over to the event loop."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._inbox.put_nowait, event)

    async def _dispatch(self) -> None:
        while True:
            event = await self._inbox.get()
            try:
                self._on_line_event(event)
            except Exception:
                log.exception("line event %s", event)

    def _on_line_event(self, event: LineEvent) -> None:
        if isinstance(event, LineHealth):
            self._line_changed(event)
        elif isinstance(event, NoAnswer):
            self._device_state(event.addr, kind_of(event.func), "no_answer")
        elif isinstance(event, Status):
            self._device_state(event.addr, event.kind, "ok")
        elif isinstance(event, Nak):
            self._device_state(event.addr, kind_of(event.func), "ok")
        elif isinstance(event, KeyPress | RatingPress | RatingSkipped | CardSwipe):
            if event.addr is None or event.addr not in self.state.windows:
                return
            kind = {KeyPress: DeviceKind.KEYPAD, CardSwipe: DeviceKind.CARD_READER}.get(type(event),
                                                                                       DeviceKind.RATING_PAD)
            self._device_state(event.addr, kind, "ok")
            self._desk(event.addr).put_nowait(event)

    def _line_changed(self, event: LineHealth) -> None:
        self.line_health = event.state
        self._report(f"bus {self.name}/line", _Report("line", event.state.value, event.detail[:300]))
        self._say(bus_message("console_line", self.lang, port=self.name,
                              state=bus_message(f"state_{event.state.value}", self.lang), detail=event.detail))
        if event.state is Health.OK:
            self._shown_led.clear()
            self._shown_keypad.clear()
            self._repaint_wake.set()

    def _send(self, data: bytes) -> int:
        """Bytes put on the line (0 while it is down: the repaint when it returns makes up for it)."""
        if not data or self._line is None or not self._line.write(data):
            return 0
        return len(data)

    # ---- drawing --------------------------------------------------------------------------------

    def _paint(self, number: int, *, force: bool = False, call: bool = False) -> int:
        """Draw what changed on the window's screen and keypad; ``call`` redraws both and beeps."""
        w = self.state.windows[number]
        text = led_text(w, self.lang)
        screen = self._notices[number][0] if number in self._notices else keypad_screen(
            w, self.state.waiting_for(number))
        data = b""
        if force or call or self._shown_led.get(number) != text:
            data += led_frame(number, text)
            self._shown_led[number] = text
        if force or call or self._shown_keypad.get(number) != screen:
            data += keypad_display(number, *screen)
            self._shown_keypad[number] = screen
        if call:
            data += keypad_beep(number)
        return self._send(data)

    def _show(self, effects: Effects) -> None:
        for number in effects.redraw - effects.calls:
            self._paint(number)
        for number in effects.calls:
            self._paint(number, call=True)
        for number in effects.finished:
            self._prompt_rating(number)
        if effects.stale:
            self._resync_wake.set()
        if counts := effects.counts - effects.redraw - effects.calls:
            self._counts_due |= counts
            self._counts_wake.set()

    async def _count_loop(self) -> None:
        """Waiting counts change with every ticket issued or called; on a busy day redrawing every idle
        keypad each time would fill the line, so a count is drawn at once and then at most every
        ``COUNT_EVERY`` seconds."""
        while True:
            await self._counts_wake.wait()
            self._counts_wake.clear()
            due, self._counts_due = self._counts_due, set()
            for number in sorted(due):
                self._paint(number)
            await asyncio.sleep(COUNT_EVERY)

    def _notice(self, number: int, screen: KeypadScreen, *, beeps: int = 0) -> None:
        """Show ``screen`` on the keypad for a few seconds instead of its usual display."""
        self._clear_notice(number)
        timer = asyncio.get_running_loop().call_later(NOTICE_SECONDS, self._notice_over, number)
        self._notices[number] = (screen, timer)
        self._shown_keypad.pop(number, None)  # sent even if it looks the same: the press is answered
        self._paint(number)
        if beeps:
            self._send(keypad_beep(number, beeps, 100))

    def _clear_notice(self, number: int) -> None:
        if number in self._notices:
            self._notices.pop(number)[1].cancel()

    def _notice_over(self, number: int) -> None:
        self._notices.pop(number, None)
        self._paint(number)

    async def _repaint_loop(self) -> None:
        byte_seconds = 10 / self._baudrate  # 8N1: ten bits a byte
        while True:
            await _woken(self._repaint_wake, self._repaint_every)
            for number in list(self.state.windows):
                sent = self._paint(number, force=True)
                await asyncio.sleep(sent * byte_seconds / REPAINT_LINE_SHARE)

    # ---- the hall's events ----------------------------------------------------------------------

    async def _follow_events(self) -> None:
        batches = self._client.event_batches(hall_id=self.hall_id, after=self.state.last_event_id,
                                             on_state=self._event_stream)
        try:
            async for batch in batches:
                effects = Effects()  # a burst of 40 calls is one message: each screen drawn once for it
                for event in batch:
                    try:
                        self.state.apply(event, effects)
                    except Exception:
                        log.exception("hall event %s", event)
                self._show(effects)
        except ApiError as exc:  # the bus token was revoked, or is another hall's: retrying will not help
            self._say(bus_message("console_events_refused", self.lang, message=exc.message(self.lang)))

    def _event_stream(self, state: str) -> None:
        if state != self._events_state:
            self._events_state = state
            self._say(bus_message("console_events", self.lang, state=bus_message(f"state_{state}", self.lang)))

    async def _resync_loop(self) -> None:
        """Re-read the hall now and then (and when an event named something unknown); ping silent devices."""
        while True:
            woken = await _woken(self._resync_wake, self._repaint_every)
            try:
                board = await self._client.hall_board(self.hall_id)
            except (ApiError, Unreachable) as exc:
                log.warning("hall snapshot: %s", exc)
            else:
                for number in self.state.refresh(board):
                    self._paint(number)
            if not woken:
                for (addr, kind), state in list(self._devices.items()):
                    if state != "ok":
                        self._send(ping(addr, kind))

    # ---- people at the windows ------------------------------------------------------------------

    def _desk(self, number: int) -> asyncio.Queue[WindowEvent]:
        """The window's queue of presses, swipes and ratings, served one after another."""
        if number not in self._desks:
            queue: asyncio.Queue[WindowEvent] = asyncio.Queue()
            self._desks[number] = queue
            self._tasks.append(asyncio.create_task(self._serve_desk(number, queue), name=f"bus window {number}"))
        return self._desks[number]

    async def _serve_desk(self, number: int, queue: asyncio.Queue[WindowEvent]) -> None:
        while True:
            event = await queue.get()
            w = self.state.windows[number]
            try:
                if isinstance(event, KeyPress):
                    await self._press(w, event)
                elif isinstance(event, RatingPress):
                    await self._rate(w, event)
                elif isinstance(event, CardSwipe):
                    await self._swipe(w, event)
            except Exception:
                log.exception("window %s: %s", number, event)

    async def _press(self, w: WindowState, press: KeyPress) -> None:
        self._clear_notice(w.number)
        try:
            await self._act(w, press)
        except ApiError as exc:
            self._refuse(w, press.key, REFUSALS.get(exc.code, "keypad_error"), exc.message(self.lang),
                         status=exc.status)
        except Unreachable as exc:
            self._refuse(w, press.key, "keypad_retry", str(exc))

    async def _act(self, w: WindowState, press: KeyPress) -> None:
        c, key = self._client, press.key
        if key in PLAIN_ACTIONS:
            await getattr(c, PLAIN_ACTIONS[key])(w.id)
        elif key is KeypadKey.PAUSE:
            await c.pause_window(w.id, bus_message("pause_reason", self.lang))
        elif key is KeypadKey.RATE:
            if w.no_show is not None:  # the applicant just called never came: no service, no rating
                self._refuse(w, key, "keypad_no_show",
                             bus_message("console_rate_no_show", self.lang, number=w.no_show))
                return
            self._prompt_rating(w.number)
        elif key is KeypadKey.TRANSFER:
            target = self.state.window_ids.get(int(press.arg)) if press.arg.isdigit() else None
            if target is None:
                self._refuse(w, key, "keypad_check_window", press.arg)
                return
            await c.transfer_ticket(w.id, to_window_id=target)
        elif key in CALLING_ACTIONS:
            await self._call(w, press)

    async def _call(self, w: WindowState, press: KeyPress) -> None:
        c = self._client
        if press.key is KeypadKey.CALL:
            ticket = await c.call_next(w.id)
            if ticket is None:  # no one waits for this window
                self._notice(w.number, ("0", DisplayMode.WAITING), beeps=1)
                self._resync_wake.set()
                return
        elif press.key is KeypadKey.RECALL:
            ticket = await c.recall_ticket(w.id)
        else:
            ticket_id = await self._parked(w, press.arg)
            if ticket_id is None:
                self._refuse(w, press.key, "keypad_not_parked", press.arg, number=press.arg)
                return
            ticket = await c.call_back_ticket(w.id, ticket_id)
        if self.state.answered(w.number, ticket):
            self._paint(w.number, call=True)

    async def _parked(self, w: WindowState, number: str) -> int | None:
        """The held or missed ticket of this window with this number (digits alone will do when they
        name one ticket); no number: the oldest held, else the oldest missed."""
        parked = (await self._client.window_desk(w.id))["parked"]
        if not number:
            held = [t for t in parked if t["status"] == "held"]
            return (held or parked or [{"id": None}])[0]["id"]
        exact = [t for t in parked if t["number"].upper() == number.upper()]
        if not exact and number.isdigit():
            exact = [t for t in parked if "".join(filter(str.isdigit, t["number"])).lstrip("0") == number.lstrip("0")]
        return exact[0]["id"] if len(exact) == 1 else None

    def _refuse(self, w: WindowState, key: KeypadKey, notice: str, polite: str, **values: object) -> None:
        self._notice(w.number, keypad_notice(notice, **values), beeps=2)
        self._say(bus_message("console_refused", self.lang, window=w.number, button=key.name, message=polite))

    def _prompt_rating(self, number: int) -> None:
        scale, timeout = self._rating
        w = self.state.windows[number]
        self._send(rating_prompt(number, scale=scale, timeout_s=timeout, text=pad_prompt_text(w, self.lang)))

    async def _rate(self, w: WindowState, press: RatingPress) -> None:
        for attempt in range(RATING_TRIES):
            try:
                await self._client.rate_at_window(w.id, press.rating)
            except Unreachable as exc:
                if attempt + 1 == RATING_TRIES:
                    self._send(rating_idle(w.number))
                    self._say(bus_message("console_rating_refused", self.lang, window=w.number, message=exc))
                    return
                await asyncio.sleep(1.0 + attempt)
                continue
            except ApiError as exc:
                if exc.code != "rating_already":  # rated already: thank them all the same
                    self._send(rating_idle(w.number))
                    self._say(bus_message("console_rating_refused", self.lang, window=w.number,
                                          message=exc.message(self.lang)))
                    return
            break
        self._send(rating_thanks(w.number, device_message("rating_thanks", self.lang)))
        self._say(bus_message("console_rating", self.lang, window=w.number, rating=press.rating))

    async def _swipe(self, w: WindowState, swipe: CardSwipe) -> None:
        """A staff card: the bus vouches for the swipe, the card's holder signs in to the window."""
        try:
            staff = await self._client.card_login(swipe.card_id, w.id)
            async with self._client.for_token(staff["access_token"]) as as_staff:
                await as_staff.sign_in_window(w.id)
                with contextlib.suppress(ApiError, Unreachable):
                    await as_staff.logout()  # the window stays signed in; the token is not needed again
        except (ApiError, Unreachable) as exc:
            self._send(card_result(w.number, False))
            polite = exc.message(self.lang) if isinstance(exc, ApiError) else str(exc)
            self._say(bus_message("console_card_refused", self.lang, window=w.number, message=polite))
            return
        self._send(card_result(w.number, True))
        self._say(bus_message("console_card_in", self.lang, window=w.number, staff=staff.get("display_name", "")))

    # ---- health ---------------------------------------------------------------------------------

    def _device_name(self, number: int, kind: DeviceKind) -> str:
        return f"bus {self.name}/window {number}/{DEVICE_KINDS[kind]}"

    def _device_state(self, addr: int, kind: DeviceKind | None, state: str) -> None:
        """Report a device that fell silent, or that speaks again after being reported silent."""
        if kind not in DEVICE_KINDS or addr not in self.state.windows:
            return
        previous = self._devices.get((addr, kind))
        if previous == state or (previous is None and state == "ok"):
            return
        self._devices[(addr, kind)] = state
        w = self.state.windows[addr]
        self._report(self._device_name(addr, kind), _Report(DEVICE_KINDS[kind], state, window_id=w.id))
        self._say(bus_message("console_device", self.lang, window=addr,
                              device=bus_message(f"device_{DEVICE_KINDS[kind]}", self.lang),
                              state=bus_message(f"state_{state}", self.lang)))

    def _report(self, device: str, report: _Report) -> None:
        self._reports[device] = report
        self._report_wake.set()

    async def _send_reports(self) -> None:
        """Device health to the server, latest state per device, retried while it is unreachable."""
        delay = SERVER_RETRY[0]
        while True:
            await self._report_wake.wait()
            self._report_wake.clear()
            while self._reports:
                device, report = next(iter(self._reports.items()))
                try:
                    await self._client.report_device_health(device, report.kind, report.state, detail=report.detail,
                                                            window_id=report.window_id)
                except Unreachable:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, SERVER_RETRY[1])
                    continue
                except ApiError as exc:
                    log.warning("device health %s not recorded: %s", device, exc)
                delay = SERVER_RETRY[0]
                if self._reports.get(device) is report:
                    del self._reports[device]


async def run_bus(
    port_url: str, server_url: str | Iterable[str], token: str, hall_id: int, *, stop: asyncio.Event | None = None,
    **options: object,
) -> None:
    """Run a :class:`Bus` until ``stop`` is set (or for ever); options as for ``Bus``."""
    async with Bus(port_url, server_url, token, hall_id, **options):  # type: ignore[arg-type]
        await (stop.wait() if stop is not None else asyncio.Future())
