"""The port: one serial line (a real RS-485 adapter, ``loop://``, ``socket://`` or a pty) kept open.

pyserial's ``ReaderThread`` reads; ``BusProtocol`` turns bytes into typed events, acknowledges
each device event once and drops its repeats; ``LineReader`` owns the reader, resends commands a
device has not answered, reopens the port with backoff when it vanishes or stays silent, and
reports its health. Events go to one callback, called from the line's threads one at a time: a
bus process on asyncio forwards them with ``loop.call_soon_threadsafe``.
"""

from __future__ import annotations

import enum
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import serial
import serial.threaded

from hardware.serial_bus.devices import (
    ANSWER_TIMEOUT,
    COMMAND_RETRIES,
    DUPLICATE_WINDOW,
    LINE_IDLE,
    PING,
    Ack,
    DeviceEvent,
    Nak,
    Status,
    decode_device_frame,
    event_ack,
    expects_answer,
    func_of,
    kind_of,
)
from hardware.serial_bus.frame import Frame, FrameParser, encode_frame
from hardware.serial_bus.led import LedLine, LedParser

log = logging.getLogger(__name__)

TICK = 0.02  # how often the line's watchdog looks at idle parsers, unanswered commands and silence


class Health(enum.StrEnum):
    OK = "ok"
    RECONNECTING = "reconnecting"  # lost or silent; reopening
    UNPLUGGED = "unplugged"  # the port cannot be opened (adapter pulled, simulator gone); still retrying


@dataclass(frozen=True, slots=True)
class LineHealth:
    state: Health
    detail: str = ""


@dataclass(frozen=True, slots=True)
class NoAnswer:
    """A command that the device at ``addr`` did not answer after every retry: it is off or unplugged."""

    addr: int
    func: int


LineEvent = DeviceEvent | Status | Nak | NoAnswer | LedLine | LineHealth


def open_line(url: str, baudrate: int = 9600) -> serial.SerialBase:
    """The hall's line settings, 8N1 at ``baudrate``, on whatever the URL names.

    A socket:// line (simulators, serial servers) gets TCP_NODELAY: a real RS-485 adapter sends
    a small frame at once, and Nagle's algorithm would hold it behind the previous ack.
    """
    port = serial.serial_for_url(
        url,
        baudrate=baudrate,
        bytesize=serial.EIGHTBITS,
        parity=serial.PARITY_NONE,
        stopbits=serial.STOPBITS_ONE,
    )
    sock = getattr(port, "_socket", None)
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return port


class BusProtocol(serial.threaded.Protocol):
    """Feeds both parsers (FF 68 frames and LED lines), acks device events and drops their repeats."""

    def __init__(self, reader: LineReader) -> None:
        self._reader = reader
        self._frames = FrameParser()
        self._leds = LedParser()
        self._lock = threading.Lock()
        self._seen: dict[tuple[int, int], tuple[int, float]] = {}  # (addr, kind) -> (seq, when)
        self.transport: serial.threaded.ReaderThread | None = None
        self.last_heard = reader.clock()
        self.heard_anything = False

    def connection_made(self, transport: serial.threaded.ReaderThread) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        with self._lock:
            self.last_heard = self._reader.clock()
            self.heard_anything = True
            frames, lines = self._frames.feed(data), self._leds.feed(data)
        self._handle(frames, lines)

    def line_idle(self) -> None:
        """Called by the watchdog after ``LINE_IDLE`` of silence: partial frames are noise."""
        with self._lock:
            if not (self._frames.pending or self._leds.pending):
                return
            frames, lines = self._frames.line_idle(), self._leds.line_idle()
        self._handle(frames, lines)

    def connection_lost(self, exc: BaseException | None) -> None:
        self._reader._line_lost(exc)

    def _handle(self, frames: list[Frame], lines: list[LedLine]) -> None:
        for frame in frames:
            message = decode_device_frame(frame)
            if message is None:
                log.debug("frame not for the host (or malformed): %s", frame)
            elif isinstance(message, Ack | Nak | Status):
                self._reader._answered(message)
            elif self._first_sighting(message.addr, frame.func, message.seq):
                self._acknowledge(message.addr, frame.func, message.seq)
                self._reader._deliver(message)
            else:
                self._acknowledge(message.addr, frame.func, message.seq)  # our ack was lost; say it again
        for line in lines:
            self._reader._deliver(line)

    def _first_sighting(self, addr: int, func: int, seq: int) -> bool:
        now = self._reader.clock()
        key = (addr, func >> 4)
        previous = self._seen.get(key)
        self._seen[key] = (seq, now)
        return previous is None or previous[0] != seq or now - previous[1] > DUPLICATE_WINDOW

    def _acknowledge(self, addr: int, func: int, seq: int) -> None:
        kind = kind_of(func)
        if self.transport is not None and kind is not None:
            try:
                self.transport.write(event_ack(addr, kind, seq))
            except (serial.SerialException, OSError) as exc:
                log.warning("could not ack event from %s: %s", addr, exc)


