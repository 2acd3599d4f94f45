"""The device simulators as the demo uses them: commands typed or scripted, devices read back."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest
import serial

from hardware.serial_bus.cardreader import CardLineParser
from hardware.serial_bus.devices import (
    CardSwipe,
    KeypadKey,
    KeyPress,
    NationalRatingKey,
    RatingKey,
    RatingPress,
    RatingSkipped,
    rating_prompt,
)
from hardware.serial_bus.led import encode_led
from hardware.serial_bus.messages import MESSAGES
from hardware.serial_bus.scanner import Scan, ScanParser
from hardware.serial_bus.simulator import (
    Change,
    PtyEndpoint,
    SimBus,
    SimCardLineReader,
    SimScanner,
    SocketEndpoint,
)
from hardware.serial_bus.transport import Health, LineReader
from hardware.simulate import Console, build, describe, main, parse_addresses
from hardware.voice.messages import MESSAGES as VOICE_MESSAGES

from .conftest import Events


@pytest.fixture
def console_line(bus: SimBus, events: Events) -> Iterator[tuple[Console, list[str]]]:
    said: list[str] = []
    with LineReader(bus.url, events):
        events.health(Health.OK)
        yield Console(bus, "zh", said.append), said


def test_typed_commands_reach_the_host_as_typed_events(bus: SimBus, console_line, events: Events) -> None:
    console, said = console_line
    prompt_pads(bus, {12: 4, 3: 5})
    for line in (
        "press 12 call",
        "press 12 transfer 5",
        "rate 12 good",
        "rate 3 very_satisfied",
    ):
        assert console.run(line)
    console.run("swipe 12 CARD123")
    prompt_pads(bus, {3: 5})
    console.run("rate 3 none")
    got = [events.next((KeyPress, RatingPress, RatingSkipped, CardSwipe)) for _ in range(6)]
    # each device's events in the order pressed; devices interleave as they find the line free
    assert [e for e in got if isinstance(e, KeyPress)] == [
        KeyPress(12, KeypadKey.CALL),
        KeyPress(12, KeypadKey.TRANSFER, "5"),
    ]
    assert [e for e in got if getattr(e, "addr", None) == 3] == [
        RatingPress(3, NationalRatingKey.VERY_SATISFIED),
        RatingSkipped(3),
    ]
    assert RatingPress(12, RatingKey.GOOD) in got and CardSwipe(12, "CARD123") in got
    assert said == []


def prompt_pads(bus: SimBus, scales: dict[int, int]) -> None:
    """Play a second host that asks the rating pads at these addresses for a rating."""
    with LineReader(bus.url, lambda event: None) as host:
        assert host.wait_health(Health.OK, 10)
        for addr, scale in scales.items():
            host.write(rating_prompt(addr, scale=scale))
        assert bus.wait_until(lambda: all(bus.rating_pads[a].prompt for a in scales))


def test_mistyped_commands_get_a_helpful_answer_and_quit_ends(console_line) -> None:
    console, said = console_line
    assert console.run("rate 12 good")  # nobody asked for a rating yet
    assert "请先在叫号器上按办结或请评价" in said.pop()
    assert console.run("press 12 jump")
    assert console.run("press 99 call")
    assert console.run("dance")
    assert console.run("# a comment") and console.run("")
    assert said[0].startswith("参数有误")
    assert "99" in said[1] and "请检查地址" in said[1]
    assert "help" in said[2]
    assert console.run("quit") is False


def test_show_reads_what_the_screen_at_12_shows(bus: SimBus, console_line, events: Events) -> None:
    console, said = console_line
    reader_write = LineReader(bus.url, events).start()
    try:
        assert reader_write.wait_health(Health.OK, 10)
        reader_write.write(encode_led(12, "请A001号到12号窗口"))
        assert bus.wait_until(lambda: bus.leds[12].text == "请A001号到12号窗口")
    finally:
        reader_write.stop()
    console.run("show 12")
    assert "请A001号到12号窗口" in said[-1]


def test_changes_are_described_from_the_catalog() -> None:
    assert describe(Change("led", 12, "text", "请A001号到12号窗口"), "zh") == "[LED屏  12] 请A001号到12号窗口"
    assert (
        describe(Change("rating_pad", 3, "thanks"), "en")
        == "[rating pad   3] thank you Thank you for your rating"
    )
    assert "蜂鸣 2 次" in describe(Change("keypad", 1, "beep", "2"), "zh")


def test_command_line_runs_a_script_and_prints_where_to_connect(tmp_path, capsys) -> None:
    script = tmp_path / "demo.txt"
    script.write_text("press 12 call\nshow 12\nquit\n", encoding="utf-8")
    assert main(["simulate", "bus", "--port", "0", "--windows", "1-12", "--script", str(script)]) == 0
    out = capsys.readouterr().out
    assert "socket://127.0.0.1:" in out and "窗口地址: 1,2,3,4,5,6,7,8,9,10,11,12" in out
    assert " 12: LED屏" in out


def test_single_device_simulators_hold_just_that_device() -> None:
    said: list[Change] = []
    keypad = build("keypad", [7], line_reader=False, endpoint=SocketEndpoint(), on_change=said.append)
    assert isinstance(keypad, SimBus) and list(keypad.keypads) == [7] and not keypad.leds
    led = build("led", [7], line_reader=False, endpoint=SocketEndpoint(), on_change=said.append)
    assert isinstance(led, SimBus) and list(led.leds) == [7] and not led.keypads
    assert isinstance(
        build("scanner", [1], line_reader=False, endpoint=SocketEndpoint(), on_change=said.append), SimScanner
    )
    line_reader = build("cardreader", [1], line_reader=True, endpoint=SocketEndpoint(), on_change=said.append)
    assert isinstance(line_reader, SimCardLineReader)


def test_parse_addresses() -> None:
    assert parse_addresses("1-3,12") == [1, 2, 3, 12]
    with pytest.raises(argparse.ArgumentTypeError):
        parse_addresses("0-3")


def test_scanner_simulator_on_a_pty_reads_as_a_kiosk_would() -> None:
    with SimScanner(PtyEndpoint()) as scanner:
        port = serial.serial_for_url(scanner.url, baudrate=9600, timeout=5)
        try:
            scanner.scan("https://hall.example.cn/s/Xy7-kQ2m")
            line = port.read_until(b"\n")
        finally:
            port.close()
    assert ScanParser().feed(line) == [Scan("https://hall.example.cn/s/Xy7-kQ2m")]


def test_stand_alone_card_reader_simulator_over_socket() -> None:
    endpoint = SocketEndpoint()
    with SimCardLineReader(endpoint) as reader:
        port = serial.serial_for_url(reader.url, timeout=5)
        try:
            assert endpoint.connected.wait(5)  # a swipe before the host is there goes nowhere
            reader.swipe("0012345678")
            line = port.read_until(b"\n")
        finally:
            port.close()
    assert CardLineParser(addr=4).feed(line) == [CardSwipe(4, "0012345678")]


FORBIDDEN = [
    "不知道",
    "你去问",
    "不行",
    "重填",
    "有牌子",
    "自己看",
    "快点",
    "要下班了",
    "已经告诉你了",
    "没看我正忙吗",
    "有意见找头头去",
]


@pytest.mark.parametrize("catalog", [MESSAGES, VOICE_MESSAGES])
def test_catalogs_speak_both_languages_and_never_the_forbidden_phrases(catalog: dict) -> None:
    for key, entry in catalog.items():
        assert entry.get("zh") and entry.get("en"), key
        assert not any(phrase in entry["zh"] for phrase in FORBIDDEN), key
