"""The FF 68 frame: exact bytes, checksum, and resynchronisation under noise and arbitrary reads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.serial_bus.frame import Frame, FrameParser, encode_frame


def hexbytes(text: str) -> bytes:
    return bytes.fromhex(text)


def test_encodes_the_documented_layout() -> None:
    # keypad display "A001" at window 12: LEN = 2 + 5 data bytes, CHK = (0C+91+00+41+30+30+31) & FF
    assert encode_frame(12, 0x91, b"\x00A001") == hexbytes("FF 68 07 07 68 0C 91 00 41 30 30 31 6F 16")
    assert encode_frame(1, 0x9F) == hexbytes("FF 68 02 02 68 01 9F A0 16")


def test_checksum_wraps_modulo_256() -> None:
    frame = encode_frame(254, 0xFF, b"\xff\xff")
    assert frame[-2] == (254 + 0xFF * 3) % 256
    assert FrameParser().feed(frame) == [Frame(254, 0xFF, b"\xff\xff")]


@pytest.mark.parametrize(
    ("addr", "func", "data"),
    [(0, 0x10, b""), (255, 0x10, b""), (1, 256, b""), (1, 0x10, bytes(254))],
)
def test_refuses_to_encode_what_no_device_could_parse(addr: int, func: int, data: bytes) -> None:
    with pytest.raises(ValueError):
        encode_frame(addr, func, data)


def test_largest_frame_round_trips() -> None:
    data = bytes(range(253))
    assert FrameParser().feed(encode_frame(7, 0x21, data)) == [Frame(7, 0x21, data)]


def corrupt(frame: bytes, index: int, value: int) -> bytes:
    return frame[:index] + bytes([value]) + frame[index + 1 :]


GOOD = encode_frame(12, 0x10, b"\x05\x01")


@pytest.mark.parametrize(
    "bad",
    [
        corrupt(GOOD, len(GOOD) - 2, (GOOD[-2] + 1) % 256),  # checksum
        corrupt(GOOD, len(GOOD) - 1, 0x17),  # end byte
        corrupt(GOOD, 3, GOOD[3] + 1),  # LEN copies disagree
        corrupt(GOOD, 4, 0x69),  # second start byte
        corrupt(GOOD, 7, 0x06),  # a data byte changed in transit
        corrupt(GOOD, 5, 0x00),  # reserved address 0
    ],
)
def test_rejects_damaged_frames_and_keeps_the_next(bad: bytes) -> None:
    parser = FrameParser()
    assert parser.feed(bad) + parser.line_idle() == []
    follow = encode_frame(3, 0x20, b"\x01\x04\x02")
    assert parser.feed(bad + follow) == [Frame(3, 0x20, b"\x01\x04\x02")]


def test_a_frame_split_byte_by_byte_arrives_once_complete() -> None:
    parser = FrameParser()
    out = [parser.feed(bytes([b])) for b in GOOD]
    assert out[:-1] == [[]] * (len(GOOD) - 1)
    assert out[-1] == [Frame(12, 0x10, b"\x05\x01")]


def test_merged_reads_give_every_frame_in_order() -> None:
    frames = [Frame(a, 0x10, bytes([a, 1])) for a in range(1, 30)]
    stream = b"".join(encode_frame(f.addr, f.func, f.data) for f in frames)
    assert FrameParser().feed(stream) == frames


def test_a_false_start_waits_then_yields_the_frame_it_covered_when_the_line_goes_quiet() -> None:
    # noise that looks like a header announcing 200 bytes swallows the real frame behind it
    parser = FrameParser()
    assert parser.feed(hexbytes("FF 68 C8 C8 68 0C") + GOOD) == []
    assert parser.line_idle() == [Frame(12, 0x10, b"\x05\x01")]
    assert parser.pending == 0


def test_buffer_stays_small_on_endless_noise() -> None:
    parser = FrameParser()
    for _ in range(100):
        parser.feed(bytes(range(256)) + b"\xff\x68")
    assert parser.pending <= 262


# ---- the property: noise between frames and any split of the stream -------------------------

frames_st = st.builds(
    Frame,
    addr=st.integers(1, 254),
    func=st.integers(0, 255),
    data=st.binary(max_size=40),
)


def wrong_checksum(frame: Frame) -> int:
    return (frame.addr + frame.func + sum(frame.data) + 1) & 0xFF


# noise, with the nastiest fragments mixed in: lone preambles, headers, cut and damaged frames
nasty = st.one_of(
    st.binary(max_size=12),
    st.just(b"\xff"),
    st.just(b"\xff\x68"),
    st.builds(lambda n: bytes([0xFF, 0x68, n, n, 0x68]), st.integers(0, 255)),
    st.builds(lambda f, cut: encode_frame(f.addr, f.func, f.data)[:cut], frames_st, st.integers(1, 8)),
    st.builds(
        lambda f: corrupt(
            encode_frame(f.addr, f.func, f.data), -2, 0x00 if f.addr + f.func + sum(f.data) & 0xFF else 1
        ),
        frames_st,
    ),
)


def holds_no_frame(noise: bytes) -> bool:
    parser = FrameParser()
    return parser.feed(noise) + parser.line_idle() == []


# noise is anything that is not itself a valid frame (hypothesis is good at building one from bytes)
garbage_st = st.lists(nasty, max_size=4).map(b"".join).filter(holds_no_frame)


def split(stream: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(stream) + 1) for c in cuts})
    return [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]


@given(
    frames=st.lists(frames_st, max_size=8),
    garbage=st.lists(garbage_st, min_size=9, max_size=9),
    cuts=st.lists(st.integers(0, 10_000), max_size=30),
)
def test_noise_never_loses_or_invents_a_frame_for_any_split(
    frames: list[Frame], garbage: list[bytes], cuts: list[int]
) -> None:
    stream = garbage[0] + b"".join(
        encode_frame(f.addr, f.func, f.data) + g for f, g in zip(frames, garbage[1:], strict=False)
    )
    parser = FrameParser()
    got = [frame for chunk in split(stream, cuts) for frame in parser.feed(chunk)]
    assert got + parser.line_idle() == frames


@given(frames=st.lists(frames_st, max_size=8), cuts=st.lists(st.integers(0, 10_000), max_size=30))
def test_clean_line_delivers_each_frame_as_soon_as_it_is_complete(
    frames: list[Frame], cuts: list[int]
) -> None:
    stream = b"".join(encode_frame(f.addr, f.func, f.data) for f in frames)
    parser = FrameParser()
    got = [frame for chunk in split(stream, cuts) for frame in parser.feed(chunk)]
    assert got == frames
    assert parser.pending == 0