class _ReaderThread(serial.threaded.ReaderThread):
    """pyserial's reader thread, except that a bare OSError (EIO from ``in_waiting`` when a USB
    adapter or a pty hangs up; ReaderThread catches only SerialException) is reported to the
    protocol as a lost connection instead of killing the thread silently."""

    def run(self) -> None:
        try:
            super().run()
        except OSError as exc:
            self.alive = False
            if self.protocol is not None:
                self.protocol.connection_lost(exc)
                self.protocol = None


@dataclass(slots=True)
class _Pending:
    frame: bytes
    sent: float
    tries: int


class LineReader:
    """One serial line to the window devices, kept open until ``stop()``.

    ``silence_timeout`` (seconds, off by default) treats a line that says nothing for that long as
    dead and reopens it; ``keepalive`` (e.g. ``ping(addr, DeviceKind.KEYPAD)``) is written after a
    third of that silence so that a healthy line has something to say. With a silence timeout the
    health is OK only once something has been heard since the port opened.
    """

    def __init__(
        self,
        url: str,
        on_event: Callable[[LineEvent], None],
        *,
        baudrate: int = 9600,
        silence_timeout: float | None = None,
        keepalive: bytes | None = None,
        backoff: tuple[float, float] = (0.2, 5.0),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.baudrate = baudrate
        self.clock = clock
        self._on_event = on_event
        self._silence_timeout = silence_timeout
        self._keepalive = keepalive
        self._backoff = backoff
        self._lock = threading.Lock()
        self._deliver_lock = threading.Lock()
        self._health_changed = threading.Condition(self._lock)
        self._health = Health.RECONNECTING
        self._thread: serial.threaded.ReaderThread | None = None
        self._pending: dict[tuple[int, int], _Pending] = {}
        self._lost = threading.Event()
        self._lost_reason = ""
        self._stopping = threading.Event()
        self._supervisor = threading.Thread(target=self._supervise, name=f"line {url}", daemon=True)

    # ---- lifecycle ----------------------------------------------------------------------------

    def start(self) -> LineReader:
        self._supervisor.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._lost.set()
        if self._supervisor.is_alive():
            self._supervisor.join()

    def __enter__(self) -> LineReader:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def health(self) -> Health:
        return self._health

    def wait_health(self, state: Health, timeout: float) -> bool:
        """Block until the line reaches ``state`` (for tests and for sync start-up code)."""
        with self._health_changed:
            return self._health_changed.wait_for(lambda: self._health is state, timeout)

    # ---- writing ------------------------------------------------------------------------------

    def write(self, data: bytes) -> bool:
        """Send bytes (frames and LED lines); False when the line is down, and nothing was sent.

        Commands that a device must answer are sent again until it does; commands are forgotten
        when the line goes down, so the bus process repaints every device when health is OK again.
        """
        parser = FrameParser()
        commands = [f for f in parser.feed(data) + parser.line_idle() if expects_answer(f.func)]
        with self._lock:
            thread = self._thread
            if thread is None:
                return False
            # registered before writing: a quick device may answer before write() returns
            now = self.clock()
            for frame in commands:
                raw = encode_frame(frame.addr, frame.func, frame.data)
                # A newer command to a device still owed an answer replaces what is resent, not
                # the count: a keypad repainted faster than it times out must still be found silent.
                earlier = self._pending.get((frame.addr, frame.func))
                self._pending[(frame.addr, frame.func)] = (
                    _Pending(raw, earlier.sent, earlier.tries) if earlier else _Pending(raw, now, 1))
        try:
            thread.write(data)
        except (serial.SerialException, OSError) as exc:
            self._lose(f"write failed: {exc}")
            return False
        return True

    # ---- called from the protocol -------------------------------------------------------------

    def _deliver(self, event: LineEvent) -> None:
        with self._deliver_lock:
            try:
                self._on_event(event)
            except Exception:
                log.exception("line event handler failed on %s", event)

    def _answered(self, reply: Ack | Nak | Status) -> None:
        func = func_of(reply.kind, PING, host=True) if isinstance(reply, Status) else reply.func
        with self._lock:
            self._pending.pop((reply.addr, func), None)
        if not isinstance(reply, Ack):
            self._deliver(reply)

    def _line_lost(self, exc: BaseException | None) -> None:
        self._lose(f"read failed: {exc}" if exc else "port closed")

    def _lose(self, reason: str) -> None:
        if not self._lost.is_set():
            self._lost_reason = reason
            self._lost.set()

    # ---- the supervisor thread ----------------------------------------------------------------

    def _set_health(self, state: Health, detail: str = "") -> None:
        with self._health_changed:
            changed = state is not self._health
            self._health = state
            self._health_changed.notify_all()
        if changed:
            log.info("line %s: %s %s", self.url, state, detail)
            self._deliver(LineHealth(state, detail))

    def _supervise(self) -> None:
        delay = self._backoff[0]
        while not self._stopping.is_set():
            try:
                port = open_line(self.url, self.baudrate)
            except (serial.SerialException, OSError, ValueError) as exc:
                self._set_health(Health.UNPLUGGED, str(exc))
                self._stopping.wait(delay)
                delay = min(delay * 2, self._backoff[1])
                continue
            delay = self._backoff[0]
            self._run_open_port(port)
            if not self._stopping.is_set():
                self._set_health(Health.RECONNECTING, self._lost_reason)

    def _run_open_port(self, port: serial.SerialBase) -> None:
        self._lost.clear()
        thread = _ReaderThread(port, lambda: BusProtocol(self))
        thread.start()
        try:
            _, protocol = thread.connect()
        except RuntimeError:
            thread.close()
            return
        if not hasattr(port, "cancel_read"):
            port.timeout = 0.1  # ReaderThread polls with 1 s; 0.1 s makes stop() prompt
        with self._lock:
            self._thread = thread
        if self._silence_timeout is None:
            self._set_health(Health.OK)
        try:
            self._watch(thread, protocol)
        finally:
            with self._lock:
                self._thread = None
                self._pending.clear()
            thread.close()

    def _watch(self, thread: serial.threaded.ReaderThread, protocol: BusProtocol) -> None:
        last_keepalive = self.clock()
        while not self._lost.wait(TICK) and not self._stopping.is_set():
            if not thread.is_alive():  # ended without connection_lost (an unexpected error)
                self._lose("reader stopped")
                break
            now = self.clock()
            quiet = now - protocol.last_heard
            if quiet >= LINE_IDLE:
                protocol.line_idle()
            self._resend_unanswered(now)
            if self._silence_timeout is None:
                continue
            if protocol.heard_anything and quiet < self._silence_timeout:
                self._set_health(Health.OK)
            if quiet >= self._silence_timeout:
                self._lose(f"silent for {quiet:.1f} s")
            elif self._keepalive and min(quiet, now - last_keepalive) >= self._silence_timeout / 3:
                last_keepalive = now
                self.write(self._keepalive)

    def _resend_unanswered(self, now: float) -> None:
        with self._lock:
            thread = self._thread
            due = [(key, p) for key, p in self._pending.items() if now - p.sent >= ANSWER_TIMEOUT]
            given_up = [key for key, p in due if p.tries > COMMAND_RETRIES]
            for key in given_up:
                del self._pending[key]
            for key, p in due:
                if key not in given_up:
                    p.sent, p.tries = now, p.tries + 1
        for key, p in due:
            if key in given_up:
                self._deliver(NoAnswer(*key))
            elif thread is not None:
                try:
                    thread.write(p.frame)
                except (serial.SerialException, OSError) as exc:
                    self._lose(f"write failed: {exc}")
