"""The line end to end over real pyserial ports: loop://, a pty, and socket:// to the simulator."""

from __future__ import annotations

import contextlib
import os
import select
import socket
import time
import tty
from collections.abc import Iterator

import pytest

from hardware.serial_bus.devices import (
    ANSWER_TIMEOUT,
    COMMAND_RETRIES,
    EVENT_RETRIES,
    CardSwipe,
    DeviceKind,
    Func,
    KeypadDisplay,
    KeypadKey,
    KeyPress,
    RatingKey,
    RatingPress,
    RatingSkipped,
    Status,
    decode_host_frame,
    key_frame,
    keypad_display,
    ping,
    rating_prompt,
)
from hardware.serial_bus.frame import FrameParser
from hardware.serial_bus.led import LedLine, LedParser, encode_led
from hardware.serial_bus.simulator import PtyEndpoint, SimBus, SocketEndpoint
from hardware.serial_bus.transport import Health, LineReader, NoAnswer

from .conftest import WAIT, Events


@pytest.fixture
def loop_line(events: Events) -> Iterator[LineReader]:
    with LineReader("loop://", events) as reader:
        events.health(Health.OK)
        yield reader


def test_loop_a_keypad_frame_arrives_once_though_the_device_repeats_it(loop_line: LineReader, events: Events):
    loop_line.write(b"\x00\xff\x68noise" + key_frame(12, KeypadKey.CALL, 5))
    loop_line.write(key_frame(12, KeypadKey.CALL, 5))  # the same event again: our ack was "lost"
    loop_line.write(key_frame(12, KeypadKey.RECALL, 6))
    assert events.next(KeyPress) == KeyPress(12, KeypadKey.CALL)
    assert events.next(KeyPress) == KeyPress(12, KeypadKey.RECALL)


def test_loop_a_frame_written_in_pieces_arrives_whole(loop_line: LineReader, events: Events) -> None:
    raw = key_frame(7, KeypadKey.TRANSFER, 1, "12")
    for i in range(len(raw)):
        loop_line.write(raw[i : i + 1])
    assert events.next(KeyPress) == KeyPress(7, KeypadKey.TRANSFER, "12")


def test_loop_led_lines_on_the_line_are_read_back(loop_line: LineReader, events: Events) -> None:
    loop_line.write(encode_led(12, "请A001号到12号窗口", scroll=True))
    assert events.next(LedLine) == LedLine(12, "请A001号到12号窗口", scroll_speed=5)


def test_a_failing_event_handler_does_not_stop_the_line() -> None:
    got: list[object] = []

    def handler(event: object) -> None:
        got.append(event)
        if isinstance(event, KeyPress) and event.key is KeypadKey.CALL:
            raise RuntimeError("handler bug")

    with LineReader("loop://", handler) as reader:
        assert reader.wait_health(Health.OK, WAIT)
        reader.write(key_frame(1, KeypadKey.CALL, 1) + key_frame(1, KeypadKey.SKIP, 2))
        deadline = time.monotonic() + WAIT
        while KeyPress(1, KeypadKey.SKIP) not in got and time.monotonic() < deadline:
            time.sleep(0.01)
    assert KeyPress(1, KeypadKey.SKIP) in got


# ---- a pty: the host opens the slave path as it would /dev/ttyUSB0 -----------------------------------


