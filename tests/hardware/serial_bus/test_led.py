"""The LED window screen line: exact bytes, settings, GB18030 text, and a line shared with FF 68 frames."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hardware.serial_bus.devices import KeypadKey, key_frame, keypad_display
from hardware.serial_bus.frame import Frame, FrameParser, encode_frame
from hardware.serial_bus.led import LedLine, LedParser, encode_led


def test_encodes_start_address_settings_gb18030_text_end() -> None:
    assert encode_led(12, "请A001号到12号窗口") == bytes.fromhex(
        "01 0C 1B 53 30 C7 EB 41 30 30 31 BA C5 B5 BD 31 32 BA C5 B4 B0 BF DA 07"
    )


def test_scroll_and_brightness_ride_as_ascii_settings() -> None:
    raw = encode_led(3, "暂停服务", scroll=True, brightness=8, scroll_speed=7)
    assert raw[:9] == bytes.fromhex("01 03 1B 53 37 1B 42 30 38")
    assert LedParser().feed(raw) == [LedLine(3, "暂停服务", scroll_speed=7, brightness=8)]


def test_address_bytes_equal_to_start_and_end_still_parse() -> None:
    raw = encode_led(1, "一号") + encode_led(7, "七号")
    assert LedParser().feed(raw) == [LedLine(1, "一号"), LedLine(7, "七号")]


def test_empty_text_blanks_the_screen() -> None:
    assert LedParser().feed(encode_led(5, "")) == [LedLine(5, "")]


@pytest.mark.parametrize(
    ("addr", "text", "kwargs"),
    [
        (0, "x", {}),
        (255, "x", {}),
        (1, "a\x07b", {}),
        (1, "a\nb", {}),
        (1, "号" * 121, {}),
        (1, "x", {"brightness": 17}),
    ],
)
def test_refuses_what_a_screen_could_not_show(addr: int, text: str, kwargs: dict) -> None:
    with pytest.raises(ValueError):
        encode_led(addr, text, **kwargs)


def test_a_stray_start_byte_before_a_frame_costs_nothing() -> None:
    for noise in (b"\x01", b"\x01\x41", b"\x01\x20\x1b", b"\x01\x0c\xc7"):
        assert LedParser().feed(noise + encode_led(65, "请到A窗口")) == [LedLine(65, "请到A窗口")]


def test_a_stray_start_byte_before_window_7s_line_neither_blanks_screen_1_nor_costs_the_line() -> None:
    # issue 13, hole 7: 01 01 07 read as "screen 1, blank" and took window 7's start and address
    assert LedParser().feed(b"\x01" + encode_led(7, "请A001号到7号窗口")) == [LedLine(7, "请A001号到7号窗口")]
    assert LedParser().feed(b"\x01\x01\x07") == []  # a line always begins with the scroll setting
    assert LedParser().feed(b"\x01\x01\x1b\x42\x30\x38\x07") == []


def test_text_that_is_not_clean_gb18030_is_dropped() -> None:
    assert LedParser().feed(b"\x01\x0c\x1bS0\xc7\x07") == []  # a lead byte with no trail byte
    assert LedParser().feed(b"\x01\x0c\x1bS0ab\x1bcd\x07") == []  # ESC inside the text


def test_a_cut_off_line_is_dropped_when_the_line_goes_quiet() -> None:
    parser = LedParser()
    assert parser.feed(encode_led(4, "请A001号")[:-3]) == []
    assert parser.line_idle() == []
    assert parser.feed(encode_led(4, "请A002号")) == [LedLine(4, "请A002号")]


# text the screens can show: printable, any script GB18030 covers
led_text = st.text(st.characters(min_codepoint=0x20, exclude_categories=("Cs", "Cc")), max_size=30).filter(
    lambda t: len(t.encode("gb18030")) <= 240
)
led_lines = st.builds(
    LedLine,
    addr=st.integers(1, 254),
    text=led_text,
    scroll_speed=st.integers(0, 9),
    brightness=st.none() | st.integers(1, 16),
)


def led_bytes(line: LedLine) -> bytes:
    return encode_led(
        line.addr,
        line.text,
        scroll=line.scroll,
        brightness=line.brightness,
        scroll_speed=line.scroll_speed or 5,
    )


def split(stream: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(stream) + 1) for c in cuts})
    return [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]


def holds_nothing(noise: bytes) -> bool:
    led, frames = LedParser(), FrameParser()
    return led.feed(noise) + led.line_idle() == [] and frames.feed(noise) + frames.line_idle() == []


noise_st = st.binary(max_size=16).filter(holds_nothing)


@given(
    lines=st.lists(led_lines, max_size=6),
    noise=st.lists(noise_st, min_size=7, max_size=7),
    cuts=st.lists(st.integers(0, 5000), max_size=20),
)
def test_noise_between_lines_never_loses_or_invents_one(
    lines: list[LedLine], noise: list[bytes], cuts: list[int]
) -> None:
    stream = noise[0] + b"".join(led_bytes(line) + n for line, n in zip(lines, noise[1:], strict=False))
    parser = LedParser()
    got = [line for chunk in split(stream, cuts) for line in parser.feed(chunk)]
    assert got + parser.line_idle() == lines


frames_st = st.builds(Frame, addr=st.integers(1, 254), func=st.integers(0, 255), data=st.binary(max_size=30))


@given(
    items=st.lists(st.one_of(led_lines, frames_st), max_size=10),
    cuts=st.lists(st.integers(0, 5000), max_size=20),
)
def test_screens_and_keypads_share_one_line_without_mistaking_each_other(
    items: list[LedLine | Frame], cuts: list[int]
) -> None:
    """The bus carries LED lines and FF 68 frames (whose bytes may hold 01 and 07) side by side."""
    stream = b"".join(led_bytes(i) if isinstance(i, LedLine) else encode_frame(i.addr, i.func, i.data) for i in items)
    leds, frames = LedParser(), FrameParser()
    got_leds, got_frames = [], []
    for chunk in split(stream, cuts):
        got_leds += leds.feed(chunk)
        got_frames += frames.feed(chunk)
    assert got_leds == [i for i in items if isinstance(i, LedLine)]
    assert got_frames == [i for i in items if isinstance(i, Frame)]


def test_keypad_frames_full_of_start_and_end_bytes_show_nothing_on_screens() -> None:
    stream = key_frame(1, KeypadKey.HOLD, 7) + keypad_display(7, "0107") + key_frame(7, KeypadKey.CALL, 1, "A01")
    assert LedParser().feed(stream) == []


# ---- issue 13, hole 7: cut lines and stray start bytes between lines --------------------------

# addresses equal to the framing bytes are the interesting ones
tricky_lines = st.builds(
    LedLine,
    addr=st.sampled_from([0x01, 0x07, 0x1B, 0x53, 0x68, 0xFE]) | st.integers(1, 254),
    text=led_text,
    scroll_speed=st.integers(0, 9),
    brightness=st.none() | st.integers(1, 16),
)


def cut(line: LedLine, at: int) -> bytes:
    raw = led_bytes(line)
    return raw[: 1 + at % (len(raw) - 1)]  # 1 .. all but the last byte


def holds_a_line(noise: bytes) -> bool:
    """Whether some stretch of the noise is, byte for byte, a line an encoder could send."""
    for i in range(len(noise)):
        for j in range(i + 5, len(noise)):
            raw = noise[i : j + 1]
            if raw[0] != 0x01 or raw[-1] != 0x07 or not 1 <= raw[1] <= 254:
                continue
            lines = LedParser().feed(raw)
            if len(lines) == 1 and led_bytes(lines[0]) == raw:
                return True
    return False


# no FF 68 header in the noise: an FF 68 frame may carry any bytes, so a false FF 68 header whose
# checksum happens to match would hide what follows from the screens (docs/DEVICES.md §4.3)
piece_st = st.one_of(
    st.sampled_from([b"\x01", b"\x07", b"\x1b", b"\xff", b"\x68", b"\x1bS", b"\x01\x01"]),
    st.builds(cut, tricky_lines, st.integers(0, 10_000)),
    st.binary(max_size=6).filter(lambda b: b"\xff" not in b),
)


@given(
    lines=st.lists(tricky_lines, max_size=6),
    pieces=st.lists(st.lists(piece_st, max_size=4).map(b"".join), min_size=7, max_size=7),
    cuts=st.lists(st.integers(0, 5000), max_size=20),
)
def test_cut_lines_and_stray_start_bytes_never_cost_or_invent_a_line(
    lines: list[LedLine], pieces: list[bytes], cuts: list[int]
) -> None:
    for noise in pieces:
        assume(not holds_a_line(noise) and b"\xff\x68" not in noise)
    stream = pieces[0] + b"".join(led_bytes(line) + n for line, n in zip(lines, pieces[1:], strict=False))
    assume(stream.find(b"\xff\x68") < 0)
    parser = LedParser()
    got = [line for chunk in split(stream, cuts) for line in parser.feed(chunk)]
    assert got + parser.line_idle() == lines
