"""Simulated window devices that speak the real bytes over a TCP port (``socket://``) or a pty.

``SimBus`` is a whole RS-485 line: keypads, rating pads, card readers and LED screens at window
addresses. It answers host commands exactly as docs/DEVICES.md says a device must (acks, naks,
status), and sends key presses, ratings and swipes as events that it repeats until the host acks
them. Tests drive it (``press``, ``rate``, ``swipe``, read ``leds[12].text``); ``hardware.simulate``
puts it on the command line for the demo. ``SimScanner`` and ``SimCardLineReader`` are the
line-mode devices of the kiosk and of a stand-alone attendance desk.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import threading
import time
import tty
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from hardware.serial_bus.cardreader import card_line
from hardware.serial_bus.devices import (
    ANSWER_TIMEOUT,
    EVENT_RETRIES,
    LINE_IDLE,
    CardResult,
    DeviceKind,
    DisplayMode,
    EventAck,
    HostCommand,
    KeypadBeep,
    KeypadDisplay,
    KeypadKey,
    NakReason,
    NationalRatingKey,
    Ping,
    RatingIdle,
    RatingKey,
    RatingPrompt,
    RatingThanks,
    ack_frame,
    card_frame,
    decode_host_frame,
    is_host_func,
    key_frame,
    kind_of,
    nak_frame,
    rating_frame,
    status_frame,
)
from hardware.serial_bus.frame import Frame, FrameParser
from hardware.serial_bus.led import LedLine, LedParser
from hardware.serial_bus.scanner import scan_line

log = logging.getLogger(__name__)

TICK = 0.01


# ---- endpoints: where the simulated line is plugged in ------------------------------------------


class Endpoint(Protocol):
    url: str

    def start(self, on_bytes: Callable[[bytes], None]) -> str: ...
    def send(self, data: bytes) -> None: ...
    def stop(self) -> None: ...


class SocketEndpoint:
    """A TCP port; every connected host shares the line (bytes go to all of them)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.url = ""
        self._server: socket.socket | None = None
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self.connected = threading.Event()  # set once a host has connected (tests wait on it)

    def start(self, on_bytes: Callable[[bytes], None]) -> str:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((self.host, self.port))
        server.listen()
        server.settimeout(0.05)
        self._server = server
        self.port = server.getsockname()[1]
        self.url = f"socket://{self.host}:{self.port}"
        self._spawn(self._accept, on_bytes)
        return self.url

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self, on_bytes: Callable[[bytes], None]) -> None:
        assert self._server is not None
        while not self._stopping.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(0.05)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # frames go out at once, like a wire
            with self._lock:
                self._clients.append(client)
            self.connected.set()
            self._spawn(self._read, client, on_bytes)

    def _read(self, client: socket.socket, on_bytes: Callable[[bytes], None]) -> None:
        while not self._stopping.is_set():
            try:
                data = client.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                data = b""
            if not data:
                break
            on_bytes(data)
        self._drop(client)

    def _drop(self, client: socket.socket) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)
        client.close()

    def send(self, data: bytes) -> None:
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            try:
                client.sendall(data)
            except OSError:
                self._drop(client)

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.close()
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
            client.close()
        for thread in self._threads:
            thread.join(1)