class Pty:
    """Both ends of a pseudo-terminal; the test plays the devices on ``master``."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)

    def hang_up(self) -> None:
        """Close both ends once (a second close could hit a number reused by another thread)."""
        for fd in (self.master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.master = self._slave = -1


@pytest.fixture
def pty() -> Iterator[Pty]:
    end = Pty()
    yield end
    end.hang_up()


def read_available(fd: int, quiet: float = 0.3) -> bytes:
    """Everything the host wrote, until the line has been quiet for ``quiet`` seconds."""
    data = b""
    while select.select([fd], [], [], quiet)[0]:
        data += os.read(fd, 4096)
    return data


def test_pty_keypress_in_led_line_out(pty: Pty, events: Events) -> None:
    master = pty.master
    with LineReader(pty.path, events) as reader:
        events.health(Health.OK)
        os.write(master, key_frame(12, KeypadKey.CALL, 1))
        assert events.next(KeyPress) == KeyPress(12, KeypadKey.CALL)
        assert reader.write(encode_led(12, "请A001号到12号窗口"))
        sent = read_available(master)
    assert FrameParser().feed(sent)  # the event ack went out
    assert LedParser().feed(sent) == [LedLine(12, "请A001号到12号窗口")]


def test_pty_unanswered_command_is_sent_again_then_reported(pty: Pty, events: Events) -> None:
    master = pty.master
    with LineReader(pty.path, events) as reader:
        events.health(Health.OK)
        reader.write(keypad_display(12, "A001"))
        assert events.next(NoAnswer) == NoAnswer(12, Func.KEYPAD_DISPLAY)
        sent = FrameParser().feed(read_available(master, quiet=3 * ANSWER_TIMEOUT))
    assert [decode_host_frame(f) for f in sent] == [KeypadDisplay(12, "A001")] * (1 + COMMAND_RETRIES)


def test_pty_hangup_takes_the_line_down(pty: Pty, events: Events) -> None:
    with LineReader(pty.path, events, backoff=(0.05, 0.2)) as reader:
        events.health(Health.OK)
        pty.hang_up()
        assert events.health(Health.RECONNECTING).detail  # the read failed: the adapter is gone
        events.health(Health.UNPLUGGED)  # and reopening it fails until it is back
        assert reader.write(b"x") is False


def test_a_port_that_does_not_exist_is_unplugged(events: Events) -> None:
    with LineReader("/dev/ttyUSB-no-such-adapter", events, backoff=(0.05, 0.1)) as reader:
        assert events.health(Health.UNPLUGGED).detail
        assert reader.write(b"anything") is False


# ---- socket:// to the simulated bus -------------------------------------------------------------------


@pytest.fixture
def line(bus: SimBus, events: Events) -> Iterator[LineReader]:
    with LineReader(bus.url, events) as reader:
        events.health(Health.OK)
        yield reader


def test_socket_keypad_press_on_window_12_arrives_as_call(
    bus: SimBus, line: LineReader, events: Events
) -> None:
    bus.press(12, KeypadKey.CALL)
    assert events.next(KeyPress) == KeyPress(12, KeypadKey.CALL)
    assert bus.wait_until(bus.all_acked)  # the host acked, so the keypad stops repeating


def test_socket_rating_and_card_events(bus: SimBus, line: LineReader, events: Events) -> None:
    assert not bus.rate(3, RatingKey.GOOD)  # a pad not asked for a rating ignores its keys
    line.write(rating_prompt(3, text="工号1024"))
    assert bus.wait_until(lambda: bus.rating_pads[3].prompt is not None)
    assert bus.rating_pads[3].screen == "工号1024"
    assert bus.rate(3, RatingKey.FAIRLY_GOOD)
    assert not bus.rate(3, RatingKey.GOOD)  # one rating per prompt
    bus.swipe(12, "CARD123")
    rating = events.next(RatingPress)
    assert rating == RatingPress(3, RatingKey.FAIRLY_GOOD) and rating.rating == "fairly_good"
    assert events.next(CardSwipe) == CardSwipe(12, "CARD123")


def test_socket_prompt_that_runs_out_reports_no_rating(bus: SimBus, line: LineReader, events: Events) -> None:
    line.write(rating_prompt(12, timeout_s=1))
    assert events.next(RatingSkipped) == RatingSkipped(12)


def test_socket_led_command_shows_on_the_screen_at_12_only(bus: SimBus, line: LineReader) -> None:
    assert line.write(encode_led(12, "请A001号到12号窗口", brightness=6))
    assert bus.wait_until(lambda: bus.leds[12].text == "请A001号到12号窗口")
    assert bus.leds[12].brightness == 6
    assert bus.leds[3].text == ""


def test_socket_acked_command_is_not_repeated(bus: SimBus, line: LineReader, events: Events) -> None:
    line.write(keypad_display(12, "A001"))
    line.write(ping(12, DeviceKind.KEYPAD))
    assert events.next(Status) == Status(12, DeviceKind.KEYPAD, 1)
    assert bus.keypads[12].display == "A001"
    time.sleep(3 * ANSWER_TIMEOUT)  # past the point where an unanswered command would be resent
    assert [c for c in bus.received if isinstance(c, KeypadDisplay)] == [KeypadDisplay(12, "A001")]
    assert not any(isinstance(e, NoAnswer) for e in events.drain())


def test_socket_unplugged_keypad_is_reported(bus: SimBus, line: LineReader, events: Events) -> None:
    bus.keypads[3].online = False
    line.write(keypad_display(3, "B002"))
    assert events.next(NoAnswer) == NoAnswer(3, Func.KEYPAD_DISPLAY)


def test_socket_unplugged_keypad_is_reported_though_its_display_keeps_changing(
    bus: SimBus, line: LineReader, events: Events
) -> None:
    """A busy window redraws its keypad more often than a command times out: silence is still found."""
    bus.keypads[3].online = False
    deadline = time.monotonic() + 10
    found = None
    n = 0
    while found is None and time.monotonic() < deadline:
        n += 1
        line.write(keypad_display(3, f"B{n:03d}"))  # every 0.1 s, twice within one answer timeout
        time.sleep(ANSWER_TIMEOUT / 2)
        found = next((e for e in events.drain() if isinstance(e, NoAnswer)), None)
    assert found == NoAnswer(3, Func.KEYPAD_DISPLAY)
    assert n <= 2 * (COMMAND_RETRIES + 2)  # within the retries of the first command, not never


def test_device_repeats_an_event_until_acked_then_gives_up() -> None:
    """Without a host acking, the keypad sends its event 1 + EVENT_RETRIES times, same sequence number."""
    endpoint = SocketEndpoint()
    sim = SimBus(endpoint).add(12, keypad=True)
    sim.start()
    try:
        with socket.create_connection(("127.0.0.1", endpoint.port)) as host:
            assert endpoint.connected.wait(WAIT)
            sim.press(12, KeypadKey.CALL)
            assert sim.wait_until(lambda: sim.keypads[12].lost_events == 1)
            host.settimeout(0.5)
            data = b""
            while chunk := host.recv(4096):
                data += chunk
                if len(FrameParser().feed(data)) >= 1 + EVENT_RETRIES:
                    break
    finally:
        sim.stop()
    assert FrameParser().feed(data) == FrameParser().feed(key_frame(12, KeypadKey.CALL, 1)) * (
        1 + EVENT_RETRIES
    )


def test_simulator_gone_then_back_the_line_recovers(events: Events) -> None:
    first = SimBus(SocketEndpoint()).add(12, keypad=True)
    url = first.start()
    with LineReader(url, events, backoff=(0.05, 0.2)) as reader:
        events.health(Health.OK)
        first.stop()
        events.health(Health.UNPLUGGED)
        second = SimBus(SocketEndpoint(port=first.endpoint.port)).add(12, keypad=True)
        second.start()
        try:
            events.health(Health.OK)
            second.press(12, KeypadKey.PAUSE)
            assert events.next(KeyPress) == KeyPress(12, KeypadKey.PAUSE)
            assert reader.health is Health.OK
        finally:
            second.stop()


def test_silent_line_is_reopened_and_a_keepalive_keeps_it_ok(bus: SimBus, events: Events) -> None:
    with LineReader(bus.url, events, silence_timeout=0.6, keepalive=ping(12, DeviceKind.KEYPAD)) as reader:
        events.health(Health.OK)  # only once the keypad answered the keepalive ping
        bus.keypads[12].online = False  # now nothing on the line answers
        lost = events.health(Health.RECONNECTING)
        assert "silent" in lost.detail
        bus.keypads[12].online = True
        events.health(Health.OK)
        assert reader.health is Health.OK


def test_pty_simulator_endpoint(events: Events) -> None:
    sim = SimBus(PtyEndpoint()).add(12, keypad=True, led=True)
    url = sim.start()
    try:
        with LineReader(url, events) as reader:
            events.health(Health.OK)
            sim.press(12, KeypadKey.FINISH)
            assert events.next(KeyPress) == KeyPress(12, KeypadKey.FINISH)
            reader.write(encode_led(12, "12号窗口 欢迎您"))
            assert sim.wait_until(lambda: sim.leds[12].text == "12号窗口 欢迎您")
    finally:
        sim.stop()