class PtyEndpoint:
    """A pseudo-terminal: the host opens ``url`` (the slave path) as if it were /dev/ttyUSB0."""

    def __init__(self) -> None:
        self.url = ""
        self._master = self._slave = -1
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self, on_bytes: Callable[[bytes], None]) -> str:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no CR/LF translation before the host configures it
        self.url = os.ttyname(self._slave)
        self._thread = threading.Thread(target=self._read, args=(on_bytes,), daemon=True)
        self._thread.start()
        return self.url

    def _read(self, on_bytes: Callable[[bytes], None]) -> None:
        while not self._stopping.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                return
            if data:
                on_bytes(data)

    def send(self, data: bytes) -> None:
        with self._lock:
            if self._master >= 0:
                os.write(self._master, data)

    def stop(self) -> None:
        """Closes both sides, so the host's port hangs up as an unplugged adapter would."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(1)
        with self._lock:
            for fd in (self._master, self._slave):
                if fd >= 0:
                    os.close(fd)
            self._master = self._slave = -1


def make_endpoint(*, pty: bool = False, host: str = "127.0.0.1", port: int = 0) -> Endpoint:
    return PtyEndpoint() if pty else SocketEndpoint(host, port)


# ---- devices -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """Something a person at the window would notice (printed by the simulator's command line)."""

    device: str  # "keypad", "rating_pad", "card_reader", "led"
    addr: int
    what: str
    value: str = ""


@dataclass
class SimDevice:
    """A device on the line; ``online=False`` makes it as silent as an unplugged one."""

    addr: int
    online: bool = True
    version: int = 1
    kind: ClassVar[DeviceKind]
    _seq: int = field(default=0, init=False)
    _outbox: deque[tuple[int, bytes]] = field(default_factory=deque, init=False)
    _in_flight: tuple[int, bytes, float, int] | None = field(default=None, init=False)
    lost_events: int = field(default=0, init=False)

    def queue_event(self, encode: Callable[[int], bytes]) -> None:
        self._seq = (self._seq + 1) % 256
        self._outbox.append((self._seq, encode(self._seq)))

    def due_frames(self, now: float) -> list[bytes]:
        """Events to (re)send now: the one in flight repeats until acked, then the next goes."""
        if self._in_flight is not None:
            seq, frame, sent, tries = self._in_flight
            if now - sent < ANSWER_TIMEOUT:
                return []
            if tries <= EVENT_RETRIES:
                self._in_flight = (seq, frame, now, tries + 1)
                return [frame] if self.online else []
            self._in_flight = None
            self.lost_events += 1
        if not self._outbox:
            return []
        seq, frame = self._outbox.popleft()
        self._in_flight = (seq, frame, now, 1)
        return [frame] if self.online else []

    def acked(self, seq: int) -> None:
        if self._in_flight is not None and self._in_flight[0] == seq:
            self._in_flight = None

    @property
    def idle(self) -> bool:
        """No event waiting for the host."""
        return self._in_flight is None and not self._outbox

    def apply(self, command: HostCommand) -> list[Change] | None:
        """Carry out a command; None when this device has no such command."""
        return None


@dataclass
class SimKeypad(SimDevice):
    kind: ClassVar[DeviceKind] = DeviceKind.KEYPAD
    display: str = ""
    display_mode: DisplayMode = DisplayMode.NUMBER
    beeps: int = 0

    def press(self, key: KeypadKey, arg: str = "") -> None:
        self.queue_event(lambda seq: key_frame(self.addr, key, seq, arg))

    def apply(self, command: HostCommand) -> list[Change] | None:
        if isinstance(command, KeypadDisplay):
            self.display, self.display_mode = command.text, command.mode
            return [Change("keypad", self.addr, f"display_{command.mode.name.lower()}", command.text)]
        if isinstance(command, KeypadBeep):
            self.beeps += command.count
            return [Change("keypad", self.addr, "beep", str(command.count))]
        return None


@dataclass
class SimRatingPad(SimDevice):
    kind: ClassVar[DeviceKind] = DeviceKind.RATING_PAD
    prompt: RatingPrompt | None = None
    prompted_at: float = 0.0
    screen: str = ""
    thanked: int = 0

    def rate(self, key: RatingKey | NationalRatingKey | None) -> bool:
        """A key press (None: the prompt ran out). As on the real pad, only a prompted pad with
        that key takes it; it sends one rating and goes dark. False when the press is ignored."""
        scale = 5 if isinstance(key, NationalRatingKey) else 4
        if self.prompt is None or (key is not None and scale != self.prompt.scale):
            return False
        self.prompt = None
        self.queue_event(lambda seq: rating_frame(self.addr, key, seq))
        return True

    def due_frames(self, now: float) -> list[bytes]:
        if self.prompt is not None and now - self.prompted_at >= self.prompt.timeout_s:
            self.rate(None)
        return super().due_frames(now)

    def apply(self, command: HostCommand) -> list[Change] | None:
        if isinstance(command, RatingPrompt):
            self.prompt, self.prompted_at, self.screen = command, time.monotonic(), command.text
            return [Change("rating_pad", self.addr, "prompt", command.text)]
        if isinstance(command, RatingThanks):
            self.prompt, self.screen, self.thanked = None, command.text, self.thanked + 1
            return [Change("rating_pad", self.addr, "thanks", command.text)]
        if isinstance(command, RatingIdle):
            self.prompt, self.screen = None, ""
            return [Change("rating_pad", self.addr, "idle")]
        return None


@dataclass
class SimCardReader(SimDevice):
    kind: ClassVar[DeviceKind] = DeviceKind.CARD_READER
    last_result: bool | None = None

    def swipe(self, card_id: str) -> None:
        card_frame(self.addr, card_id, 0)  # refuse a bad id now, not later on the line
        self.queue_event(lambda seq: card_frame(self.addr, card_id, seq))

    def apply(self, command: HostCommand) -> list[Change] | None:
        if isinstance(command, CardResult):
            self.last_result = command.accepted
            return [Change("card_reader", self.addr, "accepted" if command.accepted else "refused")]
        return None


@dataclass
class SimLed:
    """A window screen: it only listens."""

    addr: int
    text: str = ""
    scroll_speed: int = 0
    brightness: int = 16
    history: list[str] = field(default_factory=list)

    def show(self, line: LedLine) -> Change:
        self.text, self.scroll_speed = line.text, line.scroll_speed
        if line.brightness is not None:
            self.brightness = line.brightness
        self.history.append(line.text)
        return Change("led", self.addr, "text", line.text)


# ---- the line ------------------------------------------------------------------------------------


class SimBus:
    """Devices sharing one line, reachable at ``start()``'s URL."""

    def __init__(
        self, endpoint: Endpoint | None = None, *, on_change: Callable[[Change], None] | None = None
    ):
        self.endpoint = endpoint or SocketEndpoint()
        self.keypads: dict[int, SimKeypad] = {}
        self.rating_pads: dict[int, SimRatingPad] = {}
        self.card_readers: dict[int, SimCardReader] = {}
        self.leds: dict[int, SimLed] = {}
        self.received: list[HostCommand | LedLine] = []  # everything the host said, in order
        self._on_change = on_change
        self._frames = FrameParser()
        self._led_parser = LedParser()
        self._last_rx = time.monotonic()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="sim bus", daemon=True)

    @classmethod
    def windows(cls, addrs: Iterable[int], *, endpoint: Endpoint | None = None, **kwargs: object) -> SimBus:
        """A line with every device at each window address."""
        bus = cls(endpoint, **kwargs)  # type: ignore[arg-type]
        for addr in addrs:
            bus.add(addr, keypad=True, rating_pad=True, card_reader=True, led=True)
        return bus

    def add(
        self,
        addr: int,
        *,
        keypad: bool = False,
        rating_pad: bool = False,
        card_reader: bool = False,
        led: bool = False,
    ) -> SimBus:
        if keypad:
            self.keypads[addr] = SimKeypad(addr)
        if rating_pad:
            self.rating_pads[addr] = SimRatingPad(addr)
        if card_reader:
            self.card_readers[addr] = SimCardReader(addr)
        if led:
            self.leds[addr] = SimLed(addr)
        return self

    @property
    def url(self) -> str:
        return self.endpoint.url

    def start(self) -> str:
        url = self.endpoint.start(self._received)
        self._ticker.start()
        return url

    def stop(self) -> None:
        self._stopping.set()
        if self._ticker.is_alive():
            self._ticker.join()
        self.endpoint.stop()

    def __enter__(self) -> SimBus:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- people at the window -------------------------------------------------------------------

    def press(self, addr: int, key: KeypadKey, arg: str = "") -> None:
        with self._lock:
            self.keypads[addr].press(key, arg)
        self._send_due()

    def rate(self, addr: int, key: RatingKey | NationalRatingKey | None) -> bool:
        """False when the pad was not prompted (or has no such key): the press is ignored."""
        with self._lock:
            taken = self.rating_pads[addr].rate(key)
        self._send_due()
        return taken

    def swipe(self, addr: int, card_id: str) -> None:
        with self._lock:
            self.card_readers[addr].swipe(card_id)
        self._send_due()

    def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Block until ``condition()`` holds after some change on the line (tests, scripts)."""
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    def all_acked(self) -> bool:
        return all(d.idle for d in self._event_devices())

    # ---- the line -------------------------------------------------------------------------------

    def _event_devices(self) -> list[SimDevice]:
        return [*self.keypads.values(), *self.rating_pads.values(), *self.card_readers.values()]

    def _device(self, addr: int, kind: DeviceKind) -> SimDevice | None:
        table: dict[int, SimDevice] = {
            DeviceKind.KEYPAD: self.keypads,
            DeviceKind.RATING_PAD: self.rating_pads,
            DeviceKind.CARD_READER: self.card_readers,
        }[kind]  # type: ignore[assignment]
        return table.get(addr)

    def _received(self, data: bytes) -> None:
        with self._lock:
            self._last_rx = time.monotonic()
            frames, lines = self._frames.feed(data), self._led_parser.feed(data)
        self._dispatch(frames, lines)

    def _dispatch(self, frames: list[Frame], lines: list[LedLine]) -> None:
        replies: list[bytes] = []
        changes: list[Change] = []
        with self._changed:
            for frame in frames:
                kind = kind_of(frame.func)
                device = (
                    self._device(frame.addr, kind) if kind is not None and is_host_func(frame.func) else None
                )
                if device is None or not device.online:
                    continue  # not for any device here: a real bus stays silent too
                command = decode_host_frame(frame)
                if command is not None:
                    self.received.append(command)
                if isinstance(command, EventAck):
                    device.acked(command.seq)
                elif isinstance(command, Ping):
                    replies.append(status_frame(frame.addr, device.kind, device.version))
                elif command is None:
                    replies.append(nak_frame(frame.addr, frame.func, NakReason.BAD_VALUE))
                elif (done := device.apply(command)) is None:
                    replies.append(nak_frame(frame.addr, frame.func, NakReason.UNSUPPORTED))
                else:
                    changes += done
                    replies.append(ack_frame(frame.addr, frame.func))
            for line in lines:
                self.received.append(line)
                led = self.leds.get(line.addr)
                if led is not None:
                    changes.append(led.show(line))
            self._changed.notify_all()
        for reply in replies:
            self.endpoint.send(reply)
        self._report(changes)
        self._send_due()

    def _report(self, changes: list[Change]) -> None:
        if self._on_change is None:
            return
        for change in changes:
            try:
                self._on_change(change)
            except Exception:
                log.exception("simulator change handler failed")

    def _send_due(self) -> None:
        now = time.monotonic()
        with self._changed:
            due = [frame for device in self._event_devices() for frame in device.due_frames(now)]
            self._changed.notify_all()
        for frame in due:
            self.endpoint.send(frame)

    def _tick(self) -> None:
        while not self._stopping.wait(TICK):
            with self._lock:
                quiet = time.monotonic() - self._last_rx >= LINE_IDLE
                held = self._frames.pending or self._led_parser.pending
                frames = self._frames.line_idle() if quiet and held else []
                lines = self._led_parser.line_idle() if quiet and held else []
            if frames or lines:
                self._dispatch(frames, lines)
            self._send_due()


class _LineDevice:
    """A device that only talks, one line per reading (the scanner, a stand-alone card reader)."""

    def __init__(self, endpoint: Endpoint | None = None) -> None:
        self.endpoint = endpoint or SocketEndpoint()

    @property
    def url(self) -> str:
        return self.endpoint.url

    def start(self) -> str:
        return self.endpoint.start(lambda data: None)

    def stop(self) -> None:
        self.endpoint.stop()

    def __enter__(self) -> _LineDevice:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SimScanner(_LineDevice):
    def scan(self, code: str) -> None:
        self.endpoint.send(scan_line(code))


class SimCardLineReader(_LineDevice):
    def swipe(self, card_id: str) -> None:
        self.endpoint.send(card_line(card_id))
